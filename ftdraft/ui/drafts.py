"""The drafts after the call: one tab per draft, editable, with checks, copy buttons, downloads, Regenerate."""

from __future__ import annotations

import streamlit as st

from ftdraft import workspace as ws
from ftdraft.store import Record, Store
from ftdraft.ui.common import AFTER_CALL, bullets, guarded, k, say, show_flash
from ftdraft.ui.editors import checks_for, copy_block, downloads, part_editors, recipients_line


@guarded("drafts")
def _on_regenerate(store: Store, eid: str, name: str) -> None:
    rec = store.get(eid)
    if rec is None or rec.bundle is None:
        return
    store.save_bundle(eid, ws.regenerate(rec.bundle, name, notes=rec.notes, agenda_answers=rec.agenda))
    store.clear_edits(eid, [p.key for p in ws.PARTS.get(name, ())])
    say("success", f"{ws.DRAFT_TITLES[name]} regenerated from the current facts; other drafts untouched.", "drafts")


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
    show_flash("drafts")
    if bundle.tokens is not None:
        st.caption(ws.md_escape(f"Model tokens for these drafts: {token_summary(bundle.tokens)}."))
    shown = ws.effective_bundle(bundle, edits)
    todo = ws.attention(bundle.facts)
    if todo:
        st.warning("**Needs attention before you send**\n\n" + bullets(todo), icon=":material/flag:")
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
                downloads(rec, name.replace("_", "-"), email, invite, name)
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
