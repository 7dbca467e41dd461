"""The one model boundary: a small ChatModel interface, the time budget, and the single retry/re-ask loop.

Provider code (the openai SDK, langchain chat models) lives behind `ChatModel` in llm_openai.py and is
imported lazily, so the offline engine never pays for it. Nothing here ever sees or prints the API key.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import ModelError
from .schemas import Provenance, TokenUsage

if TYPE_CHECKING:
    from .config import Settings

# Planted in every system prompt: a draft that repeats it leaks the prompt (ftdraft.guards looks for any
# CANARY-named constant of a loaded ftdraft module).
PROMPT_CANARY = "ftdraft-canary-3f9c1a7e"

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
TokenSink = Callable[[str], None]
StructuredMode = Literal["json_schema", "json_mode", "prompt"]


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class ChatRequest:
    """One model call. `step` names the pipeline step ("extract", "draft:ftop"): servers see it as the
    X-Ftdraft-Step header, which makes their logs (and our stub server's scripts) readable."""

    step: str
    messages: tuple[Message, ...]
    schema: type[BaseModel] | None = None  # structured output: the reply must be this model as JSON
    stream: bool = False

    def with_messages(self, *extra: Message) -> ChatRequest:
        return replace(self, messages=self.messages + extra)


@dataclass
class ChatReply:
    text: str
    finish_reason: str | None = None
    usage: TokenUsage | None = None
    model: str | None = None
    requests: int = 1  # HTTP requests this reply took (an adapter may renegotiate a 400 once)


class CallFailed(Exception):
    """One call failed in transport or at the server. `retryable` says whether trying again could help.
    Messages are written for the FM and never contain the API key."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None, requests: int = 1) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.requests = requests


class InvalidOutput(Exception):
    """The model answered, but the answer cannot be used; the message is sent back to it once."""


class ModelGaveUp(ModelError):
    """Every attempt failed; carries what was spent so provenance can say so."""

    def __init__(
        self, message: str, *, attempts: int, last_output: str | None = None, usage: TokenUsage | None = None
    ) -> None:
        super().__init__(message, attempts=attempts, last_output=last_output)
        self.usage = usage


class ChatModel(ABC):
    """What the pipeline needs from a model: one call, optionally streamed, nothing else.

    Implementations make exactly one attempt (no retries of their own: retries live in `call_model`),
    raise `CallFailed` for transport/server errors, and return the raw text for the caller to validate.
    """

    name: str = "unknown"

    @abstractmethod
    def complete(
        self, request: ChatRequest, *, timeout: float, deadline: float, on_token: TokenSink | None = None
    ) -> ChatReply:
        """Answer `request` within `timeout` seconds per network wait and before time.monotonic() passes
        `deadline`; when streaming, pass each text chunk to `on_token` as it arrives."""


_ADAPTERS: dict[tuple[Any, ...], ChatModel] = {}
_ADAPTERS_LOCK = threading.Lock()


def model_from_settings(settings: Settings) -> ChatModel:
    """The OpenAI-compatible adapter the settings describe (the openai SDK is imported only here).

    Adapters are reused across runs with the same endpoint settings: building an HTTP client costs
    ~60 ms (TLS context), a kept-alive connection saves a handshake per request, and a structured-output
    downgrade learnt from the server sticks. The cache key holds a hash of the key, never the key.
    """
    from .llm_openai import OpenAIChatModel

    secret = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    key = (
        settings.openai_base_url,
        hashlib.sha256(secret.encode()).hexdigest(),
        settings.model,
        settings.request_timeout,
        settings.temperature,
        settings.max_tokens,
        settings.structured_output,
    )
    with _ADAPTERS_LOCK:
        model = _ADAPTERS.get(key)
        if model is None:
            if len(_ADAPTERS) >= 4:
                _ADAPTERS.pop(next(iter(_ADAPTERS)))
            model = _ADAPTERS[key] = OpenAIChatModel(settings)
    return model


# ---------------------------------------------------------------- time budget


class Budget:
    """The total time the model path may take across every call of a run (Settings.total_budget)."""

    MIN_CALL_SECONDS = 0.05  # below this a call cannot succeed; don't start it

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def call_timeout(self, per_call: float) -> float:
        """The timeout for the next call: the per-call limit, cut to what is left of the budget."""
        left = self.remaining()
        if left < self.MIN_CALL_SECONDS:
            raise CallFailed(f"the total time budget of {self.seconds:g} s is used up", retryable=False, requests=0)
        return min(per_call, left)


# ---------------------------------------------------------------- output parsing helpers


def parse_json_object(text: str) -> Any:
    """The first JSON object in a reply, tolerating code fences and prose around it (common with
    json_mode and prompt-only servers). Raises InvalidOutput with a message meant for the model."""
    start = text.find("{")
    if start < 0:
        raise InvalidOutput("the reply contained no JSON object; reply with one JSON object only")
    try:
        value, _end = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise InvalidOutput(f"the reply was not valid JSON ({exc.msg} at character {exc.pos + start})") from None
    return value


def validation_message(exc: ValidationError, limit: int = 15) -> str:
    """Pydantic errors as short lines the model can act on (instructor's "fix the errors" re-ask)."""
    lines = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
        lines.append(f"- {loc}: {err['msg']}")
    more = len(exc.errors()) - limit
    if more > 0:
        lines.append(f"- ... and {more} more")
    return "\n".join(lines)


def parse_structured(reply: ChatReply, schema: type[M]) -> M:
    check_finished(reply)
    data = parse_json_object(reply.text)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise InvalidOutput("the JSON does not match the schema:\n" + validation_message(exc)) from None


def check_finished(reply: ChatReply) -> None:
    """A reply cut at max_tokens or filtered is unusable whatever it parses to."""
    if not reply.text.strip():
        raise InvalidOutput("the reply was empty")
    if reply.finish_reason == "length":
        raise InvalidOutput("the reply was cut off at the token limit; answer again, shorter (leave out empty fields)")
    if reply.finish_reason == "content_filter":
        raise InvalidOutput("the reply was stopped by the server's content filter")


@lru_cache(maxsize=32)
def json_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON Schema, built once (CallFacts' takes ~20 ms, on every request otherwise)."""
    return schema.model_json_schema()


def schema_instructions(schema: type[BaseModel]) -> str:
    """For servers without json_schema support: the schema goes into the prompt instead."""
    return (
        "Reply with exactly one JSON object, no prose and no code fences, that matches this JSON Schema:\n"
        + json.dumps(json_schema(schema), separators=(",", ":"))
    )


def add_usage(a: TokenUsage | None, b: TokenUsage | None) -> TokenUsage | None:
    if a is None or b is None:
        return a or b

    def plus(x: int | None, y: int | None) -> int | None:
        return None if x is None and y is None else (x or 0) + (y or 0)

    return TokenUsage(
        prompt_tokens=plus(a.prompt_tokens, b.prompt_tokens),
        completion_tokens=plus(a.completion_tokens, b.completion_tokens),
        total_tokens=plus(a.total_tokens, b.total_tokens),
    )


# ---------------------------------------------------------------- the one retry loop


@dataclass
class Outcome(Generic[T]):
    value: T
    attempts: int
    usage: TokenUsage | None
    model: str | None
    last_text: str = ""
    notes: list[str] = field(default_factory=list)


def model_provenance(outcome: Outcome[Any], started: float) -> Provenance:
    """A part the model wrote: which model, what it took (started: time.monotonic() when the part began)."""
    return Provenance(
        engine="llm",
        model=outcome.model,
        attempts=outcome.attempts,
        usage=outcome.usage,
        seconds=round(time.monotonic() - started, 3),
    )


def fallback_provenance(exc: ModelGaveUp, model_name: str, reason: str, started: float) -> Provenance:
    """A part the offline engine wrote after the model gave up: what the model cost, and why ('reason: error')."""
    return Provenance(
        engine="offline",
        model=model_name,
        attempts=exc.attempts,
        fallback_reason=f"{reason}: {exc}",
        usage=exc.usage,
        seconds=round(time.monotonic() - started, 3),
    )


def call_model(
    model: ChatModel,
    request: ChatRequest,
    parse: Callable[[ChatReply], T],
    *,
    settings: Settings,
    budget: Budget,
    reask: Callable[[str], str],
    on_token: TokenSink | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome[T]:
    """Call the model and parse its reply; the ONLY place ftdraft retries.

    - Transport/server failures that can pass (timeouts, connection errors, 429, 5xx, a cut stream) are
      retried up to settings.max_retries times, with exponential backoff that honours Retry-After up to
      settings.max_retry_wait, and never past the time budget.
    - An answer that fails `parse` is sent back once with the errors (`reask` renders that message).
    - Once streamed text has reached `on_token`, nothing is retried: the reader would see it twice.
    Raises ModelGaveUp (a ModelError) when no usable answer came; callers fall back to the offline engine.
    """
    attempts = 0
    failures = 0
    reasked = False
    usage: TokenUsage | None = None
    last_text: str | None = None
    streamed = threading.Event()

    def sink(chunk: str) -> None:
        streamed.set()
        if on_token is not None:
            on_token(chunk)

    while True:
        try:
            timeout = budget.call_timeout(settings.request_timeout)
        except CallFailed as exc:
            raise ModelGaveUp(str(exc), attempts=attempts, last_output=last_text, usage=usage) from None
        attempts += 1
        try:
            reply = model.complete(
                request, timeout=timeout, deadline=budget.deadline, on_token=sink if request.stream else None
            )
        except CallFailed as exc:
            attempts += exc.requests - 1  # an adapter may have sent a renegotiated request too
            failures += 1
            if not exc.retryable or failures > settings.max_retries or streamed.is_set():
                why = str(exc)
                if exc.retryable and failures > settings.max_retries:
                    why += f" (gave up after {attempts} attempts)"
                raise ModelGaveUp(why, attempts=attempts, last_output=last_text, usage=usage) from None
            wait = _backoff(failures, exc.retry_after, settings)
            if wait + Budget.MIN_CALL_SECONDS >= budget.remaining():
                raise ModelGaveUp(
                    f"{exc}; no time left in the {budget.seconds:g} s budget to try again",
                    attempts=attempts,
                    last_output=last_text,
                    usage=usage,
                ) from None
            sleep(wait)
            continue

        attempts += reply.requests - 1
        usage = add_usage(usage, reply.usage)
        last_text = reply.text
        try:
            value = parse(reply)
        except InvalidOutput as exc:
            if reasked or streamed.is_set():
                raise ModelGaveUp(
                    f"the model's answer was unusable: {_first_line(str(exc))}",
                    attempts=attempts,
                    last_output=last_text,
                    usage=usage,
                ) from None
            reasked = True
            request = request.with_messages(Message("assistant", reply.text[:4000]), Message("user", reask(str(exc))))
            continue
        return Outcome(
            value=value, attempts=attempts, usage=usage, model=reply.model or model.name, last_text=reply.text
        )


def _backoff(failures: int, retry_after: float | None, settings: Settings) -> float:
    if retry_after is not None:
        return min(max(retry_after, 0.0), settings.max_retry_wait)
    base = settings.retry_backoff * (2 ** (failures - 1))
    return min(base * (0.75 + random.random() / 2), settings.max_retry_wait)


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else text
