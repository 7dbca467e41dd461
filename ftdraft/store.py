"""Saves engagements, notes, facts, prep ticks and the FM's draft edits to a database (SQLAlchemy 2).

The app writes here on every change and before any drafting call, so a crash, a refresh or a model
failure never costs the FM their notes. Small per-key rows (ticks, edits, typed agenda answers) are
upserted one by one, so two tabs or processes editing different things never overwrite each other.

Every engagement has an owner (the signed-in FM's key from ftdraft.auth; "" in single-user local mode) and
a Store reads and writes only its owner's engagements: another owner's id is "not found", search never
crosses owners. SQLite (the default file) or PostgreSQL (`pip install 'ftdraft[postgres]'`, psycopg 3).
Alembic owns the schema (ftdraft/migrations/): opening a database upgrades it in place.
"""

from __future__ import annotations

import builtins
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, cast

from pydantic import ValidationError
from sqlalchemy import (
    CursorResult,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from .errors import StoreError
from .schemas import DraftBundle, Engagement

# Kinds of per-key rows kept for an engagement.
TICK = "tick"  # key: prep checklist item text; value: "1" / "0"
EDIT = "edit"  # key: a draft part ("follow_up.email.body"); value: the FM's text
AGENDA = "agenda"  # key: agenda item letter; value: the answer the FM typed
KINDS = (TICK, EDIT, AGENDA)

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 10  # an unreachable server says so in seconds, not after the OS gives up
LOCAL_OWNER = ""  # single-user local mode (no sign-in): the owner of every engagement
# The newest migration in ftdraft/migrations/versions; a database already there opens without loading Alembic.
# tests/test_store.py holds this to Alembic's head.
SCHEMA_REVISION = "0002_owner"
BASELINE_REVISION = "0001_baseline"  # the tables of release 0.1.0, which had no alembic_version table
MIGRATION_LOCK_ID = 0x66746472  # "ftdr": a PostgreSQL advisory lock so two replicas never migrate at once


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class EngagementRow(Base):
    __tablename__ = "engagements"
    __table_args__ = (Index("ix_engagements_owner_updated_at", "owner", "updated_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The signed-in FM's key (ftdraft.auth.SignedInUser.key); LOCAL_OWNER in single-user mode.
    owner: Mapped[str] = mapped_column(String(500), default=LOCAL_OWNER, server_default=LOCAL_OWNER)
    customer: Mapped[str] = mapped_column(String(300), default="", index=True)
    engagement_json: Mapped[str] = mapped_column(Text, default="{}")
    notes: Mapped[str] = mapped_column(Text, default="")
    bundle_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)


class ItemRow(Base):
    """One tick, one edited draft part, or one typed agenda answer."""

    __tablename__ = "engagement_items"

    engagement_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


def _call_date(engagement_json: str | None) -> date | None:
    """The call date saved in an engagement's JSON, or None (missing, unset, or not a date)."""
    try:
        value = json.loads(engagement_json or "{}").get("call_date")
        return date.fromisoformat(value) if isinstance(value, str) else None
    except (ValueError, AttributeError):
        return None


@dataclass
class Summary:
    """A sidebar line: enough to find and reopen an engagement."""

    id: str
    customer: str
    updated_at: datetime
    has_notes: bool
    has_drafts: bool
    call_date: date | None = None  # the engagement's call date, when known


@dataclass
class Record:
    """Everything saved for one engagement."""

    id: str
    engagement: Engagement
    notes: str
    bundle: DraftBundle | None
    ticks: dict[str, bool] = field(default_factory=dict)
    edits: dict[str, str] = field(default_factory=dict)
    agenda: dict[str, str] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # Saved data this version of ftdraft could not read (kept in the database, not shown as drafts).
    problems: list[str] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        return not (self.engagement.customer or self.notes.strip() or self.bundle)


def _set_wal(cur: Any) -> None:
    """PRAGMA journal_mode=WAL, retried while another process holds the file: switching a new database to WAL
    can answer "database is locked" at once, without waiting for busy_timeout (two replicas creating the same
    file together), so it is retried for up to the busy timeout."""
    import sqlite3
    import time

    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure_sqlite(engine: Engine) -> None:
    """WAL so readers never block the writer; busy_timeout so writers queue instead of failing;
    BEGIN IMMEDIATE so a read-then-write transaction never dies on a lock upgrade."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        _set_wal(cur)
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def database_url(url: str) -> URL:
    """The URL SQLAlchemy should use: `postgres://` and `postgresql://` (no driver named) mean psycopg 3,
    the driver the `postgres` extra installs (SQLAlchemy alone would pick psycopg2). Raises StoreError when
    the URL cannot be read (the message never carries the password)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            "FTDRAFT_DATABASE_URL is not a database URL: use sqlite:///path/to/ftdraft.db or "
            "postgresql://user:password@host:5432/ftdraft (see .env.example)."
        ) from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str) -> Engine:
    """An engine for `url`: SQLite in WAL mode with a busy timeout, or PostgreSQL (psycopg 3) with a connect
    timeout and a pre-ping so a restarted server costs no error. Raises StoreError (driver missing, bad URL)."""
    parsed = database_url(url)
    try:
        if parsed.drivername.startswith("sqlite"):
            engine = create_engine(
                parsed, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
            )
            _configure_sqlite(engine)
            return engine
        connect_args: dict[str, Any] = {}
        if parsed.drivername.startswith("postgresql") and "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except (ImportError, NoSuchModuleError) as exc:
        raise StoreError(_driver_message(parsed, exc)) from None


def _driver_message(url: URL, exc: BaseException) -> str:
    if url.get_backend_name() == "postgresql":
        if url.get_driver_name() != "psycopg":
            return (
                f"FTDRAFT_DATABASE_URL asks for the PostgreSQL driver {url.get_driver_name()}, which is not installed: "
                "write the URL as postgresql://... (psycopg 3, from pip install 'ftdraft[postgres]')."
            )
        return (
            "The PostgreSQL driver is not installed: run pip install 'ftdraft[postgres]' (psycopg 3), "
            "then start ftdraft again."
        )
    return (
        f"ftdraft cannot use the database {safe_url(url)} ({type(exc).__name__}): use a sqlite:/// or "
        "postgresql:// URL in FTDRAFT_DATABASE_URL."
    )


def safe_url(url: str | URL) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
        return parsed.render_as_string(hide_password=True)
    except Exception:
        return "the database"


def _where(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return f"the database file {url.database or '(in memory)'}"
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    return f"the database server {host}{port} (database {url.database or '?'})"


# Driver text is matched, never shown: it can carry user names, paths and SQL.
_REASONS: tuple[tuple[str, str], ...] = (
    (r"file is not a database|malformed|disk image", "damaged"),
    (r"database is locked|database table is locked|deadlock|could not serialize", "busy"),
    (r"unable to open database file|readonly database|read-only", "file"),
    (r"password authentication failed|authentication failed|no password supplied|role .* does not exist", "login"),
    (r"database .* does not exist", "no_database"),
    (
        r"connection refused|could not connect|timeout expired|timed out|could not translate host|"
        r"name or service not known|server closed the connection|connection .* failed|no route to host|"
        r"terminating connection|the database system is (starting up|shutting down)|cannot connect now",
        "unreachable",
    ),
)


def classify(exc: BaseException) -> str:
    """What went wrong with the database, in one word: damaged, busy, file, login, no_database, unreachable,
    or other. Reads the driver's message (the SQLAlchemy wrapper's `orig` when there is one)."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    for pattern, reason in _REASONS:
        if re.search(pattern, text):
            return reason
    return "other"


def store_message(exc: BaseException, url: str | URL, what: str) -> str:
    """One line for the FM: what failed and what to do. Never the password, never driver text.

    `what` is the action in words ("open the database", "save the notes")."""
    parsed = url if isinstance(url, URL) else database_url(url)
    where = _where(parsed)
    reason = classify(exc)
    if reason == "damaged":
        return (
            f"Could not {what}: {where} is damaged or is not a SQLite database. Move it aside (ftdraft then "
            "starts an empty one) or restore it from a backup, then reload the page."
        )
    if reason == "busy":
        return f"Could not {what}: {where} is busy with another writer. Your text is kept; try again in a moment."
    if reason == "file":
        return (
            f"Could not {what}: cannot open or write {where}. Check that its folder exists and is writable, "
            "or set FTDRAFT_DATABASE_URL to another file."
        )
    if reason == "login":
        return (
            f"Could not {what}: {where} refused the user name or password in FTDRAFT_DATABASE_URL. "
            "Fix them there (or in the server's access rules)."
        )
    if reason == "no_database":
        return f"Could not {what}: {where} does not exist. Create it (createdb) or fix FTDRAFT_DATABASE_URL."
    if reason == "unreachable":
        return (
            f"Could not {what}: {where} did not answer. Start the server or fix the host and port in "
            "FTDRAFT_DATABASE_URL; your text is kept, try again once it is up."
        )
    return (
        f"Could not {what} in {where} ({type(exc).__name__}). Your text is kept; try again, and if it keeps "
        "failing check FTDRAFT_DATABASE_URL and the server's log."
    )


def upgrade_schema(engine: Engine) -> None:
    """Bring the database to SCHEMA_REVISION with Alembic, in one transaction, nothing lost.

    An empty database gets every table; a database of release 0.1.0 (tables, no alembic_version) is
    stamped as the baseline and then upgraded. On PostgreSQL an advisory lock makes replicas that start
    together migrate one after the other; on SQLite the write transaction (BEGIN IMMEDIATE) does."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" in tables:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            if current == [SCHEMA_REVISION]:
                return  # the common case: no Alembic import at all
    from alembic import command
    from alembic.config import Config

    from . import migrations

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})"))
        tables = set(inspect(conn).get_table_names())
        config = Config()
        config.set_main_option("script_location", str(migrations.SCRIPT_LOCATION))
        config.attributes["connection"] = conn
        if "engagements" in tables and "alembic_version" not in tables:
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, "head")


class Store:
    """The app's database, seen as one owner. Every method is one short transaction; errors become StoreError
    with one line that says what to do (store_message).

    `owner` is the signed-in FM's key (ftdraft.auth) or LOCAL_OWNER; for_owner() gives another owner's view
    over the same connections, so one Store per process serves every signed-in user."""

    def __init__(self, url: str, owner: str = LOCAL_OWNER) -> None:
        self.url = url
        self.owner = owner
        self.engine = make_engine(url)
        try:
            upgrade_schema(self.engine)
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(store_message(exc, url, "open the database")) from None
        except Exception as exc:
            self.engine.dispose()
            from alembic.util import CommandError  # loaded already: only Alembic's steps raise anything else

            if not isinstance(exc, CommandError):  # e.g. "Can't locate revision": the database is newer than us
                raise
            raise StoreError(
                f"{_where(database_url(url)).capitalize()} was upgraded by a newer ftdraft: install that version "
                "(or restore a backup taken before the upgrade)."
            ) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def for_owner(self, owner: str) -> Store:
        """The same database seen as `owner` (no new connections)."""
        view = object.__new__(Store)
        view.__dict__.update(self.__dict__)
        view.owner = owner
        return view

    def _session(self) -> Session:
        return self._sessions()

    def _run(self, what: str, fn: Any) -> Any:
        try:
            with self._session() as session, session.begin():
                return fn(session)
        except SQLAlchemyError as exc:
            raise StoreError(store_message(exc, self.url, what)) from None

    def _mine(self, s: Session, eid: str) -> EngagementRow | None:
        """The engagement `eid` when this owner's; None for a missing id and for another owner's alike."""
        row = s.get(EngagementRow, eid)
        return row if row is not None and row.owner == self.owner else None

    # ------------------------------------------------------------ engagements

    def create(self, engagement: Engagement | None = None, notes: str = "") -> str:
        engagement = engagement or Engagement()
        eid = uuid.uuid4().hex

        def fn(s: Session) -> str:
            s.add(
                EngagementRow(
                    id=eid,
                    owner=self.owner,
                    customer=engagement.customer,
                    engagement_json=engagement.model_dump_json(),
                    notes=notes,
                )
            )
            return eid

        return self._run("create the engagement", fn)

    def blank(self) -> str:
        """An untouched engagement to start from: reuse the newest blank one rather than pile up empties."""

        def fn(s: Session) -> str | None:
            rows = s.scalars(
                select(EngagementRow)
                .where(
                    EngagementRow.owner == self.owner,
                    EngagementRow.customer == "",
                    EngagementRow.notes == "",
                    EngagementRow.bundle_json.is_(None),
                )
                .order_by(EngagementRow.updated_at.desc())
                .limit(20)
            ).all()
            for row in rows:
                has_items = s.scalar(select(func.count()).select_from(ItemRow).where(ItemRow.engagement_id == row.id))
                if not has_items and row.engagement_json in ("{}", Engagement().model_dump_json()):
                    return row.id
            return None

        return self._run("look for a blank engagement", fn) or self.create()

    def exists(self, eid: str) -> bool:
        """Whether `eid` is one of this owner's engagements."""
        return bool(self._run("read the engagement", lambda s: self._mine(s, eid) is not None))

    def get(self, eid: str) -> Record | None:
        """Everything saved for `eid`, or None when it is not this owner's (missing, deleted, another FM's)."""

        def fn(s: Session) -> Record | None:
            row = self._mine(s, eid)
            if row is None:
                return None
            items = s.scalars(select(ItemRow).where(ItemRow.engagement_id == eid)).all()
            problems: list[str] = []
            try:
                engagement = Engagement.model_validate_json(row.engagement_json or "{}")
            except ValidationError:
                engagement = Engagement(customer=row.customer)
                problems.append("The saved engagement setup could not be read by this version; check the setup.")
            bundle = None
            if row.bundle_json:
                try:
                    bundle = DraftBundle.model_validate_json(row.bundle_json)
                except ValidationError:
                    problems.append(
                        "The saved drafts were written by another version of ftdraft and could not be read. "
                        "Your notes are kept: draft again."
                    )
            rec = Record(
                id=row.id,
                engagement=engagement,
                notes=row.notes or "",
                bundle=bundle,
                created_at=row.created_at,
                updated_at=row.updated_at,
                problems=problems,
            )
            for item in items:
                if item.kind == TICK:
                    rec.ticks[item.key] = item.value == "1"
                elif item.kind == EDIT:
                    rec.edits[item.key] = item.value
                elif item.kind == AGENDA:
                    rec.agenda[item.key] = item.value
            return rec

        return self._run("read the engagement", fn)

    def list(self, search: str = "", limit: int = 100) -> list[Summary]:
        """This owner's engagements with something in them, newest first; `search` matches the customer name."""

        def fn(s: Session) -> list[Summary]:
            q = select(
                EngagementRow.id,
                EngagementRow.customer,
                EngagementRow.updated_at,
                func.length(EngagementRow.notes),
                EngagementRow.bundle_json.is_not(None),
                EngagementRow.engagement_json,
            ).where(EngagementRow.owner == self.owner, (EngagementRow.customer != "") | (EngagementRow.notes != ""))
            term = search.strip()
            if term:
                escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                q = q.where(func.lower(EngagementRow.customer).like(f"%{escaped}%", escape="\\"))
            q = q.order_by(EngagementRow.updated_at.desc()).limit(limit)
            return [
                Summary(id=i, customer=c, updated_at=u, has_notes=bool(n), has_drafts=bool(b), call_date=_call_date(e))
                for i, c, u, n, b, e in s.execute(q).all()
            ]

        return self._run("list the engagements", fn)

    def _touch(self, s: Session, eid: str) -> EngagementRow:
        row = self._mine(s, eid)
        if row is None:
            raise StoreError("This engagement no longer exists (deleted in another tab?). Start a new one.")
        row.updated_at = _now()
        return row

    def save_engagement(self, eid: str, engagement: Engagement) -> None:
        def fn(s: Session) -> None:
            row = self._touch(s, eid)
            row.engagement_json = engagement.model_dump_json()
            row.customer = engagement.customer

        self._run("save the engagement setup", fn)

    def save_notes(self, eid: str, notes: str) -> None:
        def fn(s: Session) -> None:
            self._touch(s, eid).notes = notes

        self._run("save the notes", fn)

    def save_bundle(self, eid: str, bundle: DraftBundle | None) -> None:
        """Save the drafted bundle (facts included). Names the engagement after the customer the notes gave
        when the FM left the customer blank, so the sidebar can find it."""

        def fn(s: Session) -> None:
            row = self._touch(s, eid)
            row.bundle_json = bundle.model_dump_json() if bundle else None
            if bundle and not row.customer and bundle.engagement.customer:
                row.customer = bundle.engagement.customer

        self._run("save the drafts", fn)

    def delete(self, eid: str) -> bool:
        """Delete one of this owner's engagements with its items; False when there was none to delete."""

        def fn(s: Session) -> bool:
            if self._mine(s, eid) is None:
                return False
            s.execute(delete(ItemRow).where(ItemRow.engagement_id == eid))
            # A DELETE runs through a cursor; Session.execute is typed for any statement.
            result = cast(
                CursorResult[Any],
                s.execute(delete(EngagementRow).where(EngagementRow.id == eid, EngagementRow.owner == self.owner)),
            )
            return bool(result.rowcount)

        return self._run("delete the engagement", fn)

    # ------------------------------------------------------------ per-key items

    def set_item(self, eid: str, kind: str, key: str, value: str | None) -> None:
        """Upsert one item; value None removes it."""
        if kind not in KINDS:
            raise ValueError(f"unknown item kind {kind!r}")

        def fn(s: Session) -> None:
            self._touch(s, eid)
            item = s.get(ItemRow, (eid, kind, key))
            if value is None:
                if item is not None:
                    s.delete(item)
            elif item is None:
                s.add(ItemRow(engagement_id=eid, kind=kind, key=key, value=value))
            else:
                item.value = value
                item.updated_at = _now()

        self._run("save your change", fn)

    def set_tick(self, eid: str, item: str, done: bool) -> None:
        self.set_item(eid, TICK, item, "1" if done else "0")

    def set_edit(self, eid: str, part: str, text: str | None) -> None:
        self.set_item(eid, EDIT, part, text)

    def clear_edits(self, eid: str, parts: builtins.list[str] | tuple[str, ...]) -> None:
        def fn(s: Session) -> None:
            self._touch(s, eid)
            if parts:
                s.execute(
                    delete(ItemRow).where(
                        ItemRow.engagement_id == eid, ItemRow.kind == EDIT, ItemRow.key.in_(list(parts))
                    )
                )

        self._run("reset the draft", fn)

    def set_agenda(self, eid: str, answers: dict[str, str]) -> None:
        """Replace the agenda answers the FM typed (they take precedence over extraction on a new draft)."""

        def fn(s: Session) -> None:
            self._touch(s, eid)
            s.execute(delete(ItemRow).where(ItemRow.engagement_id == eid, ItemRow.kind == AGENDA))
            for key, value in answers.items():
                s.add(ItemRow(engagement_id=eid, kind=AGENDA, key=key, value=value))

        self._run("save the agenda answers", fn)

    def dispose(self) -> None:
        self.engine.dispose()
