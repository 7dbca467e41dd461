"""What an experienced FM would have to fix before sending a draft (issue 10), counted per bundle.

Shared by tests/test_drafts_quality.py (which asserts every count is 0 on the corpus and the samples) and
bench/draft_quality.py (which prints the counts and the line counts beside the target drafts'), so a defect
means the same thing in both. Each check reads the rendered text or the recipients, never the engine's
internals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ftdraft.schemas import DraftBundle, Drafts, Email, Recipient

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
TARGETS = CORPUS / "targets"
EXAMPLES = ROOT / "examples"

DEFECTS = (
    "duplicate",
    "echo",
    "answered_open",
    "no_address",
    "unknown_recipient",
    "fm_third_person",
    # the new-user review (/work/notes/review.md, items 4, 9, 11-17)
    "ftop_mention",
    "parked_promise",
    "raw_open",
    "repeat",
    "broken_text",
    "fm_placeholder",
    "field_ask",
)

# A raw note line pasted into a draft: a second bullet after the first, markdown bold, a checkbox, an arrow,
# a shorthand question mark followed by more shorthand ("FRP? nobody sure, check").
_RAW = re.compile(
    r"^\s*[-*•]\s+[^:]{1,60}:\s*[-*•]\s"  # "- FastTrack process: - FT process."
    r"|\*\*|__|[☐☑✓✔]|\[[ xX]\]"
    r"|->|=>"  # "→" is how an FM writes a sequence (the targets do); "->" is the note's typing
    r"|\w\?\s+[a-z]"  # "Partner? none." / "FRP? nobody sure"
)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_LABEL = re.compile(r"^([A-Za-z][A-Za-z /&'-]{2,40}?):\s+(.*)$")
_WORDS = re.compile(r"[a-z0-9]+")
_FM_THIRD = re.compile(
    r"^\s*[-*•]\s+(?:FM|Owner: TBD[^–]*–\s*FM\b)|\bFM (?:to|will|is going to)\b|Owner: TBD.*\b(?:me|I'll)\b"
)


@dataclass
class Report:
    """Defect counts and examples for one bundle."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DEFECTS, 0))
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, defect: str, example: str) -> None:
        self.counts[defect] += 1
        self.examples.setdefault(defect, []).append(example)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def emails(d: Drafts) -> list[tuple[str, Email]]:
    out = [
        ("internal_invite", d.internal_invite.email),
        ("intro_request", d.intro_request.email),
        ("follow_up", d.follow_up),
        ("sync_rhythm", d.sync_rhythm.email),
    ]
    return out + ([("teams_channel", d.teams_channel)] if d.teams_channel else [])


def content_lines(text: str) -> list[str]:
    """The non-blank lines of a draft."""
    return [line for line in text.splitlines() if line.strip()]


def fact_key(line: str) -> str:
    """A line reduced to its words, without its bullet or a leading 'Heading:' label."""
    body = _BULLET.sub("", line.strip())
    if m := _LABEL.match(body):
        body = m.group(2)
    return " ".join(_WORDS.findall(body.lower()))


def _duplicates(name: str, text: str, report: Report) -> None:
    """A fact line said twice in one draft: the same words, or one line's words inside another's."""
    keys: list[str] = []
    for line in content_lines(text):
        key = fact_key(line)
        if len(key) < 25:  # short lines ("Thanks,", "- None raised.") repeat by design
            continue
        if any(key in other or other in key for other in keys):
            report.add("duplicate", f"{name}: {line.strip()}")
        keys.append(key)


def _echoes(name: str, text: str, report: Report) -> None:
    for line in content_lines(text):
        body = _BULLET.sub("", line.strip())
        if _RAW.search(line):
            report.add("echo", f"{name}: {line.strip()}")
            continue
        m = _LABEL.match(body)
        # "Partner: Partner? none." / "In progress: Windows - in progress": the label said again as a label
        if m and len(m.group(1)) >= 4:
            label, rest = m.group(1).lower(), m.group(2).lower()
            said_again = re.search(rf"[-–—] {re.escape(label)}$", rest.rstrip(" ."))
            if rest.startswith(label) or f"{label}?" in rest or said_again:
                report.add("echo", f"{name}: {line.strip()}")


def _section(text: str, heading: str) -> list[str]:
    """The lines under a heading line (exact match), up to the next blank line."""
    lines = text.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.strip().rstrip(":") == heading:
            for item in lines[i + 1 :]:
                if not item.strip():
                    break
                out.append(item)
            break
    return out


def answered_keys(bundle: DraftBundle) -> set[str]:
    """Agenda items the facts answer: a fact on the item's topic, or an answered agenda entry."""
    facts = bundle.facts
    by_topic = {
        "a": facts.fasttrack_process,
        "c": facts.intents,
        "d": facts.environment,
        "e": facts.licenses,
        "f": facts.compete,
        "g": facts.migration_source,
        "h": facts.partner,
        "i": facts.additional_tenants,
        "k": facts.political_changes,
        "l": facts.timeline,
        "m": facts.asks,
    }
    keys = {k for k, items in by_topic.items() if items}
    keys |= {a.item for a in facts.agenda if a.answered}
    if facts.sync_rhythm is not None:
        keys.add("n")
    if bundle.engagement.customer_contacts:
        keys.add("j")
    return keys


def _answered_open_items(bundle: DraftBundle, report: Report) -> None:
    answered = answered_keys(bundle)
    open_lines = " ".join(_section(bundle.drafts.follow_up.body, "Open items")).lower()
    for item in bundle.facts.open_items:
        if item.agenda_item and item.agenda_item in answered:
            words = " ".join(_WORDS.findall(item.text.lower())[:6])
            if words and words in " ".join(_WORDS.findall(open_lines)):
                report.add("answered_open", f"[{item.agenda_item}] {item.text}")


def _recipients(d: Drafts, report: Report) -> None:
    def check(where: str, people: list[Recipient]) -> None:
        for r in people:
            label = r.name or (f"{r.role} - name unknown" if r.role else "unknown")
            if not r.name or "unknown" in (r.name or "").lower():
                report.add("unknown_recipient", f"{where}: {label}")
            elif not r.email:
                report.add("no_address", f"{where}: {label}")

    for name, email in emails(d):
        check(f"{name} to", email.to)
        check(f"{name} cc", email.cc)
    invites = [("internal_invite", d.internal_invite.invite)]
    if d.sync_rhythm.invite:
        invites.append(("sync_rhythm", d.sync_rhythm.invite))
    for name, invite in invites:
        check(f"{name} invite required", invite.required)
        check(f"{name} invite optional", invite.optional)


def _fm_first_person(bundle: DraftBundle, report: Report) -> None:
    fm = bundle.engagement.fm.name if bundle.engagement.fm and bundle.engagement.fm.name else None
    for name, email in emails(bundle.drafts):
        for line in content_lines(email.body):
            if _FM_THIRD.search(line) or (fm and line.strip().startswith(f"- {fm} –")):
                report.add("fm_third_person", f"{name}: {line.strip()}")


# Review item 9: the field has no FTOP access, and FTOP data is never passed on (domain.md, "Privacy").
_FTOP = re.compile(r"\bFTOP\b")
# Review item 4: an ask the notes park or rule out of FastTrack's scope.
_PARKED = re.compile(
    r"\b(?:out of|outside(?: of)?|not in|not)\s+(?:the\s+)?(?:fasttrack|ft)?(?:'s)?\s*scope\b|\bparked\b|\bnot now\b"
    r"|\bnot (?:a )?fasttrack\b",
    re.IGNORECASE,
)
# Review item 12: the FM's own to-dos ("Walk the account team through…", "Ask for background…") and raw chat
# lines ("Sync? Who can answer this?", "I'm the FM. roll call?") are no open items for the field.
_FM_TODO = re.compile(r"^\s*-\s*(?:Walk the account team|Ask (?:for|what|whether|if|who|how|about)\b)")
_CHAT = re.compile(r"\bI'?m the FM\b|\broll ?call\b", re.IGNORECASE)
_WHO_ANSWERS = re.compile(r"\s*(?:Who can answer this\?|Answer from: .*|I'll find out\.)\s*$")
# Review item 11: open items the notes answer (compete "none known" or named; migration source named).
_COMPETE_NOTED = re.compile(r"\b(?:compete|competition|competitors?)\b\s*(?:[:=–—-]|beyond|in play)", re.IGNORECASE)
_SOURCE_NOTED = re.compile(
    r"\bmigration source\s*[:=–—-]|\b(?:on|off|from)\s+(?:zimbra|gmail|google workspace|lotus notes|"
    r"exchange 20\d\d|sp ?20\d\d|sharepoint 20\d\d|groupwise|box|dropbox)\b",
    re.IGNORECASE,
)
# Review items 14/15: labels stacked ("Licensing: Political: …"), a stray "?", an arrow typed as " - " between two
# products, a sentence cut inside its bracket ("Zoom for telehealth (clinical."), "I'll FTOP note", "I'll Send".
_HEADING_LABEL = (
    r"(?:Political(?: changes)?|Politics|Timeline|Licen[cs]ing|Licen[cs]es|Compete|Competing products|Partner|"
    r"Environment|(?:Additional |Other )?tenants|Migration(?: source)?|Asks|Risks|Org chart|Field sync|Sync)"
)
# "Open item: Licenses: e3? E5?" is the FTOP entry's own prefix before the item's topic, not a stacked label
_STACKED = re.compile(rf"^\s*-?\s*(?!Open item:)[A-Z][\w ,/&'-]{{1,40}}: {_HEADING_LABEL}\s*(?::|[–-] )", re.IGNORECASE)
_BROKEN = re.compile(
    r"\s\?(?:\s|$)|\bI'll FTOP\b|\bI'll (?:Send|Set|Share|Follow|Check|Ask|Book|Review|Schedule|Add|Confirm|Draft)\b"
)
# "Political changes: Politics – …", "Partner: Partenaire – …": the note's label said again under the heading
_LABELS_ECHO = re.compile(r"^\s*-?\s*([A-Z][a-z]{3})[\w ]*: \1\w*\s*[–-] ", re.IGNORECASE)
_FIELD_ROLES = {"ATS", "TAM", "AE", "CSM", "TSP", "SSP", "ADE", "FTA"}
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "is",
        "are",
        "was",
        "were",
        "be",
        "it",
        "its",
        "this",
        "that",
        "they",
        "their",
        "them",
        "we",
        "our",
        "us",
        "i",
        "me",
        "my",
        "you",
        "your",
        "as",
        "or",
        "not",
        "no",
        "from",
        "about",
        "into",
        "per",
        "so",
        "but",
        "if",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "now",
        "for",
    ]
)


def _unbalanced(line: str) -> bool:
    """A line that opens a bracket it never closes: "Zoom for telehealth (clinical."."""
    return line.count("(") > line.count(")")


def source_texts(bundle: DraftBundle) -> list[str]:
    """Every note line the facts cite (what the notes say, as the bundle carries it)."""
    f = bundle.facts
    groups: list[list] = [
        f.action_items, f.open_items, f.asks, f.intents, f.fasttrack_process, f.environment, f.licenses,
        f.compete, f.migration_source, f.partner, f.additional_tenants, f.political_changes, f.timeline, f.risks,
    ]  # fmt: skip
    out: list[str] = []
    for group in groups:
        for item in group:
            out += [s.text for s in getattr(item, "sources", []) if s.text]
    return out


def _ftop_mentions(d: Drafts, report: Report) -> None:
    for name, email in emails(d):
        for line in content_lines(email.body):
            if _FTOP.search(line):
                report.add("ftop_mention", f"{name}: {line.strip()}")


def _parked_promises(bundle: DraftBundle, report: Report) -> None:
    parked = [
        set(_WORDS.findall(a.text.lower())) - _STOP
        for a in bundle.facts.asks
        if _PARKED.search(" ".join([a.text, *(s.text for s in a.sources)]))
    ]
    for line in content_lines(bundle.drafts.follow_up.body):
        if "will follow up" not in line:
            continue
        words = set(_WORDS.findall(line.split(":")[0].lower())) - _STOP
        if any(words and len(words & p) >= 0.6 * min(len(words), len(p)) for p in parked if p):
            report.add("parked_promise", line.strip())


def _raw_open_items(bundle: DraftBundle, report: Report) -> None:
    for line in _section(bundle.drafts.follow_up.body, "Open items"):
        asked = _WHO_ANSWERS.sub("", _BULLET.sub("", line.strip()))
        words = [w for w in _WORDS.findall(asked.lower()) if w not in _STOP]
        if _FM_TODO.match(line) or _CHAT.search(line) or (asked.endswith("?") and len(words) < 2):
            report.add("raw_open", line.strip())


def _answered_in_notes(bundle: DraftBundle, report: Report) -> None:
    lines = source_texts(bundle)
    compete = any(_COMPETE_NOTED.search(t) for t in lines)
    source = any(_SOURCE_NOTED.search(t) for t in lines)
    for line in _section(bundle.drafts.follow_up.body, "Open items"):
        low = line.lower()
        if (compete and "competing" in low and "products" in low) or (source and "migration source" in low):
            report.add("answered_open", f"notes answer it: {line.strip()}")


def _content_words(line: str) -> set[str]:
    return {w for w in _WORDS.findall(fact_key(line)) if w not in _STOP and len(w) > 2}


def _repeats(name: str, text: str, report: Report) -> None:
    """One fact said twice in one draft in other words: a line whose content words (3 or more) all sit in
    another line of the draft ("Competing products: Defender: using crowdstrike" after "Defender: … Using
    crowdstrike, happy with it")."""
    seen: list[set[str]] = []
    for line in content_lines(text):
        if not _BULLET.match(line):  # a fact is a bullet line; the greeting, sign-off and flags are not
            continue
        words = _content_words(line)
        if len(words) >= 3 and any(words <= other or (len(other) >= 3 and other <= words) for other in seen):
            report.add("repeat", f"{name}: {line.strip()}")
        if len(words) >= 3:
            seen.append(words)


def _said_twice(bundle: DraftBundle, report: Report) -> None:
    """The follow-up's known repeats (review item 13): a role asked in the opening and again as an open item; the
    teammate's "add me to the sync" as a next step and in the sync line; a summary topic line whose words (past its
    two labels) sit in a workload's line ("Competing products: Defender: using crowdstrike")."""
    body = bundle.drafts.follow_up.body
    for role in re.findall(r"^Who is the ([A-Z]{2,4}) for ", body, re.MULTILINE):
        if any(re.match(rf"- (?:Confirm|Ask|Find out) who the {role} is\b", x) for x in _section(body, "Open items")):
            report.add("repeat", f"follow_up: who the {role} is, asked twice")
    sync = " ".join(_section(body, "Field team sync"))
    for step in _section(body, "Next steps"):
        if re.search(r"\badd me\b.*\b(?:sync|call|meeting)\b", step, re.IGNORECASE) and "add me" in sync:
            report.add("repeat", f"follow_up: {step.strip()}")
    summary = _section(body, "Summary")
    for line in summary:
        words = {
            w for w in _WORDS.findall(re.sub(r"^-\s*(?:[\w /&'-]{1,40}:\s*){1,2}", "", line).lower()) if len(w) > 3
        }
        if len(words) >= 2 and any(words <= set(_WORDS.findall(o.lower())) for o in summary if o != line):
            report.add("repeat", f"follow_up: {line.strip()}")


def _broken_text(name: str, text: str, report: Report) -> None:
    for line in content_lines(text):
        if _STACKED.search(line) or _BROKEN.search(line) or _LABELS_ECHO.search(line) or _unbalanced(line):
            report.add("broken_text", f"{name}: {line.strip()}")


def _lost_arrows(bundle: DraftBundle, report: Report) -> None:
    """The note's "a -> b" written "a - b" in a draft (review item 15: "Drive - OneDrive")."""
    pairs = {
        (a.lower(), b.lower()) for t in source_texts(bundle) for a, b in re.findall(r"(\w+)\s*(?:->|=>)\s*(\w+)", t)
    }
    d = bundle.drafts
    for name, text in [("follow_up", d.follow_up.body), ("ftop", d.ftop.text)]:
        for line in content_lines(text):
            low = line.lower()
            if any(f"{a} - {b}" in low for a, b in pairs):
                report.add("broken_text", f"{name}: {line.strip()}")


def _fm_placeholder(bundle: DraftBundle, report: Report) -> None:
    """The notes name the FM ("Bianca Lowenthal, FM"), yet an email signs "[your name]"."""
    named = any(a.role == "FM" and a.name and a.name.strip() for a in bundle.facts.attendees)
    if not named:
        return
    for name, email in emails(bundle.drafts):
        if "[your name]" in email.body:
            report.add("fm_placeholder", name)


def _field_asks(bundle: DraftBundle, report: Report) -> None:
    """An ask a field member raised ("Yuki asked for…", Yuki the CSM) filed under "Customer asks"."""
    people = [*bundle.engagement.account_team, *bundle.facts.attendees]
    if bundle.engagement.fta:
        people.append(bundle.engagement.fta)
    firsts = {p.name.split()[0].lower() for p in people if p.name and p.name.split() and p.role in _FIELD_ROLES}
    for line in _section(bundle.drafts.follow_up.body, "Customer asks"):
        words = _WORDS.findall(line.lower())
        if words and words[0] in firsts:
            report.add("field_ask", line.strip())


def check_bundle(bundle: DraftBundle) -> Report:
    """Every defect in one bundle's drafts (see DEFECTS)."""
    report = Report()
    d = bundle.drafts
    texts = [("follow_up", d.follow_up.body), ("ftop", d.ftop.text), ("intro_request", d.intro_request.email.body)]
    texts.append(("sync_rhythm", d.sync_rhythm.email.body))
    for name, text in texts:
        _duplicates(name, text, report)
        _echoes(name, text, report)
        _broken_text(name, text, report)
    _answered_open_items(bundle, report)
    _recipients(d, report)
    _fm_first_person(bundle, report)
    _ftop_mentions(d, report)
    _parked_promises(bundle, report)
    _raw_open_items(bundle, report)
    _answered_in_notes(bundle, report)
    for name, email in emails(d):
        _repeats(name, email.body, report)
    _said_twice(bundle, report)
    _lost_arrows(bundle, report)
    _fm_placeholder(bundle, report)
    _field_asks(bundle, report)
    return report


def corpus_notes() -> list[Path]:
    """The outside corpus's notes and the samples."""
    notes = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")
    return notes + sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md"))


def target_section(name: str, number: int) -> list[str]:
    """The non-blank lines of section `number` of a target draft, without its To/Cc/Subject header lines."""
    text = (TARGETS / f"{name}.md").read_text(encoding="utf-8")
    parts = re.split(r"^## \d\. .*$", text, flags=re.MULTILINE)
    body = parts[number].split("\n---")[0]
    return [
        line
        for line in content_lines(body)
        if not re.match(r"\*\*(To|Cc|Subject):\*\*", line.strip()) and not line.startswith("The FM has")
    ]


def repeated_notes(sample: Path, words: int) -> str:
    """A sample repeated until it holds about `words` words: a running notes file (issue 10's long case)."""
    text = sample.read_text(encoding="utf-8")
    per = max(1, len(text.split()))
    return "\n\n".join([text] * (words // per + 1))
