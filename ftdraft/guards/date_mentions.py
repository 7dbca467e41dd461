"""Dates a text mentions (find_dates) and the dates relative words in the notes can resolve to."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..lexicon import fold_case
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


def find_dates(text: str) -> list[DateMention]:
    """Calendar dates written in text, in any of the forms notes and drafts use. Overlaps keep the first match."""
    found: list[DateMention] = []
    if not DIGIT_RE.search(text):
        return found  # every form has a digit: most lines are done here
    taken = bytearray(len(text))  # 1 where an earlier match sits: overlap tests in O(match length), not O(matches)
    for pattern, kind in DATE_PATTERNS:
        for m in pattern.finditer(text):
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
                wd = _WEEKDAY_BEFORE_RE.search(text, max(0, start - 12), start)
                start = wd.start() if wd else start
            if taken.find(1, start, m.end()) != -1:
                start = m.start()
            found.append(DateMention(mo, d, y, text[start : m.end()], (start, m.end())))
            taken[start : m.end()] = b"\x01" * (m.end() - start)
    return found


def _quarter_end(q: int, year: int) -> date:
    month = q * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def relative_dates(text: str, call: date) -> set[date]:
    """Dates that relative words in the notes can resolve to, against the call date (generously: rules differ)."""
    out: set[date] = set()
    low = text.lower()
    weekdays = {
        _WEEKDAYS[fold_case(m.group(0)).rstrip("s")]
        for m in re.finditer(rf"\b(?:{_WEEKDAY_ALT})s?\b", low)
        if m.group(0).lower().rstrip("s") in _WEEKDAYS
    }
    for k in range(0, 15):  # "by Friday", "next Tuesday", "on Thursdays": the coming two weeks
        d = call + timedelta(days=k)
        if d.weekday() in weekdays:
            out.add(d)
    # "first Tuesday of the month": that day in this month and the next two.
    for m in re.finditer(rf"\b(first|second|third|fourth|last|1st|2nd|3rd|4th)\s+({_WEEKDAY_ALT})\b", low):
        nth = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}.get(
            m.group(1), -1
        )
        wd = _WEEKDAYS[m.group(2)]
        for i in range(3):
            y, mo = call.year + (call.month - 1 + i) // 12, (call.month - 1 + i) % 12 + 1
            days = [d for d in range(1, calendar.monthrange(y, mo)[1] + 1) if date(y, mo, d).weekday() == wd]
            out.add(date(y, mo, days[nth - 1] if nth > 0 else days[-1]))
    if re.search(r"\btomorrow\b", low):
        out.add(call + timedelta(days=1))
    if re.search(r"\btoday\b|\basap\b|\beod\b", low):
        out.add(call)
    if re.search(r"\bnext week\b|\beow\b|\bend of (?:the )?week\b", low):
        out.update(call + timedelta(days=k) for k in range(1, 15))
    if re.search(r"\bend of (?:the )?month\b|\beom\b", low):
        out.add(date(call.year, call.month, calendar.monthrange(call.year, call.month)[1]))
        nxt = date(call.year + call.month // 12, call.month % 12 + 1, 1)
        out.add(date(nxt.year, nxt.month, calendar.monthrange(nxt.year, nxt.month)[1]))
    for m in re.finditer(r"\bq([1-4])\b", low):
        for y in (call.year, call.year + 1):
            out.add(_quarter_end(int(m.group(1)), y))
    if re.search(r"\bend of (?:the )?year\b|\beoy\b|\bfy ?end\b", low):
        out.add(date(call.year, 12, 31))
    return out
