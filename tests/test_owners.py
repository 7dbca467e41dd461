"""Action owners in every form issue 8 lists, read by the real engine (extract_facts) from small notes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ftdraft.extract import extract_facts, find_people, split_lines
from ftdraft.extract.lines import Line
from ftdraft.extract.owners import OwnerReader, correction_due, cue_lines
from ftdraft.extract.people import People
from ftdraft.schemas import ActionItem, CallFacts, Engagement

HEAD = (
    "Account team sync - Fernhill Insurance - 2026-11-24\n"
    "Attendees: Nadia Brooks (ATS), Omar Haddad (TAM), Jo Dunleavy (FTA), Robert Kaczmarek (AE), me (FM)\n\n"
)
FRIDAY = date(2026, 11, 27)  # the call is on Tuesday 2026-11-24


def _facts(body: str, head: str = HEAD) -> CallFacts:
    return extract_facts(head + body, Engagement())[1]


def _actions(line: str) -> list[ActionItem]:
    return _facts(f"Actions\n- {line}\n").action_items


NADIA_FORMS = [
    "Nadia to send the intro email by Friday",
    "Nadia will send the intro email by Friday",
    "Nadia'll send the intro email by Friday",
    "Nadia is going to send the intro email by Friday",
    "Nadia said she'd send the intro email by Friday",
    "Nadia said she will send the intro email by Friday",
    "Nadia offered to send the intro email by Friday",
    "Nadia: send the intro email by Friday",
    "Nadia - send the intro email by Friday",
    "Nadia Brooks (ATS) to send the intro email by Friday",
    "@Nadia can you send the intro email by Friday?",
    "send the intro email by Friday (Nadia)",
    "send the intro email -> Nadia, by Friday",
    "send the intro email — Nadia, Friday",
    "[ ] Nadia: send the intro email by Friday",
    "☐ AI Nadia – send the intro email by Friday",
    "AI Nadia - send the intro email by Friday",
    "NB to send the intro email by Friday",
    "nadia to send the intro email by Friday",
]


@pytest.mark.parametrize("line", NADIA_FORMS)
def test_every_owner_form_reads_the_owner_the_action_and_the_due(line: str) -> None:
    items = _actions(line)
    assert len(items) == 1, [(a.owner, a.action) for a in items]
    item = items[0]
    assert (item.owner, item.owner_role, item.due) == ("Nadia Brooks", "ATS", FRIDAY)
    assert "intro email" in item.action
    assert "Friday" not in item.action and "Nadia" not in item.action  # the due words and the owner are stripped
    assert not item.action.endswith("?"), item.action  # a question's mark goes with its due words


@pytest.mark.parametrize("where", ["prose", "actions"])
def test_a_request_asked_as_a_question_reads_as_the_action_without_its_question_mark(where: str) -> None:
    line = "@Omar can you send the deck by Friday?"
    items = _facts(f"{line}\n").action_items if where == "prose" else _actions(line)
    assert [(a.owner, a.action, a.due, a.due_text) for a in items] == [
        ("Omar Haddad", "send the deck", FRIDAY, "by Friday")
    ]


@pytest.mark.parametrize(
    ("line", "owners"),
    [
        ("Nadia and Omar to review the migration plan", ["Nadia Brooks", "Omar Haddad"]),
        ("Nadia + Omar: review the migration plan", ["Nadia Brooks", "Omar Haddad"]),
        ("jd + me: review the migration plan", ["Jo Dunleavy", "FM"]),
        ("review the migration plan (Jo + Omar)", ["Jo Dunleavy", "Omar Haddad"]),
    ],
)
def test_two_owners_give_one_entry_each(line: str, owners: list[str]) -> None:
    items = _actions(line)
    assert [a.owner for a in items] == owners
    assert all("migration plan" in a.action for a in items)


@pytest.mark.parametrize(
    ("line", "owner"),
    [
        ("Omar will add me to the Thursday account sync", "Omar Haddad"),
        ("Omar offered to add me to the Thursday account call", "Omar Haddad"),
        ("Omar to send me the deck", "Omar Haddad"),
        ("Nadia wants me to send the FastTrack service description", "FM"),
        ("I'll send the recap tonight", "FM"),
        ("me: send the recap", "FM"),
        ("myself: FTOP note", "FM"),
        ("send the recap (me)", "FM"),
        ("Bob will send the intro to the CIO", "Robert Kaczmarek"),  # a nickname of a known person
        ("Rob to confirm the licence count", "Robert Kaczmarek"),
        ("jd to review the wave plan", "Jo Dunleavy"),  # initials
        ("someone needs to chase the licence count", None),
        ("get the licence counts - no owner yet", None),
    ],
)
def test_who_owns_it(line: str, owner: str | None) -> None:
    items = _actions(line)
    assert [a.owner for a in items] == [owner], [(a.owner, a.action) for a in items]


def test_an_owner_who_is_not_an_attendee_is_kept_and_flagged_never_the_fm() -> None:
    facts = _facts("Actions\n- Grace will send the security deck\n")
    assert [(a.owner, a.owner_role) for a in facts.action_items] == [("Grace", None)]
    assert any("Grace" in f.message and f.field == "action_items" for f in facts.flags)


def test_joining_a_call_and_ticked_items_are_not_actions() -> None:
    facts = _facts(
        "Sync: Omar runs a weekly Thursday call, I'll join that one.\n\n"
        "Action items\n☑ AI Nadia – send the intro email\n☐ AI Omar – add me to the Thursday call\n"
    )
    assert [(a.owner, a.action) for a in facts.action_items] == [("Omar Haddad", "add me to the Thursday call")]


def test_in_teams_chat_the_speaker_owns_i() -> None:
    facts = _facts(
        "[11/24/2026 2:01 PM] Omar Haddad: I'll send the intro to their CIO\n"
        "[11/24/2026 2:02 PM] Nadia Brooks: will open the licensing case tomorrow\n"
    )
    owners = {a.owner: a for a in facts.action_items}
    assert "intro" in owners["Omar Haddad"].action
    assert owners["Nadia Brooks"].due == date(2026, 11, 25)


def test_an_inline_correction_moves_the_date() -> None:
    facts = _facts("Actions\n- Nadia: intro email to the customer by 12/4\n  [CO] I'm out Friday – make it 12/7.\n")
    intro = next(a for a in facts.action_items if "intro" in a.action)
    assert (intro.owner, intro.due) == ("Nadia Brooks", date(2026, 12, 7))


def test_a_recurring_meeting_day_is_no_due_date() -> None:
    items = _actions("Omar to add me to the fortnightly Monday account call")
    assert [(a.owner, a.due) for a in items] == [("Omar Haddad", None)]


def test_prose_with_several_owners_and_pronouns() -> None:
    facts = _facts(
        "Nadia will send the intro email by Friday. Omar said he'd pull the incident review. I'll send the recap "
        "tomorrow.\nRob asked that we join his monthly call; he'll forward the invite.\n"
    )
    got = {(a.owner, a.due) for a in facts.action_items}
    assert got == {
        ("Nadia Brooks", FRIDAY),
        ("Omar Haddad", None),
        ("FM", date(2026, 11, 25)),
        ("Robert Kaczmarek", None),
    }


def test_an_ambiguous_date_is_read_day_first_in_a_day_first_note_and_flagged_with_both_readings() -> None:
    facts = _facts("Actions\n- Nadia to send the deck by 1/8\n- Omar to confirm the count by 13/12\n")
    deck = next(a for a in facts.action_items if "deck" in a.action)
    assert deck.due == date(2027, 8, 1)  # 13/12 shows the day-first habit
    flag = next(f for f in facts.flags if "1/8" in f.message)
    assert "2027-01-08" in flag.message and "2027-08-01" in flag.message


@pytest.mark.parametrize(
    "line",
    [
        "Nadia to send the intro email by Friday Teams rollout looks fine",
        "Nadia to send the intro email by Friday, Teams pilot is on track",
        "Nadia to send the intro email by Friday at the latest",
        "Nadia to send the intro email by Friday team call",
    ],
)
def test_a_due_day_followed_by_more_words_is_still_the_due(line: str) -> None:
    """Only a day followed by a meeting word ("Friday team call", "Thursday sync") is a rhythm, not a due."""
    [item] = _actions(line)
    assert (item.owner, item.due) == ("Nadia Brooks", FRIDAY)


def _corpus_lines() -> list[tuple[list[Line], People]]:
    """Every corpus note's lines and people, read as extract_facts reads them."""
    out = []
    for path in sorted(Path("tests/fixtures/corpus").glob("*.txt")):
        lines = split_lines(path.read_text(encoding="utf-8"))
        people = People(Engagement())
        find_people(lines, people)
        out.append((lines, people))
    return out


def test_the_cues_found_for_all_lines_at_once_read_as_each_line_tested_alone() -> None:
    """cue_lines (one pass over all the lines) gives OwnerReader.read and correction_due the answers they would find
    themselves."""
    read = moved = 0
    for lines, people in _corpus_lines():
        for line, (cued, moves) in zip(lines, cue_lines(lines), strict=True):
            alone, together = OwnerReader(people, FRIDAY, False), OwnerReader(people, FRIDAY, False)
            assert together.read(line, cued) == alone.read(line), line.text
            assert correction_due(line, together, moves) == correction_due(line, alone), line.text
            read += bool(alone.read(line))
            moved += correction_due(line, alone) is not None
    assert read > 50 and moved > 0  # the corpus has actions and moved dates: the comparison saw both


@pytest.mark.parametrize(
    ("line", "owner"),
    [
        ("AI Omar opens the support case", "Omar Haddad"),
        ("TODO Nadia sends the intro email", "Nadia Brooks"),
        ("Todo: Omar opens the support case", "Omar Haddad"),
        ("ai: Omar opens the support case", "Omar Haddad"),
        ("Action: Nadia sends the intro email", "Nadia Brooks"),
    ],
)
def test_a_to_do_prefix_outside_an_action_list_makes_an_action_item(line: str, owner: str) -> None:
    """An AI / TODO / Action prefix makes the line an action item: "Name verb …" there names its owner."""
    actions = _facts(f"Notes\n{line}\n").action_items
    assert [a.owner for a in actions] == [owner], line


def test_the_search_for_all_short_forms_finds_the_words_splitting_the_line_finds() -> None:
    """whos on long notes searches a line for every short form at once (after forms_search_after lines); on every
    corpus line, and on words joined by hyphens and apostrophes, it finds the same people as splitting the words."""
    extra = ["x-nadia will send it", "@omar-x to check", "nadia-omar to check", "o'omar to send", "2nadia, omar's"]
    seen = 0
    for lines, people in _corpus_lines():
        searching, splitting = OwnerReader(people, FRIDAY, False), OwnerReader(people, FRIDAY, False)
        searching.forms_search_after, splitting.forms_search_after = 0, 10**9
        for text in [line.text for line in lines] + extra:
            for actiony in (True, False):
                got = searching.whos(text, None, actiony)
                assert got == splitting.whos(text, None, actiony), text
                seen += len(got)
        for line in lines:
            assert searching.read(line) == splitting.read(line), line.text
    assert seen > 100
