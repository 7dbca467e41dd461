"""Words and numbers a draft may use without the notes: the domain's base vocabulary, common sentence words, and
what the offline templates, the agenda and the drafts package write themselves."""

from __future__ import annotations

import ast
import calendar
import contextlib
import re
from functools import lru_cache
from pathlib import Path

from ..agenda import AGENDA
from ..schemas import FTOP_HEADINGS, REASONS_BY_STATUS
from ..templating import PROMPTS_DIR  # the checkout's prompts/ or, installed, ftdraft/prompts/
from .patterns import L1_LABELS

# Template logic ({% if %}, {{ var }}, {# #}) is not prose: only the literal text around it counts.
TEMPLATE_TAG_RE = re.compile(r"{[{%#].*?[}%#]}", re.DOTALL)
VOCAB_WORD_RE = re.compile(r"[^\W\d_][\w'’.&-]*", re.UNICODE)
NUMBER_RE = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?:\s*(k|K|%))?(?![\w])")


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
    _wordlist("""
a an the and or but if when while as at by for from in into of on onto to with without we you they he she it
this that these those there here our your their my his her its is are was were be been will would can could
should shall may might must do does did have has had not no yes also just only all any each every some both
after before during until since because so then than thanks thank please let lets looking following attached
below above great good quick short happy glad sorry hope hoping regarding about per re fyi note next last first
second third meanwhile once again however therefore additionally finally overall today tomorrow who what where
which how why recap summary welcome
""")
)


def numbers_in(text: str) -> set[str]:
    """The numbers written in text ("1,200" -> "1200"), and "2k" as "2000" too."""
    out: set[str] = set()
    for number, unit in set(NUMBER_RE.findall(text)):  # each distinct (number, unit) once: notes repeat them
        raw = number.replace(",", "")
        raw = raw.rstrip(".")
        out.add(raw)
        if unit in ("k", "K"):
            with contextlib.suppress(ValueError):
                out.add(str(int(float(raw) * 1000)))
    return out


_JOINERS_RE = re.compile(r"[-'’./&]")


def words_in(text: str) -> set[str]:
    """The lowercase words of text, and the pieces of the words joined by - ' ’ . / & ("e-mail": "e", "mail")."""
    out = {w for w in (t.strip("'’.-&").lower() for t in set(VOCAB_WORD_RE.findall(text))) if w}
    # most words hold no joiner: only those that do are split (one pass over the set, not one split per word)
    for w in [w for w in out if not w.isalnum()]:
        out.update(piece for piece in _JOINERS_RE.split(w) if piece)
    return out


def template_literals(folder: Path) -> list[str]:
    """The literal text of every template file below folder (sorted by path), template logic blanked out."""
    if not folder.is_dir():
        return []
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    return [TEMPLATE_TAG_RE.sub(" ", p.read_text(encoding="utf-8", errors="replace")) for p in files]


def _has_docstring(node: ast.AST) -> bool:
    if not isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) or not node.body:
        return False
    first = node.body[0]
    return isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)


@lru_cache(maxsize=1)  # fixed for a process (the shipped templates and sources): read once, not per bundle
def template_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Words and numbers the offline templates and the agenda write themselves (the drafts' own vocabulary)."""
    texts = [" ".join(BASE_VOCAB)]
    for item in AGENDA:
        texts += [item.title, item.invite_text, item.ask]
    texts += list(FTOP_HEADINGS) + [r for rs in REASONS_BY_STATUS.values() for r in rs] + list(L1_LABELS)
    texts += list(calendar.month_name) + list(calendar.month_abbr) + list(calendar.day_name) + list(calendar.day_abbr)
    texts += template_literals(PROMPTS_DIR / "offline")
    # words the drafts package writes from Python (labels such as "(name unknown)", cadence words); the package
    # ships its sources, so this holds in the wheel too
    for module in sorted((Path(__file__).parents[1] / "drafts").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))  # string constants only: never comments or docstrings
        docs = {id(n.body[0].value) for n in ast.walk(tree) if _has_docstring(n)}  # type: ignore[attr-defined]
        texts += [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and len(n.value) <= 200 and id(n) not in docs
        ]
    joined = "\n".join(texts)
    return frozenset(words_in(joined)), frozenset(numbers_in(joined))
