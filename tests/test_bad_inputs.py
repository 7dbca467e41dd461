"""The bad-input matrix, end to end in the CLI and the app: every case gets a clear message or a sensible bundle,
never a traceback, and the FM's notes are kept (the CLI never touches the file; the app's store keeps them)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from app_support import engagement_id, open_app
from streamlit.testing.v1 import AppTest

from ftdraft.cli import main
from ftdraft.config import get_settings
from ftdraft.schemas import DraftBundle
from ftdraft.store import Store

ROOT = Path(__file__).resolve().parent.parent
CONTOSO = (ROOT / "examples" / "rfa-contoso-pharma.md").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
RTL_EMOJI = (
    "סיכום שיחה עם צוות החשבון 🎉\n"
    "Attendees: Priya Raman (ATS) 👋, Tom Becker (TAM)\n"
    "- Teams: הלקוח חסום בגלל פרוקסי 🚧 blocked by the proxy\n"
    "- ملاحظات: العميل يريد الانتقال إلى Exchange Online 📧\n"
    "- Priya to send intro email by Friday ✅\n"
)
PARTLY_GERMAN = (
    CONTOSO + "\n- Lizenzen: 6.500 M365 E3, Priya bestätigt bis Freitag\n"
    "- Risiko: Betriebsrat muss Teams-Einführung zustimmen\n- Tom lädt mich zum Donnerstags-Sync ein\n"
)


@dataclass(frozen=True)
class Case:
    id: str
    data: bytes
    expect: str  # "message": exit 2 with one line that says what to do; "bundle": exit 0 with a valid bundle
    says: str = ""  # the CLI's whole message after "ftdraft: ", {name} for the file's name
    app_says: str = ""  # the page's whole error for the same text pasted ("" when the paste drafts)


EMPTY = "{name} is empty. Put your call notes in it and try again."
BINARY = "{name} looks like a binary file, not text. Paste the notes, or upload a .txt or .md file."
APP_EMPTY = "The notes are empty. Paste your call notes (or upload a .txt/.md file) and draft again."
BAD_BYTE = len(CONTOSO.encode()) + len("\n- caf")  # where the first invalid byte of the invalid-utf8 case sits


CASES = [
    Case("empty", b"", "message", EMPTY, APP_EMPTY),
    Case("whitespace-only", b"   \n\t\n  \r\n", "message", EMPTY, APP_EMPTY),
    Case(
        "10-MB-paste",
        (CONTOSO * (10_000_000 // len(CONTOSO) + 1)).encode(),
        "message",
        "{name} is 10,001 KB, over the 200 KB limit. Split the notes by call, or raise FTDRAFT_MAX_NOTES_BYTES.",
        "The notes are 10,001 KB, over the 200 KB limit. Split them by call, or raise FTDRAFT_MAX_NOTES_BYTES.",
    ),
    Case("binary-file", PNG * 50, "message", BINARY),
    Case(
        "invalid-utf8",
        CONTOSO.encode() + b"\n- caf\xe9 \xff\xfe\xfd\n",
        "message",
        f"{{name}} is not UTF-8 text (bad byte at position {BAD_BYTE}). Save the file as UTF-8 "
        "(in Notepad: Save as > Encoding: UTF-8) and try again.",
    ),
    Case("nul-bytes", CONTOSO.encode().replace(b"\n- ", b"\n\x00- ", 3), "message", BINARY),
    Case("100k-single-line", ("Priya to send the intro email by Friday; " * 2500)[:100_000].encode(), "bundle"),
    Case("rtl-and-emoji", RTL_EMOJI.encode(), "bundle"),
    Case("partly-another-language", PARTLY_GERMAN.encode(), "bundle"),
]
ROSTER_CONTEXT = {
    "customer": "Contoso Pharma",
    "motion": "RFA",
    "account_team": [
        {"name": "Priya Raman", "role": "ATS", "email": "priya.raman@microsoft.com"},
        {"name": "Tom Becker", "role": "TAM", "email": "tom.becker@microsoft.com"},
    ],
}


@pytest.fixture(autouse=True)
def _no_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FTDRAFT_ENGINE", "FTDRAFT_MAX_NOTES_BYTES"):
        monkeypatch.delenv(var, raising=False)
    from ftdraft.config import get_settings

    get_settings.cache_clear()
    monkeypatch.chdir(tmp_path)  # no developer .env switches the engine


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli_bad_input(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / f"{case.id}.txt"
    notes.write_bytes(case.data)
    code, out, err = _cli(capsys, "draft", str(notes), "--call-date", "2026-11-18")
    assert "Traceback" not in out + err
    assert notes.read_bytes() == case.data, "the FM's notes file is never altered"
    if case.expect == "message":
        assert code == 2 and out == ""
        assert err == "ftdraft: " + case.says.format(name=notes.name) + "\n"
    else:
        assert code == 0, err
        bundle = DraftBundle.model_validate_json(out)
        assert bundle.drafts.follow_up.subject and "\n" not in bundle.drafts.follow_up.subject
        assert not [c for c in bundle.checks if c.severity == "error"], bundle.checks


def test_cli_roster_with_no_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ctx = tmp_path / "context.json"
    ctx.write_text(json.dumps(ROSTER_CONTEXT), encoding="utf-8")
    notes = tmp_path / "notes.md"
    notes.write_text("", encoding="utf-8")
    code, out, err = _cli(capsys, "draft", str(notes), "--context", str(ctx))
    assert code == 2 and out == ""
    assert err == "ftdraft: " + EMPTY.format(name="notes.md") + "\n"


def test_cli_partly_german_keeps_the_facts_it_can_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(PARTLY_GERMAN, encoding="utf-8")
    code, out, _err = _cli(capsys, "draft", str(notes))
    bundle = DraftBundle.model_validate_json(out)
    owners = {a.owner for a in bundle.facts.action_items}
    assert code == 0 and {"Priya Raman", "Tom Becker"} & owners


def test_cli_binary_through_the_console_script_prints_no_traceback(tmp_path: Path) -> None:
    notes = tmp_path / "scan.txt"
    notes.write_bytes(PNG * 50)
    proc = subprocess.run(
        [sys.executable, "-m", "ftdraft", "draft", str(notes)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.startswith("ftdraft: ")


# ================================================================ the app


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("FTDRAFT_DATABASE_URL", url)
    return url


def _messages(at: AppTest) -> list[str]:
    """The page's errors and warnings as the FM reads them (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in (*at.error, *at.warning)]


def _text(case: Case) -> str:
    """What an FM can paste: the bytes as the text area would hold them (invalid bytes become U+FFFD)."""
    return case.data.decode("utf-8", errors="replace")


def test_app_bad_input_matrix(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    store = Store(db)
    last_bundle = None
    limit = get_settings().max_notes_bytes
    kept = ""
    for case in CASES:
        text = _text(case)
        at.text_area(key=f"{eid}:notes").input(text).run()
        if len(text) > limit:
            # the box takes no more than the limit (issue 13): the paste is refused whole, the notes already there
            # stay, and the page says the limit next to the box
            assert not at.exception, (case.id, at.exception)
            assert at.text_area(key=f"{eid}:notes").value == kept, f"{case.id}: the notes already there stay"
            assert any(f"Up to {limit // 1000} KB" in c.value for c in at.caption), f"{case.id}: the limit is said"
            record = store.get(eid)
            assert record is not None and record.notes == kept, f"{case.id}: nothing is lost"
            continue
        kept = text
        at.button(key=f"{eid}:draft").click().run()
        assert not at.exception, (case.id, at.exception)
        record = store.get(eid)
        assert record is not None and record.notes == text, f"{case.id}: the store keeps the notes as pasted"
        if case.app_says:
            assert _messages(at) == [case.app_says], case.id
        else:
            assert not at.error, (case.id, _messages(at))
            assert record.bundle is not None, f"{case.id}: pasted text that can be read gets drafts"
            assert record.bundle != last_bundle, f"{case.id}: drafted from this paste, not the one before"
            last_bundle = record.bundle
        assert at.text_area(key=f"{eid}:notes").value == text, f"{case.id}: the notes stay on the page"
    # A browser refresh (a fresh session on the same database) shows the last notes again.
    again = open_app(eid)
    assert again.text_area(key=f"{eid}:notes").value == _text(CASES[-1])


def test_app_roster_with_no_notes(db: str) -> None:
    at = open_app()
    eid = engagement_id(at)
    at.text_area(key=f"{eid}:roster").input("Priya Raman <priya.raman@microsoft.com> ATS\n")
    at.button(key=f"{eid}:roster_add").click().run()
    at.button(key=f"{eid}:draft").click().run()
    assert not at.exception
    assert _messages(at) == [APP_EMPTY]


def test_app_upload_decoding_gives_messages_not_tracebacks() -> None:
    # AppTest cannot drive st.file_uploader; the page's upload callback decodes with inputs.decode_notes and
    # shows its InputError through the same boundary as a paste, so the decoder is what is checked here.
    from ftdraft.errors import InputError
    from ftdraft.inputs import decode_notes

    for case in CASES:
        if case.id in ("binary-file", "invalid-utf8", "nul-bytes"):
            with pytest.raises(InputError) as err:
                decode_notes(case.data, "notes.txt")
            assert str(err.value) == case.says.format(name="notes.txt")
        elif case.expect == "bundle":
            assert decode_notes(case.data, "notes.txt") == case.data.decode("utf-8")
