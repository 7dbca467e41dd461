"""Intent reader accuracy on the labelled situation sentences: L1 and L2 figures and an L1 confusion table.

Run: .venv/bin/python bench/intent_quality.py [--wordllama CACHE_DIR]
Reads tests/fixtures/intent_sentences/heldout.yaml (measurement only) and prints aggregate figures for the shipped
reader (cue lexicon + linear model) and for the options measured beside it (cues only, model only). It never prints
a held-out sentence or a miss: looking at them would be tuning on them. The training sentences (train.yaml) are
scored too, as a check that the shipped files load (those figures are not a measure: the reader learned from them).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ftdraft.extract import intent_reader as ir  # noqa: E402

SENTENCES = ROOT / "tests" / "fixtures" / "intent_sentences"
SHORT = {"In Progress": "InProg", "Blocked": "Blocked", "No Intent": "NoIntent", "Status Unknown": "Unknown"}
SHORT["Duplicate/Invalid"] = "Dup/Inv"


def load(name: str) -> list[dict]:
    path = SENTENCES / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []


def measure(rows: list[dict], **options: object) -> tuple[float, float, Counter[tuple[str, str]]]:
    """(L1 accuracy, L2 accuracy, Counter of (labelled L1, read L1)); L2 right = L1 and L2 both right."""
    confusion: Counter[tuple[str, str]] = Counter()
    l1 = l2 = 0
    for row in rows:
        reading = ir.classify_text(row["text"], row.get("workload"), **options)  # type: ignore[arg-type]
        got = reading.status or "(none)"
        confusion[(row["status"], got)] += 1
        l1 += got == row["status"]
        l2 += got == row["status"] and reading.reason == row.get("reason")
    n = max(len(rows), 1)
    return l1 / n, l2 / n, confusion


def confusion_table(confusion: Counter[tuple[str, str]]) -> str:
    """Rows: labelled L1; columns: the L1 read."""
    cols = [*ir.STATUSES, "(none)"]
    head = f"{'labelled / read':<18}" + "".join(f"{SHORT.get(c, c):>9}" for c in cols)
    lines = [head]
    for want in ir.STATUSES:
        lines.append(f"{want:<18}" + "".join(f"{confusion[(want, got)]:>9}" for got in cols))
    return "\n".join(lines)


def wordllama_option(train: list[dict], heldout: list[dict], cache_dir: str) -> tuple[float, float]:
    """The rejected option (b): wordllama's 256-dim token embeddings (mean-pooled by its embed()), a logistic
    regression over them trained on the training sentences; (L1, L2) on the held-out ones. Needs wordllama and
    scikit-learn importable, and `cache_dir` holding tokenizers/l2_supercat_tokenizer_config.json copied from the
    package (its loader looks for the tokenizer under another folder name)."""
    from sklearn.linear_model import LogisticRegression
    from wordllama import WordLlama

    wl = WordLlama.load(cache_dir=cache_dir, disable_download=True)

    def label(row: dict) -> str:
        return row.get("reason") or row["status"]

    clf = LogisticRegression(C=16.0, max_iter=3000).fit(wl.embed([r["text"] for r in train]), [label(r) for r in train])
    predicted = clf.predict(wl.embed([r["text"] for r in heldout]))
    l1 = l2 = 0
    for row, got in zip(heldout, predicted, strict=True):
        status = got if got in ir.STATUSES else ir.STATUS_OF[got]
        l1 += status == row["status"]
        l2 += got == label(row)
    return l1 / len(heldout), l2 / len(heldout)


def main() -> int:
    heldout = load("heldout.yaml")
    train = load("train.yaml")
    options: list[tuple[str, dict[str, object]]] = [
        ("shipped: cues + model", {}),
        ("cues + model x8", {"weight": 8.0}),
        ("cues only", {"linear": None}),
        ("model only", {"cues": False, "weight": 1.0}),
    ]
    if not heldout:
        print("no held-out sentences (tests/fixtures/intent_sentences/heldout.yaml) yet")
    else:
        print(f"Held-out sentences: {len(heldout)} (never tuned on)")
        for name, kwargs in options:
            l1, l2, confusion = measure(heldout, **kwargs)
            print(f"  {name:<24} L1 {l1:.0%}   L2 {l2:.0%}")
            if not kwargs:
                shipped = confusion
        print("L1 confusion, held-out, shipped reader:")
        print(confusion_table(shipped))
        if "--wordllama" in sys.argv:
            cache = sys.argv[sys.argv.index("--wordllama") + 1]
            l1, l2 = wordllama_option(train, heldout, cache)
            print(f"  {'wordllama + LR (model only)':<24} L1 {l1:.0%}   L2 {l2:.0%}   (rejected: see README)")
    if train:
        l1, l2, _ = measure(train)
        print(f"Training sentences: {len(train)} (learned from; a load check, not a measure): L1 {l1:.0%}  L2 {l2:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
