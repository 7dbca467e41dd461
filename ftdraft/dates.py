"""Finds dates in note text and resolves relative ones ("by Friday", "next Tues", "Dec 5", "bis Freitag") against
the call date (or a mail reply's Sent: date).

The words (months, weekdays, relative words, due leads, words that name a time but no date) are data:
ftdraft/data/dates.toml, each entry with examples and counter-examples that run as tests. A few rules compose them
(Duckling/ctparse style): a date is one of ISO, numeric (d/m, m/d, d.m.y), month + day, day + month, "the 15th",
a weekday, a relative word, "in <n> <unit>", or no-date words; a due lead before it ("by", "bis", "avant") joins
its span. The rules for what each resolves to are the corpus's DATE RESOLUTION table
(tests/fixtures/corpus/README.md), summed up in read_due's docstring.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from .lexicon import fold_case, has_lowered_trap
from .substrings import Substrings
from .word_trie import trie_alternation

DATA_PATH = Path(__file__).parent / "data" / "dates.toml"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def load_data() -> dict[str, Any]:
    """The date words: {"month": [...], "weekday": [...], "relative": [...], "in_n": {...}, "no_date": [...],
    "leads": {...}} as in ftdraft/data/dates.toml."""
    with DATA_PATH.open("rb") as f:
        return tomllib.load(f)


DATA = load_data()

MONTH_WORDS: dict[str, int] = {w: e["number"] for e in DATA["month"] for w in e["words"]}
WEEKDAY_WORDS: dict[str, int] = {w: WEEKDAY_CODES.index(e["code"]) for e in DATA["weekday"] for w in e["words"]}
RELATIVE_WORDS: dict[str, tuple[str, int]] = {
    w: (e["rule"], int(e.get("n", 0))) for e in DATA["relative"] for w in e["words"]
}
NO_DATE_WORDS: tuple[str, ...] = tuple(w for e in DATA["no_date"] for w in e["words"])
LEAD_WORDS: tuple[str, ...] = tuple(DATA["leads"]["words"])
_IN_N = DATA["in_n"]
NUMBER_WORDS: dict[str, int] = dict(_IN_N["numbers"])
UNIT_DAYS: dict[str, int] = {
    **{w: 1 for w in _IN_N["days"]},
    **{w: 7 for w in _IN_N["weeks"]},
    **{w: 14 for w in _IN_N["fortnight"]},
}
# A weekday after one of these leads may be a meeting's day ("the call on Thursday", "am Donnerstag"), not a due.
_PLACE_LEADS = {"on", "am", "el", "le", "op", "na", "på"}
_MEETING_RE = re.compile(
    r"\b(?:call|sync|meeting|standup|stand-up|jour fixe|reuni[oó]n|r[ée]union|reuni[aã]o|overleg|m[øo]de|account-call)",
    re.IGNORECASE,
)


def _alt(words: Any) -> str:
    """A regex alternation of words (lowercase), longest first, inner spaces matching any whitespace (as a trie:
    word_trie.trie_alternation says why and why it is the same pattern)."""
    return trie_alternation(words, space=r"\s+", ignorecase=True)


class LazyPattern:
    """A regular expression compiled on first use. The date words make long alternations that cost milliseconds to
    compile; notes that never need one (no month word, no "in two weeks") never pay for it, and the CLI starts
    faster. Offers the re.Pattern methods the readers use. The pattern may be given as a function that writes it
    (the word tries of _alt take milliseconds to write too)."""

    __slots__ = ("_source", "flags", "_compiled")

    def __init__(self, pattern: str | Callable[[], str], flags: int = 0) -> None:
        self._source, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def pattern(self) -> str:
        if not isinstance(self._source, str):
            self._source = self._source()
        return self._source

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled.search(text, *args)

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled.match(text, *args)

    def fullmatch(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled.fullmatch(text, *args)

    def finditer(self, text: str, *args: int) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text, *args)

    def sub(self, repl: str, text: str) -> str:
        return self.compiled.sub(repl, text)


_B = r"(?<![\w])"  # word edges that also hold for "é", "ñ", "ø"
_E = r"(?![\w])"


@cache
def _mon() -> str:
    return rf"(?P<mon>{_alt(MONTH_WORDS)})"


_FLAGS = re.IGNORECASE

ISO_RE = re.compile(r"(?<![\d-])(20\d\d)-(\d{1,2})-(\d{1,2})(?![\d-])")
# d/m, m/d, d.m.yyyy, d.m.yy, d.m. (a dotted date needs its year or a closing dot: "2.5 hours" is no date)
NUM_RE = re.compile(r"(?<![\w/.,])(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\w/]|[.,]\d)")
SLASH_RE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\d/])")
MONTH_DAY_RE = LazyPattern(
    lambda: rf"{_B}{_mon()}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th|º)?(?:,?\s+(?P<year>20\d\d))?{_E}", _FLAGS
)
DAY_MONTH_RE = LazyPattern(
    lambda: (
        rf"{_B}(?P<day>\d{{1,2}})(?:st|nd|rd|th|º|\.)?(?:\s*|-)(?:of\s+|de\s+)?{_mon()}{_E}\.?"
        r"(?:(?:,?\s+(?:de\s+)?|-)(?P<year>20\d\d))?"
    ),
    _FLAGS,
)
ORDINAL_RE = LazyPattern(rf"{_B}(?:the|el|le|den)\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th|\.|º|er)?{_E}", _FLAGS)
WEEKDAY_RE = LazyPattern(lambda: rf"{_B}(?P<wd>{_alt(WEEKDAY_WORDS)})(?:{_E}\.?)(?!['’]s)", _FLAGS)
RELATIVE_RE = LazyPattern(lambda: rf"{_B}(?P<rel>{_alt(RELATIVE_WORDS)}){_E}(?!['’]s)", _FLAGS)
IN_N_RE = LazyPattern(
    lambda: (
        rf"{_B}(?:{_alt(_IN_N['leads'])})\s+(?P<n>\d{{1,2}}|{_alt(NUMBER_WORDS)})"
        rf"\s+(?P<unit>{_alt(UNIT_DAYS)}){_E}"
    ),
    _FLAGS,
)
NO_DATE_RE = LazyPattern(lambda: rf"{_B}(?:{_alt(NO_DATE_WORDS)}){_E}", _FLAGS)
MONTH_ONLY_RE = LazyPattern(
    lambda: rf"{_B}(?:by|before|until|in|early|mid|late|end of|bis|avant|antes de){_E}\s+{_mon()}{_E}", _FLAGS
)
LEAD_TAIL_RE = LazyPattern(lambda: rf"(?:^|(?<=[\s(,;:–—\-]))(?P<lead>{_alt(LEAD_WORDS)})\s+$", _FLAGS)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, ref: date | None) -> int | None:
    """A date with no year: the year that puts it nearest the reference date (notes are written near the call)."""
    if ref is None:
        return None
    candidates = [y for y in (ref.year - 1, ref.year, ref.year + 1) if _safe(y, month, day)]
    if not candidates:
        return None
    return min(candidates, key=lambda y: abs((date(y, month, day) - ref).days))


def _forward(month: int, day: int, ref: date | None) -> date | None:
    """A due date with no year: the first such date on or after ref (corpus: "Dates without a year")."""
    if ref is None:
        return None
    for year in (ref.year, ref.year + 1, ref.year + 2, ref.year + 3, ref.year + 4):  # Feb 29 needs a leap year
        d = _safe(year, month, day)
        if d is not None and d >= ref:
            return d
    return None


def _month_end(ref: date, months_ahead: int = 0) -> date:
    y, m = ref.year + (ref.month - 1 + months_ahead + 1) // 12, (ref.month - 1 + months_ahead + 1) % 12 + 1
    return date(y, m, 1) - timedelta(days=1)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) + (2000 if len(text) == 2 else 0)


@dataclass(frozen=True)
class DueDate:
    """A due date read from text.

    value: the resolved date, or None (no date in the text, a date with no day such as "end of Q1", or relative
    words with no reference date). words: the surface words ("next Tues", "before the holidays"), kept even when
    value is None. start/end: the span in text to strip from an action, a due lead ("by", "bis") included
    (0, 0 when there are no words). ambiguous: (month-first, day-first) readings when a numeric date allows both
    ("1/8"); value is the one the note's habit picks (day-first when day_first, else month-first).
    """

    value: date | None = None
    words: str | None = None
    start: int = 0
    end: int = 0
    ambiguous: tuple[date, date] | None = None


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    value: date | None
    ambiguous: tuple[date, date] | None = None
    weekday: bool = False
    rank: int = 1  # among readings that touch, the highest rank wins: a written date beats the weekday before it


def _numeric(m: re.Match[str], ref: date | None, day_first: bool, forward: bool) -> _Found | None:
    a, sep, b, year = int(m.group(1)), m.group(2), int(m.group(3)), _year(m.group(4))
    if sep == "." and year is None and not m.string.startswith(".", m.end()):
        return None
    if sep == ".":
        readings = [(b, a)]  # "24.11.2026", "3.12.": always day-first
    elif a > 12:
        readings = [(b, a)]
    elif b > 12:
        readings = [(a, b)]
    else:
        readings = [(b, a), (a, b)] if day_first else [(a, b), (b, a)]
    values: list[date] = []
    for month, day in readings:
        if year is not None:
            d = _safe(year, month, day)
        elif forward:
            d = _forward(month, day, ref) if _safe(2000, month, day) else None
        else:
            y = _year_for(month, day, ref)
            d = _safe(y, month, day) if y else None
        if d is not None:
            values.append(d)
        elif ref is None and year is None and _safe(2000, month, day):
            values.append(date.min)  # a real day and month, but no year to put it in
    if not values:
        return None
    ambiguous = None
    if len(readings) == 2 and len(values) == 2 and a != b and date.min not in values:
        month_first = values[1] if day_first else values[0]
        ambiguous = (month_first, values[0] if day_first else values[1])
    value = values[0] if values[0] != date.min else None
    return _Found(m.start(), m.end(), value, ambiguous, rank=3)


def _named(m: re.Match[str], ref: date | None, forward: bool) -> _Found | None:
    month, day = MONTH_WORDS[" ".join(fold_case(m.group("mon")).split())], int(m.group("day"))
    if not _safe(2000, month, day):
        return None
    year = _year(m.group("year"))
    if year is not None:
        d = _safe(year, month, day)
    elif forward:
        d = _forward(month, day, ref)
    else:
        y = _year_for(month, day, ref)
        d = _safe(y, month, day) if y else None
    return _Found(m.start(), m.end(), d, rank=3)


def _iso(m: re.Match[str]) -> _Found | None:
    d = _safe(*map(int, m.groups()))
    return _Found(m.start(), m.end(), d, rank=3) if d else None


def _first(rx: re.Pattern[str] | LazyPattern, text: str, read: Any) -> _Found | None:
    for m in rx.finditer(text):
        found = read(m)
        if found is not None:
            return found
    return None


def _first_numeric(text: str, ref: date | None, day_first: bool, forward: bool) -> tuple[_Found | None, _Found | None]:
    """The first ISO date and the first numeric date (11/20, 24.11.2026) in text, each None when there is none.
    Each pattern runs only on text holding its separator ("-"; "/" or "."), which every match holds."""
    return (
        _first(ISO_RE, text, _iso) if "-" in text else None,
        _first(NUM_RE, text, lambda m: _numeric(m, ref, day_first, forward=forward))
        if "/" in text or "." in text
        else None,
    )


def find_absolute_date(
    text: str, ref: date | None = None, *, day_first: bool = False
) -> tuple[date | None, str | None]:
    """The first written-out date in text: ISO, 11/20, 11/20/2026, 27/11/2026, 24.11.2026, Dec 5, 5 December,
    12 janvier 2027. A date without a year takes the year nearest ref; a numeric date reads month-first unless
    day_first or its first number is over 12. Returns (date or None when no year can be put on it, the words)."""
    if _DIGIT_RE.search(text) is None:
        return None, None  # every one of the four patterns needs a digit
    found = [
        f
        for f in (
            *_first_numeric(text, ref, day_first, forward=False),
            _first(MONTH_DAY_RE, text, lambda m: _named(m, ref, forward=False)),
            _first(DAY_MONTH_RE, text, lambda m: _named(m, ref, forward=False)),
        )
        if f is not None and (f.value is not None or ref is None)
    ]
    if not found:
        return None, None
    best = min(found, key=lambda f: (f.start, -f.end))
    return best.value, text[best.start : best.end]


# _weekday_due's patterns, compiled once (a pattern string in re.match pays re's cache lookup on every call)
_WORD_AFTER_RE = re.compile(r"\s*[^\W\d_]")
_JOIN_AFTER_RE = re.compile(r"\s*(?:and|or|und|et|y|en|e|og|at|um|à|a las)\b")
_RHYTHM_BEFORE_RE = re.compile(r"\b(?:the|every|each|weekly|our|their|a|jeden|cada|chaque|elke|toda|hver)\s+$")


def _weekday_due(m: re.Match[str], text: str, ref: date | None) -> _Found | None:
    """A weekday that stands as a due date: after a due lead, or ending its clause ("send the intro Thursday.")."""
    lead_m = LEAD_TAIL_RE.search(text, max(0, m.start() - 20), m.start())
    lead = " ".join(lead_m.group("lead").lower().split()) if lead_m else None
    after = text[m.end() : m.end() + 30]
    if lead is None or lead in _PLACE_LEADS:
        if _WORD_AFTER_RE.match(after) and not _JOIN_AFTER_RE.match(after):
            return None  # "the Thursday account call": the day of a meeting
        if lead is not None and (
            _MEETING_RE.search(text, max(0, m.start() - 40), m.start()) or _MEETING_RE.match(after.strip())
        ):
            return None  # "the account call on Thursday", "am Donnerstag" after the call
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if _RHYTHM_BEFORE_RE.search(before):
            return None
    wd = WEEKDAY_WORDS[fold_case(m.group("wd"))]
    if ref is None:
        d = None
    elif lead in ("eod", "cob", "end of day") and ref.weekday() == wd:
        d = ref
    else:
        d = ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)  # strictly after the call date, "next" too
    start = (
        lead_m.start("lead") if lead_m and lead in ("next", "this", "coming", "eod", "cob", "end of day") else m.start()
    )
    return _Found(start, m.end(), d, weekday=True, rank=2)


def _relative(m: re.Match[str], ref: date | None) -> _Found:
    rule, n = RELATIVE_WORDS[" ".join(fold_case(m.group("rel")).split())]
    d: date | None = None
    if ref is not None:
        if rule == "days":
            d = ref + timedelta(days=n)
        elif rule == "eow":
            d = ref + timedelta(days=(4 - ref.weekday()) % 7)
        elif rule == "eow_next":
            d = ref + timedelta(days=(4 - ref.weekday()) % 7 + 7)
        elif rule == "next_week":
            d = ref + timedelta(days=7 - ref.weekday())
        elif rule == "eom":
            d = _month_end(ref)
        elif rule == "eom_next":
            d = _month_end(ref, 1)
    return _Found(m.start(), m.end(), d)


def _in_n(m: re.Match[str], ref: date | None) -> _Found:
    token = m.group("n").lower()
    n = int(token) if token.isdigit() else NUMBER_WORDS[token]
    days = n * UNIT_DAYS[fold_case(m.group("unit"))]
    return _Found(m.start(), m.end(), ref + timedelta(days=days) if ref else None)


def _ordinal(m: re.Match[str], ref: date | None) -> _Found | None:
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    d = None
    if ref is not None:  # the next such day strictly after the call date
        y, mo = ref.year, ref.month
        for _ in range(13):
            d = _safe(y, mo, day)
            if d is not None and d > ref:
                break
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return _Found(m.start(), m.end(), d)


_DIGIT_RE = re.compile(r"\d")


def _keys(words: Any) -> tuple[str, ...]:
    """The longest space-free piece of each word, lowercased: the words' pattern (_alt: each word escaped, inner
    spaces matching any whitespace, IGNORECASE) matches every piece of a word literally, so a lowercased text
    holding none of the keys cannot match it (a case-folding trap aside: lexicon.has_lowered_trap)."""
    return tuple(sorted({max(w.lower().split(), key=len) for w in words}))


_WEEKDAY_KEYS = _keys(WEEKDAY_WORDS)
_RELATIVE_KEYS = _keys(RELATIVE_WORDS)
_NO_DATE_KEYS = _keys(NO_DATE_WORDS)
_MONTH_KEYS = _keys(MONTH_WORDS)  # MONTH_ONLY_RE, MONTH_DAY_RE and DAY_MONTH_RE all need a month word
_IN_N_KEYS = _keys(_IN_N["leads"])
_UNIT_KEYS = _keys(UNIT_DAYS)  # IN_N_RE needs a lead and a unit ("in two weeks")


# All the word groups' keys, found in one pass (read_due asks about six groups on every clause). Whole words
# rather than their first three letters: "tom" (Tom) or "for" no longer send a clause through "tomorrow" or
# "fortnight"'s pattern.
_ALL_KEYS = Substrings((*_WEEKDAY_KEYS, *_RELATIVE_KEYS, *_NO_DATE_KEYS, *_MONTH_KEYS, *_IN_N_KEYS, *_UNIT_KEYS))
_WEEKDAY_SET, _RELATIVE_SET, _NO_DATE_SET, _MONTH_SET, _IN_N_SET, _UNIT_SET = map(
    frozenset, (_WEEKDAY_KEYS, _RELATIVE_KEYS, _NO_DATE_KEYS, _MONTH_KEYS, _IN_N_KEYS, _UNIT_KEYS)
)


def read_due(text: str, ref: date | None, *, day_first: bool = False) -> DueDate:
    """The first due date in text, resolved against ref (the call date, or a mail reply's Sent: date).

    Returns a DueDate (see its fields); DueDate() when the text names no date. Rules (corpus DATE RESOLUTION):
    a weekday, with or without "next"/"by"/"bis", is the next such weekday strictly after ref ("EOD Friday" said on
    a Friday is that day); EOW = the Friday of ref's week; "end of next week" = the Friday after; end of month = its
    last day; "in two weeks" = ref + 14 days; "the 15th" = the next 15th after ref; today/tonight/EOD = ref;
    tomorrow/morgen/demain = ref + 1; a date without a year = the first such date on or after ref; "12/5" is
    month/day unless day_first (or a number over 12 decides); quarters, "before the holidays", ASAP, a month with no
    day = words kept, no date. With ref None every relative or yearless date is None (words kept)."""
    has_digit = _DIGIT_RE.search(text) is not None
    lowered = text.lower()
    candidates: list[_Found | None] = []
    # a group's pattern runs when the text holds one of its keys (all groups' keys found in one pass), or a
    # case-folding trap sends the text through every pattern
    trap = has_lowered_trap(lowered)
    held = _ALL_KEYS.present(lowered)
    if trap or not _RELATIVE_SET.isdisjoint(held):
        candidates.append(_first(RELATIVE_RE, text, lambda m: _relative(m, ref)))
    if trap or not _WEEKDAY_SET.isdisjoint(held):
        candidates.append(_first(WEEKDAY_RE, text, lambda m: _weekday_due(m, text, ref)))
    if trap or not _NO_DATE_SET.isdisjoint(held):
        candidates.append(_first(NO_DATE_RE, text, lambda m: _Found(m.start(), m.end(), None)))
    named_month = trap or not _MONTH_SET.isdisjoint(held)
    if named_month:
        candidates.append(_first(MONTH_ONLY_RE, text, lambda m: _Found(m.start("mon"), m.end(), None)))
    if trap or not (_IN_N_SET.isdisjoint(held) or _UNIT_SET.isdisjoint(held)):
        candidates.append(_first(IN_N_RE, text, lambda m: _in_n(m, ref)))
    if has_digit:
        candidates += [
            *_first_numeric(text, ref, day_first, forward=True),
            _first(MONTH_DAY_RE, text, lambda m: _named(m, ref, forward=True)) if named_month else None,
            _first(DAY_MONTH_RE, text, lambda m: _named(m, ref, forward=True)) if named_month else None,
            _first(ORDINAL_RE, text, lambda m: _ordinal(m, ref)),
        ]
    found = [f for f in candidates if f is not None]
    if not found:
        return DueDate()
    first = min(found, key=lambda f: (f.start, -f.end))
    touching = [f for f in found if f.start <= first.end + 1]  # "mardi 12 janvier", "el 4 de marzo"
    best = max(touching, key=lambda f: (f.rank, f.end - f.start))
    words_start = start = min(f.start for f in touching) if best.rank == 3 else best.start
    if lead_m := LEAD_TAIL_RE.search(text, max(0, best.start - 20), best.start):
        start = lead_m.start("lead")
        if best.weekday and lead_m.group("lead").lower() in ("by", "on", "this", "until", "before", "due"):
            words_start = start  # "by Friday": the words as the notes put them
    return DueDate(best.value, text[words_start : best.end], start, best.end, best.ambiguous)


def find_due_date(text: str, ref: date | None) -> tuple[date | None, str | None]:
    """A due date in an action line, resolved against the call date: (date or None, the words used or None).

    Words with no call date to resolve against give (None, words): the reader sees what the notes said and that the
    date is unresolved. A thin wrapper over read_due (month-first numeric dates), kept for old callers."""
    due = read_due(text, ref)
    return due.value, due.words


def other_reading(words: str, value: date) -> date | None:
    """The other reading of an ambiguous numeric date ("01/12/2026" read as Jan 12 -> Dec 1), or None when the words
    allow only one (a number over 12, a dotted day-first date, the same day and month, a named month)."""
    m = NUM_RE.fullmatch(words)
    if m is None or m.group(2) == "." or value.day == value.month:
        return None
    a, b = int(m.group(1)), int(m.group(3))
    if a > 12 or b > 12:
        return None
    return _safe(value.year, value.day, value.month)


def named_weekdays(text: str) -> set[int]:
    """The weekdays (0 = Monday) text names in any of the data's languages ("Tuesday", "mardi", "Di." excluded)."""
    return {WEEKDAY_WORDS[fold_case(m.group("wd"))] for m in WEEKDAY_RE.finditer(text)}


def states_year(words: str) -> bool:
    """Whether date words that find_absolute_date returned write their year ("11/20/2026", "Dec 5, 2026",
    "24.11.26") or leave it to be assumed ("11/20", "Dec 5")."""
    if ISO_RE.fullmatch(words):
        return True
    if m := NUM_RE.fullmatch(words):
        return m.group(4) is not None
    m = MONTH_DAY_RE.fullmatch(words) or DAY_MONTH_RE.fullmatch(words)
    return bool(m and m.group("year"))


# "(?<![\w/.,])(\d{1,2})([/.])..." written to open with a digit (the lookbehind moved after it: the character before
# the first digit is not a word character, "/", "." or ","), so the search jumps from digit to digit; same matches
_DAY_FIRST_RE = re.compile(r"(\d(?<![\w/.,]\d)\d?)([/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\w/]|[.,]\d)")


def day_first_habit(notes: str) -> bool:
    """Whether the notes write numeric dates day-first: "27/11/2026", "24.11.2026"/"19.11.26", or any d/m with a day
    over 12 (and no m/d with a day over 12). Source: corpus README, DATE RESOLUTION ("A UK or EU author is shown by
    an unambiguous date such as 25/11 or 19.11.26")."""
    day_first = month_first = False
    for m in _DAY_FIRST_RE.finditer(notes) if ("/" in notes or "." in notes) else ():
        a, sep, b = int(m.group(1)), m.group(2), int(m.group(3))
        if sep == "." and m.group(4) and 1 <= b <= 12 and 1 <= a <= 31:
            day_first = True
        elif sep == "/":
            if a > 12 and 1 <= b <= 12 and a <= 31:
                day_first = True
            elif b > 12 and 1 <= a <= 12 and b <= 31:
                month_first = True
    return day_first and not month_first
