"""A real browser: Debian's Chromium driven by Playwright against `streamlit run`, offline, on a tmp database.

Never runs `playwright install`: it launches /usr/bin/chromium (CI's .ci/run installs it).
FTDRAFT_UPDATE_SCREENSHOT=1 copies the full-page screenshot to docs/screenshot.png.
"""

from __future__ import annotations

import email
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
SAMPLE = ROOT / "examples" / "health-fabrikam-mfg.md"

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(tmp: Path, port: int) -> subprocess.Popen[bytes]:
    """`streamlit run` on 127.0.0.1 with a tmp database and no key; the caller stops it."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FTDRAFT_ENGINE")}
    env["FTDRAFT_DATABASE_URL"] = f"sqlite:///{tmp / 'browser.db'}"
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    return subprocess.Popen(cmd, cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError("streamlit did not open its port")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    proc = start_app(tmp_path, port)
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); "
            "never `playwright install`."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_paste_draft_download_reload(app: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.set_default_timeout(30_000)
    page.goto(app)
    expect(page.get_by_role("heading", name="ftdraft").first).to_be_visible()
    expect(page.get_by_text("offline templates").first).to_be_visible()
    page.wait_for_url("**/?e=*")
    url = page.url

    notes = SAMPLE.read_text(encoding="utf-8")
    box = page.get_by_label("Paste your account-team call notes")
    box.fill(notes)
    box.blur()  # commits the text area (Streamlit saves it on change)
    page.get_by_role("button", name="Draft", exact=True).click()
    expect(page.get_by_text("Drafted in").first).to_be_visible(timeout=60_000)

    # The follow-up email and the FTOP text are on the page.
    page.get_by_role("tab", name="Follow-up Email").click()
    panel = page.get_by_role("tabpanel", name="Follow-up Email")
    body = panel.get_by_label("Body")
    expect(body).to_be_visible()
    follow_up = body.input_value()
    assert "Marcus" in follow_up and "Open items" in follow_up and "Next steps" in follow_up
    page.get_by_role("tab", name="FTOP Entry").click()
    ftop = page.get_by_role("tabpanel", name="FTOP Entry").get_by_label("FTOP entry", exact=True)
    expect(ftop).to_be_visible()
    assert "Fabrikam" in ftop.input_value() and "Participants" in ftop.input_value()

    # Download the follow-up .eml and parse it.
    page.get_by_role("tab", name="Follow-up Email").click()
    with page.expect_download() as dl:
        panel.get_by_role("button", name="Download .eml").click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.suffix == ".eml"
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    # Marcus has no address in the sample: the draft names him in the body rather than To (issue 10)
    assert msg["X-Unsent"] == "1" and msg["Subject"] and "Marcus" in (msg["To"] or "") + msg.get_content()
    assert msg.get_content().strip() == follow_up.strip()

    # Reload: the notes (and the drafts) come back from the database.
    page.reload()
    box = page.get_by_label("Paste your account-team call notes")
    expect(box).to_have_value(notes, timeout=30_000)
    assert page.url == url
    expect(page.get_by_role("tab", name="FTOP Entry")).to_be_visible()

    shot = tmp_path / "screenshot.png"
    # Streamlit scrolls an inner container, so a "full page" is only the viewport: grow the viewport
    # to the content's height first.
    page.get_by_role("tab", name="Follow-up Email").click()
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer], section')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("FTDRAFT_UPDATE_SCREENSHOT") == "1":
        shutil.copy(shot, ROOT / "docs" / "screenshot.png")
