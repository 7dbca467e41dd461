"""The draft editors every draft shares (prep invite and after-call drafts): editable parts saved as the
FM types, recipients, copy buttons, guardrail findings and .eml/.ics downloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
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


# A copy button of our own (issue 13: visible on each draft without opening or hovering anything). It replaces
# st.code's copy icon: st.code made the browser load and parse Streamlit's 1.5 MB syntax highlighter before the
# page was usable. The text travels as component data and only ever reaches the clipboard (never the DOM as HTML).
# Constant code (never user or model text); clipboard API where the page is a secure context (https, localhost),
# else the older execCommand("copy") on a hidden textarea.
COPY_JS = """
export default function (component) {
  const { data, parentElement } = component;
  const button = parentElement.querySelector("button");
  button.textContent = data.label;
  button.title = data.help;
  button.onclick = async () => {
    let done = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(data.text);
        done = true;
      }
    } catch (e) {}
    if (!done) {
      const area = document.createElement("textarea");
      area.value = data.text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      done = document.execCommand("copy");
      area.remove();
    }
    button.textContent = done ? "Copied" : "Copy failed: select the text and press Ctrl+C";
    setTimeout(() => { button.textContent = data.label; }, 1500);
  };
}
"""
COPY_CSS = """
button {
  font-family: var(--st-font); font-size: 0.875rem; line-height: 1.6; color: var(--st-text-color);
  background: var(--st-background-color); border: 1px solid var(--st-border-color);
  border-radius: var(--st-base-radius, 0.5rem); padding: 0.25rem 0.75rem; min-height: 2.25rem; cursor: pointer;
}
button:hover { border-color: var(--st-primary-color); color: var(--st-primary-color); }
"""
_copy_button = st.components.v2.component(
    "ftdraft_copy", html="<button type='button'></button>", css=COPY_CSS, js=COPY_JS
)


def copy_block(label: str, text: str, key: str) -> None:
    """A "Copy <label>" button that puts `text` on the clipboard; `key` is unique on the page."""
    _copy_button(
        data={"text": text, "label": f"Copy {label}", "help": f"Copy the {label} as shown above, ready to paste"},
        key=key,
        width="content",
    )


def checks_for(bundle: DraftBundle, name: str) -> None:
    findings: list[Check] = [c for c in bundle.checks if c.draft == name]
    for c in findings:
        message = f"{c.rule}: \u201c{c.text}\u201d" + (f" - {c.suggestion}" if c.suggestion else "")
        {"error": st.error, "warning": st.warning}.get(c.severity, st.info)(ws.md_escape(message))


def downloads(
    rec: Record, what: str, email: Any, invite: Any, key: str, copies: Sequence[tuple[str, str, str]] = ()
) -> None:
    """One row: the .eml / .ics download buttons, then the copy buttons (`copies`: label, text, widget key).
    The files are built when the FM clicks (Streamlit's deferred download data), not on every run of the page:
    the page shows sooner and never imports icalendar until an .ics is wanted. A row (one flex container) rather
    than columns: three column blocks per draft were a fifth of the drafts page's elements."""
    from ftdraft import export

    customer = rec.engagement.customer or (rec.bundle.engagement.customer if rec.bundle else "")
    files: tuple[tuple[Any, Callable[[Any], bytes], str, str, str], ...] = (
        (email, export.email_to_eml, "eml", "message/rfc822", ":material/mail:"),
        (invite, export.invite_to_ics, "ics", "text/calendar", ":material/event:"),
    )
    with st.container(horizontal=True, gap="small"):
        for part, to_file, ext, mime, icon in files:
            if part is not None:
                st.download_button(
                    f"Download .{ext}",
                    partial(to_file, part),
                    file_name=ws.filename(customer, what, ext),
                    mime=mime,
                    key=k(rec.id, f"dl:{key}:{ext}"),
                    on_click="ignore",
                    icon=icon,
                )
        for label, text, copy_key in copies:
            copy_block(label, text, copy_key)
