"""The files in examples/ that the README points to: every sample drafts, and the context/agenda files apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftdraft.inputs import load_agenda, load_context, read_notes_file
from ftdraft.pipeline import offline_bundle

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAMPLES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".md", ".txt"))


def test_there_are_samples_to_try() -> None:
    assert len(SAMPLES) >= 3


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_each_sample_gives_every_draft(sample: Path) -> None:
    bundle = offline_bundle(read_notes_file(sample))
    assert bundle.engagement.customer
    follow_up = bundle.drafts.follow_up
    # the samples carry no email addresses: nobody goes in To/Cc (issue 10), the body greets and names the team
    # and asks for the addresses before sending
    assert (follow_up.to, follow_up.cc) == ([], []), "only people with an address are recipients"
    ats = next(a for a in bundle.facts.attendees if a.role == "ATS" and a.name)
    assert ats.name.split()[0] in follow_up.body.split("\n", 1)[0], "the greeting names the ATS"
    assert "no email address on file" in follow_up.body and ats.name in follow_up.body
    assert "Participants" in bundle.drafts.ftop.text


def test_context_and_agenda_files_flow_into_the_drafts() -> None:
    context = load_context(EXAMPLES / "contoso-context.yaml")
    agenda = load_agenda(EXAMPLES / "contoso-agenda.yaml")
    assert context.fm is not None and context.fm.role == "FM"
    bundle = offline_bundle(read_notes_file(EXAMPLES / "rfa-contoso-pharma.md"), context, agenda)

    follow_up = bundle.drafts.follow_up
    assert {r.email for r in follow_up.to} == {"priya.raman@example.com", "tom.becker@example.com"}
    assert follow_up.body.rstrip().endswith("Alex Morgan"), "signed by the FM named in the context"
    environment = next(a for a in bundle.facts.agenda if a.item == "d")
    assert environment.answered and "Entra Connect" in (environment.answer or "")
    assert environment.sources[0].origin == "agenda"
    assert not any(o.agenda_item == "d" for o in bundle.facts.open_items), "a typed answer closes its open item"
