"""The `ftdraft` command line, in-process (main([...])) and as a real process (python -m ftdraft, console script)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from factories import contoso_facts
from icalendar import Calendar
from openai_stub_server import CannedReplies, StubServer

from ftdraft import cli
from ftdraft.schemas import DraftBundle

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".md", ".txt"))  # notes, not context files
CONTOSO = ROOT / "examples" / "rfa-contoso-pharma.md"


def clean_env() -> dict[str, str]:
    """A process environment with no model key, so `auto` could never pick the model."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FTDRAFT_"))}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ftdraft", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=clean_env(),
        timeout=60,
    )


@pytest.fixture(autouse=True)
def _no_model_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "FTDRAFT_ENGINE", "FTDRAFT_MAX_NOTES_BYTES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(ROOT)


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 3


# ---------------------------------------------------------------- happy paths


@pytest.mark.parametrize("notes", EXAMPLES, ids=lambda p: p.name)
def test_draft_json_in_process_is_a_valid_bundle(notes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["draft", str(notes), "--engine", "offline"]) == 0
    out, err = capsys.readouterr()
    b = DraftBundle.model_validate_json(out)
    assert b.drafts.follow_up.subject.endswith("FastTrack intro and next steps")
    assert set(b.provenance) >= {"extraction", "follow_up", "ftop"}
    assert err == ""


@pytest.mark.parametrize("notes", EXAMPLES, ids=lambda p: p.name)
def test_draft_markdown_in_process(notes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["draft", str(notes), "--format", "markdown", "--engine", "offline"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ")
    for heading in ("## Engagement", "## Facts from the call", "## Drafts", "### Follow-up email", "## Provenance"):
        assert heading in out


@pytest.mark.parametrize("fmt", ["json", "markdown"])
@pytest.mark.parametrize("notes", EXAMPLES, ids=lambda p: p.name)
def test_draft_as_a_real_process(notes: Path, fmt: str) -> None:
    proc = run("draft", str(notes), "--format", fmt, "--engine", "offline")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    if fmt == "json":
        assert DraftBundle.model_validate_json(proc.stdout).drafts.ftop.text
    else:
        assert "### FTOP entry (internal)" in proc.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [((str(CONTOSO), "--engine", "llm"), cli.EXIT_NO_MODEL), ((str(CONTOSO), "--call-date", "18/11/2026"), 2)],
    ids=["no-key-exit-4", "bad-date-exit-2"],
)
def test_a_real_process_exits_with_mains_code_and_everything_flushed(args: tuple[str, ...], code: int) -> None:
    """The process ends with os._exit once stdout and stderr are flushed: the code and every line still arrive."""
    proc = run("draft", *args)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.endswith("\n")
    if code == cli.EXIT_NO_MODEL:
        assert DraftBundle.model_validate_json(proc.stdout).drafts.ftop.text, "the whole JSON arrived"
        assert proc.stderr.splitlines()[-1].startswith("ftdraft: --engine llm, but the model wrote nothing")
        assert sum(" fell back: No API key" in line for line in proc.stderr.splitlines()) >= 6
    else:
        assert proc.stdout == "" and "--call-date '18/11/2026' is not a date" in proc.stderr


def test_console_script_is_installed_and_works() -> None:
    script = Path(sys.executable).parent / "ftdraft"
    proc = subprocess.run(
        [str(script), "schema"], capture_output=True, text=True, cwd=ROOT, env=clean_env(), timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["title"] == "DraftBundle"


def test_schema_prints_the_draft_bundle_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == DraftBundle.model_json_schema()
    assert {"engagement", "facts", "drafts", "provenance", "checks"} <= set(schema["properties"])


def test_out_writes_every_export_and_lists_the_paths(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    proc = run("draft", str(CONTOSO), "--out", str(out), "--engine", "offline")
    assert proc.returncode == 0, proc.stderr
    listed = [Path(line) for line in proc.stderr.splitlines()]
    assert listed and all(p.exists() for p in listed)
    names = {p.name for p in listed}
    assert {"internal_invite.eml", "internal_invite.ics", "follow_up.eml", "ftop.txt", "bundle.md", "bundle.json"} <= (
        names
    )
    for p in listed:
        if p.suffix == ".eml":
            msg = BytesParser(policy=policy.default).parsebytes(p.read_bytes())
            assert msg["X-Unsent"] == "1" and msg["Subject"]
            assert msg.get_content().strip()
        elif p.suffix == ".ics":
            events = Calendar.from_ical(p.read_bytes()).walk("VEVENT")
            assert len(events) == 1 and str(events[0]["SUMMARY"])
    stdout_bundle = DraftBundle.model_validate_json(proc.stdout)
    file_bundle = DraftBundle.model_validate_json((out / "bundle.json").read_text(encoding="utf-8"))
    assert file_bundle == stdout_bundle
    assert (out / "ftop.txt").read_text(encoding="utf-8") == stdout_bundle.drafts.ftop.text


def test_call_date_overrides_the_context(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    context = tmp_path / "ctx.yaml"
    context.write_text("customer: Contoso Pharma\nmotion: RFA\ncall_date: 2026-01-05\n", encoding="utf-8")
    argv = ["draft", str(CONTOSO), "--context", str(context), "--call-date", "2026-11-18", "--engine", "offline"]
    assert cli.main(argv) == 0
    b = DraftBundle.model_validate_json(capsys.readouterr().out)
    assert b.engagement.call_date == date(2026, 11, 18)
    assert b.engagement.customer == "Contoso Pharma"


def test_arguments_reach_the_pipeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--agenda and --max-notes-bytes, seen in what the real pipeline did with them."""
    agenda = tmp_path / "agenda.json"
    agenda.write_text(json.dumps({"e": "6,500 E3", "g. Migration source": "Google Workspace"}), encoding="utf-8")
    size = len(CONTOSO.read_bytes())
    argv = ["draft", str(CONTOSO), "--agenda", str(agenda), "--engine", "offline"]

    assert cli.main([*argv, "--max-notes-bytes", str(size)]) == 0
    b = DraftBundle.model_validate_json(capsys.readouterr().out)
    typed = {a.item: a for a in b.facts.agenda if a.item in ("e", "g")}
    assert typed["e"].answered and typed["e"].answer == "6,500 E3"
    assert typed["g"].answered and typed["g"].answer == "Google Workspace"
    assert all(any(s.origin == "agenda" for s in a.sources) for a in typed.values()), "typed, not extracted"
    assert "Google Workspace" in b.drafts.follow_up.body
    assert b.engagement.customer == "Contoso Pharma", "the notes themselves were read"

    assert cli.main([*argv, "--max-notes-bytes", str(size - 1)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("ftdraft: rfa-contoso-pharma.md is ")
    assert "limit. Split the notes by call, or raise FTDRAFT_MAX_NOTES_BYTES." in err


def test_engine_llm_reaches_the_model(tmp_path: Path) -> None:
    """--engine llm drafts through the model: a real process and the real client against the scripted
    OpenAI-compatible server on 127.0.0.1 (the model boundary is the only thing faked)."""
    roster = [{"name": "Priya Raman", "email": "priya.raman@example.com", "role": "ATS"}]
    with StubServer(CannedReplies(contoso_facts().model_dump_json(exclude_none=True), to=roster)) as server:
        env = clean_env()
        env.update(OPENAI_API_KEY="sk-cli-test-not-a-key", OPENAI_BASE_URL=server.base_url, FTDRAFT_MODEL="stub-model")
        argv = ["draft", str(CONTOSO), "--context", str(ROOT / "examples" / "contoso-context.yaml")]
        proc = subprocess.run(
            [sys.executable, "-m", "ftdraft", *argv, "--engine", "llm"],
            capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=env, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        b = DraftBundle.model_validate_json(proc.stdout)
        assert b.provenance["extraction"].engine == "llm" and b.provenance["extraction"].model == "stub-model"
        extract = server.requests_for("extract")
        assert len(extract) == 1 and "Account team sync - Contoso Pharma" in extract[0].messages_text
        # nothing streams on the command line: every request goes through the standard library, no SDK loads
        assert len(server.requests) == 6, server.steps()
        assert all((r.header("user-agent") or "").startswith("Python-urllib") for r in server.requests)
        assert all(b.provenance[n].engine == "llm" for n in ("follow_up", "internal_invite", "ftop", "sync_rhythm"))

        steps_before = len(server.steps())
        offline = subprocess.run(
            [sys.executable, "-m", "ftdraft", *argv, "--engine", "offline"],
            capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=env, timeout=120,
        )  # fmt: skip
        assert offline.returncode == 0, offline.stderr
        assert len(server.steps()) == steps_before, "--engine offline sends nothing, key or not"
        assert DraftBundle.model_validate_json(offline.stdout).provenance["extraction"].engine == "offline"


# ---------------------------------------------------------------- --strict, on bundles the real guards checked

CASES = ROOT / "tests" / "fixtures" / "cases" / "security"


@pytest.mark.parametrize("strict", [True, False])
def test_strict_exits_3_on_a_real_guardrail_error(strict: bool, capsys: pytest.CaptureFixture[str]) -> None:
    """Security case 1's notes put an encoded-word mailbox in the customer name: the header guard reports an
    error-level header.injection in the real bundle."""
    argv = ["draft", str(CASES / "b1-encoded-word-customer.txt"), "--engine", "offline"]
    code = cli.main([*argv, *(["--strict"] if strict else [])])
    out, err = capsys.readouterr()
    b = DraftBundle.model_validate_json(out)  # the bundle is printed either way
    errors = [c for c in b.checks if c.severity == "error"]
    assert errors and {c.rule for c in errors} == {"header.injection"}
    if strict:
        assert code == 3
        assert f"ftdraft: {len(errors)} guardrail error(s); fix the drafts or run without --strict." in err
    else:
        assert code == 0 and "guardrail error" not in err


@pytest.mark.parametrize(
    ("notes", "rule"),
    [("b6-markup-title.txt", "injection.markup_removed"), ("b9-nonascii-email.txt", "recipients.non_ascii_address")],
)
def test_strict_passes_a_bundle_with_only_warnings(notes: str, rule: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["draft", str(CASES / notes), "--engine", "offline", "--strict"]) == 0
    out, err = capsys.readouterr()
    checks = DraftBundle.model_validate_json(out).checks
    assert rule in {c.rule for c in checks if c.severity == "warning"}, "the input still carries its warning"
    assert not [c for c in checks if c.severity == "error"]
    assert "guardrail error" not in err


def test_strict_passes_a_clean_bundle(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["draft", str(CONTOSO), "--engine", "offline", "--strict"]) == 0
    out, err = capsys.readouterr()
    assert not [c for c in DraftBundle.model_validate_json(out).checks if c.severity == "error"]
    assert "guardrail error" not in err


class _BrokenStdout(io.StringIO):
    def write(self, s: str) -> int:
        raise RuntimeError("the terminal went away")


def test_unexpected_errors_are_raised_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error that is not an FtdraftError (here from the terminal, not from ftdraft) is raised with its
    traceback, not turned into a one-line exit 2."""
    monkeypatch.setattr(sys, "stdout", _BrokenStdout())
    with pytest.raises(RuntimeError, match="the terminal went away"):
        cli.main(["draft", str(CONTOSO), "--engine", "offline"])


# ---------------------------------------------------------------- bad input: exit 2, one line


def _bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str]]:
    (tmp / "empty.md").write_text("   \n\n", encoding="utf-8")
    (tmp / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp / "latin1.md").write_bytes("Réunion avec l'équipe: ATS = Zoë\n".encode("latin-1"))
    (tmp / "big.md").write_text("ATS = Lena Fischer\n" * 50, encoding="utf-8")
    (tmp / "ctx.yaml").write_text("customer: Contoso\nmotion: Sales\n", encoding="utf-8")
    (tmp / "ctx_bad.yaml").write_text("customer: [unclosed\n", encoding="utf-8")
    (tmp / "agenda.yaml").write_text("e: 6,500 E3\nz: what is this\n", encoding="utf-8")
    notes = str(CONTOSO)
    return {
        "missing file": (["draft", str(tmp / "nope.md")], "No such file"),
        "empty file": (["draft", str(tmp / "empty.md")], "empty"),
        "binary file": (["draft", str(tmp / "binary.md")], "binary"),
        "non-UTF-8 file": (["draft", str(tmp / "latin1.md")], "not UTF-8"),
        "over the size limit": (["draft", str(tmp / "big.md"), "--max-notes-bytes", "100"], "over the 100 bytes limit"),
        "invalid context field": (["draft", notes, "--context", str(tmp / "ctx.yaml")], "'motion'"),
        "unparsable context": (["draft", notes, "--context", str(tmp / "ctx_bad.yaml")], "not valid YAML/JSON"),
        "missing context": (["draft", notes, "--context", str(tmp / "nope.yaml")], "No such context file"),
        "unknown agenda key": (["draft", notes, "--agenda", str(tmp / "agenda.yaml")], "unknown agenda item 'z'"),
        "bad call date": (["draft", notes, "--call-date", "18/11/2026"], "Use YYYY-MM-DD"),
        "bad size limit": (["draft", notes, "--max-notes-bytes", "lots"], "not a whole number"),
        "unknown format": (["draft", notes, "--format", "pdf"], "invalid choice"),
        "no command": ([], "required"),
    }


BAD_IDS = [
    "missing file", "empty file", "binary file", "non-UTF-8 file", "over the size limit", "invalid context field",
    "unparsable context", "missing context", "unknown agenda key", "bad call date", "bad size limit",
    "unknown format", "no command",
]  # fmt: skip


@pytest.mark.parametrize("case", BAD_IDS)
def test_bad_input_exits_2_with_one_line_in_process(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, expected = _bad_inputs(tmp_path)[case]
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse usage errors exit from inside parse_args
        code = exc.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("ftdraft: ")
    assert expected in err


@pytest.mark.parametrize("case", ["missing file", "binary file", "non-UTF-8 file", "invalid context field"])
def test_bad_input_exits_2_with_one_line_as_a_process(case: str, tmp_path: Path) -> None:
    argv, expected = _bad_inputs(tmp_path)[case]
    proc = run(*argv)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("ftdraft: ")
    assert expected in proc.stderr and "Traceback" not in proc.stderr


def test_bad_input_ids_cover_every_case(tmp_path: Path) -> None:
    assert sorted(BAD_IDS) == sorted(_bad_inputs(tmp_path))


# ---------------------------------------------------------------- the offline path imports no LLM library


def test_offline_draft_imports_no_llm_library(tmp_path: Path) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from ftdraft.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    rc = main(['draft', {str(CONTOSO)!r}, '--engine', 'offline', '--format', 'markdown',"
        f" '--out', {str(tmp_path)!r}])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('openai', 'langchain_core', 'langchain',"
        " 'langchain_openai'))\n"
        "print(rc, loaded)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=clean_env(), timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0 []"


def test_python_m_ftdraft_importtime_shows_no_llm_library() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ftdraft", "draft", str(CONTOSO), "--engine", "offline"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=clean_env(),
        timeout=60,
    )
    assert proc.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")]
    assert "ftdraft.cli" in imported  # the probe works
    assert not [m for m in imported if m.split(".")[0] in ("openai", "langchain_core", "langchain")]


def test_context_and_agenda_examples_reach_the_drafts(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["draft", str(CONTOSO), "--engine", "offline", "--context", str(ROOT / "examples" / "contoso-context.yaml"),
            "--agenda", str(ROOT / "examples" / "contoso-agenda.yaml")]  # fmt: skip
    assert cli.main(argv) == 0
    b = DraftBundle.model_validate_json(capsys.readouterr().out)
    follow_up = b.drafts.follow_up
    assert follow_up.subject == "Contoso Pharma – FastTrack intro and next steps"
    assert [r.email for r in follow_up.to] == ["priya.raman@example.com", "tom.becker@example.com"]
    # What the FM typed for agenda item d wins and reaches the summary.
    assert "Hybrid identity with Entra Connect" in follow_up.body
    assert follow_up.body.rstrip().endswith("Alex Morgan")
