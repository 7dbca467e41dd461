"""Open items: what the notes leave unsure ("??", TBD, check, confirm, "who owns Teams?"), to confirm after the call,
with who should answer when the notes name one."""

from __future__ import annotations

import re

from .. import lexicon as lx
from ..schemas import OpenItem
from .actions import ACTION_RE
from .lines import Line
from .people import People
from .text import _ANY_ROLE, _NAME, _SENTENCE_SPLIT_RE, _not_discussed_text, _sentence, tidy

_ROLE_UNKNOWN_RE = re.compile(rf"\b({_ANY_ROLE})\s*(?:=|:|\bis\b)\s*\?+(?:\s*\((?:ask|check with) ({_NAME})\))?")


_ACTION_HINT_RE = re.compile(r"\s(?:to|will|shall|owns)\s|['’]ll\s")


def may_act(text: str) -> bool:
    """Whether text can hold an action clause (ACTION_RE's verb between whitespace): a cheap pre-check."""
    return ("to" in text or "ll" in text or "owns" in text) and _ACTION_HINT_RE.search(text) is not None


_ASKED_WORDS = ("ask", "check with", "confirm with", "follow up with")  # _ASKED_RE is case-sensitive


_ASKED_RE = re.compile(rf"\b(?:ask|check with|confirm with|follow up with) ({_NAME})")


def open_items_from_notes(lines: list[Line], people: People) -> list[OpenItem]:
    """Lines the FM marked unsure ("??", TBD, check, confirm, how many?) become items to confirm, with an owner
    only when the notes name one."""
    items: list[OpenItem] = []
    for line in lines:
        if not line.uncertain:
            continue
        unknown_role = "?" in line.text  # "ATS = ??": the pattern needs a literal "?"
        for m in _ROLE_UNKNOWN_RE.finditer(line.text) if unknown_role else ():
            who = people.owner_name(m.group(2))[0] if m.group(2) else None
            ask = f" (ask {who})" if who else ""
            items.append(
                OpenItem(text=f"Confirm who the {m.group(1).upper()} is{ask}.", owner=None, sources=[line.source()])
            )
        text_without_roles = _ROLE_UNKNOWN_RE.sub("", line.text) if unknown_role else line.text
        for sentence in _SENTENCE_SPLIT_RE.split(text_without_roles):
            lowered = sentence.lower()
            if not lx.UNCERTAIN_RE.found(lowered):  # the same test as search(), on the text lowercased once
                continue
            if _not_discussed_text(sentence) and any(rx.search(lowered) for rx in lx.TOPIC_RES.values()):
                continue  # "timeline?? not discussed": the unanswered agenda item asks for it
            owner = None
            asked = _ASKED_RE.search(sentence) if any(map(sentence.__contains__, _ASKED_WORDS)) else None
            acting = ACTION_RE.search(sentence) if may_act(sentence) else None
            if asked or (acting and (people.find(acting.group(1)) or acting.group(1).lower() in ("me", "i"))):
                owner = people.owner_name((asked or acting).group(1))[0]  # type: ignore[union-attr]
            text = tidy(sentence)
            if not re.search(r"\b(?:confirm|check|verify|ask)\b", text, re.IGNORECASE):
                text = f"Confirm: {text}"
            items.append(OpenItem(text=_sentence(text), owner=owner, sources=[line.source()]))
    return items
