"""Small export pieces asserted whole (found by mutation testing, issue 15): the token line of bundle.md and
one To/Cc address as it goes into an .eml header."""

from __future__ import annotations

import pytest

from ftdraft.export import ascii_address, format_recipient, token_summary, valid_email
from ftdraft.schemas import Recipient, TokenUsage


@pytest.mark.parametrize(
    ("tokens", "line"),
    [
        (TokenUsage(), "not reported by the server"),
        (TokenUsage(prompt_tokens=7983), "7,983 prompt"),
        (TokenUsage(prompt_tokens=7983, cached_tokens=0), "7,983 prompt (0 cached)"),
        (TokenUsage(completion_tokens=5), "5 completion"),
        (TokenUsage(completion_tokens=1430, reasoning_tokens=12), "1,430 completion (12 reasoning)"),
        (
            TokenUsage(prompt_tokens=1234567, cached_tokens=1024, completion_tokens=1430, reasoning_tokens=0),
            "1,234,567 prompt (1,024 cached), 1,430 completion (0 reasoning)",
        ),
    ],
)
def test_token_summary(tokens: TokenUsage, line: str) -> None:
    assert token_summary(tokens) == line


@pytest.mark.parametrize(
    ("recipient", "header"),
    [
        (Recipient(name="Priya Raman", email="priya@contoso.com"), "Priya Raman <priya@contoso.com>"),
        (Recipient(email="priya@contoso.com"), "priya@contoso.com"),
        (Recipient(name="Priya Raman"), '"Priya Raman"'),  # no address: a quoted name Outlook resolves
        (Recipient(name="Tom", email="not-an-address"), '"Tom"'),
        (Recipient(role="TAM"), '"TAM - name unknown"'),
        (Recipient(), '"name unknown"'),
        (Recipient(name='Raman, Priya "PR"', email="priya@contoso.com"), '"Raman, Priya \\"PR\\"" <priya@contoso.com>'),
        (Recipient(name="a\\b", role="ATS"), '"a\\\\b"'),
        (Recipient(name="evil@x.com", email="priya@contoso.com"), '"evil (at) x.com" <priya@contoso.com>'),
        (Recipient(name="Zoë Ärger", email="zoe@exämple.com"), "=?utf-8?b?Wm/DqyDDhHJnZXI=?= <zoe@xn--exmple-cua.com>"),
        (Recipient(name="Zoë", email="zoë@example.com"), "=?utf-8?q?Zo=C3=AB?="),  # the mailbox cannot be ASCII
        (
            Recipient(name="x" * 80, email="a@b.co"),
            "=?utf-8?q?" + "x" * 62 + "?=\n=?utf-8?q?" + "x" * 18 + "?= <a@b.co>",
        ),
    ],
    ids=[
        "name-and-address", "address-only", "name-only", "bad-address", "role-only", "nothing", "specials-quoted",
        "backslash", "at-in-name", "non-ascii-name-and-domain", "non-ascii-mailbox", "long-name-folded",
    ],
)  # fmt: skip
def test_format_recipient(recipient: Recipient, header: str) -> None:
    assert format_recipient(recipient) == header


@pytest.mark.parametrize(
    ("value", "valid", "ascii"),
    [
        ("a@b.co", "a@b.co", "a@b.co"),
        (" a@b.co ", "a@b.co", "a@b.co"),
        ("nope", None, None),
        (None, None, None),
        ("zoë@example.com", "zoë@example.com", None),
        ("z@exämple.com", "z@exämple.com", "z@xn--exmple-cua.com"),
    ],
)
def test_valid_and_ascii_addresses(value: str | None, valid: str | None, ascii: str | None) -> None:
    assert valid_email(value) == valid
    assert ascii_address(value) == ascii
