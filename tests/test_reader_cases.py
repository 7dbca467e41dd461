"""The reader cases (tests/fixtures/cases/reader, right values in its README) as tests: attendees and action owners
(R1's share; the dates and sync of these cases are asserted in R2's tests)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from ftdraft.extract import extract_facts
from ftdraft.schemas import CallFacts, Engagement

CASES = Path(__file__).parent / "fixtures" / "cases" / "reader"


def _read(name: str) -> CallFacts:
    context = CASES / name.replace(".md", "-context.yaml")
    engagement = Engagement(**yaml.safe_load(context.read_text(encoding="utf-8"))) if context.exists() else Engagement()
    _, facts = extract_facts((CASES / name).read_text(encoding="utf-8"), engagement)
    return facts


def _team(facts: CallFacts) -> set[tuple[str | None, str]]:
    return {(a.name, a.role) for a in facts.attendees if a.role != "FM"}


def _owned(facts: CallFacts) -> set[tuple[str | None, str]]:
    return {(a.owner, a.action) for a in facts.action_items}


def test_01_accented_names() -> None:
    facts = _read("01-accented-names.md")
    assert _team(facts) == {("José Peña", "ATS"), ("Siobhán O'Neill", "TAM"), ("Jean-Luc Dupré", "AE")}
    by_owner = {a.owner: a for a in facts.action_items}
    assert set(by_owner) == {"José Peña", "Siobhán O'Neill", "Jean-Luc Dupré"}
    assert "intro email" in by_owner["José Peña"].action and by_owner["José Peña"].due == date(2026, 11, 27)
    assert "add me to the weekly account call" in by_owner["Siobhán O'Neill"].action
    assert "license count" in by_owner["Jean-Luc Dupré"].action and by_owner["Jean-Luc Dupré"].due == date(2026, 12, 4)


def test_02_owner_inversion_x_offered_to_add_me_is_x_s() -> None:
    facts = _read("02-owner-inversion.md")
    owners = {a.owner: a for a in facts.action_items}
    assert set(owners) == {"Omar Haddad", "Nadia Brooks", "FM"}
    assert "add me to the Thursday account call" in owners["Omar Haddad"].action
    assert "intro email" in owners["Nadia Brooks"].action and owners["Nadia Brooks"].due == date(2026, 11, 27)
    assert "service description" in owners["FM"].action  # "Nadia wants me to …" is the FM's


@pytest.mark.parametrize("name", ["06-bullet-tab-min.md", "06-onenote-paste.md"])
def test_06_pasted_bullets_read_as_bullets(name: str) -> None:
    facts = _read(name)
    assert _team(facts) == {("Nadia Brooks", "ATS"), ("Omar Haddad", "TAM")}
    intro = next(a for a in facts.action_items if "intro email" in a.action)
    assert (intro.owner, intro.due) == ("Nadia Brooks", date(2026, 11, 27))
    sync = next(a for a in facts.action_items if "Thursday account sync" in a.action)
    assert sync.owner == "Omar Haddad"
    if name == "06-onenote-paste.md":
        assert any(a.owner == "FM" and "recap" in a.action for a in facts.action_items)


def test_09_the_same_person_written_two_ways_is_one_attendee() -> None:
    facts = _read("09-duplicate-attendees.md")
    assert _team(facts) == {("Nadia Brooks", "ATS"), ("Omar Haddad", "TAM")}
    assert all(a.present for a in facts.attendees)  # joined late / dropped early are present
    intro = next(a for a in facts.action_items if "intro email" in a.action)
    assert (intro.owner, intro.due) == ("Nadia Brooks", date(2026, 11, 27))


def test_12_german_notes() -> None:
    facts = _read("12-german-notes.md")
    assert _team(facts) == {("Nadia Brooks", "ATS"), ("Omar Haddad", "TAM")}
    assert any(a.role == "FM" for a in facts.attendees)  # "ich (FM)"
    owners = {a.owner: a for a in facts.action_items}
    assert set(owners) == {"Nadia Brooks", "Omar Haddad", "FM"}
    assert "Intro-Mail" in owners["Nadia Brooks"].action and owners["Nadia Brooks"].due == date(2026, 11, 27)
    assert "Account-Call" in owners["Omar Haddad"].action
    assert "Zusammenfassung" in owners["FM"].action
