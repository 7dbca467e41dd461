"""Drafts an FM would send (issue 10): on every outside-corpus note and sample, no duplicated fact line, no raw
note echo, no open item the facts answer, no address-less or 'name unknown' recipient, the FM in first person;
the long case's follow-up stays short; the three notes with target drafts carry the targets' facts. Runs the
real pipeline (offline engine) end to end; tests/draft_checks.py defines each defect."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from draft_checks import (
    CORPUS,
    DEFECTS,
    TARGETS,
    check_bundle,
    content_lines,
    corpus_notes,
    repeated_notes,
    target_section,
)
from factories import contoso_engagement, contoso_facts, fact, sparse_engagement, sparse_facts
from labelled_corpus import keywords_match

from ftdraft import lexicon as lx
from ftdraft.config import Settings
from ftdraft.drafts import render_drafts
from ftdraft.drafts.text import expand, question, shorthands, statement
from ftdraft.export import invite_to_ics
from ftdraft.pipeline import build_bundle
from ftdraft.schemas import (
    ActionItem,
    AgendaAnswer,
    Ask,
    DraftBundle,
    OpenItem,
    Person,
    ServiceIntent,
    Source,
    SyncRhythm,
)

NOTES = corpus_notes()
TARGET_NOTES = sorted(p.stem for p in TARGETS.glob("*.md") if p.name != "README.md")


def settings(**values: Any) -> Settings:
    """Settings that read no .env file: the FM unknown unless given."""
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def bundle_of(path: Path, **values: Any) -> DraftBundle:
    return build_bundle(path.read_text(encoding="utf-8"), engine="offline", settings=settings(**values))


_BUNDLES: dict[str, DraftBundle] = {}


def corpus_bundle(name: str) -> DraftBundle:
    if name not in _BUNDLES:
        _BUNDLES[name] = bundle_of(next(p for p in NOTES if p.stem == name))
    return _BUNDLES[name]


# ---------------------------------------------------------------- the phrasing data file


@pytest.mark.parametrize("entry", shorthands(), ids=lambda s: s.regex.pattern)
def test_every_shorthand_expands_its_examples_and_leaves_its_counter_examples(entry: Any) -> None:
    assert entry.examples, "each entry carries at least one example"
    for note, draft in entry.examples:
        assert entry.regex.sub(entry.expansion, note) == draft
    for text in entry.not_:
        assert entry.regex.sub(entry.expansion, text) == text


@pytest.mark.parametrize(
    ("raw", "label", "clean"),
    [
        ("Partner? none.", "Partner", ""),
        ("- **Exchange Online: In Progress / Migration.** Hybrid w/ Exchange 2016 since Oct.", "Exchange Online",
         "Hybrid with Exchange 2016 since Oct."),
        ("In progress: Windows - in progress", "Windows", ""),
        ("- FT process.", "FastTrack process", "FastTrack process."),
        ("Harriet to get the E3/F3 split by Dec 9th.", "Licensing", ""),
        ("M365 E3 + F3 for drivers (count?)", "Licensing", "M365 E3 and F3 for drivers."),
        ("RFA -> assignment -> kickoff", "", "RFA → assignment → kickoff."),
        ("no intent b/c freeze", "", "No intent because freeze."),
    ],
)  # fmt: skip
def test_a_note_line_becomes_one_clean_statement(raw: str, label: str, clean: str) -> None:
    assert statement(raw, label) == clean


def test_open_questions_drop_the_notes_shorthand_tail() -> None:
    assert question("FRP? nobody sure, check.") == "FastTrack Ready Partner?"
    assert question("E5 (how many?)") == "E5: how many?"
    assert expand("happy w/ it") == "happy with it"


# ---------------------------------------------------------------- every corpus note and sample


@pytest.mark.parametrize("path", NOTES, ids=lambda p: p.stem)
def test_drafts_have_none_of_the_defects(path: Path) -> None:
    report = check_bundle(corpus_bundle(path.stem) if path.parent == CORPUS else bundle_of(path))
    assert report.counts == dict.fromkeys(DEFECTS, 0), report.examples


def test_a_33000_word_note_gives_a_follow_up_under_80_lines() -> None:
    notes = repeated_notes(Path(__file__).parents[1] / "examples" / "rfa-contoso-pharma.md", 33_000)
    assert len(notes.split()) >= 33_000
    bundle = build_bundle(notes, engine="offline", settings=settings())
    assert len(bundle.drafts.follow_up.body.splitlines()) < 80
    assert check_bundle(bundle).total == 0
    # the rest is left to the FM, and the email says so without pointing the field at FTOP (no field access)
    assert "FTOP" not in bundle.drafts.follow_up.body and "our next sync" in bundle.drafts.follow_up.body


# ---------------------------------------------------------------- the three notes with target drafts


def expected(name: str) -> dict[str, Any]:
    return yaml.safe_load((CORPUS / f"{name}.expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", TARGET_NOTES)
def test_follow_up_length_is_within_half_to_twice_the_targets(name: str) -> None:
    ours = len(content_lines(corpus_bundle(name).drafts.follow_up.body))
    target = len(target_section(name, 1))
    assert 0.5 * target <= ours <= 2 * target, (ours, target)


@pytest.mark.parametrize("name", TARGET_NOTES)
def test_statuses_are_the_targets(name: str) -> None:
    notes = {n.workload: (n.status, n.reason) for n in corpus_bundle(name).drafts.ftop.service_intent_notes}
    for intent in expected(name)["intents"]:
        assert notes.get(intent["workload"]) == (intent["status"], intent["reason"]), intent


@pytest.mark.parametrize("name", TARGET_NOTES)
def test_owners_and_dates_are_the_targets(name: str) -> None:
    actions = corpus_bundle(name).drafts.ftop.next_actions
    for item in expected(name)["action_items"]:
        owner = item["owner"]
        matching = [a for a in actions if keywords_match(item["action"], a.action)]
        assert any(a.owner == owner and a.due == item["due"] for a in matching), (item, matching)


@pytest.mark.parametrize("name", TARGET_NOTES)
def test_open_items_are_the_targets(name: str) -> None:
    body = corpus_bundle(name).drafts.follow_up.body
    open_part = body[body.index("\nOpen items\n") : body.index("\nField team sync\n")]  # open items and next steps
    for keywords in expected(name)["open_items"]:
        assert keywords_match(keywords, open_part), keywords


# ---------------------------------------------------------------- recipients, premises, the FM


def test_a_named_person_without_an_address_is_named_in_the_body_never_addressed() -> None:
    team = [
        Person(name="Priya Raman", role="ATS", email="priya@example.com"),
        Person(name="Tom Becker", role="TAM", email="tom@example.com"),
    ]
    e = contoso_engagement(account_team=team, fta=Person(name="Sam Ito", role="FTA"))
    mail = render_drafts(e, contoso_facts()).follow_up
    assert [r.name for r in mail.to] == ["Priya Raman", "Tom Becker"] and mail.cc == []
    assert "Please forward this to Sam Ito (FTA)." in mail.body
    assert "[Before sending: no email address on file for Sam Ito (FTA)." in mail.body


def test_everyone_addressed_leaves_no_note_about_addresses_and_no_gap() -> None:
    team = [
        Person(name="Priya Raman", role="ATS", email="priya@example.com"),
        Person(name="Tom Becker", role="TAM", email="tom@example.com"),
    ]
    d = render_drafts(contoso_engagement(account_team=team), contoso_facts())
    for mail in (d.follow_up, d.intro_request.email, d.internal_invite.email, d.sync_rhythm.email):
        assert "\n\n\n" not in mail.body and "[Before sending" not in mail.body
    assert d.follow_up.body.startswith("Hi Priya and Tom,\n\nThanks for the time")


def test_the_fms_own_steps_are_first_person_in_the_email_and_named_in_ftop() -> None:
    facts = contoso_facts(action_items=[ActionItem(owner="FM", action="Send the FastTrack service description")])
    d = render_drafts(contoso_engagement(), facts)
    assert "- I'll send the FastTrack service description – Due: date to confirm" in d.follow_up.body
    assert "- Alex Morgan – Send the FastTrack service description" in d.ftop.text
    assert "Owner: TBD" not in d.follow_up.body


def test_the_fm_from_the_settings_signs_every_draft_and_is_named_in_blurb_and_ftop() -> None:
    sample = Path(__file__).parents[1] / "examples" / "messy-woodgrove.txt"
    bundle = bundle_of(sample, FTDRAFT_FM_NAME="Bianca Lowenthal", FTDRAFT_FM_EMAIL="bianca@example.com")
    d = bundle.drafts
    assert bundle.engagement.fm is not None and bundle.engagement.fm.email == "bianca@example.com"
    for mail in (d.follow_up, d.intro_request.email, d.sync_rhythm.email, d.internal_invite.email):
        assert mail.body.rstrip().endswith("Bianca Lowenthal")
    assert "I'd like to introduce Bianca Lowenthal, your FastTrack Manager" in d.intro_request.customer_blurb
    assert not any(f.field == "engagement.fm.name" for f in bundle.facts.flags)


def test_an_unknown_fm_is_a_visible_placeholder_and_a_flag() -> None:
    bundle = bundle_of(Path(__file__).parents[1] / "examples" / "messy-woodgrove.txt")
    assert bundle.drafts.follow_up.body.rstrip().endswith("[your name]")
    assert "[your name], your FastTrack Manager" in bundle.drafts.intro_request.customer_blurb
    assert any(f.field == "engagement.fm.name" for f in bundle.facts.flags)
    emails = next(f for f in bundle.facts.flags if f.field == "engagement.emails")
    assert "Lena Fischer (ATS)" in emails.message  # named in the body, never in To/Cc: flagged


def test_a_sync_someone_will_only_look_for_is_not_stated_as_settled() -> None:
    rhythm = SyncRhythm(kind="join_existing", owner="Tom Becker", text="Tom will check whether there is one.")
    d = render_drafts(contoso_engagement(), contoso_facts(sync_rhythm=rhythm))
    assert "Tom Becker is checking whether there is an existing account sync I can join" in d.follow_up.body
    assert "will add me" not in d.follow_up.body
    assert "Is there an existing account sync for Contoso Pharma" in d.sync_rhythm.email.body


def test_a_full_summary_keeps_risks_timeline_and_politics_before_tenants() -> None:
    many = {
        name: [fact(f"{name} fact number one is here.", 10 + n)]
        for n, name in enumerate(
            ["environment", "licenses", "migration_source", "partner", "additional_tenants", "political_changes",
             "timeline", "risks", "fasttrack_process"]
        )
    }  # fmt: skip
    body = render_drafts(contoso_engagement(), contoso_facts(**many)).follow_up.body
    summary = body[body.index("Summary\n") : body.index("\nOpen items\n")]
    for kept in ("Risks and current issues:", "Timeline:", "Political changes:"):
        assert kept in summary
    assert "Additional tenants:" not in summary
    assert "I'll keep track of the rest and bring it to our next sync" in summary
    typed = AgendaAnswer(item="i", title="Additional tenants", answered=True, answer="One tenant only.",
                         sources=[Source(origin="agenda")])  # fmt: skip
    body = render_drafts(contoso_engagement(), contoso_facts(**many, agenda=[typed])).follow_up.body
    assert "- Additional tenants: One tenant only." in body  # what the FM typed is always kept


def test_a_heading_alone_says_nothing_and_an_ask_the_notes_call_out_of_scope_is_routed() -> None:
    facts = contoso_facts(
        political_changes=[fact("Political / timeline / risks.", 20)],
        asks=[Ask(text="Customer asked about Copilot Studio agents – out of FT scope.")],
        action_items=[ActionItem(owner="Tom Becker", action="route it to the Copilot Studio specialists")],
    )
    body = render_drafts(contoso_engagement(), facts).follow_up.body
    assert "Political changes:" not in body
    assert "- Customer asked about Copilot Studio agents: outside FastTrack's scope; Tom Becker will route it" in body


def test_a_step_two_people_own_is_one_line() -> None:
    step = "set up an exec briefing with the CIO"
    facts = contoso_facts(
        action_items=[ActionItem(owner="Priya Raman", action=step), ActionItem(owner="Tom Becker", action=step)]
    )
    d = render_drafts(contoso_engagement(), facts)
    assert f"- Priya Raman and Tom Becker – {step} – Due: date to confirm" in d.follow_up.body
    assert [a.owner for a in d.ftop.next_actions] == ["Priya Raman", "Tom Becker"]  # FTOP: one owner per action


def test_open_items_the_facts_answer_are_dropped() -> None:
    asked = OpenItem(text="Ask what the migration source environment is.", agenda_item="g")
    facts = sparse_facts(migration_source=[fact("Migration source: n/a", 5)], open_items=[asked])
    d = render_drafts(sparse_engagement(), facts)
    assert "migration source environment" not in d.follow_up.body
    assert "migration source" in d.follow_up.body.lower()  # said once, as nothing to note


def test_the_intro_names_the_contacts_the_notes_name_and_asks_only_when_none() -> None:
    action = ActionItem(owner="Priya Raman", action="send the intro email to Pavel Novák (CIO)", due=date(2026, 12, 4))
    e = contoso_engagement(customer_contacts=[])
    body = render_drafts(e, contoso_facts(action_items=[action])).intro_request.email.body
    assert "introduce FastTrack to Pavel Novák (CIO) by Fri Dec 04, 2026?" in body
    assert "who should that be?" not in body
    body = render_drafts(e, contoso_facts(action_items=[])).intro_request.email.body
    assert "The notes don't name them: who should that be?" in body
    assert "As agreed" not in body  # no intro action in the notes: nothing was agreed
    e = contoso_engagement(customer_contacts=[Person(name="Henrik Damgaard", role="customer", title="IT lead")])
    body = render_drafts(e, contoso_facts(action_items=[])).intro_request.email.body
    assert "\nCould you introduce FastTrack to Henrik Damgaard (IT lead)?" in body


def test_sync_days_interval_time_and_zone_reach_the_email_rrule_and_ics() -> None:
    rhythm = SyncRhythm(
        kind="propose", cadence="biweekly", weekday="TU", days=["TU", "TH"], interval=2, time="16:00",
        timezone="Europe/Berlin", text="Bi-weekly Tue + Thu 16:00 Berlin.",
    )  # fmt: skip
    d = render_drafts(contoso_engagement(), contoso_facts(sync_rhythm=rhythm))
    assert "on Tuesdays and Thursdays at 16:00 (Europe/Berlin)" in d.sync_rhythm.email.body
    invite = d.sync_rhythm.invite
    assert invite is not None and invite.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"
    # the first meeting after the call (Wed Nov 18, 2026) is Thu Nov 19 at 16:00 Berlin time
    assert invite.start == datetime(2026, 11, 19, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    ics = invite_to_ics(invite, today=date(2026, 11, 18)).decode()
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH" in ics
    assert "DTSTART;TZID=Europe/Berlin:20261119T160000" in ics
    assert "placeholder" not in ics


def test_a_sync_without_a_time_keeps_a_flagged_placeholder_start() -> None:
    rhythm = SyncRhythm(kind="propose", cadence="weekly", weekday="MO", days=["MO"], text="Weekly on Mondays.")
    invite = render_drafts(contoso_engagement(), contoso_facts(sync_rhythm=rhythm)).sync_rhythm.invite
    assert invite is not None and invite.start is None and invite.rrule == "FREQ=WEEKLY;BYDAY=MO"
    assert "is a placeholder" in invite_to_ics(invite, today=date(2026, 11, 18)).decode()


# ---------------------------------------------------------------- an unknown sync (the notes settle none)

ASK = "Is there an existing account-team sync I can join, or shall I set one up?"
# A draft that says a meeting exists or is agreed: only right when the notes say the FM joins an existing one.
_EXISTS = re.compile(
    r"I'll join the existing|joining your|As discussed, could you add me|will add me|As agreed|"
    r"Thanks for setting up|Our [\w-]+ sync",
)


def sync_section(body: str) -> str:
    return body[body.index("\nField team sync\n") :]


@pytest.mark.parametrize(
    ("text", "checking"),
    [
        ("Sync rhythm - ran out of time, didn't settle it.", None),
        ("Not decided. Priya mentioned a monthly account call but wasn't sure FT should join. TBD.", None),
        ("Lee will check whether one exists.", None),  # Lee is on no roster: nobody named as checking
        ("Tom will check whether one exists.", "Tom Becker is checking"),
        ("Sync: Tom Becker to find out if there is an account call.", "Tom Becker is checking"),
        ("I'll check whether there is an account team call.", "I'm checking"),
    ],
)
def test_an_unknown_sync_asks_and_has_no_invite(text: str, checking: str | None) -> None:
    rhythm = SyncRhythm(kind="unknown", text=text)
    d = render_drafts(contoso_engagement(), contoso_facts(sync_rhythm=rhythm))
    sync = d.sync_rhythm
    assert sync.invite is None  # no recurring invite (.ics) for a meeting nobody agreed
    assert ASK in sync.email.body and ASK in sync_section(d.follow_up.body)
    assert "still to be agreed" in sync_section(d.follow_up.body)
    assert "Field sync: still to be agreed" in d.ftop.text
    for text_ in (sync.email.subject, sync.email.body, sync_section(d.follow_up.body)):
        assert not _EXISTS.search(text_), text_
        assert "I'll set up" not in text_ and "I'll send an invite" not in text_
    if checking:
        for text_ in (sync_section(d.follow_up.body), d.ftop.text):
            assert checking in text_, text_
    else:
        assert "is checking" not in sync.email.body + d.follow_up.body + d.ftop.text
    if checking == "Tom Becker is checking":
        assert [r.name for r in sync.email.to] == ["Tom Becker"]  # the question goes to whoever is looking
        assert "thanks for checking whether there is an existing account-team sync" in sync.email.body
    elif checking:
        assert checking in sync.email.body


KINDS = {"join": "join_existing", "propose": "propose", "unknown": "unknown"}


@pytest.mark.parametrize("name", [p.stem for p in NOTES if (CORPUS / f"{p.stem}.expected.yaml").exists()])
def test_the_sync_draft_follows_the_kind_the_notes_settle(name: str) -> None:
    kind = KINDS[expected(name)["sync_rhythm"]["kind"]]
    bundle = corpus_bundle(name)
    assert bundle.facts.sync_rhythm is not None and bundle.facts.sync_rhythm.kind == kind
    sync = bundle.drafts.sync_rhythm
    said = [sync.email.subject, sync.email.body, sync_section(bundle.drafts.follow_up.body)]
    if kind == "join_existing":
        assert sync.invite is None and "could you add me" in sync.email.body
        return
    for text in said:  # never a meeting that exists
        assert not re.search(r"I'll join the existing|joining your|As discussed, could you add me", text), text
    if kind == "unknown":
        assert sync.invite is None and ASK in sync.email.body
        assert "Field sync: still to be agreed" in bundle.drafts.ftop.text
    else:
        assert sync.invite is not None and sync.invite.rrule.startswith("FREQ=")


# ---------------------------------------------------------------- a FastTrack-process walkthrough that happened

WALK_ASK = "Walk the account team through the FastTrack process"
KESTREL = CORPUS / "rfa-kestrel-freight.md"
WALKTHROUGHS = [  # said to have happened: the agenda item is answered, never an open item
    "Walked through RFA → assignment → kickoff → remediation/migration guidance.",
    "Walked Dmitri and Harriet through the FT process.",
    "Took them through RFA → assignment → kickoff.",
    "Gave the team a walkthrough of the FastTrack process.",
    "Ran through the FT process with the team.",
    "Went over how FastTrack engages: RFA, assignment, kickoff.",
    "Explained the FT process (RFA → assignment → kickoff).",
    "Covered the FastTrack process: RFA → assignment → kickoff.",
    "Process walk-through: done",
    "Talked them through the RFA → assignment → kickoff flow.",
    "Did a quick run-through of the RFA process.",
    "Presented the FastTrack engagement model (RFA, assignment, kickoff).",
]
NOT_YET = [  # counter-examples: still planned or skipped, so the item stays open
    "Need to walk the team through the FT process next time.",
    "Will walk Dmitri through the FastTrack process on Friday.",
    "Didn't get to the FT process walkthrough.",
    "Ran out of time before the process walkthrough.",
]


def kestrel_with(line: str) -> DraftBundle:
    lines = KESTREL.read_text(encoding="utf-8").splitlines()
    at = next(i for i, x in enumerate(lines) if "Walked through RFA" in x)
    lines[at] = "- Harriet has worked with FT on her last account; Dmitri hadn't. " + line
    return build_bundle("\n".join(lines), engine="offline", settings=settings())


@pytest.mark.parametrize("line", WALKTHROUGHS)
def test_a_walkthrough_said_to_have_happened_is_no_open_item(line: str) -> None:
    bundle = kestrel_with(line)
    assert WALK_ASK not in bundle.drafts.follow_up.body and WALK_ASK not in bundle.drafts.ftop.text
    assert next(a for a in bundle.facts.agenda if a.item == "a").answered


@pytest.mark.parametrize("line", NOT_YET)
def test_a_walkthrough_still_to_happen_stays_open(line: str) -> None:
    bundle = kestrel_with(line)
    assert WALK_ASK in bundle.drafts.ftop.text  # the FM's own to-do: open in FTOP, no question for the field
    assert WALK_ASK not in bundle.drafts.follow_up.body
    assert not next(a for a in bundle.facts.agenda if a.item == "a").answered


@pytest.mark.parametrize("line", WALKTHROUGHS + NOT_YET)
def test_the_topic_cue_set_finds_what_each_cue_alone_finds(line: str) -> None:
    # CueSet once skipped every prefixed alternative of a cue that also had an unprefixed one
    lowered = line.lower()
    assert lx.TOPICS.keys_in(lowered) == {k for k, cue in lx.TOPIC_RES.items() if cue.regex.search(lowered)}
    assert "a" in lx.TOPICS.keys_in(lowered)


# ---------------------------------------------------------------- Service Intent notes state their status


@pytest.mark.parametrize("name", [p.stem for p in NOTES])
def test_every_service_intent_note_states_its_status(name: str) -> None:
    bundle = corpus_bundle(name)
    assert not [c for c in bundle.checks if c.rule == "intent_note.no_status"]
    for n in bundle.drafts.ftop.service_intent_notes:
        line = next(x for x in bundle.drafts.ftop.text.splitlines() if x.startswith(f"- {n.workload} — "))
        assert line.count(n.status) >= 1 and not line.startswith(f"- {n.workload} — {n.status}: {n.status}"), line


def test_a_note_without_its_status_is_led_by_status_and_reason_shown_once() -> None:
    intents = [
        ServiceIntent(
            workload="Teams", status="Blocked", reason="Legal/Regulatory", note="Works council sign-off after Q1."
        ),
        ServiceIntent(
            workload="OneDrive", status="No Intent", reason="Using Competitive Solution", note="Staying on Box."
        ),
    ]
    ftop = render_drafts(contoso_engagement(), contoso_facts(intents=intents)).ftop
    teams, onedrive = ftop.service_intent_notes[:2]
    assert teams.note == "Blocked (Legal/Regulatory): Works council sign-off after Q1."  # the note alone now says it
    assert "- Teams — Blocked (Legal/Regulatory): Works council sign-off after Q1." in ftop.text
    assert onedrive.note == "Staying on Box."  # 'staying' already says No Intent: unchanged
    assert "- OneDrive — No Intent (Using Competitive Solution): Staying on Box." in ftop.text


# ---------------------------------------------------------------- the guardrails accept what the drafts write

_RHYTHM_TOKEN = re.compile(r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri)days?|\d{1,2}[:,]?|America|Los_Angeles|Europe|Berlin)$")


@pytest.mark.parametrize("name", [p.stem for p in NOTES])
def test_the_sync_words_the_drafts_write_are_grounded(name: str) -> None:
    # "on Tuesdays and Thursdays at 09:00 (America/Los_Angeles)": the reader's rhythm, from the notes' "Tue/Thu 9 PT"
    bundle = corpus_bundle(name)
    flagged = [c.text for c in bundle.checks if c.rule.startswith("grounding.") and _RHYTHM_TOKEN.match(c.text)]
    assert flagged == []
    assert not [c for c in bundle.checks if c.rule == "consistency.cadence"]  # "Monthly Enterprise Channel" too


def test_a_sync_rhythm_the_notes_do_not_hold_is_still_flagged() -> None:
    # counter-example: a rhythm whose source is not in the notes (a model's invention) grounds nothing
    notes = (CORPUS / "rfa-sable-finch.txt").read_text(encoding="utf-8")
    bundle = build_bundle(notes, engine="offline", settings=settings())
    rhythm = bundle.facts.sync_rhythm
    assert rhythm is not None and rhythm.time == "09:00"
    invented = [Source(origin="notes", text="Zed runs a Friday stand-up")]
    fake = rhythm.model_copy(update={"days": ["FR"], "weekday": "FR", "sources": invented})
    from ftdraft.guards.grounding import build_corpus

    corpus = build_corpus(bundle.model_copy(update={"facts": bundle.facts.model_copy(update={"sync_rhythm": fake})}),
                          notes, None, None)  # fmt: skip
    assert "fridays" not in corpus.words
    real = build_corpus(bundle, notes, None, None)
    assert "mondays" in real.words and "los_angeles" in real.words
