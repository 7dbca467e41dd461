"""ftdraft: drafts a FastTrack Manager's Initiate-phase texts from raw account-team call notes.

The public names below load on first use (module __getattr__, PEP 562): `import ftdraft` alone costs nothing
beyond this file, so `python -m ftdraft --help`, `ftdraft.cli` and `ftdraft.errors` start without pydantic, the
settings or the pipeline."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import ConfigError, ContextError, FtdraftError, InputError, ModelError, StoreError
    from .pipeline import build_bundle, offline_bundle, redraft
    from .schemas import CallFacts, DraftBundle, Drafts, Engagement

__version__ = "0.1.0"

# public name -> the module (relative to this package) that defines it
_LAZY: dict[str, str] = {
    "CallFacts": ".schemas",
    "ConfigError": ".errors",
    "ContextError": ".errors",
    "DraftBundle": ".schemas",
    "Drafts": ".schemas",
    "Engagement": ".schemas",
    "FtdraftError": ".errors",
    "InputError": ".errors",
    "ModelError": ".errors",
    "StoreError": ".errors",
    "build_bundle": ".pipeline",
    "offline_bundle": ".pipeline",
    "redraft": ".pipeline",
}

__all__ = [
    "CallFacts",
    "ConfigError",
    "ContextError",
    "DraftBundle",
    "Drafts",
    "Engagement",
    "FtdraftError",
    "InputError",
    "ModelError",
    "StoreError",
    "__version__",
    "build_bundle",
    "offline_bundle",
    "redraft",
]


def __getattr__(name: str) -> Any:
    """Loads a public name's module on first access and keeps the value here; AttributeError for other names."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
