"""Benchmark of the offline engine: median time for ~300 to ~300,000 words of notes, growth between sizes,
and the whole-process wall time of `ftdraft draft examples/<sample>`.

Run: .venv/bin/python bench/engine.py   (targets: < 50 ms at 3,000 words; < 3 s at 300,000 words with
near-linear growth, i.e. a factor near 10 per 10x words; < 1 s for the whole process)
"""

from __future__ import annotations

import itertools
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ftdraft.drafts import render_drafts  # noqa: E402
from ftdraft.pipeline import offline_bundle  # noqa: E402
from ftdraft.schemas import DraftBundle  # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".md", ".txt"))  # notes, not context files
SIZES = (300, 3_000, 30_000, 300_000)
RUNS = {300: 21, 3_000: 15, 30_000: 7, 300_000: 3}

FIRST = ["Priya", "Tom", "Alicia", "Marcus", "Sofia", "Raj", "Lena", "Dana", "Mark", "Jun", "Ken", "Ana", "Omar",
         "Chloe", "Yusuf", "Ingrid", "Mateo", "Aiko", "Femi", "Noor"]  # fmt: skip
LAST = ["Raman", "Becker", "Gomez", "Lee", "Rossi", "Patel", "Fischer", "Whitfield", "Olsen", "Park", "Adams",
        "Silva", "Haddad", "Martin", "Demir", "Berg", "Ruiz", "Sato", "Okafor", "Khan"]  # fmt: skip
CUSTOMERS = ["Contoso Pharma", "Fabrikam Manufacturing", "Woodgrove Bank", "Northwind Traders", "Tailspin Toys",
             "Adventure Works", "Litware Inc", "Proseware", "Wide World Importers", "Alpine Ski House"]  # fmt: skip
_NAME = re.compile(r"\b(" + "|".join(FIRST[:12]) + r")\b( (" + "|".join(LAST[:11]) + r"))?")
_NUMBER = re.compile(r"\b\d{2,3}\b")


def _vary(text: str, i: int) -> str:
    """One sample with its people, customer and small numbers changed, so repeated blocks are not identical."""
    names = itertools.cycle(
        f"{first} {last}" for first, last in zip(FIRST[i % 7 :] + FIRST[: i % 7], LAST[i % 5 :] + LAST, strict=False)
    )
    mapping: dict[str, str] = {}

    def person(m: re.Match[str]) -> str:
        key = m.group(0)
        if key not in mapping:
            mapping[key] = next(names) if m.group(2) else next(names).split()[0]
        return mapping[key]

    out = _NAME.sub(person, text)
    for customer in CUSTOMERS[:3]:
        out = out.replace(customer, CUSTOMERS[(i + CUSTOMERS.index(customer)) % len(CUSTOMERS)])
    return _NUMBER.sub(lambda m: str(int(m.group(0)) + i % 17), out)


def notes_of(words: int) -> str:
    """About `words` words of notes: the samples, varied, one after another (a long running notes file);
    the last block is cut by lines so the total lands near the target."""
    samples = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    out: list[str] = []
    count = 0
    for i in itertools.count():
        for line in _vary(samples[i % len(samples)], i).splitlines() + [""]:
            out.append(line)
            count += len(line.split())
            if count >= words:
                return "\n".join(out)
    raise AssertionError("unreachable")


def median_seconds(fn: Callable[..., object], runs: int, budget: float | None = None) -> tuple[float, int]:
    """Median wall time of `runs` timed calls; with a budget, fewer runs when one call is slow (at least one)."""
    wall, _cpu, n = timed(fn, runs, budget)
    return wall, n


def timed(fn: Callable[..., object], runs: int, budget: float | None = None) -> tuple[float, float, int]:
    """(median wall seconds, best CPU seconds, runs) of `runs` calls. On a shared machine the wall time counts the
    waits for a core; the process CPU time (time.process_time, best of the runs) does not, so it is the figure
    to compare before and after a change."""
    walls: list[float] = []
    cpus: list[float] = []
    while len(walls) < runs:
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - t0)
        if budget is not None and sum(walls) + walls[-1] > budget:
            break
    return statistics.median(walls), min(cpus), len(walls)


def engine_table(budget: float = 60.0) -> None:
    print("Offline engine (pipeline.offline_bundle): median wall time of N runs and best CPU time (time.process_time);")
    print("drafts = drafts.render_drafts alone; growth = CPU time over the previous size's")
    print(f"{'words':>9} {'lines':>7} {'runs':>5} {'total ms':>10} {'drafts ms':>10} {'rest ms':>9} "
          f"{'CPU ms':>9} {'drafts CPU':>10} {'growth':>7}")  # fmt: skip
    previous: float | None = None
    for size in SIZES:
        notes = notes_of(size)
        words, lines = len(notes.split()), notes.count("\n") + 1
        if size <= 30_000:
            offline_bundle(notes)  # warm-up: template compilation, regex caches
        last: list[DraftBundle] = []
        total, cpu, runs = timed(lambda notes=notes, last=last: last.append(offline_bundle(notes)), RUNS[size], budget)
        engagement, facts = last[-1].engagement, last[-1].facts  # the drafts alone, from the same facts
        drafts, drafts_cpu, _ = timed(lambda e=engagement, f=facts: render_drafts(e, f), RUNS[size])
        growth = f"{cpu / previous:6.1f}x" if previous else "      -"
        print(f"{words:>9,} {lines:>7,} {runs:>5} {total * 1000:>10.1f} {drafts * 1000:>10.1f} "
              f"{(total - drafts) * 1000:>9.1f} {cpu * 1000:>9.1f} {drafts_cpu * 1000:>10.1f} {growth:>7}")  # fmt: skip
        previous = cpu


def process_table(runs: int = 5) -> None:
    print(f"\nWhole process: python -m ftdraft draft <sample> --engine offline, median wall of {runs}, best CPU")
    # PYTHONDONTWRITEBYTECODE (set in some shells) would make every run compile ftdraft's sources again; an FM's
    # machine caches them after the first run (pip byte-compiles a wheel at install), so the warm-up run writes them
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_") and k != "PYTHONDONTWRITEBYTECODE"}
    for sample in EXAMPLES:
        cmd = [sys.executable, "-m", "ftdraft", "draft", str(sample.relative_to(ROOT)), "--engine", "offline"]

        def once(cmd: list[str] = cmd) -> None:
            subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)

        once()  # warm the OS file cache and .pyc files
        cpus: list[float] = []

        def counted(once: Callable[[], None] = once, cpus: list[float] = cpus) -> None:
            before = os.times()
            once()
            after = os.times()  # the child's CPU time: user + system
            cpus.append(after.children_user + after.children_system - before.children_user - before.children_system)

        wall = median_seconds(counted, runs)[0]
        print(f"  {sample.name:<28} {wall * 1000:7.0f} ms wall, {min(cpus) * 1000:5.0f} ms CPU (best)")


if __name__ == "__main__":
    engine_table()
    process_table()
