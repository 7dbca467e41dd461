"""The field-sync draft: join an existing account sync, or propose a recurring one with its RRULE; and the
words for a rhythm ("bi-weekly on Tuesdays and Thursdays at 16:00 (Europe/Berlin)") the other drafts use."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from ..lexicon import may_contain
from ..schemas import CalendarInvite, CallFacts, SyncRhythm, SyncRhythmDraft
from .core import Roster, addressees, email, invite_text, join_words, one_line

if TYPE_CHECKING:
    from .call import Call

CADENCE_WORDS = {"weekly": "weekly", "biweekly": "bi-weekly", "monthly": "monthly"}
WEEKDAY_WORDS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday"}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# The notes only say someone will look for a sync ("Lee will check whether there is one"): no sync is settled.
UNSURE = re.compile(
    r"\b(check(?:s|ing)? (?:whether|if)|find out (?:whether|if)|see (?:whether|if)|not sure (?:whether|if)|"
    r"whether (?:there is|there's|one exists)|if (?:there is|there's) one|tbd|tbc)\b",
    re.IGNORECASE,
)
# Who the notes say is looking for a sync: "Lee will check whether one exists", "Kit to find out if ...".
CHECKER = re.compile(
    r"\b(?P<who>[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)?)(?: (?:will|is going to|to|is|offered to)|['’]ll) "
    r"(?:check|checking|find out|finding out|look into|looking into|look for|looking for|ask around|asking around)\b"
)
_SYNC_WORD = re.compile(r"\b(sync|call|meeting|series|cadence|stand-?up|review)\b", re.IGNORECASE)
_ADD_WORD = re.compile(r"\b(add|invite|forward|include)\b", re.IGNORECASE)


def _days(rhythm: SyncRhythm | None) -> list[str]:
    if rhythm is None:
        return []
    days = [d for d in rhythm.days if d in WEEKDAY_WORDS]
    if not days and rhythm.weekday:
        days = [rhythm.weekday]
    return list(dict.fromkeys(days))


def _interval(rhythm: SyncRhythm | None) -> int:
    """Weeks between weekly meetings: the rhythm's interval, 2 for bi-weekly (also when the cadence is unknown)."""
    if rhythm is not None and rhythm.interval and rhythm.interval > 0:
        return rhythm.interval
    cadence = rhythm.cadence if rhythm else None
    return 1 if cadence == "weekly" else 2


def build_rrule(rhythm: SyncRhythm | None) -> str:
    """An RFC 5545 RRULE: FREQ=WEEKLY with INTERVAL (every N weeks) and BYDAY (every day named), or FREQ=MONTHLY
    with the week of the month; bi-weekly when the cadence is unknown.

    A monthly sync with an unknown week keeps no BYDAY rather than guess the week (the email asks)."""
    cadence = rhythm.cadence if rhythm else None
    days = _days(rhythm)
    week = rhythm.week_of_month if rhythm else None
    if cadence == "monthly":
        if days and week in ORDINALS:
            return f"FREQ=MONTHLY;BYDAY={week}{days[0]}"
        return "FREQ=MONTHLY"
    parts = ["FREQ=WEEKLY"]
    interval = _interval(rhythm)
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if days:
        parts.append("BYDAY=" + ",".join(days))
    return ";".join(parts)


def _cadence_words(rhythm: SyncRhythm | None) -> str:
    cadence = rhythm.cadence if rhythm else None
    if rhythm is not None and rhythm.interval and rhythm.interval > 2 and cadence != "monthly":
        return f"every-{rhythm.interval}-weeks"
    return CADENCE_WORDS.get(cadence or "", "")


def valid_time(value: str | None) -> tuple[int, int] | None:
    """(hour, minute) from '16:00', None when absent or not a 24-hour time."""
    m = _TIME.match(one_line(value)) if value else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def describe_rhythm(rhythm: SyncRhythm | None) -> dict[str, Any]:
    """The words for a rhythm, for the templates: cadence ('bi-weekly') and when ('on Tuesdays and Thursdays at
    16:00 (Europe/Berlin)', 'on the first Tuesday of the month')."""
    cadence = rhythm.cadence if rhythm else None
    days = _days(rhythm)
    week = rhythm.week_of_month if rhythm else None
    when = ""
    if days and cadence == "monthly" and week in ORDINALS:
        when = f"on the {ORDINALS[week]} {WEEKDAY_WORDS[days[0]]} of the month"
    elif days and cadence == "monthly":
        when = f"on a {WEEKDAY_WORDS[days[0]]} each month"
    elif days:
        when = "on " + join_words([f"{WEEKDAY_WORDS[d]}s" for d in days])
    hm = valid_time(rhythm.time if rhythm else None)
    if hm:
        when = (when + " " if when else "") + f"at {hm[0]:02d}:{hm[1]:02d}"
        if rhythm is not None and rhythm.timezone and one_line(rhythm.timezone):
            when += f" ({one_line(rhythm.timezone)})"
    words = _cadence_words(rhythm)
    if words.startswith("every-"):
        words = f"every {rhythm.interval if rhythm else 2} weeks"
    return {
        "cadence": words,
        "cadence_known": cadence is not None or bool(rhythm and rhythm.interval),
        "default_cadence": CADENCE_WORDS["biweekly"],
        "when": when,
        "time_known": hm is not None,
        "week_unknown": cadence == "monthly" and bool(days) and week not in ORDINALS,
    }


def first_start(rhythm: SyncRhythm | None, after: date | None) -> datetime | None:
    """The first meeting of the series after `after` (the call date) at the rhythm's time, in its time zone when
    one is given; None when the time or the call date is unknown (the .ics then holds a flagged placeholder)."""
    hm = valid_time(rhythm.time if rhythm else None)
    if rhythm is None or hm is None or after is None:
        return None
    tz = None
    if rhythm.timezone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            tz = ZoneInfo(one_line(rhythm.timezone))
        except (ZoneInfoNotFoundError, ValueError):
            tz = None
    from dateutil.rrule import rrulestr

    begin = datetime.combine(after + timedelta(days=1), time(hm[0], hm[1]))
    first = rrulestr(build_rrule(rhythm), dtstart=begin).after(begin, inc=True)
    if first is None:
        return None
    return first.replace(tzinfo=tz) if tz else first


def unsure(text: str) -> bool:
    """The notes only say someone will look for a sync (UNSURE). Each of its forms holds "whether", "if", "tbd"
    or "tbc", so a text with none of them (and no character that case-folds onto one) is not read."""
    return may_contain(text.lower(), "whether", "if", "tbd", "tbc") and bool(UNSURE.search(text))


def checker(text: str, roster: Roster) -> str | None:
    """Who the notes say is looking for a sync ("Lee will check whether one exists" -> "Lee Park", the roster's
    name; "I'll check" -> "I"); None when nobody is named or the name is on no roster."""
    if "check" not in text and "find" not in text and "look" not in text and "ask" not in text:
        return None  # every verb CHECKER knows holds one of these (it is case-sensitive): no scan of long texts
    for m in CHECKER.finditer(text):
        words = m.group("who").split()
        for who in (" ".join(words), words[-1]):
            if who.casefold() == "i" or roster.is_fm(who):
                return "I"
            person = roster.find(who)
            if person is not None and person.name:
                return one_line(person.name)
    return None


def rhythm_context(facts: CallFacts, roster: Roster, actions: list[dict[str, Any]]) -> dict[str, Any]:
    """The sync as the templates state it, with no premise the notes don't give: who runs or adds the FM to an
    existing sync (the rhythm's owner, else the teammate whose action adds the FM to a sync), whether the
    notes only say someone will check whether a sync exists (`unsure`), and who is checking (`checker`: a name,
    "I", or None). Kind "unknown" (the notes settle no sync) is never worded as a meeting that exists or is
    agreed (issue 10, "No premise the notes don't state")."""
    rhythm = facts.sync_rhythm
    owner = roster.resolve(rhythm.owner) if rhythm and rhythm.owner else None
    owner_is_fm = bool(rhythm and rhythm.owner and roster.is_fm(rhythm.owner))
    if owner_is_fm:
        owner = None
    adder = owner
    if rhythm is not None and adder is None:
        for a in actions:
            if not a["mine"] and a["owner"] and _SYNC_WORD.search(a["action"]) and _ADD_WORD.search(a["action"]):
                adder = a["owner"]
                break
    text = one_line(rhythm.text) if rhythm else ""
    looking = checker(text, roster) if rhythm else None
    if rhythm is not None and rhythm.kind == "unknown" and adder is None and looking not in (None, "I"):
        adder = looking  # whoever is looking for the sync gets the question
    return {
        "kind": rhythm.kind if rhythm else None,
        "owner": owner,
        "owner_is_fm": owner_is_fm,
        "adder": adder,
        "unsure": bool(rhythm and unsure(text)),
        "checker": looking,
        "text": text,
        **describe_rhythm(rhythm),
    }


def render_sync(call: Call) -> SyncRhythmDraft:
    roster = call.roster
    rhythm = call.facts.sync_rhythm
    ctx = call.rhythm
    person = roster.find(ctx["adder"]) if ctx["adder"] else None
    context = {**call.base, "rhythm": ctx}
    team = call.team
    if roster.in_team(person):
        # Ask whoever runs (or sets up) the sync; the rest of the team only needs to know.
        others = [p for p in roster.everyone() if p is not person and p is not roster.fm]
        to_people, cc_people = [person], [p for p in others if p.name]
        who = addressees(to_people, cc_people, team.unknown_roles)
    else:
        who = team
    if rhythm is not None and rhythm.kind == "join_existing":
        return SyncRhythmDraft(email=email("offline/sync_join_email.j2", "account_team", who, **context), invite=None)
    if rhythm is not None and rhythm.kind == "unknown":
        # Nothing settled: ask (join one or set one up), and no recurring invite for a meeting nobody agreed.
        to_checker = roster.in_team(person) and bool(person.name) and one_line(person.name) == ctx["checker"]
        ask = email("offline/sync_unknown_email.j2", "account_team", who, **context, to_checker=to_checker)
        return SyncRhythmDraft(email=ask, invite=None)
    draft = email(
        "offline/sync_propose_email.j2",
        "account_team",
        who,
        **context,
        setter_in_to=roster.in_team(person) and not ctx["owner_is_fm"],
    )
    title, description = invite_text("offline/sync_event.j2", **context)
    if team.unaddressed:
        description += "\nAlso invite (no email address known): " + "; ".join(team.unaddressed) + ".\n"
    invite = CalendarInvite(
        title=title,
        required=team.to,
        optional=team.cc,
        description=description,
        duration_minutes=30,
        rrule=build_rrule(rhythm),
        start=first_start(rhythm, call.engagement.call_date),
    )
    return SyncRhythmDraft(email=draft, invite=invite)
