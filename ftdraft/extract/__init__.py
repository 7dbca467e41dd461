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
from .actions import read_actions, read_asks
from .answers import apply_agenda_answers, read_agenda
from .engagement import complete_engagement, engagement_flags, read_header
from .intents import intent_open_items, read_intents
from .lines import Line, split_lines
from .open_items import open_items_from_notes
from .owners import action_section_lines
from .people import People, find_people
from .scope import scope_workloads
from .text import SENTENCE_SPLIT_RE, clean_sentence, tidy
from .topics import read_compete, read_facts, read_sync_rhythm, risks_and_timeline


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
    clean_sentence.cache_clear()
    lines = split_lines(notes)
    engagement, year_flag = read_header(lines, engagement)
    ref = engagement.call_date

    people = People(engagement)
    find_people(lines, people)
    reader_flags: list[Flag] = []  # owners not among the attendees, dates with two readings

    scope, scope_lines = scope_workloads(lines)
    if engagement.motion == "Health" and not engagement.health_red_areas:
        engagement = engagement.model_copy(update={"health_red_areas": scope})
    workloads = list(dict.fromkeys([*engagement.workloads, *engagement.health_red_areas, *scope]))

    facts = CallFacts(
        attendees=[a for a in people.attendees],
        intents=read_intents(lines, workloads, scope_lines),
        action_items=read_actions(
            lines, people, ref, day_first_habit(notes), reader_flags, action_section_lines(notes)
        ),
        asks=read_asks(lines, people),
        licenses=read_facts(lines, "e"),
        migration_source=read_facts(lines, "g"),
        partner=read_facts(lines, "h"),
        compete=read_compete(lines),
        additional_tenants=read_facts(lines, "i"),
        political_changes=read_facts(lines, "k", exclude={"i"}),
        environment=read_facts(lines, "d"),
        fasttrack_process=read_facts(lines, "a"),
        sync_rhythm=read_sync_rhythm(lines, people),
    )
    facts.risks, facts.timeline = risks_and_timeline([line for line in lines if "l" in line.topics])
    cue = lx.TEAMS_CHANNEL_RE
    # the cue's prefixes are in lexicon.LINE_STARTS (below): Line.starts answers may_match with one set test
    channel = next((line for line in lines if cue.may_match(line.lower(), line.starts) and cue.search(line.text)), None)
    if channel:
        said = next(s for s in SENTENCE_SPLIT_RE.split(channel.text) if lx.TEAMS_CHANNEL_RE.search(s))
        facts.teams_channel = Fact(text=clean_sentence(said), sources=[channel.source()])
    facts.open_items = open_items_from_notes(lines, people)

    apply_agenda_answers(facts, agenda_answers, people, workloads)
    facts.agenda = read_agenda(lines, facts, engagement, agenda_answers)
    facts.open_items.extend(
        OpenItem(text=AGENDA_BY_KEY[a.item].ask, agenda_item=a.item)
        for a in facts.agenda
        if not a.answered and open_when_unanswered(a.item, engagement.motion)
    )
    facts.open_items.extend(intent_open_items(facts.intents, facts.open_items))
    engagement = complete_engagement(engagement, people, workloads)
    facts.flags = engagement_flags(engagement, facts) + reader_flags
    if year_flag is not None:
        facts.flags.insert(0, year_flag)
    return engagement, facts


lx.LINE_STARTS.add(lx.TEAMS_CHANNEL_RE.prefixes or ())  # every alternative has a literal prefix
assert lx.TEAMS_CHANNEL_RE.prefixes is not None


__all__ = ["Line", "People", "extract_facts", "split_lines", "tidy"]
