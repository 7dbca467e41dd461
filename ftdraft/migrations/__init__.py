"""The store's schema history, run by Alembic (ftdraft.store.upgrade_schema applies it on every open).

Add a change: edit the tables in ftdraft/store.py, then from the checkout
    .venv/bin/alembic -c ftdraft/migrations/alembic.ini revision --autogenerate -m "what changed"
(it compares the models with the database in FTDRAFT_DATABASE_URL), review the file it writes in
versions/, and set ftdraft.store.SCHEMA_REVISION to its revision id. Never edit a released migration.
"""

from pathlib import Path

SCRIPT_LOCATION = Path(__file__).resolve().parent
