"""Header-bound text (subjects, invite titles, recipients' names and addresses): what export.py will neutralise.

The exports are safe whatever these say (export.header_text, export.ascii_address); these findings tell the FM
that what they typed or pasted was changed on the way into a header, and `--strict` fails on the hostile ones.
Source: RFC 2047 (encoded-words), RFC 5322 2.1.1 (998-octet lines), security cases 1, 8 and 10 (issue 11).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..schemas import Check, Drafts, Engagement
from .parts import clip
from .recipients import recipients_of

# "=?charset?q|b?text?=": a reader decodes it, into CR/LF or an address on some Pythons and clients.
ENCODED_WORD_RE = re.compile(r"=\?[^?\s]{1,40}\?[qb]\?[^?\s]*\?=", re.IGNORECASE)
# Controls (C0 but tab, C1, DEL), bidi overrides/isolates, Unicode tag characters, line and paragraph separators.
HEADER_HOSTILE_RE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\U000e0000-\U000e007f]"
)
NAME_LIMIT = 120  # export.HEADER_NAME_LIMIT: a longer name is cut in headers
# A header field written into a name ("Acme Bcc: x@evil.example"): once a line break is added before it (or a
# client decodes one), it is a header of its own. Names only: a job title may say "Reports to: CIO".
HEADER_FIELD_RE = re.compile(
    r"(?:^|[\s,;<>\"'])(?:bcc|cc|to|from|reply-to|sender|subject|content-type|mime-version)\s*:", re.IGNORECASE
)


def _header_texts(drafts: Drafts) -> Iterator[tuple[str, str, str]]:
    """(draft, what, text) for every text that becomes a header or an invite property."""
    emails = [("internal_invite", drafts.internal_invite.email), ("intro_request", drafts.intro_request.email),
              ("follow_up", drafts.follow_up), ("sync_rhythm", drafts.sync_rhythm.email)]  # fmt: skip
    if drafts.teams_channel is not None:
        emails.append(("teams_channel", drafts.teams_channel))
    for name, email in emails:
        yield name, "subject", email.subject
    yield "internal_invite", "invite title", drafts.internal_invite.invite.title
    if drafts.sync_rhythm.invite is not None:
        yield "sync_rhythm", "invite title", drafts.sync_rhythm.invite.title
    for name, r in recipients_of(drafts):
        if r.name:
            yield name, "recipient name", r.name


def context_header_checks(engagement: Engagement) -> list[Check]:
    """Errors for the engagement's own header-bound fields (the customer, people's names and addresses), which
    may come from a --context file or the app's setup: CR/LF and other controls, encoded-words, or a header field
    ("Bcc:") in a name. The drafts flatten line breaks, so the draft checks alone would miss them; `--strict`
    fails on these as on the same text in the notes (review item 21; security cases 1 and 10 of issue 11)."""
    fields: list[tuple[str, str | None]] = [("customer", engagement.customer)]
    people = [*engagement.account_team, *engagement.customer_contacts]
    people += [p for p in (engagement.fta, engagement.fm) if p is not None]
    for p in people:
        fields += [(f"{p.role} name", p.name), (f"{p.role} address", p.email)]
    checks: list[Check] = []
    for what, text in fields:
        if not text:
            continue
        if ENCODED_WORD_RE.search(text) or HEADER_HOSTILE_RE.search(text) or HEADER_FIELD_RE.search(text):
            checks.append(Check(
                draft="context", severity="error", rule="header.injection", text=clip(" ".join(text.split())),
                suggestion=f"The engagement's {what} holds a line break, an encoded-word or a header field (a way to "
                "add hidden recipients or headers): the exports write it as plain text. Correct it in the context "
                "file or the engagement setup.",
            ))  # fmt: skip
    return checks


def header_checks(drafts: Drafts) -> list[Check]:
    """Findings for header-bound text: encoded-words and control characters (errors: they are how a header is
    injected), over-long names (warning: cut), non-ASCII addresses (warning: IDNA domain, or left out)."""
    checks: list[Check] = []
    seen: set[tuple[str, str]] = set()
    for draft, what, text in _header_texts(drafts):
        if (draft, text) in seen:
            continue
        seen.add((draft, text))
        if ENCODED_WORD_RE.search(text) or HEADER_HOSTILE_RE.search(text):
            checks.append(Check(
                draft=draft, severity="error", rule="header.injection", text=clip(text),
                suggestion=f"The {what} holds an encoded-word or control characters (a way to add hidden recipients or "
                "headers): the exports write it as plain text. Correct it in the engagement setup or the notes.",
            ))  # fmt: skip
        elif what == "recipient name" and len(text) > NAME_LIMIT:
            checks.append(Check(
                draft=draft, severity="warning", rule="header.long_name", text=clip(text),
                suggestion=f"Names are cut to {NAME_LIMIT} characters in the .eml and .ics headers: shorten it.",
            ))  # fmt: skip
    for draft, r in recipients_of(drafts):
        address = (r.email or "").strip()
        if address and not address.isascii() and (draft, address) not in seen:
            seen.add((draft, address))
            local = address.rpartition("@")[0]
            fate = ("left out of the .eml and .ics (a non-ASCII mailbox name needs SMTPUTF8)"
                    if not local.isascii() else "written with its domain IDNA-encoded")  # fmt: skip
            checks.append(Check(
                draft=draft, severity="warning", rule="recipients.non_ascii_address", text=address,
                suggestion=f"This address is {fate}: check it in the account team.",
            ))  # fmt: skip
    return checks
