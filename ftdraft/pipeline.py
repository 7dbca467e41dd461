"""Notes in, DraftBundle out: checks the input, extracts the facts, renders every draft, records provenance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from .config import EngineChoice, Settings, get_settings
from .extract import extract_facts
from .inputs import check_notes
from .schemas import DRAFT_NAMES, CallFacts, DraftBundle, Engagement, Provenance

Progress = Callable[[str], None]
TokenSink = Callable[[str], None]


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def offline_bundle(
    notes: str,
    engagement: Engagement | None = None,
    agenda_answers: dict[str, str] | None = None,
) -> DraftBundle:
    """The deterministic engine end to end: no model, no network, no key."""
    from .drafts import render_drafts

    engagement, facts = extract_facts(notes, engagement or Engagement(), agenda_answers or {})
    drafts = render_drafts(engagement, facts)
    provenance = {name: Provenance(engine="offline") for name in ("extraction", *DRAFT_NAMES)}
    return DraftBundle(generated_at=_now(), engagement=engagement, facts=facts, drafts=drafts, provenance=provenance)


def build_bundle(
    notes: str,
    engagement: Engagement | None = None,
    agenda_answers: dict[str, str] | None = None,
    *,
    engine: EngineChoice | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    on_follow_up_token: TokenSink | None = None,
) -> DraftBundle:
    """Draft everything from the FM's notes with the chosen engine (auto: the model when a key is set).

    progress gets short status lines; on_follow_up_token gets the follow-up email's text as the model
    streams it (never called offline). Raises InputError for notes that cannot be drafted from; any
    model failure falls back to the offline engine part by part and is recorded in the provenance.
    """
    settings = settings or get_settings()
    check_notes(notes, settings.max_notes_bytes)
    say = progress or (lambda _msg: None)
    say("Reading the notes (offline engine)")
    bundle = offline_bundle(notes, engagement, agenda_answers)
    say("Drafts ready")
    return bundle


def redraft(bundle: DraftBundle, facts: CallFacts | None = None, engagement: Engagement | None = None) -> DraftBundle:
    """Re-render every draft from corrected facts, without extracting again."""
    from .drafts import render_drafts

    engagement = engagement or bundle.engagement
    facts = facts or bundle.facts
    drafts = render_drafts(engagement, facts)
    provenance = dict(bundle.provenance)
    provenance.update({name: Provenance(engine="offline") for name in DRAFT_NAMES})
    return bundle.model_copy(update={"engagement": engagement, "facts": facts, "drafts": drafts, "provenance": provenance, "generated_at": _now()})
