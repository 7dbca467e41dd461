"""Service intent per workload (L1 status, L2 reason, a note with the why) from the sentences that name it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol, cast

from .. import lexicon as lx
from ..schemas import (
    IntentReason,
    ServiceIntent,
)
from .lines import Line
from .scope import SCOPE_RE, may_scope
from .text import _ANY_WORKLOAD, _dedupe_sources, _label_workloads, _workloads_in, tidy


def _classify(workload: str, sentences: list[tuple[str, Line]], context: list[Line]) -> ServiceIntent:
    texts = [s for s, _ in sentences]
    joined = " ".join(texts).lower()
    # one source per distinct line first: a line gives the same source every time, and a long note gives a
    # workload thousands of sentences from far fewer lines
    distinct = {id(line): line for _, line in sentences}  # in order of first appearance
    sources = _dedupe_sources(line.source() for line in distinct.values())
    if lx.DUPLICATE_RE.search(joined):
        return ServiceIntent(
            workload=workload, status="Duplicate/Invalid", note=_note("Duplicate or invalid", texts), sources=sources
        )
    if lx.UNRESPONSIVE_RE.search(joined):
        return ServiceIntent(
            workload=workload,
            status="Status Unknown",
            reason="Customer Unresponsive",
            note=_note("Status unknown", texts),
            sources=sources,
        )
    no_intent = [s for s in texts if lx.NO_INTENT_RE.search(s)]
    if no_intent:
        why = " ".join(texts)
        why_extended = why + " " + _related_context(why, context)
        if any(rx.search(why) for rx in lx.COMPETITOR_RES.values()):
            reason: IntentReason | None = "Using Competitive Solution"
        else:
            reason = _first_reason(lx.NO_INTENT_REASONS, why_extended) or "Executive Sponsorship"
        return ServiceIntent(
            workload=workload,
            status="No Intent",
            reason=reason,
            note=_note("No intent", texts, _related_context(why, context)),
            sources=sources,
        )
    blocked = [s for s in texts if lx.BLOCKED_RE.search(s) and not lx.POTENTIAL_RE.search(s)]
    if blocked:
        reason = _first_reason(lx.BLOCKED_REASONS, " ".join(blocked)) or _first_reason(lx.BLOCKED_REASONS, joined)
        return ServiceIntent(
            workload=workload,
            status="Blocked",
            reason=reason,
            note=_note("Blocked", blocked[:2] + [s for s in texts[:4] if s not in blocked[:2]]),
            sources=sources,
        )
    progressing = [
        s
        for s in texts
        if lx.IN_PROGRESS_RE.search(s) and not lx.POTENTIAL_RE.search(s) and not lx.UNSURE_INTENT_RE.search(s)
    ]
    if progressing:
        reason = _first_reason(lx.IN_PROGRESS_REASONS, " ".join(progressing))
        return ServiceIntent(
            workload=workload,
            status="In Progress",
            reason=reason,
            note=_note("In progress", progressing),
            sources=sources,
        )
    return ServiceIntent(
        workload=workload,
        status="Status Unknown",
        note=f"Status unknown: intent for {workload} was not stated on the account-team call; confirm it with the "
        "account team.",
        sources=sources,
    )


class _Searches(Protocol):
    def search(self, text: str) -> object: ...


def _first_reason(table: Iterable[tuple[str, _Searches]], text: str) -> IntentReason | None:
    # the lexicon's reason tables name L2 reasons of the schema (a test holds them to REASONS_BY_STATUS)
    return next((cast(IntentReason, reason) for reason, rx in table if rx.search(text)), None)


def _related_context(why: str, context: list[Line]) -> str:
    """A short 'why' ("b/c freeze") borrows the note line that explains it ("IT freeze until march")."""
    if len(why.split()) > 10:
        return ""
    for cue in ("freeze", "acquisition", "reorg", "budget", "legal", "proxy", "on hold"):
        if cue in why.lower():
            for line in context:
                if cue in line.text.lower() and line.text not in why:
                    return line.text
    return ""


_STATUS_WORDS_RE = re.compile(r"^(?:no intent|blocked|in progress|done|ok)\b[\s.,:;-]*", re.IGNORECASE)


def _note(status: str, texts: list[str], extra: str = "") -> str:
    """One or two sentences: the status, then the why in the FM's own words."""
    why: list[str] = []
    for t in texts:  # stop at two: a long note can give a workload thousands of sentences
        if w := tidy(_STATUS_WORDS_RE.sub("", t)):
            why.append(w)
            if len(why) == 2:
                break
    if extra:
        why.append(tidy(extra))
    if not why:
        return f"{status}."
    return f"{status}: " + "; ".join(w.rstrip(".") for w in why) + "."


_SENTENCE_LABEL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9 ]{1,30}?)\s*:\s*(.*)$")


def _labelled_sentences(line: Line) -> list[tuple[list[str], str]]:
    """A line's sentences, each with the workloads its label names: "intune: x. defender: y." -> two labels."""
    current = list(_label_workloads(line.label)) if line.label else []
    if not current and not _ANY_WORKLOAD.may_match(line.lower()):
        # every sentence and sentence label is a piece of the body, itself a piece of the text: with no workload
        # cue in the text, none names a workload, and _intents skips such sentences
        return []
    out = []
    for sentence in line.body_sentences():
        m = _SENTENCE_LABEL_RE.match(sentence)
        if m and (named := list(_label_workloads(m.group(1)))):
            current, sentence = named, m.group(2)
        out.append((current, sentence.strip()))
    return out


def _intents(lines: list[Line], scope: list[str], scope_lines: list[Line]) -> list[ServiceIntent]:
    cues = (lx.NO_INTENT_RE, lx.BLOCKED_RE, lx.IN_PROGRESS_RE, lx.UNRESPONSIVE_RE, lx.DUPLICATE_RE)
    by_workload: dict[str, list[tuple[str, Line]]] = {}
    stated: set[str] = set()
    scope_ids = {id(line) for line in scope_lines}  # identity: comparing Line dataclasses field by field is slow
    for line in lines:
        if line.header or (id(line) in scope_ids and not lx.IN_PROGRESS_RE.search(line.lower())):
            continue
        for labelled, sentence in _labelled_sentences(line):
            if not sentence or (line.in_actions and not labelled):
                continue  # "share Teams adoption kit" is the FM's task, not the customer's intent
            named = labelled or _workloads_in(sentence)
            if not named:
                continue  # most sentences name no workload: skip the cue searches below
            lowered = sentence.lower()
            if (may_scope(lowered) and SCOPE_RE.search(sentence)) or (
                lx.OUT_OF_SCOPE_RE.may_match(lowered) and lx.OUT_OF_SCOPE_RE.regex.search(sentence)
            ):
                continue
            has_cue = labelled or any(rx.found(lowered) for rx in cues)
            for w in named:
                if labelled:
                    stated.add(w)
                if has_cue:
                    by_workload.setdefault(w, []).append((sentence, line))
    intents = []
    for w in dict.fromkeys([*scope, *by_workload]):
        sentences = by_workload.get(w, [])
        # A workload with its own line ("Purview: not started") is in scope even with no status word.
        if w not in scope and w not in stated and not any(rx.search(s) for s, _ in sentences for rx in cues[:3]):
            continue
        intents.append(_classify(w, sentences, lines))
    # "customer has not replied to 3 emails" on its own line explains every workload left unknown
    unresponsive = next(
        (line for line in lines if lx.UNRESPONSIVE_RE.may_match(line.lower()) and lx.UNRESPONSIVE_RE.search(line.text)),
        None,
    )
    if unresponsive is not None:
        for intent in intents:
            if intent.status == "Status Unknown" and intent.reason is None:
                intent.reason = "Customer Unresponsive"
                intent.note = _note("Status unknown", [unresponsive.text])
                intent.sources = _dedupe_sources([*intent.sources, unresponsive.source()])
    return intents
