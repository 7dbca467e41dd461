"""Attendees read as NAME x ROLE relations over spans: every form issue 8 lists, presence cues, Unicode names, the FM,
customers kept out, duplicates merged. Runs the real engine (extract_facts) on small notes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftdraft.extract import extract_facts
from ftdraft.extract import people as people_module
from ftdraft.extract import spans as sp
from ftdraft.schemas import CallFacts, Engagement

HEAD = "Account team sync - Fernhill Insurance - 2026-11-24\n"


def _facts(body: str) -> CallFacts:
    return extract_facts(HEAD + body, Engagement())[1]


def _team(body: str) -> set[tuple[str | None, str, bool]]:
    return {(a.name, a.role, a.present) for a in _facts(body).attendees if a.role != "FM"}


TWO = {("Núñez García", "ATS", True), ("Siobhán O'Neill", "TAM", True)}


@pytest.mark.parametrize(
    "body",
    [
        "Attendees: Núñez García (ATS), Siobhán O'Neill (TAM)",
        "Attendees: Núñez García ATS, Siobhán O'Neill TAM",
        "ATS: Núñez García\nTAM: Siobhán O'Neill",
        "Núñez García - ATS\nSiobhán O'Neill - TAM",
        "On the call:\nNúñez García, ATS\nSiobhán O'Neill, TAM",
        "present: Núñez García/ATS, Siobhán O'Neill/TAM",
        "ATS Núñez García, TAM Siobhán O'Neill",
        "Núñez García [ATS], Siobhán O'Neill [TAM]",
        "Núñez García (Account Technology Strategist), Siobhán O'Neill (technical account manager)",
        "ppl: Núñez García ats, Siobhán O'Neill tam",
        "| Name | Role |\n|---|---|\n| Núñez García | ATS |\n| Siobhán O'Neill | TAM |",
        "Had the call today with Núñez García (ATS) and Siobhán O'Neill (TAM).",
        "ats = Núñez García, tam is Siobhán O'Neill",
    ],
)
def test_every_person_form(body: str) -> None:
    assert _team(body) >= TWO


@pytest.mark.parametrize(
    ("body", "want"),
    [
        ("jürgen weiß ATS, ana-lucía ferreira TAM", {("Jürgen Weiß", "ATS", True),
                                                     ("Ana-Lucía Ferreira", "TAM", True)}),
        ("ats hb (hollis brandt), csm rk (reza karimi)", {("Hollis Brandt", "ATS", True),
                                                          ("Reza Karimi", "CSM", True)}),
        ("Pieter van der Merwe, SSP (compliance)\nRuud 't Hart (FTA)", {("Pieter van der Merwe", "SSP", True),
                                                                        ("Ruud 't Hart", "FTA", True)}),
        ('Present: Margaret "Peggy" Tully (TAM)', {("Margaret Tully", "TAM", True)}),
        ("Ravi Menon, TSP (Copilot)", {("Ravi Menon", "TSP", True)}),
        ("Priti Shah, TSP Marco Bianchi", {("Marco Bianchi", "TSP", True)}),
    ],
)  # fmt: skip
def test_unicode_lowercase_particles_and_qualifiers(body: str, want: set[tuple[str, str, bool]]) -> None:
    assert _team(body) >= want


@pytest.mark.parametrize(
    ("body", "present"),
    [
        ("Declined: Colleen Marsh (AE), clashing customer QBR", False),
        ("Colleen Marsh, AE – declined, OOF", False),
        ("Colleen Marsh (AE) is on PTO this week", False),
        ("Colleen Marsh - AE (no-show)", False),
        ("AE (Colleen Marsh) sent apologies", False),
        ("the AE, Colleen Marsh, had a conflict", False),
        ("AE out (Colleen Marsh, will catch up async)", False),
        ("Colleen Marsh (AE, joined late)", True),
        ("Colleen Marsh - AE (dropped at :20)", True),
        ("Colleen Marsh AE joined for the first ten minutes", True),
    ],
)
def test_presence(body: str, present: bool) -> None:
    assert _team(body) == {("Colleen Marsh", "AE", present)}


def test_customers_are_not_attendees_and_the_named_fm_is() -> None:
    facts = _facts(
        "Attendees: Nadia Brooks (ATS), FM: Astrid Holm\n"
        "New CIO, Pavel Novák, started in Sept. IT director Mark Olsen.\n"
    )
    assert {(a.name, a.role) for a in facts.attendees} == {("Nadia Brooks", "ATS"), ("Astrid Holm", "FM")}


def test_a_mail_signature_names_a_role() -> None:
    facts = _facts("Works for me.\n\nMateo Ferreira-Lund, AE\nEnterprise Commercial\n")
    assert ("Mateo Ferreira-Lund", "AE") in {(a.name, a.role) for a in facts.attendees}


def test_an_initial_merges_with_the_full_name() -> None:
    facts = _facts("Attendees: Nadia Brooks (ATS), Nadia B. (ATS), Omar Haddad (TAM)\n")
    assert sorted(a.name or "" for a in facts.attendees) == ["Nadia Brooks", "Omar Haddad"]


def test_a_chat_first_name_takes_the_speakers_full_name() -> None:
    facts = _facts("[11/24/2026 2:01 PM] Oskar Lindahl: Oskar/CSM (Healthcare, East)\n")
    assert ("Oskar Lindahl", "CSM") in {(a.name, a.role) for a in facts.attendees}


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Hollis Brandt", {"hb"}), ("Mere Hohaia-Walker", {"mh-w", "mhw"}), ("Wing-Yee Lau", {"wyl"})],
)
def test_initials(name: str, initials: set[str]) -> None:
    assert initials <= sp.initials(name)


def test_a_context_roster_is_present_when_the_notes_name_them_and_absent_when_they_decline_or_are_not_named() -> None:
    """The engagement's roster starts absent; a plain mention in the notes makes a person present, a cue ("declined")
    keeps them absent even when a later line names them again, and a roster member the notes never name stays absent."""
    from ftdraft.schemas import Person

    team = [
        Person(name="Nadia Brooks", role="ATS", email="nadia.brooks@example.com"),
        Person(name="Omar Haddad", role="TAM", email="omar.haddad@example.com"),
        Person(name="Ben Carter", role="AE", email="ben.carter@example.com"),
        Person(name="Lena Fischer", role="CSM", email="lena.fischer@example.com"),
    ]
    notes = HEAD + (
        "Attendees: Nadia Brooks (ATS), Omar Haddad (TAM), me (FM)\nDeclined: Ben Carter (AE)\n\n"
        "Actions\n- Ben Carter to confirm the license count\n"
    )
    facts = extract_facts(notes, Engagement(account_team=team))[1]
    presence = {a.name: a.present for a in facts.attendees if a.role != "FM"}
    assert presence == {"Nadia Brooks": True, "Omar Haddad": True, "Ben Carter": False, "Lena Fischer": False}


def test_find_roles_pre_check_agrees_with_the_role_pattern_on_every_fixture_line() -> None:
    # find_roles skips the regex when the lowercased line holds no role title; the answer must be the regex's
    from pathlib import Path

    from ftdraft.extract.spans import Span, find_roles, role_re, role_titles

    root = Path(__file__).resolve().parent / "fixtures"
    files = [
        p for d in ("notes", "corpus", "tuned2") for p in sorted((root / d).glob("*.*")) if p.suffix in (".md", ".txt")
    ]
    lines = [line for p in files for line in p.read_text(encoding="utf-8").splitlines()]
    lines += ["the ATS ſaid", "our tſp", "Tım the TAM", "KAM", "teams", "Kelvin \u212aam"]  # case-folding traps
    titles = role_titles()
    with_roles = 0
    for line in lines:
        expected = tuple(
            Span("ROLE", m.start(), m.end(), m.group(0), titles[m.group(0).lower().replace("ſ", "s").replace("ı", "i")])
            for m in role_re().finditer(line)
        )
        assert find_roles(line) == expected, line
        with_roles += bool(expected)
    assert with_roles > 50  # the fixtures do name roles: the check is not vacuous


def test_a_role_written_with_a_case_folding_trap_is_read_not_a_crash() -> None:
    # "tſp" (long s) matches the role pattern case-insensitively; looking it up by .lower() raised KeyError
    from ftdraft.pipeline import offline_bundle

    bundle = offline_bundle("Call with Contoso\nAttendees: Tom Becker tſp, Priya Raman (ATS), Dana Lee (TAM)")
    assert [(a.name, a.role) for a in bundle.facts.attendees][:2] == [("Tom Becker", "TSP"), ("Priya Raman", "ATS")]


_TITLE_PIECES = ["new ", "the ", "their ", "IT ", "it ", "infra ", "infrastructure ", "security ", "collab ", "CIO",
                 "director", "lead", "head of IT", "VP", "VP of IT", "owner", " ", "  ", "(", ")", ",", "Dana",
                 " Whitfield", "Mark Olsen", "ATS", "x", "-"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_TITLE_PIECES), max_size=10))
def test_customer_title_pre_checks_find_every_match(pieces: list[str]) -> None:
    """find_people runs the customer-title patterns from shortly before their pre-check's first match: the same
    matches as running them over the whole line."""
    text = "".join(pieces)
    for rx, check in ((people_module.TITLE_NAME_RE, people_module._TITLE_THEN_NAME_RE),
                      (people_module.TITLE_PAREN_NAME_RE, people_module._TITLE_THEN_PAREN_RE)):  # fmt: skip
        whole = [m.span() for m in rx.finditer(text)]
        first = check.search(text)
        assert whole == ([m.span() for m in rx.finditer(text, max(0, first.start() - people_module._TITLE_REACH))]
                         if first else [])  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["me", "Me", "I", "İ", "ı", "ich", "MYSELF", "fm", "moi", "yo", " ", "@", "'", "ll",
                                 "x", "-", "é", "i'll", "Ik", "ja"]), max_size=8))  # fmt: skip
def test_me_words_pre_check_finds_what_the_plain_pattern_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    alternation = "|".join(sorted(sp.me_words(), key=len, reverse=True))
    plain = re.compile(rf"(?<![\w@])(?i:{alternation})(?![\w'’-]|['’](?!ll))")
    assert [m.span() for m in sp.me_re().finditer(text)] == [m.span() for m in plain.finditer(text)]
