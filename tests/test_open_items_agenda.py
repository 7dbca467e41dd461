"""Which unanswered agenda items become open items (agenda.open_when_unanswered)."""

from __future__ import annotations

from ftdraft.agenda import AGENDA, open_when_unanswered
from ftdraft.extract import extract_facts
from ftdraft.schemas import Engagement


def test_the_offerings_briefing_is_never_chased_the_rest_is() -> None:
    assert not open_when_unanswered("b", "RFA") and not open_when_unanswered("b", "Health")
    assert all(open_when_unanswered(item.key, "RFA") for item in AGENDA if item.key != "b")


def test_unanswered_offerings_item_gives_no_open_item_but_stays_unanswered() -> None:
    _, facts = extract_facts("Contoso - AT sync 2026-11-24\nATS: Priya Raman\n", Engagement(motion="RFA"), {})
    assert next(a for a in facts.agenda if a.item == "b").answered is False
    asked = {o.agenda_item for o in facts.open_items if o.agenda_item}
    assert "b" not in asked and {"e", "h", "n"} <= asked
