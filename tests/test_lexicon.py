"""The rules' vocabulary agrees with the schema: every L2 reason a rule can name is one of its L1 status's reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftdraft import lexicon as lx
from ftdraft.schemas import REASONS_BY_STATUS


@pytest.mark.parametrize(
    ("status", "table"),
    [
        ("Blocked", lx.BLOCKED_REASONS),
        ("No Intent", lx.NO_INTENT_REASONS),
        ("In Progress", lx.IN_PROGRESS_REASONS),
    ],
)
def test_every_reason_a_rule_names_fits_its_status(status: str, table: tuple) -> None:  # type: ignore[type-arg]
    named = [reason for reason, _cue in table]
    assert named, "each status has rules"
    assert set(named) <= set(REASONS_BY_STATUS[status]), set(named) - set(REASONS_BY_STATUS[status])


# Every cue's pre-checks against its own regex, on the tuned and outside notes' lines (and some rotated, so
# words meet new neighbours) plus the case-folding traps: the literal starts must never hide a match.
_NOTE_DIRS = (
    "tests/fixtures/notes",
    "tests/fixtures/corpus",
    "tests/fixtures/tuned2",
    "tests/fixtures/cases/reader",
    "examples",
)
_TRAPS = ["ſync", "ıntune", "İNTUNE weekly", "SYNC", "Bi-Weekly sync", "ON-PREM", "Took them through the RFA process",
          "we’ll walk them through", "Licences: E3", "3rd-party MDM", "by end of Jan", "m365 e3"]  # fmt: skip


def _note_lines() -> list[str]:
    root = Path(__file__).resolve().parent.parent
    lines = [
        t
        for d in _NOTE_DIRS
        for p in sorted((root / d).rglob("*"))
        if p.suffix in (".md", ".txt")
        for t in p.read_text("utf-8").splitlines()
    ]
    rotated = [" ".join(w[len(w) // 2 :] + w[: len(w) // 2]) for w in (t.split() for t in lines[::5]) if len(w) > 3]
    return list(dict.fromkeys(lines + rotated + _TRAPS))


def _all_cues() -> list[lx.Cue]:
    cues = [v for v in vars(lx).values() if isinstance(v, lx.Cue)]
    for table in (lx.TOPIC_RES, lx.WORKLOAD_RES, lx.COMPETITOR_RES):
        cues += table.values()
    for reasons in (lx.BLOCKED_REASONS, lx.NO_INTENT_REASONS, lx.IN_PROGRESS_REASONS):
        cues += [cue for _reason, cue in reasons]
    return cues


def test_cue_prechecks_agree_with_the_regex_on_every_note_line() -> None:
    lines = _note_lines()
    assert len(lines) > 1500
    cues = _all_cues()
    for text in lines:
        lowered = text.lower()
        for cue in cues:
            matches = cue.regex.search(lowered) is not None
            assert cue.found(lowered) == matches, (cue.pattern, text)
            assert cue.may_match(lowered) or not matches, (cue.pattern, text)
            assert cue.could_match(text) or cue.regex.search(text) is None, (cue.pattern, text)
        for cue_set in (lx.TOPICS, lx.WORKLOAD_CUES):
            expected = {key for key, cue in cue_set.cues.items() if cue.regex.search(lowered)}
            assert cue_set.keys_in(lowered) == expected, text
            assert cue_set.keys_in(lowered, cue_set.present_in(f"x\n{lowered}\ny")) == expected, text


@pytest.mark.parametrize(
    ("alternative", "starts"),
    [
        (r"(?:took|ran) (?:\w+ ){0,4}?through", ("ran ", "took ")),
        (r"(?:fasttrack|ft) engagement model", ("fasttrack engagement model", "ft engagement model")),
        (r"bi-?weekly", ("bi-weekly", "biweekly")),
        (r"licen[cs]", ("licenc", "licens")),
        (r"\bmov(?:e|es|ing|ed)\b(?! to\b)", ("move", "moving")),  # "moves", "moved" hold "move"
        (r"(?<!slack )\bteams\b(?! channel)", ("teams",)),
        (r"(?:the )?foo", ("foo",)),
        (r"\bby (?:end of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", ("by ",)),  # past _MAX_STARTS
        (r"(?:took|ran)+ x", ("ran", "took")),  # there at least once; what follows the repeats is unknown
        (r"(?:took|ran)* x", None),
        (r"x*y", None),
        (r"[^a]b", None),
        (r"\w+ing", None),
    ],
)
def test_literal_starts(alternative: str, starts: tuple[str, ...] | None) -> None:
    assert lx.literal_starts(alternative) == starts


def test_start_index_finds_exactly_the_starts_each_line_holds() -> None:
    lines = [t.lower() for t in _note_lines()] + ["", "a", "??", "tbd??", "sync\nweekly"[:4]]
    index = lx.StartIndex()
    starts = [*lx.TOPICS.prefixes, *lx.UNCERTAIN_RE.starts, "a", "ab", "abc", "b"]  # nested starts too
    index.add(starts)
    assert index.holds(lx.TOPICS.prefixes)
    assert not index.holds(["not registered"])
    found = index.per_text(lines + ["abcab", "xab"])
    for text, got in zip(lines + ["abcab", "xab"], found, strict=True):
        assert got == {s for s in starts if s in text}, text
    assert found[-2] == {"a", "ab", "abc", "b"}


@pytest.mark.parametrize(
    ("alternative", "texts"),
    [
        (
            r"(?:took|ran) (?:\w+ ){0,4}?through (?:the |our )?(?:rfa|process)",
            (("ran ", "took "), ("through ",), ("process", "rfa")),
        ),
        (r"walked .* through", (("walked ",), (" through",))),
        (r"licen[cs]", (("licenc", "licens"),)),
        (r"\bnew (?:cio|vp)\b", (("new cio", "new vp"),)),
        (r"a+b", (("a",), ("b",))),
        (r"x{2,3}yz", (("x",), ("yz",))),
        (r"[^a]bc\d+", (("bc",),)),
        (r"ab|cd", ()),  # an alternation: no text is in every match
    ],
)
def test_required_texts(alternative: str, texts: tuple[tuple[str, ...], ...]) -> None:
    assert lx.required_texts(alternative) == texts


def test_required_texts_are_in_every_match_on_the_note_lines() -> None:
    # (a case-folding trap, "ſync", matches without the text: the callers read such texts with the whole regex)
    lines = [t.lower() for t in _note_lines() if not any(c in t.lower() for c in "ıſ\u0307")]
    for cue in _all_cues():
        for alternative in cue.alternatives:
            rx = alternative[1]
            required = lx.required_texts(rx.pattern)
            for text in lines:
                if rx.search(text):
                    assert all(any(t in text for t in texts) for texts in required), (rx.pattern, text)


def test_iter_at_starts_gives_finditers_matches() -> None:
    """lexicon.iter_at_starts tries a pattern only where one of its literal starts occurs (one start: str.find;
    several: a heap of next occurrences); it must give exactly finditer's matches, overlapping starts, repeated
    starts, a start inside a match and lookbehinds included."""
    import random
    import re

    cases = [
        (r"(?<![\w])(?:ab|abc|b c|ca)(?![\w])", ("ab", "b c", "ca")),
        (r"ab(?:ab)*|ba", ("ab", "ba")),
        (r"\bteams?\b|\bexo\b|\bms teams\b", ("exo", "ms teams", "team")),
        (r"a+b", ("a",)),
    ]
    rng = random.Random(11)
    alphabet = ["a", "b", "c", " ", "ab", "ba", "team", "teams", "exo", "ms ", "x"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(3000)]
    for pattern, starts in cases:
        rx = re.compile(pattern)
        for text in texts:
            want = [m.span() for m in rx.finditer(text)]
            assert [m.span() for m in lx.iter_at_starts(rx, text, starts)] == want, (pattern, text)
        # a lowercased copy to find the starts in, the pattern matched on the text as written
        upper = re.compile(pattern, re.IGNORECASE)
        for text in texts[:500]:
            written = text.upper()
            want = [m.span() for m in upper.finditer(written)]
            assert [m.span() for m in lx.iter_at_starts(upper, written, starts, text)] == want, (pattern, text)
