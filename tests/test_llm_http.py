"""The whole model path over real HTTP: the real openai SDK (through ftdraft's adapter) against a scripted
OpenAI-compatible server on 127.0.0.1, misbehaving in every way the issue lists. Each run must end with a
complete, valid bundle, provenance that says what fell back and why, inside the time budget."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import CONTOSO_TO, contoso_engagement, contoso_replies
from openai_stub_server import (
    CutStream,
    Drop,
    Garbage,
    Hang,
    Reply,
    Status,
    StubServer,
    free_port,
    stub_settings,
)

from ftdraft.config import Settings
from ftdraft.pipeline import build_bundle
from ftdraft.schemas import DRAFT_NAMES, DraftBundle

NOTES = (Path(__file__).resolve().parent.parent / "examples" / "rfa-contoso-pharma.md").read_text()
CANARY = "CANARY-7f3a zebra line"  # a line of the notes that no fact repeats
NOTES_WITH_CANARY = NOTES + f"\n{CANARY}\n"
KEY = "sk-test-SENTINEL-do-not-leak-4242"
MODEL_WRITTEN = ("internal_invite", "intro_request", "follow_up", "ftop", "sync_rhythm")  # teams_channel: not asked


@pytest.fixture
def server() -> Iterator[StubServer]:
    canned = contoso_replies()
    with StubServer(canned) as srv:
        yield srv


def make_settings(base_url: str, **kw: object) -> Settings:
    limits: dict[str, object] = {
        "FTDRAFT_REQUEST_TIMEOUT": 5.0,  # generous: the machine may be loaded; timeout tests set their own
        "FTDRAFT_TOTAL_BUDGET": 20.0,
        "FTDRAFT_MAX_RETRIES": 2,
        "FTDRAFT_RETRY_BACKOFF": 0.02,
        "FTDRAFT_MAX_RETRY_WAIT": 0.2,
    }
    limits.update(kw)
    return stub_settings(base_url, KEY, **limits)


def run(server_url: str, notes: str = NOTES, **kw: object) -> tuple[DraftBundle, list[str], float]:
    settings = make_settings(server_url, **kw)
    tokens: list[str] = []
    started = time.monotonic()
    bundle = build_bundle(
        notes, contoso_engagement(), engine="llm", settings=settings, on_follow_up_token=tokens.append
    )
    elapsed = time.monotonic() - started  # for callers that check what was sent after the budget, not speed
    assert_complete(bundle)
    return bundle, tokens, elapsed


def assert_complete(bundle: DraftBundle) -> None:
    again = DraftBundle.model_validate_json(bundle.model_dump_json())  # schema-valid, round trip
    assert set(again.provenance) == {"extraction", *DRAFT_NAMES}
    d = again.drafts
    for email in (d.internal_invite.email, d.intro_request.email, d.follow_up, d.sync_rhythm.email):
        assert email.subject and email.body and "\n" not in email.subject
        assert email.to, "every email has recipients"
    assert all(h in d.ftop.text for h in ("Participants", "Discussion points", "Playbook task"))
    assert KEY not in bundle.model_dump_json()


def engines(bundle: DraftBundle) -> dict[str, str]:
    return {k: p.engine for k, p in bundle.provenance.items()}


# ---------------------------------------------------------------- the happy path


def test_valid_replies_everything_model_written(server: StubServer) -> None:
    bundle, tokens, _ = run(server.base_url)
    assert all(bundle.provenance[n].engine == "llm" for n in ("extraction", *MODEL_WRITTEN))
    assert bundle.provenance["prep"].engine == "offline" and bundle.provenance["prep"].fallback_reason is None
    follow = bundle.provenance["follow_up"]
    assert follow.model == "stub-model" and follow.attempts == 1 and follow.usage and follow.usage.total_tokens == 150
    assert follow.seconds is not None
    # the guardrails (ftdraft.guards) may restore a subject that does not trace to the notes; bodies stay
    assert "This is the model's internal_invite draft." in bundle.drafts.internal_invite.email.body
    assert "This is the model's sync_rhythm draft." in bundle.drafts.sync_rhythm.email.body
    assert "Summary follows." in bundle.drafts.follow_up.body
    assert "".join(tokens).startswith("Hi all,")  # streamed, without the Subject line
    assert len(server.requests) == 1 + len(MODEL_WRITTEN)
    # the key travels only as the bearer token, and the SDK adds no retries of its own
    auth = [{k.lower(): v for k, v in r.headers.items()}["authorization"] for r in server.requests]
    assert auth == [f"Bearer {KEY}"] * len(server.requests)
    # per-step reply caps: extraction needs far more than a draft
    caps = {r.step: r.body["max_tokens"] for r in server.requests}
    assert caps["extract"] == 8000 and caps["draft:ftop"] == 3000
    assert all("temperature" in r.body for r in server.requests)
    extract = server.requests_for("extract")[0].body
    assert extract["response_format"]["type"] == "json_schema"
    assert server.requests_for("draft:follow_up")[0].body["stream"] is True


def test_raw_notes_appear_in_exactly_one_request(server: StubServer) -> None:
    run(server.base_url, notes=NOTES_WITH_CANARY)
    carrying = [r.step for r in server.requests if CANARY in r.raw]
    assert carrying == ["extract"]
    long_lines = [line for line in NOTES.splitlines() if len(line) > 50]
    for r in server.requests:
        if r.step != "extract":
            assert not any(json.dumps(line)[1:-1] in r.raw for line in long_lines), r.step
            assert '"sources"' not in r.text


def test_requests_run_in_parallel(server: StubServer) -> None:
    # one extraction round trip plus ONE drafting round, not five: the server holds every draft request until
    # all five are in (drafts sent one after another would never meet, and the hold would time out)
    server.hold_until(len(MODEL_WRITTEN), "draft:", timeout=5)
    bundle, _, _ = run(server.base_url, FTDRAFT_TOTAL_BUDGET=20, FTDRAFT_REQUEST_TIMEOUT=10)
    assert not server.hold_timed_out and server.max_in_flight == len(MODEL_WRITTEN)
    assert all(bundle.provenance[n].engine == "llm" for n in MODEL_WRITTEN)
    assert server.steps()[0] == "extract" and len(server.requests) == 1 + len(MODEL_WRITTEN)


# ---------------------------------------------------------------- server errors


def test_429_with_retry_after_then_success(server: StubServer) -> None:
    server.script("extract", Status(429, "slow down", retry_after=0.05))
    bundle, _, _ = run(server.base_url)
    assert bundle.provenance["extraction"].engine == "llm" and bundle.provenance["extraction"].attempts == 2


@pytest.mark.parametrize("code", [500, 503])
def test_5xx_is_retried_then_succeeds(server: StubServer, code: int) -> None:
    server.script("draft:ftop", Status(code))
    bundle, _, _ = run(server.base_url)
    assert bundle.provenance["ftop"].engine == "llm" and bundle.provenance["ftop"].attempts == 2


def test_5xx_that_persists_falls_back_for_that_draft_only(server: StubServer) -> None:
    server.script("draft:intro_request", *[Status(503, "overloaded")] * 3)
    bundle, _, _ = run(server.base_url)
    prov = bundle.provenance["intro_request"]
    assert prov.engine == "offline" and prov.attempts == 3
    assert "503" in (prov.fallback_reason or "") and "gave up after 3 attempts" in (prov.fallback_reason or "")
    assert all(bundle.provenance[n].engine == "llm" for n in MODEL_WRITTEN if n != "intro_request")
    assert len(server.requests_for("draft:intro_request")) == 3  # max_retries=2: one try + two retries, no more


def test_max_retries_zero_means_one_request(server: StubServer) -> None:
    server.script("draft:ftop", Status(500))
    bundle, _, _ = run(server.base_url, FTDRAFT_MAX_RETRIES=0)
    assert bundle.provenance["ftop"].engine == "offline" and len(server.requests_for("draft:ftop")) == 1


def test_hung_extraction_times_out_and_falls_back_drafts_still_model(server: StubServer) -> None:
    server.script("extract", Hang(10), Hang(10))
    bundle, _, _ = run(server.base_url, FTDRAFT_REQUEST_TIMEOUT=0.4, FTDRAFT_MAX_RETRIES=1)
    prov = bundle.provenance["extraction"]
    assert prov.engine == "offline" and "did not answer within 0.4 s" in (prov.fallback_reason or "")
    assert prov.attempts == 2 and len(server.requests_for("extract")) == 2  # one try, one retry, no more
    assert all(bundle.provenance[n].engine == "llm" for n in MODEL_WRITTEN)


def test_connection_refused_everything_offline_quickly() -> None:
    bundle, _, _ = run(f"http://127.0.0.1:{free_port()}/v1", FTDRAFT_MAX_RETRIES=1)
    assert all(p.engine == "offline" for p in bundle.provenance.values())
    assert "could not reach 127.0.0.1" in (bundle.provenance["extraction"].fallback_reason or "")
    assert all(p.attempts <= 2 for p in bundle.provenance.values())  # MAX_RETRIES=1: at most one retry each


def test_dropped_connection_is_retried(server: StubServer) -> None:
    server.script("draft:sync_rhythm", Drop())
    bundle, _, _ = run(server.base_url)
    assert bundle.provenance["sync_rhythm"].engine == "llm" and bundle.provenance["sync_rhythm"].attempts == 2


def test_http_body_that_is_not_json_is_retried(server: StubServer) -> None:
    server.script("extract", Garbage())
    bundle, _, _ = run(server.base_url)
    assert bundle.provenance["extraction"].engine == "llm" and bundle.provenance["extraction"].attempts == 2


def test_401_is_final_and_never_echoes_the_key(server: StubServer) -> None:
    server.script("*", *[Status(401, f"Incorrect API key provided: {KEY}")] * 6)
    bundle, _, _ = run(server.base_url)
    assert all(p.engine == "offline" for p in bundle.provenance.values())
    reason = bundle.provenance["extraction"].fallback_reason or ""
    assert "check OPENAI_API_KEY" in reason and KEY not in reason
    # a refused key refuses every request: the run stops sending after the first, and every part says why
    assert len(server.requests) == 1
    assert all("401" in (bundle.provenance[n].fallback_reason or "") for n in MODEL_WRITTEN)


# ---------------------------------------------------------------- unusable answers


def test_malformed_json_is_reasked_with_the_error(server: StubServer) -> None:
    server.script("extract", Reply('{"attendees": [ {"name": "Priya"'))
    bundle, _, _ = run(server.base_url)
    assert bundle.provenance["extraction"].engine == "llm" and bundle.provenance["extraction"].attempts == 2
    reask = server.requests_for("extract")[1].body["messages"]
    assert reask[-1]["role"] == "user" and "not valid JSON" in reask[-1]["content"]


def test_json_failing_the_schema_twice_falls_back_to_rules(server: StubServer) -> None:
    bad = json.dumps({"intents": [{"workload": "Teams", "status": "Blocked", "reason": "Migration", "note": "x"}]})
    server.script("extract", Reply(bad), Reply(bad))
    bundle, _, _ = run(server.base_url)
    prov = bundle.provenance["extraction"]
    assert prov.engine == "offline" and prov.attempts == 2 and "schema" in (prov.fallback_reason or "")
    assert "Migration" in server.requests_for("extract")[1].body["messages"][-1]["content"]
    assert prov.usage and prov.usage.total_tokens == 300  # tokens spent on failures are still reported


def test_empty_content_is_reasked(server: StubServer) -> None:
    server.script("draft:internal_invite", Reply(""))
    bundle, _, _ = run(server.base_url)
    assert bundle.provenance["internal_invite"].engine == "llm"
    assert bundle.provenance["internal_invite"].attempts == 2


def test_finish_reason_length_twice_falls_back(server: StubServer) -> None:
    truncated = Reply('{"to": [], "subject": "x", "body": "cut', finish_reason="length")
    server.script("draft:sync_rhythm", truncated, truncated)
    bundle, _, _ = run(server.base_url)
    prov = bundle.provenance["sync_rhythm"]
    assert prov.engine == "offline" and "token limit" in (prov.fallback_reason or "")


def test_a_recipient_off_the_roster_is_dropped_and_flagged(server: StubServer) -> None:
    evil = {"name": "Mallory", "email": "mallory@evil.example"}
    reply = {"to": [*CONTOSO_TO, evil], "cc": [], "subject": "Intro", "body": "Hi all"}
    server.script("draft:internal_invite", Reply(json.dumps(reply)))
    bundle, _, _ = run(server.base_url)
    email = bundle.drafts.internal_invite.email
    assert bundle.provenance["internal_invite"].engine == "llm"
    assert "mallory" not in bundle.drafts.model_dump_json()
    assert [r.email for r in email.to] == ["priya.raman@microsoft.com", "tom.becker@microsoft.com"]
    assert ("internal_invite", "recipient_not_on_roster") in [(c.draft, c.rule) for c in bundle.checks]


def test_a_subject_with_a_line_break_is_reasked(server: StubServer) -> None:
    bad = {"to": CONTOSO_TO, "subject": "Intro\nBcc: mallory@evil.example", "body": "Hi"}
    server.script("draft:internal_invite", Reply(json.dumps(bad)))
    bundle, _, _ = run(server.base_url)
    assert bundle.provenance["internal_invite"].attempts == 2
    assert "\n" not in bundle.drafts.internal_invite.email.subject


# ---------------------------------------------------------------- streaming


def test_a_stream_cut_off_midway_falls_back_without_duplicating_text(server: StubServer) -> None:
    text = "Subject: Recap\n\nHi all,\n\nThanks for the time today. Here is what we agreed and what is open."
    server.script("draft:follow_up", CutStream(text, after=4, chunks=10))
    bundle, tokens, _ = run(server.base_url)
    prov = bundle.provenance["follow_up"]
    assert prov.engine == "offline" and "cut off" in (prov.fallback_reason or "")
    assert len(server.requests_for("draft:follow_up")) == 1  # not retried: the reader already saw text
    assert tokens and "".join(tokens) in text
    assert all(bundle.provenance[n].engine == "llm" for n in MODEL_WRITTEN if n != "follow_up")


def test_a_stream_cut_before_any_text_is_retried(server: StubServer) -> None:
    server.script("draft:follow_up", CutStream("Subject: R\n\nHi", after=0))
    bundle, tokens, _ = run(server.base_url)
    assert bundle.provenance["follow_up"].engine == "llm" and bundle.provenance["follow_up"].attempts == 2
    assert "".join(tokens).startswith("Hi all,")


# ---------------------------------------------------------------- budget and compatibility


def test_total_budget_bounds_the_whole_run(server: StubServer) -> None:
    server.script("*", *[Hang(10)] * 12)
    started = time.monotonic()
    bundle, _, _ = run(server.base_url, FTDRAFT_TOTAL_BUDGET=1.0, FTDRAFT_REQUEST_TIMEOUT=5)
    assert all(p.engine == "offline" for p in bundle.provenance.values())
    assert any("budget" in (p.fallback_reason or "") or "within" in (p.fallback_reason or "")
               for p in bundle.provenance.values())  # fmt: skip
    # nothing is sent once the budget is spent (an ordering of recorded arrivals, not a speed)
    assert all(r.at < started + 1.0 for r in server.requests)


def test_server_without_json_schema_gets_json_mode_with_the_schema_in_the_prompt(server: StubServer) -> None:
    server.script("extract", Status(400, "Invalid parameter: response_format of type 'json_schema' is not supported"))
    bundle, _, _ = run(server.base_url)
    first, second = server.requests_for("extract")
    assert first.body["response_format"]["type"] == "json_schema"
    assert second.body["response_format"] == {"type": "json_object"}
    assert "JSON Schema" in second.body["messages"][-1]["content"]
    assert bundle.provenance["extraction"].engine == "llm" and bundle.provenance["extraction"].attempts == 2


def test_json_mode_setting(server: StubServer) -> None:
    bundle, _, _ = run(server.base_url, FTDRAFT_STRUCTURED_OUTPUT="json_mode")
    assert server.requests_for("extract")[0].body["response_format"] == {"type": "json_object"}
    assert bundle.provenance["extraction"].engine == "llm"
