"""Extraction quality of the offline engine over the labelled notes in tests/fixtures/notes (samples included).

Run: .venv/bin/python bench/extraction_quality.py [--details]
Each note has a sibling <name>.expected.yaml labelled by reading the note; this prints per-metric figures and,
with --details, every miss so a rule change can be judged by what it fixes and what it breaks.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

sys.path.insert(0, str(ROOT / "tests"))  # the labelled corpus and its matching rules live with the tests

from labelled_corpus import BLIND, OUTSIDE, TUNED2, Case, keywords_match, load_cases, norm  # noqa: E402

from ftdraft.extract import extract_facts  # noqa: E402
from ftdraft.schemas import ActionItem, CallFacts, Engagement  # noqa: E402


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def owner_right(expected: dict[str, Any], item: ActionItem) -> bool:
    return norm(item.owner) == norm(expected["owner"])


def action_exact(expected: dict[str, Any], item: ActionItem) -> bool:
    return owner_right(expected, item) and item.due == _as_date(expected["due"])


def match_actions(expected: list[dict[str, Any]], predicted: list[ActionItem]) -> list[tuple[dict, ActionItem | None]]:
    """Pairs each labelled action with one predicted action naming its keywords (an exact one first)."""
    unused = list(predicted)
    pairs: list[tuple[dict, ActionItem | None]] = []
    for exp in expected:
        candidates = [p for p in unused if keywords_match(exp["action"], p.action)]
        best = next((p for p in candidates if action_exact(exp, p)), candidates[0] if candidates else None)
        if best is not None:
            unused.remove(best)
        pairs.append((exp, best))
    return pairs


@dataclass
class Tally:
    hit: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, miss: str) -> None:
        self.total += 1
        self.hit += ok
        if not ok:
            self.misses.append(miss)

    def figure(self) -> str:
        return f"{self.hit}/{self.total} = {self.hit / self.total:.0%}" if self.total else "n/a"


@dataclass
class Report:
    actions_precision: Tally = field(default_factory=Tally)
    actions_recall: Tally = field(default_factory=Tally)
    owner_recall: Tally = field(default_factory=Tally)
    l1: Tally = field(default_factory=Tally)
    l2: Tally = field(default_factory=Tally)
    open_items: Tally = field(default_factory=Tally)
    attendee_roles: Tally = field(default_factory=Tally)
    attendee_presence: Tally = field(default_factory=Tally)
    sync: Tally = field(default_factory=Tally)
    call_date: Tally = field(default_factory=Tally)
    motion: Tally = field(default_factory=Tally)
    scope: Tally = field(default_factory=Tally)
    l1_pairs: Counter[tuple[str, str]] = field(default_factory=Counter)  # (labelled L1, read L1) -> count


L1_NAMES = ("In Progress", "Blocked", "No Intent", "Status Unknown", "Duplicate/Invalid")


def l1_confusion(report: Report) -> str:
    """The L1 confusion table: rows = labelled status, columns = status read ("missing" = no intent found)."""
    cols = [*L1_NAMES, "missing"]
    short = {
        "In Progress": "InProg",
        "No Intent": "NoIntent",
        "Status Unknown": "Unknown",
        "Duplicate/Invalid": "Dup/Inv",
    }
    lines = [f"    {'labelled / read':<18}" + "".join(f"{short.get(c, c):>9}" for c in cols)]
    for want in L1_NAMES:
        lines.append(f"    {want:<18}" + "".join(f"{report.l1_pairs[(want, got)]:>9}" for got in cols))
    return "\n".join(lines)


def score_case(case: Case, engagement: Engagement, facts: CallFacts, report: Report) -> None:
    exp, n = case.expected, case.name
    if "call_date" in exp:
        want = _as_date(exp["call_date"])
        report.call_date.add(engagement.call_date == want, f"{n}: call date {engagement.call_date} != {want}")
    if "motion" in exp:
        report.motion.add(engagement.motion == exp["motion"], f"{n}: motion {engagement.motion} != {exp['motion']}")

    if "scope" in exp:
        got_scope, want_scope = set(engagement.workloads), set(exp["scope"])
        report.scope.add(got_scope == want_scope, f"{n}: scope {sorted(got_scope)} != {sorted(want_scope)}")

    pairs = match_actions(exp.get("action_items", []), facts.action_items)
    for want, got in pairs:
        found = f"{got.owner} / {got.action} / {got.due}" if got else "not found"
        report.actions_recall.add(
            got is not None and action_exact(want, got),
            f"{n}: action {want['owner']} / {want['action']} / {want['due']} -> {found}",
        )
    for want, got in pairs:
        report.owner_recall.add(
            got is not None and owner_right(want, got),
            f"{n}: owner {want['owner']} of {want['action']} -> {got.owner if got else 'not found'}",
        )
    matched = {id(got) for want, got in pairs if got is not None and action_exact(want, got)}
    for item in facts.action_items:
        report.actions_precision.add(id(item) in matched, f"{n}: extra or wrong action {item.owner} / {item.action}")

    intents = {i.workload: i for i in facts.intents}
    for want in exp.get("intents", []):
        got = intents.get(want["workload"])
        status = got.status if got else "missing"
        report.l1.add(status == want["status"], f"{n}: {want['workload']} L1 {status} != {want['status']}")
        report.l1_pairs[(want["status"], status)] += 1
        if want.get("reason"):
            reason = got.reason if got else "missing"
            report.l2.add(reason == want["reason"], f"{n}: {want['workload']} L2 {reason} != {want['reason']}")

    for keywords in exp.get("open_items", []):
        report.open_items.add(
            any(keywords_match(keywords, o.text) for o in facts.open_items), f"{n}: open item {keywords} not found"
        )

    for want in exp.get("attendees", []):
        got = next((a for a in facts.attendees if a.name and norm(a.name) == norm(want["name"])), None)
        role = got.role if got else "not found"
        report.attendee_roles.add(role == want["role"], f"{n}: {want['name']} ({want['role']}) -> {role}")
        if got is not None and "present" in want:
            report.attendee_presence.add(
                got.present == want["present"], f"{n}: {want['name']} present {got.present} != {want['present']}"
            )

    if "sync_rhythm" in exp:
        want_sync, got_sync = exp["sync_rhythm"], facts.sync_rhythm
        if want_sync is None:
            report.sync.add(got_sync is None, f"{n}: sync rhythm found but none was agreed")
        else:
            for key, value in want_sync.items():
                if key == "kind" and value == "join":  # the outside corpus writes "join" for join_existing
                    value = "join_existing"
                got_value = getattr(got_sync, key, None) if got_sync else "no sync rhythm"
                report.sync.add(norm(got_value) == norm(value), f"{n}: sync {key} {got_value} != {value}")


def evaluate(cases: list[Case] | None = None) -> Report:
    report = Report()
    for case in cases if cases is not None else load_cases():
        engagement, facts = extract_facts(case.notes, Engagement(), {})
        score_case(case, engagement, facts, report)
    return report


METRICS: tuple[tuple[str, str], ...] = (
    ("actions_precision", "Action items, owner AND due exact: precision"),
    ("actions_recall", "Action items, owner AND due exact: recall"),
    ("l1", "Intent L1 accuracy (per workload)"),
    ("l2", "Intent L2 accuracy (where labelled)"),
    ("open_items", "Open-item recall (keyword match)"),
    ("owner_recall", "Action owner recall"),
    ("attendee_roles", "Attendee name+role recall"),
    ("attendee_presence", "Attendee presence accuracy"),
    ("sync", "Sync rhythm fields correct"),
    ("call_date", "Call date correct"),
    ("motion", "Motion correct"),
    ("scope", "Workloads in scope (RFA / red areas) exact"),
)


def property_pass_rate(scenarios: int = 200, seed: int = 8) -> str:
    """Of `scenarios` random scenarios, each rendered in two independently drawn surface forms, how many read back
    to the scenario both times (the metamorphic property of tests/test_reader_property.py)."""
    import random

    from test_reader_property import check, random_scenario, render

    rng = random.Random(seed)
    passed = 0
    for _ in range(scenarios):
        people, tasks = random_scenario(rng)
        try:
            for _ in range(2):
                notes = render(people, tasks, rng.choice)
                check(extract_facts(notes, Engagement(), {})[1], people, tasks, notes)
        except AssertionError:
            continue
        passed += 1
    return f"{passed}/{scenarios} scenarios read back both ways = {passed / scenarios:.0%}"


def print_report(title: str, report: Report) -> None:
    """One set's figures under its title, one metric a line."""
    print(title)
    for key, label in METRICS:
        print(f"  {label:<48} {getattr(report, key).figure()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every miss (tuned and outside corpora only)")
    args = parser.parse_args(argv)
    cases = load_cases()
    report = evaluate(cases)
    print_report(f"Extraction quality over {len(cases)} labelled notes (offline engine)", report)
    # Notes marked heldout were written and labelled after the first tuning round, and scored blind once
    # (figures in the commit that added them); the misses they showed were then fixed with general rules,
    # so today they are no longer unseen notes.
    heldout = [c for c in cases if c.expected.get("heldout")]
    if heldout:
        held = evaluate(heldout)
        print_report(f"Of which the {len(heldout)} late notes (scored blind once, since tuned on)", held)
    blind = load_cases(BLIND) if BLIND.is_dir() else []
    blind_report = evaluate(blind) if blind else None
    if blind_report is not None:
        print_report(f"Blind set: {len(blind)} notes in tests/fixtures/blind, never tuned on", blind_report)
    tuned2 = load_cases(TUNED2) if TUNED2.is_dir() else []
    tuned2_report = evaluate(tuned2) if tuned2 else None
    if tuned2_report is not None:
        print_report(
            f"Second tuned set: {len(tuned2)} notes in tests/fixtures/tuned2 (blind round 2, learned from)",
            tuned2_report,
        )
    outside = load_cases(OUTSIDE) if OUTSIDE.is_dir() else []
    outside_report = evaluate(outside) if outside else None
    if outside_report is not None:
        print_report(
            f"Outside corpus: {len(outside)} notes in tests/fixtures/corpus (written independently of the code)",
            outside_report,
        )
        print("  Intent L1 confusion, outside corpus:")
        print(l1_confusion(outside_report))
    print(f"Property test (tests/test_reader_property.py): {property_pass_rate()}")
    if args.details:
        # the blind set's misses are never printed: reading them is tuning on them
        for title, rep in (
            ("tuned corpus", report),
            ("outside corpus", outside_report),
            ("second tuned set", tuned2_report),
        ):
            if rep is None:
                continue
            print(f"Misses, {title}:")
            for key, label in METRICS:
                for miss in getattr(rep, key).misses:
                    print(f"  [{label.split(':')[0].split(' (')[0]}] {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
