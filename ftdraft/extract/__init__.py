"""Extracts CallFacts from raw call notes with rules: the offline engine's reading of the notes.

Every fact keeps the note lines it came from. Nothing is invented: an owner, date, number or name that the
notes do not give stays None and is flagged, and unanswered agenda items become open items that say what to ask.
"""

from __future__ import annotations

from .. import lexicon as lx
from ..agenda import AGENDA_BY_KEY, open_when_unanswered
from ..dates import day_first_habit
from ..gc_pause import gc_paused
from ..schemas import CallFacts, Engagement, Fact, Flag, OpenItem
from .actions import _actions, _asks
from .answers import _agenda, _apply_agenda_answers
from .engagement import _complete_engagement, _flags, _read_header
from .intents import _intents, intent_open_items
from .lines import Line, split_lines
from .open_items import open_items_from_notes
from .owners import action_section_lines
from .people import People, _find_people
from .scope import scope_workloads
from .text import _SENTENCE_SPLIT_RE, _sentence, tidy
from .topics import _compete, _facts, _risks_and_timeline, _sync_rhythm


def extract_facts(
    notes: str, engagement: Engagement, agenda_answers: dict[str, str] | None = None
) -> tuple[Engagement, CallFacts]:
    """Return the engagement (completed from the notes where the context left gaps) and the facts in the notes."""
    with gc_paused():
        return _extract(notes, engagement, agenda_answers)


def _extract(notes: str, engagement: Engagement, agenda_answers: dict[str, str] | None) -> tuple[Engagement, CallFacts]:
    agenda_answers = {k: v for k, v in (agenda_answers or {}).items() if v and v.strip()}
    # the memos serve repeats within one set of notes; clearing them keeps a timing of the same notes honest
    tidy.cache_clear()
    _sentence.cache_clear()
    lines = split_lines(notes)
    engagement, year_flag = _read_header(lines, engagement)
    ref = engagement.call_date

    people = People(engagement)
    _find_people(lines, people)
    reader_flags: list[Flag] = []  # owners not among the attendees, dates with two readings

    scope, scope_lines = scope_workloads(lines)
    if engagement.motion == "Health" and not engagement.health_red_areas:
        engagement = engagement.model_copy(update={"health_red_areas": scope})
    workloads = list(dict.fromkeys([*engagement.workloads, *engagement.health_red_areas, *scope]))

    facts = CallFacts(
        attendees=[a for a in people.attendees],
        intents=_intents(lines, workloads, scope_lines),
        action_items=_actions(lines, people, ref, day_first_habit(notes), reader_flags, action_section_lines(notes)),
        asks=_asks(lines, people),
        licenses=_facts(lines, "e"),
        migration_source=_facts(lines, "g"),
        partner=_facts(lines, "h"),
        compete=_compete(lines),
        additional_tenants=_facts(lines, "i"),
        political_changes=_facts(lines, "k", exclude={"i"}),
        environment=_facts(lines, "d"),
        fasttrack_process=_facts(lines, "a"),
        sync_rhythm=_sync_rhythm(lines, people),
    )
    facts.risks, facts.timeline = _risks_and_timeline([line for line in lines if "l" in line.topics])
    cue = lx.TEAMS_CHANNEL_RE
    channel = next((line for line in lines if cue.may_match(line.lower()) and cue.search(line.text)), None)
    if channel:
        said = next(s for s in _SENTENCE_SPLIT_RE.split(channel.text) if lx.TEAMS_CHANNEL_RE.search(s))
        facts.teams_channel = Fact(text=_sentence(said), sources=[channel.source()])
    facts.open_items = open_items_from_notes(lines, people)

    _apply_agenda_answers(facts, agenda_answers, people, workloads)
    facts.agenda = _agenda(lines, facts, engagement, agenda_answers)
    facts.open_items.extend(
        OpenItem(text=AGENDA_BY_KEY[a.item].ask, agenda_item=a.item)
        for a in facts.agenda
        if not a.answered and open_when_unanswered(a.item, engagement.motion)
    )
    facts.open_items.extend(intent_open_items(facts.intents, facts.open_items))
    engagement = _complete_engagement(engagement, people, workloads)
    facts.flags = _flags(engagement, facts) + reader_flags
    if year_flag is not None:
        facts.flags.insert(0, year_flag)
    return engagement, facts


__all__ = ["Line", "People", "extract_facts", "split_lines", "tidy"]
