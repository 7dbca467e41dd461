"""ChatModel adapters: any OpenAI-compatible server through the openai SDK, and any langchain-core chat model.

Imported only on the model path. The SDK's own retries are off (max_retries=0): ftdraft retries in one
place, ftdraft.llm.call_model, so retry layers never multiply.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .llm import (
    CallFailed,
    ChatModel,
    ChatReply,
    ChatRequest,
    Message,
    StructuredMode,
    TokenSink,
    json_schema,
    schema_instructions,
)
from .schemas import TokenUsage

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from .config import Settings

# Fallback order when a server rejects a structured-output request with a 400: json_schema (OpenAI,
# vLLM, recent Ollama, LM Studio) -> json_object "JSON mode" with the schema in the prompt -> no
# response_format at all, schema in the prompt. The downgrade is remembered for the rest of the run.
_DOWNGRADE: dict[str, StructuredMode] = {"json_schema": "json_mode", "json_mode": "prompt"}


class OpenAIChatModel(ChatModel):
    """Chat completions on any OpenAI-compatible endpoint (OpenAI, Azure OpenAI v1, Ollama, vLLM, LM Studio)."""

    def __init__(self, settings: Settings) -> None:
        import openai  # lazy: 0.6 s+ of imports the offline engine never needs

        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
        self._secret = key  # kept only to scrub it from any server message we pass on
        self._client = openai.OpenAI(
            api_key=key or "unset",
            base_url=settings.openai_base_url or None,
            timeout=settings.request_timeout,
            max_retries=0,
        )
        self.name = settings.model
        self.mode: StructuredMode = settings.structured_output
        self.temperature: float | None = settings.temperature
        self.max_tokens = settings.max_tokens
        self.max_tokens_param = "max_tokens"  # newer OpenAI models want max_completion_tokens instead
        self._host = urlsplit(str(self._client.base_url)).netloc or "the model server"

    # -------------------------------------------------------------- one call

    def complete(
        self, request: ChatRequest, *, timeout: float, deadline: float, on_token: TokenSink | None = None
    ) -> ChatReply:
        import openai

        requests = 0
        while True:
            requests += 1
            try:
                reply = self._once(request, timeout=timeout, deadline=deadline, on_token=on_token)
                reply.requests = requests
                return reply
            except openai.BadRequestError as exc:
                # A 400 is final, except for the few parameters servers disagree on: adjust once, ask again.
                if requests < 4 and self._adjust_for(exc, request):
                    continue
                raise self._failed(exc, timeout, requests) from None
            except CallFailed as exc:
                exc.requests = requests
                raise
            except Exception as exc:  # the SDK and the network raise many types; all are model failures
                raise self._failed(exc, timeout, requests) from None

    def _once(self, request: ChatRequest, *, timeout: float, deadline: float, on_token: TokenSink | None) -> ChatReply:
        kwargs: dict[str, Any] = {
            "model": self.name,
            "messages": self._messages(request),
            self.max_tokens_param: self.max_tokens,
            "timeout": timeout,
            "extra_headers": {"X-Ftdraft-Step": request.step},
        }
        if self.temperature is not None:
            kwargs["temperature"] = self.temperature
        if request.schema is not None and self.mode == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                # strict=False: the pydantic schemas use defaults and optional fields that strict mode
                # rejects; pydantic validates every reply anyway and re-asks once.
                "json_schema": {
                    "name": request.schema.__name__,
                    "schema": json_schema(request.schema),
                    "strict": False,
                },
            }
        elif request.schema is not None and self.mode == "json_mode":
            kwargs["response_format"] = {"type": "json_object"}
        if not request.stream:
            completion = self._client.chat.completions.create(**kwargs)
            if not completion.choices:
                return ChatReply(text="", finish_reason=None, usage=_usage(completion.usage), model=completion.model)
            choice = completion.choices[0]
            return ChatReply(
                text=choice.message.content or "",
                finish_reason=choice.finish_reason,
                usage=_usage(completion.usage),
                model=completion.model or self.name,
            )
        return self._stream(kwargs, deadline=deadline, on_token=on_token)

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
                    usage = _usage(chunk.usage)
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

    def _messages(self, request: ChatRequest) -> list[dict[str, str]]:
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        if request.schema is not None and self.mode != "json_schema":
            note = schema_instructions(request.schema)
            if messages and messages[0]["role"] == "system":
                messages[0] = {"role": "system", "content": messages[0]["content"] + "\n\n" + note}
            else:
                messages.insert(0, {"role": "system", "content": note})
        return messages

    # -------------------------------------------------------------- errors

    def _adjust_for(self, exc: Exception, request: ChatRequest) -> bool:
        """Renegotiate a 400 the server raised over a parameter it does not support. True: ask again."""
        text = str(getattr(exc, "message", exc)).lower()
        if (
            request.schema is not None
            and self.mode in _DOWNGRADE
            and ("response_format" in text or "json_schema" in text or "json_object" in text)
        ):
            self.mode = _DOWNGRADE[self.mode]
            return True
        if self.max_tokens_param == "max_tokens" and "max_completion_tokens" in text:
            self.max_tokens_param = "max_completion_tokens"
            return True
        if self.temperature is not None and "temperature" in text:
            self.temperature = None
            return True
        return False

    def _failed(self, exc: Exception, timeout: float, requests: int) -> CallFailed:
        import openai

        def fail(message: str, retryable: bool, retry_after: float | None = None) -> CallFailed:
            return CallFailed(self._scrub(message), retryable=retryable, retry_after=retry_after, requests=requests)

        if isinstance(exc, openai.APITimeoutError):
            return fail(f"{self._host} did not answer within {timeout:.3g} s", True)
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc.__context__
            detail = f" ({type(cause).__name__})" if cause else ""
            return fail(f"could not reach {self._host}{detail}: check OPENAI_BASE_URL and the network", True)
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            server_says = _server_message(exc)
            if status == 401:
                return fail(f"{self._host} refused the API key (401): check OPENAI_API_KEY", False)
            if status == 403:
                return fail(f"{self._host} denied access (403){server_says}: check the key's permissions", False)
            if status == 404:
                return fail(
                    f"{self._host} has no model '{self.name}' or no chat endpoint (404){server_says}: "
                    "check FTDRAFT_MODEL and OPENAI_BASE_URL",
                    False,
                )
            if status == 429:
                return fail(f"{self._host} is rate limiting (429){server_says}", True, _retry_after(exc))
            if status >= 500:
                return fail(f"{self._host} had a server error ({status}){server_says}", True, _retry_after(exc))
            return fail(f"{self._host} rejected the request ({status}){server_says}", status in (408, 409))
        # Unparseable bodies and other surprises from the wire: transient until proven otherwise.
        return fail(f"{self._host} sent a reply that could not be read ({type(exc).__name__})", True)

    def _scrub(self, text: str) -> str:
        if self._secret and len(self._secret) >= 4:
            text = text.replace(self._secret, "[redacted]")
        return text


def _usage(usage: Any) -> TokenUsage | None:
    if usage is None:
        return None
    return TokenUsage(
        prompt_tokens=getattr(usage, "prompt_tokens", None),
        completion_tokens=getattr(usage, "completion_tokens", None),
        total_tokens=getattr(usage, "total_tokens", None),
    )


def _retry_after(exc: Any) -> float | None:
    """Seconds from Retry-After / retry-after-ms; None when absent or an HTTP date (rare for these APIs)."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    try:
        if ms is not None:
            return float(ms) / 1000
        value = headers.get("retry-after")
        return float(value) if value is not None else None
    except ValueError:
        return None


def _server_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    message = None
    if isinstance(body, dict):
        err = body.get("error", body)
        message = err.get("message") if isinstance(err, dict) else None
    if not message:
        return ""
    message = " ".join(str(message).split())
    return f": {message[:200]}"


# ---------------------------------------------------------------- langchain-core chat models


class LangChainChatModel(ChatModel):
    """Any langchain-core chat model behind the same interface: its fake chat models in the tests, or a
    provider package the user installed. Its own retry wrappers should stay off (call_model retries)."""

    def __init__(self, chat_model: BaseChatModel, name: str | None = None) -> None:
        self._chat = chat_model
        self.name = name or getattr(chat_model, "model_name", None) or type(chat_model).__name__

    def complete(
        self, request: ChatRequest, *, timeout: float, deadline: float, on_token: TokenSink | None = None
    ) -> ChatReply:
        from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

        kinds: dict[str, type[BaseMessage]] = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
        messages = list(request.messages)
        if request.schema is not None:  # no response_format here: the schema travels in the prompt
            messages.insert(
                1 if messages and messages[0].role == "system" else 0,
                Message("system", schema_instructions(request.schema)),
            )
        lc_messages = [kinds[m.role](content=m.content) for m in messages]
        try:
            if request.stream:
                parts: list[str] = []
                for chunk in self._chat.stream(lc_messages):
                    text = chunk.content if isinstance(chunk.content, str) else ""
                    if text:
                        parts.append(text)
                        if on_token is not None:
                            on_token(text)
                    if time.monotonic() > deadline:
                        raise CallFailed("the total time budget ran out while the reply was streaming", retryable=False)
                return ChatReply(text="".join(parts), finish_reason="stop", model=self.name)
            message = self._chat.invoke(lc_messages)
        except CallFailed:
            raise
        except Exception as exc:  # whatever the wrapped model raises is a failed call, not a crash
            raise CallFailed(f"the model failed ({type(exc).__name__}: {str(exc)[:200]})", retryable=False) from None
        meta = getattr(message, "response_metadata", {}) or {}
        usage_meta = getattr(message, "usage_metadata", None)
        usage = (
            TokenUsage(
                prompt_tokens=usage_meta.get("input_tokens"),
                completion_tokens=usage_meta.get("output_tokens"),
                total_tokens=usage_meta.get("total_tokens"),
            )
            if usage_meta
            else None
        )
        content = message.content if isinstance(message.content, str) else ""
        return ChatReply(text=content, finish_reason=meta.get("finish_reason", "stop"), usage=usage, model=self.name)
