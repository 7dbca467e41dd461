"""Every entry of the reader's data files (ftdraft/data/*.toml) carries examples and counter-examples: each runs
here through the real reader (extract_facts or the span recognisers), so a data change that breaks one fails."""

from __future__ import annotations

from typing import Any

import pytest

from ftdraft.extract import extract_facts
from ftdraft.extract import spans as sp
from ftdraft.extract.owners import heading_re
from ftdraft.extract.people import People
from ftdraft.schemas import Engagement, Person

ROSTER = "Attendees: Nadia Brooks (ATS), Omar Haddad (TAM), me (FM)\n\nActions\n"


def _entries(stem: str, table: str) -> list[dict[str, Any]]:
    return list(sp.load_data(stem)[table])


def _owners(action_line: str) -> list[str | None]:
    _, facts = extract_facts(f"Account team sync - Fernhill - 2026-11-24\n{ROSTER}- {action_line}\n", Engagement())
    return [a.owner for a in facts.action_items]


def test_every_entry_has_examples_and_counter_examples_lists() -> None:
    for stem, table in [
        ("roles", "role"),
        ("me_words", "me"),
        ("nicknames", "nickname"),
        ("owner_verbs", "verb"),
        ("owner_verbs", "heading"),
        ("owner_verbs", "not_lead"),
        ("presence", "cue"),
        ("not_names", "group"),
        ("particles", "particle"),
    ]:
        for entry in _entries(stem, table):
            assert entry["examples"], (stem, entry)
            assert isinstance(entry["not"], list), (stem, entry)


@pytest.mark.parametrize("entry", _entries("roles", "role"), ids=lambda e: e["code"])
def test_roles(entry: dict[str, Any]) -> None:
    for example in entry["examples"]:
        found = sp.find_roles(example)
        assert found and found[0].value == entry["code"] and found[0].start == 0, example
    for text in entry["not"]:
        assert all(r.value != entry["code"] for r in sp.find_roles(text)), text


@pytest.mark.parametrize("entry", _entries("me_words", "me"), ids=lambda e: e["language"])
def test_me_words_make_the_fm_the_owner(entry: dict[str, Any]) -> None:
    for example in entry["examples"]:
        assert _owners(example) == ["FM"], example
    for text in entry["not"]:
        owners = _owners(text)
        assert owners and "FM" not in owners, text


@pytest.mark.parametrize("entry", _entries("nicknames", "nickname"), ids=lambda e: e["formal"])
def test_nicknames_resolve_to_the_known_person(entry: dict[str, Any]) -> None:
    for pair, want in [(p, True) for p in entry["examples"]] + [(p, False) for p in entry["not"]]:
        nick, full = (part.strip() for part in pair.split("="))
        people = People(Engagement(account_team=[Person(name=full, role="ATS")]))
        label, _, known = people.resolve(nick)
        assert (label == full and known) is want, pair


@pytest.mark.parametrize("entry", _entries("owner_verbs", "verb"), ids=lambda e: e["pattern"][:30])
def test_owner_verbs(entry: dict[str, Any]) -> None:
    for example in entry["examples"]:
        assert "Nadia Brooks" in _owners(example), example
    for text in entry["not"]:
        assert "Nadia Brooks" not in _owners(text), text


@pytest.mark.parametrize("entry", _entries("owner_verbs", "not_lead"), ids=lambda e: "not_lead")
def test_reporting_words_after_a_name_are_no_commitment(entry: dict[str, Any]) -> None:
    for example in entry["examples"]:
        assert "Nadia Brooks" not in _owners(example), example
    for text in entry["not"]:
        assert "Nadia Brooks" in _owners(text), text


@pytest.mark.parametrize("entry", _entries("owner_verbs", "heading"), ids=lambda e: "heading")
def test_action_headings(entry: dict[str, Any]) -> None:
    for example in entry["examples"]:
        assert heading_re().match(example), example
    for text in entry["not"]:
        assert not heading_re().match(text), text


@pytest.mark.parametrize("entry", _entries("presence", "cue"), ids=lambda e: e["presence"] + ":" + e["pattern"][:20])
def test_presence_cues(entry: dict[str, Any]) -> None:
    present = entry["presence"] == "present"
    for text, want in [(e, present) for e in entry["examples"]] + [(n, not present) for n in entry["not"]]:
        _, facts = extract_facts(f"Sync - Fernhill - 2026-11-24\nAttendees: Nadia Brooks (ATS) {text}\n", Engagement())
        nadia = next(a for a in facts.attendees if a.name == "Nadia Brooks")
        assert nadia.present is want, text


@pytest.mark.parametrize("entry", _entries("not_names", "group"), ids=lambda e: e["kind"])
def test_not_names(entry: dict[str, Any]) -> None:
    for example in entry["examples"]:
        assert sp.find_names(example) == (), example
    for pair in entry["not"]:
        name, text = pair.split("|")
        assert name in [s.value for s in sp.find_names(text)], pair


@pytest.mark.parametrize("entry", _entries("particles", "particle"), ids=lambda e: "particles")
def test_particles_join_a_name(entry: dict[str, Any]) -> None:
    for example in entry["examples"]:
        assert [s.value for s in sp.find_names(example)] == [example], example
    for text in entry["not"]:
        assert text not in [s.value for s in sp.find_names(text)], text
