"""The offline drafts: built from hand-made facts (tests/factories.py), so they test drafting, not extraction."""

from __future__ import annotations

import re
from datetime import date

import pytest
from factories import (
    contoso_engagement,
    contoso_facts,
    empty_facts,
    fabrikam_engagement,
    fabrikam_facts,
    fact,
    sparse_engagement,
    sparse_facts,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.exceptions import UndefinedError

from ftdraft.drafts import build_rrule, field_safe, render_draft, render_drafts
from ftdraft.schemas import (
    DRAFT_NAMES,
    ActionItem,
    AgendaAnswer,
    Ask,
    CallFacts,
    Drafts,
    Email,
    Engagement,
    Person,
    ServiceIntent,
    Source,
    SyncRhythm,
)
from ftdraft.templating import PROMPTS_DIR, render

CASES = {
    "contoso": (contoso_engagement, contoso_facts),
    "fabrikam": (fabrikam_engagement, fabrikam_facts),
    "sparse": (sparse_engagement, sparse_facts),
    "empty": (Engagement, empty_facts),
}


def drafts_for(case: str) -> Drafts:
    engagement, facts = CASES[case]
    return render_drafts(engagement(), facts())


def emails(d: Drafts) -> list[Email]:
    out = [d.internal_invite.email, d.intro_request.email, d.follow_up, d.sync_rhythm.email]
    return out + ([d.teams_channel] if d.teams_channel else [])


def all_texts(d: Drafts) -> list[str]:
    texts = [e.subject for e in emails(d)] + [e.body for e in emails(d)]
    texts += [d.intro_request.customer_blurb, d.ftop.text, d.internal_invite.invite.description]
    texts += [item.text for item in d.prep.items]
    if d.sync_rhythm.invite:
        texts.append(d.sync_rhythm.invite.description)
    return texts


def lines_with(text: str, needle: str) -> list[str]:
    return [line for line in text.splitlines() if needle in line]


# ---------------------------------------------------------------- whole set


@pytest.mark.parametrize("case", sorted(CASES))
def test_drafts_are_deterministic_and_render_draft_matches(case: str) -> None:
    engagement, facts = CASES[case]
    first = render_drafts(engagement(), facts())
    assert render_drafts(engagement(), facts()) == first
    for name in DRAFT_NAMES:
        assert render_draft(name, engagement(), facts()) == getattr(first, name)


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_template_leaks_none_or_jinja_syntax(case: str) -> None:
    for text in all_texts(drafts_for(case)):
        assert "None" not in text
        assert "{{" not in text and "{%" not in text
        assert "\n\n\n" not in text, "no double blank lines"


def test_render_draft_rejects_unknown_name() -> None:
    with pytest.raises(ValueError, match="unknown draft"):
        render_draft("press_release", contoso_engagement(), contoso_facts())


def test_templates_fail_loudly_on_a_missing_variable() -> None:
    with pytest.raises(UndefinedError):
        render("offline/follow_up_email.j2", customer="Contoso")


def test_every_template_is_a_file_under_prompts_offline() -> None:
    names = {p.name for p in (PROMPTS_DIR / "offline").glob("*.j2")}
    assert {"prep.j2", "follow_up_email.j2", "ftop.j2", "customer_blurb.j2", "sync_event.j2"} <= names


@pytest.mark.parametrize("case", sorted(CASES))
def test_recipients_come_only_from_the_roster(case: str) -> None:
    engagement, facts = CASES[case]
    e = engagement()
    d = render_drafts(e, facts())
    roster = [*e.account_team, *([e.fta] if e.fta else []), *([e.fm] if e.fm else [])]
    names = {p.name for p in roster if p.name}
    addresses = {p.email for p in roster if p.email}
    people = [r for m in emails(d) for r in (*m.to, *m.cc)]
    people += d.internal_invite.invite.required + d.internal_invite.invite.optional
    for r in people:
        assert r.name is None or r.name in names
        assert r.email is None or r.email in addresses
        assert r.name and r.email, "only people with an address are addressed (issue 10)"
    # Customer contacts are introduced, never emailed by FastTrack.
    for contact in e.customer_contacts:
        assert all(r.name != contact.name for r in people)


# ---------------------------------------------------------------- prep


def test_prep_rfa_reviews_the_request_and_company_background() -> None:
    items = [i.text for i in drafts_for("contoso").prep.items]
    assert any("RFA request #4471" in i and "Exchange Online and Teams deployment" in i for i in items)
    assert any("background on Contoso Pharma" in i for i in items)
    assert not any("red usage" in i for i in items)


def test_prep_health_reviews_red_areas_and_fta_alignment() -> None:
    d = drafts_for("fabrikam")
    items = [i.text for i in d.prep.items]
    assert d.prep.motion == "Health"
    assert any("red usage areas" in i and "Teams, SharePoint" in i for i in items)
    assert any("FTA is aligned" in i for i in items)
    assert any("background on Fabrikam Manufacturing" in i for i in items)
    assert not any("RFA" in i for i in items)


def test_prep_health_with_an_fta_names_them() -> None:
    e = fabrikam_engagement(fta=Person(name="Ana Silva", role="FTA"))
    items = [i.text for i in render_draft("prep", e, fabrikam_facts()).items]
    assert any("FTA aligned: Ana Silva" in i for i in items)
    assert not any("Check whether an FTA is aligned" in i for i in items)


def test_prep_without_motion_asks_for_it_and_flags_missing_mandatory_roles() -> None:
    items = [i.text for i in render_draft("prep", Engagement(), empty_facts()).items]
    assert any("Confirm the motion" in i for i in items)
    assert any("Find the ATS and TAM" in i for i in items)


# ---------------------------------------------------------------- internal invite


def test_internal_invite_mandatory_roles_in_to_optional_and_fta_in_cc() -> None:
    inv = drafts_for("contoso").internal_invite
    assert [r.name for r in inv.email.to] == ["Priya Raman", "Tom Becker"]
    assert [r.name for r in inv.email.cc] == ["Jun Park"]  # Alicia Gomez has no address: named in the body
    assert "Please forward this to Alicia Gomez (AE)." in inv.email.body
    assert "[Before sending: no email address on file for Alicia Gomez (AE)." in inv.email.body
    assert inv.invite.required == inv.email.to
    assert inv.invite.optional == inv.email.cc
    assert inv.email.audience == "account_team"
    assert inv.email.subject == "Contoso Pharma – FastTrack intro with the account team"
    assert "confirm who the key players are" in inv.email.body
    assert inv.email.body.rstrip().endswith("Alex Morgan")


@pytest.mark.parametrize(("case", "has_i"), [("contoso", False), ("fabrikam", True)])
def test_internal_invite_agenda_item_i_only_for_health(case: str, has_i: bool) -> None:
    inv = drafts_for(case).internal_invite
    for text in (inv.email.body, inv.invite.description):
        letters = re.findall(r"^([a-n])\. ", text, flags=re.MULTILINE)
        expected = list("abcdefghijklmn") if has_i else list("abcdefghjklmn")
        assert letters == expected


def test_internal_invite_missing_tam_is_asked_never_addressed() -> None:
    inv = drafts_for("sparse").internal_invite
    assert inv.email.to == [] and inv.email.cc == []  # Lena Fischer has no address; nobody holds the TAM role
    assert inv.invite.required == []
    assert "Who is the TAM for Woodgrove Bank? I'd like to copy them." in inv.email.body
    assert "[Before sending: no email address on file for Lena Fischer (ATS). Add them to To/Cc.]" in inv.email.body
    assert "Also invite (no email address known): Lena Fischer (ATS)." in inv.invite.description
    assert inv.email.body.startswith("Hi Lena,")
    assert "let me know who the TAM for Woodgrove Bank is" in inv.email.body
    assert "let me know whether a CSM is aligned" in inv.email.body


def test_internal_invite_health_body_never_mentions_red_areas() -> None:
    body = drafts_for("fabrikam").internal_invite.email.body
    assert "red" not in body.lower().split()
    assert "usage" not in body.lower()


# ---------------------------------------------------------------- intro request


def test_intro_request_goes_to_the_intro_owner_and_names_contacts_and_due() -> None:
    intro = drafts_for("contoso").intro_request
    assert [r.name for r in intro.email.to] == ["Priya Raman"]
    assert {r.name for r in intro.email.cc} == {"Tom Becker", "Jun Park"}
    assert "Please forward this to Alicia Gomez (AE)." in intro.email.body
    assert "introduce FastTrack to Dana Whitfield (CIO) and Mark Olsen (IT director) by Fri Nov 20, 2026?" in (
        intro.email.body
    )
    assert "who should that be?" not in intro.email.body
    assert intro.customer_blurb in intro.email.body


def test_intro_request_without_contacts_asks_who() -> None:
    intro = drafts_for("sparse").intro_request
    assert "The notes don't name them: who should that be?" in intro.email.body
    assert intro.email.to == []  # nobody with an address; the TAM is asked for, never addressed
    assert "Who is the TAM for Woodgrove Bank?" in intro.email.body


FORBIDDEN_IN_BLURB = [
    "In Progress", "Blocked", "No Intent", "Status Unknown", "intent", "FTOP", "usage", "forecast", "risk",
    "Zoom", "Box", "Slack", "Google", "6,500", "200", "12k", "800", "proxy", "legal", "Health", "red",
]  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_customer_blurb_carries_nothing_from_fasttrack_tooling(case: str) -> None:
    blurb = drafts_for(case).intro_request.customer_blurb
    words = set(re.findall(r"[\w,]+", blurb))
    for term in FORBIDDEN_IN_BLURB:
        assert term not in words and term.lower() not in blurb.lower().split(), term
    assert "FastTrack" in blurb


def test_customer_blurb_names_the_fm_and_rfa_workloads() -> None:
    blurb = drafts_for("contoso").intro_request.customer_blurb
    assert "Alex Morgan, your FastTrack Manager" in blurb
    assert "Exchange Online and Teams" in blurb
    # Health: the workloads are the red areas, which come from usage reports: never named to the customer.
    assert "Teams" not in drafts_for("fabrikam").intro_request.customer_blurb


# ---------------------------------------------------------------- Teams channel


def test_teams_channel_request_only_when_the_notes_mention_one() -> None:
    assert drafts_for("contoso").teams_channel is None
    teams = drafts_for("fabrikam").teams_channel
    assert teams is not None
    assert teams.subject == "Fabrikam Manufacturing – request to join the account team's Teams channel"
    assert "add me" in teams.body


# ---------------------------------------------------------------- follow-up


def test_follow_up_subject_sections_and_sign_off() -> None:
    mail = drafts_for("contoso").follow_up
    assert mail.subject == "Contoso Pharma – FastTrack intro and next steps"
    body = mail.body
    order = [body.index(h) for h in ("Summary\n", "Open items\n", "Next steps\n",
                                     "Customer asks\n", "Field team sync\n")]  # fmt: skip
    assert order == sorted(order)
    assert body.rstrip().endswith("Thanks,\nAlex Morgan")
    assert "- Licensing: 6,500 M365 E3, 300 E5 for the security team." in body
    assert "Thanks for the time on Wed Nov 18, 2026." in body


def test_follow_up_next_steps_are_owner_action_due_and_unknowns_are_flagged() -> None:
    body = drafts_for("contoso").follow_up.body
    assert (
        "- Priya Raman – Send the intro email to the customer (Dana Whitfield, Mark Olsen) – Due Fri Nov 20, 2026"
        in body
    )
    assert "- Owner to confirm – Book the Teams Rooms guidance session – Due: date to confirm" in body
    # said once: in the field-sync line ("Tom Becker will add me"), not again as a next step (review item 13)
    assert "Add me to the Thursday account sync" not in body and "Tom Becker will add me" in body
    assert "Owner: TBD" not in body and "FM to" not in body


def test_follow_up_keeps_the_words_of_an_unresolved_due_date() -> None:
    body = drafts_for("sparse").follow_up.body
    assert 'Due: date to confirm (the notes say "soon")' in body


def test_follow_up_owner_known_only_by_role() -> None:
    facts = contoso_facts(action_items=[ActionItem(owner_role="CSM", action="Check CSM alignment")])
    body = render_draft("follow_up", contoso_engagement(), facts).body
    assert "- the CSM (name unknown) – Check CSM alignment – Due: date to confirm" in body
    facts = contoso_facts(action_items=[ActionItem(owner_role="TAM", action="Share the org chart")])
    body = render_draft("follow_up", contoso_engagement(), facts).body
    assert "- Tom Becker – Share the org chart – Due: date to confirm" in body


def test_follow_up_asks_say_who_routes_out_of_scope_ones() -> None:
    body = drafts_for("contoso").follow_up.body
    assert "- Teams Rooms guidance: outside FastTrack's scope; Tom Becker will route it to the right team." in body
    facts = contoso_facts(asks=[Ask(text="Licensing true-up help.", in_scope=False)])
    body = render_draft("follow_up", contoso_engagement(), facts).body
    assert "- Licensing true-up help: outside FastTrack's scope; Priya, could you route it to the right team?" in body


def test_follow_up_open_items_with_owner() -> None:
    body = drafts_for("contoso").follow_up.body
    assert "- Confirm whether the E5 add-on covers Defender for Office. Answer from: Priya Raman." in body
    assert "- Confirm whether the team needs a briefing on current FastTrack offerings.\n" in body


def test_field_emails_never_carry_usage_report_figures_but_ftop_does() -> None:
    usage = "Teams usage is 12% of licensed users."
    facts = fabrikam_facts(
        intents=[ServiceIntent(workload="Teams", status="Blocked", reason="Service Reliability", note=usage)]
    )
    d = render_drafts(fabrikam_engagement(), facts)
    for mail in emails(d):
        assert mail.audience == "account_team"
        assert "12%" not in mail.body
    assert usage in d.ftop.text


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("Teams usage is 12% of licensed users", False),
        ("1,200 monthly active users in SharePoint", False),
        ("Adoption rate low at 30 percent", False),
        ("6,500 M365 E3, 300 E5 for the security team", True),
        ("Mail cutover target June 30", True),
        ("Usage is low in the plants", True),  # no figure: the account team may hear this
    ],
)
def test_field_safe(text: str, safe: bool) -> None:
    assert field_safe(text) is safe


def test_follow_up_sync_rhythm_lines() -> None:
    assert "I'll join the existing bi-weekly account sync on Thursdays; Tom Becker will add me and Jun Park." in (
        drafts_for("contoso").follow_up.body
    )
    assert "Marcus Lee will set up a monthly FastTrack/field sync on the first Tuesday of the month." in (
        drafts_for("fabrikam").follow_up.body
    )
    assert "We didn't settle a sync rhythm. I'd propose a bi-weekly 30-minute" in drafts_for("sparse").follow_up.body


def test_unknown_fm_and_customer_leave_no_gaps() -> None:
    d = drafts_for("empty")
    assert d.follow_up.subject == "FastTrack intro and next steps"
    assert d.follow_up.body.rstrip().endswith("Thanks,\n[your name]")  # the FM unknown: a visible placeholder
    assert "I'm [your name], the FastTrack Manager" in d.internal_invite.email.body
    assert "the customer" in d.internal_invite.email.body
    assert "Thanks for the time on the call." in d.follow_up.body
    assert "[No action items in the notes" in d.follow_up.body


@pytest.mark.parametrize("customer", ["Contoso\r\nBcc: evil@example.com", "Contoso\nPharma", "  Contoso \t Pharma  "])
def test_subjects_and_titles_stay_single_lines(customer: str) -> None:
    d = render_drafts(contoso_engagement(customer=customer), contoso_facts())
    for text in [m.subject for m in emails(d)] + [d.internal_invite.invite.title]:
        assert "\r" not in text and "\n" not in text
        assert "  " not in text


@settings(max_examples=40, deadline=None)
@given(
    customer=st.text(max_size=40),
    name=st.one_of(st.none(), st.text(max_size=30)),
    action=st.text(max_size=60),
)
def test_arbitrary_names_never_break_the_drafts(customer: str, name: str | None, action: str) -> None:
    e = contoso_engagement(customer=customer, account_team=[Person(name=name, role="ATS")], fm=Person(name=name))
    facts = contoso_facts(action_items=[ActionItem(owner=name, action=action)])
    d = render_drafts(e, facts)
    for mail in emails(d):
        assert "\n" not in mail.subject and "\r" not in mail.subject
        assert mail.body.endswith("\n")


# ---------------------------------------------------------------- FTOP


def test_ftop_headings_in_template_order_then_next_actions_then_intent_notes() -> None:
    text = drafts_for("contoso").ftop.text
    headings = ["Participants", "Discussion points", "Customer questions", "FTC actions", "Playbook task",
                "Next actions", "Service Intent notes"]  # fmt: skip
    positions = [text.index(f"\n{h}\n") for h in headings]
    assert positions == sorted(positions)
    assert text.startswith("Engagement Management note – Contoso Pharma – account team call Wed Nov 18, 2026")


def test_ftop_entry_fields_and_text_agree() -> None:
    ftop = drafts_for("contoso").ftop
    assert ftop.participants[0] == "Priya Raman (ATS)"
    assert "- Kickoff Call" in ftop.text
    assert ftop.customer_questions == ["Teams Rooms guidance (outside FastTrack scope; Tom Becker routes it)"]
    assert ftop.next_actions[0].owner == "Priya Raman" and ftop.next_actions[0].due == date(2026, 11, 20)
    assert ftop.next_actions[3].owner is None
    assert "- Owner to confirm – Book the Teams Rooms guidance session – Due: date to confirm" in ftop.text
    assert (
        "- Exchange Online — In Progress (Migration): Customer is moving mail off Google Workspace; "
        "cutover target June 30." in ftop.text
    )
    for point in ftop.discussion_points:
        assert f"- {point}" in ftop.text


def test_ftop_has_one_intent_note_per_workload_and_marks_undiscussed_ones_unknown() -> None:
    ftop = drafts_for("fabrikam").ftop
    assert [n.workload for n in ftop.service_intent_notes] == ["Teams", "SharePoint", "Exchange Online", "OneDrive"]
    onedrive = ftop.service_intent_notes[-1]
    assert onedrive.status == "Status Unknown" and onedrive.reason is None
    assert "Intent not discussed" in onedrive.note
    assert not re.search(r"\b(yet|currently|for now)\b", onedrive.note)
    assert "- Raj Patel (TAM) – absent" in ftop.text


def test_ftop_keeps_internal_facts_the_field_emails_leave_out() -> None:
    d = drafts_for("fabrikam")
    assert "Open item: Check entitlements on fabrikam-eu.onmicrosoft.com." in d.ftop.discussion_points
    assert "Service Intent notes" not in d.follow_up.body
    assert "Blocked (Customer IT Infrastructure" not in d.follow_up.body


def test_ftop_without_attendees_says_so() -> None:
    assert "- Not recorded in the notes (confirm)" in drafts_for("sparse").ftop.text


# ---------------------------------------------------------------- sync rhythm


def test_sync_join_existing_asks_the_owner_and_has_no_invite() -> None:
    sync = drafts_for("contoso").sync_rhythm
    assert sync.invite is None
    assert [r.name for r in sync.email.to] == ["Tom Becker"]
    assert "add me and Jun Park to the bi-weekly account sync on Thursdays" in sync.email.body
    assert sync.email.subject == "Contoso Pharma – joining your bi-weekly account sync"


def test_sync_propose_with_an_owner_sends_them_a_monthly_recurring_invite() -> None:
    sync = drafts_for("fabrikam").sync_rhythm
    assert sync.invite is not None
    assert sync.invite.rrule == "FREQ=MONTHLY;BYDAY=1TU"
    assert [r.name for r in sync.email.to] == ["Marcus Lee"]
    assert "Thanks for setting up our monthly sync on the first Tuesday of the month." in sync.email.body
    assert [r.role for r in sync.invite.required] == ["ATS"]  # the TAM has no address: named in the description
    assert "Also invite (no email address known): Raj Patel (TAM)" in sync.invite.description


def test_sync_the_notes_never_mention_defaults_to_a_stated_biweekly_proposal() -> None:
    sync = drafts_for("sparse").sync_rhythm
    assert sync.invite is not None
    assert sync.invite.rrule == "FREQ=WEEKLY;INTERVAL=2"
    assert "We didn't settle the sync rhythm on the call. I'd propose a bi-weekly" in sync.email.body
    assert "Proposed bi-weekly sync" in sync.invite.description


def test_sync_monthly_with_unknown_week_asks_instead_of_guessing() -> None:
    facts = fabrikam_facts(sync_rhythm=SyncRhythm(kind="propose", cadence="monthly", weekday="WE"))
    sync = render_draft("sync_rhythm", fabrikam_engagement(), facts)
    assert sync.invite is not None and sync.invite.rrule == "FREQ=MONTHLY"
    assert "Which week of the month works best?" in sync.email.body


@pytest.mark.parametrize(
    ("rhythm", "rrule"),
    [
        (None, "FREQ=WEEKLY;INTERVAL=2"),
        (SyncRhythm(kind="propose", cadence="monthly", weekday="TU", week_of_month=1), "FREQ=MONTHLY;BYDAY=1TU"),
        (SyncRhythm(kind="propose", cadence="monthly", weekday="FR", week_of_month=-1), "FREQ=MONTHLY;BYDAY=-1FR"),
        (SyncRhythm(kind="propose", cadence="biweekly", weekday="TH"), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        (SyncRhythm(kind="propose", cadence="weekly", weekday="MO"), "FREQ=WEEKLY;BYDAY=MO"),
        (SyncRhythm(kind="propose", weekday="WE"), "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"),
        (SyncRhythm(kind="propose", cadence="monthly", week_of_month=2), "FREQ=MONTHLY"),
    ],
)
def test_build_rrule(rhythm: SyncRhythm | None, rrule: str) -> None:
    assert build_rrule(rhythm) == rrule


def test_empty_facts_still_give_every_draft() -> None:
    d = render_drafts(Engagement(), CallFacts())
    assert d.teams_channel is None
    assert d.sync_rhythm.invite is not None
    assert len(d.prep.items) >= 4


def test_agenda_answers_the_fm_typed_replace_extracted_facts_for_that_topic() -> None:
    typed = AgendaAnswer(
        item="e", title="Licenses", answered=True, answer="7,000 E5 after the renewal.",
        sources=[Source(origin="agenda")],
    )  # fmt: skip
    facts = contoso_facts(agenda=[typed])
    body = render_draft("follow_up", contoso_engagement(), facts).body
    assert "- Licensing: 7,000 E5 after the renewal." in body
    assert "6,500 M365 E3" not in body
    # An answer extraction found (origin notes) does not override the facts it was built from.
    found = typed.model_copy(update={"sources": [Source(origin="notes", lines=[6])]})
    body = render_draft("follow_up", contoso_engagement(), contoso_facts(agenda=[found])).body
    assert "- Licensing: 6,500 M365 E3, 300 E5 for the security team." in body


def test_a_note_line_that_answers_several_items_is_said_once_per_draft() -> None:
    freeze = "They are in the middle of an acquisition, IT freeze until march."
    facts = sparse_facts(political_changes=[fact(freeze, 4)], timeline=[fact(freeze, 4)], risks=[fact(freeze, 4)])
    d = render_drafts(sparse_engagement(), facts)
    assert d.follow_up.body.count("IT freeze until march") == 1
    assert "- Political changes: They are in the middle" in d.follow_up.body
    assert d.ftop.text.count("IT freeze until march") == 1
