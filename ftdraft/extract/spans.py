"""The span layer of the reader: each thing in a line recognised once (a NAME, a ROLE, an EMAIL, the FM as ME),
so that people and owners are relations over spans rather than one regex per phrasing.

The knowledge lives in data files (ftdraft/data/*.toml: roles, ME words, particles, not-names, nicknames); every
entry carries `examples` and `not` lists that tests/test_lexicon_data.py runs. Design: ../shared/reader-design.md.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal, NamedTuple

from ..lexicon import fold_case, has_case_fold_trap
from ..substrings import Substrings

SpanKind = Literal["NAME", "ROLE", "EMAIL", "ME"]


class Span(NamedTuple):
    """One recognised thing in a text: kind, [start, end) character offsets, the surface text and its value.

    value: NAME -> the name as it should be shown ("Margaret Tully" for 'Margaret "Peggy" Tully'; lowercase notes
    title-cased); ROLE -> the role code ("ATS"); EMAIL -> the address; ME -> "FM". alias: a nickname or initials
    written with the name ('"Peggy"'), else None.

    Immutable and hashed by its values, as the frozen dataclass it was (equal by its values, now to a plain tuple of
    them too); a named tuple is built in a third of the time (the span reader builds one per name and ME word on
    every role line)."""

    kind: SpanKind
    start: int
    end: int
    text: str
    value: str
    alias: str | None = None


@cache
def load_data(name: str) -> dict[str, Any]:
    """A data file of ftdraft/data by stem ("roles"), parsed once. Raises FileNotFoundError for an unknown stem."""
    text = resources.files("ftdraft").joinpath("data", f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def role_titles() -> dict[str, str]:
    """Every role title and code, lowercase, to its code: {"ats": "ATS", "technical account manager": "TAM"}."""
    return {title.lower(): entry["code"] for entry in load_data("roles")["role"] for title in entry["titles"]}


@cache
def role_words() -> frozenset[str]:
    """Every word of every role title and code, lowercase ("account", "technology", "strategist", "ats"): never
    part of a person's name ("the Account Technology Strategist will …")."""
    return frozenset(w for title in role_titles() for w in title.split())


@cache
def me_words() -> frozenset[str]:
    """Words that name the FM as an owner, lowercase (me, i, myself, fm, ich, moi, ...)."""
    return frozenset(w.lower() for entry in load_data("me_words")["me"] for w in entry["words"])


@cache
def not_names() -> frozenset[str]:
    """Capitalised words that are never part of a person's name, lowercase."""
    return frozenset(w.lower() for g in load_data("not_names")["group"] for w in g["words"])


@cache
def particles() -> frozenset[str]:
    """Lowercase words that join two name words into one name ("van", "der", "ap", "'t")."""
    return frozenset(w.lower() for p in load_data("particles")["particle"] for w in p["words"])


@cache
def nicknames() -> dict[str, frozenset[str]]:
    """Nickname (lowercase) -> the formal first names it can stand for (lowercase)."""
    out: dict[str, set[str]] = {}
    for entry in load_data("nicknames")["nickname"]:
        for short in entry["short"]:
            out.setdefault(short.lower(), set()).add(entry["formal"].lower())
    return {k: frozenset(v) for k, v in out.items()}


@cache
def _nicknames_by_formal() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for nick, formals in nicknames().items():
        for formal in formals:
            out.setdefault(formal, set()).add(nick)
    return {k: frozenset(v) for k, v in out.items()}


def nicknames_of(first: str) -> frozenset[str]:
    """The nicknames (lowercase) that can stand for a formal first name (lowercase): nicknames() read backwards,
    so a roster's short forms are one look-up per person, not a scan of the whole nickname list."""
    return _nicknames_by_formal().get(first, frozenset())


@cache
def role_re() -> re.Pattern[str]:
    """Role codes and titles, any case, longest first; a code may carry a qualifier the pattern leaves out."""
    alternation = "|".join(re.escape(t) for t in sorted(role_titles(), key=len, reverse=True))
    return re.compile(rf"(?<![\w@.])(?i:{alternation})(?![\w@-])")


EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")

# A word: letters joined by apostrophes or hyphens (Núñez, O'Neill, Jean-Luc, Hohaia-Walker).
WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")

_QUOTED_NICK_RE = re.compile(r"\s+[\"“']([^\W\d_][^\W\d_'’\-]*)[\"”']\s+")


_CONTRACTION_RE = re.compile(r"['’](?:ll|d|m|s|re|ve)$")  # "I'll", "She'd", "Tom's" are not name words


@lru_cache(maxsize=16384)  # notes repeat their words; the answer depends on the word and the shipped data only
def is_name_word(word: str) -> bool:
    """A capitalised word that can be part of a name: an uppercase first letter and a lowercase letter after it
    ("Núñez", "McAllister", "Ní"; not "WYL", "ATS" or "Teams" — the last is a not-name)."""
    return (
        word[:1].isupper()
        and any(c.islower() for c in word[1:])
        and not _CONTRACTION_RE.search(word)
        and word.lower() not in not_names()
        and word.lower() not in role_words()
    )


def title_name(text: str) -> str:
    """A lowercase name as it should be shown: "ana-lucía ferreira" -> "Ana-Lucía Ferreira", "ben o'neill" ->
    "Ben O'Neill"; particles stay."""
    parts = []
    for w in text.split():
        parts.append(w if w.lower() in particles() else "-".join(_title_part(p) for p in w.split("-")))
    return " ".join(parts)


_ELIDED_RE = re.compile(r"^([^\W\d_]['’])([^\W\d_])")  # "o'neill", "d'souza": the letter after the mark is upper


def _title_part(part: str) -> str:
    part = part[:1].upper() + part[1:]
    return _ELIDED_RE.sub(lambda m: m.group(1) + m.group(2).upper(), part)


@lru_cache(maxsize=8192)
def find_names(text: str) -> tuple[Span, ...]:
    """Capitalised names in text: runs of up to four name words, particles between them ("Pieter van der Merwe"),
    a quoted nickname inside ('Margaret "Peggy" Tully' -> value "Margaret Tully", alias "Peggy") and a trailing
    initial ("Nadia B.")."""
    spans: list[Span] = []
    words = [(m.start(), m.end(), m.group(0)) for m in WORD_RE.finditer(text)]
    i, n = 0, len(words)
    parts_of = particles()
    while i < n:
        s, e, w = words[i]
        if not is_name_word(w):
            i += 1
            continue
        start, end, names, alias = s, e, [w], None
        j = i + 1
        while j < n and len(names) < 5:
            s2, e2, w2 = words[j]
            gap = text[end:s2]
            quoted = _QUOTED_NICK_RE.match(text, end) if alias is None and gap.strip() in ('"', "“", "'") else None
            if quoted and j + 1 < n and words[j + 1][0] == quoted.end() and is_name_word(words[j + 1][2]):
                alias = quoted.group(1)
                names.append(words[j + 1][2])
                end = words[j + 1][1]
                j += 2
                continue
            if gap != " ":
                # "'t Hart": the particle's apostrophe is part of the gap
                if gap in (" '", " ’") and w2 == "t" and j + 1 < n and text[e2 : words[j + 1][0]] == " ":
                    nxt = words[j + 1][2]
                    if is_name_word(nxt):
                        names += ["'t", nxt]
                        end = words[j + 1][1]
                        j += 2
                        continue
                break
            if is_name_word(w2):
                names.append(w2)
                end = e2
                j += 1
                continue
            if w2.lower() in parts_of:
                k = j
                while k < n and words[k][2].lower() in parts_of and text[words[k - 1][1] : words[k][0]] == " ":
                    k += 1
                if k < n and k > j and text[words[k - 1][1] : words[k][0]] == " " and is_name_word(words[k][2]):
                    names += [x[2] for x in words[j : k + 1]]
                    end = words[k][1]
                    j = k + 1
                    continue
            if len(w2) == 1 and w2.isupper() and text[e2 : e2 + 1] == ".":
                names.append(w2 + ".")  # "Nadia B."
                end = e2 + 1
                j += 1
            break
        spans.append(Span("NAME", start, end, text[start:end], " ".join(names), alias))
        i = j if j > i else i + 1
    return tuple(spans)


@cache
def _role_titles_found() -> Substrings:
    return Substrings(role_titles())


@lru_cache(maxsize=8192)
def find_roles(text: str) -> tuple[Span, ...]:
    """Role codes and titles in text, any case ("ats", "Account Technology Strategist", "TSP (Copilot)" -> TSP)."""
    # every match is one of the titles in some case: a lowercased text holding none of them has no role (most
    # lines), found in one pass; a text with a case-folding trap goes to the regex
    if not has_case_fold_trap(text) and not _role_titles_found().present(text.lower()):
        return ()
    titles = role_titles()
    return tuple(
        Span("ROLE", m.start(), m.end(), m.group(0), titles[fold_case(m.group(0))]) for m in role_re().finditer(text)
    )


@cache
def me_re() -> re.Pattern[str]:
    """ME words as whole words, any case. The lookahead for their first letters (any case, as the words are
    compared) fails fast at most word starts, where the alternation would try every word; it holds before any match."""
    words = sorted(me_words(), key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words)
    firsts = "".join(sorted({re.escape(w[0]) for w in words}))
    return re.compile(rf"(?<![\w@])(?=(?i:[{firsts}]))(?i:{alternation})(?![\w'’-]|['’](?!ll))")


def find_me(text: str) -> tuple[Span, ...]:
    """Words in text that name the FM ("me", "I", "myself", "FM", "moi", "ich")."""
    return tuple(Span("ME", m.start(), m.end(), m.group(0), "FM") for m in me_re().finditer(text))


def find_emails(text: str) -> tuple[Span, ...]:
    """Email addresses in text."""
    return tuple(Span("EMAIL", m.start(), m.end(), m.group(0), m.group(0)) for m in EMAIL_RE.finditer(text))


@lru_cache(maxsize=4096)
def initials(name: str) -> frozenset[str]:
    """The initials a note may write for a full name, lowercase: "Hollis Brandt" -> {"hb"}, "Mere Hohaia-Walker" ->
    {"mhw", "mh-w"}, "Wing-Yee Lau" -> {"wyl", "wl"}."""
    words = [w for w in name.replace(".", "").split() if w.lower() not in particles()]
    if len(words) < 2:
        return frozenset()
    plain = "".join(w[0] for w in words).lower()
    split = "".join("".join(p[:1] for p in w.split("-")) for w in words).lower()
    dashed = "".join("-".join(p[:1] for p in w.split("-")) for w in words).lower()
    return frozenset({plain, split, dashed})
