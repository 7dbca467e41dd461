"""Driving the real Streamlit page with AppTest: open it (optionally on an engagement), read the engagement id
from the URL, paste notes and draft. Shared by every test (and bench) that goes through the page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def open_app(eid: str | None = None, timeout: float = 60) -> AppTest:
    """The page after its first run, on engagement `eid` when given (as a refresh with ?e=<id> would)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if eid:
        at.query_params["e"] = eid
    at.run()
    assert not at.exception, at.exception
    return at


def engagement_id(at: AppTest) -> str:
    value = at.query_params["e"]
    return value[0] if isinstance(value, list) else value


def draft_notes(at: AppTest, eid: str, notes: str) -> AppTest:
    """Paste the notes and press Draft; the page must not raise."""
    at.text_area(key=f"{eid}:notes").input(notes).run()
    at.button(key=f"{eid}:draft").click().run()
    assert not at.exception, at.exception
    return at
