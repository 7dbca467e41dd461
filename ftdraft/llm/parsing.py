"""Reading a model's reply: think blocks out, the JSON object found (and trivially broken JSON repaired),
validated, and every failure worded so the model (on a re-ask) and the FM (in provenance) know what was wrong.

Reasoning models served by vLLM, Ollama or LM Studio often put their reasoning into `content` as
`<think>...</think>` (DeepSeek-R1, Qwen3, QwQ); with a chat template that opens the block itself, the reply
starts inside it and only the closing tag shows; a reply cut at its token cap may never close it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .interface import ChatReply, InvalidOutput, OutOfTokens, TokenSink

M = TypeVar("M", bound=BaseModel)

THINK_TAGS = ("think", "thinking", "reasoning")
_CLOSED_RE = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.DOTALL | re.IGNORECASE)
_OPEN_RE = re.compile(r"<(think|thinking|reasoning)>", re.IGNORECASE)
_CLOSE_RE = re.compile(r"</(think|thinking|reasoning)>", re.IGNORECASE)


def strip_think(text: str) -> str:
    """`text` without reasoning blocks: closed blocks anywhere, a leading block whose opening tag the chat
    template sent (everything up to a lone closing tag), and an unterminated block (everything after it).

    >>> strip_think("<think>a {b</think>{\\"x\\": 1}")
    '{"x": 1}'
    >>> strip_think("reasoning {here</think>\\nSubject: Hi")
    'Subject: Hi'
    >>> strip_think("<think>never closed {")
    ''
    """
    if "<" not in text:
        return text
    text = _CLOSED_RE.sub("", text)
    close = _CLOSE_RE.search(text)
    if close is not None:
        text = text[close.end() :]
    opened = _OPEN_RE.search(text)
    if opened is not None:
        text = text[: opened.start()]
    return text.strip()


class ThinkFilter:
    """Passes streamed text on to `sink` without a leading think block: the reader never sees reasoning.

    Text is held back only while it could still be the start of `<think>`; inside a block nothing is passed
    on until its closing tag (an unterminated block passes nothing)."""

    def __init__(self, sink: TokenSink) -> None:
        self._sink = sink
        self._pending = ""
        self._state = "start"  # start | thinking | open

    def __call__(self, chunk: str) -> None:
        if self._state == "open":
            self._sink(chunk)
            return
        self._pending += chunk
        if self._state == "start":
            head = self._pending.lstrip()
            tags = [f"<{t}>" for t in THINK_TAGS]
            opening = next((t for t in tags if head.lower().startswith(t)), None)
            if opening is None:
                if head and any(t.startswith(head.lower()) for t in tags):
                    return  # could still become "<think>"
                self._state = "open"
                text, self._pending = self._pending, ""
                if text:
                    self._sink(text)
                return
            self._state = "thinking"
        close = _CLOSE_RE.search(self._pending)
        if close is None:
            return
        rest = self._pending[close.end() :].lstrip()
        self._pending = ""
        self._state = "start"  # another block may follow; the text after it goes through the same check
        if rest:
            self(rest)


def validation_message(exc: ValidationError, limit: int = 15) -> str:
    """Pydantic errors as short lines the model can act on (instructor's "fix the errors" re-ask), first
    failing field first: '- intents.0.status: Input should be ...'."""
    lines = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
        lines.append(f"- {loc}: {err['msg']}")
    more = len(exc.errors()) - limit
    if more > 0:
        lines.append(f"- ... and {more} more")
    return "\n".join(lines)


def drop_nulls(node: Any) -> Any:
    """JSON with every null-valued key left out: strict structured outputs make every key required and
    send null for "not given"; leaving it out lets the pydantic defaults apply."""
    if isinstance(node, dict):
        return {k: drop_nulls(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [drop_nulls(v) for v in node]
    return node


def json_candidates(text: str) -> list[Any]:
    """Every JSON object in `text` that parses as is, in order of where it starts (prose, code fences and
    a stray brace before the real answer are skipped)."""
    decoder = json.JSONDecoder()
    found: list[Any] = []
    start = text.find("{")
    while start >= 0 and len(found) < 8:
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        start = text.find("{", end)
    return found


def balanced(text: str) -> bool:
    """Whether every bracket opened in `text` (outside strings) is closed: JSON cut off midway is not, and
    is never "repaired" into an object with the rest missing."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
    return depth <= 0 and not in_string


def repair_json(text: str) -> Any:
    """Trivially broken but complete JSON (trailing commas, single quotes, a missing comma) made whole with
    the json-repair library; None when the JSON is cut off or nothing object-like comes out."""
    start = text.find("{")
    if start < 0 or not balanced(text[start:]):
        return None
    from json_repair import repair_json as repair  # ~20 ms, only when a reply is broken

    try:
        value = repair(text[start:], return_objects=True)
    except Exception:  # the library's own failures mean "not repairable"
        return None
    return value if isinstance(value, dict) and value else None


def parse_json_object(text: str) -> Any:
    """The reply's JSON object (think blocks removed, the first object that parses). Raises InvalidOutput
    with a message meant for the model."""
    text = strip_think(text)
    found = json_candidates(text)
    if found:
        return found[0]
    if "{" not in text:
        raise InvalidOutput("the reply contained no JSON object; reply with one JSON object only")
    repaired = repair_json(text)
    if repaired is not None:
        return repaired
    start = text.find("{")
    try:
        json.loads(text[start:])
    except json.JSONDecodeError as exc:
        raise InvalidOutput(f"the reply was not valid JSON ({exc.msg} at character {exc.pos + start})") from None
    raise InvalidOutput("the reply was not one JSON object")


def parse_structured(reply: ChatReply, schema: type[M], prepare: Callable[[Any], Any] | None = None) -> M:
    """The reply as a `schema` instance: think blocks out, each JSON object in the reply tried in turn, a
    broken one repaired, nulls dropped, then `prepare` (fills what the model is not asked for). Raises
    OutOfTokens/InvalidOutput; a schema failure names the first failing field in its first line."""
    text = strip_think(reply.text)
    check_finished(reply, text)
    candidates = json_candidates(text)
    if not candidates:
        repaired = repair_json(text)
        if repaired is not None:
            candidates = [repaired]
    if not candidates:
        parse_json_object(text)  # raises the precise message
    first_error: ValidationError | None = None
    for data in candidates:
        try:
            data = drop_nulls(data)
            return schema.model_validate(prepare(data) if prepare is not None else data)
        except ValidationError as exc:
            first_error = first_error or exc
    assert first_error is not None
    err = first_error.errors()[0]
    where = ".".join(str(x) for x in err["loc"]) or "(top level)"
    raise InvalidOutput(
        f"the JSON does not match the schema at {where} ({err['msg']}):\n" + validation_message(first_error)
    ) from None


def check_finished(reply: ChatReply, text: str | None = None) -> None:
    """A reply cut at its token cap or filtered is unusable whatever it parses to; so is an empty one.
    finish_reason=length is read first: a reasoning model that spent the cap thinking answers empty."""
    if reply.finish_reason == "length":
        cap = f"all {reply.max_tokens} tokens" if reply.max_tokens else "all the tokens"
        thought = (
            f", {reply.usage.reasoning_tokens} of them reasoning"
            if reply.usage is not None and reply.usage.reasoning_tokens
            else ""
        )
        raise OutOfTokens(
            f"the reply was cut off at the token limit: the model used {cap} it may write{thought}; "
            "raise FTDRAFT_MAX_TOKENS"
        )
    if reply.finish_reason == "content_filter":
        raise InvalidOutput("the reply was stopped by the server's content filter")
    if not (strip_think(reply.text) if text is None else text).strip():
        raise InvalidOutput("the reply was empty")
