"""Exports are parsed back (email.parser, icalendar) and checked for content, not just written."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from factories import contoso_engagement, contoso_facts, fabrikam_engagement, fabrikam_facts
from icalendar import Calendar

from ftdraft.drafts import render_drafts
from ftdraft.export import (
    HEADER_NAME_LIMIT,
    HEADER_TEXT_LIMIT,
    ascii_address,
    bundle_to_markdown,
    email_to_eml,
    ftop_text,
    invite_to_ics,
    next_business_day,
    placeholder_start,
    write_exports,
)
from ftdraft.sanitize import one_line
from ftdraft.schemas import (
    CalendarInvite,
    Check,
    DraftBundle,
    Email,
    Flag,
    Provenance,
    Recipient,
)

FRIDAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def parse_eml(data: bytes) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    return msg


def parse_event(data: bytes):  # type: ignore[no-untyped-def]
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def bundle(engagement=None, facts=None, **extra) -> DraftBundle:  # type: ignore[no-untyped-def]
    engagement = engagement or contoso_engagement()
    facts = facts or contoso_facts()
    return DraftBundle(
        generated_at=NOW, engagement=engagement, facts=facts, drafts=render_drafts(engagement, facts), **extra
    )


# ---------------------------------------------------------------- .eml


def test_eml_is_an_unsent_draft_with_recipients_subject_and_body() -> None:
    mail = render_drafts(contoso_engagement(), contoso_facts()).follow_up
    msg = parse_eml(email_to_eml(mail))
    assert msg["X-Unsent"] == "1"
    assert msg["From"] is None and msg["Date"] is None
    assert msg["Subject"] == "Contoso Pharma – FastTrack intro and next steps"
    to = [(a.display_name, a.addr_spec) for a in msg["To"].addresses]
    assert to == [("Priya Raman", "priya.raman@microsoft.com"), ("Tom Becker", "tom.becker@microsoft.com")]
    assert msg.get_content() == mail.body
    assert msg.get_content_type() == "text/plain"


def test_eml_recipient_without_address_appears_by_display_name_only() -> None:
    mail = Email(
        to=[Recipient(name="Alicia Gomez", role="AE"), Recipient(role="TAM")],
        cc=[Recipient(name="Jun Park", email="not an address", role="FTA")],
        subject="s",
        body="b\n",
    )
    raw = email_to_eml(mail).decode("utf-8")
    assert 'To: "Alicia Gomez", "TAM - name unknown"' in raw
    assert 'Cc: "Jun Park"\n' in raw.replace("\r\n", "\n")
    assert "@" not in raw.split("\n\n", 1)[0]  # no invented or garbage address in the headers


def test_eml_round_trips_non_ascii_names_and_bodies() -> None:
    mail = Email(
        to=[Recipient(name="José Müller", email="jose@contoso.com", role="ATS")],
        subject="Zürich – FastTrack intro",
        body="Grüße,\nJosé\n",
    )
    msg = parse_eml(email_to_eml(mail))
    assert msg["Subject"] == "Zürich – FastTrack intro"
    assert msg["To"].addresses[0].display_name == "José Müller"
    assert msg.get_content() == "Grüße,\nJosé\n"


def test_eml_names_cannot_inject_headers() -> None:
    mail = Email(to=[Recipient(name="Eve\r\nBcc: x@evil.example", email="eve@contoso.com")], subject="s", body="b\n")
    msg = parse_eml(email_to_eml(mail))
    assert msg["Bcc"] is None
    assert [a.addr_spec for a in msg["To"].addresses] == ["eve@contoso.com"]


# ---------------------------------------------------------------- .ics


def test_ics_has_summary_description_roles_uid_and_placeholder_start() -> None:
    invite = render_drafts(contoso_engagement(), contoso_facts()).internal_invite.invite
    event = parse_event(invite_to_ics(invite, today=FRIDAY, now=NOW))
    assert str(event["SUMMARY"]) == "Contoso Pharma – FastTrack intro with the account team"
    attendees = {str(a): str(a.params["ROLE"]) for a in event["ATTENDEE"]}
    assert attendees == {
        "mailto:priya.raman@microsoft.com": "REQ-PARTICIPANT",
        "mailto:tom.becker@microsoft.com": "REQ-PARTICIPANT",
        "mailto:jun.park@microsoft.com": "OPT-PARTICIPANT",
    }
    # Friday -> next business day is Monday, 10:00 floating local time.
    assert event.decoded("DTSTART") == datetime(2026, 11, 23, 10, 0)
    assert event.decoded("DTEND") == datetime(2026, 11, 23, 10, 30)
    description = str(event["DESCRIPTION"])
    assert "is a placeholder" in description
    assert "Also invite (no email address known): Alicia Gomez (AE)." in description
    assert "a. Intro, incl. the FastTrack process" in description
    assert "RRULE" not in event
    uid = str(event["UID"])
    assert uid and uid == str(parse_event(invite_to_ics(invite, today=FRIDAY, now=NOW))["UID"])


def test_ics_recurring_invite_has_rrule_and_starts_on_an_occurrence() -> None:
    invite = render_drafts(fabrikam_engagement(), fabrikam_facts()).sync_rhythm.invite
    assert invite is not None
    event = parse_event(invite_to_ics(invite, today=FRIDAY, now=NOW))
    assert event["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=1TU"
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 12, 1, 10, 0)  # the first Tuesday on/after Mon Nov 23
    assert start.weekday() == 1 and start.day <= 7


def test_ics_with_a_start_time_has_no_placeholder_and_a_timezone() -> None:
    start = datetime(2026, 12, 3, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    invite = CalendarInvite(title="Sync", description="Agenda", start=start, duration_minutes=45)
    data = invite_to_ics(invite, now=NOW)
    cal = Calendar.from_ical(data)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    event = cal.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert "placeholder" not in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 11, 20), date(2026, 11, 23)), (date(2026, 11, 21), date(2026, 11, 23)),
     (date(2026, 11, 23), date(2026, 11, 24))],
)  # fmt: skip
def test_next_business_day(today: date, expected: date) -> None:
    assert next_business_day(today) == expected


def test_placeholder_start_biweekly_thursday() -> None:
    assert placeholder_start(FRIDAY, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH") == datetime(2026, 11, 26, 10, 0)


# ---------------------------------------------------------------- Markdown and FTOP text


def test_markdown_holds_engagement_facts_drafts_checks_and_provenance() -> None:
    facts = contoso_facts(flags=[Flag(field="action_items[1].due", message="No due date for: add the FM")])
    b = bundle(
        facts=facts,
        checks=[Check(draft="follow_up", severity="warning", rule="usage_figure", text="12%", suggestion="remove")],
        provenance={
            "extraction": Provenance(engine="offline"),
            "follow_up": Provenance(engine="offline", attempts=3, fallback_reason="model timed out | twice"),
        },
    )
    md = bundle_to_markdown(b)
    d = b.drafts
    for needle in [
        "# Contoso Pharma – FastTrack Initiate drafts",
        "- **Motion:** RFA",
        "- **RFA:** #4471 Exchange Online and Teams deployment",
        "Priya Raman (ATS) &lt;priya.raman\\@microsoft.com&gt;",
        "### Open items",
        "Confirm whether the E5 add-on covers Defender for Office.",
        "**action\\_items\\[1\\].due:** No due date for: add the FM",
        "**warning** `usage_figure` in follow_up: 12% → remove",
        "| follow_up | offline | — | 3 | model timed out \\| twice |",
        "_(line 18)_",
        d.follow_up.subject,
        d.internal_invite.email.subject,
        d.intro_request.email.subject,
        d.sync_rhythm.email.subject,
        d.intro_request.customer_blurb.splitlines()[0],
        "- [ ] Review the RFA request #4471",
        "Service Intent notes",
    ]:
        assert needle in md, needle


def test_markdown_fences_survive_backticks_in_the_notes() -> None:
    facts = contoso_facts(risks=[])
    engagement = contoso_engagement(customer="Con```toso")
    md = bundle_to_markdown(bundle(engagement=engagement, facts=facts))
    assert "````text" in md  # a longer fence than the backtick run inside


def test_ftop_text_is_the_entry_text() -> None:
    b = bundle()
    assert ftop_text(b) == b.drafts.ftop.text
    assert ftop_text(b).startswith("Engagement Management note – Contoso Pharma")


# ---------------------------------------------------------------- write_exports


def test_write_exports_writes_stable_names_that_parse_back(tmp_path: Path) -> None:
    b = bundle(fabrikam_engagement(), fabrikam_facts())
    paths = write_exports(b, tmp_path / "out", today=FRIDAY)
    names = [p.name for p in paths]
    assert names == [
        "internal_invite.eml",
        "internal_invite.ics",
        "intro_request.eml",
        "customer_blurb.txt",
        "teams_channel.eml",
        "follow_up.eml",
        "sync_rhythm.eml",
        "sync_rhythm.ics",
        "ftop.txt",
        "bundle.md",
        "bundle.json",
    ]
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    subjects = {p.name: parse_eml(p.read_bytes())["Subject"] for p in paths if p.suffix == ".eml"}
    assert subjects["follow_up.eml"] == "Fabrikam Manufacturing – FastTrack intro and next steps"
    assert subjects["teams_channel.eml"] == b.drafts.teams_channel.subject  # type: ignore[union-attr]
    for p in paths:
        if p.suffix == ".ics":
            assert str(parse_event(p.read_bytes())["SUMMARY"]).startswith("Fabrikam Manufacturing – ")
    assert DraftBundle.model_validate_json((tmp_path / "out" / "bundle.json").read_text()) == b
    assert (tmp_path / "out" / "ftop.txt").read_text(encoding="utf-8") == b.drafts.ftop.text
    assert json.loads((tmp_path / "out" / "bundle.json").read_text())["engagement"]["customer"] == (
        "Fabrikam Manufacturing"
    )


def test_write_exports_skips_parts_that_do_not_exist(tmp_path: Path) -> None:
    names = {p.name for p in write_exports(bundle(), tmp_path, today=FRIDAY)}
    assert "teams_channel.eml" not in names  # no Teams channel in the Contoso notes
    assert "sync_rhythm.ics" not in names  # joining an existing sync: no invite of our own
    assert {"follow_up.eml", "sync_rhythm.eml", "ftop.txt", "bundle.md"} <= names


def test_field_exports_never_carry_the_ftop_entry(tmp_path: Path) -> None:
    paths = write_exports(bundle(fabrikam_engagement(), fabrikam_facts()), tmp_path, today=FRIDAY)
    for p in paths:
        if p.suffix == ".eml" or p.name == "customer_blurb.txt":
            text = parse_eml(p.read_bytes()).get_content() if p.suffix == ".eml" else p.read_text()
            assert "Service Intent notes" not in text
            assert "Engagement Management note" not in text


# ---------------------------------------------------------------- headers under attack (security cases 1, 8, 10)

SECURITY = Path(__file__).resolve().parent / "fixtures" / "cases" / "security"
ALLOWED_HEADERS = {"to", "cc", "subject", "x-unsent", "content-type", "content-transfer-encoding", "mime-version"}
HOSTILE_TEXT = [
    "=?utf-8?q?x=0D=0ABcc=3A_evil=40attacker=2Eexample?=",  # the reproduction: decodes to CR/LF + Bcc
    "=?UTF-8?B?eA0KQmNjOiBldmlsQGF0dGFja2VyLmV4YW1wbGU=?=",  # the same, base64 and upper case
    "Contoso =?iso-8859-1?q?=0ABcc:_evil@attacker.example?= Ltd",  # mid-text, another charset
    "= ?utf-8?q?x=0ABcc:_evil@attacker.example?=",  # already broken: must stay inert
    "Eve\r\nBcc: evil@attacker.example",  # raw CR/LF
    "Eve\u2028Bcc: evil@attacker.example\x85X: y",  # Unicode line separators
    "Ev\x07e\x00 \x1b[31mRed\x1b[0m \u202eevil\u202c \U000e0041\U000e0042",  # BEL, NUL, ESC, RLO, tag characters
]
HOSTILE_NAMES = [
    *HOSTILE_TEXT,
    "=?utf-8?q?evil=40attacker=2Ecom?=",  # decodes to an address
    "=?utf-8?q?Name_=3Cx=40evil=2Eexample=3E=2C?=",  # decodes to "Name <x@evil.example>,"
    'Name <x@evil.example>, "Other"',  # plain text that looks like a second mailbox
    'Ann \\" <x@evil.example>',  # quote and backslash tricks
    "X" * 5000,  # an over-long name
    "Zoë " * 1500,  # an over-long non-ASCII name
]


def header_block(data: bytes) -> str:
    return data.split(b"\n\n", 1)[0].decode("ascii")


def mailboxes(msg: EmailMessage) -> set[str]:
    """Deliverable addresses (a name alone, which Outlook resolves in the address book, has no @)."""
    return {a.addr_spec for h in ("To", "Cc") if msg[h] for a in msg[h].addresses if "@" in a.addr_spec}


def assert_headers_hold(data: bytes, expected_addresses: set[str], entries: int | None = None) -> EmailMessage:
    """Only our headers, each line <= 78 characters, no control character, and exactly the expected mailboxes
    (and `entries` entries in To+Cc: nothing split in two), also after Python parses and re-serialises the message
    (the 3.11.7 folding bug)."""
    head = header_block(data)  # ASCII only: raises otherwise
    for line in head.split("\n"):
        assert len(line) <= 78, line[:100]
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", line)
    for msg in (parse_eml(data), parse_eml(parse_eml(data).as_bytes())):
        assert {k.lower() for k in msg} <= ALLOWED_HEADERS, msg.keys()
        assert mailboxes(msg) == expected_addresses
        if entries is not None:
            assert sum(len(msg[h].addresses) for h in ("To", "Cc") if msg[h]) == entries
        assert "\n" not in str(msg["Subject"]) and "\r" not in str(msg["Subject"])
    return parse_eml(data)


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_subject_text_is_never_decoded_into_a_header(text: str) -> None:
    mail = Email(to=[Recipient(name="Tom Becker", email="tom@contoso.com")], subject=one_line(text), body="b\n")
    msg = assert_headers_hold(email_to_eml(mail), {"tom@contoso.com"})
    subject = str(msg["Subject"])
    assert "Bcc" not in subject or "=?" not in subject  # if the words survive, they are inert text
    assert not re.search(r"[\x00-\x1f\x7f\u202e\U000e0000-\U000e007f]", subject)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_display_names_cannot_add_recipients_or_headers(name: str) -> None:
    mail = Email(
        to=[Recipient(name=name, email="priya@contoso.com", role="ATS"), Recipient(name=name, role="TAM")],
        cc=[Recipient(name="Jun Park", email="jun@contoso.com")],
        subject="s",
        body="b\n",
    )
    msg = assert_headers_hold(email_to_eml(mail), {"priya@contoso.com", "jun@contoso.com"}, entries=3)
    first = msg["To"].addresses[0]
    assert "@" not in first.display_name and first.addr_spec == "priya@contoso.com"
    assert len(first.display_name) <= HEADER_NAME_LIMIT + 5  # a reader may join encoded-words with a space


def test_a_long_subject_is_folded_and_cut() -> None:
    mail = Email(to=[], subject="word " * 400 + "x" * 2000, body="b\n")
    msg = assert_headers_hold(email_to_eml(mail), set())
    assert len(str(msg["Subject"])) <= HEADER_TEXT_LIMIT


def test_encoded_word_customer_reproduction_holds_through_the_cli(tmp_path: Path) -> None:
    """Security case 1, end to end: no .eml carries a Bcc or an extra mailbox; --strict reports it (exit 3)."""
    from ftdraft.cli import main

    out = tmp_path / "out"
    code = main(["draft", str(SECURITY / "b1-encoded-word-customer.txt"), "--engine", "offline", "--out", str(out),
                 "--strict"])  # fmt: skip
    assert code == 3
    emls = sorted(out.glob("*.eml"))
    assert emls
    for p in emls:
        msg = assert_headers_hold(p.read_bytes(), set())
        assert "evil" not in str(msg["Subject"]).lower() or "= ?" in str(msg["Subject"])
    ics = (out / "internal_invite.ics").read_bytes()
    assert b"\r\nBCC" not in ics.upper()


def test_context_file_names_cannot_add_recipients(tmp_path: Path) -> None:
    """Display names from the context file (the app's setup and team fields take the same path)."""
    from ftdraft.cli import main

    context = tmp_path / "ctx.yaml"
    context.write_text(
        "customer: Contoso\n"
        "account_team:\n"
        "  - {name: '=?utf-8?q?evil=40attacker=2Ecom?=', role: ATS, email: priya@contoso.com}\n"
        "  - {name: '=?utf-8?q?Tom_=3Cx=40evil=2Eexample=3E=2C?=', role: TAM, email: tom@contoso.com}\n"
        '  - {name: "Ann\\a\\0\\e[2J\\u202eX", role: AE, email: ann@contoso.com}\n'
        f"  - {{name: '{'N' * 5000}', role: CSM, email: long@contoso.com}}\n",
        encoding="utf-8",
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("Contoso - call 2026-11-18\n- Teams rollout, intent is real\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["draft", str(notes), "--context", str(context), "--engine", "offline", "--out", str(out)]) == 0
    allowed = {"priya@contoso.com", "tom@contoso.com", "ann@contoso.com", "long@contoso.com"}
    for p in out.glob("*.eml"):
        msg = assert_headers_hold(p.read_bytes(), mailboxes(parse_eml(p.read_bytes())))
        assert mailboxes(msg) <= allowed
    for p in [*out.glob("*.ics"), out / "bundle.md"]:
        text = p.read_text(encoding="utf-8")
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202e]", text), p.name
        assert "evil.example" not in text.replace("x=40evil", "") or p.name == "bundle.md"
    for line in (out / "internal_invite.ics").read_bytes().split(b"\r\n"):
        assert len(line) <= 75


@pytest.mark.parametrize(
    ("address", "written"),
    [("priya@exämple.com", "priya@xn--exmple-cua.com"), ("priya@bücher.example", "priya@xn--bcher-kva.example"),
     ("prïya@example.com", None), ("josé@exämple.com", None), ("priya@example.com", "priya@example.com")],
)  # fmt: skip
def test_non_ascii_addresses_are_idna_encoded_or_dropped(address: str, written: str | None) -> None:
    mail = Email(to=[Recipient(name="Priya Raman", email=address, role="ATS")], subject="s", body="b\n")
    data = email_to_eml(mail)
    assert_headers_hold(data, {written} if written else set(), entries=1)
    assert "Priya Raman" in header_block(data)
    assert ascii_address(address) == written
    invite = CalendarInvite(title="t", description="d", required=[Recipient(name="Priya Raman", email=address)])
    event = parse_event(invite_to_ics(invite, today=FRIDAY, now=NOW))
    if written:
        assert str(event["ATTENDEE"]) == f"mailto:{written}"
    else:
        assert "ATTENDEE" not in event and "Priya Raman" in str(event["DESCRIPTION"])


def test_non_ascii_email_reproduction_drafts_everything_with_a_finding(tmp_path: Path) -> None:
    """Security case 8: the CLI drafts, writes every export, and a finding names the address."""
    import subprocess
    import sys

    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "ftdraft", "draft", str(SECURITY / "b9-nonascii-email.txt"), "--engine", "offline",
         "--out", str(out)],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    bundle_json = json.loads(run.stdout)
    found = [c for c in bundle_json["checks"] if c["rule"] == "recipients.non_ascii_address"]
    assert found and "exämple.com" in found[0]["text"]
    assert (out / "follow_up.eml").exists() and (out / "bundle.md").exists()
    for p in out.glob("*.eml"):
        header_block(p.read_bytes())  # ASCII headers


# ---------------------------------------------------------------- --out never overwrites inputs, never follows links


SAMPLE_NOTES = (
    "Contoso - call 2026-11-18\nAttendees: Priya Raman (ATS), Tom Becker (TAM)\n- Priya to send intro email by Friday\n"
)


def run_cli(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    from ftdraft.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["draft", *args, "--engine", "offline"])
    return code, err.getvalue()


@pytest.mark.parametrize("name", ["bundle.md", "ftop.txt", "customer_blurb.txt", "follow_up.eml", "bundle.json"])
def test_out_never_overwrites_the_notes_file(tmp_path: Path, name: str) -> None:
    """Security case 9: notes kept in the out folder under an export's name are never replaced."""
    notes = tmp_path / name
    notes.write_text(SAMPLE_NOTES, encoding="utf-8")
    code, err = run_cli(str(notes), "--out", str(tmp_path))
    assert notes.read_text(encoding="utf-8") == SAMPLE_NOTES
    assert code == 2
    assert f"not written: {notes}" in err and "input file" in err
    assert (tmp_path / "internal_invite.eml").exists()  # everything else is written


def test_out_never_overwrites_a_hard_link_to_an_input(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(SAMPLE_NOTES, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "ftop.txt").hardlink_to(notes)
    code, err = run_cli(str(notes), "--out", str(out))
    assert notes.read_text(encoding="utf-8") == SAMPLE_NOTES and code == 2 and "ftop.txt" in err


@pytest.mark.parametrize("name", ["follow_up.eml", "bundle.md", "internal_invite.ics"])
def test_out_never_follows_a_symlink(tmp_path: Path, name: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / name).symlink_to(victim)
    (out / "ftop.txt").symlink_to(tmp_path / "does-not-exist-yet")  # a dangling link is not followed either
    notes = tmp_path / "notes.txt"
    notes.write_text(SAMPLE_NOTES, encoding="utf-8")
    code, err = run_cli(str(notes), "--out", str(out))
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / "does-not-exist-yet").exists()
    assert (out / name).is_symlink() and code == 2
    assert "symbolic link" in err and name in err and "ftop.txt" in err
    assert (out / "intro_request.eml").is_file()


def test_out_refuses_a_folder_named_like_an_export(tmp_path: Path) -> None:
    (tmp_path / "bundle.md").mkdir()
    notes = tmp_path / "notes.txt"
    notes.write_text(SAMPLE_NOTES, encoding="utf-8")
    code, err = run_cli(str(notes), "--out", str(tmp_path))
    assert code == 2 and "not a regular file" in err


def test_out_overwrites_its_own_earlier_exports(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(SAMPLE_NOTES, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(str(notes), "--out", str(out))[0] == 0
    (out / "ftop.txt").write_text("old", encoding="utf-8")
    assert run_cli(str(notes), "--out", str(out))[0] == 0
    assert (out / "ftop.txt").read_text(encoding="utf-8") != "old"


def test_non_ascii_notes_print_on_an_ascii_terminal() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    run = subprocess.run(
        [sys.executable, "-m", "ftdraft", "draft", str(SECURITY / "b9-nonascii-email.txt"), "--engine", "offline",
         "--format", "markdown"],
        capture_output=True, env=env, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert b"Traceback" not in run.stderr and b"Contoso" in run.stdout
