"""Saves engagements, notes, facts, prep ticks and the FM's draft edits to a database (SQLAlchemy 2).

The app writes here on every change and before any drafting call, so a crash, a refresh or a model
failure never costs the FM their notes. Small per-key rows (ticks, edits, typed agenda answers) are
upserted one by one, so two tabs or processes editing different things never overwrite each other.
"""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from pydantic import ValidationError
from sqlalchemy import (
    CursorResult,
    DateTime,
    Engine,
    ForeignKey,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from .errors import StoreError
from .schemas import DraftBundle, Engagement

# Kinds of per-key rows kept for an engagement.
TICK = "tick"  # key: prep checklist item text; value: "1" / "0"
EDIT = "edit"  # key: a draft part ("follow_up.email.body"); value: the FM's text
AGENDA = "agenda"  # key: agenda item letter; value: the answer the FM typed
KINDS = (TICK, EDIT, AGENDA)

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class EngagementRow(Base):
    __tablename__ = "engagements"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
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


@dataclass
class Summary:
    """A sidebar line: enough to find and reopen an engagement."""

    id: str
    customer: str
    updated_at: datetime
    has_notes: bool
    has_drafts: bool


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


def _configure_sqlite(engine: Engine) -> None:
    """WAL so readers never block the writer; busy_timeout so writers queue instead of failing;
    BEGIN IMMEDIATE so a read-then-write transaction never dies on a lock upgrade."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _safe_url(url: str) -> str:
    """The URL without a password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the database"


class Store:
    """The app's database. Every method is one short transaction; errors become StoreError."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = make_engine(url)
            Base.metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"Cannot open the database at {_safe_url(url)} ({type(exc).__name__}). "
                "Check FTDRAFT_DATABASE_URL, or unset it to use the default file."
            ) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _session(self) -> Session:
        return self._sessions()

    def _run(self, what: str, fn: Any) -> Any:
        try:
            with self._session() as session, session.begin():
                return fn(session)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"Could not {what} ({type(exc).__name__}). Your text is still on the page; try again in a moment."
            ) from None

    # ------------------------------------------------------------ engagements

    def create(self, engagement: Engagement | None = None, notes: str = "") -> str:
        engagement = engagement or Engagement()
        eid = uuid.uuid4().hex

        def fn(s: Session) -> str:
            s.add(
                EngagementRow(
                    id=eid,
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
                .where(EngagementRow.customer == "", EngagementRow.notes == "", EngagementRow.bundle_json.is_(None))
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
        return bool(self._run("read the engagement", lambda s: s.get(EngagementRow, eid) is not None))

    def get(self, eid: str) -> Record | None:
        def fn(s: Session) -> Record | None:
            row = s.get(EngagementRow, eid)
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
        """Engagements with something in them, newest first; `search` matches the customer name."""

        def fn(s: Session) -> list[Summary]:
            q = select(
                EngagementRow.id,
                EngagementRow.customer,
                EngagementRow.updated_at,
                func.length(EngagementRow.notes),
                EngagementRow.bundle_json.is_not(None),
            ).where((EngagementRow.customer != "") | (EngagementRow.notes != ""))
            term = search.strip()
            if term:
                escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                q = q.where(func.lower(EngagementRow.customer).like(f"%{escaped}%", escape="\\"))
            q = q.order_by(EngagementRow.updated_at.desc()).limit(limit)
            return [
                Summary(id=i, customer=c, updated_at=u, has_notes=bool(n), has_drafts=bool(b))
                for i, c, u, n, b in s.execute(q).all()
            ]

        return self._run("list the engagements", fn)

    def _touch(self, s: Session, eid: str) -> EngagementRow:
        row = s.get(EngagementRow, eid)
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
        def fn(s: Session) -> bool:
            s.execute(delete(ItemRow).where(ItemRow.engagement_id == eid))
            # A DELETE runs through a cursor; Session.execute is typed for any statement.
            result = cast(CursorResult[Any], s.execute(delete(EngagementRow).where(EngagementRow.id == eid)))
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
