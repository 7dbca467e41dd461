"""Server start: load the page's code and open the database before the first browser connects.

`streamlit run streamlit_app.py` (and `ftdraft app`) find an st.App in the entry file and import that file once,
when the server starts; the entry then calls start(). Streamlit runs the page script only when a browser session
opens, after the browser has loaded Streamlit's scripts (~0.5-1 s): the page's imports (Streamlit's widgets,
the store, SQLAlchemy, the drafts the prep section renders) and the database's creation or upgrade would
otherwise start only then. Here they run in a background thread meanwhile. Loading only: no session, no page
state; a failure is left for the page, which reports it where the FM reads it (a bad database URL, say).
This module imports nothing heavy itself: it is imported while the server starts.
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading

# The first page's code, heaviest first to start; ftdraft.ui.page imports the page's sections.
PAGE_MODULES = ("ftdraft.ui.page", "ftdraft.drafts")
_started = threading.Event()


def _load() -> None:
    log = logging.getLogger(__name__)
    for name in PAGE_MODULES:
        try:
            importlib.import_module(name)
        except Exception:
            log.debug("preload of %s failed", name, exc_info=True)
    try:
        from ftdraft.config import Settings
        from ftdraft.store import make_engine, upgrade_schema

        engine = make_engine(Settings().resolved_database_url())
        try:
            upgrade_schema(engine)  # creates or upgrades the tables: the page's first Store() then finds them
        finally:
            engine.dispose()
    except Exception:
        log.debug("preload: database not opened", exc_info=True)
    gc.freeze()  # as page.freeze_loaded(): the loaded modules leave the collector's full passes after each run


def start() -> None:
    """Start loading in a daemon thread (once per process); returns at once."""
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=_load, name="ftdraft-preload", daemon=True).start()
