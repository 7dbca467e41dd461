"""Call notes (paste or upload, saved on change), Draft, and the facts the call covered, ready to correct."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ftdraft import workspace as ws
from ftdraft.config import EngineChoice, Settings
from ftdraft.errors import FtdraftError, InputError
from ftdraft.inputs import check_notes, decode_notes
from ftdraft.pipeline import build_bundle, redraft
from ftdraft.schemas import DraftBundle
from ftdraft.store import Record, Store
from ftdraft.ui.common import (
    ATTENDEE_ROLES,
    LABELS,
    STATUSES,
    UPLOAD_KEY,
    boundary,
    bump,
    guarded,
    k,
    rev,
    save_redraft,
    say,
    seed,
    show_flash,
    uses_model,
)


@guarded("notes")
def _on_notes(store: Store, eid: str) -> None:
    store.save_notes(eid, st.session_state.get(k(eid, "notes")) or "")


@guarded("notes")
def _on_upload(store: Store, eid: str, key: str, max_bytes: int) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    text = decode_notes(upload.getvalue(), upload.name)
    check_notes(text, max_bytes)
    current = st.session_state.get(k(eid, "notes")) or ""
    # Never replace what the FM already pasted: the file goes below it.
    notes = text if not current.strip() else current.rstrip() + "\n\n" + text
    st.session_state[k(eid, "notes")] = notes
    st.session_state[k(eid, "notes") + "#seeded"] = notes
    store.save_notes(eid, notes)
    if current.strip():
        say("info", f"Added {upload.name} below your notes; remove what you don't need.", "notes")


def _notes_to_draft(store: Store, settings: Settings, eid: str) -> str:
    """The notes in the box, saved before any drafting call (whatever happens next) and checked."""
    notes = st.session_state.get(k(eid, "notes")) or ""
    store.save_notes(eid, notes)
    check_notes(notes, settings.max_notes_bytes)
    if not ws.has_words(notes):
        raise InputError(
            "The notes have no letters or digits (only emoji or symbols?): paste the call notes as text, then Draft."
        )
    return notes


def _drafted(store: Store, rec: Record, bundle: DraftBundle, started: float) -> None:
    eid = rec.id
    store.save_bundle(eid, bundle)
    filled = ws.fill_setup(rec.engagement, bundle.engagement)
    if filled != rec.engagement:
        store.save_engagement(eid, filled)
        st.session_state.pop(k(eid, "team:base"), None)
        bump(eid, "team")
    bump(eid, "facts")
    say(
        "success", f"Drafted in {time.perf_counter() - started:.1f} s. Check the facts, then the drafts below.", "notes"
    )


@guarded("notes")
def _on_draft(store: Store, settings: Settings, eid: str, choice: EngineChoice) -> None:
    """Draft without a model, as the click's callback: Streamlit runs it before the page, so the one run that
    follows draws every section (setup included) with what the draft filled in. No status box and no second
    run: offline drafting takes a fraction of a second."""
    rec = store.get(eid)
    if rec is None:
        return
    notes = _notes_to_draft(store, settings, eid)
    started = time.perf_counter()
    bundle = build_bundle(notes, rec.engagement, rec.agenda or None, engine=choice, settings=settings)
    _drafted(store, rec, bundle, started)


def run_draft(store: Store, settings: Settings, rec: Record, choice: EngineChoice) -> None:
    """Draft through the model, in the page: its steps in a status box, the follow-up streamed into it; then the
    page runs again so every section, setup included, shows what the draft filled in."""
    notes = _notes_to_draft(store, settings, rec.id)
    started = time.perf_counter()
    with st.status("Drafting...", expanded=True) as status:
        stream = st.empty()
        tokens: list[str] = []

        def on_token(token: str) -> None:
            tokens.append(token)
            stream.text("".join(tokens))

        def progress(message: str) -> None:
            status.update(label=ws.md_escape(message))  # names the model from the settings
            st.text(message)

        try:
            bundle = build_bundle(
                notes,
                rec.engagement,
                rec.agenda or None,
                engine=choice,
                settings=settings,
                progress=progress,
                on_follow_up_token=on_token,
            )
        except FtdraftError:
            status.update(label="Drafting failed", state="error")
            raise
        stream.empty()
        status.update(label="Drafts ready", state="complete", expanded=False)
    _drafted(store, rec, bundle, started)
    st.rerun()


def notes_section(
    store: Store, settings: Settings, rec: Record, choice: EngineChoice, can_draft: bool
) -> DeltaGenerator:
    """The notes box (with the saved notes), the upload and Draft, in the left column; returns the right column,
    empty, for facts_column() once the rest of the page is drawn."""
    eid = rec.id
    seed(k(eid, "notes"), rec.notes)
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Call notes")
        show_flash("notes")
        st.text_area(
            "Paste your account-team call notes",
            key=k(eid, "notes"),
            height=460,
            max_chars=settings.max_notes_bytes,
            on_change=_on_notes,
            args=(store, eid),
            placeholder="Attendees: Priya Raman (ATS), Tom Becker (TAM), me (FM)\n- Licenses: ...\n"
            "Actions\n- Priya to send intro email by Friday",
        )
        st.caption(f"Up to {kb(settings.max_notes_bytes)} of notes: the box takes no more.")
        up_key = k(eid, "upload")
        # Streamlit's own "<n>MB per file" line is hidden in this container (common.STYLE): the label states
        # the notes limit, and a bigger file is refused with a message (_on_upload).
        with st.container(key=UPLOAD_KEY):
            st.file_uploader(
                f"...or upload a .txt / .md file (up to {kb(settings.max_notes_bytes)})",
                type=["txt", "md"],
                max_upload_size=max(1, -(-settings.max_notes_bytes // 1_000_000)),
                help=f"Notes files up to {kb(settings.max_notes_bytes)}; a bigger file is refused with a message.",
                key=up_key,
                on_change=_on_upload,
                args=(store, eid, up_key, settings.max_notes_bytes),
            )
        label = "Draft again from the notes" if rec.bundle else "Draft"
        # Through the model: drafted in the page (progress and the streamed follow-up show). Without: in the
        # click's callback (one run, no status box).
        offline: dict[str, Any] = (
            {} if uses_model(settings, choice) else {"on_click": _on_draft, "args": (store, settings, eid, choice)}
        )
        clicked = st.button(
            label,
            type="primary",
            key=k(eid, "draft"),
            icon=":material/auto_awesome:",
            disabled=not can_draft,
            **offline,
        )
        if rec.bundle:
            st.caption("Drafting again re-reads the notes: table edits are replaced, typed agenda answers are kept.")
        if clicked and not offline:
            with boundary():
                run_draft(store, settings, rec, choice)
    return right


def facts_column(store: Store, rec: Record) -> None:
    """What the call covered: the facts of the last draft, ready to correct (beside the notes)."""
    st.subheader("What the call covered")
    if rec.bundle is None:
        st.info("Draft to see the agenda answers a-n, attendees, action items and intents here, ready to correct.")
    else:
        with st.container(height=760, border=False):  # scrolls beside the notes instead of stretching the page
            facts_form(store, rec)


def _editor(rows: list[dict[str, Any]], columns: tuple[str, ...], key: str, config: dict[str, Any]) -> Any:
    """One facts table (a pandas DataFrame back, as the FM edited it)."""
    import pandas as pd  # imported when a table is shown, not with the page (warmed in the background: page.py)

    frame = pd.DataFrame(rows, columns=["_i", *columns])
    disabled = [c for c in ("source", "as_written") if c in columns]
    return st.data_editor(
        frame,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={**LABELS, **config},
        disabled=disabled,
    )


def facts_form(store: Store, rec: Record) -> None:
    eid, bundle = rec.id, rec.bundle
    assert bundle is not None
    facts, motion = bundle.facts, rec.engagement.motion or bundle.engagement.motion
    r = rev(eid, "facts")
    show_flash("facts")
    with st.form(k(eid, f"facts_form:{r}"), border=False):
        st.markdown("**Agenda answers**")
        answers: dict[str, str] = {}
        for row in ws.agenda_rows(facts, motion):
            key = k(eid, f"facts{r}:agenda:{row.item}")
            seed(key, (row.answer or "") if row.answered else "")
            answers[row.item] = st.text_area(ws.md_escape(f"{row.item}. {row.title}"), key=key, height=68) or ""
            where = ws.source_label(row.sources)
            st.caption(
                ws.md_escape(f"Source: {where}") if where else ":orange[Not answered in the notes: an open item]"
            )
        st.markdown("**Attendees**")
        attendees = _editor(
            ws.attendee_rows(facts),
            ws.ATTENDEE_COLUMNS,
            k(eid, f"facts{r}:attendees"),
            {"role": st.column_config.SelectboxColumn("Role", options=ATTENDEE_ROLES, default="other")},
        )
        st.markdown("**Action items** (owner / action / due)")
        actions = _editor(
            ws.action_rows(facts),
            ws.ACTION_COLUMNS,
            k(eid, f"facts{r}:actions"),
            {
                "owner": st.column_config.TextColumn("Owner"),
                "action": st.column_config.TextColumn("Action", width="large"),
                "due": st.column_config.DateColumn("Due"),
                "as_written": st.column_config.TextColumn("Due, as written"),
            },
        )
        st.markdown("**Service intent per workload**")
        intents = _editor(
            ws.intent_rows(facts),
            ws.INTENT_COLUMNS,
            k(eid, f"facts{r}:intents"),
            {
                "status": st.column_config.SelectboxColumn("Status (L1)", options=STATUSES),
                "reason": st.column_config.SelectboxColumn("Reason (L2)", options=["", *ws.all_reasons()]),
                "note": st.column_config.TextColumn("Note", width="large"),
            },
        )
        st.markdown("**Open items**")
        open_items = _editor(ws.open_rows(facts), ws.OPEN_COLUMNS, k(eid, f"facts{r}:open"), {})
        saved = st.form_submit_button(
            "Save facts and update drafts", type="primary", key=k(eid, "save_facts"), icon=":material/save:"
        )
    if saved:
        with boundary():
            # Tables first, then the agenda: an item the FM just answered stops being an open item.
            new_facts, messages = ws.apply_rows(
                facts,
                attendees=attendees.to_dict("records"),
                actions=actions.to_dict("records"),
                intents=intents.to_dict("records"),
                open_items=open_items.to_dict("records"),
            )
            new_facts, changed = ws.apply_agenda(new_facts, answers, motion)
            typed = {key: value for key, value in {**rec.agenda, **changed}.items() if value}
            store.set_agenda(eid, typed)
            fresh = redraft(bundle, facts=new_facts, notes=rec.notes, agenda_answers=typed)
            stale = save_redraft(store, eid, bundle, fresh, rec.edits)
            for m in messages:
                say("warning", m, "facts")
            if stale:
                say(
                    "warning",
                    "Facts saved; the drafts you had not edited now use them. You edited "
                    + ", ".join(stale)
                    + " by hand: your text is kept, and its tab shows what the facts changed - Regenerate it "
                    "to use them.",
                    "facts",
                )
            else:
                say("success", "Facts saved; the drafts now use them.", "facts")
            bump(eid, "facts")
            st.rerun()


def kb(n: int) -> str:
    """A byte limit as the FM reads it: 200000 -> "200 KB"."""
    return f"{n / 1000:.0f} KB" if n < 1_000_000 else f"{n / 1_000_000:.1f} MB"
