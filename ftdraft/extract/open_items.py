"""Open items: what the notes leave unsure ("??", TBD, check, confirm, "who owns Teams?"), to confirm after the call,
with who should answer when the notes name one."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import lexicon as lx
from ..dates import LazyPattern
from ..schemas import OpenItem
from .actions import ACTION_RE
from .lines import Line
from .people import People
from .text import ANY_ROLE, NAME_PATTERN, clean_sentence, not_discussed_text, tidy

_ROLE_UNKNOWN_RE = re.compile(rf"\b({ANY_ROLE})\s*(?:=|:|\bis\b)?\s*\?+(?:\s*\((?:ask|check with) ({NAME_PATTERN})\))?")

DATA_PATH = Path(__file__).parent.parent / "data" / "answers.toml"


def load_data() -> dict[str, Any]:
    """{"answer": [{name, pattern, examples, not}], "open": [...]} as in ftdraft/data/answers.toml."""
    with DATA_PATH.open("rb") as f:
        return tomllib.load(f)


DATA = load_data()
ANSWER_RE = re.compile(r"^\W*(?:" + "|".join(f"(?:{e['pattern']})" for e in DATA["answer"]) + r")\W*$", re.IGNORECASE)
OPEN_RE = LazyPattern("|".join(f"(?:{e['pattern']})" for e in DATA["open"]), re.IGNORECASE)
_HEDGED_RE = LazyPattern(next(e["pattern"] for e in DATA["open"] if e["name"] == "hedged"), re.IGNORECASE)


def _top_alternatives(pattern: str) -> list[str]:
    """A pattern's top-level alternatives ("a|(?:b|c)" -> ["a", "(?:b|c)"])."""
    out, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def _literal_start(alternative: str) -> str | None:
    """The literal text an alternative starts with (after a leading \\b), lowercased; None when under 3 characters."""
    text = alternative.removeprefix("\\b")
    end = next((i for i, ch in enumerate(text) if ch in "\\.^$*+?{}[]|()"), len(text))
    if end < len(text) and text[end] in "?*{":
        end -= 1  # "didn['’]?t": the quantifier's letter is optional
    literal = text[:end].lower()
    return literal if len(literal) >= 3 else None


class PrefixedCues:
    """Cue patterns behind their literal starts: a text holding none of them is never searched, and each start's
    patterns are compiled on first need (the ~100 open-item cues cost tens of ms to compile all at once)."""

    def __init__(self, pattern: str) -> None:
        groups: dict[str | None, list[str]] = {}
        for alternative in _top_alternatives(pattern):
            # the starts lexicon.literal_starts reads ("(?:need|needs) to" -> "need to", "needs to"), else the
            # literal text it begins with; an alternative with several starts sits behind each
            starts = lx.literal_starts(alternative) or (_literal_start(alternative),)
            for start in starts:
                groups.setdefault(start, []).append(alternative)
        self.starts = tuple(start for start in groups if start is not None)
        self._groups = groups
        self._compiled: dict[str | None, re.Pattern[str]] = {}

    def _rx(self, start: str | None) -> re.Pattern[str]:
        if start not in self._compiled:
            self._compiled[start] = re.compile("|".join(self._groups[start]), re.IGNORECASE)
        return self._compiled[start]

    def found(self, lowered: str, present: Iterable[str] | None = None) -> bool:
        """Whether a cue matches `lowered` (lowercased text). `present`, when given, holds every start of these cues
        that `lowered` holds (more do no harm: the regex decides), such as the starts of a line that `lowered` is
        part of (Line.starts: lexicon.LINE_STARTS holds them); then only those are tested."""
        if None in self._groups and self._rx(None).search(lowered):
            return True
        # only the starts the text holds (one C-level pass over them), each start's patterns searched in order
        starts = filter(lowered.__contains__, self.starts if present is None else present)
        return any(self._rx(start).search(lowered) for start in starts if start in self._groups)


_OPEN_CUES = PrefixedCues("|".join(e["pattern"] for e in DATA["open"]))
_HEDGED_CUES = PrefixedCues(next(e["pattern"] for e in DATA["open"] if e["name"] == "hedged"))
lx.LINE_STARTS.add(_OPEN_CUES.starts)
_OPEN_STARTS = frozenset(_OPEN_CUES.starts)
assert None not in _OPEN_CUES._groups  # every open cue has a literal start (open_items_from_notes relies on it)
# lexicon.LINE_STARTS holds the topics' starts: Line.starts has those the line holds, and so those any part of it
# holds (a part of a line lowercases to that part of its lowercase but for a final sigma, which no start holds).
# "Any topic cue matches" is TOPICS.keys_in(...) being non-empty: the same regexes behind the same starts.
_TOPIC_STARTS = frozenset(lx.TOPICS.prefixes)
assert not any(ch in start for start in _TOPIC_STARTS for ch in "σς")


# lexicon.LINE_STARTS holds the uncertainty cue's starts (split_lines reads them): a line's set holds those it holds
_UNCERTAIN_STARTS = frozenset(lx.UNCERTAIN_RE.starts)
assert lx.LINE_STARTS.holds(_UNCERTAIN_STARTS) and not any(ch in s for s in _UNCERTAIN_STARTS for ch in "σς")


def _uncertain(lowered: str, line_lower: str, line_starts: frozenset[str] | None) -> bool:
    """lx.UNCERTAIN_RE.found(lowered) for a lowercased part of a line (`line_lower`; `line_starts`: the cue's starts
    the line holds, or None when not read): the starts `lowered` holds are among the line's (a part of a line
    lowercases to that part of its lowercase but for a final sigma, which no start holds), so only those are tested."""
    if line_starts is None or lowered not in line_lower:
        return lx.UNCERTAIN_RE.found(lowered)
    return lx.UNCERTAIN_RE.found(lowered, [start for start in line_starts if start in lowered])


def _open_cue(lowered: str, hint: frozenset[str] | None = None) -> bool:
    """OPEN_RE.search on a lowercased text, without compiling or running the whole alternation. `hint`: the open-item
    starts of a line whose lowercase holds `lowered` (a start in `lowered` is in the line)."""
    return _OPEN_CUES.found(lowered, hint)


def _hedged(lowered: str) -> bool:
    return _HEDGED_CUES.found(lowered)


_INLINE_QUESTION_RE = re.compile(r"\(\w+\?\)")  # "(count?)"


# the agenda facts a hedge ("maybe", "X thinks") leaves open: environment, licenses, compete, source, partner,
# tenants, org chart, political changes
_FACT_TOPICS = frozenset("defghijk")
_ASKS_RE = re.compile(r"\b(?:confirm|check|verify|ask)\b", re.IGNORECASE)
# every alternative's match starts with a space: the lookahead rules the other positions out with one class test
_CLAUSE_RE = re.compile(r"(?=\s)(?:(?<=[.!?;])\s+|\s+[–—]\s+|\s+-\s+(?=[a-z]))")


_ABBREVIATION_END_RE = re.compile(r"(?:^|\W)(?:dr|mr|mrs|ms|prof|st|approx|vs|e\.g|i\.e|etc|inc|ltd|no)\.$", re.I)
# "@Julian can you send the intro ... by Friday?": a request, an action for the one addressed, not an open question
_REQUEST_RE = re.compile(
    r"^\W*(?:@[^\W\d_][\w\-]*(?:\s+[^\W\d_][\w\-]*){0,2}\s+)?(?:pls |please )?(?:can|could|would|will) you\b", re.I
)


_STATUS_UNKNOWN_RE = re.compile(r"status unknown", re.I)
_OWN_LABEL_RE = re.compile(r"^[^\W\d_][\w /&.\-]{0,30}:\s")


def _clauses(text: str) -> list[str]:
    """The clauses of a line: split after . ! ? ; and at dashes, never after "Dr." or "e.g."."""
    out: list[str] = []
    for part in _CLAUSE_RE.split(text):
        if not part or not part.strip():
            continue
        if out and out[-1].endswith(".") and _ABBREVIATION_END_RE.search(out[-1]):  # its matches end with "."
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def is_answer(text: str) -> bool:
    """ "none", "n/a", "no partner", "not yet": a reply that settles an agenda item (source: issue 8)."""
    return ANSWER_RE.match(text) is not None


def left_open(clause: str, following: str, topics: set[str], hint: frozenset[str] | None = None) -> bool:
    """Whether a clause leaves its point open: it holds an open-cue ("nobody sure", "not confirmed", "didn't get to
    it"), or it is a question nothing in `following` answers ("who owns Teams?"; "Partner? none" is answered), or
    it hedges ("maybe", "X thinks") a fact the agenda asks for. `hint`: as for _open_cue, for the clause."""
    lowered = clause.lower()
    if _open_cue(lowered, hint) and not (_hedged(lowered) and not _open_cue(_HEDGED_RE.sub("", lowered))):
        return True
    if "?)" in clause and _INLINE_QUESTION_RE.search(clause):
        return True
    if clause.rstrip().endswith("?") and not clause.rstrip().endswith("??"):
        rest = following.strip()
        return not rest or is_answer(rest.split(".")[0]) is False and len(rest.split()) <= 3 or _open_cue(rest.lower())
    return bool(topics & _FACT_TOPICS) and _hedged(lowered)


_ACTION_HINT_RE = re.compile(r"\s(?:to|will|shall|owns)\s|['’]ll\s")


def may_act(text: str) -> bool:
    """Whether text can hold an action clause (ACTION_RE's verb between whitespace): a cheap pre-check."""
    return ("to" in text or "ll" in text or "owns" in text) and _ACTION_HINT_RE.search(text) is not None


_ASKED_WORDS = ("ask", "check with", "confirm with", "follow up with")  # _ASKED_RE is case-sensitive


_ASKED_RE = re.compile(rf"\b(?:ask|check with|confirm with|follow up with) ({NAME_PATTERN})")


def open_items_from_notes(lines: list[Line], people: People) -> list[OpenItem]:
    """What the notes leave open, as items to confirm: lines the FM marked unsure ("??", TBD, check, confirm, how
    many?), questions nothing answers ("who owns Teams?", "Do they want one? Not discussed"), "nobody sure",
    "not confirmed", "X doesn't know", "didn't get to it", "open q". Each item names its topic (the line's label
    when the clause does not) and an owner only when the notes name who should answer ("ask Priya", "Kasia to
    check"). A ticked (done) line, a title and an answer ("Partner? none", "n/a") give none. A line saying only that
    an agenda topic was not discussed gives none either: the unanswered agenda item asks for it."""
    items: list[OpenItem] = []
    # owners are resolved against every attendee, and the same few names recur: each is resolved once (the
    # attendees do not change while the open items are read)
    owner_names: dict[str, str | None] = {}

    def owner_name(token: str) -> str | None:
        if token not in owner_names:
            owner_names[token] = people.owner_name(token)[0]
        return owner_names[token]

    for line in lines:
        if line.header or line.done:
            continue
        text = line.text
        # the line's open-item starts (Line.starts holds every registered start the line holds): the starts found
        # tests, and the hint for its clauses below
        line_open = _OPEN_STARTS.intersection(line.starts) if line.starts is not None else None
        # (with no open-item start in the line, found says False: every open cue has a start, asserted below)
        cued = (
            line.uncertain
            or ("?" in text)
            or (line_open is None or bool(line_open))
            and _OPEN_CUES.found(line.lower(), line_open)
        )
        if not cued:
            continue
        # "ATS = ??", "AE ?": the pattern needs a literal "?"
        unknown_roles = list(_ROLE_UNKNOWN_RE.finditer(text)) if "?" in text else []
        for m in unknown_roles:
            who = owner_name(m.group(2)) if m.group(2) else None
            ask = f" (ask {who})" if who else ""
            items.append(
                OpenItem(text=f"Confirm who the {m.group(1).upper()} is{ask}.", owner=None, sources=[line.source()])
            )
        rest_text = _ROLE_UNKNOWN_RE.sub("", text) if unknown_roles else text  # sub without a match: the same text
        clauses = _clauses(rest_text)
        # the line's open-item starts stand in for a clause's when the clause is part of the line (a start in it is
        # in the line); a clause rebuilt from parts is tested on its own
        line_lower = line.lower()
        line_uncertain = _UNCERTAIN_STARTS.intersection(line.starts) if line.starts is not None else None

        def hint(
            part: str, line_lower: str = line_lower, line_open: frozenset[str] | None = line_open
        ) -> frozenset[str] | None:
            return line_open if line_open is not None and part in line_lower else None

        def topic_hint(part: str, line: Line = line, line_lower: str = line_lower) -> tuple[str, ...] | None:
            # a topic's start in a part of the line is in the line (keys_in takes a superset; see _TOPIC_STARTS)
            return (
                tuple(_TOPIC_STARTS.intersection(line.starts))
                if line.starts is not None and part in line_lower
                else None
            )

        spans: list[list[int]] = []  # [start, end) clause ranges left open, adjacent ones joined
        for i, clause in enumerate(clauses):
            if spans and i < spans[-1][1]:
                continue
            lowered = clause.lower()
            following = " ".join(clauses[i + 1 : i + 2])
            cue_text = _STATUS_UNKNOWN_RE.sub("", lowered)  # "OneDrive – Status Unknown" is an intent, not a question
            if not (
                _uncertain(cue_text, line_lower, line_uncertain)
                or left_open(cue_text, following, line.topics, hint(cue_text))
            ):
                continue
            if _REQUEST_RE.match(clause) and not _open_cue(lowered, hint(lowered)):
                continue  # "@Oskar can you ask the rep ...?" asks someone to act: an action, not an open question
            if not_discussed_text(clause) and lx.TOPICS.keys_in(lowered, topic_hint(lowered)):
                continue  # "timeline?? not discussed": the unanswered agenda item asks for it
            # a short clause ("nobody sure", "Kasia to check", "Not confirmed.") says what is open about the one before
            start = i
            floor = spans[-1][1] if spans else 0
            while start > floor and (
                len(" ".join(clauses[start : i + 1]).split()) <= 6 or len(clauses[start - 1].split()) <= 3
            ):
                start -= 1
            # "can FT run the batches? = no, ... Still open": what is open is the question a few clauses back
            back = next(
                (k for k in range(start - 1, max(floor, start - 3) - 1, -1) if clauses[k].rstrip().endswith("?")), None
            )
            if back is not None:
                start = back
            end = i + 1  # "E3? Tom to check", "FRP? nobody sure": the short clause after says who or why
            while (
                end < len(clauses)
                and len(clauses[end].split()) <= 6
                and (
                    _open_cue(clauses[end].lower(), hint(clauses[end].lower()))
                    or _uncertain(clauses[end].lower(), line_lower, line_uncertain)
                )
            ):
                end += 1
            if spans and spans[-1][1] == start:
                spans[-1][1] = end  # "lic: e3? e5? nobody had numbers": one question, one item
            else:
                spans.append([start, end])
        for start, end in spans:
            span = " ".join(c.strip() for c in clauses[start:end])
            if not_discussed_text(span) and lx.TOPICS.keys_in(span.lower(), topic_hint(span.lower())):
                continue
            owner = None
            asked = _ASKED_RE.search(span) if any(map(span.__contains__, _ASKED_WORDS)) else None
            acting = ACTION_RE.search(span) if may_act(span) else None
            if asked or (acting and (people.find(acting.group(1)) or acting.group(1).lower() in ("me", "i"))):
                owner = owner_name((asked or acting).group(1))  # type: ignore[union-attr]
            item = tidy(span)
            # the line's label names the topic when the clause names none of its own ("Licenses: ... open.")
            label = line.label
            if label and label.lower() not in item.lower() and not _OWN_LABEL_RE.match(item):
                lowered_item = item.lower()
                named = lx.TOPICS.keys_in(lowered_item, topic_hint(lowered_item))
                item = item if named else f"{label[:1].upper()}{label[1:]}: {item}"
            if not _ASKS_RE.search(item):
                item = f"Confirm: {item}"
            items.append(OpenItem(text=clean_sentence(item), owner=owner, sources=[line.source()]))
    return items
