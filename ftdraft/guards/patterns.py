"""Regexes several guardrails share: usage-report figures, FTOP/intent vocabulary, internal remarks, live markup,
leaked instructions, addresses and links."""

from __future__ import annotations

import re

from ..lexicon import may_contain
from ..schemas import REASONS_BY_STATUS

# A number next to a word that only usage reporting produces. Field-facing and customer text must not carry these.
USAGE_TERM_RE = re.compile(
    r"usage reports?|usage data|usage figures?|\busage\b|active users?|\bMAU\b|\bDAU\b|monthly active|daily active|"
    r"adoption rate|utili[sz]ation|enabled users?|licen[cs]e (?:usage|consumption)|health (?:report|score|dashboard)",
    re.IGNORECASE,
)
DIGIT_RE = re.compile(r"\d")
# Percentages of people or seats read as usage figures even without the word "usage".
PERCENT_OF_RE = re.compile(
    r"\d\s*(?:%|per ?cent)\s*(?:of\s+)?(?:the\s+)?(?:\w+\s+)?(?:users?|seats?|licen[cs]es?|employees|staff|mailboxes)",
    re.IGNORECASE,
)

FTOP_EXPORT_RE = re.compile(
    r"\bFTOP\b[^.\n]{0,40}\b(?:export|extract|dump|screenshot|report|data|copy|copied)|"
    r"(?:export|extract|dump|screenshot|copied|pasted)[^.\n]{0,30}\bfrom FTOP\b|"
    r"\bL[12]\s*(?:[:=]|reason|status)|\bservice intent (?:note|status|code)s?\b|\bengagement management note\b",
    re.IGNORECASE,
)
L1_LABELS = ("In Progress", "Blocked", "No Intent", "Status Unknown", "Duplicate/Invalid")
# Distinctive L2 reasons (several words or a slash): unmistakably FTOP codes, unlike "Migration".
L2_CODES = tuple(
    sorted({r for rs in REASONS_BY_STATUS.values() for r in rs if " " in r or "/" in r}, key=len, reverse=True)
)
L2_CODE_RE = re.compile("|".join(re.escape(c) for c in L2_CODES))
CUSTOMER_STATUS_RE = re.compile(
    r"\bIn Progress\b|\bStatus Unknown\b|\bno intent\b|\bblock(?:ed|er|ers|ing)?\b|\bDuplicate/Invalid\b|"
    r"\b(?:service |workload )?intent(?: status| code)?\b|\bunresponsive\b",
    re.IGNORECASE,
)
FORECAST_RE = re.compile(r"\bforecast", re.IGNORECASE)
COMPETE_WORD_RE = re.compile(r"\bcompet(?:e|es|ing|itor|itors|itive|ition)\b", re.IGNORECASE)
INTERNAL_REMARK_RE = re.compile(
    r"\brisks?\b|\brisky\b|\bescalat\w*|\bchurn\w*|\brenewals?\b|\bupsell\w*|\btrue-?up\b|\bwhitespace\b|"
    r"\bpipeline\b|\bquota\b|\bred areas?\b|\bpolitical\b|\breorg\w*|\bunresponsive\b|\bno budget\b",
    re.IGNORECASE,
)
INTERNAL_TOOL_RE = re.compile(
    r"\bFTOP\b|\bMSX\b|\bFTC\b|\bS500\b|\bplaybook\b|\busage reports?\b|\bRFA\b|request for assistance|"
    r"\bHealth (?:motion|customer|list|workload)s?\b|\bTargeted motion\b|\bL[12]\b|\bCRM\b",
    re.IGNORECASE,
)

# Injection leftovers in drafts: live markup, markdown images (they fetch a URL when rendered), leaked instructions.
HTML_RE = re.compile(
    r"<\s*/?\s*(?:script|iframe|img|object|embed|style|svg|link|meta|form|input|a|body|html|base|video|audio|details|"
    r"summary|marquee|frame|frameset|applet|template|math|dialog|textarea|select|button|source|track|picture|"
    r"noscript|isindex|keygen|bgsound|image)\b[^>]*>|"
    r"\b(?:javascript|vbscript|livescript)\s*:|\bdata\s*:\s*text/html|\bon[a-z]{4,}\s*=",
    re.IGNORECASE,
)
# A markdown link: "[text](url)" (images are MD_IMAGE_RE). Drafts are plain text: it becomes "text (url)".
MD_LINK_RE = re.compile(r"(?<!!)\[([^\]\n]{0,200})\]\(\s*<?([^)\s>]*)>?[^)\n]*\)")
SCRIPT_BLOCK_RE = re.compile(r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
MD_IMAGE_RE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?[^)\n]*\)")
MD_REF_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\[[^\]\n]*\]|^\s*\[[^\]\n]+\]:\s*https?://\S+", re.MULTILINE)
INSTRUCTION_RE = re.compile(
    r"ignore (?:all |any |the )?(?:previous|prior|above|earlier|preceding) (?:instructions|prompts?|rules)|"
    r"disregard (?:all |any |the )?(?:previous|prior|above|earlier) |"
    r"(?:system|developer) prompt|your (?:instructions|rules|guidelines)|my instructions|"
    r"\bprint (?:your|the) (?:instructions|prompt)|\breveal (?:your|the) (?:instructions|prompt)|"
    r"\byou are (?:now )?(?:an? )?(?:ai|assistant|language model|chatgpt)\b|\bas an ai\b|\bjailbreak\b|"
    r"\bnew instructions?\s*:|\bBEGIN (?:SYSTEM|INSTRUCTIONS)\b",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s)>\]]+|\bwww\.[^\s)>\]]+", re.IGNORECASE)


# Lower-case words one of which every match of a pattern holds: a text without any cannot match, and a substring
# test is ~50x cheaper than these case-insensitive alternations (which cost ~1-2 us a character on long text).
GATES: dict[str, tuple[str, ...]] = {
    "USAGE_TERM_RE": ("usage", "active", "mau", "dau", "adoption", "utili", "enabled", "licen", "health"),
    "FTOP_EXPORT_RE": ("ftop", "l1", "l2", "service intent", "engagement management"),
    "INSTRUCTION_RE": (
        "ignore",
        "disregard",
        "prompt",
        "instruction",
        "rules",
        "guidelines",
        "reveal",
        "you are",
        "as an ai",
        "jailbreak",
        "begin",
    ),  # fmt: skip
    "INTERNAL_TOOL_RE": (
        "ftop",
        "msx",
        "ftc",
        "s500",
        "playbook",
        "usage report",
        "rfa",
        "request for assistance",
        "health",
        "targeted motion",
        "l1",
        "l2",
        "crm",
    ),  # fmt: skip
}


# One of these is in every match of HTML_RE: "<" (a tag), "=" (an on...= handler), "script" (javascript:,
# vbscript:, livescript:) or "data" (data:text/html), the last two lowercased.
HTML_GATE = ("<", "=", "script", "data")


def gated_search(pattern: re.Pattern[str], gate: tuple[str, ...], text: str) -> re.Match[str] | None:
    """pattern.search(text), skipped when text holds none of the gate words (see GATES) and no case-folding trap
    ("ıgnore prevıous ınstructıons" is matched by the case-blind pattern: see lexicon.may_contain)."""
    return pattern.search(text) if may_contain(text.lower(), *gate) else None
