"""The one contract: every engine produces these types and the UI and exports consume them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

Motion = Literal["RFA", "Health", "Targeted"]
Role = Literal["ATS", "TAM", "AE", "CSM", "TSP", "SSP", "ADE", "other"]
AttendeeRole = Literal["ATS", "TAM", "AE", "CSM", "TSP", "SSP", "ADE", "FM", "FTA", "customer", "other"]
Origin = Literal["notes", "agenda", "context"]
EngineName = Literal["offline", "llm"]
Audience = Literal["account_team", "customer", "internal"]
Severity = Literal["error", "warning", "info"]

MANDATORY_ROLES: tuple[Role, ...] = ("ATS", "TAM")
OPTIONAL_ROLES: tuple[Role, ...] = ("AE", "CSM", "TSP", "SSP", "ADE")

IntentStatus = Literal["In Progress", "Blocked", "No Intent", "Status Unknown", "Duplicate/Invalid"]
# L2 reasons, one type per L1 status (domain.md, "Intent status"); IntentReason is their union.
InProgressReason = Literal["Technical Onboarding and Deployment", "Migration", "Solution or User Adoption"]
BlockedReason = Literal[
    "Customer IT Infrastructure and Remediation",
    "IT Change Management and Resourcing",
    "Legal/Regulatory",
    "Security/Privacy",
    "Adoption Readiness",
    "Product Feature/Capability",
    "Service Reliability",
    "App Compatibility",
    "Partner Engagement",
    "Billing, Licensing and Subscription",
]
NoIntentReason = Literal["Using Competitive Solution", "Using Microsoft On-Premises Solution", "Executive Sponsorship"]
StatusUnknownReason = Literal["Customer Unresponsive", "New Subscription or Workload"]
IntentReason = Literal[InProgressReason, BlockedReason, NoIntentReason, StatusUnknownReason]

# L2 reasons allowed under each L1 status.
REASONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    "In Progress": get_args(InProgressReason),
    "Blocked": get_args(BlockedReason),
    "No Intent": get_args(NoIntentReason),
    "Status Unknown": get_args(StatusUnknownReason),
    "Duplicate/Invalid": (),
}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(Model):
    """Where a fact came from: 1-based note line numbers and their text, or the agenda form / context file."""

    origin: Origin = "notes"
    lines: list[int] = Field(default_factory=list)
    text: str = ""


class Fact(Model):
    """A free-text fact with its sources."""

    text: str
    sources: list[Source] = Field(default_factory=list)


class Person(Model):
    name: str | None = None
    role: AttendeeRole = "other"
    email: str | None = None
    title: str | None = None  # free-text job title, e.g. "IT director"
    sources: list[Source] = Field(default_factory=list)

    @property
    def label(self) -> str:
        """How a draft names this person when the name is unknown: by role."""
        if self.name:
            return self.name
        return f"the {self.role}" if self.role not in ("other", "customer") else "(name unknown)"


class Attendee(Person):
    present: bool = True


class Engagement(Model):
    customer: str = ""
    motion: Motion | None = None
    rfa_id: str | None = None
    rfa_summary: str | None = None
    health_red_areas: list[str] = Field(default_factory=list)
    fm: Person | None = None
    fta: Person | None = None
    account_team: list[Person] = Field(default_factory=list)
    customer_contacts: list[Person] = Field(default_factory=list)
    workloads: list[str] = Field(default_factory=list)
    call_date: date | None = None

    @model_validator(mode="after")
    def _pin_own_roles(self) -> Engagement:
        # A context file need not repeat that the FM is the FM and the FTA the FTA.
        if self.fm is not None and self.fm.role != "FM":
            self.fm = self.fm.model_copy(update={"role": "FM"})
        if self.fta is not None and self.fta.role != "FTA":
            self.fta = self.fta.model_copy(update={"role": "FTA"})
        return self


class AgendaAnswer(Model):
    item: str  # "a".."n"
    title: str
    answered: bool = False
    answer: str | None = None
    sources: list[Source] = Field(default_factory=list)


class ServiceIntent(Model):
    workload: str
    status: IntentStatus = "Status Unknown"
    reason: IntentReason | None = None
    note: str
    sources: list[Source] = Field(default_factory=list)

    @field_validator("reason")
    @classmethod
    def _reason_fits_status(cls, v: str | None, info: ValidationInfo) -> str | None:
        status = info.data.get("status")
        if v is not None and status is not None and v not in REASONS_BY_STATUS.get(status, ()):
            raise ValueError(f"reason {v!r} is not an L2 reason of status {status!r}")
        return v


class ActionItem(Model):
    owner: str | None = None  # a name, "FM" resolved to the FM's name when known; None = unknown
    owner_role: AttendeeRole | None = None
    action: str
    due: date | None = None
    due_text: str | None = None  # the words the notes used ("by Friday"), kept for the reader
    sources: list[Source] = Field(default_factory=list)


class OpenItem(Model):
    text: str  # what is open, phrased as what to ask or confirm
    agenda_item: str | None = None  # "a".."n" when it comes from an unanswered agenda item
    owner: str | None = None
    sources: list[Source] = Field(default_factory=list)


class Ask(Model):
    text: str
    in_scope: bool = True  # False: outside FastTrack's scope
    routed_to: str | None = None  # who routes it when out of scope
    sources: list[Source] = Field(default_factory=list)


class CompeteProduct(Model):
    product: str
    text: str
    sources: list[Source] = Field(default_factory=list)


SyncKind = Literal["join_existing", "propose", "unknown"]  # unknown: the notes settle nothing (corpus "Sync")
Cadence = Literal["weekly", "biweekly", "monthly"]
Weekday = Literal["MO", "TU", "WE", "TH", "FR"]


class SyncRhythm(Model):
    kind: SyncKind
    cadence: Cadence | None = None
    weekday: Weekday | None = None
    week_of_month: int | None = None  # 1 = first <weekday> of the month
    days: list[Weekday] = Field(default_factory=list)  # BYDAY: every day named; weekday is the first of them
    interval: int | None = None  # every N weeks (2 = biweekly)
    time: str | None = None  # "16:00", 24-hour local time in `timezone`
    timezone: str | None = None  # IANA name, "Europe/Berlin"
    owner: str | None = None  # who sets it up / adds the FM
    text: str = ""
    sources: list[Source] = Field(default_factory=list)


class Flag(Model):
    """Something the notes leave unknown that a draft needed (an owner, a date, a count, a name)."""

    field: str
    message: str
    sources: list[Source] = Field(default_factory=list)


class CallFacts(Model):
    attendees: list[Attendee] = Field(default_factory=list)
    agenda: list[AgendaAnswer] = Field(default_factory=list)
    intents: list[ServiceIntent] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    open_items: list[OpenItem] = Field(default_factory=list)
    risks: list[Fact] = Field(default_factory=list)
    timeline: list[Fact] = Field(default_factory=list)
    asks: list[Ask] = Field(default_factory=list)
    licenses: list[Fact] = Field(default_factory=list)
    migration_source: list[Fact] = Field(default_factory=list)
    partner: list[Fact] = Field(default_factory=list)
    compete: list[CompeteProduct] = Field(default_factory=list)
    additional_tenants: list[Fact] = Field(default_factory=list)
    political_changes: list[Fact] = Field(default_factory=list)
    environment: list[Fact] = Field(default_factory=list)
    sync_rhythm: SyncRhythm | None = None
    teams_channel: Fact | None = None  # the notes mention a dedicated Teams channel/group
    fasttrack_process: list[Fact] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)


# ---------------------------------------------------------------- drafts


class Recipient(Model):
    name: str | None = None
    email: str | None = None
    role: AttendeeRole | None = None

    @property
    def display(self) -> str:
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.email or self.name or (f"[{self.role} - name unknown]" if self.role else "[unknown]")


class Email(Model):
    audience: Audience = "account_team"
    to: list[Recipient] = Field(default_factory=list)
    cc: list[Recipient] = Field(default_factory=list)
    subject: str
    body: str

    @field_validator("subject")
    @classmethod
    def _one_line_subject(cls, v: str) -> str:
        if "\r" in v or "\n" in v:
            raise ValueError("an email subject must be a single line")
        return v


class CalendarInvite(Model):
    title: str
    required: list[Recipient] = Field(default_factory=list)
    optional: list[Recipient] = Field(default_factory=list)
    description: str = ""
    location: str = "Microsoft Teams meeting"
    start: datetime | None = None  # None: the FM picks the slot in Outlook
    duration_minutes: int = 30
    rrule: str | None = None  # e.g. "FREQ=MONTHLY;BYDAY=1TU"

    @field_validator("title")
    @classmethod
    def _one_line_title(cls, v: str) -> str:
        if "\r" in v or "\n" in v:
            raise ValueError("an invite title must be a single line")
        return v


class ChecklistItem(Model):
    text: str
    done: bool = False


class PrepChecklist(Model):
    motion: Motion | None = None
    items: list[ChecklistItem] = Field(default_factory=list)


class InternalInvite(Model):
    email: Email
    invite: CalendarInvite


class IntroRequest(Model):
    email: Email
    customer_blurb: str  # forwardable to the customer: nothing from FastTrack tooling


class NextAction(Model):
    owner: str | None = None
    action: str
    due: date | None = None


class ServiceIntentNote(Model):
    workload: str
    status: IntentStatus
    reason: IntentReason | None = None
    note: str


FTOP_HEADINGS: tuple[str, ...] = (
    "Participants",
    "Discussion points",
    "Customer questions",
    "FTC actions",
    "Playbook task",
)


class FtopEntry(Model):
    participants: list[str] = Field(default_factory=list)
    discussion_points: list[str] = Field(default_factory=list)
    customer_questions: list[str] = Field(default_factory=list)
    ftc_actions: list[str] = Field(default_factory=list)
    playbook_task: str = "Kickoff Call"
    next_actions: list[NextAction] = Field(default_factory=list)
    service_intent_notes: list[ServiceIntentNote] = Field(default_factory=list)
    text: str = ""  # copy-ready plain text for FTOP


class SyncRhythmDraft(Model):
    email: Email
    invite: CalendarInvite | None = None  # a recurring invite when proposing a new sync


class Drafts(Model):
    prep: PrepChecklist
    internal_invite: InternalInvite
    intro_request: IntroRequest
    teams_channel: Email | None = None
    follow_up: Email
    ftop: FtopEntry
    sync_rhythm: SyncRhythmDraft


DRAFT_NAMES: tuple[str, ...] = (
    "prep",
    "internal_invite",
    "intro_request",
    "teams_channel",
    "follow_up",
    "ftop",
    "sync_rhythm",
)


class TokenUsage(Model):
    """Tokens as the server reported them. cached_tokens: the part of prompt_tokens served from the provider's
    prompt cache (OpenAI usage.prompt_tokens_details.cached_tokens); reasoning_tokens: the part of
    completion_tokens a reasoning model spent thinking (usage.completion_tokens_details.reasoning_tokens)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    cached_tokens: int | None = None
    reasoning_tokens: int | None = None


class Provenance(Model):
    """Which engine wrote a part, and why it fell back if it did."""

    engine: EngineName = "offline"
    model: str | None = None
    attempts: int = 0
    fallback_reason: str | None = None
    usage: TokenUsage | None = None
    seconds: float | None = None


class Check(Model):
    """A guardrail finding on one draft."""

    draft: str
    severity: Severity
    rule: str
    text: str  # the offending text
    suggestion: str = ""


class DraftBundle(Model):
    schema_version: int = 1
    generated_at: datetime
    engagement: Engagement
    facts: CallFacts
    drafts: Drafts
    # keys: "extraction" and every name in DRAFT_NAMES
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    checks: list[Check] = Field(default_factory=list)
    # every model request of the bundle added up (None offline): prompt, cached, completion, reasoning tokens
    tokens: TokenUsage | None = None
