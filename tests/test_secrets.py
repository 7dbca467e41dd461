"""The API key never leaves the settings: after model-path runs with a sentinel key — good replies and failures,
including a server that echoes the key back in its error — it is in no log line, output, database row, export,
error message or page."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_support import draft_notes, engagement_id, open_app
from openai_stub_server import Drop, Garbage, Reply, Status, StubServer, free_port, stub_settings
from streamlit.testing.v1 import AppTest

from ftdraft.cli import main
from ftdraft.config import Settings, get_settings
from ftdraft.export import write_exports
from ftdraft.extract import extract_facts
from ftdraft.pipeline import build_bundle
from ftdraft.sanitize import SECRET_PIECE, redact_secret
from ftdraft.schemas import Engagement
from ftdraft.store import Store

ROOT = Path(__file__).resolve().parent.parent
NOTES = (ROOT / "examples" / "rfa-contoso-pharma.md").read_text(encoding="utf-8")
KEY = "sk-SENTINEL-guard-7b1e2c9d4f-never-print"
# Any piece of the key of 8 characters or more counts as a leak (a cut or a careless mask shows such pieces).
FRAGMENTS = tuple(KEY[i : i + SECRET_PIECE] for i in range(len(KEY) - SECRET_PIECE + 1))


def leaked(text: str) -> list[str]:
    flat = "".join(text.split())  # a key split over lines still leaks
    return [f for f in FRAGMENTS if f in text or f in flat]


class Echoing:
    """Answers validly, except that some steps fail the ways servers do, one of them echoing the key back."""

    def __init__(self, facts_json: str, failures: dict[str, object]) -> None:
        self.facts_json = facts_json
        self.failures = failures

    def __call__(self, step: str, body: dict) -> object:  # type: ignore[type-arg]
        if step in self.failures:
            return self.failures[step]
        if step == "extract":
            return Reply(self.facts_json)
        if step == "draft:follow_up":
            return Reply("Subject: Contoso Pharma recap\n\nHi all,\n\nThanks for the time today.\n")
        return Status(500, "scripted failure")


FAILURES: dict[str, dict[str, object]] = {
    "echoes-key-401": {"extract": Status(401, f"Incorrect API key provided: {KEY}. You can find your key at ...")},
    "server-errors": {"extract": Status(503, f"overloaded (auth {KEY})", retry_after=0.01)},
    # Security case 4: an error body longer than the 200 characters kept, echoing the key at the cut.
    "echoes-key-past-the-cut": {"extract": Status(401, "Incorrect API key provided. " + "x" * 160 + f" {KEY} ...")},
    "echoes-key-split-by-newline": {"extract": Status(401, f"bad key: {KEY[:14]}\n{KEY[14:]} (see docs)")},
    "garbage-and-drop": {"extract": Garbage(f'{{"error": "{KEY}" not json'), "draft:follow_up": Drop()},
    "valid": {},
}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FTDRAFT_ENGINE", "FTDRAFT_DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _settings(url: str) -> Settings:
    return stub_settings(url, KEY, FTDRAFT_REQUEST_TIMEOUT=1.0, FTDRAFT_TOTAL_BUDGET=5.0, FTDRAFT_MAX_RETRIES=1)


def _facts_json() -> str:
    return extract_facts(NOTES, Engagement(), {})[1].model_dump_json(exclude_none=True)


@pytest.mark.parametrize("scenario", list(FAILURES))
def test_no_key_in_logs_bundle_db_or_exports(
    scenario: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)  # openai, httpx, httpcore and ours: everything that could log a header
    with StubServer(Echoing(_facts_json(), FAILURES[scenario])) as srv:
        bundle = build_bundle(NOTES, engine="llm", settings=_settings(srv.base_url))
    assert bundle.drafts.follow_up.body
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    eid = store.create(Engagement(customer="Contoso Pharma"), NOTES)
    store.save_bundle(eid, bundle)
    paths = write_exports(bundle, tmp_path / "out")
    out, err = capsys.readouterr()
    texts = {
        "log": "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records) + caplog.text,
        "stdout/stderr": out + err,
        "bundle": bundle.model_dump_json(),
        "exports": "\n".join(p.read_bytes().decode("utf-8", "replace") for p in paths),
    }
    db = sqlite3.connect(tmp_path / "db.sqlite")
    rows = [repr(r) for t in ("engagements", "items") for r in _rows(db, t)]
    texts["database"] = "\n".join(rows) + (tmp_path / "db.sqlite").read_bytes().decode("latin-1")
    for where, text in texts.items():
        assert not leaked(text), f"{scenario}: the key is in the {where}"
    if scenario != "valid":
        assert any(p.fallback_reason for p in bundle.provenance.values()), "the failure path really ran"


def _rows(db: sqlite3.Connection, table: str) -> list[tuple]:  # type: ignore[type-arg]
    try:
        return db.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608 (fixed table names)
    except sqlite3.OperationalError:
        return [r for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'") for r in
                db.execute(f"SELECT * FROM {name}").fetchall()]  # fmt: skip


def test_no_key_in_cli_output_errors_or_out_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")  # connection refused
    monkeypatch.setenv("FTDRAFT_TOTAL_BUDGET", "3")
    monkeypatch.setenv("FTDRAFT_MAX_RETRIES", "0")
    get_settings.cache_clear()
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    code = main(["draft", str(notes), "--engine", "llm", "--out", str(tmp_path / "out"), "--format", "markdown"])
    out, err = capsys.readouterr()
    assert code == 4  # the model wrote nothing (connection refused): every part is the offline one
    assert not leaked(out + err)
    for p in (tmp_path / "out").iterdir():
        assert not leaked(p.read_bytes().decode("utf-8", "replace")), p.name
    # and a user error names no key either
    code = main(["draft", str(tmp_path / "missing.md"), "--engine", "llm"])
    out, err = capsys.readouterr()
    assert code == 2 and not leaked(out + err)


def test_no_key_on_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with StubServer(Echoing(_facts_json(), FAILURES["echoes-key-401"])) as srv:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("FTDRAFT_TOTAL_BUDGET", "5")
        monkeypatch.setenv("FTDRAFT_MAX_RETRIES", "0")
        monkeypatch.setenv("FTDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
        get_settings.cache_clear()
        at = open_app()
        draft_notes(at, engagement_id(at), NOTES)
        page = _page_text(at)
        assert "Contoso" in page, "the page really drafted"
        assert not leaked(page)
        assert not leaked(repr(at.session_state))


def _page_text(at: AppTest) -> str:
    parts: list[str] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        for attr in ("value", "label", "body", "help", "placeholder"):
            v = getattr(node, attr, None)
            if isinstance(v, str):
                parts.append(v)
        for child in getattr(node, "children", {}).values() if hasattr(node, "children") else []:
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def test_settings_never_show_the_key() -> None:
    s = _settings("http://127.0.0.1:1/v1")
    assert not leaked(repr(s) + str(s) + s.model_dump_json())
    # the check above is not vacuous: the settings do hold the key, only hidden
    assert s.openai_api_key is not None and s.openai_api_key.get_secret_value() == KEY


# ---------------------------------------------------------------- redact_secret (security case 4)


@pytest.mark.parametrize(
    "text",
    [
        f"Incorrect API key provided: {KEY}.",
        f"{KEY[:20]}\n{KEY[20:]}",  # split by a newline
        f"{KEY[:9]} {KEY[9:17]}\r\n  {KEY[17:]}",  # several breaks, one piece exactly 8 long
        f'{{"error": "{KEY[:12]}\\n{KEY[12:]}"}}',  # an escaped newline inside a JSON body
        f"first {KEY[4:12]} then {KEY[-8:]} and {KEY[10:30]}",  # several pieces, none the whole key
        "x" * 190 + KEY + "y" * 300,  # long body: redacting first, then cutting at 200, leaves nothing
        KEY + KEY[::-1] + KEY,  # repeated
    ],
)
def test_redact_secret_removes_every_piece_of_eight_or_more(text: str) -> None:
    out = redact_secret(text, KEY)
    assert not leaked(out)
    for cut in (50, 100, 199, 200, 201, len(out)):
        assert not leaked(out[:cut])
    assert "[redacted]" in out


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("sk-SENT is a prefix of 7 and guard-7 too", KEY),  # pieces shorter than 8 are ordinary text
        ("nothing to see here", KEY),
        ("the key was not sent", ""),  # no key configured
    ],
)
def test_redact_secret_leaves_other_text_alone(text: str, secret: str) -> None:
    assert redact_secret(text, secret) == text


def test_redact_secret_short_secret_is_redacted_whole() -> None:
    assert redact_secret("token abc123 here, abc12 there", "abc123") == "token [redacted] here, abc12 there"
