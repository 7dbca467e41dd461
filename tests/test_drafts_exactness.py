"""The drafting speed-ups give exactly what the plain forms they replace give: each fast form against its plain
reference, on texts made of the characters the rule reacts to (so the edge cases come up often)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ftdraft.drafts.call import (
    ARROW_PAIR,
    ASK_OWNER,
    EMBEDDED_LABEL,
    ask_owner,
    refiled,
)
from ftdraft.drafts.text import SENTENCE_END, Ledger, sentences

# The plain forms, as they were before the speed-ups.
PLAIN_ARROW_PAIR = re.compile(r"([\w'’]+)\s*(?:->|=>|→)\s*([\w'’]+)")


def plain_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def texts(alphabet: list[str], max_size: int = 30) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map("".join)


SENTENCE_BITS = ["a", "B", "7", ".", "!", " ", "\n", "\t", ")", "%", "’", '"', "(", "«", "Dr.", "e.g.", "etc.", "é"]
ARROW_BITS = ["a", "Bé", "_", "'", "’", " ", "\t", "-", ">", "=", "→", "->", "=>", "x9", ".", "("]
ASKER_BITS = ["Lena", "Kasia", "ask ", "(", ")", " to check", " to confirm", " checking", " is checking",
              " will check", ".", " ", "\n"]  # fmt: skip


@settings(max_examples=600)
@given(texts(SENTENCE_BITS))
def test_sentences_without_a_split_point_skip_the_regex_and_split_as_it_does(text: str) -> None:
    assert sentences(text) == plain_sentences(text)


def test_sentences_split_only_where_a_sentence_ends() -> None:
    assert sentences("Cutover in June. Drive follows.") == ["Cutover in June.", "Drive follows."]
    assert sentences("  Cutover in June.  ") == ["Cutover in June."]
    assert sentences("Ask Dr. Ito first.") == ["Ask Dr. Ito first."]
    assert sentences(" \n") == []


@settings(max_examples=600)
@given(texts(ARROW_BITS))
def test_arrow_pairs_are_the_plain_patterns_pairs(text: str) -> None:
    assert ARROW_PAIR.findall(text) == PLAIN_ARROW_PAIR.findall(text)


def test_arrow_pairs_take_whole_words() -> None:
    assert ARROW_PAIR.findall("freeze until march -> everything on hold; a->b -> c") == [
        ("march", "everything"),
        ("a", "b"),
    ]


@settings(max_examples=2000)
@given(texts(ASKER_BITS, max_size=8))
def test_ask_owner_finds_what_the_regex_finds(text: str) -> None:
    fast, plain = ask_owner(text), ASK_OWNER.search(text)
    assert (fast and fast.span()) == (plain and plain.span())


def test_ask_owner_names_who_answers() -> None:
    m = ask_owner("Which tenant is prod (Kasia to check)")
    assert m is not None and m.group(2) == "Kasia"
    assert ask_owner("Which tenant is prod? no owner yet") is None


@settings(max_examples=200)
@given(
    st.lists(texts(["alpha ", "beta ", "gamma ", "tenant ", "split ", "x "], max_size=8), max_size=12),
    st.lists(texts(["alpha ", "beta ", "gamma ", "tenant ", "split ", "x "], max_size=8), max_size=12),
    st.integers(min_value=1, max_value=6),
)
def test_a_copied_ledger_goes_on_as_the_ledger_it_was_copied_from_would(
    first: list[str], then: list[str], limit: int
) -> None:
    whole = Ledger(limit=limit)
    part = Ledger(limit=limit)
    for text in first:
        whole.claim(text)
        part.claim(text)
    before = list(part.keys)
    copy = part.copy()
    assert [copy.claim(t) for t in then] == [whole.claim(t) for t in then]
    assert copy.keys == whole.keys
    assert part.keys == before  # the original is untouched by the copy's claims


LABEL_BITS = ["Timeline: ", "Political - ", "Risks: ", "no competitors", "x", ".", ";", " ", "\n", "June", "Ok."]


@settings(max_examples=600)
@given(texts(LABEL_BITS, max_size=10))
def test_refiled_skips_the_label_split_only_where_it_would_find_nothing(sentence: str) -> None:
    if "." not in sentence[:-1] and ";" not in sentence[:-1]:  # refiled's gate
        assert EMBEDDED_LABEL.split(sentence) == [sentence]


def test_refiled_moves_a_labelled_part_under_its_topic() -> None:
    assert refiled("e", "E5 for 400 seats. Political: the CIO now reports to the CFO") == [
        ("e", "E5 for 400 seats."),
        ("k", "The CIO now reports to the CFO."),
    ]


def test_the_follow_up_reads_open_items_and_asks_only_up_to_one_past_its_cut() -> None:
    from factories import contoso_engagement, contoso_facts

    from ftdraft.drafts.call import Call
    from ftdraft.drafts.follow_up import MAX_ASKS, MAX_OPEN_ITEMS, field_open_items, render_follow_up
    from ftdraft.schemas import Ask, OpenItem

    facts = contoso_facts()
    many = facts.model_copy(
        update={
            "open_items": [OpenItem(text=f"Which of the {n} pilot sites goes first?") for n in range(2, 12)],
            "asks": [Ask(text=f"Customer asked for a workshop on site {n}", in_scope=True) for n in range(2, 12)],
        }
    )
    call = Call(contoso_engagement(), many)
    every = field_open_items(call)
    assert len(every) > MAX_OPEN_ITEMS + 1
    assert field_open_items(call, limit=MAX_OPEN_ITEMS + 1) == every[: MAX_OPEN_ITEMS + 1]
    body = render_follow_up(call).body
    assert "A few smaller open points too" in body
    assert body.count("workshop on site") == MAX_ASKS
    few = Call(contoso_engagement(), facts.model_copy(update={"open_items": [], "asks": []}))
    assert "A few smaller open points too" not in render_follow_up(few).body


SYNC_BITS = ["Lee", " will", " to", "'ll", " check", " checking", " find out", " look for", " ask around", " whether",
             " if", " IF", " TBD", "tbc", " there is one", " sync", ".", " ", "ı", "ſ", "K"]  # fmt: skip


@settings(max_examples=600)
@given(texts(SYNC_BITS, max_size=10))
def test_the_sync_gates_skip_only_texts_their_regexes_cannot_match(text: str) -> None:
    from ftdraft.drafts.core import Roster
    from ftdraft.drafts.sync import CHECKER, UNSURE, checker, unsure
    from ftdraft.schemas import Person

    assert unsure(text) == bool(UNSURE.search(text))
    roster = Roster((Person(role="ATS", name="Lee Park"),), None, None)
    plain = None  # checker() without its gate
    for m in CHECKER.finditer(text):
        words = m.group("who").split()
        hit = next((w for w in (" ".join(words), words[-1]) if w.casefold() == "i" or roster.find(w)), None)
        if hit is not None:
            plain = "I" if hit.casefold() == "i" else "Lee Park"
            break
    assert checker(text, roster) == plain


def test_the_sync_checker_and_doubt_are_still_read() -> None:
    from ftdraft.drafts.core import Roster
    from ftdraft.drafts.sync import checker, unsure
    from ftdraft.schemas import Person

    roster = Roster((Person(role="ATS", name="Lee Park"),), None, None)
    assert checker("Lee will check whether one exists", roster) == "Lee Park"
    assert unsure("Lee will check whether one exists") and unsure("sync TBD")
    assert not unsure("Thursday sync at 16:00") and checker("Thursday sync at 16:00", roster) is None


SCOPE_BITS = ["out of", "outside", " ", " the ", "FastTrack", "FT", "'s", " scope", "SCOPE", "Parked", " not now",
              " not for now", "later, not now", " on hold", " ON HOLD", "not a fasttrack", "ſ", "ı", "."]  # fmt: skip


@settings(max_examples=800)
@given(texts(SCOPE_BITS, max_size=10))
def test_the_ask_gates_skip_only_texts_their_regexes_cannot_match(text: str) -> None:
    from ftdraft.drafts.call import OUT_OF_SCOPE, PARKED, SCOPE_IN_LINE, parked_in
    from ftdraft.lexicon import may_contain

    lowered = text.lower()
    assert parked_in(text, lowered) == bool(PARKED.search(text))
    if OUT_OF_SCOPE.search(text):
        assert may_contain(lowered, "scope")
    if SCOPE_IN_LINE.search(text):
        assert may_contain(lowered, "scope", "fasttrack")


def test_an_ask_out_of_scope_and_parked_is_said_without_those_words() -> None:
    from factories import contoso_engagement, contoso_facts

    from ftdraft.drafts.call import Call
    from ftdraft.schemas import Ask

    asks = [
        Ask(text="Customer asked about Teams Phone, out of FT scope", in_scope=True),
        Ask(text="Telehealth in Teams, not now", in_scope=True),
        Ask(text="Copilot rollout workshop", in_scope=True),
    ]
    said = Call(contoso_engagement(), contoso_facts().model_copy(update={"asks": asks})).asks
    assert [(a["text"], a["in_scope"], a["parked"]) for a in said] == [
        ("Customer asked about Teams Phone", False, False),
        ("Telehealth in Teams", True, True),
        ("Copilot rollout workshop", True, False),
    ]


def test_an_owner_left_at_the_end_of_a_step_and_the_fm_named_in_it_are_still_read() -> None:
    from factories import contoso_engagement, contoso_facts

    from ftdraft.drafts.call import Call
    from ftdraft.schemas import ActionItem

    steps = [
        ActionItem(action="Send the licence split (Priya)"),
        ActionItem(action="Book the pilot review - Tom"),
        ActionItem(action="Add FM to the Thursday sync", owner="Tom Becker"),
        ActionItem(action="Share the deck with the team", owner="Priya Raman"),
    ]
    actions = Call(contoso_engagement(), contoso_facts().model_copy(update={"action_items": steps})).actions
    assert [(a["owner"], a["action"]) for a in actions] == [
        ("Priya Raman", "Send the licence split"),
        ("Tom Becker", "Book the pilot review"),
        ("Tom Becker", "Add me to the Thursday sync"),
        ("Priya Raman", "Share the deck with the team"),
    ]
