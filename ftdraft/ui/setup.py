"""Engagement setup: customer, motion, call date, RFA/Health details, workloads, FM/FTA and the account team
(table and pasted roster). Saved on change; the drafts follow without re-reading the notes."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ftdraft import workspace as ws
from ftdraft.pipeline import redraft
from ftdraft.roster import merge_team, parse_roster
from ftdraft.schemas import Engagement, Person
from ftdraft.store import Record, Store
from ftdraft.ui.common import MOTIONS, ROLES, boundary, bump, guarded, k, rev, save_redraft, say, seed, show_flash


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


def save_setup(store: Store, eid: str, engagement: Engagement) -> None:
    store.save_engagement(eid, engagement)
    rec = store.get(eid)
    if rec and rec.bundle:
        # The drafts follow the setup (the FM's email, the FTA...) without re-reading the notes.
        merged = ws.merge_engagement(engagement, rec.bundle.engagement)
        fresh = redraft(rec.bundle, engagement=merged, notes=rec.notes, agenda_answers=rec.agenda)
        save_redraft(store, eid, rec.bundle, fresh, rec.edits)


@guarded("setup")
def _on_setup_change(store: Store, eid: str) -> None:
    rec = store.get(eid)
    team = rec.engagement.account_team if rec else []
    save_setup(store, eid, _setup_from_widgets(eid, team))


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
    # The same `expanded` on every run, so Streamlit keeps it open (or closed) as the FM left it: it no longer
    # collapses the moment the customer is typed (issue 13).
    opened = st.session_state.setdefault(k(eid, "setup:open"), not e.customer)
    with st.expander("Engagement setup", expanded=opened, icon=":material/badge:"):
        show_flash("setup")
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
    if not st.session_state[base_key]:
        # Nobody yet: no empty table (a table needs pandas and the browser's data grid, ~1 s of the first page);
        # the roster box below takes typed lines as well as pasted ones, and the table shows once someone is in.
        st.caption(
            "Nobody yet: type or paste one person per line below, then add them. The team then shows here "
            "as a table you can edit."
        )
    else:
        _team_table(store, eid, rec, st.session_state[base_key])
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
            say("error", "Not added - fix these lines and add again: " + " · ".join(map(str, parsed.errors)), "team")
        notes = [p for p in parsed.problems if not p.skipped]
        if notes:
            say("warning", "Added, but check: " + " · ".join(map(str, notes)), "team")
        if not parsed.people and not parsed.errors:
            say(
                "warning",
                "Nothing to add: paste one person per line, e.g. Priya Raman <priya@contoso.com> ATS.",
                "team",
            )
        if parsed.people:
            team = merge_team(rec.engagement.account_team, parsed.people)
            with boundary():
                save_setup(store, eid, rec.engagement.model_copy(update={"account_team": team}))
                st.session_state[base_key] = ws.team_rows(rec.engagement.model_copy(update={"account_team": team}))
                bump(eid, "team")
                say("success", roster_message(rec.engagement.account_team, team), "team")
        st.rerun()
    show_flash("team")


def _team_table(store: Store, eid: str, rec: Record, rows: list[dict[str, Any]]) -> None:
    """The account team as an editable table; a change the FM makes is saved (and the drafts follow)."""
    import pandas as pd  # only here and in the facts tables: the first page of a new engagement needs neither

    edited = st.data_editor(
        pd.DataFrame(rows, columns=list(ws.TEAM_COLUMNS)),
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
    saved = rec.engagement.account_team
    # Compared as the table shows them: people filled in from the notes carry sources and titles the table does
    # not, and comparing those made every run after a draft save the team and re-draft (~0.3 s) for nothing.
    if team != ws.rows_to_team(ws.team_rows(rec.engagement))[0]:
        as_shown = {(p.name, p.role, p.email): p for p in saved}
        team = [as_shown.get((p.name, p.role, p.email), p) for p in team]  # unchanged people keep their sources
        with boundary():
            save_setup(store, eid, rec.engagement.model_copy(update={"account_team": team}))
            rec.engagement = rec.engagement.model_copy(update={"account_team": team})


def roster_message(before: list[Person], after: list[Person]) -> str:
    """What adding a roster did, honestly: "Added 2 to the account team." only when 2 were new."""
    added = max(0, len(after) - len(before))
    updated = sum(1 for p in before if p not in after)
    if not added and not updated:
        return "Nobody new: everyone pasted is already in the account team."
    parts = [f"Added {added} to the account team"] if added else []
    if updated:
        parts.append(f"updated {updated} already in it")
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]
