"""Turns a DraftBundle into files the FM opens directly: Outlook-ready .eml drafts, .ics invites, Markdown, FTOP text.

icalendar is imported only when an invite is exported, so printing a bundle stays fast.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from email.header import Header
from email.message import EmailMessage
from pathlib import Path
from typing import Any, NamedTuple

from .agenda import AGENDA_BY_KEY
from .sanitize import clean_text, one_line
from .schemas import CalendarInvite, DraftBundle, Email, Fact, Recipient, Source, TokenUsage

PRODID = "-//ftdraft//FastTrack Initiate drafts//EN"
PLACEHOLDER_HOUR = 10
# Loose on purpose: anything that is clearly not one mailbox (spaces, commas, several @) is treated as unknown
# rather than written into a header where it could split into several recipients.
_EMAIL_RE = re.compile(r"^[^@\s<>,;\"()\[\]]+@[^@\s<>,;\"()\[\]]+\.[^@\s<>,;\"()\[\]]+$")
_ADDRESS_SPECIALS = re.compile(r"[()<>@,;:\\\".\[\]]")


# ---------------------------------------------------------------- .eml
#
# Headers are written by this module, byte by byte: nothing the user typed is ever parsed or decoded as an
# encoded-word or an address, and the standard library never re-folds our text. (CPython 3.11.7's header folder
# turns a decoded CR/LF into a new header line, and formataddr/Address re-parse display names: both are bypassed,
# so the defence does not depend on a patched interpreter.)

HEADER_NAME_LIMIT = 120  # characters of a display name kept in a header; longer names end with "…"
HEADER_TEXT_LIMIT = 300  # characters of a subject
_FOLD_AT = 76  # RFC 5322 2.1.1: lines SHOULD be <= 78 characters; they MUST be <= 998 octets
_ENCODED_WORD_OPEN = re.compile(r"=\s*\?")  # "=?" starts an RFC 2047 encoded-word; "= ?" is inert text
_PHRASE_ATOM_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$")  # RFC 5322 atext and spaces: no quoting needed


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", clean_text(text or "")).strip()


def header_text(text: str | None, limit: int = HEADER_TEXT_LIMIT) -> str:
    """User text made safe to put in a header: one line, no control/invisible characters, no encoded-word
    opener ("=?" becomes "= ?", so no reader decodes it into CR/LF or an address), at most `limit` characters."""
    value = " ".join(one_line(text or "").split())
    value = _ENCODED_WORD_OPEN.sub("= ?", value)
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return value


def _encoded(text: str, header_name: str) -> list[str]:
    """Our own RFC 2047 encoding (UTF-8, base64 or Q, split into encoded-words of <= 76 characters)."""
    return Header(text, "utf-8", header_name=header_name).encode(linesep="\n").split("\n")


def _unstructured(header_name: str, text: str) -> list[str]:
    """A Subject-like header as folded lines (continuation lines start with a space)."""
    words = text.split(" ")
    if not text.isascii() or any(len(w) > _FOLD_AT - 10 for w in words):
        return [f"{header_name}: {line.strip()}" if i == 0 else f" {line.strip()}"
                for i, line in enumerate(_encoded(text, header_name))]  # fmt: skip
    lines = [f"{header_name}:"]
    for w in words:
        if len(lines[-1]) + 1 + len(w) > _FOLD_AT and lines[-1].strip() and not lines[-1].endswith(":"):
            lines.append("")
        lines[-1] += f" {w}"
    return lines


def ascii_address(value: str | None) -> str | None:
    """One mailbox usable in an ASCII header, or None: the domain of a non-ASCII address is IDNA-encoded
    (exämple.com -> xn--exmple-cua.com); a non-ASCII local part cannot be written without SMTPUTF8, so such an
    address is dropped (the guardrails report it: recipients.non_ascii_address)."""
    address = valid_email(value)
    if address is None:
        return None
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        return None
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return f"{local}@{domain}"


def _phrase(name: str) -> str:
    """A display name as an RFC 5322 phrase: plain atoms, a quoted string, or our own encoded-words."""
    if not name.isascii() or len(name) > _FOLD_AT - 10:
        return "\n".join(w.strip() for w in _encoded(name, "To"))
    if _PHRASE_ATOM_RE.match(name) and not _ADDRESS_SPECIALS.search(name):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def valid_email(value: str | None) -> str | None:
    value = _clean(value)
    return value if value and _EMAIL_RE.match(value) else None


def format_recipient(r: Recipient) -> str:
    """One address for a To/Cc header. With no (usable) address the display name stands alone, so Outlook
    resolves it against the address book; with no name either, the role placeholder shows what is missing.
    The name is encoded by us (never decoded from what was typed), so it cannot become a second address."""
    # A name never reads as a mailbox: no "@" in it (a name alone is resolved by Outlook in the address book).
    name = header_text(r.name, HEADER_NAME_LIMIT).replace("@", " (at) ")
    address = ascii_address(r.email)
    if address:
        return f"{_phrase(name)} <{address}>" if name else address
    label = name or (f"{r.role} - name unknown" if r.role else "name unknown")
    if not label.isascii() or len(label) > _FOLD_AT - 10:
        return _phrase(label)
    return '"' + label.replace("\\", "\\\\").replace('"', '\\"') + '"'  # quoted: never read as a mailbox


def _address_list(header_name: str, people: list[Recipient]) -> list[str]:
    """A To/Cc header folded between addresses and, for long entries, between the name's words and the address."""
    lines = [f"{header_name}:"]
    for i, r in enumerate(people):
        tokens = format_recipient(r).split("\n")  # our encoded-words come pre-folded
        tokens = [t for tok in tokens for t in _split_before_address(tok.strip())]
        if i < len(people) - 1:
            tokens[-1] += ","
        for tok in tokens:
            if len(lines[-1]) + 1 + len(tok) > _FOLD_AT and not lines[-1].endswith(":"):
                lines.append("")
            lines[-1] += f" {tok}"
    return lines


def _split_before_address(token: str) -> list[str]:
    """'Name <a@b>' as ['Name', '<a@b>'] and an encoded phrase as its encoded-words: places a fold may go."""
    if token.startswith('"'):
        name, sep, rest = token.rpartition('" <')
        return [name + '"', "<" + rest] if sep else [token]
    return token.split(" ")


def email_to_eml(email: Email) -> bytes:
    """An unsent draft: no From/Date (the mail client fills them), X-Unsent: 1 so Outlook opens it for editing.

    To, Cc and Subject are written by this module (see header_text); the body and its MIME headers by the
    standard library from constant values."""
    msg = EmailMessage()
    msg.set_content(clean_text(email.body), charset="utf-8")
    head: list[str] = []
    if email.to:
        head += _address_list("To", email.to)
    if email.cc:
        head += _address_list("Cc", email.cc)
    head += _unstructured("Subject", header_text(email.subject))
    head.append("X-Unsent: 1")
    return ("\n".join(head) + "\n").encode("ascii") + bytes(msg)


# ---------------------------------------------------------------- .ics


def next_business_day(today: date) -> date:
    day = today + timedelta(days=1)
    while day.weekday() >= 5:  # Saturday, Sunday
        day += timedelta(days=1)
    return day


def placeholder_start(today: date, rrule: str | None = None) -> datetime:
    """10:00 on the next business day, floating (the reader's local time); for a recurring invite, the first
    occurrence of the rule from that day on, so DTSTART is a real instance of the series."""
    start = datetime.combine(next_business_day(today), time(PLACEHOLDER_HOUR, 0))
    if rrule:
        from dateutil.rrule import rrulestr

        first = rrulestr(rrule, dtstart=start).after(start, inc=True)
        if first is not None:
            start = first
    return start


def _uid(invite: CalendarInvite) -> str:
    # Stable across runs for the same invite, so re-importing updates the event instead of duplicating it.
    key = "|".join([invite.title, invite.rrule or "", *(r.email or r.name or "" for r in invite.required)])
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, 'ftdraft:' + key)}@ftdraft"


def _unaddressed(people: list[Recipient]) -> list[str]:
    out = []
    for r in people:
        if ascii_address(r.email):
            continue
        name = header_text(r.name, HEADER_NAME_LIMIT)
        out.append(f"{name} ({r.role})" if name and r.role else name or f"the {r.role or 'attendee'} (name unknown)")
    return out


def invite_to_ics(
    invite: CalendarInvite,
    *,
    today: date | None = None,
    now: datetime | None = None,
    uid: str | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT. Attendees with a known email become ATTENDEE lines (REQ/OPT-PARTICIPANT);
    the others are listed in the description so the FM adds them in Outlook. No start: a placeholder slot,
    said so in the description."""
    from icalendar import Calendar, Event, vCalAddress, vRecur, vText

    now = now or datetime.now(UTC).replace(microsecond=0)
    description = clean_text(invite.description).rstrip("\n")
    start = invite.start
    if start is None:
        start = placeholder_start(today or date.today(), invite.rrule)
        description += (
            f"\n\nThe time ({start:%a %b %d, %Y} {start:%H:%M}) is a placeholder: pick the real slot "
            "in Outlook before sending."
        )
    missing = _unaddressed(invite.required + invite.optional)
    if missing:
        description += "\n\nAlso invite (no email address known): " + "; ".join(missing) + "."

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    event = Event()
    event.add("uid", uid or _uid(invite))
    event.add("dtstamp", now)
    event.add("summary", header_text(invite.title))
    event.add("description", description)
    event.add("location", header_text(invite.location))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=invite.duration_minutes))
    if invite.rrule:
        event.add("rrule", vRecur.from_ical(invite.rrule))
    for people, role in ((invite.required, "REQ-PARTICIPANT"), (invite.optional, "OPT-PARTICIPANT")):
        for r in people:
            address = ascii_address(r.email)
            if not address:
                continue
            attendee = vCalAddress(f"mailto:{address}")
            name = header_text(r.name, HEADER_NAME_LIMIT).replace('"', "")
            if name:
                attendee.params["CN"] = vText(name)
            attendee.params["ROLE"] = vText(role)
            attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
            attendee.params["RSVP"] = vText("TRUE")
            event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    if start.tzinfo is not None and start.utcoffset() != timedelta(0):
        cal.add_missing_timezones()  # a TZID needs its VTIMEZONE (RFC 5545 3.2.19)
    return cal.to_ical()


# ---------------------------------------------------------------- Markdown


_MD_INLINE_RE = re.compile(r"([\\`*_\[\]|~])")  # what could open a link, an image, emphasis, code or a table
_AUTOLINK_RE = re.compile(r"\b(https?|ftp)(:)|\b(www)(\.)", re.IGNORECASE)


def _md(text: str | None) -> str:
    """Note or model text set outside a code fence: HTML, links, images, emphasis and bare URLs become inert text
    (entities and backslash escapes), so a hostile line in the notes or a model's fact can never render as live
    markup, a link or an outside image in bundle.md. Control characters are gone (clean_text)."""
    text = _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE_RE.sub(r"\\\1", text)
    return _AUTOLINK_RE.sub(lambda m: f"{m.group(1) or m.group(3)}\\{m.group(2) or m.group(4)}", text)


def _fence(text: str) -> str:
    """A code fence longer than any backtick run inside the text, so notes cannot break out of it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _block(text: str) -> list[str]:
    fence = _fence(text)
    return [f"{fence}text", text.rstrip("\n"), fence]


def _src(sources: list[Source]) -> str:
    parts = []
    for s in sources:
        if s.origin == "notes" and s.lines:
            label = "line" if len(s.lines) == 1 else "lines"
            parts.append(f"{label} {', '.join(str(n) for n in s.lines)}")
        elif s.origin != "notes":
            parts.append(f"from the {s.origin}")
    return f" _({'; '.join(parts)})_" if parts else ""


def _person(p: Any) -> str:
    bits = [_md(p.name) or "(name unknown)", f"({p.role})"]
    if getattr(p, "title", None):
        bits.append(f"– {_md(p.title)}")
    if getattr(p, "email", None):
        shown = _md(p.email).replace("@", "\\@")  # shown, never an autolink
        bits.append(f"&lt;{shown}&gt;")
    return " ".join(bits)


def _recipients(people: list[Recipient]) -> str:
    return _md(", ".join(format_recipient(r) for r in people)) or "—"


def _email_md(title: str, email: Email) -> list[str]:
    return [
        f"### {title}",
        "",
        f"- **To:** {_recipients(email.to)}",
        f"- **Cc:** {_recipients(email.cc)}",
        f"- **Subject:** {_md(email.subject)}",
        f"- **Audience:** {email.audience}",
        "",
        *_block(email.body),
        "",
    ]


def _invite_md(title: str, invite: CalendarInvite) -> list[str]:
    return [
        f"#### {title}",
        "",
        f"- **Title:** {_md(invite.title)}",
        f"- **Required:** {_recipients(invite.required)}",
        f"- **Optional:** {_recipients(invite.optional)}",
        f"- **When:** {invite.start.isoformat() if invite.start else 'not set (placeholder in the .ics)'}, "
        f"{invite.duration_minutes} min" + (f", repeats `{invite.rrule}`" if invite.rrule else ""),
        f"- **Where:** {_md(invite.location)}",
        "",
        *_block(invite.description),
        "",
    ]


def _facts_md(title: str, facts: list[Fact]) -> list[str]:
    if not facts:
        return []
    return [f"### {title}", "", *(f"- {_md(f.text)}{_src(f.sources)}" for f in facts), ""]


def bundle_to_markdown(bundle: DraftBundle) -> str:
    """The whole bundle for review or archiving: engagement, facts (with sources, open items, flags),
    every draft, guardrail checks and which engine wrote each part."""
    e, f, d = bundle.engagement, bundle.facts, bundle.drafts
    customer = _md(e.customer) or "(customer unknown)"
    out: list[str] = [
        f"# {customer} – FastTrack Initiate drafts",
        "",
        f"Generated {bundle.generated_at.isoformat()} · schema version {bundle.schema_version}",
        "",
        "## Engagement",
        "",
        f"- **Customer:** {customer}",
        f"- **Motion:** {e.motion or 'unknown'}",
    ]
    if e.rfa_id or e.rfa_summary:
        out.append(f"- **RFA:** {('#' + _md(e.rfa_id)) if e.rfa_id else ''} {_md(e.rfa_summary)}".rstrip())
    if e.health_red_areas:
        out.append(f"- **Health red areas:** {', '.join(_md(a) for a in e.health_red_areas)}")
    out += [
        f"- **Call date:** {e.call_date.isoformat() if e.call_date else 'unknown'}",
        f"- **FM:** {_person(e.fm) if e.fm else 'unknown'}",
        f"- **FTA:** {_person(e.fta) if e.fta else 'none aligned / unknown'}",
        f"- **Workloads:** {', '.join(_md(w) for w in e.workloads) or 'none recorded'}",
        "- **Account team:** " + ("; ".join(_person(p) for p in e.account_team) or "none recorded"),
        "- **Customer contacts:** " + ("; ".join(_person(p) for p in e.customer_contacts) or "none recorded"),
        "",
        "## Facts from the call",
        "",
    ]
    if f.attendees:
        out += ["### Attendees", ""]
        out += [f"- {_person(a)}{'' if a.present else ' – absent'}{_src(a.sources)}" for a in f.attendees]
        out.append("")
    if f.agenda:
        out += ["### Agenda", ""]
        for a in sorted(f.agenda, key=lambda x: x.item):
            title = a.title or (AGENDA_BY_KEY[a.item].title if a.item in AGENDA_BY_KEY else "")
            answer = _md(a.answer) if a.answered and a.answer else "_not answered_"
            out.append(f"- **{_md(a.item)}. {_md(title)}:** {answer}{_src(a.sources)}")
        out.append("")
    if f.intents:
        out += ["### Service intent", ""]
        for i in f.intents:
            reason = f" ({i.reason})" if i.reason else ""
            out.append(f"- **{_md(i.workload)}** — {i.status}{reason}: {_md(i.note)}{_src(i.sources)}")
        out.append("")
    out += ["### Action items", ""]
    for ai in f.action_items:
        owner = _md(ai.owner) or (f"the {ai.owner_role} (name unknown)" if ai.owner_role else "Owner: TBD")
        due = ai.due.isoformat() if ai.due else "Due: TBD"
        said = f' ("{_md(ai.due_text)}")' if ai.due_text else ""
        out.append(f"- {owner} – {_md(ai.action)} – {due}{said}{_src(ai.sources)}")
    if not f.action_items:
        out.append("- none found")
    out += ["", "### Open items", ""]
    for o in f.open_items:
        tag = f"\\[{_md(o.agenda_item)}\\] " if o.agenda_item else ""
        owner = f" (owner: {_md(o.owner)})" if o.owner else ""
        out.append(f"- {tag}{_md(o.text)}{owner}{_src(o.sources)}")
    if not f.open_items:
        out.append("- none")
    out.append("")
    if f.asks:
        out += ["### Asks", ""]
        for ask in f.asks:
            scope = "in scope" if ask.in_scope else f"outside FastTrack scope; routed by {_md(ask.routed_to) or 'TBD'}"
            out.append(f"- {_md(ask.text)} ({scope}){_src(ask.sources)}")
        out.append("")
    out += _facts_md("Risks", f.risks)
    out += _facts_md("Timeline", f.timeline)
    out += _facts_md("Licenses", f.licenses)
    out += _facts_md("Environment", f.environment)
    out += _facts_md("Migration source", f.migration_source)
    out += _facts_md("Partner", f.partner)
    if f.compete:
        out += ["### Compete", "", *(f"- **{_md(c.product)}:** {_md(c.text)}{_src(c.sources)}" for c in f.compete), ""]
    out += _facts_md("Additional tenants", f.additional_tenants)
    out += _facts_md("Political changes", f.political_changes)
    out += _facts_md("FastTrack process", f.fasttrack_process)
    if f.sync_rhythm:
        s = f.sync_rhythm
        detail = ", ".join(x for x in (s.cadence, s.weekday, f"week {s.week_of_month}" if s.week_of_month else "") if x)
        out += [
            "### Sync rhythm",
            "",
            f"- {s.kind}{': ' + detail if detail else ''} – {_md(s.text)}{_src(s.sources)}",
            "",
        ]
    if f.teams_channel:
        out += _facts_md("Teams channel", [f.teams_channel])
    out += ["### Flags (unknown, needs the FM)", ""]
    out += [f"- **{_md(fl.field)}:** {_md(fl.message)}{_src(fl.sources)}" for fl in f.flags] or ["- none"]
    out += ["", "## Drafts", "", "### Prep checklist", ""]
    out += [f"- [{'x' if item.done else ' '}] {_md(item.text)}" for item in d.prep.items]
    out.append("")
    out += _email_md("Internal invite – email", d.internal_invite.email)
    out += _invite_md("Internal invite – calendar invite", d.internal_invite.invite)
    out += _email_md("Customer intro request", d.intro_request.email)
    out += ["#### Customer-facing blurb", "", *_block(d.intro_request.customer_blurb), ""]
    if d.teams_channel:
        out += _email_md("Teams channel request", d.teams_channel)
    out += _email_md("Follow-up email", d.follow_up)
    out += ["### FTOP entry (internal)", "", *_block(d.ftop.text), ""]
    out += _email_md("Sync rhythm", d.sync_rhythm.email)
    if d.sync_rhythm.invite:
        out += _invite_md("Sync rhythm – recurring invite", d.sync_rhythm.invite)
    out += ["## Checks", ""]
    if bundle.checks:
        for c in bundle.checks:
            hint = f" → {_md(c.suggestion)}" if c.suggestion else ""
            out.append(f"- **{c.severity}** `{c.rule}` in {c.draft}: {_md(c.text)}{hint}")
    else:
        out.append("- none")
    out += [
        "",
        "## Provenance",
        "",
        "| Part | Engine | Model | Attempts | Fallback reason |",
        "| --- | --- | --- | --- | --- |",
    ]
    for part, p in bundle.provenance.items():
        reason = _md(p.fallback_reason) or "—"  # _md escapes "|" too
        out.append(f"| {part} | {p.engine} | {_md(p.model) or '—'} | {p.attempts} | {reason} |")
    if bundle.tokens is not None:
        out += ["", f"Model tokens: {token_summary(bundle.tokens)}."]
    return "\n".join(out).rstrip() + "\n"


def token_summary(tokens: TokenUsage) -> str:
    """A bundle's token totals in one line: '7,983 prompt (0 cached), 1,430 completion (0 reasoning)';
    a count the server did not report is left out."""
    parts = []
    if tokens.prompt_tokens is not None:
        parts.append(
            f"{tokens.prompt_tokens:,} prompt"
            + (f" ({tokens.cached_tokens:,} cached)" if tokens.cached_tokens is not None else "")
        )
    if tokens.completion_tokens is not None:
        parts.append(
            f"{tokens.completion_tokens:,} completion"
            + (f" ({tokens.reasoning_tokens:,} reasoning)" if tokens.reasoning_tokens is not None else "")
        )
    return ", ".join(parts) or "not reported by the server"


def ftop_text(bundle: DraftBundle) -> str:
    """The copy-ready FTOP entry. Internal: it never goes into a field- or customer-facing file."""
    return bundle.drafts.ftop.text


# ---------------------------------------------------------------- files


class RefusedExport(NamedTuple):
    """An export that was not written, and why (for the FM: one line each)."""

    path: Path
    reason: str


def write_exports(
    bundle: DraftBundle,
    out_dir: str | Path,
    *,
    today: date | None = None,
    protect: Iterable[str | Path] = (),
    refused: list[RefusedExport] | None = None,
) -> list[Path]:
    """Every export under out_dir with stable names; returns the paths written, in a fixed order.

    Never writes over a file in `protect` (the notes, context and agenda files: same file, hard links included),
    never through a symbolic link (a link named like an export is left alone), never into something that is not a
    regular file. Each export not written is appended to `refused` (path, reason); the others are still written.
    Raises OSError when out_dir cannot be created.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    d = bundle.drafts
    files: list[tuple[str, bytes]] = [
        ("internal_invite.eml", email_to_eml(d.internal_invite.email)),
        ("internal_invite.ics", invite_to_ics(d.internal_invite.invite, today=today)),
        ("intro_request.eml", email_to_eml(d.intro_request.email)),
        ("customer_blurb.txt", d.intro_request.customer_blurb.encode("utf-8")),
    ]
    if d.teams_channel is not None:
        files.append(("teams_channel.eml", email_to_eml(d.teams_channel)))
    files.append(("follow_up.eml", email_to_eml(d.follow_up)))
    files.append(("sync_rhythm.eml", email_to_eml(d.sync_rhythm.email)))
    if d.sync_rhythm.invite is not None:
        files.append(("sync_rhythm.ics", invite_to_ics(d.sync_rhythm.invite, today=today)))
    files += [
        ("ftop.txt", ftop_text(bundle).encode("utf-8")),
        ("bundle.md", bundle_to_markdown(bundle).encode("utf-8")),
        ("bundle.json", bundle.model_dump_json(indent=2).encode("utf-8")),
    ]
    protected = [Path(p) for p in protect]
    paths = []
    for name, data in files:
        path = out / name
        reason = _unsafe_target(path, protected)
        if reason is None:
            try:
                _write_no_follow(path, data)
            except OSError as exc:
                reason = f"cannot write it ({exc.strerror or exc})"
        if reason is None:
            paths.append(path)
        elif refused is not None:
            refused.append(RefusedExport(path, reason))
    return paths


def _unsafe_target(path: Path, protected: list[Path]) -> str | None:
    """Why path must not be written, or None."""
    if path.is_symlink():
        return "it is a symbolic link (links are never followed)"
    if not path.exists():
        return None
    if not path.is_file():
        return "it exists and is not a regular file"
    for p in protected:
        try:
            if os.path.samefile(path, p):
                return f"it is your input file {p} (it would be overwritten)"
        except OSError:
            continue
    return None


def _write_no_follow(path: Path, data: bytes) -> None:
    """Write data to path without following a symbolic link planted there since the check (O_NOFOLLOW)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
