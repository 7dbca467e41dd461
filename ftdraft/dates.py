"""Finds dates in note text and resolves relative ones ("by Friday", "next Tuesday", "Dec 5") against the call date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WD = r"(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MON = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)

ISO_RE = re.compile(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b")
SLASH_RE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\d/])")
MONTH_DAY_RE = re.compile(rf"\b{_MON}\.? (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (20\d\d))?\b", re.IGNORECASE)
DAY_MONTH_RE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? {_MON}\b(?:,? (20\d\d))?", re.IGNORECASE)
NEXT_WD_RE = re.compile(rf"\bnext {_WD}\b", re.IGNORECASE)
BY_WD_RE = re.compile(rf"\b(?:by|on|this|until|before|due) {_WD}\b", re.IGNORECASE)
# Note-taking shorthand included: "tmrw", "COB", "in 2 wks".
RELATIVE_RE = re.compile(
    r"\b(tomorrow|tmrw|tmw|today|tonight|eod|cob|end of (?:the )?day|eow|end of (?:the |this )?week|next week"
    r"|eom|end of (?:the |this )?month"
    r"|in (\d{1,2}|one|two|three|four) (days?|weeks?|wks?))\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}


# Substring pre-checks: every match of a pattern holds one of these words (lowercase), so a text without any skips
# the pattern. An IGNORECASE pattern also matches "ı" and "ſ" as i and s, and "İ" lowercases to i + U+0307: a
# text holding one of those runs the patterns as before.
_WEEKDAY_STARTS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RELATIVE_WORDS = ("tom", "tmrw", "tmw", "today", "tonight", "eod", "cob", "end of", "eow", "next week", "eom", "day",
                   "week", "wk")  # fmt: skip
_FOLD_TRAPS = ("ı", "ſ", "\u0307")


def _may_have(lowered: str, words: tuple[str, ...]) -> bool:
    return any(map(lowered.__contains__, words)) or (
        not lowered.isascii() and any(map(lowered.__contains__, _FOLD_TRAPS))
    )


def _weekday_index(token: str) -> int:
    return next(i for i, name in enumerate(WEEKDAYS) if name.startswith(token.lower()[:3]))


def _month_index(token: str) -> int:
    return MONTHS.index(token.lower()[:3]) + 1


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


def _forward_year(month: int, day: int, ref: date) -> int:
    """A due date with no year lies on or after the call date."""
    d = _safe(ref.year, month, day)
    return ref.year if d is None or d >= ref else ref.year + 1


def _month_end(ref: date) -> date:
    first_next = date(ref.year + (ref.month == 12), ref.month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def find_absolute_date(text: str, ref: date | None = None) -> tuple[date | None, str | None]:
    """The first written-out date in text: ISO, 11/20, 11/20/2026, Dec 5, 5 December. Years default near ref."""
    best: tuple[int, date | None, str] | None = None
    for m in ISO_RE.finditer(text) if "-" in text else ():  # ISO and slash dates need their literal separator
        d = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d and (best is None or m.start() < best[0]):
            best = (m.start(), d, m.group(0))
        break
    for m in SLASH_RE.finditer(text) if "/" in text else ():
        month, day = int(m.group(1)), int(m.group(2))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        if m.group(3):
            year = int(m.group(3))
            year = year + 2000 if year < 100 else year
        else:
            y = _year_for(month, day, ref)
            year = y if y is not None else 0
        d = _safe(year, month, day) if year else None
        if best is None or m.start() < best[0]:
            best = (m.start(), d, m.group(0))
        break
    named_month = _may_have(text.lower(), MONTHS)  # every month name starts with its abbreviation
    for rx, mon_group, day_group, year_group in ((MONTH_DAY_RE, 1, 2, 3), (DAY_MONTH_RE, 2, 1, 3)):
        for m in rx.finditer(text) if named_month else ():
            month, day = _month_index(m.group(mon_group)), int(m.group(day_group))
            if m.group(year_group):
                d = _safe(int(m.group(year_group)), month, day)
            else:
                y = _year_for(month, day, ref)
                d = _safe(y, month, day) if y else None
            if best is None or m.start() < best[0]:
                best = (m.start(), d, m.group(0))
            break
    if best is None:
        return None, None
    return best[1], best[2]


def find_due_date(text: str, ref: date | None) -> tuple[date | None, str | None]:
    """A due date in an action line, resolved against the call date.

    Returns (date or None, the words used or None). Words with no call date to resolve against give (None, words):
    the reader sees what the notes said and that the date is unresolved.
    """
    found: list[tuple[int, date | None, str]] = []
    lowered = text.lower()
    weekday = _may_have(lowered, _WEEKDAY_STARTS)  # both weekday patterns need a weekday's first three letters
    for m in NEXT_WD_RE.finditer(text) if weekday else ():
        wd = _weekday_index(m.group(1))
        d = None
        if ref is not None:
            monday_next = ref + timedelta(days=7 - ref.weekday())
            d = monday_next + timedelta(days=wd)
        found.append((m.start(), d, m.group(0)))
    for m in BY_WD_RE.finditer(text) if weekday else ():
        wd = _weekday_index(m.group(1))
        d = None
        if ref is not None:
            ahead = (wd - ref.weekday()) % 7 or 7
            d = ref + timedelta(days=ahead)
        found.append((m.start(), d, m.group(0)))
    for m in RELATIVE_RE.finditer(text) if _may_have(lowered, _RELATIVE_WORDS) else ():
        word = m.group(1).lower()
        d = None
        if ref is not None:
            if word in ("today", "tonight", "eod", "cob") or word.startswith("end of") and "day" in word:
                d = ref
            elif word in ("tomorrow", "tmrw", "tmw"):
                d = ref + timedelta(days=1)
            elif word in ("eow",) or (word.startswith("end of") and "week" in word):
                d = ref + timedelta(days=(4 - ref.weekday()) % 7)
            elif word == "next week":
                d = ref + timedelta(days=7 - ref.weekday())
            elif word == "eom" or (word.startswith("end of") and "month" in word):
                d = _month_end(ref)
            elif m.group(2):
                n = int(m.group(2)) if m.group(2).isdigit() else _NUMBER_WORDS[m.group(2).lower()]
                d = ref + timedelta(days=n * (7 if m.group(3).lower().startswith("w") else 1))
        found.append((m.start(), d, m.group(0)))
    absolute, words = _absolute_due(text, ref)
    if words is not None:
        found.append((text.find(words), absolute, words))
    if not found:
        return None, None
    _, d, words = min(found, key=lambda f: f[0])
    return d, words


def _absolute_due(text: str, ref: date | None) -> tuple[date | None, str | None]:
    d, words = find_absolute_date(text, ref)
    if d is not None and ref is not None and words and not re.search(r"20\d\d", words) and d < ref:
        # "Dec 5" written as a due date after a Nov call means this year's Dec 5, never last year's.
        d = _safe(_forward_year(d.month, d.day, ref), d.month, d.day)
    return d, words


def states_year(words: str) -> bool:
    """Whether date words that find_absolute_date returned write their year ("11/20/2026", "Dec 5, 2026")
    or leave it to be assumed ("11/20", "Dec 5")."""
    if ISO_RE.fullmatch(words):
        return True
    if m := SLASH_RE.fullmatch(words):
        return m.group(3) is not None
    m = MONTH_DAY_RE.fullmatch(words) or DAY_MONTH_RE.fullmatch(words)
    return bool(m and m.group(3))


@dataclass(frozen=True)
class DueDate:
    """A due date read from text.

    value: the resolved date, or None (no date in the text, a date with no day such as "end of Q1", or relative
    words with no reference date). words: the surface words ("next Tues", "before the holidays"), kept even when
    value is None. start/end: the words' span in the text (0, 0 when there are none), to strip from an action.
    ambiguous: (month-first, day-first) readings when a numeric date allows both ("5/12"); value is the one chosen.
    """

    value: date | None = None
    words: str | None = None
    start: int = 0
    end: int = 0
    ambiguous: tuple[date, date] | None = None


_DAY_FIRST_RE = re.compile(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})(?:\2(\d{2,4}))?(?![\d/]|\.\d)")


def day_first_habit(notes: str) -> bool:
    """Whether the notes write numeric dates day-first: "27/11/2026", "24.11.2026", or any d/m with a day over 12
    (and no m/d with a day over 12). Source: ../shared/corpus/README.md, DATE RESOLUTION ("day-first habit")."""
    day_first = month_first = False
    for m in _DAY_FIRST_RE.finditer(notes) if ("/" in notes or "." in notes) else ():
        a, sep, b = int(m.group(1)), m.group(2), int(m.group(3))
        if sep == "." and m.group(4) and 1 <= b <= 12 and 1 <= a <= 31:
            day_first = True
        elif sep == "/":
            if a > 12 and 1 <= b <= 12:
                day_first = True
            elif b > 12 and 1 <= a <= 12:
                month_first = True
    return day_first and not month_first


def read_due(text: str, ref: date | None, *, day_first: bool = False) -> DueDate:
    """The first due date in text, resolved against ref (the call date, or a reply's Sent: date).

    Returns a DueDate (see its fields); DueDate() when the text names no date. Rules: ../shared/corpus/README.md,
    DATE RESOLUTION."""
    value, words = find_due_date(text, ref)
    if words is None:
        return DueDate()
    start = text.find(words)
    ambiguous = None
    m = SLASH_RE.fullmatch(words)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if day_first and 1 <= b <= 12 and 1 <= a <= 31:
            year = value.year if value else (ref.year if ref else None)
            if m.group(3):
                year = int(m.group(3)) + (2000 if int(m.group(3)) < 100 else 0)
            elif ref is not None:
                year = _forward_year(b, a, ref)
            value = _safe(year, b, a) if year else None
        if a <= 12 and b <= 12 and a != b and value is not None:
            md, dm = _safe(value.year, a, b), _safe(value.year, b, a)
            if md and dm:
                ambiguous = (md, dm)
    return DueDate(value=value, words=words, start=max(start, 0), end=max(start, 0) + len(words), ambiguous=ambiguous)
