"""ftdraft/data/dates_rhythm.toml: cadence, week-of-month and time-zone words with examples and counter-examples."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ftdraft.extract.topics import _CADENCE_RES, RHYTHM, _time_and_zone, week_of_month

CADENCE_EXAMPLES = [(e["value"], ex) for e in RHYTHM["cadence"] for ex in e["examples"]]
CADENCE_NOT = [(e, text) for e in RHYTHM["cadence"] for text in e["not"]]


@pytest.mark.parametrize(("value", "text"), CADENCE_EXAMPLES)
def test_cadence_examples_read_as_their_value(value: str, text: str) -> None:
    assert next((c for c, rx in _CADENCE_RES if rx.search(text)), None) == value


@pytest.mark.parametrize(("entry", "text"), CADENCE_NOT, ids=[f"{e['value']}:{t}" for e, t in CADENCE_NOT])
def test_cadence_counter_examples_are_not_that_cadence(entry: dict[str, Any], text: str) -> None:
    assert re.search(entry["pattern"], text, re.IGNORECASE) is None


@pytest.mark.parametrize("example", RHYTHM["ordinals_test"]["examples"], ids=lambda e: e["text"])
def test_week_of_month(example: dict[str, Any]) -> None:
    assert week_of_month(example["text"]) == example["value"]


@pytest.mark.parametrize("text", RHYTHM["ordinals_test"]["not"])
def test_not_a_week_of_month(text: str) -> None:
    assert week_of_month(text) is None


@pytest.mark.parametrize("example", RHYTHM["timezones_test"]["examples"], ids=lambda e: e["text"])
def test_time_and_zone(example: dict[str, Any]) -> None:
    assert _time_and_zone(example["text"]) == (example["time"], example.get("zone"))


@pytest.mark.parametrize("text", RHYTHM["timezones_test"]["not"])
def test_no_time(text: str) -> None:
    assert _time_and_zone(text) == (None, None)


def test_every_zone_is_an_iana_name() -> None:
    from zoneinfo import ZoneInfo

    for abbr, name in RHYTHM["timezones"].items():
        assert ZoneInfo(name) is not None, abbr
