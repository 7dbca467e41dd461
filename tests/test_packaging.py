"""The package as users get it: a wheel built from the repo, installed in a fresh venv outside the checkout,
drafts a sample (`ftdraft draft`), runs the page (AppTest on the installed entry) and serves it (`ftdraft app`,
GET /_stcore/health). Slow (a build and an install: about 1-2 min with a warm pip cache); not marked, CI runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

from ftdraft.cli import app_command, build_parser

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SAMPLE = ROOT / "examples" / "rfa-contoso-pharma.md"


def _python_dirs() -> set[str]:
    """Every folder of ftdraft/ holding Python modules, as a dotted package name."""
    return {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "ftdraft").rglob("*.py")
        if "__pycache__" not in p.parts
    }


def test_every_subpackage_and_the_templates_are_in_the_package_list() -> None:
    setuptools = PYPROJECT["tool"]["setuptools"]
    packages = set(setuptools["packages"])
    assert _python_dirs() <= packages, f"add to [tool.setuptools] packages: {sorted(_python_dirs() - packages)}"
    assert setuptools["package-dir"]["ftdraft.prompts"] == "prompts"
    assert "ftdraft.prompts" in packages and "data/**/*" in setuptools["package-data"]["ftdraft"]
    assert PYPROJECT["project"]["optional-dependencies"]["postgres"] == ["psycopg[binary]>=3.1"]


def test_app_command_runs_the_packaged_page_with_the_options_given() -> None:
    cmd = app_command(build_parser().parse_args(["app", "--port", "8600", "--", "--server.headless", "true"]))
    assert cmd[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(cmd[4]) == ROOT / "ftdraft" / "app" / "main.py" and Path(cmd[4]).is_file()
    assert cmd[cmd.index("--server.port") + 1] == "8600" and cmd[-2:] == ["--server.headless", "true"]
    assert cmd[cmd.index("--browser.gatherUsageStats") + 1] == "false"  # no usage stats sent from the page


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{cmd[:4]} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A wheel built from a copy of the repo's package files, installed with its dependencies in a new venv."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("ftdraft", "prompts"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    dist = tmp / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)])
    wheel = next(dist.glob("ftdraft-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)])
    work = tmp / "work"  # the user's folder: no checkout anywhere near
    work.mkdir()
    return {"wheel": wheel, "venv": venv, "work": work, "src": src}


def _env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FTDRAFT_", "OPENAI_", "AZURE_", "PYTHON"))}
    return env | {"HOME": str(work), "XDG_DATA_HOME": str(work / "data"), "FTDRAFT_ENGINE": "offline"}


def test_the_wheel_carries_every_module_template_and_data_file(installed: dict[str, Path]) -> None:
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    src = installed["src"]  # the files the wheel was built from (the checkout may have moved on since)
    modules = {str(p.relative_to(src)) for p in (src / "ftdraft").rglob("*.py")}
    templates = {"ftdraft/" + str(p.relative_to(src)) for p in (src / "prompts").rglob("*.j2")}
    data = {str(p.relative_to(src)) for p in (src / "ftdraft" / "data").rglob("*") if p.is_file()}
    extra = {"ftdraft/migrations/alembic.ini", "ftdraft/migrations/script.py.mako"}
    assert not (modules | templates | data | extra) - names, sorted((modules | templates | data | extra) - names)
    assert "ftdraft/prompts/offline/prep.j2" in names  # the file issue 14's TemplateNotFound named


def test_the_installed_package_drafts_the_sample_outside_the_checkout(installed: dict[str, Path]) -> None:
    work, bin_ = installed["work"], installed["venv"] / "bin"
    notes = work / "notes.md"
    shutil.copy(SAMPLE, notes)
    where = _run([str(bin_ / "python"), "-c", "import ftdraft; print(ftdraft.__file__)"], cwd=work, env=_env(work))
    assert where.stdout.strip().startswith(str(installed["venv"]))  # the installed copy, not the checkout
    done = _run([str(bin_ / "ftdraft"), "draft", str(notes), "--format", "markdown"], cwd=work, env=_env(work))
    assert "Contoso" in done.stdout and "FTOP" in done.stdout
    out = work / "out"
    _run([str(bin_ / "ftdraft"), "draft", str(notes), "--out", str(out)], cwd=work, env=_env(work))
    assert {p.suffix for p in out.iterdir()} >= {".eml", ".ics", ".json", ".txt"}


def test_the_installed_package_drafts_exactly_what_the_checkout_drafts(installed: dict[str, Path]) -> None:
    """Same notes, same bundle: a data file or template the wheel lacks (or finds at another path) would change
    the facts, the drafts or the guardrail findings without failing anything else."""
    import json

    work, bin_ = installed["work"], installed["venv"] / "bin"
    src = installed["src"]
    cmd = ["draft", str(SAMPLE), "--format", "json"]
    wheel = _run([str(bin_ / "ftdraft"), *cmd], cwd=work, env=_env(work))
    checkout_env = _env(work) | {"PYTHONPATH": str(src)}  # the very files the wheel was built from
    checkout = _run([sys.executable, "-m", "ftdraft", *cmd], cwd=work, env=checkout_env)
    a, b = json.loads(wheel.stdout), json.loads(checkout.stdout)
    for bundle in (a, b):
        bundle.pop("generated_at", None)
    assert a == b


def test_the_installed_page_runs_and_ftdraft_app_serves_it(installed: dict[str, Path]) -> None:
    work, bin_ = installed["work"], installed["venv"] / "bin"
    env = _env(work)
    page = (
        "import pathlib, ftdraft\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file(str(pathlib.Path(ftdraft.__file__).parent / 'app' / 'main.py'), default_timeout=120)\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "assert not at.error, [e.value for e in at.error]\n"
        "print([t.value for t in at.title])\n"
    )
    shown = _run([str(bin_ / "python"), "-c", page], cwd=work, env=env)
    assert "ftdraft" in shown.stdout

    from pg_support import free_port

    port = free_port()
    server = subprocess.Popen(
        [
            str(bin_ / "ftdraft"),
            "app",
            "--port",
            str(port),
            "--address",
            "127.0.0.1",
            "--",
            "--server.headless",
            "true",
        ],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 120  # a deadline to give up, not a timing assert
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as resp:
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body == "ok", f"no health answer; server said:\n{server.stdout.read() if server.poll() else ''}"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as resp:
            assert resp.status == 200 and "<html" in resp.read().decode().lower()
    finally:
        server.terminate()
        server.wait(30)
