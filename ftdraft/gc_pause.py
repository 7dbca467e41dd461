"""Pauses Python's cyclic garbage collector around allocation-heavy, cycle-free work (extraction, drafting)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Extraction and drafting make many short-lived objects and no reference cycles worth collecting midway;
    the collector's repeated passes over them cost a sizeable share of the time on long notes. Reference
    counting still frees everything, and the collector is back on (if it was) when the block ends."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
