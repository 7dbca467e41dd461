"""Shared wording for reading notes: name and role patterns, shorthand expansion, sentences, workloads named,
and the sources every fact keeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .. import lexicon as lx
from ..schemas import (
    Source,
)

FIELD_ROLES = {"ATS", "TAM", "AE", "CSM", "TSP", "SSP", "ADE"}


ROLE_CODES = r"ATS|TAM|AE|CSM|TSP|SSP|ADE|FTA|FM"


_WORD = rf"(?!(?:{ROLE_CODES}|RFA|IT)\b)[A-Z][a-zA-Z'’\-]+"


NAME_PATTERN = rf"{_WORD}(?: {_WORD}){{0,2}}"


# After "?" a parenthesis continues the thought: "licenses: ?? (E3 or E5, check)" is one sentence.
# A split is the whitespace after the sentence mark (group 1 or 2); the mark itself is matched first, so the engine
# jumps from mark to mark (a pattern opening with a character class is searched by that class) instead of trying
# two lookbehinds at every position. Marks are not whitespace, so the matches, and the pieces between them, are
# those of "(?<=[.;])\s+(?=[A-Za-z(\"'])|(?<=[!?])\s+(?=[A-Z])".
_SPLIT_AT_RE = re.compile(r"[.;!?](?:(?<=[.;])(\s+)(?=[A-Za-z(\"'])|(?<=[!?])(\s+)(?=[A-Z]))")


_PARENS_RE = re.compile(r"\([^()]*\)")


class _SentenceSplitter:
    """Splits on sentence ends outside parentheses ("(S500 list? check)" stays whole)."""

    @staticmethod
    def split(text: str) -> list[str]:
        first = _SPLIT_AT_RE.search(text)
        if first is None:
            return [text]  # masking parentheses only removes split points
        masked = text
        if "(" in text:
            masked = _PARENS_RE.sub(lambda m: "(" + "x" * (len(m.group(0)) - 2) + ")", text)
            first = _SPLIT_AT_RE.search(masked)
        out, start = [], 0
        while first is not None:
            gap = first.lastindex or 0
            out.append(text[start : first.start(gap)])
            start = first.end(gap)
            first = _SPLIT_AT_RE.search(masked, start)
        out.append(text[start:])
        return out


SENTENCE_SPLIT_RE = _SentenceSplitter()


# People written with their role: "Priya Raman (ATS)", "ATS Marcus Lee", "ats = Lena Fischer", "Marcus Lee, ATS".
ANY_ROLE = rf"(?i:{ROLE_CODES})"  # role codes in any case; names stay capitalised


EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


ABSENT_RE = re.compile(
    r"\b(out|absent|oof|ooo|not present|couldn'?t make it|could not make it|will catch up|catch up async"
    r"|sent (?:her |his |their )?(?:apologies|regrets)|couldn'?t join|could not join|was not there|wasn'?t there)\b",
    re.I,
)


NOT_NAMES = {
    "Teams",
    "Exchange",
    "Intune",
    "Defender",
    "Windows",
    "Office",
    "Microsoft",
    "SharePoint",
    "OneDrive",
    "Copilot",
    "Licenses",
    "Intent",
    "Partner",
    "Compete",
    "Risks",
    "Timeline",
    "Asks",
    "Political",
    "Migration",
    "Actions",
    "The",
    "They",
    "This",
    "That",
    "Not",
    "No",
    "Yes",
    "RFA",
    "Health",
    "FastTrack",
    "Thursday",
    "Tuesday",
    "Monday",
    "Wednesday",
    "Friday",
    "Next",
    "Customer",
    "Account",
    "Drive",
    "Google",
    "Zoom",
    "Slack",
    "Box",
    "Need",
    "Want",
    "Attendees",
    "Present",
    "Sync",
    "Call",
    "Notes",
    "Plan",
    "IT",
    "Also",
    "And",
    "But",
    "Will",
    "Check",
    "Confirm",
}


_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"(?i:\bw/o\b)", "without"),
    (r"(?i:\bw/(?=\s|$))", "with"),
    (r"(?i:\bw/(?=\w))", "with "),
    (r"(?i:\bb/c\b)", "because"),
    (r"\bbc\b", "because"),
    (r"\br\b(?= in| the| on| using| happy| not| ok)", "are"),
    (r"\bu\b(?= [a-z])", "you"),
    (r"(?i:\bppl\b)", "people"),
    (r"(?i:\bcust\.?(?=\s|$))", "customer"),
    (r"(?i:\bdidnt\b)", "didn't"),
    (r"(?i:\bdont\b)", "don't"),
    (r"\bmgr\b", "manager"),
    (r"\bmktg\b", "marketing"),
    (r"\bmig\b", "migration"),
    (r"\btmrw\b", "tomorrow"),
    (r"\bwks\b", "weeks"),
)
# "->" between words reads as a dash. A pass of its own, after the others: their matches hold no whitespace, "-"
# or ">" and their expansions hold no "->", so one pass of all the alternatives found exactly these matches. Apart,
# the other alternatives' lookahead need not stop at every whitespace character (a tenth of a long text).
_ARROW_RE = re.compile(r"\s*->\s*")


# One pass over the text for all of them: tidy runs on every fact, and a dozen subs each was a hot spot.
# The lookahead holds the first character of every alternative's matches (w/, b/c, bc, r, u, ppl, cust, didnt, dont,
# mgr, mktg, mig, tmrw, wks), the case-insensitive ones in the same (?i:) so they
# fold as their alternatives do: at any other position no alternative can match, and one character test there
# replaces trying all seventeen (tidy runs over a whole sync-rhythm or risk text on long notes). A lookahead
# consumes nothing, so the matches, their groups and the substitution are the same. Every alternative opens with
# \b, so a \b before the lookahead changes no match either, and fails first inside words, where those letters are
# common (the lookahead passed there and every alternative was tried): half the substitution's time.
_ABBREVIATION_RE = re.compile(
    r"\b(?=(?i:[wbpcd])|[rumt])(?:"
    + "|".join(f"(?P<a{i}>{pattern})" for i, (pattern, _) in enumerate(_ABBREVIATIONS))
    + ")"
)


_EXPANSIONS = {f"a{i}": expansion for i, (_, expansion) in enumerate(_ABBREVIATIONS)}


# Text that every match of one of the shorthands holds: the case-insensitive ones (w/o, w/, b/c, ppl, cust, didnt,
# dont) in the lowercased text, the others as written (bc, "r in"/"r the"/..., mgr, mktg, mig, tmrw, wks, ->; "u"
# before a lowercase word is _SHORTHAND_U_RE). A text holding none has nothing to expand, and the substitution,
# which tries its lookahead at every position, is skipped. Characters that an IGNORECASE pattern reads as an ASCII
# letter although str.lower() does not make them one ("İ", "ı", "ſ") send the text through the substitution.
_SHORTHAND_FOLDED = ("w/", "b/c", "ppl", "cust", "didnt", "dont")
_SHORTHAND_AS_WRITTEN = ("bc", "r in", "r the", "r on", "r using", "r happy", "r not", "r ok", "mgr", "mktg", "mig",
                         "tmrw", "wks", "->")  # fmt: skip
_SHORTHAND_U_RE = re.compile(r"u [a-z]")
_FOLD_TRAPS = ("İ", "ı", "ſ")


def _may_hold_shorthand(text: str) -> bool:
    return (
        any(map(text.lower().__contains__, _SHORTHAND_FOLDED))
        or any(map(text.__contains__, _SHORTHAND_AS_WRITTEN))
        or _SHORTHAND_U_RE.search(text) is not None
        or (not text.isascii() and any(map(text.__contains__, _FOLD_TRAPS)))
    )


@lru_cache(maxsize=8192)  # the same line text is tidied for several facts (topic, agenda answer, source)
def tidy(text: str) -> str:
    """Expands note-taking shorthand so drafts read as prose; never changes names, numbers or dates."""
    if _may_hold_shorthand(text):
        text = _ABBREVIATION_RE.sub(lambda m: _EXPANSIONS[m.lastgroup or ""], text)
        if "->" in text:
            text = _ARROW_RE.sub(" - ", text)
    # = re.sub(r"\s+", " ", text).strip(" -–,;"): \s and str.split agree on whitespace, and the strip takes off the
    # one space that the substitution leaves where the text began or ended with whitespace
    return " ".join(text.split()).strip(" -–,;")


@lru_cache(maxsize=8192)
def clean_sentence(text: str) -> str:
    text = tidy(text)
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?)" else text + "."


def workloads_in(text: str) -> list[str]:
    # one substring pass says which workloads can match (usually none); only those are searched for their position
    keys = lx.WORKLOAD_CUES.keys_in(text.lower())
    if not keys:
        return []
    hits = [(m.start(), w) for w in keys if (m := lx.WORKLOAD_RES[w].regex.search(text))]
    return [w for _, w in sorted(hits)]


@lru_cache(maxsize=2048)
def label_workloads(label: str) -> tuple[str, ...]:
    """workloads_in for labels ("teams", "licenses", "intune"): few distinct ones on thousands of lines."""
    return tuple(workloads_in(label))


def source_key(source: Source) -> tuple[str, tuple[int, ...], str]:
    return source.origin, tuple(source.lines), source.text


def dedupe_sources(sources: Iterable[Source]) -> list[Source]:
    # keyed, not `in list`: comparing pydantic models pairwise made long notes quadratic
    out: dict[tuple[str, tuple[int, ...], str], Source] = {}
    for s in sources:
        out.setdefault(source_key(s), s)
    return list(out.values())


def extend_sources(into: list[Source], new: Iterable[Source]) -> None:
    """Adds the sources not yet in `into`, in place. A person named on every line of a long note has many
    sources; only the last few are checked, since a repeat is almost always the line just added."""
    if type(new) is list and len(new) == 1:
        # one new source (a person's mention: the common call): compared with the last 8 directly, the test the set
        # below makes (the same three values; Source.lines is a validated list, so list == is tuple(...) ==),
        # without building nine keys
        s = new[0]
        lines, text, origin = s.lines, s.text, s.origin
        for t in into[-8:]:
            if t.lines == lines and t.text == text and t.origin == origin:
                return
        into.append(s)
        return
    recent = {source_key(s) for s in into[-8:]}
    for s in new:
        if source_key(s) not in recent:
            into.append(s)
            recent.add(source_key(s))


NAME_TOKEN_RE = re.compile(NAME_PATTERN)


@lru_cache(maxsize=1024)
def label_topics(label: str | None) -> frozenset[str]:
    """The topics a label names; labels repeat ("teams", "actions"), so each is read once."""
    return frozenset(lx.TOPICS.keys_in(label.lower())) if label else frozenset()


_DID_NOT_DISCUSS_RE = re.compile(
    r"^\W*(?:we |they |the team )?(?:did not|didn'?t|never|have not|haven'?t) (?:talk about|discuss|cover|get to)\b",
    re.IGNORECASE,
)


_NOT_DISCUSSED_RE = re.compile(
    r"not (?:yet )?discussed|\bno \w+ (?:discussed|agreed|yet)\b|didn'?t (?:discuss|come up)"
    r"|pas discut[ée]|nicht besprochen|no (?:se )?discuti[oó]|niet besproken|n[aã]o discutido|ikke drøftet"
    r"|non discusso|inte diskuterat|nie omawiano"
    r"|no (?:info|details)\b|\?\?\s*$|:\s*(?:tbd|tbc|\?+|unknown|n/?a)\W*$|^\W*\w+\W+(?:tbd|tbc)\W*$",
    re.IGNORECASE,
)


# What every match holds, lowercased: of _DID_NOT_DISCUSS_RE, its verb; of _NOT_DISCUSSED_RE, a word of each of its
# alternatives ("discuss", "discut", "besprochen", ...; "??"; ":" before "tbd"/"?"; "tbd"/"tbc"). On ASCII text (where
# IGNORECASE is plain ASCII case) a text holding none cannot match, and the regexes are not run.
_DID_NOT_DISCUSS_HINTS = ("talk about", "discuss", "cover", "get to")
_NOT_DISCUSSED_HINTS = ("discuss", "discut", "besprochen", "besproken", "diskuterat", "omawiano", "agreed", "yet",
                        "come up", "info", "details", "??", ":", "tbd", "tbc")  # fmt: skip


# Every ASCII text not_discussed_text says True for holds one of these (lowercased).
NOT_DISCUSSED_WORDS = tuple(sorted(set(_DID_NOT_DISCUSS_HINTS + _NOT_DISCUSSED_HINTS)))


def not_discussed_text(text: str) -> bool:
    # the word counts first: both tests are pure, and most lines are too long for either regex to matter
    # (bounded splits: this runs on whole long lines too)
    words = len(text.split(None, 13))
    if words > 12:
        return False
    lowered = text.lower() if text.isascii() else None
    if (lowered is None or any(map(lowered.__contains__, _DID_NOT_DISCUSS_HINTS))) and _DID_NOT_DISCUSS_RE.search(text):
        return True  # "We did not talk about a recurring sync"
    return (
        words <= 6
        and (lowered is None or any(map(lowered.__contains__, _NOT_DISCUSSED_HINTS)))
        and bool(_NOT_DISCUSSED_RE.search(text))
    )


_ANY_WORKLOAD = lx.Cue("|".join(lx.WORKLOADS.values()))

# Public names for the readers in other modules (intents, scope): the same objects as the private ones above.
