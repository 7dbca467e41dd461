"""Property: whatever text an FM pastes, extraction and the offline bundle never crash and stay schema-valid."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from work_count import GROWTH_LIMIT, calls_made

from ftdraft.extract import extract_facts
from ftdraft.pipeline import offline_bundle
from ftdraft.schemas import CallFacts, DraftBundle, Engagement

# Words the rules react to, so generated notes reach the rules and not only the "nothing found" paths.
_CUES = [
    "ATS",
    "TAM",
    "me",
    "Priya Raman",
    "(ATS)",
    "=",
    ":",
    "??",
    "TBD",
    "by Friday",
    "next Tuesday",
    "12/5",
    "Dec 5",
    "2026-12-05",
    "EOW",
    "to send",
    "will",
    "Teams",
    "EXO",
    "blocked",
    "no intent",
    "pilot",
    "sync",
    "bi-weekly",
    "|",
    "\t",
    "-",
    "\n",
    "- ",
    "Actions",
    "#",
    "From:",
    "-----Original Message-----",
    "(",
    ")",
    ".",
    "w/",
]
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # lone surrogates cannot be UTF-8 notes
    max_size=400,
)
_NOTES = st.lists(st.one_of(_TEXT, st.sampled_from(_CUES)), max_size=60).map(" ".join)
_CONTROL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), max_size=50)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=st.one_of(_NOTES, _TEXT, _CONTROL))
def test_extraction_never_crashes_and_round_trips(notes: str) -> None:
    engagement, facts = extract_facts(notes, Engagement(), {})
    assert CallFacts.model_validate(facts.model_dump()) == facts
    Engagement.model_validate(engagement.model_dump())
    lines = notes.splitlines()
    for item in facts.action_items:
        for source in item.sources:
            assert all(1 <= no <= len(lines) for no in source.lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes=_NOTES, answer=_TEXT)
def test_offline_bundle_never_crashes_and_is_schema_valid(notes: str, answer: str) -> None:
    bundle = offline_bundle(notes, Engagement(), {"n": answer, "c": answer})
    assert DraftBundle.model_validate_json(bundle.model_dump_json()).facts == bundle.facts


@settings(max_examples=10, deadline=None)
@given(unit=st.sampled_from(["Priya to send ?? by Friday (ATS) ", "a" * 50 + " ", "Teams: blocked w/ proxy. "]))
def test_a_100k_character_line_stays_fast(unit: str) -> None:
    line = (unit * (100_000 // len(unit) + 1))[:100_000]
    extract_facts(line, Engagement(), {})  # the whole line reads (timings: bench/long_inputs.py)
    assert work_growth(line) < GROWTH_LIMIT


def work(notes: str) -> int:
    """The function calls extracting the notes makes (work_count.calls_made): a count of the work done that,
    unlike a clock, does not depend on the machine or its load."""
    return calls_made(lambda: extract_facts(notes, Engagement(), {}))


def work_growth(line: str, n: int = 6_000) -> float:
    """How many times the work grows from the line's first n characters to its first 4n."""
    return work(line[: 4 * n]) / max(1, work(line[:n]))


# Token mixes that once made a 100,000-character line take 6 to 29 s (a regex or a slice re-run over the
# whole line for every match); each must now stay linear.
_PATHOLOGICAL = [
    ["ATS", "TBD", "="],
    ["the CSM", "next Tuesday", "Mark"],
    ["I'll", "EOW", "("],
    ["'s", "(", "2026-12-05", "red", "me", "next Tuesday", "I'll", "w/"],
    ["Priya Raman", "Tom Becker"],
    [")", "Mark", "to send", "=", "I'll", "as red areas", "-"],
]


@settings(max_examples=len(_PATHOLOGICAL), deadline=None)
@given(tokens=st.sampled_from(_PATHOLOGICAL), seed=st.integers(0, 3))
def test_random_mixes_of_cue_words_on_one_long_line_stay_fast(tokens: list[str], seed: int) -> None:
    import random

    rng = random.Random(seed)
    line = " ".join(rng.choice(tokens) for _ in range(40_000))[:100_000]
    assert work_growth(line) < GROWTH_LIMIT
