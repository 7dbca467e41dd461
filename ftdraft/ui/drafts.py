"""The drafts after the call: one tab per draft (always all of them; an empty one says why and offers to draft
it anyway), editable, with what the facts changed in a draft the FM edited, checks recomputed on the drafts as
they will be sent, copy buttons, downloads, provenance and tokens per draft, and Regenerate (through the model
when one is configured: that draft only, the follow-up streamed)."""

from __future__ import annotations

import time

import streamlit as st

from ftdraft import workspace as ws
from ftdraft.config import EngineChoice, Settings
from ftdraft.errors import FtdraftError
from ftdraft.schemas import Check, DraftBundle, Fact, Provenance
from ftdraft.store import Record, Store
from ftdraft.ui.common import AFTER_CALL, boundary, bullets, forget_stale, guarded, k, say, show_flash, uses_model
from ftdraft.ui.editors import checks_for, copy_block, downloads, part_editors, recipients_line

WHY_EMPTY = {
    "teams_channel": "The notes do not mention a dedicated Teams channel, so no ask was drafted.",
}
ASKED = Fact(text="The FM asked for a dedicated Teams channel.", sources=[ws.FORM])


@guarded("drafts")
def _on_regenerate(store: Store, eid: str, name: str) -> None:
    rec = store.get(eid)
    if rec is None or rec.bundle is None:
        return
    store.save_bundle(eid, ws.regenerate(rec.bundle, name, notes=rec.notes, agenda_answers=rec.agenda))
    store.clear_edits(eid, [p.key for p in ws.PARTS.get(name, ())])
    forget_stale(eid, [name])
    say("success", f"{ws.DRAFT_TITLES[name]} regenerated from the current facts; other drafts untouched.", "drafts")


@guarded("drafts")
def _on_draft_anyway(store: Store, eid: str, name: str) -> None:
    rec = store.get(eid)
    if rec is None or rec.bundle is None:
        return
    facts = rec.bundle.facts.model_copy(update={"teams_channel": ASKED})
    bundle = rec.bundle.model_copy(update={"facts": facts})
    store.save_bundle(eid, ws.regenerate(bundle, name, notes=rec.notes, agenda_answers=rec.agenda))
    say("success", f"{ws.DRAFT_TITLES[name]} drafted; edit it before you send it.", "drafts")


def regenerate_with_model(store: Store, settings: Settings, rec: Record, names: list[str]) -> None:
    """Re-write `names` through the model from the current facts (the follow-up streamed on the page), keep
    the FM's edits to every other draft, each part falling back to its template on its own."""
    from ftdraft.pipeline import redraft_with_model

    assert rec.bundle is not None
    started = time.perf_counter()
    with st.status(f"Rewriting {', '.join(ws.DRAFT_TITLES[n] for n in names)} with the model...", expanded=True) as s:
        stream = st.empty()
        tokens: list[str] = []

        def on_token(token: str) -> None:
            tokens.append(token)
            stream.text("".join(tokens))

        try:
            bundle = redraft_with_model(
                rec.bundle,
                names,
                settings=settings,
                notes=rec.notes,
                agenda_answers=rec.agenda,
                on_follow_up_token=on_token,
            )
        except FtdraftError:
            s.update(label="Rewriting failed", state="error")
            raise
        stream.empty()
        s.update(label="Rewritten", state="complete", expanded=False)
    store.save_bundle(rec.id, bundle)
    store.clear_edits(rec.id, [p.key for n in names for p in ws.PARTS.get(n, ())])
    forget_stale(rec.id, names)
    fell = [ws.DRAFT_TITLES[n] for n in names if bundle.provenance.get(n) and bundle.provenance[n].engine != "llm"]
    note = f" Fell back to the templates: {', '.join(fell)} (see each tab)." if fell else ""
    say(
        "success",
        f"Rewritten with the model in {time.perf_counter() - started:.1f} s; other drafts untouched.{note}",
        "drafts",
    )
    st.rerun()


def _current_checks(rec: Record, bundle: DraftBundle) -> list[Check]:
    """Checks on the drafts as the FM will send them; computed once per (bundle, edits)."""
    mark = (bundle.generated_at.isoformat(), len(bundle.checks), tuple(sorted(rec.edits.items())))
    cache = st.session_state.get(k(rec.id, "checks"))
    if cache and cache[0] == mark:
        return cache[1]
    checks = ws.current_checks(bundle, rec.edits, rec.notes, rec.agenda)
    st.session_state[k(rec.id, "checks")] = (mark, checks)
    return checks


def _needs_attention(bundle: DraftBundle) -> list[str]:
    todo = ws.attention(bundle.facts)
    # every flag of the bundle (an assumed year, unknown FM, missing emails...); per-action flags are in `todo`
    todo += [f.message for f in bundle.facts.flags if not f.field.startswith("action_items[")]
    return list(dict.fromkeys(todo))


def _stale_notice(store: Store, eid: str, name: str) -> None:
    lines = st.session_state.get(k(eid, "stale"), {}).get(name)
    if not lines:
        return
    st.warning(
        "**You edited this draft by hand and the facts changed since.** Your text is kept as you wrote it; "
        "the facts now give these lines (- before, + now). Regenerate to use them (your edits to this draft "
        "are discarded), or edit them in yourself.\n\n" + bullets(lines[:20]),
        icon=":material/sync_problem:",
    )


def drafts_section(store: Store, settings: Settings, rec: Record, choice: EngineChoice) -> None:
    from ftdraft.export import bundle_to_markdown, token_summary

    bundle = rec.bundle
    st.header("Drafts")
    if bundle is None:
        st.info(
            "Paste the call notes and press Draft: the intro request, follow-up, FTOP entry and sync invite show here."
        )
        return
    eid, edits = rec.id, rec.edits
    show_flash("drafts")
    model = uses_model(settings, choice)
    if bundle.tokens is not None:
        st.caption(ws.md_escape(f"Model tokens for these drafts: {token_summary(bundle.tokens)}."))
    checks = _current_checks(rec, bundle)
    shown = ws.effective_bundle(bundle, edits).model_copy(update={"checks": checks})
    todo = _needs_attention(bundle)
    if todo:
        st.warning("**Needs attention before you send**\n\n" + bullets(todo), icon=":material/flag:")
    present = [n for n in AFTER_CALL if getattr(bundle.drafts, n) is not None]
    offline = [n for n in present if (bundle.provenance.get(n) or Provenance()).engine != "llm"]
    # after a fact correction the drafts are re-rendered by the templates: offer the model for all of them
    rewrite = (
        model
        and offline
        and st.button(
            "Rewrite with the model",
            key=k(eid, "rewrite_all"),
            icon=":material/auto_awesome:",
            help="Every draft re-written by the model from the current facts; your edits to them are discarded.",
        )
    )
    if rewrite:
        with boundary():
            regenerate_with_model(store, settings, rec, present)
    names = list(AFTER_CALL)
    titles = [
        ws.DRAFT_TITLES[n]
        + (" *" if ws.edited_parts(edits, n) else "")
        + ("" if getattr(bundle.drafts, n) else " (none)")
        for n in names
    ]
    for name, tab in zip(names, st.tabs(titles), strict=True):
        with tab:
            _draft_tab(store, settings, rec, shown, name, model)
    st.download_button(
        "Download all drafts (.md)",
        lambda: bundle_to_markdown(shown).encode("utf-8"),  # built on click (deferred), not on every run
        file_name=ws.filename(shown.engagement.customer, "drafts", "md"),
        mime="text/markdown",
        key=k(eid, "dl:all:md"),
        on_click="ignore",
        icon=":material/download:",
    )


def _draft_tab(store: Store, settings: Settings, rec: Record, shown: DraftBundle, name: str, model: bool) -> None:
    from ftdraft.export import ftop_text, token_summary

    bundle = rec.bundle
    assert bundle is not None
    eid, edits = rec.id, rec.edits
    draft = getattr(bundle.drafts, name)
    if draft is None:
        st.info(WHY_EMPTY.get(name, "The notes gave nothing to draft this from."), icon=":material/info:")
        st.button(
            f"Draft the {ws.DRAFT_TITLES[name]} anyway",
            key=k(eid, f"anyway:{name}"),
            on_click=_on_draft_anyway,
            args=(store, eid, name),
            icon=":material/add:",
        )
        return
    p = bundle.provenance.get(name)
    label = ws.provenance_label(p)
    if p is not None and p.usage is not None:
        label += f" Tokens: {token_summary(p.usage)}."
    st.caption(ws.md_escape(label))
    _stale_notice(store, eid, name)
    checks_for(shown, name)
    draft_shown = getattr(shown.drafts, name)
    if name == "ftop":
        part_editors(store, eid, draft, name, edits)
        with st.container(horizontal=True, gap="small"):
            st.download_button(
                "Download .txt",
                lambda: ftop_text(shown).encode("utf-8"),
                file_name=ws.filename(shown.engagement.customer, "ftop", "txt"),
                mime="text/plain",
                key=k(eid, "dl:ftop:txt"),
                on_click="ignore",
                icon=":material/description:",
            )
            copy_block("FTOP entry", draft_shown.text, k(eid, "copy:ftop"))
    else:
        email = ws.email_of(draft_shown)
        recipients_line(email)
        part_editors(store, eid, draft, name, edits)
        invite = getattr(draft_shown, "invite", None)
        copies = [("email body", email.body, k(eid, f"copy:{name}:body"))]
        if name == "intro_request":
            copies.append(("customer blurb", draft_shown.customer_blurb, k(eid, "copy:blurb")))
        downloads(rec, name.replace("_", "-"), email, invite, name, copies)
    title = ws.DRAFT_TITLES[name]
    help_text = "Your edits to it are discarded; other drafts keep theirs."
    if model:
        if st.button(
            f"Regenerate {title} with the model",
            key=k(eid, f"regen:{name}"),
            icon=":material/refresh:",
            help="Ask the model for this draft only, from the current facts. " + help_text,
        ):
            with boundary():
                regenerate_with_model(store, settings, rec, [name])
    else:
        st.button(
            f"Regenerate {title}",
            key=k(eid, f"regen:{name}"),
            on_click=_on_regenerate,
            args=(store, eid, name),
            icon=":material/refresh:",
            help="Re-write this draft from the current facts. " + help_text,
        )
