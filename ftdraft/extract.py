"""Extracts CallFacts from raw call notes with rules: the offline engine's reading of the notes.

Every fact keeps the note lines it came from. Nothing is invented: an owner, date, number or name that the
notes do not give stays None and is flagged, and unanswered agenda items become open items that say what to ask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from . import lexicon as lx
from .agenda import AGENDA_BY_KEY, agenda_for
from .dates import find_absolute_date, find_due_date, states_year
from .schemas import (
    ActionItem,
    AgendaAnswer,
    Ask,
    Attendee,
    CallFacts,
    CompeteProduct,
    Engagement,
    Fact,
    Flag,
    OpenItem,
    Person,
    ServiceIntent,
    Source,
    SyncRhythm,
)

FIELD_ROLES = {"ATS", "TAM", "AE", "CSM", "TSP", "SSP", "ADE"}
_ROLE_CODES = r"ATS|TAM|AE|CSM|TSP|SSP|ADE|FTA|FM"
_WORD = rf"(?!(?:{_ROLE_CODES}|RFA|IT)\b)[A-Z][a-zA-Z'’\-]+"
_NAME = rf"{_WORD}(?: {_WORD}){{0,2}}"
_BULLET_RE = re.compile(r"^\s*(?:[-*•·>+]|\d{1,2}[.)]|[a-z][.)](?=\s))\s*")
# After "?" a parenthesis continues the thought: "licenses: ?? (E3 or E5, check)" is one sentence.
_SPLIT_AT_RE = re.compile(r"(?:(?<=[.;])\s+(?=[A-Za-z(\"'])|(?<=[!?])\s+(?=[A-Z]))")
_PARENS_RE = re.compile(r"\([^()]*\)")


class _SentenceSplitter:
    """Splits on sentence ends outside parentheses ("(S500 list? check)" stays whole)."""

    @staticmethod
    def split(text: str) -> list[str]:
        if "(" not in text:
            return _SPLIT_AT_RE.split(text)
        masked = _PARENS_RE.sub(lambda m: "(" + "x" * (len(m.group(0)) - 2) + ")", text)
        out, start = [], 0
        for m in _SPLIT_AT_RE.finditer(masked):
            out.append(text[start : m.start()])
            start = m.end()
        out.append(text[start:])
        return out


_SENTENCE_SPLIT_RE = _SentenceSplitter()
_HEADING_RE = re.compile(
    r"^(?:#+\s*)?(actions?(?: items)?|ais|next steps?|follow[- ]?ups?|to-?dos?|owners?)\s*:?\s*$", re.IGNORECASE
)
_LABEL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9 /&+'’.\-]{0,40}?)\s*(?::|=|->)\s*(.*)$")
_ATTENDEE_LABEL_RE = re.compile(
    r"^(attendees|present|participants|on the call|people|who|at|account team|absent|apologies|regrets|not present)$",
    re.IGNORECASE,
)
_ABSENT_LABEL_RE = re.compile(r"^(absent|apologies|regrets|not present|missing|out)$", re.IGNORECASE)
# Words that stand where a name should be but say the name is unknown: never a name.
_UNKNOWN_NAME_RE = re.compile(r"^(?:\?+|tbd|tbc|unknown|n/?a|none|nobody|no one|not sure|unclear)$", re.IGNORECASE)
_NOT_LOWER_NAMES = {
    "out",
    "absent",
    "oof",
    "ooo",
    "not",
    "new",
    "the",
    "a",
    "an",
    "on",
    "off",
    "tbd",
    "tbc",
    "unknown",
    "none",
    "aligned",
    "missing",
    "there",
    "here",
    "also",
    "still",
    "away",
    "leaving",
    "changing",
    "ok",
    "fine",
    "late",
    "joining",
    "covering",
    "busy",
    "sick",
    "vacant",
    "open",
    "pending",
    "same",
    "who",
    "from",
    "in",
    "at",
    "to",
}

# People written with their role: "Priya Raman (ATS)", "ATS Marcus Lee", "ats = Lena Fischer", "Marcus Lee, ATS".
_ANY_ROLE = rf"(?i:{_ROLE_CODES})"  # role codes in any case; names stay capitalised
NAME_PAREN_ROLE_RE = re.compile(rf"\b({_NAME}|(?i:me))\s*\(\s*({_ANY_ROLE})\s*\)")
ROLE_EQ_NAME_RE = re.compile(rf"\b({_ANY_ROLE})\s*(?:=|:|\bis\b|\s[-–]\s)\s*(\?+|{_NAME})")
# All-lowercase notes ("ats is priya nair"): a lowercase name is read only in this explicit role form.
ROLE_EQ_LOWER_NAME_RE = re.compile(
    rf"\b({_ANY_ROLE})\s*(?:=|:|\bis\b|\s[-–]\s)\s*([a-z][a-z'’\-]+(?: [a-z][a-z'’\-]+)?)\b"
)
# Prose: "Hannah Schmidt, the ATS", "Chloe Martin joined as the CSM", "Victor Alvarez (the TAM)".
NAME_THE_ROLE_RE = re.compile(
    rf"\b({_NAME})\s*(?:,\s*|\(\s*|\s+(?:joined |is |was |attended )?as\s+)(?:the|our|their)\s+({_ROLE_CODES})\b"
)
ROLE_NAME_RE = re.compile(rf"\b({_ROLE_CODES}) ({_NAME})")
ROLE_OUT_RE = re.compile(
    rf"\b({_ANY_ROLE})\s+(?:is\s+)?(?i:out|absent|oof|ooo|not present|missing)\b[^(]*\(\s*({_NAME})"
)
# "Marcus Lee, ATS" but not "Priti Shah, TSP Marco Bianchi" (there the role belongs to the next name).
NAME_COMMA_ROLE_RE = re.compile(rf"\b({_NAME})\s*[,\-–]\s*({_ROLE_CODES})\b(?!\s+[A-Z][a-z])")
EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
ABSENT_RE = re.compile(
    r"\b(out|absent|oof|ooo|not present|couldn'?t make it|could not make it|will catch up|catch up async"
    r"|sent (?:her |his |their )?(?:apologies|regrets)|couldn'?t join|could not join|was not there|wasn'?t there)\b",
    re.I,
)
# Prose: "the CSM, Beatriz Costa, sent apologies", "our TAM Omar".
THE_ROLE_NAME_RE = re.compile(rf"\b(?:the|our|their) ({_ROLE_CODES}),?\s+({_NAME})")

# Customer people: "new CIO (Dana Whitfield)", "IT infra lead (Ken Adams)", "IT director Mark Olsen".
_TITLE = (
    r"(?:new |the |their )?((?:IT |it )?(?:infra(?:structure)? |security |messaging |collab(?:oration)? )?"
    r"(?:CIO|CTO|CISO|CFO|CEO|director|lead|manager|admin|architect|head of IT|VP(?: of IT)?|owner))"
)
TITLE_PAREN_NAME_RE = re.compile(rf"{_TITLE}\s*\(\s*({_NAME})\s*[),]")
TITLE_NAME_RE = re.compile(rf"{_TITLE} ({_NAME})")

# Action clauses: "Priya to send ...", "Tom will route ...", "me: send ...", "ask Marcus to intro us ...".
_ACTION_VERB = r"(?:to|will|'ll|’ll|shall|agreed to|needs? to|is going to|owns)"
_ACTION_CLAUSE = r"([^.;()]+(?:\([^)]*\)[^.;()]*)*)"
ACTION_RE = re.compile(
    rf"(?:^|[(,;.]\s*|\s)({_NAME}|[Mm]e|I)(?:\s*\((?:{_ROLE_CODES})\))?(?:\s+{_ACTION_VERB}|['’]ll)\s+{_ACTION_CLAUSE}"
)
ASK_TO_RE = re.compile(rf"\bask ({_NAME}) to ([^.;]+)", re.IGNORECASE)
ME_COLON_RE = re.compile(r"^(me|i|fm)\s*:\s*(.+)$", re.IGNORECASE)
TODO_RE = re.compile(r"^(?:todo|to-do|ai|action|next|next steps?)\s*[:\-]?\s+(.+)$", re.IGNORECASE)
SCOPE_RE = re.compile(
    r"\b(?:rfa (?:was |is )?(?:for|asks? for|covers?|is about)|red(?: usage)?(?: areas?)?\s*[:=]"
    r"|usage red areas?\s*[:=]?|in scope\s*[:=]"
    r"|(?:rfa )?scope\s*[:=]|workloads?(?: in scope)?\s*[:=]|rfa\s*[:=])\s*"
    r"([^.]+)",
    re.IGNORECASE,
)
# Prose names the red areas before saying so: "the usage report shows Exchange Online and Teams as red areas".
SCOPE_BEFORE_RE = re.compile(r"\s(?:as|are|were)\s+(?:the\s+)?red(?:\s+(?:usage\s+)?areas?)?\b", re.I)
RFA_ID_RE = re.compile(r"\bRFA\s*(?:#|no\.?|number|id)?\s*:?\s*(\d{3,})", re.IGNORECASE)

_NOT_NAMES = {
    "Teams",
    "Exchange",
    "Intune",
    "Defender",
    "Windows",
    "Office",
    "Microsoft",
    "SharePoint",
    "OneDrive",
    "Copilot",
    "Licenses",
    "Intent",
    "Partner",
    "Compete",
    "Risks",
    "Timeline",
    "Asks",
    "Political",
    "Migration",
    "Actions",
    "The",
    "They",
    "This",
    "That",
    "Not",
    "No",
    "Yes",
    "RFA",
    "Health",
    "FastTrack",
    "Thursday",
    "Tuesday",
    "Monday",
    "Wednesday",
    "Friday",
    "Next",
    "Customer",
    "Account",
    "Drive",
    "Google",
    "Zoom",
    "Slack",
    "Box",
    "Need",
    "Want",
    "Attendees",
    "Present",
    "Sync",
    "Call",
    "Notes",
    "Plan",
    "IT",
    "Also",
    "And",
    "But",
    "Will",
    "Check",
    "Confirm",
}
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"(?i:\bw/o\b)", "without"),
    (r"(?i:\bw/(?=\s|$))", "with"),
    (r"(?i:\bw/(?=\w))", "with "),
    (r"(?i:\bb/c\b)", "because"),
    (r"\bbc\b", "because"),
    (r"\br\b(?= in| the| on| using| happy| not| ok)", "are"),
    (r"\bu\b(?= [a-z])", "you"),
    (r"(?i:\bppl\b)", "people"),
    (r"(?i:\bcust\.?(?=\s|$))", "customer"),
    (r"(?i:\bdidnt\b)", "didn't"),
    (r"(?i:\bdont\b)", "don't"),
    (r"\bmgr\b", "manager"),
    (r"\bmktg\b", "marketing"),
    (r"\bmig\b", "migration"),
    (r"\btmrw\b", "tomorrow"),
    (r"\bwks\b", "weeks"),
    (r"\s*->\s*", " - "),
)
# One pass over the text for all of them: tidy runs on every fact, and a dozen subs each was a hot spot.
_ABBREVIATION_RE = re.compile("|".join(f"(?P<a{i}>{pattern})" for i, (pattern, _) in enumerate(_ABBREVIATIONS)))
_EXPANSIONS = {f"a{i}": expansion for i, (_, expansion) in enumerate(_ABBREVIATIONS)}
_SPACES_RE = re.compile(r"\s+")


@dataclass
class Line:
    no: int
    raw: str
    text: str  # bullet stripped, whitespace folded
    label: str | None = None  # "licenses" in "licenses: M365 E3"
    body: str = ""  # the text after the label (or the whole text)
    in_actions: bool = False  # under an "Actions"/"Next steps" heading
    topics: set[str] = field(default_factory=set)
    uncertain: bool = False
    header: bool = False
    _snippet: str | None = field(default=None, repr=False, compare=False)
    _emails: list[str] | None = field(default=None, repr=False, compare=False)

    def emails(self) -> list[str]:
        """The line's email addresses, found once: every person on a long line asks for them."""
        if self._emails is None:
            self._emails = EMAIL_RE.findall(self.text) if "@" in self.text else []
        return self._emails

    def source(self, text: str | None = None) -> Source:
        if text is None:
            if self._snippet is None:  # computed once: a 100,000-character line gives many facts
                self._snippet = self.raw[:2000].strip()[:500]
            text = self._snippet
        return Source(origin="notes", lines=[self.no], text=text[:500])


@lru_cache(maxsize=8192)  # the same line text is tidied for several facts (topic, agenda answer, source)
def tidy(text: str) -> str:
    """Expands note-taking shorthand so drafts read as prose; never changes names, numbers or dates."""
    text = _ABBREVIATION_RE.sub(lambda m: _EXPANSIONS[m.lastgroup or ""], text)
    return _SPACES_RE.sub(" ", text).strip(" -–,;")


@lru_cache(maxsize=8192)
def _sentence(text: str) -> str:
    text = tidy(text)
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?)" else text + "."


# Pasted Outlook threads: header lines carry no call content, and an older quoted message is not this call.
_EMAIL_HEADER_RE = re.compile(r"^(?:from|sent|to|cc|bcc|subject|date|importance)\s*:", re.IGNORECASE)
_QUOTED_START_RE = re.compile(r"^-{2,}\s*(?:original message|forwarded message)|^on .{5,80} wrote:\s*$", re.I)
# A pasted mail ends where the FM's own notes resume: these lines are never part of a mail body.
_NOTE_STYLE_RE = re.compile(
    r"^(?:todo|to-?do|ai|action items?|next steps?)\s*[:\-]|^(?:me|fm)\s*:"
    r"|^(?:ats|tam|ae|csm|tsp|ssp|ade|fta)\s*(?:=|:|->)",
    re.IGNORECASE,
)
_NOTE_BULLET_RE = re.compile(r"^\s*(?:[-*•·+]|\d{1,2}[.)])\s+\S")  # not ">": that is a quoted mail line
_SIGN_OFF_RE = re.compile(
    r"^(?:thanks|thank you|many thanks|thx|cheers|best|best regards|kind regards|regards|br|sincerely)\b[\s,!.]*"
    r"(?P<name>[A-Z][\w'’\-]*)?\s*$",
    re.IGNORECASE,
)
_TITLE_WORDS_RE = re.compile(r"\b(?:sync|call|meeting|notes)\b", re.IGNORECASE)
_TABLE_RULE_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _cells(raw: str) -> list[str] | None:
    """The cells of a pasted table row (Markdown pipes or OneNote/Excel tabs), or None for an ordinary line."""
    stripped = raw.strip()
    if stripped.count("|") >= 2 and (stripped.startswith("|") or stripped.count("|") >= 3):
        cells = [c.strip() for c in stripped.strip("|").split("|")]
    elif raw.count("\t") >= 1 and len([c for c in raw.split("\t") if c.strip()]) >= 2:
        cells = [c.strip() for c in raw.split("\t")]
    else:
        return None
    return cells if len(cells) >= 2 else None


_TABLE_COLUMNS: dict[str, re.Pattern[str]] = {
    "name": re.compile(r"^(?:name|who|person|attendee|participant)s?$", re.I),
    "role": re.compile(r"^(?:role|title|position)s?$", re.I),
    "present": re.compile(r"^(?:attended|present|joined|attendance|on (?:the )?call)\??$", re.I),
    "workload": re.compile(r"^(?:workloads?|service|area|red areas?)$", re.I),
    "status": re.compile(r"^(?:status|intent|state)$", re.I),
    "notes": re.compile(r"^(?:notes?|comments?|details?|reason|why)$", re.I),
    "owner": re.compile(r"^(?:owner|who|assigned to|responsible)$", re.I),
    "action": re.compile(r"^(?:action(?: item)?s?|task|next step|what|to-?do)$", re.I),
    "due": re.compile(r"^(?:due(?: date)?|when|by|date|deadline)$", re.I),
}
_NO_RE = re.compile(r"^(?:no|n|absent|out|oof|ooo|declined|x|-)$", re.I)


def _table_row_text(header: list[str], cells: list[str]) -> tuple[str, bool]:
    """A table row rewritten as the note line an FM would have typed, and whether it is an action item.

    Only the cells' own words are used, so every fact stays traceable to the row."""
    cols: dict[str, str] = {}
    for title, cell in zip(header, cells, strict=False):
        kind = next((k for k, rx in _TABLE_COLUMNS.items() if rx.match(title.strip())), None)
        if kind and kind not in cols:
            cols[kind] = cell
    if cols.get("action") and (cols.get("owner") or cols.get("name")):
        owner = cols.get("owner") or cols.get("name", "")
        due = cols.get("due", "").strip()
        due_part = f" by {due}" if due and not re.match(r"^(?:by|on|due)\b", due, re.I) else f" {due}" if due else ""
        return f"{owner} to {cols['action']}{due_part}".strip(), True
    if cols.get("action"):
        return cols["action"], True
    if cols.get("name") and cols.get("role"):
        absent = " - absent" if _NO_RE.match(cols.get("present", "").strip()) else ""
        return f"Attendees: {cols['name']} ({cols['role']}){absent}", False
    if cols.get("workload"):
        rest = ", ".join(c for c in (cols.get("status", ""), cols.get("notes", "")) if c)
        return f"{cols['workload']}: {rest}", False
    pairs = [f"{h}: {c}" for h, c in zip(header, cells, strict=False) if c]
    return "; ".join(pairs), False


def split_lines(notes: str) -> list[Line]:
    lines: list[Line] = []
    in_actions = False
    section_indent = -1  # the indent of a bulleted "- Actions:" heading: its items sit deeper
    section_bullets = False  # the section's items so far are bullets: a plain line after them ends it
    table_header: list[str] | None = None
    raws = notes.splitlines()
    mail = _MailBlock()
    has_notes = False  # a note line other than the title or mail headers was read
    for no, raw in enumerate(raws, start=1):
        stripped = raw.strip()
        if mail.skips(raw, stripped, starts=has_notes and _starts_pasted_mail(stripped, raws, no)):
            continue  # a pasted or quoted mail is not this call; the notes after it still are
        cells = _cells(raw)
        if cells is None:
            table_header = None
        elif _TABLE_RULE_RE.match(stripped):
            continue
        elif table_header is None:
            table_header = cells
            in_actions = False
            continue
        if not stripped:
            continue
        is_action_row = False
        if cells is not None and table_header is not None:
            text, is_action_row = _table_row_text(table_header, cells)
            text = re.sub(r"\s+", " ", text).strip()
        else:
            text = re.sub(r"\s+", " ", _BULLET_RE.sub("", raw, count=1)).strip()
        if not text:
            continue
        if _EMAIL_HEADER_RE.match(text) and (not lines or _looks_like_mail_header(text)):
            if re.match(r"(?:sent|date|subject)\s*:", text, re.I):
                # the mail's date and subject name the call and the customer; they answer no agenda item
                lines.append(Line(no=no, raw=raw, text=text, body=text, header=True))
            continue
        indent = len(raw) - len(raw.lstrip())
        bullet = bool(_BULLET_RE.match(raw)) and cells is None
        if in_actions and not is_action_row:
            if section_indent >= 0:
                in_actions = bullet and indent > section_indent
            elif bullet:
                section_bullets = True
            elif section_bullets:
                in_actions = False
        heading_text = text.lstrip("#").strip()
        if _HEADING_RE.match(heading_text):
            in_actions, section_bullets = True, False
            section_indent = indent if bullet else -1
            continue
        if stripped.startswith("#") and lines:
            in_actions = False
            continue
        if stripped.startswith("#"):
            text = heading_text  # a Markdown title is still the title line (customer, date)
        elif text.endswith(":") and len(text) < 40:
            in_actions = False
            continue
        line = Line(no=no, raw=raw, text=text, in_actions=in_actions or is_action_row)
        m = _LABEL_RE.match(text)
        if m and len(m.group(1).split()) <= 4 and not EMAIL_RE.search(m.group(1)):
            line.label, line.body = m.group(1).strip().lower(), m.group(2).strip()
        else:
            line.body = text
        lowered = text.lower()
        line.uncertain = lx.UNCERTAIN_RE.found(lowered)
        if not lines and not bullet and not line.label and len(text) < 120:
            line.header = True  # the title line names the meeting; its words ("sync") are not answers
        elif line.label and _workloads_in(line.label):
            line.topics = {"c"}  # "Teams: ..." is an intent statement, whatever else its words touch
        else:
            sentences = _SENTENCE_SPLIT_RE.split(lowered)
            spoken = [t for t in sentences if not _not_discussed_text(t)]
            # one search of the whole line when every sentence counts: half the work of searching each sentence
            texts = [lowered] if len(spoken) == len(sentences) else spoken
            line.topics = set().union(*(lx.TOPICS.keys_in(t) for t in texts))
            if line.label and spoken:
                line.topics |= _label_topics(line.label)
            if re.match(r"todo\b", lowered):
                line.topics = set()  # the FM's own to-do is an action, not an answer
        lines.append(line)
        has_notes = has_notes or not line.header
    return lines


class _MailBlock:
    """Tracks a pasted or quoted mail inside the notes, line by line.

    A mail starts at a quote marker ("-----Original Message-----", "On ... wrote:") or at a "From:" header block
    below the FM's notes, and ends where the FM's notes resume: a Markdown or "Next steps" heading, a note-style
    line ("me: ...", "ATS = ...", "TODO: ..."), or, after a blank line, a bullet, a label line or a title line;
    after the mail's sign-off and a blank line, any line. Nothing after a mail is ever dropped for being after it.
    """

    def __init__(self) -> None:
        self.inside = False
        self.after_blank = False
        self.signed_off = False
        self.ended = False  # signed with a name ("Regards, Mark"): the next line is past the mail

    def skips(self, raw: str, stripped: str, starts: bool) -> bool:
        """Whether this line belongs to a mail (and so is skipped); `starts` says a header block begins here."""
        if _QUOTED_START_RE.match(stripped) or starts:
            self.inside, self.after_blank, self.signed_off, self.ended = True, False, False, False
            return True
        if not self.inside:
            return False
        if not stripped:
            self.after_blank = True
            return True
        if _resumes_notes(raw, stripped, self.after_blank or self.ended, self.signed_off or self.ended):
            self.inside = False
            return False
        if _EMAIL_HEADER_RE.match(stripped):
            self.signed_off = self.ended = False  # an older message in the thread: its own sign-off comes later
        elif m := _SIGN_OFF_RE.match(stripped):
            self.signed_off, self.ended = True, bool(m.group("name"))
        self.after_blank = False
        return True


def _resumes_notes(raw: str, stripped: str, after_blank: bool, signed_off: bool) -> bool:
    """Whether a line inside a pasted mail is the FM's own notes again."""
    if stripped.startswith(">") or _EMAIL_HEADER_RE.match(stripped):
        return False  # a quoted line or the header of an older message in the thread
    text = stripped.lstrip("#").strip()
    if stripped.startswith("#") or _HEADING_RE.match(text) or _NOTE_STYLE_RE.match(text):
        return True
    if signed_off and _NOTE_BULLET_RE.match(raw):
        return True  # a bullet right below the sign-off: the signature is over
    if not after_blank:
        return False  # a mail paragraph runs on until a blank line
    if signed_off or _NOTE_BULLET_RE.match(raw):
        return True
    if text.endswith(":") and len(text) < 40:
        return True  # a section heading such as "Discussion:"
    if len(text) < 80 and _TITLE_WORDS_RE.search(text) and find_absolute_date(text)[1]:
        return True  # the notes' title line: "Contoso AT sync 11/20"
    m = _LABEL_RE.match(text)
    return bool(m and len(m.group(1).split()) <= 4 and _is_note_label(m.group(1).strip().lower()))


def _is_note_label(label: str) -> bool:
    """A label the FM's notes use: attendees, an agenda topic, a workload, a role, actions."""
    return bool(
        _ATTENDEE_LABEL_RE.match(label)
        or _HEADING_RE.match(label)
        or label.upper() in FIELD_ROLES | {"FTA", "FM"}
        or label in ("notes", "summary", "open items", "asks", "ask", "scope", "intent", "status", "motion")
        or _workloads_in(label)
        or any(rx.search(label) for rx in lx.TOPIC_RES.values())
    )


def _starts_pasted_mail(stripped: str, raws: list[str], no: int) -> bool:
    """A "From:" header followed by another header line ("Sent:", "To:", "Subject:"): a mail pasted into the notes.

    A "From:" alone is not enough: "from: Google Workspace" is a migration source."""
    if not re.match(r"from\s*:", stripped, re.IGNORECASE):
        return False
    following = next((r.strip() for r in raws[no : no + 3] if r.strip()), "")
    return bool(re.match(r"(?:sent|date|to|cc|subject)\s*:", following, re.IGNORECASE))


def _looks_like_mail_header(text: str) -> bool:
    """ "To: Sam Okafor; Mia Laurent" is a mail header; "Timeline: ..." or "Subject: ..." mid-notes still count."""
    label = text.split(":", 1)[0].strip().lower()
    return label in ("from", "sent", "to", "cc", "bcc", "subject", "importance") and (
        label != "to" or ";" in text or "@" in text or len(text.split()) <= 6
    )


# ---------------------------------------------------------------- people


class People:
    """Everyone the notes name, resolvable by full name, first name or role."""

    def __init__(self, engagement: Engagement) -> None:
        self.attendees: list[Attendee] = []
        self.customer: list[Person] = []
        self._found: dict[tuple[str, int], Attendee | None] = {}
        for p in engagement.account_team:
            self._add(Attendee(**p.model_dump(), present=False), keep_presence=True)
        if engagement.fta:
            self._add(Attendee(**engagement.fta.model_dump(), present=False), keep_presence=True)
        self.fm_name = engagement.fm.name if engagement.fm else None
        for c in engagement.customer_contacts:
            self.customer.append(c)

    def _add(self, person: Attendee, keep_presence: bool = False) -> Attendee:
        for existing in self.attendees:
            same_name = person.name and existing.name and _same_person(existing.name, person.name)
            same_unnamed_role = (not person.name or not existing.name) and existing.role == person.role
            if same_name or (same_unnamed_role and person.role != "other"):
                if person.name and (not existing.name or len(person.name) > len(existing.name)):
                    existing.name = person.name
                if person.role != "other" and existing.role == "other":
                    existing.role = person.role
                existing.email = existing.email or person.email
                _extend_sources(existing.sources, person.sources)
                if not keep_presence:
                    existing.present = person.present
                return existing
        self.attendees.append(person)
        return person

    def add(self, name: str | None, role: str, line: Line, present: bool = True) -> Attendee:
        role = lx.ROLE_ALIASES.get(role.lower(), "other") if role else "other"
        if name and _UNKNOWN_NAME_RE.match(name):
            name = None  # "ATS TBD": the role is named, the person is not
        if name and name.lower() in ("me", "i"):
            name, role = self.fm_name, "FM"
        email = None
        if name:
            first = name.split()[0].lower()
            email = next((e for e in line.emails() if first in e.lower()), None)
        return self._add(Attendee(name=name, role=role, email=email, present=present, sources=[line.source()]))  # type: ignore[arg-type]

    def add_customer(self, name: str, title: str | None, line: Line) -> None:
        for p in self.customer:
            if p.name and _same_person(p.name, name):
                if len(name) > len(p.name):
                    p.name = name
                p.title = p.title or title
                _extend_sources(p.sources, [line.source()])
                return
        if self.find(name) is None:
            self.customer.append(Person(name=name, role="customer", title=title, sources=[line.source()]))

    def find(self, token: str) -> Attendee | None:
        """A person by full name, first name, or role code ("TAM")."""
        token = token.strip()
        key = (token, len(self.attendees))  # attendees only grow; a name or role change keeps the answer valid
        if key in self._found:
            return self._found[key]
        self._found[key] = found = self._find(token)
        return found

    def _find(self, token: str) -> Attendee | None:
        if token.upper() in FIELD_ROLES | {"FTA"}:
            return next((a for a in self.attendees if a.role == token.upper()), None)
        matches = [a for a in self.attendees if a.name and _same_person(a.name, token)]
        return matches[0] if len(matches) == 1 else None

    def owner_name(self, token: str) -> tuple[str | None, str | None]:
        """(owner label, role) for an action's owner as written in the notes."""
        if token.lower() in ("me", "i", "fm"):
            return (self.fm_name or "FM"), "FM"
        found = self.find(token)
        if found:
            return (found.name or found.label), found.role
        customer = next((p for p in self.customer if p.name and _same_person(p.name, token)), None)
        if customer:
            return customer.name, "customer"
        if token.upper() in FIELD_ROLES:
            return None, token.upper()
        return token, None


def _same_person(a: str, b: str) -> bool:
    a_parts, b_parts = a.lower().split(), b.lower().split()
    if a_parts == b_parts:
        return True
    short, long = sorted((a_parts, b_parts), key=len)
    return len(short) == 1 and short[0] == long[0]


def _segments(text: str) -> list[str]:
    """Split on commas/semicolons outside parentheses: one person per segment in an attendee list."""
    out, depth, cur = [], 0, []
    for ch in text:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch in ",;" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [seg.strip() for seg in out if seg.strip()]


_ROLE_HINT = lx.Cue("|".join(rf"\b{code}\b" for code in _ROLE_CODES.lower().split("|")))
_TITLE_HINT = lx.Cue(r"cio|cto|ciso|cfo|ceo|director|lead|manager|admin|architect|head of it|vp|owner")


def _find_people(lines: list[Line], people: People) -> None:
    for line in lines:
        is_attendee_line = bool(line.label and _ATTENDEE_LABEL_RE.match(line.label))
        all_absent = bool(line.label and _ABSENT_LABEL_RE.match(line.label))
        all_lowercase = not re.search(r"[A-Z]", line.text)
        # every person pattern below needs a role code or a job title: most lines have neither
        has_role = _ROLE_HINT.search(line.text) is not None
        for seg in _segments(line.text) if has_role else ():
            absent = all_absent or (
                bool(ABSENT_RE.search(seg)) if is_attendee_line or ROLE_OUT_RE.search(seg) else False
            )
            for m in ROLE_OUT_RE.finditer(seg):
                people.add(m.group(2), m.group(1), line, present=False)
            for m in NAME_PAREN_ROLE_RE.finditer(seg):
                if m.group(1).split()[0] not in _NOT_NAMES:
                    people.add(m.group(1), m.group(2), line, present=not absent)
            for m in ROLE_EQ_NAME_RE.finditer(seg):
                role, name = m.group(1), m.group(2)
                unknown = bool(_UNKNOWN_NAME_RE.match(name))
                if unknown or name.split()[0] not in _NOT_NAMES:
                    people.add(None if unknown else name, role, line, present=not unknown and not absent)
            role_out = ROLE_OUT_RE.search(seg) is not None  # once per segment, not once per match
            for m in ROLE_NAME_RE.finditer(seg):
                if m.group(2).split()[0] not in _NOT_NAMES and not role_out:
                    people.add(m.group(2), m.group(1), line, present=not absent)
            if all_lowercase:
                for m in ROLE_EQ_LOWER_NAME_RE.finditer(seg):
                    words = m.group(2).split()
                    if not any(w in _NOT_LOWER_NAMES or w.upper() in FIELD_ROLES for w in words):
                        people.add(m.group(2).title(), m.group(1), line, present=not absent)
        if not has_role and _TITLE_HINT.search(line.text) is None:
            continue
        for m in THE_ROLE_NAME_RE.finditer(line.text) if has_role else ():
            if m.group(2).split()[0] not in _NOT_NAMES:
                after = re.split(r"[.;]", line.text[m.end() : m.end() + 80], maxsplit=1)[0]
                gone = all_absent or bool(ABSENT_RE.search(after))
                people.add(m.group(2), m.group(1), line, present=not gone)
        for m in NAME_THE_ROLE_RE.finditer(line.text) if has_role else ():  # prose spans commas
            if m.group(1).split()[0] not in _NOT_NAMES:
                people.add(m.group(1), m.group(2), line, present=not all_absent)
        if is_attendee_line and has_role:
            for m in NAME_COMMA_ROLE_RE.finditer(line.text):
                if m.group(1).split()[0] not in _NOT_NAMES:
                    people.add(m.group(1), m.group(2), line, present=not all_absent)
        for m in TITLE_PAREN_NAME_RE.finditer(line.text):
            people.add_customer(m.group(2), tidy(m.group(1)), line)
        for m in TITLE_NAME_RE.finditer(line.text):
            if m.group(2).split()[0] not in _NOT_NAMES:
                people.add_customer(m.group(2), tidy(m.group(1)), line)


# ---------------------------------------------------------------- header: customer, motion, date, scope


def _read_header(lines: list[Line], engagement: Engagement) -> tuple[Engagement, Flag | None]:
    """The engagement completed from the title lines, and a flag when the call date's year was assumed."""
    updates: dict[str, object] = {}
    year_flag: Flag | None = None
    head = lines[:3]
    all_text = "\n".join(line.text for line in lines[:40])
    if engagement.motion is None and (motion := _motion(lines[:40])):
        updates["motion"] = motion
    if engagement.rfa_id is None and (m := RFA_ID_RE.search(all_text)):
        updates["rfa_id"] = m.group(1)
    if engagement.call_date is None:
        for line in head:
            today = date.today()
            found, words = find_absolute_date(line.text, today)
            if found:
                updates["call_date"] = found
                if words and not states_year(words):
                    # every relative due date hangs off this year: the FM should see it was a guess
                    year_flag = Flag(
                        field="engagement.call_date",
                        message=f'The call date "{words}" has no year: assumed {found.year}, the year that puts '
                        f"it nearest today's date ({today.isoformat()}). Correct the call date if that is wrong.",
                        sources=[line.source()],
                    )
                break
    if not engagement.customer and head:
        titles = [head[0]] + [line for line in lines[:8] if re.match(r"subject\s*:", line.text, re.I)]
        for title in titles:
            text = re.sub(r"^subject\s*:\s*(?:(?:re|fw|fwd)\s*:\s*)*", "", title.text, flags=re.I)
            if customer := _customer_from_header(text):
                updates["customer"] = customer
                break
    return engagement.model_copy(update=updates), year_flag


_MOTION_RE = re.compile(r"\b(rfa|health|targeted)\b", re.IGNORECASE)
_NEGATED_RE = re.compile(r"\b(?:no|not(?: an?)?|non)[- ]$", re.IGNORECASE)


def _motion(lines: list[Line]) -> str | None:
    """The first motion word the notes use, skipping negated ones ("no RFA"), so the title line wins."""
    for line in lines:
        for m in _MOTION_RE.finditer(line.text):
            if _NEGATED_RE.search(line.text[max(0, m.start() - 8) : m.start()]):
                continue
            return {"rfa": "RFA", "health": "Health", "targeted": "Targeted"}[m.group(1).lower()]
    return None


def _customer_from_header(text: str) -> str | None:
    parts = [p.strip() for p in re.split(r"\s+(?:--|-|–|—|\||//|::)\s+|\s*(?:\||//|::)\s*", text) if p.strip()]
    noise = re.compile(
        r"^(?:internal )?(?:account team|at|field)? ?(?:sync|call|meeting|notes)\b|^(?:rfa|health|targeted)\b"
        r"|^\d|^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d|^internal\b",
        re.IGNORECASE,
    )
    for part in parts:
        if noise.search(part):
            continue
        candidate = re.sub(r"\s*\((?:rfa|health)[^)]*\)", "", part, flags=re.IGNORECASE)
        candidate = re.sub(
            r"\s+(?:(?:health|rfa|targeted|internal|review|account team|at|field|intro)\s+)*"
            r"(?:health|review|call|sync|meeting|notes|with)\b.*$",
            "",
            candidate,
            flags=re.IGNORECASE,
        ).strip(" :-,")
        if candidate and not noise.search(candidate) and len(candidate.split()) <= 5:
            if any(c.isupper() for c in candidate):
                return candidate
            # "margie's travel" -> "Margie's Travel" (str.title would give "Margie'S")
            return " ".join(word[:1].upper() + word[1:] for word in candidate.split())
    return None


def _scope_workloads(lines: list[Line]) -> tuple[list[str], list[Line]]:
    found: list[str] = []
    used: list[Line] = []
    for line in lines:
        spans = [m.group(1) for m in SCOPE_RE.finditer(line.text)]
        if "red" in line.text.lower():
            # the anchor first, then the words before it back to the clause start: a lazy prefix group
            # tried at every position made this quadratic on long lines
            for m in SCOPE_BEFORE_RE.finditer(line.text):
                before = line.text[max(0, m.start() - 150) : m.start()]
                spans.append(re.split(r"[.:;]", before)[-1])
        for span in spans:
            named = _workloads_in(span)
            if named:
                used.append(line)
            found.extend(w for w in named if w not in found)
    return found, used


def _workloads_in(text: str) -> list[str]:
    if _ANY_WORKLOAD.search(text) is None:  # one pre-check instead of a dozen searches on most sentences
        return []
    # one substring pass says which workloads can match; only those are searched for their position
    hits = [(m.start(), w) for w in lx.WORKLOAD_CUES.keys_in(text.lower()) if (m := lx.WORKLOAD_RES[w].search(text))]
    return [w for _, w in sorted(hits)]


# ---------------------------------------------------------------- intents


def _classify(workload: str, sentences: list[tuple[str, Line]], context: list[Line]) -> ServiceIntent:
    texts = [s for s, _ in sentences]
    joined = " ".join(texts).lower()
    sources = _dedupe_sources(line.source() for _, line in sentences)
    if lx.DUPLICATE_RE.search(joined):
        return ServiceIntent(
            workload=workload, status="Duplicate/Invalid", note=_note("Duplicate or invalid", texts), sources=sources
        )
    if lx.UNRESPONSIVE_RE.search(joined):
        return ServiceIntent(
            workload=workload,
            status="Status Unknown",
            reason="Customer Unresponsive",
            note=_note("Status unknown", texts),
            sources=sources,
        )
    no_intent = [s for s in texts if lx.NO_INTENT_RE.search(s)]
    if no_intent:
        why = " ".join(texts)
        why_extended = why + " " + _related_context(why, context)
        if any(rx.search(why) for rx in lx.COMPETITOR_RES.values()):
            reason = "Using Competitive Solution"
        else:
            reason = _first_reason(lx.NO_INTENT_REASONS, why_extended) or "Executive Sponsorship"
        return ServiceIntent(
            workload=workload,
            status="No Intent",
            reason=reason,  # type: ignore[arg-type]
            note=_note("No intent", texts, _related_context(why, context)),
            sources=sources,
        )
    blocked = [s for s in texts if lx.BLOCKED_RE.search(s) and not lx.POTENTIAL_RE.search(s)]
    if blocked:
        reason = _first_reason(lx.BLOCKED_REASONS, " ".join(blocked)) or _first_reason(lx.BLOCKED_REASONS, joined)
        return ServiceIntent(
            workload=workload,
            status="Blocked",
            reason=reason,  # type: ignore[arg-type]
            note=_note("Blocked", blocked[:2] + [s for s in texts[:4] if s not in blocked[:2]]),
            sources=sources,
        )
    progressing = [
        s
        for s in texts
        if lx.IN_PROGRESS_RE.search(s) and not lx.POTENTIAL_RE.search(s) and not lx.UNSURE_INTENT_RE.search(s)
    ]
    if progressing:
        reason = _first_reason(lx.IN_PROGRESS_REASONS, " ".join(progressing))
        return ServiceIntent(
            workload=workload,
            status="In Progress",
            reason=reason,  # type: ignore[arg-type]
            note=_note("In progress", progressing),
            sources=sources,
        )
    return ServiceIntent(
        workload=workload,
        status="Status Unknown",
        note=f"Status unknown: intent for {workload} was not stated on the account-team call; confirm it with the "
        "account team.",
        sources=sources,
    )


def _first_reason(table: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str | None:
    return next((reason for reason, rx in table if rx.search(text)), None)


def _related_context(why: str, context: list[Line]) -> str:
    """A short 'why' ("b/c freeze") borrows the note line that explains it ("IT freeze until march")."""
    if len(why.split()) > 10:
        return ""
    for cue in ("freeze", "acquisition", "reorg", "budget", "legal", "proxy", "on hold"):
        if cue in why.lower():
            for line in context:
                if cue in line.text.lower() and line.text not in why:
                    return line.text
    return ""


_STATUS_WORDS_RE = re.compile(r"^(?:no intent|blocked|in progress|done|ok)\b[\s.,:;-]*", re.IGNORECASE)


def _note(status: str, texts: list[str], extra: str = "") -> str:
    """One or two sentences: the status, then the why in the FM's own words."""
    why: list[str] = []
    for t in texts:  # stop at two: a long note can give a workload thousands of sentences
        if w := tidy(_STATUS_WORDS_RE.sub("", t)):
            why.append(w)
            if len(why) == 2:
                break
    if extra:
        why.append(tidy(extra))
    if not why:
        return f"{status}."
    return f"{status}: " + "; ".join(w.rstrip(".") for w in why) + "."


def _source_key(source: Source) -> tuple[str, tuple[int, ...], str]:
    return source.origin, tuple(source.lines), source.text


def _dedupe_sources(sources: Iterable[Source]) -> list[Source]:
    # keyed, not `in list`: comparing pydantic models pairwise made long notes quadratic
    out: dict[tuple[str, tuple[int, ...], str], Source] = {}
    for s in sources:
        out.setdefault(_source_key(s), s)
    return list(out.values())


def _extend_sources(into: list[Source], new: Iterable[Source]) -> None:
    """Adds the sources not yet in `into`, in place. A person named on every line of a long note has many
    sources; only the last few are checked, since a repeat is almost always the line just added."""
    recent = {_source_key(s) for s in into[-8:]}
    for s in new:
        if _source_key(s) not in recent:
            into.append(s)
            recent.add(_source_key(s))


_SENTENCE_LABEL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9 ]{1,30}?)\s*:\s*(.*)$")


def _labelled_sentences(line: Line) -> list[tuple[list[str], str]]:
    """A line's sentences, each with the workloads its label names: "intune: x. defender: y." -> two labels."""
    current = _workloads_in(line.label) if line.label else []
    out = []
    for sentence in _SENTENCE_SPLIT_RE.split(line.body):
        m = _SENTENCE_LABEL_RE.match(sentence)
        if m and (named := _workloads_in(m.group(1))):
            current, sentence = named, m.group(2)
        out.append((current, sentence.strip()))
    return out


def _intents(lines: list[Line], scope: list[str], scope_lines: list[Line]) -> list[ServiceIntent]:
    cues = (lx.NO_INTENT_RE, lx.BLOCKED_RE, lx.IN_PROGRESS_RE, lx.UNRESPONSIVE_RE, lx.DUPLICATE_RE)
    by_workload: dict[str, list[tuple[str, Line]]] = {}
    stated: set[str] = set()
    scope_ids = {id(line) for line in scope_lines}  # identity: comparing Line dataclasses field by field is slow
    for line in lines:
        if line.header or (id(line) in scope_ids and not lx.IN_PROGRESS_RE.search(line.text.lower())):
            continue
        for labelled, sentence in _labelled_sentences(line):
            if not sentence or (line.in_actions and not labelled):
                continue  # "share Teams adoption kit" is the FM's task, not the customer's intent
            named = labelled or _workloads_in(sentence)
            if not named:
                continue  # most sentences name no workload: skip the cue searches below
            if SCOPE_RE.search(sentence) or lx.OUT_OF_SCOPE_RE.search(sentence):
                continue
            lowered = sentence.lower()
            has_cue = labelled or any(rx.found(lowered) for rx in cues)
            for w in named:
                if labelled:
                    stated.add(w)
                if has_cue:
                    by_workload.setdefault(w, []).append((sentence, line))
    intents = []
    for w in dict.fromkeys([*scope, *by_workload]):
        sentences = by_workload.get(w, [])
        # A workload with its own line ("Purview: not started") is in scope even with no status word.
        if w not in scope and w not in stated and not any(rx.search(s) for s, _ in sentences for rx in cues[:3]):
            continue
        intents.append(_classify(w, sentences, lines))
    # "customer has not replied to 3 emails" on its own line explains every workload left unknown
    unresponsive = next((line for line in lines if lx.UNRESPONSIVE_RE.search(line.text)), None)
    if unresponsive is not None:
        for intent in intents:
            if intent.status == "Status Unknown" and intent.reason is None:
                intent.reason = "Customer Unresponsive"
                intent.note = _note("Status unknown", [unresponsive.text])
                intent.sources = _dedupe_sources([*intent.sources, unresponsive.source()])
    return intents


# ---------------------------------------------------------------- actions, asks, open items


_DUE_LEAD = r"(?:\b(?:by|on|due|before|until|no later than)\s+)?"
# "AI: me - set up sync w/ Yuki", "AI Ines - send contact": an owner, a dash or colon, then the task.
_OWNER_PREFIX_RE = re.compile(rf"^((?i:me|i|fm)|{_NAME})\s*(?::|[-–])\s*(.+)$")
_LATER_DUE_RE = re.compile(r"\s*[.;]\s*((?:due|by|deadline)\b[^.;]{0,60})", re.IGNORECASE)  # "... earlier. Due Friday."
# A second clause with its subject left out or a pronoun: "Kofi runs the sync, will add me"; "he will add me".
_ELLIPTIC_RE = re.compile(
    r"(?:[,;]\s*|\band\s+)(?:(?:he|she|they)\s*)?(?:will|['’]ll|to)\s+(?!be\b)([a-z][^.;()]{2,200})", re.IGNORECASE
)
_NAME_TOKEN_RE = re.compile(_NAME)
# Present tense is an action only when it puts the FM somewhere: "(Noah adds me)", "Kofi invites me to the call".
_ADDS_ME_RE = re.compile(rf"\b({_NAME}) ((?:adds|invites|forwards) me\b[^.;()]*)")
_PRONOUN_OBJECT_RE = re.compile(r"(?:it|that|this|the (?:sync|meeting|call))\b")


def _known_name_re(people: People) -> re.Pattern[str] | None:
    """Owners as the notes wrote them, any case: all-lowercase notes name "priya", not "Priya"."""
    names = {part for a in people.attendees if a.name for part in (a.name, a.name.split()[0]) if len(part) > 1}
    if not names:
        return None
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)[:100])
    return re.compile(
        rf"(?:^|[(,;.]\s*|\s)((?i:{alternation}))(?:\s*\((?i:{_ROLE_CODES})\))?(?:\s+{_ACTION_VERB}|['’]ll)\s+"
        + _ACTION_CLAUSE
    )


def _actions(lines: list[Line], people: People, ref: date | None) -> list[ActionItem]:
    items: list[ActionItem] = []
    seen: set[tuple[int, str]] = set()
    known_re = _known_name_re(people)

    def add(owner_token: str | None, action: str, line: Line, later: str = "") -> None:
        action = action.strip(" .,;:-")
        if len(action) < 3:
            return
        due, due_words = find_due_date(action, ref)
        if due_words:
            action = re.sub(r"\s*" + _DUE_LEAD + re.escape(due_words) + r"\b\s*", " ", action, flags=re.I)
            action = action.strip(" ,.")
        elif later:
            due, due_words = find_due_date(later, ref)
        owner, role = people.owner_name(owner_token) if owner_token else (None, None)
        key = (line.no, action.lower()[:40])
        if key in seen:
            return
        seen.add(key)
        items.append(
            ActionItem(
                owner=owner,
                owner_role=role,
                action=tidy(action),
                due=due,
                due_text=due_words,  # type: ignore[arg-type]
                sources=[line.source()],
            )
        )

    for line in lines:
        t = line.text
        matched_at: list[int] = []
        if m := ME_COLON_RE.match(t):
            add("me", m.group(2), line)
            continue
        for m in ASK_TO_RE.finditer(t):
            add(m.group(1), m.group(2), line)
            matched_at.append(m.start(2))
        found = list(ACTION_RE.finditer(t))
        if known_re is not None and not re.search(r"[A-Z]", t):
            found += list(known_re.finditer(t))
        for m in found:
            token, clause = m.group(1), m.group(2)
            if m.start(2) in matched_at:
                continue
            is_me = token.lower() in ("me", "i")
            if token.split()[0] in _NOT_NAMES or (
                not is_me
                and people.find(token) is None
                and not any(p.name and _same_person(p.name, token) for p in people.customer)
            ):
                continue
            if is_me and re.match(r"can\b", clause):
                continue
            # a short window before the clause: slicing the whole prefix per action was quadratic
            if re.search(r"\bowns\s+$", t[max(0, m.start(2) - 12) : m.start(2)]) and _PRONOUN_OBJECT_RE.match(clause):
                continue  # "Maya owns it": she owns the meeting, no action in that
            clause = _action_clause(clause, line)
            later = _LATER_DUE_RE.match(t, m.end())
            add("me" if is_me else token, clause, line, later.group(1) if later else "")
            matched_at.append(m.start(2))
        for m in _ADDS_ME_RE.finditer(t):
            if people.find(m.group(1)) is not None and m.start(2) not in matched_at:
                add(m.group(1), _action_clause(m.group(2), line), line)
                matched_at.append(m.start(2))
        for m in _ELLIPTIC_RE.finditer(t):
            if any(abs(m.start(1) - at) < 3 for at in matched_at):
                continue
            owner = _subject_before(t, m.start(), people)
            if owner and not ABSENT_RE.search(m.group(1)):  # "(Raj, will catch up async)" is attendance, not a task
                add(owner, _action_clause(m.group(1), line), line)
                matched_at.append(m.start(1))
        if matched_at:
            continue
        if m := TODO_RE.match(t):
            body = m.group(1)
            prefixed = _OWNER_PREFIX_RE.match(body)
            who = prefixed.group(1) if prefixed else ""
            if prefixed and (who.lower() in ("me", "i", "fm") or people.find(who) is not None):
                add("me" if who.lower() in ("me", "i", "fm") else who, prefixed.group(2), line)
            elif not ASK_TO_RE.search(body):
                add("me", body, line)
        elif line.in_actions:
            add(None, t, line)
    return items


def _action_clause(clause: str, line: Line) -> str:
    """An action clause that says on its own what it is about.

    "set it up" names the sync; "confirm number" names the topic of its line."""
    if "n" in line.topics and re.match(r"set (?:it )?up\b", clause.strip()):
        return f"set up the recurring field sync ({tidy(line.body)})"
    if (
        "n" in line.topics
        and re.match(r"(?:adds?|invites?|forwards?)\b", clause.strip())
        and len(clause.split()) <= 5
        and not re.search(r"sync|call|meeting|invite|review", clause, re.IGNORECASE)
    ):
        return f"{clause.strip()} to the field sync"
    if line.label and len(clause.split()) <= 5 and _label_topics(line.label) & set("efghik"):
        return f"{clause.strip()} ({line.label})"  # "confirm number" alone does not say of what
    return clause


def _subject_before(text: str, pos: int, people: People) -> str | None:
    """The nearest known person named before pos in the same sentence: the subject an elliptic clause shares."""
    # a subject stands close to its clause; the window keeps a long unpunctuated line linear
    sentence_start = max(text.rfind(". ", 0, pos) + 1, pos - 300, 0)
    owner = None
    for m in _NAME_TOKEN_RE.finditer(text, sentence_start, pos):
        for token in (m.group(0), m.group(0).split()[0]):
            if people.find(token) is not None:
                owner = token
                break
    if owner is None and not re.search(r"[A-Z]", text):
        for word in re.findall(r"[a-z]+", text[sentence_start:pos]):
            if len(word) > 2 and people.find(word) is not None:
                owner = word
    return owner


def _asks(lines: list[Line], people: People) -> list[Ask]:
    asks: list[Ask] = []
    for line in lines:
        if "m" not in line.topics:
            continue
        body = line.body if line.label and line.label.startswith("ask") else line.text
        if re.match(r"^(?:none|nothing|no asks?|n/?a)\b", body.strip(), re.IGNORECASE):
            continue
        if body is not line.body or not line.label:
            body = _topic_text(line, "m")
        first = re.split(r"\s+-\s+|;", body)[0]
        out_of_scope = bool(lx.OUT_OF_SCOPE_RE.search(body))
        routed = None
        if m := re.search(rf"({_NAME}) (?:will|to|can) route", body):
            routed = people.owner_name(m.group(1))[0]
        asks.append(Ask(text=_sentence(first), in_scope=not out_of_scope, routed_to=routed, sources=[line.source()]))
    return asks


_ROLE_UNKNOWN_RE = re.compile(rf"\b({_ANY_ROLE})\s*(?:=|:|\bis\b)\s*\?+(?:\s*\((?:ask|check with) ({_NAME})\))?")


def _open_items_from_notes(lines: list[Line], people: People) -> list[OpenItem]:
    """Lines the FM marked unsure ("??", TBD, check, confirm, how many?) become items to confirm, with an owner
    only when the notes name one."""
    items: list[OpenItem] = []
    for line in lines:
        if not line.uncertain:
            continue
        for m in _ROLE_UNKNOWN_RE.finditer(line.text):
            who = people.owner_name(m.group(2))[0] if m.group(2) else None
            ask = f" (ask {who})" if who else ""
            items.append(
                OpenItem(text=f"Confirm who the {m.group(1).upper()} is{ask}.", owner=None, sources=[line.source()])
            )
        text_without_roles = _ROLE_UNKNOWN_RE.sub("", line.text)
        for sentence in _SENTENCE_SPLIT_RE.split(text_without_roles):
            if not lx.UNCERTAIN_RE.search(sentence.lower()):
                continue
            if _not_discussed_text(sentence) and any(rx.search(sentence.lower()) for rx in lx.TOPIC_RES.values()):
                continue  # "timeline?? not discussed": the unanswered agenda item asks for it
            owner = None
            asked = re.search(rf"\b(?:ask|check with|confirm with|follow up with) ({_NAME})", sentence)
            acting = ACTION_RE.search(sentence)
            if asked or (acting and (people.find(acting.group(1)) or acting.group(1).lower() in ("me", "i"))):
                owner = people.owner_name((asked or acting).group(1))[0]  # type: ignore[union-attr]
            text = tidy(sentence)
            if not re.search(r"\b(?:confirm|check|verify|ask)\b", text, re.IGNORECASE):
                text = f"Confirm: {text}"
            items.append(OpenItem(text=_sentence(text), owner=owner, sources=[line.source()]))
    return items


# ---------------------------------------------------------------- topic facts


def _topic_text(line: Line, topic: str) -> str:
    """The part of a line that speaks to a topic: the body after a matching label, else its matching sentences."""
    if line.label and topic in _label_topics(line.label):
        return line.body or line.text
    rx = lx.TOPIC_RES[topic]
    hits = [s for s in _SENTENCE_SPLIT_RE.split(line.body or line.text) if rx.search(s.lower())]
    return " ".join(hits) if hits else (line.body or line.text)


def _facts(lines: list[Line], topic: str, exclude: set[str] | None = None) -> list[Fact]:
    return [
        Fact(text=_sentence(_topic_text(line, topic)), sources=[line.source()])
        for line in lines
        if topic in line.topics
        and not (exclude and exclude & line.topics and topic not in _label_topics(line.label))
        and not _not_discussed(line)
    ]


@lru_cache(maxsize=1024)
def _label_topics(label: str | None) -> frozenset[str]:
    """The topics a label names; labels repeat ("teams", "actions"), so each is read once."""
    return frozenset(lx.TOPICS.keys_in(label.lower())) if label else frozenset()


_DID_NOT_DISCUSS_RE = re.compile(
    r"^\W*(?:we |they |the team )?(?:did not|didn'?t|never|have not|haven'?t) (?:talk about|discuss|cover|get to)\b",
    re.IGNORECASE,
)


def _not_discussed_text(text: str) -> bool:
    if _DID_NOT_DISCUSS_RE.search(text) and len(text.split(None, 13)) <= 12:
        return True  # "We did not talk about a recurring sync"
    return (
        bool(
            re.search(
                r"not (?:yet )?discussed|\bno \w+ (?:discussed|agreed|yet)\b|didn'?t (?:discuss|come up)"
                r"|no (?:info|details)\b|\?\?\s*$|:\s*(?:tbd|tbc|\?+|unknown|n/?a)\W*$|^\W*\w+\W+(?:tbd|tbc)\W*$",
                text,
                re.IGNORECASE,
            )
        )
        and len(text.split(None, 7)) <= 6  # bounded split: this runs on whole long lines too
    )


def _not_discussed(line: Line) -> bool:
    return _not_discussed_text(line.text)


_ANY_WORKLOAD = lx.Cue("|".join(lx.WORKLOADS.values()))
_ANY_COMPETITOR = lx.Cue("|".join(lx.COMPETITORS.values()))


def _compete(lines: list[Line]) -> list[CompeteProduct]:
    products: dict[str, CompeteProduct] = {}
    for line in lines:
        if _ANY_COMPETITOR.search(line.text) is None:
            continue
        lowered = line.text.lower()
        explicit = bool(re.search(r"compet|3rd[ -]party|third[ -]party", lowered))
        migrating = bool(re.search(r"migrat|want(?:s)? off|moving off|source", lowered))
        if not explicit and migrating:
            continue
        for product, rx in lx.COMPETITOR_RES.items():
            if rx.search(line.text):
                if product == "Box" and not explicit and not re.search(r"\bbox (?:for|is|used)", lowered):
                    continue
                seg = next((s for s in re.split(r",|;|\.\s", line.body) if rx.search(s)), line.text)
                if product in products:
                    products[product].sources.append(line.source())
                else:
                    products[product] = CompeteProduct(product=product, text=_sentence(seg), sources=[line.source()])
    return list(products.values())


def _risks_and_timeline(lines: list[Line]) -> tuple[list[Fact], list[Fact]]:
    risk_re = re.compile(
        r"\brisks?\b|could block|might block|may block|could delay|\bfreeze\b|\bon hold\b|concern"
        r"|\bissue",
        re.IGNORECASE,
    )
    timeline_re = re.compile(
        r"timeline|\btarget|deadline|cut-?over|go-?live|end of q[1-4]|\bby (?:end of )?"
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\buntil\b|\bfy ?end|\bq[1-4]\b",
        re.IGNORECASE,
    )
    risks, timeline = [], []
    for line in lines:
        if _not_discussed(line):
            continue
        sentences = [s for s in _SENTENCE_SPLIT_RE.split(line.body) if not _not_discussed_text(s)]
        said = [s for s in sentences if risk_re.search(s)]
        if said or (line.label and "risk" in line.label):
            risks.append(Fact(text=_sentence(" ".join(said or sentences)), sources=[line.source()]))
        said = [s for s in sentences if timeline_re.search(s)]
        if (said or line.label == "timeline") and "k" not in line.topics:
            timeline.append(Fact(text=_sentence(" ".join(said or sentences)), sources=[line.source()]))
    return risks, timeline


# "no existing AT sync. Propose weekly" proposes, though it says "existing".
_PROPOSE_SYNC_RE = re.compile(
    r"\bpropos|\bno (?:existing|current|regular|recurring)\b|\bnone (?:today|yet|exists?)\b|there(?: is|'s) no\b"
    r"|\bset (?:it |one )?up\b|\bschedule (?:a|one|it)\b|\bnew (?:sync|call|meeting)\b",
    re.IGNORECASE,
)
_JOIN_SYNC_RE = re.compile(
    r"already|existing|\bexists?\b|there is a|there'?s a|\bjoin\b|add(?:s)? me|\bhas a\b|\bruns? (?:a|the)\b"
    r"|\bhosts? (?:a|the)\b|\bowns it\b|forward me",
    re.IGNORECASE,
)


def _sync_owner(candidates: list[Line], people: People) -> str | None:
    """Who sets the sync up or adds the FM: an explicit action first ("I'll send the invite", "Tariq to set it up"),
    else the account-team member the sync lines name ("Felix's weekly call", "Kofi runs a ...")."""
    for line in candidates:
        for m in ACTION_RE.finditer(line.text):
            if m.group(1).lower() in ("me", "i") and not re.match(r"can\b", m.group(2)):
                return people.owner_name("me")[0]
            if people.find(m.group(1)):
                return people.owner_name(m.group(1))[0]
    for line in candidates:
        said = [x for x in _SENTENCE_SPLIT_RE.split(line.text) if lx.TOPIC_RES["n"].search(x.lower())] or [line.text]
        text = " ".join(said)
        if not re.search(r"[A-Z]", text):
            tokens = re.findall(r"[a-z]{3,}", text)
        else:
            tokens = [re.sub(r"['’]s$", "", m.group(0)) for m in _NAME_TOKEN_RE.finditer(text)]  # "Felix's call"
        for token in tokens:
            for candidate in (token, token.split()[0]):
                if candidate.split()[0] not in _NOT_NAMES and (found := people.find(candidate)) and found.role != "FM":
                    return people.owner_name(candidate)[0]
    return None


def _sync_rhythm(lines: list[Line], people: People) -> SyncRhythm | None:
    candidates = [line for line in lines if "n" in line.topics and not _not_discussed(line) and not line.header]
    if not candidates:
        return None
    text = " ".join(line.text for line in candidates)
    lowered = text.lower()
    cadence = None
    if re.search(r"bi-?weekly|every (?:other|2|two) weeks?|fortnight", lowered):
        cadence = "biweekly"
    elif re.search(r"\bmonthly\b|once a month|every month|of the month", lowered):
        cadence = "monthly"
    elif re.search(r"\bweekly\b|every week", lowered):
        cadence = "weekly"
    weekday = None
    if m := re.search(r"\b(mon|tue|wed|thu|fri)(?:day|s|sday|nesday|rsday|r|rs)?s?\b", lowered):
        weekday = m.group(1)[:2].upper()
    week_of_month = None
    if m := re.search(r"\b(first|1st|second|2nd|third|3rd|fourth|4th|last)\s+(?:mon|tue|wed|thu|fri)", lowered):
        week_of_month = {
            "first": 1,
            "1st": 1,
            "second": 2,
            "2nd": 2,
            "third": 3,
            "3rd": 3,
            "fourth": 4,
            "4th": 4,
            "last": -1,
        }[m.group(1)]
    kind = "join_existing" if _JOIN_SYNC_RE.search(lowered) and not _PROPOSE_SYNC_RE.search(lowered) else "propose"
    owner = _sync_owner(candidates, people)
    return SyncRhythm(
        kind=kind,
        cadence=cadence,
        weekday=weekday,
        week_of_month=week_of_month,
        owner=owner,  # type: ignore[arg-type]
        text=_sentence(" ".join(tidy(_topic_text(line, "n")) for line in candidates)),
        sources=[line.source() for line in candidates],
    )


# ---------------------------------------------------------------- assembly


def _agenda_lines(agenda_answers: dict[str, str]) -> dict[str, list[Line]]:
    """Typed agenda answers read like note lines of their item, with origin 'agenda'."""
    out: dict[str, list[Line]] = {}
    for key, answer in agenda_answers.items():
        parsed = split_lines(answer)
        for line in parsed:
            line.topics = {key}
            line.header = False  # a typed answer has no title line: its first line is an answer too
        out[key] = parsed
    return out


def _retag(lines: list[Line]) -> list[Line]:
    for line in lines:
        line.no = 0
    return lines


def extract_facts(
    notes: str, engagement: Engagement, agenda_answers: dict[str, str] | None = None
) -> tuple[Engagement, CallFacts]:
    """Return the engagement (completed from the notes where the context left gaps) and the facts in the notes."""
    agenda_answers = {k: v for k, v in (agenda_answers or {}).items() if v and v.strip()}
    # the memos serve repeats within one set of notes; clearing them keeps a timing of the same notes honest
    tidy.cache_clear()
    _sentence.cache_clear()
    lines = split_lines(notes)
    engagement, year_flag = _read_header(lines, engagement)
    ref = engagement.call_date

    people = People(engagement)
    _find_people(lines, people)

    scope, scope_lines = _scope_workloads(lines)
    if engagement.motion == "Health" and not engagement.health_red_areas:
        engagement = engagement.model_copy(update={"health_red_areas": scope})
    workloads = list(dict.fromkeys([*engagement.workloads, *engagement.health_red_areas, *scope]))

    facts = CallFacts(
        attendees=[a for a in people.attendees],
        intents=_intents(lines, workloads, scope_lines),
        action_items=_actions(lines, people, ref),
        asks=_asks(lines, people),
        licenses=_facts(lines, "e"),
        migration_source=_facts(lines, "g"),
        partner=_facts(lines, "h"),
        compete=_compete(lines),
        additional_tenants=_facts(lines, "i"),
        political_changes=_facts(lines, "k", exclude={"i"}),
        environment=_facts(lines, "d"),
        fasttrack_process=_facts(lines, "a"),
        sync_rhythm=_sync_rhythm(lines, people),
    )
    facts.risks, facts.timeline = _risks_and_timeline([line for line in lines if "l" in line.topics])
    channel = next((line for line in lines if lx.TEAMS_CHANNEL_RE.search(line.text)), None)
    if channel:
        said = next(s for s in _SENTENCE_SPLIT_RE.split(channel.text) if lx.TEAMS_CHANNEL_RE.search(s))
        facts.teams_channel = Fact(text=_sentence(said), sources=[channel.source()])
    facts.open_items = _open_items_from_notes(lines, people)

    _apply_agenda_answers(facts, agenda_answers, people, workloads)
    facts.agenda = _agenda(lines, facts, engagement, agenda_answers)
    facts.open_items.extend(
        OpenItem(text=AGENDA_BY_KEY[a.item].ask, agenda_item=a.item) for a in facts.agenda if not a.answered
    )
    engagement = _complete_engagement(engagement, people, workloads)
    facts.flags = _flags(engagement, facts)
    if year_flag is not None:
        facts.flags.insert(0, year_flag)
    return engagement, facts


def _apply_agenda_answers(facts: CallFacts, answers: dict[str, str], people: People, workloads: list[str]) -> None:
    """The FM's typed answers win over what the rules read from the notes, item by item."""
    for key, lines in _agenda_lines(answers).items():
        src = [Source(origin="agenda", text=answers[key][:500])]

        def typed(topic: str, lines: list[Line] = lines, src: list[Source] = src) -> list[Fact]:
            return [Fact(text=_sentence(line.text), sources=src) for line in lines if topic]

        if key == "a":
            facts.fasttrack_process = typed("a")
        elif key == "c":
            # only the workloads the FM typed about: the others keep what the notes said
            intents = [i for i in _intents(_retag(lines), workloads, []) if i.sources]
            for intent in intents:
                intent.sources = src
            known = {i.workload for i in intents}
            facts.intents = intents + [i for i in facts.intents if i.workload not in known]
        elif key == "d":
            facts.environment = typed("d")
        elif key == "e":
            facts.licenses = typed("e")
        elif key == "f":
            compete = _compete(_retag(lines)) or [CompeteProduct(product=answers[key][:60], text=answers[key])]
            facts.compete = [c.model_copy(update={"sources": src}) for c in compete]
        elif key == "g":
            facts.migration_source = typed("g")
        elif key == "h":
            facts.partner = typed("h")
        elif key == "i":
            facts.additional_tenants = typed("i")
        elif key == "k":
            facts.political_changes = typed("k")
        elif key == "l":
            facts.timeline = typed("l")
        elif key == "m":
            facts.asks = [a.model_copy(update={"sources": src}) for a in _asks(_retag(lines), people)]
        elif key == "n":
            rhythm = _sync_rhythm(_retag(lines), people)
            facts.sync_rhythm = rhythm.model_copy(update={"sources": src}) if rhythm else None


def _answer(item: str, title: str, facts: list[Fact] | list[CompeteProduct] | list[Ask]) -> AgendaAnswer:
    if not facts:
        return AgendaAnswer(item=item, title=title)
    text = " / ".join(f.text for f in facts[:4])
    return AgendaAnswer(
        item=item,
        title=title,
        answered=True,
        answer=text[:600],
        sources=_dedupe_sources(s for f in facts for s in f.sources),
    )


def _agenda(lines: list[Line], facts: CallFacts, engagement: Engagement, typed: dict[str, str]) -> list[AgendaAnswer]:
    """Each agenda item's answer, read from the facts it produced (so the form and the drafts agree)."""

    def hits(key: str) -> list[Fact]:
        return [
            Fact(text=_sentence(_topic_text(line, key)), sources=[line.source()])
            for line in lines
            if key in line.topics and not line.header
        ]

    by_item: dict[str, list] = {
        "a": facts.fasttrack_process,
        "b": hits("b"),
        "c": [
            Fact(text=f"{i.workload}: {i.status}" + (f" ({i.reason})" if i.reason else ""), sources=i.sources)
            for i in facts.intents
            if i.status != "Status Unknown" or i.reason
        ],
        "d": facts.environment,
        "e": facts.licenses,
        "f": facts.compete,
        "g": facts.migration_source,
        "h": facts.partner,
        "i": facts.additional_tenants,
        "j": hits("j"),
        "k": facts.political_changes,
        "l": facts.timeline + [r for r in facts.risks if r not in facts.timeline],
        "m": facts.asks or [f for f in hits("m") if re.search(r"\bnone|nothing|no asks?\b", f.text, re.I)],
        "n": [Fact(text=facts.sync_rhythm.text, sources=facts.sync_rhythm.sources)] if facts.sync_rhythm else [],
    }
    answers = []
    for item in agenda_for(engagement.motion):
        if item.key in typed:
            answers.append(
                AgendaAnswer(
                    item=item.key,
                    title=item.title,
                    answered=True,
                    answer=typed[item.key],
                    sources=[Source(origin="agenda", text=typed[item.key][:500])],
                )
            )
        else:
            answers.append(_answer(item.key, item.title, by_item[item.key]))
    return answers


def _complete_engagement(engagement: Engagement, people: People, workloads: list[str]) -> Engagement:
    team = [Person(**a.model_dump(exclude={"present"})) for a in people.attendees if a.role in FIELD_ROLES]
    fta = next((a for a in people.attendees if a.role == "FTA"), None)
    updates: dict[str, object] = {"account_team": team, "workloads": workloads, "customer_contacts": people.customer}
    if engagement.fta is None and fta is not None:
        updates["fta"] = Person(**fta.model_dump(exclude={"present"}))
    return engagement.model_copy(update=updates)


def _flags(engagement: Engagement, facts: CallFacts) -> list[Flag]:
    flags: list[Flag] = []
    if not engagement.customer:
        flags.append(Flag(field="engagement.customer", message="Customer name not found: add it in the engagement."))
    if engagement.call_date is None:
        flags.append(
            Flag(
                field="engagement.call_date",
                message='Call date unknown: relative dates ("by Friday") could not be resolved.',
            )
        )
    if engagement.motion is None:
        flags.append(Flag(field="engagement.motion", message="Motion (RFA / Health / Targeted) not stated."))
    for role in ("ATS", "TAM"):
        person = next((p for p in engagement.account_team if p.role == role), None)
        if person is None:
            flags.append(Flag(field=f"account_team.{role}", message=f"No {role} named in the notes or the roster."))
        elif not person.name:
            flags.append(
                Flag(
                    field=f"account_team.{role}",
                    message=f"The {role}'s name is unknown: ask the account team.",
                    sources=person.sources,
                )
            )
    for i, item in enumerate(facts.action_items):
        if item.owner is None:
            flags.append(
                Flag(field=f"action_items[{i}].owner", message=f"No owner for: {item.action}", sources=item.sources)
            )
        if item.due is None:
            why = f' ("{item.due_text}" could not be resolved)' if item.due_text else ""
            flags.append(
                Flag(
                    field=f"action_items[{i}].due", message=f"No due date for: {item.action}{why}", sources=item.sources
                )
            )
    return flags
