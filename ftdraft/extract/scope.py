"""The workloads in scope: the RFA's workloads, or the Health motion's red usage areas, read from the notes.

Shapes the notes use (seed step 1: RFA -> the request, Health -> the red usage areas):
  "RFA #58213 · Exchange Online + Teams · Wed Dec 2", "RFA 62455 (Intune, Windows 11)", "RFA: SPO + ODB",
  "RFA 60114 – Exchange Online and OneDrive", "The RFA covers / asks for help with …", "rfa = spo + teams",
  "red: exo + spo", "Red on the (health) report: …", "Health red: …", "Rouge : …",
  and prose that names the red areas first: "the health report has Teams and OneDrive in red".
"""

from __future__ import annotations

import re

from .. import lexicon as lx
from .lines import Line
from .text import workloads_in

# The statements that open a scope, each one alternative (all start with literal text).
_SCOPE_OPENERS = (
    r"rfa (?:was |is )?(?:for|asks? for|covers?|is about)",
    r"rfa\s*(?:#|no\.?|number)?\s*\d{3,}\s*(?:--|[-–—:|·(=])",  # "RFA #58213 · …", "RFA 62455 (…", "RFA 1 – …"
    r"rfa\s*(?:#|no\.?|number)?\s*\d{3,}\s+(?:is |was )?(?:for|covers?|asks? for|is about)\s",  # "RFA 80417 for …"
    r"red (?:usage )?areas? (?:were|are|was|is|include[sd]?)\s*:?",  # "the red areas were Intune and Windows"
    r"(?:röda?|røde?|rote?|rojas?|rosso|rossi|czerwone)(?: \w+)?\s*[:=]",  # "Röda områden: Teams, Intune"
    r"rfa\b[^.\n]{0,60}?\b(?:came in|was raised|was filed|arrived)\b[^.\n]{0,40}?\bfor\s",  # "RFA … came in … for"
    r"red(?: usage)?(?: areas?)?\s*[:=]",
    r"red (?:on|in|from) the (?:health |usage )?report\s*[:=]?",
    r"(?:rouge|rot|rojo|vermelho|rood)\s*[:=]",
    r"usage red areas?\s*[:=]?",
    r"in scope\s*[:=]",
    r"(?:rfa )?scope\s*[:=]",
    r"workloads?(?: in scope)?\s*[:=]",
    r"rfa\s*[:=]",
)
SCOPE_RE = re.compile(r"\b(?:" + "|".join(_SCOPE_OPENERS) + r")\s*([^.·|\n]+)", re.IGNORECASE)
# Every SCOPE_RE match holds a match of an opener: on an ASCII line (IGNORECASE is then plain ASCII case) the openers
# read through the line's starts (Line.starts) say whether SCOPE_RE can match at all.
_SCOPE_OPENER_CUE = lx.Cue("|".join(_SCOPE_OPENERS))
assert _SCOPE_OPENER_CUE.prefixes is not None
lx.LINE_STARTS.add(_SCOPE_OPENER_CUE.prefixes)

# Prose names the red areas before saying so: "the usage report shows Exchange Online and Teams as red areas",
# "the health report has Teams and OneDrive in red".
SCOPE_BEFORE_RE = re.compile(
    r"\s(?:as|are|were|is|in)\s+(?:the\s+)?red(?:\s+(?:usage\s+)?areas?)?\b(?!\s*[-:])", re.IGNORECASE
)

# Words every SCOPE_RE alternative holds, checked on the lowercased line before the regex runs.
_SCOPE_WORDS = (
    "rfa",
    "red",
    "scope",
    "workload",
    "rouge",
    "rot",
    "roj",
    "vermelho",
    "rood",
    "röd",
    "rød",
    "ross",
    "czerwon",
)

_SCOPE_PRECHECK = (*_SCOPE_WORDS, "ı", "ſ", "\u0307")  # built once: may_scope runs on every sentence


def may_scope(lowered: str) -> bool:
    """Whether a lowercased line can hold a scope statement (a cheap pre-check before SCOPE_RE).

    U+0307 is what "İ" leaves when lowercased: the IGNORECASE regex reads it as "i"; ı/ſ fold onto i/s."""
    return any(map(lowered.__contains__, _SCOPE_PRECHECK))


def scope_workloads(lines: list[Line]) -> tuple[list[str], list[Line]]:
    """The workloads in scope, in the order the notes name them, and the lines that named them.

    Returns ([canonical workload names of ftdraft.lexicon.WORKLOADS], [Line]); ([], []) when no line states a scope.
    """
    found: list[str] = []
    used: list[Line] = []
    for line in lines:
        lowered = line.lower()
        opens = _SCOPE_OPENER_CUE.found(lowered, line.starts) if line.text.isascii() else may_scope(lowered)
        spans = [m.group(1) for m in SCOPE_RE.finditer(line.text)] if opens else []
        if "red" in lowered:
            # the anchor first, then the words before it back to the clause start: a lazy prefix group
            # tried at every position made this quadratic on long lines
            for m in SCOPE_BEFORE_RE.finditer(line.text):
                before = line.text[max(0, m.start() - 150) : m.start()]
                spans.append(re.split(r"[.:;]", before)[-1])
        for span in spans:
            named = workloads_in(span)
            if named:
                used.append(line)
            found.extend(w for w in named if w not in found)
    return found, used
