"""What every draft shares: text helpers, the roster a draft may address, who goes in To/Cc (only people with
an address), the FM's name or a visible placeholder, and rendering a template into an Email or invite text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeGuard

from ..guards.audience import usage_family
from ..schemas import MANDATORY_ROLES, OPTIONAL_ROLES, Audience, Email, Engagement, Person, Recipient
from ..templating import render

FM_PLACEHOLDER = "[your name]"  # issue 10: the FM's name when unknown, visible so it is never sent as is

_WS = re.compile(r"\s+")
# A figure that looks like it came from a usage report: a percentage, or a number next to a usage word.
# Field-facing emails leave such lines out (domain.md, "Privacy"); the FTOP entry keeps them.
_PERCENT = re.compile(r"\d\s*%|\bper ?cent\b", re.IGNORECASE)
_USAGE_WORD = re.compile(
    r"\b(usage|used by \d|active users?|MAU|DAU|monthly active|daily active|utili[sz]ation|enabled users?|"
    r"adoption rate|usage report)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")


def one_line(text: str | None) -> str:
    """User-provided text for a subject, title or list item: CR/LF and runs of whitespace become one space."""
    if not text:
        return ""
    if text.isprintable() and "  " not in text:  # fast path: no line breaks, tabs or odd spaces to fold
        return text.strip()
    return _WS.sub(" ", text).strip()


def field_safe(text: str) -> bool:
    """False when a line may carry a usage-report figure, which must never reach the field."""
    # _PERCENT needs a '%' or the letters 'cent' (no other character matches them case-insensitively), and
    # the check for those is far cheaper than the case-insensitive regex on long notes.
    percent = ("%" in text or "cent" in text.lower()) and _PERCENT.search(text)
    if not _DIGIT.search(text):
        return not percent
    # the audience guard's reading too ("400 of 3,100 mailboxes moved"), so the guard never has to cut a line
    return not (percent or _USAGE_WORD.search(text) or usage_family(text))


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def person_label(person: Person) -> str:
    """A person as drafts name them: by name, else by role flagged as unknown ('the TAM (name unknown)')."""
    if person.name:
        return one_line(person.name)
    if person.role in ("other", "customer"):
        return "a contact (name unknown)"
    return f"the {person.role} (name unknown)"


def role_label(role: str) -> str:
    return f"the {role} (name unknown)"


def named_with_role(person: Person) -> str:
    """'Sam Ito (FTA)': how a body line names someone the FM cannot address."""
    name = one_line(person.name)
    role = person.role if person.role not in ("other", "customer") else ""
    return f"{name} ({role})" if role else name


class Roster:
    """The only people drafts may address: the engagement's account team, FTA and FM.

    Indexed once, so resolving thousands of owners in long notes stays linear."""

    def __init__(self, team: tuple[Person, ...], fta: Person | None, fm: Person | None) -> None:
        self.team = team
        self.fta = fta
        self.fm = fm
        self._team_ids = {id(p) for p in team}
        self._by_role: dict[str, list[Person]] = {}
        for p in team:
            self._by_role.setdefault(p.role, []).append(p)
        self._resolved: dict[tuple[str | None, str | None], str | None] = {}
        self._by_full: dict[str, Person] = {}
        self._by_first: dict[str, list[Person]] = {}
        for p in self.everyone():
            if p.name and one_line(p.name):
                full = one_line(p.name)
                self._by_full.setdefault(full.casefold(), p)
                self._by_first.setdefault(first_name(full).casefold(), []).append(p)

    @classmethod
    def of(cls, engagement: Engagement) -> Roster:
        return cls(tuple(engagement.account_team), engagement.fta, engagement.fm)

    @property
    def fm_name(self) -> str:
        """The FM's name, '' when unknown."""
        return one_line(self.fm.name) if self.fm and self.fm.name else ""

    @property
    def fm_display(self) -> str:
        """The FM's name for a sign-off, blurb or FTOP entry: the placeholder when unknown (issue 10)."""
        return self.fm_name or FM_PLACEHOLDER

    def by_role(self, role: str) -> list[Person]:
        return list(self._by_role.get(role, ()))

    def in_team(self, person: Person | None) -> TypeGuard[Person]:
        return person is not None and id(person) in self._team_ids

    def everyone(self) -> list[Person]:
        people = list(self.team)
        if self.fta:
            people.append(self.fta)
        if self.fm:
            people.append(self.fm)
        return people

    def find(self, name: str | None) -> Person | None:
        """A roster person by full name, or by first name when exactly one person has it."""
        if not name:
            return None
        key = one_line(name).casefold()
        if key in self._by_full:
            return self._by_full[key]
        matches = self._by_first.get(key, [])
        return matches[0] if len(matches) == 1 else None

    def is_fm(self, name: str | None, role: str | None = None) -> bool:
        """The owner is the FM: 'FM', the FM role, or the FM's own name."""
        if role == "FM" and not name:
            return True
        if not name:
            return False
        key = one_line(name).casefold()
        if key == "fm":
            return True
        own = self.fm_name.casefold()
        return bool(own) and key in (own, first_name(own))

    def resolve(self, name: str | None, role: str | None = None) -> str | None:
        """A display name for an owner: the roster's full name when it matches, the name as given otherwise,
        the role flagged as unknown when only the role is known, None when nothing is known.

        Remembered per (name, role): long notes name the same few owners thousands of times."""
        key = (name, role)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(name, role)
        return self._resolved[key]

    def _resolve(self, name: str | None, role: str | None) -> str | None:
        if name and one_line(name).upper() == "FM":
            return self.fm_name or "FM"
        if name:
            person = self.find(name)
            return one_line(person.name) if person and person.name else one_line(name)
        if role == "FM":
            return self.fm_name or "FM"
        if role and role not in ("other", "customer"):
            holders = [p for p in self.by_role(role) if p.name] if role != "FTA" else ([self.fta] if self.fta else [])
            if len(holders) == 1 and holders[0].name:
                return one_line(holders[0].name)
            return role_label(role)
        return None


def recipient(person: Person) -> Recipient:
    role = person.role if person.role != "customer" else "other"
    return Recipient(name=one_line(person.name) or None, email=(person.email or "").strip() or None, role=role)


@dataclass
class Addressees:
    """Who an email is meant for, split by what the FM can put in To/Cc (issue 10, "Recipients").

    to / cc: people with an address. unaddressed: named people without one (mentioned in the body and flagged).
    unknown_roles: mandatory roles with nobody named (asked in the body, never addressed). greeting: first names
    of the people the email is meant for, addressed or not."""

    to: list[Recipient] = field(default_factory=list)
    cc: list[Recipient] = field(default_factory=list)
    unaddressed: list[str] = field(default_factory=list)
    unknown_roles: list[str] = field(default_factory=list)
    greeting: list[str] = field(default_factory=list)

    def context(self) -> dict[str, Any]:
        return {
            "greeting_names": self.greeting,
            "unaddressed": self.unaddressed,
            "unknown_roles": self.unknown_roles,
            "anyone_addressed": bool(self.to or self.cc),
        }


def addressees(
    to_people: Iterable[Person], cc_people: Iterable[Person], unknown_roles: Iterable[str] = ()
) -> Addressees:
    """To/Cc from the people meant to get an email: only those with an address; the rest by name in the body."""
    out = Addressees(unknown_roles=list(unknown_roles))
    seen: set[int] = set()
    intended_to: list[Person] = []
    for people, into in ((to_people, out.to), (cc_people, out.cc)):
        for p in people:
            if id(p) in seen or not one_line(p.name):
                continue
            seen.add(id(p))
            if into is out.to:
                intended_to.append(p)
            if (p.email or "").strip():
                into.append(recipient(p))
            else:
                out.unaddressed.append(named_with_role(p))
    if intended_to and len(intended_to) <= 3:
        out.greeting = [first_name(one_line(p.name)) for p in intended_to]
    return out


def account_team(roster: Roster, *, with_fta: bool = True) -> tuple[list[Person], list[Person], list[str]]:
    """The account team as an email's audience: To = the mandatory roles (ATS, TAM); Cc = every other member
    (optional roles first, in domain order), then the FTA; and the mandatory roles nobody holds."""
    to: list[Person] = []
    missing: list[str] = []
    for role in MANDATORY_ROLES:
        people = [p for p in roster.by_role(role) if one_line(p.name)]
        to.extend(people)
        if not people:
            missing.append(role)
    cc: list[Person] = []
    for role in (*OPTIONAL_ROLES, "other"):
        cc.extend(p for p in roster.by_role(role) if one_line(p.name))
    if with_fta and roster.fta and one_line(roster.fta.name):
        cc.append(roster.fta)
    return to, cc, missing


def team_addressees(roster: Roster, *, with_fta: bool = True) -> Addressees:
    to, cc, missing = account_team(roster, with_fta=with_fta)
    return addressees(to, cc, missing)


def base_context(engagement: Engagement, roster: Roster) -> dict[str, Any]:
    """What every template may use: the customer, motion, workloads, the FM and FTA."""
    customer = one_line(engagement.customer)
    fta = roster.fta
    return {
        "customer": customer,  # "" when unknown: templates then leave it out of subjects
        "customer_name": customer or "the customer",
        "motion": engagement.motion,
        "rfa_id": one_line(engagement.rfa_id) or None,
        "rfa_summary": one_line(engagement.rfa_summary) or None,
        "red_areas": [one_line(a) for a in engagement.health_red_areas if one_line(a)],
        "workloads": [one_line(w) for w in engagement.workloads if one_line(w)],
        "fm_name": roster.fm_display,
        "fm_known": bool(roster.fm_name),
        "fta_name": person_label(fta) if fta else None,
        "call_date": engagement.call_date,
    }


def split_header(text: str, header: str) -> tuple[str, str]:
    """Templates start with '<header>: ...' on the first line, then a blank line, then the body."""
    first, _, rest = text.partition("\n")
    prefix = f"{header}:"
    if not first.startswith(prefix):
        raise ValueError(f"template output must start with '{prefix}'")
    return one_line(first[len(prefix) :]), rest.strip("\n") + "\n"


def email(template: str, audience: Audience, who: Addressees, **context: Any) -> Email:
    """Render prompts/<template> (first line 'Subject: …') into an Email addressed to `who`."""
    subject, body = split_header(render(template, **who.context(), **context), "Subject")
    return Email(audience=audience, to=who.to, cc=who.cc, subject=subject, body=body)


def invite_text(template: str, **context: Any) -> tuple[str, str]:
    """An invite's title and description."""
    return split_header(render(template, **context), "Title")


def due(value: date | None, words: str | None) -> dict[str, Any]:
    return {"due": value, "due_text": one_line(words) or None}
