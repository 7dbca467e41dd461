"""Drafting on the model path: every draft written from the validated facts (never the raw notes), all at once.

The offline engine renders every draft first (milliseconds): that is both the template version the model
rewrites and each draft's own fallback. The model only writes prose; structure that must stay right
(calendar invites, the follow-up's recipients, FTOP next actions and intent notes) comes from the facts.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..config import Settings
from ..schemas import (
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
from ..templating import render
from .interface import (
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
    fallback_provenance,
    model_provenance,
)
from .parsing import ThinkFilter, check_finished, parse_structured, strip_think

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


RECIPIENT_RE = re.compile(r"^\s*(?P<name>[^<>()]*?)\s*(?:<(?P<email>[^<>]*)>)?\s*(?:\((?P<role>[^()]*)\))?\s*$")


def recipient_text(person: Person | Recipient) -> str:
    """A roster line as the model reads and writes it: 'Name <email> (role)'."""
    return f"{person.name or '(name unknown)'} <{person.email or 'no email known'}> ({person.role or 'other'})"


def parse_recipient(text: str) -> Recipient:
    """'Name <email> (role)', 'Name', '<email>' or a bare address as a Recipient; the roster's placeholders
    ('(name unknown)', 'no email known') are unknowns. Roles are not taken from the model."""
    m = RECIPIENT_RE.match(text)
    name, email = (m.group("name"), m.group("email")) if m else (text, None)
    if not email and name and "@" in name and " " not in name.strip():
        name, email = None, name
    name = (name or "").strip() or None
    email = (email or "").strip() or None
    return Recipient(
        name=None if name in (None, "(name unknown)") else name,
        email=None if email in (None, "no email known") else email,
    )


class EmailOut(Model):
    """An email as the model writes it: recipients as roster lines ('Name <email> (role)'), which
    check_recipients maps back onto the roster."""

    to: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    subject: str
    body: str

    @field_validator("to", "cc", mode="before")
    @classmethod
    def _as_lines(cls, v: Any) -> Any:
        if not isinstance(v, list):
            return v
        return [recipient_text(Recipient.model_validate(r)) if isinstance(r, dict) else r for r in v]

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


class FtopOut(BaseModel):
    """The FTOP note as the model writes it: the copy-ready text. Its lists (participants, discussion
    points, ...) stay the template's, derived from the facts; other keys a model adds are ignored."""

    model_config = ConfigDict(extra="ignore")

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
    """'Subject: ...' then a blank line then the body (think blocks removed first); recipients are not the
    model's to choose."""
    text = strip_think(reply.text).strip()
    check_finished(reply, text)
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
    """Keep recipients that are on the roster (rewritten exactly as the roster has them) and have an email
    address; drop the rest with a finding. A recipient matches by email, else by name; a known name with a
    different email gets the roster's email (a model or an injected line must not redirect mail). A roster
    person without an address, or a role-only placeholder, is never a recipient (issue 10, "Recipients": they
    are named or asked about in the body)."""
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
        if match is not None and not match.email:  # issue 10: To/Cc hold only people with an address
            checks.append(
                Check(
                    draft=name,
                    severity="warning",
                    rule="recipient_without_address",
                    text=match.display,
                    suggestion="Removed: no email address on file. The body names them instead; add their "
                    "address to the engagement to put them in To/Cc.",
                )
            )
            continue
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
    to, checks = check_recipients(name, [parse_recipient(t) for t in out.to], engagement, allowed)
    cc, more = check_recipients(name, [parse_recipient(t) for t in out.cc], engagement, allowed)
    cc = [r for r in cc if r not in to]
    if not to:  # nobody valid left to send it to: the roster-derived recipients of the template
        to, cc = list(template.to), [r for r in (cc or template.cc) if r not in template.to]
    body = with_sign_off(with_unaddressed(out.body, template.body, engagement), engagement)
    email = Email(audience=template.audience, to=to, cc=cc, subject=out.subject, body=body)
    return email, checks + more


# ---------------------------------------------------------------- the FM and the people in the body


def fm_sign_name(engagement: Engagement) -> str:
    """The name the FM signs with: FTDRAFT_FM_NAME / the engagement's FM, else the visible placeholder
    '[your name]' (issue 10, "The FM's identity")."""
    from ..drafts.core import FM_PLACEHOLDER

    fm = engagement.fm
    return " ".join(fm.name.split()) if fm is not None and fm.name and fm.name.strip() else FM_PLACEHOLDER


def unaddressed_people(engagement: Engagement) -> list[Person]:
    """Roster people (not the FM) who have a name but no email address: named in a body, never in To/Cc."""
    return [p for p in roster_people(engagement) if p.name and p.name.strip() and not p.email and p.role != "FM"]


def model_emails(out: BaseModel) -> list[EmailOut]:
    if isinstance(out, EmailOut):
        return [out]
    if isinstance(out, IntroRequestOut):
        return [out.email]
    return []


# "Owner: TBD", a step led by "FM to/will" (not "add the FM to the channel"), a person written as unknown
_THIRD_PERSON_FM_RE = re.compile(r"\bOwner: TBD\b|^\s*(?:[-•*]\s*)?FM (?:to|will)\b|\bname unknown\b", re.MULTILINE)


def rule_problems(name: str, out: BaseModel, template: Any, engagement: Engagement) -> list[str]:
    """What a model reply breaks of the drafts' rules (issue 10), as errors the model is asked to fix (once,
    then the template stands): a recipient without an email address or a role placeholder in to/cc (the
    follow-up's recipients are not the model's), the FM's steps in the third person or an owner "TBD", a person
    written as "name unknown". Empty when the reply keeps the rules."""
    problems: list[str] = []
    for email in model_emails(out):
        if name != "follow_up":
            for line in [*email.to, *email.cc]:
                r = parse_recipient(line)
                person = next(
                    (p for p in roster_people(engagement) if r.name and p.name and _fold(p.name) == _fold(r.name)),
                    None,
                )
                if not r.email and not (person and person.email):
                    who = r.name or line
                    problems.append(
                        f"{who} has no email address, so must not be in to/cc: name them in the body instead "
                        f"(e.g. 'please forward this to {who}'); a role nobody holds is asked about in the body"
                    )
        if m := _THIRD_PERSON_FM_RE.search(email.body):
            problems.append(
                f"'{m.group(0)}' in the body: write the FM's own steps as 'I'll …', and never address or name a "
                "person as unknown (ask about the role instead)"
            )
    return problems


# The lines of prompts/offline/_macros.j2 "addressing" that name the people without an address.
_ADDRESSING_RE = re.compile(r"\s*(?:Please forward this to |\[Before sending: no email address on file for )")


def with_unaddressed(body: str, template_body: str, engagement: Engagement) -> str:
    """The body still naming everyone the template addresses in its body for lack of an address: the
    template's addressing lines ("Please forward this to Sam Ito (FTA).", "[Before sending: no email address on
    file for …]") that name a person the model's body left out go back in after the greeting."""
    missing = [p.name for p in unaddressed_people(engagement) if p.name and p.name in template_body]
    missing = [n for n in missing if n not in body]
    if not missing:
        return body
    lines = [ln for ln in template_body.splitlines() if _ADDRESSING_RE.match(ln) and any(n in ln for n in missing)]
    if not lines:
        return body
    head, sep, rest = body.partition("\n")
    if sep and re.match(r"\s*(?:hi|hello|dear|hey)\b", head, re.IGNORECASE):
        return head + "\n\n" + "\n".join(lines) + "\n" + rest
    return "\n".join(lines) + "\n\n" + body


_CLOSING_RE = re.compile(
    r"\s*(?:thanks|thank you|many thanks|best|best regards|kind regards|regards|cheers|all the best)\s*[,.!]?\s*$",
    re.IGNORECASE,
)


def with_sign_off(body: str, engagement: Engagement) -> str:
    """The body signed by the FM: unchanged when it already names the FM (full or first name, or the
    placeholder when the FM is unknown); a closing signed with another name gets the FM's; else a 'Thanks,'
    sign-off in the FM's name is appended."""
    sign = fm_sign_name(engagement)
    tail = body.rstrip()[-200:]
    if sign in tail or sign.split()[0] in tail.split():
        return body
    lines = body.rstrip().splitlines()
    if len(lines) >= 2 and _CLOSING_RE.match(lines[-2]) and len(lines[-1].split()) <= 4:
        return "\n".join([*lines[:-1], sign]) + "\n"  # signed with another name: only the FM signs
    return body.rstrip("\n") + f"\n\nThanks,\n{sign}\n"


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
        body = with_sign_off(with_unaddressed(parsed.body, template.body, engagement), engagement)
        return template.model_copy(update={"subject": parsed.subject, "body": body}), []
    if name == "ftop":
        assert isinstance(parsed, FtopOut) and isinstance(template, FtopEntry)
        _head, tail = split_ftop(template.text)
        text = parsed.text.rstrip("\n")
        _model_head, model_tail = split_ftop(text)
        if model_tail:  # the model wrote the structured sections anyway: the template's stand
            text = _model_head.rstrip("\n")
        return template.model_copy(update={"text": text + ("\n\n" + tail if tail else "\n")}), []
    if name == "sync_rhythm":
        assert isinstance(parsed, EmailOut) and isinstance(template, SyncRhythmDraft)
        email, checks = _email(name, parsed, template.email, engagement)
        return SyncRhythmDraft(email=email, invite=template.invite), checks
    raise ValueError(f"no model draft named {name!r}")


# ---------------------------------------------------------------- prompts


def compact(node: Any) -> Any:
    """JSON for the prompt without what the drafts do not need: sources (they hold raw note lines, and
    drafts are written from facts), nulls, empty lists and strings."""
    if isinstance(node, dict):
        return {k: compact(v) for k, v in node.items() if k != "sources" and v not in (None, [], "", {})}
    if isinstance(node, list):
        return [compact(v) for v in node]
    return node


# What the drafts take from the facts beyond their template versions (which already hold every fact each
# draft needs: open items, discussion points, intents and the sync included; the roster names the people):
# the actions, asks, risks and timeline. The rest would repeat the templates in every request.
DRAFTING_FACTS: tuple[str, ...] = ("action_items", "asks", "risks", "timeline")


def facts_for_drafting(facts: CallFacts) -> dict[str, Any]:
    """The facts as the drafts see them: DRAFTING_FACTS only, compact (no sources, nulls, defaults)."""
    data = compact(facts.model_dump(mode="json", include=set(DRAFTING_FACTS), exclude_defaults=True))
    for item in data.get("action_items", []):
        item.pop("owner_role", None)  # the roster gives every owner's role once
    return data


FTOP_TAIL_RE = re.compile(r"^\s*(next actions|service intent)", re.IGNORECASE | re.MULTILINE)


def split_ftop(text: str) -> tuple[str, str]:
    """An FTOP note as (prose sections, structured tail): the tail starts at the "Next actions" or
    "Service Intent" heading; it lists owners, dates, statuses and reasons that must stay exactly the
    facts', so the model never rewrites it and ftdraft appends the template's."""
    m = FTOP_TAIL_RE.search(text)
    return (text, "") if m is None else (text[: m.start()].rstrip() + "\n", text[m.start() :].lstrip("\n"))


def template_for_model(name: str, template: Any) -> dict[str, Any]:
    """The part of a draft's template version the model rewrites (compact): the email without its audience,
    the follow-up's subject and body (its recipients are fixed), the FTOP note's text; never the calendar
    invites or the FTOP's structured next actions and intent notes (split_ftop), which stay the template's."""
    data = compact(template.model_dump(mode="json"))
    if name == "follow_up":
        return {k: data[k] for k in ("subject", "body") if k in data}
    if name == "ftop":
        return {"text": split_ftop(data.get("text", ""))[0]}

    def email(e: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in e.items() if k != "audience"}
        for key in ("to", "cc"):
            if key in out:
                out[key] = [recipient_text(Recipient.model_validate(r)) for r in out[key]]
        return out

    if "email" in data:
        if name in ("internal_invite", "sync_rhythm"):
            return email(data["email"])
        return {k: email(v) if k == "email" else v for k, v in data.items() if k != "invite"}
    return email(data)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class SharedPrefix:
    """What every draft request of a bundle starts with, byte for byte (system rules, roster, engagement,
    facts): providers cache a repeated prefix (OpenAI: from 1,024 tokens), so the round pays for it once."""

    system: str
    user_head: str


def shared_prefix(engagement: Engagement, facts: CallFacts) -> SharedPrefix:
    # people with no address are listed once, under "No email known", not in the roster of recipients too
    roster = [recipient_text(p) for p in roster_people(engagement) if p.email]
    # the roster already names the account team, FTA and FM
    context = compact(
        engagement.model_dump(mode="json", exclude={"account_team", "fta", "fm", "workloads"}, exclude_defaults=True)
    )
    head = render(
        "llm/draft.user.j2",
        fm=fm_sign_name(engagement),
        fm_email=(engagement.fm.email if engagement.fm and engagement.fm.email else None),
        unaddressed=[recipient_text(p) for p in unaddressed_people(engagement)],
        roster=roster or ["(nobody: leave to and cc empty)"],
        engagement_json=dumps(context),
        facts_json=dumps(facts_for_drafting(facts)),
    )
    return SharedPrefix(system=render("llm/draft.system.j2", canary=PROMPT_CANARY), user_head=head)


def build_request(
    name: str,
    engagement: Engagement,
    facts: CallFacts,
    template: Any,
    *,
    stream: bool,
    prefix: SharedPrefix | None = None,
    max_tokens: int | None = None,
) -> ChatRequest:
    """The request for draft `name`: the shared prefix, then this draft's task and template version."""
    prefix = prefix or shared_prefix(engagement, facts)
    title = TITLES[name]
    task = render(
        "llm/draft_task.user.j2",
        name=name,
        task_title=title,
        template_json=dumps(template_for_model(name, template)),
    )
    return ChatRequest(
        step=f"draft:{name}",
        messages=(Message("system", prefix.system), Message("user", prefix.user_head + "\n" + task)),
        schema=SCHEMAS[name],
        stream=stream,
        max_tokens=max_tokens,
    )


def prepare_drafting() -> None:
    """What the drafting round needs before its first request, done while the extraction request is in
    flight: the offline drafts engine and the guardrails imported, every prompt template (the offline
    drafts' and the model's) compiled, the draft replies' strict schemas built."""
    from .. import drafts, guards  # noqa: F401  (imported for their load time)
    from ..templating import environment
    from .jsonschema import strict_schema_text

    env = environment()
    for name in env.list_templates(filter_func=lambda path: path.startswith(("offline/", "llm/"))):
        env.get_template(name)
    for schema in SCHEMAS.values():
        if schema is not None:
            strict_schema_text(schema)


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
    prefix: SharedPrefix | None = None,
    on_sent: Callable[[], None] | None = None,
) -> DraftResult:
    """One draft through the model, or the template version with the reason it fell back. Model failures
    never escape; a bug in ftdraft does (tests must see it). The streamed follow-up reaches `on_token`
    without a think block and without its Subject line. on_sent: see ChatRequest.on_sent."""
    started = time.monotonic()
    stream = name == "follow_up" and on_token is not None
    on_token = BodyOnly(on_token) if on_token is not None else None
    max_tokens = settings.reply_tokens("draft", model.reasoning)
    request = build_request(name, engagement, facts, template, stream=stream, prefix=prefix, max_tokens=max_tokens)
    if on_sent is not None:
        request = replace(request, on_sent=on_sent)
    schema = SCHEMAS[name]

    def parse(reply: ChatReply) -> BaseModel:
        out = parse_follow_up(reply) if schema is None else parse_structured(reply, schema)
        problems = rule_problems(name, out, template, engagement)
        if problems:
            raise InvalidOutput("; ".join(problems))
        return out

    try:
        outcome = call_model(
            model,
            request,
            parse,
            settings=settings,
            budget=budget,
            reask=reask_message,
            on_token=on_token,
            stream_filter=ThinkFilter,
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


def _set_on_done(event: threading.Event, _done: object) -> None:
    event.set()


def draft_with_model(
    model: ChatModel,
    engagement: Engagement,
    facts: CallFacts,
    *,
    settings: Settings,
    budget: Budget,
    on_follow_up_token: TokenSink | None = None,
    while_waiting: Callable[[], Any] | None = None,
) -> tuple[Drafts, dict[str, Provenance], list[Check]]:
    """Every draft in parallel, each with its own fallback, in one round trip. A streamed follow-up
    (on_follow_up_token) runs on the caller's thread so its token callback does too (Streamlit can only
    write to the page from the script thread); every other draft runs on a thread of its own, and then
    while_waiting runs on the caller's thread once their requests are out, while they are in flight (the
    pipeline readies the guardrails). Every request starts with the same SharedPrefix."""
    from ..drafts import render_drafts

    templates = render_drafts(engagement, facts)
    names = [n for n in MODEL_DRAFTS if getattr(templates, n) is not None]
    prefix = shared_prefix(engagement, facts)
    here = "follow_up" if on_follow_up_token is not None and "follow_up" in names else None
    others = [n for n in names if n != here]
    results: dict[str, DraftResult] = {}
    sent = {n: threading.Event() for n in others}
    with ThreadPoolExecutor(max_workers=max(1, len(others)), thread_name_prefix="ftdraft-draft") as pool:
        futures = {
            n: pool.submit(
                draft_one,
                n,
                model,
                engagement,
                facts,
                getattr(templates, n),
                settings=settings,
                budget=budget,
                prefix=prefix,
                on_sent=sent[n].set if while_waiting is not None else None,
            )
            for n in others
        }
        if here is not None:
            results[here] = draft_one(
                here,
                model,
                engagement,
                facts,
                templates.follow_up,
                settings=settings,
                budget=budget,
                on_token=on_follow_up_token,
                prefix=prefix,
            )
        if while_waiting is not None:
            for n, future in futures.items():
                future.add_done_callback(partial(_set_on_done, sent[n]))
            for event in sent.values():
                event.wait()  # every request is out: while_waiting no longer holds one up
            while_waiting()
        results.update({n: f.result() for n, f in futures.items()})

    order = [n for n in names if n == "follow_up"] + [n for n in names if n != "follow_up"]  # the JSON's order
    drafts = templates.model_copy(update={n: results[n].draft for n in order})
    provenance = {n: results[n].provenance for n in order}
    provenance["prep"] = Provenance(engine="offline")
    for n in MODEL_DRAFTS:
        provenance.setdefault(n, Provenance(engine="offline"))  # a draft the facts don't call for
    checks = [c for n in names for c in results[n].checks]
    return drafts, provenance, checks
