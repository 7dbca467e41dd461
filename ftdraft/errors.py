"""Errors meant for the user: one base class, each message says what to do next."""

from __future__ import annotations


class FtdraftError(Exception):
    """Base class: str(error) is a message for the FM, never a traceback."""


class InputError(FtdraftError):
    """The notes, an upload, or a file given on the command line cannot be used."""


class ContextError(InputError):
    """The engagement context or agenda file is invalid; the message names the field."""


class ConfigError(FtdraftError):
    """A setting is missing or invalid."""


class ModelError(FtdraftError):
    """The model could not produce a valid answer; callers fall back to the offline engine."""

    def __init__(self, message: str, *, attempts: int = 0, last_output: str | None = None) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last_output = last_output


class StoreError(FtdraftError):
    """The database could not be read or written."""


class AuthError(FtdraftError):
    """Sign-in is set up wrongly, or the sign-in provider's answer identifies nobody."""
