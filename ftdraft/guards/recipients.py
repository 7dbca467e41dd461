"""Recipients only from the FM's people: the roster a bundle may address, and findings for anyone else."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..schemas import Check, DraftBundle, Drafts, Email, Engagement, Person, Recipient

if TYPE_CHECKING:
    from .grounding import Corpus


@dataclass
class Roster:
    names: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)

    def admits(self, r: Recipient) -> bool:
        if r.email:
            return r.email.strip().lower() in self.emails
        if r.name:
            return _norm_name(r.name) in self.names
        return r.role is not None  # a role placeholder ("[TAM - name unknown]") addresses nobody


def _norm_name(name: str) -> str:
    return " ".join(name.lower().split())


def build_roster(bundle: DraftBundle, context: Engagement | None, corpus: Corpus) -> Roster:
    """People the FM gave us (context) plus people of the enriched engagement whose name or address is in the notes."""
    roster = Roster()

    def add(p: Person | None, trusted: bool) -> None:
        if p is None:
            return
        grounded = trusted or (p.name and corpus.has_phrase(p.name)) or (p.email and corpus.has_email(p.email))
        if not grounded:
            return
        if p.name:
            roster.names.add(_norm_name(p.name))
        if p.email and (trusted or corpus.has_email(p.email)):
            roster.emails.add(p.email.strip().lower())

    for eng, trusted in ((context, True), (bundle.engagement, False)):
        if eng is None:
            continue
        for p in (*eng.account_team, eng.fm, eng.fta):
            add(p, trusted)
    return roster


def recipients_of(drafts: Drafts) -> Iterator[tuple[str, Recipient]]:
    emails: list[tuple[str, Email]] = [
        ("internal_invite", drafts.internal_invite.email),
        ("intro_request", drafts.intro_request.email),
        ("follow_up", drafts.follow_up),
        ("sync_rhythm", drafts.sync_rhythm.email),
    ]
    if drafts.teams_channel is not None:
        emails.append(("teams_channel", drafts.teams_channel))
    for name, email in emails:
        for r in (*email.to, *email.cc):
            yield name, r
    invites = [("internal_invite", drafts.internal_invite.invite)]
    if drafts.sync_rhythm.invite is not None:
        invites.append(("sync_rhythm", drafts.sync_rhythm.invite))
    for name, inv in invites:
        for r in (*inv.required, *inv.optional):
            yield name, r


def roster_checks(drafts: Drafts, roster: Roster) -> list[Check]:
    checks = []
    for name, r in recipients_of(drafts):
        if not roster.admits(r):
            checks.append(
                Check(
                    draft=name,
                    severity="error",
                    rule="recipients.not_on_roster",
                    text=r.display,
                    suggestion="Recipients come only from the engagement's account team: remove this one, "
                    "or add the person to the account team first.",
                )
            )
    return checks
