"""Action owners as relations over spans: who commits to what, by when, in every common way notes write it.

Forms (issue 8): "Name to / will / 'll / is going to / said she'd / offered to …", "Name: …", "Name - …", "@Name …",
"… (Name)", "… -> Name", "… — Name", "[ ] Name: …", "AI Name …", "Name and Name to …", "jd + me", initials, first
names, nicknames; "someone needs to" / "no owner yet" has no owner. The WHO of a relation is any span that resolves
through People.resolve (a name, alias, nickname, initials, ME word); an owner the notes never list as an attendee is
kept as written and flagged, never dropped and never turned into the FM. In chat or a mail reply the speaker owns
"I". Later text (a higher Line.part, an inline "[CO]" correction) overrides earlier owners and dates.
Rules and conventions: ../shared/corpus/README.md ("Owners", "Actions", "Later text overrides earlier text").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import accumulate

from .. import lexicon as lx
from ..dates import read_due
from ..schemas import ActionItem, AttendeeRole, Flag
from ..substrings import Substrings
from ..word_trie import trie_alternation
from . import spans as sp
from .lines import Line
from .people import People, speaker_of
from .text import SENTENCE_SPLIT_RE, tidy


@cache
def verb_re() -> re.Pattern[str]:
    """The owner verbs of ftdraft/data/owner_verbs.toml as one pattern, matched right after an owner."""
    pieces = [v["pattern"] for v in sp.load_data("owner_verbs")["verb"]]
    return re.compile(r"(?:\s*\([^()]{1,40}\))?(?:\s+(?:" + "|".join(pieces) + r")\s+|['’]ll\s+)", re.I)


@cache
def cue_re() -> re.Pattern[str]:
    """Any owner verb, "'ll", or "wants me to" anywhere: a line without one has no verb form (a cheap pre-check)."""
    pieces = [v["pattern"] for v in sp.load_data("owner_verbs")["verb"]]
    return re.compile(r"\s(?:" + "|".join(pieces) + r"|wants|asked|needs|would like)\s|['’]ll\s", re.I)


_EARLY_SEP_RE = re.compile(r"^[^:–—\-]{1,60}(?::|\s[-–—])")
_EARLY_SEPS = (":", "-", "–", "—")
# Substrings every verb form holds (cue_re's words, lowercase): a line with none of them skips the verb forms.
_VERB_CUES = (" to ", "will ", "'ll ", "’ll ", " going to", " said ", " says ", " promised ", " confirmed ",
              " mentioned ", " offered ", " agreed ", " volunteered ", " committed ", " signed up", " can ",
              " could ", " should ", " must ", " shall ", " wants ", " asked ", " needs ", " would like ")  # fmt: skip
# The first characters of a non-empty _PREFIX_RE match (a digit aside): a box, "[", or AI / TODO / To-do / Action in
# any case (no case-folding trap maps another character onto "a" or "t").
_PREFIX_FIRSTS = frozenset("☐☑✅✔□■▢[aAtT")


@cache
def not_lead_words() -> frozenset[str]:
    """Words after a leading name that report rather than commit ("said", "owns", "can't"): owner_verbs.toml."""
    return frozenset(w.lower() for e in sp.load_data("owner_verbs")["not_lead"] for w in e["words"])


@cache
def heading_re() -> re.Pattern[str]:
    """Action headings of ftdraft/data/owner_verbs.toml, as a whole line ("Nächste Schritte", "## Suivis:")."""
    pieces = [h["pattern"] for h in sp.load_data("owner_verbs")["heading"]]
    return re.compile(r"^[#*\s]*(?:" + "|".join(pieces) + r")(?:\s+(?:tasks?|items?|list|points?))?[\s*:]*$", re.I)


_BULLETISH_RE = re.compile(r"^\s*(?:[-*•·o§+☐☑]\s|\d{1,2}[.)]\s|\t|\[)")


def action_section_lines(notes: str) -> set[int]:
    """1-based numbers of the note lines under an action heading in any of the data's languages: the bullets (or
    indented lines) after "Nächste Schritte", "Suivis", "Next steps" … up to the first line that is neither."""
    out: set[int] = set()
    inside = False
    for no, raw in enumerate(notes.splitlines(), start=1):
        if not raw.strip():
            continue
        if heading_re().match(raw.strip()):
            inside = True
            continue
        if inside and _BULLETISH_RE.match(raw):
            out.add(no)
        else:
            inside = False
    return out


def cue_lines(lines: list[Line]) -> list[tuple[bool, bool]]:
    """For each line, whether its lowercase text holds one of the verb cues (_VERB_CUES, for OwnerReader.read) and
    whether it holds one of the words that move a date (_MOVE_WORDS, for correction_due), found for all the lines
    in one Aho-Corasick pass (no cue holds a newline) instead of ~30 substring scans per line."""
    begins = list(accumulate((len(line.lower()) + 1 for line in lines), initial=0))  # where each line begins
    verb, move = [False] * len(lines), [False] * len(lines)
    i = 0
    for end, cue in _CUE_FINDER.occurrences("\n".join(line.lower() for line in lines)):
        if end >= begins[i + 1]:
            i = bisect.bisect_right(begins, end, i + 1) - 1  # the line this occurrence ends in (and lies in)
        (move if cue in _MOVE_SET else verb)[i] = True
    return list(zip(verb, move, strict=True))


_WANTS_ME_RE = re.compile(r"\s+(?:wants|asked|needs|would like)\s+(?:me|us|the FM)\s+to\s+", re.I)
_PREFIX_RE = re.compile(
    r"^(?:[☐☑✅✔□■▢]\s*|\[\s?[xX✓ ]?\s?\]\s*|\d{1,2}\s*[.)|]\s*|\d{1,2}\s+(?=[^\W\d_]))*"
    r"(?:(?:AI|TODO|To-?do|Action|ACTION)\b\s*[:\-–]?\s*|(?i:todo|to-do|ai|action items?|actions?)\s*:\s*)?"
)
_AGENDA_ITEM_RE = re.compile(r"^[a-n](?:/[a-n])*\.\s")  # "n. sync – …": a covered agenda item, not a done action
_PREFIX_AI_RE = re.compile(r"^\W*(?:AI|TODO|Action)\b")
_DONE_RE = re.compile(r"^\s*(?:[☑✅✔]|\[\s?[xX✓]\s?\])")
_CHAT_RE = re.compile(r"^\[[^\]]{3,40}\]\s*[^:]{2,60}:\s*")
_SEP_AFTER_WHO_RE = re.compile(r"\s*(?::|[-–—]|\s(?=[a-zà-ÿ]))\s*")
_JOIN_RE = re.compile(r"\s*(?:,|\+|&|/|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b)\s*", re.I)
_GROUP_JOIN_RE = re.compile(r"\s*(?:\+|&|/|\band\b|\bund\b|\bet\b)\s*", re.I)
_ASK_YOU_RE = re.compile(r"(?:(?:can|could|would|will) you\s+|pls\s+|please\s+|plz\s+)", re.I)
# Words after which a name is an object, not the subject of what follows ("add me and Sandeep to …",
# "the split from Colleen by …", "ask Tomás to …").
_OBJECT_BEFORE = frozenset(
    {"to", "with", "from", "by", "for", "of", "on", "at", "in", "into", "via", "per", "about", "than", "like",
     "add", "adds", "added", "adding", "invite", "invites", "invited", "ask", "asks", "asked", "tell", "told", "cc",
     "loop", "email", "emails", "ping", "send", "sends", "sent", "remind", "copy", "include", "includes", "meet",
     "contact", "thank", "let", "lets", "get", "got", "have", "has", "had", "want", "wants", "need", "needs", "is",
     "was", "are", "were", "be", "been", "introduce", "intro", "join", "joins", "forward", "forwards", "brief",
     "call", "calls", "help", "helps", "owe", "give", "gives", "show", "shows", "pair", "cc'd"}
)  # fmt: skip
# An owner's part that gives no action: "ben: ?? (nothing)", "tam: -", "ae: n/a".
_NOTHING_RE = re.compile(r"[\s?!.\-–—()]*(?:(?:nothing|none|n/a|tbd)[\s?!.\-–—()]*)?", re.I)
_QUESTION_WORDS = frozenset({"when", "what", "where", "why", "how", "who", "does", "do", "is", "are", "did", "which"})
_ARROW_RE = re.compile(r"\s*(?:->|→|=>|—|–|\s-)\s*")
_NO_OWNER_RE = re.compile(r"\b(?:someone|somebody|no owner(?: yet)?|owner tbd|tbd owner|nobody)\b", re.I)
_SOMEONE_RE = re.compile(r"\b(?:someone|somebody|some one)\s+(?:needs? to|has to|should|must|to|will have to)\s+", re.I)
_PRONOUN_RE = re.compile(
    r"\b(?:(?:he|she|they)(?:['’]ll|\s+will|\s+is going to|\s+to)|(?:he|she)(?:['’]d|\s+would))\s+", re.I
)
_PRONOUN_HINT_RE = re.compile(r"(?:he|hey)(?:['’]ll|\s+will|\s+is going to|\s+to)|he(?:['’]d|\s+would)")
# (?=[,\s]): the first character of every match, one class test rules the other positions out
_ELLIPTIC_RE = re.compile(r"(?=[,\s])(?:,\s*|\s+and\s+)(?:will|['’]ll)\s+(?!be\b)", re.I)
_SPEAKER_WILL_RE = re.compile(r"^(?:👍\s*)?(?:yep[,.]?\s*|sure[,.]?\s*|ok[,.]?\s*)?(?:will|['’]ll)\s+(?!do\b)", re.I)
_NOT_ACTION_RE = re.compile(
    r"^(?:join|lead\b|leads?\s+(?:tech|the tech|cadence)|be\b|do(?: it| that)?\W*$|read the recap|catch up"
    r"|attend|dial in|thanks|thank you|hi\b|hello|great\b|perfect\b|noted\b|agreed\b"
    r"|declined|out\b|oof\b|ooo\b|pto\b|on leave|no-show|sent (?:her |his )?apologies|couldn['’]?t make it)",
    re.I,
)
_DUE_LEAD_RE = re.compile(r"(?:\b(?:by|on|due|before|until|no later than|in)\s+|[-–—,]\s*)$", re.I)
_LATER_DUE_RE = re.compile(r"\s*[.;]?\s*((?:due|by|deadline)\b[^.;]{0,60})", re.I)  # "… earlier. Due Friday."
# A weekday naming a recurring meeting is no due date: "2nd Thursday", "weekly Tuesday account call", "Monday call".
_DEADLINE_RE = re.compile(r"(?:by|before|until|due|no later than)\b", re.I)
_RHYTHM_DAY_RE = re.compile(
    r"(?:\b(?:1st|2nd|3rd|4th|first|second|third|fourth|last|every|each|weekly|biweekly|bi-weekly|fortnightly|monthly)"
    r"\s+(?:mon|tue|wed|thu|fri)[a-z]*)|(?:\b(?:mon|tue|wed|thu|fri)[a-z]*\s+(?:account|acct|call|sync|meeting|status|"
    r"security|at\b|team\b))",
    re.I,
)
# A word as a short form can be written: letters, joined by hyphens or apostrophes ("mh-w", "i'll", "ana-lucía").
_SHORT_WORD_RE = re.compile(r"(?<![@\w])[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_LAST_WORD_RE = re.compile(r"([^\W\d_]+)$")
_WHOLE_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")  # a word as _SHORT_WORD_RE reads it


_TRAILING_AND_RE = re.compile(r"\s+(?:and|,)\s*$")
_JOINERS_RE = re.compile(r"[\s,+&/]|\band\b")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
# After a leading owner: ":" / a dash / an arrow, with a remark in parentheses allowed before it
# ("Bettina (wasn't on the call) → confirm …").
_COLON_DASH_RE = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?(?::|->|→|=>|[-–—])\s*")
_LETTER_RE = re.compile(r"[^\W\d_]")
_PAREN_RE = re.compile(r"\(([^()]{1,40})\)")  # "… (Bernadette)": _owner_last
_SPACE_WORD_RE = re.compile(r"\s+(?=[^\W\d_])")
_CORRECTION_RE = re.compile(r"^\s*\[(?:CO|[A-Z]{2,3})\]\s*", re.I)
_MAKE_IT_RE = re.compile(r"\b(?:make it|move(?:d)? (?:it )?to|push(?:ed)? (?:it )?to|change(?:d)? to)\b", re.I)


@dataclass
class Who:
    """A span that resolves to a person: [start, end) in the text, the owner label, role and whether known."""

    start: int
    end: int
    label: str | None
    role: AttendeeRole | None
    known: bool


@dataclass
class Reading:
    """Owned actions read from one line, with the line's part (later parts override earlier ones)."""

    items: list[tuple[ActionItem, int, int]] = field(default_factory=list)  # (item, part, line no)


class OwnerReader:
    """Reads owned actions line by line; People resolves every WHO (built once per notes)."""

    def __init__(
        self, people: People, call_date: date | None, day_first: bool, action_lines: set[int] | None = None
    ) -> None:
        self.people = people
        self.action_lines = action_lines or set()
        self.call_date = call_date
        self.day_first = day_first
        self._memo: dict[str, tuple[str | None, AttendeeRole | None, bool]] = {}
        self._short: frozenset[str] | None = None
        self.flags: list[Flag] = []
        # whos finds the short forms of a line by one search for them all (_forms_re) once it has read this many
        # lines: the pattern costs ~2 ms to compile, repaid over a few hundred lines (long notes)
        self.forms_search_after = 300
        self._whos_calls = 0
        self._forms_re: re.Pattern[str] | None = None

    def short_forms(self) -> frozenset[str]:
        """ME words ("i'll" too) and the short forms of known people (first names, initials, aliases, nicknames),
        lowercase: a line's words are looked up in this set instead of each being resolved."""
        if self._short is None:
            self._short = frozenset(sp.me_words() | self.people.short_forms() | {"i'll", "i’ll"})
        return self._short

    # --- WHO spans ------------------------------------------------------------------------------------------------

    def resolve(self, token: str) -> tuple[str | None, AttendeeRole | None, bool]:
        if token not in self._memo:
            self._memo[token] = self.people.resolve(token)
        return self._memo[token]

    def whos(self, text: str, speaker: str | None, actiony: bool = True) -> list[Who]:
        """Every span in text that names a person: names, ME words, and lowercase words or initials that resolve.
        Outside an action line only known people count, so a line with none of their short forms and no role is
        skipped at once (most lines)."""
        out: list[Who] = []
        taken: list[tuple[int, int]] = []
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = text  # a case mapping that changes length: compare word by word below instead
        forms = self.short_forms()
        # the line's words that are short forms, split once: hits is empty exactly when no word is one (findall and
        # finditer give the same matches; the pattern has no groups). With lowered = text (rare) the words are
        # compared as written to decide no_forms, and lowercased to pick the hits, as before.
        hits: list[re.Match[str]] | None = None
        if lowered is not text:
            self._whos_calls += 1
            if self._whos_calls > self.forms_search_after:
                hits = self._form_hits(lowered)
            if hits is None:
                hits = [m for m in _SHORT_WORD_RE.finditer(lowered) if m[0] in forms]
            no_forms = not hits
        else:
            no_forms = forms.isdisjoint(_SHORT_WORD_RE.findall(lowered))
        # find_roles(text) is every role_re match (empty exactly when the search finds none), memoised and gated
        # by one substring pass, and the loop below asks for it anyway
        if not actiony and no_forms and not sp.find_roles(text):
            return out
        for s in sp.find_names(text) if actiony else ():  # outside action lines the short forms below suffice
            label, role, known = self.resolve(s.value)
            if not known and s.alias:
                label, role, known = self.resolve(s.alias)
            if not known and " " not in s.value and s.value.lower() in sp.me_words():
                continue
            out.append(Who(s.start, s.end, label, role, known))
            taken.append((s.start, s.end))
        for r in sp.find_roles(text):  # "The Technical Account Manager will …": the attendee with that role
            if any(a <= r.start < b or b <= r.start <= b + 3 or r.end <= a <= r.end + 3 for a, b in taken):
                continue  # inside a name, or a name's own role ("Dara Whelan, CSM", "ATS Kwame")
            label, role, known = self.resolve(r.value)
            if known and label is not None:
                out.append(Who(r.start, r.end, label, role, known))
        out.sort(key=lambda w: w.start)
        taken = [(w.start, w.end) for w in out]
        if no_forms:
            return out  # no short form on the line (most lines): no word-by-word pass
        # only the words that are short forms go on (one comprehension over the line's words, not the loop below)
        if hits is None:
            hits = [m for m in _SHORT_WORD_RE.finditer(lowered) if m.group(0).lower() in forms]
        t = 0  # taken spans are in order, and so are the words: one pointer keeps this linear
        for m in hits:
            low = m.group(0) if lowered is not text else m.group(0).lower()
            while t < len(taken) and taken[t][1] <= m.start():
                t += 1
            if t < len(taken) and taken[t][0] <= m.start():
                continue
            w = text[m.start() : m.end()]
            ill = low in ("i'll", "i’ll")
            m_end = m.start() + 1 if ill else m.end()  # "I'll": the owner is "I", the verb "'ll" follows
            if ill or low in sp.me_words():
                if low[:1] == "i" and (len(low) == 1 or ill) and speaker:
                    label, role, known = self.resolve(speaker)
                    out.append(Who(m.start(), m_end, label, role, known))
                else:
                    out.append(Who(m.start(), m_end, self.people.fm_name or "FM", "FM", True))
                continue
            if actiony and w[:1].isupper() and any(c.islower() for c in w[1:]):
                continue  # a capitalised word that the name scan did not take (a not-name)
            label, role, known = self.resolve(w)
            if known:
                end = m.end()
                if label and text[m.start() : m.start() + len(label)].lower() == label.lower():
                    end = m.start() + len(label)  # "Nadia Brooks will …": the whole name, not its first word
                out.append(Who(m.start(), end, label, role, known))
                if end > m.end():
                    bisect.insort(taken, (m.start(), end))
        out.sort(key=lambda w: w.start)
        return out

    def _form_hits(self, lowered: str) -> list[re.Match[str]] | None:
        """The words of lowered (_SHORT_WORD_RE's) that are short forms, found by one search for the forms; None
        when a form follows a joiner after a letter ("x-ab"): whether it starts a word or ends one the search
        cannot tell, and the caller splits the words instead.

        Exact otherwise: a match starts where no word character or "@" precedes (as a word does), and the
        look-ahead ends it where a word ends (no letter, no joiner and letter follow); a form is only a word the
        words' pattern matches whole. A start preceded by anything but a joiner after a letter is no word's inside,
        and of the forms matching there only the whole word passes the look-ahead (the trie tries each)."""
        if self._forms_re is None:
            words = sorted(f for f in self.short_forms() if _WHOLE_WORD_RE.fullmatch(f))
            self._forms_re = re.compile(
                rf"(?<![@\w])(?:{trie_alternation(words) or '(?!)'})(?![^\W\d_]|['’\-][^\W\d_])"
            )
        hits = list(self._forms_re.finditer(lowered))
        for m in hits:
            s = m.start()
            if s >= 2 and lowered[s - 1] in "'’-" and _LETTER_RE.match(lowered, s - 2):
                return None
        return hits

    # --- one line -------------------------------------------------------------------------------------------------

    def read(self, line: Line, cued: bool | None = None) -> list[ActionItem] | None:
        """The owned actions on a line; [] when the line is done or not an action; None when no form applies.
        cued: whether the line's lowercase text holds one of the verb cues (cue_lines), None to test here."""
        if line.header:
            return None
        raw_text = line.text
        ticked = line.done or _DONE_RE.match(line.raw)  # the pattern skips leading whitespace itself
        if ticked and not _AGENDA_ITEM_RE.match(raw_text) and (line.in_actions or _PREFIX_AI_RE.search(raw_text)):
            return []  # a ticked action item is done; a ticked agenda item ("☑ n. sync – …") is covered, still read
        # speaker_of reads a chat prefix only from a line starting with "[" (its pattern's first character)
        speaker = line.speaker or (speaker_of(line) if raw_text[:1] == "[" else None)
        text = raw_text
        if text[:1] == "[" and (m := _CHAT_RE.match(text)):  # the pattern opens with "["
            text = text[m.end() :]
        had_prefix = False
        first = text[:1]
        if first in _PREFIX_FIRSTS or first.isdecimal():  # a non-empty _PREFIX_RE match starts with one of these
            prefix = _PREFIX_RE.match(text)
            had_prefix = bool(prefix and prefix.group(0).strip())
            text = text[prefix.end() :] if prefix else text
        actiony = line.in_actions or had_prefix or line.no in self.action_lines
        if not (
            actiony
            or speaker
            or "@" in text
            or "->" in text
            or "→" in text
            or (any(map(line.lower().__contains__, _VERB_CUES)) if cued is None else cued)
        ):
            # the early separator is a ":" or a dash: a line with neither skips the regex
            early = _EARLY_SEP_RE.match(text) if any(map(text.__contains__, _EARLY_SEPS)) else None
            if early is None or (line.label is not None and line.label in sp.not_names()):
                return None  # no verb, no lead "Name:" and no arrow: no owner form can apply (most lines)
        whos = self.whos(text, speaker, actiony or "@" in text)
        if not whos and not speaker and not (actiony and _NO_OWNER_RE.search(text)):
            return None  # nobody named: no owner form applies
        ref = line.ref_date or self.call_date
        items: list[ActionItem] = []
        matched = False

        # 1. verb forms anywhere, per sentence: "Harriet will send …", "Nadia said she'd …", "I'll …"
        if speaker and (m := _SPEAKER_WILL_RE.match(text)):
            # the speaker's own reply: "will open the case tomorrow AM. also … I'll forward you the invite"
            label, role, known = self.resolve(speaker)
            first_end = m.end() + len(_sentences(text[m.end() :])[0][1])
            items += self._make([Who(0, 0, label, role, known)], text[m.end() : first_end], line, ref, "")
            matched = True
            text_from = first_end
        else:
            text_from = 0
        k = 0
        last_known: Who | None = None  # the last person named before this sentence: "… he'll forward the invite"
        for sentence_start, sentence in _sentences(text):
            if sentence_start < text_from:
                continue
            local: list[Who] = []
            while k < len(whos) and whos[k].start < sentence_start + len(sentence):
                if whos[k].start >= sentence_start:
                    local.append(whos[k])
                k += 1
            if not actiony:
                local = [w for w in local if w.known]  # outside an action list only known people commit
            got = self._verb_forms(line, text, sentence_start, sentence, local, last_known, ref)
            if got is not None:
                items += got
                matched = True
            last_known = next((w for w in reversed(local) if w.known), last_known)
        if matched:
            return items
        # 2. @Name forms: "@Julian can you send the intro …"
        for w in whos:
            if w.start > 0 and text[w.start - 1] == "@":
                rest = text[w.end :].lstrip(" ,:")
                ask = _ASK_YOU_RE.match(rest)
                body = rest[ask.end() :] if ask else rest
                first = body.split(" ", 1)[0].lower() if body else ""
                if not body or (not ask and first in _QUESTION_WORDS):
                    continue
                nxt = next((o.start - 1 for o in whos if o.start > w.end and text[o.start - 1] == "@"), len(text))
                items += self._make([w], body[: max(0, nxt - (len(text) - len(body)))] if nxt < len(text) else body,
                                    line, ref, "")  # fmt: skip
        if items:
            return items
        # 3. several owners on one action line, one sentence each: "ruth -> intro … fri. jd + me -> draft … by 12/21"
        if actiony and len(whos) > 1 and (per := self._owner_per_sentence(text, whos, line, ref)) is not None:
            return per
        # 4. owner first: "Name: …", "Name - …", "AI Name – …", "jd + me: …", "Kasia checks …" (action lines)
        lead = _leading_whos(text, whos)
        if lead and not actiony and line.label and line.label in sp.role_titles():
            return []  # "FM: me", "ATS: Kwame …": a roster line
        if lead and not actiony and not all(w.known for w in lead):
            lead = []
        if lead:
            sep = _owner_sep(text, lead[-1].end, strict=not actiony)
            if sep is not None and not all(w.known for w in lead) and text[lead[-1].end : sep].strip() == "":
                sep = None  # "Send the …": an unknown word before a space is no owner
            body = text[sep:] if sep is not None else ""
            head = sp.WORD_RE.match(body)
            if head and (sp.role_re().match(body) or head.group(0).lower() in sp.me_words()):
                return []  # "Thiago Albuquerque - ATS", "FM: me": people, not an action
            bare = sep is not None and not text[lead[-1].end : sep].strip()
            if head and bare and head.group(0).lower() in not_lead_words():
                sep = None  # "Nadia said the customer will …": a report, not her commitment
            mine = all(w.role == "FM" for w in lead) and text[lead[-1].end : sep or 0].strip() == ":"
            starts_ok = actiony or mine or body[:1].islower() or body[:1] in "\"“'"
            if sep is not None and starts_ok and not _NO_OWNER_RE.search(text[: lead[0].start]):
                return self._make(lead, body, line, ref, "")
        # 5. owner last: "… (Name)", "… -> Name, due", "… — Name"
        if actiony or "->" in text or "→" in text:
            got = self._owner_last(text, whos, line, ref)
            if got is not None:
                return got
        if actiony and _NO_OWNER_RE.search(text):
            return self._make([], text, line, ref, "")
        return None

    def _owner_per_sentence(self, text: str, whos: list[Who], line: Line, ref: date | None) -> list[ActionItem] | None:
        """Each sentence's own owner-first action when two or more sentences of a line start with an owner and a
        separator; None otherwise. A sentence that gives its owner nothing ("ben: ?? (nothing)") adds no action."""
        sentences = _sentences(text)
        if len(sentences) < 2:
            return None
        items: list[ActionItem] = []
        owned = 0
        for start, sentence in sentences:
            local = [Who(w.start - start, w.end - start, w.label, w.role, w.known)
                     for w in whos if start <= w.start < start + len(sentence)]  # fmt: skip
            lead = _leading_whos(sentence, local)
            sep = _owner_sep(sentence, lead[-1].end, strict=True) if lead else None
            if not lead or sep is None:
                continue
            owned += 1
            body = sentence[sep:]
            if _NOTHING_RE.fullmatch(body):
                continue
            items += self._make(lead, body, line, ref, "")
        return items if owned > 1 else None

    def _verb_forms(
        self,
        line: Line,
        text: str,
        offset: int,
        sentence: str,
        local: list[Who],
        last_known: Who | None,
        ref: date | None,
    ) -> list[ActionItem] | None:
        """The actions of one sentence's verb forms; None when no verb form is there ([] when one is but it is no
        action, such as "I'll join that")."""
        found: list[tuple[int, int, list[Who]]] = []  # (clause start, match start, owners)
        for sm in _SOMEONE_RE.finditer(sentence) if "some" in sentence or "nobody" in sentence else ():
            found.append((offset + sm.end(), offset + sm.start(), [Who(0, 0, None, None, True)]))  # no owner
        if not local and not found and (last_known is None or not _PRONOUN_RE.search(sentence)):
            return None  # nobody named in the sentence and no "he'll …" to refer back
        # Whether a person's position lies inside a clause already found (any(f[1] <= x < f[0] for f in found)),
        # kept linear: the people come in order of position, so it is whether the furthest clause start among the
        # entries that begin at or before x passes x. The "someone" entries join as x reaches them.
        pending = sorted((f[1], f[0]) for f in found)
        absorbed = 0
        reach = -1
        for k, w in enumerate(local):
            while absorbed < len(pending) and pending[absorbed][0] <= w.start:
                reach = max(reach, pending[absorbed][1])
                absorbed += 1
            if w.start > 0 and text[w.start - 1] == "@":
                continue
            if k and local[k - 1].known and _GROUP_JOIN_RE.fullmatch(text[local[k - 1].end : w.start]):
                continue  # "add me + Beatriz to …": Beatriz belongs to the group that starts before her
            group = [w]
            j = k
            while j + 1 < len(local) and _JOIN_RE.fullmatch(text[local[j].end : local[j + 1].start]):
                group.append(local[j + 1])
                j += 1
            end = group[-1].end
            if m := _WANTS_ME_RE.match(text, end):
                fm = Who(w.start, end, self.people.fm_name or "FM", "FM", True)
                found.append((m.end(), w.start, [fm]))
                reach = max(reach, m.end())
                continue
            m = verb_re().match(text, end)
            if m is None:
                continue
            if reach > w.start:
                continue  # inside a clause found before
            before = text[max(offset, w.start - 40) : w.start].rstrip(" @*[]☐(").lower()
            word_before = _LAST_WORD_RE.search(before)
            article = word_before is not None and word_before.group(1) in ("the", "our", "their")
            if article and text[offset : w.start].strip(" -•*").lower() != word_before.group(1):  # type: ignore[union-attr]
                continue  # "who the AE will be": an article mid-sentence starts no subject
            if word_before and word_before.group(1) in _OBJECT_BEFORE:
                continue  # "add me and Sandeep to …", "from Colleen by …": an object, not the owner
            owners = group
            found.append((m.end(), w.start, owners))
            reach = max(reach, m.end())
        low = sentence.lower()
        # "he" is in "the": the hint (what every _PRONOUN_RE match lowercases to, "she" and "they" holding "he" and
        # "hey") asks for the verb too; a case-folding trap sends the sentence to the pattern as before
        pronoun = ("he" in low or "they" in low) and (
            _PRONOUN_HINT_RE.search(low) is not None or lx.has_lowered_trap(low)
        )
        for m in _PRONOUN_RE.finditer(sentence) if pronoun else ():
            start = offset + m.start()
            prior = [w for w in local if w.end <= start and w.known] or ([last_known] if last_known else [])
            if prior and not any(f[1] <= start < f[0] for f in found):
                found.append((offset + m.end(), start, [prior[-1]]))
        elliptic = local and ("will" in low or "ll " in low)
        for m in _ELLIPTIC_RE.finditer(sentence) if elliptic else ():
            start = offset + m.start()
            prior = [w for w in local if w.end <= start and w.known]
            if prior and not any(f[1] <= start < f[0] + 2 for f in found):
                found.append((offset + m.end(), start, [prior[0]]))
        if not found:
            return None
        found.sort()
        items: list[ActionItem] = []
        stop = offset + len(sentence)
        # each clause ends where the first later entry that starts after it begins: the least such match start,
        # found from the end backwards with the later entries' starts kept sorted (a scan per clause was quadratic)
        ends = [stop] * len(found)
        starts_after: list[int] = []
        for k in range(len(found) - 1, -1, -1):
            j = bisect.bisect_right(starts_after, found[k][0])
            if j < len(starts_after):
                ends[k] = min(starts_after[j], stop)
            bisect.insort(starts_after, found[k][1])
        for k, (clause_start, _, owners) in enumerate(found):
            clause_end = ends[k]
            clause = text[clause_start:clause_end].rstrip(" ,;")
            clause = _TRAILING_AND_RE.sub("", clause)
            later = _LATER_DUE_RE.match(text, clause_end)
            items += self._make(owners, clause, line, ref, later.group(1) if later else "")
        return items

    def _owner_last(self, text: str, whos: list[Who], line: Line, ref: date | None) -> list[ActionItem] | None:
        # "… -> Aoife, next Tues", "… — Kenji"
        for m in reversed(list(_ARROW_RE.finditer(text))):
            after = [w for w in whos if w.start >= m.end() and w.known and w.role != "customer"]
            if not after or after[0].start != m.end():
                continue
            group = [after[0]]
            for w in after[1:]:
                if _JOIN_RE.fullmatch(text[group[-1].end : w.start]):
                    group.append(w)
            rest = text[group[-1].end :]
            if rest.strip(" ,.;") and not read_due(rest, ref, day_first=self.day_first).words:
                continue
            return self._make(group, text[: m.start()], line, ref, rest)
        # "… (Bernadette)", "… (me) today", "… (DF + MLC)"
        for m in reversed(list(_PAREN_RE.finditer(text))):
            inside = [
                w for w in whos if m.start(1) <= w.start and w.end <= m.end(1) and w.known and w.role != "customer"
            ]
            if inside and _covers(m.group(1), m.start(1), inside):
                body = text[: m.start()] + text[m.end() :]
                return self._make(inside, body, line, ref, "")
        return None

    def _make(self, owners: list[Who], clause: str, line: Line, ref: date | None, later: str) -> list[ActionItem]:
        clause = clause.strip(" .,;:-–—")
        if len(clause) < 3 or _NOT_ACTION_RE.match(clause):
            return []
        due = read_due(clause, ref, day_first=self.day_first)
        # "by Friday" is a deadline whatever follows; a bare day next to a meeting word is the meeting's day
        if (
            due.words
            and not _DEADLINE_RE.match(due.words)
            and _RHYTHM_DAY_RE.search(clause[max(0, due.start - 14) : due.end + 12])
        ):
            due = read_due(
                clause[: due.start] + " " * (due.end - due.start) + clause[due.end :], ref, day_first=self.day_first
            )
            if due.words and _RHYTHM_DAY_RE.search(clause[max(0, due.start - 14) : due.end + 12]):
                due = read_due("", ref)
        action = clause
        if due.words:
            head = _DUE_LEAD_RE.sub("", clause[: due.start].rstrip())
            tail = clause[due.end :].lstrip(" ,.")
            if not tail.strip("?! "):  # "can you send the deck by Friday?": the question mark went with the date
                tail = ""
            action = (head.rstrip() + " " + tail).strip(" ,.;-–—")
        elif later.strip():
            due = read_due(later, ref, day_first=self.day_first)
        elif "|" in line.raw:
            cells = [c.strip() for c in line.raw.strip().strip("|").split("|")]
            for cell in cells[1:]:
                got = read_due(cell, ref, day_first=self.day_first)
                if got.words and cell.lower() not in clause.lower():
                    due = got
                    break
        if not action:
            return []
        items = []
        for w in owners or [Who(0, 0, None, None, True)]:
            items.append(
                ActionItem(
                    owner=w.label,
                    owner_role=w.role,
                    action=tidy(action),
                    due=due.value,
                    due_text=due.words,
                    sources=[line.source()],
                )
            )
            if not w.known and w.label:
                self.flags.append(
                    Flag(
                        field="action_items",
                        message=f"Owner '{w.label}' is not among the attendees: check who this is.",
                        sources=[line.source()],
                    )
                )
            if due.ambiguous:
                md, dm = due.ambiguous
                self.flags.append(
                    Flag(
                        field="action_items",
                        message=(
                            f"'{due.words}' could be {md.isoformat()} (month first) or {dm.isoformat()} (day first);"
                            f" read as {due.value.isoformat() if due.value else 'unknown'}: check it."
                        ),
                        sources=[line.source()],
                    )
                )
        return items


_INITIAL_END_RE = re.compile(r"(?:^|\s)(?:[A-Z]|Dr|Mr|Ms|Mrs|St)\.$")  # "Nadia B." / "Dr." end no sentence


def _sentences(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for s in SENTENCE_SPLIT_RE.split(text):
        start = max(text.find(s, pos), 0)
        if out and _INITIAL_END_RE.search(out[-1][1]):
            out[-1] = (out[-1][0], text[out[-1][0] : start + len(s)])
        else:
            out.append((start, s))
        pos = start + len(s)
    return out


def _leading_whos(text: str, whos: list[Who]) -> list[Who]:
    """The people an action line starts with: "Tomasz and Sabine", "jd + me", "AI Kenji"."""
    if not whos or _LETTER_RE.search(text, 0, whos[0].start):
        return []  # only symbols before the owner ("👉 ", "• ", "@", "[ ]")
    group = [whos[0]]
    for w in whos[1:]:
        if _JOIN_RE.fullmatch(text[group[-1].end : w.start]):
            group.append(w)
        else:
            break
    return group


def _owner_sep(text: str, end: int, strict: bool) -> int | None:
    """Where the action starts after a leading owner: after ":" or a dash; on an action line also after a space
    before a lowercase verb ("Kasia checks …", "Nadia schickt …")."""
    m = _COLON_DASH_RE.match(text, end)
    if m:
        return m.end()
    if strict:
        return None
    m = _SPACE_WORD_RE.match(text, end)
    return m.end() if m else None


def _covers(inside: str, offset: int, whos: list[Who]) -> bool:
    """Whether the people fill the parenthesis ("DF + MLC", "me"), separators aside."""
    rest = inside
    for w in sorted(whos, key=lambda w: -w.start):
        a, b = w.start - offset, w.end - offset
        rest = rest[:a] + rest[b:]
    return not _JOINERS_RE.sub("", rest)


# The sync-setup actions as actions._action_clause words them.
_SYNC_SETUP_RE = re.compile(r"(?:set up the recurring field sync|send the field sync invite)\b")


def apply_overrides(readings: list[tuple[ActionItem, int, int]]) -> list[ActionItem]:
    """Later parts override earlier ones: an action of a later part (a mail reply, an inline correction) replaces an
    earlier action of the same owner about the same thing (first content word), and setting up the field sync
    whoever owns it (one sync, one sender). Source: corpus README."""
    keep: list[ActionItem | None] = []
    # (owner, topic) -> (the latest part seen, the indices in keep of that part's items): linear in the items
    latest: dict[tuple[str | None, str], tuple[int, list[int]]] = {}
    for item, part, _no in readings:
        key = (item.owner, _topic(item.action) or "")
        if _SYNC_SETUP_RE.match(item.action):  # whoever sends the sync invite last is who sends it (a reply takes
            key = (None, "<field sync>")  # it over: "let me send it from my calendar"), whoever said it before
        if not key[1]:
            keep.append(item)
            continue
        seen = latest.get(key)
        if seen is not None and seen[0] > part:
            keep.append(None)  # a later part already says this: the older text is overridden
            continue
        if seen is not None and seen[0] < part:
            for k in seen[1]:
                keep[k] = None
            seen = None
        if seen is None:
            latest[key] = (part, [len(keep)])
        else:
            seen[1].append(len(keep))
        keep.append(item)
    return [item for item in keep if item is not None]


def drop_repeats(items: list[ActionItem], action_lines: set[int]) -> list[ActionItem]:
    """An action said in passing ("Licenses: … Jim to confirm") and again in the notes' action list ("Jim to confirm
    the E3 count") is one action: the passing one goes when the same owner's listed action holds all its words."""
    # owner -> stem -> that owner's listed actions' stem sets holding it: a set holding all of an action's stems is
    # under each of them, so only the shortest of those lists is compared (comparing every listed action of the
    # owner with every passing one was quadratic on long notes)
    listed: dict[str | None, dict[str, list[set[str]]]] = {}
    owners_listed: set[str | None] = set()
    for item in items:
        if item.sources and item.sources[0].lines and item.sources[0].lines[0] in action_lines:
            stems = _stems(item.action)
            owners_listed.add(item.owner)
            by_stem = listed.setdefault(item.owner, {})
            for stem in stems:
                by_stem.setdefault(stem, []).append(stems)
    out = []
    for item in items:
        in_list = bool(item.sources and item.sources[0].lines and item.sources[0].lines[0] in action_lines)
        if not in_list and item.owner in owners_listed:
            words = _stems(item.action)
            if not words:
                continue  # the empty set is within any listed action of the owner
            by_stem = listed[item.owner]
            candidates = min((by_stem.get(w, ()) for w in words), key=len)
            if any(words <= other for other in candidates):
                continue
        out.append(item)
    return out


def _stems(action: str) -> set[str]:
    return {w[:4] for w in _LETTERS_RE.findall(action.lower()) if w not in _STOP and len(w) > 2}


_STOP = frozenset({"send", "the", "a", "an", "to", "get", "set", "up", "do", "it", "out", "still", "will", "my", "our"})


def _topic(action: str) -> str | None:
    words = [w for w in _LETTERS_RE.findall(action.lower()) if w not in _STOP and len(w) > 2]
    return words[0] if words else None


# Every _MAKE_IT_RE match holds one of these (any case): a line whose lowercase text holds none, and no character
# that IGNORECASE reads as an ASCII letter without lower() making it one ("ſ", "ı"), has no match.
_MOVE_WORDS = ("make it", "move", "push", "change")
_MOVE_SET = frozenset(_MOVE_WORDS)
_CUE_FINDER = Substrings(_VERB_CUES + _MOVE_WORDS)  # cue_lines (no move word is a verb cue)


def _may_move(line: Line) -> bool:
    lowered = line.lower()
    return any(map(lowered.__contains__, _MOVE_WORDS)) or lx.has_case_fold_trap(line.text)


def correction_due(line: Line, reader: OwnerReader, moves: bool | None = None) -> tuple[date | None, str | None] | None:
    """An inline correction that only moves a date ("[CO] I'm out Friday – make it 12/7."): the new due, or None.
    moves: whether the line's lowercase text holds a move word (cue_lines), None to test here."""
    # _CORRECTION_RE needs a "["
    corrects = "[" in line.text and _CORRECTION_RE.match(line.text)
    may_move = _may_move(line) if moves is None else moves or lx.has_case_fold_trap(line.text)
    if not (corrects or (may_move and _MAKE_IT_RE.search(line.text))):
        return None
    m = _MAKE_IT_RE.search(line.text)
    text = line.text[m.end() :] if m else line.text
    due = read_due(text, line.ref_date or reader.call_date, day_first=reader.day_first)
    return (due.value, due.words) if due.words else None
