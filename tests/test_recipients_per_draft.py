"""To and Cc asserted per draft through the public render API (issue 15: swapping To and Cc once passed every
draft test). The rules (ftdraft/drafts/core.py, from the domain brief): an account-team email goes To the
mandatory roles (ATS, TAM) and Cc the rest of the team (optional roles in domain order) and then the FTA; the
intro request goes To whoever sends the intro, the sync email To whoever runs the sync, with the rest in Cc;
the FM sends and is never a recipient; someone with no address is named in the body, never guessed."""

from __future__ import annotations

from factories import contoso_engagement, contoso_facts, fabrikam_facts

from ftdraft.drafts import render_drafts
from ftdraft.schemas import Drafts, Person, Recipient

PRIYA, TOM, CHEN, JUN = (
    "priya.raman@microsoft.com",
    "tom.becker@microsoft.com",
    "chen.wu@microsoft.com",
    "jun.park@microsoft.com",
)
FM = "alex.morgan@microsoft.com"


def emails(recipients: list[Recipient]) -> list[str]:
    return [r.email for r in recipients]


def drafts() -> Drafts:
    team = [
        Person(name="Priya Raman", role="ATS", email=PRIYA),
        Person(name="Tom Becker", role="TAM", email=TOM),
        Person(name="Chen Wu", role="CSM", email=CHEN),
        Person(name="Alicia Gomez", role="AE"),  # no address: named in the body, never in To/Cc
    ]
    engagement = contoso_engagement(account_team=team)
    facts = contoso_facts(teams_channel=fabrikam_facts().teams_channel)  # so the Teams channel ask is drafted
    assert facts.teams_channel is not None
    return render_drafts(engagement, facts)


def test_account_team_emails_go_to_ats_and_tam_and_cc_the_rest() -> None:
    d = drafts()
    assert d.teams_channel is not None
    for name, mail in (
        ("follow_up", d.follow_up),
        ("internal_invite", d.internal_invite.email),
        ("teams_channel", d.teams_channel),
    ):
        assert (emails(mail.to), emails(mail.cc)) == ([PRIYA, TOM], [CHEN, JUN]), name


def test_the_internal_invite_event_requires_ats_and_tam() -> None:
    invite = drafts().internal_invite.invite
    assert (emails(invite.required), emails(invite.optional)) == ([PRIYA, TOM], [CHEN, JUN])


def test_the_intro_request_goes_to_whoever_sends_the_intro() -> None:
    mail = drafts().intro_request.email
    # contoso_facts: "Priya Raman to send the intro email to Dana Whitfield by Friday".
    assert emails(mail.to) == [PRIYA]
    assert sorted(emails(mail.cc)) == sorted([TOM, CHEN, JUN])


def test_the_sync_email_goes_to_whoever_runs_the_sync() -> None:
    mail = drafts().sync_rhythm.email
    # contoso_facts: "Tom Becker to add the FM to the Thursday account sync".
    assert emails(mail.to) == [TOM]
    assert sorted(emails(mail.cc)) == sorted([PRIYA, CHEN, JUN])


def test_nobody_is_both_to_and_cc_and_the_fm_is_never_a_recipient() -> None:
    d = drafts()
    mails = [d.follow_up, d.internal_invite.email, d.intro_request.email, d.sync_rhythm.email, d.teams_channel]
    for mail in mails:
        assert mail is not None
        to, cc = emails(mail.to), emails(mail.cc)
        assert not set(to) & set(cc), mail.subject
        assert FM not in to + cc, "the FM sends; never addressed"
        assert "Alicia Gomez" not in [r.name for r in mail.to + mail.cc], "no address: not a recipient"


def test_someone_without_an_address_is_named_in_the_body() -> None:
    assert "Alicia Gomez" in drafts().follow_up.body


def test_a_team_with_only_a_tam_addresses_the_tam() -> None:
    engagement = contoso_engagement(account_team=[Person(name="Tom Becker", role="TAM", email=TOM)])
    mail = render_drafts(engagement, contoso_facts()).follow_up
    assert (emails(mail.to), emails(mail.cc)) == ([TOM], [JUN])
