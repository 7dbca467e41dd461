"""Note lines: splitting, bullets, labels and topics per line, pasted tables read as note lines, and pasted or
quoted mail skipped until the FM's own notes resume.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from typing import NamedTuple

from .. import lexicon as lx
from ..dates import find_absolute_date
from ..schemas import (
    Source,
)
from .text import (
    EMAIL_RE,
    FIELD_ROLES,
    NOT_DISCUSSED_WORDS,
    SENTENCE_SPLIT_RE,
    label_topics,
    label_workloads,
    not_discussed_text,
    workloads_in,
)

_TODO_RE = re.compile(r"todo\b")


_BULLET_RE = re.compile(
    r"^\s*(?:[-*•·>+▪◦‣–—§]|o(?=\t)|\d{1,2}[.)]|[a-z][.)](?=\s))\s*(?:\[[ xX✓]?\]\s*|[☐☑☒✅]\s*)?"
    r"|^\s*(?:\[[ xX✓]?\]|[☐☑☒✅])\s*"
)


# A ticked box: "☑ ...", "[x] ...", "- [x] ...": a done item, not an open action.
_DONE_RE = re.compile(r"^\s*(?:(?:[-*•·+▪◦–]|o(?=\t)|\d{1,2}[.)])\s*)?(?:\[[xX✓]\]|[☑☒✅])")


# What a _BULLET_RE match can start with (after leading whitespace; besides \d, any decimal digit: str.isdecimal),
# and the second characters of its "a." / "b)" bullets
_BULLET_FIRST = frozenset("-*•·>+▪◦‣–—§o[☐☑☒✅")
_BULLET_SECOND = (".", ")")


def _may_be_ticked(raw: str) -> bool:
    return "[" in raw[:12] or (not raw[:12].isascii() and any(map(raw[:12].__contains__, ("☑", "☒", "✅"))))


# Bullets pasted from Word/Outlook/OneNote: a bullet glyph then a tab ("-\t", "•\t", "o\t", "§\t"): a bullet,
# never a two-cell table row.
_TAB_BULLET_RE = re.compile(r"^\s*(?:[-*•·+▪◦‣–—§o]|\d{1,2}[.)])\t")


_HEADING_RE = re.compile(
    r"^(?:#+\s*)?(actions?(?: items)?|ais|next steps?|follow[- ]?ups?|to-?dos?|owners?)\s*:?\s*$", re.IGNORECASE
)


_HEADING_FIRST = frozenset("aAnNfFtToO#")  # what a _HEADING_RE match can start with
# the longest whitespace-folded, stripped text _HEADING_RE matches without a "#": "action items :" (IGNORECASE
# matches one character for one)
_HEADING_LONGEST = len("action items :")
_HEADING_SHORTEST = len("ais")  # and the shortest


_LABEL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9 /&+'’.\-]{0,40}?)\s*(?::|=|->)\s*(.*)$")


_ATTENDEE_LABEL_RE = re.compile(
    r"^(attendees|present|participants|on the call|people|who|at|account team|absent|apologies|regrets|not present)$",
    re.IGNORECASE,
)


# slots: one Line per note line, built and read in every stage's loop; init=False: the __init__ below takes the
# generated one's parameters in the same order, and costs a third of it (no keyword-default handling per field)
@dataclass(slots=True, init=False)
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
    speaker: str | None = None  # who says "I" here: a Teams chat line's name, or the From: of its mail reply
    done: bool = False  # a ticked OneNote ☑ / "[x]" item: done, not an open action
    ref_date: date | None = None  # what relative dates on this line resolve against (a reply's Sent:); None = call date
    part: int = 0  # 0 = the oldest text; later replies / inline corrections are higher and override earlier parts
    # the cue starts (lexicon.LINE_STARTS) that lower() holds, found for all lines at once by split_lines; None when
    # not read (then a stage tests the substrings itself)
    starts: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _snippet: str | None = field(default=None, repr=False, compare=False)
    _emails: list[str] | None = field(default=None, repr=False, compare=False)
    _lower: str | None = field(default=None, repr=False, compare=False)
    _body_sentences: list[str] | None = field(default=None, repr=False, compare=False)
    _not_discussed: bool | None = field(default=None, repr=False, compare=False)

    def __init__(
        self,
        no: int,
        raw: str,
        text: str,
        label: str | None = None,
        body: str = "",
        in_actions: bool = False,
        topics: set[str] | None = None,
        uncertain: bool = False,
        header: bool = False,
        speaker: str | None = None,
        done: bool = False,
        ref_date: date | None = None,
        part: int = 0,
        starts: frozenset[str] | None = None,
    ) -> None:
        """The fields as the dataclass declares them (topics None = a new empty set); the memos start unread."""
        self.no = no
        self.raw = raw
        self.text = text
        self.label = label
        self.body = body
        self.in_actions = in_actions
        self.topics = set() if topics is None else topics
        self.uncertain = uncertain
        self.header = header
        self.speaker = speaker
        self.done = done
        self.ref_date = ref_date
        self.part = part
        self.starts = starts
        self._snippet = None
        self._emails = None
        self._lower = None
        self._body_sentences = None
        self._not_discussed = None

    # text and body are final once split_lines has read the line, so these are computed at most once per line

    def lower(self) -> str:
        """The text lowercased: intents, actions, open items and topics all read it."""
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    def body_sentences(self) -> list[str]:
        """The body's sentences: intents and risks both read them (callers do not mutate the list)."""
        if self._body_sentences is None:
            self._body_sentences = SENTENCE_SPLIT_RE.split(self.body)
        return self._body_sentences

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
        return _notes_source(self.no, text[:500])


_new_object = object.__new__
_set_attr = object.__setattr__


def _notes_source(no: int, text: str) -> Source:
    """Source(origin="notes", lines=[no], text=text) without validation, built as Source.model_construct builds it
    (the same __dict__, fields set, no extra, no private attributes) without its generic per-field loop.

    The values are ours and already valid (an int, a str), and a long note builds tens of thousands of sources:
    validation was a tenth of the extraction time, and model_construct's loop still half of what is left of it.
    Source has no private attributes and forbids extras, so None is what model_construct stores for both."""
    source = _new_object(Source)
    _set_attr(source, "__dict__", {"origin": "notes", "lines": [no], "text": text})
    _set_attr(source, "__pydantic_fields_set__", {"origin", "lines", "text"})
    _set_attr(source, "__pydantic_extra__", None)
    _set_attr(source, "__pydantic_private__", None)
    return source


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
    elif (
        raw.count("\t") >= 1
        and len([c for c in raw.split("\t") if c.strip()]) >= 2
        and not (_TAB_BULLET_RE.match(raw) and raw.count("\t") == 1)
    ):
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


# A "present" cell that says no, alone or with a reason ("no (PTO)", "No - sick"); other words in the cell ("PTO",
# "joined late") are kept after the person for the presence cues of ftdraft/data/presence.toml.
_NO_RE = re.compile(r"^(?:no|n|absent|out|oof|ooo|declined|x|-|–|—|✗|✘|nein|non)(?![\w'’])", re.I)
_YES_RE = re.compile(r"^(?:yes|y|present|attended|joined|✓|✔|ja|oui|s[ií])$", re.I)


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
        cell = cols.get("present", "").strip()
        absent = " - absent" if _NO_RE.match(cell) else f" - {cell}" if cell and not _YES_RE.match(cell) else ""
        return f"Attendees: {cols['name']} ({cols['role']}){absent}", False
    if cols.get("workload"):
        rest = ", ".join(c for c in (cols.get("status", ""), cols.get("notes", "")) if c)
        return f"{cols['workload']}: {rest}", False
    pairs = [f"{h}: {c}" for h, c in zip(header, cells, strict=False) if c]
    return "; ".join(pairs), False


class Placed(NamedTuple):
    """Where a raw line sits in a pasted thread: the text to read (quote marks, chat stamps and correction marks
    taken off), whose words they are, what their relative dates resolve against, and how late they were written.
    (A NamedTuple: one is built per note line, and a frozen dataclass costs several times more to build.)"""

    raw: str
    part: int = 0
    speaker: str | None = None
    ref_date: date | None = None
    header: bool = False  # a mail's Sent:/Subject: line or a Teams post's name-and-time line


_AS_WRITTEN = Placed("")  # read_parts's None: each line read as written (its raw in place of this "")


def _placed(line: Line, where: Placed) -> Line:
    line.part, line.speaker, line.ref_date = where.part, where.speaker, where.ref_date
    return line


# "[10:02] Kofi Mensah: text", "[11/17/2026 2:01 PM] Renata Szabó: text": a Teams meeting-chat line.
_CHAT_RE = re.compile(r"^\s*\[(?P<stamp>[^\]]*\d:\d\d[^\]]*)\]\s*(?P<who>[^\W\d_][^:\[\]]{0,60}?)\s*:\s?(?P<text>.*)$")
# "Ingrid Solberg   1/21/2027 3:40 PM": a Teams channel post or reply header.
_POST_RE = re.compile(
    r"^\s*(?P<who>[^\W\d_][^\W\d_'’.\- ]*(?:[ '’.\-]+[^\W\d_]+){0,4})\s{2,}"
    r"(?P<stamp>(?:\d{1,2}/\d{1,2}/\d{2,4}|yesterday|today)\s+\d{1,2}:\d\d(?:\s*[AP]M)?)\s*$",
    re.IGNORECASE,
)
_FROM_RE = re.compile(r"^\s*from\s*:\s*(?P<who>.*?)\s*(?:<[^>]*>)?\s*$", re.IGNORECASE)
_SENT_RE = re.compile(r"^\s*(?:sent|date)\s*:\s*(?P<when>.+)$", re.IGNORECASE)
_WROTE_RE = re.compile(r"^\s*on (?P<when>.{5,80}?),? (?P<who>[^,]{2,60}?)\s*(?:<[^>]*>)?\s*wrote:\s*$", re.IGNORECASE)
_SEPARATOR_RE = re.compile(r"^\s*(?:_{6,}|-{2,}\s*(?:original message|forwarded message)\s*-*|-{6,}|={6,})\s*$", re.I)
# "[CO] make it 12/7": an inline correction by a later reply.
_CORRECTION_RE = re.compile(r"^(\s*)\[[A-Z]{2,3}\]\s*")
_QUOTE_RE = re.compile(r"^\s*((?:>\s?)+)")


def read_parts(raws: list[str]) -> list[Placed | None] | None:
    """Each raw line placed in the thread it was pasted from; None for a line that is not read (a mail's From:/To:/
    Cc: line, "-----Original Message-----", a "____" separator, or a mail pasted into the FM's notes). None for the
    whole list when every line is read as written (each Placed(raw): most notes), so none of that is built.

    Notes that are an Outlook thread (they open with a From: header block) are read whole: each header block starts
    an older message (the top message is the newest), each line carries its message's From: (speaker) and Sent:
    date (ref_date); quoted "> " lines are older than the text around them by their depth; a "[CO]" correction
    belongs to the newest message. A mail pasted into the FM's own notes (or quoted above them) is not this call
    and is skipped until the notes resume, as before. Teams chat: "[10:02] Name: ..." lines and
    "Name   1/21/2027 3:40 PM" post headers name the speaker, each later message a later part.
    part: 0 = the oldest text."""
    first = next((no for no, r in enumerate(raws, start=1) if r.strip()), 0)
    if first and "message" in raws[first - 1].lower() and _SEPARATOR_RE.match(raws[first - 1]):
        # a forwarded mail: "---------- Forwarded message ---------" over its From:/Date:/Subject: block is the
        # notes, unless it signs off and the FM's own notes follow (then it is a pasted mail, skipped as before)
        signed = next((no for no, r in enumerate(raws, start=1) if _SIGN_OFF_RE.match(r.strip())), 0)
        if not (signed and any(r.strip() for r in raws[signed + 1 :])):
            first = next((no for no, r in enumerate(raws[first:], start=first + 1) if r.strip()), 0)
    thread = bool(first) and _starts_pasted_mail(raws[first - 1].strip(), raws, first)
    out: list[tuple[str, int, str | None, date | None, bool] | None] = []  # raw, age, speaker, ref, header
    segment, speaker, ref = 0, None, None
    in_headers = False
    mail = _MailBlock()
    kept = 0  # lines read so far outside a mail: after the title, a mail header block is a pasted mail
    chat = 0  # Teams messages so far
    chat_speaker: str | None = None
    chat_ref: date | None = None
    text = "\n".join(raws)
    # what the notes can hold at all, found once: most notes are neither a chat nor a thread
    # every chat line and post header holds a time's ":\d\d", found by a literal-prefix search (~20x faster)
    may_time = ":" in text and _ANY_TIME_RE.search(text) is not None
    may_chat = may_time and "[" in text and _ANY_CHAT_RE.search(text) is not None
    may_post = may_time and _ANY_POST_RE.search(text) is not None
    may_correct = "[" in text and _ANY_CORRECTION_RE.search(text) is not None
    if not (thread or may_chat or may_post or may_correct):
        return _plain_parts(raws, text)
    for no, raw in enumerate(raws, start=1):
        stripped = raw.strip()
        if not thread:
            if mail.skips(raw, stripped, starts=kept > 1 and _starts_pasted_mail(stripped, raws, no)):
                out.append(None)  # a pasted or quoted mail is not this call; the notes after it still are
                continue
        elif stripped[:1] in ("f", "F") and _FROM_RE.match(raw) and _starts_pasted_mail(stripped, raws, no):
            segment += 1
            m = _FROM_RE.match(raw)
            speaker = (m.group("who") if m else "").strip(" \"'") or None
            ref, in_headers = None, True
            out.append(None)
            continue
        elif "wrote:" in raw and (w := _WROTE_RE.match(raw)) is not None:
            segment, speaker, ref = segment + 1, w.group("who").strip(" \"'") or None, find_absolute_date(w.group(1))[0]
            out.append(None)
            continue
        if in_headers:
            if _EMAIL_HEADER_RE.match(stripped):
                if m := _SENT_RE.match(raw):
                    ref = find_absolute_date(m.group("when"))[0]
                keep = re.match(r"\s*(?:sent|date|subject)\s*:", raw, re.IGNORECASE) is not None
                out.append((raw, segment, speaker, ref, True) if keep else None)
                continue
            if stripped and ";" in stripped and "@" in stripped:
                out.append(None)  # a wrapped To:/Cc: list
                continue
            in_headers = False
        if thread and stripped[:1] in ("_", "-", "=") and _SEPARATOR_RE.match(raw):
            if "message" in stripped.lower() and not _starts_pasted_mail_after(raws, no):
                segment, speaker, ref = segment + 1, None, None  # "-----Original Message-----" without headers
            out.append(None)
            continue
        if stripped:
            kept += 1
        first_char = stripped[:1]
        if may_chat and first_char == "[" and (c := _CHAT_RE.match(raw)) is not None:
            chat += 1
            chat_speaker, chat_ref = c.group("who").strip(), find_absolute_date(c.group("stamp"))[0]
            out.append((c.group("text"), -chat, chat_speaker, chat_ref, False))
            continue
        if may_post and ":" in raw and (post := _POST_RE.match(raw)) is not None:
            chat += 1
            chat_speaker, chat_ref = post.group("who").strip(), find_absolute_date(post.group("stamp"))[0]
            out.append((raw, -chat, chat_speaker, chat_ref, True))
            continue
        if chat and segment == 0:
            out.append((raw, -chat, chat_speaker, chat_ref, False))
            continue
        depth = 0
        if thread and first_char == ">" and (q := _QUOTE_RE.match(raw)) is not None:
            depth = q.group(1).count(">")
            raw = raw[q.end() :]
        if may_correct and "[" in raw[:8] and (co := _CORRECTION_RE.match(raw)) is not None:
            out.append((co.group(1) + raw[co.end() :], -1, None, None, False))  # newest of all, by the replier
            continue
        out.append((raw, segment + depth, speaker, ref, False))
    ages = [o[1] for o in out if o is not None]
    oldest = max(ages, default=0)
    # a correction is newer than every message: it takes the newest message's speaker and date
    top = min((a for a in ages if a >= 0), default=0)
    newest = next(((o[2], o[3]) for o in out if o is not None and o[1] == top), (None, None))
    placed: list[Placed | None] = []
    for o in out:
        if o is None:
            placed.append(None)
            continue
        raw, age, who, when, header = o
        if age == -1 and who is None and not chat:
            who, when = newest
        part = oldest - age if age >= 0 else oldest + (-age if chat else 1)
        placed.append(Placed(raw=raw, part=part, speaker=who, ref_date=when, header=header))
    return placed


_ANY_TIME_RE = re.compile(r":\d\d")  # opens with a literal: the engine jumps from ":" to ":"
_ANY_CHAT_RE = re.compile(r"^\s*\[[^\]\n]*\d:\d\d", re.MULTILINE)
# "\S\s{2,}(?:date|yesterday|today)\s+time" written to open with a whitespace character, so the search jumps from
# space to space: the lookbehind puts the \S before it (only whether one occurs is asked)
_ANY_POST_RE = re.compile(r"\s(?<=\S\s)\s+(?:\d{1,2}/\d{1,2}/\d{2,4}|yesterday|today)\s+\d{1,2}:\d\d", re.IGNORECASE)
_ANY_CORRECTION_RE = re.compile(r"^\s*\[[A-Z]{2,3}\]", re.MULTILINE)


_MAIL_FIRST = frozenset("-oOfF")  # what a line starting a mail begins with (_QUOTED_START_RE, _starts_pasted_mail)
_MAY_START_MAIL_RE = re.compile(r"--|wrote:|from\s*:")


def _plain_parts(raws: list[str], text: str) -> list[Placed | None] | None:
    """read_parts for notes with no thread, chat or correction: only a mail pasted into them is skipped.

    A mail starts only at a quote marker ("--" + "Original message", "On ... wrote:") or a "From:" header; notes
    (`text`, the raws joined) holding none of "--", "wrote:", "from:" in any case have none (their letters fold to
    no other character), and every line is read as it is (None)."""
    if _MAY_START_MAIL_RE.search(text.lower()) is None:
        return None
    mail = _MailBlock()
    out: list[Placed | None] = []
    kept = 0
    for no, raw in enumerate(raws, start=1):
        stripped = raw.strip()
        if not mail.inside and stripped[:1] not in _MAIL_FIRST:
            # outside a mail, only a quote marker ("--", "On ... wrote:") or a "From:" line starts one
            kept += bool(stripped)
            out.append(Placed(raw))
            continue
        if mail.skips(raw, stripped, starts=kept > 1 and _starts_pasted_mail(stripped, raws, no)):
            out.append(None)
            continue
        if stripped:
            kept += 1
        out.append(Placed(raw))
    return out


def _starts_pasted_mail_after(raws: list[str], no: int) -> bool:
    """Whether a From: header block follows the quote marker at line `no` (then that block starts the message)."""
    following = next((r.strip() for r in raws[no : no + 3] if r.strip()), "")
    return bool(re.match(r"from\s*:", following, re.IGNORECASE))


def _folded(text: str) -> str:
    """ " ".join(text.split()): whitespace runs folded to one space, none at the ends. A printable ASCII text holds no
    whitespace but " " (tab, newline, \x0b-\x0d and \x1c-\x1f are control characters), so one without a double
    space or a space at either end is already folded: most note lines, returned without splitting them into words."""
    if text.isascii() and "  " not in text and text[:1] != " " and text[-1:] != " " and text.isprintable():
        return text
    return " ".join(text.split())


def split_lines(notes: str) -> list[Line]:
    lines: list[Line] = []
    in_actions = False
    section_indent = -1  # the indent of a bulleted "- Actions:" heading: its items sit deeper
    section_bullets = False  # the section's items so far are bullets: a plain line after them ends it
    table_header: list[str] | None = None
    raws = notes.splitlines()
    topical: list[Line] = []  # the lines whose topics are read from their words, after the loop
    unread: set[int] = set()  # the lines whose words are not read (a mail header or a post's name-and-time line)
    parts = read_parts(raws)
    for no, (original, where) in enumerate(zip(raws, parts or repeat(_AS_WRITTEN, len(raws)), strict=True), start=1):
        if where is None:
            continue  # a mail's From:/To:/Cc: line, a quote marker or a separator
        raw = original if where is _AS_WRITTEN else where.raw  # _AS_WRITTEN: Placed(original), not built per line
        stripped = raw.strip()
        if where.header and stripped:
            lines.append(_placed(Line(no=no, raw=original, text=_folded(raw), header=True), where))
            unread.add(len(lines) - 1)
            continue
        cells = _cells(raw) if "|" in raw or "\t" in raw else None  # a table row has a pipe or a tab
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
        bullet_m = None  # a table row is never a bullet
        if cells is not None and table_header is not None:
            text, is_action_row = _table_row_text(table_header, cells)
            text = " ".join(text.split())  # = re.sub(r"\s+", " ", text).strip(): \s and str.split agree on whitespace
        else:
            # the bullet pattern is anchored at the start: removing its one match is slicing it off; it matches only
            # where the first character (after the whitespace both \s* and strip() skip) or the second is a mark
            lead = stripped[0]
            maybe = lead in _BULLET_FIRST or lead.isdecimal() or stripped[1:2] in _BULLET_SECOND
            bullet_m = _BULLET_RE.match(raw) if maybe else None
            text = _folded(raw[bullet_m.end() :] if bullet_m else raw)
        if not text:
            continue
        if ":" in text and _EMAIL_HEADER_RE.match(text) and (not lines or _looks_like_mail_header(text)):
            if re.match(r"(?:sent|date|subject)\s*:", text, re.I):
                # the mail's date and subject name the call and the customer; they answer no agenda item
                lines.append(_placed(Line(no=no, raw=original, text=text, body=text, header=True), where))
                unread.add(len(lines) - 1)
            continue
        indent = len(raw) - len(raw.lstrip())
        bullet = bullet_m is not None  # the match above: set only for a line that is not a table row
        if in_actions and not is_action_row:
            if section_indent >= 0:
                in_actions = bullet and indent > section_indent
            elif bullet:
                section_bullets = True
            elif section_bullets:
                in_actions = False
        heading_text = text.lstrip("#").strip()
        # "#" or a heading word's a, n, f, t or o (letters that IGNORECASE folds onto no other character)
        if (
            heading_text[:1] in _HEADING_FIRST
            and (_HEADING_SHORTEST <= len(heading_text) <= _HEADING_LONGEST or heading_text[0] == "#")
            and _HEADING_RE.match(heading_text)
        ):
            in_actions, section_bullets = True, False
            section_indent = indent if bullet else -1
            continue
        hashed = stripped[:1] == "#"  # = stripped.startswith("#")
        if hashed and lines:
            in_actions = False
            continue
        if hashed:
            text = heading_text  # a Markdown title is still the title line (customer, date)
        elif text.endswith(":") and len(text) < 40:
            in_actions = False
            continue
        done = ("[" in raw[:12] or not raw[:12].isascii()) and _may_be_ticked(raw) and _DONE_RE.match(raw) is not None
        m = _LABEL_RE.match(text) if ":" in text or "=" in text or "->" in text else None  # the label's mark
        if m and len(m.group(1).split()) <= 4 and not EMAIL_RE.search(m.group(1)):
            label, body = m.group(1).strip().lower(), m.group(2).strip()
        else:
            label, body = None, text
        # = _placed(Line(no=no, raw=original, text=text, label=label, body=body, in_actions=..., done=done), where),
        # positionally (Line.__init__'s order) and without the call: one Line per note line
        line = Line(no, original, text, label, body, in_actions or is_action_row, None, False, False,
                    where.speaker, done, where.ref_date, where.part, lx.NO_STARTS)  # fmt: skip
        line._lower = lowered = text.lower()  # = line.lower(), computed here as every stage reads it
        if not lines and not bullet and not label and len(text) < 120:
            line.header = True  # the title line names the meeting; its words ("sync") are not answers
        elif label and label_workloads(label):
            line.topics = {"c"}  # "Teams: ..." is an intent statement, whatever else its words touch
        elif not (lowered.startswith("todo") and _TODO_RE.match(lowered)):  # a to-do is an action, not an answer
            topical.append(line)
        lines.append(line)
    # Line.starts: lx.LINE_STARTS.per_text of the lines; a line holding no start keeps the NO_STARTS it was built with
    # (the header lines get theirs here)
    holding = lx.LINE_STARTS.holding([line.lower() for line in lines])
    for k in unread:
        lines[k].starts = lx.NO_STARTS
    for k, starts in holding.items():
        lines[k].starts = starts
    uncertain = lx.UNCERTAIN_RE
    # every uncertainty cue has a literal start; a line with none matches only through a case-folding trap, which
    # ASCII notes hold nowhere: then only the lines holding a start are read
    for k in holding if notes.isascii() else range(len(lines)):
        line = lines[k]
        if k not in unread and (line.starts or not line.lower().isascii()):
            line.uncertain = uncertain.found(line.lower(), line.starts)
    pending: list[tuple[Line, list[str]]] = []  # lines and the texts their topics are read from
    for line in topical:
        lowered = line.lower()
        if (
            line.starts is not None
            and lowered.isascii()
            and _NOT_DISCUSSED_STARTS.isdisjoint(line.starts)
            and (":" not in lowered or _COLON_UNKNOWN_RE.search(lowered) is None)
        ):
            # no sentence is "not discussed" (an ASCII text holding no not-discussed word is never, and the ":" one
            # needs ": ?", ": unknown", ": n/a" after it); a line holding no start matches no topic cue either
            if line.label:
                line.topics = set(label_topics(line.label))
            if line.starts:
                pending.append((line, [lowered]))
            continue
        sentences = SENTENCE_SPLIT_RE.split(lowered)
        spoken = [t for t in sentences if not not_discussed_text(t)]
        # one search of the whole line when every sentence counts: half the work of searching each sentence
        texts = [lowered] if len(spoken) == len(sentences) else spoken
        if line.label and spoken:
            line.topics = set(label_topics(line.label))
        pending.append((line, texts))
    _read_topics(pending)
    return lines


_TOPIC_STARTS = frozenset(lx.TOPICS.prefixes)
# the not-discussed words (":" is tested on the line itself: one character would be a start on most lines)
_NOT_DISCUSSED_STARTS = frozenset(w for w in NOT_DISCUSSED_WORDS if w != ":")
lx.LINE_STARTS.add(_NOT_DISCUSSED_STARTS)
# what follows the ":" of not_discussed_text's ":" alternative (":\s*(?:tbd|tbc|\?+|unknown|n/?a)\W*$"), searched
# from each ":" (a literal start): a line without it has no sentence matching that alternative
_COLON_UNKNOWN_RE = re.compile(r":\s*(?:tbd|tbc|\?|unknown|n/?a)")
# split_lines and _read_topics skip a line holding none of these cues' starts: every alternative must have one
assert not lx.TOPICS.has_open and not lx.UNCERTAIN_RE.open_alternatives


def _read_topics(pending: list[tuple[Line, list[str]]]) -> None:
    """Each line's topics from its texts. Only the topic starts the line holds (Line.starts, found for all lines at
    once) are tested: a text holding no topic start matches no topic cue, since every topic alternative has a literal
    start (lexicon.TOPICS has no open alternative); a non-ASCII line may hold a case-folding trap, so keys_in reads it
    whole. The label's topics are already on the line."""
    keys_in = lx.TOPICS.keys_in
    for line, texts in pending:
        if line.starts is None:
            present = lx.TOPICS.prefixes
        elif line.starts:
            present = tuple(_TOPIC_STARTS.intersection(line.starts))
        elif line.lower().isascii():
            continue  # no start of any cue, and no case-folding trap
        else:
            present = ()
        if not present and line.lower().isascii():
            continue  # no topic start, and no case-folding trap
        if len(texts) == 1:
            line.topics |= keys_in(texts[0], present)  # (most lines: one text, no union of one set)
        else:
            line.topics |= set().union(*(keys_in(t, present) for t in texts))


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
        or workloads_in(label)
        or any(rx.search(label) for rx in lx.TOPIC_RES.values())
    )


def _starts_pasted_mail(stripped: str, raws: list[str], no: int) -> bool:
    """A "From:" header followed by another header line ("Sent:", "To:", "Subject:"): a mail pasted into the notes.

    A "From:" alone is not enough: "from: Google Workspace" is a migration source."""
    if stripped[:1] not in ("f", "F") or not re.match(r"from\s*:", stripped, re.IGNORECASE):
        return False  # the first letter first: no case-folding trap maps onto "f"
    following = next((r.strip() for r in raws[no : no + 3] if r.strip()), "")
    return bool(re.match(r"(?:sent|date|to|cc|subject)\s*:", following, re.IGNORECASE))


def _looks_like_mail_header(text: str) -> bool:
    """ "To: Sam Okafor; Mia Laurent" is a mail header; "Timeline: ..." or "Subject: ..." mid-notes still count."""
    label = text.split(":", 1)[0].strip().lower()
    return label in ("from", "sent", "to", "cc", "bcc", "subject", "importance") and (
        label != "to" or ";" in text or "@" in text or len(text.split()) <= 6
    )


def topic_text(line: Line, topic: str) -> str:
    """The part of a line that speaks to a topic: the body after a matching label, else its matching sentences."""
    if line.label and topic in label_topics(line.label):
        return line.body or line.text
    rx = lx.TOPIC_RES[topic]
    hits = [s for s in SENTENCE_SPLIT_RE.split(line.body or line.text) if rx.found(s.lower())]
    return " ".join(hits) if hits else (line.body or line.text)


def not_discussed(line: Line) -> bool:
    # asked by every topic's facts, the risks and the sync rhythm: read once per line (its text is final)
    if line._not_discussed is None:
        line._not_discussed = not_discussed_text(line.text)
    return line._not_discussed
