"""Any langchain-core chat model behind the ChatModel interface: its fake chat models in the tests, or a
provider package the user installed. Imported only when one is used."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..sanitize import redact_secret
from ..schemas import TokenUsage
from .interface import CallFailed, ChatModel, ChatReply, ChatRequest, Message, TokenSink
from .jsonschema import schema_instructions

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


class LangChainChatModel(ChatModel):
    """A langchain-core chat model; its own retry wrappers should stay off (call_model retries)."""

    def __init__(self, chat_model: BaseChatModel, name: str | None = None, secret: str = "") -> None:
        """secret: the provider key the wrapped model uses, scrubbed from any error text passed on."""
        self._chat = chat_model
        self.secret = secret
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
        if request.on_sent is not None:
            request.on_sent()  # langchain does not say when the request is out: just before it is sent
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
            said = " ".join(redact_secret(str(exc), self.secret).split())  # redact BEFORE cutting
            raise CallFailed(f"the model failed ({type(exc).__name__}: {said[:200]})", retryable=False) from None
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
