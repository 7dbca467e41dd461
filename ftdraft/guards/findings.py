"""check_bundle: every guardrail finding for a bundle, without changing it; quotes in findings made inert."""

from __future__ import annotations

from collections.abc import Iterable

from ..schemas import Check, DraftBundle, Engagement
from .audience import audience_checks
from .coaching import intent_checks
from .consistency import consistency_checks
from .grounding import build_corpus, grounding_checks
from .injection import default_canaries, injection_checks, notes_checks, secret_values
from .recipients import build_roster, roster_checks


def check_bundle(
    bundle: DraftBundle,
    notes: str | None = None,
    agenda_answers: dict[str, str] | None = None,
    context: Engagement | None = None,
    *,
    trusted_facts: bool = False,
    canaries: Iterable[str] | None = None,
    secrets: Iterable[str] | None = None,
) -> list[Check]:
    """Every guardrail finding for a bundle, without changing it.

    notes/agenda_answers/context are what the FM gave us; grounding is skipped when no notes are given.
    trusted_facts: the facts were corrected by the FM (redraft), so their words count as grounded.
    """
    drafts = bundle.drafts
    canaries = list(canaries) if canaries is not None else default_canaries()
    secrets = list(secrets) if secrets is not None else secret_values()
    checks = audience_checks(drafts, bundle.facts)
    checks += injection_checks(drafts, canaries, secrets)
    if notes is not None or context is not None or trusted_facts:
        corpus = build_corpus(bundle, notes, agenda_answers, context, trusted_facts)
        checks += roster_checks(drafts, build_roster(bundle, context, corpus))
        if notes is not None or trusted_facts:
            checks += grounding_checks(drafts, corpus)
    checks += consistency_checks(bundle)
    checks += intent_checks(bundle)
    checks += notes_checks(notes)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(_dedupe(checks), key=lambda c: order[c.severity])


def defang(text: str) -> str:
    """A finding's quote made inert wherever it is shown (app, Markdown export): tags and markdown images lose
    their syntax but stay readable ('‹script›', '! [x](url)')."""
    return text.replace("<", "‹").replace(">", "›").replace("![", "! [")


def _dedupe(checks: list[Check]) -> list[Check]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for c in checks:
        c = c.model_copy(update={"text": defang(c.text), "suggestion": defang(c.suggestion)})
        key = (c.draft, c.rule, c.text)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
