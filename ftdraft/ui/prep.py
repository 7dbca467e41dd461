"""Before the call: the motion's prep checklist (ticks saved) and the internal invite."""

from __future__ import annotations

import streamlit as st

from ftdraft import workspace as ws
from ftdraft.store import Record, Store
from ftdraft.ui.common import guarded, k, seed, show_flash
from ftdraft.ui.editors import downloads, part_editors, recipients_line


@guarded("prep")
def _on_tick(store: Store, eid: str, item: str, key: str) -> None:
    store.set_tick(eid, item, bool(st.session_state.get(key)))


def precall_section(store: Store, eid: str, rec: Record) -> None:
    prep, invite = ws.precall_drafts(rec.engagement, rec.bundle)
    left, right = st.columns([1, 2], gap="large")
    with left:
        st.subheader("Prep Checklist")
        show_flash("prep")
        if not prep.items:
            st.caption("Choose the motion in the setup to see its checklist.")
        for i, item in enumerate(prep.items):
            key = k(eid, f"prep:{i}")
            seed(key, rec.ticks.get(ws.tick_key(item.text), False))
            # checkbox labels render markdown: note text (the customer's name in a title) must stay inert
            st.checkbox(
                ws.md_escape(item.text),
                key=key,
                on_change=_on_tick,
                args=(store, eid, ws.tick_key(item.text), key),
                width="stretch",
                wrap=True,  # the full item, on as many lines as it needs (issue 13: items were cut off)
            )
    with right:
        st.subheader("Internal Invite")
        edits = rec.edits
        shown_draft = ws.apply_edits_to("internal_invite", invite, edits)
        recipients_line(shown_draft.email)
        part_editors(store, eid, invite, "internal_invite", edits)
        copy = ("invite email body", shown_draft.email.body, k(eid, "copy:internal_invite:body"))
        downloads(rec, "internal-invite", shown_draft.email, shown_draft.invite, "internal_invite", [copy])
