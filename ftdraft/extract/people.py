"""People the notes name: the account team with roles and presence, and the customer's contacts with titles."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import cast, get_args

from .. import lexicon as lx
from ..schemas import (
    Attendee,
    AttendeeRole,
    Engagement,
    Person,
    Source,
)
from . import spans as sp
from .lines import Line
from .text import FIELD_ROLES, NAME_PATTERN, NOT_NAMES, ROLE_CODES, extend_sources, tidy

_ATTENDEE_ROLES = frozenset(get_args(AttendeeRole))

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


# Customer people: "new CIO (Dana Whitfield)", "IT infra lead (Ken Adams)", "IT director Mark Olsen".
_TITLE_WORD = r"(?:CIO|CTO|CISO|CFO|CEO|director|lead|manager|admin|architect|head of IT|VP(?: of IT)?|owner)"
_TITLE = (
    r"(?:new |the |their )?((?:IT |it )?(?:infra(?:structure)? |security |messaging |collab(?:oration)? )?"
    rf"{_TITLE_WORD})"
)


# The title words of _TITLE, case-sensitive as the pattern is: every title match holds one of them.
_TITLE_WORDS = ("CIO", "CTO", "CISO", "CFO", "CEO", "director", "lead", "manager", "admin", "architect", "head of IT",
                "VP", "owner")  # fmt: skip


# the most a _TITLE match holds before its title word: "their " + "it " + "infrastructure "
_TITLE_REACH = len("their it infrastructure ")


TITLE_PAREN_NAME_RE = re.compile(rf"{_TITLE}\s*\(\s*({NAME_PATTERN})\s*[),]")


TITLE_NAME_RE = re.compile(rf"{_TITLE} ({NAME_PATTERN})")


# What every match of the two patterns holds: the title word, then " " and a name's capital, or "(" (after
# whitespace). Each opens with a literal character of a few, so the engine jumps between them where the patterns
# above try their optional words at every position; no match of a pattern starts more than _TITLE_REACH
# characters before its pre-check's first match.
_TITLE_THEN_NAME_RE = re.compile(rf"{_TITLE_WORD} [A-Z]")
_TITLE_THEN_PAREN_RE = re.compile(rf"{_TITLE_WORD}\s*\(")


class People:
    """Everyone the notes name, resolvable by full name, first name or role."""

    def __init__(self, engagement: Engagement) -> None:
        # resolve() and short_forms() answers, kept until the people change: every method that adds or changes a
        # person, alias, FM name, name-pool entry or customer contact (the only state they read) calls _changed()
        self._resolved: dict[str, tuple[str | None, AttendeeRole | None, bool]] = {}
        self._short_forms: set[str] | None = None
        self.attendees: list[Attendee] = []
        self.customer: list[Person] = []
        self._found: dict[tuple[str, int], Attendee | None] = {}
        # attendee indices (ascending) by the first word of their name, and those with no name: a new person is
        # compared with the attendees who could be the same, not with everyone (long notes name many people)
        self._by_first: dict[str, list[int]] = {}
        self._unnamed: list[int] = []
        self._declined: set[int] = set()  # ids of attendees a note cue marked absent ("declined", "PTO")
        # _same_as answers (an attendee index or None) by (name, role): they read only the attendees' names, roles
        # and order, so the memo is cleared where one of them changes (_index: an attendee added or newly named;
        # _merge_into: a longer name, a role for "other"). A long note names each person on hundreds of lines.
        self._same: dict[tuple[str | None, str], int | None] = {}
        self._contact_of: dict[tuple[str, int], int | None] = {}  # add_customer's memo (see there)
        for p in engagement.account_team:
            self._add(Attendee(**p.model_dump(), present=False), keep_presence=True)
        if engagement.fta:
            self._add(Attendee(**engagement.fta.model_dump(), present=False), keep_presence=True)
        self.fm_name = engagement.fm.name if engagement.fm else None
        # the FM's own name(s) as the notes write them ("FM: Astrid Holm", a chat's first poster): owner "FM"
        self.fm_names: set[str] = {self.fm_name.lower()} if self.fm_name else set()
        # short forms the notes give: "Wing-Yee Lau (ATS) = WYL", 'Margaret "Peggy" Tully', "ats hb (hollis brandt)"
        self.aliases: dict[str, Attendee] = {}
        # full names shown outside attendee lists (chat speakers, mail senders): "Oskar/CSM" -> Oskar Lindahl
        self.name_pool: dict[str, str] = {}
        self.first_speaker: str | None = None  # the author of the oldest part: the FM when no one else is named
        self.notes_text = ""  # the notes' lines, joined: where a first name written alone finds its surname
        # first name (lowercase) -> the full names the notes write for it, read per name on first use (_surnames_of)
        self._surnames: dict[str, set[str]] = {}
        self._surnames_text: str | None = None  # the notes_text they were read from
        self._notes_lower = ""
        self._first_part = 0
        for c in engagement.customer_contacts:
            self.customer.append(c)

    def _same_as(self, name: str | None, role: str) -> Attendee | None:
        """The first attendee (in list order) who is this person: both named and the same name (same_person), or
        one of them unnamed and the same role (not "other"). Two names that are the same person share their first
        word, so only attendees indexed under it and unnamed ones are compared."""
        key = (name, role)
        if key in self._same:
            i = self._same[key]
            return None if i is None else self.attendees[i]
        found = self._first_same(name, role)
        self._same[key] = found
        return None if found is None else self.attendees[found]

    def _first_same(self, name: str | None, role: str) -> int | None:
        """_same_as's answer as an index into attendees (None: no one)."""
        if not name:
            if role == "other":
                return None
            return next((i for i, a in enumerate(self.attendees) if a.role == role), None)
        parts = _name_parts(name)
        first = None
        for i in self._by_first.get(parts[0] if parts else "", ()):
            if _same_parts(_name_parts(self.attendees[i].name or ""), parts):
                first = i
                break
        if role != "other":
            for i in self._unnamed:
                if first is not None and i > first:
                    break
                if self.attendees[i].role == role:
                    first = i
                    break
        return first

    def _index(self, i: int) -> None:
        self._same.clear()  # a new attendee, or one newly named: _same_as answers change
        name = self.attendees[i].name
        if not name:
            self._unnamed.append(i)
            return
        parts = _name_parts(name)
        bisect.insort(self._by_first.setdefault(parts[0] if parts else "", []), i)

    def _changed(self) -> None:
        self._resolved.clear()
        self._short_forms = None

    def _add(self, person: Attendee, keep_presence: bool = False) -> Attendee:
        return self._merge(person, self._same_as(person.name, person.role), keep_presence)

    def _merge(self, person: Attendee, existing: Attendee | None, keep_presence: bool = False) -> Attendee:
        """_add with _same_as(person.name, person.role) already asked (`existing`)."""
        self._changed()
        if existing is not None:
            return self._merge_into(existing, person.name, person.role, person.email, person.present, person.sources,
                                    keep_presence)  # fmt: skip
        self.attendees.append(person)
        self._index(len(self.attendees) - 1)
        return person

    def _merge_into(
        self,
        existing: Attendee,
        name: str | None,
        role: str,
        email: str | None,
        present: bool,
        sources: list[Source],
        keep_presence: bool = False,
    ) -> Attendee:
        """A person's values merged into the attendee who is that person: the longer name, a role for "other", the
        first email, the new sources, and the presence unless kept. Returns `existing`."""
        if name and (not existing.name or len(name) > len(existing.name)):
            unnamed = not existing.name
            existing.name = name
            self._same.clear()  # the name compared by _same_as changed
            if unnamed:  # named now: indexed by its first word from here on
                i = next(i for i in self._unnamed if self.attendees[i] is existing)
                self._unnamed.remove(i)
                self._index(i)
        if role != "other" and existing.role == "other":
            existing.role = role  # type: ignore[assignment]
            self._same.clear()  # the role compared by _same_as changed
        existing.email = existing.email or email
        extend_sources(existing.sources, sources)
        if not keep_presence:
            existing.present = present
        return existing

    def add_spanned(
        self,
        name: str | None,
        role: str,
        line: Line,
        present: bool | None,
        alias: str | None = None,
        me: bool = False,
    ) -> Attendee | None:
        """A person read by the span reader: a name (None for "me") with a role code; present None = no cue (a new
        person is present, a known one keeps what it had). The FM named in the notes ("FM: Astrid Holm") makes that
        name the FM's. Returns the attendee, or None when nothing was added."""
        self._changed()  # the FM's names and the aliases change here (and _add changes the attendees)
        if name and _UNKNOWN_NAME_RE.match(name):
            name = None
        if me or role == "FM":
            if name:
                name = self.full_name(name)
                self.fm_names.add(name.lower())
                self.fm_names.add(name.split()[0].lower())
            role = "FM"
        elif name:
            name = self.full_name(name)
        if name is None and role != "FM" and present is not False:
            return None
        email = None
        if name:
            first = name.split()[0].lower()
            email = next((e for e in line.emails() if first in e.lower()), None)
        # (the role is validated by the Attendee built below: _same_as reads only the two values); with no name and
        # a valid role, _add would ask the same (nothing changes before it): asked here, the merge needs no Attendee
        same = self._same_as(name, role) if name or role in _ATTENDEE_ROLES else None
        existing = same if name else None
        # only a cue in the notes ("declined") sticks; a roster from the context starts absent until the notes name them
        was_declined = existing is not None and id(existing) in self._declined
        sources = [line.source()]
        if same is not None and role in _ATTENDEE_ROLES:
            # an Attendee built here would only carry these values into `same` (its role is valid, so building
            # it would raise nothing): merged without it
            self._changed()
            person = self._merge_into(same, name, role, email, present is not False, sources)
        else:
            new = Attendee(name=name, role=role, email=email, present=present is not False, sources=sources)  # type: ignore[arg-type]
            # _add would ask _same_as what was asked above when it was asked (nothing changed since): its answer
            person = self._merge(new, same) if name or role in _ATTENDEE_ROLES else self._add(new)
        if present is False:
            self._declined.add(id(person))
        elif was_declined and present is None:
            person.present = False  # a later mention with no cue (a signature) does not undo "declined"
        if alias:
            self.aliases[alias.lower()] = person
        return person

    def note_speaker(self, name: str, line: Line) -> None:
        """A full name the notes show outside any attendee list (a chat speaker, a post's author)."""
        self._changed()
        words = name.split()
        if len(words) >= 2 and all(sp.is_name_word(w) or w.lower() in sp.particles() for w in words):
            self.name_pool.setdefault(words[0].lower(), name)
            if self.first_speaker is None or line.part < self._first_part:
                self.first_speaker, self._first_part = name, line.part

    def full_name(self, name: str) -> str:
        """A first name written alone ("Oskar/CSM", "Yusuf = ATS") completed from a full name the notes show
        elsewhere: a chat speaker, or the one "Yusuf Surname" written anywhere in the notes."""
        if " " in name:
            return name
        if name.lower() in self.name_pool:
            return self.name_pool[name.lower()]
        if self.notes_text:
            fulls = self._surnames_of(name.lower())
            if len(fulls) == 1:
                return next(iter(fulls))
        return name

    def _surnames_of(self, low: str) -> set[str]:
        """Every "<First> <Surname>" the notes write (a _TWO_WORDS_RE match, both words name words) whose first word
        is `low` in some case. The same set as one finditer over the whole notes kept for that first word: finditer
        yields every position where the pattern matches (a match takes "Word ", and no position inside it can start
        one: a letter precedes it), and a match whose first word lowercases to `low` starts where the lowercased
        notes hold `low` (when lowercasing keeps every character one character, the positions are the same); so the
        pattern is tried only at those positions (followed by a space, as the pattern's is), found with str.find, for
        the few first names that stand alone."""
        text = self.notes_text
        if self._surnames_text is not text:
            self._surnames, self._surnames_text, self._notes_lower = {}, text, text.lower()
        got = self._surnames.get(low)
        if got is not None:
            return got
        got = set()
        if not low:
            return got  # no first word is empty
        lowered = self._notes_lower
        if len(lowered) != len(text):  # a case mapping that changes length: read every match
            candidates: Iterator[re.Match[str] | None] = _TWO_WORDS_RE.finditer(text)
        else:
            # a match's first word is `low` and a space follows it: only where the notes hold `low + " "`
            candidates = (_TWO_WORDS_RE.match(text, at) for at in _occurrences(lowered, low + " "))
        for m in candidates:
            if m and m.group(1).lower() == low and sp.is_name_word(m.group(1)) and sp.is_name_word(m.group(2)):
                got.add(f"{m.group(1)} {m.group(2)}")
        self._surnames[low] = got
        return got

    def resolve(self, token: str) -> tuple[str | None, AttendeeRole | None, bool]:
        """(owner label, role, known) for a person as an owner is written: a ME word or the FM's name -> the FM;
        a full name, first name, alias, nickname ("Bob" -> Robert Kaczmarek) or initials ("hb", "mh-w") of a
        known person; a role code. An unknown name comes back as written with known False (kept and flagged).

        Memoised per token until the people change (see _changed): the owner, sync and ask readers resolve the
        same few names on line after line, and each miss scans every attendee."""
        got = self._resolved.get(token)
        if got is None:
            got = self._resolved[token] = self._resolve(token)
        return got

    def _resolve(self, token: str) -> tuple[str | None, AttendeeRole | None, bool]:
        t = token.strip().lstrip("@").strip(" .,:;")
        low = t.lower()
        fm = (self.fm_name or "FM"), cast(AttendeeRole, "FM"), True
        if low in sp.me_words() or low in self.fm_names:
            return fm
        person = (
            self.aliases.get(low)
            or self.find(t)
            or self._by_nickname(low)
            or self._by_initials(low)
            or self._by_prefix(low)
            or self._by_surname(low)
        )
        if person is None and " " not in t and low in self.name_pool:
            full = self.name_pool[low]
            if full.lower() in self.fm_names:
                return fm
            person = self.find(full)
            if person is None:
                return full, None, True
        if person is not None:
            if person.role == "FM" or (person.name and person.name.lower() in self.fm_names):
                return fm
            return (person.name or person.label), person.role, True
        customer = next((p for p in self.customer if p.name and same_person(p.name, t)), None)
        if customer:
            return customer.name, "customer", True
        if t.upper() in FIELD_ROLES:
            return None, cast(AttendeeRole, t.upper()), True
        return t, None, False

    def short_forms(self) -> set[str]:
        """Lowercase words that may name a known person on their own: first names (and their first hyphen part),
        initials, aliases, nicknames of first names, names shown in chats. Words that are never names are left out.
        Callers must not mutate the set (it is kept until the people change)."""
        if self._short_forms is None:
            self._short_forms = self._find_short_forms()
        return self._short_forms

    def _find_short_forms(self) -> set[str]:
        forms: set[str] = set(self.aliases) | set(self.name_pool) | {n for n in self.fm_names if " " not in n}
        for a in self.attendees:
            if not a.name:
                continue
            parts = _name_parts(a.name)
            first = parts[0]
            forms |= {first, first.split("-")[0], *sp.initials(a.name)}
            if len(parts) > 1:
                forms.add(parts[-1])  # a surname alone, as some notes write owners ("OKAFOR-BLAIR – …")
            forms |= sp.nicknames_of(first)  # = the nicknames whose formal names hold `first`
        skip = sp.not_names() | set(sp.role_titles())
        return {f for f in forms if len(f) > 1 and f not in skip}

    def _by_surname(self, low: str) -> Attendee | None:
        """ "OKAFOR-BLAIR" for Tunde Okafor-Blair: a multi-word name's last word, for exactly one attendee."""
        hits = [a for a in self.attendees if a.name and len(p := _name_parts(a.name)) > 1 and p[-1] == low]
        return hits[0] if len(hits) == 1 else None

    def _by_prefix(self, low: str) -> Attendee | None:
        """ "Ruth Ann" for Ruth Ann McAllister, "ana" for Ana-Lucía Ferreira: the start of exactly one name."""
        words = low.split()
        hits = []
        for a in self.attendees:
            if not a.name:
                continue
            parts = _name_parts(a.name)
            prefix = len(words) > 1 and len(parts) > len(words) and parts[: len(words)] == tuple(words)
            if prefix or (len(words) == 1 and "-" in parts[0] and parts[0].split("-")[0] == words[0]):
                hits.append(a)
        return hits[0] if len(hits) == 1 else None

    def _by_nickname(self, low: str) -> Attendee | None:
        formal = sp.nicknames().get(low)
        if not formal:
            return None
        hits = [a for a in self.attendees if a.name and a.name.split()[0].lower() in formal]
        return hits[0] if len(hits) == 1 else None

    def _by_initials(self, low: str) -> Attendee | None:
        if not 2 <= len(low) <= 5 or " " in low:
            return None
        hits = [a for a in self.attendees if a.name and low in sp.initials(a.name)]
        return hits[0] if len(hits) == 1 else None

    def add_customer(self, name: str, title: str | None, line: Line) -> None:
        self._changed()
        # the first contact who is this person, memoised by the name and the count of contacts (contacts are only
        # added); a contact's name changes only below, which clears the memo. A contact is named on many lines.
        key = (name, len(self.customer))
        if key in self._contact_of:
            at = self._contact_of[key]
        else:
            at = self._contact_of[key] = next(
                (i for i, p in enumerate(self.customer) if p.name and same_person(p.name, name)), None
            )
        if at is not None:
            p = self.customer[at]
            assert p.name is not None  # (found by its name)
            if len(name) > len(p.name):
                p.name = name
                self._contact_of.clear()
            p.title = p.title or title
            extend_sources(p.sources, [line.source()])
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
        parts = _name_parts(token)
        if not parts:
            return None
        # two names of one person share their first word: only the attendees indexed under it are compared
        matches = [
            self.attendees[i]
            for i in self._by_first.get(parts[0], ())
            if _same_parts(_name_parts(self.attendees[i].name or ""), parts)
        ]
        return matches[0] if len(matches) == 1 else None

    def owner_name(self, token: str) -> tuple[str | None, AttendeeRole | None]:
        """(owner label, role) for an action's owner as written in the notes (see resolve)."""
        label, role, _known = self.resolve(token)
        return label, role


@lru_cache(maxsize=4096)
def _name_parts(name: str) -> tuple[str, ...]:
    """A name's lowercase words, split once: every person added is compared with every attendee."""
    return tuple(name.lower().split())


def _occurrences(text: str, word: str) -> Iterator[int]:
    """Every position where `word` (not empty) occurs in text, overlapping ones included, in order."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def same_person(a: str, b: str) -> bool:
    return _same_parts(_name_parts(a), _name_parts(b))


def _initial_of(x: str, y: str) -> bool:
    """x is y, or x is the initial "b." (or "b") of y."""
    return x == y or (len(x.rstrip(".")) == 1 and len(y) > 1 and y.startswith(x[0]))


def _same_parts(a_parts: tuple[str, ...], b_parts: tuple[str, ...]) -> bool:
    if a_parts == b_parts:
        return True
    if len(a_parts) == len(b_parts) > 1 and a_parts[0] == b_parts[0]:
        # "Nadia B." and "Nadia Brooks": the same words but an initial standing for one of them
        return all(_initial_of(x, y) or _initial_of(y, x) for x, y in zip(a_parts, b_parts, strict=True))
    # one name a single word, the other starting with it ("Priya" and "Priya Raman")
    if len(a_parts) == 1:
        return len(b_parts) > 1 and a_parts[0] == b_parts[0]
    return len(b_parts) == 1 and len(a_parts) > 1 and b_parts[0] == a_parts[0]


_TITLE_HINT = lx.Cue(r"cio|cto|ciso|cfo|ceo|director|lead|manager|admin|architect|head of it|vp|owner")
# find_people reads it through Line.starts (split_lines finds these prefixes on every line at once)
assert _TITLE_HINT.prefixes is not None
lx.LINE_STARTS.add(_TITLE_HINT.prefixes)
_TITLE_STARTS = frozenset(_TITLE_HINT.prefixes)
assert re.fullmatch(r"[a-z |]+", _TITLE_HINT.pattern)  # plain words: a match is exactly one of them, in any case


_UPPER_RE = re.compile(r"[A-Z]")


def find_people(lines: list[Line], people: People) -> None:
    """The account team (span reader) and the customer's contacts with job titles ("IT director Mark Olsen")."""
    find_people_spans(lines, people)
    for line in lines:
        lowered, starts = line.lower(), line.starts
        if starts is not None and not lx.has_lowered_trap(lowered):
            # the hint's alternatives are its literal starts: one held by the lowercased text (no trap, so a
            # character for a character) is where the IGNORECASE regex matches, so only the set test is needed
            if _TITLE_STARTS.isdisjoint(starts):
                continue
        elif not (_TITLE_HINT.may_match(lowered, starts) and _TITLE_HINT.regex.search(line.text)):
            continue
        text = line.text
        if not any(map(text.__contains__, _TITLE_WORDS)):
            continue  # no title word: neither pattern matches
        # every match holds its pre-check's match at most _TITLE_REACH characters after its start, so none starts
        # before the first pre-check match less that (and the patterns look at nothing before a match): finditer
        # from there yields the same matches
        paren = _TITLE_THEN_PAREN_RE.search(text) if "(" in text else None
        for m in TITLE_PAREN_NAME_RE.finditer(text, max(0, paren.start() - _TITLE_REACH)) if paren else ():
            people.add_customer(m.group(2), tidy(m.group(1)), line)
        named = _TITLE_THEN_NAME_RE.search(text)
        for m in TITLE_NAME_RE.finditer(text, max(0, named.start() - _TITLE_REACH)) if named else ():
            if m.group(2).split()[0] not in NOT_NAMES:
                people.add_customer(m.group(2), tidy(m.group(1)), line)


# --- the span reader: people as relations over NAME / ME and ROLE spans -------------------------------------------

# Separators between a name and its role, with the strength of the bond: "Name (ROLE)" and "Name/ROLE" bind harder
# than "Name, ROLE", so in "Priti Shah, TSP Marco Bianchi" the TSP is Marco's. Order: most specific first.
_LEFT_GAPS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\s*[(\[]\s*"), 3),
    (re.compile(r"\s*/\s*"), 3),
    (re.compile(r" "), 2),
    (re.compile(r"\s*=\s*"), 2),  # "Yusuf = ATS"
    (re.compile(r"\s*[-–—]\s*"), 2),
    (re.compile(r"\s+(?:is|was|as|joined as|attended as)\s+(?:the\s+|our\s+|their\s+)?", re.I), 2),
    (re.compile(r"\s+(?:the|our|their)\s+", re.I), 2),  # "Gunnar Lie the ATS and …"
    (re.compile(r"\s*,\s*(?:the\s+|our\s+|their\s+)?", re.I), 1),
)
_RIGHT_GAPS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\s*[:=]\s*"), 3),
    (re.compile(r"\s*[(\[]\s*"), 2),  # "AE (Olivia Prentice)": only when the name closes the parenthesis
    (re.compile(r" "), 2),
    (re.compile(r"\s+(?:is|was)\s+", re.I), 2),
    (re.compile(r"\s+(?:is\s+)?(?:out|absent|oof|ooo|away)\s*\(\s*", re.I), 2),  # "TAM out (Raj Patel, ...)"
    (re.compile(r"\s*[-–—]\s*"), 1),
    (re.compile(r"\s*,\s*"), 1),
)


@lru_cache(maxsize=2048)
def _bond(gap: str, table: tuple[tuple[re.Pattern[str], int], ...]) -> int:
    """The strength of the first of table's separators that is the whole gap (0: none). Memoised: a pure function
    of a short separator (" (", ", ", " = ") that every role on every roster line asks for."""
    return next((strength for rx, strength in table if rx.fullmatch(gap)), 0)


_PRESENCE: list[tuple[re.Pattern[str], bool]] | None = None


def presence_cues() -> list[tuple[re.Pattern[str], bool]]:
    """(pattern, present) from ftdraft/data/presence.toml; present cues ("joined late") are tried first."""
    global _PRESENCE
    if _PRESENCE is None:
        cues = sp.load_data("presence")["cue"]
        _PRESENCE = [(re.compile(c["pattern"], re.I), c["presence"] == "present") for c in cues]
        _PRESENCE.sort(key=lambda pair: not pair[1])
    return _PRESENCE


def presence_in(text: str) -> bool | None:
    """What a cue after a person says: False (declined, out, PTO, apologies), True (joined late, left early), or
    None when the text says nothing about presence. Source: ../shared/corpus/README.md, "Attendees"."""
    present_rx, absent_rx = _presence_either()
    if present_rx is not None and present_rx.search(text):
        return True
    if absent_rx is not None and absent_rx.search(text):
        return False
    return None


@cache
def _presence_either() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """presence_cues as two alternations, the present cues' and the absent ones': one search asks whether any cue of
    a kind matches anywhere (as asking each in turn does), and the present cues are asked first, as there."""
    cues = presence_cues()

    def either(kind: bool) -> re.Pattern[str] | None:
        patterns = [rx.pattern for rx, present in cues if present is kind]
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None

    return either(True), either(False)


_LOWER_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_NOT_LOWER_NAME_WORDS = frozenset(_NOT_LOWER_NAMES) | {
    "aligned", "assigned", "is", "was", "no", "and", "thinks", "says", "knows", "said", "has", "had", "for", "with",
    "none", "nobody", "unknown", "vacant", "tbd", "tbc", "na", "changed", "changes", "relationship", "side", "team",
}  # fmt: skip
_PAREN_NAME_RE = re.compile(r"\s*\(([^\W\d_]+(?:['’\-][^\W\d_]+)*(?: [^\W\d_]+(?:['’\-][^\W\d_]+)*){1,3})\)")
# Two capitalised words in a row (Latin capitals, accented ones too; is_name_word checks each hit).
_TWO_WORDS_RE = re.compile(r"(?<![\w'’-])([A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]+) (?=([A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]*(?:['’\-][^\W\d_]+)*)\b)")
_INVERTED_RE = re.compile(r"(?:^|[;:]\s*)([A-Z][^\W\d_]*(?:['’\-][^\W\d_]+)*),\s*$")
_CODES_RE = re.compile(rf"\b(?:{ROLE_CODES})\b")
_UNKNOWN_AFTER_RE = re.compile(
    r"\s*(?:=|:|\bis\b|-)?\s*(?:\?+|tbd\b|tbc\b|unknown\b|none\b|vacant\b|n/a\b|nobody\b|no one\b)", re.I
)
_NO_ONE_RE = re.compile(r"none|n/a|nobody|no one", re.I)  # "FTA: none": the role is not on this engagement
_ALIAS_AFTER_RE = re.compile(r"\s*=\s*([A-Z][A-Za-z\-]{1,5})\b")
_CHAT_SPEAKER_RE = re.compile(r"^\[[^\]]{3,40}\]\s*([^\W\d_][^:]{1,60}?):")
_POST_HEADER_RE = re.compile(r"^([^\W\d_][^\d]{3,60}?)\s{2,}\d{1,2}/\d{1,2}/\d{2,4}\b")


# Where a roster entry starts: the line's start or a list separator ("ats: ruth / tam: ben", "…, csm rk (reza)").
_ROSTER_BEFORE_RE = re.compile(r"(?:^|[,;/|(\[:=+&•*·]|(?:^|\s)[-–—>]|\band)\s*$")
_ROSTER_BEFORE_SEP_RE = re.compile(r"(?:[,;/|(\[:=+&•*·]|\s[-–—>]|\band)\s*$")  # in a window: no line start
# Where it ends: the line's end, a separator, a trailing initial ("ruth a. /") or another role code.
_ROSTER_AFTER_RE = re.compile(rf"\s*(?:[a-z]\.\s*)?(?:$|[,;/|()\[\].:=+&!?·]|[-–—>]|\band\b|(?i:{ROLE_CODES})\b)", re.I)


# Where the text after a person stops being about them: a sentence end or a " · " (compiled once: re.split with a
# pattern string paid re's cache lookup for every person on every line).
_TAIL_END_RE = re.compile(r"(?<=[.;])\s|\s·\s")


def _roster_start(text: str, pos: int) -> bool:
    """Whether a lowercase roster entry may start at pos: the line's start or after a separator. Only the 12
    characters before pos are searched: a long line with many roles stays linear."""
    lo = max(0, pos - 12)
    return bool(_ROSTER_BEFORE_RE.search(text[lo:pos])) if lo == 0 else bool(_ROSTER_BEFORE_SEP_RE.search(text[lo:pos]))


def _roster_end(text: str, pos: int) -> bool:
    """Whether a lowercase roster entry may end at pos: a separator, the line's end, or a presence cue ("out")."""
    return bool(_ROSTER_AFTER_RE.match(text, pos)) or presence_in(text[pos : pos + 60]) is not None


def _lower_names(text: str, roles: tuple[sp.Span, ...]) -> list[sp.Span]:
    """Names in all-lowercase notes, read only next to a role ("jürgen weiß ATS", "ats hb (hollis brandt)")."""
    out: list[sp.Span] = []
    words = [(m.start(), m.end(), m.group(0)) for m in _LOWER_WORD_RE.finditer(text)]

    def ok(w: str) -> bool:
        low = w.lower()
        return (
            w.islower()
            and len(w) > 1  # "n/a", "x": a single letter is no name (initials come in twos: "hb")
            and low not in _NOT_LOWER_NAME_WORDS
            and low not in sp.not_names()
            and low not in sp.role_titles()
            and low not in sp.me_words()
        )

    for role in roles:
        # right of the role: "ats hb (hollis brandt)", "ats = priya nair"; only in a roster position (the role
        # starts the line or a list item, the name ends one), so "AE changed twice this yr" and "via the AE
        # relationship" name nobody
        after = [w for w in words if w[0] >= role.end and w[2].lower() not in ("is", "was")]
        if (
            after
            and _bond(text[role.end : after[0][0]], _RIGHT_GAPS)
            and ok(after[0][2])
            and _roster_start(text, role.start)
        ):
            group = [after[0]]
            if len(after) > 1 and text[group[-1][1] : after[1][0]] == " " and ok(after[1][2]):
                group.append(after[1])
            paren = _PAREN_NAME_RE.match(text, group[0][1])
            if not paren and not _roster_end(text, group[-1][1]):
                continue
            if paren and all(ok(w) for w in paren.group(1).split()):
                out.append(sp.Span("NAME", group[0][0], paren.end(), text[group[0][0] : paren.end()],
                                   sp.title_name(paren.group(1)), group[0][2]))  # fmt: skip
                continue
            out.append(sp.Span("NAME", group[0][0], group[-1][1], text[group[0][0] : group[-1][1]],
                               sp.title_name(" ".join(w[2] for w in group))))  # fmt: skip
        # left of the role: "jürgen weiß ATS", "ana-lucía ferreira TAM"
        before = [w for w in words if w[1] <= role.start]
        if before and _bond(text[before[-1][1] : role.start], _LEFT_GAPS) >= 2 and ok(before[-1][2]):
            group = [before[-1]]
            if len(before) > 1 and text[before[-2][1] : group[0][0]] == " " and ok(before[-2][2]):
                group.insert(0, before[-2])
            if not (_roster_start(text, group[0][0]) and _roster_end(text, role.end)):
                continue
            out.append(sp.Span("NAME", group[0][0], group[-1][1], text[group[0][0] : group[-1][1]],
                               sp.title_name(" ".join(w[2] for w in group))))  # fmt: skip
    return out


def speaker_of(line: Line) -> str | None:
    """Who says "I" on a line: the Line's speaker (chat name, mail sender) when the line reader set it, else a
    Teams chat prefix "[11/17/2026 2:01 PM] Renata Szabó:" or a Teams post header "Ingrid Solberg   1/21/2027"."""
    if line.speaker:
        return line.speaker
    if line.text[:1] == "[" and (m := _CHAT_SPEAKER_RE.match(line.text)):  # the pattern opens with "["
        return m.group(1).strip()
    return None


def find_people_spans(lines: list[Line], people: People) -> None:
    """Account-team people as relations over spans: NAME or ME next to a ROLE, in any of the forms "Name (ROLE)",
    "Name ROLE", "ROLE: Name", "Name - ROLE", "Name, ROLE", "Name/ROLE", "ROLE Name", "Name [ROLE]", one per line
    or many on a line, with presence cues after each person ("declined", "on PTO", "joined late")."""
    prev: Line | None = None
    people.notes_text = "\n".join(line.text for line in lines)
    for line in lines:
        text = line.text
        chat = _CHAT_SPEAKER_RE.match(text) if text[:1] == "[" else None  # the pattern opens with "["
        speaker = line.speaker or (chat.group(1).strip() if chat else None)  # = speaker_of(line), one match
        # the post header's date holds a "/": most lines have none and skip the regex
        if speaker is None and "/" in line.raw and (m := _POST_HEADER_RE.match(line.raw.strip())):
            speaker = m.group(1).strip()
            people.note_speaker(speaker, line)
        elif speaker:
            people.note_speaker(speaker, line)
        if chat:
            text = text[chat.end() :]
        roles = sp.find_roles(text)
        if not roles:
            prev = line
            continue
        masked = text
        for r in roles:  # role titles are no name words: "Account Technology Strategist Siobhán Peña"
            masked = masked[: r.start] + " " * (r.end - r.start) + masked[r.end :]
        names: list[sp.Span] = [
            sp.Span(n.kind, n.start, n.end, text[n.start : n.end], n.value, n.alias) for n in sp.find_names(masked)
        ] + list(sp.find_me(text))
        without_codes = _CODES_RE.sub("", text)
        if not _UPPER_RE.search(without_codes):  # no capital letter but role codes: lowercase notes
            names += _lower_names(text, roles)
        # a name overlapping a role is dropped: the furthest role end among the roles starting before the name's
        # end passes its start (one bisect per name; comparing every name with every role was quadratic)
        by_start = sorted(roles, key=lambda r: r.start)
        role_starts = [r.start for r in by_start]
        reach: list[int] = []
        for r in by_start:
            reach.append(max(reach[-1], r.end) if reach else r.end)
        names = [n for n in names if not ((i := bisect.bisect_left(role_starts, n.end)) and reach[i - 1] > n.start)]
        names.sort(key=lambda n: n.start)
        name_starts = [n.start for n in names]
        name_ends = [n.end for n in names]
        ends_in_order = all(a <= b for a, b in zip(name_ends, name_ends[1:], strict=False))
        pairs: list[tuple[sp.Span, sp.Span]] = []
        used: set[tuple[int, int]] = set()  # by position: the left and right readers can find one name twice
        for role in roles:
            if ends_in_order:  # the last name ending by the role's start, the first starting after its end
                i = bisect.bisect_right(name_ends, role.start)
                left = names[i - 1] if i else None
            else:
                left = next((n for n in reversed(names) if n.end <= role.start), None)
            j = bisect.bisect_left(name_starts, role.end)
            right = names[j] if j < len(names) else None
            lb = _bond(text[left.end : role.start], _LEFT_GAPS) if left and (left.start, left.end) not in used else 0
            rb = (
                _bond(text[role.end : right.start], _RIGHT_GAPS)
                if right and (right.start, right.end) not in used
                else 0
            )
            gap = text[role.end : right.start] if right is not None else ""
            if (
                rb
                and right is not None
                and "(" in gap
                and text[right.end : right.end + 1] != ")"
                and presence_in(gap) is None
            ):
                rb = 0  # "SSP (Security & Compliance)": a qualifier, not a name
            if lb == rb == 0:
                # a signature's second line: "Ngozi Adeyemi-Park" / "FastTrack Manager | Microsoft FastTrack"
                if role.start == 0 and prev is not None and prev.no == line.no - 1:
                    whole = sp.find_names(prev.text)
                    if len(whole) == 1 and whole[0].start == 0 and whole[0].end == len(prev.text):
                        people.add_spanned(whole[0].value, role.value, prev, None, whole[0].alias)
                continue
            person = left if lb >= rb else right
            assert person is not None
            used.add((person.start, person.end))
            pairs.append((person, role))
        paired = {id(r) for _, r in pairs}  # by identity, as "r is role" (a scan of the pairs per role was quadratic)
        for role in roles:  # "TAM = ??", "ATS: TBD": the role is named, the person is not; "FTA: none": no FTA
            unknown = None if id(role) in paired else _UNKNOWN_AFTER_RE.match(text, role.end)
            if unknown and not _NO_ONE_RE.search(unknown.group(0)):
                people.add_spanned(None, role.value, line, False)
        pairs.sort(key=lambda pr: min(pr[0].start, pr[1].start))
        lead = text[: min(pairs[0][0].start, pairs[0][1].start)] if pairs else ""
        all_absent = presence_in(lead) is False or bool(line.label and _ABSENT_LABEL_RE.match(line.label))
        for k, (person, role) in enumerate(pairs):
            end = max(person.end, role.end)
            paren = text.find(")", end - 1, end + 1)
            nxt = min(pairs[k + 1][0].start, pairs[k + 1][1].start) if k + 1 < len(pairs) else len(text)
            # a cue after the next role is that role's ("tam is tom walsh, ae couldn't make it")
            nxt = min([nxt] + [r.start for r in roles if r.start >= end])
            tail = _TAIL_END_RE.split(text[end:nxt], maxsplit=1)[0]
            between = text[role.end : person.start] if role.end <= person.start else ""
            present = presence_in(between + " " + tail) if between.strip() not in ("", ":", "=") else presence_in(tail)
            if present is None and all_absent:
                present = False
            alias = person.alias
            if m := _ALIAS_AFTER_RE.match(text, end if paren < 0 else paren + 1):
                alias = m.group(1)
            name = None if person.kind == "ME" else person.value
            if name and " " not in name and (inv := _INVERTED_RE.search(text, 0, person.start)):
                name = f"{name} {inv.group(1)}"  # "Okafor-Blair, Tunde (ATS)": surname first, as Outlook lists
            people.add_spanned(name, role.value, line, present, alias, me=person.kind == "ME")
        prev = line
    if not people.fm_names and people.first_speaker:
        first = people.first_speaker
        known = people.find(first)
        if known is None or known.role in ("FM", "other"):
            people.add_spanned(first, "FM", next(line for line in lines), None)
