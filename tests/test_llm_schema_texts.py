"""The extraction request's strict schema, stored ready-made in ftdraft/llm/schema_texts.py so the first request of
a run does not wait for it to be built (~8 ms): it must be exactly the text built from the pydantic models, and it
is used only while the sources it was built from are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftdraft.llm import jsonschema, schema_texts
from ftdraft.llm.drafting import EmailOut
from ftdraft.schemas import CallFacts

REGENERATE = "regenerate it: .venv/bin/python -m ftdraft.llm.jsonschema"


def test_the_stored_text_is_the_built_one_for_todays_sources() -> None:
    assert jsonschema.sources_key() == schema_texts.SOURCES, f"ftdraft/llm/schema_texts.py is stale; {REGENERATE}"
    assert schema_texts.STRICT["ftdraft.schemas.CallFacts"] == jsonschema.build_strict_text(CallFacts), REGENERATE
    assert set(schema_texts.STRICT) == set(jsonschema.STORED)


def test_the_stored_text_is_what_goes_on_the_wire() -> None:
    jsonschema._strict_text.cache_clear()
    try:
        assert jsonschema.stored_strict_text(CallFacts) is not None
        assert jsonschema.strict_schema_text(CallFacts) == schema_texts.STRICT["ftdraft.schemas.CallFacts"]
    finally:
        jsonschema._strict_text.cache_clear()


def test_a_stored_text_for_other_sources_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A schemas.py edited without regenerating: the text is built from the models, never the stale one sent."""
    monkeypatch.setattr(schema_texts, "SOURCES", "sources-of-an-older-schemas.py")
    monkeypatch.setitem(schema_texts.STRICT, "ftdraft.schemas.CallFacts", '{"stale": true}')
    jsonschema._strict_text.cache_clear()
    try:
        assert jsonschema.stored_strict_text(CallFacts) is None
        assert jsonschema.strict_schema_text(CallFacts) == jsonschema.build_strict_text(CallFacts)
    finally:
        jsonschema._strict_text.cache_clear()


def test_schemas_not_stored_are_built() -> None:
    assert jsonschema.stored_strict_text(EmailOut) is None
    assert '"subject"' in jsonschema.strict_schema_text(EmailOut)


def test_the_key_changes_with_the_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ftdraft import schemas

    key = jsonschema.sources_key()
    copy = tmp_path / "schemas.py"
    copy.write_bytes(Path(schemas.__file__).read_bytes() + b"\n# an edit\n")
    monkeypatch.setattr(schemas, "__file__", str(copy))
    assert jsonschema.sources_key() not in ("", key)
    monkeypatch.setattr(schemas, "__file__", str(tmp_path / "missing.py"))
    assert jsonschema.sources_key() == "", "no source to compare with: the text is built"
