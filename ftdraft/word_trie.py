"""Regex alternations of many literal words written as tries, for the readers' long word lists."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def trie_alternation(words: Iterable[str], *, space: str | None = None, ignorecase: bool = False) -> str:
    """A regex that matches exactly the alternation of `words` tried longest first ("monday|mondag|mondi|mon"),
    written as a trie ("mon(?:d(?:ag|i)|day)?"); "" for no words.

    Why: re tries the branches of a flat alternation one by one at every position (under IGNORECASE none is skipped
    by its first letter), so ~100 date words cost ~25 us per 70-character clause against ~5 us as a trie. Same
    matches: the words that can match at one position lie on one path of the trie (siblings start with different
    characters), and each node tries its longer continuations before it ends, so longer words are tried first.

    space: when given (e.g. r"\\s+"), each word's inner whitespace matches that pattern and the words are split on
    it; otherwise every character is literal. ignorecase: for a pattern compiled with re.IGNORECASE, each character
    must be the lowercase of its own uppercase (two siblings are then never one character to IGNORECASE); raises
    AssertionError for a word that is not. Source: Python's re documentation (alternation, IGNORECASE)."""
    root: dict[str, Any] = {}
    for w in set(words):
        node = root
        pieces = w.split() if space is not None else [w]
        for k, piece in enumerate(pieces):
            if k and space is not None:  # only a split word has a second piece
                node = node.setdefault(space, {})
            for c in piece:
                assert not ignorecase or c.upper().lower() == c, w
                node = node.setdefault(re.escape(c), {})
        node[""] = {}  # a word ends here

    def emit(node: dict[str, Any]) -> str:
        parts = [token + emit(node[token]) for token in sorted(node) if token]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)
