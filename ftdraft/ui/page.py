"""ftdraft's page: the FM's whole Initiate phase, saved as they go. UI only; the logic is in ftdraft/.

Everything the FM types is saved to the store on change and before any drafting call; the open
engagement's id sits in the URL (?e=...), so a refresh or a restart brings it back. User and model text
is shown in widgets, st.text or st.code, or markdown-escaped: never as HTML.

Moved here from streamlit_app.py so the installed package carries the page: streamlit_app.py (the checkout)
and ftdraft/app/main.py (`ftdraft app`) are two thin entries that call run(). One module per section of the
page: sidebar.py, setup.py, prep.py (prep and invite), notes.py (notes and facts), drafts.py; editors.py holds
the draft editors prep and drafts share, common.py the error boundary and widget keys, signin.py the gate.
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
import time

import streamlit as st

from ftdraft import workspace as ws
from ftdraft.config import Settings, with_remembered_fm
from ftdraft.ui.common import boundary, get_store, page_style, show_flash
from ftdraft.ui.drafts import drafts_section
from ftdraft.ui.notes import facts_column, notes_section
from ftdraft.ui.prep import precall_section
from ftdraft.ui.setup import setup_section
from ftdraft.ui.sidebar import engine_choice, open_engagement, sidebar
from ftdraft.ui.signin import fm_settings, require_user


def main() -> None:
    """One run of the page, the part an FM uses first drawn first: the title and the notes box with the saved
    notes and the Draft button; then, into the places kept for them above and beside it, the setup, the prep
    and invite, the facts, the drafts and the sidebar (Streamlit shows each element as it is drawn, so the
    notes box takes typing while the rest is drawn; a change there reruns the page and is saved, as ever). A
    browser session's first run pauses FIRST_PAGE_PAUSE_S between the two."""
    # fresh each run: cheap, and .env / environment changes apply without a restart; the FM from the sidebar
    settings = Settings()
    user = require_user(settings)  # the sign-in gate (ui/signin.py): LOCAL_USER when no sign-in is set up
    st.session_state["_signed_in"] = user.signed_in
    settings = fm_settings(settings, user) if user.signed_in else with_remembered_fm(settings)
    store = get_store(settings.resolved_database_url()).for_owner(user.key)  # only this FM's engagements
    eid = open_engagement(store)
    rec = store.get(eid)
    if rec is None:
        sidebar(store, settings, eid)
        st.warning("This engagement was just deleted. Start a new one from the sidebar.")
        return
    choice = engine_choice(settings)  # the sidebar's radio as this run will draw it
    st.title("ftdraft")
    page_style()
    label, ok = ws.engine_label(settings, choice)
    if ok:
        st.info(ws.md_escape(label), icon=":material/memory:")
    else:
        st.warning(ws.md_escape(label), icon=":material/key_off:")
    show_flash("top")
    for problem in rec.problems:
        st.warning(ws.md_escape(problem))
    setup_slot = st.container()
    prep_slot = st.expander(
        "Before the call: prep and internal invite", expanded=rec.bundle is None, icon=":material/checklist:"
    )
    facts_slot = notes_section(store, settings, rec, choice, ok)
    if not st.session_state.get("_page_shown"):
        st.session_state["_page_shown"] = True
        time.sleep(FIRST_PAGE_PAUSE_S)
    drafted = st.container()
    # The rest of the page, each in its place above, beside or below the notes.
    sidebar(store, settings, eid)
    with setup_slot:
        setup_section(store, eid, rec)
    with prep_slot:
        precall_section(store, eid, rec)
    with facts_slot:
        facts_column(store, rec)
    with drafted:
        drafts_section(store, settings, rec, choice)


# A new tab's browser fetches the code of each kind of element (the text area, the button...) from this same
# Python process the first time it draws one; drawing the rest of the page at once kept the GIL busy and those
# fetches waited: the notes box showed 1.0-2.8 s after the title (load 10-12), 0.4-0.8 s with this pause after
# it (same run, bench-like starts). Once per browser session, before the rest is drawn.
FIRST_PAGE_PAUSE_S = 0.3
# What the first Draft needs and the first page does not: the reader, the drafts, the guardrails, the exports;
# then what the facts tables shown after it need: pandas (for st.data_editor). ~0.8 s of imports on a quiet VM.
DRAFTING_MODULES = ("ftdraft.pipeline", "ftdraft.extract", "ftdraft.drafts", "ftdraft.guards", "ftdraft.export")
TABLE_MODULES = ("pandas",)
WARM_MODULES = DRAFTING_MODULES + TABLE_MODULES
# A few lines of made-up notes (no real customer) drafted once offline, the result thrown away.
WARM_NOTES = (
    "Contoso call 18 Nov\nAttendees: Priya Raman (ATS), me (FM)\n- Licenses: E5\n- Priya to send the intro by Friday\n"
)
_warm_lock = threading.Lock()
_warm_started = False


def prepare_drafting() -> None:
    """Import DRAFTING_MODULES, draft WARM_NOTES offline once and discard it (a process's first draft also builds
    the reader's and the guardrails' compiled patterns and data, ~0.2 s on a quiet VM, which later drafts reuse),
    then import TABLE_MODULES (~0.4 s: a Draft clicked meanwhile finds its own part ready), then freeze_loaded().
    Touches no store, no session, no network."""
    _import(DRAFTING_MODULES)
    try:
        from ftdraft.pipeline import build_bundle
        from ftdraft.schemas import Engagement

        build_bundle(WARM_NOTES, Engagement(), None, engine="offline")
    except Exception:
        logging.getLogger(__name__).debug("warm-up draft failed", exc_info=True)
    _import(TABLE_MODULES)
    freeze_loaded()


def _import(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # the real use raises it again, where the page can say what to do
            logging.getLogger(__name__).debug("warm-up import of %s failed", name, exc_info=True)


def freeze_loaded() -> None:
    """Move every object alive now (the loaded modules, compiled patterns, data: ~170k) out of the cyclic garbage
    collector's reach (gc.freeze). Streamlit runs a full gc.collect(2) after every run of the page
    (runner.postScriptGC: each save on change, each click): over those objects it took 0.1-0.2 s, and a run that
    follows (a rerun, the next click) waited for it; frozen, it takes < 1 ms. Reference counting still frees
    them as ever; only cycles among them would stay."""
    gc.freeze()


def warm_up() -> None:
    """Once per server process, after its first page is drawn: prepare_drafting() in a background thread while
    the FM reads the page and pastes notes, so the first Draft does not wait for it."""
    global _warm_started
    with _warm_lock:
        if _warm_started:
            return
        _warm_started = True
    threading.Thread(target=prepare_drafting, name="ftdraft-warm-up", daemon=True).start()


def run() -> None:
    """One run of the page (Streamlit calls the entry script once per interaction)."""
    # Streamlit's own favicon, served by the app: an emoji one cost the first page Streamlit's emoji table
    # (thousands of entries and a regex built from them, 0.06-0.25 s) and a ":material/...:" one is fetched from
    # fonts.gstatic.com, while the page must make no request to any host but the app's own (issue 13).
    st.set_page_config(page_title="ftdraft", layout="wide")
    with boundary():
        main()
    warm_up()
