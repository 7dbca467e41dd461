"""Sign-in end to end: Debian's Chromium (Playwright) against `streamlit run` with Streamlit's [auth] secrets
pointing at a local OpenID Connect provider (oidc-provider-mock, on 127.0.0.1). Two FMs, each in their own
browser context: each sees, opens and finds only their own engagements; signing out shows the sign-in step
again. The store is a real SQLite file shared by both, as a team's one database would be.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import ROOT, browser, free_port, stop, wait_for_port  # noqa: F401  (browser: a fixture)

pytestmark = [
    pytest.mark.browser,
    # oidc-provider-mock still calls Authlib's older JOSE API; its deprecation notices are not ours.
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:authlib.jose module is deprecated"),
]

USERS = {
    "ana": {"email": "ana.lopez@contoso-ft.example", "name": "Ana Lopez"},
    "ben": {"email": "ben.okafor@contoso-ft.example", "name": "Ben Okafor"},
}


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """oidc-provider-mock on 127.0.0.1 with the two users; its base URL."""
    import oidc_provider_mock
    import werkzeug.serving

    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on loopback, as the mock's own CLI sets
    app = oidc_provider_mock.app(
        user_claims=[oidc_provider_mock.User(sub=sub, claims=claims) for sub, claims in USERS.items()]
    )
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


@pytest.fixture
def app(tmp_path: Path, provider: str) -> Iterator[str]:
    """The page with sign-in set up in .streamlit/secrets.toml (the folder it runs in)."""
    port = free_port()
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "ftdraft-test"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_", "FTDRAFT_"))}
    env |= {
        "FTDRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'team.db'}",
        "FTDRAFT_ENGINE": "offline",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "AUTHLIB_INSECURE_TRANSPORT": "1",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def sign_in(chromium, app: str, sub: str):  # type: ignore[no-untyped-def]
    """A fresh browser context (its own cookies) signed in as `sub`; returns its page."""
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # the first run of the page is slow on a busy 2-core machine
    page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(30_000)
    page.goto(app)
    expect(page.get_by_text("Sign in with your work account")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")  # the provider's page
    page.locator(f'button[name="sub"][value="{sub}"]').click()
    page.wait_for_url(f"{app}/**")
    expect(page.get_by_text(f"Signed in as {USERS[sub]['name']}")).to_be_visible()
    page.wait_for_url("**/?e=*")
    return page


def add_engagement(page, customer: str) -> str:  # type: ignore[no-untyped-def]
    """Type a customer into the setup (saved on change); returns the engagement's URL."""
    from playwright.sync_api import expect

    field = page.get_by_label("Customer", exact=True)
    field.fill(customer)
    field.press("Enter")
    # the sidebar entry is "Customer · date", the name cut at a word to fit one line: its first word shows
    expect(page.locator("section[data-testid='stSidebar']").get_by_text(customer.split()[0])).to_be_visible()
    return str(page.url)


def sidebar_text(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator("section[data-testid='stSidebar']").inner_text())


def test_two_fms_each_see_open_and_find_only_their_own_and_sign_out(app: str, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    ana = sign_in(browser, app, "ana")
    # The FM fields come from the claims.
    expect(ana.get_by_label("Your name (FM)")).to_have_value("Ana Lopez")
    expect(ana.get_by_label("Your email (FM)")).to_have_value("ana.lopez@contoso-ft.example")
    ana_url = add_engagement(ana, "Contoso Pharma")

    ben = sign_in(browser, app, "ben")
    expect(ben.get_by_label("Your name (FM)")).to_have_value("Ben Okafor")
    add_engagement(ben, "Fabrikam Manufacturing")
    assert "Contoso" not in sidebar_text(ben)
    # Search never crosses FMs.
    search = ben.get_by_label("Search by customer")
    search.fill("Contoso")
    search.press("Enter")
    expect(ben.get_by_text("No customer matches.")).to_be_visible()
    # Ana's engagement id in Ben's address bar is "not found", and nothing of hers shows.
    ben.goto(ana_url)
    expect(ben.get_by_text("That engagement was not found")).to_be_visible()
    expect(ben.get_by_label("Customer", exact=True)).to_have_value("")
    assert ben.url != ana_url

    # Ana still has hers, and only hers.
    ana.reload()
    expect(ana.get_by_label("Customer", exact=True)).to_have_value("Contoso Pharma")
    text = sidebar_text(ana)
    assert "Contoso" in text and "Fabrikam" not in text

    # Signing out shows the sign-in step again; her engagement's address shows nothing of it.
    ana.get_by_role("button", name="Sign out").click()
    end = ana.get_by_role("button", name="End session")  # the provider's RP-initiated logout page
    end.or_(ana.get_by_text("Sign in with your work account")).first.wait_for()
    if end.is_visible():
        end.click()
    expect(ana.get_by_text("Sign in with your work account")).to_be_visible()
    ana.goto(ana_url)
    expect(ana.get_by_text("Sign in with your work account")).to_be_visible()
    assert "Contoso Pharma" not in ana.content()
