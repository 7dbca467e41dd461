"""PostgreSQL for real: what the FM reads when the server is down, the password is wrong, the database is
missing or the driver is not installed - one line that says what to do, never a traceback or the password -
in the store and on the page (AppTest). The store suite itself runs on PostgreSQL in tests/test_store.py."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from app_support import APP
from pg_support import (  # noqa: F401  (the *_fixture names are fixtures)
    ADMIN_PASSWORD,
    free_port,
    pg_bin,
    pg_ctl_start,
    postgres_admin_url_fixture,
    postgres_url_fixture,
    start_server,
    stop_server,
    unavailable,
)
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from ftdraft.errors import StoreError
from ftdraft.schemas import Engagement
from ftdraft.store import Store

SECRET = "s3cret-Pa55word-never-shown"


def _one_clean_line(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message and SECRET not in message


def test_postgresql_url_without_a_driver_name_uses_psycopg_3(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql://")
    store = Store(postgres_url)
    assert store.engine.dialect.driver == "psycopg"
    eid = store.create(Engagement(customer="Fabrikam"))
    assert store.get(eid).engagement.customer == "Fabrikam"
    store.dispose()


def test_unreachable_server_says_start_it_without_the_password() -> None:
    url = f"postgresql://fm:{SECRET}@127.0.0.1:{free_port()}/ftdraft"
    with pytest.raises(StoreError) as err:
        Store(url)
    message = str(err.value)
    _one_clean_line(message)
    assert "127.0.0.1" in message and "did not answer" in message and "Start the server" in message


def test_wrong_password_and_missing_database_say_which(postgres_admin_url: str) -> None:
    admin = make_url(postgres_admin_url)
    with pytest.raises(StoreError) as err:
        Store(admin.set(drivername="postgresql", password=SECRET).render_as_string(hide_password=False))
    _one_clean_line(str(err.value))
    assert "refused the user name or password" in str(err.value)

    missing = admin.set(drivername="postgresql", database="no_such_db").render_as_string(hide_password=False)
    with pytest.raises(StoreError) as err:
        Store(missing)
    assert "no_such_db" in str(err.value) and "does not exist" in str(err.value)
    assert ADMIN_PASSWORD not in str(err.value)


def test_missing_driver_says_install_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as in an install without ftdraft[postgres]
    with pytest.raises(StoreError) as err:
        Store(f"postgresql://fm:{SECRET}@db.example.internal:5432/ftdraft")
    _one_clean_line(str(err.value))
    assert "pip install 'ftdraft[postgres]'" in str(err.value)


def test_a_url_naming_another_driver_says_to_use_postgresql_plain() -> None:
    with pytest.raises(StoreError) as err:
        Store(f"postgresql+pg8000://fm:{SECRET}@db.example.internal:5432/ftdraft")
    _one_clean_line(str(err.value))
    assert "pg8000" in str(err.value) and "postgresql://" in str(err.value)


def _page(monkeypatch: pytest.MonkeyPatch, url: str) -> AppTest:
    monkeypatch.setenv("FTDRAFT_DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception  # no traceback on the page
    return at


def test_the_page_shows_one_line_for_a_missing_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    at = _page(monkeypatch, f"postgresql://fm:{SECRET}@db.example.internal:5432/ftdraft")
    assert len(at.error) == 1
    shown = at.error[0].value
    assert "ftdraft\\[postgres\\]" in shown or "ftdraft[postgres]" in shown
    assert SECRET not in shown and "Traceback" not in shown


def test_the_page_shows_one_line_for_an_unreachable_server(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(monkeypatch, f"postgresql://fm:{SECRET}@127.0.0.1:{free_port()}/ftdraft")
    assert len(at.error) == 1 and "did not answer" in at.error[0].value and SECRET not in at.error[0].value


def test_the_page_shows_what_to_do_with_a_damaged_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "ftdraft.db"
    path.write_bytes(b"not sqlite" * 500)
    at = _page(monkeypatch, f"sqlite:///{path}")
    assert len(at.error) == 1
    shown = at.error[0].value
    assert "damaged" in shown and "try again in a moment" not in shown


def test_a_server_that_goes_down_says_so_and_the_store_recovers_when_it_is_back() -> None:
    """A server of its own (stopping the shared one would fail other tests): stopped under an open Store, the
    next save says the server did not answer; started again, the same Store saves with no restart of the app."""
    if pg_bin() is None:
        unavailable("PostgreSQL is not installed: apt-get install -y postgresql")
    root = Path(tempfile.mkdtemp(prefix="ftdraft-pg-down-"))
    url, data = start_server(root)
    try:
        store = Store(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))
        eid = store.create(Engagement(customer="Tailspin Toys"), notes="first")
        stop_server(data, mode="fast")
        with pytest.raises(StoreError) as err:
            store.save_notes(eid, "typed while the server was down")
        assert "did not answer" in str(err.value) and "Could not save the notes" in str(err.value)
        _one_clean_line(str(err.value))
        pg_ctl_start(data, int(make_url(url).port or 0))
        store.save_notes(eid, "typed after it came back")
        assert store.get(eid).notes == "typed after it came back"
        store.dispose()
    finally:
        stop_server(data)
        shutil.rmtree(root, ignore_errors=True)
