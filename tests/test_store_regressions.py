"""Regressions the suite once let through (issue 15), on a real SQLite file: a deleted engagement must stay
deleted (nothing reopens it by id), and the FM's typed agenda answers must be replaceable — a cleared answer
goes away and a changed answer takes the new text. The page-level twins are in tests/test_app.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ftdraft.errors import StoreError
from ftdraft.schemas import Engagement
from ftdraft.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'ftdraft.db'}")
    yield s
    s.dispose()


def test_a_deleted_engagement_cannot_be_reopened_by_id(store: Store) -> None:
    keep = store.create(Engagement(customer="Contoso Pharma"), notes="kept notes")
    gone = store.create(Engagement(customer="Fabrikam Manufacturing"), notes="notes to delete")
    store.set_tick(gone, "Review the RFA request", True)
    store.set_agenda(gone, {"d": "Hybrid AD"})
    assert store.exists(gone) and store.get(gone) is not None

    assert store.delete(gone) is True
    assert store.exists(gone) is False, "?e=<deleted id> must not reopen it"
    assert store.get(gone) is None
    assert [s.id for s in store.list()] == [keep]
    assert store.list("fabri") == []
    assert store.delete(gone) is False, "nothing left to delete"
    with pytest.raises(StoreError, match="no longer exists"):
        store.save_notes(gone, "typed in a stale tab")
    with pytest.raises(StoreError, match="no longer exists"):
        store.set_agenda(gone, {"d": "typed in a stale tab"})
    assert store.get(gone) is None, "a write from a stale tab does not bring it back"
    assert store.blank() not in (gone, keep)

    rec = store.get(keep)
    assert rec is not None and rec.notes == "kept notes", "deleting one leaves the other whole"


def test_an_agenda_answer_can_be_cleared(store: Store) -> None:
    eid = store.create(Engagement(customer="Contoso Pharma"))
    store.set_agenda(eid, {"d": "Hybrid AD", "e": "Okta for SSO"})
    store.set_agenda(eid, {"d": "Hybrid AD"})
    rec = store.get(eid)
    assert rec is not None and rec.agenda == {"d": "Hybrid AD"}, "the cleared answer (e) is gone"
    store.set_agenda(eid, {})
    rec = store.get(eid)
    assert rec is not None and rec.agenda == {}


def test_an_agenda_answer_can_be_changed(store: Store) -> None:
    eid = store.create(Engagement(customer="Contoso Pharma"))
    store.set_agenda(eid, {"d": "Hybrid AD"})
    store.set_agenda(eid, {"d": "Cloud-only, 4,000 seats", "f": "Intune pilot in Q1"})
    rec = store.get(eid)
    assert rec is not None and rec.agenda == {"d": "Cloud-only, 4,000 seats", "f": "Intune pilot in Q1"}


def test_agenda_answers_are_kept_apart_from_ticks_and_edits(store: Store) -> None:
    eid = store.create(Engagement(customer="Contoso Pharma"))
    store.set_tick(eid, "d", True)
    store.set_edit(eid, "d", "an edit keyed like an agenda item")
    store.set_agenda(eid, {"d": "Hybrid AD"})
    store.set_agenda(eid, {})
    rec = store.get(eid)
    assert rec is not None
    assert rec.agenda == {} and rec.ticks == {"d": True} and rec.edits == {"d": "an edit keyed like an agenda item"}


def test_agenda_answers_of_one_engagement_leave_another_alone(store: Store) -> None:
    a = store.create(Engagement(customer="Contoso Pharma"))
    b = store.create(Engagement(customer="Fabrikam Manufacturing"))
    store.set_agenda(a, {"d": "Hybrid AD"})
    store.set_agenda(b, {"d": "Cloud-only"})
    store.set_agenda(a, {})
    rec_a, rec_b = store.get(a), store.get(b)
    assert rec_a is not None and rec_b is not None
    assert rec_a.agenda == {} and rec_b.agenda == {"d": "Cloud-only"}
