"""One engagement and its facts, with what several drafts share worked out once: owners resolved, the FM's
own actions marked, open items the facts answer dropped, intents in plain words, and each topic's facts as
clean statements. render_drafts renders every draft from one Call, so long notes are read once."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import Any

from .. import lexicon as lx
from ..schemas import ActionItem, CallFacts, Engagement, Fact, Person
from .core import Addressees, Roster, base_context, due, first_name, one_line, team_addressees
from .sync import rhythm_context
from .text import (
    Ledger,
    expand,
    heading_only,
    is_none_answer,
    question,
    sentence_case,
    sentences,
    statement,
    status_prefix,
    strip_markup,
    without_label,
    words_key,
)

OUT_OF_SCOPE = re.compile(
    r"\s*[-–—,;(]*\s*(?:it's |it is |that's |which is )?(?:out of|outside(?: of)?) (?:the )?(?:fasttrack|ft)?\s*"
    r"(?:'s )?scope\b\)?",
    re.IGNORECASE,
)
_ROUTE = re.compile(r"\broute\b|\brouting\b", re.IGNORECASE)
# An ask the notes put aside for now ("Parked.", "telehealth in teams, not now"): nothing for FastTrack to chase.
PARKED = re.compile(r"\bparked\b|\bnot now\b|\bnot for now\b|\blater, not now\b|\bon hold\b", re.IGNORECASE)
_PARK_WORDS = ("parked", "not now", "not for now", "on hold")  # every PARKED match holds one


def parked_in(text: str, lowered: str) -> bool:
    """The text puts an ask aside (PARKED); `lowered` is text.lower()."""
    return lx.may_contain(lowered, *_PARK_WORDS) and bool(PARKED.search(text))


# "Out of FT scope" said in the ask's own note line, after the ask ("Customer asked about Teams Phone. Out of FT
# scope, and moot until the network is fixed. Parked."); the reader's scope cue may miss the "FT" between.
SCOPE_IN_LINE = re.compile(
    r"\b(?:out of|outside(?: of)?|not in)\s+(?:the\s+)?(?:fasttrack|ft)?(?:'s)?\s*scope\b|\bnot (?:a )?fasttrack\b",
    re.IGNORECASE,
)
# "Yuki asked for…", "Sofia asked if…": an ask a field member raised, not the customer.
_ASKER = re.compile(r"^([A-Z][\w'’-]+)(?: [A-Z][\w'’-]+)?\s+(?:asked|wants|would like|requested|raised)\b")
# The FM's own FTOP bookkeeping in an action ("FTOP note and send the guide"): the field never sees FTOP (domain.md,
# "Privacy"), so the follow-up keeps only the rest of the action.
FTOP_TASK = re.compile(
    r"^(?:update |write |do |add )?(?:the |an? |my )?FTOP(?: note| entry)?(?: with [^,;]*)?"
    r"\s*(?:[,;]\s*)?(?:and\s+|then\s+)?",
    re.IGNORECASE,
)
# A note line that answers agenda item f or g even when the reader filed it elsewhere: "compete - none known",
# "No competitors beyond Zimbra itself", "Migration source: n/a", "mail is on Zimbra today", "moving off sp2016"
# (review item 11: an open item never asks what the notes answer).
COMPETE_NOTED = re.compile(r"\b(?:compete|competition|competitors?)\b\s*(?:[:=–—-]|beyond|in play)", re.IGNORECASE)
SOURCE_NOTED = re.compile(
    r"\bmigration source\s*[:=–—-]|\b(?:on|off|from)\s+(?:zimbra|gmail|google workspace|lotus notes|groupwise|"
    r"exchange 20\d\d|sp ?20\d\d|sharepoint 20\d\d|box|dropbox)\b",
    re.IGNORECASE,
)
_ROLE_WORDS = {"ATS", "TAM", "AE", "CSM", "TSP", "SSP", "ADE", "FTA"}
_NOT_STATED = re.compile(r"\bnot (?:stated|discussed|covered|mentioned)\b", re.IGNORECASE)
_INTRO = re.compile(r"\bintro", re.IGNORECASE)
# The FM's own "send the recap" actions are done by sending the follow-up itself (targets: FTOP, not the email).
_RECAP = re.compile(
    r"\b(recap|summary|follow[- ]?up (?:e-?mail|mail|note)|minutes|notes? to the team)\b", re.IGNORECASE
)
_LEADING_OWNER = re.compile(r"^(?:AI\s+)?([A-Z][\w'’-]*|me|I)\s*(?:\s(?:to|will)\s|:\s|\s[–-]\s)\s*(?=\w)")
_TRAILING_OWNER = re.compile(r"\s*(?:\(([A-Z][\w'’-]*)\)|\s[–-]\s([A-Z][\w'’-]*))$")
_FM_WORD = re.compile(r"\b(?:the )?FM\b")
# "(ask Lena)", "(Kasia to check)", "(Keisha checking)": who answers an open item, in the note's own words
ASK_OWNER = re.compile(
    r"\(\s*(?:ask ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)|([A-Z][\w'’-]+) (?:to check|to confirm|checking|will check))\s*\)"
    r"|\s([A-Z][\w'’-]+) (?:to check|to confirm|is checking|will check)\.?$"
)

_ASK_OWNER_TAILS = (" to check", " to confirm", " is checking", " will check")


def ask_owner(text: str) -> re.Match[str] | None:
    """ASK_OWNER's search, skipped when neither form can match: the bracketed form needs a '(' and 'ask ',
    'check' or 'confirm'; the other ends the text (but a '.' and a newline) with one of its four verbs. The
    regex tries each space of a long line otherwise."""
    if "(" not in text or ("ask " not in text and "check" not in text and "confirm" not in text):
        body = text[:-1] if text.endswith("\n") else text  # '$' also matches before a final newline
        if not body.removesuffix(".").endswith(_ASK_OWNER_TAILS):
            return None
    return ASK_OWNER.search(text)


# Intent in plain words for the field (issue 10: no FTOP status codes in the follow-up). Keys are the schema's
# L1 statuses and L2 reasons (schemas.py); the words are what an FM would write to the account team.
STATUS_WORDS: dict[str, str] = {
    "In Progress": "under way",
    "Blocked": "blocked",
    "No Intent": "no plans to deploy for now",
    "Status Unknown": "we don't know yet whether they want it",
    "Duplicate/Invalid": "a duplicate of another request",
}
REASON_WORDS: dict[str, str] = {
    "Technical Onboarding and Deployment": "the rollout is under way",
    "Migration": "the migration is under way",
    "Solution or User Adoption": "adoption work is under way",
    "Customer IT Infrastructure and Remediation": "blocked by their IT infrastructure",
    "IT Change Management and Resourcing": "blocked by IT change management and resourcing",
    "Legal/Regulatory": "blocked by legal or regulatory concerns",
    "Security/Privacy": "blocked by security or privacy concerns",
    "Adoption Readiness": "blocked until their users are ready to adopt it",
    "Product Feature/Capability": "blocked by a product gap",
    "Service Reliability": "blocked by service reliability concerns",
    "App Compatibility": "blocked by app compatibility",
    "Partner Engagement": "blocked on the partner engagement",
    "Billing, Licensing and Subscription": "blocked by licensing",
    "Using Competitive Solution": "no plans for now: they use a competing product",
    "Using Microsoft On-Premises Solution": "no plans for now: they stay on the on-premises product",
    "Executive Sponsorship": "no plans for now: nobody sponsors it",
    "Customer Unresponsive": "we don't know yet: the customer hasn't responded",
    "New Subscription or Workload": "we don't know yet: it's a new subscription",
}

# Summary topics: (agenda key, title in the follow-up, facts field). Claimed in this order (the most specific
# heading first, the reader's catch-all "environment" last), rendered in agenda order.
TOPICS: tuple[tuple[str, str, str], ...] = (
    ("a", "FastTrack process", "fasttrack_process"),
    ("d", "Environment", "environment"),
    ("e", "Licensing", "licenses"),
    ("f", "Competing products", "compete"),
    ("g", "Migration source", "migration_source"),
    ("h", "Partner", "partner"),
    ("i", "Additional tenants", "additional_tenants"),
    ("k", "Political changes", "political_changes"),
    ("l", "Timeline", "timeline"),
    ("r", "Risks and current issues", "risks"),
)
CLAIM_ORDER = ("e", "f", "g", "h", "i", "k", "r", "l", "a", "d")
NONE_NAMES = {
    "e": "licensing",
    "f": "competing products",
    "g": "migration source",
    "h": "partner",
    "i": "additional tenants",
    "k": "political changes",
}


class Call:
    """The facts of one call, prepared once for every draft."""

    def __init__(self, engagement: Engagement, facts: CallFacts) -> None:
        self.engagement = engagement
        self.facts = facts
        self.roster = Roster.of(engagement)
        if not self.roster.fm_name and (named := fm_from_notes(facts)):
            # The notes name the FM ("Bianca Lowenthal, FM"): the drafts sign with that name, as the FTOP does.
            fm = engagement.fm or Person(role="FM")
            self.roster = Roster(self.roster.team, self.roster.fta, fm.model_copy(update={"name": named}))
        self.typed_topics: set[str] = set()  # agenda items the FM typed: the summary keeps them first

    @cached_property
    def base(self) -> dict[str, Any]:
        return base_context(self.engagement, self.roster)

    @cached_property
    def team(self) -> Addressees:
        """The account team as an email's audience (To: ATS and TAM; Cc: the rest and the FTA)."""
        return team_addressees(self.roster)

    # ------------------------------------------------------------ actions and open items

    @cached_property
    def actions(self) -> list[dict[str, Any]]:
        """Next steps, each once: owner (display name, None unknown), mine (the FM's), the action as prose."""
        roster = self.roster
        out: list[dict[str, Any]] = []
        by_text: dict[str, int] = {}
        for a in self.facts.action_items:
            text = action_text(arrows(a.action, [src.text for src in a.sources]))
            if not text:
                continue
            owner_name, owner_role = a.owner, a.owner_role
            if not owner_name and not owner_role and (m := _LEADING_OWNER.match(text)):
                # "FM to recap email", "Callum to check…": the reader left the owner in the text
                who = m.group(1)
                if roster.is_fm(who) or who.lower() in ("me", "i"):
                    owner_role, text = "FM", text[m.end() :]
                elif roster.find(who):
                    owner_name, text = who, text[m.end() :]
            trailing = ")" in text or "-" in text or "–" in text  # each form ends in ')' or follows a dash
            if not owner_name and not owner_role and trailing and (m := _TRAILING_OWNER.search(text)):
                who = m.group(1) or m.group(2)
                if roster.find(who):
                    owner_name, text = who, text[: m.start()]
            mine = roster.is_fm(owner_name, owner_role)
            owner = None if mine else roster.resolve(owner_name, owner_role)
            if "FM" in text:  # "add FM to the sync": the FM writes "add me" (the regex is case-sensitive)
                text = _FM_WORD.sub("me", text)
            key = words_key(text)
            item = {
                "owner": owner,
                "mine": mine,
                "action": text,
                "recap": mine and bool(_RECAP.search(text)),
                **due(a.due, a.due_text),
            }
            if key in by_text:
                kept = out[by_text[key]]
                if (owner, mine) == (kept["owner"], kept["mine"]) or not (owner or mine):
                    continue  # a repeat, or the same step without the owner another line gives
                if not (kept["owner"] or kept["mine"]):
                    out[by_text[key]] = item  # the same step, now with its owner
                    continue
                # two owners for one step ("Mateo and Ilse"): both kept
            by_text.setdefault(key, len(out))
            out.append(item)
        return out

    @cached_property
    def answered(self) -> set[str]:
        """Agenda items the facts answer ("n/a" and "none" included), so their template open items go."""
        f = self.facts
        keys = {key for key, _, name in TOPICS if getattr(f, name)}
        if all(lx.process_walkthrough_pending(x.text) for x in f.fasttrack_process):
            keys.discard("a")  # a walkthrough still planned ("next time") is no walkthrough that happened
        if f.intents:
            keys.add("c")
        if f.asks:
            keys.add("m")
        if f.sync_rhythm is not None:
            keys.add("n")
        if self.engagement.customer_contacts:
            keys.add("j")
        keys |= {a.item for a in f.agenda if a.answered and one_line(a.answer)}
        # the note lines are gathered only when a topic is still open (every fact's sources: long notes hold many)
        if "f" not in keys and any(COMPETE_NOTED.search(t) for t in self.note_lines):
            keys.add("f")
        if "g" not in keys and any(SOURCE_NOTED.search(t) for t in self.note_lines):
            keys.add("g")
        return keys

    @cached_property
    def note_lines(self) -> list[str]:
        """Every distinct note line a fact cites, in order: what the notes say, whatever heading the reader chose."""
        f = self.facts
        groups: list[list[Any]] = [
            f.action_items, f.open_items, f.asks, f.intents, f.fasttrack_process, f.environment, f.licenses,
            f.compete, f.migration_source, f.partner, f.additional_tenants, f.political_changes, f.timeline, f.risks,
        ]  # fmt: skip
        seen: dict[str, None] = {}
        for group in groups:
            for item in group:
                for src in item.sources:
                    if src.text:
                        seen.setdefault(src.text, None)
        return list(seen)

    @cached_property
    def open_items(self) -> list[dict[str, Any]]:
        """Questions still open, each once: never one the facts answer; `owner` says who should answer."""
        roster = self.roster
        out: list[dict[str, Any]] = []
        ledger = Ledger()
        for a in self.actions:  # an open question someone took on is a next step, said there
            ledger.claim(a["action"])
        for i in self.intents:  # a workload's situation is said in its intent line
            for sentence in sentences(i["note"]):
                ledger.claim(sentence)
        for o in self.facts.open_items:
            if o.agenda_item and o.agenda_item in self.answered:
                continue
            raw = arrows(one_line(o.text), [src.text for src in o.sources])
            owner_name = o.owner
            if not owner_name and (m := ask_owner(raw)):
                owner_name = m.group(1) or m.group(2) or m.group(3)
                raw = ASK_OWNER.sub("", raw)
            text = question(raw)
            text += ")" * (text.count("(") - text.count(")"))  # "(Kate thinks yes (granitemillsca)" closed
            if len(words_key(text).split()) < 4 and o.sources:
                text = with_context(text, o.sources[0].text)
            parts = sentences(text)
            if len(parts) > 1:  # only what is not said already (an intent line, a step)
                text = " ".join(p for p in parts if not ledger.seen(p))
            if not text or not ledger.claim(text):
                continue
            if not owner_name:  # "(Kenji checking)" on the cited line, or a teammate's step on the same subject
                line = " ".join(src.text for src in o.sources)
                m = ask_owner(line)
                owner_name = (m.group(1) or m.group(2) or m.group(3)) if m else None
                if not owner_name and o.sources:  # a template item's subject is too broad to tie to a step
                    owner_name = self.answerer(text)
            mine = roster.is_fm(owner_name)
            out.append(
                {
                    "text": text,
                    "owner": None if mine else roster.resolve(owner_name),
                    "mine": mine,
                    "template": o.agenda_item is not None and not o.sources,
                    "agenda_item": o.agenda_item,
                }
            )
        return out

    def answerer(self, question_text: str) -> str | None:
        """The teammate whose next step is about the open question's subject ("Other tenants: JP HQ tenant vs US
        tenant?" and "Kenji: confirm the tenant setup with HQ" → Kenji), None when no step shares a subject
        word with it (review item 11: "Who can answer this?" only when the notes name nobody)."""
        words = _subject_words(question_text)
        if not words:
            return None
        return next((str(owner) for owner, subject in self.answering_steps if words & subject), None)

    @cached_property
    def answering_steps(self) -> list[tuple[str, set[str]]]:
        """(owner, subject words) of each teammate's step that finds something out, in step order: read once for
        all the open questions (answerer)."""
        return [
            (a["owner"], _subject_words(a["action"]))
            for a in self.actions
            if a["owner"] and not a["mine"] and _FINDS_OUT.search(a["action"])  # answers something, not routes
        ]

    @cached_property
    def asks(self) -> list[dict[str, Any]]:
        resolve = self.roster.resolve
        out = []
        ledger = Ledger()
        for a in self.facts.asks:
            raw = arrows(one_line(a.text), [src.text for src in a.sources])
            line = " ".join(one_line(src.text) for src in a.sources)  # the ask's note line says more than the ask
            # each regex runs only on a text holding a word all its matches hold (lexicon.may_contain)
            lowered, line_lowered = raw.lower(), line.lower()
            scoped = lx.may_contain(lowered, "scope") and OUT_OF_SCOPE.search(raw)
            in_scope = (
                a.in_scope
                and not scoped
                and not (lx.may_contain(line_lowered, "scope", "fasttrack") and SCOPE_IN_LINE.search(line))
            )
            parked = parked_in(raw, lowered) or parked_in(line, line_lowered)
            if scoped:
                raw = OUT_OF_SCOPE.sub("", raw)
            if parked_in(raw, raw.lower()):  # read again: taking the scope words out can leave "not now"
                raw = PARKED.sub("", raw)
            raw = raw.strip(" ,;:-–—")
            text = statement(raw).rstrip(".") or question(raw).rstrip(".")
            if text and not heading_only(text) and ledger.claim(text):
                routed = resolve(a.routed_to)
                if routed is None and not in_scope:  # "Ravi to route it to the Copilot Studio specialists"
                    routed = next((s["owner"] for s in self.actions if s["owner"] and _ROUTE.search(s["action"])), None)
                asker = _ASKER.match(text)
                person = self.roster.find(asker.group(1)) if asker else None
                from_field = bool(person and person.role in _ROLE_WORDS and not self.roster.is_fm(person.name))
                out.append(
                    {
                        "text": text,
                        "in_scope": in_scope,
                        "parked": parked and in_scope,  # out of scope says more than parked
                        "routed_to": routed,
                        "ats": self.ats_name,
                        "from_field": from_field,
                    }
                )
        return out

    @cached_property
    def ask_routers(self) -> set[str]:
        """Who routes an out-of-scope ask, as the "Customer asks" line names them (routing_step)."""
        return {a["routed_to"] for a in self.asks if not a["in_scope"] and a["routed_to"]}

    @cached_property
    def ats_name(self) -> str | None:
        """The ATS's name, who routes an out-of-scope ask when the notes name no one (domain.md: the field passes
        on customer asks FastTrack does not cover); None when the roster has no named ATS."""
        for p in self.roster.by_role("ATS"):
            if one_line(p.name):
                return first_name(one_line(p.name))
        return None

    @cached_property
    def intro_actions(self) -> list[ActionItem]:
        """The action items about introducing FastTrack to the customer, in order."""
        return [a for a in self.facts.action_items if _INTRO.search(a.action)]

    # ------------------------------------------------------------ intents and topics

    @cached_property
    def intents(self) -> list[dict[str, Any]]:
        """One per workload (a later intent for the same workload overrides an earlier one), note as prose."""
        by_workload: dict[str, dict[str, Any]] = {}
        latest: dict[str, Any] = {}
        for i in self.facts.intents:
            if one_line(i.workload):
                latest[one_line(i.workload).casefold()] = i
        ledger = Ledger()
        for i in latest.values():
            workload = one_line(i.workload)
            words = REASON_WORDS.get(i.reason or "", "") or STATUS_WORDS.get(i.status, "")
            said = arrows(one_line(i.note), [src.text for src in i.sources])
            note = " ".join(s for s in sentences(statement(said, workload)) if ledger.claim(s))
            by_workload[workload.casefold()] = {
                "undiscussed": i.status == "Status Unknown" and not i.reason and bool(_NOT_STATED.search(i.note)),
                "workload": workload,
                "status": i.status,
                "reason": i.reason,
                "plain": words,
                "note": note,
                # FTOP keeps the note's own status words ("No intent: …") so the note states its status
                "ftop_note": (status_prefix(i.note) + note).strip(),
            }
        return list(by_workload.values())

    @cached_property
    def said(self) -> Ledger:
        """What a draft's own sections say before its topic lines: the intents' notes, the next steps and the open
        items, claimed in that order. Claimed once for the follow-up's summary and the FTOP entry, which both
        start from it (copy it: each goes on apart)."""
        ledger = Ledger()
        for i in self.intents:
            ledger.claim(i["note"])
        for a in self.actions:
            ledger.claim(a["action"])
        for o in self.open_items:
            ledger.claim(o["text"])
        return ledger

    @cached_property
    def topic_statements(self) -> dict[str, list[str]]:
        """Each summary topic's facts as clean statements, each fact under one heading only, actions and
        questions left to the next steps and open items. 'none' answers are listed under key '-'."""
        f = self.facts
        ledger = self.said.copy()
        for ask in self.asks:
            ledger.claim(ask["text"])
        titles = {key: (title, name) for key, title, name in TOPICS}
        out: dict[str, list[str]] = {}
        moved: dict[str, list[str]] = {}  # sentences whose own label names another topic, filed under it
        nones: list[str] = []
        answers = {a.item: a for a in f.agenda if a.answered and one_line(a.answer)}
        for key in CLAIM_ORDER:
            title, name = titles[key]
            facts = list(getattr(f, name))
            answer = answers.get(key)
            # What the FM typed in the agenda form replaces what extraction found for that topic; an extracted
            # agenda answer fills in only when there are no facts for the topic.
            if answer and (not facts or any(src.origin == "agenda" for src in answer.sources)):
                facts = [Fact(text=one_line(answer.answer), sources=answer.sources)]
                if any(src.origin == "agenda" for src in answer.sources):
                    self.typed_topics.add(key)
            if facts and all(is_none_answer(x.text) for x in facts):
                if key in NONE_NAMES:
                    nones.append(key)
                continue
            lines: list[str] = []
            for x in facts:
                if is_none_answer(x.text):
                    continue
                text = closed_brackets(one_line(x.text), x.sources[0].text if x.sources else "")
                text = arrows(text, [src.text for src in x.sources])
                for whole in _split(statement(text, title)):
                    for target, sentence in refiled(key, whole):
                        if sentence and ledger.claim(sentence):
                            (lines if target == key else moved.setdefault(target, [])).append(sentence)
            if lines:
                out[key] = lines
        for key, lines in moved.items():
            out[key] = out.get(key, []) + lines
        if nones:
            out["-"] = [NONE_NAMES[k] for k in sorted(nones)]
        return out

    @cached_property
    def contacts(self) -> list[str]:
        """The customer contacts FastTrack will work with: 'Dana Whitfield (CIO)'."""
        out = []
        for p in self.engagement.customer_contacts:
            name, title = one_line(p.name), one_line(p.title)
            if name:
                out.append(f"{name} ({title})" if title else name)
        return out

    @cached_property
    def rhythm(self) -> dict[str, Any]:
        return rhythm_context(self.facts, self.roster, self.actions)


# A sentence that opens with a topic's label ("Political: the CIO now reports to the CFO", "Timeline: …"): it
# belongs under that topic, whichever fact it came with (review item 14). Keys: the four-letter start of the label.
_LABEL_WORDS = (
    r"(Political(?: changes)?|Politics|Timelines?|Risks?|Compete|Competition|Competitors?|Licen[cs](?:es|ing)|"
    r"Partners?|Environment|(?:Other |Additional )?tenants?|Migration(?: source)?)\s*(?::|\s[–—-])\s+(?=\S)"
)
_TOPIC_LABEL = re.compile("^" + _LABEL_WORDS, re.IGNORECASE)
# "… reports to the CFO. Timeline: …": a label after a full stop the sentence splitter kept (after a capital)
EMBEDDED_LABEL = re.compile(r"(?<=[.;])\s+(?=" + _LABEL_WORDS.replace("(", "(?:", 1) + ")", re.IGNORECASE)
_COMPETE_OPENING = re.compile(r"^(?:no |the )?(?:competitors?|competing products?|compete)\b", re.IGNORECASE)
_LABEL_TOPIC = {
    "poli": "k", "time": "l", "risk": "r", "comp": "f", "lice": "e", "part": "h", "envi": "d", "tena": "i",
    "othe": "i", "addi": "i", "migr": "g",
}  # fmt: skip


_FINDS_OUT = re.compile(r"\b(?:check|confirm|find out|ask|get|verify|clarify|look into|pull|share)\b", re.IGNORECASE)
# Words too common in open items and steps to tie one to the other.
_COMMON = frozenset(
    (  # noqa: SIM905
        "confirm check whether their there customer about which where would could should other thinks think might "
        "maybe sure know known still team account fasttrack answer question open items licenses licences partner "
        "ready engaged owns side "
        # workloads: every question and step of an engagement names them, so they tie nothing to anything
        "teams exchange online sharepoint onedrive intune copilot defender windows purview viva entra office apps"
    ).split()
)


_SUBJECT_WORD = re.compile(r"[a-z][a-z'’]+")


def _subject_words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _SUBJECT_WORD.findall(text.lower()) if len(w) >= 5 and w not in _COMMON}


def refiled(key: str, sentence: str) -> list[tuple[str, str]]:
    """(topic key, sentence) pairs for a summary sentence: a part that opens with a topic's label goes under that
    topic, without the label ("Licensing" fact "Political: the CIO …" → [("k", "The CIO …")])."""
    out = []
    # a label after a '.' or ';' needs text after that mark: without one the split would give the sentence alone
    embedded = "." in sentence[:-1] or ";" in sentence[:-1]
    for part in EMBEDDED_LABEL.split(sentence) if embedded else [sentence]:
        m = _TOPIC_LABEL.match(part) if part else None
        if part and not m and key != "f" and _COMPETE_OPENING.match(part):
            out.append(("f", part))  # "No competitors beyond Zimbra itself" in a licensing fact
        elif part and not m:
            out.append((key, part))
        elif m:
            out.append((_LABEL_TOPIC.get(m.group(1).lower()[:4], key), sentence_case(part[m.end() :])))
    return out


# The word before and after an arrow. Possessive, and only from a word's start: a word followed by no arrow is
# left at once (the plain form backtracked through every shorter end of every word); the same pairs are found, as
# a pair's first word is always a whole word (tests/test_drafts_exactness.py).
ARROW_PAIR = re.compile(r"(?<![\w'’])([\w'’]++)\s*+(?:->|=>|→)\s*+([\w'’]+)")


def arrows(text: str, sources: list[str]) -> str:
    """The note's arrows back where the reader turned them into a dash: "IT freeze until march - everything on
    hold" from "… march -> everything on hold" reads "march → everything on hold" (review item 15; "→" is how an
    FM writes a sequence, the shorthand file's own expansion of "->")."""
    if " - " not in text or not any("->" in s or "=>" in s or "→" in s for s in sources):
        return text
    for source in sources:
        if "->" not in source and "=>" not in source and "→" not in source:
            continue  # no arrow, no pair
        for a, b in ARROW_PAIR.findall(source):
            text = re.sub(rf"\b({re.escape(a)})\s+[-–]\s+({re.escape(b)})\b", r"\1 → \2", text, flags=re.IGNORECASE)
    return text


def closed_brackets(text: str, source: str) -> str:
    """A fact the reader cut inside a bracket ("Zoom for telehealth (clinical.") completed from its note line
    ("… (clinical, staying)"), or without the open bracket when the line does not have it."""
    if text.count("(") <= text.count(")"):
        return text
    head = text.rstrip(" .")
    at = source.lower().find(head.lower())
    if at >= 0 and (end := source.find(")", at + len(head))) >= 0:
        return source[at : end + 1]
    return head.rsplit("(", 1)[0].rstrip(" ,;") + "."


def fm_from_notes(facts: CallFacts) -> str:
    """The FM's name when the notes name exactly one FM among the attendees ("Bianca Lowenthal, FM"), else ''.
    Used only when no FM name is set (FTDRAFT_FM_NAME, the context file or the app's sidebar): the drafts then sign
    with the name the FTOP participants already show (review item 16)."""
    names = {one_line(a.name) for a in facts.attendees if a.role == "FM" and one_line(a.name)}
    names = {n for n in names if n.casefold() not in ("fm", "me", "i")}
    return names.pop() if len(names) == 1 else ""


def with_context(text: str, source: str) -> str:
    """A terse question ("FastTrack Ready Partner?") with the statement before it on its note line:
    "Quillon Systems is doing the mailbox moves: FastTrack Ready Partner?"."""
    before = strip_markup(source).split("?")[0]
    parts = [s for s in sentences(before) if "?" not in s]
    if len(parts) < 2:
        before = before.rsplit("(", 1)[0] if before.count("(") > before.count(")") else ""
        parts = [before, ""] if before.strip() else []
    if len(parts) < 2:
        return text
    context = statement(without_label(parts[-2].strip())).rstrip(".")
    if not context or words_key(context) in words_key(text):
        return text  # the question already says it ("E5: how many?")
    return f"{context}: {text}"


def _split(text: str) -> list[str]:
    return sentences(text) if text else []


_PAREN_DOUBT = re.compile(r"\s*\([^()]*\?[^()]*\)")
_BARE_DOUBT = re.compile(r"\s+\?+(?=\s|$)")


@lru_cache(maxsize=8192)
def action_text(text: str) -> str:
    """An action as prose: no bullet or markup, shorthand expanded, no parenthetical question, no full stop."""
    body = strip_markup(one_line(text))
    body = _PAREN_DOUBT.sub("", body)
    body = _BARE_DOUBT.sub("", body)  # "(Sunita Rao-Kellerman) ?": the note's doubt, no question
    return expand(body).strip(" .;,-–")
