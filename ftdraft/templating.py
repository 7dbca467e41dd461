"""Renders the jinja2 files in prompts/ in a sandbox, with StrictUndefined so a missing variable fails loudly."""

from __future__ import annotations

import contextlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from jinja2.sandbox import SandboxedEnvironment


def prompts_dir() -> Path:
    """The templates' folder: ftdraft/prompts/ in an installed wheel (pyproject.toml maps the checkout's top-level
    prompts/ into the package there), else the checkout's prompts/ beside the package."""
    package = Path(__file__).resolve().parent
    packaged = package / "prompts"
    return packaged if packaged.is_dir() else package.parent / "prompts"


PROMPTS_DIR = prompts_dir()  # use this (not a path of your own) to read a template file: it works installed too


def _fmt_date(value: Any, fmt: str = "%a %b %d, %Y") -> str:
    return value.strftime(fmt) if value is not None else "date TBD"


class QuietBytecodeCache(FileSystemBytecodeCache):
    """jinja2's compiled-template cache on disk, where a failure to read or write it only costs a recompile.

    Compiling the ~27 templates costs ~0.1 s CPU in every new process (each CLI run, the app's first page); with
    the cache a process loads them compiled. jinja2 keys each entry by the template's name and source checksum,
    so an edited template is recompiled, and keeps the default folder private to the user (0700, owner checked)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache(directory: str | None = None) -> QuietBytecodeCache | None:
    """The template cache in `directory` (default: jinja2's per-user folder in the temp directory), or None when
    no safe folder can be had (the templates are then compiled in each process, as before)."""
    try:
        return QuietBytecodeCache(directory)
    except (OSError, RuntimeError):  # jinja2 raises RuntimeError for a default folder it cannot trust
        return None


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(PROMPTS_DIR)),
        bytecode_cache=bytecode_cache(),
        undefined=StrictUndefined,
        autoescape=False,  # plain text and email bodies, never HTML; the UI never renders them as HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["date"] = _fmt_date
    return env


def render(template: str, **context: Any) -> str:
    """Render prompts/<template> with the given variables."""
    return environment().get_template(template).render(**context).strip() + "\n"


def render_lines(template: str, **context: Any) -> list[str]:
    """Render prompts/<template>, which writes one item per line (each ending with a newline), to its lines:
    one render for a whole list rather than one per item."""
    text = environment().get_template(template).render(**context)
    return text.split("\n")[:-1]
