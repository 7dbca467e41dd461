"""Issue 13 through the real page (AppTest, offline, tmp SQLite; the model cases against the stub
OpenAI-compatible server over real HTTP): stale hand-edited drafts, current flags and checks, odd notes,
every draft tab, honest roster messages, Regenerate through the model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_support import draft_notes, engagement_id, open_app
from openai_stub_server import CannedReplies, Status, StubServer

from ftdraft.config import Settings
from ftdraft.pipeline import build_bundle
from ftdraft.store import Store

ROOT = Path(__file__).resolve().parent.parent
CONTOSO = (ROOT / "examples" / "rfa-contoso-pharma.md").read_text(encoding="utf-8")
ROSTER = [
    {"name": "Priya Raman", "email": "priya.raman@example.com", "role": "ATS"},
    {"name": "Tom Becker", "email": "tom.becker@example.com", "role": "TAM"},
]


def plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def seen(elements) -> list[str]:  # type: ignore[no-untyped-def]
    return [plain(e.value) for e in elements]


def by_suffix(widgets, suffix: str):  # type: ignore[no-untyped-def]
    found = [w for w in widgets if w.key and w.key.endswith(suffix)]
    assert len(found) == 1, [w.key for w in widgets]
    return found[0]


def set_due(at, eid: str, action_words: str, due: str) -> None:  # type: ignore[no-untyped-def]
    actions = by_suffix(at.data_editor, ":actions")
    row = next(i for i, a in enumerate(actions.value["action"]) if action_words in a)
    at.session_state[actions.key] = {"edited_rows": {row: {"due": due}}, "added_rows": [], "deleted_rows": []}
    at.button(key=f"{eid}:save_facts").click().run()
    assert not at.exception


def test_hand_edited_draft_shows_what_the_facts_changed_and_flags_follow_the_facts(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    draft_notes(at, eid, CONTOSO)
    body_key = f"{eid}:draft:follow_up.body"
    mine = at.text_area(key=body_key).value + "\nP.S. typed by the FM."
    at.text_area(key=body_key).input(mine).run()
    flags = [f.message for f in Store(db).get(eid).bundle.facts.flags]  # type: ignore[union-attr]
    assert "No due date for: set up tech assessment with Fabrikam after intro" in flags

    set_due(at, eid, "set up tech assessment with Fabrikam", "2026-12-04")

    assert at.text_area(key=body_key).value == mine, "the FM's edit is never overwritten silently"
    banner = " ".join(seen(at.warning))
    assert "You edited Follow-up Email by hand" in banner and "Facts saved" in banner
    assert not any(m.endswith("the drafts now use them.") for m in seen(at.success))
    stale = [m for m in seen(at.warning) if "facts changed since" in m]
    assert len(stale) == 1 and re.search(r"\+ .*tech assessment.*(2026-12-04|Dec|12/4|4 Dec)", stale[0]), stale
    bundle = Store(db).get(eid).bundle  # type: ignore[union-attr]
    flags = [f.message for f in bundle.facts.flags]
    assert "No due date for: set up tech assessment with Fabrikam after intro" not in flags, "gone with the date"
    assert "No due date for: add me to the Thursday account sync" in flags, "the others stay"

    at.button(key=f"{eid}:regen:follow_up").click().run()
    assert not at.exception
    assert "P.S. typed by the FM." not in at.text_area(key=body_key).value
    assert not [m for m in seen(at.warning) if "facts changed since" in m], "regenerated: no longer stale"


def test_checks_are_recomputed_on_the_drafts_as_edited(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    draft_notes(at, eid, CONTOSO)
    key = f"{eid}:draft:intro_request.email.body"
    before = " ".join(seen(at.warning) + seen(at.error))
    at.text_area(key=key).input(at.text_area(key=key).value + "\nSee http://evil.example/x <script>x</script>").run()
    after = " ".join(seen(at.warning) + seen(at.error))
    assert after != before and ("link" in after.lower() or "script" in after.lower() or "html" in after.lower()), after


def test_notes_with_no_letters_or_digits_get_a_message_not_an_engagement(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    draft_notes(at, eid, "\U0001f680\U0001f389 \u2728\n\U0001f44d\U0001f44d !!! --")
    assert any("no letters or digits" in m for m in seen(at.error)), seen(at.error)
    rec = Store(db).get(eid)
    assert rec is not None and rec.bundle is None and rec.engagement.customer == ""
    assert not [b for b in at.sidebar.button if b.key and b.key.startswith("open:") and "\U0001f680" in b.label]


def test_the_notes_box_and_the_upload_state_the_real_limit(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FTDRAFT_MAX_NOTES_BYTES", "2000")
    at = open_app()
    eid = engagement_id(at)
    box = at.text_area(key=f"{eid}:notes")
    assert box.max_chars == 2000 and "Up to 2 KB of notes: the box takes no more." in seen(at.caption)
    upload = at.get("file_uploader")[0]
    assert "2 KB" in upload.proto.label and "2 KB" in upload.proto.help
    at.file_uploader(key=f"{eid}:upload").set_value(("big.txt", b"x " * 3000, "text/plain")).run()
    assert any("limit" in m for m in seen(at.error)), seen(at.error)


def test_every_draft_tab_is_there_and_an_empty_one_offers_to_draft_anyway(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    draft_notes(at, eid, CONTOSO)
    labels = [plain(t.label) for t in at.tabs]
    assert "Teams Channel Ask (none)" in labels and "FTOP Entry" in labels and "Sync Rhythm" in labels
    assert any("do not mention a dedicated Teams channel" in m for m in seen(at.info))
    regen = [b.label for b in at.button if b.key and b.key.startswith(f"{eid}:regen:")]
    assert "Regenerate FTOP Entry" in regen and "Regenerate Follow-up Email" in regen, regen
    at.button(key=f"{eid}:anyway:teams_channel").click().run()
    assert not at.exception
    assert "Teams Channel Ask" in [plain(t.label) for t in at.tabs]
    assert at.text_area(key=f"{eid}:draft:teams_channel.body").value.strip()
    assert Store(db).get(eid).bundle.drafts.teams_channel is not None  # type: ignore[union-attr]


def test_every_flag_is_on_the_page_including_an_assumed_year(db: str) -> None:
    notes = "Account team sync - Contoso Pharma, 14 Nov\nAttendees: Priya Raman (ATS)\n- Priya to send intro email\n"
    at = open_app()
    eid = engagement_id(at)
    draft_notes(at, eid, notes)
    page = " ".join(seen(at.warning))
    bundle = Store(db).get(eid).bundle  # type: ignore[union-attr]
    assert any("no year" in f.message for f in bundle.facts.flags)
    for flag in bundle.facts.flags:
        if not flag.field.startswith("action_items["):
            assert flag.message in page, flag.message


def test_roster_messages_are_honest_and_sidebar_entries_read_customer_and_call_date(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    roster = "Priya Raman <priya@contoso.com> ATS\nTom Becker (TAM) tom@contoso.com\n"
    for expected in ("Added 2 to the account team.", "Nobody new: everyone pasted is already in the account team."):
        at.text_area(key=f"{eid}:roster").input(roster)
        at.button(key=f"{eid}:roster_add").click().run()
        assert expected in seen(at.success), seen(at.success)
    long_name = "Contoso Pharmaceuticals International Research Holdings"
    at.text_input(key=f"{eid}:setup:customer").input(long_name).run()
    entry = plain(at.button(key=f"open:{eid}").label)
    name = entry.split(" · ")[0]
    assert name.endswith("…") and long_name.startswith(name[:-1]) and long_name[len(name) - 1] == " ", entry


# ------------------------------------------------------------------ through the model (stub server, real HTTP)


def test_regenerate_one_draft_through_the_model_keeps_the_other_edits(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_app()
    eid = engagement_id(at)
    draft_notes(at, eid, CONTOSO)  # offline first: no key yet
    ftop_key = f"{eid}:draft:ftop.text"
    ftop_edit = at.text_area(key=ftop_key).value + "\nFM note: kept."
    at.text_area(key=ftop_key).input(ftop_edit).run()

    facts = build_bundle(CONTOSO, engine="offline", settings=Settings(_env_file=None)).facts
    with StubServer(CannedReplies(facts.model_dump_json(exclude_none=True), to=ROSTER)) as srv:
        srv.script("draft:intro_request", *[Status(500)] * 10)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("FTDRAFT_MODEL", "stub-model")
        monkeypatch.setenv("FTDRAFT_MAX_RETRIES", "0")
        at = open_app(eid)
        at.radio(key="engine_choice").set_value("llm").run()
        assert at.button(key=f"{eid}:regen:follow_up").label == "Regenerate Follow-up Email with the model"
        at.button(key=f"{eid}:regen:follow_up").click().run()
        assert not at.exception
        assert srv.steps() == ["draft:follow_up"], "that draft only: no extraction, no other draft"
        assert srv.requests_for("draft:follow_up")[0].body.get("stream") is True, "the follow-up is streamed"
        assert "Thanks for the time today" in at.text_area(key=f"{eid}:draft:follow_up.body").value
        assert at.text_area(key=ftop_key).value == ftop_edit, "the FM's edit to another draft is kept"
        captions = " ".join(seen(at.caption))
        assert "Written by the model stub-model" in captions and "Tokens: 100 prompt" in captions, captions

        at.button(key=f"{eid}:regen:intro_request").click().run()  # the server fails: that part falls back
        assert not at.exception
        assert "draft:intro_request" in srv.steps()
        assert any("Fell back to the templates: Intro Request" in m for m in seen(at.success))
        assert "fell back" in " ".join(seen(at.caption))
        assert at.text_area(key=f"{eid}:draft:intro_request.email.body").value.strip()
        assert at.text_area(key=ftop_key).value == ftop_edit


def test_after_a_fact_correction_rewrite_with_the_model_redrafts_every_draft(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = build_bundle(CONTOSO, engine="offline", settings=Settings(_env_file=None)).facts
    with StubServer(CannedReplies(facts.model_dump_json(exclude_none=True), to=ROSTER)) as srv:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("FTDRAFT_MODEL", "stub-model")
        monkeypatch.setenv("FTDRAFT_MAX_RETRIES", "0")
        at = open_app()
        eid = engagement_id(at)
        at.radio(key="engine_choice").set_value("llm").run()
        draft_notes(at, eid, CONTOSO)
        assert "extract" in srv.steps()
        assert not [b for b in at.button if b.key == f"{eid}:rewrite_all"], (
            "all drafts are the model's: nothing to offer"
        )
        set_due(at, eid, "route to the Teams Rooms team", "2026-12-04")  # the templates re-render after a correction
        assert "Written by the offline templates." in seen(at.caption)
        before = len(srv.requests)
        at.button(key=f"{eid}:rewrite_all").click().run()
        assert not at.exception
        asked = srv.steps()[before:]
        assert "extract" not in asked, "no new extraction: the corrected facts are kept"
        assert {"draft:follow_up", "draft:ftop", "draft:intro_request"} <= set(asked), asked
        assert "Thanks for the time today" in at.text_area(key=f"{eid}:draft:follow_up.body").value
        bundle = Store(db).get(eid).bundle  # type: ignore[union-attr]
        assert bundle.provenance["follow_up"].engine == "llm"
        assert any(a.due and a.due.isoformat() == "2026-12-04" for a in bundle.facts.action_items)
