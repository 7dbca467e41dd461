"""JSON Schemas for the model, derived from the pydantic models (ftdraft.schemas stays the one contract).

`strict_schema` is what OpenAI's strict structured outputs accept (platform.openai.com/docs/guides/
structured-outputs, "Supported schemas"): every object lists every property in `required` and sets
`additionalProperties: false`; a property that may be absent is nullable instead (`"type": [T, "null"]`, or
a null branch in `anyOf`); no `default`, `title` or `examples`; `$ref` stands alone. The result is also
small: titles, defaults and descriptions are most of pydantic's schema text, and what ftdraft fills in
itself (MODEL_OMITS) is left out. Replies validate against the pydantic
model after `parsing.drop_nulls`, so null means "not given" and the model's defaults apply.

`compact_schema` is the same minus the strict rules (properties stay optional), for the prompt of servers
without json_schema support.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

# "format" too: pydantic checks dates itself, and some servers (vLLM's xgrammar) refuse it.
DROPPED_KEYWORDS = frozenset({"title", "default", "examples", "description", "format"})
# Properties the model never writes, left out of what it is shown: a note Source is only its line numbers
# (ftdraft fills origin and text from the notes, ftdraft.llm.extraction.finalize_facts).
# An agenda entry's title is the agenda's (ftdraft.agenda), filled in before validation.
MODEL_OMITS: dict[str, frozenset[str]] = {
    "Source": frozenset({"origin", "text"}),
    "AgendaAnswer": frozenset({"title"}),
}


def _omit(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.get("$defs", {})
    for name, props in MODEL_OMITS.items():
        sub = defs.get(name)
        if sub and "properties" in sub:
            sub["properties"] = {k: v for k, v in sub["properties"].items() if k not in props}
            sub["required"] = [k for k in sub.get("required", []) if k not in props]
    return schema


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


def _collapse(schema: dict[str, Any]) -> dict[str, Any]:
    """anyOf [{type T, ...}, {type null}] as {type [T, null], ...}: the same schema, a third of the text."""
    branches = schema.get("anyOf")
    if not branches or len(branches) != 2 or len(schema) != 1:
        return schema
    nulls = [b for b in branches if b == {"type": "null"}]
    other = [b for b in branches if b != {"type": "null"}]
    if len(nulls) != 1 or len(other) != 1 or not isinstance(other[0].get("type"), str) or "$ref" in other[0]:
        return schema
    return _nullable(dict(other[0]))


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` that also accepts null. An array stays an array: the model writes [] for "none"."""
    if schema.get("type") == "array":
        return schema
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
    node = _collapse({k: _strict(v) for k, v in node.items()})
    props = node.get("properties")
    if node.get("type") == "object" or props is not None:
        props = props or {}
        required = set(node.get("required", []))
        node["properties"] = {k: (v if k in required else _nullable(v)) for k, v in props.items()}
        node["required"] = list(props)
        node["additionalProperties"] = False
    return node


def _shared_enums(schema: dict[str, Any]) -> dict[str, Any]:
    """An enum used more than once (a role list) defined once in $defs and referenced: the same schema,
    shorter."""
    seen: dict[str, int] = {}

    def count(node: Any) -> None:
        if isinstance(node, dict):
            if "enum" in node:
                key = json.dumps(node, sort_keys=True)
                seen[key] = seen.get(key, 0) + 1
            for v in node.values():
                count(v)
        elif isinstance(node, list):
            for v in node:
                count(v)

    count(schema)
    names = {key: f"Enum{i}" for i, key in enumerate(k for k, n in seen.items() if n > 1 and len(k) > 40)}
    if not names:
        return schema

    def swap(node: Any) -> Any:
        if isinstance(node, dict):
            key = json.dumps(node, sort_keys=True) if "enum" in node else None
            if key in names:
                return {"$ref": f"#/$defs/{names[key]}"}
            return {k: swap(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap(v) for v in node]
        return node

    out = swap(schema)
    out.setdefault("$defs", {}).update({name: json.loads(key) for key, name in names.items()})
    return out


@lru_cache(maxsize=32)
def _strict_text(schema: type[BaseModel]) -> str:
    return stored_strict_text(schema) or build_strict_text(schema)


def build_strict_text(schema: type[BaseModel]) -> str:
    """strict_schema_text(schema) built from the pydantic model (~8 ms for CallFacts)."""
    return json.dumps(_shared_enums(_strict(_clean(_omit(schema.model_json_schema())))), separators=(",", ":"))


# ---------------------------------------------------------------- stored texts (the extraction request's schema)

# The extraction request is the first thing a run sends, so its schema is stored ready-made in
# ftdraft/llm/schema_texts.py (written by `python -m ftdraft.llm.jsonschema`), valid only for the sources it
# was built from: ftdraft/schemas.py, this module and pydantic's version. When any of them changed the text is
# built as before; tests/test_llm_schema_texts.py checks the stored text is the built one.
STORED: tuple[str, ...] = ("ftdraft.schemas.CallFacts",)


def sources_key() -> str:
    """sha256 (hex) of what the stored texts are built from: pydantic's version, ftdraft/schemas.py and this
    module's source; "" when a source cannot be read (e.g. a build without sources)."""
    import hashlib
    from pathlib import Path

    import pydantic

    from .. import schemas

    digest = hashlib.sha256(pydantic.VERSION.encode())
    try:
        for path in (schemas.__file__, __file__):
            digest.update(Path(path).read_bytes())
    except (OSError, TypeError):
        return ""
    return digest.hexdigest()


def _name(schema: type[BaseModel]) -> str:
    return f"{schema.__module__}.{schema.__qualname__}"


def stored_strict_text(schema: type[BaseModel]) -> str | None:
    """The stored strict schema text for `schema`, or None when none is stored for it or the sources changed."""
    if _name(schema) not in STORED:
        return None
    try:
        from . import schema_texts
    except ImportError:
        return None
    text = schema_texts.STRICT.get(_name(schema))
    return text if text is not None and sources_key() == schema_texts.SOURCES else None


def write_stored(path: str | None = None) -> str:
    """Build the stored texts and write them as ftdraft/llm/schema_texts.py (or `path`); returns the path."""
    from importlib import import_module
    from pathlib import Path

    texts = {}
    for name in STORED:
        module, _sep, attr = name.rpartition(".")
        texts[name] = build_strict_text(getattr(import_module(module), attr))
    body = ""
    for name, text in texts.items():  # 100-character pieces: the lines stay readable and within the line limit
        pieces = "".join(f"        {text[i : i + 100]!r}\n" for i in range(0, len(text), 100))
        body += f"    {json.dumps(name)}: (\n{pieces}    ),\n"
    out = Path(path) if path else Path(__file__).with_name("schema_texts.py")
    out.write_text(
        '"""Strict JSON Schema texts for the model, built from the pydantic models; generated by\n'
        '`python -m ftdraft.llm.jsonschema`, do not edit (ftdraft.llm.jsonschema.stored_strict_text)."""\n\n'
        f"SOURCES = {json.dumps(sources_key())}\n"
        f"STRICT: dict[str, str] = {{\n{body}}}\n",
        encoding="utf-8",
    )
    return str(out)


@lru_cache(maxsize=32)
def _compact_text(schema: type[BaseModel]) -> str:
    return json.dumps(_clean(_omit(schema.model_json_schema())), separators=(",", ":"))


def strict_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema OpenAI's strict mode accepts for `schema` (a fresh dict each call, parsed from the text
    built once)."""
    return json.loads(_strict_text(schema))


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


if __name__ == "__main__":  # pragma: no cover - regenerates ftdraft/llm/schema_texts.py
    print(write_stored())
