"""Renders the jinja2 files in prompts/ in a sandbox, with StrictUndefined so a missing variable fails loudly."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
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


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(PROMPTS_DIR)),
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
