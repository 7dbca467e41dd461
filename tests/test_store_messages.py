"""The store's one-line messages, each asserted whole (issue 15): what failed, where, and what to do, never the
password, never driver text. Driver errors are built as SQLAlchemy wraps them (an OperationalError around the
driver's own text), and the real ones are produced where that is cheap (a damaged file, a refused port)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from ftdraft.errors import StoreError
from ftdraft.store import Store, classify, database_url, make_engine, safe_url, store_message

PG = "postgresql://fm:s3cret-pw@db.example.internal:5433/ftdraft"
SQLITE = "sqlite:////srv/ftdraft/ftdraft.db"


def driver_error(text: str) -> OperationalError:
    return OperationalError("SELECT 1", {}, Exception(text))


@pytest.mark.parametrize(
    ("driver_text", "reason"),
    [
        ("file is not a database", "damaged"),
        ("database disk image is malformed", "damaged"),
        ("database is locked", "busy"),
        ("database table is locked", "busy"),
        ("deadlock detected", "busy"),
        ("could not serialize access due to concurrent update", "busy"),
        ("unable to open database file", "file"),
        ("attempt to write a readonly database", "file"),
        ('FATAL:  password authentication failed for user "fm"', "login"),
        ("fe_sendauth: no password supplied", "login"),
        ('FATAL:  role "fm" does not exist', "login"),
        ('FATAL:  database "ftdraft" does not exist', "no_database"),
        ("connection refused", "unreachable"),
        ('could not translate host name "db" to address: Name or service not known', "unreachable"),
        ("timeout expired", "unreachable"),
        ("server closed the connection unexpectedly", "unreachable"),
        ('connection to server at "10.0.0.5", port 5432 failed: No route to host', "unreachable"),
        ("the database system is starting up", "unreachable"),
        ("the database system is shutting down", "unreachable"),
        ("UNIQUE constraint failed: engagement_items.key", "other"),
    ],
)
def test_classify_reads_the_driver_text(driver_text: str, reason: str) -> None:
    assert classify(driver_error(driver_text)) == reason
    assert classify(Exception(driver_text.upper())) == reason, "case does not matter; no wrapper needed"


WHERE_PG = "the database server db.example.internal:5433 (database ftdraft)"
WHERE_FILE = "the database file /srv/ftdraft/ftdraft.db"


@pytest.mark.parametrize(
    ("driver_text", "url", "message"),
    [
        (
            "file is not a database",
            SQLITE,
            f"Could not save the notes: {WHERE_FILE} is damaged or is not a SQLite database. Move it aside "
            "(ftdraft then starts an empty one) or restore it from a backup, then reload the page.",
        ),
        (
            "database is locked",
            SQLITE,
            f"Could not save the notes: {WHERE_FILE} is busy with another writer. Your text is kept; try again "
            "in a moment.",
        ),
        (
            "unable to open database file",
            SQLITE,
            f"Could not save the notes: cannot open or write {WHERE_FILE}. Check that its folder exists and is "
            "writable, or set FTDRAFT_DATABASE_URL to another file.",
        ),
        (
            "password authentication failed",
            PG,
            f"Could not save the notes: {WHERE_PG} refused the user name or password in FTDRAFT_DATABASE_URL. "
            "Fix them there (or in the server's access rules).",
        ),
        (
            'database "ftdraft" does not exist',
            PG,
            f"Could not save the notes: {WHERE_PG} does not exist. Create it (createdb) or fix FTDRAFT_DATABASE_URL.",
        ),
        (
            "connection refused",
            PG,
            f"Could not save the notes: {WHERE_PG} did not answer. Start the server or fix the host and port in "
            "FTDRAFT_DATABASE_URL; your text is kept, try again once it is up.",
        ),
        (
            "something nobody expected",
            PG,
            f"Could not save the notes in {WHERE_PG} (OperationalError). Your text is kept; try again, and if it "
            "keeps failing check FTDRAFT_DATABASE_URL and the server's log.",
        ),
    ],
    ids=["damaged", "busy", "file", "login", "no_database", "unreachable", "other"],
)
def test_each_reason_has_its_own_whole_message(driver_text: str, url: str, message: str) -> None:
    said = store_message(driver_error(driver_text), url, "save the notes")
    assert said == message
    assert "s3cret-pw" not in said and driver_text not in said


@pytest.mark.parametrize(
    ("url", "where"),
    [
        (
            "postgresql://fm:pw@db.example.internal/ftdraft",
            "the database server db.example.internal (database ftdraft)",
        ),
        ("postgresql://fm:pw@:5433/ftdraft", "the database server localhost:5433 (database ftdraft)"),
        ("postgresql://fm:pw@db.example.internal:5433", "the database server db.example.internal:5433 (database ?)"),
        ("sqlite://", "the database file (in memory)"),
    ],
    ids=["server-default-port", "server-no-host", "server-no-database", "sqlite-in-memory"],
)
def test_where_names_the_server_or_the_file(url: str, where: str) -> None:
    said = store_message(IntegrityError("INSERT", {}, Exception("x")), url, "save the drafts")
    assert said.startswith(f"Could not save the drafts in {where} (IntegrityError).")


def test_safe_url_hides_the_password() -> None:
    assert safe_url(PG) == "postgresql://fm:***@db.example.internal:5433/ftdraft"
    assert safe_url(make_url(PG)) == "postgresql://fm:***@db.example.internal:5433/ftdraft"
    assert safe_url(SQLITE) == SQLITE
    assert safe_url("::not a url::") == "the database"


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgres://fm:pw@db/ftdraft", "postgresql+psycopg"),
        ("postgresql://fm:pw@db/ftdraft", "postgresql+psycopg"),
        ("postgresql+psycopg://fm:pw@db/ftdraft", "postgresql+psycopg"),
        ("postgresql+psycopg2://fm:pw@db/ftdraft", "postgresql+psycopg2"),
        ("sqlite:///x.db", "sqlite"),
    ],
    ids=["postgres-scheme", "pg-no-driver", "psycopg-named", "psycopg2-named", "sqlite"],
)
def test_database_url_picks_psycopg_3_when_no_driver_is_named(url: str, driver: str) -> None:
    parsed = database_url(url)
    assert parsed.drivername == driver
    assert parsed.password == make_url(url).password and parsed.database == make_url(url).database


def test_a_url_that_is_not_one_says_what_to_write() -> None:
    with pytest.raises(StoreError) as err:
        database_url("ftdraft.db")
    assert str(err.value) == (
        "FTDRAFT_DATABASE_URL is not a database URL: use sqlite:///path/to/ftdraft.db or "
        "postgresql://user:password@host:5432/ftdraft (see .env.example)."
    )


def test_an_unknown_driver_is_named_without_the_password() -> None:
    with pytest.raises(StoreError) as err:
        make_engine("nosuchdb://fm:s3cret-pw@db/ftdraft")
    assert str(err.value) == (
        "ftdraft cannot use the database nosuchdb://fm:***@db/ftdraft (NoSuchModuleError): use a sqlite:/// or "
        "postgresql:// URL in FTDRAFT_DATABASE_URL."
    )


def test_sqlite_engine_is_set_up_for_several_writers(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with engine.connect() as conn:
            pragmas = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("busy_timeout", "journal_mode", "synchronous", "foreign_keys")
            }
    finally:
        engine.dispose()
    assert pragmas == {"busy_timeout": 30_000, "journal_mode": "wal", "synchronous": 1, "foreign_keys": 1}


def test_postgres_engine_pings_before_use() -> None:
    engine = make_engine("postgresql://fm:pw@127.0.0.1:1/ftdraft")
    try:
        assert engine.pool._pre_ping is True  # a restarted server costs no error
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_a_real_refused_port_says_the_server_did_not_answer() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    url = f"postgresql://fm:s3cret-pw@127.0.0.1:{port}/ftdraft"
    with pytest.raises(StoreError) as err:
        Store(url)
    assert str(err.value) == (
        f"Could not open the database: the database server 127.0.0.1:{port} (database ftdraft) did not answer. "
        "Start the server or fix the host and port in FTDRAFT_DATABASE_URL; your text is kept, try again once "
        "it is up."
    )


def test_a_real_damaged_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "ftdraft.db"
    path.write_bytes(b"this is not a database, it is a text file " * 200)
    with pytest.raises(StoreError) as err:
        Store(f"sqlite:///{path}")
    assert str(err.value) == (
        f"Could not open the database: the database file {path} is damaged or is not a SQLite database. Move it "
        "aside (ftdraft then starts an empty one) or restore it from a backup, then reload the page."
    )
