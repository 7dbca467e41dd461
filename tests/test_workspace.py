"""The app's non-UI logic: regenerating one draft keeps the others and refreshes the guardrail findings."""

from __future__ import annotations

from pathlib import Path

from ftdraft import workspace as ws
from ftdraft.pipeline import offline_bundle
from ftdraft.schemas import Check

NOTES = (Path(__file__).resolve().parent.parent / "examples" / "rfa-contoso-pharma.md").read_text(encoding="utf-8")


def test_regenerate_replaces_one_draft_and_refreshes_stale_findings() -> None:
    bundle = offline_bundle(NOTES)
    edited_ftop = bundle.drafts.ftop.model_copy(update={"text": "the FM's own FTOP text"})
    stale = Check(draft="follow_up", severity="error", rule="stale_finding", text="about an older draft")
    bundle = bundle.model_copy(
        update={
            "drafts": bundle.drafts.model_copy(update={"ftop": edited_ftop}),
            "checks": [*bundle.checks, stale],
        }
    )

    after = ws.regenerate(bundle, "follow_up", notes=NOTES)

    assert after.drafts.ftop.text == "the FM's own FTOP text", "other drafts are left exactly as they were"
    assert after.drafts.follow_up.subject == bundle.drafts.follow_up.subject
    assert not any(c.rule == "stale_finding" for c in after.checks), "findings describe the drafts as they are now"
    assert after.provenance["follow_up"].engine == "offline"


def test_sidebar_entries_fit_one_line_and_are_cut_at_a_word() -> None:
    from datetime import date, datetime

    from ftdraft.workspace import SIDEBAR_CHARS, sidebar_label

    saved = datetime(2026, 11, 30)
    assert sidebar_label("Contoso Pharma", date(2026, 11, 18), saved) == "Contoso Pharma · 18 Nov"
    assert sidebar_label("Contoso Pharma", date(2025, 11, 18), saved) == "Contoso Pharma · 18 Nov 2025"
    assert sidebar_label("Fabrikam Manufacturing", None, saved) == "Fabrikam… · saved 30 Nov"
    for name in ("Contoso Pharmaceuticals International", "A" * 60, "Wide World Importers of Everything"):
        for when in (date(2026, 11, 18), None):
            assert len(sidebar_label(name, when, saved)) <= SIDEBAR_CHARS + 1, (name, when)
