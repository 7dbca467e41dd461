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
from .scope import scope_workloads as _scope_workloads  # noqa: F401  (moved to scope.py; kept for old callers)
from .text import FIELD_ROLES

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
