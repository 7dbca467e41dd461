"""The sign-in gate: the first thing every run of the page calls (ftdraft/ui/page.py main()).

OpenID Connect set up in Streamlit's secrets ([auth]: redirect_uri, cookie_secret, client_id, client_secret,
server_metadata_url; docs/deploy.md has Microsoft Entra ID's exact values): nobody sees anything before
st.login, and the page gets the signed-in FM (ftdraft.auth.SignedInUser) to scope the store by. No [auth]:
single-user local mode, no sign-in step, LOCAL_USER - unless FTDRAFT_SIGN_IN=required, which then stops the
page rather than serve a team's engagements to whoever opens it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ..auth import LOCAL_USER, SignedInUser, missing_auth_keys, sign_in_configured, user_from_claims
from ..config import Settings
from ..errors import AuthError


def auth_section() -> dict[str, Any]:
    """The [auth] section of Streamlit's secrets, {} when there is none. Raises AuthError when the secrets file
    cannot be read (a TOML mistake), never a traceback."""
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        auth = st.secrets.get("auth")
    except Exception as exc:  # Streamlit's own errors for an unreadable secrets file
        raise AuthError(
            f"Streamlit's secrets file (.streamlit/secrets.toml) could not be read ({type(exc).__name__}): "
            "fix its TOML, or remove its [auth] section to run without sign-in."
        ) from None
    return dict(auth) if auth else {}


def _stop(message: str) -> None:
    st.title("ftdraft")
    st.error(message)
    st.stop()


def require_user(settings: Settings) -> SignedInUser:
    """The FM using this page: signed in through OpenID Connect, or LOCAL_USER when sign-in is not set up.

    Draws the sign-in page and stops the run (st.stop) while nobody is signed in; draws "Signed in as ..." and
    a Sign out button at the top of the sidebar once someone is."""
    auth = auth_section()
    if not sign_in_configured(auth):
        if settings.sign_in == "required":
            _stop(
                "Sign-in is required here (FTDRAFT_SIGN_IN=required) but Streamlit's secrets have no [auth] "
                "section: add it (see docs/deploy.md) and restart the app."
            )
        return LOCAL_USER
    missing = missing_auth_keys(auth)
    if missing:
        _stop(
            f"Sign-in is set up in the secrets' [auth] section but lacks {', '.join(missing)}: add them "
            "(see docs/deploy.md) and restart the app."
        )
    claims = st.user.to_dict()  # holds is_logged_in once [auth] is set up (absent in a bare AppTest run)
    if not claims.get("is_logged_in"):
        st.title("ftdraft")
        st.write("Sign in with your work account to open your engagements.")
        st.button("Sign in", on_click=st.login, type="primary", icon=":material/login:", key="sign_in")
        st.stop()
    user = user_from_claims(claims)
    st.sidebar.text(f"Signed in as {user.label}")
    st.sidebar.button("Sign out", on_click=st.logout, icon=":material/logout:", key="sign_out")
    return user


def fm_settings(settings: Settings, user: SignedInUser) -> Settings:
    """The settings with the signed-in FM as the drafts' FM: what they typed in the sidebar this session wins,
    else their name and email from the sign-in claims."""
    typed_name = (st.session_state.get("fm_name") or "").strip()
    typed_email = (st.session_state.get("fm_email") or "").strip()
    update = {"fm_name": typed_name or user.name, "fm_email": typed_email or user.email}
    return settings.model_copy(update={k: v for k, v in update.items() if v})
