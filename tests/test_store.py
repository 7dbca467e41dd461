"""The store on a real SQLite file: CRUD, search, delete, and two processes saving at once."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ftdraft.errors import StoreError
from ftdraft.pipeline import offline_bundle
from ftdraft.schemas import Engagement, Person
from ftdraft.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'ftdraft.db'}")
    yield s
    s.dispose()


def test_create_get_update_round_trip(store: Store) -> None:
    eng = Engagement(
        customer="Contoso Pharma",
        motion="RFA",
        rfa_id="4471",
        account_team=[Person(name="Priya Raman", role="ATS", email="priya@contoso.com")],
        call_date=date(2026, 11, 18),
    )
    eid = store.create(eng, notes="first notes")
    rec = store.get(eid)
    assert rec is not None and rec.engagement == eng and rec.notes == "first notes" and rec.bundle is None

    notes = (ROOT / "examples" / "rfa-contoso-pharma.md").read_text()
    store.save_notes(eid, notes)
    bundle = offline_bundle(notes, eng)
    store.save_bundle(eid, bundle)
    store.set_tick(eid, "Review the RFA request", True)
    store.set_edit(eid, "follow_up.body", "my edited body")
    store.set_agenda(eid, {"d": "Hybrid AD"})

    rec = store.get(eid)
    assert rec.notes == notes
    assert rec.bundle == bundle  # facts and drafts survive the JSON round trip exactly
    assert rec.ticks == {"Review the RFA request": True}
    assert rec.edits == {"follow_up.body": "my edited body"}
    assert rec.agenda == {"d": "Hybrid AD"}

    store.set_tick(eid, "Review the RFA request", False)
    store.set_edit(eid, "follow_up.body", None)  # None removes the edit
    store.set_edit(eid, "ftop.text", "kept")
    store.clear_edits(eid, ["follow_up.body", "follow_up.subject"])
    rec = store.get(eid)
    assert rec.ticks == {"Review the RFA request": False}
    assert rec.edits == {"ftop.text": "kept"}


def test_sqlite_runs_in_wal_mode_with_busy_timeout(store: Store, tmp_path: Path) -> None:
    store.create(Engagement(customer="x"))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    # The file on disk is a real SQLite database another tool can read.
    with sqlite3.connect(tmp_path / "ftdraft.db") as raw:
        assert raw.execute("select customer from engagements").fetchall() == [("x",)]


def test_list_searches_by_customer_newest_first_and_hides_blanks(store: Store) -> None:
    a = store.create(Engagement(customer="Contoso Pharma"))
    b = store.create(Engagement(customer="Fabrikam Manufacturing"))
    c = store.create(Engagement(customer="contoso retail"))
    blank = store.blank()
    store.save_notes(a, "touched last")

    assert [s.id for s in store.list()] == [a, c, b]
    assert {s.id for s in store.list("CONTOSO")} == {a, c}
    assert [s.id for s in store.list("fabri")] == [b]
    assert store.list("no such customer") == []
    assert store.list("%") == [] and store.list("_") == []  # LIKE wildcards are literal
    assert blank not in {s.id for s in store.list()}
    assert store.blank() == blank  # an untouched blank engagement is reused, not piled up


def test_notes_without_customer_are_listed_and_named_by_the_draft(store: Store) -> None:
    eid = store.blank()
    notes = (ROOT / "examples" / "health-fabrikam-mfg.md").read_text()
    store.save_notes(eid, notes)
    assert [s.customer for s in store.list()] == [""]
    bundle = offline_bundle(notes)
    store.save_bundle(eid, bundle)
    assert store.list()[0].customer == bundle.engagement.customer != ""
    assert store.blank() != eid


def test_delete_removes_everything(store: Store) -> None:
    eid = store.create(Engagement(customer="Woodgrove Bank"), notes="n")
    store.set_edit(eid, "ftop.text", "x")
    keep = store.create(Engagement(customer="Keep me"))
    assert store.delete(eid) is True
    assert store.get(eid) is None and not store.exists(eid)
    assert store.delete(eid) is False
    assert [s.id for s in store.list()] == [keep]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from engagement_items").scalar() == 0
    with pytest.raises(StoreError, match="no longer exists"):
        store.save_notes(eid, "late write")


def test_unreadable_saved_bundle_is_reported_not_raised(store: Store) -> None:
    eid = store.create(Engagement(customer="Old"), notes="keep these notes")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("update engagements set bundle_json = '{\"schema_version\": 0}' where id = ?", (eid,))
    rec = store.get(eid)
    assert rec.bundle is None and rec.notes == "keep these notes"
    assert "draft again" in rec.problems[0]


def test_bad_url_is_a_message(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="FTDRAFT_DATABASE_URL"):
        Store(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")


N_PER_PROCESS = 40


def _writer(url: str, shared: str, tag: str, barrier: mp.synchronize.Barrier) -> None:  # type: ignore[name-defined]
    s = Store(url)
    barrier.wait()
    for i in range(N_PER_PROCESS):
        eid = s.create(Engagement(customer=f"{tag}-{i}"))
        s.save_notes(eid, f"notes {tag} {i}")
        s.set_edit(shared, f"{tag}.{i}", f"edit {tag} {i}")
        s.set_tick(shared, f"{tag} item {i}", True)
    s.dispose()


def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = Store(url)
    shared = first.create(Engagement(customer="Shared"))
    first.dispose()
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(url, shared, tag, barrier)) for tag in ("A", "B")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0, "a writer process failed (database locked?)"

    s = Store(url)
    customers = {x.customer for x in s.list(limit=1000)}
    assert customers == {"Shared"} | {f"{t}-{i}" for t in "AB" for i in range(N_PER_PROCESS)}
    rec = s.get(shared)
    assert len(rec.edits) == 2 * N_PER_PROCESS and len(rec.ticks) == 2 * N_PER_PROCESS
    assert rec.edits["B.7"] == "edit B 7"
    for summary in s.list("A-1"):
        assert s.get(summary.id).notes.startswith("notes A 1")
    s.dispose()
