"""Export behaviour the other export tests left open, found by mutation testing (issue 15, bench/mutation.py):
bundle.md asserted whole for a hand-built bundle, the folding and quoting of To/Cc at their limits, and what
write_exports does with folders, dates, file modes, failed writes and a link planted after the check."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from ftdraft.agenda import AGENDA_BY_KEY
from ftdraft.export import RefusedExport, bundle_to_markdown, email_to_eml, format_recipient, write_exports
from ftdraft.schemas import (
    ActionItem,
    AgendaAnswer,
    Ask,
    Attendee,
    CalendarInvite,
    CallFacts,
    Check,
    ChecklistItem,
    CompeteProduct,
    DraftBundle,
    Drafts,
    Email,
    Engagement,
    Fact,
    Flag,
    FtopEntry,
    InternalInvite,
    IntroRequest,
    OpenItem,
    Person,
    PrepChecklist,
    Provenance,
    Recipient,
    ServiceIntent,
    Source,
    SyncRhythm,
    SyncRhythmDraft,
    TokenUsage,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
FRIDAY = date(2026, 11, 20)
PRIYA = Recipient(name="Priya Raman", email="priya@contoso.com", role="ATS")
TOM = Recipient(name="Tom Becker", email="tom@contoso.com", role="TAM")


def notes(*lines: int) -> list[Source]:
    return [Source(origin="notes", lines=list(lines), text="x")]


def drafts(**overrides: Any) -> Drafts:
    """Drafts written by hand, so bundle.md below changes only when export.py does (not when the templates do)."""
    parts: dict[str, Any] = dict(
        prep=PrepChecklist(
            motion="RFA", items=[ChecklistItem(text="Review the RFA", done=True), ChecklistItem(text="Check the FTA")]
        ),
        internal_invite=InternalInvite(
            email=Email(to=[PRIYA, TOM], cc=[Recipient(name="Alicia Gomez", role="AE")], subject="Intro", body="Hi\n"),
            invite=CalendarInvite(title="Intro call", required=[PRIYA], description="Agenda\n"),
        ),
        intro_request=IntroRequest(
            email=Email(to=[TOM], subject="Customer intro", body="Please introduce us.\n"),
            customer_blurb="FastTrack helps.\n",
        ),
        teams_channel=Email(to=[PRIYA], subject="Teams channel", body="A channel?\n"),
        follow_up=Email(to=[PRIYA], cc=[TOM], subject="Next steps", body="Thanks\n\nAlex\n"),
        ftop=FtopEntry(text="Engagement Management note\n"),
        sync_rhythm=SyncRhythmDraft(
            email=Email(to=[], subject="Sync", body="Monthly sync\n"),
            invite=CalendarInvite(
                title="Monthly sync",
                start=datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/Berlin")),
                duration_minutes=45,
                rrule="FREQ=MONTHLY;BYDAY=1TU",
                location="Room 4",
                description="Sync agenda\n",
            ),
        ),
    )
    parts.update(overrides)
    return Drafts(**parts)


def rich_bundle() -> DraftBundle:
    engagement = Engagement(
        customer="Contoso R&D <Labs>",
        motion="RFA",
        rfa_id="4471",
        rfa_summary="Teams rollout",
        health_red_areas=["Teams", "OneDrive"],
        fm=Person(name="Alex Morgan", role="FM", email="alex@microsoft.com"),
        account_team=[Person(name="Priya Raman", role="ATS", email="priya@contoso.com"), Person(role="TAM")],
        fta=Person(name="Jun Park", role="FTA"),
        customer_contacts=[
            Person(name="Dana Whitfield", role="customer", title="CIO"),
            Person(name="Mark Olsen", role="customer"),
        ],
        workloads=["Teams", "Exchange Online"],
        call_date=date(2026, 11, 18),
    )
    facts = CallFacts(
        attendees=[
            Attendee(name="Priya Raman", role="ATS", sources=notes(2)),
            Attendee(name="Dana Whitfield", role="customer", title="CIO", present=False, sources=notes(2, 3)),
        ],
        agenda=[
            AgendaAnswer(item="e", title="Licenses", answered=True, answer="E5 for all", sources=notes(6)),
            AgendaAnswer(item="c", title="", answered=False),
            AgendaAnswer(item="d", title="Environment", answered=False, answer="maybe hybrid"),  # not confirmed
            AgendaAnswer(item="x", title="", answered=False),  # an item no agenda has (a model's): no title
        ],
        intents=[
            ServiceIntent(
                workload="Teams",
                status="Blocked",
                reason="Customer IT Infrastructure and Remediation",
                note="proxy",
                sources=notes(7),
            ),
            ServiceIntent(workload="Exchange Online", status="In Progress", note="started"),
        ],
        action_items=[
            ActionItem(
                owner="Priya Raman",
                action="send the roster",
                due=date(2026, 11, 27),
                due_text="next Friday",
                sources=notes(9),
            ),
            ActionItem(owner_role="TAM", action="confirm licenses"),
            ActionItem(action="book the sync"),
        ],  # fmt: skip
        open_items=[
            OpenItem(text="Which tenant?", agenda_item="i", owner="Tom", sources=notes(10)),
            OpenItem(text="Who owns Intune?"),
        ],
        asks=[
            Ask(text="Help with Teams", sources=notes(11)),
            Ask(text="Licensing deal", in_scope=False, routed_to="the AE"),
            Ask(text="Pricing", in_scope=False),
        ],
        risks=[Fact(text="Proxy blocks https://teams.example and www.teams.example", sources=notes(12, 13))],
        timeline=[Fact(text="Go-live\tin  March", sources=[Source(origin="context", lines=[2], text="March")])],
        licenses=[Fact(text="E5", sources=[*notes(6), Source(origin="agenda", text="E5")])],
        environment=[Fact(text="Hybrid *AD*", sources=[Source(origin="notes", text="Hybrid AD")])],
        migration_source=[Fact(text="Gmail", sources=notes(17))],
        partner=[Fact(text="Fabrikam Partners", sources=notes(18))],
        additional_tenants=[Fact(text="A second tenant in Japan", sources=notes(19))],
        political_changes=[Fact(text="New CIO in January", sources=notes(20))],
        fasttrack_process=[Fact(text="Priya knows the process", sources=notes(21))],
        compete=[CompeteProduct(product="Zoom", text="Zoom for webinars", sources=notes(14))],
        sync_rhythm=SyncRhythm(
            kind="join_existing",
            cadence="monthly",
            weekday="TU",
            week_of_month=1,
            text="first Tuesday",
            sources=notes(15),
        ),  # fmt: skip
        teams_channel=Fact(text="A Teams channel for the rollout", sources=notes(16)),
        flags=[Flag(field="action_items[2].owner", message="No owner for: book the sync")],
    )
    return DraftBundle(
        generated_at=NOW,
        engagement=engagement,
        facts=facts,
        drafts=drafts(),
        checks=[
            Check(draft="follow_up", severity="warning", rule="usage_figure", text="12% <b>", suggestion="remove it"),
            Check(draft="ftop", severity="info", rule="long", text="long"),
        ],
        provenance={
            "extraction": Provenance(engine="offline"),
            "follow_up": Provenance(engine="llm", model="gpt-x", attempts=2, fallback_reason="timed out | twice"),
        },
        tokens=TokenUsage(prompt_tokens=1200, completion_tokens=300),
    )


# bundle.md is the FM's review and archive copy of everything: its text is asserted whole.
RICH_MD = """\
# Contoso R&amp;D &lt;Labs&gt; – FastTrack Initiate drafts

Generated 2026-11-20T12:00:00+00:00 · schema version {version}

## Engagement

- **Customer:** Contoso R&amp;D &lt;Labs&gt;
- **Motion:** RFA
- **RFA:** #4471 Teams rollout
- **Health red areas:** Teams, OneDrive
- **Call date:** 2026-11-18
- **FM:** Alex Morgan (FM) &lt;alex\\@microsoft.com&gt;
- **FTA:** Jun Park (FTA)
- **Workloads:** Teams, Exchange Online
- **Account team:** Priya Raman (ATS) &lt;priya\\@contoso.com&gt;; (name unknown) (TAM)
- **Customer contacts:** Dana Whitfield (customer) – CIO; Mark Olsen (customer)

## Facts from the call

### Attendees

- Priya Raman (ATS) _(line 2)_
- Dana Whitfield (customer) – CIO – absent _(lines 2, 3)_

### Agenda

- **c. {title_c}:** _not answered_
- **d. Environment:** _not answered_
- **e. Licenses:** E5 for all _(line 6)_
- **x. :** _not answered_

### Service intent

- **Teams** — Blocked (Customer IT Infrastructure and Remediation): proxy _(line 7)_
- **Exchange Online** — In Progress: started

### Action items

- Priya Raman – send the roster – 2026-11-27 ("next Friday") _(line 9)_
- the TAM (name unknown) – confirm licenses – Due: TBD
- Owner: TBD – book the sync – Due: TBD

### Open items

- \\[i\\] Which tenant? (owner: Tom) _(line 10)_
- Who owns Intune?

### Asks

- Help with Teams (in scope) _(line 11)_
- Licensing deal (outside FastTrack scope; routed by the AE)
- Pricing (outside FastTrack scope; routed by TBD)

### Risks

- Proxy blocks https\\://teams.example and www\\.teams.example _(lines 12, 13)_

### Timeline

- Go-live in March _(from the context)_

### Licenses

- E5 _(line 6; from the agenda)_

### Environment

- Hybrid \\*AD\\*

### Migration source

- Gmail _(line 17)_

### Partner

- Fabrikam Partners _(line 18)_

### Compete

- **Zoom:** Zoom for webinars _(line 14)_

### Additional tenants

- A second tenant in Japan _(line 19)_

### Political changes

- New CIO in January _(line 20)_

### FastTrack process

- Priya knows the process _(line 21)_

### Sync rhythm

- join_existing: monthly, TU, week 1 – first Tuesday _(line 15)_

### Teams channel

- A Teams channel for the rollout _(line 16)_

### Flags (unknown, needs the FM)

- **action\\_items\\[2\\].owner:** No owner for: book the sync

## Drafts

### Prep checklist

- [x] Review the RFA
- [ ] Check the FTA

### Internal invite – email

- **To:** Priya Raman &lt;priya@contoso.com&gt;, Tom Becker &lt;tom@contoso.com&gt;
- **Cc:** "Alicia Gomez"
- **Subject:** Intro
- **Audience:** account_team

```text
Hi
```

#### Internal invite – calendar invite

- **Title:** Intro call
- **Required:** Priya Raman &lt;priya@contoso.com&gt;
- **Optional:** —
- **When:** not set (placeholder in the .ics), 30 min
- **Where:** Microsoft Teams meeting

```text
Agenda
```

### Customer intro request

- **To:** Tom Becker &lt;tom@contoso.com&gt;
- **Cc:** —
- **Subject:** Customer intro
- **Audience:** account_team

```text
Please introduce us.
```

#### Customer-facing blurb

```text
FastTrack helps.
```

### Teams channel request

- **To:** Priya Raman &lt;priya@contoso.com&gt;
- **Cc:** —
- **Subject:** Teams channel
- **Audience:** account_team

```text
A channel?
```

### Follow-up email

- **To:** Priya Raman &lt;priya@contoso.com&gt;
- **Cc:** Tom Becker &lt;tom@contoso.com&gt;
- **Subject:** Next steps
- **Audience:** account_team

```text
Thanks

Alex
```

### FTOP entry (internal)

```text
Engagement Management note
```

### Sync rhythm

- **To:** —
- **Cc:** —
- **Subject:** Sync
- **Audience:** account_team

```text
Monthly sync
```

#### Sync rhythm – recurring invite

- **Title:** Monthly sync
- **Required:** —
- **Optional:** —
- **When:** 2026-12-01T09:30:00+01:00, 45 min, repeats `FREQ=MONTHLY;BYDAY=1TU`
- **Where:** Room 4

```text
Sync agenda
```

## Checks

- **warning** `usage_figure` in follow_up: 12% &lt;b&gt; → remove it
- **info** `long` in ftop: long

## Provenance

| Part | Engine | Model | Attempts | Fallback reason |
| --- | --- | --- | --- | --- |
| extraction | offline | — | 0 | — |
| follow_up | llm | gpt-x | 2 | timed out \\| twice |

Model tokens: 1,200 prompt, 300 completion.
"""


def test_bundle_markdown_is_written_whole() -> None:
    b = rich_bundle()
    expected = RICH_MD.format(version=b.schema_version, title_c=AGENDA_BY_KEY["c"].title)
    assert bundle_to_markdown(b) == expected


@pytest.mark.parametrize(
    ("rfa_id", "summary", "line"),
    [("4471", None, "- **RFA:** #4471"), (None, "Teams rollout", "- **RFA:** Teams rollout")],
)
def test_the_rfa_line_shows_what_is_known(rfa_id: str | None, summary: str | None, line: str) -> None:
    engagement = Engagement(customer="Contoso", motion="RFA", rfa_id=rfa_id, rfa_summary=summary)
    md = bundle_to_markdown(DraftBundle(generated_at=NOW, engagement=engagement, facts=CallFacts(), drafts=drafts()))
    shown = [ln for ln in md.splitlines() if ln.startswith("- **RFA:**")]
    assert len(shown) == 1 and " ".join(shown[0].split()) == line
    assert shown[0] == shown[0].rstrip()


def test_bundle_markdown_of_an_empty_call() -> None:
    """No customer, no facts, no Teams channel, no sync invite: every section says so instead of vanishing."""
    b = DraftBundle(
        generated_at=NOW,
        engagement=Engagement(),
        facts=CallFacts(),
        drafts=drafts(teams_channel=None, sync_rhythm=SyncRhythmDraft(email=Email(subject="s", body="b\n"))),
    )
    md = bundle_to_markdown(b)
    assert md.startswith("# (customer unknown) – FastTrack Initiate drafts\n")
    for line in [
        "- **Customer:** (customer unknown)",
        "- **Motion:** unknown",
        "- **Call date:** unknown",
        "- **FM:** unknown",
        "- **Workloads:** none recorded",
        "- **Account team:** none recorded",
        "- **Customer contacts:** none recorded",
    ]:
        assert f"\n{line}\n" in md, line
    assert (
        "### Action items\n\n- none found\n\n### Open items\n\n- none\n\n### Flags (unknown, needs the FM)\n\n- none\n"
        in md
    )
    assert "## Checks\n\n- none\n" in md
    for absent in ("- **RFA:**", "Health red areas", "### Attendees", "### Risks", "### Teams channel", "Model tokens"):
        assert absent not in md, absent
    assert "### Teams channel request" not in md and "recurring invite" not in md
    assert md.endswith("| --- | --- | --- | --- | --- |\n")


@pytest.mark.parametrize(
    "body",
    ["plain\n", "ends with spaces  \n", "\nstarts with a blank line\n", "ends with XX\n", "a ``` fence\n\n\n"],
)
def test_a_draft_is_fenced_byte_for_byte(body: str) -> None:
    """The fenced block holds the draft exactly (only the final newlines go), in the shortest safe fence."""
    md = bundle_to_markdown(DraftBundle(generated_at=NOW, engagement=Engagement(), facts=CallFacts(),
                                        drafts=drafts(ftop=FtopEntry(text=body))))  # fmt: skip
    fence = "````" if "```" in body else "```"
    assert f"### FTOP entry (internal)\n\n{fence}text\n{body.rstrip(chr(10))}\n{fence}\n\n" in md


# ---------------------------------------------------------------- To/Cc at their limits


@pytest.mark.parametrize(
    ("recipient", "header"),
    [
        # up to 66 characters a name stays readable as typed; longer ones are split into encoded-words
        (Recipient(name="N" * 66, email="a@b.co"), "N" * 66 + " <a@b.co>"),
        (Recipient(name="N" * 67, email="a@b.co"), f"=?utf-8?q?{'N' * 62}?=\n=?utf-8?q?NNNNN?= <a@b.co>"),
        (Recipient(name="N" * 66), '"' + "N" * 66 + '"'),
        (Recipient(name="N" * 67), f"=?utf-8?q?{'N' * 62}?=\n=?utf-8?q?NNNNN?="),
        (Recipient(name="a\\b", email="a@b.co"), '"a\\\\b" <a@b.co>'),
        (Recipient(name='Tom "TB" Becker'), '"Tom \\"TB\\" Becker"'),
    ],
    ids=["66-with-address", "67-with-address", "66-name-only", "67-name-only", "backslash-with-address", "quote"],
)
def test_recipient_at_the_length_limit_and_with_quotes(recipient: Recipient, header: str) -> None:
    assert format_recipient(recipient) == header


def header_lines(mail: Email) -> list[str]:
    return email_to_eml(mail).split(b"\n\n", 1)[0].decode("ascii").split("\n")


def test_to_is_folded_only_where_the_next_entry_would_pass_76_characters() -> None:
    """Lines as full as they may be (76), never longer; a fold goes between entries, or between a name and its
    address, never inside a quoted name."""
    first = Recipient(name="A" * 56, email="a@b.co")  # "To: " + 56 + " <a@b.co>," = 70 characters

    def to_lines(*rest: Recipient) -> list[str]:
        lines = header_lines(Email(to=[first, *rest], subject="s", body="b\n"))
        return lines[: lines.index("Subject: s")]

    assert to_lines(Recipient(name="B" * 5, email="b@c.de")) == [f"To: {'A' * 56} <a@b.co>, BBBBB", " <b@c.de>"]
    assert to_lines(Recipient(name="B" * 6, email="b@c.de")) == [f"To: {'A' * 56} <a@b.co>,", " BBBBBB <b@c.de>"]
    first = Recipient(name="A" * 53, email="a@b.co")  # 67 characters, then the 8 of '"Q\\" <q"' fit exactly
    assert to_lines(Recipient(name='Q" <q', email="q@r.st")) == [f'To: {"A" * 53} <a@b.co>, "Q\\" <q"', " <q@r.st>"]
    long_name = header_lines(Email(to=[Recipient(name="x" * 200, email="a@b.co")], subject="s", body="b\n"))
    assert long_name[0].startswith("To: =?utf-8?q?x")  # the first encoded-word goes on the To: line


def test_a_quoted_name_folds_before_its_address() -> None:
    quoted = Recipient(name="Raman, Priya", email="priya@contoso.com")
    lines = header_lines(Email(to=[Recipient(name="A" * 47, email="a@b.co"), quoted], subject="s", body="b\n"))
    assert lines[:2] == [f'To: {"A" * 47} <a@b.co>, "Raman, Priya"', " <priya@contoso.com>"]
    msg = BytesParser(policy=policy.default).parsebytes(email_to_eml(Email(to=[quoted], subject="s", body="b\n")))
    assert [(a.display_name, a.addr_spec) for a in msg["To"].addresses] == [("Raman, Priya", "priya@contoso.com")]


# ---------------------------------------------------------------- write_exports


def bundle_for_files() -> DraftBundle:
    sync = SyncRhythmDraft(
        email=Email(subject="Sync", body="b\n"),
        invite=CalendarInvite(title="Sync", rrule="FREQ=WEEKLY;BYDAY=TH", required=[PRIYA]),
    )
    return DraftBundle(generated_at=NOW, engagement=Engagement(customer="Contoso"), facts=CallFacts(),
                       drafts=drafts(sync_rhythm=sync))  # fmt: skip


def test_exports_go_into_a_new_nested_folder_with_placeholders_from_the_given_day(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "c"
    paths = write_exports(bundle_for_files(), out, today=FRIDAY)
    assert paths and all(p.parent == out and p.is_file() for p in paths)
    starts = {
        name: Calendar.from_ical((out / name).read_bytes()).walk("VEVENT")[0].decoded("DTSTART")
        for name in ("internal_invite.ics", "sync_rhythm.ics")
    }
    # the Friday given: the next business day (Monday), and the first Thursday from then for the weekly sync
    assert starts == {
        "internal_invite.ics": datetime(2026, 11, 23, 10, 0),
        "sync_rhythm.ics": datetime(2026, 11, 26, 10),
    }


def test_exports_are_ordinary_files_not_executables(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    for p in write_exports(bundle_for_files(), tmp_path, today=FRIDAY):
        assert stat.S_IMODE(p.stat().st_mode) == 0o644 & ~umask, p.name


def test_bundle_json_is_the_json_the_cli_prints(tmp_path: Path) -> None:
    from ftdraft.cli import main

    notes_file = tmp_path / "notes.txt"
    notes_file.write_text("Contoso - call 2026-11-18\n- Teams rollout, intent is real\n", encoding="utf-8")
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
        assert main(["draft", str(notes_file), "--engine", "offline", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "bundle.json").read_text(encoding="utf-8") + "\n" == stdout.getvalue()


def test_a_longer_earlier_export_is_replaced_whole(tmp_path: Path) -> None:
    b = bundle_for_files()
    (tmp_path / "ftop.txt").write_text("an old, much longer FTOP entry\n" * 50, encoding="utf-8")
    write_exports(b, tmp_path, today=FRIDAY)
    assert (tmp_path / "ftop.txt").read_text(encoding="utf-8") == b.drafts.ftop.text


def test_an_export_that_cannot_be_written_is_reported_and_the_others_are_tried() -> None:
    refused: list[RefusedExport] = []
    out = Path("/proc/self")  # exists, and no file can be created in it, not even by root
    assert write_exports(bundle_for_files(), out, today=FRIDAY, refused=refused) == []
    assert [r.path.name for r in refused][:3] == ["internal_invite.eml", "internal_invite.ics", "intro_request.eml"]
    assert len(refused) == 11
    assert {r.reason for r in refused} == {"cannot write it (No such file or directory)"}


def test_refusals_say_why(tmp_path: Path) -> None:
    notes_file = tmp_path / "notes.txt"
    notes_file.write_text("notes", encoding="utf-8")
    (tmp_path / "bundle.md").mkdir()
    (tmp_path / "ftop.txt").symlink_to(tmp_path / "elsewhere.txt")
    (tmp_path / "bundle.json").hardlink_to(notes_file)
    refused: list[RefusedExport] = []
    # an input that does not exist (a file named but never created) does not stop the check of the next one
    write_exports(bundle_for_files(), tmp_path, protect=[tmp_path / "missing.yaml", notes_file], refused=refused)
    assert {r.path.name: r.reason for r in refused} == {
        "ftop.txt": "it is a symbolic link (links are never followed)",
        "bundle.md": "it exists and is not a regular file",
        "bundle.json": f"it is your input file {notes_file} (it would be overwritten)",
    }
    assert notes_file.read_text(encoding="utf-8") == "notes" and not (tmp_path / "elsewhere.txt").exists()


# A link planted between the check and the write (the race O_NOFOLLOW closes): an audit hook on os.open plants it
# at the last moment, as an attacker with write access to the out folder could.
_PLANT: dict[str, Callable[[], None]] = {}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _PLANT and isinstance(args[0], str | Path):
        plant = _PLANT.pop(os.fspath(args[0]), None)
        if plant is not None:
            plant()


@pytest.fixture
def plant_link() -> Iterator[Callable[[Path, Path], None]]:
    if not getattr(sys, "_ftdraft_export_hook", False):
        sys.addaudithook(_audit)  # audit hooks cannot be removed: it stays, inert while _PLANT is empty
        sys._ftdraft_export_hook = True  # type: ignore[attr-defined]

    def arm(path: Path, target: Path) -> None:
        _PLANT[os.fspath(path)] = lambda: path.symlink_to(target)

    yield arm
    _PLANT.clear()


def test_a_link_planted_after_the_check_is_not_followed(tmp_path: Path, plant_link: Any) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    plant_link(out / "follow_up.eml", victim)
    refused: list[RefusedExport] = []
    paths = write_exports(bundle_for_files(), out, today=FRIDAY, refused=refused)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert [(r.path.name, r.reason) for r in refused] == [
        ("follow_up.eml", "cannot write it (Too many levels of symbolic links)")
    ]
    assert out / "follow_up.eml" not in paths and out / "sync_rhythm.eml" in paths


# ---------------------------------------------------------------- .eml headers and .ics as written


def test_a_simple_draft_is_written_as_this_eml() -> None:
    mail = Email(to=[PRIYA], cc=[Recipient(name="Tom", email="tom@contoso.com")], subject="Hi there", body="Body\n")
    assert email_to_eml(mail).decode("ascii") == (
        "To: Priya Raman <priya@contoso.com>\n"
        "Cc: Tom <tom@contoso.com>\n"
        "Subject: Hi there\n"
        "X-Unsent: 1\n"
        'Content-Type: text/plain; charset="utf-8"\n'
        "Content-Transfer-Encoding: 7bit\n"
        "MIME-Version: 1.0\n"
        "\n"
        "Body\n"
    )


def subject_lines(subject: str) -> list[str]:
    lines = header_lines(Email(subject=subject, body="b\n"))
    return lines[: lines.index("X-Unsent: 1")]


@pytest.mark.parametrize(
    ("subject", "lines"),
    [
        # "Subject:" (8) + " " + 60 + " " + 6 = 76: fits; one more character folds
        ("a" * 60 + " bbbbbb", [f"Subject: {'a' * 60} bbbbbb"]),
        ("a" * 60 + " bbbbbbb", [f"Subject: {'a' * 60}", " bbbbbbb"]),
        ("word " * 20, ["Subject:" + " word" * 13, " word" * 7]),
        # a word of up to 66 characters is folded as text; a longer one makes the subject encoded-words
        ("a" * 66 + " b", [f"Subject: {'a' * 66}", " b"]),
        ("a" * 67 + " b", [f"Subject: =?utf-8?q?{'a' * 57}?=", f" =?utf-8?q?{'a' * 10}_b?="]),
        (
            "Zürich – FastTrack intro and next steps for the whole Contoso Pharma team",
            [
                "Subject: =?utf-8?q?Z=C3=BCrich_=E2=80=93_FastTrack_intro_and_next_steps_for_?=",
                " =?utf-8?q?the_whole_Contoso_Pharma_team?=",
            ],
        ),
    ],
    ids=["76-fits", "77-folds", "many-words", "66-char-word", "67-char-word", "non-ascii"],
)
def test_subject_folding(subject: str, lines: list[str]) -> None:
    assert subject_lines(subject) == lines


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a =?utf-8?q?x?= b", "a = ?utf-8?q?x?= b"),  # no reader decodes it: the encoded-word opener is broken
        ("a" * 300, "a" * 300),  # at the limit: kept whole
        ("a" * 301, "a" * 299 + "…"),
        ("a" * 298 + " b c", "a" * 298 + "…"),  # cut, the space before the cut dropped
    ],
    ids=["encoded-word", "at-limit", "over-limit", "cut-at-space"],
)
def test_header_text(text: str, value: str) -> None:
    from ftdraft.export import header_text

    assert header_text(text) == value


def unfolded(ics: bytes) -> list[str]:
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_an_invite_is_written_as_this_ics() -> None:
    """Placeholder start from the given day, the rule's first occurrence, attendees by role with their names,
    people without an address named in the description, and a UID that stays the same from one version of
    ftdraft to the next (re-importing the invite updates the event instead of adding a second one)."""
    from ftdraft.export import invite_to_ics

    invite = CalendarInvite(
        title='Sync "one"',
        description="Agenda:\n a. Intro \n\n",
        location="Room 4",
        rrule="FREQ=WEEKLY;BYDAY=TH",
        duration_minutes=45,
        required=[
            Recipient(name='Priya "PR" Raman', email="priya@contoso.com", role="ATS"),
            Recipient(name="Alicia Gomez", role="AE"),
            Recipient(role="TAM"),
        ],
        optional=[Recipient(name="Dana"), Recipient(email="jun@contoso.com"), Recipient()],  # no address first
    )
    assert unfolded(invite_to_ics(invite, today=FRIDAY, now=NOW)) == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ftdraft//FastTrack Initiate drafts//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        'SUMMARY:Sync "one"',
        "DTSTART:20261126T100000",
        "DTEND:20261126T104500",
        "DTSTAMP:20261120T120000Z",
        "UID:214d6691-79b4-5907-987e-07719686db10@ftdraft",
        "RRULE:FREQ=WEEKLY;BYDAY=TH",
        'ATTENDEE;CN="Priya PR Raman";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:priya@contoso.com',
        "ATTENDEE;PARTSTAT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT;RSVP=TRUE:mailto:jun@contoso.com",
        "DESCRIPTION:Agenda:\\n a. Intro \\n\\nThe time (Thu Nov 26\\, 2026 10:00) is a placeholder: pick the real "
        "slot in Outlook before sending.\\n\\nAlso invite (no email address known): Alicia Gomez (AE)\\; the TAM "
        "(name unknown)\\; Dana\\; the attendee (name unknown).",
        "LOCATION:Room 4",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


def test_an_invite_without_a_given_time_stamps_now_and_starts_from_tomorrow() -> None:
    from ftdraft.export import invite_to_ics, next_business_day

    before = datetime.now(UTC).replace(microsecond=0)
    event = Calendar.from_ical(invite_to_ics(CalendarInvite(title="t"))).walk("VEVENT")[0]
    assert before <= event.decoded("DTSTAMP") <= datetime.now(UTC)
    assert event.decoded("DTSTART") == datetime.combine(next_business_day(date.today()), datetime.min.time()).replace(
        hour=10
    )


def test_an_invite_at_a_utc_time_needs_no_timezone_block() -> None:
    from ftdraft.export import invite_to_ics

    data = invite_to_ics(CalendarInvite(title="t", start=datetime(2026, 12, 1, 9, 0, tzinfo=UTC)), now=NOW)
    assert b"BEGIN:VTIMEZONE" not in data and b"DTSTART:20261201T090000Z" in data


def test_a_placeholder_on_a_day_of_the_series_is_that_day() -> None:
    """The placeholder is the first occurrence from the next business day on, that day included."""
    from ftdraft.export import placeholder_start

    assert placeholder_start(FRIDAY, "FREQ=WEEKLY;BYDAY=MO") == datetime(2026, 11, 23, 10, 0)


def test_a_one_off_invite_names_who_has_no_address_and_keeps_its_text() -> None:
    from ftdraft.export import HEADER_NAME_LIMIT, invite_to_ics

    long_name = "N" * 130
    invite = CalendarInvite(
        title="Intro",
        required=[Recipient(name="Priya", email="priya@contoso.com"), Recipient(name="Alicia")],
        optional=[Recipient(name=long_name, role="AE"), Recipient(name=long_name, email="n@contoso.com")],
        description="Agenda item X\n",
    )
    event = Calendar.from_ical(invite_to_ics(invite, today=FRIDAY, now=NOW)).walk("VEVENT")[0]
    assert str(event["UID"]) == "b9a56326-3646-51d9-be76-69f923cfb087@ftdraft"  # the same in every version
    cut = long_name[: HEADER_NAME_LIMIT - 1] + "…"
    assert [(str(a), a.params.get("CN")) for a in event["ATTENDEE"]] == [
        ("mailto:priya@contoso.com", "Priya"),
        ("mailto:n@contoso.com", cut),  # a name is cut in the invite as in the .eml headers
    ]
    assert str(event["DESCRIPTION"]) == (
        "Agenda item X\n\nThe time (Mon Nov 23, 2026 10:00) is a placeholder: pick the real slot in Outlook before "
        f"sending.\n\nAlso invite (no email address known): Alicia; {cut} (AE)."
    )


@pytest.mark.parametrize(
    ("rhythm", "line"),
    [
        (SyncRhythm(kind="unknown", text="no sync settled"), "- unknown – no sync settled"),
        (
            SyncRhythm(kind="propose", cadence="weekly", weekday="TH", text="weekly on Thursdays", sources=notes(4)),
            "- propose: weekly, TH – weekly on Thursdays _(line 4)_",
        ),
    ],
)
def test_the_sync_rhythm_fact_says_what_is_known(rhythm: SyncRhythm, line: str) -> None:
    md = bundle_to_markdown(
        DraftBundle(generated_at=NOW, engagement=Engagement(), facts=CallFacts(sync_rhythm=rhythm), drafts=drafts())
    )
    assert f"### Sync rhythm\n\n{line}\n\n" in md
