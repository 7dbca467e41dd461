"""The FM's identity in the app's sidebar (issue 10): typed once, remembered for the next session, and it signs
the drafts. The real page through AppTest, on a tmp SQLite file and a tmp data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import draft_notes, engagement_id, open_app
from streamlit.testing.v1 import AppTest

from ftdraft.config import Settings, fm_file, with_remembered_fm

NOTES = (Path(__file__).resolve().parents[1] / "examples" / "messy-woodgrove.txt").read_text(encoding="utf-8")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FTDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'ftdraft.db'}")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FTDRAFT_ENGINE", "FTDRAFT_FM_NAME", "FTDRAFT_FM_EMAIL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)  # no developer .env
    return tmp_path


def follow_up_body(at: AppTest, eid: str) -> str:
    return str(at.text_area(key=f"{eid}:draft:follow_up.body").value)


def test_the_fm_typed_in_the_sidebar_signs_the_drafts_and_is_remembered(home: Path) -> None:
    at = open_app()
    eid = engagement_id(at)
    draft_notes(at, eid, NOTES)
    assert follow_up_body(at, eid).rstrip().endswith("[your name]")

    at.sidebar.text_input(key="fm_name").input("Bianca Lowenthal").run()
    at.sidebar.text_input(key="fm_email").input("bianca@example.com").run()
    assert not at.exception
    assert fm_file().is_relative_to(home)
    remembered = with_remembered_fm(Settings(_env_file=None))  # type: ignore[call-arg]
    assert (remembered.fm_name, remembered.fm_email) == ("Bianca Lowenthal", "bianca@example.com")

    again = open_app(eid)  # a new session: the sidebar shows the FM, and a new draft is signed with the name
    assert again.sidebar.text_input(key="fm_name").value == "Bianca Lowenthal"
    draft_notes(again, eid, NOTES + "\n")
    assert follow_up_body(again, eid).rstrip().endswith("Bianca Lowenthal")
