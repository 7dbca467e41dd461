"""Dates a text mentions (find_dates) and the dates relative words in the notes can resolve to."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..lexicon import fold_case, has_lowered_trap
from .patterns import DIGIT_RE

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_name) if m})
_MONTHS["sept"] = 9
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_WEEKDAY_ALT = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), "ymd"),
    (
        re.compile(
            rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?",
            re.IGNORECASE,
        ),
        "mdy",
    ),
    (
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_ALT})\.?\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE),
        "dmy",
    ),
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\d/])"), "us"),
)


@dataclass(frozen=True)
class DateMention:
    month: int
    day: int
    year: int | None
    text: str
    span: tuple[int, int]


_WEEKDAY_BEFORE_RE = re.compile(rf"\b(?:{_WEEKDAY_ALT})\.?,?\s+$", re.IGNORECASE)
_LOWERED_WEEKDAY_BEFORE_RE = re.compile(_WEEKDAY_BEFORE_RE.pattern)  # for lowercased text, as below


# DATE_PATTERNS for lowercased text, case-sensitive, written so that the regex engine skips in C to where a match
# can start (a digit, or a month's first letter): the month alternation as a trie (it tries the longer name first,
# as the alternation sorted by length does) and each "\b" before a first character as a look-behind after it
# ("\w" behind that character: no boundary). Same matches as DATE_PATTERNS on lowercased text; tests/test_guards.py
# compares them.
_MONTH_TRIE = {
    "j": "(?:an(?:uary)?|une?|uly?)",
    "f": "eb(?:ruary)?",
    "m": "(?:ar(?:ch)?|ay)",
    "a": "(?:pr(?:il)?|ug(?:ust)?)",
    "s": "ep(?:t(?:ember)?)?",
    "o": "ct(?:ober)?",
    "n": "ov(?:ember)?",
    "d": "ec(?:ember)?",
}
_MONTH_AFTER_BOUNDARY = "(" + "|".join(rf"{c}(?<!\w.){rest}" for c, rest in _MONTH_TRIE.items()) + ")"
_MONTH_ANY = "(" + "|".join(f"{c}{rest}" for c, rest in _MONTH_TRIE.items()) + ")"
LOWERED_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d(?<!\w\d)\d{3})-(\d{1,2})-(\d{1,2})\b"), "ymd"),
    (re.compile(_MONTH_AFTER_BOUNDARY + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?"), "mdy"),
    (re.compile(r"(\d(?<!\w\d)\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_ANY + r"\.?\b(?:,?\s+(\d{4}))?"), "dmy"),
    (re.compile(r"(\d(?<![\d/]\d)\d?)/(\d{1,2})(?:/(\d{2,4}))?(?![\d/])"), "us"),
)
# The first three letters of every month name: a text (lowercased) without any has no "Dec 5" or "5 Dec" date
# (_MONTHS looks the matched name up, so only a name in ASCII letters makes a date).
_MONTH_START_RE = re.compile("|".join(sorted({m[:3] for m in _MONTHS})))


def find_dates(text: str) -> list[DateMention]:
    """Calendar dates written in text, in any of the forms notes and drafts use. Overlaps keep the first match.

    Speed (the guards call it on every draft line): a form runs only on text holding what its dates need, and
    LOWERED_DATE_PATTERNS run on text.lower() when lowering keeps every character in place and the text has no
    character IGNORECASE folds onto an ASCII letter that .lower() does not ("ı", "ſ", "İ"): then they match where
    DATE_PATTERNS match in text (a letter matches a pattern letter exactly when it lowers to it; .lower() keeps
    digits, spaces and word characters what they are, checked over all of Unicode), 2-4x faster."""
    found: list[DateMention] = []
    if not DIGIT_RE.search(text):
        return found  # every form has a digit: most lines are done here
    lowered = text.lower()
    month = _MONTH_START_RE.search(lowered) is not None
    # A form runs only on text holding what each of its dates holds: "-" (ymd), a month (mdy, dmy), "/" (us).
    runs = ("-" in lowered, month, month, "/" in lowered)
    if not any(runs):
        return found
    in_place = len(lowered) == len(text) and not has_lowered_trap(lowered)
    taken = bytearray(len(text))  # 1 where an earlier match sits: overlap tests in O(match length), not O(matches)
    for (pattern, kind), (lowered_pattern, _kind), run in zip(DATE_PATTERNS, LOWERED_DATE_PATTERNS, runs, strict=True):
        if not run:
            continue
        for m in lowered_pattern.finditer(lowered) if in_place else pattern.finditer(text):
            if taken.find(1, m.start(), m.end()) != -1:
                continue
            g = m.groups()
            y: int | None
            try:
                if kind == "ymd":
                    y, mo, d = int(g[0]), int(g[1]), int(g[2])
                elif kind == "mdy":
                    mo, d, y = _MONTHS[g[0].lower().rstrip(".")], int(g[1]), int(g[2]) if g[2] else None
                elif kind == "dmy":
                    d, mo, y = int(g[0]), _MONTHS[g[1].lower().rstrip(".")], int(g[2]) if g[2] else None
                else:
                    mo, d = int(g[0]), int(g[1])
                    y = int(g[2]) if g[2] else None
                    if y is not None and y < 100:
                        y += 2000
            except (KeyError, ValueError):
                continue
            if not (1 <= mo <= 12 and 1 <= d <= 31):
                continue
            start = m.start()
            if kind == "mdy":  # "Fri Nov 20": the weekday belongs to the date (looked up behind: a fast regex)
                weekday, subject = (_LOWERED_WEEKDAY_BEFORE_RE, lowered) if in_place else (_WEEKDAY_BEFORE_RE, text)
                wd = weekday.search(subject, max(0, start - 12), start)
                start = wd.start() if wd else start
            if taken.find(1, start, m.end()) != -1:
                start = m.start()
            found.append(DateMention(mo, d, y, text[start : m.end()], (start, m.end())))
            taken[start : m.end()] = b"\x01" * (m.end() - start)
    return found


def _quarter_end(q: int, year: int) -> date:
    month = q * 3
    return date(year, month, calendar.monthrange(year, month)[1])


_WEEKDAY_STARTS = tuple(sorted({w[:3] for w in _WEEKDAYS}))  # every weekday name starts with one of these


def _holds(low: str, words: tuple[str, ...]) -> bool:
    return any(map(low.__contains__, words))


def relative_dates(text: str, call: date) -> set[date]:
    """Dates that relative words in the notes can resolve to, against the call date (generously: rules differ)."""
    out: set[date] = set()
    low = text.lower()
    # Each search below runs only where the words its every match holds occur: ~8 scans of 200 KB of notes with
    # alternations cost ~60 ms, a substring test ~0.1 ms (the patterns read `low` case-sensitively).
    day_named = _holds(low, _WEEKDAY_STARTS)
    weekdays = {
        _WEEKDAYS[fold_case(m.group(0)).rstrip("s")]
        for m in (re.finditer(rf"\b(?:{_WEEKDAY_ALT})s?\b", low) if day_named else ())
        if m.group(0).lower().rstrip("s") in _WEEKDAYS
    }
    for k in range(0, 15):  # "by Friday", "next Tuesday", "on Thursdays": the coming two weeks
        d = call + timedelta(days=k)
        if d.weekday() in weekdays:
            out.add(d)
    # "first Tuesday of the month": that day in this month and the next two.
    nth_days = re.finditer(rf"\b(first|second|third|fourth|last|1st|2nd|3rd|4th)\s+({_WEEKDAY_ALT})\b", low)
    for m in nth_days if day_named else ():
        nth = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}.get(
            m.group(1), -1
        )
        wd = _WEEKDAYS[m.group(2)]
        for i in range(3):
            y, mo = call.year + (call.month - 1 + i) // 12, (call.month - 1 + i) % 12 + 1
            days = [d for d in range(1, calendar.monthrange(y, mo)[1] + 1) if date(y, mo, d).weekday() == wd]
            out.add(date(y, mo, days[nth - 1] if nth > 0 else days[-1]))
    if "tomorrow" in low and re.search(r"\btomorrow\b", low):
        out.add(call + timedelta(days=1))
    if _holds(low, ("today", "asap", "eod")) and re.search(r"\btoday\b|\basap\b|\beod\b", low):
        out.add(call)
    if _holds(low, ("next week", "eow", "end of")) and re.search(
        r"\bnext week\b|\beow\b|\bend of (?:the )?week\b", low
    ):
        out.update(call + timedelta(days=k) for k in range(1, 15))
    if _holds(low, ("end of", "eom")) and re.search(r"\bend of (?:the )?month\b|\beom\b", low):
        out.add(date(call.year, call.month, calendar.monthrange(call.year, call.month)[1]))
        nxt = date(call.year + call.month // 12, call.month % 12 + 1, 1)
        out.add(date(nxt.year, nxt.month, calendar.monthrange(nxt.year, nxt.month)[1]))
    for m in re.finditer(r"\bq([1-4])\b", low) if _holds(low, ("q1", "q2", "q3", "q4")) else ():
        for y in (call.year, call.year + 1):
            out.add(_quarter_end(int(m.group(1)), y))
    if _holds(low, ("end of", "eoy", "fy")) and re.search(r"\bend of (?:the )?year\b|\beoy\b|\bfy ?end\b", low):
        out.add(date(call.year, 12, 31))
    return out
