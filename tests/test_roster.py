"""Pasted rosters: the shapes FMs paste, and bad lines reported with their number and what to fix."""

from __future__ import annotations

import pytest

from ftdraft.roster import merge_team, parse_roster, role_of
from ftdraft.schemas import Person


def people(text: str) -> list[tuple[str | None, str, str | None]]:
    return [(p.name, p.role, p.email) for p in parse_roster(text).people]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Priya Raman <priya@contoso.com> ATS", ("Priya Raman", "ATS", "priya@contoso.com")),
        ("Priya Raman (ATS) priya@contoso.com", ("Priya Raman", "ATS", "priya@contoso.com")),
        ("ATS: Lena Fischer", ("Lena Fischer", "ATS", None)),
        ("Tom Becker - Technical Account Manager - tom@contoso.com", ("Tom Becker", "TAM", "tom@contoso.com")),
        ("Account Executive Alicia Gomez", ("Alicia Gomez", "AE", None)),
        ("Sofia Rossi, CSM, sofia@contoso.com", ("Sofia Rossi", "CSM", "sofia@contoso.com")),
        ("Becker, Tom <tom@contoso.com> (tam)", ("Tom Becker", "TAM", "tom@contoso.com")),
        ("Jun Park <mailto:jun@contoso.com> Technical Specialist (was TSP)", ("Jun Park", "TSP", "jun@contoso.com")),
        # "Tam" as a first name is not the TAM role
        ("Tam Nguyen <tam@contoso.com> AE", ("Tam Nguyen", "AE", "tam@contoso.com")),
    ],
)
def test_one_line_shapes(line: str, expected: tuple[str, str, str | None]) -> None:
    parsed = parse_roster(line)
    assert parsed.problems == []
    assert people(line) == [expected]


def test_table_with_header_in_any_column_order() -> None:
    text = (
        "Email\tRole\tName\npriya@contoso.com\tATS\tPriya Raman\n\n"
        "tom@contoso.com\tTechnical Account Manager\tTom Becker\n"
    )
    assert people(text) == [("Priya Raman", "ATS", "priya@contoso.com"), ("Tom Becker", "TAM", "tom@contoso.com")]


def test_table_without_header_and_csv_with_header() -> None:
    assert people("Marcus Lee\tATS\tmarcus@fabrikam.com\nRaj Patel\tTAM\t") == [
        ("Marcus Lee", "ATS", "marcus@fabrikam.com"),
        ("Raj Patel", "TAM", None),
    ]
    assert people("Name,Role,Email\nSofia Rossi,CSM,sofia@fabrikam.com") == [
        ("Sofia Rossi", "CSM", "sofia@fabrikam.com")
    ]


def test_outlook_recipient_line_splits_people() -> None:
    parsed = parse_roster("Priya Raman <priya@contoso.com>; Tom Becker <tom@contoso.com>")
    assert [(p.name, p.email) for p in parsed.people] == [
        ("Priya Raman", "priya@contoso.com"),
        ("Tom Becker", "tom@contoso.com"),
    ]
    # No role known: kept as "other", with a note saying to set it (not an error).
    assert all(p.role == "other" for p in parsed.people)
    assert parsed.errors == [] and len(parsed.problems) == 2 and "set the role" in parsed.problems[0].message


def test_bad_lines_are_reported_with_line_number_and_fix() -> None:
    text = "\n".join(
        [
            "Priya Raman <priya@contoso.com> ATS",
            "Bob Stone <bob@contoso> TAM",
            "???",
            "Tom\tSales guy\ttom@contoso.com",
            "the TAM is out this week but will catch up later",
            "Ann Lee ATS ann@contoso.com ben@contoso.com",
        ]
    )
    parsed = parse_roster(text)
    assert people(text)[0] == ("Priya Raman", "ATS", "priya@contoso.com")
    # Line 4 has no header, so "Sales guy" is read as a job title: Tom is added as "other", with a note.
    assert [p.name for p in parsed.people] == ["Priya Raman", "Tom"]
    note = [p for p in parsed.problems if not p.skipped]
    assert [p.line for p in note] == [4] and "ATS, TAM" in note[0].message  # says which roles are valid
    by_line = {p.line: str(p) for p in parsed.errors}
    assert set(by_line) == {2, 3, 5, 6}
    assert "bob@contoso" in by_line[2] and "name@domain.com" in by_line[2]
    assert by_line[3].startswith("Line 3: no name or email")
    assert "one person per line" in by_line[5] or "does not look like a name" in by_line[5]
    assert "one person per line" in by_line[6]


def test_tab_table_with_bad_role_column_reports_it() -> None:
    parsed = parse_roster("Name\tRole\tEmail\nTom\tSales guy\ttom@x.com")
    assert parsed.people == [] and parsed.errors[0].line == 2 and "'Sales guy'" in parsed.errors[0].message


def test_role_of() -> None:
    assert role_of("tam") == "TAM" and role_of("tam", strict_case=True) is None
    assert role_of("Account Delivery Executive") == "ADE" and role_of("Specialist") == "SSP"
    assert role_of("banana") is None


def test_merge_updates_instead_of_duplicating() -> None:
    team = [Person(name="Priya Raman", role="ATS"), Person(name="Tom Becker", role="TAM", email="tom@contoso.com")]
    new = [
        Person(name="Priya Raman", role="other", email="priya@contoso.com"),
        Person(name="T. Becker", role="TAM", email="TOM@contoso.com"),
        Person(name="Alicia Gomez", role="AE"),
    ]
    merged = merge_team(team, new)
    assert [(p.name, p.role, p.email) for p in merged] == [
        ("Priya Raman", "ATS", "priya@contoso.com"),  # role kept: "other" never downgrades a known role
        ("T. Becker", "TAM", "TOM@contoso.com"),
        ("Alicia Gomez", "AE", None),
    ]
    assert team[0].email is None  # the input list is not modified
