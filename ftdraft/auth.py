"""Who is signed in: the FM from their OpenID Connect claims, and whether sign-in is set up. No Streamlit here
(ftdraft/ui/signin.py is the page's gate); plain functions over the claims dict that `st.user` holds.

Sign-in is on when Streamlit's secrets (.streamlit/secrets.toml) have an [auth] section with the five keys of
AUTH_KEYS (Streamlit's st.login contract: https://docs.streamlit.io/develop/concepts/connections/authentication).
Without it the app runs in single-user local mode: no sign-in step, every engagement owned by LOCAL_USER.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import AuthError

# The keys of the [auth] section st.login needs for its default provider.
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class SignedInUser:
    """The FM using the page.

    key: the store's owner of their engagements (ftdraft.store.Store.owner): stable per person and provider,
    "entra:<tenant id>:<object id>" for Microsoft Entra ID, else "oidc:<issuer>|<subject>"; "" when nobody is
    signed in (local mode). name and email: for the drafts' sign-off and the FM fields, None when unknown."""

    key: str
    name: str | None = None
    email: str | None = None

    @property
    def signed_in(self) -> bool:
        return bool(self.key)

    @property
    def label(self) -> str:
        """How the page names them: their name, else their email."""
        return self.name or self.email or "signed in"


LOCAL_USER = SignedInUser(key="")


def missing_auth_keys(auth: Mapping[str, Any] | None) -> list[str]:
    """The AUTH_KEYS that the [auth] section lacks or leaves blank; all of them when there is no section."""
    auth = auth or {}
    return [k for k in AUTH_KEYS if not str(auth.get(k) or "").strip()]


def sign_in_configured(auth: Mapping[str, Any] | None) -> bool:
    """True when the [auth] section exists at all (then it must be complete: see missing_auth_keys)."""
    return bool(auth)


def _text(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    return value.strip() or None if isinstance(value, str) else None


def user_from_claims(claims: Mapping[str, Any]) -> SignedInUser:
    """The FM from the ID token's claims (what st.user holds after st.login).

    Entra ID: `tid` + `oid` identify the person across apps (`sub` is per app); the email is `email` when the
    tenant sends it (an optional claim), else `preferred_username` when it is an address (usually the UPN).
    Other providers: `iss` + `sub` (OpenID Connect Core 1.0, section 2: unique and never reassigned per issuer).
    Raises AuthError when the claims identify nobody."""
    tid, oid = _text(claims, "tid"), _text(claims, "oid")
    iss, sub = _text(claims, "iss"), _text(claims, "sub")
    if tid and oid:
        key = f"entra:{tid}:{oid}"
    elif sub:
        key = f"oidc:{iss or ''}|{sub}"
    else:
        raise AuthError(
            "The sign-in provider sent no user id (no 'sub' claim): check the app registration's scopes "
            "(openid) and sign in again."
        )
    email = None
    for claim in ("email", "preferred_username", "upn"):
        value = _text(claims, claim)
        if value and _EMAIL.match(value):
            email = value
            break
    name = _text(claims, "name")
    if not name:
        parts = [p for p in (_text(claims, "given_name"), _text(claims, "family_name")) if p]
        name = " ".join(parts) or None
    return SignedInUser(key=key, name=name, email=email)
