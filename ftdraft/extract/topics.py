"""Topic facts (licenses, partner, environment, ...), compete products, risks and timeline, and the sync rhythm."""

from __future__ import annotations

import re
from typing import cast

from .. import lexicon as lx
from ..schemas import (
    Cadence,
    CompeteProduct,
    Fact,
    SyncKind,
    SyncRhythm,
    Weekday,
)
from .actions import ACTION_RE
from .lines import Line, _not_discussed, _topic_text
from .people import People
from .text import _NAME_TOKEN_RE, _NOT_NAMES, _SENTENCE_SPLIT_RE, _label_topics, _not_discussed_text, _sentence, tidy


def _facts(lines: list[Line], topic: str, exclude: set[str] | None = None) -> list[Fact]:
    return [
        Fact(text=_sentence(_topic_text(line, topic)), sources=[line.source()])
        for line in lines
        if topic in line.topics
        and not (exclude and exclude & line.topics and topic not in _label_topics(line.label))
        and not _not_discussed(line)
    ]


_ANY_COMPETITOR = lx.Cue("|".join(lx.COMPETITORS.values()))


def _compete(lines: list[Line]) -> list[CompeteProduct]:
    products: dict[str, CompeteProduct] = {}
    for line in lines:
        lowered = line.lower()
        if not (_ANY_COMPETITOR.may_match(lowered) and _ANY_COMPETITOR.regex.search(line.text)):
            continue
        explicit = bool(re.search(r"compet|3rd[ -]party|third[ -]party", lowered))
        migrating = bool(re.search(r"migrat|want(?:s)? off|moving off|source", lowered))
        if not explicit and migrating:
            continue
        for product, rx in lx.COMPETITOR_RES.items():
            if rx.may_match(lowered) and rx.regex.search(line.text):  # rx.search without lowercasing per product
                if product == "Box" and not explicit and not re.search(r"\bbox (?:for|is|used)", lowered):
                    continue
                seg = next((s for s in re.split(r",|;|\.\s", line.body) if rx.search(s)), line.text)
                if product in products:
                    products[product].sources.append(line.source())
                else:
                    products[product] = CompeteProduct(product=product, text=_sentence(seg), sources=[line.source()])
    return list(products.values())


def _risks_and_timeline(lines: list[Line]) -> tuple[list[Fact], list[Fact]]:
    risk_re = re.compile(
        r"\brisks?\b|could block|might block|may block|could delay|\bfreeze\b|\bon hold\b|concern"
        r"|\bissue",
        re.IGNORECASE,
    )
    timeline_re = re.compile(
        r"timeline|\btarget|deadline|cut-?over|go-?live|end of q[1-4]|\bby (?:end of )?"
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\buntil\b|\bfy ?end|\bq[1-4]\b",
        re.IGNORECASE,
    )
    risks, timeline = [], []
    for line in lines:
        if _not_discussed(line):
            continue
        sentences = [s for s in line.body_sentences() if not _not_discussed_text(s)]
        said = [s for s in sentences if risk_re.search(s)]
        if said or (line.label and "risk" in line.label):
            risks.append(Fact(text=_sentence(" ".join(said or sentences)), sources=[line.source()]))
        said = [s for s in sentences if timeline_re.search(s)]
        if (said or line.label == "timeline") and "k" not in line.topics:
            timeline.append(Fact(text=_sentence(" ".join(said or sentences)), sources=[line.source()]))
    return risks, timeline


# "no existing AT sync. Propose weekly" proposes, though it says "existing".
_PROPOSE_SYNC_RE = re.compile(
    r"\bpropos|\bno (?:existing|current|regular|recurring)\b|\bnone (?:today|yet|exists?)\b|there(?: is|'s) no\b"
    r"|\bset (?:it |one )?up\b|\bschedule (?:a|one|it)\b|\bnew (?:sync|call|meeting)\b",
    re.IGNORECASE,
)


_JOIN_SYNC_RE = re.compile(
    r"already|existing|\bexists?\b|there is a|there'?s a|\bjoin\b|add(?:s)? me|\bhas a\b|\bruns? (?:a|the)\b"
    r"|\bhosts? (?:a|the)\b|\bowns it\b|forward me",
    re.IGNORECASE,
)


def _sync_owner(candidates: list[Line], people: People) -> str | None:
    """Who sets the sync up or adds the FM: an explicit action first ("I'll send the invite", "Tariq to set it up"),
    else the account-team member the sync lines name ("Felix's weekly call", "Kofi runs a ...")."""
    for line in candidates:
        for m in ACTION_RE.finditer(line.text):
            if m.group(1).lower() in ("me", "i") and not re.match(r"can\b", m.group(2)):
                return people.owner_name("me")[0]
            if people.find(m.group(1)):
                return people.owner_name(m.group(1))[0]
    for line in candidates:
        said = [x for x in _SENTENCE_SPLIT_RE.split(line.text) if lx.TOPIC_RES["n"].search(x.lower())] or [line.text]
        text = " ".join(said)
        if not re.search(r"[A-Z]", text):
            tokens = re.findall(r"[a-z]{3,}", text)
        else:
            tokens = [re.sub(r"['’]s$", "", m.group(0)) for m in _NAME_TOKEN_RE.finditer(text)]  # "Felix's call"
        for token in tokens:
            for candidate in (token, token.split()[0]):
                if candidate.split()[0] not in _NOT_NAMES and (found := people.find(candidate)) and found.role != "FM":
                    return people.owner_name(candidate)[0]
    return None


def _sync_rhythm(lines: list[Line], people: People) -> SyncRhythm | None:
    candidates = [line for line in lines if "n" in line.topics and not _not_discussed(line) and not line.header]
    if not candidates:
        return None
    text = " ".join(line.text for line in candidates)
    lowered = text.lower()
    cadence: Cadence | None = None
    if re.search(r"bi-?weekly|every (?:other|2|two) weeks?|fortnight", lowered):
        cadence = "biweekly"
    elif re.search(r"\bmonthly\b|once a month|every month|of the month", lowered):
        cadence = "monthly"
    elif re.search(r"\bweekly\b|every week", lowered):
        cadence = "weekly"
    weekday: Weekday | None = None
    if m := re.search(r"\b(mon|tue|wed|thu|fri)(?:day|s|sday|nesday|rsday|r|rs)?s?\b", lowered):
        weekday = cast(Weekday, m.group(1)[:2].upper())  # mo/tu/we/th/fr: the pattern admits only these
    week_of_month = None
    if m := re.search(r"\b(first|1st|second|2nd|third|3rd|fourth|4th|last)\s+(?:mon|tue|wed|thu|fri)", lowered):
        week_of_month = {
            "first": 1,
            "1st": 1,
            "second": 2,
            "2nd": 2,
            "third": 3,
            "3rd": 3,
            "fourth": 4,
            "4th": 4,
            "last": -1,
        }[m.group(1)]
    kind: SyncKind = (
        "join_existing" if _JOIN_SYNC_RE.search(lowered) and not _PROPOSE_SYNC_RE.search(lowered) else "propose"
    )
    owner = _sync_owner(candidates, people)
    return SyncRhythm(
        kind=kind,
        cadence=cadence,
        weekday=weekday,
        week_of_month=week_of_month,
        owner=owner,
        text=_sentence(" ".join(tidy(_topic_text(line, "n")) for line in candidates)),
        sources=[line.source() for line in candidates],
    )
