"""Hand-built Engagement and CallFacts for tests, independent of extraction (any test module may import these)."""

from __future__ import annotations

from datetime import date
from typing import Any

from openai_stub_server import CannedReplies

from ftdraft.schemas import (
    ActionItem,
    AgendaAnswer,
    Ask,
    Attendee,
    CallFacts,
    CompeteProduct,
    Engagement,
    Fact,
    OpenItem,
    Person,
    ServiceIntent,
    Source,
    SyncRhythm,
)


def src(line: int, text: str = "") -> list[Source]:
    """A one-line note source, the shape extraction produces."""
    return [Source(origin="notes", lines=[line], text=text)]


def fact(text: str, line: int = 1) -> Fact:
    return Fact(text=text, sources=src(line, text))


# ------------------------------------------------------------------ Contoso Pharma (RFA, rich notes)


def contoso_engagement(**overrides: Any) -> Engagement:
    data: dict[str, Any] = dict(
        customer="Contoso Pharma",
        motion="RFA",
        rfa_id="4471",
        rfa_summary="Exchange Online and Teams deployment",
        fm=Person(name="Alex Morgan", role="FM", email="alex.morgan@microsoft.com"),
        fta=Person(name="Jun Park", role="FTA", email="jun.park@microsoft.com"),
        account_team=[
            Person(name="Priya Raman", role="ATS", email="priya.raman@microsoft.com"),
            Person(name="Tom Becker", role="TAM", email="tom.becker@microsoft.com"),
            Person(name="Alicia Gomez", role="AE"),  # no email known: stays None, never guessed
        ],
        customer_contacts=[
            Person(name="Dana Whitfield", role="customer", title="CIO"),
            Person(name="Mark Olsen", role="customer", title="IT director"),
        ],
        workloads=["Exchange Online", "Teams"],
        call_date=date(2026, 11, 18),
    )
    data.update(overrides)
    return Engagement(**data)


def contoso_facts(**overrides: Any) -> CallFacts:
    data: dict[str, Any] = dict(
        attendees=[
            Attendee(name="Priya Raman", role="ATS", sources=src(2)),
            Attendee(name="Tom Becker", role="TAM", sources=src(2)),
            Attendee(name="Alicia Gomez", role="AE", sources=src(2)),
            Attendee(name="Alex Morgan", role="FM", sources=src(2)),
            Attendee(name="Jun Park", role="FTA", sources=src(2)),
        ],
        agenda=[
            AgendaAnswer(
                item="a",
                title="Intro and FastTrack process",
                answered=True,
                answer="Walked Priya through RFA -> assignment -> kickoff.",
                sources=src(4),
            ),
            AgendaAnswer(item="b", title="FastTrack offerings", answered=False),
            AgendaAnswer(
                item="e",
                title="Licenses",
                answered=True,
                answer="6,500 M365 E3, 300 E5 for the security team.",
                sources=src(6),
            ),
        ],
        intents=[
            ServiceIntent(
                workload="Exchange Online",
                status="In Progress",
                reason="Migration",
                note="Customer is moving mail off Google Workspace; cutover target June 30.",
                sources=src(5),
            ),
            ServiceIntent(
                workload="Teams",
                status="In Progress",
                reason="Technical Onboarding and Deployment",
                note="Pilot with about 200 IT and R&D users; broad rollout after the mail cutover.",
                sources=src(5),
            ),
        ],
        action_items=[
            ActionItem(
                owner="Priya Raman",
                owner_role="ATS",
                action="Send the intro email to the customer (Dana Whitfield, Mark Olsen)",
                due=date(2026, 11, 20),
                due_text="by Friday",
                sources=src(18),
            ),
            ActionItem(
                owner="Tom Becker", owner_role="TAM", action="Add the FM to the Thursday account sync", sources=src(19)
            ),
            ActionItem(
                owner="Alex Morgan",
                owner_role="FM",
                action="Send the recap and FastTrack service description",
                sources=src(20),
            ),
            ActionItem(owner=None, action="Book the Teams Rooms guidance session", sources=src(14)),
        ],
        open_items=[
            OpenItem(
                text="Confirm whether the E5 add-on covers Defender for Office.", owner="Priya Raman", sources=src(6)
            ),
            OpenItem(text="Confirm whether the team needs a briefing on current FastTrack offerings.", agenda_item="b"),
        ],
        risks=[
            fact("Legal is reviewing data residency for EU subsidiary mailboxes; could block EXO for EU users.", 13)
        ],
        timeline=[fact("Mail cutover target June 30; Teams broad rollout after mail.", 14)],
        asks=[Ask(text="Teams Rooms guidance", in_scope=False, routed_to="Tom Becker", sources=src(15))],
        licenses=[fact("6,500 M365 E3, 300 E5 for the security team.", 6)],
        migration_source=[fact("Google Workspace (Gmail + Drive).", 7)],
        partner=[fact("Fabrikam Consulting engaged for the mail migration (SOW signed); not an FRP.", 8)],
        compete=[
            CompeteProduct(product="Zoom", text="Zoom used for external meetings.", sources=src(9)),
            CompeteProduct(product="Box", text="Box for some R&D file shares.", sources=src(9)),
        ],
        political_changes=[fact("New CIO Dana Whitfield started in October; wants a cloud-first plan by January.", 10)],
        sync_rhythm=SyncRhythm(
            kind="join_existing",
            cadence="biweekly",
            weekday="TH",
            owner="Tom Becker",
            text="bi-weekly account sync on Thursdays",
            sources=src(16),
        ),
        fasttrack_process=[fact("Walked Priya through RFA -> assignment -> kickoff.", 4)],
    )
    data.update(overrides)
    return CallFacts(**data)


# ------------------------------------------------------------------ Fabrikam Manufacturing (Health, TAM absent)


def fabrikam_engagement(**overrides: Any) -> Engagement:
    data: dict[str, Any] = dict(
        customer="Fabrikam Manufacturing",
        motion="Health",
        health_red_areas=["Teams", "SharePoint"],
        fm=Person(name="Sam Lee", role="FM"),
        account_team=[
            Person(name="Marcus Lee", role="ATS", email="marcus.lee@microsoft.com"),
            Person(name="Sofia Rossi", role="CSM", email="sofia.rossi@microsoft.com"),
            Person(name="Raj Patel", role="TAM"),
        ],
        customer_contacts=[Person(name="Ken Adams", role="customer", title="IT infrastructure lead")],
        workloads=["Teams", "SharePoint", "OneDrive", "Exchange Online"],
        call_date=date(2026, 11, 20),
    )
    data.update(overrides)
    return Engagement(**data)


def fabrikam_facts(**overrides: Any) -> CallFacts:
    data: dict[str, Any] = dict(
        attendees=[
            Attendee(name="Marcus Lee", role="ATS", sources=src(3)),
            Attendee(name="Sofia Rossi", role="CSM", sources=src(3)),
            Attendee(name="Raj Patel", role="TAM", present=False, sources=src(3)),
        ],
        intents=[
            ServiceIntent(
                workload="Teams",
                status="Blocked",
                reason="Customer IT Infrastructure and Remediation",
                note="Bluecoat proxy drops Teams media traffic at 3 plants; no budget to fix before FY end.",
                sources=src(7),
            ),
            ServiceIntent(
                workload="SharePoint",
                status="No Intent",
                reason="Using Microsoft On-Premises Solution",
                note="Customer stays on SharePoint 2013 on-premises; intranet vendor contract runs to 2027.",
                sources=src(8),
            ),
            ServiceIntent(
                workload="Exchange Online",
                status="In Progress",
                reason="Migration",
                note="Mailboxes are in Exchange Online.",
                sources=src(9),
            ),
        ],
        action_items=[
            ActionItem(
                owner="Marcus Lee", owner_role="ATS", action="Introduce FastTrack to Ken Adams", sources=src(18)
            ),
            ActionItem(
                owner="Marcus Lee", owner_role="ATS", action="Confirm the E3 seat count after true-up", sources=src(11)
            ),
        ],
        open_items=[
            OpenItem(text="Check entitlements on fabrikam-eu.onmicrosoft.com.", sources=src(10)),
            OpenItem(
                text="Ask for the customer's timeline, risks and current issues.", agenda_item="l", sources=src(16)
            ),
            OpenItem(text="Check whether an FTA is aligned (S500 list).", sources=src(4)),
        ],
        asks=[
            Ask(
                text="Could a FastTrack Ready Partner help with adoption at the plants?", in_scope=True, sources=src(14)
            )
        ],
        licenses=[fact("M365 E3 ~12k seats (to confirm after true-up).", 11)],
        compete=[
            CompeteProduct(product="Slack", text="Slack used by engineering (~800 users).", sources=src(12)),
            CompeteProduct(product="Zoom", text="Zoom company-wide.", sources=src(12)),
        ],
        additional_tenants=[fact("fabrikam-eu.onmicrosoft.com from the Northwind GmbH acquisition.", 10)],
        political_changes=[fact("Reorg in Q1, no details.", 16)],
        partner=[fact("No partner today.", 13)],
        sync_rhythm=SyncRhythm(
            kind="propose",
            cadence="monthly",
            weekday="TU",
            week_of_month=1,
            owner="Marcus Lee",
            text="monthly, first Tuesday of the month",
            sources=src(19),
        ),
        teams_channel=fact("Join their Teams channel for the Fabrikam account.", 18),
    )
    data.update(overrides)
    return CallFacts(**data)


# ------------------------------------------------------------------ Woodgrove Bank (Health, sparse and messy)


def sparse_engagement(**overrides: Any) -> Engagement:
    """Almost nothing known: no FM name, no TAM, no emails, no call date."""
    data: dict[str, Any] = dict(
        customer="Woodgrove Bank",
        motion="Health",
        health_red_areas=["Intune", "Defender"],
        account_team=[Person(name="Lena Fischer", role="ATS")],
        workloads=["Intune", "Defender"],
    )
    data.update(overrides)
    return Engagement(**data)


def sparse_facts(**overrides: Any) -> CallFacts:
    data: dict[str, Any] = dict(
        intents=[
            ServiceIntent(
                workload="Intune",
                status="Blocked",
                reason="IT Change Management and Resourcing",
                note="IT change freeze until March during an acquisition.",
                sources=src(4),
            ),
        ],
        action_items=[
            ActionItem(
                owner=None, action="Follow up on the TAM name and the license count", due_text="soon", sources=src(8)
            )
        ],
        open_items=[OpenItem(text="Ask Lena who the TAM is.", sources=src(2))],
    )
    data.update(overrides)
    return CallFacts(**data)


def empty_facts() -> CallFacts:
    return CallFacts()


# The two Contoso account-team people with an email address, as a model addresses them in a draft's To.
CONTOSO_TO: list[dict[str, Any]] = [
    {"name": "Priya Raman", "email": "priya.raman@microsoft.com", "role": "ATS"},
    {"name": "Tom Becker", "email": "tom.becker@microsoft.com", "role": "TAM"},
]


def contoso_replies() -> CannedReplies:
    """A stub server's valid answers for the Contoso sample: its facts, drafts addressed to CONTOSO_TO."""
    return CannedReplies(contoso_facts().model_dump_json(exclude_none=True), to=CONTOSO_TO)
