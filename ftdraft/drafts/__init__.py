"""Writes every Initiate-phase draft from (engagement, facts) with the offline templates in prompts/offline/.

Pure and deterministic: the same inputs give the same drafts. One module per draft family (invite, intro,
follow_up, ftop, sync) around a small shared core (core: roster and recipients; text: note text into prose;
call: the facts prepared once). Python picks, sorts and resolves the data; the wording lives in the templates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..gc_pause import gc_paused
from ..schemas import (
    DRAFT_NAMES,
    CallFacts,
    Drafts,
    Email,
    Engagement,
    FtopEntry,
    InternalInvite,
    IntroRequest,
    PrepChecklist,
    SyncRhythmDraft,
)
from .call import Call
from .core import FM_PLACEHOLDER, field_safe
from .follow_up import render_follow_up as _follow_up_of
from .follow_up import summary_lines
from .ftop import render_ftop as _ftop_of
from .intro import render_intro
from .invite import render_invite, render_prep_checklist, render_teams_request
from .sync import build_rrule, describe_rhythm, render_sync


def render_prep(engagement: Engagement, facts: CallFacts) -> PrepChecklist:
    return render_prep_checklist(Call(engagement, facts))


def render_internal_invite(engagement: Engagement, facts: CallFacts) -> InternalInvite:
    return render_invite(Call(engagement, facts))


def render_intro_request(engagement: Engagement, facts: CallFacts) -> IntroRequest:
    return render_intro(Call(engagement, facts))


def render_teams_channel(engagement: Engagement, facts: CallFacts) -> Email | None:
    return render_teams_request(Call(engagement, facts))


def render_follow_up(engagement: Engagement, facts: CallFacts) -> Email:
    return _follow_up_of(Call(engagement, facts))


def render_ftop(engagement: Engagement, facts: CallFacts) -> FtopEntry:
    return _ftop_of(Call(engagement, facts))


def render_sync_rhythm(engagement: Engagement, facts: CallFacts) -> SyncRhythmDraft:
    return render_sync(Call(engagement, facts))


def summary_topics(engagement: Engagement, facts: CallFacts) -> list[str]:
    """The follow-up's summary lines (one per workload, then one per topic), as the email shows them."""
    return summary_lines(Call(engagement, facts))[0]


PARTS: dict[str, Callable[[Call], Any]] = {
    "prep": render_prep_checklist,
    "internal_invite": render_invite,
    "intro_request": render_intro,
    "teams_channel": render_teams_request,
    "follow_up": _follow_up_of,
    "ftop": _ftop_of,
    "sync_rhythm": render_sync,
}
assert tuple(PARTS) == DRAFT_NAMES, "every draft in schemas.DRAFT_NAMES needs a renderer"


def render_draft(name: str, engagement: Engagement, facts: CallFacts) -> Any:
    """One draft by its name in schemas.DRAFT_NAMES, so the app can regenerate one part alone.
    Raises ValueError for an unknown name."""
    try:
        part = PARTS[name]
    except KeyError:
        raise ValueError(f"unknown draft {name!r}; expected one of {', '.join(DRAFT_NAMES)}") from None
    return part(Call(engagement, facts))


def render_drafts(engagement: Engagement, facts: CallFacts) -> Drafts:
    """Every draft from the same facts, sharing what several drafts use (owners, open items, asks, topics)."""
    with gc_paused():
        call = Call(engagement, facts)
        return Drafts(**{name: part(call) for name, part in PARTS.items()})


__all__ = [
    "FM_PLACEHOLDER",
    "build_rrule",
    "describe_rhythm",
    "field_safe",
    "render_draft",
    "render_drafts",
    "render_follow_up",
    "render_ftop",
    "render_internal_invite",
    "render_intro_request",
    "render_prep",
    "render_sync_rhythm",
    "render_teams_channel",
    "summary_topics",
]
