"""Guardrail figures for the README and the issue's closing note.

Prints: prompt-injection payloads tried and held (offline, and on the model path against a local server that
obeys them), bad inputs tried and handled by the CLI, planted privacy violations caught (recall), and false alarms
on the samples in examples/. Run: .venv/bin/python bench/guard_eval.py
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the payload corpus, the obedient stub model and the bad-input cases

from app_support import engagement_id, open_app  # noqa: E402
from guard_support import (  # noqa: E402
    EXAMPLES,
    PLANT_MODES,
    ObedientModel,
    injection_problems,
    load_samples,
    obedient_facts,
    payloads,
    plant,
    privacy_eval,
)
from openai_stub_server import StubServer, stub_settings  # noqa: E402
from test_bad_inputs import CASES, ROSTER_CONTEXT  # noqa: E402

from ftdraft import guards  # noqa: E402
from ftdraft.cli import main as cli_main  # noqa: E402
from ftdraft.llm import PROMPT_CANARY  # noqa: E402
from ftdraft.pipeline import build_bundle, offline_bundle  # noqa: E402
from ftdraft.schemas import DraftBundle  # noqa: E402


def offline_payloads() -> tuple[int, int, int, list[str]]:
    """(tried, held after the guardrails, held by the offline engine alone, failures)."""
    tried = held = raw_held = 0
    failures: list[str] = []
    for sample in EXAMPLES:
        notes = sample.read_text(encoding="utf-8")
        baseline = build_bundle(notes, engine="offline")
        for mode in PLANT_MODES:
            for p in payloads():
                planted = plant(notes, p["text"], mode)
                tried += 1
                problems = injection_problems(build_bundle(planted, engine="offline"), baseline)
                held += not problems
                raw_held += not injection_problems(offline_bundle(planted), baseline)
                if problems:
                    failures.append(f"offline {sample.name} {mode} {p['id']}: {problems[0][:120]}")
    return tried, held, raw_held, failures


def model_payloads() -> tuple[int, int, list[str]]:
    contoso = (ROOT / "examples" / "rfa-contoso-pharma.md").read_text(encoding="utf-8")
    baseline = build_bundle(contoso, engine="offline")
    tried = held = 0
    failures: list[str] = []
    with StubServer(ObedientModel(obedient_facts(contoso))) as srv:
        settings = stub_settings(
            srv.base_url,
            "sk-bench-not-a-real-key",
            FTDRAFT_REQUEST_TIMEOUT=2.0,
            FTDRAFT_TOTAL_BUDGET=8.0,
            FTDRAFT_MAX_RETRIES=0,
        )
        for p in payloads():
            for mode in PLANT_MODES:
                tried += 1
                bundle = build_bundle(plant(contoso, p["text"], mode), engine="llm", settings=settings)
                text = "\n".join(part.text for part in guards.iter_parts(bundle.drafts))
                problems = injection_problems(bundle, baseline)
                if PROMPT_CANARY in text or any(f in text for f in guards.system_prompt_fingerprints()):
                    problems.append("system prompt leaked")
                if not any(v.engine == "llm" for v in bundle.provenance.values()):
                    problems.append("the model wrote nothing (the run proves nothing)")
                held += not problems
                if problems:
                    failures.append(f"model {mode} {p['id']}: {problems[0][:120]}")
    return tried, held, failures


def bad_inputs() -> tuple[int, int, list[str]]:
    tried = handled = 0
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        ctx = Path(tmp) / "context.json"
        ctx.write_text(json.dumps(ROSTER_CONTEXT), encoding="utf-8")
        runs = [(c.id, c.data, c.expect, []) for c in CASES] + [
            ("roster-no-notes", b"", "message", ["--context", str(ctx)])
        ]
        for case_id, data, expect, extra in runs:
            tried += 1
            notes = Path(tmp) / f"{case_id}.txt"
            notes.write_bytes(data)
            out, err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    code = cli_main(["draft", str(notes), *extra])
            except BaseException as exc:  # a traceback is exactly what this counts
                failures.append(f"{case_id}: raised {type(exc).__name__}")
                continue
            ok = notes.read_bytes() == data and "Traceback" not in out.getvalue() + err.getvalue()
            if expect == "message":
                ok = ok and code == 2 and len(err.getvalue().strip().splitlines()) == 1
            else:
                try:
                    DraftBundle.model_validate_json(out.getvalue())
                except ValueError:
                    ok = False
                ok = ok and code == 0
            handled += ok
            if not ok:
                failures.append(f"{case_id}: exit {code}, {err.getvalue().strip()[:120]}")
    return tried, handled, failures


def bad_inputs_app() -> tuple[int, int, list[str]]:
    """The same cases pasted into the app (AppTest, offline, a temporary database): a message or drafts, never an
    exception, and the store keeps the notes."""
    import os

    from ftdraft.config import get_settings
    from ftdraft.store import Store

    tried = handled = 0
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'app.db'}"
        os.environ["FTDRAFT_DATABASE_URL"] = url
        for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FTDRAFT_ENGINE"):
            os.environ.pop(var, None)
        get_settings.cache_clear()
        at = open_app()
        eid = engagement_id(at)
        store = Store(url)
        for case in CASES:
            tried += 1
            text = case.data.decode("utf-8", errors="replace")
            at.text_area(key=f"{eid}:notes").input(text).run()
            at.button(key=f"{eid}:draft").click().run()
            record = store.get(eid)
            said = any(e.value for e in (*at.error, *at.warning))
            ok = not at.exception and record is not None and record.notes == text
            ok = ok and (
                said if case.expect == "message" and not text.strip() or len(text.encode()) > 200_000 else True
            )
            handled += ok
            if not ok:
                failures.append(f"app {case.id}: exception={bool(at.exception)}")
    return tried, handled, failures


def main() -> None:
    started = time.perf_counter()
    off_tried, off_held, off_raw, off_fail = offline_payloads()
    llm_tried, llm_held, llm_fail = model_payloads()
    bad_tried, bad_ok, bad_fail = bad_inputs()
    app_tried, app_ok, app_fail = bad_inputs_app()
    privacy = privacy_eval(load_samples())
    n_payloads = len(payloads())
    print(f"Prompt-injection corpus: {n_payloads} payloads")
    print(f"  offline    : {off_held}/{off_tried} held ({len(EXAMPLES)} samples x {len(PLANT_MODES)} placements); "
          f"{off_raw}/{off_tried} held by the offline engine before any guardrail repair")  # fmt: skip
    print(
        f"  model path : {llm_held}/{llm_tried} held (stub server obeying every payload, {len(PLANT_MODES)} placements)"
    )
    print(f"Bad inputs (CLI)         : {bad_ok}/{bad_tried} handled (clear one-line message or a valid bundle)")
    print(f"Bad inputs (app)         : {app_ok}/{app_tried} handled (a message or drafts, no exception, notes kept)")
    print(f"Planted privacy violations: {privacy['caught']}/{privacy['planted']} caught, "
          f"recall {privacy['recall']:.0%}")  # fmt: skip
    print(f"False alarms             : {len(privacy['false_alarms'])} on {privacy['samples']} sample bundles "
          f"+ {privacy['clean_tried']} clean field/customer sentences")  # fmt: skip
    for line in off_fail + llm_fail + bad_fail + app_fail + privacy["missed"] + privacy["false_alarms"]:
        print("  !", line)
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
