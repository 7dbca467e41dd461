"""Drafting on the model path: every draft written from the validated facts (never the raw notes), all at once.

The offline engine renders every draft first (milliseconds): that is both the template version the model
rewrites and each draft's own fallback. The model only writes prose; structure that must stay right
(calendar invites, the follow-up's recipients, FTOP next actions and intent notes) comes from the facts.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, field_validator

from .config import Settings
from .llm import (
    PROMPT_CANARY,
    Budget,
    ChatModel,
    ChatReply,
    ChatRequest,
    InvalidOutput,
    Message,
    ModelGaveUp,
    TokenSink,
    call_model,
    check_finished,
    fallback_provenance,
    model_provenance,
    parse_structured,
)
from .schemas import (
    FTOP_HEADINGS,
    CallFacts,
    Check,
    Drafts,
    Email,
    Engagement,
    FtopEntry,
    InternalInvite,
    IntroRequest,
    Model,
    Person,
    Provenance,
    Recipient,
    SyncRhythmDraft,
)
from .templating import render

# prep stays with the rules engine on purpose: it is the fixed Initiate-phase checklist for the motion
# (domain.md), with nothing for a model to phrase better and something for it to get wrong.
MODEL_DRAFTS: tuple[str, ...] = (
    "internal_invite",
    "intro_request",
    "teams_channel",
    "follow_up",
    "ftop",
    "sync_rhythm",
)
TITLES: dict[str, str] = {
    "internal_invite": "internal invite email to the account team",
    "intro_request": "customer-intro request email",
    "teams_channel": "Teams channel request email",
    "follow_up": "follow-up email after the account-team sync",
    "ftop": "FTOP Engagement Management note",
    "sync_rhythm": "field-team sync rhythm email",
}


# ---------------------------------------------------------------- what the model returns


class EmailOut(Model):
    to: list[Recipient] = Field(default_factory=list)
    cc: list[Recipient] = Field(default_factory=list)
    subject: str
    body: str

    @field_validator("subject")
    @classmethod
    def _one_line(cls, v: str) -> str:
        if "\r" in v or "\n" in v:
            raise ValueError("the subject must be a single line")
        if not v.strip():
            raise ValueError("the subject is empty")
        return v.strip()

    @field_validator("body")
    @classmethod
    def _not_empty(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("the body is empty")
        return v


class IntroRequestOut(Model):
    email: EmailOut
    customer_blurb: str


class FtopOut(Model):
    participants: list[str] = Field(default_factory=list)
    discussion_points: list[str] = Field(default_factory=list)
    customer_questions: list[str] = Field(default_factory=list)
    ftc_actions: list[str] = Field(default_factory=list)
    playbook_task: str = "Kickoff Call"
    text: str

    @field_validator("text")
    @classmethod
    def _headings(cls, v: str) -> str:
        heads = [line.strip().lstrip("#*- ").lower() for line in v.splitlines()]
        missing = [h for h in FTOP_HEADINGS if not any(line.startswith(h.lower()) for line in heads)]
        if missing:
            raise ValueError("the FTOP text lacks the heading(s): " + ", ".join(missing))
        return v


SCHEMAS: dict[str, type[BaseModel] | None] = {
    "internal_invite": EmailOut,
    "intro_request": IntroRequestOut,
    "teams_channel": EmailOut,
    "follow_up": None,  # plain text, streamed
    "ftop": FtopOut,
    "sync_rhythm": EmailOut,
}


class BodyOnly:
    """Forwards a streamed follow-up to the reader without its 'Subject:' line (the subject is shown apart)."""

    def __init__(self, sink: TokenSink) -> None:
        self._sink = sink
        self._head: str | None = ""  # the first line, until it is complete; None afterwards
        self._skipping = False  # dropping the blank line(s) between the subject and the body

    def __call__(self, chunk: str) -> None:
        if self._head is not None:
            self._head += chunk
            if "\n" not in self._head:
                return
            first, _sep, chunk = self._head.partition("\n")
            self._head = None
            if first.lower().lstrip().startswith("subject:"):
                self._skipping = True
            else:
                chunk = first + "\n" + chunk
        if self._skipping:
            chunk = chunk.lstrip("\n")
            self._skipping = not chunk
        if chunk:
            self._sink(chunk)


def parse_follow_up(reply: ChatReply) -> EmailOut:
    """'Subject: ...' then a blank line then the body; recipients are not the model's to choose."""
    check_finished(reply)
    text = reply.text.strip()
    head, _sep, body = text.partition("\n")
    if not head.lower().startswith("subject:"):
        raise InvalidOutput("the reply must start with a 'Subject:' line, then a blank line, then the body")
    try:
        return EmailOut(subject=head.split(":", 1)[1].strip(), body=body.strip("\n"))
    except ValueError as exc:
        raise InvalidOutput(str(exc)) from None


# ---------------------------------------------------------------- recipients: the roster only


def roster_people(engagement: Engagement) -> list[Person]:
    people = list(engagement.account_team)
    people += [p for p in (engagement.fta, engagement.fm) if p is not None]
    return people


def _recipient(person: Person) -> Recipient:
    return Recipient(name=person.name, email=person.email, role=person.role if person.role != "customer" else "other")


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def check_recipients(
    name: str, proposed: list[Recipient], engagement: Engagement, allowed_extra: list[Recipient]
) -> tuple[list[Recipient], list[Check]]:
    """Keep recipients that are on the roster (rewritten exactly as the roster has them); drop the rest
    with a finding. A recipient matches by email, else by name; a known name with a different email gets
    the roster's email (a model or an injected line must not redirect mail). Role-only placeholders are
    kept only when the template version has the same placeholder."""
    people = roster_people(engagement)
    kept: list[Recipient] = []
    checks: list[Check] = []
    for r in proposed:
        match: Recipient | None = None
        by_email = [p for p in people if r.email and p.email and _fold(p.email) == _fold(r.email)]
        by_name = [p for p in people if r.name and p.name and _fold(p.name) == _fold(r.name)]
        if by_email:
            match = _recipient(by_email[0])
        elif by_name:
            match = _recipient(by_name[0])
        elif not r.name and not r.email:
            match = next((a for a in allowed_extra if not a.name and not a.email and a.role == r.role), None)
        if match is None:
            checks.append(
                Check(
                    draft=name,
                    severity="warning",
                    rule="recipient_not_on_roster",
                    text=r.display,
                    suggestion="Removed: recipients come only from the engagement's account team, FTA and FM. "
                    "Add the person to the engagement context if they should get this email.",
                )
            )
            continue
        if match not in kept:
            kept.append(match)
    return kept, checks


def _email(name: str, out: EmailOut, template: Email, engagement: Engagement) -> tuple[Email, list[Check]]:
    allowed = template.to + template.cc
    to, checks = check_recipients(name, out.to, engagement, allowed)
    cc, more = check_recipients(name, out.cc, engagement, allowed)
    cc = [r for r in cc if r not in to]
    if not to:  # nobody valid left to send it to: the roster-derived recipients of the template
        to, cc = list(template.to), [r for r in (cc or template.cc) if r not in template.to]
    email = Email(audience=template.audience, to=to, cc=cc, subject=out.subject, body=out.body)
    return email, checks + more


# ---------------------------------------------------------------- merge: model prose onto the template


def merge(name: str, parsed: BaseModel, template: Any, engagement: Engagement) -> tuple[Any, list[Check]]:
    """The final draft from the model's validated output and the template version."""
    if name == "internal_invite":
        assert isinstance(parsed, EmailOut) and isinstance(template, InternalInvite)
        email, checks = _email(name, parsed, template.email, engagement)
        return InternalInvite(email=email, invite=template.invite), checks
    if name == "intro_request":
        assert isinstance(parsed, IntroRequestOut) and isinstance(template, IntroRequest)
        email, checks = _email(name, parsed.email, template.email, engagement)
        blurb = parsed.customer_blurb.strip() or template.customer_blurb
        return IntroRequest(email=email, customer_blurb=blurb), checks
    if name in ("teams_channel",):
        assert isinstance(parsed, EmailOut) and isinstance(template, Email)
        return _email(name, parsed, template, engagement)
    if name == "follow_up":
        assert isinstance(parsed, EmailOut) and isinstance(template, Email)
        # recipients were never the model's to write: the template's roster-derived ones stand
        return template.model_copy(update={"subject": parsed.subject, "body": parsed.body}), []
    if name == "ftop":
        assert isinstance(parsed, FtopOut) and isinstance(template, FtopEntry)
        update = parsed.model_dump()
        return template.model_copy(update=update), []
    if name == "sync_rhythm":
        assert isinstance(parsed, EmailOut) and isinstance(template, SyncRhythmDraft)
        email, checks = _email(name, parsed, template.email, engagement)
        return SyncRhythmDraft(email=email, invite=template.invite), checks
    raise ValueError(f"no model draft named {name!r}")


# ---------------------------------------------------------------- prompts


def _strip_sources(node: Any) -> Any:
    """Facts for drafting carry no sources: those hold raw note lines, and drafts are written from facts."""
    if isinstance(node, dict):
        return {k: _strip_sources(v) for k, v in node.items() if k != "sources" and v not in (None, [], "")}
    if isinstance(node, list):
        return [_strip_sources(v) for v in node]
    return node


def facts_for_drafting(facts: CallFacts) -> dict[str, Any]:
    return _strip_sources(facts.model_dump(mode="json"))


def build_request(name: str, engagement: Engagement, facts: CallFacts, template: Any, *, stream: bool) -> ChatRequest:
    title = TITLES[name]
    roster = [
        f"{p.name or '(name unknown)'} <{p.email or 'no email known'}> ({p.role})" for p in roster_people(engagement)
    ]
    system = render("llm/draft.system.j2", name=name, task_title=title, canary=PROMPT_CANARY)
    user = render(
        "llm/draft.user.j2",
        roster=roster or ["(nobody: leave to and cc empty)"],
        engagement_json=json.dumps(_strip_sources(engagement.model_dump(mode="json")), ensure_ascii=False),
        facts_json=json.dumps(facts_for_drafting(facts), ensure_ascii=False),
        template_json=json.dumps(_strip_sources(template.model_dump(mode="json")), ensure_ascii=False),
        task_title=title,
    )
    return ChatRequest(
        step=f"draft:{name}",
        messages=(Message("system", system), Message("user", user)),
        schema=SCHEMAS[name],
        stream=stream,
    )


def reask_message(errors: str) -> str:
    return render("llm/reask.user.j2", errors=errors)


# ---------------------------------------------------------------- one draft, all drafts


@dataclass
class DraftResult:
    draft: Any
    provenance: Provenance
    checks: list[Check] = field(default_factory=list)


def draft_one(
    name: str,
    model: ChatModel,
    engagement: Engagement,
    facts: CallFacts,
    template: Any,
    *,
    settings: Settings,
    budget: Budget,
    on_token: TokenSink | None = None,
) -> DraftResult:
    """One draft through the model, or the template version with the reason it fell back. Model failures
    never escape; a bug in ftdraft does (tests must see it)."""
    started = time.monotonic()
    stream = name == "follow_up" and on_token is not None
    on_token = BodyOnly(on_token) if on_token is not None else None
    request = build_request(name, engagement, facts, template, stream=stream)
    schema = SCHEMAS[name]

    def parse(reply: ChatReply) -> BaseModel:
        return parse_follow_up(reply) if schema is None else parse_structured(reply, schema)

    try:
        outcome = call_model(
            model, request, parse, settings=settings, budget=budget, reask=reask_message, on_token=on_token
        )
        draft, checks = merge(name, outcome.value, template, engagement)
    except ModelGaveUp as exc:
        return DraftResult(
            draft=template,
            provenance=fallback_provenance(exc, model.name, "Drafted offline", started),
        )
    return DraftResult(
        draft=draft,
        provenance=model_provenance(outcome, started),
        checks=checks,
    )


def draft_with_model(
    model: ChatModel,
    engagement: Engagement,
    facts: CallFacts,
    *,
    settings: Settings,
    budget: Budget,
    on_follow_up_token: TokenSink | None = None,
) -> tuple[Drafts, dict[str, Provenance], list[Check]]:
    """Every draft in parallel, each with its own fallback. The follow-up runs on the caller's thread so
    its token callback does too (Streamlit can only write to the page from the script thread); the others
    run as a langchain-core RunnableParallel with one worker per draft, so they take one round trip."""
    from langchain_core.runnables import RunnableLambda, RunnableParallel

    from .drafts import render_drafts

    templates = render_drafts(engagement, facts)
    names = [n for n in MODEL_DRAFTS if getattr(templates, n) is not None]

    def runner(name: str) -> Callable[[Any], DraftResult]:
        def run(_input: Any) -> DraftResult:
            return draft_one(name, model, engagement, facts, getattr(templates, name), settings=settings, budget=budget)

        return run

    others = [n for n in names if n != "follow_up"]
    parallel = RunnableParallel({n: RunnableLambda(runner(n)) for n in others})
    results: dict[str, DraftResult] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ftdraft-drafts") as pool:
        # max_concurrency: langchain's default pool has min(32, cores + 4) workers: on a 2-core machine
        # that queues the sixth draft behind the others and costs a second round trip.
        future = pool.submit(parallel.invoke, None, {"max_concurrency": max(1, len(others))})
        if "follow_up" in names:
            results["follow_up"] = draft_one(
                "follow_up",
                model,
                engagement,
                facts,
                templates.follow_up,
                settings=settings,
                budget=budget,
                on_token=on_follow_up_token,
            )
        results.update(future.result())

    drafts = templates.model_copy(update={n: r.draft for n, r in results.items()})
    provenance = {n: r.provenance for n, r in results.items()}
    provenance["prep"] = Provenance(engine="offline")
    for n in MODEL_DRAFTS:
        provenance.setdefault(n, Provenance(engine="offline"))  # a draft the facts don't call for
    checks = [c for n in names for c in results[n].checks]
    return drafts, provenance, checks
