"""The follow-up email to the account team: a short summary in the FM's words, the open questions with who
answers them, the next steps (the FM's own as "I'll …"), the customer's asks and the field sync."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..schemas import Email
from .call import TOPICS
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
    for key, title, _ in TOPICS:
        facts = [s for s in statements.get(key, []) if field_safe(s)]
        if facts:
            cut |= len(facts) > MAX_SENTENCES
            rank = 0 if key in call.typed_topics else TOPIC_RANK.get(key, 9)  # what the FM typed is kept
            ranked.append((rank, f"{title}: " + " ".join(facts[:MAX_SENTENCES])))
    contacts = call.contacts
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
        if step["mine"] or not step["owner"] or key not in index:
            if not step["mine"] and step["owner"]:
                index[key] = len(out)
            out.append(dict(step))
            continue
        kept = out[index[key]]
        kept["owner"] = f"{kept['owner']} and {step['owner']}"
    return out


def render_follow_up(call: Call) -> Email:
    lines, cut = summary_lines(call)
    open_items = [o for o in call.open_items if field_safe(o["text"])]
    steps = shared_steps([a for a in call.actions if field_safe(a["action"]) and not a["recap"]])
    asks = [a for a in call.asks if field_safe(a["text"])]
    more: dict[str, Any] = {
        "summary": cut,
        "open_items": max(0, len(open_items) - MAX_OPEN_ITEMS),
        "steps": max(0, len(steps) - MAX_STEPS),
        "asks": max(0, len(asks) - MAX_ASKS),
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
        more=more,
        more_in_ftop=any(more.values()),
        rhythm=call.rhythm,
        teams_channel=call.facts.teams_channel is not None,
    )
