"""People the notes name: the account team with roles and presence, and the customer's contacts with titles."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import cast

from .. import lexicon as lx
from ..schemas import (
    Attendee,
    AttendeeRole,
    Engagement,
    Person,
)
from .lines import _ATTENDEE_LABEL_RE, Line
from .text import _ANY_ROLE, _NAME, _NOT_NAMES, _ROLE_CODES, ABSENT_RE, FIELD_ROLES, _extend_sources, tidy

_ABSENT_LABEL_RE = re.compile(r"^(absent|apologies|regrets|not present|missing|out)$", re.IGNORECASE)


# Words that stand where a name should be but say the name is unknown: never a name.
_UNKNOWN_NAME_RE = re.compile(r"^(?:\?+|tbd|tbc|unknown|n/?a|none|nobody|no one|not sure|unclear)$", re.IGNORECASE)


_NOT_LOWER_NAMES = {
    "out",
    "absent",
    "oof",
    "ooo",
    "not",
    "new",
    "the",
    "a",
    "an",
    "on",
    "off",
    "tbd",
    "tbc",
    "unknown",
    "none",
    "aligned",
    "missing",
    "there",
    "here",
    "also",
    "still",
    "away",
    "leaving",
    "changing",
    "ok",
    "fine",
    "late",
    "joining",
    "covering",
    "busy",
    "sick",
    "vacant",
    "open",
    "pending",
    "same",
    "who",
    "from",
    "in",
    "at",
    "to",
}


NAME_PAREN_ROLE_RE = re.compile(rf"\b({_NAME}|(?i:me))\s*\(\s*({_ANY_ROLE})\s*\)")


ROLE_EQ_NAME_RE = re.compile(rf"\b({_ANY_ROLE})\s*(?:=|:|\bis\b|\s[-–]\s)\s*(\?+|{_NAME})")


# All-lowercase notes ("ats is priya nair"): a lowercase name is read only in this explicit role form.
ROLE_EQ_LOWER_NAME_RE = re.compile(
    rf"\b({_ANY_ROLE})\s*(?:=|:|\bis\b|\s[-–]\s)\s*([a-z][a-z'’\-]+(?: [a-z][a-z'’\-]+)?)\b"
)


# Prose: "Hannah Schmidt, the ATS", "Chloe Martin joined as the CSM", "Victor Alvarez (the TAM)".
NAME_THE_ROLE_RE = re.compile(
    rf"\b({_NAME})\s*(?:,\s*|\(\s*|\s+(?:joined |is |was |attended )?as\s+)(?:the|our|their)\s+({_ROLE_CODES})\b"
)


ROLE_NAME_RE = re.compile(rf"\b({_ROLE_CODES}) ({_NAME})")


ROLE_OUT_RE = re.compile(
    rf"\b({_ANY_ROLE})\s+(?:is\s+)?(?i:out|absent|oof|ooo|not present|missing)\b[^(]*\(\s*({_NAME})"
)


# "Marcus Lee, ATS" but not "Priti Shah, TSP Marco Bianchi" (there the role belongs to the next name).
NAME_COMMA_ROLE_RE = re.compile(rf"\b({_NAME})\s*[,\-–]\s*({_ROLE_CODES})\b(?!\s+[A-Z][a-z])")


# Prose: "the CSM, Beatriz Costa, sent apologies", "our TAM Omar".
THE_ROLE_NAME_RE = re.compile(rf"\b(?:the|our|their) ({_ROLE_CODES}),?\s+({_NAME})")


# Customer people: "new CIO (Dana Whitfield)", "IT infra lead (Ken Adams)", "IT director Mark Olsen".
_TITLE = (
    r"(?:new |the |their )?((?:IT |it )?(?:infra(?:structure)? |security |messaging |collab(?:oration)? )?"
    r"(?:CIO|CTO|CISO|CFO|CEO|director|lead|manager|admin|architect|head of IT|VP(?: of IT)?|owner))"
)


# The title words of _TITLE, case-sensitive as the pattern is: every title match holds one of them.
_TITLE_WORDS = ("CIO", "CTO", "CISO", "CFO", "CEO", "director", "lead", "manager", "admin", "architect", "head of IT",
                "VP", "owner")  # fmt: skip


TITLE_PAREN_NAME_RE = re.compile(rf"{_TITLE}\s*\(\s*({_NAME})\s*[),]")


TITLE_NAME_RE = re.compile(rf"{_TITLE} ({_NAME})")


class People:
    """Everyone the notes name, resolvable by full name, first name or role."""

    def __init__(self, engagement: Engagement) -> None:
        self.attendees: list[Attendee] = []
        self.customer: list[Person] = []
        self._found: dict[tuple[str, int], Attendee | None] = {}
        # attendee indices (ascending) by the first word of their name, and those with no name: a new person is
        # compared with the attendees who could be the same, not with everyone (long notes name many people)
        self._by_first: dict[str, list[int]] = {}
        self._unnamed: list[int] = []
        for p in engagement.account_team:
            self._add(Attendee(**p.model_dump(), present=False), keep_presence=True)
        if engagement.fta:
            self._add(Attendee(**engagement.fta.model_dump(), present=False), keep_presence=True)
        self.fm_name = engagement.fm.name if engagement.fm else None
        for c in engagement.customer_contacts:
            self.customer.append(c)

    def _same_as(self, person: Attendee) -> Attendee | None:
        """The first attendee (in list order) who is this person: both named and the same name (_same_person), or
        one of them unnamed and the same role (not "other"). Two names that are the same person share their first
        word, so only attendees indexed under it and unnamed ones are compared."""
        if not person.name:
            if person.role == "other":
                return None
            return next((a for a in self.attendees if a.role == person.role), None)
        parts = _name_parts(person.name)
        first = None
        for i in self._by_first.get(parts[0] if parts else "", ()):
            if _same_parts(_name_parts(self.attendees[i].name or ""), parts):
                first = i
                break
        if person.role != "other":
            for i in self._unnamed:
                if first is not None and i > first:
                    break
                if self.attendees[i].role == person.role:
                    first = i
                    break
        return None if first is None else self.attendees[first]

    def _index(self, i: int) -> None:
        name = self.attendees[i].name
        if not name:
            self._unnamed.append(i)
            return
        parts = _name_parts(name)
        bisect.insort(self._by_first.setdefault(parts[0] if parts else "", []), i)

    def _add(self, person: Attendee, keep_presence: bool = False) -> Attendee:
        existing = self._same_as(person)
        if existing is not None:
            if person.name and (not existing.name or len(person.name) > len(existing.name)):
                unnamed = not existing.name
                existing.name = person.name
                if unnamed:  # named now: indexed by its first word from here on
                    i = next(i for i in self._unnamed if self.attendees[i] is existing)
                    self._unnamed.remove(i)
                    self._index(i)
            if person.role != "other" and existing.role == "other":
                existing.role = person.role
            existing.email = existing.email or person.email
            _extend_sources(existing.sources, person.sources)
            if not keep_presence:
                existing.present = person.present
            return existing
        self.attendees.append(person)
        self._index(len(self.attendees) - 1)
        return person

    def add(self, name: str | None, role: str, line: Line, present: bool = True) -> Attendee:
        role = lx.ROLE_ALIASES.get(role.lower(), "other") if role else "other"
        if name and _UNKNOWN_NAME_RE.match(name):
            name = None  # "ATS TBD": the role is named, the person is not
        if name and name.lower() in ("me", "i"):
            name, role = self.fm_name, "FM"
        email = None
        if name:
            first = name.split()[0].lower()
            email = next((e for e in line.emails() if first in e.lower()), None)
        return self._add(Attendee(name=name, role=role, email=email, present=present, sources=[line.source()]))  # type: ignore[arg-type]

    def add_customer(self, name: str, title: str | None, line: Line) -> None:
        for p in self.customer:
            if p.name and _same_person(p.name, name):
                if len(name) > len(p.name):
                    p.name = name
                p.title = p.title or title
                _extend_sources(p.sources, [line.source()])
                return
        if self.find(name) is None:
            self.customer.append(Person(name=name, role="customer", title=title, sources=[line.source()]))

    def find(self, token: str) -> Attendee | None:
        """A person by full name, first name, or role code ("TAM")."""
        token = token.strip()
        key = (token, len(self.attendees))  # attendees only grow; a name or role change keeps the answer valid
        if key in self._found:
            return self._found[key]
        self._found[key] = found = self._find(token)
        return found

    def _find(self, token: str) -> Attendee | None:
        if token.upper() in FIELD_ROLES | {"FTA"}:
            return next((a for a in self.attendees if a.role == token.upper()), None)
        matches = [a for a in self.attendees if a.name and _same_person(a.name, token)]
        return matches[0] if len(matches) == 1 else None

    def owner_name(self, token: str) -> tuple[str | None, AttendeeRole | None]:
        """(owner label, role) for an action's owner as written in the notes."""
        if token.lower() in ("me", "i", "fm"):
            return (self.fm_name or "FM"), "FM"
        found = self.find(token)
        if found:
            return (found.name or found.label), found.role
        customer = next((p for p in self.customer if p.name and _same_person(p.name, token)), None)
        if customer:
            return customer.name, "customer"
        if token.upper() in FIELD_ROLES:
            return None, cast(AttendeeRole, token.upper())  # FIELD_ROLES holds role codes only
        return token, None


@lru_cache(maxsize=4096)
def _name_parts(name: str) -> tuple[str, ...]:
    """A name's lowercase words, split once: every person added is compared with every attendee."""
    return tuple(name.lower().split())


def _same_person(a: str, b: str) -> bool:
    return _same_parts(_name_parts(a), _name_parts(b))


def _same_parts(a_parts: tuple[str, ...], b_parts: tuple[str, ...]) -> bool:
    if a_parts == b_parts:
        return True
    # one name a single word, the other starting with it ("Priya" and "Priya Raman")
    if len(a_parts) == 1:
        return len(b_parts) > 1 and a_parts[0] == b_parts[0]
    return len(b_parts) == 1 and len(a_parts) > 1 and b_parts[0] == a_parts[0]


_SEGMENT_SPLIT_RE = re.compile(r"[,;]")


def _segments(text: str) -> list[str]:
    """Split on commas/semicolons outside parentheses: one person per segment in an attendee list."""
    if "(" not in text:  # no parenthesis: every comma and semicolon splits (a lone ")" never nests)
        return [seg.strip() for seg in _SEGMENT_SPLIT_RE.split(text) if seg.strip()]
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch in ",;" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [seg.strip() for seg in out if seg.strip()]


_ROLE_HINT = lx.Cue("|".join(rf"\b{code}\b" for code in _ROLE_CODES.lower().split("|")))


_TITLE_HINT = lx.Cue(r"cio|cto|ciso|cfo|ceo|director|lead|manager|admin|architect|head of it|vp|owner")


_UPPER_RE = re.compile(r"[A-Z]")


def _find_people(lines: list[Line], people: People) -> None:
    for line in lines:
        is_attendee_line = bool(line.label and _ATTENDEE_LABEL_RE.match(line.label))
        all_absent = bool(line.label and _ABSENT_LABEL_RE.match(line.label))
        # every person pattern below needs a role code or a job title: most lines have neither
        lowered = line.lower()
        has_role = _ROLE_HINT.may_match(lowered) and _ROLE_HINT.regex.search(line.text) is not None
        all_lowercase = has_role and not _UPPER_RE.search(line.text)  # read only on lines with a role
        for seg in _segments(line.text) if has_role else ():
            # ROLE_OUT_RE and NAME_PAREN_ROLE_RE both need a literal "("; the role-out matches are found once
            paren = "(" in seg
            outs = list(ROLE_OUT_RE.finditer(seg)) if paren else []
            absent = all_absent or (bool(ABSENT_RE.search(seg)) if is_attendee_line or outs else False)
            for m in outs:
                people.add(m.group(2), m.group(1), line, present=False)
            for m in NAME_PAREN_ROLE_RE.finditer(seg) if paren else ():
                if m.group(1).split()[0] not in _NOT_NAMES:
                    people.add(m.group(1), m.group(2), line, present=not absent)
            for m in ROLE_EQ_NAME_RE.finditer(seg):
                role, name = m.group(1), m.group(2)
                unknown = bool(_UNKNOWN_NAME_RE.match(name))
                if unknown or name.split()[0] not in _NOT_NAMES:
                    people.add(None if unknown else name, role, line, present=not unknown and not absent)
            role_out = bool(outs)  # once per segment, not once per match
            for m in ROLE_NAME_RE.finditer(seg):
                if m.group(2).split()[0] not in _NOT_NAMES and not role_out:
                    people.add(m.group(2), m.group(1), line, present=not absent)
            if all_lowercase:
                for m in ROLE_EQ_LOWER_NAME_RE.finditer(seg):
                    words = m.group(2).split()
                    if not any(w in _NOT_LOWER_NAMES or w.upper() in FIELD_ROLES for w in words):
                        people.add(m.group(2).title(), m.group(1), line, present=not absent)
        if not has_role and not (_TITLE_HINT.may_match(lowered) and _TITLE_HINT.regex.search(line.text)):
            continue
        for m in THE_ROLE_NAME_RE.finditer(line.text) if has_role else ():
            if m.group(2).split()[0] not in _NOT_NAMES:
                after = re.split(r"[.;]", line.text[m.end() : m.end() + 80], maxsplit=1)[0]
                gone = all_absent or bool(ABSENT_RE.search(after))
                people.add(m.group(2), m.group(1), line, present=not gone)
        for m in NAME_THE_ROLE_RE.finditer(line.text) if has_role else ():  # prose spans commas
            if m.group(1).split()[0] not in _NOT_NAMES:
                people.add(m.group(1), m.group(2), line, present=not all_absent)
        if is_attendee_line and has_role:
            for m in NAME_COMMA_ROLE_RE.finditer(line.text):
                if m.group(1).split()[0] not in _NOT_NAMES:
                    people.add(m.group(1), m.group(2), line, present=not all_absent)
        titled = any(map(line.text.__contains__, _TITLE_WORDS))
        for m in TITLE_PAREN_NAME_RE.finditer(line.text) if titled and "(" in line.text else ():
            people.add_customer(m.group(2), tidy(m.group(1)), line)
        for m in TITLE_NAME_RE.finditer(line.text) if titled else ():
            if m.group(2).split()[0] not in _NOT_NAMES:
                people.add_customer(m.group(2), tidy(m.group(1)), line)
