"""Issue 4's 'done when', end to end: with a key and base URL set, the real `ftdraft` process and the real
Streamlit page both draft through a model, here the scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_support import draft_notes, engagement_id, open_app
from factories import contoso_facts
from openai_stub_server import CannedReplies, Status, StubServer
from personalities import QuotaExhausted, RateLimited

ROOT = Path(__file__).resolve().parent.parent
CONTOSO = ROOT / "examples" / "rfa-contoso-pharma.md"
CONTEXT = ROOT / "examples" / "contoso-context.yaml"
KEY = "sk-e2e-SENTINEL-never-shown-9137"
# The roster of examples/contoso-context.yaml: the model may only write to these people.
ROSTER = [
    {"name": "Priya Raman", "email": "priya.raman@example.com", "role": "ATS"},
    {"name": "Tom Becker", "email": "tom.becker@example.com", "role": "TAM"},
]


@pytest.fixture
def server() -> Iterator[StubServer]:
    with StubServer(CannedReplies(contoso_facts().model_dump_json(exclude_none=True), to=ROSTER)) as srv:
        yield srv


def model_env(server: StubServer) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FTDRAFT_", "AZURE_"))}
    env.update(
        OPENAI_API_KEY=KEY,
        OPENAI_BASE_URL=server.base_url,
        FTDRAFT_MODEL="stub-model",
        FTDRAFT_REQUEST_TIMEOUT="5",
        FTDRAFT_TOTAL_BUDGET="30",
    )
    return env


def test_the_cli_drafts_through_the_model_and_says_so(server: StubServer, tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "ftdraft", "draft", str(CONTOSO), "--context", str(CONTEXT), "--engine", "llm"]
    proc = subprocess.run(argv, env=model_env(server), cwd=tmp_path, capture_output=True, text=True, timeout=120)

    assert proc.returncode == 0, proc.stderr
    bundle = json.loads(proc.stdout)
    assert bundle["provenance"]["extraction"]["engine"] == "llm"
    assert bundle["provenance"]["follow_up"]["engine"] == "llm"
    assert bundle["provenance"]["follow_up"]["model"] == "stub-model"
    assert "Thanks for the time today" in bundle["drafts"]["follow_up"]["body"], "the model's text, not the template's"
    steps = server.steps()
    assert steps.count("extract") == 1 and any(s.startswith("draft:") for s in steps)
    assert KEY not in proc.stdout + proc.stderr

    markdown = subprocess.run(
        [*argv, "--format", "markdown"],
        env=model_env(server),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert markdown.returncode == 0, markdown.stderr
    assert "| follow_up | llm | stub-model |" in markdown.stdout, "the Markdown export says which parts the model wrote"
    assert "Model tokens: 600 prompt, 300 completion." in markdown.stdout  # six replies of 100 + 50 tokens
    assert bundle["tokens"] == {"prompt_tokens": 600, "completion_tokens": 300, "total_tokens": 900,
                                "cached_tokens": None, "reasoning_tokens": None}  # fmt: skip


def test_the_app_drafts_through_the_model_and_says_so(
    server: StubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in model_env(server).items():
        if name.startswith(("OPENAI_", "FTDRAFT_")):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("FTDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.chdir(tmp_path)

    at = open_app(timeout=90)
    eid = engagement_id(at)
    assert any("stub-model" in i.value.replace("\\", "") for i in at.info), "the page says the model drafts"

    draft_notes(at, eid, CONTOSO.read_text(encoding="utf-8"))

    assert "extract" in server.steps(), "the page's Draft button went through the model"
    captions = " ".join(c.value for c in at.caption)
    assert "Written by the model stub-model" in captions.replace("\\", "")
    assert "Model tokens for these drafts: 600 prompt, 300 completion" in captions.replace("\\", "")
    page = " ".join(str(e.value) for e in [*at.markdown, *at.text, *at.code, *at.caption, *at.info, *at.warning])
    assert KEY not in page


# ---------------------------------------------------------------- say why (issue 12)


def run_cli(env: dict[str, str], cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "ftdraft", "draft", str(CONTOSO), "--context", str(CONTEXT), "--engine", "llm"]
    return subprocess.run([*argv, *extra], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_cli_says_why_each_part_fell_back_and_exits_4_when_the_model_wrote_nothing(tmp_path: Path) -> None:
    canned = CannedReplies(contoso_facts().model_dump_json(exclude_none=True), to=ROSTER)
    with StubServer(canned, personality=QuotaExhausted()) as srv:
        proc = run_cli(model_env(srv), tmp_path)
        sent = len(srv.requests)
    assert proc.returncode == 4, proc.stderr
    assert sent == 1, "insufficient_quota stops the run: no retries, no other part sends"
    bundle = json.loads(proc.stdout)  # the drafts are still there, written offline
    lines = proc.stderr.splitlines()
    for part in ("extraction", "internal_invite", "intro_request", "follow_up", "ftop", "sync_rhythm"):
        line = next(x for x in lines if x.startswith(f"ftdraft: {part} fell back:"))
        assert "quota" in line, line
    assert "the model wrote nothing" in lines[-1]
    assert bundle["provenance"]["follow_up"]["engine"] == "offline"
    assert "Traceback" not in proc.stderr and KEY not in proc.stdout + proc.stderr


def test_a_partial_fallback_is_reported_but_exits_0(tmp_path: Path) -> None:
    canned = CannedReplies(contoso_facts().model_dump_json(exclude_none=True), to=ROSTER)
    with StubServer(canned) as srv:
        srv.script("draft:ftop", *[Status(503, "overloaded")] * 3)
        proc = run_cli(model_env(srv), tmp_path)
    assert proc.returncode == 0, proc.stderr
    fell_back = [x for x in proc.stderr.splitlines() if " fell back: " in x]
    assert len(fell_back) == 1 and fell_back[0].startswith("ftdraft: ftop fell back: Drafted offline:")
    assert "503" in fell_back[0]


def test_a_rate_limit_longer_than_the_budget_ends_at_once_with_the_reason(tmp_path: Path) -> None:
    canned = CannedReplies(contoso_facts().model_dump_json(exclude_none=True), to=ROSTER)
    with StubServer(canned, personality=RateLimited(retry_after=20)) as srv:
        env = {**model_env(srv), "FTDRAFT_TOTAL_BUDGET": "10"}
        proc = run_cli(env, tmp_path)
        sent = len(srv.requests)
    assert proc.returncode == 4 and sent == 1, proc.stderr
    assert "asked to wait 20 s (Retry-After)" in proc.stderr


def test_azure_settings_without_an_azure_endpoint_are_refused_before_anything_is_sent(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FTDRAFT_", "AZURE_"))}
    env.update(AZURE_OPENAI_API_KEY=KEY, OPENAI_API_VERSION="2024-10-21", FTDRAFT_MODEL="my-deployment")
    proc = run_cli(env, tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "api.openai.com" in proc.stderr and "AZURE_OPENAI_ENDPOINT" in proc.stderr
    assert proc.stdout == "" and KEY not in proc.stderr
