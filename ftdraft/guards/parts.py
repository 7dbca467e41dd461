"""The texts of a bundle's drafts, each with the audience that reads it, and the sentences in a text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..schemas import CalendarInvite, Drafts, Email


@dataclass
class Part:
    """One piece of text in a draft, with its reader."""

    draft: str
    audience: str  # account_team | customer | internal
    label: str  # e.g. "body", "subject", "customer blurb"
    text: str


def iter_parts(drafts: Drafts) -> Iterator[Part]:
    """Every text a reader will see, per draft, with the audience that reads it."""
    for item in drafts.prep.items:
        yield Part("prep", "internal", "checklist", item.text)
    yield from _email_parts("internal_invite", drafts.internal_invite.email)
    yield from _invite_parts("internal_invite", drafts.internal_invite.invite, drafts.internal_invite.email.audience)
    yield from _email_parts("intro_request", drafts.intro_request.email)
    yield Part("intro_request", "customer", "customer blurb", drafts.intro_request.customer_blurb)
    if drafts.teams_channel is not None:
        yield from _email_parts("teams_channel", drafts.teams_channel)
    yield from _email_parts("follow_up", drafts.follow_up)
    ftop = drafts.ftop
    yield Part("ftop", "internal", "text", ftop.text)
    for label, items in (
        ("participants", ftop.participants),
        ("discussion points", ftop.discussion_points),
        ("customer questions", ftop.customer_questions),
        ("FTC actions", ftop.ftc_actions),
    ):
        for entry in items:
            yield Part("ftop", "internal", label, entry)
    yield Part("ftop", "internal", "playbook task", ftop.playbook_task)
    for na in ftop.next_actions:
        yield Part("ftop", "internal", "next action", na.action)
    for sin in ftop.service_intent_notes:
        yield Part("ftop", "internal", "service intent note", sin.note)
    yield from _email_parts("sync_rhythm", drafts.sync_rhythm.email)
    if drafts.sync_rhythm.invite is not None:
        yield from _invite_parts("sync_rhythm", drafts.sync_rhythm.invite, drafts.sync_rhythm.email.audience)


def _email_parts(draft: str, email: Email) -> Iterator[Part]:
    yield Part(draft, email.audience, "subject", email.subject)
    yield Part(draft, email.audience, "body", email.body)


def _invite_parts(draft: str, invite: CalendarInvite, audience: str) -> Iterator[Part]:
    yield Part(draft, audience, "invite title", invite.title)
    yield Part(draft, audience, "invite description", invite.description)
    yield Part(draft, audience, "invite location", invite.location)


SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


def sentences(text: str) -> Iterator[str]:
    """Sentences, line by line: bullets and headings stay whole, prose is split at sentence ends."""
    for line in text.splitlines():
        for s in SENTENCE_SPLIT.split(line):
            if s.strip():
                yield s.strip()


def clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
