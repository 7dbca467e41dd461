"""The collector pause used by extraction and drafting always puts the collector back as it found it."""

from __future__ import annotations

import gc

import pytest

from ftdraft.gc_pause import gc_paused


def test_pauses_inside_and_restores_after_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_leaves_a_collector_that_was_off_switched_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the caller's choice is theirs to undo"
    finally:
        gc.enable()
