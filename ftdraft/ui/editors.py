"""The draft editors every draft shares (prep invite and after-call drafts): editable parts saved as the
FM types, recipients, copy buttons, guardrail findings and .eml/.ics downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ftdraft import workspace as ws
from ftdraft.schemas import Check, DraftBundle
from ftdraft.store import Record, Store
from ftdraft.ui.common import guarded, k, seed


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
    """The text in a code box whose copy button sits at its top right: nothing to open first (issue 13)."""
    st.caption(f"Copy: {label} (button at the box's top right)")
    st.code(text, language=None, wrap_lines=True, height=min(160, 24 * (text.count(chr(10)) + 2)))


def checks_for(bundle: DraftBundle, name: str) -> None:
    findings: list[Check] = [c for c in bundle.checks if c.draft == name]
    for c in findings:
        message = f"{c.rule}: \u201c{c.text}\u201d" + (f" - {c.suggestion}" if c.suggestion else "")
        {"error": st.error, "warning": st.warning}.get(c.severity, st.info)(ws.md_escape(message))


def downloads(rec: Record, what: str, email: Any, invite: Any, key: str) -> None:
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
