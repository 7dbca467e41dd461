"""JSON Schemas for the model, derived from the pydantic models (ftdraft.schemas stays the one contract).

`strict_schema` is what OpenAI's strict structured outputs accept (platform.openai.com/docs/guides/
structured-outputs, "Supported schemas"): every object lists every property in `required` and sets
`additionalProperties: false`; a property that may be absent is nullable instead (`"type": [T, "null"]`, or
a null branch in `anyOf`); no `default`, `title` or `examples`; `$ref` stands alone. The result is also
small: titles and defaults are most of pydantic's schema text. Replies validate against the pydantic
model after `parsing.drop_nulls`, so null means "not given" and the model's defaults apply.

`compact_schema` is the same minus the strict rules (properties stay optional), for the prompt of servers
without json_schema support.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

DROPPED_KEYWORDS = frozenset({"title", "default", "examples"})


def _clean(node: Any, names: bool = False) -> Any:
    """Without DROPPED_KEYWORDS (`names`: node maps property names to schemas; a property may be called
    "title")."""
    if isinstance(node, dict):
        if names:
            return {k: _clean(v) for k, v in node.items()}
        out = {k: _clean(v, names=k in ("properties", "$defs")) for k, v in node.items() if k not in DROPPED_KEYWORDS}
        if "$ref" in out:  # strict mode: $ref has no sibling keywords
            out = {"$ref": out["$ref"]}
        return out
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` that also accepts null."""
    if "anyOf" in schema:
        if not any(b.get("type") == "null" for b in schema["anyOf"]):
            schema = {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
        return schema
    kind = schema.get("type")
    if isinstance(kind, str) and "$ref" not in schema:
        out = {**schema, "type": [kind, "null"]} if kind != "null" else schema
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _strict(v) for k, v in node.items()}
    props = node.get("properties")
    if node.get("type") == "object" or props is not None:
        props = props or {}
        required = set(node.get("required", []))
        node["properties"] = {k: (v if k in required else _nullable(v)) for k, v in props.items()}
        node["required"] = list(props)
        node["additionalProperties"] = False
    return node


@lru_cache(maxsize=32)
def _strict_text(schema: type[BaseModel]) -> str:
    return json.dumps(_strict(_clean(schema.model_json_schema())), separators=(",", ":"))


@lru_cache(maxsize=32)
def _compact_text(schema: type[BaseModel]) -> str:
    return json.dumps(_clean(schema.model_json_schema()), separators=(",", ":"))


def strict_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema OpenAI's strict mode accepts for `schema` (a fresh dict each call; built once)."""
    return copy.deepcopy(json.loads(_strict_text(schema)))


def compact_schema_text(schema: type[BaseModel]) -> str:
    """`schema`'s JSON Schema without titles, defaults or examples, as compact JSON text."""
    return _compact_text(schema)


def strict_schema_text(schema: type[BaseModel]) -> str:
    """strict_schema(schema) as compact JSON text (what goes on the wire)."""
    return _strict_text(schema)


def schema_instructions(schema: type[BaseModel]) -> str:
    """For servers without json_schema support: the schema goes into the prompt instead."""
    return (
        "Reply with exactly one JSON object, no prose and no code fences, that matches this JSON Schema "
        "(leave out keys you have nothing for):\n" + compact_schema_text(schema)
    )


def strict_violations(schema: Any, path: str = "$") -> list[str]:
    """Where `schema` breaks a strict-mode rule (empty: none): an object without additionalProperties false
    or with a property missing from `required`, or a `default`/`title` anywhere. Used by the tests."""
    found: list[str] = []
    if isinstance(schema, list):
        for i, v in enumerate(schema):
            found += strict_violations(v, f"{path}[{i}]")
        return found
    if not isinstance(schema, dict):
        return found
    for key in ("default", "title"):
        if key in schema and not path.endswith(".properties"):
            found.append(f"{path}: has '{key}'")
    if "properties" in schema:
        if schema.get("additionalProperties") is not False:
            found.append(f"{path}: additionalProperties is not false")
        missing = set(schema["properties"]) - set(schema.get("required", []))
        if missing:
            found.append(f"{path}: not required: {', '.join(sorted(missing))}")
    if "$ref" in schema and len(schema) > 1:
        found.append(f"{path}: $ref with sibling keywords")
    for k, v in schema.items():
        found += strict_violations(v, f"{path}.{k}")
    return found
