"""What each Store method touches and what it leaves alone, on a real SQLite file (found by mutation testing,
issue 15: these are the changes to ftdraft/store.py no other test noticed)."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from factories import contoso_engagement, contoso_facts
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from ftdraft.drafts import render_drafts
from ftdraft.errors import StoreError
from ftdraft.schemas import DraftBundle, Engagement
from ftdraft.store import Store, classify, make_engine


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'ftdraft.db'}")
    yield s
    s.dispose()


def fill(store: Store, eid: str) -> None:
    store.set_tick(eid, "follow_up.body", True)  # the same key under every kind
    store.set_edit(eid, "follow_up.body", "edited body")
    store.set_edit(eid, "ftop.text", "edited ftop")
    store.set_agenda(eid, {"follow_up.body": "an answer", "d": "Hybrid AD"})


def items(store: Store, eid: str) -> tuple[dict[str, bool], dict[str, str], dict[str, str]]:
    rec = store.get(eid)
    assert rec is not None
    return rec.ticks, rec.edits, rec.agenda


FULL = (
    {"follow_up.body": True},
    {"follow_up.body": "edited body", "ftop.text": "edited ftop"},
    {"follow_up.body": "an answer", "d": "Hybrid AD"},
)


# ---------------------------------------------------------------- clear_edits and delete leave the rest alone


def test_clear_edits_clears_only_the_named_edits_of_that_engagement(store: Store) -> None:
    a, b = store.create(), store.create()
    fill(store, a)
    fill(store, b)
    store.clear_edits(a, ["follow_up.body"])
    assert items(store, a) == (FULL[0], {"ftop.text": "edited ftop"}, FULL[2]), "ticks and agenda keep the key"
    assert items(store, b) == FULL, "another engagement's edits stay"
    store.clear_edits(a, [])
    assert items(store, a)[1] == {"ftop.text": "edited ftop"}, "an empty list clears nothing"


def test_deleting_one_engagement_leaves_the_items_of_another(store: Store) -> None:
    a, b = store.create(Engagement(customer="A")), store.create(Engagement(customer="B"))
    fill(store, a)
    fill(store, b)
    assert store.delete(a)
    assert items(store, b) == FULL


# ---------------------------------------------------------------- save_engagement


def test_save_engagement_saves_the_setup_and_names_the_engagement(store: Store) -> None:
    eid = store.create()
    setup = Engagement(customer="Fabrikam Manufacturing", motion="Health", workloads=["Intune"])
    store.save_engagement(eid, setup)
    rec = store.get(eid)
    assert rec is not None and rec.engagement == setup
    assert [(s.id, s.customer) for s in store.list("fabrikam")] == [(eid, "Fabrikam Manufacturing")]
    with pytest.raises(StoreError, match="no longer exists"):
        store.save_engagement(uuid.uuid4().hex, setup)


# ---------------------------------------------------------------- blank(): reuse only what is truly blank


def test_blank_reuses_the_newest_untouched_engagement(store: Store) -> None:
    made = [store.create() for _ in range(8)]
    chosen = made[3]
    store.save_engagement(chosen, Engagement())  # touched last, still blank
    assert store.blank() == chosen


@pytest.mark.parametrize(
    "touch",
    [
        lambda s, e: s.save_engagement(e, Engagement(customer="Contoso")),
        lambda s, e: s.save_engagement(e, Engagement(motion="RFA")),  # no customer, but a setup
        lambda s, e: s.save_notes(e, "notes"),
        lambda s, e: s.set_tick(e, "Review the RFA request", True),
        lambda s, e: s.set_agenda(e, {"d": "Hybrid AD"}),
        lambda s, e: s.save_bundle(e, bundle_without_customer()),
    ],
    ids=["customer", "setup", "notes", "tick", "agenda", "drafts"],
)
def test_blank_never_reuses_an_engagement_with_something_in_it(store: Store, touch) -> None:  # type: ignore[no-untyped-def]
    used = store.create()
    touch(store, used)
    fresh = store.blank()
    assert fresh != used
    assert store.blank() == fresh, "and the new blank one is reused next time"


def bundle_without_customer() -> DraftBundle:
    e, f = contoso_engagement(customer=""), contoso_facts()
    return DraftBundle(
        generated_at=datetime(2026, 11, 18, tzinfo=UTC), engagement=e, facts=f, drafts=render_drafts(e, f)
    )


def test_an_empty_saved_setup_reads_as_a_blank_one(store: Store) -> None:
    eid = store.create(Engagement(customer="Contoso Pharma"))
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE engagements SET engagement_json = '' WHERE id = :id"), {"id": eid})
    rec = store.get(eid)
    assert rec is not None and rec.engagement == Engagement() and rec.problems == []


def test_blank_reuses_a_row_saved_with_an_empty_setup(store: Store) -> None:
    eid = uuid.uuid4().hex
    with store.engine.begin() as conn:  # as an older release wrote it: engagement_json '{}'
        conn.execute(
            text(
                "INSERT INTO engagements (id, owner, customer, engagement_json, notes, created_at, updated_at) "
                "VALUES (:id, '', '', '{}', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"id": eid},
        )
    assert store.blank() == eid


def test_blank_looks_past_twenty_used_looking_blanks_no_further(store: Store) -> None:
    old_blank = store.blank()
    for _ in range(20):  # twenty newer rows with no customer or notes, each with a tick
        store.set_tick(store.create(), "Review the RFA request", True)
    assert store.blank() != old_blank, "only the 20 newest candidates are looked at"


# ---------------------------------------------------------------- each action names itself when the file fails


ACTIONS = [
    ("read the engagement", lambda s, e: s.exists(e)),
    ("read the engagement", lambda s, e: s.get(e)),
    ("list the engagements", lambda s, e: s.list()),
    ("look for a blank engagement", lambda s, e: s.blank()),
    ("create the engagement", lambda s, e: s.create()),
    ("save the engagement setup", lambda s, e: s.save_engagement(e, Engagement(customer="y"))),
    ("save the notes", lambda s, e: s.save_notes(e, "n")),
    ("save the drafts", lambda s, e: s.save_bundle(e, None)),
    ("delete the engagement", lambda s, e: s.delete(e)),
    ("save your change", lambda s, e: s.set_tick(e, "t", True)),
    ("save your change", lambda s, e: s.set_edit(e, "follow_up.body", "x")),
    ("reset the draft", lambda s, e: s.clear_edits(e, ["follow_up.body"])),
    ("save the agenda answers", lambda s, e: s.set_agenda(e, {"d": "x"})),
]


@pytest.mark.parametrize(("what", "act"), ACTIONS, ids=[f"{w}-{i}" for i, (w, _) in enumerate(ACTIONS)])
def test_each_action_names_itself_when_the_file_is_damaged(tmp_path: Path, what: str, act) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ftdraft.db"
    store = Store(f"sqlite:///{path}")
    eid = store.create(Engagement(customer="x"))
    store.dispose()
    path.write_bytes(b"\x00garbage" * 4096)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with pytest.raises(StoreError) as err:
        act(store, eid)
    assert str(err.value).startswith(f"Could not {what}: the database file {path} is damaged")


# ---------------------------------------------------------------- classify reads the driver, not the SQL


def test_classify_reads_the_driver_message_not_the_statement() -> None:
    exc = OperationalError("UPDATE t SET note = 'database is locked'", {}, Exception("disk I/O error"))
    assert classify(exc) == "other", "text in the SQL (the FM's own words) never decides the message"


def test_a_missing_pg_driver_says_how_to_install() -> None:
    with pytest.raises(StoreError) as err:
        make_engine("postgresql+pg8000://fm:s3cret-pw@db/ftdraft")
    assert str(err.value) == (
        "FTDRAFT_DATABASE_URL asks for the PostgreSQL driver pg8000, which is not installed: write the URL as "
        "postgresql://... (psycopg 3, from pip install 'ftdraft[postgres]')."
    )


# ---------------------------------------------------------------- get, list, save_bundle, set_item details


def test_get_gives_the_id_times_and_empty_notes_of_a_fresh_engagement(store: Store) -> None:
    eid = store.create()
    rec = store.get(eid)
    assert rec is not None and rec.id == eid and rec.notes == "" and rec.problems == []
    assert rec.created_at is not None and rec.updated_at is not None and rec.updated_at >= rec.created_at
    assert [s.updated_at for s in store.list()] == [], "blank engagements are not listed"
    store.save_notes(eid, "n")
    (summary,) = store.list()
    assert summary.updated_at is not None and summary.has_notes and not summary.has_drafts


def test_unreadable_saved_setup_and_drafts_are_named_and_the_notes_kept(store: Store) -> None:
    eid = store.create(Engagement(customer="Contoso Pharma"), notes="my notes")
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE engagements SET engagement_json = :e, bundle_json = :b WHERE id = :id"),
            {"e": '{"motion": "Not a motion"}', "b": '{"schema_version": "x"}', "id": eid},
        )
    rec = store.get(eid)
    assert rec is not None
    assert rec.engagement == Engagement(customer="Contoso Pharma"), "the customer column is kept"
    assert rec.bundle is None and rec.notes == "my notes"
    assert rec.problems == [
        "The saved engagement setup could not be read by this version; check the setup.",
        "The saved drafts were written by another version of ftdraft and could not be read. "
        "Your notes are kept: draft again.",
    ]


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("FABRI", ["Fabrikam"]),
        ("50%", ["50% Off Ltd"]),
        ("a_b", ["a_b Corp"]),
        ("back\\slash", ["back\\slash Inc"]),
    ],
    ids=["any-case", "percent", "underscore", "backslash"],
)
def test_search_is_literal_and_ignores_case(store: Store, term: str, found: list[str]) -> None:
    for name in ("Fabrikam", "50% Off Ltd", "500 Offices", "a_b Corp", "axb Corp", "back\\slash Inc", "backslash"):
        store.create(Engagement(customer=name))
    assert [s.customer for s in store.list(term)] == found


def test_save_bundle_keeps_the_customer_the_fm_typed_and_none_clears(store: Store) -> None:
    e, f = contoso_engagement(), contoso_facts()
    bundle = DraftBundle(
        generated_at=datetime(2026, 11, 18, tzinfo=UTC), engagement=e, facts=f, drafts=render_drafts(e, f)
    )
    typed = store.create(Engagement(customer="Contoso (FM's name for it)"))
    store.save_bundle(typed, bundle)
    assert [s.customer for s in store.list()] == ["Contoso (FM's name for it)"]
    unnamed = store.create()
    store.save_bundle(unnamed, bundle)
    assert {s.id: s.customer for s in store.list()}[unnamed] == "Contoso Pharma", "named after the notes"
    store.save_bundle(typed, None)
    rec = store.get(typed)
    assert rec is not None and rec.bundle is None


def test_set_item_refuses_an_unknown_kind_and_removing_nothing_is_fine(store: Store) -> None:
    eid = store.create()
    with pytest.raises(ValueError, match=r"^unknown item kind 'note'$"):
        store.set_item(eid, "note", "k", "v")
    store.set_edit(eid, "follow_up.body", None)  # never edited: nothing to remove, no error
    assert items(store, eid) == ({}, {}, {})


def test_touching_a_missing_engagement_says_what_to_do(store: Store) -> None:
    with pytest.raises(StoreError) as err:
        store.save_notes(uuid.uuid4().hex, "n")
    assert str(err.value) == "This engagement no longer exists (deleted in another tab?). Start a new one."


def test_a_store_is_usable_from_another_thread(store: Store) -> None:
    eid = store.create(Engagement(customer="Contoso Pharma"))
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(store.get(eid)))  # Streamlit runs each session in a thread
    worker.start()
    worker.join()
    assert len(seen) == 1 and getattr(seen[0], "id", None) == eid


def test_pg_connections_give_up_after_ten_seconds_unless_the_url_says() -> None:
    def cparams(url: str) -> dict[str, object]:
        engine = make_engine(url)
        captured: dict[str, object] = {}

        @event.listens_for(engine, "do_connect")
        def _capture(dialect, conn_rec, cargs, kwargs):  # type: ignore[no-untyped-def]
            captured.update(kwargs)
            raise ConnectionAbortedError("captured; not connecting")

        with pytest.raises(Exception, match="captured"):
            engine.connect()
        engine.dispose()
        return captured

    assert cparams("postgresql://fm:pw@127.0.0.1:1/ftdraft")["connect_timeout"] == 10
    assert cparams("postgresql://fm:pw@127.0.0.1:1/ftdraft?connect_timeout=3")["connect_timeout"] == "3"


def test_a_database_from_a_newer_release_names_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "ftdraft.db"
    Store(f"sqlite:///{path}").dispose()
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(StoreError) as err:
        Store(f"sqlite:///{path}")
    assert str(err.value) == (
        f"The database file {path} was upgraded by a newer ftdraft: install that version "
        "(or restore a backup taken before the upgrade)."
    )


def test_an_up_to_date_database_opens_without_loading_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ftdraft.db'}"
    Store(url).dispose()  # creates it at the newest revision
    code = f"import sys; from ftdraft.store import Store; Store({url!r}).dispose(); print('alembic' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_list_gives_the_newest_first_up_to_the_limit(store: Store) -> None:
    made = [store.create(Engagement(customer=f"Customer {i}")) for i in range(4)]
    assert [s.id for s in store.list(limit=2)] == [made[3], made[2]]
    assert [s.id for s in store.list()] == made[::-1]
