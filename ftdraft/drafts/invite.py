"""The drafts before and around the call: the prep checklist, the internal invite (email and calendar invite)
and the request to join the account team's Teams channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..agenda import agenda_for
from ..schemas import MANDATORY_ROLES, CalendarInvite, ChecklistItem, Email, InternalInvite, PrepChecklist
from ..templating import render
from .core import email, invite_text

if TYPE_CHECKING:
    from .call import Call


def render_prep_checklist(call: Call) -> PrepChecklist:
    roster = call.roster
    text = render(
        "offline/prep.j2",
        **call.base,
        has_csm=bool(roster.by_role("CSM")),
        missing_roles=[r for r in MANDATORY_ROLES if not roster.by_role(r)],
    )
    items = [ChecklistItem(text=line[2:].strip()) for line in text.splitlines() if line.startswith("- ")]
    return PrepChecklist(motion=call.engagement.motion, items=items)


def render_invite(call: Call) -> InternalInvite:
    roster = call.roster
    team = call.team
    agenda = [{"key": item.key, "text": item.invite_text} for item in agenda_for(call.engagement.motion)]
    context = {
        **call.base,
        "agenda": agenda,
        "has_csm": bool(roster.by_role("CSM")),
        "missing_roles": [r for r in MANDATORY_ROLES if not roster.by_role(r)],
    }
    draft = email("offline/internal_invite_email.j2", "account_team", team, **context)
    title, description = invite_text("offline/internal_invite_event.j2", **context)
    if team.unaddressed:
        description += "\nAlso invite (no email address known): " + "; ".join(team.unaddressed) + ".\n"
    invite = CalendarInvite(
        title=title, required=team.to, optional=team.cc, description=description, duration_minutes=30
    )
    return InternalInvite(email=draft, invite=invite)


def render_teams_request(call: Call) -> Email | None:
    if call.facts.teams_channel is None:
        return None
    return email("offline/teams_channel_email.j2", "account_team", call.team, **call.base)
