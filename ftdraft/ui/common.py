"""What every section of the page shares: the one error boundary, queued messages, per-engagement
widget keys, the store handle and the page's constants. UI only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from ftdraft import workspace as ws
from ftdraft.config import EngineChoice, Settings
from ftdraft.errors import FtdraftError
from ftdraft.schemas import DraftBundle
from ftdraft.store import Store

ENGINES: tuple[EngineChoice, ...] = ("offline", "llm", "auto")
MOTIONS = ("", "RFA", "Health", "Targeted")
ROLES = ["ATS", "TAM", "AE", "CSM", "TSP", "SSP", "ADE", "other"]
ATTENDEE_ROLES = [*ROLES[:-1], "FM", "FTA", "customer", "other"]
AFTER_CALL = ("intro_request", "teams_channel", "follow_up", "ftop", "sync_rhythm")
ICON_PREP = ":material/checklist:"
# Column headers the FM reads ("_i" is the row's original position: hidden, it keeps each row's sources).
LABELS: dict[str, Any] = {
    "_i": None,
    "name": st.column_config.TextColumn("Name"),
    "email": st.column_config.TextColumn("Email"),
    "present": st.column_config.CheckboxColumn("Present"),
    "workload": st.column_config.TextColumn("Workload"),
    "text": st.column_config.TextColumn("Open item", width="large"),
    "owner": st.column_config.TextColumn("Owner"),
    "source": st.column_config.TextColumn("Source (note line)"),
}
STATUSES = ["In Progress", "Blocked", "No Intent", "Status Unknown", "Duplicate/Invalid"]


def uses_model(settings: Settings, choice: EngineChoice) -> bool:
    """Whether Draft and Regenerate go through the model: a model is chosen (llm/auto) and a key is set."""
    return choice != "offline" and settings.has_key


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    return Store(url)


# ------------------------------------------------------------------ the one error boundary


def say(kind: str, message: str, where: str = "top") -> None:
    """Queue a message for the next run (callbacks cannot draw in place)."""
    st.session_state.setdefault("_flash", []).append((where, kind, message))


def show_flash(where: str) -> None:
    queued = st.session_state.get("_flash", [])
    keep = []
    for w, kind, message in queued:
        if w == where:
            getattr(st, kind)(ws.md_escape(message))
        else:
            keep.append((w, kind, message))
    st.session_state["_flash"] = keep


@contextmanager
def boundary(where: str | None = None) -> Iterator[None]:
    """FtdraftError becomes a message that says what to do (drawn here, or queued for `where`)."""
    try:
        yield
    except FtdraftError as exc:
        if where is None:
            st.error(ws.md_escape(str(exc)))
        else:
            say("error", str(exc), where)


def guarded(where: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def wrap(fn: Callable[..., None]) -> Callable[..., None]:
        def run(*args: Any, **kwargs: Any) -> None:
            with boundary(where):
                fn(*args, **kwargs)

        return run

    return wrap


# ------------------------------------------------------------------ session-state helpers


def k(eid: str, name: str) -> str:
    """Session-state keys are per engagement, so two engagements never share a widget."""
    return f"{eid}:{name}"


def seed(key: str, value: Any) -> None:
    """Put `value` in a widget unless it already shows it; a change from outside (a new draft,
    a regenerate) reaches the widget, while the FM's typing is never overwritten."""
    mark = key + "#seeded"
    if key not in st.session_state or st.session_state.get(mark) != value:
        st.session_state[key] = value
        st.session_state[mark] = value


def rev(eid: str, name: str) -> int:
    return st.session_state.get(k(eid, f"rev:{name}"), 0)


def bump(eid: str, name: str) -> None:
    """New widget keys for a table or form whose base data changed, so stale edits never re-apply."""
    st.session_state[k(eid, f"rev:{name}")] = rev(eid, name) + 1


def bullets(lines: Any) -> str:
    return "\n".join(f"- {ws.md_escape(line)}" for line in lines)


def save_redraft(store: Store, eid: str, old: DraftBundle, new: DraftBundle, edits: dict[str, str]) -> list[str]:
    """Save a re-rendered bundle (its flags as they now hold) and remember, for this session, which drafts the
    FM edited by hand no longer agree with it (ws.stale_edits): their tabs say what changed and offer
    Regenerate. Returns the titles of those drafts."""
    store.save_bundle(eid, ws.refresh_flags(new))
    stale = {**st.session_state.get(k(eid, "stale"), {}), **ws.stale_edits(old, new, edits)}
    st.session_state[k(eid, "stale")] = stale
    return [ws.DRAFT_TITLES[n] for n in stale]


def forget_stale(eid: str, names: Any) -> None:
    """The drafts `names` were regenerated: no longer stale."""
    stale = dict(st.session_state.get(k(eid, "stale"), {}))
    for n in names:
        stale.pop(n, None)
    st.session_state[k(eid, "stale")] = stale


# Page-wide style, a constant (never user or model text). Streamlit's upload box states its own size limit in
# whole megabytes ("1MB per file") while the notes limit is far smaller (200 KB): that line is hidden in our
# uploader only (its container's key class), whose label states the real limit (issue 13).
# A closed expander (st.expander is a <details>) keeps its content in the page, and Chromium keeps that content
# laid out but hidden (content-visibility: hidden on the details' content slot): with one on the page (the prep
# expander closes once drafted) select-all + Delete of 199,000 characters in the notes box took 2.3-4.8 s instead
# of 0.1 s, Chromium's editing checking the hidden content on each selection change (bench/app.py; removing the
# closed expander from the page, or this rule, brings it to 0.1 s). Closed, the content is simply not displayed.
UPLOAD_KEY = "notes_upload"
STYLE = (
    f"<style>.st-key-{UPLOAD_KEY} [data-testid='stFileUploaderDropzoneInstructions'] "
    "{ display: none !important; } details:not([open])::details-content { display: none; }</style>"
)


def page_style() -> None:
    st.markdown(STYLE, unsafe_allow_html=True)
