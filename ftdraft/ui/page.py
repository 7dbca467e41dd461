"""ftdraft's page: the FM's whole Initiate phase, saved as they go. UI only; the logic is in ftdraft/.

Everything the FM types is saved to the store on change and before any drafting call; the open
engagement's id sits in the URL (?e=...), so a refresh or a restart brings it back. User and model text
is shown in widgets, st.text or st.code, or markdown-escaped: never as HTML.

Moved here from streamlit_app.py so the installed package carries the page: streamlit_app.py (the checkout)
and ftdraft/app/main.py (`ftdraft app`) are two thin entries that call run().
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from ftdraft import workspace as ws
from ftdraft.config import EngineChoice, Settings, remember_fm, with_remembered_fm
from ftdraft.errors import FtdraftError
from ftdraft.inputs import check_notes, decode_notes
from ftdraft.pipeline import build_bundle, redraft
from ftdraft.roster import merge_team, parse_roster
from ftdraft.schemas import Check, DraftBundle, Engagement, Person
from ftdraft.store import Record, Store
from ftdraft.ui.signin import fm_settings, require_user

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


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    return Store(url)


# ------------------------------------------------------------------ the one error boundary


def _say(kind: str, message: str, where: str = "top") -> None:
    """Queue a message for the next run (callbacks cannot draw in place)."""
    st.session_state.setdefault("_flash", []).append((where, kind, message))


def _show_flash(where: str) -> None:
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
            _say("error", str(exc), where)


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


# ------------------------------------------------------------------ which engagement is open


def open_engagement(store: Store) -> str:
    eid = st.query_params.get("e")
    if eid and store.exists(eid):
        return eid
    if eid:
        _say("warning", "That engagement was not found (deleted?); here is a blank one.")
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
    _say("success", "Engagement deleted.", "sidebar")


def _remember_fm() -> None:
    if not st.session_state.get("_signed_in"):  # a signed-in FM's name stays in their session (fm_settings)
        remember_fm(st.session_state.get("fm_name"), st.session_state.get("fm_email"))


def sidebar(store: Store, settings: Settings, eid: str) -> EngineChoice:
    sb = st.sidebar
    sb.header("ftdraft")
    default = ENGINES.index(settings.engine) if settings.engine in ENGINES else 2
    choice: EngineChoice = sb.radio(
        "Drafting engine",
        ENGINES,
        index=default,
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
        _show_flash("sidebar")
    pending = st.session_state.get("_confirm_delete")
    with boundary():
        rows = store.list(search)
    if not rows:
        sb.caption("No saved engagements yet." if not search else "No customer matches.")
    for row in rows:
        label = row.customer or "Untitled notes"
        when = row.updated_at.strftime("%b %d")
        c1, c2 = sb.columns([4, 1], vertical_alignment="center")
        c1.button(
            f"{ws.md_escape(label)} · {when}",
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


# ------------------------------------------------------------------ setup


def _setup_from_widgets(eid: str, team: list[Person]) -> Engagement:
    g = st.session_state.get

    def text(name: str) -> str:
        return (g(k(eid, f"setup:{name}")) or "").strip()

    def person(prefix: str, role: str) -> Person | None:
        name, email = text(f"{prefix}_name"), text(f"{prefix}_email")
        return Person(name=name or None, email=email or None, role=role) if (name or email) else None  # type: ignore[arg-type]

    motion = text("motion") or None
    return Engagement(
        customer=text("customer"),
        motion=motion,  # type: ignore[arg-type]
        rfa_id=text("rfa_id") or None,
        rfa_summary=text("rfa_summary") or None,
        health_red_areas=[x.strip() for x in text("red_areas").splitlines() if x.strip()],
        fm=person("fm", "FM"),
        fta=person("fta", "FTA"),
        account_team=team,
        workloads=[w.strip() for w in text("workloads").replace(";", ",").split(",") if w.strip()],
        call_date=g(k(eid, "setup:call_date")),
    )


def _save_setup(store: Store, eid: str, engagement: Engagement) -> None:
    store.save_engagement(eid, engagement)
    rec = store.get(eid)
    if rec and rec.bundle:
        # The drafts follow the setup (the FM's email, the FTA...) without re-reading the notes.
        merged = ws.merge_engagement(engagement, rec.bundle.engagement)
        store.save_bundle(eid, redraft(rec.bundle, engagement=merged, notes=rec.notes, agenda_answers=rec.agenda))


@guarded("setup")
def _on_setup_change(store: Store, eid: str) -> None:
    rec = store.get(eid)
    team = rec.engagement.account_team if rec else []
    _save_setup(store, eid, _setup_from_widgets(eid, team))


def setup_section(store: Store, eid: str, rec: Record) -> None:
    e = rec.engagement
    values: dict[str, Any] = {
        "customer": e.customer,
        "motion": e.motion or "",
        "rfa_id": e.rfa_id or "",
        "rfa_summary": e.rfa_summary or "",
        "red_areas": "\n".join(e.health_red_areas),
        "fm_name": (e.fm.name if e.fm else None) or "",
        "fm_email": (e.fm.email if e.fm else None) or "",
        "fta_name": (e.fta.name if e.fta else None) or "",
        "fta_email": (e.fta.email if e.fta else None) or "",
        "workloads": ", ".join(e.workloads),
        "call_date": e.call_date,
    }
    for name, value in values.items():
        seed(k(eid, f"setup:{name}"), value)
    cb: dict[str, Any] = {"on_change": _on_setup_change, "args": (store, eid)}
    with st.expander("Engagement setup", expanded=not e.customer, icon=":material/badge:"):
        _show_flash("setup")
        c1, c2, c3 = st.columns(3)
        c1.text_input("Customer", key=k(eid, "setup:customer"), **cb)
        c2.selectbox("Motion", MOTIONS, key=k(eid, "setup:motion"), format_func=lambda m: m or "(choose)", **cb)
        c3.date_input("Call date", key=k(eid, "setup:call_date"), value=None, **cb)
        motion = st.session_state.get(k(eid, "setup:motion"))
        if motion == "Health":
            st.text_area("Health red areas (one per line)", key=k(eid, "setup:red_areas"), height=80, **cb)
        else:
            r1, r2 = st.columns([1, 3])
            r1.text_input("RFA id", key=k(eid, "setup:rfa_id"), **cb)
            r2.text_input("RFA summary", key=k(eid, "setup:rfa_summary"), **cb)
        st.text_input("Workloads in scope (comma-separated)", key=k(eid, "setup:workloads"), **cb)
        f1, f2, f3, f4 = st.columns(4)
        f1.text_input("FM name", key=k(eid, "setup:fm_name"), **cb)
        f2.text_input("FM email", key=k(eid, "setup:fm_email"), **cb)
        f3.text_input("FTA name (if aligned)", key=k(eid, "setup:fta_name"), **cb)
        f4.text_input("FTA email", key=k(eid, "setup:fta_email"), **cb)
        team_section(store, eid, rec)


def team_section(store: Store, eid: str, rec: Record) -> None:
    st.markdown("**Account team**")
    base_key = k(eid, "team:base")
    if base_key not in st.session_state:
        st.session_state[base_key] = ws.team_rows(rec.engagement)
    base = pd.DataFrame(st.session_state[base_key], columns=list(ws.TEAM_COLUMNS))
    edited = st.data_editor(
        base,
        key=k(eid, f"team:{rev(eid, 'team')}"),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Name"),
            "role": st.column_config.SelectboxColumn("Role", options=ROLES, default="other"),
            "email": st.column_config.TextColumn("Email"),
        },
    )
    team, problems = ws.rows_to_team(edited.to_dict("records"))
    for p in problems:
        st.warning(ws.md_escape(p))
    if team != rec.engagement.account_team:
        with boundary():
            _save_setup(store, eid, rec.engagement.model_copy(update={"account_team": team}))
            rec.engagement = rec.engagement.model_copy(update={"account_team": team})

    with st.form(k(eid, "roster_form"), border=False):
        st.text_area(
            "Paste a roster",
            key=k(eid, "roster"),
            height=100,
            placeholder="Priya Raman <priya@contoso.com> ATS\nTom Becker (TAM) tom@contoso.com\n"
            "or rows copied from a table (name, role, email)",
        )
        add = st.form_submit_button("Add to the team", key=k(eid, "roster_add"))
    if add:
        parsed = parse_roster(st.session_state.get(k(eid, "roster")) or "")
        # Queued, not drawn: adding people reruns the page so the table shows them.
        if parsed.errors:
            _say("error", "Not added - fix these lines and add again: " + " · ".join(map(str, parsed.errors)), "team")
        notes = [p for p in parsed.problems if not p.skipped]
        if notes:
            _say("warning", "Added, but check: " + " · ".join(map(str, notes)), "team")
        if not parsed.people and not parsed.errors:
            _say(
                "warning",
                "Nothing to add: paste one person per line, e.g. Priya Raman <priya@contoso.com> ATS.",
                "team",
            )
        if parsed.people:
            team = merge_team(rec.engagement.account_team, parsed.people)
            with boundary():
                _save_setup(store, eid, rec.engagement.model_copy(update={"account_team": team}))
                st.session_state[base_key] = ws.team_rows(rec.engagement.model_copy(update={"account_team": team}))
                bump(eid, "team")
                _say("success", f"Added {len(parsed.people)} to the account team.", "team")
        st.rerun()
    _show_flash("team")


def _bullets(lines: Any) -> str:
    return "\n".join(f"- {ws.md_escape(line)}" for line in lines)


# ------------------------------------------------------------------ draft editors (shared by every draft)


@guarded("drafts")
def _on_edit(store: Store, eid: str, part: str, rendered: str | None) -> None:
    key = k(eid, f"draft:{part}")
    value = st.session_state.get(key) or ""
    saved = ws.edit_to_save(part, rendered, value)
    store.set_edit(eid, part, saved)
    st.session_state[key + "#seeded"] = saved if saved is not None else rendered


def part_editors(store: Store, eid: str, draft: Any, name: str, edits: dict[str, str]) -> dict[str, str]:
    """Editable subject/body (etc.) of one draft; returns what the FM sees, part by part."""
    shown: dict[str, str] = {}
    for part in ws.PARTS[name]:
        rendered = ws.draft_part(draft, part.key)
        if rendered is None:
            continue
        value = ws.normalize_edit(part.key, edits[part.key]) if part.key in edits else rendered
        key = k(eid, f"draft:{part.key}")
        seed(key, value)
        cb: dict[str, Any] = {"on_change": _on_edit, "args": (store, eid, part.key, rendered)}
        if part.multiline:
            lines = value.count("\n") + 2
            st.text_area(part.label, key=key, height=max(100, min(520, 24 * lines)), **cb)
        else:
            st.text_input(part.label, key=key, **cb)
        shown[part.key] = value
    if ws.edited_parts(edits, name):
        st.caption(":material/edit: Edited by you - regenerate to discard your edits.")
    return shown


def recipients_line(email: Any) -> None:
    to = "; ".join(r.display for r in email.to) or "(nobody yet: add the account team in the setup)"
    cc = "; ".join(r.display for r in email.cc)
    st.text(f"To: {to}" + (f"\nCc: {cc}" if cc else ""))


def copy_block(label: str, text: str) -> None:
    with st.expander(f"Copy: {label}", icon=":material/content_copy:"):
        st.code(text, language=None, wrap_lines=True)


def checks_for(bundle: DraftBundle, name: str) -> None:
    findings: list[Check] = [c for c in bundle.checks if c.draft == name]
    for c in findings:
        message = f"{c.rule}: \u201c{c.text}\u201d" + (f" - {c.suggestion}" if c.suggestion else "")
        {"error": st.error, "warning": st.warning}.get(c.severity, st.info)(ws.md_escape(message))


# ------------------------------------------------------------------ before the call


@guarded("prep")
def _on_tick(store: Store, eid: str, item: str, key: str) -> None:
    store.set_tick(eid, item, bool(st.session_state.get(key)))


def precall_section(store: Store, eid: str, rec: Record) -> None:
    prep, invite = ws.precall_drafts(rec.engagement, rec.bundle)
    left, right = st.columns([1, 2], gap="large")
    with left:
        st.subheader("Prep checklist")
        _show_flash("prep")
        if not prep.items:
            st.caption("Choose the motion in the setup to see its checklist.")
        for i, item in enumerate(prep.items):
            key = k(eid, f"prep:{i}")
            seed(key, rec.ticks.get(ws.tick_key(item.text), False))
            # checkbox labels render markdown: note text (the customer's name in a title) must stay inert
            st.checkbox(
                ws.md_escape(item.text), key=key, on_change=_on_tick, args=(store, eid, ws.tick_key(item.text), key)
            )
    with right:
        st.subheader("Internal invite")
        edits = rec.edits
        shown_draft = ws.apply_edits_to("internal_invite", invite, edits)
        recipients_line(shown_draft.email)
        part_editors(store, eid, invite, "internal_invite", edits)
        _downloads_email_invite(rec, "internal-invite", shown_draft.email, shown_draft.invite, "internal_invite")
        copy_block("invite email body", shown_draft.email.body)


def _downloads_email_invite(rec: Record, what: str, email: Any, invite: Any, key: str) -> None:
    from ftdraft.export import email_to_eml, invite_to_ics

    customer = rec.engagement.customer or (rec.bundle.engagement.customer if rec.bundle else "")
    cols = st.columns(3)
    files: tuple[tuple[Any, Callable[[Any], bytes], str, str, str], ...] = (
        (email, email_to_eml, "eml", "message/rfc822", ":material/mail:"),
        (invite, invite_to_ics, "ics", "text/calendar", ":material/event:"),
    )
    for col, (part, to_file, ext, mime, icon) in zip(cols, files, strict=False):
        if part is not None:
            col.download_button(
                f"Download .{ext}",
                to_file(part),
                file_name=ws.filename(customer, what, ext),
                mime=mime,
                key=k(rec.id, f"dl:{key}:{ext}"),
                on_click="ignore",
                icon=icon,
            )


# ------------------------------------------------------------------ notes and facts


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
        _say("info", f"Added {upload.name} below your notes; remove what you don't need.", "notes")


def run_draft(store: Store, settings: Settings, rec: Record, choice: EngineChoice) -> None:
    eid = rec.id
    notes = st.session_state.get(k(eid, "notes")) or ""
    store.save_notes(eid, notes)  # saved before any drafting call, whatever happens next
    check_notes(notes, settings.max_notes_bytes)
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
    store.save_bundle(eid, bundle)
    filled = ws.fill_setup(rec.engagement, bundle.engagement)
    if filled != rec.engagement:
        store.save_engagement(eid, filled)
        st.session_state.pop(k(eid, "team:base"), None)
        bump(eid, "team")
    bump(eid, "facts")
    _say(
        "success", f"Drafted in {time.perf_counter() - started:.1f} s. Check the facts, then the drafts below.", "notes"
    )
    st.rerun()  # every section, setup included, now shows what the draft filled in


def notes_section(store: Store, settings: Settings, rec: Record, choice: EngineChoice, can_draft: bool) -> Record:
    eid = rec.id
    seed(k(eid, "notes"), rec.notes)
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Call notes")
        _show_flash("notes")
        st.text_area(
            "Paste your account-team call notes",
            key=k(eid, "notes"),
            height=460,
            on_change=_on_notes,
            args=(store, eid),
            placeholder="Attendees: Priya Raman (ATS), Tom Becker (TAM), me (FM)\n- Licenses: ...\n"
            "Actions\n- Priya to send intro email by Friday",
        )
        up_key = k(eid, "upload")
        st.file_uploader(
            "...or upload a .txt / .md file",
            type=["txt", "md"],
            key=up_key,
            on_change=_on_upload,
            args=(store, eid, up_key, settings.max_notes_bytes),
        )
        label = "Draft again from the notes" if rec.bundle else "Draft"
        clicked = st.button(
            label, type="primary", key=k(eid, "draft"), icon=":material/auto_awesome:", disabled=not can_draft
        )
        if rec.bundle:
            st.caption("Drafting again re-reads the notes: table edits are replaced, typed agenda answers are kept.")
        if clicked:
            with boundary():
                run_draft(store, settings, rec, choice)
    with right:
        st.subheader("What the call covered")
        if rec.bundle is None:
            st.info("Draft to see the agenda answers a-n, attendees, action items and intents here, ready to correct.")
        else:
            with st.container(height=760, border=False):  # scrolls beside the notes instead of stretching the page
                facts_form(store, rec)
    return rec


def _editor(rows: list[dict[str, Any]], columns: tuple[str, ...], key: str, config: dict[str, Any]) -> pd.DataFrame:
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
    _show_flash("facts")
    with st.form(k(eid, f"facts_form:{r}"), border=False):
        st.markdown("**Agenda answers**")
        answers: dict[str, str] = {}
        for row in ws.agenda_rows(facts, motion):
            key = k(eid, f"facts{r}:agenda:{row.item}")
            seed(key, (row.answer or "") if row.answered else "")
            answers[row.item] = st.text_area(f"{row.item}. {row.title}", key=key, height=68) or ""
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
            store.save_bundle(eid, redraft(bundle, facts=new_facts, notes=rec.notes, agenda_answers=typed))
            for m in messages:
                _say("warning", m, "facts")
            _say("success", "Facts saved; the drafts now use them.", "facts")
            bump(eid, "facts")
            st.rerun()


# ------------------------------------------------------------------ drafts after the call


@guarded("drafts")
def _on_regenerate(store: Store, eid: str, name: str) -> None:
    rec = store.get(eid)
    if rec is None or rec.bundle is None:
        return
    store.save_bundle(eid, ws.regenerate(rec.bundle, name, notes=rec.notes, agenda_answers=rec.agenda))
    store.clear_edits(eid, [p.key for p in ws.PARTS.get(name, ())])
    _say("success", f"{ws.DRAFT_TITLES[name]} regenerated from the current facts; other drafts untouched.", "drafts")


def drafts_section(store: Store, rec: Record) -> None:
    from ftdraft.export import bundle_to_markdown, ftop_text, token_summary

    bundle = rec.bundle
    st.header("Drafts")
    if bundle is None:
        st.info(
            "Paste the call notes and press Draft: the intro request, follow-up, FTOP entry and sync invite show here."
        )
        return
    eid, edits = rec.id, rec.edits
    _show_flash("drafts")
    if bundle.tokens is not None:
        st.caption(ws.md_escape(f"Model tokens for these drafts: {token_summary(bundle.tokens)}."))
    shown = ws.effective_bundle(bundle, edits)
    todo = ws.attention(bundle.facts)
    if todo:
        st.warning("**Needs attention before you send**\n\n" + _bullets(todo), icon=":material/flag:")
    names = [n for n in AFTER_CALL if getattr(bundle.drafts, n) is not None]
    tabs = st.tabs([ws.DRAFT_TITLES[n] + (" *" if ws.edited_parts(edits, n) else "") for n in names])
    for name, tab in zip(names, tabs, strict=True):
        with tab:
            st.caption(ws.md_escape(ws.provenance_label(bundle.provenance.get(name))))
            checks_for(bundle, name)
            draft = getattr(bundle.drafts, name)
            draft_shown = getattr(shown.drafts, name)
            if name == "ftop":
                part_editors(store, eid, draft, name, edits)
                c1, c2, _ = st.columns(3)
                customer = shown.engagement.customer
                c1.download_button(
                    "Download .txt",
                    ftop_text(shown).encode("utf-8"),
                    file_name=ws.filename(customer, "ftop", "txt"),
                    mime="text/plain",
                    key=k(eid, "dl:ftop:txt"),
                    on_click="ignore",
                    icon=":material/description:",
                )
                c2.download_button(
                    "Download all drafts (.md)",
                    bundle_to_markdown(shown).encode("utf-8"),
                    file_name=ws.filename(customer, "drafts", "md"),
                    mime="text/markdown",
                    key=k(eid, "dl:all:md"),
                    on_click="ignore",
                    icon=":material/download:",
                )
                copy_block("FTOP entry", draft_shown.text)
            else:
                email = ws.email_of(draft_shown)
                recipients_line(email)
                part_editors(store, eid, draft, name, edits)
                invite = getattr(draft_shown, "invite", None)
                _downloads_email_invite(rec, name.replace("_", "-"), email, invite, name)
                copy_block("email body", email.body)
                if name == "intro_request":
                    copy_block("customer blurb", draft_shown.customer_blurb)
            st.button(
                f"Regenerate {ws.DRAFT_TITLES[name].lower()}",
                key=k(eid, f"regen:{name}"),
                on_click=_on_regenerate,
                args=(store, eid, name),
                icon=":material/refresh:",
                help="Re-write this draft from the current facts. Your edits to it are discarded; "
                "other drafts keep theirs.",
            )


# ------------------------------------------------------------------ page


def main() -> None:
    # fresh each run: cheap, and .env / environment changes apply without a restart; the FM from the sidebar
    settings = Settings()
    user = require_user(settings)  # the sign-in gate (ui/signin.py): LOCAL_USER when no sign-in is set up
    st.session_state["_signed_in"] = user.signed_in
    settings = fm_settings(settings, user) if user.signed_in else with_remembered_fm(settings)
    store = get_store(settings.resolved_database_url()).for_owner(user.key)  # only this FM's engagements
    eid = open_engagement(store)
    choice = sidebar(store, settings, eid)
    rec = store.get(eid)
    if rec is None:
        st.warning("This engagement was just deleted. Start a new one from the sidebar.")
        return
    st.title("ftdraft")
    label, ok = ws.engine_label(settings, choice)
    if ok:
        st.info(ws.md_escape(label), icon=":material/memory:")
    else:
        st.warning(ws.md_escape(label), icon=":material/key_off:")
    _show_flash("top")
    for problem in rec.problems:
        st.warning(ws.md_escape(problem))
    setup_section(store, eid, rec)
    with st.expander(
        "Before the call: prep and internal invite", expanded=rec.bundle is None, icon=":material/checklist:"
    ):
        precall_section(store, eid, rec)
    rec = notes_section(store, settings, rec, choice, ok)
    drafts_section(store, rec)


def run() -> None:
    """One run of the page (Streamlit calls the entry script once per interaction)."""
    st.set_page_config(page_title="ftdraft", page_icon=":material/edit_note:", layout="wide")
    with boundary():
        main()
