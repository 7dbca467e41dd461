"""Reader behaviour the other extraction tests left open, found by mutation testing (issue 15, bench/mutation.py):
the customer's asks (agenda m): what each ask says, whether it is in FastTrack's scope, and who routes it."""

from __future__ import annotations

from ftdraft.extract import extract_facts
from ftdraft.schemas import Engagement, Person

TEAM = Engagement(
    customer="Contoso",
    account_team=[
        Person(name="Priya Raman", role="ATS", email="priya@contoso.com"),
        Person(name="Tom Becker", role="TAM"),
    ],
)

ASKS_NOTES = """Contoso - call 2026-11-18
Attendees: Priya Raman (ATS), Tom Becker (TAM)
Asks: help with the Teams rollout - before March; also a Copilot licensing deal
m. Asks: Copilot Studio agents, out of FastTrack scope - Priya will route to the partner team
Asks: none
- Customer asked about Teams Phone for the depots, not in FT scope
"""


def test_asks_say_what_was_asked_whether_fasttrack_covers_it_and_who_routes_it() -> None:
    _, facts = extract_facts(ASKS_NOTES, TEAM)
    assert [(a.text, a.in_scope, a.routed_to, a.sources[0].lines) for a in facts.asks] == [
        ("Help with the Teams rollout.", True, None, [3]),  # the ask, not its timing or the next ask
        ("Copilot Studio agents, out of FastTrack scope.", False, "Priya Raman", [4]),
        ("Customer asked about Teams Phone for the depots, not in FT scope.", False, None, [6]),
    ]  # "Asks: none" is no ask
    for ask in facts.asks:
        assert ask.sources[0].text == ASKS_NOTES.splitlines()[ask.sources[0].lines[0] - 1]


def test_no_asks_in_the_notes_means_none() -> None:
    notes = "Contoso - call 2026-11-18\nAttendees: Priya Raman (ATS)\nAsks: n/a\n- Teams rollout, intent is real\n"
    assert extract_facts(notes, TEAM)[1].asks == []
