"""The store on a real SQLite file and a real PostgreSQL server (tests/pg_support.py), the same tests on both:
CRUD, search, delete, per-owner scoping, migrations from release 0.1.0, messages, two processes saving at once."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pg_support import postgres_admin_url_fixture, postgres_url_fixture  # noqa: F401  (fixtures)
from sqlalchemy import text

from ftdraft.errors import StoreError
from ftdraft.pipeline import offline_bundle
from ftdraft.schemas import Engagement, Person
from ftdraft.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ftdraft.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
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


def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'ftdraft.db'}")
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


def test_list_carries_the_call_date_for_the_sidebar(store: Store) -> None:
    dated = store.create(Engagement(customer="Contoso Pharma", call_date=date(2026, 11, 18)))
    undated = store.create(Engagement(customer="Fabrikam Manufacturing"))
    got = {s.id: s.call_date for s in store.list()}
    assert got == {dated: date(2026, 11, 18), undated: None}


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
        conn.execute(
            text("update engagements set bundle_json = :b where id = :id"), {"b": '{"schema_version": 0}', "id": eid}
        )
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


def test_two_processes_saving_at_once_lose_nothing(db_url: str) -> None:
    url = db_url
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


# ------------------------------------------------------------------ one FM's engagements per FM


def test_each_owner_reads_writes_and_finds_only_their_own(store: Store) -> None:
    ana, ben = store.for_owner("oidc:ana"), store.for_owner("oidc:ben")
    a = ana.create(Engagement(customer="Contoso Pharma"), notes="ana's notes")
    ana.set_tick(a, "review the rfa", True)
    b = ben.create(Engagement(customer="Contoso Retail"), notes="ben's notes")

    assert [x.id for x in ana.list()] == [a] and [x.id for x in ben.list()] == [b]
    assert [x.id for x in ana.list("contoso")] == [a]  # search never crosses owners
    assert store.list() == []  # the local (no sign-in) owner sees neither
    assert ben.get(a) is None and not ben.exists(a)  # another FM's id is "not found"
    for write in (
        lambda: ben.save_notes(a, "overwritten"),
        lambda: ben.save_engagement(a, Engagement(customer="Mine now")),
        lambda: ben.save_bundle(a, None),
        lambda: ben.set_edit(a, "ftop.text", "x"),
        lambda: ben.set_tick(a, "review the rfa", False),
        lambda: ben.set_agenda(a, {"d": "x"}),
        lambda: ben.clear_edits(a, ["ftop.text"]),
    ):
        with pytest.raises(StoreError, match="no longer exists"):
            write()
    assert ben.delete(a) is False
    rec = ana.get(a)
    assert rec is not None and rec.notes == "ana's notes" and rec.engagement.customer == "Contoso Pharma"
    assert rec.ticks == {"review the rfa": True} and rec.edits == {} and rec.agenda == {}
    # Blank engagements are per owner too: ben's fresh blank is not ana's.
    assert ana.blank() != ben.blank()


# ------------------------------------------------------------------ migrations


def test_schema_revision_is_alembics_head_and_the_models_match_the_migrated_database(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from ftdraft import migrations
    from ftdraft.store import SCHEMA_REVISION, Base

    config = Config()
    config.set_main_option("script_location", str(migrations.SCRIPT_LOCATION))
    assert ScriptDirectory.from_config(config).get_heads() == [SCHEMA_REVISION]
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        assert ctx.get_current_heads() == (SCHEMA_REVISION,)
        assert compare_metadata(ctx, Base.metadata) == []  # a table change without a migration fails here


def _release_0_1_0(url: str) -> Store:
    """A database as release 0.1.0 left it: its tables (the baseline migration) and no alembic_version."""
    from alembic import command
    from alembic.config import Config

    from ftdraft import migrations
    from ftdraft.store import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(migrations.SCRIPT_LOCATION))
        config.attributes["connection"] = conn
        command.upgrade(config, "0001_baseline")
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(
            text(
                "INSERT INTO engagements (id, customer, engagement_json, notes, bundle_json, created_at, updated_at)"
                " VALUES ('e1', 'Woodgrove Bank', '{\"customer\": \"Woodgrove Bank\"}', 'old notes', NULL,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO engagement_items (engagement_id, kind, key, value, updated_at)"
                " VALUES ('e1', 'edit', 'ftop.text', 'my FTOP', CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()
    return Store(url)


def test_a_database_of_release_0_1_0_upgrades_in_place_on_either_backend(db_url: str) -> None:
    store = _release_0_1_0(db_url)
    rec = store.get("e1")
    assert rec is not None and rec.engagement.customer == "Woodgrove Bank" and rec.notes == "old notes"
    assert rec.edits == {"ftop.text": "my FTOP"}
    assert [x.id for x in store.list()] == ["e1"]
    assert store.for_owner("oidc:ana").list() == []  # old rows belong to the local owner
    store.dispose()
    again = Store(db_url)  # reopening an up-to-date database changes nothing
    assert again.get("e1") is not None and again.get("e1").edits == {"ftop.text": "my FTOP"}
    again.dispose()


def test_the_file_release_0_1_0_wrote_opens_with_everything_in_it(tmp_path: Path) -> None:
    """tests/fixtures/db/release-0.1.0.sqlite was written by 0.1.0's own store (see make_release_0_1_0.py)."""
    path = tmp_path / "old.sqlite"
    path.write_bytes((ROOT / "tests" / "fixtures" / "db" / "release-0.1.0.sqlite").read_bytes())
    store = Store(f"sqlite:///{path}")
    listed = {x.customer: x for x in store.list()}
    assert set(listed) == {"Woodgrove Bank", "Contoso Pharma"}
    assert listed["Woodgrove Bank"].has_drafts and listed["Woodgrove Bank"].has_notes
    rec = store.get(listed["Woodgrove Bank"].id)
    assert rec is not None and rec.problems == []
    assert rec.engagement.motion == "Health" and rec.engagement.account_team[0].name == "Lena Fischer"
    assert rec.notes.startswith("woodgrove bank call")
    assert rec.bundle is not None and rec.bundle.engagement.customer == "Woodgrove Bank"
    assert rec.ticks == {"review the health report": True, "send the internal invite": False}
    assert rec.edits == {
        "follow_up.body": "Hi Lena,\nmy edited follow-up body.\n",
        "ftop.text": "My FTOP entry, edited.",
    }
    assert rec.agenda == {"d": "Hybrid AD, 4,000 seats"}
    assert store.get(listed["Contoso Pharma"].id).ticks == {"review the rfa request": True}
    # The old rows' blank engagement is still reused, and new writes work on the upgraded file.
    store.save_notes(listed["Contoso Pharma"].id, "more notes")
    assert store.get(listed["Contoso Pharma"].id).notes == "more notes"
    with sqlite3.connect(path) as raw:
        assert raw.execute("select version_num from alembic_version").fetchall() == [("0002_owner",)]
        assert raw.execute("select count(*) from engagements where owner = ''").fetchone() == (3,)


def test_a_database_from_a_newer_release_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ftdraft.db'}"
    Store(url).dispose()
    with sqlite3.connect(tmp_path / "ftdraft.db") as raw:
        raw.execute("update alembic_version set version_num = '0099_future'")
    with pytest.raises(StoreError, match="newer ftdraft"):
        Store(url)


# ------------------------------------------------------------------ messages: one line that says what to do


def test_a_damaged_sqlite_file_says_what_to_do_not_try_again(tmp_path: Path) -> None:
    path = tmp_path / "ftdraft.db"
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(StoreError) as err:
        Store(f"sqlite:///{path}")
    message = str(err.value)
    assert "damaged" in message and "Move it aside" in message and str(path) in message
    assert "try again in a moment" not in message and "\n" not in message


def test_a_file_damaged_while_open_says_so_on_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "ftdraft.db"
    store = Store(f"sqlite:///{path}")
    eid = store.create(Engagement(customer="x"))
    store.dispose()
    path.write_bytes(b"\x00garbage" * 4096)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with pytest.raises(StoreError, match="damaged") as err:
        store.save_notes(eid, "n")
    assert "Could not save the notes" in str(err.value)


def test_a_url_that_is_not_a_url_is_a_message() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store("not a url at all")


def _opener(url: str, barrier: mp.synchronize.Barrier) -> None:  # type: ignore[name-defined]
    barrier.wait()
    s = Store(url)  # creates the tables (migrations) unless the other process already did
    s.create(Engagement(customer=f"opened by {mp.current_process().name}"))
    s.dispose()


def test_two_replicas_opening_an_empty_database_at_once_both_start(db_url: str) -> None:
    """Replicas that start together migrate one after the other (PostgreSQL: an advisory lock; SQLite: the
    write transaction), instead of both creating the tables and one failing."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_opener, args=(db_url, barrier), name=f"replica-{i}") for i in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0, "a replica failed to open the database"
    s = Store(db_url)
    assert {x.customer for x in s.list()} == {"opened by replica-1", "opened by replica-2"}
    s.dispose()
