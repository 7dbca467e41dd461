"""Benchmark of the model path against local stub servers (127.0.0.1 only); prints figures, asserts nothing
about time.

1. Tokens, on examples/rfa-contoso-pharma.md against the OpenAI personality (tests/personalities): prompt
   tokens per bundle (the stub's estimate: ~4 characters a token over each message and the json_schema),
   the share of the draft requests' prompt that is their common prefix (what providers' prompt caching
   can serve), request bytes, requests per bundle, requests carrying the raw notes. Targets: <= 8,000
   prompt tokens per bundle, >= 50% shared prefix, the notes in 1 request.
2. Latency, the whole `ftdraft draft --engine llm` process against a server adding L per request:
   sequential rounds (a round = requests sent together; target <= 3) and wall time outside the model
   (process wall time minus rounds x L; target <= 1 L), median of --runs, and the timeline of the median
   run: process start -> first request at the stub, each round's answer -> the next round's requests,
   last answer -> process exit (the stub records each request's arrival; its answer leaves L later).
   `--before DIR` (repeatable): the same figures for another checkout (e.g. `git archive <commit> | tar -x -C
   DIR`), its runs alternated with this tree's so all see the same machine load. The processes keep their compiled
   bytecode (.pyc) in a temporary cache, as an installed ftdraft does; `--no-bytecode` leaves that to the
   environment (PYTHONDONTWRITEBYTECODE=1 makes every run compile ftdraft from source).

    .venv/bin/python bench/llm_path.py [--latency 0.4] [--runs 5] [--before DIR] [--latency-only] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from factories import contoso_engagement, contoso_facts  # noqa: E402
from openai_stub_server import CannedReplies, StubServer, estimate_tokens, stub_settings  # noqa: E402
from personalities import OpenAI  # noqa: E402

from ftdraft.pipeline import build_bundle  # noqa: E402

SAMPLE = ROOT / "examples" / "rfa-contoso-pharma.md"
CONTEXT = ROOT / "examples" / "contoso-context.yaml"
KEY = "sk-bench-not-a-real-key"


def carries_notes(request_text: str, note_lines: list[str]) -> bool:
    """A request carries the raw notes when it holds most of their substantial lines verbatim."""
    lines = [line.strip() for line in note_lines if len(line.strip()) > 20]
    hits = sum(1 for line in lines if line in request_text)
    return bool(lines) and hits >= len(lines) / 2


def rounds(arrivals: list[float], latency: float) -> list[list[float]]:
    """Request arrival times (sorted) grouped into sequential rounds: a request that arrives at least 0.9 L
    after the previous one starts a new round (it waited for an answer); requests sent together are one round."""
    groups: list[list[float]] = []
    for t in arrivals:
        if groups and t - groups[-1][-1] < 0.9 * latency:
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups


def tokens_figures(notes: str) -> None:
    canned = CannedReplies(contoso_facts().model_dump_json(exclude_none=True), to=[])
    with StubServer(canned, personality=OpenAI(KEY)) as server:
        settings = stub_settings(server.base_url, KEY, FTDRAFT_REQUEST_TIMEOUT=10)
        bundle = build_bundle(notes, contoso_engagement(), engine="llm", settings=settings)
        reqs = list(server.requests)
    drafts = [r for r in reqs if r.step.startswith("draft:")]
    shared = len(os.path.commonprefix([r.messages_text for r in drafts])) if drafts else 0
    draft_tokens = sum(estimate_tokens(r.prompt) for r in drafts)
    shared_tokens = estimate_tokens("x" * shared) * len(drafts)
    by_model = [k for k, p in bundle.provenance.items() if p.engine == "llm"]
    t = bundle.tokens
    print(f"Tokens per bundle, {SAMPLE.name} against the OpenAI personality")
    print(f"  requests per bundle                 {len(reqs)}   (parts by the model: {len(by_model)})")
    carrying = sum(carries_notes(r.text, notes.splitlines()) for r in reqs)
    print(f"  requests carrying the raw notes     {carrying}   (target 1)")
    print(f"  request bytes per bundle            {sum(len(r.raw.encode()) for r in reqs) / 1024:.1f} KB")
    print(f"  prompt tokens per bundle            {t.prompt_tokens if t else 0:,}   (target <= 8,000)")
    for r in reqs:
        print(f"    {r.step:<24} {estimate_tokens(r.prompt):>6,}")
    print(f"  draft prompts in the shared prefix  {shared_tokens:,} of {draft_tokens:,} = "
          f"{shared_tokens / max(draft_tokens, 1):.0%}   (target >= 50%)")  # fmt: skip
    print(f"  completion tokens per bundle        {t.completion_tokens if t else 0:,}")


@dataclass
class Run:
    """One CLI process: wall time (s), the stub's request arrival times (time.monotonic(), sorted), the moment
    the process was started and the moment it had exited, and its CPU time (user + system, s: less swayed by
    the machine's load than the wall time)."""

    wall: float
    started: float
    ended: float
    arrivals: list[float]
    cpu: float = 0.0


def timeline(run: Run, latency: float) -> list[tuple[str, float]]:
    """Where a run's wall time outside the model went, as (segment, seconds); the segments add up to the wall
    time minus rounds x L. A request's answer leaves the stub L after it arrived (the stub waits L, then
    writes the reply at once), so "answered" below is arrival + L.

    - start -> first request: interpreter start, imports and the extraction request built and sent;
    - per later round: last answer of the previous round -> first request of this round (the work between);
    - per round: its spread (first -> last arrival: requests sent together do not leave at the same instant);
    - last answer -> process exit: parsing, guardrails, output, interpreter teardown."""
    groups = rounds(run.arrivals, latency)
    if not groups:
        return [("start -> exit (no request)", run.ended - run.started)]
    out = [("start -> first request arrives", groups[0][0] - run.started)]
    for i, group in enumerate(groups):
        if i:
            out.append((f"round {i} answered -> round {i + 1} arrives", group[0] - (groups[i - 1][-1] + latency)))
        if len(group) > 1:
            out.append((f"round {i + 1} spread ({len(group)} requests)", group[-1] - group[0]))
    out.append(("last answer -> process exit", run.ended - (groups[-1][-1] + latency)))
    return out


def run_cli(argv: list[str], env: dict[str, str], cwd: str, server: StubServer) -> Run:
    server.requests.clear()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    ended = time.monotonic()
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode == 0 and " fell back" not in proc.stderr, proc.stderr
    cpu = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
    return Run(ended - started, started, ended, sorted(r.at for r in server.requests), cpu)


def latency_figures(latency: float, runs: int, before: list[Path], bytecode: bool = True) -> None:
    """The CLI process against the stub adding `latency` per request, `runs` times; with `before`, the same
    for each of those checkouts (its ftdraft first on PYTHONPATH), runs alternated so all see the same load.

    bytecode: the processes keep compiled bytecode (.pyc) in a temporary PYTHONPYCACHEPREFIX, written by the
    warm-up run, as an installed ftdraft has it (pip compiles on install; a checkout writes __pycache__ on
    first run). False: the environment decides; with PYTHONDONTWRITEBYTECODE=1 (as in some sandboxes) every
    run compiles all of ftdraft from source (~0.1-0.15 s of CPU on this VM)."""
    canned = CannedReplies(contoso_facts().model_dump_json(exclude_none=True), to=[])
    trees: dict[str, Path | None] = {"now": None}
    trees.update({f"before {i + 1}" if len(before) > 1 else "before": tree for i, tree in enumerate(before)})
    results: dict[str, list[Run]] = {label: [] for label in trees}
    offline: dict[str, list[float]] = {label: [] for label in trees}
    with StubServer(canned, latency=latency) as server, tempfile.TemporaryDirectory() as tmp:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FTDRAFT_", "AZURE_"))}
        base.update(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=server.base_url, FTDRAFT_MODEL="stub-model")
        base.pop("PYTHONPATH", None)
        if bytecode:
            base.pop("PYTHONDONTWRITEBYTECODE", None)
            base["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        envs = {label: dict(base, **({"PYTHONPATH": str(tree)} if tree else {})) for label, tree in trees.items()}
        common = [sys.executable, "-m", "ftdraft", "draft", str(SAMPLE), "--context", str(CONTEXT), "--engine"]
        for label in trees:  # warm the file cache (and write each tree's .pyc files, with bytecode)
            run_cli([*common, "llm"], envs[label], tmp, server)
        for _ in range(runs):
            for label in trees:
                t = time.perf_counter()
                subprocess.run([*common, "offline"], env=envs[label], cwd=tmp, capture_output=True, check=True)
                offline[label].append(time.perf_counter() - t)
                results[label].append(run_cli([*common, "llm"], envs[label], tmp, server))
    for label, tree in trees.items():
        runs_ = results[label]
        walls = [r.wall for r in runs_]
        counts = [len(rounds(r.arrivals, latency)) for r in runs_]
        outside = [r.wall - n * latency for r, n in zip(runs_, counts, strict=True)]
        median = sorted(runs_, key=lambda r: r.wall)[len(runs_) // 2]
        name = f" [{label}: {tree}]" if tree else (f" [{label}: this tree]" if before else "")
        head = f"The CLI process `ftdraft draft --engine llm`, L = {latency * 1000:.0f} ms per request ({runs} runs, "
        head += (
            "with .pyc" if bytecode else f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}"
        )
        head += ")"
        print(f"\n{head}{name}")
        print(f"  offline process wall time           {statistics.median(offline[label]) * 1000:.0f} ms")
        print(f"  model process wall time             {statistics.median(walls) * 1000:.0f} ms   (CPU time "
              f"{statistics.median(r.cpu for r in runs_) * 1000:.0f} ms)")  # fmt: skip
        print(f"  sequential rounds                   {max(counts)}   (target <= 3)")
        print(f"  wall time outside the model         {statistics.median(outside) * 1000:.0f} ms = "
              f"{statistics.median(outside) / latency:.2f} L   (target <= 1 L)")  # fmt: skip
        print(f"  timeline of the median run ({median.wall * 1000:.0f} ms), outside the model:")
        for segment, seconds in timeline(median, latency):
            print(f"    {segment:<38} {seconds * 1000:>6.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.4, help="seconds the server waits before each response")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--before", type=Path, action="append", default=[], help="another checkout to measure in the same run"
    )
    parser.add_argument("--latency-only", action="store_true", help="skip the token figures")
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="no .pyc cache of its own: the environment decides (see latency_figures)",
    )
    args = parser.parse_args()
    if not args.latency_only:
        tokens_figures(SAMPLE.read_text(encoding="utf-8"))
    latency_figures(args.latency, args.runs, [p.resolve() for p in args.before], not args.no_bytecode)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
