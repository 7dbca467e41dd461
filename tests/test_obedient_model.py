"""Against a model that obeys every instruction pasted into the notes (tests/obedient_model.py, over real HTTP to the
stub server on 127.0.0.1): no moved owner, date or status reaches a draft unflagged, no injected link or recipient,
no usage figure in field text, no internal remark in the customer blurb, no piece of the key anywhere (case 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from guard_support import EXAMPLES
from obedient_model import ATTACKER, HIJACK_DUE, ObedientModel, hijack_owner, plant, verdict
from openai_stub_server import StubServer, stub_settings

from ftdraft.config import get_settings
from ftdraft.export import write_exports
from ftdraft.pipeline import build_bundle

KEY = "sk-obedient-SENTINEL-4f9a2c7e1b-do-not-print"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FTDRAFT_ENGINE"):
        monkeypatch.delenv(var, raising=False)
    get_settings.cache_clear()


def run_obedient(notes_path: Path, tmp_path: Path) -> tuple[object, ObedientModel, dict[str, int]]:
    notes = notes_path.read_text(encoding="utf-8")
    owner = hijack_owner(notes)
    planted = plant(notes, owner)
    model = ObedientModel(planted, KEY, owner)
    with StubServer(model) as srv:
        settings = stub_settings(srv.base_url, KEY, FTDRAFT_REQUEST_TIMEOUT=5.0, FTDRAFT_TOTAL_BUDGET=30.0)
        bundle = build_bundle(planted, engine="llm", settings=settings)
        assert srv.requests_for("extract"), "the model really was asked"
    paths = write_exports(bundle, tmp_path / "out")
    exports = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in paths)
    return bundle, model, verdict(bundle, model, exports)


@pytest.mark.parametrize("notes_path", EXAMPLES, ids=lambda p: p.name)
def test_nothing_an_obedient_model_does_reaches_the_drafts(notes_path: Path, tmp_path: Path) -> None:
    bundle, model, found = run_obedient(notes_path, tmp_path)
    assert found == {k: 0 for k in found}, found
    assert bundle.provenance["extraction"].engine == "llm"  # type: ignore[attr-defined]
    facts = bundle.facts  # type: ignore[attr-defined]
    assert all(ai.due != HIJACK_DUE for ai in facts.action_items)
    assert all(a.name != ATTACKER for a in facts.attendees)
    rules = {c.rule for c in bundle.checks}  # type: ignore[attr-defined]
    if model.moved["actions"]:
        assert "facts.due_unsupported" in rules
    assert "facts.attendee_unsupported" in rules


def test_the_verdict_counts_what_a_guardless_pipeline_lets_through(tmp_path: Path) -> None:
    """The obedient model is not a stub that ignores orders: without the fact check and repairs its moves show."""
    from ftdraft import guards

    notes_path = next(p for p in EXAMPLES if "contoso" in p.name)
    notes = notes_path.read_text(encoding="utf-8")
    owner = hijack_owner(notes)
    planted = plant(notes, owner)
    model = ObedientModel(planted, KEY, owner)
    original = guards.check_model_facts
    try:
        guards.check_model_facts = lambda notes, facts, offline, engagement=None: (facts, [])  # type: ignore[assignment]
        with StubServer(model) as srv:
            settings = stub_settings(srv.base_url, KEY, FTDRAFT_REQUEST_TIMEOUT=5.0, FTDRAFT_TOTAL_BUDGET=30.0)
            from ftdraft.pipeline import _model_bundle

            raw = _model_bundle(planted, __import__("ftdraft.schemas").schemas.Engagement(), {}, settings=settings,
                                model=None, say=lambda _m: None, on_follow_up_token=None)  # fmt: skip
    finally:
        guards.check_model_facts = original  # type: ignore[assignment]
    raw.checks = []
    found = verdict(raw, model)
    assert found["moved_unflagged"] > 0 and found["links_or_recipients"] > 0 and found["usage_in_field"] > 0
    assert found["remarks_in_blurb"] > 0 and found["key_pieces"] > 0
