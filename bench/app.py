"""App benchmark in Chromium, offline, on a fresh database: `streamlit run` start to the first page, a new tab on the
running app, click Draft to the drafts for a sample, and a 200 KB paste in the notes box: select-all + Delete until
the box is empty (issue 13: first page <= 2.5 s, click to drafts <= 1 s, select-all + Delete < 2 s).

In the same run, Streamlit's own floor on this machine: a bare Streamlit app the bench writes into its temp dir
(st.title, the notes st.text_area with the same label and limit, a Draft st.button: nothing of ours) timed the same
way, and select-all + Delete in a plain <textarea> (no Streamlit at all). What is above the floor is ours.

`--before DIR`: the same figures for another checkout in the same run (e.g. `git archive <commit> | tar -x -C
DIR`). Each round runs every app once, in turn (before, now, floor, before, now, floor...), so a machine whose
load changes during the bench weighs on all alike. Medians of `--runs` rounds.

"First page" is the page an FM can use: the notes box and the Draft button visible (since 30 Nov; until then it
was the title only, still printed as "title"). "New tab" is what an FM sees opening the app again while it runs:
a new tab on the app's address until its notes box and Draft button show (timed at the end of the round, when
the first page's background warm-up is long over). "Click to drafts" is the click on Draft until the draft tabs
show; the bench clicks ~0.3 s after the notes are saved, so anything the page does in the background after its
first page (page.py warm_up) may still be running then.

Usage: .venv/bin/python bench/app.py [--runs 3] [--before DIR]"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_browser import CHROMIUM, CHROMIUM_ARGS, free_port, stop  # noqa: E402

SAMPLE = ROOT / "examples" / "health-fabrikam-mfg.md"
PASTE_CHARS = 199_000  # just under the default 200 KB notes limit
LABEL = "Paste your account-team call notes"
BOX = f'textarea[aria-label="{LABEL}"]'
PASTE = f"""v => {{ const t = document.querySelector('{BOX}'); t.focus();
  Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(t, v);
  t.dispatchEvent(new Event('input', {{bubbles: true}})); }}"""
# Streamlit's floor: what every Streamlit app of this shape costs, with nothing of ours in it.
BARE_APP = f"""import streamlit as st

st.title("ftdraft")
st.text_area({LABEL!r}, height=460, max_chars=200_000)
st.button("Draft", type="primary")
"""
# No Streamlit at all: the browser's own textarea, as wide and tall as ours.
PLAIN_PAGE = f'<textarea aria-label="{LABEL}" style="width: 640px; height: 460px"></textarea>'
FLOOR = "Streamlit's own floor on this machine"
PLAIN = "plain <textarea>"


@dataclass
class Figures:
    """One app's timings over the rounds, in seconds (None where the app has no such step)."""

    rows: list[dict[str, float]] = field(default_factory=list)

    def median(self, name: str) -> float | None:
        values = [r[name] for r in self.rows if name in r]
        return statistics.median(values) if values else None


def start(script: Path, checkout: Path | None, tmp: Path, port: int) -> subprocess.Popen[bytes]:
    """`streamlit run script` on a fresh database in `tmp`; `checkout`'s ftdraft package first on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FTDRAFT_ENGINE")}
    env.update(FTDRAFT_DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    return subprocess.Popen(cmd, cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def usable(page) -> None:  # type: ignore[no-untyped-def]
    """Wait for the page an FM can use: the notes box and the Draft button visible."""
    from playwright.sync_api import expect

    expect(page.get_by_label(LABEL, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Draft", exact=True)).to_be_visible()


def select_all_delete(page) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Paste PASTE_CHARS characters into the notes box, then select-all + Delete until it is empty: (paste,
    select-all + Delete) in seconds."""
    text = (SAMPLE.read_text(encoding="utf-8") * 200)[:PASTE_CHARS]
    # A paste as the page sees it: the value set at once and one input event (Playwright's fill types the
    # text through CDP and takes ~30 s for 199,000 characters even in a plain textarea: not the page).
    pasted = time.perf_counter()
    page.evaluate(PASTE, text)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
    paste = time.perf_counter() - pasted
    page.wait_for_timeout(1000)
    page.locator(BOX).focus()
    cleared = time.perf_counter()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.wait_for_function(f"() => document.querySelector('{BOX}').value === ''", polling=20)
    return paste, time.perf_counter() - cleared


def one_run(browser, script: Path, checkout: Path | None, tmp: Path, draft: bool) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Start the app, time its first page, (our app:) Draft, the 200 KB paste and clear, then a new tab."""
    from playwright.sync_api import expect

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    expect.set_options(timeout=120_000)
    out: dict[str, float] = {}
    started = time.perf_counter()
    proc = start(script, checkout, tmp, port)
    try:
        while True:  # the server is up when the page loads; retry until it answers
            try:
                page.goto(url, timeout=2_000)
                break
            except Exception:
                if proc.poll() is not None or time.perf_counter() - started > 60:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.05)
        expect(page.get_by_role("heading", name="ftdraft").first).to_be_visible()
        out["title"] = time.perf_counter() - started
        usable(page)
        out["first page"] = time.perf_counter() - started

        if draft:
            box = page.get_by_label(LABEL, exact=True)
            box.fill(SAMPLE.read_text(encoding="utf-8"))
            box.blur()
            page.wait_for_timeout(300)  # let the save-on-change round trip finish before timing the click
            clicked = time.perf_counter()
            page.get_by_role("button", name="Draft", exact=True).click()
            expect(page.get_by_role("tab", name="FTOP Entry")).to_be_visible()
            out["click to drafts"] = time.perf_counter() - clicked
        out["paste"], out["select-all+delete"] = select_all_delete(page)

        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        opened = time.perf_counter()
        tab.goto(url)
        usable(tab)
        out["new tab"] = time.perf_counter() - opened
        tab.close()
    finally:
        page.close()
        stop(proc)
    return out


def plain_textarea(browser) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Select-all + Delete of the same paste in the browser's own <textarea>: the floor under every page."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.set_content(PLAIN_PAGE)
        paste, delete = select_all_delete(page)
    finally:
        page.close()
    return {"paste": paste, "select-all+delete": delete}


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def measure(browser, checkouts: dict[str, Path], runs: int) -> None:  # type: ignore[no-untyped-def]
    """`runs` rounds; each round runs every app once, in turn. Prints each run, then the medians per app."""
    figures: dict[str, Figures] = {label: Figures() for label in [*checkouts, FLOOR, PLAIN]}
    for i in range(runs):
        for label in figures:
            with tempfile.TemporaryDirectory() as tmp_dir:
                tmp = Path(tmp_dir)
                if label == PLAIN:
                    row = plain_textarea(browser)
                elif label == FLOOR:
                    (tmp / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
                    row = one_run(browser, tmp / "bare_app.py", None, tmp, draft=False)
                else:
                    checkout = checkouts[label]
                    row = one_run(browser, checkout / "streamlit_app.py", checkout, tmp, draft=True)
            figures[label].rows.append(row)
            print(f"{label} run {i + 1}: " + ", ".join(f"{k} {v:.2f} s" for k, v in row.items()), flush=True)
    print(f"\nMedians over {runs} rounds (same machine, same run):")
    for label, f in figures.items():
        if label != PLAIN:
            print(
                f"{label}: app start to first page (notes box and Draft button) {fmt(f.median('first page'))} "
                f"(title {fmt(f.median('title'))}); a new tab on the running app {fmt(f.median('new tab'))}"
            )
        if f.median("click to drafts") is not None:
            print(f"{label}: click to drafts ({SAMPLE.name}, offline) {fmt(f.median('click to drafts'))}")
        print(
            f"{label}: {PASTE_CHARS:,}-character paste {fmt(f.median('paste'))}, then select-all + Delete until "
            f"empty {fmt(f.median('select-all+delete'))}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout to measure in the same run")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        checkouts = {"before": args.before.resolve()} if args.before else {}
        measure(browser, {**checkouts, "now": ROOT}, args.runs)
        browser.close()


if __name__ == "__main__":
    main()
