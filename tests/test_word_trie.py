"""word_trie.trie_alternation: the same matches as the flat longest-first alternation it replaces."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftdraft.word_trie import trie_alternation


def flat(words: list[str], space: str | None = None) -> str:
    """The alternation as it was written before: longest first, inner whitespace as `space`."""
    ordered = sorted(set(words), key=len, reverse=True)
    if space is None:
        return "|".join(map(re.escape, ordered))
    return "|".join(space.join(map(re.escape, w.split())) for w in ordered)


WORD = st.text(alphabet="abcxé'-ß.", min_size=1, max_size=5)
SPACE = r"\s+"
TEXT = st.text(alphabet="abcxé'-ß. AB", max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORD, min_size=1, max_size=8), TEXT)
def test_plain_words_match_as_the_flat_alternation(words: list[str], text: str) -> None:
    trie, plain = re.compile(trie_alternation(words)), re.compile(flat(words))
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["mon", "monday", "mondag", "end of", "end of month", "eow", "e o w"]), min_size=1),
       st.text(alphabet="mondayEOWF ftghe\t", max_size=40))  # fmt: skip
def test_spaced_words_under_ignorecase_match_as_the_flat_alternation(words: list[str], text: str) -> None:
    spaced, flat_spaced = trie_alternation(words, space=SPACE, ignorecase=True), flat(words, SPACE)
    trie = re.compile(rf"\b(?:{spaced})\b", re.IGNORECASE)
    plain = re.compile(rf"\b(?:{flat_spaced})\b", re.IGNORECASE)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_worked_example_and_edges() -> None:
    assert trie_alternation(["monday", "mondag", "mondi", "mon"]) == "mon(?:d(?:a(?:g|y)|i))?"
    assert trie_alternation([]) == ""
    assert re.fullmatch(trie_alternation(["a.b"]), "axb") is None  # characters are literal


def test_ignorecase_refuses_a_character_that_is_not_its_own_case_pair() -> None:
    with pytest.raises(AssertionError):
        trie_alternation(["straße"], ignorecase=True)  # "ß".upper().lower() == "ss"
