"""Conformance: ftdraft's model path against stub servers that answer as each real server does (issue 12's
table; tests/personalities/). Real HTTP on 127.0.0.1 and the real openai client. Each test asserts that the
parts the model should write were written by the model, in the fewest requests (at most one extra request
per downgrade), or, where the server cannot serve, that the run stops at once and says why."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from factories import CONTOSO_TO, contoso_engagement, contoso_facts
from openai_stub_server import Drop, Garbage, Hang, Reply, Status, StubServer, stub_settings
from personalities import (
    AzureClassic,
    AzureV1,
    LMStudio,
    OllamaThinking,
    OpenAI,
    OpenAIReasoning,
    QuotaExhausted,
    RateLimited,
    VLLMOld,
    VLLMXgrammar,
    strict_problems,
)

from ftdraft.config import Settings
from ftdraft.llm import Budget
from ftdraft.llm.drafting import draft_with_model
from ftdraft.llm.jsonschema import strict_schema
from ftdraft.llm.openai_chat import OpenAIChatModel
from ftdraft.pipeline import build_bundle
from ftdraft.schemas import CallFacts, DraftBundle

NOTES = (Path(__file__).resolve().parent.parent / "examples" / "rfa-contoso-pharma.md").read_text()
KEY = "sk-persona-SENTINEL-7731"
# the parts the model writes for the Contoso notes (teams_channel: the facts do not call for it)
MODEL_PARTS = ("extraction", "internal_invite", "intro_request", "follow_up", "ftop", "sync_rhythm")
JSON_DRAFTS = ("internal_invite", "intro_request", "ftop", "sync_rhythm")
BASE = 1 + 5  # one extraction request and five draft requests


def settings_for(base_url: str | None, **kw: object) -> Settings:
    limits: dict[str, object] = {
        "FTDRAFT_REQUEST_TIMEOUT": 5,
        "FTDRAFT_TOTAL_BUDGET": 20,
        "FTDRAFT_RETRY_BACKOFF": 0.02,
    }
    return stub_settings(base_url, KEY, **{**limits, **kw})


def run(settings: Settings) -> tuple[DraftBundle, list[str]]:
    tokens: list[str] = []
    bundle = build_bundle(
        NOTES, contoso_engagement(), engine="llm", settings=settings, on_follow_up_token=tokens.append
    )
    assert KEY not in bundle.model_dump_json()
    return bundle, tokens


def by_model(bundle: DraftBundle) -> list[str]:
    return [n for n in MODEL_PARTS if bundle.provenance[n].engine == "llm"]


def reasons(bundle: DraftBundle) -> dict[str, str]:
    return {n: p.fallback_reason or "" for n, p in bundle.provenance.items() if p.fallback_reason}


# ---------------------------------------------------------------- OpenAI


def test_openai_strict_structured_outputs_accepted_first_time(serve) -> None:
    srv = serve(OpenAI(KEY))
    bundle, _ = run(settings_for(srv.base_url))
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    assert len(srv.requests) == BASE  # no 400 from the strict-schema check
    formats = [r.body["response_format"] for r in srv.requests if "response_format" in r.body]
    assert len(formats) == 1 + len(JSON_DRAFTS)
    assert all(f["type"] == "json_schema" and f["json_schema"]["strict"] is True for f in formats)


def test_the_strict_schemas_follow_every_strict_rule() -> None:
    from ftdraft.llm.drafting import SCHEMAS

    for schema in [CallFacts, *[s for s in SCHEMAS.values() if s is not None]]:
        assert strict_problems(strict_schema(schema)) == [], schema.__name__
        assert '"default"' not in json.dumps(strict_schema(schema)), schema.__name__


def test_a_strict_schema_failure_names_the_field(serve) -> None:
    srv = serve(OpenAI(KEY))
    bad = json.dumps({"to": CONTOSO_TO, "subject": "", "body": "Hi"})
    srv.script("draft:internal_invite", Reply(bad), Reply(bad))
    bundle, _ = run(settings_for(srv.base_url))
    reason = bundle.provenance["internal_invite"].fallback_reason or ""
    assert "at subject" in reason, reason


def test_openai_reasoning_model_gets_its_parameters_from_the_first_request(serve) -> None:
    srv = serve(OpenAIReasoning(KEY, reasoning=3000), model="o3-mini")
    bundle, _ = run(settings_for(srv.base_url, FTDRAFT_MODEL="o3-mini"))
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    assert len(srv.requests) == BASE  # no 400s to learn max_completion_tokens or temperature from
    assert all("max_tokens" not in r.body and "temperature" not in r.body for r in srv.requests)
    assert srv.requests_for("extract")[0].body["max_completion_tokens"] >= 16000
    assert bundle.tokens is not None and (bundle.tokens.reasoning_tokens or 0) >= 3000 * BASE


def test_reasoning_tokens_using_the_whole_cap_are_reported_as_such_and_not_reasked(serve) -> None:
    srv = serve(OpenAIReasoning(KEY, reasoning=3000), model="o3-mini")
    bundle, _ = run(settings_for(srv.base_url, FTDRAFT_MODEL="o3-mini", FTDRAFT_MAX_TOKENS=2000))
    reason = bundle.provenance["extraction"].fallback_reason or ""
    assert "used all 2000 tokens" in reason and "2000 of them reasoning" in reason
    assert "raise FTDRAFT_MAX_TOKENS" in reason
    assert len(srv.requests_for("extract")) == 1  # the same cap would stop the same way


def test_a_refused_stream_is_retried_once_without_streaming(serve) -> None:
    srv = serve(OpenAIReasoning(KEY, reasoning=100, stream_refused=True), model="gpt-5-mini")
    bundle, tokens = run(settings_for(srv.base_url, FTDRAFT_MODEL="gpt-5-mini"))
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    first, second = srv.requests_for("draft:follow_up")
    assert first.body.get("stream") is True and not second.body.get("stream")
    assert len(srv.requests) == BASE + 1
    assert "Summary follows." in "".join(tokens), "the reader still gets the text, all at once"


# ---------------------------------------------------------------- Azure OpenAI


def test_azure_classic_deployment(serve) -> None:
    srv = serve(AzureClassic(KEY, deployment="ftdraft-4o"))
    host = srv.base_url.removesuffix("/v1")
    bundle, _ = run(
        settings_for(
            None,
            AZURE_OPENAI_ENDPOINT=host,
            OPENAI_API_VERSION="2024-10-21",
            FTDRAFT_MODEL="ftdraft-4o",
        )
    )
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    assert len(srv.requests) == BASE
    for r in srv.requests:
        assert r.path == "/openai/deployments/ftdraft-4o/chat/completions"
        assert r.query["api-version"] == ["2024-10-21"] and r.header("api-key") == KEY
        assert KEY not in (r.header("authorization") or "")


def test_azure_classic_deployment_url_with_api_version_in_it_is_not_mangled(serve) -> None:
    srv = serve(AzureClassic(KEY, deployment="ftdraft-4o"))
    url = srv.base_url.removesuffix("/v1") + "/openai/deployments/ftdraft-4o?api-version=2024-10-21"
    bundle, _ = run(settings_for(url, FTDRAFT_MODEL="ftdraft-4o"))
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    assert {r.path for r in srv.requests} == {"/openai/deployments/ftdraft-4o/chat/completions"}


def test_azure_v1_endpoint(serve) -> None:
    srv = serve(AzureV1(KEY))
    url = srv.base_url.removesuffix("/v1") + "/openai/v1/"
    bundle, _ = run(settings_for(url, FTDRAFT_MODEL="ftdraft-4o"))
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    assert len(srv.requests) == BASE and "api-version" not in srv.requests[0].query


# ---------------------------------------------------------------- vLLM, LM Studio


def test_vllm_xgrammar_takes_the_strict_schema_as_is(serve) -> None:
    srv = serve(VLLMXgrammar())
    bundle, _ = run(settings_for(srv.base_url))
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    assert len(srv.requests) == BASE, "the schema uses no keyword xgrammar refuses (no format, pattern, ...)"


def test_vllm_with_a_small_context_gets_a_reply_cap_that_fits(serve) -> None:
    srv = serve(VLLMXgrammar(max_model_len=8192))
    bundle, _ = run(settings_for(srv.base_url))
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    first, second = srv.requests_for("extract")  # 8,000 + the prompt is too much: one extra request
    assert second.body["max_tokens"] < first.body["max_tokens"] == 8000
    assert second.body["response_format"]["type"] == "json_schema", "a context error is not a schema error"
    assert len(srv.requests) == BASE + 1


@pytest.mark.parametrize(
    "personality",
    [lambda: VLLMXgrammar(unsupported=frozenset({"enum"})), VLLMOld],
    ids=["xgrammar-refusing-the-schema", "old"],
)
def test_vllm_refusing_the_schema_steps_down_once(serve, personality) -> None:
    srv = serve(personality())
    bundle, _ = run(settings_for(srv.base_url))
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    assert len(srv.requests) == BASE + 1  # one extra request: extraction learns JSON mode, the drafts use it
    first, second = srv.requests_for("extract")
    assert first.body["response_format"]["type"] == "json_schema"
    assert second.body["response_format"] == {"type": "json_object"}


def test_lm_studio_string_error_body_steps_json_mode_down(serve) -> None:
    srv = serve(LMStudio())
    bundle, _ = run(settings_for(srv.base_url, FTDRAFT_STRUCTURED_OUTPUT="json_mode"))
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    assert len(srv.requests) == BASE + 1
    assert "response_format" not in srv.requests_for("extract")[1].body
    assert "JSON Schema" in srv.requests_for("extract")[1].body["messages"][-1]["content"]


def test_lm_studio_takes_json_schema(serve) -> None:
    srv = serve(LMStudio())
    bundle, _ = run(settings_for(srv.base_url))
    assert by_model(bundle) == list(MODEL_PARTS) and len(srv.requests) == BASE


def test_concurrent_400s_in_the_drafting_round_step_down_once(serve) -> None:
    srv = serve(VLLMOld())  # refuses every json_schema: the four JSON drafts fail at the same moment
    settings = settings_for(srv.base_url)
    model = OpenAIChatModel(settings)
    assert model.mode == "json_schema"
    _drafts, prov, _ = draft_with_model(model, contoso_engagement(), contoso_facts(), settings=settings,
                                        budget=Budget(20))  # fmt: skip
    assert all(prov[n].engine == "llm" for n in JSON_DRAFTS), {n: prov[n].fallback_reason for n in JSON_DRAFTS}
    assert model.mode == "json_mode", "four failures of the same mode step it down once, not to 'prompt'"
    for name in JSON_DRAFTS:
        assert len(srv.requests_for(f"draft:{name}")) == 2
        assert srv.requests_for(f"draft:{name}")[1].body["response_format"] == {"type": "json_object"}


# ---------------------------------------------------------------- Ollama with a thinking model


def test_ollama_thinking_model_think_blocks_never_reach_parsing_or_the_reader(serve) -> None:
    persona = OllamaThinking(num_ctx=4096, broken=("draft:ftop",))
    srv = serve(persona, model="qwen3:8b")
    bundle, tokens = run(settings_for(srv.base_url, FTDRAFT_MODEL="qwen3:8b"))
    assert persona.truncated == [], "every request fits Ollama's default 4,096-token context"
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    assert len(srv.requests) == BASE  # no re-asks: think blocks stripped, the trailing comma repaired
    streamed = "".join(tokens)
    assert "<think>" not in streamed and "roster first" not in streamed and "Summary follows." in streamed
    assert "think" not in bundle.drafts.follow_up.body


def test_an_unterminated_think_block_is_a_cut_reply(serve) -> None:
    srv = serve(OllamaThinking(unterminated=("draft:sync_rhythm",)), model="deepseek-r1:14b")
    bundle, _ = run(settings_for(srv.base_url, FTDRAFT_MODEL="deepseek-r1:14b"))
    reason = bundle.provenance["sync_rhythm"].fallback_reason or ""
    assert "raise FTDRAFT_MAX_TOKENS" in reason and len(srv.requests_for("draft:sync_rhythm")) == 1
    assert by_model(bundle) == [n for n in MODEL_PARTS if n != "sync_rhythm"]


# ---------------------------------------------------------------- rate limits and quota


def test_a_retry_after_longer_than_the_budget_stops_at_once_and_says_so(serve) -> None:
    srv = serve(RateLimited(retry_after=20))
    bundle, _ = run(settings_for(srv.base_url, FTDRAFT_TOTAL_BUDGET=6))
    assert len(srv.requests) == 1, "one 429 and the run stops sending: nothing waits the 20 s out"
    assert all(p.engine == "offline" for p in bundle.provenance.values())
    assert all("Retry-After" in reasons(bundle)[n] for n in MODEL_PARTS)


def test_a_short_retry_after_is_waited_out_once_by_the_whole_round(serve) -> None:
    srv = serve(RateLimited(retry_after=0.3, times=1))  # the extraction's first try
    for name in ("internal_invite", "intro_request", "follow_up", "ftop", "sync_rhythm"):
        srv.script(f"draft:{name}", Status(429, retry_after=0.3))  # and every draft's first try
    srv.hold_until(5, "draft:")  # the five first tries meet at the server, and get their 429s together
    bundle, _ = run(settings_for(srv.base_url, FTDRAFT_MAX_RETRIES=1))
    assert by_model(bundle) == list(MODEL_PARTS), reasons(bundle)
    assert not srv.hold_timed_out and len(srv.requests) == 2 * BASE
    extract = srv.requests_for("extract")
    assert extract[1].at - extract[0].at >= 0.3  # Retry-After honoured (a lower bound: no clock flake)
    drafts = [r for r in srv.requests if r.step.startswith("draft:")]
    first_round, second_round = drafts[:5], drafts[5:]
    assert {r.step for r in first_round} == {r.step for r in second_round}
    # one shared cooldown: no retry before the 429s' Retry-After has passed for the whole round
    assert min(r.at for r in second_round) - max(r.at for r in first_round) >= 0.3


def test_insufficient_quota_is_never_retried(serve) -> None:
    srv = serve(QuotaExhausted())
    bundle, _ = run(settings_for(srv.base_url))
    assert len(srv.requests) == 1
    assert all("quota" in reasons(bundle)[n] for n in MODEL_PARTS)
    assert "rate limiting" not in reasons(bundle)["extraction"]


# ---------------------------------------------------------------- half the tokens


def test_prompt_tokens_per_bundle_and_the_shared_prefix(serve) -> None:
    srv = serve(OpenAI(KEY))
    bundle, _ = run(settings_for(srv.base_url))
    assert bundle.tokens is not None and bundle.tokens.prompt_tokens is not None
    assert bundle.tokens.prompt_tokens <= 8000, bundle.tokens
    drafts = [r for r in srv.requests if r.step.startswith("draft:")]
    shared = len(os.path.commonprefix([r.messages_text for r in drafts]))
    total = sum(len(r.prompt) for r in drafts)
    assert shared * len(drafts) / total >= 0.5, (shared, total)


def test_cached_and_reasoning_tokens_add_up_per_bundle(serve) -> None:
    persona = OpenAIReasoning(KEY, reasoning=500)
    persona.cache_min_tokens = 256  # a provider that caches shorter prefixes
    srv = serve(persona, model="o4-mini")
    bundle, _ = run(settings_for(srv.base_url, FTDRAFT_MODEL="o4-mini"))
    assert bundle.tokens is not None
    assert bundle.tokens.cached_tokens and bundle.tokens.cached_tokens >= 256 * 4  # the drafts after the first
    assert bundle.tokens.reasoning_tokens == 500 * BASE
    parts = [p.usage for p in bundle.provenance.values() if p.usage]
    assert sum(u.prompt_tokens or 0 for u in parts) == bundle.tokens.prompt_tokens


# ---------------------------------------------------------------- the first request leaves before the SDK loads


def raw_extract(srv: StubServer, **kw: object) -> tuple[object, OpenAIChatModel]:
    from ftdraft.llm.extraction import extract_with_model

    settings = settings_for(srv.base_url, **kw) if "AZURE_OPENAI_ENDPOINT" not in kw else settings_for(None, **kw)
    model = OpenAIChatModel(settings, raw_first=True)
    _eng, _facts, prov = extract_with_model(model, NOTES, contoso_engagement(), {}, settings=settings,
                                            budget=Budget(20))  # fmt: skip
    return prov, model


def test_the_extraction_request_goes_out_without_the_sdk_and_the_sdk_loads_meanwhile(serve) -> None:
    srv = serve(OpenAI(KEY))
    prov, model = raw_extract(srv)
    assert prov.engine == "llm" and prov.attempts == 1, prov.fallback_reason
    first = srv.requests_for("extract")[0]
    assert (first.header("user-agent") or "").startswith("Python-urllib"), "sent by the standard library"
    assert first.header("authorization") == f"Bearer {KEY}"
    assert first.body["response_format"]["json_schema"]["strict"] is True
    assert model._client_obj is not None, "the SDK client was built while the request was in flight"
    assert prov.usage is not None and (prov.usage.prompt_tokens or 0) > 0


def test_the_raw_first_request_to_azure_classic(serve) -> None:
    srv = serve(AzureClassic(KEY, deployment="dep"))
    host = srv.base_url.removesuffix("/v1")
    prov, _ = raw_extract(srv, AZURE_OPENAI_ENDPOINT=host, OPENAI_API_VERSION="2024-10-21", FTDRAFT_MODEL="dep")
    assert prov.engine == "llm", prov.fallback_reason
    assert srv.requests_for("extract")[0].query["api-version"] == ["2024-10-21"]


@pytest.mark.parametrize(
    ("personality", "requests"),
    [(LMStudio, 2), (VLLMOld, 2)],
    ids=["lm-studio-string-body", "vllm-old"],
)
def test_the_raw_first_request_steps_down_on_a_400_like_the_sdk(serve, personality, requests: int) -> None:
    srv = serve(personality())
    prov, _ = raw_extract(srv, FTDRAFT_STRUCTURED_OUTPUT="json_mode" if personality is LMStudio else "json_schema")
    assert prov.engine == "llm" and prov.attempts == requests, prov.fallback_reason
    assert len(srv.requests_for("extract")) == requests


@pytest.mark.parametrize(
    ("behaviour", "says"),
    [
        (Status(401, f"Incorrect API key provided: {KEY}"), "refused the API key (401)"),
        (Status(500, "boom"), "server error (500)"),
        (Hang(5), "did not answer within 0.5 s"),
        (Garbage(), "could not be read"),
        (Drop(), "could not reach"),
    ],
    ids=["401", "500", "hang", "garbage", "drop"],
)
def test_raw_first_failures_read_like_the_sdk_ones(serve, behaviour, says: str) -> None:
    srv = serve(OpenAI(None))
    srv.script("extract", *[behaviour] * 3)
    prov, _ = raw_extract(srv, FTDRAFT_MAX_RETRIES=1, FTDRAFT_REQUEST_TIMEOUT=0.5)
    reason = prov.fallback_reason or ""
    assert prov.engine == "offline" and says in reason, reason
    assert KEY not in reason


def test_raw_first_429_with_quota_stops(serve) -> None:
    srv = serve(QuotaExhausted())
    prov, _ = raw_extract(srv)
    assert "quota" in (prov.fallback_reason or "") and len(srv.requests) == 1
