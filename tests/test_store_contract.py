"""What each Store method touches and what it leaves alone, on a real SQLite file (found by mutation testing,
issue 15: these are the changes to ftdraft/store.py no other test noticed)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ftdraft.errors import StoreError
from ftdraft.schemas import Engagement
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
    ],
    ids=["customer", "setup", "notes", "tick", "agenda"],
)
def test_blank_never_reuses_an_engagement_with_something_in_it(store: Store, touch) -> None:  # type: ignore[no-untyped-def]
    used = store.create()
    touch(store, used)
    fresh = store.blank()
    assert fresh != used
    assert store.blank() == fresh, "and the new blank one is reused next time"


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
        "The PostgreSQL driver is not installed: run pip install 'ftdraft[postgres]' (psycopg 3), then start "
        "ftdraft again."
    )
