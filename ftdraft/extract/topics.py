"""Topic facts (licenses, partner, environment, ...), compete products, risks and timeline, and the sync rhythm."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Protocol, cast

from .. import lexicon as lx
from ..dates import WEEKDAY_CODES, WEEKDAY_WORDS, find_absolute_date
from ..schemas import (
    AttendeeRole,
    Cadence,
    CompeteProduct,
    Fact,
    SyncKind,
    SyncRhythm,
    Weekday,
)
from . import spans as sp
from .lines import Line, not_discussed, topic_text
from .people import People
from .text import NOT_NAMES, SENTENCE_SPLIT_RE, clean_sentence, label_topics, not_discussed_text, tidy


def read_facts(lines: list[Line], topic: str, exclude: set[str] | None = None) -> list[Fact]:
    return [
        Fact(text=clean_sentence(topic_text(line, topic)), sources=[line.source()])
        for line in lines
        if topic in line.topics
        and not (exclude and exclude & line.topics and topic not in label_topics(line.label))
        and not not_discussed(line)
    ]


_ANY_COMPETITOR = lx.Cue("|".join(lx.COMPETITORS.values()))
for _cue in (_ANY_COMPETITOR, *lx.COMPETITOR_RES.values()):
    lx.LINE_STARTS.add(_cue.prefixes or ())  # every competitor alternative has a literal start


_EXPLICIT_RE = re.compile(r"compet|3rd[ -]party|third[ -]party")
_MIGRATING_RE = re.compile(r"migrat|want(?:s)? off|moving off|source")
_BOX_USED_RE = re.compile(r"\bbox (?:for|is|used)")
_SEGMENT_RE = re.compile(r",|;|\.\s")


def _names(cue: lx.Cue, line: Line, lowered: str) -> bool:
    """cue.regex.search(line.text), read through the line's starts: on ASCII text IGNORECASE is plain ASCII case,
    so found() on the lowercased line is the search; other text is searched as written after may_match."""
    if line.text.isascii():
        return cue.found(lowered, line.starts)
    return cue.may_match(lowered, line.starts) and cue.regex.search(line.text) is not None


def read_compete(lines: list[Line]) -> list[CompeteProduct]:
    products: dict[str, CompeteProduct] = {}
    for line in lines:
        lowered = line.lower()
        if not _names(_ANY_COMPETITOR, line, lowered):
            continue
        explicit = bool(_EXPLICIT_RE.search(lowered))
        migrating = bool(_MIGRATING_RE.search(lowered))
        if not explicit and migrating:
            continue
        for product, rx in lx.COMPETITOR_RES.items():
            if _names(rx, line, lowered):
                if product == "Box" and not explicit and not _BOX_USED_RE.search(lowered):
                    continue
                seg = next((s for s in _SEGMENT_RE.split(line.body) if rx.search(s)), line.text)
                if product in products:
                    products[product].sources.append(line.source())
                else:
                    products[product] = CompeteProduct(
                        product=product, text=clean_sentence(seg), sources=[line.source()]
                    )
    return list(products.values())


_RISK_RE = re.compile(
    r"\brisks?\b|could block|might block|may block|could delay|\bfreeze\b|\bon hold\b|concern|\bissue",
    re.IGNORECASE,
)
_TIMELINE_RE = re.compile(
    r"timeline|\btarget|deadline|cut-?over|go-?live|end of q[1-4]|\bby (?:end of )?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\buntil\b|\bfy ?end|\bq[1-4]\b",
    re.IGNORECASE,
)
# The same patterns read through their literal starts: on ASCII text, IGNORECASE is plain ASCII case, so a search of
# the lowercased text is the search of the text (other text is searched as written)
_RISK_CUE, _TIMELINE_CUE = lx.Cue(_RISK_RE.pattern), lx.Cue(_TIMELINE_RE.pattern)


def _says(cue: lx.Cue, rx: re.Pattern[str], sentence: str) -> bool:
    return cue.found(sentence.lower()) if sentence.isascii() else rx.search(sentence) is not None


def risks_and_timeline(lines: list[Line]) -> tuple[list[Fact], list[Fact]]:
    risks, timeline = [], []
    for line in lines:
        if not_discussed(line):
            continue
        sentences = [s for s in line.body_sentences() if not not_discussed_text(s)]
        said = [s for s in sentences if _says(_RISK_CUE, _RISK_RE, s)]
        if said or (line.label and "risk" in line.label):
            risks.append(Fact(text=clean_sentence(" ".join(said or sentences)), sources=[line.source()]))
        said = [s for s in sentences if _says(_TIMELINE_CUE, _TIMELINE_RE, s)]
        if (said or line.label == "timeline") and "k" not in line.topics:
            timeline.append(Fact(text=clean_sentence(" ".join(said or sentences)), sources=[line.source()]))
    return risks, timeline


# "no existing AT sync. Propose weekly" proposes, though it says "existing".
_PROPOSE_SYNC_RE = re.compile(
    r"\bpropos|\bno (?:existing|current|regular|recurring)\b|\bnone (?:today|yet|exists?)\b|there(?: is|'s) no\b"
    r"|\bnothing (?:existing|exists|regular)|\bset (?:it |one )?up\b|\bschedule (?:a|one|it)\b"
    r"|\bnew (?:\w+ )?(?:sync|call|meeting|one)\b|\bsuggested\b|\bdedicated\b|\blet['’]s do\b"
    r"|\bsend (?:the |an? )?invite|\bnothing regular|\bnic regularnego|\bniente di regolare|\binget regelbundet"
    r"|\bzaproponowa|\bpropon|\bföreslog|\bnowy call|\bnuov[ao] (?:call|riunione)|\bnytt? möte",
    re.IGNORECASE,
)


_JOIN_SYNC_RE = re.compile(
    r"already|existing|\bexists?\b|there is a|there'?s a|\bjoin|add(?:s)? (?:me|ft|fm)\b|\bhas an? \b"
    r"|\bruns? (?:a|the|an)\b"
    r"|\bhosts? (?:a|the)\b|\bowns it\b|forward (?:me|you)|\byour \w+ \w*\s*(?:sync|call|meeting)|\bour \w+"
    r"|\badd \w+(?: \w+)? to (?:the|our|their|his|her|your|\w+['’]s)\b|\besiste già|\bfinns redan|\bjuż istnieje"
    r"|\bexistiert (?:schon|bereits)|\bexiste déjà|\bya existe|\bbestaat al|\bjá existe|\bfindes allerede"
    r"|\baggiunger|\bf[üu]gt mich|\bm['’]ajout|\bagregarme|\bme agrega|\bvoegt me|\bme adiciona|\btilføj(?:er)? mig"
    r"|\blägg(?:er)? till mig|\bdodaj(?:e)? mnie",
    re.IGNORECASE,
)


# Nothing settled: "didn't settle it", "not decided", "will check whether one exists"; weaker words ("TBD", "wasn't
# sure", "will ask") only when the notes name no day either.
_UNSETTLED_RE = re.compile(
    r"\bnot (?:yet )?(?:decided|settled|agreed|discussed)|\bdidn['’]?t (?:settle|decide|agree|get to)|\bran out of time"
    r"|\bundecided\b|\bcheck (?:whether|if) (?:one|a \w+|there)|\bno recurring sync\b|\bnot for now\b"
    r"|\bnothing (?:settled|agreed|decided)\b|\bno (?:cadence|day|rhythm|sync) (?:agreed|settled|decided)\b",
    re.IGNORECASE,
)
_UNSURE_SYNC_RE = re.compile(r"\btbd\b|\bwasn['’]?t sure\b|\bwill ask\b|\bnot sure\b", re.IGNORECASE)


RHYTHM_PATH = Path(__file__).parent.parent / "data" / "dates_rhythm.toml"


def load_rhythm_data() -> dict[str, Any]:
    """{"cadence": [{value, pattern, examples, not}], "ordinals": {word: n}, "timezones": {abbr: IANA}, ...} as in
    ftdraft/data/dates_rhythm.toml."""
    with RHYTHM_PATH.open("rb") as f:
        return tomllib.load(f)


RHYTHM = load_rhythm_data()
_CADENCE_RES: tuple[tuple[Cadence, re.Pattern[str]], ...] = tuple(
    (cast(Cadence, e["value"]), re.compile(e["pattern"], re.IGNORECASE)) for e in RHYTHM["cadence"]
)


_EVERY_N_RE = re.compile(r"every (\d|two|three|four) weeks", re.I)
_ORDINALS: dict[str, int] = dict(RHYTHM["ordinals"])
_WD_ALT = "|".join(sorted(WEEKDAY_WORDS, key=len, reverse=True))
_SYNC_WEEKDAY_RE = re.compile(rf"(?<!\w)({_WD_ALT})(?:s|en|e)?\.?(?!\w)", re.IGNORECASE)  # "Tuesdays", "måndagen"
_ORDINAL_ALT = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_ORDINAL_RE = re.compile(rf"(?<!\w)({_ORDINAL_ALT})\s+", re.IGNORECASE)


def week_of_month(text: str) -> int | None:
    """ "first Wednesday of the month" -> 1, "last Friday" -> -1: an ordinal right before a weekday; else None.
    (The weekday alternation is compiled once, in _SYNC_WEEKDAY_RE: each copy costs milliseconds at import.)"""
    for m in _ORDINAL_RE.finditer(text):
        if _SYNC_WEEKDAY_RE.match(text, m.end()):
            return _ORDINALS[lx.fold_case(m.group(1))]
    return None


_TIME_RE = re.compile(
    r"\b(?:at\s+|@\s*|um\s+|à\s+|a las\s+|kl\.?\s*)?(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|h\b)?\s*"
    r"(CET|CEST|GMT|BST|UTC|UK|ET|EST|EDT|CT|CST|CDT|MT|MST|PT|PST|PDT|AEST|AEDT|NZST|NZDT|JST|IST)?\b",
    re.IGNORECASE,
)
_TIMEZONES: dict[str, str] = dict(RHYTHM["timezones"])
_SYNC_NOUN_RE = lx.Cue(  # each alternative starts with literal text: lines without one are not searched
    r"\bsync|\bcall|\bmeeting|\bcadence|\brhythm|\binvite|\bstandup|\bstand-up|\bjour fixe|\breunion"
    r"|\breunión|\bréunion|\boverleg|\bmøde|\bstatus semanal|\bacct|\bcheck-in|\bcheckin|\bsynk"
    r"|\bmöte|\bavstämning|\briunione|\bspotkani|\bbesprechung|\btermin|\baccount review"
)

lx.LINE_STARTS.add(_SYNC_NOUN_RE.starts)


def _time_and_zone(text: str) -> tuple[str | None, str | None]:
    """ "4pm CET" -> ("16:00", "Europe/Berlin"); "at 9 PT" -> ("09:00", "America/Los_Angeles");
    "10h" -> ("10:00", None). A bare number is no time: it needs am/pm, minutes, "h" or a zone."""
    for m in _TIME_RE.finditer(text):
        hour, minute, ampm, zone = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower(), m.group(4)
        if not (ampm or m.group(2) or zone) or hour > 23 or minute > 59:
            continue
        if m.group(2) and not ampm and not zone and "." in m.group(0):
            continue  # "1.200" is a number
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        return f"{hour:02d}:{minute:02d}", _TIMEZONES.get(zone.upper()) if zone else None
    return None, None


# Who sets the sync up or adds the FM: "X to/will/'ll send the invite", "X: add me", "he'll forward the invite".
_WHO_WORD = r"[^\W\d_][\w\-]*(?:['’](?!ll\b)\w+)?"  # "O'Neill", not "I'll"
_PRONOUNS = {"he", "she", "they", "we", "on", "ona", "er", "sie", "il", "elle", "él", "ella", "hij", "zij", "ele",
             "ela", "han", "hon", "hun", "lui", "lei"}  # fmt: skip
# The setter's verb: adds the FM, sends or forwards the invite, sets the call up (in the notes' languages).
_SETTER_VERB = (
    r"add(?:s)?\s+(?:me|fm|ft|us|you|the fm)\b|send(?:s)?\s+(?:it|the invite|an? invite|invite|that invite|the updated"
    r"\s+invite|(?:an?\s+|the\s+)?(?:\w+[\s-]+){0,4}?(?:invite|invitation|slot|series))\b"
    r"|forward(?:s)?\s+(?:you|me|the)|invite(?:s)?\s+(?:me|us)|set(?:s)?\s+(?:it|one|a|the)?\s*(?:\w+\s+)?up"
    r"|get it out|set up|aggiunger\w*|mi aggiunge|f[üu]gt mich|mich\s+\w+\s+hinzu|m['’]ajout\w*|agregarme|me agrega"
    r"|añadirme|me añade|voegt me|mij toevoegen|me adiciona\w*|adicionar-me|tilføj(?:er)? mig|lägg(?:er)? till mig"
    r"|dodaj(?:e)? mnie|wysyła zaproszenie|schickt (?:die )?einladung|envoie (?:l['’])?invitation"
    r"|manda (?:la )?invitación|stuurt (?:de )?uitnodiging|envia (?:o )?convite|sender invitation|skickar inbjudan"
    r"|invia l['’]invito|books? it|bokar|bucht|reserva|réserve|boekt|booker|rezerwuje"
)
_SETTER_RE = re.compile(
    rf"(?P<who>@?{_WHO_WORD}(?:\s+{_WHO_WORD}){{0,2}}?|i)\s*"
    r"(?::\s*|\s*[–—]\s*|\s+-\s+|\s+(?:is going to|to|will|can|shall|agreed to|offered to"
    r"|said (?:she|he|they)(?:['’]d| would| will))\s+|['’]ll\s+"
    r"|\s+(?=(?:adds?|sends?|forwards?|invites?|sets?|wysyła|schickt|envoie|manda"
    r"|stuurt|envia|sender|skickar|invia|f[üu]gt|voegt|tilføjer|lägger|dodaje|bokar|bucht|reserva|réserve|boekt"
    r"|booker|rezerwuje|books)\b))"
    rf"(?:just\s+)?(?P<verb>{_SETTER_VERB})",
    re.IGNORECASE,
)
# Every _SETTER_RE match ends with a setter verb, so a line holding none of the verb's literal starts has no match
_SETTER_VERB_CUE = lx.Cue(_SETTER_VERB)
assert _SETTER_VERB_CUE.prefixes is not None
_LET_ME_RE = re.compile(r"\blet me (?:send|set|add|forward)|\bI offered to (?:set|send)", re.IGNORECASE)
# Who runs the existing sync: "X has a fortnightly call", "X already runs", "X's weekly call", "join X's ...".
_HOST_RE = re.compile(
    r"(?P<who>[^\W\d_][\w\-]*(?:\s+[^\W\d_][\w\-]*)?)(?:['’]s\s+(?:\w+\s+){0,4}?(?:sync|call|meeting|\"|status)"
    r"|\s+(?:already\s+)?(?:has|runs|hosts|owns)\s+(?:a|an|the)\b)"
    r"|\((?:quella|quello|la|le|el|die|der|de|den|het|a|o) (?:di|de|del|van|von|af|från|til) "
    r"(?P<who2>[^\W\d_][\w\-]*)\)",
    re.IGNORECASE,
)
_ADDRESSED_RE = re.compile(r"@(?P<who>[^\W\d_][\w\-]*(?:\s+[^\W\d_][\w\-]*)?)[^.;]*\byour\b", re.IGNORECASE)
_TRAILING_OWNER_RE = re.compile(r"\((?P<who>[^\W\d_][\w\-' ]{0,30})\)\s*$")
# A label that names who runs the sync: "Sync.Organizer: Amara Okoli-Stein", "Owner: Kofi".
_ORGANIZER_LABEL_RE = re.compile(r"(?:organi[sz]er|owner|host|set up by|runs it|who)$", re.IGNORECASE)
_FULL_NAME_RE = re.compile(r"^[^\W\d_][\w'’\-]+(?:\s+[^\W\d_][\w'’\-]+){1,3}$")


class _Resolves(Protocol):
    def resolve(self, token: str) -> tuple[str | None, AttendeeRole | None, bool]: ...


class _MemoPeople:
    """People.resolve remembered for one reading of the sync owner: the same words are resolved again and again, and
    each resolve compares the word with every attendee. The attendees do not change while the owner is read, and
    resolve only reads them, so a remembered answer is the answer."""

    def __init__(self, people: People) -> None:
        self._resolve = people.resolve
        self._memo: dict[str, tuple[str | None, AttendeeRole | None, bool]] = {}

    def resolve(self, token: str) -> tuple[str | None, AttendeeRole | None, bool]:
        if (found := self._memo.get(token)) is None:
            found = self._memo[token] = self._resolve(token)
        return found


def _person(token: str, people: _Resolves, line: Line, *, written: bool = False) -> str | None:
    """A sync owner as the notes write it, resolved to a known person; "I"/"me" = the line's speaker or the FM; a
    role title ("the Account Technology Strategist") = the person in that role. With `written`, a full name that is
    no attendee is kept as written (an owner outside the attendee list is kept, not dropped)."""
    token = token.strip().lstrip("@").strip()
    if token.lower() in ("i", "me", "myself", "fm", "ich", "moi", "yo", "eu", "jeg", "io", "jag", "ja"):
        if line.speaker:
            label, role, _known = people.resolve(line.speaker)
            return "FM" if role == "FM" else label
        return "FM"
    words = token.split()
    for candidate in (token, " ".join(words[:2]), words[0]) if words else ():
        if candidate.split()[0] in NOT_NAMES or candidate.lower() in _PRONOUNS:
            return None
        label, role, known = people.resolve(candidate)
        if known and (label or role):
            return "FM" if role == "FM" else label
    for role_span in sp.find_roles(token):
        label, role, known = people.resolve(role_span.value)
        if known and label:
            return "FM" if role == "FM" else label
    if written and _FULL_NAME_RE.match(token) and all(w[:1].isupper() for w in words):
        return token
    return None


def _before(text: str, end: int, people: _Resolves, line: Line) -> str | None:
    """The nearest person named before `end` (a name, a nickname, a role title), not the FM."""
    for role_span in reversed(sp.find_roles(text[:end])):
        label, role, known = people.resolve(role_span.value)
        if known and label and role != "FM":
            return label
    for token in reversed(re.findall(r"[^\W\d_][\w\-]*", text[:end])):
        if (owner := _person(token, people, line)) not in (None, "FM"):
            return owner
    return None


def _sync_owner(candidates: list[Line], people: _Resolves, join: bool) -> str | None:
    """Who sets the sync up or adds the FM (corpus README, "Sync": owner = whoever sets the call up or adds the FM):
    an organizer label ("Sync.Organizer: Amara"), an explicit setter ("I'll send the invite", "Samantha sends the
    invite", "Lorraine: add me", "Filippo – aggiungermi", "he'll forward the invite"), then "(Claire Whitby)" closing
    the line, then, for an existing sync, who runs it ("Rhys has a fortnightly call", "Larissa's weekly Monday",
    "@Priyanka ... your biweekly sync"). The latest line that names one wins (later text overrides)."""
    for line in candidates:
        organizer = line.label and _ORGANIZER_LABEL_RE.search(line.label) and line.body
        if organizer and (owner := _person(line.body, people, line, written=True)) is not None:
            return owner
    for line in reversed(candidates):
        text = line.text
        if _LET_ME_RE.search(text):
            return _person("me", people, line)
        if not _SETTER_VERB_CUE.may_match(line.lower()):
            continue  # no setter verb (the regex tries its long subject at every position: slow on any line)
        for m in _SETTER_RE.finditer(text):
            who = m.group("who")
            if who.lower() in _PRONOUNS or who.lower() in ("and", "und", "et", "y", "en", "e", "og", "och", "i"):
                if who.lower() == "i":
                    return _person("me", people, line)
                hosts = list(_HOST_RE.finditer(text[: m.start()]))
                if hosts and (host := _person(hosts[-1].group("who") or hosts[-1].group("who2"), people, line)):
                    return host
                if (owner := _before(text, m.start(), people, line)) is not None:
                    return owner
                continue
            if (owner := _person(who, people, line)) is not None:
                return owner
            # a lowercase or compound subject ("jürgen has ..., will add me"): the nearest known person before it
            if (owner := _before(text, m.end("who"), people, line)) is not None:
                return owner
    for line in candidates:
        trailing = _TRAILING_OWNER_RE.search(line.text)
        if trailing and (owner := _person(trailing.group("who"), people, line, written=True)) is not None:
            return owner
    for line in candidates:
        for rx in (_ADDRESSED_RE, _HOST_RE):
            for m in rx.finditer(line.text):
                who = m.group("who") or m.groupdict().get("who2") or ""
                for token in (who, who.split()[-1]) if who else ():
                    if (owner := _person(token, people, line)) not in (None, "FM") or (owner == "FM" and not join):
                        return owner
                if who and (owner := _before(line.text, m.end(), people, line)) is not None and rx is _HOST_RE:
                    return owner
    for line in candidates:  # a name in a sync line ("Felix's weekly call", "join Ana's ...")
        for token in re.findall(r"[^\W\d_][\w\-]*", " ".join(_sync_sentences(line))):
            if token.lower() not in ("i", "me") and (owner := _person(token, people, line)) not in (None, "FM"):
                return owner
    return None


_SYNC_KEY_RE = re.compile(r"\b(?:sync|rhythm|cadence)\b", re.IGNORECASE)
_ADD_ME_RE = re.compile(
    r"\badd(?:s)? (?:me|fm|ft|us)\b|\badd \w+(?: \w+)? to (?:the|our|their|his|her|your|\w+['’]s)\b|\binvites? me\b"
    r"|\baggiunger|\bmi aggiunge|\bf[üu]gt mich|\bm['’]ajout|\bagregarme|\bme agrega|\bañadirme|\bvoegt me"
    r"|\bme adiciona|\btilføj(?:er)? mig|\blägg(?:er)? till mig|\bdodaj(?:e)? mnie",
    re.IGNORECASE,
)
# Pre-checks for the regexes _sync_lines runs on each line with a sync noun: their literal starts, read from Line.starts
# (every alternative of each has one, so a line holding none cannot match; may_match reads case-folding traps whole).
_ADD_ME_CUE = lx.Cue(_ADD_ME_RE.pattern)
_WEEKDAY_CUE = lx.Cue(_SYNC_WEEKDAY_RE.pattern)
_CADENCE_CUE = lx.Cue("|".join(rx.pattern for _, rx in _CADENCE_RES))
for _cue in (_ADD_ME_CUE, _WEEKDAY_CUE, _CADENCE_CUE):
    assert _cue.prefixes is not None, _cue.pattern
    lx.LINE_STARTS.add(_cue.prefixes)
_NOT_BEFORE_RE = re.compile(r"\b(?:not|nicht|pas|no|niet|não|ikke|inte|nie)\s+(?:on\s+)?$", re.IGNORECASE)


# the settling regexes run once on the sync text; these say first, from its lowercase, whether they can match at all
_UNSETTLED_CUE = lx.Cue(_UNSETTLED_RE.pattern)
_UNSURE_SYNC_CUE = lx.Cue(_UNSURE_SYNC_RE.pattern)
_JOIN_SYNC_CUE = lx.Cue(_JOIN_SYNC_RE.pattern)
_PROPOSE_SYNC_CUE = lx.Cue(_PROPOSE_SYNC_RE.pattern)
for _cue in (_UNSETTLED_CUE, _UNSURE_SYNC_CUE, _JOIN_SYNC_CUE, _PROPOSE_SYNC_CUE):
    assert _cue.prefixes is not None, _cue.pattern


def _weekdays(text: str, lowered: str | None = None) -> list[re.Match[str]]:
    """_SYNC_WEEKDAY_RE.finditer(text) as a list, tried only where a weekday can start (lexicon.Cue.
    finditer_at_starts; _WEEKDAY_CUE's regex is the same pattern, case-insensitive)."""
    return _WEEKDAY_CUE.finditer_at_starts(text, lowered)


def _plural_day(text: str, lowered: str | None = None) -> bool:
    """A weekday in the plural ("Tuesdays"): a recurring meeting's day."""
    return any(m.group(0).rstrip(".").lower().endswith("s") and len(m.group(0).rstrip(".")) > len(m.group(1))
               for m in _weekdays(text, lowered))  # fmt: skip


def _window(sentence: str) -> str:
    """A long unpunctuated sentence (a voice memo) cut to the part about the sync: from the last "sync"/"rhythm"
    word that a cadence or a weekday follows within 300 characters."""
    if len(sentence) < 400:
        return sentence
    for m in reversed(list(_SYNC_KEY_RE.finditer(sentence))):
        part = sentence[m.start() : m.start() + 300]
        if any(rx.search(part) for _, rx in _CADENCE_RES) or _SYNC_WEEKDAY_RE.search(part):
            return part
    return sentence


def _sync_sentences(line: Line) -> list[str]:
    """The sentences of a line that speak of a sync (a sync noun or a cadence word), else the whole line."""
    said = [
        _window(x)
        for x in SENTENCE_SPLIT_RE.split(line.text)
        if _SYNC_NOUN_RE.search(x) or lx.TOPIC_RES["n"].search(x.lower())
    ]
    return said or [_window(line.text)]


_LETTER_WORD_RE = re.compile(r"[^\W\d_]+")


def _sync_lines(lines: list[Line]) -> list[Line]:
    """The lines that speak of the sync: the sync topic's lines (with a sync noun or a label), the lines under a
    short "Sync" heading, and lines that add the FM to a meeting or name a recurring one ("Omar offered to add me to
    the Thursday account call", "the stand-up moves to Thursdays")."""
    out: dict[int, Line] = {}
    for i, line in enumerate(lines):
        if line.header:
            continue
        sync_topic = "n" in line.topics
        lowered = line.lower()
        noun = _SYNC_NOUN_RE.found(lowered, line.starts)  # exact: found reads a case-folding trap whole
        if not (sync_topic or noun) or not_discussed(line):
            continue  # a line neither of the sync topic nor with a sync noun adds nothing
        if sync_topic and (noun or line.label):
            out[i] = line
        if sync_topic and len(_LETTER_WORD_RE.findall(line.text)) <= 3 and not line.label:
            for k in range(i + 1, min(i + 4, len(lines))):  # "🔁 sync" / "6 Field sync" / "SYNC" heads what follows
                follow = lines[k]
                if follow.text.endswith(":") or len(follow.text.split()) <= 3:
                    break
                # split_lines numbers each line apart (`no`), so an equal line sits at k itself; only the agenda
                # answers' lines (answers._retag, no = 0, a few lines) keep the first equal line's position
                out.setdefault(k if follow.no else lines.index(follow), follow)
        elif noun and (
            (_ADD_ME_CUE.may_match(lowered, line.starts) and _ADD_ME_RE.search(line.text))
            or (_WEEKDAY_CUE.may_match(lowered, line.starts) and _plural_day(line.text, lowered))
            or (_CADENCE_CUE.may_match(lowered, line.starts) and any(rx.search(line.text) for _, rx in _CADENCE_RES))
        ):
            out.setdefault(i, line)
    return [out[i] for i in sorted(out)]


def _days(sentences: list[str]) -> list[Weekday]:
    """The meeting's days (BYDAY); a later sentence that names days overrides earlier ones ("So Thursday, not
    Friday"); a weekday right before a date ("Thu Dec 10") or after "not" is no meeting day."""
    # the last sentence that names a meeting day decides, so the sentences are read from the last one back
    for sentence in reversed(sentences):
        lowered = sentence.lower()
        if not _WEEKDAY_CUE.may_match(lowered):
            continue  # no weekday's literal start (nor a case-folding trap): the weekday pattern cannot match
        found: list[Weekday] = []
        for m in _weekdays(sentence, lowered):
            negated = _NOT_BEFORE_RE.search(sentence[max(0, m.start() - 16) : m.start()]) is not None
            if negated or find_absolute_date(sentence[m.start() : m.end() + 12])[1]:
                continue
            code = WEEKDAY_CODES[WEEKDAY_WORDS[lx.fold_case(m.group(1))]]
            if code in ("MO", "TU", "WE", "TH", "FR") and code not in found:
                found.append(cast(Weekday, code))
        if found:
            return found
    return []


def read_sync_rhythm(lines: list[Line], people: People) -> SyncRhythm | None:
    """The sync rhythm the notes settle: join an existing meeting or propose one (join only when the notes say a
    meeting exists), cadence, days (BYDAY), every N weeks, the week of the month, time and time zone, and who sets
    it up. A later part (a newer reply, a correction) overrides what earlier parts said; "not decided", "will check
    whether one exists" give kind "unknown" with nothing else (corpus README, "Sync"). None when no line speaks of
    a sync."""
    candidates = _sync_lines(lines)
    if not candidates:
        return None
    latest = max(line.part for line in candidates)
    if latest > min(line.part for line in candidates):
        candidates = [line for line in candidates if line.part == latest]  # "One change on the rhythm: ..."
    sentences = [s for line in candidates for s in _sync_sentences(line)]
    text = " ".join(sentences)
    sources = [line.source() for line in candidates]
    summary = clean_sentence(" ".join(tidy(topic_text(line, "n")) for line in candidates))
    cadence: Cadence | None = next((c for c, rx in _CADENCE_RES if rx.search(text)), None)
    interval = None
    if m := _EVERY_N_RE.search(text):
        n = m.group(1)
        interval = int(n) if n.isdigit() else {"two": 2, "three": 3, "four": 4}[lx.fold_case(n)]
    elif cadence == "biweekly":
        interval = 2
    days = _days(sentences)
    settles = re.search(r"\b(?:i['’]ll|will|to) (?:send|set up) (?:the |an? )?(?:invite|sync|it\b|one\b)", text, re.I)
    lowered = text.lower()
    if not settles and (
        (_UNSETTLED_CUE.may_match(lowered) and _UNSETTLED_RE.search(text))
        or (_UNSURE_SYNC_CUE.may_match(lowered) and _UNSURE_SYNC_RE.search(text) and not days)
    ):
        return SyncRhythm(kind="unknown", text=summary, sources=sources)
    week_of_month_ = week_of_month(text)
    join = (_JOIN_SYNC_CUE.may_match(lowered) and _JOIN_SYNC_RE.search(lowered)) and not (
        _PROPOSE_SYNC_CUE.may_match(lowered) and _PROPOSE_SYNC_RE.search(lowered)
    )
    kind: SyncKind = "join_existing" if join else "propose"
    time, timezone = _time_and_zone(text)
    return SyncRhythm(
        kind=kind,
        cadence=cadence,
        weekday=days[0] if days else None,
        days=days,
        interval=interval,
        week_of_month=week_of_month_,
        time=time,
        timezone=timezone,
        owner=_sync_owner(candidates, _MemoPeople(people), kind == "join_existing"),
        text=summary,
        sources=sources,
    )
