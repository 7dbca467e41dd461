"""Agenda answers: the FM's typed answers applied over the notes, and each agenda item's answer from the facts."""

from __future__ import annotations

import re

from .. import lexicon as lx
from ..agenda import agenda_for
from ..schemas import (
    AgendaAnswer,
    Ask,
    CallFacts,
    CompeteProduct,
    Engagement,
    Fact,
    Source,
)
from .actions import read_asks
from .intents import read_intents
from .lines import Line, split_lines, topic_text
from .people import People
from .text import clean_sentence, dedupe_sources, source_key
from .topics import read_compete, read_sync_rhythm


def _agenda_lines(agenda_answers: dict[str, str]) -> dict[str, list[Line]]:
    """Typed agenda answers read like note lines of their item, with origin 'agenda'."""
    out: dict[str, list[Line]] = {}
    for key, answer in agenda_answers.items():
        parsed = split_lines(answer)
        for line in parsed:
            line.topics = {key}
            line.header = False  # a typed answer has no title line: its first line is an answer too
        out[key] = parsed
    return out


def _retag(lines: list[Line]) -> list[Line]:
    for line in lines:
        line.no = 0
    return lines


def apply_agenda_answers(facts: CallFacts, answers: dict[str, str], people: People, workloads: list[str]) -> None:
    """The FM's typed answers win over what the rules read from the notes, item by item."""
    for key, lines in _agenda_lines(answers).items():
        src = [Source(origin="agenda", text=answers[key][:500])]

        def typed(topic: str, lines: list[Line] = lines, src: list[Source] = src) -> list[Fact]:
            return [Fact(text=clean_sentence(line.text), sources=src) for line in lines if topic]

        if key == "a":
            facts.fasttrack_process = typed("a")
        elif key == "c":
            # only the workloads the FM typed about: the others keep what the notes said
            intents = [i for i in read_intents(_retag(lines), workloads, []) if i.sources]
            for intent in intents:
                intent.sources = src
            known = {i.workload for i in intents}
            facts.intents = intents + [i for i in facts.intents if i.workload not in known]
        elif key == "d":
            facts.environment = typed("d")
        elif key == "e":
            facts.licenses = typed("e")
        elif key == "f":
            compete = read_compete(_retag(lines)) or [CompeteProduct(product=answers[key][:60], text=answers[key])]
            facts.compete = [c.model_copy(update={"sources": src}) for c in compete]
        elif key == "g":
            facts.migration_source = typed("g")
        elif key == "h":
            facts.partner = typed("h")
        elif key == "i":
            facts.additional_tenants = typed("i")
        elif key == "k":
            facts.political_changes = typed("k")
        elif key == "l":
            facts.timeline = typed("l")
        elif key == "m":
            facts.asks = [a.model_copy(update={"sources": src}) for a in read_asks(_retag(lines), people)]
        elif key == "n":
            rhythm = read_sync_rhythm(_retag(lines), people)
            facts.sync_rhythm = rhythm.model_copy(update={"sources": src}) if rhythm else None


def _answer(item: str, title: str, facts: list[Fact] | list[CompeteProduct] | list[Ask]) -> AgendaAnswer:
    if not facts:
        return AgendaAnswer(item=item, title=title)
    text = " / ".join(f.text for f in facts[:4])
    return AgendaAnswer(
        item=item,
        title=title,
        answered=True,
        answer=text[:600],
        sources=dedupe_sources(s for f in facts for s in f.sources),
    )


def _fact_key(fact: Fact) -> tuple[str, tuple[tuple[str, tuple[int, ...], str], ...]]:
    """Every field of a Fact: `in` over a list compared pydantic models pairwise, quadratic on long notes."""
    return fact.text, tuple(source_key(s) for s in fact.sources)


def read_agenda(
    lines: list[Line], facts: CallFacts, engagement: Engagement, typed: dict[str, str]
) -> list[AgendaAnswer]:
    """Each agenda item's answer, read from the facts it produced (so the form and the drafts agree)."""

    def hits(key: str) -> list[Fact]:
        return [
            Fact(text=clean_sentence(topic_text(line, key)), sources=[line.source()])
            for line in lines
            if key in line.topics and not line.header
        ]

    timeline_keys = {_fact_key(f) for f in facts.timeline}
    by_item: dict[str, list] = {
        "a": [f for f in facts.fasttrack_process if not lx.process_walkthrough_pending(f.text)],  # done, not planned
        "b": hits("b"),
        "c": [
            Fact(text=f"{i.workload}: {i.status}" + (f" ({i.reason})" if i.reason else ""), sources=i.sources)
            for i in facts.intents
            if i.status != "Status Unknown" or i.reason
        ],
        "d": facts.environment,
        "e": facts.licenses,
        "f": facts.compete,
        "g": facts.migration_source,
        "h": facts.partner,
        "i": facts.additional_tenants,
        "j": hits("j"),
        "k": facts.political_changes,
        "l": facts.timeline + [r for r in facts.risks if _fact_key(r) not in timeline_keys],
        "m": facts.asks or [f for f in hits("m") if re.search(r"\bnone|nothing|no asks?\b", f.text, re.I)],
        "n": [Fact(text=facts.sync_rhythm.text, sources=facts.sync_rhythm.sources)] if facts.sync_rhythm else [],
    }
    answers = []
    for item in agenda_for(engagement.motion):
        if item.key in typed:
            answers.append(
                AgendaAnswer(
                    item=item.key,
                    title=item.title,
                    answered=True,
                    answer=typed[item.key],
                    sources=[Source(origin="agenda", text=typed[item.key][:500])],
                )
            )
        else:
            answers.append(_answer(item.key, item.title, by_item[item.key]))
    return answers
