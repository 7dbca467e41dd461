"""Open items and answers: ftdraft/data/answers.toml's examples and counter-examples, and what the notes leave open."""

from __future__ import annotations

from typing import Any

import pytest

from ftdraft.extract import extract_facts
from ftdraft.extract.open_items import ANSWER_RE, DATA, OPEN_RE, is_answer
from ftdraft.schemas import Engagement

ANSWERS = [(e["name"], ex) for e in DATA["answer"] for ex in e["examples"]]
NOT_ANSWERS = [(e["name"], ex) for e in DATA["answer"] for ex in e["not"]]
OPEN = [(e["name"], ex) for e in DATA["open"] for ex in e["examples"]]
NOT_OPEN = [(e, ex) for e in DATA["open"] for ex in e["not"]]


@pytest.mark.parametrize(("name", "text"), ANSWERS)
def test_answer_examples_are_answers(name: str, text: str) -> None:
    assert is_answer(text), name


@pytest.mark.parametrize(("name", "text"), NOT_ANSWERS)
def test_answer_counter_examples_are_not_answers(name: str, text: str) -> None:
    assert ANSWER_RE.match(text) is None, name


@pytest.mark.parametrize(("name", "text"), OPEN)
def test_open_examples_leave_something_open(name: str, text: str) -> None:
    assert OPEN_RE.search(text), name


@pytest.mark.parametrize(("entry", "text"), NOT_OPEN, ids=[f"{e['name']}:{t}" for e, t in NOT_OPEN])
def test_open_counter_examples_do_not_match_their_entry(entry: dict[str, Any], text: str) -> None:
    import re

    assert re.search(entry["pattern"], text, re.IGNORECASE) is None


HEAD = "Contoso - AT sync 2026-11-24\nAttendees: Priya Raman (ATS), Tom Becker (TAM), me (FM)\n"


def _open(notes: str) -> list[str]:
    _, facts = extract_facts(HEAD + notes, Engagement(motion="RFA"), {})
    return [o.text for o in facts.open_items if o.agenda_item is None]


@pytest.mark.parametrize(
    ("line", "keyword"),
    [
        ("- licenses not confirmed", "licenses"),
        ("- who owns Teams?", "Teams"),
        ("- FRP? nobody sure, check", "FRP"),
        ("- tenants: still on their own tenant? Keisha wasn't sure", "tenant"),
        ("- Partner: none engaged. Do they want one for adoption? Not discussed", "Partner"),
        ("- Hardware – ~600 devices won't meet Win 11 (TPM). Not confirmed.", "Hardware"),
        ("- Licenses: E3, how many? Tom thought 1,500, Priya said 1,800. open", "Licenses"),
        ("- Nobody on the call knew whether Andes Nube is a FastTrack Ready Partner.", "Ready Partner"),
    ],
)
def test_questions_the_notes_leave_open_are_open_items(line: str, keyword: str) -> None:
    assert any(keyword.lower() in t.lower() for t in _open(line + "\n")), _open(line + "\n")


@pytest.mark.parametrize(
    "line",
    [
        "- Partner? none",
        "- compete: n/a",
        "- partner: no partner",
        "- FRP: not yet",
        "- ☑ licenses? confirmed 3,000 E3",
    ],
)
def test_answers_and_done_items_are_not_open_items(line: str) -> None:
    assert _open(line + "\n") == []


def test_open_item_names_who_should_answer() -> None:
    items = [o for o in extract_facts(HEAD + "- licenses: E3? Tom to check\n", Engagement(), {})[1].open_items]
    assert any(o.owner == "Tom Becker" and "E3" in o.text for o in items)
