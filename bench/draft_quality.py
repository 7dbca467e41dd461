"""Draft quality of the offline engine on the outside corpus and the samples (issue 10).

Run: .venv/bin/python bench/draft_quality.py [--details] [--excerpt NOTE]
Per note: the follow-up's and the FTOP entry's non-blank line counts (beside the target drafts' where a
target exists) and the defect counts of tests/draft_checks.py; then the 33,000-word follow-up's length.
--details prints every defect; --excerpt prints that note's follow-up and FTOP text.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
sys.path.insert(0, str(ROOT / "tests"))  # the defect checks live with the tests that assert on them

from draft_checks import (  # noqa: E402
    DEFECTS,
    TARGETS,
    check_bundle,
    content_lines,
    corpus_notes,
    repeated_notes,
    target_section,
)

from ftdraft.pipeline import build_bundle  # noqa: E402

SHORT = {
    "duplicate": "dup",
    "echo": "echo",
    "answered_open": "ans",
    "no_address": "noaddr",
    "unknown_recipient": "unk",
    "fm_third_person": "fm3",
    "ftop_mention": "ftop",
    "parked_promise": "park",
    "raw_open": "rawoi",
    "repeat": "rep",
    "broken_text": "broken",
    "fm_placeholder": "fmname",
    "field_ask": "fldask",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="print every defect found")
    parser.add_argument("--excerpt", help="print this note's follow-up and FTOP (name without extension)")
    args = parser.parse_args()

    header = (
        f"{'note':36} {'fu':>4} {'(tgt)':>6} {'ftop':>5} {'(tgt)':>6} "
        + " ".join(f"{SHORT[d]:>6}" for d in DEFECTS)
        + f" {'sync':>5} {'guard':>6}"
    )
    print(header)
    totals = dict.fromkeys(DEFECTS, 0)
    warnings: Counter[str] = Counter()  # the guardrails' findings on the offline drafts, by rule
    for path in corpus_notes():
        name = path.stem
        bundle = build_bundle(path.read_text(encoding="utf-8"), engine="offline")
        report = check_bundle(bundle)
        fu = len(content_lines(bundle.drafts.follow_up.body))
        ftop = len(content_lines(bundle.drafts.ftop.text))
        has_target = (TARGETS / f"{name}.md").exists()
        fu_t = str(len(target_section(name, 1))) if has_target else "-"
        ftop_t = str(len(target_section(name, 2))) if has_target else "-"
        counts = " ".join(f"{report.counts[d]:>6}" for d in DEFECTS)
        rhythm = bundle.facts.sync_rhythm
        kind = {"join_existing": "join", "propose": "prop", "unknown": "unk"}.get(rhythm.kind, "?") if rhythm else "-"
        warnings.update(c.rule for c in bundle.checks)
        print(f"{name[:36]:36} {fu:>4} {fu_t:>6} {ftop:>5} {ftop_t:>6} {counts} {kind:>5} {len(bundle.checks):>6}")
        for d in DEFECTS:
            totals[d] += report.counts[d]
        if args.details:
            for d, examples in report.examples.items():
                for example in examples:
                    print(f"    {SHORT[d]}: {example}")
        if args.excerpt == name:
            print("---- follow-up\n" + bundle.drafts.follow_up.body + "---- ftop\n" + bundle.drafts.ftop.text)
    print(f"{'total':36} {'':>4} {'':>6} {'':>5} {'':>6} " + " ".join(f"{totals[d]:>6}" for d in DEFECTS))
    print("guard findings by rule: " + (", ".join(f"{r} {n}" for r, n in warnings.most_common()) or "none"))

    sample = ROOT / "examples" / "rfa-contoso-pharma.md"
    long = build_bundle(repeated_notes(sample, 33_000), engine="offline")
    long_report = check_bundle(long)
    print(
        f"\n33,000-word notes (the Contoso sample repeated): follow-up {len(long.drafts.follow_up.body.splitlines())} "
        f"lines (target < 80), FTOP {len(long.drafts.ftop.text.splitlines())} lines, defects {long_report.total}"
    )


if __name__ == "__main__":
    main()
