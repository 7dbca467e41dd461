"""Extracts CallFacts from raw notes with rules (the offline engine). STUB: being written."""

from __future__ import annotations

from .schemas import CallFacts, Engagement


def extract_facts(
    notes: str, engagement: Engagement, agenda_answers: dict[str, str] | None = None
) -> tuple[Engagement, CallFacts]:
    """Return the engagement (enriched from the notes) and the facts found in the notes."""
    return engagement, CallFacts()
