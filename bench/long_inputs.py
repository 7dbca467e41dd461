"""Timings that used to be asserted in unit tests (issue 15): long single lines through the date reader, the
extractor and the guards, each at n and 4n characters so the growth shows whether the work stays linear.

Run: .venv/bin/python bench/long_inputs.py   (prints; asserts nothing — the unit tests assert what the code
did, this script says how long it took. Near-linear means a 4x input takes about 4x, not 16x.)

Replaces the wall-clock asserts in tests/test_dates.py (find_due_date on 200,000 characters < 1 s),
tests/test_extract.py and tests/test_extract_property.py (a 100,000-character line < 2-3 s) and
tests/test_guards.py (guards on notes at the 200 KB limit < 5 s) once their owners drop them.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ftdraft import guards  # noqa: E402
from ftdraft.dates import find_due_date  # noqa: E402
from ftdraft.extract import extract_facts  # noqa: E402
from ftdraft.pipeline import offline_bundle  # noqa: E402
from ftdraft.schemas import Engagement  # noqa: E402

CONTOSO = (ROOT / "examples" / "rfa-contoso-pharma.md").read_text(encoding="utf-8")
RUNS = 3


def seconds(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def line(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def guards_on(size: int) -> Callable[[], object]:
    notes = CONTOSO * max(1, size // len(CONTOSO))
    bundle = offline_bundle(notes)
    return lambda: guards.guard_bundle(bundle, notes)


CASES: list[tuple[str, int, Callable[[int], Callable[[], object]]]] = [
    (
        "find_due_date, one line of date words",
        50_000,
        lambda n: lambda: find_due_date(line("send 11/20 by Friday next Tuesday Dec 5 ", n), date(2026, 11, 18)),
    ),
    (
        "extract_facts, one line of owner/due cues",
        25_000,
        lambda n: lambda: extract_facts(line("Priya to send ?? by Friday (ATS) ", n), Engagement(), {}),
    ),
    (
        "extract_facts, one line of 'Teams: blocked w/ proxy.'",
        25_000,
        lambda n: lambda: extract_facts(line("Teams: blocked w/ proxy. ", n), Engagement(), {}),
    ),
    ("guard_bundle, the Contoso notes repeated", 48_000, guards_on),
]


def main() -> None:
    print(f"{'case':55} {'n chars':>9} {'t(n)':>9} {'t(4n)':>9} {'growth':>7}  (median of {RUNS})")
    for name, n, make in CASES:
        small, big = seconds(make(n)), seconds(make(4 * n))
        print(f"{name:55} {n:9,} {small:8.3f}s {big:8.3f}s {big / small:6.1f}x")


if __name__ == "__main__":
    main()
