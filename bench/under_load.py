"""The suite under load (issue 15): run a command N times in a row with K CPU-bound processes beside it, and
print each run's exit code and wall time. The hogs are plain busy loops (one Python process each, no I/O), so
the command gets what the scheduler leaves it, as on a busy laptop or a shared CI runner.

    .venv/bin/python bench/under_load.py --hogs 2 --times 3 -- .venv/bin/python -m pytest -q

Exit code: 0 when every run passed, else the first failing run's exit code. Prints figures; asserts nothing
about time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

HOG = "while True:\n    pass\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hogs", type=int, default=2, help="CPU-bound processes beside the command (default: 2)")
    parser.add_argument("--times", type=int, default=3, help="runs of the command in a row (default: 3)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(args.hogs)]
    first_failure = 0
    try:
        for run in range(1, args.times + 1):
            start = time.perf_counter()
            rc = subprocess.call(command)
            alive = sum(h.poll() is None for h in hogs)
            print(
                f"run {run} of {args.times}: exit {rc}, {time.perf_counter() - start:.0f} s, "
                f"{alive} of {args.hogs} hogs running beside it",
                flush=True,
            )
            if rc and not first_failure:
                first_failure = rc
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    return first_failure


if __name__ == "__main__":
    raise SystemExit(main())
