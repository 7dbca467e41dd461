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


def test_survivors_join_the_oldest_generation_and_stay_collectable() -> None:
    """No young collection is owed when the block ends (its survivors are in the oldest generation), and a cycle
    made inside the block is still garbage to the next full collection."""
    gc.unfreeze()  # an earlier test in this process may have frozen objects (the page's import does)
    with gc_paused():
        cycle: list[object] = []
        cycle.append(cycle)
        kept = [[n] for n in range(1000)]
    assert any(o is kept for o in gc.get_objects(generation=2)), "a young collection would have left it in gen 1"
    assert gc.get_freeze_count() == 0, "nothing stays frozen"
    assert gc.is_tracked(kept) and kept[0] == [0]
    del cycle
    assert gc.collect() >= 1


def test_objects_frozen_before_stay_frozen() -> None:
    """The app freezes what its page imported; a pause must not hand those back to the collector."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            made = [[n] for n in range(100)]
        assert gc.get_freeze_count() == frozen
        assert made[-1] == [99]
    finally:
        gc.unfreeze()
