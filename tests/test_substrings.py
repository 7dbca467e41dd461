"""ftdraft.substrings: the one-pass search finds exactly the strings a test with `in` finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ftdraft.extract.intent_reader import cue_index
from ftdraft.substrings import Substrings

ALPHABET = "ab -'é"


def test_overlapping_and_nested_occurrences_are_all_found() -> None:
    s = Substrings(["on prem", "prem", "premises", "migrat", "x"])
    assert s.present("still on premises; migration later") == {"on prem", "prem", "premises", "migrat"}
    assert s.present("") == set()
    assert Substrings([]).present("anything") == set()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(ALPHABET, min_size=1, max_size=4), max_size=12), st.text(ALPHABET, max_size=60))
def test_present_is_the_set_of_words_in_the_text(words: list[str], text: str) -> None:
    assert Substrings(words).present(text) == {w for w in words if w in text}


def test_the_intent_lexicon_prefixes_on_a_real_statement() -> None:
    index = cue_index()
    text = "staying on their on-prem exchange 2019 servers, just renewed; legal won't sign off on residency".lower()
    assert index.finder.present(text) == {p for p in index.prefixes if p in text}
    assert index.finder.present(text)  # the statement holds cue prefixes: the test is not vacuous


def test_cues_indexed_by_their_starts_still_read_a_text_with_a_case_folding_trap() -> None:
    # "(?:is|are|went|now) live" is indexed under "is live", "are live", ...; a dotless "ı" holds none of them,
    # but the cue's regex (IGNORECASE) matches it, as it did when the cue was tried on every text
    from ftdraft.extract.intent_reader import clear_memo, cue_scores

    clear_memo()
    plain, _ = cue_scores("teams is live for everyone")
    trapped, _ = cue_scores("teams ıs lıve for everyone")
    assert plain["In Progress"] >= 1
    assert trapped["In Progress"] == plain["In Progress"]
