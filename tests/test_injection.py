"""Prompt injection: notes are data. Every payload of the corpus, planted in every sample, offline and on the model
path (a scripted local server that OBEYS the injection), leaves recipients, subjects and structure alone, never
leaks the system prompt, and never reaches a draft or an export as live markup."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from app_support import draft_notes, engagement_id, open_app
from guard_support import (
    ATTACKER_DOMAIN,
    EXAMPLES,
    PLANT_MODES,
    ObedientModel,
    all_text,
    headers,
    injection_problems,
    obedient_facts,
    payloads,
    plant,
    recipients,
)
from openai_stub_server import StubServer, stub_settings

from ftdraft import guards
from ftdraft.config import Settings
from ftdraft.export import bundle_to_markdown, write_exports
from ftdraft.llm import PROMPT_CANARY
from ftdraft.pipeline import build_bundle
from ftdraft.schemas import DraftBundle, Engagement

PAYLOADS = payloads()
SENTINEL_KEY = "sk-guard-SENTINEL-key-0000-do-not-leak"


def test_the_corpus_covers_every_kind_the_issue_names() -> None:
    assert len(PAYLOADS) >= 25
    assert len({p["id"] for p in PAYLOADS}) == len(PAYLOADS)
    kinds = {p["kind"] for p in PAYLOADS}
    assert {
        "direct",
        "pasted-email",
        "encoded",
        "hidden",
        "language",
        "split",
        "markdown",
        "html",
        "prompt-leak",
    } <= kinds
    texts = "\n".join(p["text"] for p in PAYLOADS)
    assert any(0xE0000 <= ord(c) <= 0xE007F for c in texts)  # Unicode tag characters really are in there


def _offline(notes: str) -> DraftBundle:
    return build_bundle(notes, engine="offline", settings=Settings(_env_file=None))  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def baselines() -> dict[str, DraftBundle]:
    return {p.name: _offline(p.read_text(encoding="utf-8")) for p in EXAMPLES}


def _export_text(bundle: DraftBundle, tmp: Any, suffixes: tuple[str, ...] = (".eml", ".ics", ".txt")) -> str:
    """The exports a mail client or FTOP renders: the drafts. bundle.json is data (it keeps the notes' own words as
    facts' sources, which a JSON consumer must get, and nothing renders it); bundle.md has its own test below."""
    return "\n".join(
        p.read_bytes().decode("utf-8", errors="replace") for p in write_exports(bundle, tmp) if p.suffix in suffixes
    )


@pytest.mark.parametrize("mode", PLANT_MODES)
@pytest.mark.parametrize("example", [p.name for p in EXAMPLES])
def test_offline_every_payload_holds(example: str, mode: str, baselines: dict[str, DraftBundle], tmp_path) -> None:  # type: ignore[no-untyped-def]
    notes = (EXAMPLES[0].parent / example).read_text(encoding="utf-8")
    failures = {}
    for p in PAYLOADS:
        bundle = _offline(plant(notes, p["text"], mode))
        problems = injection_problems(bundle, baselines[example])
        exported = _export_text(bundle, tmp_path / p["id"]) if p["kind"] in ("html", "markdown", "hidden") else ""
        if guards.HTML_RE.search(exported) or guards.MD_IMAGE_RE.search(exported):
            problems.append("live markup in an export")
        if problems:
            failures[p["id"]] = problems
    assert not failures, failures


def test_markdown_export_renders_no_live_html_from_the_notes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    notes = plant(
        EXAMPLES[0].read_text(encoding="utf-8"), '- environment: hybrid AD, 3 domains <img src=x onerror="alert(1)">'
    )
    md = _export_text(_offline(notes), tmp_path, (".md",))
    live_tag = re.search(r"<\s*/?\s*(?:img|script|iframe|svg|a|style)\b", md, re.IGNORECASE)
    assert not live_tag, md[max(0, live_tag.start() - 80) : live_tag.end() + 80]
    assert not guards.MD_IMAGE_RE.search(md)
    assert "&lt;img" in md, "the FM still sees what the notes said, as text"


def test_checks_quote_offending_markup_inertly() -> None:
    notes = plant(
        EXAMPLES[0].read_text(encoding="utf-8"),
        '- environment: hybrid AD <img src=x onerror="alert(1)"> ![a](https://evil.example/x)',
    )
    bundle = _offline(notes)
    quoted = "\n".join(c.text + c.suggestion for c in bundle.checks)
    assert "onerror" in quoted  # the FM sees what was removed...
    assert not re.search(r"<\s*/?\s*[a-z]", quoted, re.I) and not guards.MD_IMAGE_RE.search(quoted)  # ...as text


def test_subjects_never_carry_line_breaks_even_from_a_hostile_customer_name() -> None:
    hostile = Engagement(customer="Contoso\r\nBcc: attacker@evil.example")
    notes = EXAMPLES[0].read_text(encoding="utf-8")
    bundle = build_bundle(notes, hostile, engine="offline", settings=Settings(_env_file=None))  # type: ignore[call-arg]
    for subject in headers(bundle.drafts).values():
        assert "\r" not in subject and "\n" not in subject


# ================================================================ the model path: a server that obeys


@pytest.fixture(scope="module")
def contoso() -> str:
    return next(p for p in EXAMPLES if "contoso" in p.name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def obedient_server(contoso: str) -> Iterator[StubServer]:
    with StubServer(ObedientModel(obedient_facts(contoso))) as srv:
        yield srv


def _model_settings(url: str) -> Settings:
    return stub_settings(
        url, SENTINEL_KEY, FTDRAFT_REQUEST_TIMEOUT=2.0, FTDRAFT_TOTAL_BUDGET=8.0, FTDRAFT_MAX_RETRIES=0
    )


def _leaked_prompt(text: str) -> list[str]:
    return [f for f in guards.system_prompt_fingerprints() if f in text]


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p["id"] for p in PAYLOADS])
def test_model_path_obeying_every_payload_still_holds(
    payload: dict[str, Any], contoso: str, obedient_server: StubServer, baselines: dict[str, DraftBundle], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    notes = plant(contoso, payload["text"], "inline")
    bundle = build_bundle(notes, engine="llm", settings=_model_settings(obedient_server.base_url))
    baseline = baselines[next(p.name for p in EXAMPLES if "contoso" in p.name)]
    model_parts = [k for k, p in bundle.provenance.items() if p.engine == "llm"]
    assert model_parts, "the obedient model wrote nothing: the test would prove nothing"
    problems = injection_problems(bundle, baseline)
    text = all_text(bundle) + "\n" + _export_text(bundle, tmp_path)
    assert PROMPT_CANARY not in text + bundle.model_dump_json()
    assert not _leaked_prompt(text), _leaked_prompt(text)[:3]
    assert ATTACKER_DOMAIN not in json.dumps(recipients(bundle.drafts))
    assert "12% active users" not in "\n".join(
        p.text for p in guards.iter_parts(bundle.drafts) if p.audience != "internal"
    )
    assert "Blocked" not in bundle.drafts.intro_request.customer_blurb
    assert not re.search(r"<script|onerror=|!\[", text, re.IGNORECASE)
    assert SENTINEL_KEY not in text + bundle.model_dump_json()
    assert not problems, problems
    # what the guard did is on the record, beside the drafts: a model-written email keeps no hostile subject (the
    # template's is restored); an email the model wrote unusably fell back whole, with its reason
    rules = {c.rule for c in bundle.checks}
    assert "injection.prompt_leak" in rules
    assert "Password reset" not in text
    emails = ("follow_up", "internal_invite", "intro_request", "sync_rhythm")
    if any(bundle.provenance[k].engine == "llm" for k in emails):
        assert "subject.restored" in rules
    else:
        assert all(bundle.provenance[k].fallback_reason for k in emails)


def test_model_path_held_bundles_report_no_errors(contoso: str, obedient_server: StubServer) -> None:
    bundle = build_bundle(
        plant(contoso, PAYLOADS[0]["text"]), engine="llm", settings=_model_settings(obedient_server.base_url)
    )
    errors = [c for c in bundle.checks if c.severity == "error"]
    assert not errors, errors  # everything hostile was removed or restored, and each repair is a warning


# ================================================================ the page: user text never becomes live HTML

MARKUP_NOTES = (
    '\n- environment: hybrid AD <img src=x onerror="alert(1)"> ![a](https://evil.example/x)\n'
    '- <script>alert(2)</script> <iframe src="https://evil.example/f"></iframe> [click](javascript:alert(3))\n'
)


def _markdown_nodes(node):  # type: ignore[no-untyped-def]
    """Every element of the page tree, depth first."""
    yield node
    for child in node.children.values() if hasattr(node, "children") else []:
        yield from _markdown_nodes(child)


def test_the_page_renders_no_user_text_as_html(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]

    from ftdraft.config import get_settings

    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "FTDRAFT_ENGINE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("FTDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    contoso = next(p for p in EXAMPLES if "contoso" in p.name).read_text(encoding="utf-8")
    at = open_app()
    draft_notes(at, engagement_id(at), contoso + MARKUP_NOTES)
    nodes = list(_markdown_nodes(at._tree))
    assert any("onerror" in str(getattr(n, "value", "")) for n in nodes), "the hostile text is on the page (as text)"
    from ftdraft.ui.common import STYLE  # the one constant HTML the page writes: a style rule, never user text

    for n in nodes:
        if isinstance(getattr(n, "value", None), str) and n.value == STYLE:
            continue
        assert type(n).__name__.lower() != "html", "no st.html element"
        proto = getattr(n, "proto", None)
        assert not getattr(proto, "allow_html", False), f"{type(n).__name__} allows HTML"
        if type(n).__name__ in ("Markdown", "Caption", "Warning", "Error", "Info", "Success", "Header", "Subheader",
                                "Title", "Expander", "Tab"):  # fmt: skip
            body = str(getattr(n, "value", "") or getattr(n, "label", "") or "")
            assert not re.search(r"(?<!\\)<\s*/?[a-zA-Z]", body), (type(n).__name__, body[:200])
            assert not re.search(r"(?<!\\)!\[", body), (type(n).__name__, body[:200])
            assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", body), (type(n).__name__, body[:200])  # no live link


# ---------------------------------------------------------------- live markup (security cases 5 and 6)

SECURITY_CASES = Path(__file__).resolve().parent / "fixtures" / "cases" / "security"
CONTOSO = next(p for p in EXAMPLES if "contoso" in p.name).read_text(encoding="utf-8")
LIVE_HTML_RE = re.compile(r"<(?:a|img|script|svg|details|iframe|object|embed|video|audio)\b", re.IGNORECASE)


def rendered_html(md: str) -> str:
    """bundle.md as a CommonMark renderer with GFM tables shows it (markdown-it-py, also what rich uses)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(md)


def assert_inert_markdown(md: str) -> None:
    html = rendered_html(md)
    assert not LIVE_HTML_RE.search(html), LIVE_HTML_RE.search(html).group(0)  # type: ignore[union-attr]
    assert "ontoggle" not in html.replace("ontoggle=alert", "") or "&lt;details" in html
    # no bare URL a GFM renderer would auto-link: every scheme or www. is broken by an escape
    outside_fences = re.sub(r"^(`{3,})text\n.*?^\1$", "", md, flags=re.MULTILINE | re.DOTALL)
    assert not re.search(r"\b(?:https?|ftp)://|\bwww\.", outside_fences, re.IGNORECASE)


def test_markup_title_reproduction_is_inert_in_bundle_md(tmp_path: Path) -> None:
    """Security case 5/6: a markdown image and link in the notes' title, HTML in the lines."""
    notes = (SECURITY_CASES / "b6-markup-title.txt").read_text(encoding="utf-8")
    bundle = build_bundle(notes, engine="offline")
    md = bundle_to_markdown(bundle)
    assert_inert_markdown(md)
    for part in guards.iter_parts(bundle.drafts):
        assert not guards.HTML_RE.search(part.text) and not guards.MD_IMAGE_RE.search(part.text), part.draft


HOSTILE_FIELDS = [
    "[click here](https://evil.example/phish)",
    "![x](https://evil.example/p.png)",
    "<details open ontoggle=alert(1)>x</details>",
    "<img src=x onerror=alert(1)>",
    "see https://evil.example/a and www.evil.example",
    "**bold** _it_ `code` | table | ~~strike~~",
]


@pytest.mark.parametrize("hostile", HOSTILE_FIELDS)
def test_model_fact_fields_are_inert_in_bundle_md(hostile: str) -> None:
    """Fact fields a model fills (open item tag, compete product, flag field, agenda title...) are escaped."""
    from factories import contoso_engagement, contoso_facts

    from ftdraft.schemas import CompeteProduct, Flag, OpenItem

    facts = contoso_facts()
    facts.compete.append(CompeteProduct.model_construct(product=hostile, text=hostile, sources=[]))
    facts.flags.append(Flag.model_construct(field=hostile, message=hostile, sources=[]))
    facts.open_items.append(OpenItem.model_construct(text=hostile, agenda_item=hostile, owner=hostile, sources=[]))
    engagement = contoso_engagement(workloads=[hostile], health_red_areas=[hostile])
    from ftdraft.drafts import render_drafts
    from ftdraft.schemas import DraftBundle

    bundle = DraftBundle(generated_at=datetime.now(UTC), engagement=engagement, facts=facts,
                         drafts=render_drafts(contoso_engagement(), contoso_facts()))  # fmt: skip
    assert_inert_markdown(bundle_to_markdown(bundle))


@pytest.mark.parametrize("hostile", HOSTILE_FIELDS[:4])
def test_model_drafts_lose_live_markup_and_markdown_links(hostile: str) -> None:
    bundle = build_bundle(CONTOSO, engine="offline")
    bundle.drafts.intro_request.customer_blurb += f"\nFastTrack can help. {hostile}\n"
    bundle.drafts.follow_up.body += f"\n{hostile}\n"
    bundle.provenance = {k: p.model_copy(update={"engine": "llm"}) for k, p in bundle.provenance.items()}
    repaired = guards.guard_bundle(bundle, CONTOSO)
    for text in (repaired.drafts.intro_request.customer_blurb, repaired.drafts.follow_up.body):
        assert not guards.HTML_RE.search(text) and not guards.MD_IMAGE_RE.search(text)
        assert "](" not in text and "evil.example" not in text
    assert any(c.rule.startswith("injection.") for c in repaired.checks)


def test_checkbox_labels_on_the_page_are_inert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Security case 5 on the real page: the prep checklist's labels (they render markdown) carry no link/image."""
    monkeypatch.setenv("FTDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("FTDRAFT_ENGINE", "offline")
    from ftdraft.config import get_settings

    get_settings.cache_clear()
    at = open_app()
    notes = (SECURITY_CASES / "b6-markup-title.txt").read_text(encoding="utf-8")
    at = draft_notes(at, engagement_id(at), notes)
    labels = [c.label for c in at.checkbox] + [e.label for e in at.expander]
    assert labels
    for label in labels:
        assert not re.search(r"(?<!\\)[\[\]<]|(?<!\\)!(?=\\?\[)", label), label
        assert "https://" not in label and "<img" not in label.lower()
    get_settings.cache_clear()
