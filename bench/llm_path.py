"""Benchmark of the model path against the scripted local OpenAI-compatible server (127.0.0.1 only).

The server adds a fixed latency L before every response. Prints requests per bundle, model-path wall
time beyond the offline run as a multiple of L (target <= 2.5 L: one extraction round trip plus one
parallel drafting round), how many requests carried the raw notes (target 1), and time to the first
streamed follow-up token.

    .venv/bin/python bench/llm_path.py [--latency 0.2] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from factories import contoso_engagement, contoso_facts  # noqa: E402
from openai_stub_server import CannedReplies, StubServer, stub_settings  # noqa: E402

from ftdraft.config import Settings  # noqa: E402
from ftdraft.pipeline import build_bundle  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "samples" / "rfa-contoso-pharma.md"


def carries_notes(request_text: str, note_lines: list[str]) -> bool:
    """A request carries the raw notes when it holds most of their substantial lines verbatim."""
    lines = [line.strip() for line in note_lines if len(line.strip()) > 20]
    hits = sum(1 for line in lines if line in request_text)
    return bool(lines) and hits >= len(lines) / 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the server waits before each response")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    latency = args.latency

    notes = SAMPLE.read_text(encoding="utf-8")
    engagement = contoso_engagement()
    roster = [
        {"name": "Priya Raman", "email": "priya.raman@microsoft.com", "role": "ATS"},
        {"name": "Tom Becker", "email": "tom.becker@microsoft.com", "role": "TAM"},
    ]
    canned = CannedReplies(contoso_facts().model_dump_json(exclude_none=True), to=roster)

    offline_settings = Settings(_env_file=None, OPENAI_API_KEY="")  # type: ignore[call-arg]
    build_bundle(notes, engagement, engine="offline", settings=offline_settings)  # warm caches
    offline = []
    for _ in range(args.runs):
        t = time.perf_counter()
        build_bundle(notes, engagement, engine="offline", settings=offline_settings)
        offline.append(time.perf_counter() - t)
    offline_s = statistics.median(offline)

    with StubServer(canned, latency=latency) as server:
        settings = stub_settings(server.base_url, "sk-bench-not-a-real-key", FTDRAFT_REQUEST_TIMEOUT=10)
        build_bundle(notes, engagement, engine="llm", settings=settings)  # warm: imports, connection setup
        walls, firsts, per_bundle, carrying = [], [], [], []
        for _ in range(args.runs):
            server.requests.clear()
            first: list[float] = []
            t = time.perf_counter()
            bundle = build_bundle(
                notes,
                engagement,
                engine="llm",
                settings=settings,
                on_follow_up_token=lambda _c, t=t, first=first: first or first.append(time.perf_counter() - t),
            )
            walls.append(time.perf_counter() - t)
            firsts.append(first[0] if first else float("nan"))
            per_bundle.append(len(server.requests))
            carrying.append(sum(carries_notes(r.text, notes.splitlines()) for r in server.requests))
            fell_back = [k for k, p in bundle.provenance.items() if p.fallback_reason]
            assert not fell_back, f"unexpected fallbacks: {fell_back}"

    wall = statistics.median(walls)
    beyond = (wall - offline_s) / latency
    first = statistics.median(firsts)
    print(f"ftdraft model path vs the local stub server (L = {latency * 1000:.0f} ms per request, {args.runs} runs)")
    print(f"  requests per bundle                 {statistics.median(per_bundle):.0f}")
    print(f"  requests carrying the raw notes     {max(carrying)}   (target 1)")
    print(f"  offline run (median)                {offline_s * 1000:.0f} ms")
    print(f"  model path wall time (median)       {wall * 1000:.0f} ms")
    print(f"  beyond the offline run              {beyond:.2f} L   (target <= 2.5 L)")
    print(f"  first streamed follow-up token      {first * 1000:.0f} ms = {first / latency:.2f} L after the start")
    ok = beyond <= 2.5 and max(carrying) == 1
    print("  targets met" if ok else "  TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
