"""Note text into the FM's prose: one clean statement per fact, shorthand expanded, labels and bullets gone,
and a ledger so each fact is said once per draft (issue 10)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PHRASING_FILE = Path(__file__).resolve().parent.parent / "data" / "draft_phrasing.toml"


@dataclass(frozen=True)
class Shorthand:
    """One expansion from data/draft_phrasing.toml, with the examples and counter-examples it is tested on."""

    regex: re.Pattern[str]
    expansion: str
    examples: tuple[tuple[str, str], ...]
    not_: tuple[str, ...]


@lru_cache(maxsize=1)
def shorthands() -> tuple[Shorthand, ...]:
    """Every shorthand expansion, in file order (the order they are applied in)."""
    data = tomllib.loads(PHRASING_FILE.read_text(encoding="utf-8"))
    return tuple(
        Shorthand(
            regex=re.compile(entry["pattern"]),
            expansion=entry["expansion"],
            examples=tuple((a, b) for a, b in entry.get("examples", [])),
            not_=tuple(entry.get("not", [])),
        )
        for entry in data["shorthand"]
    )


@lru_cache(maxsize=1)
def _one_pass() -> re.Pattern[str]:
    """Every shorthand as one alternation (a global '(?i)' becomes a scoped '(?i:…)'): one scan per text, since
    long notes hold thousands of facts; at any position the first entry that matches wins, as in file order."""
    parts = []
    for i, s in enumerate(shorthands()):
        pattern = s.regex.pattern
        if pattern.startswith("(?i)"):
            pattern = f"(?i:{pattern[4:]})"
        parts.append(f"(?P<s{i}>{pattern})")
    return re.compile("|".join(parts))


@lru_cache(maxsize=8192)
def expand(text: str) -> str:
    """Note shorthand spelled out ("w/" → "with", "->" → "→", "~400" → "about 400"); names and numbers kept."""
    table = shorthands()
    return _one_pass().sub(lambda m: table[int((m.lastgroup or "s0")[1:])].expansion, text)


_MARKUP = re.compile(r"\*\*|__|`|(?<!\w)\*(?=\w)|(?<=\w)\*(?!\w)|[☐☑✓✔🙃🙂😬]\s?")
# "[11/17/2026 2:30 PM] Beatriz Ocampo: " at the start of a pasted Teams chat line.
_AGENDA_LETTER = re.compile(r"^[A-Na-n][.)]\s+(?=[A-Za-z])")  # "H. partner / FRP didn't get to it" (OneNote)
_CHAT_PREFIX = re.compile(r"^\[[^\]]{3,40}\]\s*(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}:\s*)?")
_STATUS = r"(?:in progress|in-progress|blocked|no intent|status unknown|unknown|duplicate(?:/invalid)?)"
# "In Progress / Migration." or "In Progress (Migration);" left at the start once the workload label is gone.
_LEADING_STATUS = re.compile(rf"^{_STATUS}\b(?:\s*(?:/\s*[^.;:]*|\([^)]*\))\s*[.;:,]?|\s*[.;:,])\s*", re.IGNORECASE)
_STATUS_WHOLE = re.compile(rf"^{_STATUS}[.!]?$", re.IGNORECASE)
# A sentence that only labels a workload's status: "Exchange Online: In Progress / Migration."
_STATUS_ONLY = re.compile(rf"^[\w .&/-]{{1,40}}?\s*(?::|[–—-]|→)\s*{_STATUS}\b[^.;]{{0,50}}[.;]?$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•·▪–]|\d+[.)]|[☐☑✓✔]|\[[ xX]?\])\s*")
_QUESTION_PAREN = re.compile(r"\s*\([^()]*\?[^()]*\)")
_STATUS_LABEL = re.compile(
    r"^(?:in progress|blocked|no intent|status unknown|duplicate(?:/invalid)?|unknown|done|open|todo|ai)\s*:\s*",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^([A-Za-z][\w /&'()-]{0,40}?)\s*(?:[:?]|\s[-–—]|→|->)\s+")
# After '.' or '!' that ends a word (not "e.g." or "Sept."-style single letters), before the next word.
_PAREN_QUESTION = re.compile(r"\s*\(([^()]*\?)\s*\)")  # "E5 (how many?)" → "E5: how many?"
_PAREN_QUESTION_NOTE = re.compile(r"\s*\(([^()?]*\?)\s*([^()]+)\)")
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:?!])")
SENTENCE_END = re.compile(
    r"(?<=[a-z0-9)\]\"'’%][.!])(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bSt\.)(?<!\bvs\.)(?<!\betc\.)(?<!\bapprox\.)"
    r"(?<!\be\.g\.)(?<!\bi\.e\.)\s+(?=[\w\"'(«])"
)
# Words of the agenda's headings: a "fact" made of nothing else ("Political / timeline / risks.") says nothing.
_HEADING_WORDS = frozenset(
    re.findall(
        r"\w+",
        "political politics changes change timeline timelines risk risks and current issues licenses licences "
        "licensing lic partner partners compete competition other tenants tenant environment asks ask migration "
        "source fasttrack process offerings intent intents org chart people sync rhythm field misc notes next steps",
    )
)
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[a-z0-9]+")
# "Harriet to get…", "I'll send…", "Sam (FTA) to run…", "TODO follow up…": an action, which the next steps carry.
_TASK = re.compile(
    r"^(?:(?i:todo|ai|action|follow[ -]up|i'?ll|i will|we'?ll|we will)\b|"
    r"(?:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,2}(?:\s*\([A-Z]{2,4}\))?|(?i:me|fm))\s+"
    r"(?i:to|will|'ll|’ll|is going to|said (?:he|she|they)'?d|can|should)\s+\w)"
)
_NONE_ANSWER = re.compile(
    r"^(?:none|n/?a|no|nope|nil|not applicable|none known|nothing|no one|nobody|not discussed)"
    r"(?:\s*(?:afaik|as far as we know|known|for now|at the moment|right now))?\.?$",
    re.IGNORECASE,
)
_ASK_PREFIX = re.compile(r"^(?:confirm|ask|check|tbd|tbc|q|question|open)\s*:\s*", re.IGNORECASE)
_QUESTION_TAIL = re.compile(
    r"^(?:nobody|no one|not|unclear|unknown|tbd|tbc|check|confirm|ask|\?+)\b[\w ,'’]*$", re.IGNORECASE
)


@lru_cache(maxsize=16384)
def words_key(text: str) -> str:
    """A text reduced to its lowercase words: what the ledger compares."""
    return " ".join(_WORDS.findall(text.lower()))


@lru_cache(maxsize=8192)
def strip_markup(text: str) -> str:
    """Bullets, checkboxes, markdown emphasis and runs of whitespace removed."""
    text = _MARKUP.sub("", text)
    text = _BULLET.sub("", text.strip())
    return _SPACES.sub(" ", text).strip()


def sentences(text: str) -> list[str]:
    """A fact's sentences (split after '.' or '!' before a capital or digit)."""
    if "." not in text[:-1] and "!" not in text[:-1]:  # a split needs a '.' or '!' with text after it
        body = text.strip()
        return [body] if body else []
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def without_label(text: str) -> str:
    """The text without a leading 'Label:' ('Partner: Quillon Systems…' → 'Quillon Systems…')."""
    m = _LABEL.match(text)
    return text[m.end() :] if m and ":" in m.group(0) else text


def heading_only(text: str) -> bool:
    """The text is only agenda heading words ("Political / timeline / risks.", "Asks:")."""
    words = _WORDS.findall(text.lower())
    return bool(words) and all(w in _HEADING_WORDS for w in words)


def is_task(text: str) -> bool:
    """The sentence is an action ("Harriet to get the split…", "I'll send…"): the next steps carry it."""
    return bool(_TASK.match(strip_markup(text)))


@lru_cache(maxsize=8192)
def is_none_answer(text: str) -> bool:
    """The fact only says there is nothing ("Partner? none.", "n/a", "none known")."""
    body = _CHAT_PREFIX.sub("", strip_markup(text))
    m = _LABEL.match(body)
    if m:
        body = body[m.end() :]
    return bool(_NONE_ANSWER.match(body.strip().rstrip(".")))


def sentence_case(text: str) -> str:
    """First letter capitalised, ending with a full stop (or the '?' / '!' / ')' it has)."""
    text = text.strip(" -–,;:")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?)" else text + "."


def _stems(text: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return {w[:4] for w in _WORDS.findall(plain) if len(w) >= 4}


@lru_cache(maxsize=4096)
def same_topic(note_label: str, heading: str) -> bool:
    """The note's own label names the heading's topic, in any of its forms or languages that share the word's
    start: "Politics" / "Political changes", "Licences" / "Licensing", "Compétition" / "Competing products",
    "Partenaire" / "Partner", "Sync" / "Field sync" (review item 15: no label echo under a heading)."""
    a, b = words_key(note_label), words_key(heading)
    return bool(a and b) and (a in b or b in a or bool(_stems(note_label) & _stems(heading)))


@lru_cache(maxsize=8192)
def statement(text: str, label: str = "") -> str:
    """One fact as a clean statement: no bullet, markup, status or topic label, question marks or parenthetical
    questions; shorthand expanded. '' when nothing is left (a bare question, a label alone).

    label: the topic the fact is filed under ("Partner"); a leading copy of it is dropped."""
    body = _CHAT_PREFIX.sub("", strip_markup(text))
    body = _STATUS_LABEL.sub("", body)
    m = _LABEL.match(body)
    if m and label and same_topic(m.group(1), label):
        body = body[m.end() :]
    if is_none_answer(body) or _STATUS_WHOLE.match(body):
        return ""
    body = _LEADING_STATUS.sub("", body)
    body = _QUESTION_PAREN.sub("", body)
    kept = [
        s
        for s in sentences(body)
        if "?" not in s and not is_task(s) and not _STATUS_ONLY.match(s) and not heading_only(s)
    ]
    out = " ".join(sentence_case(expand(s)) for s in kept if s.strip(" .-"))
    return out.strip()


def status_prefix(text: str) -> str:
    """The status label a note opens with ("No intent: "), '' when none: the FTOP note keeps it, since an
    intent note states its status in clear words (guards.coaching)."""
    m = _STATUS_LABEL.match(_CHAT_PREFIX.sub("", strip_markup(text)))
    return m.group(0) if m else ""


@lru_cache(maxsize=8192)
def question(text: str) -> str:
    """An open item as a question or request: shorthand expanded, the note's "nobody sure, check" tail dropped."""
    body = _AGENDA_LETTER.sub("", _CHAT_PREFIX.sub("", strip_markup(text)))
    body = _AGENDA_LETTER.sub("", _ASK_PREFIX.sub("", _STATUS_LABEL.sub("", body)))
    if body.count("?") == 1:
        body = _PAREN_QUESTION.sub(r": \1", body)  # "E5 (how many?)"
        body = _PAREN_QUESTION_NOTE.sub(r": \1 \2", body)  # "harakeke digital (frp? jd thinks yes)"
    else:
        body = _QUESTION_PAREN.sub("", body)
    if body.count("(") > body.count(")"):  # "harakeke digital (FRP?" : the note's bracket left open
        head, _, tail = body.rpartition("(")
        body = f"{head.rstrip()}: {tail}"
    body = _SPACE_BEFORE_STOP.sub(r"\1", expand(body))
    m = _LABEL.match(body)
    if m and ":" in m.group(0) and words_key(m.group(1)) in words_key(body[m.end() :]):
        body = body[m.end() :]  # "Partner: Quillon… Ready Partner?": the label is said again
    if "?" in body:
        *asked, tail = body.split("?")
        parts = [p.strip(" .,;-+&") for p in asked]
        body = " ".join(sentence_case(p).rstrip(".") + "?" for p in parts if p)
        tail = tail.strip(" .,;-()")
        if tail and not _QUESTION_TAIL.match(tail):
            body += f" ({tail})"
    return sentence_case(body)


@dataclass
class Ledger:
    """The facts one draft has already said: each fact once per draft, whatever heading it could go under.

    A text is a repeat when its words equal, or sit inside, a claimed text's words (or the other way round);
    the containment test is skipped past `limit` claims, so long notes stay linear."""

    limit: int = 100
    keys: list[str] = field(default_factory=list)
    exact: set[str] = field(default_factory=set)
    # the claimed keys joined by "\n" (no key holds one: keys are words joined by spaces), so "the text sits
    # inside a claimed text" is one substring search; and the claimed keys long enough to sit inside the text
    _joined: str = ""
    _long: list[str] = field(default_factory=list)

    def seen(self, text: str) -> bool:
        return self._seen(words_key(text))

    def copy(self) -> Ledger:
        """A ledger that has said what this one has, and goes on apart from it."""
        return Ledger(self.limit, list(self.keys), set(self.exact), self._joined, list(self._long))

    def _seen(self, key: str) -> bool:
        if not key:
            return True
        if key in self.exact:
            return True
        if len(self.keys) <= self.limit and len(key) >= 12:
            return key in self._joined or any(map(key.__contains__, self._long))
        return False

    def claim(self, text: str) -> bool:
        """True (and remembered) when the text is new to this draft; False for a repeat."""
        key = words_key(text)
        if self._seen(key):
            return False
        self.exact.add(key)
        self.keys.append(key)
        if len(self.keys) <= self.limit + 1:  # past the limit the containment test is skipped: nothing to keep
            self._joined += key + "\n"
            if len(key) >= 12:
                self._long.append(key)
        return True
