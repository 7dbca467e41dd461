"""check_bundle: every guardrail finding for a bundle, without changing it; quotes in findings made inert."""

from __future__ import annotations

from collections.abc import Iterable

from ..schemas import Check, DraftBundle, Engagement
from .audience import audience_checks
from .coaching import intent_checks
from .consistency import consistency_checks
from .grounding import build_corpus, grounding_checks
from .headers import context_header_checks, header_checks
from .injection import injection_checks, leak_markers, notes_checks
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
    canaries, secrets = leak_markers(canaries, secrets)
    checks = audience_checks(drafts, bundle.facts)
    checks += injection_checks(drafts, canaries, secrets)
    checks += header_checks(drafts)
    checks += context_header_checks(bundle.engagement)
    if notes is not None or context is not None or trusted_facts:
        corpus = build_corpus(bundle, notes, agenda_answers, context, trusted_facts)
        checks += roster_checks(drafts, build_roster(bundle, context, corpus))
        if notes is not None or trusted_facts:
            checks += grounding_checks(drafts, corpus)
    checks += consistency_checks(bundle)
    checks += intent_checks(bundle)
    checks += notes_checks(notes)
    return ranked(checks)


def defang(text: str) -> str:
    """A finding's quote made inert wherever it is shown (app, Markdown export): tags and markdown images lose
    their syntax but stay readable ('‹script›', '! [x](url)')."""
    return text.replace("<", "‹").replace(">", "›").replace("![", "! [")


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def ranked(checks: list[Check]) -> list[Check]:
    """Findings once each, their quotes made inert, errors first (a stable sort keeps the order within a severity)."""
    return sorted(_dedupe(checks), key=lambda c: _SEVERITY_ORDER[c.severity])


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
