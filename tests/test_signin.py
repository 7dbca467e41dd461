"""Who is signed in, from the claims (ftdraft/auth.py), and the page's gate without a browser (AppTest): local
mode without [auth], a stop with a message for FTDRAFT_SIGN_IN=required or an incomplete [auth], and the
sign-in step (no engagement shown) when [auth] is complete. The full sign-in is tests/test_signin_browser.py."""

from __future__ import annotations

import pytest
from app_support import APP
from streamlit.testing.v1 import AppTest

from ftdraft.auth import AUTH_KEYS, LOCAL_USER, missing_auth_keys, user_from_claims
from ftdraft.errors import AuthError


def test_entra_claims_give_tenant_and_object_id_name_and_upn_email() -> None:
    claims = {
        "iss": "https://login.microsoftonline.com/72f9.../v2.0",
        "sub": "per-app-subject",
        "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "oid": "0d4f1a0e-1111-2222-3333-444455556666",
        "name": "Ana Lopez",
        "preferred_username": "ana.lopez@contoso.example",
    }
    user = user_from_claims(claims)
    assert user.key == "entra:72f988bf-86f1-41af-91ab-2d7cd011db47:0d4f1a0e-1111-2222-3333-444455556666"
    assert (user.name, user.email, user.signed_in, user.label) == (
        "Ana Lopez",
        "ana.lopez@contoso.example",
        True,
        "Ana Lopez",
    )


def test_other_providers_use_issuer_and_subject_and_never_take_a_non_address_as_email() -> None:
    user = user_from_claims(
        {
            "iss": "https://idp.example",
            "sub": "u-42",
            "preferred_username": "ana",
            "given_name": "Ana",
            "family_name": "L",
        }
    )
    assert user.key == "oidc:https://idp.example|u-42" and user.email is None and user.name == "Ana L"
    # The same subject at another issuer is another person.
    assert user_from_claims({"iss": "https://other.example", "sub": "u-42"}).key != user.key
    assert user_from_claims({"sub": "u-42", "email": "ana@example.com"}).label == "ana@example.com"


def test_claims_that_identify_nobody_are_an_error_that_says_what_to_do() -> None:
    with pytest.raises(AuthError, match="openid"):
        user_from_claims({"name": "Ana", "email": "ana@example.com"})
    assert not LOCAL_USER.signed_in and LOCAL_USER.key == ""


def test_missing_auth_keys_names_each_blank_or_absent_key() -> None:
    assert missing_auth_keys(None) == list(AUTH_KEYS)
    full = {k: "x" for k in AUTH_KEYS}
    assert missing_auth_keys(full) == []
    assert missing_auth_keys(full | {"client_secret": "  "}) == ["client_secret"]


def _page(monkeypatch: pytest.MonkeyPatch, tmp_path, **env: str) -> AppTest:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FTDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'gate.db'}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return AppTest.from_file(APP, default_timeout=60)


def test_without_auth_the_page_is_local_mode_with_no_sign_in_step(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    at = _page(monkeypatch, tmp_path)
    at.run()
    assert not at.exception and not at.error
    assert not [b for b in at.button if b.label in ("Sign in", "Sign out")]
    from app_support import engagement_id

    assert at.text_input(key=f"{engagement_id(at)}:setup:customer") is not None


def test_sign_in_required_without_auth_stops_the_page(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    at = _page(monkeypatch, tmp_path, FTDRAFT_SIGN_IN="required")
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "FTDRAFT_SIGN_IN=required" in at.error[0].value
    assert "e" not in at.query_params  # no engagement was opened or created


def test_incomplete_auth_names_what_is_missing(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    at = _page(monkeypatch, tmp_path)
    at.secrets["auth"] = {"client_id": "x", "redirect_uri": "http://localhost:8501/oauth2callback"}
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "cookie_secret" in at.error[0].value and "client_secret" in at.error[0].value
    assert "e" not in at.query_params


def test_complete_auth_shows_only_the_sign_in_step(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    at = _page(monkeypatch, tmp_path)
    at.secrets["auth"] = {k: f"value-of-{k}" for k in AUTH_KEYS}
    at.run()
    assert not at.exception and not at.error
    assert [b.label for b in at.button] == ["Sign in"]
    assert "e" not in at.query_params and not at.text_input  # nothing of any engagement before sign-in
