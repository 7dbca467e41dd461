"""Grounding: names, addresses, dates, numbers and products in a draft must trace to the notes, the agenda
answers or the engagement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..sanitize import clean_text
from ..schemas import Check, DraftBundle, Drafts, Engagement, Severity, Source, SyncRhythm
from .date_mentions import DateMention, find_dates, relative_dates
from .parts import iter_parts, sentences
from .patterns import DIGIT_RE, EMAIL_RE, URL_RE
from .vocabulary import COMMON_WORDS, NUMBER_RE, VOCAB_WORD_RE, numbers_in, template_vocabulary, words_in


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


_DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday"}


def rhythm_words(rhythm: SyncRhythm) -> str:
    """A sync rhythm as the drafts word it: each day singular and plural ("Tuesday Tuesdays"), the time
    ("09:00") and the IANA zone ("America/Los_Angeles"). The reader normalised them from the notes ("9 PT",
    "jeudis 10h"), so they are grounded when the rhythm's source is."""
    days = [_DAY_NAMES[d] for d in [*rhythm.days, *([rhythm.weekday] if rhythm.weekday else [])] if d in _DAY_NAMES]
    return " ".join([*days, *(f"{d}s" for d in days), rhythm.time or "", rhythm.timezone or ""])


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
    note_lines = {" ".join(line.lower().split()) for line in (notes or "").splitlines()}

    def grounded_source(sources: list[Source]) -> bool:
        if trusted_facts:
            return True
        for s in sources:
            if s.origin in ("agenda", "context"):
                return True
            if s.text:
                quoted = " ".join(s.text.lower().split())
                if quoted in note_lines or quoted in flat_notes:  # a whole line: a set lookup, not a scan
                    return True
        return False

    rhythm = bundle.facts.sync_rhythm
    if rhythm is not None and (trusted_facts or grounded_source(rhythm.sources)):
        pieces.append(rhythm_words(rhythm))  # the notes' sync, in the words the drafts write it ("Tuesdays at 09:00")
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
    for mention in dates:
        allowed.add((mention.month, mention.day, mention.year))
        allowed.add((mention.month, mention.day, None))
    if call:
        fact_dates.add(call)
        fact_dates |= relative_dates(text, call)
    for d in fact_dates:
        allowed.add((d.month, d.day, d.year))
        allowed.add((d.month, d.day, None))
    numbers = numbers_in(text)
    for d in fact_dates:
        numbers |= {str(d.year), str(d.day), str(d.month)}
    return Corpus(text=text, words=words_in(text), numbers=numbers, dates=dates, allowed_dates=allowed)


# One of these (lowercased) is in every match of URL_RE (its letters have no case-folding traps).
_URL_NEEDS = ("http", "ftp", "www")
_NUMBERING_RE = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-n][.)])\s+")


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

    grounded_tokens: set[str] = set()  # tokens that are never a finding, wherever they stand (most of them)
    for part in iter_parts(drafts):
        text = part.text
        if not text:
            continue
        # Addresses and URLs first, so their pieces are not read as names or numbers.
        emails = list(EMAIL_RE.finditer(text)) if "@" in text else []
        for m in emails:
            if not corpus.has_email(m.group(0)):
                flag(
                    part.draft,
                    "grounding.email",
                    m.group(0),
                    "error",
                    "This address is not in the notes or the engagement: check it before sending.",
                )
        lowered = text.lower()
        urls = list(URL_RE.finditer(text)) if any(map(lowered.__contains__, _URL_NEEDS)) else []
        for m in urls:
            if m.group(0).lower() not in corpus._lower:
                flag(part.draft, "grounding.url", m.group(0), "warning", "This link is not in the notes: check it.")
        rest = URL_RE.sub(" ", EMAIL_RE.sub(" ", text)) if emails or urls else text
        dates_found = find_dates(rest)
        for d in dates_found:
            if not corpus.date_ok(d):
                flag(
                    part.draft,
                    "grounding.date",
                    d.text,
                    "warning",
                    "This date does not follow from the notes or the call date: check it.",
                )
        if dates_found:
            pieces, pos = [], 0  # the text without its dates, built once (splicing per date is quadratic)
            for s, e in sorted(d.span for d in dates_found):
                pieces += [rest[pos:s], " "]
                pos = e
            rest = "".join([*pieces, rest[pos:]])
        for line in rest.splitlines() if DIGIT_RE.search(rest) else ():  # every number has a digit
            if not DIGIT_RE.search(line):
                continue
            body = _NUMBERING_RE.sub(" ", line)  # list numbering is layout, not a fact
            for m in NUMBER_RE.finditer(body):
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
            if sentence.islower():
                continue  # no capital letter: no name
            for i, m in enumerate(VOCAB_WORD_RE.finditer(sentence)):
                token = m.group(0)
                if token in grounded_tokens:
                    continue
                word = token.strip("'’.-&")
                if not word or not word[0].isupper():
                    grounded_tokens.add(token)
                    continue
                if word.lower().endswith(("'s", "’s")):
                    word = word[:-2]
                low = word.lower()
                if low in corpus.words or low in vocab_words:
                    grounded_tokens.add(token)
                    continue
                pieces = [p for p in re.split(r"[-'’./&]", word) if p]
                if all(p.lower() in corpus.words or p.lower() in vocab_words for p in pieces):
                    grounded_tokens.add(token)
                    continue
                opens = i == 0 or sentence[: m.start()].rstrip()[-1:] in (":", ";", "—", "–", "(", "-", '"', "“")
                if opens and word.lower() in COMMON_WORDS:  # "Status: Because ..." starts a clause
                    continue
                flag(
                    part.draft,
                    "grounding.name",
                    word,
                    "warning",
                    "This name or product is not in the notes, the agenda answers or the engagement: check it.",
                )
    return checks
