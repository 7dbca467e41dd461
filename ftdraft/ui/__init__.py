"""The Streamlit page, inside the package so a wheel carries it: page.run() draws one run of it.

The entry scripts (streamlit_app.py, ftdraft/app/main.py) call page_runner(): this file imports nothing heavy."""

from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Callable

from ftdraft.gc_pause import gc_paused

PAGE = "ftdraft.ui.page"
_lock = threading.Lock()
_loaded = False


def page_runner() -> Callable[[], None]:
    """ftdraft.ui.page.run. The process's first call imports the page (~0.8 s on a quiet VM: Streamlit's elements,
    SQLAlchemy, the pydantic models; the first page waits for it) with the cyclic garbage collector paused, its
    passes over the ~100k objects being made then costing ~10% of it (0.88-0.97 vs 0.99-1.34 s, same machine),
    then moves those long-lived objects out of the collector's reach (gc.freeze, as page.freeze_loaded does after
    the warm-up: Streamlit's full collection after each run no longer walks them). Two first sessions at once:
    the second waits for the first's import."""
    global _loaded
    if not _loaded:
        with _lock:
            if not _loaded:
                with gc_paused():
                    importlib.import_module(PAGE)
                gc.freeze()
                _loaded = True
    run: Callable[[], None] = importlib.import_module(PAGE).run
    return run
