"""The follow-up email to the account team: a short summary in the FM's words, the open questions with who
answers them, the next steps (the FM's own as "I'll …"), the customer's asks and the field sync."""

from __future__ import annotations

import re
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..schemas import Email
from .call import FTOP_TASK, TOPICS
from .core import email, field_safe, join_words
from .text import sentences

if TYPE_CHECKING:
    from .call import Call

# "A section holds at most a handful of lines; details beyond it stay in the FTOP entry" (issue 10).
MAX_SUMMARY = 7
MAX_SENTENCES = 2
MAX_OPEN_ITEMS = 6
MAX_STEPS = 10
MAX_ASKS = 4
# What a summary keeps first when it has more topics than lines (the intents always come first): risks, the
# timeline and political changes decide the engagement's pace; tenants and the environment can wait for FTOP.
TOPIC_RANK = {"r": 1, "l": 2, "k": 3, "e": 4, "h": 5, "g": 6, "f": 7, "a": 8, "d": 9, "i": 10}


def summary_lines(call: Call, *, limit: int = MAX_SUMMARY) -> tuple[list[str], bool]:
    """The summary's lines (one per workload's intent, then one per topic, in agenda order) and whether anything
    was left out for the FTOP entry. Lines that may carry usage-report figures never reach the field."""
    lines: list[str] = []
    cut = False
    undiscussed = [i["workload"] for i in call.intents if i["undiscussed"]]
    bare: dict[str, list[str]] = {}  # workloads with no note of their own, by their plain words
    for i in call.intents:
        note = [s for s in sentences(i["note"]) if field_safe(s)]
        if i["undiscussed"]:
            continue
        if not note:
            if i["plain"] not in bare:
                bare[i["plain"]] = []
                lines.append(i["plain"])  # a slot, filled below once every workload with these words is known
            bare[i["plain"]].append(i["workload"])
            continue
        cut |= len(note) > MAX_SENTENCES
        text = f"{i['workload']}: {i['plain']}." if i["plain"] else f"{i['workload']}:"
        lines.append(" ".join([text, *note[:MAX_SENTENCES]]).strip())
    noted = {
        i["plain"]: i["workload"] for i in call.intents if i["plain"] in bare and i["workload"] not in bare[i["plain"]]
    }
    out: list[str] = []
    for line in lines:
        if line in bare and line in noted:
            continue  # said with the workload that has a note: "Exchange Online and Teams: …"
        if line in bare:
            line = f"{join_words(bare[line])}: {line}."
        for plain, workload in noted.items():
            if line.startswith(f"{workload}: {plain}"):
                line = f"{join_words([*bare[plain], workload])}{line[len(workload) :]}"
        out.append(line)
    ranked = [(0, line) for line in out]  # (rank, line): the lower the rank, the later it is cut
    if undiscussed:
        ranked.append((1, f"Not discussed on the call, intent to confirm: {join_words(undiscussed)}."))
    statements = call.topic_statements
    said = [said_words(line) for _, line in ranked]
    for key, title, _ in TOPICS:
        # "Competing products: Defender: using crowdstrike" after "Defender: … Using crowdstrike, happy with it."
        # Lazily, and only the first MAX_SENTENCES + 1 that pass: the line shows MAX_SENTENCES and needs only to
        # know whether more exist, so testing a long topic's later facts changes nothing.
        passing = (
            s
            for s in statements.get(key, [])
            if field_safe(s) and not ((w := said_words(s)) and any(w <= other for other in said))
        )
        facts = list(islice(passing, MAX_SENTENCES + 1))
        if facts:
            cut |= len(facts) > MAX_SENTENCES
            rank = 0 if key in call.typed_topics else TOPIC_RANK.get(key, 9)  # what the FM typed is kept
            ranked.append((rank, f"{title}: " + " ".join(facts[:MAX_SENTENCES])))
    # a contact the next steps (the intro) or a summary line already name is not listed again (each fact once)
    named = " ".join([*(a["action"] for a in call.actions), *(line for _, line in ranked)])
    contacts = [c for c in call.contacts if c.split(" (")[0] not in named]
    if contacts:
        ranked.append((6, "Customer contacts: " + join_words(contacts) + "."))
    if "-" in statements:
        ranked.append((11, f"Nothing to note on {join_words(statements['-'])}."))
    if len(ranked) > limit:
        kept = sorted(range(len(ranked)), key=lambda n: (ranked[n][0], n))[:limit]
        return [ranked[n][1] for n in sorted(kept)], True
    return [line for _, line in ranked], cut


def shared_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line for a step two people own ("Mateo Ferreira-Lund and Ilse Vandermeulen – exec briefing"): the same
    action and due date under different owners, the FM's own kept apart (it reads "I'll …")."""
    out: list[dict[str, Any]] = []
    index: dict[tuple[str, Any, Any], int] = {}
    for step in steps:
        key = (step["action"].casefold(), step["due"], step["due_text"])
        if not (step["mine"] or step["owner"]) or key not in index:
            if step["mine"] or step["owner"]:
                index[key] = len(out)
            out.append(dict(step))
            continue
        kept = out[index[key]]
        if kept["mine"] and step["mine"]:
            continue
        if kept["mine"] or step["mine"]:  # the FM and a field member: "Jo Dunleavy and I – review the plan"
            other = step["owner"] if kept["mine"] else kept["owner"]
            kept.update(mine=False, owner=f"{other} and I")
        elif step["owner"] not in kept["owner"]:
            kept["owner"] = f"{kept['owner']} and {step['owner']}"
    return out


# Template open items (an agenda item the notes leave open) as the question the field is asked, not the FM's own
# to-do ("Ask what the migration source environment is."); None: the FM's own task, no question for the field
# (a: the FM walks the team through the process; n: the follow-up's "Field team sync" section asks it). Keys are
# agenda.AGENDA's; source: review item 12 (/work/notes/review.md).
FIELD_QUESTIONS: dict[str, str | None] = {
    "a": None,
    "c": "What is the customer's intent per workload, and why is any workload blocked or without intent?",
    "d": "Could you share some background on the customer's environment?",
    "e": "Which licenses does the customer have (SKUs and seat counts)?",
    "f": "Are any competing or third-party products in play?",
    "g": "What is the migration source environment?",
    "h": "Is a partner or FastTrack Ready Partner engaged?",
    "i": "Are there additional tenants FastTrack should know about?",
    "j": "Who are the customer contacts FastTrack will work with (role, technology owned)?",
    "k": "Are there political or organizational changes at the customer?",
    "l": "What is the customer's timeline, and are there risks or current issues?",
    "m": "Do the customer or you have any asks of FastTrack?",
    "n": None,
}
# A verb the notes capitalised at the start of the FM's own step ("Send the monthly invite"): "I'll send …".
_LEADING_VERB = re.compile(
    r"^(?:Send|Set|Share|Follow|Check|Ask|Book|Review|Schedule|Add|Confirm|Draft|Walk|Join|Update|Prepare|Create|"
    r"Reach|Get|Email|Call|Loop|Forward|Invite|Write|Organi[sz]e|Arrange|Run|Provide|Chase|Find|Look|Pull|Do)\b"
)


# A step the "Field team sync" section states already: the teammate adding the FM to a sync, or the owner setting
# it up ("Tom Becker – add me to the Thursday account sync" beside "Tom Becker will add me and Jun Park").
_SYNC_STEP = re.compile(r"\b(?:sync|call|meeting|series|cadence|stand-?up)\b", re.IGNORECASE)
_ADD_STEP = re.compile(r"\b(?:add|invite|forward|include|set up|send|schedule)\b", re.IGNORECASE)
# "Confirm who the TAM is": the email's opening already asks who holds a role nobody holds.
_WHO_IS = re.compile(r"^(?:Confirm|Ask|Find out) who the ([A-Z]{2,4}) is\b")
# Words that carry no fact, for comparing what two summary lines say.
_FILLER = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "are",
        "was",
        "were",
        "they",
        "them",
        "their",
        "this",
        "that",
        "from",
        "into",
        "about",
        "have",
        "has",
        "had",
        "not",
        "now",
        "its",
        "our",
        "using",
        "use",
        "uses",
    ]  # noqa: SIM905
)


_LINE_LABELS = re.compile(r"^(?:[\w /&'-]{1,40}:\s*){1,2}")
_LOWER_WORD = re.compile(r"[a-z0-9]+")
_ROUTE_WORD = re.compile(r"\brout(?:e|es|ing)\b", re.IGNORECASE)
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")
_CHATTER = re.compile(r"\bI'?m the FM\b|\broll ?call\b", re.IGNORECASE)


def said_words(line: str) -> set[str]:
    """A summary line's fact words: no 'Topic:' or 'Workload:' labels, no filler."""
    body = _LINE_LABELS.sub("", line)
    return {w for w in _LOWER_WORD.findall(body.lower()) if len(w) > 2 and w not in _FILLER}


def sync_step(step: dict[str, Any], rhythm: dict[str, Any]) -> bool:
    """The step is the one the field-sync line already says (its adder or owner, a sync added to or set up)."""
    who = step["owner"]
    if not who or not _SYNC_STEP.search(step["action"]) or not _ADD_STEP.search(step["action"]):
        return False
    if rhythm.get("kind") == "join_existing" and not rhythm.get("unsure"):
        return bool(who == rhythm.get("adder"))
    return rhythm.get("kind") == "propose" and who == rhythm.get("owner")


def routing_step(step: dict[str, Any], call: Call) -> bool:
    """The step routes an out-of-scope ask that the "Customer asks" line already says the same person routes."""
    return bool(step["owner"] in call.ask_routers and _ROUTE_WORD.search(step["action"]))


def field_open_items(call: Call, limit: int | None = None) -> list[dict[str, Any]]:
    """The open items as the field reads them: template items asked as questions (the FM's own to-dos left to
    FTOP), raw chat lines ("Sync?", "I'm the FM. roll call?") left out, usage figures never. With a limit, only
    the first `limit` of them (the rest are not read)."""
    out: list[dict[str, Any]] = []
    asked_roles = set(call.team.unknown_roles)  # the opening asks "Who is the TAM for …?"
    for o in call.open_items:
        if (m := _WHO_IS.match(o["text"])) and m.group(1) in asked_roles:
            continue
        if o["template"] and o.get("agenda_item") in FIELD_QUESTIONS:
            asked = FIELD_QUESTIONS[o["agenda_item"]]
            if asked is None:
                continue
            o = {**o, "text": asked}
        elif is_chatter(o["text"]):
            continue
        if field_safe(o["text"]):
            out.append(o)
            if len(out) == limit:
                break
    return out


def is_chatter(text: str) -> bool:
    """A raw chat or shorthand line that asks the field nothing: "Sync?", "I'm the FM. roll call?"."""
    words = [w for w in _ALNUM_RUN.findall(text) if len(w) > 1]
    return bool(_CHATTER.search(text)) or len(words) < 2


def field_step(step: dict[str, Any]) -> dict[str, Any] | None:
    """A next step as the field reads it: the FM's FTOP bookkeeping left out ("I'll FTOP note and send the guide"
    → "I'll send the guide"; a step that is only FTOP bookkeeping goes), "I'll Send" → "I'll send"."""
    action = step["action"]
    if step["mine"]:
        action = FTOP_TASK.sub("", action).strip(" ,;")
        if not action:
            return None
        if _LEADING_VERB.match(action):
            action = action[0].lower() + action[1:]
    return {**step, "action": action}


def render_follow_up(call: Call) -> Email:
    lines, cut = summary_lines(call)
    # The email shows the first few open items and asks and says whether there are more: reading one past
    # the cut is enough to know, so the rest of a long list is never tested.
    open_items = field_open_items(call, limit=MAX_OPEN_ITEMS + 1)
    rhythm = call.rhythm
    fielded = (
        field_step(a)
        for a in call.actions
        if field_safe(a["action"]) and not a["recap"] and not sync_step(a, rhythm) and not routing_step(a, call)
    )
    steps = shared_steps([a for a in fielded if a is not None])
    asks: list[dict[str, Any]] = []  # the customer's, one past the cut
    field_asks: list[dict[str, Any]] = []  # the field's own, up to the cut
    for a in call.asks:
        into, room = (field_asks, MAX_ASKS) if a["from_field"] else (asks, MAX_ASKS + 1)
        if len(into) < room and field_safe(a["text"]):
            into.append(a)
        elif len(asks) > MAX_ASKS and len(field_asks) >= MAX_ASKS:
            break
    more: dict[str, bool] = {  # what the email leaves for the next sync (the template asks only whether)
        "summary": cut,
        "open_items": len(open_items) > MAX_OPEN_ITEMS,
        "steps": len(steps) > MAX_STEPS,
        "asks": len(asks) > MAX_ASKS,
    }
    return email(
        "offline/follow_up_email.j2",
        "account_team",
        call.team,
        **call.base,
        summary=lines,
        open_items=open_items[:MAX_OPEN_ITEMS],
        actions=steps[:MAX_STEPS],
        asks=asks[:MAX_ASKS],
        field_asks=field_asks[:MAX_ASKS],
        more=more,
        more_in_ftop=any(more.values()),
        rhythm=call.rhythm,
        teams_channel=call.facts.teams_channel is not None,
    )
