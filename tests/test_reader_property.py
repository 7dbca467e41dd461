"""The metamorphic property of the reader (issue 8, reader-design.md): one scenario — Unicode names, roles as codes
or titles in any case, actions with owners and dues — rendered twice in independently drawn surface forms must read
back to the same scenario both times. A failure shrinks to the smallest combination of forms. A second test runs
every person form against every owner form once, so each combination is covered, not only the drawn ones."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftdraft.extract import extract_facts
from ftdraft.schemas import CallFacts, Engagement

CALL = "Account team sync - Fernhill Insurance - 2026-11-24\n"  # a Tuesday
FIRST = ["José", "Siobhán", "Jean-Luc", "Ngozi", "Wing-Yee", "Søren", "Zoë", "Mateo", "Aoife", "Ana-Lucía", "Łukasz"]
LAST = ["Peña", "O'Neill", "Dupré", "Adeyemi-Park", "van der Merwe", "'t Hart", "Núñez", "Kowalczyk", "ap Gwilym"]
ROLES = {
    "ATS": "Account Technology Strategist",
    "TAM": "Technical Account Manager",
    "AE": "Account Executive",
    "CSM": "Customer Success Manager",
    "SSP": "Solution Specialist",
    "FTA": "FastTrack Architect",
}
TASKS = ["send the intro email", "confirm the licence count", "review the migration plan", "share the adoption kit"]
DUES = [
    ("", None),
    ("by Friday", date(2026, 11, 27)),
    ("by 12/4", date(2026, 12, 4)),
    ("by Dec 9th", date(2026, 12, 9)),
]

PERSON_FORMS = [
    "{name} ({role})",
    "{name} {role}",
    "{role}: {name}",
    "{name} - {role}",
    "{name}, {role}",
    "{name}/{role}",
    "{role} {name}",
    "{name} [{role}]",
]
OWNER_FORMS = [
    "{who} to {task} {due}",
    "{who} will {task} {due}",
    "{who} is going to {task} {due}",
    "{who}: {task} {due}",
    "{who} - {task} {due}",
    "{task} {due} ({who})",
    "{task} -> {who}, {due}",
    "AI {who} – {task} {due}",
    "[ ] {who}: {task} {due}",
    "@{who} can you {task} {due}?",
]
FM_FORMS = ["me: {task} {due}", "I'll {task} {due}", "{task} {due} (me)", "AI me – {task} {due}"]


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    role: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class Task:
    owner: int | None  # index into people; None = the FM
    task: str
    due: int  # index into DUES


def _role_text(code: str, style: int) -> str:
    return [code, code.lower(), ROLES[code], ROLES[code].lower(), ROLES[code].upper()][style]


Pick = Callable[[Sequence[Any]], Any]  # chooses one of the options: hypothesis's draw, or random.choice


def render(people: list[Person], tasks: list[Task], pick: Pick) -> str:
    """The scenario as notes, every surface form chosen by pick."""
    one_line = pick([False, True])
    forms = [pick(PERSON_FORMS) for _ in people]
    styles = [pick(range(5)) for _ in people]
    rendered = [
        f.format(name=p.name, role=_role_text(p.role, s)) for p, f, s in zip(people, forms, styles, strict=True)
    ]
    lines = [CALL]
    if one_line:
        lines.append("Attendees: " + "; ".join(rendered) + "; me (FM)")
    else:
        lines += ["Attendees:", *rendered, "me (FM)"]
    lines += ["", "Actions"]
    for t in tasks:
        due_words = DUES[t.due][0]
        if t.owner is None:
            form = pick(FM_FORMS)
            who = "me"
        else:
            form = pick(OWNER_FORMS)
            p = people[t.owner]
            who = pick([p.name, p.first])
        if "->" in form and not due_words:
            form = "{task} -> {who}"
        lines.append("- " + " ".join(form.format(who=who, task=t.task, due=due_words).split()))
    return "\n".join(lines) + "\n"


def _read(notes: str) -> CallFacts:
    return extract_facts(notes, Engagement())[1]


def check(facts: CallFacts, people: list[Person], tasks: list[Task], notes: str) -> None:
    """Raises AssertionError unless the facts read from notes are the scenario (people, owners, dues, tasks)."""
    team = {(a.name, a.role) for a in facts.attendees if a.role != "FM"}
    assert team == {(p.name, p.role) for p in people}, notes
    got = sorted((a.owner or "", a.due or date.min, a.action) for a in facts.action_items)
    want = sorted(
        ("FM" if t.owner is None else people[t.owner].name, DUES[t.due][1] or date.min, t.task) for t in tasks
    )
    assert [(o, d) for o, d, _ in got] == [(o, d) for o, d, _ in want], notes
    for (_, _, action), (_, _, task) in zip(got, want, strict=True):
        assert task in action, notes


def random_scenario(rng: random.Random) -> tuple[list[Person], list[Task]]:
    """A scenario drawn with a plain random generator (bench/extraction_quality.py reports the pass rate)."""
    n = rng.randint(1, 3)
    people = [
        Person(f, rng.choice(LAST), r) for f, r in zip(rng.sample(FIRST, n), rng.sample(sorted(ROLES), n), strict=True)
    ]
    tasks = rng.sample(TASKS, rng.randint(1, 3))
    return people, [Task(rng.choice([None, *range(n)]), task, rng.randrange(len(DUES))) for task in tasks]


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Person], list[Task]]:
    n = draw(st.integers(1, 3))
    firsts = draw(st.lists(st.sampled_from(FIRST), min_size=n, max_size=n, unique=True))
    roles = draw(st.lists(st.sampled_from(sorted(ROLES)), min_size=n, max_size=n, unique=True))
    people = [Person(f, draw(st.sampled_from(LAST)), r) for f, r in zip(firsts, roles, strict=True)]
    k = draw(st.integers(1, 3))
    tasks = draw(st.lists(st.sampled_from(TASKS), min_size=k, max_size=k, unique=True))
    return people, [
        Task(draw(st.one_of(st.none(), st.integers(0, n - 1))), task, draw(st.integers(0, len(DUES) - 1)))
        for task in tasks
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), data=st.data())
def test_two_renderings_of_one_scenario_read_the_same(
    scenario: tuple[list[Person], list[Task]], data: st.DataObject
) -> None:
    people, tasks = scenario
    for _ in range(2):  # two independently drawn surface forms of the same scenario
        notes = render(people, tasks, lambda options: data.draw(st.sampled_from(list(options))))
        check(_read(notes), people, tasks, notes)


@pytest.mark.parametrize(("person_form", "owner_form"), list(itertools.product(PERSON_FORMS, OWNER_FORMS)))
def test_every_person_form_with_every_owner_form(person_form: str, owner_form: str) -> None:
    people = [Person("Siobhán", "O'Neill", "TAM"), Person("Jean-Luc", "van der Merwe", "ATS")]
    roster = "; ".join(person_form.format(name=p.name, role=p.role) for p in people)
    owner_line = owner_form.format(who="Siobhán", task="send the intro email", due="by Friday")
    notes = f"{CALL}Attendees: {roster}; me (FM)\n\nActions\n- {owner_line}\n- me: share the adoption kit\n"
    check(_read(notes), people, [Task(0, "send the intro email", 1), Task(None, "share the adoption kit", 0)], notes)
