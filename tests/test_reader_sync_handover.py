"""A mail reply that takes the sync invite over (issue 10 follow-up, corpus rfa-hallett-rowe-outlook): the reply's
speaker owns "let me send it … I'll get it out today", due the reply's date, and the FM's earlier "I'll set up the
sync" goes (later parts override earlier ones). Runs the real reader on a small Outlook thread."""

from __future__ import annotations

from datetime import date

from ftdraft.extract import extract_facts
from ftdraft.schemas import ActionItem, Engagement

RECAP = """From: Bianca Lowenthal
Sent: Tuesday, February 2, 2027 9:12 AM
To: Ilse Vandermeulen; Keisha Arrington-Boyd
Subject: Hallett Rowe – RFA 63540 – initiate sync recap & next steps

Hi all,

Thanks for the time on Monday. Recap below.

Who was there
Ilse Vandermeulen, ATS
Keisha Arrington-Boyd, TAM
Bianca Lowenthal, FM

Next steps
• Keisha – check the Australian tenant question
• Rhythm – I'll set up a weekly Thursday FT/field sync while the pilot restart is live
"""

REPLY = """From: Ilse Vandermeulen
Sent: Wednesday, February 3, 2027 1:05 PM
To: Bianca Lowenthal; Keisha Arrington-Boyd
Subject: RE: Hallett Rowe – RFA 63540 – initiate sync recap & next steps

Thanks Bianca, one change:

{line}

Ilse

-----Original Message-----
"""


def actions(line: str) -> list[ActionItem]:
    notes = REPLY.format(line=line) + RECAP
    return extract_facts(notes, Engagement())[1].action_items


def sync_actions(items: list[ActionItem]) -> list[ActionItem]:
    return [a for a in items if "sync" in a.action]


def test_a_reply_that_sends_the_sync_invite_itself_owns_it_due_the_replys_date() -> None:
    line = (
        "Happy with a weekly Thursday sync, but let me send it from my calendar so it lands with the whole "
        "account team. I'll get it out today."
    )
    got = sync_actions(actions(line))
    assert [(a.owner, a.action, a.due) for a in got] == [
        ("Ilse Vandermeulen", "send the field sync invite", date(2027, 2, 3))
    ]


def test_a_reply_about_something_else_leaves_the_fms_sync_step() -> None:
    got = actions("I'll get it out today: the Copilot Studio question goes to the specialists.")
    assert [a.owner for a in sync_actions(got)] == ["FM"]
    assert not any(a.action == "send the field sync invite" for a in got)  # "it" is no sync outside a sync line


def test_the_fms_own_sync_step_without_a_reply_stays_the_fms() -> None:
    got = sync_actions(extract_facts(RECAP, Engagement())[1].action_items)
    assert [a.owner for a in got] == ["FM"] and got[0].action.startswith("set up the recurring field sync")
