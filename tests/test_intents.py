"""The intent reader: the cue lexicon's examples and counter-examples, explicit labels, statements cut per workload,
the shipped model file, case 14, and the Service Intent notes over every labelled corpus (clean, own clause only)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from labelled_corpus import CORPUS, OUTSIDE, load_cases

from ftdraft.extract import extract_facts
from ftdraft.extract import intent_reader as ir
from ftdraft.schemas import REASONS_BY_STATUS, Engagement

ROOT = Path(__file__).resolve().parents[1]
CASE_14 = ROOT / "tests" / "fixtures" / "cases" / "reader" / "14-shared-sentence-intent.md"

LEX = ir.lexicon()
REASON_EXAMPLES = [(reason, example, True) for reason, c in LEX.reasons.items() for example in c.examples] + [
    (reason, example, False) for reason, c in LEX.reasons.items() for example in c.not_examples
]
STATUS_EXAMPLES = [(status, example, True) for status, c in LEX.statuses.items() for example in c.examples] + [
    (status, example, False) for status, c in LEX.statuses.items() for example in c.not_examples
]


def _intents(notes: str) -> dict:
    _, facts = extract_facts(notes, Engagement(), {})
    return {i.workload: i for i in facts.intents}


# ---------------------------------------------------------------- the data files


@pytest.mark.parametrize(("reason", "text", "reads_as"), REASON_EXAMPLES)
def test_reason_examples_and_counter_examples(reason: str, text: str, reads_as: bool) -> None:
    reading = ir.classify_text(text)
    if reads_as:
        assert (reading.status, reading.reason) == (LEX.reasons[reason].status, reason)  # type: ignore[index]
    else:
        assert reading.reason != reason


@pytest.mark.parametrize(("status", "text", "reads_as"), STATUS_EXAMPLES)
def test_status_examples_and_counter_examples(status: str, text: str, reads_as: bool) -> None:
    assert (ir.classify_text(text).status == status) is reads_as


def test_every_reason_has_an_entry_with_examples_and_counter_examples() -> None:
    schema_reasons = {r for reasons in REASONS_BY_STATUS.values() for r in reasons}
    assert set(LEX.reasons) == schema_reasons
    assert set(LEX.statuses) == set(ir.STATUSES)
    for c in LEX.reasons.values():
        assert len(c.examples) >= 2 and c.not_examples, c.reason


def test_cue_patterns_compile_and_their_prefixes_are_in_every_match() -> None:
    for c in [*LEX.reasons.values(), *LEX.statuses.values()]:
        for cue in (*c.cues, *c.strong):
            rx = cue.regex()
            assert rx.groups == 0 or "(?:" in cue.pattern, cue.pattern
            if cue.prefix is not None:
                assert cue.pattern.lower().removeprefix("\\b").startswith(cue.prefix), cue.pattern


def test_model_file_classes_are_the_schema_names() -> None:
    model = ir.model()
    assert model is not None
    reasons = {r for rs in REASONS_BY_STATUS.values() for r in rs}
    assert set(model.reason.classes) == reasons | {"Duplicate/Invalid", "Status Unknown"}
    assert set(model.status.classes) == set(ir.STATUSES)
    probs = model.reason.probabilities("300 of 1,200 mailboxes moved, batches every weekend")
    assert abs(sum(probs.values()) - 1) < 1e-9
    assert max(probs, key=probs.__getitem__) == "Migration"


def test_packed_model_round_trips() -> None:
    m = ir.LinearModel(("a", "b"), (0.5, -0.5), {"x": [(0, 1.25), (1, -2.0)], "y": [(1, 0.003)]})
    back = ir.LinearModel.unpack(m.pack())
    assert back.probabilities("x y") == pytest.approx(m.probabilities("x y"))
    assert back.probabilities("x")["a"] > 0.9


# ---------------------------------------------------------------- reading rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In Progress / Migration. Hybrid with Exchange 2016", ("In Progress", "Migration")),
        ("Blocked (app compat). ToothTrack gets hammered by ASR", ("Blocked", "App Compatibility")),
        ("In Progress (tech onboarding). Autopilot pilot", ("In Progress", "Technical Onboarding and Deployment")),
        ("Blocked / Customer IT Infrastructure.", ("Blocked", "Customer IT Infrastructure and Remediation")),
        ("blocked. nothing moves until spring", ("Blocked", None)),
        ("Intent is real for Teams", ("In Progress", None)),
        ("not yet decided, ask again in Jan", ("Status Unknown", None)),
        ("Status Unknown. A3 for students was only added in October", ("Status Unknown", None)),
        ("no intent - they use Slack", ("No Intent", None)),
        ("Duplicate/Invalid: lab tenant", ("Duplicate/Invalid", None)),
    ],
)
def test_explicit_labels(text: str, expected: tuple) -> None:
    assert ir.explicit_label(text) == expected


@pytest.mark.parametrize("text", ["the pilot is blocked by the proxy", "progress is slow", "Intune: in progress"])
def test_a_label_must_lead_the_statement(text: str) -> None:
    assert ir.explicit_label(text) is None


def test_negated_and_left_behind_cues_do_not_count() -> None:
    assert ir.cue_scores("not a product gap")[1]["Product Feature/Capability"] == 0
    assert ir.cue_scores("adoption work, not deployment")[1]["Technical Onboarding and Deployment"] == 0
    assert ir.cue_scores("moved from Box last month")[1]["Using Competitive Solution"] == 0
    assert ir.cue_scores("they use Box for everything")[1]["Using Competitive Solution"] > 0


def test_migration_is_not_a_reason_for_device_workloads() -> None:
    reading = ir.classify_text(
        "in progress, moving from Office 2019 to M365 Apps, 1,100 devices done", "Microsoft 365 Apps"
    )
    assert reading.reason != "Migration"


def test_case_14_shared_sentence_splits_per_workload() -> None:
    intents = _intents(CASE_14.read_text(encoding="utf-8"))
    assert intents["Teams"].status == "In Progress"
    assert intents["SharePoint Online"].status == "Status Unknown"
    assert "Teams" not in intents["SharePoint Online"].note


@pytest.mark.parametrize(
    ("line", "first", "second"),
    [
        (
            "Teams is live for everyone; SharePoint TBD",
            ("Teams", "In Progress"),
            ("SharePoint Online", "Status Unknown"),
        ),
        (
            "Exchange migration under way, but OneDrive is stuck on the proxy",
            ("Exchange Online", "In Progress"),
            ("OneDrive", "Blocked"),
        ),
    ],
)
def test_two_workloads_in_one_line_are_read_apart(line: str, first: tuple, second: tuple) -> None:
    intents = _intents(f"Account team sync 2026-11-24\nRFA for Teams and SharePoint\n- {line}\n")
    for workload, status in (first, second):
        assert intents[workload].status == status, workload


def test_situation_words_without_labels() -> None:
    notes = (
        "Health sync 2026-11-24\nRed: Exchange Online, Teams\n"
        "EXO - staying on their on-prem Exchange 2019 servers, just renewed the licences\n"
        "Teams - on Zoom for everything, 3-yr deal signed in Aug\n"
    )
    intents = _intents(notes)
    exo, teams = intents["Exchange Online"], intents["Teams"]
    assert (exo.status, exo.reason) == ("No Intent", "Using Microsoft On-Premises Solution")
    assert (teams.status, teams.reason) == ("No Intent", "Using Competitive Solution")
    assert exo.note.startswith("Staying on their on-prem Exchange 2019 servers")


def test_a_correction_below_a_line_overrides_its_label() -> None:
    notes = (
        "RFA 1234 - Exchange Online\n"
        "- Exchange Online – In Progress (Migration). ~30k mailboxes moving over winter break.\n"
        "  [CO] Not quite – central IT put a change freeze on everything until mid-Feb. I'd call it blocked.\n"
    )
    exo = _intents(notes)["Exchange Online"]
    assert (exo.status, exo.reason) == ("Blocked", "IT Change Management and Resourcing")
    assert "freeze" in exo.note and "[CO]" not in exo.note and "call it" not in exo.note


def test_a_workload_only_in_scope_stays_unknown_and_asks_agenda_c() -> None:
    notes = "RFA 5555 (Teams, Intune) - sync 2026-11-24\n- Teams: pilot with 200 users going well\n"
    _, facts = extract_facts(notes, Engagement(), {})
    intune = next(i for i in facts.intents if i.workload == "Intune")
    assert (intune.status, intune.reason) == ("Status Unknown", None)
    asks = [o for o in facts.open_items if o.agenda_item == "c"]
    assert len(asks) == 1 and "Intune" in asks[0].text


# ---------------------------------------------------------------- notes over the corpora

CORPORA = [c for corpus in (CORPUS, OUTSIDE) for c in load_cases(corpus)]
_LABEL_START_RE = re.compile(r"^\W*(?:in progress|in prog|blocked|no intent|status unknown|unknown|duplicate)\b", re.I)
_VAGUE_RE = re.compile(r"\b(?:for now|currently|yet)\b", re.I)


def _sentences(note: str) -> list[str]:
    return [s.strip(" .").lower() for s in re.split(r"(?<=[.!?])\s+", note) if len(s.split()) >= 5]


@pytest.mark.parametrize("case", CORPORA, ids=[c.name for c in CORPORA])
def test_notes_are_clean_and_their_own(case) -> None:
    _, facts = extract_facts(case.notes, Engagement(), {})
    for intent in facts.intents:
        note = intent.note
        assert note.strip(), intent.workload
        assert not _LABEL_START_RE.match(note), f"{intent.workload}: label echo in {note!r}"
        assert f"{intent.status}:".lower() not in note.lower(), note
        assert not _VAGUE_RE.search(note), f"{intent.workload}: vague time word in {note!r}"
        assert not re.match(r"^\W*(?:[a-n][.)]\s|☐|☑|\[\d)", note), f"agenda/chat prefix in {note!r}"
        own = {n for s in intent.sources for n in s.lines}
        for other in facts.intents:
            if other.workload == intent.workload:
                continue
            for source in other.sources:
                if set(source.lines) & own:
                    continue  # a line both speak from (a shared sentence) may give each its own clause
                for sentence in _sentences(note):
                    assert sentence not in source.text.lower(), f"{intent.workload} note carries {other.workload}'s"
        for number in re.findall(r"\d[\d,]*", note):
            assert number in case.notes, f"{number} in the {intent.workload} note is not in the notes"


def test_unresponsive_note_keeps_attempts_and_managed() -> None:
    case = next(c for c in load_cases(OUTSIDE) if c.name == "health-birchfield-shorthand")
    exo = _intents(case.notes)["Exchange Online"]
    assert exo.reason == "Customer Unresponsive"
    assert "3 attempts" in exo.note and "managed" in exo.note


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("RFA #58213 · Exchange Online + Teams · Wed Dec 2, 2026 · 30 min", {"Exchange Online", "Teams"}),
        ("Harcourt – RFA 62455 (Intune, Windows 11) – internal AT sync", {"Intune", "Windows"}),
        (
            "RFA 63540 came in from Ilse in January for Copilot and Microsoft 365 Apps.",
            {"Copilot", "Microsoft 365 Apps"},
        ),
        ("2.1 RFA 80417 for SharePoint Online and OneDrive, submitted on 11/12.", {"SharePoint Online", "OneDrive"}),
        ("Red on the report: Intune, Defender, OneDrive.", {"Intune", "Defender", "OneDrive"}),
        ("The health report has Teams and OneDrive in red. Rob opened with context.", {"Teams", "OneDrive"}),
        ("Rouge : Teams, SharePoint Online, Viva", {"Teams", "SharePoint Online", "Viva"}),
        ("Röda områden: Teams, Intune", {"Teams", "Intune"}),
        ("so the red areas were Intune and Windows and basically Intune they do want it", {"Intune", "Windows"}),
    ],
)
def test_scope_shapes(line: str, expected: set[str]) -> None:
    from ftdraft.extract.lines import split_lines
    from ftdraft.extract.scope import scope_workloads

    found, used = scope_workloads(split_lines(f"Account team sync\n{line}\n"))
    assert set(found) == expected
    assert used


def test_scope_is_not_read_from_passing_mentions() -> None:
    from ftdraft.extract.lines import split_lines
    from ftdraft.extract.scope import scope_workloads

    notes = "Sync 2026-11-24\n- Teams: rollout going well\n- File shares on Windows Server 2012 R2\n"
    assert scope_workloads(split_lines(notes)) == ([], [])


def test_the_reader_never_imports_scikit_learn() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom ftdraft.extract import intent_reader as ir\n"
        "assert ir.classify_text('300 of 1,200 mailboxes moved').status == 'In Progress'\n"
        "assert not any(m.split('.')[0] in ('sklearn', 'scipy') for m in sys.modules), 'scikit-learn imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr


def test_finditer_at_starts_finds_what_the_workload_regex_finds() -> None:
    """lexicon.Cue.finditer_at_starts tries a workload's regex only where the lowercase holds one of its literal
    starts; it must give finditer's matches (lookbehinds, boundaries, overlaps), on texts with a case-folding trap
    too (there it is finditer itself)."""
    import random

    from ftdraft import lexicon as lx

    words = ["EXO", "exchange online", "Teams", "slack teams", "teams channel", "MS Teams", "msteams", "teamsx",
             "xteams", "office pro plus", "Office ProPlus", "win10", "Windows 11", "windows server", "Intune", "mdm",
             "AAD", "Azure AD", "sensitivity labels", "M365 apps", "mailboxes", "e-mail migration", "OneDrive", "ODfB",
             "SPO", "x", "and", "/", ",", "(a)", "the"]  # fmt: skip
    rng = random.Random(5)
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    texts += (Path(__file__).parents[1] / "examples" / "messy-woodgrove.txt").read_text(encoding="utf-8").splitlines()
    texts += ["ſpo and Teams", "İntune, EXO", "MS Teams ǅ Office ProPlus"]  # traps; "ǅ" lowercases in place too
    compared = 0
    for text in texts:
        lowered = text.lower()
        for cue in lx.WORKLOAD_RES.values():
            want = [m.span() for m in cue.regex.finditer(text)]
            assert [m.span() for m in cue.finditer_at_starts(text, lowered)] == want, (text, cue.pattern)
            compared += bool(want)
    assert compared > 1000
