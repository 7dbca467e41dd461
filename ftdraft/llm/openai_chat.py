"""The OpenAI-compatible adapter: OpenAI, Azure OpenAI (classic and v1), Ollama, vLLM, LM Studio, through
the openai SDK. Imported only on the model path.

The SDK's own retries are off (max_retries=0): ftdraft retries in one place,
ftdraft.llm.interface.call_model, so retry layers never multiply. What servers disagree on is learnt once
and kept for the adapter's life: the token parameter, temperature, streaming, the structured-output mode.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import threading
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from ..sanitize import redact_secret
from ..schemas import TokenUsage
from .endpoint import Endpoint, resolve_endpoint
from .interface import CallFailed, ChatModel, ChatReply, ChatRequest, StructuredMode, TokenSink
from .jsonschema import schema_instructions, strict_schema

if TYPE_CHECKING:
    from ..config import Settings

# When a server rejects a structured-output request with a 400 that names no other parameter: json_schema
# (strict) -> json_object "JSON mode" with the schema in the prompt -> no response_format, schema in the
# prompt. One step per failing request, from the mode that request used (parallel requests step down once).
DOWNGRADE: dict[StructuredMode, StructuredMode] = {"json_schema": "json_mode", "json_mode": "prompt"}

# OpenAI's reasoning models take max_completion_tokens and only the default temperature (400
# unsupported_parameter / unsupported_value otherwise): o1, o3, o4-mini, gpt-5 and their variants; the
# gpt-5 "chat" models are not reasoning models. Source: platform.openai.com/docs/guides/reasoning.
OPENAI_REASONING_RE = re.compile(r"^(o\d+(-[a-z0-9.-]+)?|gpt-5(?!.*-chat)[a-z0-9.-]*)$")
# Open-weight thinking models: they accept max_tokens and temperature, but their reasoning (in `content`
# as <think>...</think>, or a separate field) counts against the cap.
THINKING_RE = re.compile(r"(deepseek-r1|r1-distill|qwq|qwen3|magistral|gpt-oss|phi-4-reasoning|thinking)")


def model_family(name: str, setting: str = "auto") -> tuple[bool, bool]:
    """(openai_reasoning, thinking) for a model name: whether it takes OpenAI's reasoning-model parameters,
    and whether its hidden reasoning needs a larger token cap. setting: FTDRAFT_REASONING (on: both)."""
    base = name.lower().rsplit("/", 1)[-1].split(":")[0]
    if setting == "off":
        return False, False
    if setting == "on":
        return True, True
    openai_reasoning = bool(OPENAI_REASONING_RE.match(base))
    return openai_reasoning, openai_reasoning or bool(THINKING_RE.search(base))


@dataclass(frozen=True)
class ServerError:
    """What a non-2xx reply said, whatever its body shape: OpenAI/Azure {"error": {...}}, vLLM's
    {"object": "error", "message": ...}, LM Studio's {"error": "<text>"}, or plain text."""

    message: str
    param: str | None = None
    code: str | None = None
    type: str | None = None


def server_error(exc: Any) -> ServerError:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict):
            return ServerError(
                message=str(err.get("message") or err.get("detail") or ""),
                param=_opt(err.get("param")),
                code=_opt(err.get("code")),
                type=_opt(err.get("type")),
            )
        if err is not None:
            return ServerError(message=str(err))
        return ServerError(message=str(body.get("detail") or body.get("message") or ""))
    if isinstance(body, str):
        return ServerError(message=body)
    response = getattr(exc, "response", None)
    text = ""
    if response is not None:
        try:
            text = response.text
        except Exception:  # a streamed response not read yet
            text = ""
    return ServerError(message=text or str(getattr(exc, "message", "") or ""))


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


class OpenAIChatModel(ChatModel):
    """Chat completions on any OpenAI-compatible endpoint (see ftdraft.llm.endpoint for the kinds)."""

    def __init__(self, settings: Settings, endpoint: Endpoint | None = None, raw_first: bool | None = None) -> None:
        """raw_first: send plain requests with the standard library until the SDK client is built (see
        prepare()); None: when the openai SDK is not imported yet (a fresh process, the CLI)."""
        endpoint = endpoint or resolve_endpoint(settings)
        key = ""
        if endpoint.kind in ("azure", "azure_v1") and settings.azure_openai_api_key is not None:
            key = settings.azure_openai_api_key.get_secret_value()
        if not key and settings.openai_api_key is not None:
            key = settings.openai_api_key.get_secret_value()
        self._secret = key  # sent to the server and scrubbed from any server message we pass on; never shown
        self.endpoint = endpoint
        self._request_timeout = settings.request_timeout
        self._client_obj: Any = None
        self._client_lock = threading.Lock()
        self.raw_first = ("openai" not in sys.modules) if raw_first is None else raw_first
        self.name = endpoint.deployment or settings.model
        self._lock = threading.Lock()
        self.mode: StructuredMode = settings.structured_output
        openai_reasoning, self.reasoning = model_family(self.name, settings.reasoning)
        # OpenAI reasoning models: the right parameters from the first request (no 400 to learn them from)
        self.temperature: float | None = None if openai_reasoning else settings.temperature
        self.max_tokens_param = "max_completion_tokens" if openai_reasoning else "max_tokens"
        self.default_max_tokens = settings.reply_tokens("draft", self.reasoning)
        self.can_stream = True
        self.token_limit: int | None = None  # a reply cap the server taught us (its context or output limit)
        self._host = endpoint.host

    def prepare(self) -> None:
        """Import the SDK and build its client (~0.6 s): the pipeline calls this while the extraction
        request, sent without the SDK, is in flight."""
        self._client  # noqa: B018  (built for its side effect)

    @property
    def _client(self) -> Any:
        with self._client_lock:
            if self._client_obj is None:
                import openai  # lazy: 0.5 s+ of imports the offline engine never needs

                endpoint = self.endpoint
                if endpoint.kind == "azure":
                    self._client_obj = openai.AzureOpenAI(
                        azure_endpoint=endpoint.base_url or "",
                        azure_deployment=endpoint.deployment,
                        api_version=endpoint.api_version,
                        api_key=self._secret or "unset",
                        timeout=self._request_timeout,
                        max_retries=0,
                    )
                else:
                    self._client_obj = openai.OpenAI(
                        api_key=self._secret or "unset",
                        base_url=endpoint.base_url,
                        timeout=self._request_timeout,
                        max_retries=0,
                    )
            return self._client_obj

    # -------------------------------------------------------------- one call

    def complete(
        self, request: ChatRequest, *, timeout: float, deadline: float, on_token: TokenSink | None = None
    ) -> ChatReply:
        requests = 0
        while True:
            requests += 1
            with self._lock:
                mode = self.mode
                stream = request.stream and self.can_stream
            raw = self.raw_first and not stream and self._client_obj is None
            try:
                if raw:
                    reply = self._once_raw(request, mode, timeout=timeout)
                else:
                    reply = self._once(request, mode, stream, timeout=timeout, deadline=deadline, on_token=on_token)
                reply.requests = requests
                return reply
            except CallFailed as exc:
                exc.requests = requests
                raise
            except Exception as exc:  # the SDK and the network raise many types; all are model failures
                # A 400 is final, except for what servers disagree on: adjust once per parameter, ask again.
                if status_of(exc) == 400 and requests < 5 and self.adjust_for(server_error(exc), request, mode, stream):
                    continue
                raise self._failed(exc, timeout, requests) from None

    def _once_raw(self, request: ChatRequest, mode: StructuredMode, *, timeout: float) -> ChatReply:
        """One plain request with the standard library (ftdraft.llm.rawhttp), as the SDK would send it."""
        from .rawhttp import post_json

        kwargs = self._kwargs(request, mode, timeout)
        cap = kwargs[self.max_tokens_param]
        headers = {str(k): str(v) for k, v in kwargs.pop("extra_headers").items()}
        kwargs.pop("timeout")
        endpoint = self.endpoint
        if endpoint.kind == "azure":
            deployment = endpoint.deployment or self.name
            path = f"/openai/deployments/{deployment}/chat/completions"
            url = f"{endpoint.base_url}{path}?api-version={endpoint.api_version}"
            headers["api-key"] = self._secret or "unset"
        else:
            url = (endpoint.base_url or "https://api.openai.com/v1").rstrip("/") + "/chat/completions"
            headers["Authorization"] = f"Bearer {self._secret or 'unset'}"
        data = post_json(url, headers, kwargs, timeout, on_sent=request.on_sent)
        choices = data.get("choices") or []
        usage = usage_of(data.get("usage"))
        if not choices:
            return ChatReply(text="", usage=usage, model=data.get("model"), max_tokens=cap)
        choice = choices[0] or {}
        message = choice.get("message") or {}
        return ChatReply(
            text=str(message.get("content") or ""),
            finish_reason=choice.get("finish_reason"),
            usage=usage,
            model=data.get("model") or self.name,
            max_tokens=cap,
        )

    def _kwargs(self, request: ChatRequest, mode: StructuredMode, timeout: float) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.name,
            "messages": self._messages(request, mode),
            self.max_tokens_param: min(request.max_tokens or self.default_max_tokens, self.token_limit or 1 << 30),
            "timeout": timeout,
            "extra_headers": {"X-Ftdraft-Step": request.step},
        }
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        if request.schema is not None and mode == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": request.schema.__name__,
                    "schema": strict_schema(request.schema),
                    "strict": True,
                },
            }
        elif request.schema is not None and mode == "json_mode":
            kwargs["response_format"] = {"type": "json_object"}
        return kwargs

    def _once(
        self,
        request: ChatRequest,
        mode: StructuredMode,
        stream: bool,
        *,
        timeout: float,
        deadline: float,
        on_token: TokenSink | None,
    ) -> ChatReply:
        kwargs = self._kwargs(request, mode, timeout)
        cap = kwargs[self.max_tokens_param]
        if request.on_sent is not None:
            request.on_sent()  # the SDK does not say when the request is out: just before it is sent
        if not stream:
            completion = self._client.chat.completions.create(**kwargs)
            if not completion.choices:
                return ChatReply(text="", usage=usage_of(completion.usage), model=completion.model, max_tokens=cap)
            choice = completion.choices[0]
            text = choice.message.content or ""
            if request.stream and on_token is not None and text:
                on_token(text)  # the server would not stream: the reader gets the whole text at once
            return ChatReply(
                text=text,
                finish_reason=choice.finish_reason,
                usage=usage_of(completion.usage),
                model=completion.model or self.name,
                max_tokens=cap,
            )
        reply = self._stream(kwargs, deadline=deadline, on_token=on_token)
        reply.max_tokens = cap
        return reply

    def _stream(self, kwargs: dict[str, Any], *, deadline: float, on_token: TokenSink | None) -> ChatReply:
        stream = self._client.chat.completions.create(**kwargs, stream=True, stream_options={"include_usage": True})
        parts: list[str] = []
        finish: str | None = None
        usage: TokenUsage | None = None
        model: str | None = None
        try:
            for chunk in self._chunks(stream):
                model = model or chunk.model
                if chunk.usage is not None:
                    usage = usage_of(chunk.usage)
                for choice in chunk.choices:
                    text = choice.delta.content if choice.delta else None
                    if text:
                        parts.append(text)
                        if on_token is not None:
                            on_token(text)
                    if choice.finish_reason:
                        finish = choice.finish_reason
                # httpx's timeout is per read: a server trickling tokens could outlast the whole budget.
                if time.monotonic() > deadline:
                    raise CallFailed("the total time budget ran out while the reply was streaming", retryable=False)
        finally:
            stream.close()
        if finish is None:
            raise CallFailed("the model's streamed reply was cut off midway", retryable=True)
        return ChatReply(text="".join(parts), finish_reason=finish, usage=usage, model=model or self.name)

    @staticmethod
    def _chunks(stream: Any) -> Any:
        """The stream's chunks; a connection that breaks once the reply has started is a cut-off reply."""
        import openai

        iterator = iter(stream)
        while True:
            try:
                chunk = next(iterator)
            except StopIteration:
                return
            except (openai.APIConnectionError, openai.APIResponseValidationError) as exc:
                if isinstance(exc, openai.APITimeoutError):
                    raise CallFailed("the model's streamed reply stalled past the timeout", retryable=True) from None
                raise CallFailed("the model's streamed reply was cut off midway", retryable=True) from None
            yield chunk

    @staticmethod
    def _messages(request: ChatRequest, mode: StructuredMode) -> list[dict[str, str]]:
        """The request's messages; without json_schema the schema goes at the end of the last user message,
        so what the drafting round shares stays first and byte-identical (cacheable), and the roles keep the
        order strict chat templates (Mistral, Gemma) require."""
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        if request.schema is not None and mode != "json_schema":
            note = schema_instructions(request.schema)
            last = max((i for i, m in enumerate(messages) if m["role"] == "user"), default=None)
            if last is None:
                messages.append({"role": "user", "content": note})
            else:
                messages[last] = {"role": "user", "content": messages[last]["content"] + "\n\n" + note}
        return messages

    # -------------------------------------------------------------- errors

    def adjust_for(self, error: ServerError, request: ChatRequest, mode: StructuredMode, stream: bool) -> bool:
        """Renegotiate a 400 over a parameter the server does not take. True: ask again (one extra request).

        Decided from the error body, dict or string, not from the SDK's message text: a named parameter
        (OpenAI's `param`, or its name in the text) is adjusted; any other 400 after a response_format steps
        the structured-output mode down once, from the mode the failing request used (under a lock: the
        parallel drafts that all failed on the same mode step it down once, not once each)."""
        text = error.message.lower()
        param = (error.param or "").lower()
        with self._lock:
            room = reply_room(text)
            if room is not None and room >= 256 and room < (self.token_limit or 1 << 30):
                self.token_limit = room  # the reply cap must fit the model's context or output limit
                return True
            if self.max_tokens_param == "max_tokens" and "max_completion_tokens" in text:
                self.max_tokens_param = "max_completion_tokens"
                return True
            if self.temperature is not None and (param == "temperature" or "temperature" in text):
                self.temperature = None
                return True
            if stream and (param == "stream" or (_STREAM_RE.search(text) and "response_format" not in text)):
                self.can_stream = False
                return True
            named_other = param not in ("", "response_format") and not param.startswith("response_format")
            if request.schema is not None and mode in DOWNGRADE and not named_other:
                if self.mode == mode:
                    self.mode = DOWNGRADE[mode]
                return True
        return False

    def _failed(self, exc: Exception, timeout: float, requests: int) -> CallFailed:
        from .rawhttp import RawConnectionError, RawStatusError, RawTimeout

        def fail(message: str, retryable: bool, retry_after: float | None = None, stop_all: bool = False) -> CallFailed:
            return CallFailed(
                redact_secret(message, self._secret),
                retryable=retryable,
                retry_after=retry_after,
                requests=requests,
                stop_all=stop_all,
            )

        host = self._host
        # the SDK's error classes, read off the module only if it is there (it may still be importing on the
        # main thread while a raw request failed: never touch it half-built)
        sdk = sys.modules.get("openai")

        def sdk_is(name: str) -> bool:
            cls = getattr(sdk, name, None)
            return isinstance(cls, type) and isinstance(exc, cls)

        if isinstance(exc, RawTimeout) or sdk_is("APITimeoutError"):
            return fail(f"{host} did not answer within {timeout:.3g} s", True)
        if isinstance(exc, RawConnectionError) or sdk_is("APIConnectionError"):
            cause = exc.__cause__ or exc.__context__
            detail = f" ({type(cause).__name__})" if cause else ""
            return fail(f"could not reach {host}{detail}: check OPENAI_BASE_URL and the network", True)
        if isinstance(exc, RawStatusError) or sdk_is("APIStatusError"):
            status = int(getattr(exc, "status_code", 0))
            error = server_error(exc)
            says = self._says(error)
            if status == 401:
                where = "AZURE_OPENAI_API_KEY or OPENAI_API_KEY" if self.endpoint.kind == "azure" else "OPENAI_API_KEY"
                return fail(f"{host} refused the API key (401){says}: check {where}", False, stop_all=True)
            if status == 403:
                return fail(f"{host} denied access (403){says}: check the key's permissions", False, stop_all=True)
            if status == 404:
                hint = (
                    "check FTDRAFT_MODEL (the deployment name), AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION"
                    if self.endpoint.kind == "azure"
                    else "check FTDRAFT_MODEL and OPENAI_BASE_URL"
                )
                return fail(
                    f"{host} has no model '{self.name}' or no chat endpoint (404){says}: {hint}", False, stop_all=True
                )
            if status == 429:
                if (
                    "insufficient_quota" in (error.code or "", error.type or "")
                    or "exceeded your current quota" in error.message
                ):
                    return fail(
                        f"{host} says the account's quota is used up (429 insufficient_quota): check the plan and "
                        "billing; not retried",
                        False,
                        stop_all=True,
                    )
                return fail(f"{host} is rate limiting (429){says}", True, retry_after_of(exc))
            if status >= 500:
                return fail(f"{host} had a server error ({status}){says}", True, retry_after_of(exc))
            return fail(f"{host} rejected the request ({status}){says}", status in (408, 409))
        # Unparseable bodies and other surprises from the wire: transient until proven otherwise.
        return fail(f"{host} sent a reply that could not be read ({type(exc).__name__})", True)

    def _says(self, error: ServerError) -> str:
        message = " ".join(redact_secret(error.message, self._secret).split())  # redact BEFORE cutting
        return f": {message[:200]}" if message else ""


_STREAM_RE = re.compile(r"\bstream(?:ing)?\b")
_CONTEXT_RE = re.compile(r"maximum context length is (\d+) tokens.*?\((\d+) in the messages")
_OUTPUT_RE = re.compile(r"supports at most (\d+) (?:completion |output )?tokens")


def reply_room(text: str) -> int | None:
    """The largest reply cap a 400 allows, from its text (lowercase): vLLM's "This model's maximum context
    length is 8192 tokens. However, you requested 10700 tokens (2700 in the messages, 8000 in the
    completion)" leaves 8192 - 2700 (less a margin); OpenAI's "max_tokens is too large: 25000. This model
    supports at most 16384 completion tokens" allows 16384. None when the text says neither."""
    m = _CONTEXT_RE.search(text)
    if m:
        return int(m.group(1)) - int(m.group(2)) - 16
    m = _OUTPUT_RE.search(text)
    return int(m.group(1)) if m else None


def status_of(exc: BaseException) -> int | None:
    """The HTTP status of a failed request (the SDK's APIStatusError or rawhttp's RawStatusError), else None."""
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def usage_of(usage: Any) -> TokenUsage | None:
    """The usage the server reported (the SDK's object or the raw JSON dict) as TokenUsage, with cached
    (prompt_tokens_details.cached_tokens) and reasoning (completion_tokens_details.reasoning_tokens) tokens
    when the server reports them."""
    if usage is None:
        return None
    if isinstance(usage, dict):
        usage = json.loads(json.dumps(usage), object_hook=lambda d: SimpleNamespace(**d))
    prompt_details = getattr(usage, "prompt_tokens_details", None)
    completion_details = getattr(usage, "completion_tokens_details", None)
    return TokenUsage(
        prompt_tokens=getattr(usage, "prompt_tokens", None),
        completion_tokens=getattr(usage, "completion_tokens", None),
        total_tokens=getattr(usage, "total_tokens", None),
        cached_tokens=getattr(prompt_details, "cached_tokens", None) if prompt_details else None,
        reasoning_tokens=getattr(completion_details, "reasoning_tokens", None) if completion_details else None,
    )


_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float | None:
    """OpenAI's x-ratelimit-reset-* durations ('20ms', '1s', '6m0s', '1h2m3.5s') in seconds; None if not one."""
    found = _DURATION_RE.findall(text.strip())
    if not found or "".join(n + u for n, u in found) != text.strip():
        return None
    return sum(float(n) * _UNIT[u] for n, u in found)


def retry_after_of(exc: Any) -> float | None:
    """Seconds to wait from retry-after-ms, Retry-After (seconds or an HTTP date) or, when neither is
    sent, the x-ratelimit-reset-requests/-tokens headers; None when the server said nothing."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if not headers:
        return None
    try:
        ms = headers.get("retry-after-ms")
        if ms is not None:
            return float(ms) / 1000
    except ValueError:
        pass
    value = headers.get("retry-after")
    if value is not None:
        try:
            return float(value)
        except ValueError:
            from email.utils import parsedate_to_datetime

            try:
                return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
            except (TypeError, ValueError):
                return None
    resets = [parse_duration(headers.get(h) or "") for h in ("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens")]
    known = [r for r in resets if r is not None]
    return max(known) if known else None


# ---------------------------------------------------------------- one adapter per endpoint, reused

_ADAPTERS: dict[tuple[Any, ...], OpenAIChatModel] = {}
_ADAPTERS_LOCK = threading.Lock()


def model_from_settings(settings: Settings) -> OpenAIChatModel:
    """The adapter the settings describe. Raises ConfigError for an endpoint that cannot work or would
    send data to a host the user did not name (ftdraft.llm.endpoint).

    Adapters are reused across runs with the same endpoint settings: building an HTTP client costs
    ~60 ms (TLS context), a kept-alive connection saves a handshake per request, and what the server
    taught (a structured-output downgrade, no streaming) sticks. The cache key holds a hash of the key,
    never the key.
    """
    endpoint = resolve_endpoint(settings)
    secrets = [k.get_secret_value() if k else "" for k in (settings.openai_api_key, settings.azure_openai_api_key)]
    key = (
        endpoint,
        hashlib.sha256("\0".join(secrets).encode()).hexdigest(),
        settings.model,
        settings.reasoning,
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
            model = _ADAPTERS[key] = OpenAIChatModel(settings, endpoint)
    return model
