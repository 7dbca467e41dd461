"""A count of the work a call does, for tests that must catch quadratic code without a clock.

Counts profile events (Python and C function calls): unlike seconds it does not depend on the machine or its load.
Linear code does about 4x the work on 4x the input; a scan per match (quadratic) does far more."""

from __future__ import annotations

import sys
from collections.abc import Callable

GROWTH_LIMIT = 6.0  # linear reading does ~3-4x the work on 4x the input


def calls_made(fn: Callable[[], object]) -> int:
    """How many function calls (Python and C) running fn() makes."""
    calls = 0

    def count(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls


def growth(fn: Callable[[int], object], n: int) -> float:
    """How many times the work of fn(k) grows from k = n to k = 4n (fn builds its own input of size k). A first
    run warms what the code builds once per process (lazily compiled patterns, loaded data), which is not work that
    grows with the input."""
    fn(n)
    return calls_made(lambda: fn(4 * n)) / max(1, calls_made(lambda: fn(n)))
