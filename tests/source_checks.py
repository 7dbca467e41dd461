"""Real sources (issue 15): every fact read from the notes names the note lines it came from, and carries their
text. A source check written as `source.text in line` passes when the text is empty ("" is in every line), so
facts whose sources lost their text slipped through; these helpers say what is wrong with each source instead.

    from source_checks import assert_real_sources
    assert_real_sources(facts, notes)          # CallFacts (or any model holding Sources) and the notes read

Any test module may import this (the reader tests, the examples, the model path).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ftdraft.schemas import Source


def notes_sources(value: Any, path: str = "facts") -> Iterator[tuple[str, Source]]:
    """Every Source with origin "notes" anywhere inside `value` (models, lists, dicts), with where it sits
    ("facts.action_items[2].sources[0]")."""
    if isinstance(value, Source):
        if value.origin == "notes":
            yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from notes_sources(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from notes_sources(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from notes_sources(item, f"{path}[{key!r}]")


def source_problem(source: Source, note_lines: list[str]) -> str | None:
    """What is wrong with one notes source, or None when it is real: it names at least one line, every line
    exists (1-based), its text is not blank, and each line of its text is found in one of the cited lines."""
    if not source.lines:
        return "names no note line"
    missing = [n for n in source.lines if not 1 <= n <= len(note_lines)]
    if missing:
        return f"cites line(s) {missing} but the notes have {len(note_lines)}"
    if not source.text.strip():
        return f"has no text (cites line(s) {source.lines})"
    cited = [note_lines[n - 1] for n in source.lines]
    for piece in source.text.splitlines():
        if piece.strip() and not any(piece.strip() in line for line in cited):
            return f"text {piece.strip()!r} is not in the cited line(s) {source.lines}: {cited!r}"
    return None


def source_problems(value: Any, notes: str) -> list[str]:
    """One line per source in `value` that is not real (see source_problem), naming where it sits."""
    note_lines = notes.splitlines()
    found = []
    for path, source in notes_sources(value):
        problem = source_problem(source, note_lines)
        if problem:
            found.append(f"{path} {problem}")
    return found


def assert_real_sources(value: Any, notes: str, *, at_least: int = 1) -> int:
    """Assert that every notes source in `value` is real and that there are at least `at_least` of them
    (a reader that drops every source must not pass). Returns how many were checked."""
    problems = source_problems(value, notes)
    assert not problems, "sources that are not real:\n" + "\n".join(problems)
    count = sum(1 for _ in notes_sources(value))
    assert count >= at_least, f"expected at least {at_least} source(s) from the notes, found {count}"
    return count
