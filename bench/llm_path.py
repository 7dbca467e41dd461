"""Benchmark of the model path against local stub servers (127.0.0.1 only); prints figures, asserts nothing
about time.

1. Tokens, on examples/rfa-contoso-pharma.md against the OpenAI personality (tests/personalities): prompt
   tokens per bundle (the stub's estimate: ~4 characters a token over each message and the json_schema),
   the share of the draft requests' prompt that is their common prefix (what providers' prompt caching
   can serve), request bytes, requests per bundle, requests carrying the raw notes. Targets: <= 8,000
   prompt tokens per bundle, >= 50% shared prefix, the notes in 1 request.
2. Latency, the whole `ftdraft draft --engine llm` process against a server adding L per request:
   sequential rounds (a round = requests sent together; target <= 3) and wall time outside the model
   (process wall time minus rounds x L; target <= 1 L), median of --runs.

    .venv/bin/python bench/llm_path.py [--latency 0.4] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from factories import contoso_engagement, contoso_facts  # noqa: E402
from openai_stub_server import CannedReplies, Recorded, StubServer, estimate_tokens, stub_settings  # noqa: E402
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


def rounds(requests: list[Recorded], latency: float) -> int:
    """Sequential rounds: a request that arrives at least 0.9 L after the previous one starts a new round
    (it waited for an answer); requests sent together are one round."""
    times = sorted(r.at for r in requests)
    return sum(1 for i, t in enumerate(times) if i == 0 or t - times[i - 1] >= 0.9 * latency)


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


def latency_figures(latency: float, runs: int) -> None:
    canned = CannedReplies(contoso_facts().model_dump_json(exclude_none=True), to=[])
    walls, outside, counts = [], [], []
    with StubServer(canned, latency=latency) as server, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FTDRAFT_", "AZURE_"))}
        env.update(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=server.base_url, FTDRAFT_MODEL="stub-model")
        argv = [sys.executable, "-m", "ftdraft", "draft", str(SAMPLE), "--context", str(CONTEXT), "--engine", "llm"]
        offline = [sys.executable, "-m", "ftdraft", "draft", str(SAMPLE), "--context", str(CONTEXT)]
        subprocess.run(argv, env=env, cwd=tmp, capture_output=True, check=True)  # warm the file cache
        off = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([*offline, "--engine", "offline"], env=env, cwd=tmp, capture_output=True, check=True)
            off.append(time.perf_counter() - t)
        for _ in range(runs):
            server.requests.clear()
            t = time.perf_counter()
            proc = subprocess.run(argv, env=env, cwd=tmp, capture_output=True, text=True)
            wall = time.perf_counter() - t
            assert proc.returncode == 0 and " fell back" not in proc.stderr, proc.stderr
            n = rounds(list(server.requests), latency)
            walls.append(wall)
            counts.append(n)
            outside.append(wall - n * latency)
    print(f"\nThe CLI process `ftdraft draft --engine llm`, L = {latency * 1000:.0f} ms per request ({runs} runs)")
    print(f"  offline process wall time           {statistics.median(off) * 1000:.0f} ms")
    print(f"  model process wall time             {statistics.median(walls) * 1000:.0f} ms")
    print(f"  sequential rounds                   {max(counts)}   (target <= 3)")
    print(f"  wall time outside the model         {statistics.median(outside) * 1000:.0f} ms = "
          f"{statistics.median(outside) / latency:.2f} L   (target <= 1 L)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.4, help="seconds the server waits before each response")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tokens_figures(SAMPLE.read_text(encoding="utf-8"))
    latency_figures(args.latency, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
