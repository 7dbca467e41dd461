"""The request to the account team to introduce FastTrack to the customer, with the forwardable blurb."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..schemas import IntroRequest, Person
from ..templating import render
from .core import addressees, due, email, named_with_role, one_line
from .text import expand, strip_markup

if TYPE_CHECKING:
    from .call import Call

# "send the intro email to Pavel + Rosa Achterberg (IT ops lead)": the contacts the notes name for the intro.
_INTRO_TO = re.compile(r"\bintro(?:duction|duce|s)?\b(?:\s+(?:e-?mail|mail|note))?\s+(?:fasttrack\s+)?to\s+(.+)$", re.I)
_NOT_A_CONTACT = re.compile(r"^(?:the |a |an )?(?:customer|client|them|right (?:people|contacts?))\b", re.I)


def intro_owner(call: Call) -> Person | None:
    """The account-team member the notes say will introduce FastTrack to the customer, if any."""
    roster = call.roster
    for a in call.intro_actions:
        person = roster.find(a.owner) if a.owner else None
        if person is None and a.owner_role and a.owner_role not in ("FM", "FTA"):
            holders = roster.by_role(a.owner_role)
            person = holders[0] if len(holders) == 1 else None
        if roster.in_team(person):
            return person
    return None


def intro_due(call: Call) -> dict[str, Any]:
    for a in call.intro_actions:
        if a.due or a.due_text:
            return due(a.due, a.due_text)
    return due(None, None)


def named_contacts(call: Call) -> list[str]:
    """The customer contacts the notes name for the intro: the engagement's contacts, else the names in the intro
    action ("to Pavel and Rosa Achterberg (IT ops lead)"); empty when the notes name nobody."""
    contacts = []
    for p in call.engagement.customer_contacts:
        if one_line(p.name):
            title = one_line(p.title)
            contacts.append(f"{one_line(p.name)} ({title})" if title else one_line(p.name))
    if contacts:
        return contacts
    for a in call.intro_actions:
        m = _INTRO_TO.search(strip_markup(one_line(a.action)))
        if m and not _NOT_A_CONTACT.match(m.group(1)):
            named = expand(m.group(1)).strip(" .;,")
            named = re.split(r"\s+(?:by|before|on|asap)\b", named, maxsplit=1)[0]
            named = re.sub(r"\s+\?+(?=\s|$)", "", named).strip(" .;,?")  # "… (Sunita) ?": the note's doubt
            if named and any(ch.isupper() for ch in named):
                return [named]
    return []


def render_intro(call: Call) -> IntroRequest:
    roster = call.roster
    owner = intro_owner(call)
    team = call.team
    if owner is not None:
        others = [p for p in roster.everyone() if p is not owner and p is not roster.fm and one_line(p.name)]
        who = addressees([owner], others, team.unknown_roles)
    else:
        who = team
    base = call.base
    fta = roster.fta
    blurb = render(
        "offline/customer_blurb.j2",
        **base,
        fta_intro=named_with_role(fta).replace("(FTA)", "").strip() if fta and one_line(fta.name) else None,
    ).strip()
    draft = email(
        "offline/intro_request_email.j2",
        "account_team",
        who,
        **base,
        contacts=named_contacts(call),
        agreed=bool(call.intro_actions),  # "As agreed" only when the notes say someone will make the intro
        blurb=blurb,
        **intro_due(call),
    )
    return IntroRequest(email=draft, customer_blurb=blurb)
