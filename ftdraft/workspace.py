"""The app's logic without the UI: which draft parts the FM can edit, applying their edits and corrected
facts, regenerating one draft alone, and the wording of what needs attention.

streamlit_app.py only lays these out; everything here is plain Python, tested without a browser.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, get_args

from pydantic import BaseModel

from .agenda import AGENDA_BY_KEY, agenda_for
from .config import EngineChoice, Settings
from .roster import merge_team
from .schemas import (
    DRAFT_NAMES,
    ActionItem,
    AgendaAnswer,
    Attendee,
    AttendeeRole,
    CallFacts,
    Check,
    DraftBundle,
    Drafts,
    Email,
    Engagement,
    Flag,
    OpenItem,
    Person,
    Provenance,
    ServiceIntent,
    Source,
)

# ------------------------------------------------------------------ draft parts the FM edits


@dataclass(frozen=True)
class Part:
    key: str  # "follow_up.email.body": the draft name, then the attribute path inside it
    label: str
    multiline: bool = True

    @property
    def draft(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))


def _email_parts(prefix: str) -> tuple[Part, ...]:
    return (Part(f"{prefix}.subject", "Subject", multiline=False), Part(f"{prefix}.body", "Body"))


def _invite_parts(prefix: str) -> tuple[Part, ...]:
    return (Part(f"{prefix}.title", "Invite title", multiline=False), Part(f"{prefix}.description", "Invite text"))


PARTS: dict[str, tuple[Part, ...]] = {
    "internal_invite": (*_email_parts("internal_invite.email"), *_invite_parts("internal_invite.invite")),
    "intro_request": (
        *_email_parts("intro_request.email"),
        Part("intro_request.customer_blurb", "Customer blurb (forwardable)"),
    ),
    "teams_channel": _email_parts("teams_channel"),
    "follow_up": _email_parts("follow_up"),
    "ftop": (Part("ftop.text", "FTOP entry"),),
    "sync_rhythm": (*_email_parts("sync_rhythm.email"), *_invite_parts("sync_rhythm.invite")),
}
PART_BY_KEY: dict[str, Part] = {p.key: p for parts in PARTS.values() for p in parts}

DRAFT_TITLES: dict[str, str] = {
    "prep": "Prep Checklist",
    "internal_invite": "Internal Invite",
    "intro_request": "Intro Request",
    "teams_channel": "Teams Channel Ask",
    "follow_up": "Follow-up Email",
    "ftop": "FTOP Entry",
    "sync_rhythm": "Sync Rhythm",
}


def get_part(drafts: Drafts, key: str) -> str | None:
    """The text of one part, or None when the draft (or its invite) does not exist."""
    obj: Any = drafts
    for attr in key.split("."):
        obj = getattr(obj, attr, None)
        if obj is None:
            return None
    return obj if isinstance(obj, str) else None


def draft_part(draft: Any, key: str) -> str | None:
    """One part's text from a single draft object (e.g. an InternalInvite), the key's first name skipped."""
    obj: Any = draft
    for attr in key.split(".")[1:]:
        obj = getattr(obj, attr, None)
        if obj is None:
            return None
    return obj if isinstance(obj, str) else None


def apply_edits_to(name: str, draft: Any, edits: dict[str, str]) -> Any:
    """One draft object with the FM's edits to it laid over."""
    out = draft
    for key in edited_parts(edits, name):
        if draft_part(draft, key) is not None:
            out = _replace(out, PART_BY_KEY[key].path[1:], normalize_edit(key, edits[key]))
    return out


def email_of(draft: Any) -> Email:
    """The email inside a draft (a bare Email, or a draft holding one)."""
    return draft if isinstance(draft, Email) else draft.email


def _replace(model: BaseModel, path: tuple[str, ...], value: str) -> BaseModel:
    head, *rest = path
    if not rest:
        return model.model_copy(update={head: value})
    child = getattr(model, head)
    if child is None:
        return model
    return model.model_copy(update={head: _replace(child, tuple(rest), value)})


def normalize_edit(key: str, text: str) -> str:
    """Subjects and titles are one line (a line break in a subject would break the email headers)."""
    part = PART_BY_KEY.get(key)
    if part is not None and not part.multiline:
        return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()
    return text


def apply_edits(drafts: Drafts, edits: dict[str, str]) -> Drafts:
    """The drafts as the FM sees them: rendered text with their edits laid over it."""
    out: BaseModel = drafts
    for key, text in sorted(edits.items()):
        if key in PART_BY_KEY and get_part(drafts, key) is not None:
            out = _replace(out, PART_BY_KEY[key].path, normalize_edit(key, text))
    return out  # type: ignore[return-value]


def effective_bundle(bundle: DraftBundle, edits: dict[str, str]) -> DraftBundle:
    """The bundle with the FM's edits applied: what exports and downloads carry."""
    return bundle.model_copy(update={"drafts": apply_edits(bundle.drafts, edits)})


def edit_to_save(key: str, rendered: str | None, value: str) -> str | None:
    """What to store for a part after the FM typed `value`: None when it matches the rendered text again."""
    value = normalize_edit(key, value)
    return None if rendered is not None and value == rendered else value


def edited_parts(edits: dict[str, str], draft: str) -> list[str]:
    return [key for key in edits if PART_BY_KEY.get(key) and PART_BY_KEY[key].draft == draft]


def regenerate(
    bundle: DraftBundle, name: str, *, notes: str | None = None, agenda_answers: dict[str, str] | None = None
) -> DraftBundle:
    """Re-render one draft from the bundle's current facts; every other draft is left exactly as it is.

    The guardrails run again so the findings shown beside each draft describe the drafts as they now are."""
    from .drafts import render_draft
    from .guards import guard_bundle

    if name not in DRAFT_NAMES:
        raise ValueError(f"unknown draft {name!r}")
    fresh = render_draft(name, bundle.engagement, bundle.facts)
    drafts = bundle.drafts.model_copy(update={name: fresh})
    provenance = dict(bundle.provenance)
    provenance[name] = Provenance(engine="offline")
    fresh_bundle = bundle.model_copy(update={"drafts": drafts, "provenance": provenance})
    return guard_bundle(fresh_bundle, notes, agenda_answers, bundle.engagement, trusted_facts=True)


def precall_drafts(setup: Engagement, bundle: DraftBundle | None) -> tuple[Any, Any]:
    """The prep checklist and internal invite, which the FM needs before any notes exist."""
    from .drafts import render_draft

    engagement = merge_engagement(setup, bundle.engagement) if bundle else setup
    facts = bundle.facts if bundle else CallFacts()
    prep = render_draft("prep", engagement, facts)
    invite = bundle.drafts.internal_invite if bundle else render_draft("internal_invite", engagement, facts)
    return prep, invite


def merge_engagement(setup: Engagement, enriched: Engagement) -> Engagement:
    """What the FM typed in the setup wins over what extraction found; the rest of the enrichment stays."""
    data = enriched.model_dump()
    for name in Engagement.model_fields:
        value = getattr(setup, name)
        if name == "account_team":
            continue
        if value not in (None, "", []):
            data[name] = value.model_dump() if isinstance(value, BaseModel) else value
    merged = Engagement.model_validate(data)
    team = merge_team(enriched.account_team, setup.account_team)
    return merged.model_copy(update={"account_team": team})


def fill_setup(setup: Engagement, enriched: Engagement) -> Engagement:
    """Blanks in the FM's setup filled from what the notes gave (customer, motion, date, team...);
    anything the FM typed stays as typed."""
    update: dict[str, Any] = {}
    for name in (
        "customer",
        "motion",
        "rfa_id",
        "rfa_summary",
        "health_red_areas",
        "fm",
        "fta",
        "workloads",
        "call_date",
    ):
        if getattr(setup, name) in (None, "", []) and getattr(enriched, name) not in (None, "", []):
            update[name] = getattr(enriched, name)
    if not setup.account_team and enriched.account_team:
        update["account_team"] = enriched.account_team
    return setup.model_copy(update=update) if update else setup


def all_reasons() -> list[str]:
    from .schemas import REASONS_BY_STATUS

    return [r for reasons in REASONS_BY_STATUS.values() for r in reasons]


def tick_key(item_text: str) -> str:
    """A checklist item's identity for its saved tick: its first words. The rest of the line fills in as the
    engagement does ("Review the RFA request" -> "Review the RFA request #4471"), and the tick must stay."""
    words = re.findall(r"[a-z0-9]+", item_text.lower())
    return " ".join(words[:4])


# ------------------------------------------------------------------ facts <-> editable rows


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip() in ("", "NaT", "nan", "None", "<NA>")


def _text(value: Any) -> str | None:
    return None if _blank(value) else str(value).strip()


def _date(value: Any) -> date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _index(value: Any) -> int | None:
    if _blank(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def source_label(sources: list[Source]) -> str:
    """Where a fact came from, for the FM: 'line 5: …' for notes, else the form or setup."""
    out: list[str] = []
    for s in sources:
        if s.origin == "notes" and s.lines:
            lines = ", ".join(str(n) for n in s.lines)
            word = "line" if len(s.lines) == 1 else "lines"
            out.append(f"{word} {lines}: {s.text.strip()}" if s.text.strip() else f"{word} {lines}")
        elif s.origin == "agenda":
            out.append("typed in the agenda form")
        elif s.origin == "context":
            out.append("from the engagement setup")
    return " · ".join(dict.fromkeys(out))


def agenda_rows(facts: CallFacts, motion: Any) -> list[AgendaAnswer]:
    """One answer per agenda item of the motion (a-n; i only for Health), blank when extraction found none."""
    found = {a.item: a for a in facts.agenda}
    return [found.get(item.key) or AgendaAnswer(item=item.key, title=item.title) for item in agenda_for(motion)]


def apply_agenda(facts: CallFacts, answers: dict[str, str], motion: Any) -> tuple[CallFacts, dict[str, str]]:
    """Lay the FM's agenda answers over the facts. Returns the facts and the answers that changed.

    An item the FM answers stops being an open item; an answer the FM clears becomes one (what to ask)."""
    rows = {a.item: a for a in agenda_rows(facts, motion)}
    extra = [a for a in facts.agenda if a.item not in rows]
    open_items = list(facts.open_items)
    changed: dict[str, str] = {}
    for key, row in rows.items():
        if key not in answers:
            continue
        new = (answers[key] or "").strip()
        old = (row.answer or "").strip() if row.answered else ""
        if new == old:
            continue
        changed[key] = new
        notes_sources = [s for s in row.sources if s.origin == "notes"]
        if new:
            rows[key] = row.model_copy(
                update={"answered": True, "answer": new, "sources": [Source(origin="agenda", text=new), *notes_sources]}
            )
            open_items = [o for o in open_items if o.agenda_item != key]
        else:
            rows[key] = row.model_copy(update={"answered": False, "answer": None, "sources": []})
            if not any(o.agenda_item == key for o in open_items):
                open_items.append(OpenItem(text=AGENDA_BY_KEY[key].ask, agenda_item=key))
    agenda = sorted([*rows.values(), *extra], key=lambda a: a.item)
    return facts.model_copy(update={"agenda": agenda, "open_items": open_items}), changed


ATTENDEE_COLUMNS = ("name", "role", "email", "present")
ACTION_COLUMNS = ("owner", "action", "due", "as_written", "source")
INTENT_COLUMNS = ("workload", "status", "reason", "note", "source")
OPEN_COLUMNS = ("text", "owner", "source")
TEAM_COLUMNS = ("name", "role", "email")


def attendee_rows(facts: CallFacts) -> list[dict[str, Any]]:
    return [
        {"_i": i, "name": a.name or "", "role": a.role, "email": a.email or "", "present": a.present}
        for i, a in enumerate(facts.attendees)
    ]


def action_rows(facts: CallFacts) -> list[dict[str, Any]]:
    return [
        {
            "_i": i,
            "owner": a.owner or "",
            "action": a.action,
            "due": a.due,
            "as_written": a.due_text or "",
            "source": source_label(a.sources),
        }
        for i, a in enumerate(facts.action_items)
    ]


def intent_rows(facts: CallFacts) -> list[dict[str, Any]]:
    return [
        {
            "_i": i,
            "workload": t.workload,
            "status": t.status,
            "reason": t.reason or "",
            "note": t.note,
            "source": source_label(t.sources),
        }
        for i, t in enumerate(facts.intents)
    ]


def open_rows(facts: CallFacts) -> list[dict[str, Any]]:
    return [
        {"_i": i, "text": o.text, "owner": o.owner or "", "source": source_label(o.sources)}
        for i, o in enumerate(facts.open_items)
    ]


def team_rows(engagement: Engagement) -> list[dict[str, Any]]:
    return [{"name": p.name or "", "role": p.role, "email": p.email or ""} for p in engagement.account_team]


def _old(items: list[Any], row: dict[str, Any]) -> Any:
    i = _index(row.get("_i"))
    return items[i] if i is not None and 0 <= i < len(items) else None


FORM = Source(origin="agenda", text="edited in the app")


def rows_to_team(rows: list[dict[str, Any]]) -> tuple[list[Person], list[str]]:
    from .roster import role_of

    team: list[Person] = []
    problems: list[str] = []
    for n, row in enumerate(rows, start=1):
        name, email = _text(row.get("name")), _text(row.get("email"))
        if not name and not email:
            continue
        role = role_of(_text(row.get("role")) or "") or "other"
        if email and "@" not in email:
            problems.append(f"Row {n}: '{email}' is not an email address; fix it or leave it empty.")
            email = None
        team.append(Person(name=name, role=role, email=email))
    return team, problems


def apply_rows(
    facts: CallFacts,
    *,
    attendees: list[dict[str, Any]] | None = None,
    actions: list[dict[str, Any]] | None = None,
    intents: list[dict[str, Any]] | None = None,
    open_items: list[dict[str, Any]] | None = None,
) -> tuple[CallFacts, list[str]]:
    """Facts from the edited tables, keeping each unchanged row's sources. Returns the facts and messages
    about rows that could not be used as typed (what was done instead)."""
    from .schemas import REASONS_BY_STATUS

    update: dict[str, Any] = {}
    messages: list[str] = []
    if attendees is not None:
        out_a: list[Attendee] = []
        for row in attendees:
            name, email = _text(row.get("name")), _text(row.get("email"))
            if not name and not email:
                continue
            old = _old(facts.attendees, row)
            role = _text(row.get("role")) or "other"
            if role not in get_args(AttendeeRole):
                role = "other"
            present = row.get("present")
            out_a.append(
                Attendee(
                    name=name,
                    role=role,  # type: ignore[arg-type]
                    email=email,
                    title=old.title if old else None,
                    present=True if _blank(present) else bool(present),
                    sources=old.sources if old else [FORM],
                )
            )
        update["attendees"] = out_a
    if actions is not None:
        out_x: list[ActionItem] = []
        for row in actions:
            action = _text(row.get("action"))
            if not action:
                continue
            old = _old(facts.action_items, row)
            owner, due = _text(row.get("owner")), _date(row.get("due"))
            same_owner = old is not None and owner == old.owner
            same_due = old is not None and due == old.due
            out_x.append(
                ActionItem(
                    owner=owner,
                    owner_role=old.owner_role if same_owner else None,
                    action=action,
                    due=due,
                    due_text=old.due_text if same_due else None,
                    sources=old.sources if old and action == old.action else [FORM, *(old.sources if old else [])],
                )
            )
        update["action_items"] = out_x
    if intents is not None:
        out_i: list[ServiceIntent] = []
        for row in intents:
            workload = _text(row.get("workload"))
            if not workload:
                continue
            old = _old(facts.intents, row)
            status = _text(row.get("status")) or "Status Unknown"
            if status not in REASONS_BY_STATUS:
                messages.append(f"{workload}: '{status}' is not an intent status; set to Status Unknown.")
                status = "Status Unknown"
            reason = _text(row.get("reason"))
            if reason and reason not in REASONS_BY_STATUS[status]:
                messages.append(
                    f"{workload}: '{reason}' is not a reason under '{status}'; the reason was cleared - pick one "
                    f"of: {', '.join(REASONS_BY_STATUS[status]) or '(none)'}."
                )
                reason = None
            note = _text(row.get("note")) or ""
            out_i.append(
                ServiceIntent(
                    workload=workload,
                    status=status,  # type: ignore[arg-type]
                    reason=reason,  # type: ignore[arg-type]
                    note=note,
                    sources=old.sources if old else [FORM],
                )
            )
        update["intents"] = out_i
    if open_items is not None:
        out_o: list[OpenItem] = []
        for row in open_items:
            text = _text(row.get("text"))
            if not text:
                continue
            old = _old(facts.open_items, row)
            out_o.append(
                OpenItem(
                    text=text,
                    agenda_item=old.agenda_item if old and old.text == text else None,
                    owner=_text(row.get("owner")),
                    sources=old.sources if old else [FORM],
                )
            )
        update["open_items"] = out_o
    return facts.model_copy(update=update), messages


# ------------------------------------------------------------------ what the FM should look at


def attention(facts: CallFacts) -> list[str]:
    """Open items, unknown owners and unknown dates: the things a follow-up must not hide."""
    out = [f"Open: {o.text}" + (f" (owner: {o.owner})" if o.owner else "") for o in facts.open_items]
    for a in facts.action_items:
        if not a.owner:
            out.append(f"No owner: {a.action}")
        if not a.due:
            out.append(f"No due date: {a.action}" + (f" ({a.due_text})" if a.due_text else ""))
    out += [f"Intent unknown: {t.workload}" for t in facts.intents if t.status == "Status Unknown"]
    return out


def engine_label(settings: Settings, choice: EngineChoice) -> tuple[str, bool]:
    """What drafts, in words, and whether the choice can run (never the key itself)."""
    resolved = settings.resolved_engine(choice)
    if resolved == "offline":
        why = " (no API key set)" if choice == "auto" and not settings.has_key else ""
        return f"Drafting with the offline templates{why}: rules only, no model, no network.", True
    if not settings.has_key:
        return "The model is chosen but no OPENAI_API_KEY is set: add it to .env, or choose offline.", False
    host = ""
    if settings.openai_base_url:
        host = " at " + re.sub(r"^[a-z]+://", "", settings.openai_base_url).split("/")[0].split("@")[-1]
    return f"Drafting with the model {settings.model}{host}; any part that fails falls back to the templates.", True


def provenance_label(p: Provenance | None) -> str:
    if p is None:
        return "Written by the offline templates."
    if p.engine == "llm":
        text = f"Written by the model {p.model or ''}".rstrip()
        if p.attempts > 1:
            text += f" ({p.attempts} attempts)"
        return text + "."
    if p.fallback_reason:
        return f"Written by the offline templates: the model part fell back ({p.fallback_reason})."
    return "Written by the offline templates."


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=^&])")


def md_escape(text: str) -> str:
    """User or model text made inert for st.markdown-based elements (warnings, captions): every markdown
    character escaped and line breaks flattened, so no link, image or HTML can form."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s*[\r\n]+\s*", " ", text))


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", text or "").strip("-").lower()
    return s[:40] or "engagement"


def filename(customer: str, what: str, ext: str) -> str:
    return f"{slug(customer)}-{what}.{ext}"


# ------------------------------------------------------------------ issue 13: what changed, what is current


def short_label(text: str, limit: int = 30) -> str:
    """`text` in at most `limit` characters, cut at a space with "…" (never mid-word; one word longer than
    the limit is kept whole)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text.split(" ", 1)[0]
    return cut.rstrip(" ,;:-–·") + "…"


SIDEBAR_CHARS = 28  # what one sidebar button shows on one line at Streamlit's default sidebar width


def sidebar_label(customer: str, call_date: date | None, saved: datetime) -> str:
    """A sidebar entry, "Customer · 14 Nov" (the call date, its year when not the year last saved; "saved 30 Nov"
    when the call date is unknown), the customer shortened at a word boundary to fit the sidebar."""
    if call_date is None:
        when = f"saved {saved.day} {saved:%b}"
    else:
        when = f"{call_date.day} {call_date:%b}" + ("" if call_date.year == saved.year else f" {call_date:%Y}")
    # the whole entry fits one sidebar line (~28 characters): the name gets what the date leaves
    budget = max(8, SIDEBAR_CHARS - 3 - len(when))
    name = short_label(customer or "Untitled notes", budget)
    if len(name) > budget + 1:  # one word longer than the line: the only case cut inside a word
        name = name[: budget - 1] + "…"
    return f"{name} · {when}"


def has_words(notes: str) -> bool:
    """Whether the notes hold any letter or digit (notes of only emoji or punctuation cannot be drafted from)."""
    return any(ch.isalnum() for ch in notes)


def changed_lines(before: str | None, after: str | None) -> list[str]:
    """What re-rendering changed, line by line: "- old line" / "+ new line" (difflib order); [] when equal."""
    import difflib

    a, b = (before or "").splitlines(), (after or "").splitlines()
    out = []
    for line in difflib.ndiff(a, b):
        if line[:2] in ("- ", "+ ") and line[2:].strip():
            out.append(line[0] + " " + line[2:].strip())
    return out


def stale_edits(old: DraftBundle, new: DraftBundle, edits: dict[str, str]) -> dict[str, list[str]]:
    """Drafts the FM edited by hand whose freshly rendered text changed with the facts: {draft name: the
    changed lines of the rendered text ("- old", "+ new")}. Their edits stay; the page shows this and
    offers Regenerate."""
    out: dict[str, list[str]] = {}
    for name, parts in PARTS.items():
        if not edited_parts(edits, name):
            continue
        lines: list[str] = []
        for part in parts:
            if part.key in edits:
                lines += changed_lines(get_part(old.drafts, part.key), get_part(new.drafts, part.key))
        if lines:
            out[name] = lines
    return out


def _flag_holds(flag: Flag, e: Engagement, facts: CallFacts) -> bool:
    field = flag.field
    if field == "engagement.customer":
        return not e.customer
    if field == "engagement.motion":
        return e.motion is None
    if field == "engagement.call_date":
        return e.call_date is None or "assumed" in flag.message
    if field.startswith("account_team."):
        role = field.split(".", 1)[1]
        return not any(p.role == role and p.name for p in e.account_team)
    if field == "action_items":  # owner not among the attendees / a date with two readings: while its line has an item
        lines = {n for s in flag.sources for n in s.lines}
        return any(n in lines for a in facts.action_items for s in a.sources for n in s.lines)
    return True


def refresh_flags(bundle: DraftBundle) -> DraftBundle:
    """The bundle's flags as they hold for its current engagement and facts (issue 13: the .md export and the
    page no longer carry a flag the FM's corrections removed): per-action owner/due flags are rebuilt from the
    action items as they are now, setup flags dropped once the setup answers them, the FM/email flags rebuilt
    (pipeline.flag_unknown_fm)."""
    from .extract.engagement import action_flags
    from .pipeline import flag_unknown_fm

    e, facts = bundle.engagement, bundle.facts
    kept = [
        f
        for f in facts.flags
        if not re.match(r"action_items\[\d+\]\.", f.field)
        and f.field not in ("engagement.fm.name", "engagement.emails")
        and _flag_holds(f, e, facts)
    ]
    kept.extend(action_flags(facts.action_items))
    fresh = bundle.model_copy(update={"facts": facts.model_copy(update={"flags": kept})})
    return flag_unknown_fm(fresh)


def current_checks(
    bundle: DraftBundle, edits: dict[str, str], notes: str | None, agenda_answers: dict[str, str] | None
) -> list[Check]:
    """The guardrail findings for the drafts as the FM will send them (their edits applied) against the current
    facts; the bundle's own checks when nothing was edited. Reports only, never repairs the FM's text."""
    if not edits:
        return bundle.checks
    from .guards import check_bundle

    shown = effective_bundle(bundle, edits)
    return check_bundle(shown, notes, agenda_answers, bundle.engagement, trusted_facts=True)
