"""The vocabulary the rules read notes with: roles, workloads, competitors, topic and intent cue words."""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import Any

from .substrings import Substrings

_META = set("\\()[]{}?*+|.^$")


def _split_top(pattern: str) -> list[str]:
    """A pattern's top-level alternatives ("a|(?:b|c)" -> ["a", "(?:b|c)"])."""
    out, depth, cur, i = [], 0, [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":  # a class may hold "|" or ")" literally
            end = pattern.find("]", i + 2)
            end = len(pattern) - 1 if end < 0 else end
            cur.append(pattern[i : end + 1])
            i = end + 1
            continue
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


_ZERO_WIDTH_RE = re.compile(r"\\[bBAZ]|\^|\$|\(\?<?[=!]")
# A part with more variants than this, after the first, cuts the starts before it: each start is one more substring
# test on every text, and "by jan" .. "by dec" test no better than "by ".
_MAX_STARTS = 16


def literal_starts(alternative: str) -> tuple[str, ...] | None:
    """Literal texts (lowercased) one of which every match of one alternative holds (it starts with one, or with a
    longer text that holds one), or None when they cannot be read off: "(?:took|ran) (?:\\w+ )?through" ->
    ("ran ", "took "); "(?:fasttrack|ft) engagement" -> ("fasttrack engagement", "ft engagement"). A text holding
    none of them cannot match (the callers deal with case-folding traps), so a few substring tests stand in for the
    regex on most texts. Source: Python's re syntax; tests/test_lexicon.py checks every cue on the notes' lines."""
    found = _starts(alternative)
    if found is None:
        return None
    starts = {t.lower() for t in found[0]}
    if not starts or any(not t.strip() for t in starts):
        return None
    # a start that holds a shorter one adds no test: where it occurs, the shorter one does
    return tuple(sorted(t for t in starts if not any(u != t and u in t for u in starts)))


def _starts(s: str) -> tuple[set[str], bool] | None:
    """(the literal texts every match of `s` starts with, whether each is a whole match), or None when no literal
    text starts every match. Zero-width assertions (\\b, ^, lookarounds) are skipped: they consume nothing, so the
    literal text around them is still consecutive in the match. An optional part ("x?", "(?:the )?") gives a start
    with it and one without."""
    alternatives = _split_top(s)
    if len(alternatives) > 1:
        found = [_starts(alt) for alt in alternatives]
        if any(x is None for x in found):
            return None
        return {t for x in found for t in x[0]}, all(x[1] for x in found)  # type: ignore[index]
    starts, i = {""}, 0

    def cut() -> tuple[set[str], bool] | None:  # the starts so far, with more of the match unknown after them
        return (starts, False) if starts != {""} else None

    while i < len(s):
        if (z := _ZERO_WIDTH_RE.match(s, i)) is not None:
            i = z.end() if not z.group(0).startswith("(") else i + _group_end(s[i:]) + 1
            continue
        ch = s[i]
        if ch == "(" and (s.startswith("(?:", i) or not s.startswith("(?", i)):
            end = i + _group_end(s[i:])
            inner = _starts(s[i + (3 if s[i + 1] == "?" else 1) : end])
            texts, whole, nxt = (inner[0], inner[1], end + 1) if inner is not None else (set(), False, end + 1)
        elif ch == "[" and (chars := _class_chars(s, i)) is not None:
            texts, whole, nxt = chars[0], True, chars[1]  # "[cs]", "['’]", "[1-5]": one text per character
        elif ch == "\\" and i + 1 < len(s) and not s[i + 1].isalnum():
            texts, whole, nxt = {s[i + 1]}, True, i + 2  # an escaped punctuation mark ("\\?") is that character
        elif ch in _META:
            return cut()
        else:
            texts, whole, nxt = {ch}, True, i + 1
        quantifier = s[nxt] if nxt < len(s) else ""
        if quantifier == "?" and texts:
            texts, nxt = texts | {""}, nxt + 1 + (s[nxt + 1 : nxt + 2] == "?")  # "x?", "x??": with and without
        elif quantifier in ("*", "+", "{") or not texts:
            # "*", "{0,n}": the part may be absent; "+", "{n,}": there at least once, more may follow
            if not texts or quantifier == "*" or s.startswith("{0", nxt) or s.startswith("{,", nxt):
                return cut()
            whole = False
        if starts != {""} and len(starts) * len(texts) > _MAX_STARTS:
            return cut()
        starts = {a + b for a in starts for b in texts}
        if not whole:
            return starts, False
        i = nxt
    return starts, True


def _class_chars(s: str, i: int) -> tuple[set[str], int] | None:
    """The characters of a small character class opening at s[i] ("[cs]", "[ -]", "[1-5]") and the index after
    it; None for a negated class, a class with an escape (\\w, \\s) or more than _MAX_STARTS characters."""
    end = s.find("]", i + 2)
    body = s[i + 1 : end]
    if end < 0 or not body or body[0] == "^" or "\\" in body or "[" in body:
        return None
    chars: set[str] = set()
    k = 0
    while k < len(body):
        if k + 2 < len(body) and body[k + 1] == "-":
            chars.update(chr(c) for c in range(ord(body[k]), ord(body[k + 2]) + 1))
            k += 3
        else:
            chars.add(body[k])
            k += 1
    return (chars, end + 1) if len(chars) <= _MAX_STARTS else None


def required_texts(alternative: str) -> tuple[tuple[str, ...], ...]:
    """Sets of literal texts (lowercased) such that every match of one alternative holds one text of each set: the
    runs of literal text the alternative always consumes, wherever they stand ("(?:took|ran) (?:\\w+ ){0,4}?through
    the" -> (("ran ", "took "), ("through the",))). Optional or repeated parts and character sets that are not
    small end a run; zero-width assertions do not. A line missing a set cannot match, however long the line."""
    if len(_split_top(alternative)) > 1:
        return ()
    s, i = alternative, 0
    runs: list[frozenset[str]] = []
    run: set[str] = {""}

    def flush() -> None:
        nonlocal run
        if run != {""} and all(t.strip() for t in run):
            runs.append(frozenset(t.lower() for t in run))
        run = {""}

    while i < len(s):
        if (z := _ZERO_WIDTH_RE.match(s, i)) is not None:
            i = z.end() if not z.group(0).startswith("(") else i + _group_end(s[i:]) + 1
            continue
        ch = s[i]
        texts: set[str] | None
        if ch == "(" and (s.startswith("(?:", i) or not s.startswith("(?", i)):
            end = i + _group_end(s[i:])
            inner = _starts(s[i + (3 if s[i + 1] == "?" else 1) : end])
            texts, nxt = (inner[0] if inner is not None and inner[1] else None), end + 1
        elif ch == "(":
            return tuple(tuple(sorted(r)) for r in runs)  # an inline flag or a named group: stop reading here
        elif ch == "[":
            chars = _class_chars(s, i)
            end = s.find("]", i + 2)
            texts, nxt = (chars[0] if chars else None), (chars[1] if chars else (end + 1 if end > 0 else len(s)))
        elif ch == "\\" and i + 1 < len(s):
            texts, nxt = ({s[i + 1]} if not s[i + 1].isalnum() else None), i + 2
        elif ch in _META:
            texts, nxt = None, i + 1  # ".", or a stray quantifier
        else:
            texts, nxt = {ch}, i + 1
        quantifier = s[nxt] if nxt < len(s) else ""
        if quantifier in ("?", "*", "+", "{"):
            # skip the quantifier ("{m,n}", a lazy "?"); the part is optional or repeated: it ends the run, and only
            # a part there at least once ("+", "{n,}") still adds its texts as a set of its own
            once = quantifier == "+" or (quantifier == "{" and not s.startswith(("{0", "{,"), nxt))
            close = s.find("}", nxt) if quantifier == "{" else nxt
            nxt = (close if close > 0 else nxt) + 1
            if nxt < len(s) and s[nxt] in "?+":
                nxt += 1
            flush()
            if once and texts and all(t.strip() for t in texts):
                runs.append(frozenset(t.lower() for t in texts))
        elif texts is None or not texts or len(run) * len(texts) > _MAX_STARTS:
            flush()
            if texts and len(texts) <= _MAX_STARTS:
                run = set(texts)
        else:
            run = {a + b for a in run for b in texts}
        i = nxt
    flush()
    out = []
    for r in runs:
        kept = tuple(sorted(t for t in r if not any(u != t and u in t for u in r)))
        if kept not in out:
            out.append(kept)
    return tuple(out)


def _is_literal(alternative: str) -> bool:
    """Whether an alternative matches exactly the texts _starts enumerates (no assertion, no open part): then a text
    holds a match exactly when it holds one of its starts."""
    found = _starts(alternative)
    return found is not None and found[1] and _ZERO_WIDTH_RE.search(alternative) is None


def _group_end(s: str) -> int:
    """The index of the parenthesis that closes the group opening at s[0]."""
    depth, i = 0, 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return i
        i += 1
    return len(s) - 1


# Characters that an IGNORECASE pattern matches to an ASCII letter but that str.lower() leaves alone (or turns into
# two characters): in a text holding one, a missing lowercase prefix does not prove there is no match.
_CASE_FOLD_TRAPS = ("ı", "ſ", "İ")
_LOWERED_TRAPS = ("ı", "ſ", "\u0307")
_FOLD_TRAPS = str.maketrans({"ı": "i", "ſ": "s", "İ": "i", "\u212a": "k"})


def fold_case(text: str) -> str:
    """`text` lowercased as an IGNORECASE pattern compares it: the characters such a pattern matches to an ASCII
    letter that str.lower() leaves alone ("ı", "ſ"; "İ", which lowers to two characters; the Kelvin sign) become
    that letter. A word a pattern matched then finds its entry in a lowercase table ("FRıDAY" -> "friday",
    "tſp" -> "tsp"), where .lower() raised KeyError on such hostile notes."""
    return text.translate(_FOLD_TRAPS).lower()


class Cue:
    """A case-insensitive cue regex with a cheap pre-check.

    Cue lists are long alternations; scanning every line with each is most of the engine's time. When every
    alternative starts with literal text (one of a few: "(?:took|ran) through" starts with "took " or "ran "), a
    line containing none of those texts cannot match, and plain substring tests (C speed) say so without running
    the regex. Otherwise it behaves as the compiled pattern.
    """

    __slots__ = (
        "regex",
        "prefixes",
        "pattern",
        "alternatives",
        "open_alternatives",
        "_starts",
        "_by_start",
        "_prefix_set",
    )

    def __init__(self, pattern: str) -> None:
        self.regex = re.compile(pattern, re.IGNORECASE)
        self.pattern = pattern
        alternatives = _split_top(pattern)
        found = [literal_starts(alt) for alt in alternatives]
        self.prefixes: tuple[str, ...] | None = (
            None if any(p is None for p in found) else tuple(sorted({t for p in found for t in p}))  # type: ignore[union-attr]
        )
        # Each alternative alone, behind its literal starts: the whole alternation tries every branch at every
        # position, while a line usually holds the start of one branch at most. An alternative with no literal
        # start is searched on every text. The alternation matches where one of its alternatives does, so "any
        # alternative matches" is exactly "the pattern matches".
        self.alternatives: tuple[tuple[tuple[str, ...] | None, re.Pattern[str]], ...] = tuple(
            (p, re.compile(alt, re.IGNORECASE)) for p, alt in zip(found, alternatives, strict=True)
        )
        self.open_alternatives = tuple(rx for p, rx in self.alternatives if p is None)
        # start -> the alternatives behind it, each with the other text sets every match holds and whether a start
        # alone is a match (see CueSet)
        self._by_start: dict[str, list[tuple[re.Pattern[str], tuple[tuple[str, ...], ...], bool]]] = {}
        for starts, rx in self.alternatives:
            if starts is None:
                continue
            entry = (rx, tuple(r for r in required_texts(rx.pattern) if r != starts), _is_literal(rx.pattern))
            for start in starts:
                self._by_start.setdefault(start, []).append(entry)
        self._starts = tuple(self._by_start)
        self._prefix_set = frozenset(self.prefixes or ())

    @property
    def starts(self) -> tuple[str, ...]:
        """Every literal start of the alternatives that have one (for a StartIndex)."""
        return self._starts

    def found(self, lowered: str, present: Iterable[str] | None = None) -> bool:
        """Whether the cue matches `lowered` (text already lowercased): one substring pass over all the
        alternatives' starts (in C), then only the alternatives behind the starts the text holds. `present`, when
        given, is every start of this cue that `lowered` holds (a StartIndex's answer for a text that holds it);
        then no substring test runs."""
        if not lowered.isascii() and has_case_fold_trap(lowered):  # (the ASCII test inline: most texts are)
            return self.regex.search(lowered) is not None
        for rx in self.open_alternatives:
            if rx.search(lowered):
                return True
        by_start, contains = self._by_start, lowered.__contains__
        for start in filter(contains, self._starts) if present is None else present:
            if start not in by_start:
                continue
            for rx, others, literal in by_start[start]:
                if all(any(map(contains, texts)) for texts in others) and (literal or rx.search(lowered)):
                    return True
        return False

    def could_match(self, text: str) -> bool:
        """False only when the pattern cannot match `text`: no alternative's start occurs in it (lowercased) and
        no alternative without a start matches."""
        if has_case_fold_trap(text):
            return True
        lowered = text.lower()
        if self.prefixes is not None:
            return any(map(lowered.__contains__, self.prefixes))  # map: the loop runs in C
        return any(
            any(map(lowered.__contains__, starts)) if starts is not None else rx.search(text) is not None
            for starts, rx in self.alternatives
        )

    def may_match(self, lowered: str, present: frozenset[str] | None = None) -> bool:
        """could_match for a text already lowercased (a Line's lower()), so long lines are not lowercased again.
        `present`, when given, is every registered start `lowered` holds (Line.starts; the cue's prefixes must be
        in lexicon.LINE_STARTS): then one set test replaces the substring tests.

        In a lowercased text the traps are "ı", "ſ" and the combining dot that "İ" leaves ("i̇"): with one of
        them present this says True and the caller runs the regex on the original text."""
        if not lowered.isascii() and has_lowered_trap(lowered):  # (the ASCII test inline: most texts are)
            return True
        if self.prefixes is not None:
            if present is not None:
                return not self._prefix_set.isdisjoint(present)
            return any(map(lowered.__contains__, self.prefixes))
        return any(
            any(map(lowered.__contains__, starts)) if starts is not None else rx.search(lowered) is not None
            for starts, rx in self.alternatives
        )

    def finditer_at_starts(self, text: str, lowered: str | None = None) -> list[re.Match[str]]:
        """list(self.regex.finditer(text)), found faster (`lowered`: text.lower(), when known): every match starts
        with one of the cue's literal starts, so where each character lowercases in place (no case-folding trap, a
        lowercase as long as the text) the regex is tried only where the lowercase holds one (iter_at_starts).
        Other texts, and a cue with an alternative that has no literal start, are searched by finditer itself."""
        lowered = text.lower() if lowered is None else lowered
        if self.prefixes is None or len(lowered) != len(text) or has_case_fold_trap(text):
            return list(self.regex.finditer(text))
        return list(iter_at_starts(self.regex, text, self.prefixes, lowered))

    def search(self, text: str, *args: Any) -> re.Match[str] | None:
        if not args and not self.could_match(text):
            return None
        return self.regex.search(text, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.regex, name)


def has_case_fold_trap(text: str) -> bool:
    """Whether text (as written) holds a character IGNORECASE matches to an ASCII letter that str.lower() does
    not turn into it: then a missing lowercase start does not prove a case-insensitive pattern cannot match."""
    return not text.isascii() and any(map(text.__contains__, _CASE_FOLD_TRAPS))


def has_lowered_trap(lowered: str) -> bool:
    """has_case_fold_trap for a text already lowercased ("İ" has become "i" and a combining dot there)."""
    return not lowered.isascii() and any(map(lowered.__contains__, _LOWERED_TRAPS))


def iter_at_starts(
    rx: re.Pattern[str], text: str, starts: tuple[str, ...], lowered: str | None = None
) -> Iterator[re.Match[str]]:
    """rx.finditer(text) for a pattern whose every match begins at an occurrence, in `lowered` (default: text
    itself), of one of `starts` (literal, non-empty): `lowered` must be text with each character lowercased in
    place (or text itself), so that the occurrences are where a match can begin. The regex is tried only there, in
    order, each try at or after the last match's end (a match holds its start, so none is empty), as finditer
    would, which tries every position; rx.match at a position still looks back before it (\\b, lookbehinds).
    Lazy: a caller that stops at the first match finds no further occurrences. Each start's next occurrence is
    kept in a heap, so no start is searched for again over text already passed, however many starts there are."""
    lowered = text if lowered is None else lowered
    find, match = lowered.find, rx.match
    if len(starts) == 1:  # most cues: one str.find per step, no heap
        start = starts[0]
        at = find(start)
        while at >= 0:
            m = match(text, at)
            if m is None:
                at = find(start, at + 1)
            else:
                yield m
                at = find(start, m.end())
        return
    heap = [(at, start) for start in starts if (at := find(start)) >= 0]
    heapq.heapify(heap)
    pos = 0
    while heap:
        at, start = heap[0]
        if at < pos:  # inside the last match, or tried already: this start's next occurrence from pos
            nxt = find(start, pos)
            if nxt < 0:
                heapq.heappop(heap)
            else:
                heapq.heapreplace(heap, (nxt, start))
            continue
        m = match(text, at)
        if m is None:
            pos = at + 1
        else:
            yield m
            pos = m.end()


def may_contain(lowered: str, *parts: str) -> bool:
    """A pre-check for a case-insensitive regex that needs one of `parts` (lowercase) in the text: False only
    when none occurs in `lowered` and no character there could case-fold onto an ASCII letter."""
    return any(map(lowered.__contains__, parts)) or has_lowered_trap(lowered)


class CueSet:
    """Named cues read together: which of them match a text, with one substring pass for all their starts."""

    def __init__(self, cues: dict[str, Cue]) -> None:
        self.cues = cues
        # start -> the alternatives behind it, in the cues' order (an alternative with several starts sits behind
        # each), each with the other text sets every match holds and whether a start alone is a match; alternatives
        # with no start are searched on every text
        self._by_prefix: dict[str, list[tuple[str, re.Pattern[str], tuple[tuple[str, ...], ...], bool]]] = {}
        self._open: list[tuple[str, re.Pattern[str]]] = []
        for key, cue in cues.items():
            for starts, rx in cue.alternatives:
                if starts is None:
                    self._open.append((key, rx))
                    continue
                others = tuple(r for r in required_texts(rx.pattern) if r != starts)
                literal = _is_literal(rx.pattern)
                for start in starts:
                    self._by_prefix.setdefault(start, []).append((key, rx, others, literal))
        self.prefixes = tuple(sorted(self._by_prefix))

    @property
    def has_open(self) -> bool:
        """Whether a cue has an alternative with no literal start (searched on every text)."""
        return bool(self._open)

    def present_in(self, lowered: str) -> tuple[str, ...]:
        """The starts that occur in `lowered`: with several texts joined, a superset of each text's starts."""
        return tuple(filter(lowered.__contains__, self.prefixes))

    def keys_in(self, lowered: str, prefixes: tuple[str, ...] | None = None) -> set[str]:
        """The keys of the cues that match `lowered` (text already lowercased). `prefixes`, when given, holds
        every start that occurs in `lowered` (present_in of a text containing it); only those are tested."""
        if not lowered.isascii() and has_case_fold_trap(lowered):  # (the ASCII test inline: most texts are)
            return {key for key, cue in self.cues.items() if cue.regex.search(lowered)}
        keys: set[str] = set()
        for key, rx in self._open:
            if key not in keys and rx.search(lowered):
                keys.add(key)
        contains = lowered.__contains__
        for prefix in filter(contains, self.prefixes if prefixes is None else prefixes):  # runs in C
            for key, rx, others, literal in self._by_prefix[prefix]:
                if key in keys or not all(any(map(contains, texts)) for texts in others):
                    continue  # a text set every match holds is missing
                if literal or rx.search(lowered):
                    keys.add(key)
        return keys


ROLE_ALIASES: dict[str, str] = {
    "ats": "ATS",
    "account technology strategist": "ATS",
    "tam": "TAM",
    "technical account manager": "TAM",
    "ae": "AE",
    "account executive": "AE",
    "csm": "CSM",
    "customer success manager": "CSM",
    "tsp": "TSP",
    "technical specialist": "TSP",
    "ssp": "SSP",
    "specialist": "SSP",
    "ade": "ADE",
    "account delivery executive": "ADE",
    "fta": "FTA",
    "fasttrack architect": "FTA",
    "fm": "FM",
    "fasttrack manager": "FM",
}
# Longest first so "account technology strategist" wins over "specialist".
ROLE_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in ROLE_ALIASES), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# Short role codes are only roles when written as codes (ATS, "ats =", "(ats)"), not inside prose like "ae".
ROLE_CODE_RE = re.compile(r"\b(ATS|TAM|AE|CSM|TSP|SSP|ADE|FTA|FM)\b", re.IGNORECASE)

# Canonical workload -> patterns that name it.
WORKLOADS: dict[str, str] = {
    "Exchange Online": r"exchange(?: online)?|\bexo\b|mailbox(?:es)?|\bmail\b|email migration|e-mail migration",
    "SharePoint Online": r"sharepoint(?: online)?|\bspo\b",
    "OneDrive": r"onedrive|\bodb\b|\bodfb\b",
    "Teams": r"(?<!slack )\bteams\b(?! channel| group| rooms)|microsoft teams|\bmsteams\b",
    "Microsoft 365 Apps": r"m365 apps|microsoft 365 apps|office apps|office pro ?plus|\bm365 apps\b",
    "Intune": r"\bintune\b|\bmdm\b|\bems\b|endpoint manager",
    "Windows": r"\bwindows(?! server)(?: 1[01])?\b|\bwin ?1[01]\b",  # Windows Server is not the client workload
    "Defender": r"\bdefender\b|\bmde\b|\bmdo\b|\bmdi\b|\bmdca\b",
    "Entra ID": r"\bentra\b|azure ad\b|\baad\b",
    "Purview": r"\bpurview\b|\bdlp\b|sensitivity labels?",
    "Copilot": r"\bcopilot\b",
    "Viva": r"\bviva\b",
}
WORKLOAD_RES: dict[str, Cue] = {w: Cue(p) for w, p in WORKLOADS.items()}
WORKLOAD_CUES = CueSet(WORKLOAD_RES)

COMPETITORS: dict[str, str] = {
    "Slack": r"\bslack\b",
    "Zoom": r"\bzoom\b",
    "Google Workspace": r"google workspace|\bgsuite\b|g suite|\bgmail\b|google drive|\bgoogle\b",
    "Box": r"\bbox\b",
    "Dropbox": r"\bdropbox\b",
    "Okta": r"\bokta\b",
    "CrowdStrike": r"crowd ?strike",
    "Webex": r"\bwebex\b",
    "Workplace": r"workplace from meta",
    "Jamf": r"\bjamf\b",
    "VMware Workspace ONE": r"workspace one|airwatch",
    "SentinelOne": r"sentinel ?one",
    "Symantec": r"\bsymantec\b",
    "Proofpoint": r"\bproofpoint\b",
    "Mimecast": r"\bmimecast\b",
    "Citrix": r"\bcitrix\b",
    "Notes/Domino": r"lotus notes|\bdomino\b",
}
COMPETITOR_RES: dict[str, Cue] = {c: Cue(p) for c, p in COMPETITORS.items()}


# A process walkthrough the notes still plan or did not get to: the agenda item stays open (issue 10, "never an
# activity the notes say happened", and never one they say did not). Examples in tests/test_drafts_quality.py.
PROCESS_PENDING = Cue(
    r"\b(?:need(?:s|ed)? to|will|(?:i|we)['’]ll|going to|should|must|plan(?:ning)? to|next time|todo|to-do"
    r"|didn['’]t get to|did not get to|not yet|ran out of time|no time (?:for|to)|skipped|postponed)\b"
)


def process_walkthrough_pending(text: str) -> bool:
    """Whether a FastTrack-process line (agenda item a) says the walkthrough is still to happen ("Need to walk
    the team through the FT process next time", "Didn't get to the process walkthrough") rather than that it
    happened or that the team knows the process. Source: issue 10, "Open items"."""
    return PROCESS_PENDING.found(text.lower())


def _re(*words: str) -> Cue:
    return Cue("|".join(words))


# Agenda topics (a-n of agenda.py): cue words that say a line answers that item.
TOPIC_RES: dict[str, Cue] = {
    "a": _re(
        r"\bft process",
        r"fasttrack process",
        r"knew (?:about )?(?:fasttrack|ft)\b",
        r"walked .* through",
        r"walked through (?:the )?(?:rfa|process|fasttrack|ft|how)",
        r"how we engage",
        r"how fasttrack works",
        r"worked with (?:fasttrack|ft)\b",
        r"done (?:fasttrack|ft)\b",
        r"\bknows? (?:fasttrack|ft)\b",
        r"minutes on the process",
        r"familiar with (?:fasttrack|ft)\b",
        r"understand(?:s|ing)? (?:of )?(?:fasttrack|ft)\b",
        r"rfa ?-> ?assignment",
        # a walkthrough said to have happened, in the common phrasings (tests/test_drafts_quality.py, WALKTHROUGHS)
        r"rfa ?(?:→|=>|>|, ?) ?assignment",
        r"(?:took|taken|talked|ran|run|gone|went|walked|brought|stepped) (?:\w+ ){0,4}?through (?:the |our |how )?"
        r"(?:rfa|process|fasttrack|ft\b|engagement)",
        r"(?:went|gone|ran) over (?:the |our |how )?(?:rfa|process|fasttrack|ft\b|engagement)",
        r"(?:process|rfa|fasttrack|ft) (?:walk-?through|run-?through|overview|intro(?:duction)?)",
        r"(?:walk-?through|run-?through|overview) of (?:the |our |how )?(?:rfa|process|fasttrack|ft\b|engagement)",
        r"(?:fasttrack|ft) engagement model",
        r"how (?:fasttrack|ft) (?:engages|works)",
    ),
    "b": _re(r"offerings?\b", r"service description", r"ftc offering", r"new offering"),
    "d": _re(
        r"\benvironment\b",
        r"\benv\b",
        r"on-?prem",
        r"\bhybrid\b",
        r"\bad connect",
        r"active directory",
        r"\bproxy\b",
        r"\bnetwork\b",
        r"\bdomain\b",
        r"\bsso\b",
        r"\badfs\b",
    ),
    "e": _re(
        r"licen[cs]",
        r"\be3\b",
        r"\be5\b",
        r"\bf1\b",
        r"\bf3\b",
        r"\bsku",
        r"\bseats?\b",
        r"true-?up",
        r"m365 [ef][1-5]",
        r"\bo365 [ef][1-5]",
    ),
    "f": _re(r"compete", r"competit", r"3rd[ -]party", r"third[ -]party", *COMPETITORS.values()),
    "g": _re(
        r"migration source", r"source env", r"migrat\w* from", r"\bsource\b", r"coming from", r"moving (?:off|from)"
    ),
    "h": _re(r"\bpartner\b", r"\bfrp\b", r"fasttrack ready", r"\bsow\b", r"\bsi\b"),
    "i": _re(r"\btenants?\b", r"onmicrosoft\.com", r"second tenant", r"\bacquisition tenant"),
    "j": _re(r"org ?chart", r"organi[sz]ation chart", r"who owns", r"\bowners? of\b"),
    "k": _re(
        r"politic",
        r"\bnew (?:cio|cto|ciso|cfo|ceo|it director|vp)\b",
        r"\breorg",
        r"re-org",
        r"acquisition",
        r"\bmerger\b",
        r"leadership change",
        r"\blayoffs?\b",
        r"divest",
    ),
    "l": _re(
        r"timeline",
        r"\brisks?\b",
        r"deadline",
        r"\btarget\b",
        r"cut-?over",
        r"go-?live",
        r"\bfreeze\b",
        r"\bissues?\b",
        r"end of q[1-4]",
        r"\bby (?:end of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
        r"\bfy ?end\b",
        r"\bon hold\b",
        r"could block",
        r"might block",
        r"may block",
    ),
    "m": _re(r"^asks?\b", r"\basks?:", r"\bwants? help", r"asked (?:if|whether|for|about)", r"\brequest(?:ed)? help"),
    "n": _re(
        r"\bsync\b",
        r"rhythm",
        r"cadence",
        r"bi-?weekly",
        r"\bmonthly\b",
        r"\bweekly\b",
        r"recurring",
        r"standing (?:call|meeting)",
    ),
}

TOPICS = CueSet(TOPIC_RES)

BLOCKED_RE = _re(
    r"\bblock(?:ed|er|ing)?\b",
    r"\bunable\b",
    r"\bcan'?t\b",
    r"\bcannot\b",
    r"no budget",
    r"\bstuck\b",
    r"\bprevent",
    r"\bissue with\b",
    r"\bdropp?(?:ed|s)?\b",
    r"\bon hold\b",
)
POTENTIAL_RE = _re(r"could block", r"might block", r"may block", r"could delay", r"\brisk\b")
NO_INTENT_RE = _re(
    r"no intent",
    r"not interested",
    r"\bstay(?:ing)? on[- ]?prem",
    r"want(?:s)? to stay",
    r"no plans? to",
    r"\bhappy (?:w/|with)",
    r"won'?t (?:move|deploy|adopt)",
    r"not moving",
    r"\bno interest\b",
)
IN_PROGRESS_RE = _re(
    r"\bintent\b",
    r"want(?:s)? off",
    r"\bpilot",
    r"roll(?:ing)? ?out",
    r"deploy(?:ing|ment)",
    r"migrat(?:e|ing|ion)",
    r"\bcut-?over",
    r"\bin progress\b",
    r"\bdone\b",
    r"already (?:in|on|using)",
    r"\badopt(?:ing|ion)\b",
    r"\bonboard",
    r"\bmoving to\b",
    r"\bin prog\b",
    r"\bfinished\b",
    r"\bcompleted?\b",
    r"\bmoved\b",
    r"\bmid-?migration\b",
    r"\bmig\b",
)
UNRESPONSIVE_RE = _re(
    r"unresponsive",
    r"no response",
    r"not respond",
    r"no reply",
    r"ghost",
    r"didn'?t (?:reply|respond)",
    # "(?:has|have)(?: not|n'?t) (?:replied|responded)" spelled out: its shared prefix "ha" is in most lines, while
    # each whole phrase is a literal prefix that rarely is (the cue is only ever tested for a match, not where)
    *(
        f"{aux}{neg} {verb}"
        for aux in ("has", "have")
        for neg in (" not", "n't", "nt")
        for verb in ("replied", "responded")
    ),
    r"not replied",
)
DUPLICATE_RE = _re(
    r"duplicate tenant",
    r"invalid tenant",
    r"duplicate entitlement",
    r"invalid entitlement",
    r"duplicate ?/ ?invalid",
)
# Intent words written with doubt ("intent??", "maybe after the merger", "TBD") do not declare intent.
UNSURE_INTENT_RE = _re(
    r"intent\s*\?",
    r"\bmaybe\b",
    r"\btbd\b",
    r"\btbc\b",
    r"\bunsure\b",
    r"\bnot sure\b",
    r"\bunclear\b",
    r"\bnot started\b",
    r"\bunknown\b",
)
OUT_OF_SCOPE_RE = _re(
    r"not (?:in )?(?:fasttrack|ft) scope",
    r"not in (?:fasttrack|ft)'?s? scope",
    r"out of scope",
    r"not (?:a )?fasttrack",
    r"outside (?:of )?(?:fasttrack|ft)",
    r"not covered",
    r"\broute",
    r"not in this rfa",
)

# Blocked L2 reasons, checked in order: the first cue found names the reason.
BLOCKED_REASONS: tuple[tuple[str, Cue], ...] = (
    (
        "Legal/Regulatory",
        _re(r"\blegal\b", r"regulat", r"data residency", r"\bgdpr\b", r"compliance", r"works council"),
    ),
    (
        "Billing, Licensing and Subscription",
        _re(
            r"wrong sku",
            r"licen[cs]\w* (?:issue|problem|missing|gap)",
            r"\bseats? (?:short|missing)",
            r"wrong tenant",
            r"subscription",
        ),
    ),
    (
        "Customer IT Infrastructure and Remediation",
        _re(
            r"\bproxy",
            r"\bnetwork",
            r"bandwidth",
            r"firewall",
            r"identity",
            r"\bad\b",
            r"active directory",
            r"hardware",
            r"devices?\b",
            r"desktop",
            r"infra",
        ),
    ),
    ("Security/Privacy", _re(r"secur", r"privacy", r"\bciso\b")),
    ("App Compatibility", _re(r"line[- ]of[- ]business", r"\blob\b", r"app compat", r"legacy app", r"add-?ins?")),
    ("Partner Engagement", _re(r"\bpartner\b", r"\bsow\b", r"\bvendor\b")),
    ("Product Feature/Capability", _re(r"feature", r"\bbug\b", r"missing capabilit", r"not supported")),
    ("Service Reliability", _re(r"outage", r"latency", r"\bslow\b", r"reliab", r"downtime")),
    (
        "Adoption Readiness",
        _re(
            r"training",
            r"end users?",
            r"adoption",
            r"change management",
            r"don'?t use",
            r"business rules",
            r"champions",
        ),
    ),
    (
        "IT Change Management and Resourcing",
        _re(
            r"budget",
            r"\bstaff",
            r"resourc",
            r"bandwidth of (?:it|the team)",
            r"\bfreeze\b",
            r"priorit",
            r"headcount",
            r"no one to own",
            r"new hire",
            r"\bhiring\b",
            r"understaffed",
            r"process",
        ),
    ),
)
NO_INTENT_REASONS: tuple[tuple[str, Cue], ...] = (
    (
        "Using Microsoft On-Premises Solution",
        _re(
            r"on-?prem",
            r"sharepoint 20\d\d",
            r"exchange 20\d\d",
            r"skype for business server",
            r"office 20\d\d",
            r"\bperpetual\b",
            r"\bltsc\b",
            r"\bsccm\b",
            r"configmgr",
        ),
    ),
    (
        "Executive Sponsorship",
        _re(r"sponsor", r"business driver", r"\breorg", r"re-org", r"acquisition", r"freeze", r"leadership"),
    ),
)
IN_PROGRESS_REASONS: tuple[tuple[str, Cue], ...] = (
    # A migration already finished leaves adoption work: checked before the migration cues it contains.
    ("Solution or User Adoption", _re(r"already (?:migrated|moved)", r"migration (?:is )?(?:done|complete)")),
    (
        "Migration",
        _re(
            r"migrat",
            r"\bmig\b",
            r"\bmove off\b",
            r"want(?:s)? off",
            r"\bcut-?over",
            r"moving (?:off|from)",
            r"\bmov(?:e|es|ing|ed)\b(?! to\b)",
            r"\bwaves?\b",
        ),
    ),
    (
        "Solution or User Adoption",
        _re(r"adopt", r"\busage\b", r"(?<!% )\bdone\b", r"already (?:in|on|using)", r"champions"),
    ),
    ("Technical Onboarding and Deployment", _re(r"pilot", r"deploy", r"roll(?:ing)? ?out", r"onboard", r"config")),
)

UNCERTAIN_RE = _re(
    r"\?\?",
    r"\btbd\b",
    r"\btbc\b",
    r"\bcheck\b",
    r"\bconfirm\b",
    r"how many\?",
    r"\bunknown\b",
    r"\bnot sure\b",
    r"\bunclear\b",
    r"not discussed",
    r"didn'?t have details",
    r"\bto verify\b",
    r"\bverify\b",
)
TEAMS_CHANNEL_RE = _re(r"teams channel", r"teams group", r"\bchannel for\b", r"dedicated (?:teams )?channel")


class StartIndex:
    """Which of many literal starts (of many cues) each line holds, found for all the lines in one pass.

    Each stage used to test its cues' starts on every line, one substring test per start (hundreds per line). Here
    an Aho–Corasick automaton over all the starts (substrings.Substrings) reads the lines joined
    once and reports every occurrence, overlapping and nested ones included; a start holds no newline, so each
    occurrence lies in one line. A line's set is exactly {s for s in starts if s in line} (lines are lowercased,
    the starts too; the automaton compares characters as they are).
    """

    def __init__(self) -> None:
        self._starts: set[str] = set()
        self._finder: Substrings | None = None

    def add(self, starts: Iterable[str]) -> None:
        """Registers starts (lowercase, no newline) to be found; the automaton is rebuilt on next use."""
        new = set(starts) - self._starts
        if new:
            assert all(s and "\n" not in s for s in new), new
            self._starts |= new
            self._finder = None

    def holds(self, starts: Iterable[str]) -> bool:
        """Whether every one of `starts` is registered (a caller's `present` sets are then complete)."""
        return self._starts.issuperset(starts)

    def per_text(self, texts: list[str]) -> list[frozenset[str]]:
        """For each text (lowercased, no newline), the registered starts it holds."""
        out = [NO_STARTS] * len(texts)
        for k, starts in self.holding(texts).items():
            out[k] = starts
        return out

    def holding(self, texts: list[str]) -> dict[int, frozenset[str]]:
        """per_text for the texts that hold a start: {index in texts: its starts}, in ascending order; a text not
        in it holds none (most short note lines: the caller need not visit them)."""
        if self._finder is None:
            self._finder = Substrings(self._starts)
        begins = list(accumulate((len(t) + 1 for t in texts), initial=0))  # where each text begins (and the end)
        found: dict[int, set[str]] = {}
        i = 0
        for end, start in self._finder.occurrences("\n".join(texts)):
            if end >= begins[i + 1]:
                i = bisect_right(begins, end, i + 1) - 1  # the text this occurrence ends in (and lies in)
            if (held := found.get(i)) is None:
                found[i] = {start}
            else:
                held.add(start)
        return {k: frozenset(starts) for k, starts in found.items()}


NO_STARTS: frozenset[str] = frozenset()  # the starts a text holding none holds (one shared empty set)


# The starts the line stages test on every line (split_lines reads them once per line: Line.starts).
LINE_STARTS = StartIndex()
LINE_STARTS.add(TOPICS.prefixes)
LINE_STARTS.add(UNCERTAIN_RE.starts)
