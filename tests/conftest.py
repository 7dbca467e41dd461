"""Shared fixtures. The model path is tested with a MockModel (canned replies per pipeline step, the
requests it was asked) and with the real openai SDK against a scripted local server on 127.0.0.1."""

from __future__ import annotations

import re
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from factories import contoso_replies
from openai_stub_server import Personality, StubServer

from ftdraft.llm import CallFailed, ChatModel, ChatReply, ChatRequest, TokenSink


@dataclass
class MockModel(ChatModel):
    """A ChatModel with canned replies (simonw/llm's MockModel, keyed by step because drafts run in parallel).

    enqueue(step, *replies): a reply is a str, a ChatReply, or a CallFailed to raise. When a step's queue
    is empty, `default(step)` answers. `history` holds every request in the order received.
    """

    default: Callable[[str], str | ChatReply] | None = None
    name: str = "mock-model"
    history: list[ChatRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queues: dict[str, deque[str | ChatReply | CallFailed]] = defaultdict(deque)
        self._lock = threading.Lock()

    def enqueue(self, step: str, *replies: str | ChatReply | CallFailed) -> MockModel:
        with self._lock:
            self._queues[step].extend(replies)
        return self

    def steps(self) -> list[str]:
        return [r.step for r in self.history]

    def complete(
        self, request: ChatRequest, *, timeout: float, deadline: float, on_token: TokenSink | None = None
    ) -> ChatReply:
        with self._lock:
            self.history.append(request)
            queued = self._queues[request.step].popleft() if self._queues[request.step] else None
        if queued is None:
            if self.default is None:
                raise AssertionError(f"MockModel: nothing queued for step {request.step!r}")
            queued = self.default(request.step)
        if isinstance(queued, CallFailed):
            raise queued
        reply = queued if isinstance(queued, ChatReply) else ChatReply(text=queued, finish_reason="stop")
        if request.stream and on_token is not None:
            for piece in re.split(r"(?<=\s)", reply.text):  # word by word, text unchanged
                if piece:
                    on_token(piece)
        return ChatReply(reply.text, reply.finish_reason, reply.usage, reply.model or self.name)


@pytest.fixture
def mock_model() -> Iterator[MockModel]:
    yield MockModel()


@pytest.fixture
def serve() -> Iterator[Callable[..., StubServer]]:
    """Starts local OpenAI-compatible stub servers (127.0.0.1) that answer the Contoso sample validly:
    serve(personality=None, model="stub-model") -> a started StubServer; all are stopped after the test."""
    servers: list[StubServer] = []

    def start(personality: Personality | None = None, model: str = "stub-model") -> StubServer:
        srv = StubServer(contoso_replies(), personality=personality, model=model).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.stop()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file for the app, offline: no key, base URL, engine, model or notes limit from the
    developer's environment, and no .env (the test runs in tmp_path). Returns the database URL."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("FTDRAFT_DATABASE_URL", url)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FTDRAFT_ENGINE", "FTDRAFT_MAX_NOTES_BYTES", "FTDRAFT_MODEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)  # no developer .env can switch the engine or leak a key into the test
    return url
