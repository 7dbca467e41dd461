"""Service Intent note coaching: status and why in one or two sentences, no vague time words, more than a usage
figure, and for an unresponsive customer the attempts and whether the account is managed."""

from __future__ import annotations

import re

from ..schemas import Check, DraftBundle
from .audience import usage_figure
from .parts import clip
from .patterns import USAGE_TERM_RE
from .vocabulary import words_in

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
                text=f"{workload}: {clip(note)}" if note.strip() else f"{workload}: (empty note)",
                suggestion=f"{what} Suggested: {suggest_intent_note(workload, status, reason, note, problem)}",
            )
        )

    text = note.strip()
    if not text:
        add("empty", "usage_only", "The note is empty: state the status and why.")
        return checks
    without_figures = re.sub(r"\d[\d,.]*\s*%?|" + USAGE_TERM_RE.pattern, " ", text, flags=re.IGNORECASE)
    has_status = bool(STATUS_WORDS.get(status, re.compile("$^")).search(text)) or status.lower() in text.lower()
    if usage_figure(text) and len(words_in(without_figures)) <= 4 and not WHY_RE.search(without_figures):
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
