"""The engagement read from the notes: title line (customer, motion, call date, RFA id), workloads in scope,
the completed account team, and the flags for what stayed unknown.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from .. import lexicon as lx
from ..dates import WEEKDAY_WORDS, day_first_habit, find_absolute_date, named_weekdays, other_reading, states_year
from ..schemas import (
    ActionItem,
    CallFacts,
    Engagement,
    Flag,
    Person,
)
from .lines import Line
from .people import People
from .scope import scope_workloads as _scope_workloads  # noqa: F401  (moved to scope.py; kept for old callers)
from .spans import load_data, not_names
from .text import FIELD_ROLES

RFA_ID_RE = re.compile(r"\bRFA\s*(?:#|no\.?|number|id)?\s*:?\s*(\d{3,})", re.IGNORECASE)


def read_header(lines: list[Line], engagement: Engagement) -> tuple[Engagement, Flag | None]:
    """The engagement completed from the title lines, and a flag when the call date's year was assumed."""
    updates: dict[str, object] = {}
    year_flag: Flag | None = None
    head = lines[:3]
    all_text = "\n".join(line.text for line in lines[:40])
    if engagement.motion is None and (motion := _motion(lines[:40])):
        updates["motion"] = motion
    if engagement.rfa_id is None and (m := RFA_ID_RE.search(all_text)):
        updates["rfa_id"] = m.group(1)
    if engagement.call_date is None and (from_thread := call_date_from_thread(lines)) is not None:
        updates["call_date"] = from_thread
    elif engagement.call_date is None:
        day_first = day_first_habit("\n".join(line.text for line in lines[:40]))
        labelled = [line for line in lines[:15] if line.label and _DATE_LABEL_RE.match(line.label)]
        named = named_weekdays(" ".join(line.text for line in head))
        for line in labelled + head:
            today = date.today()
            found, words = find_absolute_date(line.body if line in labelled else line.text, today, day_first=day_first)
            if found is None and line.ref_date is not None and line.speaker is not None:
                found, words = line.ref_date, None  # a Teams chat stamp "[11/17/2026 2:01 PM] Name: ..."
            other = other_reading(words, found) if found is not None and words else None
            if found is not None and other is not None and found.weekday() not in named and other.weekday() in named:
                found = other  # "01/12/2026 ... it's Tuesday the first of December": the named weekday picks
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
        by_label = next((line for line in lines[:15] if line.label and _CUSTOMER_LABEL_RE.match(line.label)), None)
        if by_label is not None and by_label.body and len(by_label.body.split()) <= 6:
            updates["customer"] = by_label.body.strip(" .")  # "Customer: Pemberton Foods"
        titles = [head[0]] + [line for line in lines[:8] if re.match(r"subject\s*:", line.text, re.I)] + head[1:]
        for title in titles if by_label is None else ():
            text = re.sub(r"^subject\s*:\s*(?:(?:re|fw|fwd)\s*:\s*)*", "", title.text, flags=re.I)
            if customer := _customer_from_header(text):
                updates["customer"] = customer
                break
    return engagement.model_copy(update=updates), year_flag


# A mail that names the call relative to when it was sent: "thanks for the time yesterday", "recap of yesterday's
# sync", "Thanks for the time on Monday", "today's call".
_CALL_WORDS = r"(?:call|sync|meeting|session|initiate|catch-?up|chat)"
# the weekday is a word checked against WEEKDAY_WORDS: an alternation of the ~130 weekday words costs ms to compile
_WHEN = r"(yesterday|today|this morning|this afternoon|(?:on )?[^\W\d_]+)"
_CALL_WHEN_RES = (
    re.compile(rf"\b{_WHEN}['’]s? {_CALL_WORDS}", re.IGNORECASE),
    re.compile(rf"\b(?:time|{_CALL_WORDS}|talking|speaking) {_WHEN}\b", re.IGNORECASE),
)


# A labelled call-date line: "Call-Date: 2026-11-19", "Date: 24/11/2026", "Datum: 24.11.2026".
_DATE_LABEL_RE = re.compile(
    r"^(?:call[- ]?date|date|meeting date|call on|datum|fecha|data|dato|date de l'appel)$", re.I
)


def _is_when(words: str) -> bool:
    low = words.lower().removeprefix("on ")
    return low in ("yesterday", "today", "this morning", "this afternoon") or low in WEEKDAY_WORDS


def call_date_from_thread(lines: list[Line]) -> date | None:
    """The call date of notes that are a mail thread: the oldest message's words for the call ("thanks for the time
    yesterday", "on Monday") resolved against its Sent: date, else that Sent: date. None when the notes are no thread.
    Source: corpus README, "Replies" (a call date can come from the email; the Sent date is not the call date when
    the text names another)."""
    dated = [line for line in lines if line.ref_date is not None and line.speaker is not None]
    if not dated or not any(line.header and line.text.lower().startswith(("sent", "date")) for line in dated):
        return None
    for line in sorted(dated, key=lambda x: (x.part, x.no)):  # the oldest message first
        sent = line.ref_date
        m = next((m for rx in _CALL_WHEN_RES for m in rx.finditer(line.text) if _is_when(m.group(1))), None)
        if sent is None or m is None:
            continue
        when = m.group(1).lower().removeprefix("on ")
        if when == "yesterday":
            return sent - timedelta(days=1)
        if when in WEEKDAY_WORDS:
            return sent - timedelta(days=(sent.weekday() - WEEKDAY_WORDS[when]) % 7)
        return sent
    oldest = min(dated, key=lambda x: (x.part, -x.no))
    return oldest.ref_date


_MOTION_RE = re.compile(r"\b(rfa|health|targeted)\b", re.IGNORECASE)


_NEGATED_RE = re.compile(r"\b(?:no|not(?: an?)?|non)[- ]$", re.IGNORECASE)


def _motion(lines: list[Line]) -> str | None:
    """The first motion word the notes use, skipping negated ones ("no RFA"), so the title line wins."""
    for line in lines:
        for m in _MOTION_RE.finditer(line.text):
            if _NEGATED_RE.search(line.text[max(0, m.start() - 8) : m.start()]):
                continue
            return {"rfa": "RFA", "health": "Health", "targeted": "Targeted"}[lx.fold_case(m.group(1))]
    return None


# A labelled customer line: "Customer: X", "Account: X", "Kunde: X", "Cliente: X", "Client: X", "Klant: X".
_CUSTOMER_LABEL_RE = re.compile(
    r"^(?:customer|customer name|account|account name|kunde|cliente|client|klant|kund|klient)$", re.I
)


def _customer_from_header(text: str) -> str | None:
    parts = [p.strip() for p in re.split(r"\s+(?:--|-|–|—|\||//|::)\s+|\s*(?:\||//|::)\s*", text) if p.strip()]
    noise = re.compile(
        r"^(?:internal )?(?:account team|at|field)? ?(?:sync|call|meeting|notes)\b|^(?:rfa|health|targeted)\b"
        r"|^account[- ]team\b|^(?:acct|at) sync\b|^(?:abstimmung|besprechung|réunion|reunión|riunione|möte|spotkanie"
        r"|overleg|møde|sync|synk|notas|notizen|notes|compte rendu|verslag|referat|resumo)\b|\béquipe de compte\b"
        r"|^\d|^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d|^internal\b"
        r"|^(?:voice memo|note to self|meeting notes|meeting chat|ticket\b|transcri)",
        re.IGNORECASE,
    )
    if len(parts) > 1 and parts[0].lower() in _product_words():
        return None  # "teams - in prog, rollout done": a workload's line, not a title
    for part in parts:
        part = part.strip("🌴🔁👉📌✅☑☐*_#~ ")  # decoration around a title
        if noise.search(part):
            continue
        candidate = re.sub(r"\s*\((?:rfa|health)[^)]*\)|\s+RFA\s*#?\s*\d+\b.*$", "", part, flags=re.IGNORECASE)
        candidate = re.sub(
            r"\s+(?:(?:health|rfa|targeted|internal|review|account team|at|field|intro)\s+)*"
            r"(?:health|review|call|sync|meeting|notes|with)\b.*$",
            "",
            candidate,
            flags=re.IGNORECASE,
        ).strip(" :-,")
        if candidate and not noise.search(candidate) and len(candidate.split()) <= 5 and _may_be_customer(candidate):
            if any(c.isupper() for c in candidate):
                return candidate
            # "margie's travel" -> "Margie's Travel" (str.title would give "Margie'S")
            return " ".join(word[:1].upper() + word[1:] for word in candidate.split())
    # "FT intro for Larkspur Foods, thx all", "call w/ at re: pinecrest schools (rfa 80331) 12/14"
    if (m := _TITLE_FOR_RE.search(text)) and _may_be_customer(name := m.group("name").strip(" .,:-")):
        return name if any(c.isupper() for c in name) else " ".join(w[:1].upper() + w[1:] for w in name.split())
    return None


# The customer named after "re:" or "for" in a title line.
_TITLE_FOR_RE = re.compile(
    r"(?:^|\s)(?:re\s*:|for)\s+(?P<name>[A-Z][\w&'’.-]*(?:\s+(?:[A-Z][\w&'’.-]*|&|of|and|de|du|la|the)){0,4}"
    r"|[a-z][\w&'’-]*(?:\s+[a-z][\w&'’-]*){0,3}(?=\s*(?:\(|$|[-–—|,]|\d)))"
)
# A sentence is no customer name ("I'm the FM. roll call?"), nor a workload or agenda word ("teams - in prog").
_SENTENCE_RE = re.compile(r"[.?!](?:\s|$)|\b(?:i|i['’]m|i['’]ll|we|you|thx|thanks)\b", re.IGNORECASE)


@cache
def _product_words() -> frozenset[str]:
    """Workload and product words of ftdraft/data/not_names.toml ("teams", "exo"), lowercase."""
    return frozenset(w for g in load_data("not_names")["group"] if g["kind"] == "products" for w in g["words"])


def _may_be_customer(candidate: str) -> bool:
    """Whether a title part can be a customer name: no sentence, not only workload, product or agenda words.
    Source: review item 3 (issue 8 follow-ups): the customer comes from a title, subject or "Customer:" label."""
    if _SENTENCE_RE.search(candidate.rstrip(".")):
        return False
    return not all(w.lower() in not_names() for w in re.findall(r"[^\W\d_]+", candidate))


def complete_engagement(engagement: Engagement, people: People, workloads: list[str]) -> Engagement:
    team = [Person(**a.model_dump(exclude={"present"})) for a in people.attendees if a.role in FIELD_ROLES]
    fta = next((a for a in people.attendees if a.role == "FTA"), None)
    updates: dict[str, object] = {"account_team": team, "workloads": workloads, "customer_contacts": people.customer}
    if engagement.fta is None and fta is not None:
        updates["fta"] = Person(**fta.model_dump(exclude={"present"}))
    return engagement.model_copy(update=updates)


def engagement_flags(engagement: Engagement, facts: CallFacts) -> list[Flag]:
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
    flags.extend(action_flags(facts.action_items))
    return flags


def action_flags(items: list[ActionItem]) -> list[Flag]:
    """A flag per action item with no owner ("No owner for: …") and per one with no due date ("No due date
    for: …", saying which words could not be resolved); fields "action_items[i].owner" / "….due"."""
    flags: list[Flag] = []
    for i, item in enumerate(items):
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
