"""The Streamlit page, driven by AppTest, offline and on a tmp SQLite file: what the FM sees and keeps."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from app_support import draft_notes, engagement_id, open_app

from ftdraft.store import Store

ROOT = Path(__file__).resolve().parent.parent
CONTOSO = (ROOT / "examples" / "rfa-contoso-pharma.md").read_text(encoding="utf-8")


def plain(text: str) -> str:
    """Markdown-escaped page text back to what the FM reads."""
    return re.sub(r"\\(.)", r"\1", text)


def seen(elements) -> list[str]:  # type: ignore[no-untyped-def]
    return [plain(e.value) for e in elements]


def by_suffix(widgets, suffix: str):  # type: ignore[no-untyped-def]
    found = [w for w in widgets if w.key and w.key.endswith(suffix)]
    assert len(found) == 1, f"expected one widget ending in {suffix!r}, got {[w.key for w in widgets]}"
    return found[0]


def test_whole_flow_offline_survives_a_restart(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    assert any("offline templates" in m for m in seen(at.info)), "the page says which engine drafts"

    # Setup: customer, motion, FM, and the account team pasted as a roster.
    at.text_input(key=f"{eid}:setup:customer").input("Contoso Pharma").run()
    at.selectbox(key=f"{eid}:setup:motion").select("RFA").run()
    at.text_input(key=f"{eid}:setup:fm_name").input("Alex Morgan").run()
    at.text_area(key=f"{eid}:roster").input(
        "Priya Raman <priya.raman@contoso.com> ATS\nTom Becker (TAM) tom.becker@contoso.com\n"
    )
    at.button(key=f"{eid}:roster_add").click().run()
    assert not at.exception and not at.error
    team = at.data_editor(key=f"{eid}:team:1").value
    assert list(team["name"]) == ["Priya Raman", "Tom Becker"] and list(team["role"]) == ["ATS", "TAM"]

    # Prep: tick the first item of the RFA checklist.
    ticks = [c for c in at.checkbox if c.key.startswith(f"{eid}:prep:")]
    assert ticks, "the RFA prep checklist is shown"
    ticked_label = ticks[0].label
    ticks[0].check().run()

    # Notes, then Draft.
    draft_notes(at, eid, CONTOSO)
    assert any("Drafted in" in m for m in seen(at.success))
    follow_up = at.text_area(key=f"{eid}:draft:follow_up.body").value
    assert "Priya" in follow_up and "Next steps" in follow_up
    ftop_key = f"{eid}:draft:ftop.text"
    assert "Contoso Pharma" in at.text_area(key=ftop_key).value
    attention = " ".join(seen(at.warning))
    assert "Needs attention" in attention and "Open:" in attention  # open items stand out

    # Each agenda answer shows the note line it came from.
    captions = " ".join(seen(at.caption))
    assert "Source: line 6: - Licenses: 6,500 M365 E3" in captions

    # Correct the facts: answer agenda item d, and give the intro email to someone else.
    by_suffix(at.text_area, ":agenda:d").input("Hybrid AD, three data centres, Okta for SSO")
    actions = by_suffix(at.data_editor, ":actions")
    row = next(i for i, a in enumerate(actions.value["action"]) if "intro email" in a)
    at.session_state[actions.key] = {
        "edited_rows": {row: {"owner": "Dana Lopez"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key=f"{eid}:save_facts").click().run()
    assert not at.exception
    assert any("Facts saved" in m for m in seen(at.success))
    follow_up = at.text_area(key=f"{eid}:draft:follow_up.body").value
    assert "Hybrid AD, three data centres, Okta for SSO" in follow_up
    assert re.search(r"Dana Lopez\W+send intro email", follow_up), follow_up
    assert "Ask for background on the customer's environment" not in follow_up  # answered: no longer open
    assert "Hybrid AD" in by_suffix(at.text_area, ":agenda:d").value

    # Edit the FTOP entry and the intro body, then regenerate the intro request alone.
    ftop_edit = at.text_area(key=ftop_key).value + "\nFM note: call Priya before Friday."
    at.text_area(key=ftop_key).input(ftop_edit).run()
    intro_key = f"{eid}:draft:intro_request.email.body"
    intro_rendered = at.text_area(key=intro_key).value
    at.text_area(key=intro_key).input("scrap this").run()
    assert at.text_area(key=intro_key).value == "scrap this"
    at.button(key=f"{eid}:regen:intro_request").click().run()
    assert not at.exception
    assert at.text_area(key=intro_key).value == intro_rendered
    assert at.text_area(key=ftop_key).value == ftop_edit, "regenerating one draft keeps the edits to others"
    assert any("regenerated" in m for m in seen(at.success))

    # A fresh session (refresh / restart) on the same database, with the id in the URL, shows it all again.
    again = open_app(eid)
    assert again.text_area(key=f"{eid}:notes").value == CONTOSO
    assert again.text_input(key=f"{eid}:setup:customer").value == "Contoso Pharma"
    assert again.selectbox(key=f"{eid}:setup:motion").value == "RFA"
    assert again.text_area(key=ftop_key).value == ftop_edit
    assert again.text_area(key=intro_key).value == intro_rendered
    assert "Dana Lopez" in again.text_area(key=f"{eid}:draft:follow_up.body").value
    assert "Hybrid AD" in by_suffix(again.text_area, ":agenda:d").value
    prep = [c for c in again.checkbox if c.key.startswith(f"{eid}:prep:")]
    # The item now names the RFA id from the notes; its tick stayed.
    assert plain(prep[0].label).startswith(plain(ticked_label).split(" (")[0]) and prep[0].value is True
    assert [c.value for c in prep[1:]] == [False] * (len(prep) - 1)
    assert [b.label for b in again.sidebar.button if "Contoso Pharma" in plain(b.label)], "listed in the sidebar"
    assert any(t.label.startswith("FTOP Entry") for t in again.tabs)
    assert [d.label for d in again.get("download_button")], "downloads are offered"


def test_empty_notes_warn_and_keep_the_page(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    draft_notes(at, eid, "   \n  ")
    assert any("notes are empty" in m for m in seen(at.error))
    assert at.text_area(key=f"{eid}:notes").value == "   \n  "


def test_oversize_notes_are_refused_but_saved(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FTDRAFT_MAX_NOTES_BYTES", "2000")
    at = open_app()
    eid = engagement_id(at)
    # The box takes at most 2000 characters (max_chars); 1500 accented ones are 3000 bytes, over the byte limit.
    assert at.text_area(key=f"{eid}:notes").max_chars == 2000
    big = "Contoso call: caf\u00e9 " + "\u00e9" * 1500
    draft_notes(at, eid, big)
    errors = seen(at.error)
    assert any("over the" in m and "limit" in m for m in errors), errors
    assert at.text_area(key=f"{eid}:notes").value == big
    assert open_app(eid).text_area(key=f"{eid}:notes").value == big, "refused notes are still saved"


def test_binary_and_non_utf8_uploads_say_what_to_do(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    at.text_area(key=f"{eid}:notes").input("my pasted notes").run()
    at.file_uploader(key=f"{eid}:upload").set_value(("notes.txt", b"\x89PNG\x00\x00\x01binary", "text/plain")).run()
    assert not at.exception
    assert any("binary" in m and "Paste the notes" in m for m in seen(at.error))
    assert at.text_area(key=f"{eid}:notes").value == "my pasted notes"
    at.file_uploader(key=f"{eid}:upload").set_value(("notes.md", "caf\u00e9".encode("latin-1"), "text/plain")).run()
    assert any("not UTF-8" in m for m in seen(at.error))
    assert at.text_area(key=f"{eid}:notes").value == "my pasted notes"


def test_text_upload_goes_below_pasted_notes(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    at.text_area(key=f"{eid}:notes").input("pasted first").run()
    at.file_uploader(key=f"{eid}:upload").set_value(("call.md", CONTOSO.encode("utf-8"), "text/markdown")).run()
    assert not at.exception and not at.error
    assert at.text_area(key=f"{eid}:notes").value == "pasted first\n\n" + CONTOSO
    assert open_app(eid).text_area(key=f"{eid}:notes").value.startswith("pasted first")


def test_bad_roster_line_is_reported_and_the_paste_stays(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    paste = "Priya Raman <priya@contoso.com> ATS\nBob <bob@contoso> TAM\n"
    at.text_area(key=f"{eid}:roster").input(paste)
    at.button(key=f"{eid}:roster_add").click().run()
    assert not at.exception
    errors = " ".join(seen(at.error))
    assert "Line 2" in errors and "name@domain.com" in errors
    assert at.text_area(key=f"{eid}:roster").value == paste
    assert list(at.data_editor(key=f"{eid}:team:1").value["name"]) == ["Priya Raman"]


def test_user_text_is_never_rendered_as_html_or_markdown(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    hostile = (
        "Account team sync - <b>Evil</b> Corp\nAttendees: Priya Raman (ATS)\n"
        "- Risks: <script>alert(1)</script> ![x](http://attacker.example/p.png) [click](http://attacker.example)\n"
        "- TODO check licenses\n"
    )
    draft_notes(at, eid, hostile)
    assert not at.get("html"), "no st.html anywhere"
    for element in [*at.markdown, *at.warning, *at.error, *at.info, *at.success, *at.caption]:
        # Escaped ("\\<", "\\]\\(") is inert text; an unescaped one would be live markup.
        assert not re.search(r"(?<!\\)\]\(http", element.value), f"live link/image: {element.value!r}"
        assert not re.search(r"(?<!\\)<(script|b)>", element.value), f"live HTML: {element.value!r}"
    assert any("\\<script\\>" in c.value for c in at.caption), "the hostile line is shown, as text"


def test_sidebar_search_reopen_and_delete_with_confirmation(db: str) -> None:
    at = open_app()
    first = engagement_id(at)
    at.text_input(key=f"{first}:setup:customer").input("Contoso Pharma").run()
    at.sidebar.button[0].click().run()  # New engagement
    second = engagement_id(at)
    assert second != first
    at.text_input(key=f"{second}:setup:customer").input("Fabrikam Manufacturing").run()

    at.text_input(key="search").input("fabri").run()
    labels = [plain(b.label) for b in at.sidebar.button if b.key and b.key.startswith("open:")]
    assert labels == [f"Fabrikam… · saved {date.today().day} {date.today():%b}"], labels  # no call date; cut at a word

    at.text_input(key="search").input("").run()
    at.button(key=f"open:{first}").click().run()
    assert engagement_id(at) == first
    assert at.text_input(key=f"{first}:setup:customer").value == "Contoso Pharma"

    at.button(key=f"del:{second}").click().run()
    assert any("cannot be undone" in m for m in seen(at.sidebar.warning))
    assert engagement_id(at) == first  # asking is not deleting
    at.button(key=f"yes:{second}").click().run()
    assert not at.exception
    assert f"open:{second}" not in [b.key for b in at.sidebar.button]
    reopened = open_app(second)  # a refresh, or a bookmark, with ?e=<the deleted id>
    assert engagement_id(reopened) not in (second, ""), "a deleted engagement does not come back"
    assert "That engagement was not found (deleted?); here is a blank one." in seen(reopened.warning)
    assert Store(db).get(second) is None and Store(db).exists(first)
    assert f"open:{second}" not in [b.key for b in reopened.sidebar.button]


def test_agenda_answer_can_be_changed_and_cleared(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    draft_notes(at, eid, CONTOSO)
    ask = "background on the customer's environment"  # the follow-up asks it as a question to the field
    assert ask in at.text_area(key=f"{eid}:draft:follow_up.body").value, "d is open before the FM answers it"

    for answer in ("Hybrid AD, Okta for SSO", "Cloud-only, 4,000 seats"):  # answer d, then change the answer
        by_suffix(at.text_area, ":agenda:d").input(answer)
        at.button(key=f"{eid}:save_facts").click().run()
        assert not at.exception and not at.error, seen(at.error)
        assert Store(db).get(eid).agenda.get("d") == answer  # type: ignore[union-attr]
        assert ask not in at.text_area(key=f"{eid}:draft:follow_up.body").value

    by_suffix(at.text_area, ":agenda:d").input("")  # clear it
    at.button(key=f"{eid}:save_facts").click().run()
    assert not at.exception and not at.error, seen(at.error)
    assert "d" not in Store(db).get(eid).agenda  # type: ignore[union-attr]
    again = open_app(eid)
    assert by_suffix(again.text_area, ":agenda:d").value == ""
    assert "Cloud-only" not in again.text_area(key=f"{eid}:draft:follow_up.body").value
    assert ask in again.text_area(key=f"{eid}:draft:follow_up.body").value, "a cleared answer is open again"


def test_llm_without_key_says_what_to_do(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    at.radio(key="engine_choice").set_value("llm").run()
    assert any("OPENAI_API_KEY" in m for m in seen(at.warning))
    assert at.button(key=f"{eid}:draft").disabled
