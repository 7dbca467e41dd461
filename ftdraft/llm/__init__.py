"""The model path, one package: `interface` (ChatModel, the budget, the one retry loop), `parsing` (think
blocks, JSON, validation), `jsonschema` (strict and compact schemas), `endpoint` (which server, refused
configurations), the adapters `openai_chat` and `langchain_chat`, and the two steps `extraction` and
`drafting`.

Importing this package loads the interface only: no provider SDK, no adapter (the offline engine must
never pay for them). The names below are the interface, re-exported for callers and tests.
"""

from __future__ import annotations

from .interface import (
    PROMPT_CANARY,
    Budget,
    CallFailed,
    ChatModel,
    ChatReply,
    ChatRequest,
    InvalidOutput,
    Message,
    ModelGaveUp,
    Outcome,
    OutOfTokens,
    StructuredMode,
    TokenSink,
    add_usage,
    call_model,
    fallback_provenance,
    model_provenance,
    total_usage,
)
from .parsing import check_finished, parse_json_object, parse_structured, strip_think, validation_message

__all__ = [
    "PROMPT_CANARY",
    "Budget",
    "CallFailed",
    "ChatModel",
    "ChatReply",
    "ChatRequest",
    "InvalidOutput",
    "Message",
    "ModelGaveUp",
    "OutOfTokens",
    "Outcome",
    "StructuredMode",
    "TokenSink",
    "add_usage",
    "call_model",
    "check_finished",
    "fallback_provenance",
    "model_provenance",
    "parse_json_object",
    "parse_structured",
    "strip_think",
    "total_usage",
    "validation_message",
]
