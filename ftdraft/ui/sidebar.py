"""The sidebar: drafting engine, who signs (FM name/email), new/search/open/delete engagements; and which
engagement is open (?e=<id> in the URL)."""

from __future__ import annotations

import streamlit as st

from ftdraft import workspace as ws
from ftdraft.config import EngineChoice, Settings, remember_fm
from ftdraft.store import Store
from ftdraft.ui.common import ENGINES, boundary, guarded, say, show_flash


def open_engagement(store: Store) -> str:
    eid = st.query_params.get("e")
    if eid and store.exists(eid):
        return eid
    if eid:
        say("warning", "That engagement was not found (deleted?); here is a blank one.")
    eid = store.blank()
    st.query_params["e"] = eid
    return eid


def _open(eid: str) -> None:
    st.query_params["e"] = eid
    st.session_state.pop("_confirm_delete", None)


@guarded("sidebar")
def _new(store: Store) -> None:
    _open(store.blank())


@guarded("sidebar")
def _delete(store: Store, eid: str, current: str) -> None:
    store.delete(eid)
    st.session_state.pop("_confirm_delete", None)
    if eid == current:
        st.query_params.pop("e", None)
    say("success", "Engagement deleted.", "sidebar")


def _remember_fm() -> None:
    if not st.session_state.get("_signed_in"):  # a signed-in FM's name stays in their session (fm_settings)
        remember_fm(st.session_state.get("fm_name"), st.session_state.get("fm_email"))


def default_engine(settings: Settings) -> int:
    """The engine the radio starts on: the configured one (FTDRAFT_ENGINE), else auto."""
    return ENGINES.index(settings.engine) if settings.engine in ENGINES else 2


def engine_choice(settings: Settings) -> EngineChoice:
    """The engine the sidebar's radio holds in this run, read before the sidebar is drawn (the page draws the
    notes box first): the FM's pick in this session, else the default."""
    picked = st.session_state.get("engine_choice")
    return picked if picked in ENGINES else ENGINES[default_engine(settings)]


def sidebar(store: Store, settings: Settings, eid: str) -> EngineChoice:
    sb = st.sidebar
    sb.header("ftdraft")
    choice: EngineChoice = sb.radio(
        "Drafting engine",
        ENGINES,
        index=default_engine(settings),
        key="engine_choice",
        horizontal=True,
        help="offline: rules and templates. llm: the configured model. auto: the model when a key is set.",
    )
    # Who signs the drafts (issue 10): remembered for the next session; blank = "[your name]" in the drafts.
    sb.text_input("Your name (FM)", value=settings.fm_name or "", key="fm_name", on_change=_remember_fm)
    sb.text_input("Your email (FM)", value=settings.fm_email or "", key="fm_email", on_change=_remember_fm)
    sb.button("New engagement", on_click=_new, args=(store,), icon=":material/add:", width="stretch")
    search = sb.text_input("Search by customer", key="search", placeholder="e.g. Contoso")
    with sb:
        show_flash("sidebar")
    pending = st.session_state.get("_confirm_delete")
    with boundary():
        rows = store.list(search)
    if not rows:
        sb.caption("No saved engagements yet." if not search else "No customer matches.")
    for row in rows:
        label = row.customer or "Untitled notes"
        entry = ws.sidebar_label(row.customer, row.call_date, row.updated_at)
        c1, c2 = sb.columns([4, 1], vertical_alignment="center")
        c1.button(
            ws.md_escape(entry),
            key=f"open:{row.id}",
            on_click=_open,
            args=(row.id,),
            type="primary" if row.id == eid else "secondary",
            width="stretch",
        )
        c2.button(
            "",
            icon=":material/delete:",
            key=f"del:{row.id}",
            help=f"Delete {ws.md_escape(label)}",
            on_click=_ask_delete,
            args=(row.id,),
        )
        if pending == row.id:
            sb.warning(f"Delete {ws.md_escape(label)} with its notes and drafts? This cannot be undone.")
            y, n = sb.columns(2)
            y.button("Yes, delete", key=f"yes:{row.id}", type="primary", on_click=_delete, args=(store, row.id, eid))
            n.button("Cancel", key=f"no:{row.id}", on_click=st.session_state.pop, args=("_confirm_delete", None))
    return choice


def _ask_delete(eid: str) -> None:
    st.session_state["_confirm_delete"] = eid
