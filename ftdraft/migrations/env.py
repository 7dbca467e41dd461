"""Alembic's entry: runs the migrations on the connection ftdraft.store.upgrade_schema hands over, or, from the
alembic command line, on the database in FTDRAFT_DATABASE_URL (the default SQLite file when unset)."""

from __future__ import annotations

from alembic import context

from ftdraft.store import Base, make_engine


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters a table by copying it; Alembic's batch mode does that
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from ftdraft.config import get_settings

    engine = make_engine(get_settings().resolved_database_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
