"""The reader problems a new-user review found (issue 8 follow-ups), each as the review's reproduction and variants
of it: ghost people from a role next to ordinary words, the customer name, "FTA: none", attendance in tables and
other languages, lowercase shorthand with several owners on one line. Runs the real engine (extract_facts)."""

from __future__ import annotations

import pytest

from ftdraft.extract import extract_facts
from ftdraft.schemas import CallFacts, Engagement

HEAD = "Account team sync - Fernhill Insurance - 2026-11-24\n"


def _facts(body: str, head: str = HEAD) -> CallFacts:
    return extract_facts(head + body, Engagement())[1]


def _team(body: str, head: str = HEAD) -> set[tuple[str | None, str, bool]]:
    return {(a.name, a.role, a.present) for a in _facts(body, head).attendees if a.role != "FM"}


# --- item 2: a ROLE next to ordinary lowercase words is not a name ---------------------------------------------

LOWER_HEAD = "birchfield ag coop - health - AT call wed, today\n"


@pytest.mark.parametrize(
    "line",
    [
        'hb says acct is "managed-ish", AE changed twice this yr. so: no idea what they want',
        "- hb to try cust via the AE relationship asap",
        "- hb to try cust via the ae relationship asap",
        "the tam changed again, nobody knows who",
        "their csm team handles renewals",
        "talked to the ae side about it last week",
        "we went over the ats backlog with them",
    ],
)
def test_a_role_next_to_ordinary_words_names_nobody(line: str) -> None:
    body = "ats hb (hollis brandt), csm rk (reza karimi)\n" + line
    names = {name for name, _, _ in _team(body, LOWER_HEAD)}
    assert names == {"Hollis Brandt", "Reza Karimi"}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ats: ruth a. / tam: ben o'neill / fta: jo dunleavy",
         {("Ruth", "ATS", True), ("Ben O'Neill", "TAM", True), ("Jo Dunleavy", "FTA", True)}),
        ("ats is priya nair, tam is tom walsh, ae couldn't make it",
         {("Priya Nair", "ATS", True), ("Tom Walsh", "TAM", True)}),
        ("ats hb (hollis brandt), csm rk (reza karimi)",
         {("Hollis Brandt", "ATS", True), ("Reza Karimi", "CSM", True)}),
        ("jürgen weiß ats, ana-lucía ferreira tam",
         {("Jürgen Weiß", "ATS", True), ("Ana-Lucía Ferreira", "TAM", True)}),
        ("- ats: priya nair (out today)", {("Priya Nair", "ATS", False)}),
    ],
)  # fmt: skip
def test_a_lowercase_roster_still_reads(line: str, expected: set[tuple[str, str, bool]]) -> None:
    assert _team(line, LOWER_HEAD) == expected


# --- item 7: attendance in a table's present column and in other languages --------------------------------------


@pytest.mark.parametrize(
    ("cell", "present"),
    [
        ("no (PTO)", False),
        ("No - sick", False),
        ("no", False),
        ("PTO", False),
        ("declined", False),
        ("out sick", False),
        ("yes", True),
        ("joined late", True),
        ("", True),
    ],
)
def test_a_tables_present_column(cell: str, present: bool) -> None:
    body = f"| Name | Role | Joined? |\n|---|---|---|\n| Olu Adeyemi | ATS | yes |\n| Petra Lindgren | TAM | {cell} |\n"
    assert _team(body) == {("Olu Adeyemi", "ATS", True), ("Petra Lindgren", "TAM", present)}


@pytest.mark.parametrize(
    "cue",
    ["war krank", "ist krankgeschrieben", "était malade", "estaba enfermo", "was ziek", "var syg", "was off sick"],
)
def test_ill_in_other_languages_is_absent(cue: str) -> None:
    body = f"Teilnehmer: Jonas Becker (ATS), Miriam Schulte (TAM), me (FM). Karl Weiss (AE) {cue}."
    assert _team(body) == {("Jonas Becker", "ATS", True), ("Miriam Schulte", "TAM", True), ("Karl Weiss", "AE", False)}


# --- item 6: "FTA: none" is no FTA; an unknown TAM/AE/CSM is no attendee marked absent ----------------------------


def _read(body: str) -> tuple[Engagement, CallFacts]:
    return extract_facts(HEAD + body, Engagement())


@pytest.mark.parametrize("none", ["none", "None", "n/a", "nobody", "- none", "= none"])
def test_fta_none_is_no_fta(none: str) -> None:
    engagement, facts = _read(f"ATS: Kenji Watanabe-Hollis\nFTA: {none}\n")
    assert engagement.fta is None
    assert [a.role for a in facts.attendees if a.role != "FM"] == ["ATS"]


@pytest.mark.parametrize("unknown", ["??", "TBD", "unknown", "tbc"])
@pytest.mark.parametrize("role", ["TAM", "AE", "CSM"])
def test_an_unknown_role_is_kept_unnamed_unlike_none(role: str, unknown: str) -> None:
    _, facts = _read(f"ATS: Kenji Watanabe-Hollis\n{role}: {unknown}\n")
    assert (None, role) in [(a.name, a.role) for a in facts.attendees]
    _, facts = _read(f"ATS: Kenji Watanabe-Hollis\n{role}: none\n")
    assert [a.role for a in facts.attendees if a.role != "FM"] == ["ATS"]


# --- item 3: the customer from a title, subject or label, never a sentence or a workload; a mail's Date: ----------

TEAMS_CHAT = """[12/3/2026 10:02 AM] Hannah Whitcombe: FT intro for Larkspur Foods, thx all for joining
[12/3/2026 10:02 AM] Hannah Whitcombe: I'm the FM. roll call?
[12/3/2026 10:03 AM] Diego Marchetti: Diego, ATS
[12/3/2026 10:10 AM] Hannah Whitcombe: RFA 77120 is for Intune. where are they?
"""

FORWARDED = """---------- Forwarded message ---------
From: Sam Okafor <sam.okafor@example.com>
Date: Thu, Dec 10, 2026 at 3:12 PM
Subject: Fwd: Brightwater Utilities - notes from today
To: Grace Kim <grace.kim@example.com>

Grace - forwarding my notes from today's call with the account team, you're the FM now.

Present: Sam Okafor (ATS), Tomasz Nowicki (TAM).
- SharePoint: no intent, they use Box company-wide.
"""


@pytest.mark.parametrize(
    ("notes", "customer"),
    [
        (TEAMS_CHAT, "Larkspur Foods"),
        (TEAMS_CHAT.replace("FT intro for Larkspur Foods, thx all", "kickoff re: Larkspur Foods"), "Larkspur Foods"),
        ("call w/ at re: pinecrest schools (rfa 80331) 12/14\nats: ruth a.\nteams - in prog\n", "Pinecrest Schools"),
        ("call w/ at for pinecrest schools - 12/14\nteams - in prog\n", "Pinecrest Schools"),
        ("sync notes 12/14\nteams - in prog, rollout done\n", None),
        ("Notes 12/14\nWe talked through Teams. Next: intune?\n", None),
        (FORWARDED, "Brightwater Utilities"),
        (FORWARDED.replace("-- Forwarded message --", "-- Original Message --"), "Brightwater Utilities"),
    ],
)
def test_the_customer_name(notes: str, customer: str | None) -> None:
    engagement, _ = extract_facts(notes, Engagement())
    assert (engagement.customer or None) == customer


def test_a_forwarded_mails_date_is_the_call_date() -> None:
    engagement, facts = extract_facts(FORWARDED, Engagement())
    assert str(engagement.call_date) == "2026-12-10"
    assert {(a.name, a.role) for a in facts.attendees if a.role != "FM"} == {
        ("Sam Okafor", "ATS"),
        ("Tomasz Nowicki", "TAM"),
    }


# --- item 8: lowercase shorthand: several owners' actions on one line, the FTA of a lowercase roster -------------

SHORTHAND = """call w/ at re: pinecrest schools (rfa 80331) 12/14
ats: ruth a. / tam: ben o'neill / fta: jo dunleavy
teams - in prog, rollout to staff done, students in jan
{todo}
sync: biweekly mon, ben adds me
"""


@pytest.mark.parametrize(
    "todo",
    [
        "todo: ruth -> intro to it dir (carla mendes) fri. jd + me -> draft tech plan by 12/21. ben: ?? (nothing)",
        "todo: ruth: intro to it dir (carla mendes) fri. jd + me: draft tech plan by 12/21. ben: nothing",
        "actions: ruth - intro to it dir (carla mendes) fri. jd + me - draft tech plan by 12/21. ben - n/a",
    ],
)
def test_several_owners_on_one_shorthand_line(todo: str) -> None:
    _, facts = extract_facts(SHORTHAND.format(todo=todo), Engagement())
    owned = {(a.owner, a.action, a.due_text) for a in facts.action_items}
    assert ("Ruth", "intro to it dir (carla mendes)", "fri") in owned
    assert ("Jo Dunleavy", "draft tech plan", "12/21") in owned
    assert ("FM", "draft tech plan", "12/21") in owned
    assert not any(a.owner and a.owner.startswith("Ben") for a in facts.action_items if "sync" not in a.action)
    assert not any("ruth" in a.action.lower() for a in facts.action_items)


def test_the_fta_of_a_lowercase_roster() -> None:
    engagement, facts = extract_facts(SHORTHAND.format(todo=""), Engagement())
    assert engagement.fta is not None and engagement.fta.name == "Jo Dunleavy"
    assert ("Jo Dunleavy", "FTA", True) in {(a.name, a.role, a.present) for a in facts.attendees}
