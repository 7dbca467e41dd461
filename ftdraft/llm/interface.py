"""The one model boundary: a small ChatModel interface, the run's time budget and shared cooldown, and the
single retry/re-ask loop.

Adapters (ftdraft.llm.openai_chat, ftdraft.llm.langchain_chat) implement `ChatModel`; this module imports
neither of them, nor any provider SDK, so the offline engine never pays for one. Nothing here ever sees or
prints the API key.
"""

from __future__ import annotations

import random
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from ..errors import ModelError
from ..schemas import Provenance, TokenUsage

if TYPE_CHECKING:
    from ..config import Settings

# Planted in every system prompt: a draft that repeats it leaks the prompt (ftdraft.guards looks for any
# CANARY-named constant of a loaded ftdraft module).
PROMPT_CANARY = "ftdraft-canary-3f9c1a7e"

T = TypeVar("T")
TokenSink = Callable[[str], None]
# json_schema: response_format json_schema (strict where the server supports it); json_mode: response_format
# json_object with the schema in the prompt; prompt: no response_format, the schema in the prompt.
StructuredMode = Literal["json_schema", "json_mode", "prompt"]


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class ChatRequest:
    """One model call. `step` names the pipeline step ("extract", "draft:ftop"): servers see it as the
    X-Ftdraft-Step header, which makes their logs (and our stub servers' scripts) readable.
    `max_tokens`: the reply's token cap for this step (None: the adapter's default).
    `on_sent`: called (once or more, from the sending thread) when an attempt has been written to the server
    or has failed before that; adapters that cannot tell call it just before sending. The caller starts its
    own work only then, so that work does not hold up the request (one interpreter lock for all threads)."""

    step: str
    messages: tuple[Message, ...]
    schema: type[Any] | None = None  # a pydantic model: the reply must be this model as JSON
    stream: bool = False
    max_tokens: int | None = None
    on_sent: Callable[[], None] | None = field(default=None, compare=False, repr=False)

    def with_messages(self, *extra: Message) -> ChatRequest:
        return replace(self, messages=self.messages + extra)


@dataclass
class ChatReply:
    text: str
    finish_reason: str | None = None
    usage: TokenUsage | None = None
    model: str | None = None
    requests: int = 1  # HTTP requests this reply took (an adapter may renegotiate a 400 once per parameter)
    max_tokens: int | None = None  # the cap the final request used, for a message when it ran out


class CallFailed(Exception):
    """One call failed in transport or at the server. Messages are written for the FM and never contain
    the API key.

    retryable: trying again could help. retry_after: seconds the server asked to wait (Retry-After).
    stop_all: no other request of this run can succeed either (a refused key, an exhausted quota, a
    missing deployment): the run stops sending. requests: HTTP requests this failure took."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        requests: int = 1,
        stop_all: bool = False,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.requests = requests
        self.stop_all = stop_all


class InvalidOutput(Exception):
    """The model answered, but the answer cannot be used; the message is sent back to it once."""


class OutOfTokens(InvalidOutput):
    """The reply stopped at its token cap (finish_reason=length): asking again with the same cap would
    stop there again, so the part falls back at once and the message says which setting to raise."""


class ModelGaveUp(ModelError):
    """Every attempt failed; carries what was spent so provenance can say so."""

    def __init__(
        self, message: str, *, attempts: int, last_output: str | None = None, usage: TokenUsage | None = None
    ) -> None:
        super().__init__(message, attempts=attempts, last_output=last_output)
        self.usage = usage


class ChatModel(ABC):
    """What the pipeline needs from a model: one call, optionally streamed, nothing else.

    Implementations make exactly one attempt (no retries of their own: retries live in `call_model`; an
    adapter may resend once per parameter the server rejected), raise `CallFailed` for transport/server
    errors, and return the raw text for the caller to validate.
    """

    name: str = "unknown"
    reasoning: bool = False  # a reasoning/thinking model: budgets for its hidden reasoning tokens too

    @abstractmethod
    def complete(
        self, request: ChatRequest, *, timeout: float, deadline: float, on_token: TokenSink | None = None
    ) -> ChatReply:
        """Answer `request` within `timeout` seconds per network wait and before time.monotonic() passes
        `deadline`; when streaming, pass each text chunk to `on_token` as it arrives."""

    def prepare(self) -> None:  # noqa: B027  (optional hook, empty by default)
        """Get ready for the next requests (import an SDK, build a client) while a request is in flight."""


# ---------------------------------------------------------------- time budget and shared cooldown


class Budget:
    """The total time the model path may take across every call of a run (Settings.total_budget), and
    what every call of the run shares: one cooldown after a 429 (the parallel drafts wait it out together
    instead of each hammering the server), and a stop once the server said no request can succeed."""

    MIN_CALL_SECONDS = 0.05  # below this a call cannot succeed; don't start it

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._cooldown_until = 0.0
        self.stopped: str | None = None  # why the run stopped sending (None: it did not)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def call_timeout(self, per_call: float) -> float:
        """The timeout for the next call: the per-call limit, cut to what is left of the budget.
        Raises CallFailed (not retryable, 0 requests) when the run stopped or the budget is spent."""
        if self.stopped:
            raise CallFailed(self.stopped, retryable=False, requests=0)
        left = self.remaining()
        if left < self.MIN_CALL_SECONDS:
            raise CallFailed(f"the total time budget of {self.seconds:g} s is used up", retryable=False, requests=0)
        return min(per_call, left)

    def stop(self, reason: str) -> None:
        """No further request of this run is sent; every part still waiting falls back with `reason`."""
        with self._lock:
            self.stopped = self.stopped or reason

    def cool_down(self, seconds: float) -> float:
        """Every call of the run waits until `seconds` (plus up to 10% jitter, so the parallel drafts do not
        return in the same millisecond) from now; returns the moment the cooldown ends (time.monotonic())."""
        until = time.monotonic() + seconds * (1 + random.random() * 0.1)
        with self._lock:
            self._cooldown_until = max(self._cooldown_until, until)
            return self._cooldown_until

    def wait_cooldown(self, sleep: Callable[[float], None]) -> None:
        with self._lock:
            until = self._cooldown_until
        wait = until - time.monotonic()
        if wait > 0:
            sleep(wait)


# ---------------------------------------------------------------- token usage


def add_usage(a: TokenUsage | None, b: TokenUsage | None) -> TokenUsage | None:
    """The sum of two usages; a count stays None only when neither side reported it."""
    if a is None or b is None:
        return a or b

    def plus(x: int | None, y: int | None) -> int | None:
        return None if x is None and y is None else (x or 0) + (y or 0)

    return TokenUsage(
        prompt_tokens=plus(a.prompt_tokens, b.prompt_tokens),
        completion_tokens=plus(a.completion_tokens, b.completion_tokens),
        total_tokens=plus(a.total_tokens, b.total_tokens),
        cached_tokens=plus(a.cached_tokens, b.cached_tokens),
        reasoning_tokens=plus(a.reasoning_tokens, b.reasoning_tokens),
    )


def total_usage(provenance: dict[str, Provenance]) -> TokenUsage | None:
    """Every part's usage added up: the bundle's token totals (None when no part reported any)."""
    total: TokenUsage | None = None
    for p in provenance.values():
        total = add_usage(total, p.usage)
    return total


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
    stream_filter: Callable[[TokenSink], TokenSink] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome[T]:
    """Call the model and parse its reply; the ONLY place ftdraft retries.

    - Transport/server failures that can pass (timeouts, connection errors, 429, 5xx, a cut stream) are
      retried up to settings.max_retries times, with jittered exponential backoff, never past the budget.
    - A 429's Retry-After is honoured through the run's shared cooldown (every parallel call waits it out
      once) when it fits both settings.max_retry_wait and the time left; otherwise the part stops at once
      and says so. A failure that no request can overcome (refused key, exhausted quota) stops the run.
    - An answer that fails `parse` is sent back once with the errors (`reask` renders that message); only
      the failing answer and the errors are added, so the shared prefix of the request stays cached. A reply
      cut at its token cap (OutOfTokens) is not re-asked: it would stop at the same cap.
    - Once streamed text has reached `on_token`, nothing is retried: the reader would see it twice.
      stream_filter (e.g. parsing.ThinkFilter) wraps the forwarding, fresh for each attempt: what it holds
      back (a think block) has not reached the reader.
    Raises ModelGaveUp (a ModelError) when no usable answer came; callers fall back to the offline engine.
    """
    attempts = 0
    failures = 0
    reasked = False
    usage: TokenUsage | None = None
    last_text: str | None = None
    streamed = threading.Event()

    def forward(chunk: str) -> None:
        streamed.set()
        if on_token is not None:
            on_token(chunk)

    def gave_up(why: str) -> ModelGaveUp:
        return ModelGaveUp(why, attempts=attempts, last_output=last_text, usage=usage)

    while True:
        budget.wait_cooldown(sleep)
        try:
            timeout = budget.call_timeout(settings.request_timeout)
        except CallFailed as exc:
            raise gave_up(str(exc)) from None
        attempts += 1
        sink = stream_filter(forward) if stream_filter is not None else forward
        try:
            reply = model.complete(
                request, timeout=timeout, deadline=budget.deadline, on_token=sink if request.stream else None
            )
        except CallFailed as exc:
            attempts += exc.requests - 1  # 0 requests (nothing sent) or a renegotiated resend
            failures += 1
            if exc.stop_all:
                budget.stop(f"{exc} (no further request was sent)")
            if not exc.retryable or streamed.is_set():
                raise gave_up(str(exc)) from None
            if failures > settings.max_retries:
                raise gave_up(f"{exc} (gave up after {attempts} attempts)") from None
            if exc.retry_after is not None:
                wait = max(exc.retry_after, 0.0)
                if wait > settings.max_retry_wait or wait + Budget.MIN_CALL_SECONDS >= budget.remaining():
                    why = f"{exc}; the server asked to wait {wait:g} s (Retry-After), more than " + (
                        f"FTDRAFT_MAX_RETRY_WAIT ({settings.max_retry_wait:g} s)"
                        if wait > settings.max_retry_wait
                        else f"the {max(budget.remaining(), 0):.0f} s left of the {budget.seconds:g} s budget"
                    )
                    budget.stop(why)
                    raise gave_up(why) from None
                budget.cool_down(wait)
                continue
            wait = backoff(failures, settings)
            if wait + Budget.MIN_CALL_SECONDS >= budget.remaining():
                raise gave_up(f"{exc}; no time left in the {budget.seconds:g} s budget to try again") from None
            sleep(wait)
            continue

        attempts += reply.requests - 1
        if reply.max_tokens is None:
            reply.max_tokens = request.max_tokens
        usage = add_usage(usage, reply.usage)
        last_text = reply.text
        try:
            value = parse(reply)
        except OutOfTokens as exc:
            raise gave_up(str(exc)) from None
        except InvalidOutput as exc:
            if reasked or streamed.is_set():
                raise gave_up(f"the model's answer was unusable: {first_line(str(exc))}") from None
            reasked = True
            request = request.with_messages(Message("assistant", reply.text[:4000]), Message("user", reask(str(exc))))
            continue
        return Outcome(
            value=value, attempts=attempts, usage=usage, model=reply.model or model.name, last_text=reply.text
        )


def backoff(failures: int, settings: Settings) -> float:
    """Seconds before retry number `failures` (1-based): exponential from settings.retry_backoff, with
    +-25% jitter, at most settings.max_retry_wait."""
    base = settings.retry_backoff * (2 ** (failures - 1))
    return min(base * (0.75 + random.random() / 2), settings.max_retry_wait)


def first_line(text: str) -> str:
    return text.splitlines()[0] if text else text
