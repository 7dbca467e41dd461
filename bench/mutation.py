"""Mutation testing (issue 15): mutmut over one area of ftdraft at a time, and the score it earns.

    .venv/bin/python bench/mutation.py store export        # areas: store, export, guards, extract (default: all)
    .venv/bin/python bench/mutation.py extract --ref HEAD  # mutate what is committed (the default)
    .venv/bin/python bench/mutation.py guards --worktree   # mutate the working tree as it is now
    .venv/bin/python bench/mutation.py store --show        # also print each survivor's diff
    .venv/bin/python bench/mutation.py export --retest     # new tests (from --ref/--worktree) on the survivors only
    .venv/bin/python bench/mutation.py guards --sample 400  # a random sample of the area's mutants

Not part of CI: on 2 cores one area takes many minutes. Each area runs in its own copy of the repository
(`git archive <ref>`, or the working tree) under $TMPDIR/ftdraft-mutation/<area>, so a run never touches the
checkout and never races other edits; mutmut's settings ([tool.mutmut]: source, the files to mutate, the tests
that cover them) are written into that copy's pyproject.toml from bench/mutation_areas/<area>.toml, which also
lists the area's equivalent mutants. Each mutant runs only the tests that reached the mutated function (mutmut 3
records which tests call which function first).

Score = killed / (killed + survived), where "no tests" (no selected test reaches the mutant) counts as survived,
a timeout counts as killed, and the mutants in EQUIVALENT (each with the reason no test can tell it apart from
the original) are left out. Target: >= 0.85 per area. Prints one line per area, then the survivors' names
(with --show, their diffs) for review: each one is either killed by a new test or added to EQUIVALENT.

--sample N scores a uniform random sample of N mutants (seeded; kept in the copy for --resume and --retest) with
its 95% Wilson interval: on 2 cores the guards and extract areas (4,000+ mutants each, ~7 h) are measured that way.

--resume goes on with an interrupted run. --retest keeps the mutated source of the earlier run (the score stays
for its commit), takes tests/ from --ref (or the working tree) and re-runs only the survivors: mutmut finds the
new tests and records which functions they reach first. The area's test files must be the same as in that run
(a change to the list makes mutmut start over).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.85


AREAS_DIR = Path(__file__).resolve().parent / "mutation_areas"


@dataclass(frozen=True)
class Area:
    """One area, read from bench/mutation_areas/<name>.toml."""

    mutate: tuple[str, ...]  # glob patterns of the files mutated (mutmut's only_mutate)
    tests: tuple[str, ...]  # the test files that cover them (only these run)
    pytest_args: tuple[str, ...]  # more pytest arguments for this area's runs
    equivalent: dict[str, str]  # mutant name -> why no test can tell it from the original


def load_areas(folder: Path = AREAS_DIR) -> dict[str, Area]:
    """Every `<name>.toml` in `folder`, by name (store, export, guards, extract)."""
    areas: dict[str, Area] = {}
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        areas[path.stem] = Area(
            tuple(data["mutate"]), tuple(data["tests"]), tuple(data.get("pytest_args", ())), data["equivalent"]
        )
    return areas


AREAS = load_areas()
# Mutants no test can kill because the mutated program behaves the same, with their reasons (all areas).
EQUIVALENT: dict[str, str] = {name: why for area in AREAS.values() for name, why in area.equivalent.items()}

COPIED = ("ftdraft", "tests", "prompts", "examples", "streamlit_app.py", "pyproject.toml")
KILLED = {"killed", "timeout", "caught by type check"}
SURVIVED = {"survived", "no tests"}


def snapshot(dest: Path, ref: str | None) -> None:
    """The repository as committed at `ref` (git archive), or the working tree when ref is None."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if ref is None:
        for name in COPIED:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "blind"))
            elif src.exists():
                shutil.copy2(src, dest / name)
        return
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, *COPIED], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


def refresh_tests(dest: Path, ref: str | None) -> None:
    """Only tests/ of the copy, from `ref` (or the working tree): the mutated source stays as it was."""
    shutil.rmtree(dest / "tests")
    if ref is None:
        shutil.copytree(ROOT / "tests", dest / "tests", ignore=shutil.ignore_patterns("__pycache__", "blind"))
        return
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "tests"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


def git_commit(ref: str) -> str:
    """The short commit id `ref` names now (the score is for that commit, whatever HEAD becomes later)."""
    return subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", ref], check=True, capture_output=True, text=True
    ).stdout.strip()


def configure(dest: Path, area: Area, tests: list[str]) -> None:
    """[tool.mutmut] for this area, appended to the copy's pyproject.toml (never to the checkout's)."""

    def toml_list(items: list[str] | tuple[str, ...]) -> str:
        return "[" + ", ".join(f'"{i}"' for i in items) + "]"

    text = (dest / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", text)
    text += (
        "\n[tool.mutmut]\n"
        'source_paths = ["ftdraft"]\n'
        f"only_mutate = {toml_list(area.mutate)}\n"
        'also_copy = ["prompts", "examples", "streamlit_app.py"]\n'
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        f"pytest_add_cli_args = {toml_list(['-p', 'no:cacheprovider', '-q', *area.pytest_args])}\n"
        "use_git_change_detection = false\n"
    )
    (dest / "pyproject.toml").write_text(text, encoding="utf-8")


def results(dest: Path, mutmut: str) -> dict[str, str]:
    """mutant name -> status ("killed", "survived", "no tests", "timeout", ...)."""
    out = subprocess.run([mutmut, "results", "--all", "true"], cwd=dest, capture_output=True, text=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name:
            found[name] = status
    return found


def score(statuses: dict[str, str]) -> tuple[int, int, int, float | None]:
    """(killed, survived, equivalent, score) with EQUIVALENT left out."""
    killed = sum(1 for n, s in statuses.items() if s in KILLED and n not in EQUIVALENT)
    survived = sum(1 for n, s in statuses.items() if s in SURVIVED and n not in EQUIVALENT)
    equivalent = sum(1 for n in statuses if n in EQUIVALENT)
    total = killed + survived
    return killed, survived, equivalent, (killed / total if total else None)


def wilson(killed: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson interval of a score measured on a random sample of `total` mutants (Wilson 1927)."""
    if not total:
        return 0.0, 1.0
    p = killed / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def draw_sample(dest: Path, mutmut: str, env: dict[str, str], size: int, seed: int) -> list[str]:
    """`size` mutant names drawn uniformly (random.Random(seed)) from every mutant of the area, kept in
    dest/SAMPLE so --resume and --retest use the same ones. mutmut lists its mutants only once it has generated
    them: a run filtered on a name that matches none generates them and records which tests reach which function,
    then stops (mutmut asserts that the filter matched nothing; that is expected here)."""
    kept = dest / "SAMPLE"
    if kept.exists():
        return kept.read_text(encoding="utf-8").split()[2:]  # "seed <n>" then the names
    subprocess.run([mutmut, "run", "ftdraft.no-such-mutant"], cwd=dest, env=env, capture_output=True, text=True)
    every = sorted(results(dest, mutmut))
    if not every:
        raise SystemExit(f"mutmut generated no mutants in {dest}: run `mutmut run` there to see why")
    chosen = sorted(random.Random(seed).sample(every, min(size, len(every))))
    kept.write_text(f"seed {seed}\n" + "\n".join(chosen) + "\n", encoding="utf-8")
    (dest / "ALL_MUTANTS").write_text(str(len(every)), encoding="utf-8")
    return chosen


def run_area(
    name: str,
    ref: str | None,
    workdir: Path,
    children: int,
    show: bool,
    resume: bool = False,
    retest: bool = False,
    sample: int | None = None,
    seed: int = 15,
) -> tuple[str, float | None]:
    area = AREAS[name]
    dest = workdir / name
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    stamp = dest / "MUTATED_COMMIT"  # which commit the copy (and so the score) is for, kept across --resume
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FTDRAFT_"))}
    if retest and (dest / "mutants").exists():
        refresh_tests(dest, ref)
    elif not (resume and (dest / "mutants").exists()):
        snapshot(dest, ref)
        stamp.write_text("worktree" if ref is None else git_commit(ref), encoding="utf-8")
    commit = stamp.read_text(encoding="utf-8").strip() if stamp.exists() else "unknown"
    tests = [t for t in area.tests if (dest / t).exists()]
    configure(dest, area, tests)
    chosen = draw_sample(dest, mutmut, env, sample, seed) if sample or (dest / "SAMPLE").exists() else None
    again: list[str] = []
    if retest:
        again = [m for m, status in results(dest, mutmut).items() if status in SURVIVED and m not in EQUIVALENT]
    elif chosen is not None:
        done = results(dest, mutmut)
        again = [m for m in chosen if done.get(m, "not checked") == "not checked"]
    if chosen is not None:
        again = [m for m in again if m in set(chosen)]
    started = time.monotonic()
    run = None
    if again or chosen is None:
        run = subprocess.run(
            [mutmut, "run", "--max-children", str(children), *again], cwd=dest, env=env, capture_output=True, text=True
        )
    minutes = (time.monotonic() - started) / 60
    statuses = results(dest, mutmut)
    if chosen is not None:
        statuses = {m: statuses.get(m, "not checked") for m in chosen}
    if run is not None and (not statuses or run.returncode != 0):
        print(f"{name}: mutmut exited {run.returncode}; its output ends:", file=sys.stderr)
        print("\n".join((run.stdout + run.stderr).splitlines()[-25:]), file=sys.stderr)
    if not statuses:
        return name, None
    killed, survived, equivalent, value = score(statuses)
    other = len(statuses) - killed - survived - equivalent
    verdict = "n/a" if value is None else f"{value:.3f} ({'meets' if value >= TARGET else 'below'} {TARGET})"
    print(
        f"{name:8} mutants {len(statuses):4}  killed {killed:4}  survived {survived:4}  equivalent {equivalent:3}"
        f"  other {other:3}  score {verdict}  [{minutes:.1f} min, {commit}, tests: {' '.join(tests)}]"
    )
    if chosen is not None:
        every = (dest / "ALL_MUTANTS").read_text(encoding="utf-8").strip() if (dest / "ALL_MUTANTS").exists() else "?"
        low, high = wilson(killed, killed + survived)
        print(
            f"{'':8} a uniform random sample of {len(chosen)} of the area's {every} mutants; 95% interval of the score "
            f"{low:.3f}-{high:.3f} (Wilson); 'other' = not run yet"
        )
    for mutant, status in sorted(statuses.items()):
        if status in SURVIVED and mutant not in EQUIVALENT:
            print(f"  {status:9} {mutant}")
            if show:
                diff = subprocess.run([mutmut, "show", mutant], cwd=dest, capture_output=True, text=True).stdout
                print("    " + "\n    ".join(diff.strip().splitlines()[1:]))
    return name, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("areas", nargs="*", help=f"areas to mutate: {', '.join(AREAS)} (default: all)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--ref", default="HEAD", help="git ref to mutate (default: HEAD, what is committed)")
    where.add_argument("--worktree", action="store_true", help="mutate the working tree instead of a commit")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "ftdraft-mutation")
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once (default: 2)")
    parser.add_argument("--show", action="store_true", help="print each survivor's diff")
    again = parser.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true", help="reuse the area's copy and mutmut's finished results")
    again.add_argument("--retest", action="store_true", help="refresh the copy's tests/ and re-run the survivors")
    parser.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="score a uniform random sample of N mutants (kept for --resume/--retest)",
    )
    parser.add_argument("--seed", type=int, default=15, help="the sample's random seed (default: 15)")
    args = parser.parse_args(argv)
    unknown = [a for a in args.areas if a not in AREAS]
    if unknown:
        parser.error(f"unknown area {', '.join(unknown)}: choose from {', '.join(AREAS)}")
    ref = None if args.worktree else args.ref
    scores = [
        run_area(a, ref, args.workdir, args.children, args.show, args.resume, args.retest, args.sample, args.seed)
        for a in (args.areas or list(AREAS))
    ]
    return 0 if all(v is not None and v >= TARGET for _, v in scores) else 1


if __name__ == "__main__":
    raise SystemExit(main())
