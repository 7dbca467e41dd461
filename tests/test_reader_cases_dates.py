"""Reader cases 03, 04, 12 and the corpus's call dates: dates, day-first habit and the call date (right values from
tests/fixtures/cases/reader/README.md and the corpus labels)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from ftdraft.dates import day_first_habit, read_due
from ftdraft.extract import extract_facts
from ftdraft.schemas import Engagement

CASES = Path(__file__).parent / "fixtures" / "cases" / "reader"
CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def test_case_03_relative_and_partial_dates() -> None:
    notes = (CASES / "03-relative-dates.md").read_text()
    call = date(2026, 11, 27)
    habit = day_first_habit(notes)
    assert habit  # 13/12 shows the habit

    def due(text: str) -> tuple[date | None, str]:
        d = read_due(text, call, day_first=habit)
        return d.value, text[: d.start] + text[d.end :]

    assert due("Nadia to send the intro email by end of next week") == (
        date(2026, 12, 4),
        "Nadia to send the intro email ",
    )
    assert due("Omar to share the device inventory by next Friday")[0] == date(2026, 12, 4)
    assert due("Nadia to confirm the pilot group by 13/12")[0] == date(2026, 12, 13)
    ambiguous = read_due("Omar to book the kickoff room by 1/8", call, day_first=habit)
    assert ambiguous.ambiguous == (date(2027, 1, 8), date(2027, 8, 1))
    assert ambiguous.value == date(2027, 8, 1)  # the note's day-first habit picks; both readings are kept
    assert due("me: send recap by EOW")[0] == date(2026, 11, 27)
    q1 = read_due("Omar to check licensing by end of Q1", call, day_first=habit)
    assert (q1.value, q1.words) == (None, "end of Q1")


def test_case_04_day_first_notes() -> None:
    notes = (CASES / "04-ddmm-dates.md").read_text()
    engagement, _ = extract_facts(notes, Engagement(), {})
    assert engagement.call_date == date(2026, 11, 27)
    assert day_first_habit(notes)
    assert read_due("by 03/12", engagement.call_date, day_first=True).value == date(2026, 12, 3)
    assert read_due("by 18/12", engagement.call_date, day_first=True).value == date(2026, 12, 18)


def test_case_12_german_notes_call_date_and_dates() -> None:
    notes = (CASES / "12-german-notes.md").read_text()
    engagement, _ = extract_facts(notes, Engagement(), {})
    assert engagement.call_date == date(2026, 11, 24)
    assert (engagement.customer, engagement.rfa_id) == ("Kestrel Maschinenbau", "8500")
    assert read_due("Nadia schickt die Intro-Mail an den Kunden bis Freitag", engagement.call_date).value == date(
        2026, 11, 27
    )
    # "am Donnerstag" after the account call names the meeting's day, not a due date
    assert (
        read_due("Omar fügt mich zum wöchentlichen Account-Call am Donnerstag hinzu", date(2026, 11, 24)).words is None
    )


CORPUS_NOTES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")


@pytest.mark.parametrize("note", CORPUS_NOTES, ids=[p.stem for p in CORPUS_NOTES])
def test_corpus_call_date(note: Path) -> None:
    want = yaml.safe_load((CORPUS / f"{note.stem}.expected.yaml").read_text())["call_date"]
    engagement, _ = extract_facts(note.read_text(), Engagement(), {})
    assert engagement.call_date == want


@pytest.mark.parametrize(
    ("notes", "customer"),
    [
        (
            "TICKET: FT-ENG-2026-11873\nType: Account team sync\nCustomer: Pemberton Orchard Growers Ltd\n",
            "Pemberton Orchard Growers Ltd",
        ),
        ("Voice memo – Halvorsen Marine – transcribed 01/12/2026 14:52\n", "Halvorsen Marine"),
        ("Subject: note to self – Marigold Assurances RFA 90233 – today's AT call\n", "Marigold Assurances"),
        (
            "Meeting notes\nBrightwater Credit Union | Account team intro sync – FastTrack RFA 71822\n",
            "Brightwater Credit Union",
        ),
        ("🌴 Tamarind Foods – Health – AT sync 🌴\n", "Tamarind Foods"),
    ],
)
def test_customer_from_a_label_or_a_decorated_title(notes: str, customer: str) -> None:
    assert extract_facts(notes, Engagement(), {})[0].customer == customer


def test_a_weekday_named_in_the_head_picks_the_reading_of_an_ambiguous_call_date() -> None:
    notes = "Voice memo – Halvorsen Marine – transcribed 01/12/2026 14:52\n\nso it's Tuesday the first of December\n"
    assert extract_facts(notes, Engagement(), {})[0].call_date == date(2026, 12, 1)
    assert extract_facts("Sync – Contoso – Call-Date: x\nCall-Date: 2026-11-19\n", Engagement(), {})[
        0
    ].call_date == date(2026, 11, 19)
