"""Reads intent status (L1) and reason (L2) from what is said about one workload.

Knowledge: ftdraft/data/intents.toml (cue lexicon per L1 status and per L2 reason, with examples and counter-examples
that tests/test_intents.py runs) and, where the cues are silent, ftdraft/data/intent_model.json (a linear model over
word unigrams and bigrams, trained by scripts/train_intents.py on tests/fixtures/intent_sentences/train.yaml and the
lexicon's examples, scored here in pure Python). L1/L2 spellings: ftdraft/schemas.py (domain.md's list).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import math
import re
import sys
import tomllib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import cast

from .. import lexicon as lx
from ..schemas import REASONS_BY_STATUS, IntentReason, IntentStatus
from ..substrings import Substrings

DATA = Path(__file__).resolve().parents[1] / "data"
LEXICON_PATH = DATA / "intents.toml"
MODEL_PATH = DATA / "intent_model.json"

STATUSES: tuple[IntentStatus, ...] = ("In Progress", "Blocked", "No Intent", "Status Unknown", "Duplicate/Invalid")
STATUS_OF: dict[str, IntentStatus] = {
    reason: cast(IntentStatus, status) for status, reasons in REASONS_BY_STATUS.items() for reason in reasons
}


@dataclass(frozen=True)
class StatusCues:
    status: IntentStatus
    cues: tuple[CuePattern, ...]
    strong: tuple[CuePattern, ...]
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


@dataclass(frozen=True)
class ReasonCues:
    status: IntentStatus
    reason: IntentReason
    labels: re.Pattern[str] | None
    cues: tuple[CuePattern, ...]
    strong: tuple[CuePattern, ...]
    workloads: frozenset[str] | None
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    statuses: dict[IntentStatus, StatusCues]
    reasons: dict[IntentReason, ReasonCues]


@dataclass
class Reading:
    """A status and reason read from text; status None = nothing in the text says it."""

    status: IntentStatus | None
    reason: IntentReason | None = None
    explicit: bool = False
    scores: dict[str, float] = field(default_factory=dict)


class CuePattern:
    """One cue: its regex, compiled on first use, and the literal text every match starts with (None: unknown).

    A text without that literal cannot match, and a substring test says so far faster than the regex; most cues
    never run on a given text, so most are never compiled (the lexicon loads in a few milliseconds)."""

    __slots__ = ("pattern", "prefix", "prefixes", "_rx")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.prefix = _literal_prefix(pattern)
        # a top-level alternation ("zoom|slack|…"): the prefixes of its branches, when every branch has one
        branches = [_literal_prefix(b) for b in _top_level(pattern)] if self.prefix is None else []
        self.prefixes: tuple[str, ...] | None = (
            tuple(b for b in branches if b) if len(branches) > 1 and all(branches) else None
        )
        self._rx: re.Pattern[str] | None = None

    def may_match(self, text: str) -> bool:
        """False only when the cue cannot match the lowercased text (none of its literal prefixes occurs)."""
        if self.prefix is not None:
            return self.prefix in text
        if self.prefixes is not None:
            return any(map(text.__contains__, self.prefixes))
        return True

    def regex(self) -> re.Pattern[str]:
        if self._rx is None:
            self._rx = re.compile(self.pattern, re.IGNORECASE)
        return self._rx


_LITERAL_RE = re.compile(r"(?:\\b)?([a-z0-9 #&/-]+)")


def _top_level(pattern: str) -> list[str]:
    """A pattern's top-level alternatives ("a|(?:b|c)" -> ["a", "(?:b|c)"])."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch in "()" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


def _literal_prefix(pattern: str) -> str | None:
    depth = 0
    for i, ch in enumerate(pattern):  # a top-level alternation has no single prefix
        if ch in "()" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            return None
    m = _LITERAL_RE.match(pattern)
    if not m:
        return None
    literal = m.group(1)
    if pattern[m.end() : m.end() + 1] in ("?", "*", "{"):
        literal = literal[:-1]
    return literal if literal.strip() else None


def _compile(patterns: list[str]) -> tuple[CuePattern, ...]:
    return tuple(CuePattern(p) for p in patterns)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The cue lexicon of ftdraft/data/intents.toml, compiled once. Raises ValueError on an unknown L1/L2 name."""
    data = tomllib.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    statuses: dict[IntentStatus, StatusCues] = {}
    for name, entry in data["status"].items():
        if name not in STATUSES:
            raise ValueError(f"intents.toml: unknown status {name!r}")
        status = cast(IntentStatus, name)
        statuses[status] = StatusCues(
            status=status,
            cues=_compile(entry.get("cues", [])),
            strong=_compile(entry.get("strong", [])),
            examples=tuple(entry.get("examples", [])),
            not_examples=tuple(entry.get("not", [])),
        )
    reasons: dict[IntentReason, ReasonCues] = {}
    for entry in data["reason"]:
        if STATUS_OF.get(entry["reason"]) != entry["status"]:
            raise ValueError(f"intents.toml: {entry['reason']!r} is not an L2 reason of {entry['status']!r}")
        reason = cast(IntentReason, entry["reason"])
        cues, strong = list(entry.get("cues", [])), list(entry.get("strong", []))
        if reason == "Using Competitive Solution":
            # a named competitor product says the reason outright: it counts as a cue and as a strong cue
            cues += list(lx.COMPETITORS.values())
            strong += list(lx.COMPETITORS.values())
        labels = entry.get("labels", [])
        reasons[reason] = ReasonCues(
            status=cast(IntentStatus, entry["status"]),
            reason=reason,
            labels=re.compile(r"(?:" + "|".join(labels) + r")\b", re.IGNORECASE) if labels else None,
            cues=_compile(cues),
            strong=_compile(strong),
            workloads=frozenset(entry["workloads"]) if "workloads" in entry else None,
            examples=tuple(entry.get("examples", [])),
            not_examples=tuple(entry.get("not", [])),
        )
    return Lexicon(statuses=statuses, reasons=reasons)


# A cue right after a negation does not count: "not a product gap", "adoption work, not deployment".
_NEGATED_RE = re.compile(
    r"\b(?:not|no|isn[’']?t|aren[’']?t|never|without|nor)\s+(?:a\s+|an\s+|the\s+|really\s+)?$", re.I
)
# A product being left is not one in use: "moved from Box", "off Zimbra", "from an on-premises Exchange 2013".
_LEAVING_RE = re.compile(
    r"\b(?:off|from|leaving|left|replac\w*|away from|instead of|phas\w* out|ditch\w*|retir\w*|da|desde|van|von|vanaf)"
    r"\s+(?:of\s+)?(?:the\s+)?"
    r"(?:[\w-]+\s+){0,3}$",
    re.I,
)


def _hits(patterns: tuple[CuePattern, ...], text: str, leaving: bool = False) -> int:
    """How many of the cues occur in text (lowercased), each counted once, skipping negated occurrences."""
    n = 0
    for cue in patterns:
        prefix = cue.prefix
        if (prefix in text if prefix is not None else cue.may_match(text)) and _found(cue, text, leaving):
            n += 1
    return n


def _found(cue: CuePattern, text: str, leaving: bool) -> bool:
    """Whether the cue matches the lowercased text other than after a negation (or, leaving, after "moved off")."""
    rx = cue.regex()
    prefixes = cue.prefixes or ((cue.prefix,) if cue.prefix is not None else None)
    if prefixes is None or lx.has_lowered_trap(text):
        matches: Iterator[re.Match[str]] = rx.finditer(text)
    else:
        matches = lx.iter_at_starts(rx, text, prefixes)
    for m in matches:
        before = text[max(0, m.start() - 24) : m.start()]
        if _NEGATED_RE.search(before) or (leaving and _LEAVING_RE.search(before)):
            continue
        return True
    return False


def cue_scores(text: str, workload: str | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """See _cue_scores; memoised (a note's statements are scored several times: status, reason, note sentences).
    Callers must not mutate the returned dicts."""
    return _cue_scores(text, workload)


def clear_memo() -> None:
    """Forget memoised cue scores (each extraction starts afresh, so a timing of the same notes stays honest)."""
    _cue_scores.cache_clear()


@lru_cache(maxsize=512)
def _cue_scores(text: str, workload: str | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """(status -> score of its status-only cues, reason -> score of its cues): 1 per cue found, 2 per strong reason
    cue, 3 per strong status cue.

    Reasons that do not apply to the workload (ReasonCues.workloads) score 0."""
    lex = lexicon()
    index = cue_index()
    text = text[:MAX_TEXT].lower()
    # a status-only strong cue is nearly a label ("blocked", "TBD", "intent is real"): it counts 3; a strong
    # reason cue counts 2. Only the cues whose literal prefix occurs in the text (found for all cues at once, in
    # one pass) and the cues with none are tried: the same count as trying every cue of every status and reason.
    status_hits: dict[str, int] = dict.fromkeys(lex.statuses, 0)
    reason_hits: dict[str, int] = dict.fromkeys(lex.reasons, 0)
    tried: set[int] = set()
    seen: dict[tuple[str, bool], bool] = {}  # a pattern listed twice (a competitor: cue and strong) runs once
    # a case-folding trap (lexicon.has_lowered_trap): the entries indexed by their starts are all tried
    trap = lx.has_lowered_trap(text)
    always = index.open + index.started if trap else index.open
    for group in (always, *map(index.by_prefix.__getitem__, index.finder.present(text))):
        for i in group:
            if i in tried:
                continue
            tried.add(i)
            entry = index.entries[i]
            if workload is not None and entry.workloads is not None and workload not in entry.workloads:
                continue  # a reason that does not apply to the workload scores 0 (statuses have no workloads)
            key = (entry.cue.pattern, entry.leaving)
            found = seen.get(key)
            if found is None:
                # an entry with no literal start ("\b\d+ (?:contact )?attempts\b") is searched whole, so first the
                # texts every match holds (entry.needs) must all occur: exact, as for the starts, with no trap
                found = seen[key] = (
                    trap or all(any(map(text.__contains__, texts)) for texts in entry.needs)
                ) and _found(entry.cue, text, entry.leaving)
            if found:
                if entry.reason is not None:
                    reason_hits[entry.reason] += entry.weight
                else:
                    status_hits[entry.status] += entry.weight
    status_scores: dict[str, float] = {s: float(n) for s, n in status_hits.items()}
    reason_scores: dict[str, float] = {r: float(n) for r, n in reason_hits.items()}
    return status_scores, reason_scores


@dataclass(frozen=True)
class _Entry:
    """One cue of the lexicon as _cue_scores counts it: whose it is (a status's, or a reason's) and its weight."""

    cue: CuePattern
    status: str
    reason: str | None
    weight: int
    leaving: bool
    workloads: frozenset[str] | None
    # for an entry with no literal start: lexicon.required_texts of its pattern (one text of each set is in every
    # match of the lowercased text, no case-folding trap there); () for the others
    needs: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class CueIndex:
    entries: tuple[_Entry, ...]
    prefixes: tuple[str, ...]  # every literal prefix of any cue
    finder: Substrings  # which of the prefixes occur in a text, in one pass
    by_prefix: dict[str, tuple[int, ...]]  # prefix -> the entries that prefix (or one of their branches') starts
    open: tuple[int, ...]  # entries with no literal prefix: tried on every text
    # entries indexed by lexicon.literal_starts (lowercase starts): tried on every text holding a case-folding
    # trap ("ı", "ſ", the dot "İ" leaves), where the regex's IGNORECASE can match what the lowercase text lacks
    started: tuple[int, ...] = ()


@lru_cache(maxsize=1)
def cue_index() -> CueIndex:
    """Every cue of the lexicon (intents.toml) as _cue_scores counts it, indexed by its literal prefix(es); built
    once per process."""
    lex = lexicon()
    entries: list[_Entry] = []
    for s, c in lex.statuses.items():
        entries += [_Entry(cue, s, None, 1, False, None) for cue in c.cues]
        entries += [_Entry(cue, s, None, 3, False, None) for cue in c.strong]
    for r, rc in lex.reasons.items():
        leaving = r in ("Using Competitive Solution", "Using Microsoft On-Premises Solution")
        entries += [_Entry(cue, rc.status, r, 1, leaving, rc.workloads) for cue in rc.cues]
        entries += [_Entry(cue, rc.status, r, 2, leaving, rc.workloads) for cue in rc.strong]
    by_prefix: dict[str, list[int]] = {}
    open_: list[int] = []
    started: list[int] = []
    for i, e in enumerate(entries):
        if e.cue.prefix is not None:
            by_prefix.setdefault(e.cue.prefix, []).append(i)
        elif e.cue.prefixes is not None:
            for p in e.cue.prefixes:
                by_prefix.setdefault(p, []).append(i)
        elif starts := lx.literal_starts(e.cue.pattern):
            # no single prefix, but every match starts with one of a few texts ("(?:is|are|went|now) live"):
            # indexed under each of them; a text with a case-folding trap tries them all (see _cue_scores)
            for p in starts:
                by_prefix.setdefault(p, []).append(i)
            started.append(i)
        else:
            open_.append(i)
            entries[i] = dataclasses.replace(e, needs=lx.required_texts(e.cue.pattern))
    return CueIndex(
        entries=tuple(entries),
        prefixes=tuple(by_prefix),
        finder=Substrings(by_prefix),
        by_prefix={p: tuple(ids) for p, ids in by_prefix.items()},
        open=tuple(open_),
        started=tuple(started),
    )


def reason_strength(text: str, reason: str | None) -> float:
    """How strongly text says the reason (its cue score); 0 for no reason."""
    c = lexicon().reasons.get(reason) if reason is not None else None  # type: ignore[call-overload]
    if c is None:
        return 0.0
    text = text[:MAX_TEXT].lower()
    leaving = reason in ("Using Competitive Solution", "Using Microsoft On-Premises Solution")
    return float(_hits(c.cues, text, leaving) + 2 * _hits(c.strong, text, leaving))


def status_strength(text: str) -> float:
    """How many status-only cues text holds (any status): 0 for a sentence that says no status."""
    text = text[:MAX_TEXT].lower()
    return float(sum(_hits(c.cues, text) + _hits(c.strong, text) for c in lexicon().statuses.values()))


_EXPLICIT_RE = re.compile(
    r"^[\W_]*(in progress|in prog|blocked|no intent|status unknown|duplicate\s*/\s*invalid|duplicate|invalid"
    r"|intent (?:is )?(?:real|confirmed|clear)|not (?:yet )?decided|undecided|tbd|tbc)\b"
    r"\s*(?:[/(:|–—-]+|\.|,)?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_EXPLICIT_STATUS: dict[str, IntentStatus] = {
    "in progress": "In Progress",
    "in prog": "In Progress",
    "blocked": "Blocked",
    "no intent": "No Intent",
    "status unknown": "Status Unknown",
    "duplicate": "Duplicate/Invalid",
    "invalid": "Duplicate/Invalid",
}


def explicit_label(text: str, workload: str | None = None) -> tuple[IntentStatus, IntentReason | None] | None:
    """The L1 (and L2 when written) a statement starts with: "In Progress / Migration. …" -> ("In Progress",
    "Migration"); "blocked. sec team …" -> ("Blocked", None); None when the text does not start with a label."""
    m = _EXPLICIT_RE.match(text)
    if not m:
        return None
    word = re.sub(r"\s+", " ", m.group(1).lower())
    status = _EXPLICIT_STATUS.get(word) or ("Duplicate/Invalid" if word.startswith("duplicate") else None)
    if word.startswith("intent"):
        status = "In Progress"  # "intent is real": declared intent
    elif word in ("tbd", "tbc", "undecided") or word.startswith("not"):
        return "Status Unknown", None  # domain.md: intent not yet known
    if status is None:
        return None
    rest = m.group(2)
    for reason, c in lexicon().reasons.items():
        if c.status != status or c.labels is None:
            continue
        if workload is not None and c.workloads is not None and workload not in c.workloads:
            continue
        if c.labels.match(rest):
            return status, reason
    return status, None


# Cues and the model read at most this many characters of a workload's statements: its own line or row and the
# sentences right after come first, and a very long note repeats itself.
MAX_TEXT = 1500

# ------------------------------------------------------------------------------------------------ the model

_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9'’+/-]*[a-z0-9]|[a-z0-9]")
_NUMBER_RE = re.compile(r"\d")
_NEGATORS = frozenset({"not", "no", "never", "without", "isn't", "aren't", "isn’t", "aren’t", "nor"})


def features(text: str) -> list[str]:
    """The model's features of a text: lowercased word unigrams and adjacent bigrams, and character 4-grams
    ("c:" prefix; they carry word stems and misspellings: licen, migr, trai), digits folded to 0.

    Shared by scripts/train_intents.py (training) and model_scores (run time), so both see the same features.
    Character 4-grams were chosen by 5-fold cross-validation on the training sentences (L1 71% -> 79%)."""
    lowered = _NUMBER_RE.sub("0", text.lower())
    tokens = _TOKEN_RE.findall(lowered)
    padded = " " + " ".join(tokens) + " "
    marked, left = [], 0
    for t in tokens:  # the two words after a negation are marked: "not a product gap" -> neg:a neg:product
        marked.append(f"neg:{t}" if left else t)
        left = 2 if t in _NEGATORS else max(0, left - 1)
    return (
        marked
        + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
        + ["c:" + padded[i : i + 4] for i in range(len(padded) - 3)]
    )


# LinearModel.probabilities sums packed weights: 48-bit lanes hold a sum of up to 2 ** 32 features' offset weights
_LANE_BITS = 48
_OFFSET = 1 << 15


class LinearModel:
    """Multinomial logistic regression, stored packed: per feature, the (class index, weight) pairs that matter.

    Weights are kept as 16-bit integers in thousandths (so a 15,000-feature model loads in a few milliseconds)."""

    SCALE = 1000

    def __init__(
        self, classes: tuple[str, ...], bias: tuple[float, ...], weights: dict[str, list[tuple[int, float]]]
    ) -> None:
        self.classes = classes
        self.bias = bias
        self.index: dict[str, int] = {}
        self.offsets = array("I", [0])
        self.cls = bytearray()
        self.vals = array("h")
        self._lanes: dict[str, int] = {}  # see probabilities
        for feature, pairs in weights.items():
            self.index[feature] = len(self.offsets) - 1
            for i, w in pairs:
                self.cls.append(i)
                self.vals.append(max(-32767, min(32767, round(w * self.SCALE))))
            self.offsets.append(len(self.vals))

    def probabilities(self, text: str, feats: set[str] | None = None) -> dict[str, float]:
        """class -> probability (softmax over the classes' linear scores); `feats`: features(text), when known."""
        index, lanes = self.index, self._lanes
        found = index.keys() & (feats if feats is not None else set(features(text)))
        for f in found - lanes.keys():  # a feature's weights packed on first use (see _packed)
            lanes[f] = self._packed(index[f])
        # the features' packed weights summed in C: lane c of the sum holds n * _OFFSET + the sum of class c's
        # weights, each lane below 2 ** _LANE_BITS, so the lanes do not carry into each other (exact integers)
        total, n = sum(map(lanes.__getitem__, found)), len(found)
        mask = (1 << _LANE_BITS) - 1
        logits = [
            b * self.SCALE + (((total >> (_LANE_BITS * c)) & mask) - n * _OFFSET) for c, b in enumerate(self.bias)
        ]
        top = max(logits)
        exps = [math.exp((x - top) / self.SCALE) for x in logits]
        total_exp = sum(exps)
        return {c: e / total_exp for c, e in zip(self.classes, exps, strict=True)}

    def _packed(self, k: int) -> int:
        """Feature k's weights as one integer: lane c (_LANE_BITS bits from bit _LANE_BITS * c) holds _OFFSET +
        class c's weight (0 for a class the feature has no weight for), in [1, 65535] as weights are int16."""
        lo, hi = self.offsets[k], self.offsets[k + 1]
        packed = sum(_OFFSET << (_LANE_BITS * c) for c in range(len(self.classes)))
        for c, v in zip(self.cls[lo:hi], self.vals[lo:hi], strict=True):
            packed += v << (_LANE_BITS * c)
        return packed

    def pack(self) -> dict[str, object]:
        """The JSON-able form (little-endian arrays in base64) that unpack reads."""

        def b64(a: array) -> str:
            a = array(a.typecode, a)
            if sys.byteorder == "big":
                a.byteswap()
            return base64.b64encode(a.tobytes()).decode("ascii")

        return {
            "classes": list(self.classes),
            "bias": list(self.bias),
            "features": "\n".join(self.index),
            "offsets": b64(self.offsets),
            "cls": base64.b64encode(bytes(self.cls)).decode("ascii"),
            "vals": b64(self.vals),
        }

    @classmethod
    def unpack(cls, data: dict) -> LinearModel:
        model = cls(tuple(data["classes"]), tuple(data["bias"]), {})
        names = data["features"].split("\n") if data["features"] else []
        model.index = dict(zip(names, range(len(names)), strict=True))
        model.offsets = array("I")
        model.offsets.frombytes(base64.b64decode(data["offsets"]))
        model.vals = array("h")
        model.vals.frombytes(base64.b64decode(data["vals"]))
        if sys.byteorder == "big":
            model.offsets.byteswap()
            model.vals.byteswap()
        model.cls = bytearray(base64.b64decode(data["cls"]))
        model._lanes = {}
        return model


@dataclass(frozen=True)
class IntentModel:
    """Two linear models over the same features: one over the 20 classes (18 L2 reasons, Duplicate/Invalid, and
    Status Unknown with no reason), one over the 5 L1 statuses trained with balanced class weights (summing the
    first one's reasons per status would favour Blocked, which has 10 of the 18 reasons)."""

    reason: LinearModel
    status: LinearModel


def _linear(data: dict) -> LinearModel:
    return LinearModel.unpack(data)


@lru_cache(maxsize=1)
def model() -> IntentModel | None:
    """The shipped models, or None when ftdraft/data/intent_model.json is absent.

    File shape: {"reason": M, "status": M}, M = LinearModel.pack(): classes, bias, the feature names joined by
    newlines, and base64 little-endian arrays: offsets (uint32, one per feature + 1), class indices (bytes) and
    weights (int16, thousandths)."""
    if not MODEL_PATH.exists():
        return None
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return IntentModel(reason=_linear(data["reason"]), status=_linear(data["status"]))


# How much the model's probabilities count beside the cue scores (cue hits count 1 or 2 each). Chosen on the
# options measured on the held-out sentences (bench/intent_quality.py): x2 L1 82%/L2 72%, x8 85%/76%, model only
# 86%/75%, cues only 62%/47%; x8 keeps the cues that read the notes' own labels and situation words.
MODEL_WEIGHT = 8.0
_SHIPPED = object()


def classify_text(
    text: str,
    workload: str | None = None,
    status: IntentStatus | None = None,
    *,
    cues: bool = True,
    linear: IntentModel | None | object = _SHIPPED,
    weight: float | None = None,
) -> Reading:
    """The status and reason text says (status given: the reason within it). Reading.status None = silent.

    The status with the highest score wins (its status cues + its best reason's cues + `weight` x the model's
    probability for it); the reason is the best-scoring one of that status (cues + `weight` x probability); an In
    Progress with nothing to say which gets Technical Onboarding and Deployment, other statuses no reason.
    `cues`, `linear` (default: the shipped model) and `weight` (default MODEL_WEIGHT) let the bench and the
    training script measure the options apart."""
    lex = lexicon()
    text = text[:MAX_TEXT]
    if not text.strip():
        return Reading(status=None)
    if status is None and (label := explicit_label(text, workload)) is not None:
        if label[1] is not None:
            return Reading(status=label[0], reason=label[1], explicit=True)
        status = label[0]
    weight = MODEL_WEIGHT if weight is None else weight
    # a few words give the model little to go on: below 8 words its weight shrinks with the length
    weight *= min(1.0, len(text.split()) / 8)
    if cues:
        st, rs = cue_scores(text, workload)
    else:
        st, rs = {s: 0.0 for s in STATUSES}, {r: 0.0 for r in lex.reasons}
    m = model() if linear is _SHIPPED else linear
    feats = set(features(text)) if isinstance(m, IntentModel) else set()
    probs = m.reason.probabilities(text, feats) if isinstance(m, IntentModel) else {}
    # the status model is read only when the status is not given
    status_probs = m.status.probabilities(text, feats) if isinstance(m, IntentModel) and status is None else {}
    for name, c in lex.reasons.items():
        if workload is not None and c.workloads is not None and workload not in c.workloads:
            probs.pop(name, None)
    reason_total = {r: rs[r] + weight * probs.get(r, 0.0) for r in lex.reasons}
    if status is None:
        cue_status = {
            s: st[s] + max((rs[r] for r, c in lex.reasons.items() if c.status == s), default=0.0) for s in STATUSES
        }
        if st["No Intent"] <= 0:
            # an on-premises product or a competitor named with no word of staying is often the source of a
            # migration or the setting of a blocker: it counts half towards No Intent
            best_no_intent = max(rs[r] for r, c in lex.reasons.items() if c.status == "No Intent")
            cue_status["No Intent"] -= best_no_intent / 2
        if max(cue_status.values()) <= 0 and not probs:
            return Reading(status=None)
        model_status: dict[str, float] = {s: status_probs.get(s, 0.0) for s in STATUSES}
        total: dict[str, float] = {s: cue_status[s] + weight * model_status[s] for s in STATUSES}
        best_status: IntentStatus = STATUSES[0]
        for candidate in STATUSES:
            if total[candidate] > total[best_status]:
                best_status = candidate
        status = best_status
        scores = dict(total)
    else:
        scores = {}
    candidates = [r for r, c in lex.reasons.items() if c.status == status]
    reason: IntentReason | None = None
    if candidates:
        best = max(candidates, key=lambda r: reason_total[r])
        # the model's own "no reason" class for Status Unknown (not decided / TBD) competes with the reasons
        no_reason = weight * probs.get("Status Unknown", 0.0) if status == "Status Unknown" else 0.0
        if reason_total[best] > no_reason and reason_total[best] > 0:
            reason = best
        elif status == "In Progress":
            reason = "Technical Onboarding and Deployment"
    scores.update({f"reason:{r}": reason_total[r] for r in candidates})
    return Reading(status=status, reason=reason, scores=scores)
