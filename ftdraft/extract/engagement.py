"""The engagement read from the notes: title line (customer, motion, call date, RFA id), workloads in scope,
the completed account team, and the flags for what stayed unknown.
"""

from __future__ import annotations

import re
from datetime import date

from ..dates import find_absolute_date, states_year
from ..schemas import (
    CallFacts,
    Engagement,
    Flag,
    Person,
)
from .lines import Line
from .people import People
from .text import FIELD_ROLES, _workloads_in

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


def _may_scope(lowered: str) -> bool:
    # U+0307 is what "İ" leaves when lowercased: the IGNORECASE regex reads it as "i" ("scope" has none, but
    # "İ" could stand in a word the regex spans); ı/ſ fold onto i/s
    return any(map(lowered.__contains__, ("rfa", "red", "scope", "workload", "ı", "ſ", "\u0307")))


def _scope_workloads(lines: list[Line]) -> tuple[list[str], list[Line]]:
    found: list[str] = []
    used: list[Line] = []
    for line in lines:
        lowered = line.lower()
        # every SCOPE_RE alternative holds "rfa", "red", "scope" or "workload"
        spans = [m.group(1) for m in SCOPE_RE.finditer(line.text)] if _may_scope(lowered) else []
        if "red" in lowered:
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
