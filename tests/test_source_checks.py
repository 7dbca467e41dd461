"""The real-sources helper (tests/source_checks.py) itself: it must fail for each way a source can be fake,
and pass the sources the offline reader gives for every sample in examples/."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import contoso_facts
from source_checks import assert_real_sources, notes_sources, source_problem, source_problems

from ftdraft.inputs import read_notes_file
from ftdraft.pipeline import offline_bundle
from ftdraft.schemas import ActionItem, CallFacts, Source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAMPLES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".md", ".txt"))
NOTES = "Account team sync - Contoso\nAttendees: Priya Raman (ATS)\n- Priya to send the intro email by Friday\n"
LINES = NOTES.splitlines()


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (Source(lines=[3], text=""), "has no text (cites line(s) [3])"),
        (Source(lines=[3], text="   "), "has no text (cites line(s) [3])"),
        (Source(lines=[], text="Priya to send the intro email"), "names no note line"),
        (Source(lines=[4], text="Priya"), "cites line(s) [4] but the notes have 3"),
        (Source(lines=[0], text="Priya"), "cites line(s) [0] but the notes have 3"),
        (
            Source(lines=[2], text="Priya to send the intro email"),
            "text 'Priya to send the intro email' is not in the cited line(s) [2]: ['Attendees: Priya Raman (ATS)']",
        ),
    ],
)
def test_a_fake_source_is_named(source: Source, problem: str) -> None:
    assert source_problem(source, LINES) == problem


@pytest.mark.parametrize(
    "source",
    [
        Source(lines=[3], text="Priya to send the intro email by Friday"),
        Source(lines=[3], text="  - Priya to send the intro email by Friday  "),
        Source(lines=[2, 3], text="Attendees: Priya Raman (ATS)\n- Priya to send the intro email"),
    ],
)
def test_a_real_source_passes(source: Source) -> None:
    assert source_problem(source, LINES) is None


def test_problems_say_where_the_source_sits_and_skip_other_origins() -> None:
    facts = CallFacts(
        action_items=[
            ActionItem(action="Send the intro email", sources=[Source(lines=[3], text="Priya to send")]),
            ActionItem(action="Book the call", sources=[Source(lines=[3], text="")]),
            ActionItem(action="Typed", sources=[Source(origin="agenda", text="")]),
        ]
    )
    assert source_problems(facts, NOTES) == ["facts.action_items[1].sources[0] has no text (cites line(s) [3])"]
    assert len(list(notes_sources(facts))) == 2
    with pytest.raises(AssertionError, match="sources that are not real"):
        assert_real_sources(facts, NOTES)


def test_no_sources_at_all_fails() -> None:
    with pytest.raises(AssertionError, match="at least 1 source"):
        assert_real_sources(CallFacts(), NOTES)


def test_the_hand_built_facts_in_factories_are_not_real_sources() -> None:
    # factories.src() leaves text empty unless given: fine for drafting tests, never for a reader test.
    assert any("has no text" in p for p in source_problems(contoso_facts(), NOTES * 10))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_sample_reads_with_real_sources(sample: Path) -> None:
    notes = read_notes_file(sample)
    assert_real_sources(offline_bundle(notes).facts, notes, at_least=10)
