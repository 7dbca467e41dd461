"""Families of phrasings the audience guardrails catch (usage figures in any wording, FTOP codes in any order,
internal remarks the customer must not read), read from ftdraft/data/guard_families.toml.

Each family has patterns, the readers it applies to, the rule id its findings carry, and examples and
counter-examples that tests/test_guards.py runs. Loaded once, on first use (a few ms).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FAMILIES_FILE = Path(__file__).resolve().parent.parent / "data" / "guard_families.toml"


@dataclass(frozen=True)
class Family:
    """One family: `regex` (all patterns as one alternation) applies to text read by `readers`."""

    id: str
    rule: str
    readers: tuple[str, ...]
    regex: re.Pattern[str]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    gate: tuple[str, ...] = ()

    def search(self, sentence: str, lowered: str | None = None) -> str | None:
        """The matching fragment of sentence, or None. lowered: sentence.lower(), when the caller has it."""
        if self.gate:
            low = sentence.lower() if lowered is None else lowered
            if not any(map(low.__contains__, self.gate)):
                return None
        m = self.regex.search(sentence)
        return m.group(0) if m else None


@cache
def families() -> tuple[Family, ...]:
    """Every family in the data file, in file order. Raises ValueError naming the family if a pattern is invalid."""
    with FAMILIES_FILE.open("rb") as f:
        data = tomllib.load(f)
    pieces: dict[str, str] = data.get("pieces", {})
    out = []
    for fam in data["family"]:
        patterns = []
        for p in fam["patterns"]:
            for name, value in pieces.items():
                p = p.replace("{" + name + "}", value)
            patterns.append(f"(?:{p})")
        try:
            regex = re.compile("|".join(patterns), re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"guard family {fam['id']}: bad pattern ({exc})") from None
        out.append(
            Family(
                id=fam["id"],
                rule=fam["rule"],
                readers=tuple(fam["readers"]),
                regex=regex,
                examples=tuple(fam.get("examples", ())),
                counter_examples=tuple(fam.get("not", ())),
                gate=tuple(g.lower() for g in fam.get("gate", ())),
            )
        )
    return tuple(out)


def family(family_id: str) -> Family:
    """The family with this id (KeyError if none)."""
    for f in families():
        if f.id == family_id:
            return f
    raise KeyError(family_id)


def family_hit(sentence: str, reader: str, rule: str | None = None) -> str | None:
    """The fragment of sentence that a family for this reader (and this rule id, if given) matches, or None."""
    lowered = sentence.lower()  # once for every family's gate
    for f in families():
        if reader in f.readers and (rule is None or f.rule == rule):
            hit = f.search(sentence, lowered)
            if hit:
                return hit
    return None
