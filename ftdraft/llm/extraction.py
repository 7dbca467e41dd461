"""Extraction on the model path: the raw notes go to the model exactly once and come back as validated CallFacts.

The rules engine runs first: it enriches the engagement (the roster every recipient must come from — a
model never adds people to it) and its facts are the fallback when the model cannot give valid ones.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from ..agenda import AGENDA_BY_KEY, agenda_for
from ..config import Settings
from ..schemas import REASONS_BY_STATUS, AgendaAnswer, CallFacts, Engagement, OpenItem, Provenance, Source
from ..templating import render
from .interface import (
    PROMPT_CANARY,
    Budget,
    ChatModel,
    ChatReply,
    ChatRequest,
    Message,
    ModelGaveUp,
    call_model,
    fallback_provenance,
    model_provenance,
)
from .parsing import parse_structured

STEP = "extract"


def number_lines(notes: str) -> tuple[list[str], str]:
    """The note lines (1-based in every Source) and the numbered block the prompt shows the model."""
    lines = notes.splitlines()
    width = max(3, len(str(len(lines))))
    return lines, "\n".join(f"{i:>{width}}| {line}" for i, line in enumerate(lines, start=1))


def build_request(
    notes: str, engagement: Engagement, agenda_answers: dict[str, str], *, max_tokens: int | None = None
) -> ChatRequest:
    """The one request that carries the notes: system rules, then the engagement (compact JSON), the agenda
    and the numbered notes. max_tokens: the reply's cap (Settings.reply_tokens("extract", ...))."""
    lines, numbered = number_lines(notes)
    context = engagement.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    system = render(
        "llm/extract.system.j2",
        taxonomy=REASONS_BY_STATUS,
        canary=PROMPT_CANARY,
        call_date=engagement.call_date.isoformat() if engagement.call_date else "unknown (leave relative dates null)",
    )
    user = render(
        "llm/extract.user.j2",
        engagement_json=json.dumps(context, ensure_ascii=False, separators=(",", ":")),
        agenda=agenda_for(engagement.motion),
        agenda_answers=agenda_answers,
        line_count=len(lines),
        numbered_notes=numbered,
    )
    return ChatRequest(
        step=STEP, messages=(Message("system", system), Message("user", user)), schema=CallFacts, max_tokens=max_tokens
    )


def reask_message(errors: str) -> str:
    return render("llm/reask.user.j2", errors=errors)


def extract_with_model(
    model: ChatModel,
    notes: str,
    engagement: Engagement,
    agenda_answers: dict[str, str],
    *,
    settings: Settings,
    budget: Budget,
    while_waiting: Callable[[], Any] | None = None,
    rules_facts: list[CallFacts] | None = None,
    prepare_model: bool = True,
) -> tuple[Engagement, CallFacts, Provenance]:
    """(engagement, facts, provenance): the model's facts when valid, else the rules engine's, with the reason.

    The request leaves first (this thread waits until it is written); while it is in flight, on this thread
    and in this order, the rules engine reads the notes, `model.prepare()` runs when prepare_model (e.g. the
    openai SDK for a streamed reply later; the CLI streams nothing and skips it), then while_waiting (the
    pipeline prepares the drafting round).
    rules_facts: a list that receives the rules engine's facts for the notes (what the guardrails compare
    the model's facts with), so they are not read twice."""
    started = time.monotonic()
    # The prompt carries the engagement as the FM gave it (the model reads the notes itself), so the
    # request leaves at once and the rules engine runs while it is in flight.
    request = build_request(
        notes, engagement, agenda_answers, max_tokens=settings.reply_tokens("extract", model.reasoning, len(notes))
    )

    def parse(reply: ChatReply) -> CallFacts:
        return parse_structured(reply, CallFacts, prepare=fill_agenda_titles)

    sent = threading.Event()
    request = replace(request, on_sent=sent.set)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ftdraft-extract") as pool:
        future = pool.submit(call_model, model, request, parse, settings=settings, budget=budget, reask=reask_message)
        future.add_done_callback(lambda _done: sent.set())
        sent.wait()  # the request is out (or already answered): the work below no longer holds it up
        from ..extract import extract_facts  # the rules engine loads while the request is in flight

        engagement, offline_facts = extract_facts(notes, engagement, agenda_answers)
        if rules_facts is not None:
            rules_facts.append(offline_facts)
        if prepare_model:
            # e.g. the SDK a streamed draft needs, imported while the request is in flight; a client that
            # cannot be built fails the drafts' calls later, each with its reason
            with contextlib.suppress(Exception):
                model.prepare()
        if while_waiting is not None:
            while_waiting()
        error = future.exception()  # waits for the model
    if isinstance(error, ModelGaveUp):
        exc = error
        return (
            engagement,
            offline_facts,
            fallback_provenance(exc, model.name, "Extraction fell back to the rules engine", started),
        )
    outcome = future.result()  # re-raises anything that is not a model failure: a bug must surface
    facts = finalize_facts(outcome.value, notes, engagement, agenda_answers)
    return (
        engagement,
        facts,
        model_provenance(outcome, started),
    )


def fill_agenda_titles(data: Any) -> Any:
    """The model's CallFacts JSON with each agenda entry's title taken from the agenda (the model is not
    asked for titles: ftdraft.llm.jsonschema.MODEL_OMITS)."""
    if isinstance(data, dict) and isinstance(data.get("agenda"), list):
        for entry in data["agenda"]:
            if isinstance(entry, dict) and "title" not in entry:
                item = AGENDA_BY_KEY.get(str(entry.get("item", "")))
                entry["title"] = item.title if item is not None else str(entry.get("item", ""))
    return data


# ---------------------------------------------------------------- after validation


def finalize_facts(facts: CallFacts, notes: str, engagement: Engagement, agenda_answers: dict[str, str]) -> CallFacts:
    """Make the model's facts trustworthy: real sources only, the FM's agenda answers on top, and every
    agenda item of the motion present (unanswered ones become open items, as in the offline engine)."""
    lines = notes.splitlines()
    data = facts.model_dump()
    _repair_sources(data, lines)
    facts = CallFacts.model_validate(data)
    return _complete_agenda(_apply_agenda_answers(facts, agenda_answers), engagement)


def _repair_sources(node: Any, lines: list[str]) -> None:
    """Walk the dumped facts; every notes Source keeps only line numbers that exist, gets its text from
    those lines, and is moved to the right line when the model quoted text that sits elsewhere."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources" and isinstance(value, list):
                node[key] = [s for s in (_repair_source(src, lines) for src in value) if s is not None]
            else:
                _repair_sources(value, lines)
    elif isinstance(node, list):
        for item in node:
            _repair_sources(item, lines)


def _repair_source(src: dict[str, Any], lines: list[str]) -> dict[str, Any] | None:
    if src.get("origin", "notes") != "notes":
        return src
    quoted = (src.get("text") or "").strip()
    valid = sorted({n for n in src.get("lines", []) if isinstance(n, int) and 1 <= n <= len(lines)})
    if quoted and not any(quoted.lower() in lines[n - 1].lower() for n in valid):
        found = [i for i, line in enumerate(lines, start=1) if quoted.lower() in line.lower()]
        if found:
            valid = found[:3]
    valid = [n for n in valid if lines[n - 1].strip()]
    if not valid:
        return None  # a source that points nowhere is worse than none
    return {"origin": "notes", "lines": valid, "text": "\n".join(lines[n - 1].strip() for n in valid)}


def _apply_agenda_answers(facts: CallFacts, answers: dict[str, str]) -> CallFacts:
    """What the FM typed per agenda item wins over what the model read in the notes."""
    if not answers:
        return facts
    agenda = {a.item: a for a in facts.agenda}
    for key, answer in answers.items():
        item = AGENDA_BY_KEY.get(key)
        if item is None:
            continue
        agenda[key] = AgendaAnswer(
            item=key, title=item.title, answered=True, answer=answer, sources=[Source(origin="agenda", text=answer)]
        )
    open_items = [o for o in facts.open_items if o.agenda_item not in answers]
    ordered = [agenda[k] for k in sorted(agenda)]
    return facts.model_copy(update={"agenda": ordered, "open_items": open_items})


def _complete_agenda(facts: CallFacts, engagement: Engagement) -> CallFacts:
    have = {a.item: a for a in facts.agenda if a.item in AGENDA_BY_KEY}
    open_items = list(facts.open_items)
    asked = {o.agenda_item for o in open_items}
    agenda: list[AgendaAnswer] = []
    for item in agenda_for(engagement.motion):
        entry = have.get(item.key) or AgendaAnswer(item=item.key, title=item.title, answered=False)
        if entry.title != item.title:
            entry = entry.model_copy(update={"title": item.title})
        agenda.append(entry)
        if not entry.answered and item.key not in asked:
            open_items.append(OpenItem(text=item.ask, agenda_item=item.key))
    return facts.model_copy(update={"agenda": agenda, "open_items": open_items})
