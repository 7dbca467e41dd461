"""Trains the intent reader's linear model and writes ftdraft/data/intent_model.json.

Run: .venv/bin/python scripts/train_intents.py [--cv] [--c 4.0]
Training data: tests/fixtures/intent_sentences/train.yaml (labelled situation sentences, written without seeing the
code) plus the examples of ftdraft/data/intents.toml. Never the held-out sentences. Features: word unigrams and
bigrams (ftdraft.extract.intent_reader.features, the same function the engine scores with). Model: multinomial
logistic regression (scikit-learn, needed here only; the engine scores the exported weights in pure Python).
Classes: the 18 L2 reasons, "Duplicate/Invalid", and "Status Unknown" (no reason: not decided / TBD).

--cv prints 5-fold cross-validated L1/L2 accuracy on the training sentences for cues only, model only, and cues +
model at several model weights: that is how MODEL_WEIGHT and C were chosen.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ftdraft.extract import intent_reader as ir  # noqa: E402

MIN_WEIGHT = 0.02  # smaller weights are dropped from the shipped file (0.1 cost the tuned corpus 10 points of L1)
TRAIN = ROOT / "tests" / "fixtures" / "intent_sentences" / "train.yaml"


def label_of(status: str, reason: str | None) -> str:
    return reason if reason else status


def status_of(label: str) -> str:
    return label if label in ir.STATUSES else ir.STATUS_OF[label]


def training_rows() -> list[tuple[str, str | None, str]]:
    """(text, workload, class) of the train sentences and the lexicon's examples."""
    rows = [(r["text"], r.get("workload"), label_of(r["status"], r.get("reason"))) for r in _train()]
    data = tomllib.loads(ir.LEXICON_PATH.read_text(encoding="utf-8"))
    for entry in data["reason"]:
        rows += [(e, None, entry["reason"]) for e in entry.get("examples", [])]
    for status in ("Duplicate/Invalid", "Status Unknown"):
        rows += [(e, None, status) for e in data["status"][status].get("examples", [])]
    return rows


def _train() -> list[dict]:
    return yaml.safe_load(TRAIN.read_text(encoding="utf-8"))


def fit(rows: list[tuple[str, str | None, str]], c: float, min_weight: float = MIN_WEIGHT) -> ir.IntentModel:
    """The reason model (20 classes) and the status model (5 L1 classes, balanced class weights) on rows."""
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(ir.features(t), 1) for t, _, _ in rows])
    names = [str(n) for n in vec.get_feature_names_out()]
    reasons = [label for _, _, label in rows]
    return ir.IntentModel(
        reason=_logistic(x, reasons, names, c, min_weight, balanced=False),
        status=_logistic(x, [status_of(label) for label in reasons], names, c, min_weight, balanced=True),
    )


def _logistic(x: object, y: list[str], names: list[str], c: float, min_weight: float, balanced: bool) -> ir.LinearModel:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None)
    clf.fit(x, y)
    weights: dict[str, list[tuple[int, float]]] = {}
    for j, name in enumerate(names):
        column = clf.coef_[:, j]
        kept = [(i, float(w)) for i, w in enumerate(column) if abs(w) >= min_weight]
        if kept:
            weights[name] = kept
    return ir.LinearModel(
        classes=tuple(str(k) for k in clf.classes_),
        bias=tuple(round(float(b), 3) for b in clf.intercept_),  # type: ignore[misc]
        weights=weights,
    )


def score(rows: list[tuple[str, str | None, str]], **kwargs: object) -> tuple[int, int, int]:
    """(L1 right, L2 right, total) of classify_text over rows (L2 right = status and reason both right)."""
    l1 = l2 = 0
    for text, workload, label in rows:
        reading = ir.classify_text(text, workload, **kwargs)  # type: ignore[arg-type]
        want_status = status_of(label)
        want_reason = label if label not in ir.STATUSES else None
        l1 += reading.status == want_status
        l2 += reading.status == want_status and reading.reason == want_reason
    return l1, l2, len(rows)


def cross_validate(c_values: list[float], weights: list[float]) -> None:
    rows = [(r["text"], r.get("workload"), label_of(r["status"], r.get("reason"))) for r in _train()]
    extra = [row for row in training_rows() if row[1] is None and row not in rows]
    random.Random(7).shuffle(rows)
    folds = [rows[i::5] for i in range(5)]
    l1, l2, n = score(rows, linear=None)
    print(f"cues only (no model):            L1 {l1 / n:.0%}  L2 {l2 / n:.0%}  (n={n})")
    for c in c_values:
        results: dict[str, list[int]] = {}
        for k in range(5):
            train = [r for i, f in enumerate(folds) if i != k for r in f] + extra
            m = fit(train, c)
            for name, kwargs in [("model only", {"cues": False, "linear": m, "weight": 1.0})] + [
                (f"cues + model x{w:g}", {"linear": m, "weight": w}) for w in weights
            ]:
                a, b, t = score(folds[k], **kwargs)
                acc = results.setdefault(name, [0, 0, 0])
                acc[0] += a
                acc[1] += b
                acc[2] += t
        for name, (a, b, t) in results.items():
            print(f"C={c:<5g} {name:<22} L1 {a / t:.0%}  L2 {b / t:.0%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="cross-validate the options on the training sentences")
    parser.add_argument("--c", type=float, default=64.0, help="inverse regularisation strength of the model")
    args = parser.parse_args(argv)
    if args.cv:
        cross_validate([4.0, 16.0], [2.0, 4.0, 8.0])
        return 0
    m = fit(training_rows(), args.c)
    out = {"reason": m.reason.pack(), "status": m.status.pack()}
    ir.MODEL_PATH.write_text(json.dumps(out, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"wrote {ir.MODEL_PATH.relative_to(ROOT)}: {len(m.reason.index)} + {len(m.status.index)} features, "
        f"{ir.MODEL_PATH.stat().st_size // 1024} KiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
