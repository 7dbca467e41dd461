"""The page does no work it does not show (issue 13's speed figures; the seconds are in bench/app.py): the first
page of a new engagement needs no pandas, reader or calendar library; a run after a draft does not
re-save the team and re-draft; the copy buttons carry the drafts as shown. AppTest, offline, tmp SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from app_support import draft_notes, engagement_id, open_app

from ftdraft.store import Store

ROOT = Path(__file__).resolve().parent.parent
FABRIKAM = (ROOT / "examples" / "health-fabrikam-mfg.md").read_text(encoding="utf-8")


def copies(at) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """The copy buttons on the page: {widget key: their data (text, label, help)}."""
    found = [e for e in at.main if type(e).__name__ == "UnknownElement" and e.proto.component_name == "ftdraft_copy"]
    return {e.key: json.loads(e.proto.json) for e in found}


def test_first_page_imports_nothing_it_does_not_show(db: str, tmp_path: Path) -> None:
    # A fresh interpreter: the first run of the page (warm-up thread off), then what is loaded. The notes box is
    # drawn first: when it is, neither the drafts, Streamlit's emoji table, the sidebar nor the setup are there.
    script = textwrap.dedent(
        f"""
        import sys
        import streamlit as st
        sys.path.insert(0, {str(ROOT / "tests")!r})
        import ftdraft.ui.page as page
        page.warm_up = lambda: None  # the background imports after the first page, tested below
        seen = []
        text_area = st.text_area
        def spy(label, *args, **kwargs):
            if label == "Paste your account-team call notes" and not seen:
                loaded = [m for m in ("ftdraft.drafts", "streamlit.emojis", "pandas") if m in sys.modules]
                drawn = [k for k in st.session_state if ":setup:" in k or k == "engine_choice"]
                seen.append(" ".join(loaded + drawn))
            return text_area(label, *args, **kwargs)
        st.text_area = spy
        from app_support import engagement_id, open_app
        at = open_app()
        assert at.button(key=engagement_id(at) + ":draft").label == "Draft"
        assert at.text_input(key=engagement_id(at) + ":setup:customer") and at.sidebar.radio, "the rest is drawn"
        print(seen[0] if seen else "no notes box")
        print(" ".join(m for m in ("pandas", "ftdraft.extract", "icalendar", "streamlit.emojis") if m in sys.modules))
        page.prepare_drafting()
        print(" ".join(m for m in page.WARM_MODULES if m not in sys.modules) or "all warm")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path, check=True
    ).stdout.splitlines()
    assert out[-3] == "", f"before the notes box, the page loaded or drew {out[-3]}"
    assert out[-2] == "", f"the first page loaded {out[-2]}"
    assert out[-1] == "all warm"


def test_a_new_engagement_shows_the_roster_box_and_no_empty_team_table(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    assert not at.get("arrow_data_frame") and not at.get("data_editor"), "no table on the first page"
    assert any("Nobody yet: type or paste one person per line" in c.value for c in at.caption)
    at.text_area(key=f"{eid}:roster").input("Priya Raman <priya.raman@contoso.com> ATS\n")
    at.button(key=f"{eid}:roster_add").click().run()
    assert list(at.data_editor(key=f"{eid}:team:1").value["name"]) == ["Priya Raman"]


def test_a_run_after_a_draft_does_not_resave_the_team_or_redraft(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    draft_notes(at, eid, FABRIKAM)
    store = Store(db)
    rec = store.get(eid)
    assert rec is not None and rec.bundle is not None
    team = rec.engagement.account_team
    # The team the draft filled in keeps where each person came from (the table shows name, role and email only;
    # saving the table's view after every draft dropped the rest and re-drafted).
    assert team and all(p.sources for p in team), team
    drafted_at = rec.bundle.generated_at
    at.run()
    again = store.get(eid)
    assert again is not None and again.bundle is not None
    assert again.bundle.generated_at == drafted_at and again.engagement.account_team == team

    # A real change in the table is saved, and the people left as they were keep their sources.
    edit = {"edited_rows": {0: {"email": "first.person@fabrikam.example"}}, "added_rows": [], "deleted_rows": []}
    at.session_state[f"{eid}:team:1"] = edit
    at.run()
    changed = store.get(eid)
    assert changed is not None
    assert changed.engagement.account_team[0].email == "first.person@fabrikam.example"
    assert all(p.sources for p in changed.engagement.account_team[1:])


def test_copy_buttons_carry_each_draft_as_shown_and_follow_an_edit(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    first = copies(at)
    invite = first[f"{eid}:copy:internal_invite:body"]
    assert invite["label"] == "Copy invite email body"
    assert invite["text"] == at.text_area(key=f"{eid}:draft:internal_invite.email.body").value

    draft_notes(at, eid, FABRIKAM)
    shown = copies(at)
    body_key = f"{eid}:draft:follow_up.body"
    assert shown[f"{eid}:copy:follow_up:body"]["text"] == at.text_area(key=body_key).value
    assert shown[f"{eid}:copy:ftop"]["text"] == at.text_area(key=f"{eid}:draft:ftop.text").value
    assert f"{eid}:copy:blurb" in shown and shown[f"{eid}:copy:blurb"]["text"].strip()

    at.text_area(key=body_key).input(at.text_area(key=body_key).value + "\nP.S. typed by the FM.").run()
    assert copies(at)[f"{eid}:copy:follow_up:body"]["text"].endswith("P.S. typed by the FM.")
