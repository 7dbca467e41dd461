"""The model path's drafts follow the same rules as the offline ones (issue 10): the FM's identity (settings or
the engagement, else the '[your name]' placeholder) in the prompt and in every sign-off; To/Cc only for people
with an email address, the others named in the body; the FM's steps in the first person. Real HTTP: the real
openai SDK through ftdraft's adapter against tests/openai_stub_server.py on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import CONTOSO_TO, contoso_engagement, contoso_replies
from openai_stub_server import Reply, StubServer, stub_settings

from ftdraft.pipeline import build_bundle
from ftdraft.schemas import DraftBundle, Engagement

NOTES = (Path(__file__).resolve().parent.parent / "examples" / "rfa-contoso-pharma.md").read_text()
ALICIA = {"name": "Alicia Gomez", "role": "AE"}  # on the contoso roster with no email address


@pytest.fixture
def server() -> Iterator[StubServer]:
    canned = contoso_replies()
    with StubServer(canned) as srv:
        yield srv


def run(server: StubServer, engagement: Engagement | None = None, **settings: Any) -> DraftBundle:
    limits: dict[str, Any] = {"FTDRAFT_REQUEST_TIMEOUT": 5.0, "FTDRAFT_TOTAL_BUDGET": 30.0, "FTDRAFT_MAX_RETRIES": 1}
    limits.update(settings)
    return build_bundle(
        NOTES,
        engagement or contoso_engagement(),
        engine="llm",
        settings=stub_settings(server.base_url, "sk-test-drafts", **limits),
    )


def emails(bundle: DraftBundle) -> dict[str, Any]:
    d = bundle.drafts
    out = {
        "internal_invite": d.internal_invite.email,
        "intro_request": d.intro_request.email,
        "follow_up": d.follow_up,
        "sync_rhythm": d.sync_rhythm.email,
    }
    return out | ({"teams_channel": d.teams_channel} if d.teams_channel else {})


def test_the_prompt_names_the_fm_and_the_recipient_rules(server: StubServer) -> None:
    run(server)
    text = server.requests_for("draft:sync_rhythm")[0].text
    assert "The FM (you; sign as): Alex Morgan <alex.morgan@microsoft.com>" in text
    assert "only roster people with an email" in text and "please forward this to" in text
    assert 'never "FM to …" or "Owner: TBD"' in text
    # the person without an address is listed as such, to be named in the body
    assert "No email known (name them in the body only):\n- Alicia Gomez <no email known> (AE)" in text
    assert text.count("Alicia Gomez <no email known>") == 1, "listed once, not among the recipients too"


def test_model_drafts_are_signed_by_the_fm_from_the_settings(server: StubServer) -> None:
    bundle = run(server, contoso_engagement(fm=None), FTDRAFT_FM_NAME="Bianca Lowenthal")
    assert "The FM (you; sign as): Bianca Lowenthal" in server.requests_for("draft:follow_up")[0].text
    for name, mail in emails(bundle).items():
        assert bundle.provenance[name].engine == "llm", name
        assert mail.body.rstrip().endswith("Bianca Lowenthal"), (name, mail.body)


def test_an_unknown_fm_signs_the_visible_placeholder(server: StubServer) -> None:
    bundle = run(server, contoso_engagement(fm=None))
    assert "The FM (you; sign as): [your name]" in server.requests_for("draft:follow_up")[0].text
    follow_up = bundle.drafts.follow_up
    assert bundle.provenance["follow_up"].engine == "llm"
    assert "Summary follows." in follow_up.body and follow_up.body.rstrip().endswith("Thanks,\n[your name]")
    assert any(f.field == "engagement.fm.name" for f in bundle.facts.flags)


def test_a_person_without_an_address_in_cc_is_reasked_and_named_in_the_body(server: StubServer) -> None:
    bad = {"to": CONTOSO_TO, "cc": [ALICIA], "subject": "Joining your sync", "body": "Hi all,\n\nAdd me please."}
    server.script("draft:sync_rhythm", Reply(json.dumps(bad)))
    bundle = run(server)
    prov = bundle.provenance["sync_rhythm"]
    assert prov.engine == "llm" and prov.attempts == 2
    reask = server.requests_for("draft:sync_rhythm")[1].body["messages"][-1]["content"]
    assert "Alicia Gomez has no email address, so must not be in to/cc" in reask
    mail = bundle.drafts.sync_rhythm.email
    assert all(r.email for r in mail.to + mail.cc) and "Alicia Gomez" not in [r.name for r in mail.to + mail.cc]
    assert "Alicia Gomez (AE)" in mail.body  # named in the body: the template's lines, put back by ftdraft


def test_a_role_placeholder_recipient_twice_falls_back_to_the_offline_draft(server: StubServer) -> None:
    bad = {"to": [{"role": "TAM"}, *CONTOSO_TO], "subject": "Teams channel", "body": "Hi all,\n\nPlease add me."}
    server.script("draft:internal_invite", Reply(json.dumps(bad)), Reply(json.dumps(bad)))
    bundle = run(server)
    prov = bundle.provenance["internal_invite"]
    assert prov.engine == "offline" and prov.attempts == 2 and "no email address" in (prov.fallback_reason or "")
    mail = bundle.drafts.internal_invite.email
    assert all(r.email for r in mail.to + mail.cc)


def test_the_fm_in_the_third_person_is_reasked(server: StubServer) -> None:
    bad = "Subject: Recap\n\nHi all,\n\nNext steps:\n- FM to send the service description\n- Owner: TBD – deck\n"
    server.script("draft:follow_up", Reply(bad))
    bundle = run(server)
    assert bundle.provenance["follow_up"].attempts == 2
    reask = server.requests_for("draft:follow_up")[1].body["messages"][-1]["content"]
    assert "write the FM's own steps as 'I'll …'" in reask
    assert "FM to send" not in bundle.drafts.follow_up.body and "Owner: TBD" not in bundle.drafts.follow_up.body


def test_a_body_signed_with_another_name_is_signed_by_the_fm(server: StubServer) -> None:
    # the canned drafts close "Thanks,\nAlex": with the FM unknown, the placeholder replaces the invented name
    bundle = run(server, contoso_engagement(fm=None))
    body = bundle.drafts.sync_rhythm.email.body
    assert bundle.provenance["sync_rhythm"].engine == "llm"
    assert body.rstrip().endswith("Thanks,\n[your name]") and "Alex" not in body and body.count("Thanks,") == 1


def test_a_name_the_template_says_in_passing_is_not_put_back(server: StubServer) -> None:
    # Jun Park (FTA) has no address in this roster but the sync email names him in its ask, not as an addressee:
    # only the addressing lines go back in, so the model's sync draft stays the model's
    fta = contoso_engagement().fta
    assert fta is not None
    bundle = run(server, contoso_engagement(fta=fta.model_copy(update={"email": None})))
    assert bundle.provenance["sync_rhythm"].engine == "llm"
    assert "could you add me and Jun Park" not in bundle.drafts.sync_rhythm.email.body
