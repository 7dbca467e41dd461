"""Pauses Python's cyclic garbage collector around allocation-heavy, cycle-free work (extraction, drafting)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Extraction and drafting make many short-lived objects and no reference cycles worth collecting midway;
    the collector's repeated passes over them cost a sizeable share of the time on long notes. Reference
    counting still frees everything, and the collector is back on (if it was) when the block ends.

    At the end the objects the block left alive (the facts, the drafts, the lexicons' caches) join the oldest
    generation at once (gc.freeze() then gc.unfreeze(): two list splices, no pass over the objects, and the
    young count back to 0) instead of the next allocation starting a young collection that walks every one of
    them (~1 ms at 3,000 words of notes, ~120 ms at 300,000). They are still collected, by the next full
    collection. Skipped when objects are frozen already (the app freezes what its page imports, see
    ftdraft.ui.page_runner): unfreezing would hand those back to the collector. Nested pauses do nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
