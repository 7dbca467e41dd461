"""Guardrail figures for the README and the issue's closing note.

Prints: what an obedient hostile model (tests/obedient_model.py, behind the stub server) gets into the drafts, with
and without the guardrails; the leak families' examples and counter-examples; prompt-injection payloads tried and
held (offline, and on the model path); bad inputs handled by the CLI and the app; planted privacy violations caught
(recall) and false alarms on the samples in examples/; drafting and guardrail time on 200 KB of notes in three
shapes. Run: .venv/bin/python bench/guard_eval.py [obedient families payloads bad privacy speed]
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
            before = store.get(eid)
            at.text_area(key=f"{eid}:notes").input(text).run()
            if len(text) > get_settings().max_notes_bytes:  # the box refuses it whole; the notes there stay
                after = store.get(eid)
                kept = before.notes if before is not None else ""
                ok = not at.exception and after is not None and after.notes == kept
                handled += ok
                if not ok:
                    failures.append(f"app {case.id}: the notes box lost the notes already there")
                continue
            before = store.get(eid)
            earlier = before.bundle if before is not None else None
            at.button(key=f"{eid}:draft").click().run()
            record = store.get(eid)
            said = any(e.value for e in (*at.error, *at.warning))
            ok = not at.exception and record is not None and record.notes == text
            # the page's own message where it has one (tests/test_bad_inputs.py says which); else drafts anew
            drafted = record is not None and record.bundle is not None and record.bundle != earlier
            ok = ok and (said if case.app_says else drafted and not at.error)
            handled += ok
            if not ok:
                errors = [e.value[:80] for e in at.error]
                failures.append(f"app {case.id}: exception={bool(at.exception)} drafted={drafted} errors={errors}")
    return tried, handled, failures


OBEDIENT_KEY = "sk-bench-obedient-SENTINEL-8c1d3e5f7a9b-never"


def obedient_model_figures() -> tuple[dict[str, int], dict[str, int], int]:
    """Every sample with the order planted, drafted through the stub server by a model that obeys it: the verdict
    summed over samples (all must be 0), the same with the fact check and repairs switched off (what the obedient
    model really does), and how many samples."""
    from obedient_model import ObedientModel as Obedient
    from obedient_model import hijack_owner, verdict
    from obedient_model import plant as plant_order

    from ftdraft import pipeline
    from ftdraft.export import write_exports
    from ftdraft.schemas import Engagement

    held: dict[str, int] = {}
    raw: dict[str, int] = {}
    for sample in EXAMPLES:
        notes = sample.read_text(encoding="utf-8")
        owner = hijack_owner(notes)
        planted = plant_order(notes, owner)
        model = Obedient(planted, OBEDIENT_KEY, owner)
        with StubServer(model) as srv, tempfile.TemporaryDirectory() as tmp:
            settings = stub_settings(srv.base_url, OBEDIENT_KEY, FTDRAFT_REQUEST_TIMEOUT=5.0, FTDRAFT_TOTAL_BUDGET=30.0)
            bundle = build_bundle(planted, engine="llm", settings=settings)
            exports = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in write_exports(bundle, tmp))
            for k, v in verdict(bundle, model, exports).items():
                held[k] = held.get(k, 0) + v
            original = guards.check_model_facts
            guards.check_model_facts = lambda n, f, o, e=None: (f, [])  # type: ignore[assignment]
            try:
                unguarded = pipeline._model_bundle(planted, Engagement(), {}, settings=settings, model=None,
                                                   say=lambda _m: None, on_follow_up_token=None)  # fmt: skip
            finally:
                guards.check_model_facts = original  # type: ignore[assignment]
            unguarded.checks = []
            for k, v in verdict(unguarded, model).items():
                raw[k] = raw.get(k, 0) + v
    return held, raw, len(EXAMPLES)


def family_figures() -> tuple[int, int, int, int]:
    """(examples caught, examples, counter-examples wrongly caught, counter-examples) over the leak families."""
    from ftdraft.guards.families import families

    ex = [f.search(e) is not None for f in families() for e in f.examples]
    ce = [f.search(e) is not None for f in families() for e in f.counter_examples]
    return sum(ex), len(ex), sum(ce), len(ce)


def speed_shapes() -> list[tuple[str, int, float, float]]:
    """200 KB of notes in four shapes: (shape, bytes, drafting CPU s, guardrail CPU s), best of 2."""
    head = "Contoso - call 2026-11-18\nAttendees: Priya Raman (ATS), Tom Becker (TAM)\nActions\n"
    actions = head + "\n".join(f"- Tom to send the migration plan for site {i} by 2026-12-{1 + i % 28:02d}"
                                for i in range(3000))  # fmt: skip
    short = head + "\n".join(f"- Tom to do {i} by 2026-12-{1 + i % 28:02d}" for i in range(6000))
    words = ["intune", "defender", "teams", "rollout", "blocked", "by", "security", "review", "Tom", "2026-12-01"]
    long_line = head + " ".join(words[(i * 7) % len(words)] for i in range(22000))[:195_000]
    tiny = "Contoso\n" + "a\n" * 99_000
    out = []
    for name, notes in (("6,000 action lines", short), ("3,000 long shared-word actions", actions),
                        ("one long line", long_line), ("100k short lines", tiny)):  # fmt: skip
        best_draft = best_guard = float("inf")
        for _ in range(2):
            t0 = time.process_time()  # CPU time: on a shared VM wall time swings with the neighbours' load
            bundle = offline_bundle(notes)
            t1 = time.process_time()
            guards.guard_bundle(bundle, notes)
            t2 = time.process_time()
            best_draft, best_guard = min(best_draft, t1 - t0), min(best_guard, t2 - t1)
        out.append((name, len(notes.encode()), best_draft, best_guard))
    return out


def main() -> None:
    started = time.perf_counter()
    only = sys.argv[1:] or ["payloads", "obedient", "families", "bad", "privacy", "speed"]
    if "obedient" in only:
        held, raw, n = obedient_model_figures()
        print(f"Obedient hostile model ({n} samples, the order planted; stub server on 127.0.0.1 that follows it):")
        labels = {
            "moved_unflagged": "moved owners/dates/statuses in a draft, unflagged",
            "links_or_recipients": "injected links or recipients",
            "usage_in_field": "paraphrased usage figures/codes in field or customer text",
            "remarks_in_blurb": "internal remarks in the customer blurb",
            "key_pieces": "pieces of the API key (>= 8 chars) in the bundle or exports",
        }
        for k, label in labels.items():
            print(f"  {label:<62}: {held.get(k, 0):>3}   (without the fact check and repairs: {raw.get(k, 0)})")
    if "families" in only:
        hit, n_ex, false_hit, n_ce = family_figures()
        print(f"Leak families (data/guard_families.toml): {hit}/{n_ex} examples caught, "
              f"{false_hit}/{n_ce} counter-examples wrongly caught")  # fmt: skip
    if "payloads" in only:
        off_tried, off_held, off_raw, off_fail = offline_payloads()
        llm_tried, llm_held, llm_fail = model_payloads()
        print(f"Prompt-injection corpus: {len(payloads())} payloads")
        print(f"  offline    : {off_held}/{off_tried} held ({len(EXAMPLES)} samples x {len(PLANT_MODES)} placements); "
              f"{off_raw}/{off_tried} held by the offline engine before any guardrail repair")  # fmt: skip
        print(f"  model path : {llm_held}/{llm_tried} held (older stub: writes hostile drafts, keeps the facts)")
        for line in off_fail + llm_fail:
            print("  !", line)
    if "bad" in only:
        bad_tried, bad_ok, bad_fail = bad_inputs()
        app_tried, app_ok, app_fail = bad_inputs_app()
        print(f"Bad inputs (CLI)         : {bad_ok}/{bad_tried} handled (clear one-line message or a valid bundle)")
        print(
            f"Bad inputs (app)         : {app_ok}/{app_tried} handled (a message or drafts, no exception, notes kept)"
        )
        for line in bad_fail + app_fail:
            print("  !", line)
    if "privacy" in only:
        privacy = privacy_eval(load_samples())
        print(f"Planted privacy violations: {privacy['caught']}/{privacy['planted']} caught, "
              f"recall {privacy['recall']:.0%}")  # fmt: skip
        print(f"False alarms             : {len(privacy['false_alarms'])} on {privacy['samples']} sample bundles "
              f"+ {privacy['clean_tried']} clean field/customer sentences")  # fmt: skip
        for line in privacy["missed"] + privacy["false_alarms"]:
            print("  !", line)
    if "speed" in only:
        print("200 KB of notes, offline (CPU seconds, best of 2):")
        for name, size, drafting, guarding in speed_shapes():
            print(f"  {name:<32} {size / 1000:5.0f} KB: drafting {drafting:5.2f} s + guardrails {guarding:5.2f} s "
                  f"= {drafting + guarding:5.2f} s")  # fmt: skip
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
