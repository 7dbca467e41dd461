"""Guardrails over a DraftBundle: who may read what, grounding, consistency, Service Intent coaching, injection.

Pure functions over (bundle, notes, agenda answers, engagement context). `check_bundle` only reports;
`guard_bundle` also repairs what is safe to repair (model-written sentences that break a rule are removed,
model-written recipients and subjects fall back to the roster-built offline ones, hidden characters and live markup
are stripped from every draft) and returns the bundle with its `checks` list filled in.
"""

from __future__ import annotations

import calendar
import contextlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from .agenda import AGENDA
from .sanitize import clean_text, hostile_characters, one_line
from .schemas import (
    FTOP_HEADINGS,
    REASONS_BY_STATUS,
    ActionItem,
    CalendarInvite,
    CallFacts,
    Check,
    DraftBundle,
    Drafts,
    Email,
    Engagement,
    Person,
    Provenance,
    Recipient,
)

Severity = str  # "error" | "warning" | "info"

# ================================================================ patterns

_NUM = r"\d[\d,.]*"
# A number next to a word that only usage reporting produces. Field-facing and customer text must not carry these.
USAGE_TERM_RE = re.compile(
    r"usage reports?|usage data|usage figures?|\busage\b|active users?|\bMAU\b|\bDAU\b|monthly active|daily active|"
    r"adoption rate|utili[sz]ation|enabled users?|licen[cs]e (?:usage|consumption)|health (?:report|score|dashboard)",
    re.IGNORECASE,
)
PERCENT_RE = re.compile(r"\d\s*(?:%|per ?cent\b)", re.IGNORECASE)
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
    r"<\s*/?\s*(?:script|iframe|img|object|embed|style|svg|link|meta|form|input|a|body|html|base|video|audio)\b[^>]*>|"
    r"\bjavascript\s*:|\bon(?:error|load|click|mouseover)\s*=",
    re.IGNORECASE,
)
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

# ---------------------------------------------------------------- dates

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_name) if m})
_MONTHS["sept"] = 9
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_WEEKDAY_ALT = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), "ymd"),
    (
        re.compile(
            rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?",
            re.IGNORECASE,
        ),
        "mdy",
    ),
    (
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_ALT})\.?\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE),
        "dmy",
    ),
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\d/])"), "us"),
)
RELATIVE_RE = re.compile(
    rf"\b(?:{_WEEKDAY_ALT})s?\b|\btomorrow\b|\bnext week\b|\bend of (?:the )?(?:week|month|year)\b|\bEO[WMDY]\b|"
    r"\bend of q[1-4]\b|\bq[1-4]\b|\bfy\s?end\b|\btoday\b|\bASAP\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    month: int
    day: int
    year: int | None
    text: str
    span: tuple[int, int]


_WEEKDAY_BEFORE_RE = re.compile(rf"\b(?:{_WEEKDAY_ALT})\.?,?\s+$", re.IGNORECASE)


def find_dates(text: str) -> list[DateMention]:
    """Calendar dates written in text, in any of the forms notes and drafts use. Overlaps keep the first match."""
    found: list[DateMention] = []
    if not DIGIT_RE.search(text):
        return found  # every form has a digit: most lines are done here
    taken: list[tuple[int, int]] = []
    for pattern, kind in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            g = m.groups()
            try:
                if kind == "ymd":
                    y, mo, d = int(g[0]), int(g[1]), int(g[2])
                elif kind == "mdy":
                    mo, d, y = _MONTHS[g[0].lower().rstrip(".")], int(g[1]), int(g[2]) if g[2] else None
                elif kind == "dmy":
                    d, mo, y = int(g[0]), _MONTHS[g[1].lower().rstrip(".")], int(g[2]) if g[2] else None
                else:
                    mo, d = int(g[0]), int(g[1])
                    y = int(g[2]) if g[2] else None
                    if y is not None and y < 100:
                        y += 2000
            except (KeyError, ValueError):
                continue
            if not (1 <= mo <= 12 and 1 <= d <= 31):
                continue
            start = m.start()
            if kind == "mdy":  # "Fri Nov 20": the weekday belongs to the date (looked up behind: a fast regex)
                wd = _WEEKDAY_BEFORE_RE.search(text, max(0, start - 12), start)
                start = wd.start() if wd else start
            found.append(DateMention(mo, d, y, text[start : m.end()], (start, m.end())))
            taken.append((start, m.end()))
    return found


# ================================================================ what each draft is, and who reads it


@dataclass
class Part:
    """One piece of text in a draft, with its reader."""

    draft: str
    audience: str  # account_team | customer | internal
    label: str  # e.g. "body", "subject", "customer blurb"
    text: str


def iter_parts(drafts: Drafts) -> Iterator[Part]:
    """Every text a reader will see, per draft, with the audience that reads it."""
    for item in drafts.prep.items:
        yield Part("prep", "internal", "checklist", item.text)
    yield from _email_parts("internal_invite", drafts.internal_invite.email)
    yield from _invite_parts("internal_invite", drafts.internal_invite.invite, drafts.internal_invite.email.audience)
    yield from _email_parts("intro_request", drafts.intro_request.email)
    yield Part("intro_request", "customer", "customer blurb", drafts.intro_request.customer_blurb)
    if drafts.teams_channel is not None:
        yield from _email_parts("teams_channel", drafts.teams_channel)
    yield from _email_parts("follow_up", drafts.follow_up)
    ftop = drafts.ftop
    yield Part("ftop", "internal", "text", ftop.text)
    for label, items in (
        ("participants", ftop.participants),
        ("discussion points", ftop.discussion_points),
        ("customer questions", ftop.customer_questions),
        ("FTC actions", ftop.ftc_actions),
    ):
        for item in items:
            yield Part("ftop", "internal", label, item)
    yield Part("ftop", "internal", "playbook task", ftop.playbook_task)
    for na in ftop.next_actions:
        yield Part("ftop", "internal", "next action", na.action)
    for sin in ftop.service_intent_notes:
        yield Part("ftop", "internal", "service intent note", sin.note)
    yield from _email_parts("sync_rhythm", drafts.sync_rhythm.email)
    if drafts.sync_rhythm.invite is not None:
        yield from _invite_parts("sync_rhythm", drafts.sync_rhythm.invite, drafts.sync_rhythm.email.audience)


def _email_parts(draft: str, email: Email) -> Iterator[Part]:
    yield Part(draft, email.audience, "subject", email.subject)
    yield Part(draft, email.audience, "body", email.body)


def _invite_parts(draft: str, invite: CalendarInvite, audience: str) -> Iterator[Part]:
    yield Part(draft, audience, "invite title", invite.title)
    yield Part(draft, audience, "invite description", invite.description)
    yield Part(draft, audience, "invite location", invite.location)


# ================================================================ sentences

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


def sentences(text: str) -> Iterator[str]:
    """Sentences, line by line: bullets and headings stay whole, prose is split at sentence ends."""
    for line in text.splitlines():
        for s in _SENTENCE_SPLIT.split(line):
            if s.strip():
                yield s.strip()


def _clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ================================================================ audience rules

# Each rule: (rule id, matcher over one sentence, suggestion). A matcher returns the offending fragment or None.
Matcher = Callable[[str], "str | None"]


def usage_figure(sentence: str) -> str | None:
    """The fragment when a sentence carries a figure that reads as FastTrack usage reporting."""
    if not DIGIT_RE.search(sentence):
        return None
    m = USAGE_TERM_RE.search(sentence)
    if m:
        return sentence
    m = PERCENT_OF_RE.search(sentence)
    if m:
        return sentence
    return None


def _match(pattern: re.Pattern[str]) -> Matcher:
    def f(sentence: str) -> str | None:
        m = pattern.search(sentence)
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
        usage_figure,
        "Usage-report figures never go to the field: describe the situation without the figure "
        "(e.g. 'Teams is not yet used on the plant floor'), and keep the number in FTOP.",
    ),
    Rule(
        "audience.ftop_export",
        "error",
        _match(FTOP_EXPORT_RE),
        "The field has no FTOP access: discuss the status in plain words; do not paste or export FTOP data.",
    ),
    Rule(
        "audience.intent_code",
        "warning",
        _match(L2_CODE_RE),
        "FTOP reason codes read as an export: say the reason in plain words (e.g. 'blocked by the proxy at 3 plants').",
    ),
)

CUSTOMER_RULES: tuple[Rule, ...] = (
    Rule(
        "audience.customer_usage",
        "error",
        lambda s: usage_figure(s) or _match(USAGE_TERM_RE)(s),
        "Nothing from FastTrack reporting goes to the customer: remove usage figures and reporting terms.",
    ),
    Rule(
        "audience.customer_intent",
        "error",
        lambda s: _match(CUSTOMER_STATUS_RE)(s) or _match(L2_CODE_RE)(s),
        "The customer never sees intent statuses or reasons: describe what FastTrack will help with instead.",
    ),
    Rule(
        "audience.customer_forecast",
        "error",
        _match(FORECAST_RE),
        "Forecasts are internal: remove them from text the customer reads.",
    ),
    Rule(
        "audience.customer_internal_remark",
        "error",
        _match(INTERNAL_REMARK_RE),
        "Internal risk or account remarks stay with the account team: remove them from the customer blurb.",
    ),
    Rule(
        "audience.customer_internal_tool",
        "error",
        _match(INTERNAL_TOOL_RE),
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
                    text=_clip(part.text),
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
                            text=_clip(sentence),
                            suggestion=rule.suggestion + where,
                        )
                    )
                    break  # one finding per sentence is enough to act on
    return checks


# ================================================================ injection leftovers, secrets, hidden text


def known_canaries() -> list[str]:
    """Canary strings the model path planted in its system prompt (any CANARY-named constant of a loaded module)."""
    found: list[str] = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("ftdraft") or module is None:
            continue
        for attr, value in vars(module).items():
            if "CANARY" in attr.upper() and isinstance(value, str) and len(value) >= 8 and value not in found:
                found.append(value)
    return found


@lru_cache(maxsize=1)
def system_prompt_fingerprints() -> tuple[str, ...]:
    """Sentences of the model path's instructions (prompts/llm/*.j2 except the user messages): a draft that repeats
    one leaks the system prompt. Works with or without a CANARY constant. Template logic is dropped; sentences
    under 24 characters, or that the offline templates also write, are too common to count as a leak."""
    folder = Path(__file__).resolve().parent.parent / "prompts" / "llm"
    offline = " ".join(_literal_template_text(Path(__file__).resolve().parent.parent / "prompts" / "offline").split())
    found: list[str] = []
    files = sorted(p for p in folder.glob("*.j2") if ".user." not in p.name) if folder.is_dir() else []
    for p in files:
        literal = re.sub(r"{[{%#].*?[}%#]}", "\n", p.read_text(encoding="utf-8", errors="replace"), flags=re.DOTALL)
        for line in literal.splitlines():
            for sentence in _SENTENCE_SPLIT.split(line.strip().lstrip("-* ").strip()):
                sentence = sentence.strip()
                if len(sentence) >= 24 and sentence not in found and " ".join(sentence.split()) not in offline:
                    found.append(sentence)
    return tuple(found)


def _literal_template_text(folder: Path) -> str:
    if not folder.is_dir():
        return ""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*")) if p.is_file()]
    return re.sub(r"{[{%#].*?[}%#]}", " ", "\n".join(texts), flags=re.DOTALL)


def default_canaries() -> list[str]:
    """What must never reach a draft from the model's instructions: CANARY constants and system-prompt sentences."""
    return [*known_canaries(), *system_prompt_fingerprints()]


def secret_values() -> list[str]:
    """The configured API key (never logged): a draft that contains it is an error."""
    try:
        from .config import get_settings

        key = get_settings().openai_api_key
    except Exception:  # settings that do not load are the config's problem, not a guard finding
        return []
    value = key.get_secret_value().strip() if key else ""
    return [value] if len(value) >= 8 else []


def injection_checks(drafts: Drafts, canaries: Iterable[str] = (), secrets: Iterable[str] = ()) -> list[Check]:
    """Live markup, markdown images, leaked instructions, canaries, secrets and hidden characters in any draft."""
    canaries = [c for c in canaries if c]
    secrets = [s for s in secrets if s]
    checks: list[Check] = []
    for part in iter_parts(drafts):
        text = part.text
        if not text:
            continue
        for c in canaries:
            if c in text:
                checks.append(
                    Check(
                        draft=part.draft,
                        severity="error",
                        rule="injection.prompt_leak",
                        text="(text of the system prompt)",
                        suggestion="The draft repeats the system prompt: redraft it offline.",
                    )
                )
        for s in secrets:
            if s in text:
                checks.append(
                    Check(
                        draft=part.draft,
                        severity="error",
                        rule="secret.api_key",
                        text="(the API key)",
                        suggestion="Remove the key from the draft.",
                    )
                )
        hidden = hostile_characters(text)
        if hidden:
            kinds = ", ".join(f"{n} {k}" for k, n in hidden.items())
            checks.append(
                Check(
                    draft=part.draft,
                    severity="warning",
                    rule="injection.hidden_characters",
                    text=f"{part.label}: {kinds}",
                    suggestion="Invisible characters can hide instructions; they are removed from drafts.",
                )
            )
        for m in MD_IMAGE_RE.finditer(text):
            checks.append(
                Check(
                    draft=part.draft,
                    severity="error",
                    rule="injection.markdown_image",
                    text=_clip(m.group(0)),
                    suggestion="A markdown image fetches an outside URL when rendered: remove it.",
                )
            )
        for m in MD_REF_IMAGE_RE.finditer(text):
            checks.append(
                Check(
                    draft=part.draft,
                    severity="error",
                    rule="injection.markdown_image",
                    text=_clip(m.group(0)),
                    suggestion="A markdown image fetches an outside URL when rendered: remove it.",
                )
            )
        for m in HTML_RE.finditer(text):
            checks.append(
                Check(
                    draft=part.draft,
                    severity="error",
                    rule="injection.html",
                    text=_clip(m.group(0)),
                    suggestion="Drafts are plain text: remove the HTML.",
                )
            )
        for sentence in sentences(text):
            if INSTRUCTION_RE.search(sentence):
                checks.append(
                    Check(
                        draft=part.draft,
                        severity="warning",
                        rule="injection.instruction_text",
                        text=_clip(sentence),
                        suggestion="This reads as an instruction aimed at an AI (from pasted text?): "
                        "it was treated as data; delete it from the draft.",
                    )
                )
        if part.label in ("subject", "invite title") and ("\r" in text or "\n" in text):
            checks.append(
                Check(
                    draft=part.draft,
                    severity="error",
                    rule="injection.header_newline",
                    text=_clip(text),
                    suggestion="Subjects and titles are one line.",
                )
            )
    return checks


# ================================================================ roster: recipients only from the FM's people


@dataclass
class Roster:
    names: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)

    def admits(self, r: Recipient) -> bool:
        if r.email:
            return r.email.strip().lower() in self.emails
        if r.name:
            return _norm_name(r.name) in self.names
        return r.role is not None  # a role placeholder ("[TAM - name unknown]") addresses nobody


def _norm_name(name: str) -> str:
    return " ".join(name.lower().split())


def build_roster(bundle: DraftBundle, context: Engagement | None, corpus: Corpus) -> Roster:
    """People the FM gave us (context) plus people of the enriched engagement whose name or address is in the notes."""
    roster = Roster()

    def add(p: Person | None, trusted: bool) -> None:
        if p is None:
            return
        grounded = trusted or (p.name and corpus.has_phrase(p.name)) or (p.email and corpus.has_email(p.email))
        if not grounded:
            return
        if p.name:
            roster.names.add(_norm_name(p.name))
        if p.email and (trusted or corpus.has_email(p.email)):
            roster.emails.add(p.email.strip().lower())

    for eng, trusted in ((context, True), (bundle.engagement, False)):
        if eng is None:
            continue
        for p in (*eng.account_team, eng.fm, eng.fta):
            add(p, trusted)
    return roster


def recipients_of(drafts: Drafts) -> Iterator[tuple[str, Recipient]]:
    emails: list[tuple[str, Email]] = [
        ("internal_invite", drafts.internal_invite.email),
        ("intro_request", drafts.intro_request.email),
        ("follow_up", drafts.follow_up),
        ("sync_rhythm", drafts.sync_rhythm.email),
    ]
    if drafts.teams_channel is not None:
        emails.append(("teams_channel", drafts.teams_channel))
    for name, email in emails:
        for r in (*email.to, *email.cc):
            yield name, r
    invites = [("internal_invite", drafts.internal_invite.invite)]
    if drafts.sync_rhythm.invite is not None:
        invites.append(("sync_rhythm", drafts.sync_rhythm.invite))
    for name, inv in invites:
        for r in (*inv.required, *inv.optional):
            yield name, r


def roster_checks(drafts: Drafts, roster: Roster) -> list[Check]:
    checks = []
    for name, r in recipients_of(drafts):
        if not roster.admits(r):
            checks.append(
                Check(
                    draft=name,
                    severity="error",
                    rule="recipients.not_on_roster",
                    text=r.display,
                    suggestion="Recipients come only from the engagement's account team: remove this one, "
                    "or add the person to the account team first.",
                )
            )
    return checks


# ================================================================ grounding


_WORD_RE = re.compile(r"[^\W\d_][\w'’.&-]*", re.UNICODE)
_NUMBER_RE = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?:\s*(k|K|%))?(?![\w])")


def _wordlist(text: str) -> list[str]:
    return text.split()


# Words every draft may use: products and workloads of the domain, roles, months, weekdays, the agenda.
BASE_VOCAB = _wordlist("""
FastTrack Microsoft 365 M365 Office O365 Exchange Online EXO SharePoint SPO OneDrive Teams Apps Intune EMS
Windows Defender FTOP FTC FTA FM RFA ATS TAM AE CSM TSP SSP ADE Health Targeted Center Ready Partner FRP
Outlook IT Q1 Q2 Q3 Q4 FY TBD N/A EU US UK AM PM UTC OK I Hi Hello Dear Thanks Thank Best Regards Cheers Team
Please Next Open Summary Action Actions Owner Owners Due Items Item Notes Note Status Participants Discussion
Customer Questions Playbook Task Kickoff Call Intent Service Engagement Management Subject Re Fwd Unknown
Agenda Sync Invite
""")
# Sentence starters a model commonly writes; only checked when a capitalised word is not grounded otherwise.
COMMON_WORDS = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "when",
        "while",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "onto",
        "to",
        "with",
        "without",
        "we",
        "you",
        "they",
        "he",
        "she",
        "it",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "our",
        "your",
        "their",
        "my",
        "his",
        "her",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "will",
        "would",
        "can",
        "could",
        "should",
        "shall",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "not",
        "no",
        "yes",
        "also",
        "just",
        "only",
        "all",
        "any",
        "each",
        "every",
        "some",
        "both",
        "after",
        "before",
        "during",
        "until",
        "since",
        "because",
        "so",
        "then",
        "than",
        "thanks",
        "thank",
        "please",
        "let",
        "lets",
        "looking",
        "following",
        "attached",
        "below",
        "above",
        "great",
        "good",
        "quick",
        "short",
        "happy",
        "glad",
        "sorry",
        "hope",
        "hoping",
        "regarding",
        "about",
        "per",
        "re",
        "fyi",
        "note",
        "next",
        "last",
        "first",
        "second",
        "third",
        "meanwhile",
        "once",
        "again",
        "however",
        "therefore",
        "also",
        "additionally",
        "finally",
        "overall",
        "today",
        "tomorrow",
        "who",
        "what",
        "where",
        "which",
        "how",
        "why",
        "quick",
        "recap",
        "summary",
        "welcome",
    ]
)


@dataclass
class Corpus:
    """Everything a draft may legitimately draw on: the notes, the agenda answers and the engagement context."""

    text: str
    words: set[str]
    numbers: set[str]
    dates: list[DateMention]
    allowed_dates: set[tuple[int, int, int | None]]

    def has_phrase(self, phrase: str) -> bool:
        return " ".join(phrase.lower().split()) in self._flat

    def has_email(self, email: str) -> bool:
        return email.strip().lower() in self._flat

    def __post_init__(self) -> None:
        self._flat = " ".join(self.text.lower().split())
        self._lower = self.text.lower()

    def date_ok(self, d: DateMention) -> bool:
        return (d.month, d.day, d.year) in self.allowed_dates or (d.month, d.day, None) in self.allowed_dates


def _numbers_in(text: str) -> set[str]:
    out: set[str] = set()
    for m in _NUMBER_RE.finditer(text):
        raw = m.group(1).replace(",", "")
        raw = raw.rstrip(".")
        out.add(raw)
        if m.group(2) in ("k", "K"):
            with contextlib.suppress(ValueError):
                out.add(str(int(float(raw) * 1000)))
    return out


def _words_in(text: str) -> set[str]:
    out: set[str] = set()
    for m in _WORD_RE.finditer(text):
        w = m.group(0).strip("'’.-&").lower()
        if not w:
            continue
        out.add(w)
        for piece in re.split(r"[-'’./&]", w):
            if piece:
                out.add(piece)
    return out


@lru_cache(maxsize=1)
def template_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Words and numbers the offline templates and the agenda write themselves (the drafts' own vocabulary)."""
    texts = [" ".join(BASE_VOCAB)]
    for item in AGENDA:
        texts += [item.title, item.invite_text, item.ask]
    texts += list(FTOP_HEADINGS) + [r for rs in REASONS_BY_STATUS.values() for r in rs] + list(L1_LABELS)
    texts += list(calendar.month_name) + list(calendar.month_abbr) + list(calendar.day_name) + list(calendar.day_abbr)
    prompts = Path(__file__).resolve().parent.parent / "prompts" / "offline"
    if prompts.is_dir():
        for p in sorted(prompts.rglob("*")):
            if p.is_file():
                # Template logic ({% if %}, {{ var }}) is not prose: keep only the literal text.
                raw = p.read_text(encoding="utf-8", errors="replace")
                texts.append(re.sub(r"{[{%#].*?[}%#]}", " ", raw, flags=re.DOTALL))
    try:  # words drafts.py writes from Python (labels such as "(name unknown)", cadence words)
        drafts_py = Path(__file__).with_name("drafts.py").read_text(encoding="utf-8")
        texts += re.findall(r'"([^"\n]{1,200})"', drafts_py)
    except OSError:
        pass
    joined = "\n".join(texts)
    return frozenset(_words_in(joined)), frozenset(_numbers_in(joined))


def _quarter_end(q: int, year: int) -> date:
    month = q * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def _relative_dates(text: str, call: date) -> set[date]:
    """Dates that relative words in the notes can resolve to, against the call date (generously: rules differ)."""
    out: set[date] = set()
    low = text.lower()
    weekdays = {
        _WEEKDAYS[m.group(0).lower().rstrip("s")]
        for m in re.finditer(rf"\b(?:{_WEEKDAY_ALT})s?\b", low)
        if m.group(0).lower().rstrip("s") in _WEEKDAYS
    }
    for k in range(0, 15):  # "by Friday", "next Tuesday", "on Thursdays": the coming two weeks
        d = call + timedelta(days=k)
        if d.weekday() in weekdays:
            out.add(d)
    # "first Tuesday of the month": that day in this month and the next two.
    for m in re.finditer(rf"\b(first|second|third|fourth|last|1st|2nd|3rd|4th)\s+({_WEEKDAY_ALT})\b", low):
        nth = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}.get(
            m.group(1), -1
        )
        wd = _WEEKDAYS[m.group(2)]
        for i in range(3):
            y, mo = call.year + (call.month - 1 + i) // 12, (call.month - 1 + i) % 12 + 1
            days = [d for d in range(1, calendar.monthrange(y, mo)[1] + 1) if date(y, mo, d).weekday() == wd]
            out.add(date(y, mo, days[nth - 1] if nth > 0 else days[-1]))
    if re.search(r"\btomorrow\b", low):
        out.add(call + timedelta(days=1))
    if re.search(r"\btoday\b|\basap\b|\beod\b", low):
        out.add(call)
    if re.search(r"\bnext week\b|\beow\b|\bend of (?:the )?week\b", low):
        out.update(call + timedelta(days=k) for k in range(1, 15))
    if re.search(r"\bend of (?:the )?month\b|\beom\b", low):
        out.add(date(call.year, call.month, calendar.monthrange(call.year, call.month)[1]))
        nxt = date(call.year + call.month // 12, call.month % 12 + 1, 1)
        out.add(date(nxt.year, nxt.month, calendar.monthrange(nxt.year, nxt.month)[1]))
    for m in re.finditer(r"\bq([1-4])\b", low):
        for y in (call.year, call.year + 1):
            out.add(_quarter_end(int(m.group(1)), y))
    if re.search(r"\bend of (?:the )?year\b|\beoy\b|\bfy ?end\b", low):
        out.add(date(call.year, 12, 31))
    return out


def build_corpus(
    bundle: DraftBundle,
    notes: str | None,
    agenda_answers: dict[str, str] | None,
    context: Engagement | None,
    trusted_facts: bool = False,
) -> Corpus:
    """The text drafts may draw on. Facts count only when the FM corrected them (trusted) or when their source
    text is really in the notes; a model that invents a fact and a source gains nothing."""
    pieces = [clean_text(notes or "")]
    pieces += list((agenda_answers or {}).values())
    if context is not None:
        pieces.append(context.model_dump_json())
    call = (context.call_date if context else None) or bundle.engagement.call_date
    flat_notes = " ".join((notes or "").lower().split())

    def grounded_source(sources: list) -> bool:  # type: ignore[type-arg]
        if trusted_facts:
            return True
        for s in sources:
            if s.origin in ("agenda", "context"):
                return True
            if s.text and " ".join(s.text.lower().split()) in flat_notes:
                return True
        return False

    fact_dates: set[date] = set()
    if trusted_facts:
        pieces.append(bundle.facts.model_dump_json())
        pieces.append(bundle.engagement.model_dump_json())
    for ai in bundle.facts.action_items:
        if ai.due and (grounded_source(ai.sources) or (ai.due_text and ai.due_text.lower() in flat_notes)):
            fact_dates.add(ai.due)
    text = "\n".join(pieces)
    allowed: set[tuple[int, int, int | None]] = set()
    dates = find_dates(text)
    for d in dates:
        allowed.add((d.month, d.day, d.year))
        allowed.add((d.month, d.day, None))
    if call:
        fact_dates.add(call)
        fact_dates |= _relative_dates(text, call)
    for d in fact_dates:
        allowed.add((d.month, d.day, d.year))
        allowed.add((d.month, d.day, None))
    numbers = _numbers_in(text)
    for d in fact_dates:
        numbers |= {str(d.year), str(d.day), str(d.month)}
    return Corpus(text=text, words=_words_in(text), numbers=numbers, dates=dates, allowed_dates=allowed)


def grounding_checks(drafts: Drafts, corpus: Corpus) -> list[Check]:
    """Names, addresses, dates, numbers and products in a draft that trace to nothing the FM gave us."""
    vocab_words, vocab_numbers = template_vocabulary()
    checks: list[Check] = []
    seen: set[tuple[str, str, str]] = set()

    def flag(draft: str, rule: str, token: str, severity: Severity, suggestion: str) -> None:
        key = (draft, rule, token.lower())
        if key not in seen:
            seen.add(key)
            checks.append(Check(draft=draft, severity=severity, rule=rule, text=token, suggestion=suggestion))

    for part in iter_parts(drafts):
        text = part.text
        if not text:
            continue
        # Addresses and URLs first, so their pieces are not read as names or numbers.
        for m in EMAIL_RE.finditer(text):
            if not corpus.has_email(m.group(0)):
                flag(
                    part.draft,
                    "grounding.email",
                    m.group(0),
                    "error",
                    "This address is not in the notes or the engagement: check it before sending.",
                )
        for m in URL_RE.finditer(text):
            if m.group(0).lower() not in corpus._lower:
                flag(part.draft, "grounding.url", m.group(0), "warning", "This link is not in the notes: check it.")
        rest = URL_RE.sub(" ", EMAIL_RE.sub(" ", text))
        for d in find_dates(rest):
            if not corpus.date_ok(d):
                flag(
                    part.draft,
                    "grounding.date",
                    d.text,
                    "warning",
                    "This date does not follow from the notes or the call date: check it.",
                )
        spans = sorted(d.span for d in find_dates(rest))
        for s, e in reversed(spans):
            rest = rest[:s] + " " + rest[e:]
        for line in rest.splitlines():
            body = re.sub(r"^\s*(?:\d{1,2}[.)]|[a-n][.)])\s+", " ", line)  # list numbering is layout, not a fact
            for m in _NUMBER_RE.finditer(body):
                raw = m.group(1).replace(",", "").rstrip(".")
                if raw in corpus.numbers or raw in vocab_numbers:
                    continue
                flag(
                    part.draft,
                    "grounding.number",
                    m.group(0),
                    "warning",
                    "This number is not in the notes: check it or remove it.",
                )
        for sentence in sentences(rest):
            tokens = list(_WORD_RE.finditer(sentence))
            for i, m in enumerate(tokens):
                word = m.group(0).strip("'’.-&")
                if not word or not word[0].isupper():
                    continue
                if word.lower().endswith(("'s", "’s")):
                    word = word[:-2]
                low = word.lower()
                if low in corpus.words or low in vocab_words:
                    continue
                pieces = [p for p in re.split(r"[-'’./&]", word) if p]
                if all(p.lower() in corpus.words or p.lower() in vocab_words for p in pieces):
                    continue
                if i == 0 and word.lower() in COMMON_WORDS:
                    continue
                flag(
                    part.draft,
                    "grounding.name",
                    word,
                    "warning",
                    "This name or product is not in the notes, the agenda answers or the engagement: check it.",
                )
    return checks


# ================================================================ consistency across drafts


@lru_cache(maxsize=8192)  # the same owners and actions are normalised once per line otherwise
def _norm(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (text or "").lower()).split())


def _same_action(a: str, b: str) -> bool:
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return True
    ta, tb = set(na.split()), set(nb.split())
    return len(ta & tb) / max(1, min(len(ta), len(tb))) >= 0.7


class _ActionIndex:
    """Action items found by the text that mentions them, without comparing every line with every action
    (notes of a few hundred KB give hundreds of actions and a follow-up of thousands of lines). Only content
    words are indexed; actions with the same words share one entry."""

    def __init__(self, actions: list[ActionItem]) -> None:
        groups: dict[str, list[ActionItem]] = {}
        for ai in actions:
            na = _norm(ai.action)
            if na:
                groups.setdefault(na, []).append(ai)
        self.items = [(na, set(na.split()), ais) for na, ais in groups.items()]
        self.by_token: dict[str, list[int]] = {}
        for i, (_na, tokens, _ais) in enumerate(self.items):
            for t in tokens - COMMON_WORDS:
                self.by_token.setdefault(t, []).append(i)

    def matches(self, text: str) -> list[ActionItem]:
        nt = _norm(text)
        tokens = set(nt.split())
        candidates = {i for t in tokens - COMMON_WORDS for i in self.by_token.get(t, ())}
        out: list[ActionItem] = []
        for i in sorted(candidates):
            na, ta, ais = self.items[i]
            if na in nt or nt in na or len(ta & tokens) / max(1, min(len(ta), len(tokens))) >= 0.7:
                out += ais
        return out


def _owner_key(owner: str | None, people: list[Person]) -> str:
    """An owner as one comparable key: 'the FM', 'FM' and the FM's name are the same person."""
    key = _norm(owner).removeprefix("the ").replace("name unknown", "").strip()
    for p in people:
        if p.name and key in (_norm(p.role), _norm(p.name)):
            return _norm(p.name)
    return key


def _same_owner(a: str, b: str, people: list[Person]) -> bool:
    return _owner_key(a, people) == _owner_key(b, people)


_STATUS_IN_TEXT_RE = re.compile("|".join(re.escape(s) for s in L1_LABELS), re.IGNORECASE)
_CADENCE_RE = re.compile(r"\b(bi-?weekly|every (?:other|two) weeks?|fortnightly|weekly|monthly)\b", re.IGNORECASE)


def _cadence_of(word: str) -> str:
    w = word.lower()
    if w.startswith("bi") or "other" in w or "two" in w or "fortnight" in w:
        return "biweekly"
    return "weekly" if w == "weekly" else "monthly"


def consistency_checks(bundle: DraftBundle) -> list[Check]:
    """Owners, due dates and workload statuses agree across the follow-up email, the FTOP entry and the invites."""
    facts, drafts = bundle.facts, bundle.drafts
    checks: list[Check] = []
    people = [
        p
        for p in (*bundle.engagement.account_team, bundle.engagement.fm, bundle.engagement.fta, *facts.attendees)
        if p is not None and p.name
    ]
    names = {_norm(p.name) for p in people if p.name}
    index = _ActionIndex(facts.action_items)

    # FTOP next actions vs the action items.
    for na in drafts.ftop.next_actions:
        cands = index.matches(na.action)
        match = next((ai for ai in cands if na.owner and ai.owner and _same_owner(na.owner, ai.owner, people)), None)
        match = match or next(iter(cands), None)
        if match is None:
            continue
        if match.owner and na.owner and not _same_owner(na.owner, match.owner, people):
            checks.append(
                Check(
                    draft="ftop",
                    severity="warning",
                    rule="consistency.owner",
                    text=f"{na.action}: {na.owner} (follow-up facts: {match.owner})",
                    suggestion=f"Use one owner everywhere: {match.owner}.",
                )
            )
        if na.due != match.due:
            checks.append(
                Check(
                    draft="ftop",
                    severity="warning",
                    rule="consistency.due",
                    text=f"{na.action}: {na.due or 'no date'} (facts: {match.due or 'no date'})",
                    suggestion="Use one due date everywhere.",
                )
            )

    # FTOP service intent notes vs the facts.
    status_by_workload = {i.workload.lower(): i.status for i in facts.intents}
    for sin in drafts.ftop.service_intent_notes:
        want = status_by_workload.get(sin.workload.lower())
        if want and want != sin.status:
            checks.append(
                Check(
                    draft="ftop",
                    severity="warning",
                    rule="consistency.status",
                    text=f"{sin.workload}: {sin.status} (facts: {want})",
                    suggestion=f"Use one status for {sin.workload} everywhere: {want}.",
                )
            )

    # The follow-up email's lines vs owners, dates and statuses.
    for line in drafts.follow_up.body.splitlines():
        low = line.lower()
        matched = [ai for ai in index.matches(line) if len(_norm(ai.action).split()) >= 2]
        if matched:
            nline = _norm(line)
            dated = [ai for ai in matched if ai.due]
            line_dates = find_dates(line) if dated else []
            if line_dates and not any(
                (d.month, d.day) == (ai.due.month, ai.due.day) for ai in dated for d in line_dates
            ):  # type: ignore[union-attr]
                checks.append(
                    Check(
                        draft="follow_up",
                        severity="warning",
                        rule="consistency.due",
                        text=_clip(line),
                        suggestion=f"The action is due {dated[0].due:%b %d} in the facts and the FTOP entry.",
                    )
                )
            owners = {_norm(ai.owner) for ai in matched if ai.owner}
            if owners and not any(o in nline for o in owners):
                others = [n for n in names if n and n not in owners and re.search(rf"\b{re.escape(n)}\b", nline)]
                if others:
                    checks.append(
                        Check(
                            draft="follow_up",
                            severity="warning",
                            rule="consistency.owner",
                            text=_clip(line),
                            suggestion=f"The owner is {matched[0].owner} elsewhere.",
                        )
                    )
        mentioned = [w for w in status_by_workload if re.search(rf"\b{re.escape(w)}\b", low)]
        stated = {m.group(0).lower() for m in _STATUS_IN_TEXT_RE.finditer(line)}
        if len(mentioned) == 1 and len(stated) == 1:
            want = status_by_workload[mentioned[0]]
            if want.lower() not in stated:
                checks.append(
                    Check(
                        draft="follow_up",
                        severity="warning",
                        rule="consistency.status",
                        text=_clip(line),
                        suggestion=f"The status is {want} in the FTOP entry.",
                    )
                )

    # Invites vs their emails, and the sync cadence everywhere.
    inv, em = drafts.internal_invite.invite, drafts.internal_invite.email
    if {r.display for r in inv.required} != {r.display for r in em.to} or {r.display for r in inv.optional} != {
        r.display for r in em.cc
    }:
        checks.append(
            Check(
                draft="internal_invite",
                severity="warning",
                rule="consistency.invitees",
                text="invite required/optional differ from the email's To/Cc",
                suggestion="Mandatory roles (ATS, TAM) are required in the invite and in To; the others "
                "optional and in Cc.",
            )
        )
    rhythm = facts.sync_rhythm
    sync_inv = drafts.sync_rhythm.invite
    if rhythm and rhythm.cadence and sync_inv and sync_inv.rrule:
        rr = sync_inv.rrule.upper()
        got = "monthly" if "FREQ=MONTHLY" in rr else ("biweekly" if "INTERVAL=2" in rr else "weekly")
        if got != rhythm.cadence:
            checks.append(
                Check(
                    draft="sync_rhythm",
                    severity="warning",
                    rule="consistency.cadence",
                    text=sync_inv.rrule,
                    suggestion=f"The notes say {rhythm.cadence}.",
                )
            )
    if rhythm and rhythm.cadence:
        for name, body in (("sync_rhythm", drafts.sync_rhythm.email.body), ("follow_up", drafts.follow_up.body)):
            for m in _CADENCE_RE.finditer(body):
                if _cadence_of(m.group(0)) != rhythm.cadence:
                    checks.append(
                        Check(
                            draft=name,
                            severity="warning",
                            rule="consistency.cadence",
                            text=m.group(0),
                            suggestion=f"The notes say the sync is {rhythm.cadence}.",
                        )
                    )
    return checks


# ================================================================ Service Intent coaching

VAGUE_RE = re.compile(
    r"\bfor now\b|\bcurrently\b|\byet\b|\bright now\b|\bat the moment\b|\bat this (?:time|point)\b|\bat present\b|"
    r"\bfor the time being\b|\bsoon\b|\beventually\b|\bin the future\b|\blater\b|\bstill\b",
    re.IGNORECASE,
)
STATUS_WORDS: dict[str, re.Pattern[str]] = {
    "In Progress": re.compile(
        r"in progress|deploy|migrat|adopt|rolling out|roll-?out|pilot|onboard|cutover|"
        r"moving|intent",
        re.I,
    ),
    "Blocked": re.compile(r"block|unable|cannot|can't|issue|prevent|on hold|frozen|freeze|stopped", re.I),
    "No Intent": re.compile(
        r"no intent|not intend|no plans?\b|not planning|won't|will not|staying|stay on|"
        r"decided against|instead|using|uses|prefers?",
        re.I,
    ),
    "Status Unknown": re.compile(
        r"unknown|unresponsive|no (?:response|reply|answer)|not respond|not known|unclear|"
        r"new subscription|not confirmed|to confirm",
        re.I,
    ),
    "Duplicate/Invalid": re.compile(r"duplicate|invalid", re.I),
}
WHY_RE = re.compile(
    r"\bbecause\b|\bdue to\b|\bsince\b|\bas (?:the|they|their|it|its|a|an)\b|\bb/c\b|\bcaused by\b|\buntil\b|"
    r"\bpending\b|\bowing to\b|\breason\b|\bso that\b|\bgiven\b|\bby (?:the|their|a|an)\b|\bblocked by\b|"
    r"\bafter\b|\bonce\b|\bwhile\b|\bwith\b|\busing\b|\bon-?prem|\bcontract\b|\bbudget\b|\blegal\b|"
    r"\btarget\b|\b[:;—–]\s|\s-\s",
    re.IGNORECASE,
)
ATTEMPTS_RE = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|multiple)\s+(?:\w+\s+){0,2}"
    r"(?:attempts?|tries|emails?|calls?|times|follow-?ups?|reminders?)\b|\battempt(?:ed|s)?\b[^.]{0,20}\d",
    re.IGNORECASE,
)
MANAGED_RE = re.compile(r"\b(?:un)?managed\b|\bno account team\b|\bnot managed\b", re.IGNORECASE)
UNRESPONSIVE_RE = re.compile(r"unresponsive|no (?:response|reply|answer)|not respond|did not reply|ghost", re.I)


def _sentence_count(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()])


def suggest_intent_note(workload: str, status: str, reason: str | None, note: str, problem: str) -> str:
    """A rewrite in the Service Intent style: status, then the why, no vague time words, placeholders for gaps."""
    head = f"{workload}: {status}" + (f" ({reason})" if reason else "")
    kept = VAGUE_RE.sub("", note)
    kept = " ".join(kept.split()).strip(" ,;.")
    if problem in ("unresponsive",) or (status == "Status Unknown" and reason == "Customer Unresponsive"):
        return (
            f"{head}. [N] contact attempts (email/Teams) since [date] with no reply; the account is "
            f"[managed / unmanaged]."
        )
    if problem == "usage_only" or not kept:
        why = {
            "In Progress": "the customer is [deploying / migrating / adopting] — [what, for whom, target date]",
            "Blocked": "unable to proceed because [the blocker] — [who removes it, by when]",
            "No Intent": "no intent because [the reason, e.g. a competing product under contract until <year>]",
            "Status Unknown": "intent not known because [why]; [next step to find out]",
        }.get(status, "[the reason]")
        return f"{head}: {why}."
    if problem == "vague":
        return f"{head}: {kept} — until [date or condition]."
    if problem == "no_why":
        return f"{head}: {kept}, because [the reason]."
    if problem == "no_status":
        return f"{head}. {kept[0].upper() + kept[1:]}."
    if problem == "too_long":
        first = re.split(r"(?<=[.!?])\s+", kept)[0].rstrip(".")
        return f"{head}: {first}."
    return f"{head}: {kept}."


def coach_intent_note(workload: str, status: str, reason: str | None, note: str, draft: str = "ftop") -> list[Check]:
    """Service Intent note findings (domain.md): status and why in 1-2 sentences, no vague time words, more than a
    usage figure, and for an unresponsive customer the attempts and whether the account is managed."""
    checks: list[Check] = []

    def add(rule: str, problem: str, what: str) -> None:
        checks.append(
            Check(
                draft=draft,
                severity="warning",
                rule=f"intent_note.{rule}",
                text=f"{workload}: {_clip(note)}" if note.strip() else f"{workload}: (empty note)",
                suggestion=f"{what} Suggested: {suggest_intent_note(workload, status, reason, note, problem)}",
            )
        )

    text = note.strip()
    if not text:
        add("empty", "usage_only", "The note is empty: state the status and why.")
        return checks
    without_figures = re.sub(r"\d[\d,.]*\s*%?|" + USAGE_TERM_RE.pattern, " ", text, flags=re.IGNORECASE)
    has_status = bool(STATUS_WORDS.get(status, re.compile("$^")).search(text)) or status.lower() in text.lower()
    if usage_figure(text) and len(_words_in(without_figures)) <= 4 and not WHY_RE.search(without_figures):
        add("usage_only", "usage_only", "A usage figure alone is not a note: say the status and why.")
        return checks
    if _sentence_count(text) > 2:
        add("too_long", "too_long", "Keep the note to one or two sentences.")
    vague = VAGUE_RE.findall(text)
    if vague:
        add(
            "vague_time",
            "vague",
            f"Vague time words ({', '.join(sorted({v.lower() for v in vague}))}): say the date or condition instead.",
        )
    if not has_status:
        add("no_status", "no_status", f"The note does not say the status in clear words ({status}).")
    if not WHY_RE.search(text) and len(text.split()) < 8:
        add("no_why", "no_why", "The note does not say why.")
    unresponsive = (status == "Status Unknown" and reason == "Customer Unresponsive") or UNRESPONSIVE_RE.search(text)
    if unresponsive:
        if not ATTEMPTS_RE.search(text):
            add(
                "no_attempts",
                "unresponsive",
                "An unresponsive customer's note says how many contact attempts were made.",
            )
        if not MANAGED_RE.search(text):
            add("no_managed", "unresponsive", "An unresponsive customer's note says whether the account is managed.")
    return checks


def intent_checks(bundle: DraftBundle) -> list[Check]:
    notes = bundle.drafts.ftop.service_intent_notes
    items: list[tuple[str, str, str | None, str]] = [(n.workload, n.status, n.reason, n.note) for n in notes]
    if not items:  # the FTOP entry lists none: coach the extracted intents, which the app shows for editing
        items = [(i.workload, i.status, i.reason, i.note) for i in bundle.facts.intents]
    checks: list[Check] = []
    for workload, status, reason, note in items:
        checks += coach_intent_note(workload, status, reason, note)
    return checks


# ================================================================ the notes themselves


def notes_checks(notes: str | None) -> list[Check]:
    """Info findings about the notes (draft 'notes'): instructions and hidden text were treated as data."""
    if not notes:
        return []
    checks: list[Check] = []
    hidden = hostile_characters(notes)
    if hidden:
        kinds = ", ".join(f"{n} {k}" for k, n in hidden.items())
        checks.append(
            Check(
                draft="notes",
                severity="info",
                rule="notes.hidden_characters",
                text=kinds,
                suggestion="The notes contain invisible characters (often from pasted email); they were "
                "ignored when drafting. Your saved notes are unchanged.",
            )
        )
    for sentence in sentences(clean_text(notes)):
        if INSTRUCTION_RE.search(sentence):
            checks.append(
                Check(
                    draft="notes",
                    severity="info",
                    rule="notes.instruction_text",
                    text=_clip(sentence),
                    suggestion="This reads as an instruction to an AI; ftdraft treats notes as data and "
                    "did not follow it.",
                )
            )
            break
    return checks


# ================================================================ entry points


def check_bundle(
    bundle: DraftBundle,
    notes: str | None = None,
    agenda_answers: dict[str, str] | None = None,
    context: Engagement | None = None,
    *,
    trusted_facts: bool = False,
    canaries: Iterable[str] | None = None,
    secrets: Iterable[str] | None = None,
) -> list[Check]:
    """Every guardrail finding for a bundle, without changing it.

    notes/agenda_answers/context are what the FM gave us; grounding is skipped when no notes are given.
    trusted_facts: the facts were corrected by the FM (redraft), so their words count as grounded.
    """
    drafts = bundle.drafts
    canaries = list(canaries) if canaries is not None else default_canaries()
    secrets = list(secrets) if secrets is not None else secret_values()
    checks = audience_checks(drafts, bundle.facts)
    checks += injection_checks(drafts, canaries, secrets)
    if notes is not None or context is not None or trusted_facts:
        corpus = build_corpus(bundle, notes, agenda_answers, context, trusted_facts)
        checks += roster_checks(drafts, build_roster(bundle, context, corpus))
        if notes is not None or trusted_facts:
            checks += grounding_checks(drafts, corpus)
    checks += consistency_checks(bundle)
    checks += intent_checks(bundle)
    checks += notes_checks(notes)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(_dedupe(checks), key=lambda c: order[c.severity])


def defang(text: str) -> str:
    """A finding's quote made inert wherever it is shown (app, Markdown export): tags and markdown images lose
    their syntax but stay readable ('‹script›', '! [x](url)')."""
    return text.replace("<", "‹").replace(">", "›").replace("![", "! [")


def _dedupe(checks: list[Check]) -> list[Check]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for c in checks:
        c = c.model_copy(update={"text": defang(c.text), "suggestion": defang(c.suggestion)})
        key = (c.draft, c.rule, c.text)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


# ---------------------------------------------------------------- repairs


def neutralise(text: str) -> str:
    """Drafts are plain text: strip hidden characters, script/style blocks, live tags and markdown images."""
    text = clean_text(text)
    text = SCRIPT_BLOCK_RE.sub("", text)
    text = HTML_RE.sub("", text)
    text = MD_IMAGE_RE.sub(
        lambda m: f"[image removed: {m.group(1)}]" if m.group(1).strip() else "[image removed]", text
    )
    text = MD_REF_IMAGE_RE.sub("[image removed]", text)
    return text


_BULLET_RE = re.compile(r"^(\s*(?:[-*•]|\d{1,2}[.)])?\s*)")


def _remove_sentences(text: str, offends: Callable[[str], bool]) -> tuple[str, list[str]]:
    """Text without the sentences that offend; lines left empty by the removal are dropped, the others keep layout."""
    removed: list[str] = []
    out_lines: list[str] = []
    for line in text.split("\n"):
        m = _BULLET_RE.match(line)
        prefix = m.group(1) if m else ""
        pieces = [p for p in _SENTENCE_SPLIT.split(line[len(prefix) :]) if p.strip()]
        kept = [p for p in pieces if not offends(p.strip())]
        if len(kept) == len(pieces):
            out_lines.append(line)
            continue
        removed += [p.strip() for p in pieces if p not in kept]
        if kept:
            out_lines.append(prefix + " ".join(k.strip() for k in kept))
    return "\n".join(out_lines), removed


def _sentence_offender(
    audience: str, facts: CallFacts, canaries: list[str], secrets: list[str]
) -> Callable[[str], Rule | None]:
    rules = [r for r in rules_for(audience, facts) if r.severity == "error"]
    leak = Rule(
        "injection.prompt_leak",
        "error",
        lambda s: "leak" if any(c in s for c in canaries) else None,
        "The model repeated its instructions.",
    )
    secret = Rule(
        "secret.api_key",
        "error",
        lambda s: "key" if any(k in s for k in secrets) else None,
        "The model wrote the API key.",
    )
    instr = Rule(
        "injection.instruction_text", "error", _match(INSTRUCTION_RE), "The model followed pasted instructions."
    )
    all_rules = [leak, secret, instr, *rules]

    def f(sentence: str) -> Rule | None:
        return next((r for r in all_rules if r.matcher(sentence)), None)

    return f


def guard_bundle(
    bundle: DraftBundle,
    notes: str | None = None,
    agenda_answers: dict[str, str] | None = None,
    context: Engagement | None = None,
    *,
    trusted_facts: bool = False,
    canaries: Iterable[str] | None = None,
    secrets: Iterable[str] | None = None,
) -> DraftBundle:
    """The bundle, repaired where that is safe, with `checks` set. Never raises on odd content.

    Every draft: invisible characters, live markup and markdown images are removed (notes are data).
    Model-written drafts: recipients and subjects come from the roster-built offline draft, and sentences that
    break an audience rule, leak the system prompt or the key, or carry injected instructions are removed; each
    repair is reported as a warning so the FM sees what changed.
    """
    canaries = list(canaries) if canaries is not None else default_canaries()
    secrets = list(secrets) if secrets is not None else secret_values()
    repairs: list[Check] = []
    drafts = bundle.drafts.model_copy(deep=True)
    model_written = {name for name, p in bundle.provenance.items() if p.engine == "llm" and not p.fallback_reason}
    offline: Drafts | None = None
    if model_written:
        try:
            from .drafts import render_drafts

            offline = render_drafts(bundle.engagement, bundle.facts)
        except Exception:  # the offline engine failing here must not cost the FM their drafts
            offline = None
    provenance = dict(bundle.provenance)

    def fix_text(draft: str, audience: str, label: str, text: str) -> str:
        cleaned = neutralise(text)
        if cleaned != text:
            repairs.append(
                Check(
                    draft=draft,
                    severity="warning",
                    rule="injection.markup_removed",
                    text=_clip(text),
                    suggestion=f"Hidden characters or live markup were removed from the {label}.",
                )
            )
        if draft in model_written:
            offender = _sentence_offender(audience, bundle.facts, canaries, secrets)
            hits: dict[str, Rule] = {}

            def offends(s: str) -> bool:
                r = offender(s)
                if r:
                    hits[s] = r
                return r is not None

            cleaned, removed = _remove_sentences(cleaned, offends)
            for s in removed:
                r = hits[s]
                shown = (
                    "(text of the system prompt)"
                    if r.rule == "injection.prompt_leak"
                    else ("(the API key)" if r.rule == "secret.api_key" else _clip(s))
                )
                repairs.append(
                    Check(
                        draft=draft,
                        severity="warning",
                        rule=r.rule,
                        text=shown,
                        suggestion=f"Removed from the model-written {label}. {r.suggestion}",
                    )
                )
        return cleaned

    def fix_email(draft: str, email: Email, reference: Email | None) -> Email:
        email.body = fix_text(draft, email.audience, "body", email.body)
        subject = one_line(neutralise(email.subject))
        if draft in model_written and reference is not None:
            if [r.display for r in email.to] != [r.display for r in reference.to] or [r.display for r in email.cc] != [
                r.display for r in reference.cc
            ]:
                repairs.append(
                    Check(
                        draft=draft,
                        severity="warning",
                        rule="recipients.restored",
                        text=", ".join(r.display for r in (*email.to, *email.cc)),
                        suggestion="Recipients come only from the roster: the model's list was replaced.",
                    )
                )
                email.to, email.cc = list(reference.to), list(reference.cc)
            if _subject_suspicious(subject, email.subject, reference.subject, bundle.engagement, canaries, secrets):
                repairs.append(
                    Check(
                        draft=draft,
                        severity="warning",
                        rule="subject.restored",
                        text=_clip(email.subject),
                        suggestion="The model's subject had words from outside the engagement: the template's is used.",
                    )
                )
                subject = reference.subject
        email.subject = subject or (reference.subject if reference else "(no subject)")
        return email

    def fix_invite(draft: str, invite: CalendarInvite, audience: str, reference: CalendarInvite | None) -> None:
        invite.description = fix_text(draft, audience, "invite description", invite.description)
        invite.location = (
            one_line(fix_text(draft, audience, "invite location", invite.location)) or "Microsoft Teams meeting"
        )
        title = one_line(neutralise(invite.title))
        if draft in model_written and reference is not None:
            if [r.display for r in (*invite.required, *invite.optional)] != [
                r.display for r in (*reference.required, *reference.optional)
            ]:
                repairs.append(
                    Check(
                        draft=draft,
                        severity="warning",
                        rule="recipients.restored",
                        text=", ".join(r.display for r in (*invite.required, *invite.optional)),
                        suggestion="Invitees come only from the roster: the model's list was replaced.",
                    )
                )
                invite.required, invite.optional = list(reference.required), list(reference.optional)
            if _subject_suspicious(title, invite.title, reference.title, bundle.engagement, canaries, secrets):
                title = reference.title
        invite.title = title or (reference.title if reference else "Meeting")

    ref = offline
    for item in drafts.prep.items:
        item.text = fix_text("prep", "internal", "checklist", item.text)
    fix_email("internal_invite", drafts.internal_invite.email, ref.internal_invite.email if ref else None)
    fix_invite(
        "internal_invite",
        drafts.internal_invite.invite,
        drafts.internal_invite.email.audience,
        ref.internal_invite.invite if ref else None,
    )
    fix_email("intro_request", drafts.intro_request.email, ref.intro_request.email if ref else None)
    drafts.intro_request.customer_blurb = fix_text(
        "intro_request", "customer", "customer blurb", drafts.intro_request.customer_blurb
    )
    if drafts.teams_channel is not None:
        fix_email("teams_channel", drafts.teams_channel, ref.teams_channel if ref else None)
    fix_email("follow_up", drafts.follow_up, ref.follow_up if ref else None)
    ftop = drafts.ftop
    ftop.text = fix_text("ftop", "internal", "FTOP text", ftop.text)
    for attr in ("participants", "discussion_points", "customer_questions", "ftc_actions"):
        setattr(ftop, attr, [fix_text("ftop", "internal", attr, t) for t in getattr(ftop, attr)])
    for na in ftop.next_actions:
        na.action = fix_text("ftop", "internal", "next action", na.action)
    for sin in ftop.service_intent_notes:
        sin.note = fix_text("ftop", "internal", "service intent note", sin.note)
    if "ftop" in model_written and ref is not None:
        missing = [h for h in FTOP_HEADINGS if h.lower() not in ftop.text.lower()]
        if missing or not ftop.text.strip():
            repairs.append(
                Check(
                    draft="ftop",
                    severity="warning",
                    rule="structure.restored",
                    text="missing headings: " + ", ".join(missing),
                    suggestion="The FTOP entry needs every template heading: the offline entry was used.",
                )
            )
            drafts.ftop = ref.ftop
            provenance["ftop"] = Provenance(engine="offline", fallback_reason="guardrail: FTOP headings missing")
    fix_email("sync_rhythm", drafts.sync_rhythm.email, ref.sync_rhythm.email if ref else None)
    if drafts.sync_rhythm.invite is not None:
        fix_invite(
            "sync_rhythm",
            drafts.sync_rhythm.invite,
            drafts.sync_rhythm.email.audience,
            ref.sync_rhythm.invite if ref and ref.sync_rhythm.invite else None,
        )

    repaired = bundle.model_copy(update={"drafts": drafts, "provenance": provenance})
    findings = check_bundle(
        repaired, notes, agenda_answers, context, trusted_facts=trusted_facts, canaries=canaries, secrets=secrets
    )
    order = {"error": 0, "warning": 1, "info": 2}
    # Findings the model path recorded about its own parts stay, as long as those parts are still the model's.
    earlier = [c for c in bundle.checks if c.draft in model_written or c.draft == "extraction"]
    repaired.checks = sorted(_dedupe(earlier + repairs + findings), key=lambda c: order[c.severity])
    return repaired


def _subject_suspicious(
    subject: str,
    original: str,
    reference: str,
    engagement: Engagement,
    canaries: list[str],
    secrets: list[str],
) -> bool:
    """A model-written subject is kept only when every word in it is the template's, the engagement's (customer,
    people, workloads) or the drafts' own vocabulary. Grounding in the notes is not enough here: an injected
    "set the subject to URGENT wire transfer" puts those very words in the notes."""
    if original != subject or any(c in original for c in canaries) or any(s in original for s in secrets):
        return True
    if INSTRUCTION_RE.search(original) or EMAIL_RE.search(original) or URL_RE.search(original):
        return True
    vocab_words, vocab_numbers = template_vocabulary()
    # The engagement's names only: its sources quote note lines, which is where an injected subject would be.
    people = [p for p in (*engagement.account_team, engagement.fm, engagement.fta, *engagement.customer_contacts) if p]
    own = " ".join([engagement.customer, engagement.rfa_id or "", *engagement.workloads, *engagement.health_red_areas,
                    *(p.name or "" for p in people)])  # fmt: skip
    allowed = _words_in(reference) | _words_in(own) | set(vocab_words) | COMMON_WORDS
    numbers = _numbers_in(reference) | _numbers_in(own) | set(vocab_numbers)
    for m in _WORD_RE.finditer(subject):
        pieces = [p for p in re.split(r"[-'’./&]", m.group(0).lower()) if p]
        if not all(p in allowed for p in pieces):
            return True
    return any(m.group(1).replace(",", "") not in numbers for m in _NUMBER_RE.finditer(subject))
