"""Guardrails over a DraftBundle: who may read what, grounding, consistency, Service Intent coaching, injection.

Pure functions over (bundle, notes, agenda answers, engagement context). `check_bundle` only reports;
`guard_bundle` also repairs what is safe to repair (model-written sentences that break a rule are removed,
model-written recipients and subjects fall back to the roster-built offline ones, hidden characters and live markup
are stripped from every draft) and returns the bundle with its `checks` list filled in.

Modules: patterns (shared regexes), date_mentions, parts (each draft's texts and readers), vocabulary, audience,
injection, recipients, grounding, consistency, coaching, findings (check_bundle), repair (guard_bundle).
"""

from __future__ import annotations

from ..schemas import Severity
from .audience import ACCOUNT_TEAM_RULES, CUSTOMER_RULES, Matcher, Rule, audience_checks, rules_for, usage_figure
from .coaching import (
    ATTEMPTS_RE,
    MANAGED_RE,
    STATUS_WORDS,
    UNRESPONSIVE_RE,
    VAGUE_RE,
    WHY_RE,
    coach_intent_note,
    intent_checks,
    suggest_intent_note,
)
from .consistency import consistency_checks
from .date_mentions import DATE_PATTERNS, DateMention, find_dates
from .findings import check_bundle, defang
from .grounding import Corpus, build_corpus, grounding_checks
from .injection import (
    default_canaries,
    injection_checks,
    known_canaries,
    notes_checks,
    secret_values,
    system_prompt_fingerprints,
)
from .model_facts import check_model_facts
from .parts import Part, iter_parts, sentences
from .patterns import (
    COMPETE_WORD_RE,
    CUSTOMER_STATUS_RE,
    DIGIT_RE,
    EMAIL_RE,
    FORECAST_RE,
    FTOP_EXPORT_RE,
    HTML_RE,
    INSTRUCTION_RE,
    INTERNAL_REMARK_RE,
    INTERNAL_TOOL_RE,
    L1_LABELS,
    L2_CODE_RE,
    L2_CODES,
    MD_IMAGE_RE,
    MD_REF_IMAGE_RE,
    PERCENT_OF_RE,
    SCRIPT_BLOCK_RE,
    URL_RE,
    USAGE_TERM_RE,
)
from .recipients import Roster, build_roster, recipients_of, roster_checks
from .repair import guard_bundle, neutralise
from .vocabulary import BASE_VOCAB, COMMON_WORDS, template_vocabulary

__all__ = [
    "ACCOUNT_TEAM_RULES",
    "ATTEMPTS_RE",
    "BASE_VOCAB",
    "COMMON_WORDS",
    "COMPETE_WORD_RE",
    "CUSTOMER_RULES",
    "CUSTOMER_STATUS_RE",
    "Corpus",
    "DATE_PATTERNS",
    "DIGIT_RE",
    "DateMention",
    "EMAIL_RE",
    "FORECAST_RE",
    "FTOP_EXPORT_RE",
    "HTML_RE",
    "INSTRUCTION_RE",
    "INTERNAL_REMARK_RE",
    "INTERNAL_TOOL_RE",
    "L1_LABELS",
    "L2_CODES",
    "L2_CODE_RE",
    "MANAGED_RE",
    "MD_IMAGE_RE",
    "MD_REF_IMAGE_RE",
    "Matcher",
    "PERCENT_OF_RE",
    "Part",
    "Roster",
    "Rule",
    "SCRIPT_BLOCK_RE",
    "STATUS_WORDS",
    "Severity",
    "UNRESPONSIVE_RE",
    "URL_RE",
    "USAGE_TERM_RE",
    "VAGUE_RE",
    "WHY_RE",
    "audience_checks",
    "build_corpus",
    "build_roster",
    "check_bundle",
    "check_model_facts",
    "coach_intent_note",
    "consistency_checks",
    "defang",
    "default_canaries",
    "find_dates",
    "grounding_checks",
    "guard_bundle",
    "injection_checks",
    "intent_checks",
    "iter_parts",
    "known_canaries",
    "neutralise",
    "notes_checks",
    "recipients_of",
    "roster_checks",
    "rules_for",
    "secret_values",
    "sentences",
    "suggest_intent_note",
    "system_prompt_fingerprints",
    "template_vocabulary",
    "usage_figure",
]
