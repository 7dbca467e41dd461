"""Consistency across drafts: owners, due dates, workload statuses, invitees and the sync cadence agree."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from ..schemas import ActionItem, Check, DraftBundle, Person
from .date_mentions import find_dates
from .parts import clip
from .patterns import L1_LABELS
from .vocabulary import COMMON_WORDS

_PUNCT_RE = re.compile(r"[^\w\s]")


@lru_cache(maxsize=8192)  # the same owners and actions are normalised once per line otherwise
def _norm(text: str | None) -> str:
    return " ".join(_PUNCT_RE.sub(" ", (text or "").lower()).split())


MAX_CANDIDATES = 32  # actions one text is compared with at most; see ActionIndex.matches


class ActionIndex:
    """Action items found by the text that mentions them, without comparing every line with every action
    (notes of 200 KB give thousands of actions and a follow-up of thousands of lines). Only content words are
    indexed; actions with the same words share one entry.

    Near-linear: a text is compared only with the actions that share its rarest content words, and with at most
    MAX_CANDIDATES of them. A text whose every word is shared by more actions than that ("send the plan" among
    thousands of "send the plan for site N") names no one action and is matched only when it is one exactly.
    `work` counts the comparisons made (for tests and benches).
    """

    def __init__(self, actions: list[ActionItem]) -> None:
        groups: dict[str, list[ActionItem]] = {}
        for ai in actions:
            na = _norm(ai.action)
            if na:
                groups.setdefault(na, []).append(ai)
        self.items = [(na, set(na.split()), ais) for na, ais in groups.items()]
        self.words = [len(na.split()) for na in groups]  # words in each entry's action (a repeated word counts)
        self.exact = {na: i for i, (na, _t, _a) in enumerate(self.items)}
        self.by_token: dict[str, list[int]] = {}
        for i, (_na, tokens, _ais) in enumerate(self.items):
            for t in tokens - COMMON_WORDS:
                self.by_token.setdefault(t, []).append(i)
        self.work = 0

    def matches(self, text: str, min_words: int = 0) -> list[ActionItem]:
        """The actions text is about, in the order they were indexed; only those whose action has at least
        min_words words (normalised) when given."""
        nt = _norm(text)
        tokens = set(nt.split())
        postings = sorted((self.by_token[t] for t in tokens - COMMON_WORDS if t in self.by_token), key=len)
        candidates: set[int] = set()
        for posting in postings:
            if len(candidates) + len(posting) > MAX_CANDIDATES:
                break
            candidates.update(posting)
        if nt in self.exact:
            candidates.add(self.exact[nt])
        self.work += len(candidates)
        out: list[ActionItem] = []
        for i in sorted(candidates):
            na, ta, ais = self.items[i]
            if self.words[i] < min_words:
                continue
            if na in nt or nt in na or len(ta & tokens) / max(1, min(len(ta), len(tokens))) >= 0.7:
                out += ais
        return out


class OwnerKeys:
    """Owners as comparable keys: 'the FM', 'FM' and the FM's name are the same person. Each person's role and
    name are normalised once (the first person a role or name belongs to wins), each owner text once."""

    def __init__(self, people: list[Person]) -> None:
        self._aliases: dict[str, str] = {}
        for p in people:
            if p.name:
                for alias in (_norm(p.role), _norm(p.name)):
                    self._aliases.setdefault(alias, _norm(p.name))
        self._keys: dict[str | None, str] = {}

    def key(self, owner: str | None) -> str:
        found = self._keys.get(owner)
        if found is None:
            key = _norm(owner).removeprefix("the ").replace("name unknown", "").strip()
            found = self._keys[owner] = self._aliases.get(key, key)
        return found

    def same(self, a: str, b: str) -> bool:
        return self.key(a) == self.key(b)


_STATUS_IN_TEXT_RE = re.compile("|".join(re.escape(s) for s in L1_LABELS), re.IGNORECASE)
# "Monthly Enterprise Channel" is an M365 Apps update channel, not a cadence (ftdraft/data/dates_rhythm.toml)
_CADENCE_RE = re.compile(
    r"\b(bi-?weekly|every (?:other|two) weeks?|fortnightly|weekly|monthly(?! enterprise channel))\b", re.IGNORECASE
)


def _cadence_of(word: str) -> str:
    w = word.lower()
    if w.startswith("bi") or "other" in w or "two" in w or "fortnight" in w:
        return "biweekly"
    return "weekly" if w == "weekly" else "monthly"


def _warning(draft: str, rule: str, text: str, suggestion: str) -> Check:
    """Drafts that disagree are worth a look, never a block: every consistency finding is a warning."""
    return Check(draft=draft, severity="warning", rule=rule, text=text, suggestion=suggestion)


@lru_cache(maxsize=256)
def _whole_word(word: str) -> re.Pattern[str]:
    """word as a whole word (a workload or person name, lowercase): compiled once, not looked up per line."""
    return re.compile(rf"\b{re.escape(word)}\b")


def _line_checks(
    draft: str,
    line: str,
    index: ActionIndex,
    names: set[str],
    status_by_workload: Mapping[str, str],
    strict: bool,
) -> list[Check]:
    """One draft line against the facts: the due date (or TBD) and owner of the action it mentions, the status of
    the workload it names. strict (model-written drafts): a line about an action must name its owner."""
    checks: list[Check] = []
    low = line.lower()
    matched = index.matches(line, min_words=2)
    if matched:
        nline = _norm(line)
        dues = [ai.due for ai in matched if ai.due]
        line_dates = find_dates(line)
        said = {(d.month, d.day) for d in line_dates}
        if dues and said and not any((due.month, due.day) in said for due in dues):
            why = f"The action is due {dues[0]:%b %d} in the facts and the FTOP entry."
            checks.append(_warning(draft, "consistency.due", clip(line), why))
        elif not dues and said and not any(_norm(d.text) in _norm(ai.action) for ai in matched for d in line_dates):
            why = "The action has no due date in the facts (TBD): this date is not the notes'."
            checks.append(_warning(draft, "consistency.due", clip(line), why))
        owners = {_norm(ai.owner) for ai in matched if ai.owner}
        padded = f" {nline} "
        named = any(o in nline for o in owners) or any(
            f" {part} " in padded for o in owners for part in o.split() if len(part) >= 3
        )
        if owners and not named:
            others = [n for n in names if n and n not in owners and n in nline and _whole_word(n).search(nline)]
            if others or strict:
                checks.append(_warning(draft, "consistency.owner", clip(line),
                                       f"The owner is {matched[0].owner} elsewhere."))  # fmt: skip
    mentioned = [w for w in status_by_workload if w in low and _whole_word(w).search(low)]
    stated = {m.group(0).lower() for m in _STATUS_IN_TEXT_RE.finditer(line)} if len(mentioned) == 1 else set()
    if len(mentioned) == 1 and len(stated) == 1:
        want = status_by_workload[mentioned[0]]
        if want.lower() not in stated:
            checks.append(_warning(draft, "consistency.status", clip(line), f"The status is {want} in the FTOP entry."))
    return checks


def consistency_checks(
    bundle: DraftBundle,
    strict_drafts: frozenset[str] | set[str] = frozenset(),
    check_also: frozenset[str] | set[str] = frozenset(),
) -> list[Check]:
    """Owners, due dates and workload statuses agree across the follow-up email, the FTOP entry and the invites.

    strict_drafts: drafts (model-written ones) where a line about an action must name that action's owner.
    check_also: other emails whose lines are checked too (model-written ones: internal_invite, intro_request,
    sync_rhythm, teams_channel)."""
    facts, drafts = bundle.facts, bundle.drafts
    checks: list[Check] = []
    people = [
        p
        for p in (*bundle.engagement.account_team, bundle.engagement.fm, bundle.engagement.fta, *facts.attendees)
        if p is not None and p.name
    ]
    names = {_norm(p.name) for p in people if p.name}
    index = ActionIndex(facts.action_items)
    owner_keys = OwnerKeys(people)

    # FTOP next actions vs the action items.
    for na in drafts.ftop.next_actions:
        cands = index.matches(na.action)
        match = next((ai for ai in cands if na.owner and ai.owner and owner_keys.same(na.owner, ai.owner)), None)
        match = match or next(iter(cands), None)
        if match is None:
            continue
        moved = match.owner and na.owner and not owner_keys.same(na.owner, match.owner)
        invented = "ftop" in strict_drafts and na.owner and not match.owner  # the facts say TBD
        if moved or invented:
            checks.append(
                _warning(
                    "ftop",
                    "consistency.owner",
                    f"{na.action}: {na.owner} (follow-up facts: {match.owner or 'no owner'})",
                    f"Use one owner everywhere: {match.owner}."
                    if match.owner
                    else "The notes name no owner for this action: write 'Owner to confirm', as the follow-up does.",
                )
            )
        if na.due != match.due:
            checks.append(
                _warning(
                    "ftop",
                    "consistency.due",
                    f"{na.action}: {na.due or 'no date'} (facts: {match.due or 'no date'})",
                    "Use one due date everywhere.",
                )
            )

    # FTOP service intent notes vs the facts.
    status_by_workload = {i.workload.lower(): i.status for i in facts.intents}
    for sin in drafts.ftop.service_intent_notes:
        want = status_by_workload.get(sin.workload.lower())
        if want and want != sin.status:
            checks.append(
                _warning(
                    "ftop",
                    "consistency.status",
                    f"{sin.workload}: {sin.status} (facts: {want})",
                    f"Use one status for {sin.workload} everywhere: {want}.",
                )
            )

    # The follow-up email's and the FTOP entry's lines vs owners, dates (TBD included) and statuses.
    texts = [("follow_up", drafts.follow_up.body), ("ftop", drafts.ftop.text)]
    others = [("internal_invite", drafts.internal_invite.email), ("intro_request", drafts.intro_request.email),
              ("sync_rhythm", drafts.sync_rhythm.email), ("teams_channel", drafts.teams_channel)]  # fmt: skip
    texts += [(d, e.body) for d, e in others if e is not None and d in check_also]
    for draft, text in texts:
        strict = draft in strict_drafts
        for line in text.splitlines():
            checks += _line_checks(draft, line, index, names, status_by_workload, strict)

    # Invites vs their emails, and the sync cadence everywhere.
    inv, em = drafts.internal_invite.invite, drafts.internal_invite.email
    if {r.display for r in inv.required} != {r.display for r in em.to} or {r.display for r in inv.optional} != {
        r.display for r in em.cc
    }:
        checks.append(
            _warning(
                "internal_invite",
                "consistency.invitees",
                "invite required/optional differ from the email's To/Cc",
                "Mandatory roles (ATS, TAM) are required in the invite and in To; the others optional and in Cc.",
            )
        )
    rhythm = facts.sync_rhythm
    sync_inv = drafts.sync_rhythm.invite
    if rhythm and rhythm.cadence and sync_inv and sync_inv.rrule:
        rr = sync_inv.rrule.upper()
        got = "monthly" if "FREQ=MONTHLY" in rr else ("biweekly" if "INTERVAL=2" in rr else "weekly")
        if got != rhythm.cadence:
            checks.append(
                _warning("sync_rhythm", "consistency.cadence", sync_inv.rrule, f"The notes say {rhythm.cadence}.")
            )
    if rhythm and rhythm.cadence:
        for name, body in (("sync_rhythm", drafts.sync_rhythm.email.body), ("follow_up", drafts.follow_up.body)):
            for m in _CADENCE_RE.finditer(body):
                if _cadence_of(m.group(0)) != rhythm.cadence:
                    checks.append(
                        _warning(
                            name, "consistency.cadence", m.group(0), f"The notes say the sync is {rhythm.cadence}."
                        )
                    )
    return checks
