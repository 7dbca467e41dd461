"""Parses an account-team roster the FM pastes: one person per line, or rows copied from a table.

Accepted shapes: "Priya Raman <priya@contoso.com> ATS", "Priya Raman (ATS) priya@contoso.com",
"ATS: Priya Raman", Outlook's "A <a@x>; B <b@x>", and tab/comma-separated rows with or without a
header. A line that cannot be used is reported with its number and what to fix; it never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .schemas import Person, Role

ROLES: tuple[Role, ...] = ("ATS", "TAM", "AE", "CSM", "TSP", "SSP", "ADE")
ROLE_LIST = "ATS, TAM, AE, CSM, TSP, SSP, ADE or other"

# Full titles (domain.md's role table) and a few spellings FMs use; matched case-insensitively.
_LONG_ROLES: dict[str, Role] = {
    "account technology strategist": "ATS",
    "technical account manager": "TAM",
    "account executive": "AE",
    "customer success manager": "CSM",
    "technical specialist": "TSP",
    "tech specialist": "TSP",
    "account delivery executive": "ADE",
    "specialist": "SSP",  # after "technical specialist": longest match wins below
}

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_AT_TOKEN = re.compile(r"\S*@\S*")
_HEADER_WORDS = {
    "name": "name",
    "full name": "name",
    "display name": "name",
    "person": "name",
    "role": "role",
    "team role": "role",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "mail": "email",
    "alias": "email",
    "title": "title",
    "job title": "title",
}


@dataclass(frozen=True)
class RosterProblem:
    line: int  # 1-based line number in the pasted text
    text: str  # the line as pasted
    message: str  # what is wrong and what to do
    skipped: bool = True  # False: the person was added, but something needs a look

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass
class ParsedRoster:
    people: list[Person] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[RosterProblem]:
        return [p for p in self.problems if p.skipped]


def role_of(text: str, *, strict_case: bool = False) -> Role | None:
    """The role a cell or word names, or None. strict_case: short codes must be upper case
    (in free text "Tam" is a first name, "TAM" is a role)."""
    t = text.strip().strip("()[]:=-,;|").strip()
    if not t:
        return None
    if t.lower() == "other":
        return "other"
    if (t if strict_case else t.upper()) in ROLES:
        return t.upper()  # type: ignore[return-value]
    low = re.sub(r"\s+", " ", t.lower())
    low = re.sub(r"^(the|a|an)\s+", "", low)
    low = re.sub(r"\s*\((?:was )?\w+\)$", "", low)  # "Technical Specialist (was TSP)"
    return _LONG_ROLES.get(low)


def _find_role(text: str) -> tuple[Role | None, str]:
    """Find one role in free text; return it and the text without it."""
    # Long titles first, longest first, case-insensitive.
    for title in sorted(_LONG_ROLES, key=len, reverse=True):
        # A trailing "(was TSP)" names the same role: consume it with the title.
        m = re.search(rf"(?<![\w]){re.escape(title)}(?![\w])(\s*\(was \w+\))?", text, flags=re.IGNORECASE)
        if m:
            return _LONG_ROLES[title], text[: m.start()] + " " + text[m.end() :]
    codes = "|".join(ROLES)
    # Upper-case code as a word, or any case when parenthesised / labelled ("(ats)", "ats:", "ats =").
    for pattern, flags in (
        (rf"(?<![\w@.])({codes})(?![\w@])", 0),
        (rf"\(\s*({codes}|other)\s*\)", re.IGNORECASE),
        (rf"(?<![\w@.])({codes})\s*[:=]", re.IGNORECASE),
    ):
        m = re.search(pattern, text, flags)
        if m:
            role = m.group(1).upper()
            return ("other" if role == "OTHER" else role), text[: m.start()] + " " + text[m.end() :]  # type: ignore[return-value]
    return None, text


def _clean_name(text: str) -> str:
    text = re.sub(r"mailto:", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"[<>()\[\]\"|;:=]", " ", text)
    text = re.sub(r"(^|\s)[-–—,/]+(?=\s|$)", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,-–—/")
    # Outlook "Raman, Priya" -> "Priya Raman"
    m = re.fullmatch(r"([^,\s][^,]*),\s*([^,]+)", text)
    if m:
        text = f"{m.group(2).strip()} {m.group(1).strip()}"
    return text


def _split_cells(line: str) -> list[str] | None:
    """Cells when the line is a table row (tabs, or commas/semicolons between 2+ fields); else None."""
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    if "<" in line:  # "Name <email>" lines use commas/semicolons between people, not cells
        return None
    for sep in (",", ";", "|"):
        if line.count(sep) >= 1:
            cells = [c.strip() for c in line.strip().strip("|").split(sep)]
            if len(cells) >= 2 and (any(_EMAIL.fullmatch(c) for c in cells) or any(role_of(c) for c in cells)):
                return cells
    return None


def _header_map(cells: list[str]) -> dict[int, str] | None:
    mapped = {i: _HEADER_WORDS[c.lower().strip()] for i, c in enumerate(cells) if c.lower().strip() in _HEADER_WORDS}
    return mapped if len(mapped) >= 2 and "name" in mapped.values() else None


def _is_header(cells: list[str]) -> bool:
    words = [c.lower() for c in cells if c]
    return len(words) >= 2 and all(w in _HEADER_WORDS for w in words) and "name" in {_HEADER_WORDS[w] for w in words}


def _email_problem(text: str) -> str | None:
    """A message when the text holds something email-like that is not a usable address."""
    for token in _AT_TOKEN.findall(text):
        token = token.strip("<>()[],;\"'").removeprefix("mailto:")
        if token and not _EMAIL.fullmatch(token):
            return f"'{token}' is not a complete email address; write it as name@domain.com"
    return None


def _person(
    name: str, role: Role | None, email: str | None, title: str | None, n: int, raw: str
) -> tuple[Person | None, list[RosterProblem]]:
    if name and not re.search(r"[^\W\d_]", name):
        name = ""  # punctuation or digits only: not a name
    if name and len(name.split()) > 5:
        return None, [
            RosterProblem(
                n, raw, f"'{name}' does not look like a name; write one person per line as 'Name <email> ROLE'"
            )
        ]
    if not name and not email:
        return None, [
            RosterProblem(
                n, raw, "no name or email found; write 'Name <email> ROLE' (e.g. Priya Raman <priya@contoso.com> ATS)"
            )
        ]
    problems: list[RosterProblem] = []
    if role is None:
        problems.append(
            RosterProblem(
                n,
                raw,
                f"no role found for {name or email}; added as 'other' - set the role ({ROLE_LIST})",
                skipped=False,
            )
        )
    return Person(name=name or None, role=role or "other", email=email, title=title or None), problems


def _parse_cells(
    cells: list[str], header: dict[int, str] | None, n: int, raw: str
) -> tuple[Person | None, list[RosterProblem]]:
    name = email = title = None
    role: Role | None = None
    for i, cell in enumerate(cells):
        if not cell:
            continue
        column = header.get(i) if header else None
        if column == "email" or (column is None and "@" in cell):
            if not _EMAIL.fullmatch(cell.removeprefix("mailto:")):
                return None, [
                    RosterProblem(n, raw, f"'{cell}' is not a complete email address; write it as name@domain.com")
                ]
            email = cell.removeprefix("mailto:")
        elif column == "role" or (column is None and role is None and role_of(cell)):
            found = role_of(cell)
            if found is None:
                return None, [RosterProblem(n, raw, f"'{cell}' is not a role ftdraft knows; use {ROLE_LIST}")]
            role = found
        elif column == "title":
            title = cell
        elif column == "name" or (column is None and name is None):
            name = _clean_name(cell)
        elif column is None:
            title = cell  # a second free-text cell, e.g. a job title
    return _person(name or "", role, email, title, n, raw)


def _parse_free(text: str, n: int, raw: str) -> tuple[Person | None, list[RosterProblem]]:
    problem = _email_problem(text)
    if problem:
        return None, [RosterProblem(n, raw, problem)]
    emails = _EMAIL.findall(text)
    if len(emails) > 1:
        return None, [RosterProblem(n, raw, "more than one email address on one line; put one person per line")]
    email = emails[0] if emails else None
    rest = text.replace(email, " ") if email else text
    role, rest = _find_role(rest)
    # A second role left after removing the first means two people pasted on one line.
    if role is not None and _find_role(rest)[0] is not None:
        return None, [RosterProblem(n, raw, "two roles on one line; put one person per line")]
    return _person(_clean_name(rest), role, email, None, n, raw)


def parse_roster(text: str) -> ParsedRoster:
    """Parse pasted roster text. Blank lines are ignored; every other line gives a person or a problem."""
    result = ParsedRoster()
    header: dict[int, str] | None = None
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        header_cells = [c.strip() for c in re.split(r"\t|,|;|\||\s{2,}", line.strip("|"))]
        if _is_header(header_cells):
            header = _header_map(header_cells)  # a header row (also when pasted again mid-text)
            continue
        cells = _split_cells(line)
        if cells is not None:
            person, problems = _parse_cells(cells, header, n, raw)
            found = [person] if person else []
        else:
            # Outlook pastes several recipients on one line, separated by ';'
            parts = [p for p in re.split(r";\s*", line) if p.strip()] if line.count("@") > 1 and ";" in line else [line]
            found, problems = [], []
            for part in parts:
                person, probs = _parse_free(part, n, raw)
                problems.extend(probs)
                if person:
                    found.append(person)
        result.people.extend(found)
        result.problems.extend(problems)
    return result


def merge_team(team: list[Person], new: list[Person]) -> list[Person]:
    """Add people to the team; someone already there (same email, or same name) is updated, not duplicated."""
    merged = [p.model_copy() for p in team]
    for person in new:
        match = None
        for i, existing in enumerate(merged):
            same_email = person.email and existing.email and person.email.lower() == existing.email.lower()
            same_name = person.name and existing.name and person.name.lower() == existing.name.lower()
            if same_email or same_name:
                match = i
                break
        if match is None:
            merged.append(person)
            continue
        old = merged[match]
        merged[match] = old.model_copy(
            update={
                "name": person.name or old.name,
                "email": person.email or old.email,
                "role": person.role if person.role != "other" else old.role,
                "title": person.title or old.title,
            }
        )
    return merged
