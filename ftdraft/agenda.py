"""The fixed account-team sync agenda (items a-n of the Initiate phase) and what to ask when one is unanswered."""

from __future__ import annotations

from dataclasses import dataclass

from .schemas import Motion


@dataclass(frozen=True)
class AgendaItem:
    key: str
    title: str
    invite_text: str  # the line in the internal invite's agenda
    ask: str  # the open item when the call left it unanswered
    health_only: bool = False
    # the motions for which the item left unanswered is an open item: one that does not matter for the motion
    # (the offerings briefing is "if required": the FM offers it, nobody has to answer it) is not worth chasing
    open_for: frozenset[str] = frozenset({"RFA", "Health", "Targeted"})


AGENDA: tuple[AgendaItem, ...] = (
    AgendaItem(
        "a",
        "Intro and FastTrack process",
        "Intro, incl. the FastTrack process (validate the team's understanding)",
        "Walk the account team through the FastTrack process and confirm their understanding.",
    ),
    AgendaItem(
        "b",
        "FastTrack offerings",
        "New FastTrack Center offerings, current offerings and internal motions, if required",
        "Confirm whether the team needs a briefing on current FastTrack offerings.",
        open_for=frozenset(),
    ),
    AgendaItem(
        "c",
        "Validate intent",
        "Validate intent for the workloads in scope; reasons why any are blocked or have no intent",
        "Confirm the customer's intent per workload, and why any workload is blocked or has no intent.",
    ),
    AgendaItem(
        "d", "Environment background", "Environment background", "Ask for background on the customer's environment."
    ),
    AgendaItem("e", "Licenses", "Confirm licenses", "Confirm the customer's licenses (SKUs and seat counts)."),
    AgendaItem(
        "f",
        "Compete / third-party products",
        "Compete / third-party products in play",
        "Ask whether any competing or third-party products are in play.",
    ),
    AgendaItem(
        "g",
        "Migration source",
        "Migration source environment",
        "Ask what the migration source environment is.",
    ),
    AgendaItem(
        "h",
        "Partner",
        "Partner or FastTrack Ready Partner engaged",
        "Ask whether a partner or FastTrack Ready Partner is engaged.",
    ),
    AgendaItem(
        "i",
        "Additional tenants",
        "Additional tenants to be aware of",
        "Ask whether there are additional tenants FastTrack should know about.",
        health_only=True,
    ),
    AgendaItem(
        "j",
        "Org chart",
        "Org chart of the people FastTrack will work with (role, Microsoft technology owned)",
        "Ask for an org chart of the customer contacts FastTrack will work with (role, technology owned).",
    ),
    AgendaItem(
        "k",
        "Political changes",
        "Political changes at the customer",
        "Ask whether there are political or organizational changes at the customer.",
    ),
    AgendaItem(
        "l",
        "Timeline, risks, current issues",
        "Timeline, risks and current issues",
        "Ask for the customer's timeline, risks and current issues.",
    ),
    AgendaItem("m", "Asks", "Asks", "Ask whether the customer or the account team has any asks of FastTrack."),
    AgendaItem(
        "n",
        "Field sync rhythm",
        "Internal field-team sync rhythm (join an existing one, or schedule one)",
        "Agree on a recurring field-team sync: join an existing one or schedule a new one.",
    ),
)

AGENDA_BY_KEY: dict[str, AgendaItem] = {item.key: item for item in AGENDA}


def agenda_for(motion: Motion | None) -> tuple[AgendaItem, ...]:
    """The agenda for a motion: item i (additional tenants) only for Health customers."""
    return tuple(item for item in AGENDA if not item.health_only or motion == "Health")


def open_when_unanswered(key: str, motion: Motion | None) -> bool:
    """Whether agenda item `key` left unanswered becomes an open item for a motion (an unknown motion: yes).
    Source: issue 8 ("an agenda item the notes do not cover becomes an open item only when it matters for the
    motion")."""
    item = AGENDA_BY_KEY[key]
    return motion is None or motion in item.open_for
