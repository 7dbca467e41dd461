"""ftdraft/data/dates.toml: every entry's examples read to their value and its counter-examples give no date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ftdraft.dates import DATA, read_due


def _entries() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for kind in ("month", "weekday", "relative", "no_date"):
        out += [(f"{kind}:{e.get('words', [''])[0]}", e) for e in DATA[kind]]
    out += [("in_n", DATA["in_n"]), ("leads", DATA["leads"])]
    return out


EXAMPLES = [(name, ex) for name, e in _entries() for ex in e.get("examples", [])]
COUNTER = [(name, text, e) for name, e in _entries() for text in e.get("not", [])]


@pytest.mark.parametrize(("entry", "example"), EXAMPLES, ids=[f"{n}:{ex['text']}" for n, ex in EXAMPLES])
def test_example_reads_to_its_value(entry: str, example: dict[str, Any]) -> None:
    due = read_due(example["text"], example["ref"])
    assert due.words is not None, f"{entry}: no date words found in {example['text']!r}"
    assert due.value == example.get("value"), f"{entry}: {example['text']!r}"


@pytest.mark.parametrize(("entry", "text", "e"), COUNTER, ids=[f"{n}:{t}" for n, t, _ in COUNTER])
def test_counter_example_gives_no_date(entry: str, text: str, e: dict[str, Any]) -> None:
    assert read_due(text, date(2026, 11, 24)).value is None, f"{entry}: {text!r} must not read as a date"


def test_every_entry_has_examples_and_counter_examples() -> None:
    for name, e in _entries():
        assert e.get("examples"), name
        assert e.get("not"), name
