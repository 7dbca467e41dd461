"""ftdraft: drafts a FastTrack Manager's Initiate-phase texts from raw account-team call notes."""

from .errors import ConfigError, ContextError, FtdraftError, InputError, ModelError, StoreError
from .pipeline import build_bundle, offline_bundle, redraft
from .schemas import CallFacts, DraftBundle, Drafts, Engagement

__version__ = "0.1.0"

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
