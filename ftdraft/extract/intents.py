"""Service intent per workload (L1 status, L2 reason, a Service Intent note) from what the notes say about it.

Two steps. First the notes are cut into statements, each about one workload: a line or table row led by the
workload ("EXO → …", "| Intune | Stuck | … |", "Teams: blocked. …"), a prose sentence that names one workload and
the sentences after it in the same paragraph, an indented or "[CO]" correction under a workload's line, and one
clause per workload where a sentence names several ("Intent is real for Teams, SharePoint not yet decided").
Then each workload's statements are read: an explicit label wins ("In Progress / Migration", "Blocked (app
compat)", a table's status and L2 columns), a later correction overrides, and otherwise the situation words decide,
through the cue lexicon in ftdraft/data/intents.toml and, where its cues are silent, a linear model trained on
labelled sentences (ftdraft/data/intent_model.json, scripts/train_intents.py). The L1/L2 list is domain.md's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import lexicon as lx
from ..schemas import IntentReason, IntentStatus, OpenItem, ServiceIntent
from .intent_reader import Reading, classify_text, clear_memo, explicit_label, reason_strength, status_strength
from .lines import Line
from .scope import SCOPE_BEFORE_RE, SCOPE_RE, may_scope
from .text import SENTENCE_SPLIT_RE, dedupe_sources, label_workloads, tidy, workloads_in

# ------------------------------------------------------------------------------------------------ statements


@dataclass
class Statement:
    """What one piece of the notes says about one workload."""

    text: str
    line: Line
    primary: bool  # led by the workload (its line, row or sentence), not a passing mention
    correction: bool = False  # an inline correction / later reply about the statement above it
    led: bool = False  # from the workload's own line or table row ("EXO → …", "| Intune | Stuck | … |")
    note_text: str | None = None  # what the note quotes when not the text (a table row: its "why" cell)
    extra_lines: list[Line] = field(default_factory=list)


_CHAT_PREFIX_RE = re.compile(r"^\[[^\]]{3,40}\]\s*[^:\[\]]{2,40}:\s*")
_EMPHASIS_RE = re.compile(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)")
_AGENDA_PREFIX_RE = re.compile(r"^(?:[☐☑✔✓✗•◦▪·§-]\s*|o\s+)*(?:[a-n](?:/[a-n])*[.)]\s+)?")
_CORRECTION_RE = re.compile(r"^\s*(?:\[(?:co|correction|update|edit|[A-Z]{2,3})\]|correction\s*:|update\s*:)", re.I)
# what may stand between a leading workload name and what is said about it
_LEAD_SEP_RE = re.compile(
    r"^(?:\s+(?:id|online|for [\w-]+(?: [\w-]+)?))?(?:\s*\([^)]{0,80}\))?\s*"
    r"(?:[:=|→>–—-]+|->|\bis\b|\bare\b|\bhas\b|\bwas\b|\bwere\b|\bstatus\b)",
    re.I,
)
# between two workloads of a scope list: a joiner, maybe after a word or two ("Teams Phone + Exchange Online")
_SCOPE_JOIN_RE = re.compile(r"^\s*(?:[\w-]+\s*){0,2}(?:[+/&,]|\band\b)\s*$", re.IGNORECASE)
_JOIN_RE = re.compile(r"^\s*(?:[+/&,]|and)\s*$", re.I)
# sentence ends that keep their punctuation; not after a title or "e.g." ("the CIO, Dr. Bronwyn Ashby")
# (the sentence-end test first: the assertions all hold at one position, and it rules most positions out at once)
_KEEP_SPLIT_RE = re.compile(r"(?<=[.!?;])(?<![Dd]r\.)(?<!Mr\.)(?<!Ms\.)(?<!St\.)(?<!vs\.)(?<!\be\.g\.)(?<!\bi\.e\.)\s+")
# Both start with a lookahead for the characters a match can start with (a space, a separator or the first letter
# of a joiner word, in any case: IGNORECASE folds no other character onto b, w or o): the same matches, and each
# position that cannot start one is ruled out by one class test instead of trying every alternative there.
_CLAUSE_END_RE = re.compile(r"(?=[\s;,bw])(?:\s*(?:[;,]|\bbut\b|\bwhile\b|\bwhereas\b|\s[–—-]))+\s*$", re.I)
_CLAUSE_SPLIT_RE = re.compile(
    r"(?=[\s;,bwo])\s*(?:[;,](?=\s)|\bbut\b|\bwhile\b|\bwhereas\b|\band then\b|\boh and\b|\s[–—-]\s)\s*",
    re.I,
)


# precompiled (they run per line or sentence; a pattern string pays re's cache lookup on every call)
_LEAD_GAP_RE = re.compile(r"[\W_]*(?:the\s+)?", re.I)
_PARENS_RE = re.compile(r"\([^)]*\)")
_RULE_CELL_RE = re.compile(r":?-{2,}:?|")
_EMPTY_CELL_RE = re.compile(r"[-–—]+|n/?a", re.I)
_ID_ONLINE_RE = re.compile(r"\b(?:id|online)\b", re.IGNORECASE)
_LETTER_RE = re.compile(r"[^\W\d_]")
_SPACES_RE = re.compile(r"\s{2,}")
_THREE_WORD_CHARS_RE = re.compile(r"\w(?:\W*\w){2}")  # a match <=> at least 3 word characters (the \W removed)


# a sentence that starts on another agenda topic names a workload in passing ("compete wise nothing for Windows")
_TOPIC_START_RE = re.compile(
    r"^\W*(?:compet\w*|partner\w*|licen\w*|lic\b|tenants?|other tenants?|asks?|timeline|risks?|source|politic\w*|"
    r"org chart|sync|rhythm|env\w*|background)\b",
    re.IGNORECASE,
)


# the first characters of a non-empty _AGENDA_PREFIX_RE match (it has no flags: case as written)
_AGENDA_FIRST = frozenset("☐☑✔✓✗•◦▪·§-oabcdefghijklmn")


def _clean(text: str) -> str:
    # both prefix patterns are anchored at the start (no MULTILINE): each matches there or nowhere, so a test of
    # the first character decides whether the sub can change anything (an empty agenda match removes nothing)
    if text.startswith("["):
        text = _CHAT_PREFIX_RE.sub("", text)
    if "*" in text or "_" in text:  # every emphasis match is a "*" or a "_"
        text = _EMPHASIS_RE.sub("", text)
    if text[:1] in _AGENDA_FIRST:
        text = _AGENDA_PREFIX_RE.sub("", text)
    return text.strip()


# a sentence is looked at as a line, a lead, a clause: its mentions are kept, cleared per extraction (read_intents)
_MENTIONS: dict[str, tuple[tuple[int, int, str], ...]] = {}
# A line's hint: its text and the workload starts it holds (Line.starts; None when not read). A text within that
# line holds no other start (a part of a line lowercases to that part of its lowercase, but for a final sigma; the
# starts are ASCII), so only those are tested.
_Hint = tuple[str, tuple[str, ...] | None]
_NO_HINT: _Hint = ("", None)


def _mentions(text: str, hint: _Hint = _NO_HINT) -> tuple[tuple[int, int, str], ...]:
    """Every workload name in text: (start, end, canonical workload), in order. `hint`: the line text is part of."""
    found = _MENTIONS.get(text)
    if found is None:
        if len(_MENTIONS) >= 4096:
            _MENTIONS.clear()
        line_text, present = hint
        lowered = text.lower()
        keys = lx.WORKLOAD_CUES.keys_in(lowered, present if present is not None and text in line_text else None)
        hits = [(m.start(), m.end(), w) for w in keys for m in lx.WORKLOAD_RES[w].finditer_at_starts(text, lowered)]
        found = _MENTIONS[text] = tuple(sorted(hits))
    return found


def _lead(text: str, hint: _Hint = _NO_HINT) -> tuple[list[str], str] | None:
    """The workloads a text starts with and the text after them: "SPO + ODB: in progress" -> (["SharePoint
    Online", "OneDrive"], "in progress"); None when the text does not start with a workload."""
    hits = _mentions(text[:160], hint)
    if not hits or not _LEAD_GAP_RE.fullmatch(text[: hits[0][0]]):
        return None
    named = [hits[0][2]]
    end = hits[0][1]
    for start, stop, w in hits[1:]:
        between = _PARENS_RE.sub("", text[end:start])
        if not _JOIN_RE.match(between):
            break
        if w not in named:
            named.append(w)
        end = stop
    m = _LEAD_SEP_RE.match(text[end:])
    if not m:
        return None
    rest = text[end + m.end() :].strip()
    if m.group(0).strip().lower() in ("is", "are", "has", "was", "were"):
        rest = text[hits[0][0] :].strip()  # "OneDrive is a different problem": the sentence stays whole
    return named, rest


def _table_cells(line: Line) -> list[str] | None:
    raw = line.raw.strip()
    if not raw.startswith("|") or raw.count("|") < 3:
        return None
    cells = [c.strip() for c in raw.strip("|").split("|")]
    if all(_RULE_CELL_RE.fullmatch(c) for c in cells):
        return None
    return cells


def _strip_scope(sentence: str, hint: _Hint = _NO_HINT) -> str:
    """A sentence without its scope statement: "so the red areas were Intune and Windows and basically Intune they
    do want it" -> "and basically Intune they do want it"; "" when the scope was all it said."""
    m = SCOPE_RE.search(sentence) if may_scope(sentence.lower()) else None
    if m is None:
        return "" if _is_scope_sentence(sentence) else sentence
    span_start = m.start(1)
    hits = [h for h in _mentions(sentence, hint) if h[0] >= span_start]
    if not hits:
        return sentence
    end = hits[0][1]
    for start, stop, _ in hits[1:]:
        if not _SCOPE_JOIN_RE.match(_PARENS_RE.sub("", sentence[end:start])):
            break
        end = stop
    end += len(re.match(r"(?:\s*\([^)]*\))?", sentence[end:]).group(0))  # type: ignore[union-attr]
    rest = sentence[end:].strip(" .,;:")
    return rest if len(rest.split()) >= 4 else ""


def _is_scope_sentence(sentence: str) -> bool:
    lowered = sentence.lower()
    return bool(may_scope(lowered) and SCOPE_RE.search(sentence)) or bool(
        "red" in lowered and SCOPE_BEFORE_RE.search(sentence)
    )


def _out_of_scope(sentence: str) -> bool:
    lowered = sentence.lower()
    return bool(lx.OUT_OF_SCOPE_RE.may_match(lowered) and lx.OUT_OF_SCOPE_RE.regex.search(sentence))


def _indent(raw: str) -> int:
    expanded = raw.expandtabs(4)  # once (it was expanded twice)
    return len(expanded) - len(expanded.lstrip())


# split_lines finds these starts on every line at once (Line.starts): a line's set holds every one it contains
_WORKLOAD_STARTS = frozenset(lx.WORKLOAD_CUES.prefixes)
assert all(start.isascii() for start in _WORKLOAD_STARTS)  # see _Hint
assert not lx.WORKLOAD_CUES.has_open  # every workload cue has a literal start (_statements skips lines holding none)
lx.LINE_STARTS.add(_WORKLOAD_STARTS)
lx.LINE_STARTS.add(lx.UNRESPONSIVE_RE.prefixes or ())  # read_intents: every alternative has a literal prefix
assert lx.UNRESPONSIVE_RE.prefixes is not None
lx.LINE_STARTS.add(lx.OUT_OF_SCOPE_RE.prefixes or ())  # _statements: the line-level pre-check of _out_of_scope
assert lx.OUT_OF_SCOPE_RE.prefixes is not None


def _may_scope_line(lowered: str) -> bool:
    """False only when no part of the line (lowercased: `lowered`) is a scope sentence: _is_scope_sentence needs
    a scope word or "red" in the part's lowercase, and a part of a line lowercases to that part of the line's
    lowercase but for a final sigma (no such word holds a sigma)."""
    return may_scope(lowered) or "red" in lowered


def _statements(lines: list[Line]) -> tuple[dict[str, list[Statement]], set[str]]:
    """Each workload's statements, and the workloads given their own line or row."""
    out: dict[str, list[Statement]] = {}
    led: set[str] = set()
    topic: tuple[list[str], int, Statement | None] | None = None  # (workloads, indent, their statement)
    heading: list[str] | None = None  # a line that is only a workload's name heads the bullets under it
    heading_indent = 0
    last_no = 0

    def add(
        workloads: list[str],
        text: str,
        line: Line,
        primary: bool,
        correction: bool = False,
        led_here: bool = False,
        note_text: str | None = None,
    ) -> Statement | None:
        text = text.strip(" .;:-–—")
        if not text or not workloads:
            return None
        last = None
        for w in workloads:
            last = Statement(text, line, primary, correction, led_here, note_text)
            out.setdefault(w, []).append(last)
        return last

    for line in lines:
        if heading is not None and (
            line.no > last_no + 1
            or line.header
            or line.in_actions
            or not (_BULLET_RE.match(line.raw) or _indent(line.raw) > heading_indent)
        ):
            heading = None  # a blank line, a header or a plain line ends a workload's section
        last_no = line.no
        if line.header or not line.text.strip():
            topic = None
            continue
        if line.in_actions:
            topic = None
            continue
        # the workload names' starts the line holds were found with every other line's (Line.starts)
        present = tuple(line.starts & _WORKLOAD_STARTS) if line.starts is not None else None
        if present == () and topic is None and heading is None:
            lowered = line.lower()
            if lowered.isascii() or not lx.has_case_fold_trap(lowered):
                continue  # keys_in would say none: no start held, no cue without one, no case-folding trap
        hint = (line.text, present)
        has_workload = lx.WORKLOAD_CUES.keys_in(line.lower(), present)
        if not has_workload and topic is None and heading is None:
            continue  # most lines: no workload named, none being spoken about
        if heading is not None and not line.raw.lstrip().startswith("|") and _lead(_clean(line.text), hint) is None:
            add(heading, _clean(line.text), line, primary=True, led_here=True)
            led.update(heading)
            continue
        if not line.raw.lstrip().startswith("|") and (named := _heading_workloads(line, hint)):
            heading, heading_indent, topic = named, _indent(line.raw), None
            continue
        cells = _table_cells(line)
        if cells is not None:
            topic = None
            first = cells[0]
            named = list(label_workloads(first.lower())) if first else []
            if named and _lead(first, hint) is not None or (named and workloads_in(first) and len(first) < 40):
                said = [c for c in cells[1:] if c and not _EMPTY_CELL_RE.fullmatch(c)]
                # the status and L2 cells are labels; the longest cell says the situation
                add(named, ". ".join(said), line, primary=True, led_here=True, note_text=max(said, key=len, default=""))
                led.update(named)
            continue
        text = _clean(line.text)
        indent = _indent(line.raw)
        correction = bool(_CORRECTION_RE.match(text))
        if not has_workload:
            # a line under a workload's line, or a correction of it, speaks about that workload
            if topic is not None and (indent > topic[1] or correction):
                body = _CORRECTION_RE.sub("", text).strip()
                # an indented line of a later part (an inline "[CO]" correction, a reply) overrides the line above
                later = topic[2] is not None and line.part > topic[2].line.part
                add(
                    topic[0],
                    body,
                    line,
                    primary=True,
                    correction=correction or later,
                    led_here=topic[2] is not None and topic[2].led,
                )
                continue
            topic = None
            continue
        lead = None
        if line.label and (named := list(label_workloads(line.label))):
            lead = (named, _clean(line.body))
        else:
            lead = _lead(text, hint)
        # what the line's lowercase lacks, each part of the line lacks (see _may_scope_line)
        scope_line = _may_scope_line(line.lower())
        if lead is not None:
            named, rest = lead
            if (scope_line or text not in line.text) and _is_scope_sentence(text):
                topic = None
                continue
            statement = None
            for piece in _led_pieces(named, rest, scope_line or rest not in line.text, hint):
                statement = add(piece[0], piece[1], line, primary=True, correction=correction, led_here=True)
                led.update(piece[0])
            topic = (named, indent, statement)
            continue
        topic_here: list[str] | None = None
        # the sentences are parts of the line when the cleaning removed no emphasis inside it: then the line's
        # starts (Line.starts, OUT_OF_SCOPE_RE's included) and lowercase rule each test out for all of them at once
        whole = text in line.text
        may_out = not whole or lx.OUT_OF_SCOPE_RE.may_match(line.lower(), line.starts)
        may_scope_here = not whole or scope_line
        for sentence in SENTENCE_SPLIT_RE.split(text):
            sentence = sentence.strip()
            if not sentence:
                continue
            if may_out and _out_of_scope(sentence):
                topic_here = None
                continue
            if may_scope_here and _is_scope_sentence(sentence):
                topic_here = None
                sentence = _strip_scope(sentence, hint)  # a run-on sentence may go on past its scope words
                if not sentence:
                    continue
            hits = _mentions(sentence, hint)
            named_here = list(dict.fromkeys(w for _, _, w in hits))
            if not named_here:
                if topic_here:
                    add(topic_here, sentence, line, primary=True)
                continue
            before = sentence[: hits[0][0]]
            subject = (
                len(before.split()) <= 4
                and before.count("(") <= before.count(")")  # "Ravi Menon, TSP (Copilot)" names it in passing
                and (line.label is None or not before.strip())
                and not _TOPIC_START_RE.match(sentence)
            )
            if topic_here and (named_here == topic_here or not subject):
                # "Teams is a different story. Victor said … no intent to move to Teams": the paragraph's topic
                # goes on; a workload named in passing ("… laptops still on Windows 10") does not take it over
                add(topic_here, sentence, line, primary=True)
                continue
            if len(named_here) == 1:
                # "Exchange is the problem.", "That is the whole Teams story." lead a paragraph; a passing
                # mention deeper in a sentence ("… timeouts in Teams and Outlook") does not
                add(named_here, sentence, line, primary=subject)
                topic_here = named_here if subject else None
                continue
            topic_here = None
            for workloads, clause in _clauses(sentence, hint=hint):
                add(workloads, clause, line, primary=True)
        topic = None
    return out, led


def _led_pieces(
    named: list[str], rest: str, may_scope_here: bool = True, hint: _Hint = _NO_HINT
) -> list[tuple[list[str], str]]:
    """A led line's text cut where a sentence or clause leads with other workloads: "intune: no intent b/c freeze.
    defender: using crowdstrike" -> [(["Intune"], "no intent b/c freeze"), (["Defender"], "using crowdstrike")];
    "Teams is live; SharePoint TBD" -> Teams, then SharePoint Online. `may_scope_here` False: no part of `rest` is
    a scope sentence (_may_scope_line said so for a line holding it); `hint`: the line's (see _Hint)."""
    pieces: list[tuple[list[str], list[str]]] = [(named, [])]
    for sentence in _KEEP_SPLIT_RE.split(rest):  # sentences keep their own full stops
        sentence = sentence.strip()
        if not sentence:
            continue
        lead = _lead(sentence, hint)
        if lead is not None and lead[0] != pieces[-1][0] and not (may_scope_here and _is_scope_sentence(sentence)):
            pieces.append((lead[0], [lead[1]]))
            continue
        clauses = _clauses(sentence, carry=pieces[-1][0], hint=hint) if len(_mentions(sentence, hint)) else []
        if not any(w != pieces[-1][0] and _leads_with(c, hint) for w, c in clauses):
            pieces[-1][1].append(sentence)
            continue
        for workloads, clause in clauses:
            if workloads != pieces[-1][0] and _leads_with(clause, hint):
                pieces.append((workloads, [clause]))
            else:
                pieces[-1][1].append(clause)
    return [(w, " ".join(t)) for w, t in pieces if " ".join(t).strip()]


def _leads_with(clause: str, hint: _Hint = _NO_HINT) -> bool:
    hits = _mentions(clause, hint)
    return bool(hits) and len(clause[: hits[0][0]].split()) <= 1


_BULLET_RE = re.compile(r"^\s*(?:[-*•◦▪·☐☑✔✓]|\d{1,2}[.)]|o\s|[a-z][.)]\s|[ivx]{1,4}[.)]\s)")
_OUTLINE_NUMBER_RE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[a-z][.)]|[ivx]{1,4}[.)]|#+)\s+", re.IGNORECASE)
_HEADING_JOIN_RE = re.compile(r"^[\s+/&,:#*_=–—-]*(?:and[\s+/&,:#*_=–—-]*)*$", re.IGNORECASE)


def _heading_workloads(line: Line, hint: _Hint = _NO_HINT) -> list[str]:
    """The workloads a heading line names, when the line is nothing but their names ("Teams", "ONEDRIVE",
    "## SharePoint Online:"); [] for any other line."""
    text = _OUTLINE_NUMBER_RE.sub("", line.text.strip())
    if len(text) > 60:
        return []
    hits = _mentions(text, hint)
    if not hits:
        return []
    rest, at = [], 0
    for start, end, _ in hits:
        rest.append(text[at:start])
        at = end
    rest.append(text[at:])
    leftover = _ID_ONLINE_RE.sub("", "".join(rest))
    heads = _HEADING_JOIN_RE.match(leftover) or not _LETTER_RE.search(leftover)  # "💬 Teams ⏳"
    return list(dict.fromkeys(w for _, _, w in hits)) if heads else []


def _clauses(sentence: str, carry: list[str] | None = None, hint: _Hint = _NO_HINT) -> list[tuple[list[str], str]]:
    """A sentence naming several workloads cut into clauses, each with the workloads it names; a clause naming
    none, or naming one only in passing (not within its first words), joins the one before it. "Intent is real
    for Teams, SharePoint not yet decided" -> two clauses; "For Intune, they are blocked because laptops are still
    on Windows 10 builds" -> one, about Intune. Clauses before the first workload go to `carry` when given (the
    workload a led line is about), else to the first clause that names one."""
    parts, at = [], 0  # the clauses with the separator that ends each, so joining them keeps the punctuation
    for m in _CLAUSE_SPLIT_RE.finditer(sentence):
        parts.append(sentence[at : m.end()])
        at = m.end()
    parts.append(sentence[at:])
    parts = [p for p in parts if p.strip(" ,;–—-")]
    out: list[tuple[list[str], str]] = [(carry, "")] if carry else []
    for part in parts:
        hits = _mentions(part, hint)
        named = list(dict.fromkeys(w for _, _, w in hits))
        leads = bool(hits) and len(part[: hits[0][0]].split()) <= 3
        if named and (leads or not out):
            out.append((named, part))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + part)
        # else: words before the first workload named (no carry) are not about any of them
    out = [(w, _CLAUSE_END_RE.sub("", t)) for w, t in out if t.strip(" ,;–—-")]
    if len(out) == 1 and carry is None:
        # one clause: it is about the workloads it leads with ("Teams broad rollout after mail"), or all it names
        hits = _mentions(sentence, hint)
        leading = [w for start, _, w in hits if len(sentence[:start].split()) <= 3]
        return [(list(dict.fromkeys(leading)) or out[0][0], sentence)]
    return out


# ------------------------------------------------------------------------------------------------ reading


def _read(workload: str, statements: list[Statement]) -> tuple[Reading, list[Statement]]:
    """The reading of a workload's statements, and the statements it rests on."""
    # a workload with its own line or row is described there; else the sentences led by it; else passing mentions
    primary = [s for s in statements if s.led] or [s for s in statements if s.primary] or statements
    primary = primary[:8]  # a long note can give a workload thousands of sentences
    corrections = [s for s in primary if s.correction]
    if corrections:
        reading = classify_text(" ".join(s.text for s in corrections), workload)
        if reading.status is not None:
            return reading, corrections
    for s in primary:
        label = explicit_label(s.text, workload)
        if label is not None:
            status, reason = label
            rest = [s] + [x for x in primary if not x.correction and x is not s]
            if reason is None:
                reading = classify_text(" ".join(x.text for x in rest), workload, status=status)
                reason = reading.reason
            return Reading(status=status, reason=reason, explicit=True), rest
    reading = classify_text(" ".join(s.text for s in primary), workload)
    return reading, primary


def _says_intent(statements: list[Statement]) -> bool:
    """A workload outside the scope gets an intent when a sentence led by it says a status in cue words
    ("Exchange already in EXO, done."), not when it is only named in passing."""
    primary = [s.text for s in statements if s.primary][:4]
    return bool(primary) and classify_text(" ".join(primary), linear=None).status is not None


def _intent(workload: str, statements: list[Statement]) -> ServiceIntent:
    reading, used = _read(workload, statements)
    lines = {id(s.line): s.line for s in used}
    sources = dedupe_sources(line.source() for line in lines.values())
    status: IntentStatus = reading.status or "Status Unknown"
    reason: IntentReason | None = reading.reason
    if status == "Duplicate/Invalid":
        reason = None
    if reading.status is None:
        note = unknown_note(workload)
    else:
        note = intent_note(workload, [s.note_text or s.text for s in used], status, reason)
    return ServiceIntent(workload=workload, status=status, reason=reason, note=note, sources=sources)


def unknown_note(workload: str) -> str:
    """The note of a workload the call said nothing about (agenda item c still to do)."""
    return (
        f"Intent for {workload} was not discussed on the account-team call; ask the account team whether the "
        "customer plans to deploy it and, if not, why."
    )


# status words alone at the start ("Stuck. Their core app …", "Under way. Autopilot …") are labels too
_STATUS_WORD_RE = re.compile(
    r"^(?:stuck|under ?way|on track|not interested|parked|paused|on hold|tbd|tbc|not started|going well)\s*[.:–—-]\s+",
    re.IGNORECASE,
)
_LABEL_ECHO_RE = re.compile(
    r"^(?:(?:in progress|in prog|blocked|no intent|status unknown|unknown|duplicate(?:\s*/\s*invalid)?|invalid|done|ok)"
    r"\b\s*(?:[/(:–—-]\s*[^.:)]{0,60}\)?)?[\s.,:;–—-]*)+",
    re.IGNORECASE,
)
_VAGUE_RE = re.compile(
    r",?\s*\b(?:for now|currently|at the moment|right now|as of now|yet|so far|still)\b,?", re.IGNORECASE
)
_CORRECTION_LEAD_RE = re.compile(r"^(?:not quite|actually|correction)\s*[–—:,-]\s*", re.I)
_FIRST_PERSON_CALL_RE = re.compile(r"\s*\bI[’']d call it [^.]*\.?", re.I)


# Every _VAGUE_RE match holds one of these words (any case): a sentence whose lowercase text holds none, and no
# character that IGNORECASE reads as an ASCII letter without lower() making it one ("ſ", "ı"), has no match.
_VAGUE_WORDS = ("for now", "currently", "at the moment", "right now", "as of now", "yet", "so far", "still")


def _may_be_vague(sentence: str) -> bool:
    lowered = sentence.lower()
    return any(map(lowered.__contains__, _VAGUE_WORDS)) or lx.has_case_fold_trap(sentence)


def _sentence_parts(text: str) -> list[str]:
    return [s.strip() for s in _KEEP_SPLIT_RE.split(text) if s.strip()]


def intent_note(workload: str, texts: list[str], status: str, reason: str | None) -> str:
    """One or two clean sentences with the situation and the reason, from the workload's own statements.

    No label echo ("Blocked: …", "In Progress (Migration). …"), no vague time words (for now, currently, yet),
    no agenda or chat prefixes; dates and counts are kept as written. For Customer Unresponsive the sentences with
    the contact attempts and the account being managed come first. Rendered by the FTOP template after
    "<workload> — <status> (<reason>): ". Source: domain.md, "FTOP notes"."""
    sentences: list[str] = []
    for text in texts:
        text = _STATUS_WORD_RE.sub("", _LABEL_ECHO_RE.sub("", text.strip()))
        text = _CORRECTION_LEAD_RE.sub("", text)
        text = _FIRST_PERSON_CALL_RE.sub("", text)
        for s in _sentence_parts(text):
            if _may_be_vague(s):
                s = _VAGUE_RE.sub("", s)
            s = s.strip(" ,;–—-")
            s = _SPACES_RE.sub(" ", s)
            if _THREE_WORD_CHARS_RE.search(s) and s not in sentences:
                sentences.append(s)
    if not sentences:
        return f"{workload}: intent stated on the call with no further detail."
    picked = _pick(sentences, reason)
    note = " ".join(_finish(tidy(s)) for s in picked)
    return note


def _pick(sentences: list[str], reason: str | None) -> list[str]:
    """Up to two sentences, in the notes' order: the first that says something (a sentence of a few words with
    no cue, "That is the whole Teams story.", says nothing), and the one that best says the reason."""

    strengths: dict[str, float] = {}  # reason_strength is pure: each sentence is scored once (asked up to 3 times)

    def strength(sentence: str) -> float:
        if (found := strengths.get(sentence)) is None:
            found = strengths[sentence] = reason_strength(sentence, reason)
        return found

    def says_something(sentence: str) -> bool:
        return len(sentence.split()) > 7 or strength(sentence) > 0 or status_strength(sentence) > 0

    if reason == "Customer Unresponsive":
        # domain.md: the note says how many contact attempts were made and whether the account is managed
        attempts = [s for s in sentences if re.search(r"\d|\battempts?\b|\btimes\b|\btwice\b", s, re.I)]
        managed = [s for s in sentences if re.search(r"\bmanaged\b|\bunmanaged\b", s, re.I)]
        chosen = list(dict.fromkeys([*attempts[:1], *managed[:1]]))
        chosen += [s for s in sentences if s not in chosen][: max(0, 2 - len(chosen))]
        return [s for s in sentences if s in chosen]
    saying = [s for s in sentences[:12] if says_something(s)] or sentences
    first = saying[0]
    rest = saying[1:]
    if not rest:
        return [first]
    best = max(rest, key=strength)
    if strength(best) > strength(first) or len(first) < 60:
        return [first, best]
    return [first]


def _finish(sentence: str) -> str:
    sentence = sentence.strip().rstrip(";,:–—- ")
    if not sentence:
        return sentence
    sentence = sentence[0].upper() + sentence[1:]
    return sentence if sentence[-1] in '.!?)"”' else sentence + "."


# ------------------------------------------------------------------------------------------------ entry point


def read_intents(lines: list[Line], scope: list[str], scope_lines: list[Line]) -> list[ServiceIntent]:
    """One ServiceIntent per workload in scope, then per other workload given its own line or a status word."""
    del scope_lines  # scope sentences are recognised where they stand
    clear_memo()
    _MENTIONS.clear()
    statements, led = _statements(lines)
    intents: list[ServiceIntent] = []
    for w in dict.fromkeys([*scope, *statements]):
        found = statements.get(w, [])
        if w not in scope and w not in led and not _says_intent(found):
            continue
        intents.append(_intent(w, found))
    # "customer has not replied to 3 emails" on its own line explains every workload left unknown
    cue = lx.UNRESPONSIVE_RE  # its prefixes are in lexicon.LINE_STARTS: Line.starts answers may_match with a set test
    unresponsive = next(
        (line for line in lines if cue.may_match(line.lower(), line.starts) and cue.search(line.text)), None
    )
    if unresponsive is not None:
        for intent in intents:
            if intent.status == "Status Unknown" and intent.reason is None:
                intent.reason = "Customer Unresponsive"
                intent.note = intent_note(intent.workload, [unresponsive.text], "Status Unknown", intent.reason)
                intent.sources = dedupe_sources([*intent.sources, unresponsive.source()])
    return intents


def intent_open_items(intents: list[ServiceIntent], existing: list[OpenItem]) -> list[OpenItem]:
    """Agenda item c's question for each workload in scope the call said nothing about (Status Unknown, no
    reason), when the open items do not already ask it for every workload (item c wholly unanswered).

    Returns new OpenItem(agenda_item="c") entries, one per such workload, in the intents' order. Source of the
    question: the seed's agenda item c (validate intent for the RFA or Health workloads; why blocked / no intent)."""
    if any(o.agenda_item == "c" for o in existing):
        return []
    return [
        OpenItem(
            text=f"Confirm the customer's intent for {i.workload} (in scope, not discussed on the call), and why if "
            "it is blocked or has no intent.",
            agenda_item="c",
        )
        for i in intents
        if i.status == "Status Unknown" and i.reason is None
    ]
