"""The model path's transport and its waiting (issue 12, "less waiting outside the model").

When no reply streams (the CLI), every request goes through the standard library (ftdraft.llm.rawhttp) and the
openai SDK is never built: each server personality still gets all parts written by the model in the same
number of requests as through the SDK. Work done while a request is in flight starts only once the request is
written (ChatRequest.on_sent), so it never holds the request up. Real HTTP on 127.0.0.1; fakes only at the
model boundary.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from factories import contoso_engagement, contoso_facts, contoso_replies
from openai_stub_server import Personality, StubServer, free_port, stub_settings
from personalities import AzureClassic, LMStudio, OllamaThinking, OpenAI, OpenAIReasoning, VLLMOld, VLLMXgrammar

from ftdraft.config import Settings
from ftdraft.llm import Budget, ChatModel, ChatReply, ChatRequest, TokenSink
from ftdraft.llm.drafting import draft_with_model
from ftdraft.llm.extraction import extract_with_model
from ftdraft.llm.openai_chat import OpenAIChatModel
from ftdraft.llm.rawhttp import RawConnectionError, post_json
from ftdraft.pipeline import build_bundle

NOTES = (Path(__file__).resolve().parent.parent / "examples" / "rfa-contoso-pharma.md").read_text()
KEY = "sk-transport-SENTINEL-5521"
MODEL_PARTS = ("extraction", "internal_invite", "intro_request", "follow_up", "ftop", "sync_rhythm")
BASE = 1 + 5  # one extraction request and five draft requests


def settings_for(base_url: str | None, **kw: object) -> Settings:
    limits: dict[str, object] = {
        "FTDRAFT_REQUEST_TIMEOUT": 10,
        "FTDRAFT_TOTAL_BUDGET": 30,
        "FTDRAFT_RETRY_BACKOFF": 0.02,
    }
    return stub_settings(base_url, KEY, **{**limits, **kw})


# ---------------------------------------------------------------- no stream: no SDK, same requests


def azure_classic(srv: StubServer) -> dict[str, object]:
    host = srv.base_url.removesuffix("/v1")
    return {"AZURE_OPENAI_ENDPOINT": host, "OPENAI_API_VERSION": "2024-10-21", "FTDRAFT_MODEL": "dep"}


CASES: dict[str, tuple[Callable[[], Personality], str, Callable[[StubServer], dict[str, object]], int]] = {
    # personality, the server's model name, settings, requests for the bundle (as through the SDK)
    "openai-strict": (lambda: OpenAI(KEY), "stub-model", lambda s: {}, BASE),
    "openai-reasoning": (
        lambda: OpenAIReasoning(KEY, reasoning=300),
        "o3-mini",
        lambda s: {"FTDRAFT_MODEL": "o3-mini"},
        BASE,
    ),  # fmt: skip
    "azure-classic": (lambda: AzureClassic(KEY, deployment="dep"), "dep", azure_classic, BASE),
    "vllm-old": (VLLMOld, "stub-model", lambda s: {}, BASE + 1),
    "vllm-small-context": (lambda: VLLMXgrammar(max_model_len=8192), "stub-model", lambda s: {}, BASE + 1),
    "lm-studio-json-mode": (LMStudio, "stub-model", lambda s: {"FTDRAFT_STRUCTURED_OUTPUT": "json_mode"}, BASE + 1),
    "ollama-thinking": (
        lambda: OllamaThinking(num_ctx=4096, broken=("draft:ftop",)),
        "qwen3:8b",
        lambda s: {"FTDRAFT_MODEL": "qwen3:8b"},
        BASE,
    ),  # fmt: skip
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_without_a_stream_every_request_goes_without_the_sdk(serve, case: str) -> None:
    make, server_model, kw, requests = CASES[case]
    srv = serve(make(), model=server_model)
    settings = settings_for(None if case == "azure-classic" else srv.base_url, **kw(srv))
    model = OpenAIChatModel(settings, raw_first=True)  # as in a fresh CLI process, where openai is not imported
    bundle = build_bundle(NOTES, contoso_engagement(), engine="llm", settings=settings, model=model)
    reasons = {n: p.fallback_reason for n, p in bundle.provenance.items() if p.fallback_reason}
    assert [n for n in MODEL_PARTS if bundle.provenance[n].engine == "llm"] == list(MODEL_PARTS), reasons
    assert len(srv.requests) == requests, srv.steps()
    assert all((r.header("user-agent") or "").startswith("Python-urllib") for r in srv.requests)
    assert model._client_obj is None, "the SDK client was never built"
    assert KEY not in bundle.model_dump_json()


class Counting(ChatModel):
    """A model that answers every step validly and counts prepare() calls (the SDK import of the real one)."""

    name = "counting"

    def __init__(self) -> None:
        self.prepared = 0
        self.canned = contoso_replies()

    def prepare(self) -> None:
        self.prepared += 1

    def complete(
        self, request: ChatRequest, *, timeout: float, deadline: float, on_token: TokenSink | None = None
    ) -> ChatReply:
        text = self.canned.content(request.step)
        if on_token is not None:
            on_token(text)
        return ChatReply(text=text, finish_reason="stop", model=self.name)


@pytest.mark.parametrize("stream", [False, True], ids=["no-stream", "stream"])
def test_the_model_is_prepared_only_for_a_streamed_reply(stream: bool) -> None:
    model = Counting()
    tokens: list[str] = []
    bundle = build_bundle(NOTES, contoso_engagement(), engine="llm", settings=settings_for("http://127.0.0.1:9/v1"),
                          model=model, on_follow_up_token=tokens.append if stream else None)  # fmt: skip
    assert bundle.provenance["follow_up"].engine == "llm"
    assert model.prepared == (1 if stream else 0)
    assert ("Summary follows." in "".join(tokens)) is stream


# ---------------------------------------------------------------- in-flight work waits until the request is out


class Gated(ChatModel):
    """Calls on_sent, then holds each reply until `release` is set (or 10 s pass); records, as each request is
    sent, whether the caller's in-flight work had already started (`started`)."""

    name = "gated"

    def __init__(self, started: threading.Event, window: float = 0.0) -> None:
        self.started, self.window = started, window
        self.release = threading.Event()
        self.work_before_sent: list[bool] = []
        self.sent = 0
        self.lock = threading.Lock()
        self.canned = contoso_replies()

    def complete(
        self, request: ChatRequest, *, timeout: float, deadline: float, on_token: TokenSink | None = None
    ) -> ChatReply:
        # the window lets a caller that does not wait for on_sent start its work before the request is out
        self.work_before_sent.append(self.started.wait(self.window))
        with self.lock:
            self.sent += 1
        assert request.on_sent is not None, "the caller asked to hear when the request is out"
        request.on_sent()
        self.release.wait(10)
        return ChatReply(text=self.canned.content(request.step), finish_reason="stop", model=self.name)


def test_the_extraction_in_flight_work_starts_once_the_request_is_out() -> None:
    from ftdraft.extract import extract_facts

    extract_facts(NOTES, contoso_engagement(), {})  # warm: a caller that did not wait would start at once
    started = threading.Event()
    model = Gated(started, window=1.0)
    rules: list[Any] = []

    def in_flight() -> None:
        started.set()
        model.release.set()

    _e, _f, prov = extract_with_model(model, NOTES, contoso_engagement(), {}, settings=settings_for(None),
                                      budget=Budget(30), while_waiting=in_flight, rules_facts=rules)  # fmt: skip
    assert prov.engine == "llm", prov.fallback_reason
    assert model.work_before_sent == [False], "the rules engine and the drafting set-up waited for the request"
    assert len(rules) == 1 and started.is_set()


def test_the_drafting_rounds_in_flight_work_starts_once_every_request_is_out() -> None:
    started = threading.Event()
    model = Gated(started)
    seen: list[int] = []

    def in_flight() -> None:
        seen.append(model.sent)
        started.set()
        model.release.set()

    _d, prov, _c = draft_with_model(model, contoso_engagement(), contoso_facts(), settings=settings_for(None),
                                    budget=Budget(30), while_waiting=in_flight)  # fmt: skip
    assert all(prov[n].engine == "llm" for n in MODEL_PARTS[1:]), {n: prov[n].fallback_reason for n in prov}
    assert seen == [5], "while_waiting ran once, after the five draft requests were out"


def test_rawhttp_says_the_request_is_out_while_the_server_still_holds_it(serve) -> None:
    srv = serve()
    srv.hold_until(2, "extract", timeout=20)  # the first request waits at the server for a second one
    url = srv.base_url + "/chat/completions"
    body = {"model": "stub-model", "messages": [{"role": "user", "content": "hi"}]}
    sent = threading.Event()
    replies: list[dict[str, Any]] = []
    first = threading.Thread(target=lambda: replies.append(post_json(url, {"X-Ftdraft-Step": "extract"}, body, 30,
                                                                     on_sent=sent.set)))  # fmt: skip
    first.start()
    assert sent.wait(15), "on_sent was called while the reply was still held"
    assert not replies, "... before the reply came"
    replies.append(post_json(url, {"X-Ftdraft-Step": "extract"}, body, 30))  # the second one releases both
    first.join(15)
    assert len(replies) == 2 and not srv.hold_timed_out
    assert all(r["choices"][0]["message"]["content"] for r in replies)


def test_rawhttp_says_so_too_when_the_request_could_not_be_sent() -> None:
    calls: list[int] = []
    with pytest.raises(RawConnectionError):
        post_json(
            f"http://127.0.0.1:{free_port()}/v1/chat/completions", {}, {"x": 1}, 5, on_sent=lambda: calls.append(1)
        )
    assert calls, "the caller waiting for on_sent is never left waiting"


def test_one_tls_context_serves_every_https_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading a CA bundle costs ~10 ms or more: the six requests of a bundle share one context per bundle file."""
    from ftdraft.llm.rawhttp import tls_context

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    first = tls_context("https://example.openai.azure.com/openai/v1/chat/completions")
    assert first is not None and first is tls_context("https://api.openai.com/v1/chat/completions")
    assert first.verify_mode.name == "CERT_REQUIRED" and first.check_hostname
    assert tls_context("http://127.0.0.1:11434/v1/chat/completions") is None
