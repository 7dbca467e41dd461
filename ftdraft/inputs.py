"""Reads and checks what the FM gives us: notes (text or bytes), an engagement context file, agenda answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .agenda import AGENDA_BY_KEY
from .errors import ContextError, InputError
from .schemas import Engagement

DEFAULT_MAX_NOTES_BYTES = 200_000


def _kb(n: int) -> str:
    return f"{n / 1000:,.0f} KB" if n >= 1000 else f"{n} bytes"


def decode_notes(data: bytes, name: str = "the notes") -> str:
    """Bytes from a file or upload to text; binary and non-UTF-8 content gets a message, not a crash."""
    sample = data[:8192]
    if b"\x00" in sample and not _looks_utf16(sample):
        raise InputError(f"{name} looks like a binary file, not text. Paste the notes, or upload a .txt or .md file.")
    if _looks_utf16(sample):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (bad byte at position {exc.start}). "
            "Save the file as UTF-8 (in Notepad: Save as > Encoding: UTF-8) and try again."
        ) from None
    return text


def _looks_utf16(sample: bytes) -> bool:
    return sample.startswith((b"\xff\xfe", b"\xfe\xff"))


def check_notes(text: str, max_bytes: int = DEFAULT_MAX_NOTES_BYTES) -> str:
    """Text that can be drafted from, or an InputError that says what to do. Never alters the FM's notes."""
    if not text or not text.strip():
        raise InputError("The notes are empty. Paste your call notes (or upload a .txt/.md file) and draft again.")
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise InputError(
            f"The notes are {_kb(size)}, over the {_kb(max_bytes)} limit. Split them by call, "
            "or raise FTDRAFT_MAX_NOTES_BYTES."
        )
    return text


def check_has_words(text: str, name: str = "The notes") -> str:
    """The text, or an InputError when it holds no letter or digit in any script (only emoji or symbols): there is
    nothing to draft from, and the customer would be named after the emoji. The app refuses the same notes
    (ui/notes.py); source: review item 22."""
    if not any(ch.isalnum() for ch in text):
        raise InputError(
            f"{name} have no letters or digits (only emoji or symbols?). Put the call notes in as text and try again."
        )
    return text


def read_notes_file(path: str | Path, max_bytes: int = DEFAULT_MAX_NOTES_BYTES) -> str:
    p = Path(path)
    if not p.exists():
        raise InputError(f"No such file: {p}. Check the path to your notes.")
    if p.is_dir():
        raise InputError(f"{p} is a folder. Give the path to a notes file (.txt or .md).")
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{p.name} is {_kb(size)}, over the {_kb(max_bytes)} limit. Split the notes by call, "
            "or raise FTDRAFT_MAX_NOTES_BYTES."
        )
    text = decode_notes(p.read_bytes(), p.name)
    if not text.strip():
        raise InputError(f"{p.name} is empty. Put your call notes in it and try again.")
    return check_has_words(check_notes(text, max_bytes), f"The notes in {p.name}")


def _load_mapping(path: str | Path, what: str) -> dict[str, Any]:
    p = Path(path)
    if not p.exists():
        raise ContextError(f"No such {what} file: {p}.")
    try:
        raw = decode_notes(p.read_bytes(), p.name)
    except InputError as exc:
        raise ContextError(str(exc)) from None
    if not raw.strip():
        raise ContextError(f"The {what} file {p.name} is empty. Fill it in (YAML or JSON), or leave it out.")
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(raw)
        else:
            import yaml

            data = yaml.safe_load(raw)
    except Exception as exc:  # json/yaml parse errors: say where
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ContextError(
            f"The {what} file {p.name} is not valid YAML/JSON ({first}). Fix it and try again."
        ) from None
    if not isinstance(data, dict):
        raise ContextError(f"The {what} file {p.name} must be a mapping of fields (key: value), not a list or a value.")
    return data


def parse_context(data: dict[str, Any], name: str = "context") -> Engagement:
    try:
        return Engagement.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err["loc"]) or "(top level)"
        raise ContextError(
            f"The {name} file has an invalid field '{field}': {err['msg']}. Fix it and try again."
        ) from None


def load_context(path: str | Path) -> Engagement:
    return parse_context(_load_mapping(path, "context"), Path(path).name)


def parse_agenda_answers(data: dict[str, Any], name: str = "agenda") -> dict[str, str]:
    """Agenda answers keyed by item letter ('c' or 'c. Validate intent' or the item's title)."""
    by_title = {item.title.lower(): item.key for item in AGENDA_BY_KEY.values()}
    answers: dict[str, str] = {}
    for key, value in data.items():
        k = str(key).strip().lower()
        letter = k[0] if k[:1] in AGENDA_BY_KEY and (len(k) == 1 or not k[1].isalpha()) else by_title.get(k)
        if letter is None:
            raise ContextError(
                f"The {name} file has an unknown agenda item '{key}'. Use the item letters a-n (e.g. 'e: 6,500 E3')."
            )
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, (str, int, float)):
            raise ContextError(f"The {name} file's item '{key}' must be text.")
        answers[letter] = str(value).strip()
    return answers


def load_agenda(path: str | Path) -> dict[str, str]:
    return parse_agenda_answers(_load_mapping(path, "agenda"), Path(path).name)
