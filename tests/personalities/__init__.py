"""Stub "personalities": StubServer answering as each real OpenAI-compatible server does, with the status
codes and error bodies from their documentation and their users' bug reports (issue 12's table, copied in
docs/model-config.md). Each docstring names its source. Nothing here imports ftdraft's own rules: a
personality judges requests by the real server's rules, written out independently.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from openai_stub_server import Behaviour, Personality, Recorded, Reply, Status, estimate_tokens


def openai_error(message: str, *, type_: str = "invalid_request_error", param: str | None, code: str | None) -> dict:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def strict_problems(schema: Any, path: str = "") -> list[str]:
    """OpenAI strict structured outputs' rules (platform.openai.com/docs/guides/structured-outputs,
    "Supported schemas"): every object sets additionalProperties false and lists every property in
    required; no default. Worded as OpenAI words them."""
    found: list[str] = []
    if isinstance(schema, list):
        for v in schema:
            found += strict_problems(v, path)
        return found
    if not isinstance(schema, dict):
        return found
    if "properties" in schema:
        if schema.get("additionalProperties") is not False:
            found.append(f"In context=({path}), 'additionalProperties' is required to be supplied and to be false.")
        missing = [k for k in schema["properties"] if k not in schema.get("required", [])]
        if missing:
            found.append(
                f"In context=({path}), 'required' is required to be supplied and to be an array including every "
                f"key in properties. Missing '{missing[0]}'."
            )
        for name, sub in schema["properties"].items():
            if isinstance(sub, dict) and "default" in sub:
                found.append(f"In context=({path}, 'properties', '{name}'), 'default' is not permitted.")
            found += strict_problems(sub, f"{path}, 'properties', '{name}'")
    for key in ("items", "anyOf", "$defs"):
        if key in schema:
            sub = schema[key]
            found += strict_problems(list(sub.values()) if isinstance(sub, dict) else sub, f"{path}, '{key}'")
    return found


class OpenAI(Personality):
    """api.openai.com with a chat model (gpt-4o-mini): Bearer auth; json_schema with strict true is
    checked against the strict rules (400 invalid_request_error, param response_format); usage reports
    cached prompt tokens."""

    def __init__(self, key: str | None = None) -> None:
        self.key = key

    def check(self, rec: Recorded) -> Behaviour | None:
        if self.key is not None and rec.header("authorization") != f"Bearer {self.key}":
            body = openai_error(
                "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
                param=None,
                code="invalid_api_key",
            )
            return Status(401, body=body)
        fmt = rec.body.get("response_format") or {}
        if fmt.get("type") == "json_schema" and fmt.get("json_schema", {}).get("strict"):
            problems = strict_problems(fmt["json_schema"].get("schema", {}))
            if problems:
                name = fmt["json_schema"].get("name")
                body = openai_error(
                    f"Invalid schema for response_format '{name}': {problems[0]}", param="response_format", code=None
                )
                return Status(400, body=body)
        return None


class OpenAIReasoning(OpenAI):
    """An OpenAI reasoning model (o3-mini, gpt-5): 400 unsupported_parameter for max_tokens, 400
    unsupported_value for a temperature other than 1; reasoning tokens count against max_completion_tokens,
    and when they use it all the reply is 200 with empty content and finish_reason=length. Some
    organisations (unverified) get 400 param=stream for streaming (`stream_refused`)."""

    def __init__(self, key: str | None = None, reasoning: int = 3000, stream_refused: bool = False) -> None:
        super().__init__(key)
        self.reasoning = reasoning
        self.stream_refused = stream_refused

    def check(self, rec: Recorded) -> Behaviour | None:
        body = rec.body
        if "max_tokens" in body:
            message = (
                "Unsupported parameter: 'max_tokens' is not supported with this model. "
                "Use 'max_completion_tokens' instead."
            )
            return Status(400, body=openai_error(message, param="max_tokens", code="unsupported_parameter"))
        if body.get("temperature") not in (None, 1):
            message = (
                f"Unsupported value: 'temperature' does not support {body['temperature']} with this model. "
                "Only the default (1) value is supported."
            )
            return Status(400, body=openai_error(message, param="temperature", code="unsupported_value"))
        if self.stream_refused and body.get("stream"):
            message = (
                "Your organization must be verified to stream this model. Please go to: "
                "https://platform.openai.com/settings/organization/general and click on Verify Organization."
            )
            return Status(400, body=openai_error(message, param="stream", code="unsupported_value"))
        return super().check(rec)

    def shape(self, reply: Reply, rec: Recorded) -> Reply:
        cap = int(rec.body.get("max_completion_tokens") or 100_000)
        if self.reasoning + estimate_tokens(reply.content or "") > cap:
            return replace(reply, content="", finish_reason="length", reasoning_tokens=cap)
        return replace(reply, reasoning_tokens=self.reasoning)


AZURE_401 = {
    "error": {
        "code": "401",
        "message": "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a "
        "valid key for an active subscription and use a correct regional API endpoint for your resource.",
    }
}
AZURE_404 = {"error": {"code": "404", "message": "Resource not found"}}


class AzureClassic(OpenAI):
    """Azure OpenAI, a classic deployment: POST /openai/deployments/{deployment}/chat/completions
    ?api-version=...; 404 "Resource not found" without the api-version or on any other path; the key in the
    api-key header (a Bearer header with the key is a 401)."""

    def __init__(self, key: str, deployment: str) -> None:
        super().__init__(None)
        self.azure_key = key
        self.deployment = deployment

    def route_ok(self, rec: Recorded) -> bool:
        return True  # every path gets Azure's own answer from check()

    def check(self, rec: Recorded) -> Behaviour | None:
        if rec.path.rstrip("/") != f"/openai/deployments/{self.deployment}/chat/completions":
            return Status(404, body=AZURE_404)
        if not rec.query.get("api-version"):
            return Status(404, body=AZURE_404)
        if rec.header("api-key") != self.azure_key:
            return Status(401, body=AZURE_401)
        return super().check(rec)


class AzureV1(OpenAI):
    """Azure OpenAI's v1 endpoint: POST /openai/v1/chat/completions, no api-version, the plain OpenAI
    client; the key as a Bearer token or in api-key."""

    def __init__(self, key: str) -> None:
        super().__init__(None)
        self.azure_key = key

    def route_ok(self, rec: Recorded) -> bool:
        return True

    def check(self, rec: Recorded) -> Behaviour | None:
        if rec.path.rstrip("/") != "/openai/v1/chat/completions":
            return Status(404, body=AZURE_404)
        if rec.header("authorization") != f"Bearer {self.azure_key}" and rec.header("api-key") != self.azure_key:
            return Status(401, body=AZURE_401)
        return super().check(rec)


def vllm_error(message: str) -> dict:
    return {"error": {"message": message, "type": "BadRequestError", "param": None, "code": 400}}


# Keywords vLLM's has_xgrammar_unsupported_json_features() refuses (vllm/v1/structured_output/backend_xgrammar.py)
XGRAMMAR_UNSUPPORTED = frozenset(
    {"pattern", "format", "minLength", "maxLength", "multipleOf", "uniqueItems", "contains", "minContains",
     "maxContains", "minProperties", "maxProperties", "propertyNames", "patternProperties"}
)  # fmt: skip


def keywords(node: Any) -> set[str]:
    """Every JSON Schema keyword used in `node` (property names are not keywords)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("properties", "$defs") and isinstance(v, dict):
                for sub in v.values():
                    found |= keywords(sub)
            else:
                found.add(k)
                found |= keywords(v)
    elif isinstance(node, list):
        for v in node:
            found |= keywords(v)
    return found


class VLLMXgrammar(Personality):
    """vLLM with the xgrammar structured-output backend: a json_schema using a keyword xgrammar cannot
    enforce is a 400 "The provided JSON schema contains features not supported by xgrammar." (no
    param); json_object works; strict is ignored; max_tokens and temperature are fine. Which keywords
    fail varies by version (vllm-project/vllm#26421): `unsupported` adds to the list."""

    def __init__(self, unsupported: frozenset[str] = frozenset(), max_model_len: int | None = None) -> None:
        self.unsupported = XGRAMMAR_UNSUPPORTED | unsupported
        self.max_model_len = max_model_len  # --max-model-len: prompt + max_tokens beyond it is a 400

    def check(self, rec: Recorded) -> Behaviour | None:
        asked = int(rec.body.get("max_tokens") or rec.body.get("max_completion_tokens") or 0)
        prompt = estimate_tokens(rec.prompt)
        if self.max_model_len is not None and prompt + asked > self.max_model_len:
            message = (
                f"This model's maximum context length is {self.max_model_len} tokens. However, you requested "
                f"{prompt + asked} tokens ({prompt} in the messages, {asked} in the completion). Please reduce the "
                "length of the messages or completion."
            )
            return Status(400, body=vllm_error(message))
        fmt = rec.body.get("response_format") or {}
        used = keywords(fmt.get("json_schema", {}).get("schema"))
        if fmt.get("type") == "json_schema" and used & self.unsupported:
            return Status(400, body=vllm_error("The provided JSON schema contains features not supported by xgrammar."))
        return None


class VLLMOld(Personality):
    """An older vLLM (before json_schema support): response_format of type json_schema fails request
    validation with a 400 whose body is vLLM's flat {"object": "error", ...}."""

    def check(self, rec: Recorded) -> Behaviour | None:
        fmt = rec.body.get("response_format") or {}
        if fmt.get("type") not in (None, "text", "json_object"):
            message = (
                "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
                "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}]"
            )
            return Status(400, body={"object": "error", "message": message, "type": "BadRequestError", "param": None,
                                     "code": 400})  # fmt: skip
        return None


class LMStudio(Personality):
    """LM Studio: json_schema works; JSON mode (json_object) is a 400 whose error is a plain string:
    {"error": "'response_format.type' must be 'json_schema' or 'text'"}."""

    def check(self, rec: Recorded) -> Behaviour | None:
        fmt = rec.body.get("response_format") or {}
        if fmt.get("type") not in (None, "text", "json_schema"):
            return Status(400, body="{\"error\":\"'response_format.type' must be 'json_schema' or 'text'\"}")
        return None


class OllamaThinking(Personality):
    """Ollama serving a thinking model (qwen3, deepseek-r1) through /v1: the reasoning arrives in `content`
    as <think>...</think> before the answer, braces and all; the context window (num_ctx, 4096 by default)
    silently drops the start of a longer prompt, after which the model cannot follow the instructions.
    `unterminated`: steps whose reply is cut inside the think block (finish_reason=length)."""

    def __init__(self, num_ctx: int = 4096, unterminated: tuple[str, ...] = (), broken: tuple[str, ...] = ()) -> None:
        self.num_ctx = num_ctx
        self.unterminated = unterminated
        self.broken = broken
        self.truncated: list[str] = []

    def shape(self, reply: Reply, rec: Recorded) -> Reply:
        think = (
            '<think>\nThe user wants JSON like {"subject": ...}; I should keep the {facts} as given.\n'
            "Let me check the roster first.\n</think>\n\n"
        )
        if estimate_tokens(rec.prompt) + 64 > self.num_ctx:
            self.truncated.append(rec.step)
            return replace(reply, content=think + "I'm sorry, I don't see any notes. Could you share them?")
        if rec.step in self.unterminated:
            return replace(reply, content="<think>\nLet me think about {this} carefully. First", finish_reason="length")
        content = reply.content or ""
        if rec.step in self.broken and content.rstrip().endswith("}"):
            content = content.rstrip()[:-1] + ",}"  # a trailing comma: trivially broken JSON
        return replace(reply, content=think + content)


class RateLimited(Personality):
    """Azure OpenAI / OpenAI over their rate limit: 429 with retry-after (seconds) for the first `times`
    requests (every request when None), then served."""

    def __init__(self, retry_after: float, times: int | None = None) -> None:
        self.retry_after = retry_after
        self.times = times
        self.refused = 0
        self._lock = threading.Lock()

    def check(self, rec: Recorded) -> Behaviour | None:
        with self._lock:
            if self.times is not None and self.refused >= self.times:
                return None
            self.refused += 1
        message = (
            "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have "
            "exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after "
            f"{self.retry_after:g} seconds."
        )
        return Status(429, body={"error": {"code": "429", "message": message}}, retry_after=self.retry_after,
                      headers={"x-ratelimit-remaining-requests": "0"})  # fmt: skip


class QuotaExhausted(Personality):
    """OpenAI with no quota left: 429 insufficient_quota on every request (retrying cannot help)."""

    def check(self, rec: Recorded) -> Behaviour | None:
        message = (
            "You exceeded your current quota, please check your plan and billing details. For more information on "
            "this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors."
        )
        body = openai_error(message, type_="insufficient_quota", param=None, code="insufficient_quota")
        return Status(429, body=body)
