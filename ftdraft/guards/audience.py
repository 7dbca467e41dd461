"""Audience rules: what the account team and the customer must not read (usage figures, FTOP data, intent codes,
forecasts, internal remarks, compete)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..schemas import FTOP_HEADINGS, CallFacts, Check, Drafts, Severity
from .families import family_hit
from .parts import clip, iter_parts, sentences
from .patterns import (
    COMPETE_WORD_RE,
    CUSTOMER_STATUS_RE,
    DIGIT_RE,
    FORECAST_RE,
    FTOP_EXPORT_RE,
    GATES,
    INTERNAL_REMARK_RE,
    INTERNAL_TOOL_RE,
    L2_CODE_RE,
    PERCENT_OF_RE,
    USAGE_TERM_RE,
    gated_search,
)

# Each rule: (rule id, matcher over one sentence, suggestion). A matcher returns the offending fragment or None.
Matcher = Callable[[str], "str | None"]


def usage_figure(sentence: str) -> str | None:
    """The fragment when a sentence carries a figure that reads as FastTrack usage reporting."""
    if not DIGIT_RE.search(sentence):
        return None
    m = gated_search(USAGE_TERM_RE, GATES["USAGE_TERM_RE"], sentence)
    if m:
        return sentence
    m = PERCENT_OF_RE.search(sentence)
    if m:
        return sentence
    return None


def usage_family(sentence: str) -> str | None:
    """A usage figure in any wording the families know (ratios, percentages in words, MAU/DAU, lit up...)."""
    return usage_figure(sentence) or family_hit(sentence, "account_team", "audience.usage_figure")


def ftop_code(sentence: str) -> str | None:
    """FTOP export text or L1/L2 codes, in either order ('L1 Blocked, L2 Security/Privacy', 'Blocked (L1)')."""
    m = gated_search(FTOP_EXPORT_RE, GATES["FTOP_EXPORT_RE"], sentence)
    return m.group(0) if m else family_hit(sentence, "account_team", "audience.ftop_export")


def customer_remark(sentence: str) -> str | None:
    """Internal risk or account remarks: the fixed words, then the families (went quiet, layoffs, renewal,
    evaluating a competitor)."""
    m = INTERNAL_REMARK_RE.search(sentence)
    return m.group(0) if m else family_hit(sentence, "customer", "audience.customer_internal_remark")


def matcher(pattern: re.Pattern[str], gate: tuple[str, ...] = ()) -> Matcher:
    """A matcher returning the pattern's match in a sentence; with a gate, skipped on sentences without its words."""

    def f(sentence: str) -> str | None:
        m = gated_search(pattern, gate, sentence) if gate else pattern.search(sentence)
        return m.group(0) if m else None

    return f


def _ftop_headings_block(text: str) -> bool:
    """Three or more FTOP template headings as lines: the FTOP entry pasted into a field email."""
    heads = 0
    for line in text.splitlines():
        stripped = line.strip().strip("#*-: ").lower()
        if any(stripped.startswith(h.lower()) for h in FTOP_HEADINGS) and len(stripped) < 60:
            heads += 1
    return heads >= 3


@dataclass(frozen=True)
class Rule:
    rule: str
    severity: Severity
    matcher: Matcher
    suggestion: str


ACCOUNT_TEAM_RULES: tuple[Rule, ...] = (
    Rule(
        "audience.usage_figure",
        "error",
        usage_family,
        "Usage-report figures never go to the field: describe the situation without the figure "
        "(e.g. 'Teams is not yet used on the plant floor'), and keep the number in FTOP.",
    ),
    Rule(
        "audience.ftop_export",
        "error",
        ftop_code,
        "The field has no FTOP access: discuss the status in plain words; do not paste or export FTOP data.",
    ),
    Rule(
        "audience.intent_code",
        "warning",
        matcher(L2_CODE_RE),
        "FTOP reason codes read as an export: say the reason in plain words (e.g. 'blocked by the proxy at 3 plants').",
    ),
)

CUSTOMER_RULES: tuple[Rule, ...] = (
    Rule(
        "audience.customer_usage",
        "error",
        lambda s: usage_family(s) or matcher(USAGE_TERM_RE, GATES["USAGE_TERM_RE"])(s),
        "Nothing from FastTrack reporting goes to the customer: remove usage figures and reporting terms.",
    ),
    Rule(
        "audience.customer_intent",
        "error",
        lambda s: matcher(CUSTOMER_STATUS_RE)(s) or matcher(L2_CODE_RE)(s) or ftop_code(s),
        "The customer never sees intent statuses or reasons: describe what FastTrack will help with instead.",
    ),
    Rule(
        "audience.customer_forecast",
        "error",
        matcher(FORECAST_RE),
        "Forecasts are internal: remove them from text the customer reads.",
    ),
    Rule(
        "audience.customer_internal_remark",
        "error",
        customer_remark,
        "Internal risk or account remarks stay with the account team: remove them from the customer blurb.",
    ),
    Rule(
        "audience.customer_internal_tool",
        "error",
        matcher(INTERNAL_TOOL_RE, GATES["INTERNAL_TOOL_RE"]),
        "Internal tool and motion names (FTOP, RFA, Health, usage reports) mean nothing to the customer: remove them.",
    ),
)


def _compete_rule(facts: CallFacts) -> Rule:
    names = sorted({c.product for c in facts.compete if c.product.strip()}, key=len, reverse=True)
    product_re = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE) if names else None

    def matcher(s: str) -> str | None:
        m = COMPETE_WORD_RE.search(s) or (product_re.search(s) if product_re else None)
        return m.group(0) if m else None

    return Rule(
        "audience.customer_compete",
        "error",
        matcher,
        "Compete and third-party products in play are internal: leave them out of the customer blurb.",
    )


def rules_for(audience: str, facts: CallFacts) -> tuple[Rule, ...]:
    if audience == "customer":
        return (*CUSTOMER_RULES, _compete_rule(facts))
    if audience == "account_team":
        return ACCOUNT_TEAM_RULES
    return ()


def audience_checks(drafts: Drafts, facts: CallFacts) -> list[Check]:
    """Findings for text that its reader must not see (domain.md, 'Privacy')."""
    checks: list[Check] = []
    for part in iter_parts(drafts):
        rules = rules_for(part.audience, facts)
        if not rules:
            continue
        if part.audience == "account_team" and _ftop_headings_block(part.text):
            checks.append(
                Check(
                    draft=part.draft,
                    severity="error",
                    rule="audience.ftop_export",
                    text=clip(part.text),
                    suggestion=ACCOUNT_TEAM_RULES[1].suggestion,
                )
            )
        for sentence in sentences(part.text):
            for rule in rules:
                if rule.matcher(sentence):
                    where = f" ({part.label})" if part.label not in ("body",) else ""
                    checks.append(
                        Check(
                            draft=part.draft,
                            severity=rule.severity,
                            rule=rule.rule,
                            text=clip(sentence),
                            suggestion=rule.suggestion + where,
                        )
                    )
                    break  # one finding per sentence is enough to act on
    return checks
