"""The sync rhythm: join vs propose vs unknown, days, interval, week of the month, time and zone, the owner."""

from __future__ import annotations

from pathlib import Path

from ftdraft.extract import extract_facts
from ftdraft.schemas import Engagement, SyncRhythm

CASES = Path(__file__).parent / "fixtures" / "cases" / "reader"


def _sync(notes: str) -> SyncRhythm:
    _, facts = extract_facts(notes, Engagement(), {})
    assert facts.sync_rhythm is not None
    return facts.sync_rhythm


HEAD = "Sync - Juniper Labs - 2026-11-24\nAttendees: Nadia Brooks (ATS), Omar Haddad (TAM), me (FM)\n"


def test_case_11_two_days_time_and_zone() -> None:
    s = _sync((CASES / "11-sync-two-days-tz.md").read_text())
    assert (s.kind, s.cadence, s.days, s.weekday) == ("propose", "weekly", ["TU", "TH"], "TU")
    assert (s.time, s.timezone, s.owner) == ("16:00", "Europe/Berlin", "Nadia Brooks")


def test_cases_02_06_12_join_the_thursday_call_owner_adds_me() -> None:
    for name in ("02-owner-inversion.md", "06-bullet-tab-min.md", "06-onenote-paste.md", "12-german-notes.md"):
        s = _sync((CASES / name).read_text())
        assert (s.kind, s.weekday, s.owner) == ("join_existing", "TH", "Omar Haddad"), name


def test_case_01_join_weekly_owner_siobhan() -> None:
    s = _sync((CASES / "01-accented-names.md").read_text())
    assert (s.kind, s.cadence, s.owner) == ("join_existing", "weekly", "Siobhán O'Neill")


def test_fortnightly_every_other_and_every_n_weeks() -> None:
    assert _sync(HEAD + "- sync: Omar has a fortnightly call on Mondays, I'll join\n").cadence == "biweekly"
    s = _sync(HEAD + "- sync: Omar runs a call every other Tuesday, will add me\n")
    assert (s.cadence, s.interval, s.weekday, s.owner) == ("biweekly", 2, "TU", "Omar Haddad")
    assert _sync(HEAD + "- sync: new call every 3 weeks on Fridays, I'll send the invite\n").interval == 3


def test_first_wednesday_of_the_month() -> None:
    s = _sync(HEAD + "- sync: no existing call; new monthly sync, first Wednesday of the month, Nadia sends invite\n")
    assert (s.kind, s.cadence, s.week_of_month, s.weekday, s.owner) == ("propose", "monthly", 1, "WE", "Nadia Brooks")


def test_join_only_when_a_meeting_exists_and_host_owns_it() -> None:
    s = _sync(HEAD + "- sync: Nadia already runs a weekly account call on Thursdays, I'll join that\n")
    assert (s.kind, s.owner) == ("join_existing", "Nadia Brooks")
    s = _sync(HEAD + "- sync: nothing existing. New one, biweekly Wed, I'll send the invite\n")
    assert (s.kind, s.owner) == ("propose", "FM")


def test_nothing_settled_is_unknown() -> None:
    s = _sync(HEAD + "- sync rhythm: ran out of time, didn't settle it. Will ask on email.\n")
    assert (s.kind, s.cadence, s.weekday, s.owner) == ("unknown", None, None, None)
    s = _sync(HEAD + "- sync: Omar will check whether one exists\n")
    assert s.kind == "unknown"


def test_a_later_reply_overrides_the_sync() -> None:
    notes = (
        "From: Omar Haddad\nSent: Friday, January 8, 2027 11:02 AM\nTo: Nadia Brooks\nSubject: RE: recap\n\n"
        "One change on the rhythm: let's do a dedicated biweekly sync on Thursdays. I'll send the invite.\n\n"
        "From: Nadia Brooks\nSent: Friday, January 8, 2027 8:15 AM\nTo: Omar Haddad\nSubject: recap\n\n"
        "Attendees: Omar Haddad, ATS; Nadia Brooks, FM\nRhythm: I'll join Omar's monthly account call (2nd Tuesday)\n"
    )
    s = _sync(notes)
    assert (s.kind, s.cadence, s.weekday, s.week_of_month, s.owner) == (
        "propose",
        "biweekly",
        "TH",
        None,
        "Omar Haddad",
    )


def test_case_12_german_weekly() -> None:
    assert _sync((CASES / "12-german-notes.md").read_text()).cadence == "weekly"


def test_a_short_sync_heading_heads_the_lines_below_it() -> None:
    s = _sync(HEAD + "\n🔁 sync\nOmar will set up a fortnightly Monday FT + field call (nothing exists today)\n")
    assert (s.kind, s.cadence, s.weekday, s.owner) == ("propose", "biweekly", "MO", "Omar Haddad")
    s = _sync(HEAD + "\nSYNC\nNo existing account call. I'll send a weekly Wednesday 30-min slot (FT + field).\n")
    assert (s.kind, s.cadence, s.weekday, s.owner) == ("propose", "weekly", "WE", "FM")


def test_sync_in_other_languages() -> None:
    s = _sync(HEAD + "- Omar – aggiungermi alla call bisettimanale del martedì con l'account team (esiste già)\n")
    assert (s.kind, s.cadence, s.weekday, s.owner) == ("join_existing", "biweekly", "TU", "Omar Haddad")
    s = _sync(
        HEAD + "\nSync\nIngen regelbunden synk idag. Nadia föreslog en månadsvis synk, "
        "första måndagen i månaden, hon bokar.\n"
    )
    assert (s.kind, s.cadence, s.weekday, s.week_of_month, s.owner) == ("propose", "monthly", "MO", 1, "Nadia Brooks")


def test_a_later_line_moves_the_day_and_an_organizer_label_names_the_owner() -> None:
    s = _sync(
        HEAD + "- Sync: Nadia runs a weekly account team stand-up, Fridays 9:00 – she'll add me.\n"
        "P.S. the stand-up moves to Thursdays 9:00 as of next week, she'll send the updated invite. "
        "So Thursday, not Friday.\n"
    )
    assert (s.kind, s.weekday, s.owner, s.time) == ("join_existing", "TH", "Nadia Brooks", "09:00")
    s = _sync(HEAD + "Sync.Kind: existing\nSync.Cadence: every other Thursday\nSync.Organizer: Omar Haddad\n")
    assert (s.kind, s.cadence, s.weekday, s.owner) == ("join_existing", "biweekly", "TH", "Omar Haddad")


def test_a_voice_memo_line_reads_the_sync_part_only() -> None:
    memo = (
        "ok so I just came off the account team call so it's Tuesday the first of December um attendees were Nadia "
        "Brooks the ATS and Omar Haddad the TAM and then a lot about Intune and Windows and licences and the partner "
        "and the tenant and the politics and the actions and more words here to make this a long unpunctuated line "
        "and sync there isn't any regular account call for them so I offered to set up a monthly one on the third "
        "Wednesday and Nadia said fine so I'll send that invite um I think that's it"
    )
    s = _sync("Voice memo – Contoso – 01/12/2026\n" + memo + "\n")
    assert (s.kind, s.cadence, s.weekday, s.week_of_month, s.owner) == ("propose", "monthly", "WE", 3, "FM")
