"""App benchmark: `streamlit run` start to first page (title rendered in Chromium), and click-to-drafts
time for a sample, offline. Medians of a few runs. Usage: .venv/bin/python bench/app.py [--runs 3]"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_browser import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, stop  # noqa: E402

SAMPLE = ROOT / "examples" / "health-fabrikam-mfg.md"


def one_run(browser, tmp: Path) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    port = free_port()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    started = time.perf_counter()
    proc = start_app(tmp, port)
    try:
        while True:  # the server is up when the page loads; retry until it answers
            try:
                page.goto(f"http://127.0.0.1:{port}", timeout=2_000)
                break
            except Exception:
                if proc.poll() is not None or time.perf_counter() - started > 60:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.05)
        expect(page.get_by_role("heading", name="ftdraft").first).to_be_visible()
        first_page = time.perf_counter() - started

        box = page.get_by_label("Paste your account-team call notes")
        box.fill(SAMPLE.read_text(encoding="utf-8"))
        box.blur()
        page.wait_for_timeout(300)  # let the save-on-change round trip finish before timing the click
        clicked = time.perf_counter()
        page.get_by_role("button", name="Draft", exact=True).click()
        expect(page.get_by_role("tab", name="FTOP entry")).to_be_visible()
        to_drafts = time.perf_counter() - clicked
    finally:
        page.close()
        stop(proc)
    return first_page, to_drafts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    starts, drafts = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for i in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                s, d = one_run(browser, Path(tmp))
            starts.append(s)
            drafts.append(d)
            print(f"run {i + 1}: start to first page {s:.2f} s, click to drafts {d:.2f} s", flush=True)
        browser.close()
    print(f"app start to first page: median {statistics.median(starts):.2f} s over {args.runs} runs")
    print(f"click to drafts ({SAMPLE.name}, offline): median {statistics.median(drafts):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
