"""Injection leftovers and leaks in drafts (live markup, markdown images, instructions, canaries, system-prompt
sentences, the API key, hidden characters), and what the notes themselves carried."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..lexicon import may_contain
from ..sanitize import clean_text, hostile_characters, redact_secret
from ..schemas import Check, Drafts
from .parts import SENTENCE_SPLIT, clip, iter_parts, sentences
from .patterns import GATES, HTML_GATE, HTML_RE, INSTRUCTION_RE, MD_IMAGE_RE, MD_REF_IMAGE_RE
from .vocabulary import PROMPTS_DIR, TEMPLATE_TAG_RE, template_literals


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
    folder = PROMPTS_DIR / "llm"
    offline = " ".join("\n".join(template_literals(PROMPTS_DIR / "offline")).split())
    found: list[str] = []
    files = sorted(p for p in folder.glob("*.j2") if ".user." not in p.name) if folder.is_dir() else []
    for p in files:
        literal = TEMPLATE_TAG_RE.sub("\n", p.read_text(encoding="utf-8", errors="replace"))
        for line in literal.splitlines():
            for sentence in SENTENCE_SPLIT.split(line.strip().lstrip("-* ").strip()):
                sentence = sentence.strip()
                if len(sentence) >= 24 and sentence not in found and " ".join(sentence.split()) not in offline:
                    found.append(sentence)
    return tuple(found)


def default_canaries() -> list[str]:
    """What must never reach a draft from the model's instructions: CANARY constants and system-prompt sentences."""
    return [*known_canaries(), *system_prompt_fingerprints()]


def leak_markers(canaries: Iterable[str] | None, secrets: Iterable[str] | None) -> tuple[list[str], list[str]]:
    """The canaries and secrets a draft must not contain: the ones given, or by default the model path's and the
    configured key."""
    return (
        list(canaries) if canaries is not None else default_canaries(),
        list(secrets) if secrets is not None else secret_values(),
    )


def secret_values(settings: Any = None) -> list[str]:
    """The API key of `settings` (default: the configured settings), never logged: a draft that contains it, or
    a piece of it of 8 characters or more, is an error."""
    try:
        if settings is None:
            from ..config import get_settings

            settings = get_settings()
        key = settings.openai_api_key
    except Exception:  # settings that do not load are the config's problem, not a guard finding
        return []
    value = key.get_secret_value().strip() if key else ""
    return [value] if len(value) >= 8 else []


# What a finding shows instead of the text it found: quoting a leak would repeat it.
LEAK_STAND_INS = {"injection.prompt_leak": "(text of the system prompt)", "secret.api_key": "(the API key)"}
_IMAGE_FETCHES = "A markdown image fetches an outside URL when rendered: remove it."
# Markup that renders live where a draft is shown: (pattern, rule, suggestion), reported in this order.
_MARKUP = (
    (MD_IMAGE_RE, "injection.markdown_image", _IMAGE_FETCHES),
    (MD_REF_IMAGE_RE, "injection.markdown_image", _IMAGE_FETCHES),
    (HTML_RE, "injection.html", "Drafts are plain text: remove the HTML."),
)


# What every match of each markup rule holds (lowercased): "[" for markdown images, see HTML_GATE for tags.
_MARKUP_GATES = {"injection.markdown_image": ("[",), "injection.html": HTML_GATE}


def injection_checks(drafts: Drafts, canaries: Iterable[str] = (), secrets: Iterable[str] = ()) -> list[Check]:
    """Live markup, markdown images, leaked instructions, canaries, secrets and hidden characters in any draft."""
    canaries = [c for c in canaries if c]
    secrets = [s for s in secrets if s]
    checks: list[Check] = []
    for part in iter_parts(drafts):
        text = part.text
        if not text:
            continue
        for values, rule, suggestion in (
            (canaries, "injection.prompt_leak", "The draft repeats the system prompt: redraft it offline."),
            (secrets, "secret.api_key", "Remove the key from the draft."),
        ):
            for value in values:
                if value in text or (rule == "secret.api_key" and redact_secret(text, value) != text):
                    checks.append(
                        Check(
                            draft=part.draft,
                            severity="error",
                            rule=rule,
                            text=LEAK_STAND_INS[rule],
                            suggestion=suggestion,
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
        lowered = text.lower()
        for pattern, rule, suggestion in _MARKUP:
            if not may_contain(lowered, *_MARKUP_GATES[rule]):
                continue  # most texts: a few substring tests instead of a case-insensitive scan
            for m in pattern.finditer(text):
                checks.append(
                    Check(draft=part.draft, severity="error", rule=rule, text=clip(m.group(0)), suggestion=suggestion)
                )
        for sentence in sentences(text) if may_contain(lowered, *GATES["INSTRUCTION_RE"]) else ():
            if INSTRUCTION_RE.search(sentence):
                checks.append(
                    Check(
                        draft=part.draft,
                        severity="warning",
                        rule="injection.instruction_text",
                        text=clip(sentence),
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
                    text=clip(text),
                    suggestion="Subjects and titles are one line.",
                )
            )
    return checks


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
    cleaned = clean_text(notes)
    for sentence in sentences(cleaned) if may_contain(cleaned.lower(), *GATES["INSTRUCTION_RE"]) else ():
        if INSTRUCTION_RE.search(sentence):
            checks.append(
                Check(
                    draft="notes",
                    severity="info",
                    rule="notes.instruction_text",
                    text=clip(sentence),
                    suggestion="This reads as an instruction to an AI; ftdraft treats notes as data and "
                    "did not follow it.",
                )
            )
            break
    return checks
