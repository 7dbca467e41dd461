"""Action items (owner, action, due), customer asks, and the open items the FM marked unsure."""

from __future__ import annotations

import re
from datetime import date

from .. import lexicon as lx
from ..dates import find_due_date
from ..schemas import (
    ActionItem,
    Ask,
    Flag,
)
from .lines import Line, topic_text
from .owners import OwnerReader, apply_overrides, correction_due, cue_lines, drop_repeats
from .people import People, same_person
from .text import (
    ABSENT_RE,
    NAME_PATTERN,
    NAME_TOKEN_RE,
    NOT_NAMES,
    ROLE_CODES,
    clean_sentence,
    label_topics,
    tidy,
)

# Action clauses: "Priya to send ...", "Tom will route ...", "me: send ...", "ask Marcus to intro us ...".
_ACTION_VERB = r"(?:to|will|'ll|’ll|shall|agreed to|needs? to|is going to)"


_ACTION_CLAUSE = r"([^.;()]+(?:\([^)]*\)[^.;()]*)*)"


ACTION_RE = re.compile(
    rf"(?:^|[(,;.]\s*|\s)({NAME_PATTERN}|[Mm]e|I)(?:\s*\((?:{ROLE_CODES})\))?(?:\s+{_ACTION_VERB}|['’]ll)\s+{_ACTION_CLAUSE}"
)


ASK_TO_RE = re.compile(rf"\bask ({NAME_PATTERN}) to ([^.;]+)", re.IGNORECASE)


ME_COLON_RE = re.compile(r"^(me|i|fm)\s*:\s*(.+)$", re.IGNORECASE)


TODO_RE = re.compile(r"^(?:todo|to-do|ai|action|next|next steps?)\s*[:\-]?\s+(.+)$", re.IGNORECASE)


_DUE_LEAD = r"(?:\b(?:by|on|due|before|until|no later than)\s+)?"


# "AI: me - set up sync w/ Yuki", "AI Ines - send contact": an owner, a dash or colon, then the task.
_OWNER_PREFIX_RE = re.compile(rf"^((?i:me|i|fm)|{NAME_PATTERN})\s*(?::|[-–])\s*(.+)$")


_LATER_DUE_RE = re.compile(r"\s*[.;]\s*((?:due|by|deadline)\b[^.;]{0,60})", re.IGNORECASE)  # "... earlier. Due Friday."


# A second clause with its subject left out or a pronoun: "Kofi runs the sync, will add me"; "he will add me".
# (?=[,;aA]): every match starts with one of these (the lookahead folds case as "a" does), so finditer rules the
# other positions out with one class test.
_ELLIPTIC_RE = re.compile(
    r"(?=[,;aA])(?:[,;]\s*|\band\s+)(?:(?:he|she|they)\s*)?(?:will|['’]ll|to)\s+(?!be\b)([a-z][^.;()]{2,200})",
    re.IGNORECASE,
)


# Present tense is an action only when it puts the FM somewhere: "(Noah adds me)", "Kofi invites me to the call".
_ADDS_ME_RE = re.compile(rf"\b({NAME_PATTERN}) ((?:adds|invites|forwards) me\b[^.;()]*)")


_PRONOUN_OBJECT_RE = re.compile(r"(?:it|that|this|the (?:sync|meeting|call))\b")


# Every ACTION_RE match has its verb between whitespace ("Priya to send", "Tom will", "agreed to", "needs to",
# "is going to", "owns") or "'ll" then whitespace: a line without one of these has no action clause.
_ACTION_HINT_RE = re.compile(r"\s(?:to|will|shall|owns)\s|['’]ll\s")


_UPPER_RE = re.compile(r"[A-Z]")
_CAN_RE = re.compile(r"can\b")
_OWNS_END_RE = re.compile(r"\bowns\s+$")


def _may_act(text: str) -> bool:
    return ("to" in text or "ll" in text or "owns" in text) and _ACTION_HINT_RE.search(text) is not None


def _known_name_re(people: People) -> re.Pattern[str] | None:
    """Owners as the notes wrote them, any case: all-lowercase notes name "priya", not "Priya"."""
    names = {part for a in people.attendees if a.name for part in (a.name, a.name.split()[0]) if len(part) > 1}
    if not names:
        return None
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)[:100])
    return re.compile(
        rf"(?:^|[(,;.]\s*|\s)((?i:{alternation}))(?:\s*\((?i:{ROLE_CODES})\))?(?:\s+{_ACTION_VERB}|['’]ll)\s+"
        + _ACTION_CLAUSE
    )


def read_actions(
    lines: list[Line],
    people: People,
    ref: date | None,
    day_first: bool = False,
    flags: list[Flag] | None = None,
    action_lines: set[int] | None = None,
) -> list[ActionItem]:
    """Action items: the span reader (owners.py) reads every line it has a form for; the older clause patterns
    below read the rest. Later parts override earlier ones (owners.apply_overrides)."""
    items: list[ActionItem] = []
    seen: set[tuple[int, str]] = set()
    known_re = _known_name_re(people)
    reader = OwnerReader(people, ref, day_first, action_lines)
    owned: list[tuple[ActionItem, int, int]] = []
    last_line_items: list[ActionItem] = []

    def add(owner_token: str | None, action: str, line: Line, later: str = "") -> None:
        action = action.strip(" .,;:-")
        if len(action) < 3:
            return
        due, due_words = find_due_date(action, ref)
        if due_words:
            action = re.sub(r"\s*" + _DUE_LEAD + re.escape(due_words) + r"\b\s*", " ", action, flags=re.I)
            action = action.strip(" ,.")
        elif later:
            due, due_words = find_due_date(later, ref)
        owner, role = people.owner_name(owner_token) if owner_token else (None, None)
        key = (line.no, action.lower()[:40])
        if key in seen:
            return
        seen.add(key)
        items.append(
            ActionItem(
                owner=owner,
                owner_role=role,
                action=tidy(action),
                due=due,
                due_text=due_words,
                sources=[line.source()],
            )
        )

    for line, (cued, moves) in zip(lines, cue_lines(lines), strict=True):
        if last_line_items and (moved := correction_due(line, reader, moves)) is not None:
            for item in last_line_items:  # "[CO] I'm out Friday – make it 12/7."
                item.due, item.due_text = moved
            continue
        got = reader.read(line, cued)
        if got is not None:
            for item in got:  # "add me" alone does not say to what: the line's topic completes it
                if len(item.action.split()) <= 5 or len(line.body) <= 160:
                    item.action = tidy(_action_clause(item.action, line))
            owned += [(item, line.part, line.no) for item in got]
            last_line_items = got
            continue
        t = line.text
        matched_at: list[int] = []
        if ":" in t and (m := ME_COLON_RE.match(t)):  # the pattern needs a ":"
            add("me", m.group(2), line)
            continue
        lowered = line.lower()
        trap = lx.has_lowered_trap(lowered)  # lx.may_contain's second half, asked once for the three tests below
        # "ask " is literal in ASK_TO_RE: a line without it has no match
        for m in ASK_TO_RE.finditer(t) if "ask " in lowered or trap else ():
            add(m.group(1), m.group(2), line)
            matched_at.append(m.start(2))
        may_act = _may_act(t)
        found = list(ACTION_RE.finditer(t)) if may_act else []
        if known_re is not None and may_act and not _UPPER_RE.search(t):  # the same verb form
            found += list(known_re.finditer(t))
        for m in found:
            token, clause = m.group(1), m.group(2)
            if m.start(2) in matched_at:
                continue
            is_me = token.lower() in ("me", "i")
            if token.split()[0] in NOT_NAMES or (
                not is_me
                and people.find(token) is None
                and not any(p.name and same_person(p.name, token) for p in people.customer)
            ):
                continue
            if is_me and _CAN_RE.match(clause):
                continue
            # a short window before the clause: slicing the whole prefix per action was quadratic
            if _OWNS_END_RE.search(t[max(0, m.start(2) - 12) : m.start(2)]) and _PRONOUN_OBJECT_RE.match(clause):
                continue  # "Maya owns it": she owns the meeting, no action in that
            clause = _action_clause(clause, line)
            later = _LATER_DUE_RE.match(t, m.end())
            add("me" if is_me else token, clause, line, later.group(1) if later else "")
            matched_at.append(m.start(2))
        for m in _ADDS_ME_RE.finditer(t) if "s me" in t else ():  # "adds me", "invites me", "forwards me"
            if people.find(m.group(1)) is not None and m.start(2) not in matched_at:
                add(m.group(1), _action_clause(m.group(2), line), line)
                matched_at.append(m.start(2))
        # an elliptic clause needs "," ";" or "and" before "will", "'ll" or "to"
        elliptic = ("," in lowered or ";" in lowered or "and" in lowered or trap) and (
            "ll" in lowered or "to" in lowered or trap
        )
        for m in _ELLIPTIC_RE.finditer(t) if elliptic else ():
            if any(abs(m.start(1) - at) < 3 for at in matched_at):
                continue
            owner = _subject_before(t, m.start(), people)
            if owner and not ABSENT_RE.search(m.group(1)):  # "(Raj, will catch up async)" is attendance, not a task
                add(owner, _action_clause(m.group(1), line), line)
                matched_at.append(m.start(1))
        if matched_at:
            continue
        if m := TODO_RE.match(t):
            body = m.group(1)
            prefixed = _OWNER_PREFIX_RE.match(body)
            who = prefixed.group(1) if prefixed else ""
            if prefixed and (who.lower() in ("me", "i", "fm") or people.find(who) is not None):
                add("me" if who.lower() in ("me", "i", "fm") else who, prefixed.group(2), line)
            elif not ASK_TO_RE.search(body):
                add("me", body, line)
        elif line.in_actions:
            add(None, t, line)
    if flags is not None:
        flags.extend(reader.flags)
    ordered = sorted([(item, 0, item.sources[0].lines[0]) for item in items] + owned, key=lambda r: r[2])
    return drop_repeats(apply_overrides(ordered), {line.no for line in lines if line.in_actions})


_SEND_IT_RE = re.compile(r"(?:get|send|forward|share)s? (?:it|one|that|this)(?: out)?\b", re.IGNORECASE)


def _action_clause(clause: str, line: Line) -> str:
    """An action clause that says on its own what it is about.

    "set it up" names the sync; "confirm number" names the topic of its line."""
    if "n" in line.topics and re.match(r"set (?:it )?up\b", clause.strip()):
        return f"set up the recurring field sync ({tidy(line.body)})"
    if "n" in line.topics and len(clause.split()) <= 5 and _SEND_IT_RE.match(clause.strip()):
        return "send the field sync invite"  # "let me send it … I'll get it out today": "it" is the sync invite
    if (
        "n" in line.topics
        and re.match(r"(?:adds?|invites?|forwards?)\b", clause.strip())
        and len(clause.split()) <= 5
        and not re.search(r"sync|call|meeting|invite|review", clause, re.IGNORECASE)
    ):
        return f"{clause.strip()} to the field sync"
    if line.label and len(clause.split()) <= 5 and label_topics(line.label) & set("efghik"):
        return f"{clause.strip()} ({line.label})"  # "confirm number" alone does not say of what
    return clause


def _subject_before(text: str, pos: int, people: People) -> str | None:
    """The nearest known person named before pos in the same sentence: the subject an elliptic clause shares."""
    # a subject stands close to its clause; the window keeps a long unpunctuated line linear
    sentence_start = max(text.rfind(". ", 0, pos) + 1, pos - 300, 0)
    owner = None
    for m in NAME_TOKEN_RE.finditer(text, sentence_start, pos):
        for token in (m.group(0), m.group(0).split()[0]):
            if people.find(token) is not None:
                owner = token
                break
    if owner is None and not re.search(r"[A-Z]", text):
        for word in re.findall(r"[a-z]+", text[sentence_start:pos]):
            if len(word) > 2 and people.find(word) is not None:
                owner = word
    return owner


_ROUTED_RE = re.compile(rf"({NAME_PATTERN}) (?:will|to|can) route")


def read_asks(lines: list[Line], people: People) -> list[Ask]:
    asks: list[Ask] = []
    for line in lines:
        if "m" not in line.topics:
            continue
        body = line.body if line.label and line.label.startswith("ask") else line.text
        if re.match(r"^(?:none|nothing|no asks?|n/?a)\b", body.strip(), re.IGNORECASE):
            continue
        if body is not line.body or not line.label:
            body = topic_text(line, "m")
        first = re.split(r"\s+-\s+|;", body)[0]
        out_of_scope = bool(lx.OUT_OF_SCOPE_RE.search(body))
        routed = None
        if m := _ROUTED_RE.search(body):
            routed = people.owner_name(m.group(1))[0]
        asks.append(
            Ask(text=clean_sentence(first), in_scope=not out_of_scope, routed_to=routed, sources=[line.source()])
        )
    return asks
