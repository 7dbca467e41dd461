"""The FTOP entry (Engagement Management note): participants, discussion points by topic, customer questions,
FTC actions, next actions and one Service Intent note per workload. Internal: it keeps every detail the
follow-up leaves out, each fact once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..guards.coaching import STATUS_WORDS as COACHING_STATUS_WORDS
from ..schemas import CallFacts, Engagement, FtopEntry, NextAction, ServiceIntentNote
from ..templating import render, render_lines
from .call import TOPICS, arrows
from .core import Roster, one_line
from .text import statement

if TYPE_CHECKING:
    from .call import Call


def participants(facts: CallFacts, roster: Roster) -> list[str]:
    out = []
    for a in facts.attendees:
        if a.role == "FM" and (not a.name or roster.is_fm(a.name)):
            name = roster.fm_display
        else:
            name = one_line(a.name) if a.name else ""
        role: str = a.role
        if a.role == "customer" and a.title:
            role = f"customer, {one_line(a.title)}"
        label = f"{name} ({role})" if name else f"{role} (name unknown)"
        out.append(label if a.present else f"{label} – absent")
    return out


def states_status(status: str, reason: str | None, note: str) -> str:
    """The note stating its status in clear words, as guards.coaching reads it (its STATUS_WORDS, or the status
    itself): unchanged when it does, else led by 'Status (Reason): ' (domain.md, Service Intent notes: the
    status and why). The FTOP line then shows the status once (prompts/offline/ftop.j2)."""
    words = COACHING_STATUS_WORDS.get(status)
    if status.lower() in note.lower() or (words is not None and words.search(note)):
        return note
    return f"{status}" + (f" ({reason})" if reason else "") + f": {note}"


def intent_notes(call: Call) -> list[ServiceIntentNote]:
    """One Service Intent note per workload: the extracted ones, then every workload in scope (or red area)
    the call did not cover, as Status Unknown with a note that says so. Each note states its status."""
    engagement: Engagement = call.engagement
    notes = [
        ServiceIntentNote(
            workload=i["workload"],
            status=i["status"],
            reason=i["reason"],
            note=states_status(i["status"], i["reason"], i["ftop_note"] or "Not recorded."),
        )
        for i in call.intents
    ]
    seen = {n.workload.casefold() for n in notes}
    for workload in [*engagement.workloads, *engagement.health_red_areas]:
        w = one_line(workload)
        if w and w.casefold() not in seen:
            seen.add(w.casefold())
            note = render("offline/ftop_intent_unknown.j2", call_date=engagement.call_date).strip()
            notes.append(ServiceIntentNote(workload=w, status="Status Unknown", reason=None, note=note))
    return notes


def render_ftop(call: Call) -> FtopEntry:
    facts, roster = call.facts, call.roster
    ledger = call.said.copy()  # the intents' notes, the next steps and the open items
    ftc_actions = [
        s
        for x in facts.fasttrack_process
        if (s := statement(arrows(one_line(x.text), [src.text for src in x.sources]), "FastTrack process"))
    ]
    ftc_actions = [s for s in ftc_actions if ledger.claim(s)]
    statements = call.topic_statements
    discussion = [
        f"{title}: {line}"
        for key, title, _ in TOPICS
        if key != "a"
        for line in statements.get(key, [])
        if ledger.claim(line)  # not already an FTC action
    ]
    if call.contacts:
        discussion.append("Customer contacts: " + "; ".join(call.contacts))
    if "-" in statements:
        discussion.append("None known: " + ", ".join(statements["-"]))
    for o in call.open_items:
        answer = " (I'll find out)" if o["mine"] else (f" (answer from {o['owner']})" if o["owner"] else "")
        discussion.append(f"Open item: {o['text']}{answer}")
    rhythm = call.rhythm
    if rhythm["kind"] == "unknown":  # nothing settled: the entry records it as open, not as a meeting
        looking = {None: "", "I": "; I'm checking"}.get(rhythm["checker"], f"; {rhythm['checker']} is checking")
        discussion.append(
            "Field sync: still to be agreed (join an existing account-team sync or set up a new one)"
            + (f"{looking} whether one exists" if looking else "")
        )
    elif rhythm["kind"]:
        sync = statement(rhythm["text"], "Field sync")
        if sync and ledger.claim(sync):
            discussion.append(f"Field sync: {sync}")
    if facts.teams_channel and (channel := statement(one_line(facts.teams_channel.text))) and ledger.claim(channel):
        discussion.append(f"Teams channel: {channel}")
    questions = [q.strip() for q in render_lines("offline/ftop_questions.j2", asks=call.asks)]
    # the owner as the facts write it (guards.consistency compares the two): the set FM name, else "FM" (a name
    # only the notes give signs the emails, while the facts keep "FM")
    fm = one_line(call.engagement.fm.name) if call.engagement.fm and call.engagement.fm.name else ""
    fm = fm or "FM"
    actions = [{**a, "owner": fm if a["mine"] else a["owner"]} for a in call.actions]
    entry = FtopEntry(
        participants=participants(facts, roster),
        discussion_points=discussion,
        customer_questions=questions,
        ftc_actions=ftc_actions,
        next_actions=[NextAction(owner=a["owner"], action=a["action"], due=a["due"]) for a in actions],
        service_intent_notes=intent_notes(call),
    )
    text = render("offline/ftop.j2", **call.base, entry=entry, actions=actions)
    return entry.model_copy(update={"text": text})
