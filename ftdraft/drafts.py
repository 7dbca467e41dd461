"""Writes every Initiate-phase draft from (engagement, facts) with the offline templates in prompts/offline/.

Pure and deterministic: the same inputs give the same drafts. Python picks, sorts and resolves the data
(recipients, owners, dates, what a field-facing email may carry); the wording lives in the templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import cached_property
from typing import Any, TypeGuard

from .agenda import agenda_for
from .gc_pause import gc_paused
from .schemas import (
    DRAFT_NAMES,
    MANDATORY_ROLES,
    OPTIONAL_ROLES,
    ActionItem,
    Audience,
    CalendarInvite,
    CallFacts,
    ChecklistItem,
    Drafts,
    Email,
    Engagement,
    FtopEntry,
    InternalInvite,
    IntroRequest,
    NextAction,
    Person,
    PrepChecklist,
    Recipient,
    ServiceIntentNote,
    SyncRhythm,
    SyncRhythmDraft,
)
from .templating import render, render_lines

_WS = re.compile(r"\s+")
# A figure that looks like it came from a usage report: a percentage, or a number next to a usage word.
# Field-facing emails leave such lines out (domain.md, "Privacy"); the FTOP entry keeps them.
_PERCENT = re.compile(r"\d\s*%|\bper ?cent\b", re.IGNORECASE)
_USAGE_WORD = re.compile(
    r"\b(usage|used by \d|active users?|MAU|DAU|monthly active|daily active|utili[sz]ation|enabled users?|"
    r"adoption rate|usage report)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_INTRO = re.compile(r"\bintro", re.IGNORECASE)

CADENCE_WORDS = {"weekly": "weekly", "biweekly": "bi-weekly", "monthly": "monthly"}
WEEKDAY_WORDS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday"}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


# ---------------------------------------------------------------- small pure helpers


def one_line(text: str | None) -> str:
    """User-provided text for a subject, title or list item: CR/LF and runs of whitespace become one space."""
    if not text:
        return ""
    if text.isprintable() and "  " not in text:  # fast path: no line breaks, tabs or odd spaces to fold
        return text.strip()
    return _WS.sub(" ", text).strip()


def field_safe(text: str) -> bool:
    """False when a line may carry a usage-report figure, which must never reach the field."""
    # _PERCENT needs a '%' or the letters 'cent' (no other character matches them case-insensitively), and
    # the check for those is far cheaper than the case-insensitive regex on long notes.
    percent = ("%" in text or "cent" in text.lower()) and _PERCENT.search(text)
    if not _DIGIT.search(text):
        return not percent
    return not (percent or _USAGE_WORD.search(text))


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def person_label(person: Person) -> str:
    """A person as drafts name them: by name, else by role flagged as unknown ('the TAM (name unknown)')."""
    if person.name:
        return one_line(person.name)
    if person.role in ("other", "customer"):
        return "a contact (name unknown)"
    return f"the {person.role} (name unknown)"


def role_label(role: str) -> str:
    return f"the {role} (name unknown)"


def build_rrule(rhythm: SyncRhythm | None) -> str:
    """An RFC 5545 RRULE from cadence / weekday / week of month; bi-weekly when the cadence is unknown.

    A monthly sync with an unknown week keeps no BYDAY rather than guess the week (the email asks).
    """
    cadence = (rhythm.cadence if rhythm else None) or "biweekly"
    weekday = rhythm.weekday if rhythm else None
    week = rhythm.week_of_month if rhythm else None
    if cadence == "monthly":
        if weekday and week in ORDINALS:
            return f"FREQ=MONTHLY;BYDAY={week}{weekday}"
        return "FREQ=MONTHLY"
    parts = ["FREQ=WEEKLY"]
    if cadence == "biweekly":
        parts.append("INTERVAL=2")
    if weekday:
        parts.append(f"BYDAY={weekday}")
    return ";".join(parts)


def describe_rhythm(rhythm: SyncRhythm | None) -> dict[str, Any]:
    """The words for a cadence, for the templates: 'monthly', 'on the first Tuesday of the month'."""
    cadence = rhythm.cadence if rhythm else None
    weekday = rhythm.weekday if rhythm else None
    week = rhythm.week_of_month if rhythm else None
    when = ""
    if weekday and cadence == "monthly" and week in ORDINALS:
        when = f"on the {ORDINALS[week]} {WEEKDAY_WORDS[weekday]} of the month"
    elif weekday and cadence == "monthly":
        when = f"on a {WEEKDAY_WORDS[weekday]} each month"
    elif weekday:
        when = f"on {WEEKDAY_WORDS[weekday]}s"
    return {
        "cadence": CADENCE_WORDS.get(cadence or "", ""),
        "cadence_known": cadence is not None,
        "default_cadence": CADENCE_WORDS["biweekly"],
        "when": when,
        "week_unknown": cadence == "monthly" and weekday is not None and week not in ORDINALS,
    }


# ---------------------------------------------------------------- the roster: who a draft may address


class Roster:
    """The only people drafts may address: the engagement's account team, FTA and FM.

    Indexed once, so resolving thousands of owners in long notes stays linear."""

    def __init__(self, team: tuple[Person, ...], fta: Person | None, fm: Person | None) -> None:
        self.team = team
        self.fta = fta
        self.fm = fm
        self._team_ids = {id(p) for p in team}
        self._by_role: dict[str, list[Person]] = {}
        for p in team:
            self._by_role.setdefault(p.role, []).append(p)
        self._resolved: dict[tuple[str | None, str | None], str | None] = {}
        self._by_full: dict[str, Person] = {}
        self._by_first: dict[str, list[Person]] = {}
        for p in self.everyone():
            if p.name and one_line(p.name):
                full = one_line(p.name)
                self._by_full.setdefault(full.casefold(), p)
                self._by_first.setdefault(first_name(full).casefold(), []).append(p)

    @classmethod
    def of(cls, engagement: Engagement) -> Roster:
        return cls(tuple(engagement.account_team), engagement.fta, engagement.fm)

    @property
    def fm_name(self) -> str:
        return one_line(self.fm.name) if self.fm and self.fm.name else ""

    def by_role(self, role: str) -> list[Person]:
        return list(self._by_role.get(role, ()))

    def in_team(self, person: Person | None) -> TypeGuard[Person]:
        return person is not None and id(person) in self._team_ids

    def everyone(self) -> list[Person]:
        people = list(self.team)
        if self.fta:
            people.append(self.fta)
        if self.fm:
            people.append(self.fm)
        return people

    def find(self, name: str | None) -> Person | None:
        """A roster person by full name, or by first name when exactly one person has it."""
        if not name:
            return None
        key = one_line(name).casefold()
        if key in self._by_full:
            return self._by_full[key]
        matches = self._by_first.get(key, [])
        return matches[0] if len(matches) == 1 else None

    def resolve(self, name: str | None, role: str | None = None) -> str | None:
        """A display name for an owner: the roster's full name when it matches, the name as given otherwise,
        the role flagged as unknown when only the role is known, None when nothing is known.

        Remembered per (name, role): long notes name the same few owners thousands of times."""
        key = (name, role)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(name, role)
        return self._resolved[key]

    def _resolve(self, name: str | None, role: str | None) -> str | None:
        if name and one_line(name).upper() == "FM":
            return self.fm_name or "FM"
        if name:
            person = self.find(name)
            return one_line(person.name) if person and person.name else one_line(name)
        if role == "FM":
            return self.fm_name or "FM"
        if role and role not in ("other", "customer"):
            holders = [p for p in self.by_role(role) if p.name] if role != "FTA" else ([self.fta] if self.fta else [])
            if len(holders) == 1 and holders[0].name:
                return one_line(holders[0].name)
            return role_label(role)
        return None


def recipient(person: Person) -> Recipient:
    role = person.role if person.role != "customer" else "other"
    return Recipient(name=one_line(person.name) or None, email=(person.email or "").strip() or None, role=role)


def account_team_recipients(roster: Roster, *, with_fta: bool = True) -> tuple[list[Recipient], list[Recipient]]:
    """To = the mandatory roles (ATS, TAM), a visible placeholder for each one the roster lacks;
    Cc = every other account-team member (optional roles first, in domain order), then the FTA when aligned."""
    to: list[Recipient] = []
    for role in MANDATORY_ROLES:
        people = roster.by_role(role)
        to.extend(recipient(p) for p in people)
        if not people:
            to.append(Recipient(role=role))
    cc: list[Recipient] = []
    for role in (*OPTIONAL_ROLES, "other"):
        cc.extend(recipient(p) for p in roster.by_role(role))
    if with_fta and roster.fta:
        cc.append(recipient(roster.fta))
    return to, cc


def greeting_names(recipients: Iterable[Recipient]) -> list[str]:
    """First names for 'Hi Priya and Tom,'; empty (so the template says 'Hi all,') when anyone is unnamed or
    the list is long."""
    people = list(recipients)
    if not people or len(people) > 3 or any(not r.name for r in people):
        return []
    return [first_name(r.name or "") for r in people]


# ---------------------------------------------------------------- common template context


def _base(engagement: Engagement, roster: Roster) -> dict[str, Any]:
    customer = one_line(engagement.customer)
    fta = roster.fta
    return {
        "customer": customer,  # "" when unknown: templates then leave it out of subjects
        "customer_name": customer or "the customer",
        "motion": engagement.motion,
        "rfa_id": one_line(engagement.rfa_id) or None,
        "rfa_summary": one_line(engagement.rfa_summary) or None,
        "red_areas": [one_line(a) for a in engagement.health_red_areas if one_line(a)],
        "workloads": [one_line(w) for w in engagement.workloads if one_line(w)],
        "fm_name": roster.fm_name,
        "fta_name": person_label(fta) if fta else None,
        "call_date": engagement.call_date,
    }


def _split_header(text: str, header: str) -> tuple[str, str]:
    """Templates start with '<header>: ...' on the first line, then a blank line, then the body."""
    first, _, rest = text.partition("\n")
    prefix = f"{header}:"
    if not first.startswith(prefix):
        raise ValueError(f"template output must start with '{prefix}'")
    return one_line(first[len(prefix) :]), rest.strip("\n") + "\n"


def _email(template: str, audience: Audience, to: list[Recipient], cc: list[Recipient], **context: Any) -> Email:
    subject, body = _split_header(render(template, **context), "Subject")
    return Email(audience=audience, to=to, cc=cc, subject=subject, body=body)


def _invite_text(template: str, **context: Any) -> tuple[str, str]:
    """An invite's title and description."""
    return _split_header(render(template, **context), "Title")


def _due(due: date | None, due_text: str | None) -> dict[str, Any]:
    return {"due": due, "due_text": one_line(due_text) or None}


# ---------------------------------------------------------------- facts grouped by topic


def _texts(items: Iterable[Any]) -> list[str]:
    return [text for x in items if (text := one_line(x.text))]


def _agenda_answer(facts: CallFacts, key: str) -> tuple[str | None, bool]:
    """The answer to agenda item `key`, and whether the FM typed it in the agenda form."""
    for a in facts.agenda:
        if a.item == key and a.answered and one_line(a.answer):
            typed = any(s.origin == "agenda" for s in a.sources)
            return one_line(a.answer), typed
    return None, False


def _with_agenda(lines: list[str], facts: CallFacts, key: str) -> list[str]:
    """Topic lines: what the FM typed for the agenda item replaces what extraction found (it takes precedence);
    an extracted agenda answer fills in only when there are no facts for the topic."""
    answer, typed = _agenda_answer(facts, key)
    if answer and (typed or not lines):
        return [answer]
    return lines


def _roster_names(people: Iterable[Person]) -> list[str]:
    out = []
    for p in people:
        label = person_label(p)
        out.append(f"{label} ({one_line(p.title)})" if p.title and one_line(p.title) else label)
    return out


class _Call:
    """One engagement and its facts, with what several drafts share worked out once: render_drafts renders
    every draft from one of these, so long notes are resolved and cleaned once rather than once per draft."""

    def __init__(self, engagement: Engagement, facts: CallFacts) -> None:
        self.engagement = engagement
        self.facts = facts
        self.roster = Roster.of(engagement)

    @cached_property
    def base(self) -> dict[str, Any]:
        return _base(self.engagement, self.roster)

    @cached_property
    def topics(self) -> list[tuple[str, list[str]]]:
        """The summary's lines by topic title, before de-duplication (the intents' line included)."""
        facts = self.facts
        intents = [f"{one_line(i.workload)}: {one_line(i.note)}" for i in facts.intents if one_line(i.note)]
        return [
            ("FastTrack process", _with_agenda(_texts(facts.fasttrack_process), facts, "a")),
            ("FastTrack offerings", _with_agenda([], facts, "b")),
            ("Intent by workload", _with_agenda(intents, facts, "c")),
            ("Environment", _with_agenda(_texts(facts.environment), facts, "d")),
            ("Licenses", _with_agenda(_texts(facts.licenses), facts, "e")),
            ("Compete / third-party products", _with_agenda(_texts(facts.compete), facts, "f")),
            ("Migration source", _with_agenda(_texts(facts.migration_source), facts, "g")),
            ("Partner", _with_agenda(_texts(facts.partner), facts, "h")),
            ("Additional tenants", _with_agenda(_texts(facts.additional_tenants), facts, "i")),
            (
                "People FastTrack will work with",
                _with_agenda(_roster_names(self.engagement.customer_contacts), facts, "j"),
            ),
            ("Political changes", _with_agenda(_texts(facts.political_changes), facts, "k")),
            ("Timeline", _with_agenda(_texts(facts.timeline), facts, "l")),
            ("Risks and current issues", _texts(facts.risks)),
        ]

    @cached_property
    def actions(self) -> list[dict[str, Any]]:
        resolve = self.roster.resolve
        return [
            {"owner": resolve(a.owner, a.owner_role), "action": action, **_due(a.due, a.due_text)}
            for a in self.facts.action_items
            if (action := one_line(a.action))
        ]

    @cached_property
    def asks(self) -> list[dict[str, Any]]:
        resolve = self.roster.resolve
        return [
            {"text": _clause(a.text), "in_scope": a.in_scope, "routed_to": resolve(a.routed_to)}
            for a in self.facts.asks
            if one_line(a.text)
        ]

    @cached_property
    def open_items(self) -> list[dict[str, Any]]:
        resolve = self.roster.resolve
        items = []
        for o in self.facts.open_items:
            owner = resolve(o.owner)
            if text := one_line(o.text):
                items.append({"text": text.rstrip(".") if owner else text, "owner": owner})
        return items

    @cached_property
    def intro_actions(self) -> list[ActionItem]:
        """The action items about introducing FastTrack to the customer, in order."""
        return [a for a in self.facts.action_items if _INTRO.search(a.action)]

    @cached_property
    def rhythm(self) -> dict[str, Any]:
        return _rhythm_context(self.facts, self.roster)


def summary_topics(
    engagement: Engagement, facts: CallFacts, *, field_facing: bool, with_intents: bool = True
) -> list[dict[str, Any]]:
    """The call summary by topic, in agenda order. Field-facing: lines that may carry usage-report figures
    are left out. The FTOP entry leaves intents out: they have their own Service Intent notes."""
    return _summary_topics(_Call(engagement, facts), field_facing=field_facing, with_intents=with_intents)


def _summary_topics(call: _Call, *, field_facing: bool, with_intents: bool = True) -> list[dict[str, Any]]:
    # A note line often answers several agenda items ("acquisition, IT freeze until march" is a political
    # change, the timeline and a risk): say it once, under every title it answers.
    out: list[dict[str, Any]] = []
    first_home: dict[str, dict[str, Any]] = {}
    for title, lines in call.topics:
        if title == "Intent by workload" and not with_intents:
            continue
        if field_facing:
            lines = [line for line in lines if field_safe(line)]
        fresh: list[tuple[str, str]] = []
        for line in lines:
            key = one_line(line).lower().rstrip(".")
            home = first_home.get(key)
            if home is None:
                fresh.append((line, key))
            elif title not in home["title"]:
                home["title"] += f" / {title}"
        if fresh:
            topic = {"title": title, "lines": [line for line, _ in fresh]}
            out.append(topic)
            for _, key in fresh:
                first_home.setdefault(key, topic)
    return out


def _clause(text: str | None) -> str:
    """A line that the template continues ('<text> – outside scope'): no full stop before the continuation."""
    return one_line(text).rstrip(".")


def _rhythm_context(facts: CallFacts, roster: Roster) -> dict[str, Any]:
    rhythm = facts.sync_rhythm
    return {
        "kind": rhythm.kind if rhythm else None,
        "owner": roster.resolve(rhythm.owner) if rhythm else None,
        "text": one_line(rhythm.text) if rhythm else "",
        **describe_rhythm(rhythm),
    }


# ---------------------------------------------------------------- the drafts


def render_prep(engagement: Engagement, facts: CallFacts) -> PrepChecklist:
    return _prep(_Call(engagement, facts))


def _prep(call: _Call) -> PrepChecklist:
    roster = call.roster
    text = render(
        "offline/prep.j2",
        **call.base,
        has_csm=bool(roster.by_role("CSM")),
        missing_roles=[r for r in MANDATORY_ROLES if not roster.by_role(r)],
    )
    items = [ChecklistItem(text=line[2:].strip()) for line in text.splitlines() if line.startswith("- ")]
    return PrepChecklist(motion=call.engagement.motion, items=items)


def render_internal_invite(engagement: Engagement, facts: CallFacts) -> InternalInvite:
    return _internal_invite(_Call(engagement, facts))


def _internal_invite(call: _Call) -> InternalInvite:
    roster = call.roster
    to, cc = account_team_recipients(roster)
    agenda = [{"key": item.key, "text": item.invite_text} for item in agenda_for(call.engagement.motion)]
    context = {
        **call.base,
        "greeting_names": greeting_names(to),
        "agenda": agenda,
        "has_csm": bool(roster.by_role("CSM")),
        "missing_roles": [r for r in MANDATORY_ROLES if not roster.by_role(r)],
    }
    email = _email("offline/internal_invite_email.j2", "account_team", to, cc, **context)
    title, description = _invite_text("offline/internal_invite_event.j2", **context)
    invite = CalendarInvite(title=title, required=to, optional=cc, description=description, duration_minutes=30)
    return InternalInvite(email=email, invite=invite)


def _intro_owner(call: _Call) -> Person | None:
    """The account-team member the notes say will introduce FastTrack to the customer, if any."""
    roster = call.roster
    for a in call.intro_actions:
        person = roster.find(a.owner) if a.owner else None
        if person is None and a.owner_role and a.owner_role not in ("FM", "FTA"):
            holders = roster.by_role(a.owner_role)
            person = holders[0] if len(holders) == 1 else None
        if roster.in_team(person):
            return person
    return None


def _intro_due(call: _Call) -> dict[str, Any]:
    for a in call.intro_actions:
        if a.due or a.due_text:
            return _due(a.due, a.due_text)
    return _due(None, None)


def render_intro_request(engagement: Engagement, facts: CallFacts) -> IntroRequest:
    return _intro_request(_Call(engagement, facts))


def _intro_request(call: _Call) -> IntroRequest:
    roster = call.roster
    owner = _intro_owner(call)
    team_to, team_cc = account_team_recipients(roster)
    if owner is not None:
        to = [recipient(owner)]
        cc = [r for r in team_to + team_cc if r != to[0] and (r.name or r.email)]
    else:
        to, cc = team_to, team_cc
    contacts = _roster_names(call.engagement.customer_contacts)
    base = call.base
    blurb = render("offline/customer_blurb.j2", **base).strip()
    email = _email(
        "offline/intro_request_email.j2",
        "account_team",
        to,
        cc,
        **base,
        greeting_names=greeting_names(to),
        contacts=contacts,
        blurb=blurb,
        **_intro_due(call),
    )
    return IntroRequest(email=email, customer_blurb=blurb)


def render_teams_channel(engagement: Engagement, facts: CallFacts) -> Email | None:
    return _teams_channel(_Call(engagement, facts))


def _teams_channel(call: _Call) -> Email | None:
    if call.facts.teams_channel is None:
        return None
    to, cc = account_team_recipients(call.roster)
    return _email(
        "offline/teams_channel_email.j2",
        "account_team",
        to,
        cc,
        **call.base,
        greeting_names=greeting_names(to),
    )


def render_follow_up(engagement: Engagement, facts: CallFacts) -> Email:
    return _follow_up(_Call(engagement, facts))


def _follow_up(call: _Call) -> Email:
    to, cc = account_team_recipients(call.roster)
    return _email(
        "offline/follow_up_email.j2",
        "account_team",
        to,
        cc,
        **call.base,
        greeting_names=greeting_names(to),
        topics=_summary_topics(call, field_facing=True),
        open_items=[o for o in call.open_items if field_safe(o["text"])],
        actions=[a for a in call.actions if field_safe(a["action"])],
        asks=[a for a in call.asks if field_safe(a["text"])],
        rhythm=call.rhythm,
        teams_channel=call.facts.teams_channel is not None,
    )


def _participants(facts: CallFacts, roster: Roster) -> list[str]:
    out = []
    for a in facts.attendees:
        if a.role == "FM" and not a.name and roster.fm_name:
            name = roster.fm_name
        else:
            name = one_line(a.name) if a.name else ""
        role: str = a.role
        if a.role == "customer" and a.title:
            role = f"customer, {one_line(a.title)}"
        label = f"{name} ({role})" if name else f"{role} (name unknown)"
        out.append(label if a.present else f"{label} – absent")
    return out


def _intent_notes(engagement: Engagement, facts: CallFacts) -> list[ServiceIntentNote]:
    """One Service Intent note per workload: the extracted ones, then every workload in scope (or red area)
    the call did not cover, as Status Unknown with a note that says so."""
    notes = [
        ServiceIntentNote(workload=one_line(i.workload), status=i.status, reason=i.reason, note=one_line(i.note))
        for i in facts.intents
    ]
    seen = {n.workload.casefold() for n in notes}
    for workload in [*engagement.workloads, *engagement.health_red_areas]:
        w = one_line(workload)
        if w and w.casefold() not in seen:
            seen.add(w.casefold())
            note = render("offline/ftop_intent_unknown.j2", call_date=engagement.call_date).strip()
            notes.append(ServiceIntentNote(workload=w, status="Status Unknown", reason=None, note=note))
    return notes


def render_ftop(engagement: Engagement, facts: CallFacts) -> FtopEntry:
    return _ftop(_Call(engagement, facts))


def _ftop(call: _Call) -> FtopEntry:
    engagement, facts, roster = call.engagement, call.facts, call.roster
    participants = _participants(facts, roster)
    discussion = [
        f"{t['title']}: {line}"
        for t in _summary_topics(call, field_facing=False, with_intents=False)
        for line in t["lines"]
    ]
    discussion += [f"Open item: {o['text']}" for o in call.open_items]
    rhythm = facts.sync_rhythm
    if rhythm and one_line(rhythm.text):
        discussion.append(f"Field sync rhythm: {one_line(rhythm.text)}")
    if facts.teams_channel and one_line(facts.teams_channel.text):
        discussion.append(f"Teams channel: {one_line(facts.teams_channel.text)}")
    # one render for every question: the template writes one line per ask
    questions = [q.strip() for q in render_lines("offline/ftop_questions.j2", asks=call.asks)]
    offerings, _ = _agenda_answer(facts, "b")
    ftc_actions = _texts(facts.fasttrack_process) + ([offerings] if offerings else [])
    actions = call.actions
    next_actions = [NextAction(owner=a["owner"], action=a["action"], due=a["due"]) for a in actions]
    intent_notes = _intent_notes(engagement, facts)
    entry = FtopEntry(
        participants=participants,
        discussion_points=discussion,
        customer_questions=questions,
        ftc_actions=ftc_actions,
        next_actions=next_actions,
        service_intent_notes=intent_notes,
    )
    text = render(
        "offline/ftop.j2",
        **call.base,
        entry=entry,
        actions=actions,
        open_items=call.open_items,
    )
    return entry.model_copy(update={"text": text})


def render_sync_rhythm(engagement: Engagement, facts: CallFacts) -> SyncRhythmDraft:
    return _sync_rhythm(_Call(engagement, facts))


def _sync_rhythm(call: _Call) -> SyncRhythmDraft:
    roster = call.roster
    rhythm = call.facts.sync_rhythm
    team_to, team_cc = account_team_recipients(roster)
    context = {**call.base, "rhythm": call.rhythm}
    owner = roster.find(rhythm.owner) if rhythm and rhythm.owner else None
    if rhythm is not None and rhythm.kind == "join_existing":
        # Ask whoever runs the existing sync; the rest of the team only needs to know.
        if roster.in_team(owner):
            to = [recipient(owner)]
            cc = [r for r in team_to + team_cc if r != to[0] and (r.name or r.email)]
        else:
            to, cc = team_to, team_cc
        email = _email(
            "offline/sync_join_email.j2", "account_team", to, cc, **context, greeting_names=greeting_names(to)
        )
        return SyncRhythmDraft(email=email, invite=None)
    # Whoever agreed to set the sync up gets the draft invite; otherwise the FM proposes it to the whole team.
    setter = owner if roster.in_team(owner) else None
    if setter is not None:
        to = [recipient(setter)]
        cc = [r for r in team_to + team_cc if r != to[0] and (r.name or r.email)]
    else:
        to, cc = team_to, team_cc
    email = _email(
        "offline/sync_propose_email.j2",
        "account_team",
        to,
        cc,
        **context,
        greeting_names=greeting_names(to),
        setter_in_to=setter is not None,
    )
    title, description = _invite_text("offline/sync_event.j2", **context)
    invite = CalendarInvite(
        title=title,
        required=team_to,
        optional=team_cc,
        description=description,
        duration_minutes=30,
        rrule=build_rrule(rhythm),
    )
    return SyncRhythmDraft(email=email, invite=invite)


_RENDERERS: dict[str, Callable[[Engagement, CallFacts], Any]] = {
    "prep": render_prep,
    "internal_invite": render_internal_invite,
    "intro_request": render_intro_request,
    "teams_channel": render_teams_channel,
    "follow_up": render_follow_up,
    "ftop": render_ftop,
    "sync_rhythm": render_sync_rhythm,
}
assert tuple(_RENDERERS) == DRAFT_NAMES, "every draft in schemas.DRAFT_NAMES needs a renderer"


def render_draft(name: str, engagement: Engagement, facts: CallFacts) -> Any:
    """One draft by its name in schemas.DRAFT_NAMES, so the app can regenerate one part alone."""
    try:
        renderer = _RENDERERS[name]
    except KeyError:
        raise ValueError(f"unknown draft {name!r}; expected one of {', '.join(DRAFT_NAMES)}") from None
    return renderer(engagement, facts)


_PARTS: dict[str, Callable[[_Call], Any]] = {
    "prep": _prep,
    "internal_invite": _internal_invite,
    "intro_request": _intro_request,
    "teams_channel": _teams_channel,
    "follow_up": _follow_up,
    "ftop": _ftop,
    "sync_rhythm": _sync_rhythm,
}
assert tuple(_PARTS) == DRAFT_NAMES


def render_drafts(engagement: Engagement, facts: CallFacts) -> Drafts:
    """Every draft from the same facts, sharing what several drafts use (owners, open items, asks, topics)."""
    with gc_paused():
        call = _Call(engagement, facts)
        return Drafts(**{name: part(call) for name, part in _PARTS.items()})


__all__ = ["build_rrule", "field_safe", "render_draft", "render_drafts", "summary_topics"]
