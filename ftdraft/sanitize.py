"""Normalises hostile text for rules and models: Unicode tag characters, bidi controls, NULs, zero-width characters.

The FM's saved notes are never altered: callers clean a copy for extraction and prompting, and the guards clean drafts.
"""

from __future__ import annotations

import re
import unicodedata

# Unicode "tag" characters (U+E0000..U+E007F) mirror ASCII invisibly: a known way to smuggle instructions to a model.
_TAG_RANGE = (0xE0000, 0xE007F)
# Embeddings, overrides and isolates reorder what a reader sees ("Trojan Source"); LRM/RLM/ALM are kept because
# real right-to-left text needs them and they cannot reorder anything on their own.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Zero-width characters that hide text boundaries; ZWJ/ZWNJ are handled separately (emoji, Persian/Indic scripts).
_ZERO_WIDTH = frozenset("\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u180e")
_JOINERS = frozenset("\u200c\u200d")
# C0/C1 controls other than tab and newlines (NUL included): they break terminals, CSV and the database.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# Any character clean_text might touch: text without one (nearly all text) is returned untouched, fast.
_SUSPECT_RE = re.compile(
    "[\U000e0000-\U000e007f\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060-\u2064\ufeff\u180e"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\r]"
)


def _is_tag(ch: str) -> bool:
    return _TAG_RANGE[0] <= ord(ch) <= _TAG_RANGE[1]


def _joiner_is_legitimate(prev: str, nxt: str) -> bool:
    """ZWJ/ZWNJ between two letters of a script that uses them, or inside an emoji sequence."""
    if not prev or not nxt:
        return False
    for ch in (prev, nxt):
        cp = ord(ch)
        if cp >= 0x1F000 or 0x2600 <= cp <= 0x27BF or cp == 0xFE0F:
            continue  # emoji and the emoji variation selector
        if unicodedata.category(ch).startswith(("L", "M")) and cp > 0x024F:
            continue  # a non-Latin letter or mark (Arabic, Persian, Devanagari...)
        return False
    return True


def hidden_tag_text(text: str) -> str:
    """The ASCII message smuggled in Unicode tag characters, if any (to report it, never to act on it)."""
    return "".join(
        chr(ord(ch) - _TAG_RANGE[0]) for ch in text if _is_tag(ch) and 0x20 <= ord(ch) - _TAG_RANGE[0] < 0x7F
    )


def clean_text(text: str) -> str:
    """Text without invisible or reordering characters, with line endings normalised to \\n and NFC applied.

    Visible content (letters in any script, emoji, punctuation) is kept as is.
    """
    if not text:
        return text
    if not _SUSPECT_RE.search(text):
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if _is_tag(ch) or ch in _BIDI_CONTROLS or ch in _ZERO_WIDTH:
            continue
        if ch in _JOINERS:
            prev = out[-1] if out else ""
            nxt = text[i + 1] if i + 1 < n else ""
            if not _joiner_is_legitimate(prev, nxt):
                continue
        out.append(ch)
    cleaned = _CONTROL_RE.sub("", "".join(out))
    return unicodedata.normalize("NFC", cleaned)


def hostile_characters(text: str) -> dict[str, int]:
    """Counts of the hostile character classes in text (empty when there are none), for reporting."""
    counts: dict[str, int] = {}
    if not _SUSPECT_RE.search(text):
        return counts

    def bump(kind: str) -> None:
        counts[kind] = counts.get(kind, 0) + 1

    for ch in text:
        if _is_tag(ch):
            bump("tag characters")
        elif ch in _BIDI_CONTROLS:
            bump("bidi controls")
        elif ch in _ZERO_WIDTH:
            bump("zero-width characters")
        elif ch == "\x00":
            bump("NUL bytes")
        elif _CONTROL_RE.match(ch):
            bump("control characters")
    return counts


def one_line(text: str) -> str:
    """A single line for headers and titles: CR, LF and other line separators become spaces."""
    return re.sub(r"[\r\n\u2028\u2029\x85\v\f]+", " ", clean_text(text)).strip()


REDACTED = "[redacted]"
SECRET_PIECE = 8  # characters: any run this long that is also in the key is redacted
# Ignored when matching, so a key split by a line break, spaces or an escaped newline ("\\n" in a JSON body) still
# matches; the characters between the pieces are redacted with them.
_SPLIT_RE = re.compile(r"\s+|\\[nrt]")


def redact_secret(text: str, secret: str) -> str:
    """text with the secret and every piece of it of >= SECRET_PIECE (8) characters replaced by "[redacted]".

    Matches across line breaks, whitespace and escaped newlines inside the text (a key echoed over two lines, or
    with its middle cut). Call it BEFORE cutting a message to length: a cut can leave a piece shorter than the
    whole key that a plain replace would miss. A secret shorter than 8 characters is redacted where it appears
    whole. Linear in len(text) + len(secret). Source: security case 4 (issue 11).
    """
    secret = _SPLIT_RE.sub("", secret or "")
    if not text or not secret:
        return text
    if len(secret) < SECRET_PIECE:
        return text.replace(secret, REDACTED)
    grams = {secret[i : i + SECRET_PIECE] for i in range(len(secret) - SECRET_PIECE + 1)}
    # The text without the ignored separators, and where each kept character came from.
    kept: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _SPLIT_RE.finditer(text):
        kept.append(text[pos : m.start()])
        origin.extend(range(pos, m.start()))
        pos = m.end()
    kept.append(text[pos:])
    origin.extend(range(pos, len(text)))
    view = "".join(kept)
    spans: list[list[int]] = []  # [start, end) in text, merged as found (left to right)
    for i in range(len(view) - SECRET_PIECE + 1):
        if view[i : i + SECRET_PIECE] in grams:
            start, end = origin[i], origin[i + SECRET_PIECE - 1] + 1
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out += [text[pos:start], REDACTED]
        pos = end
    out.append(text[pos:])
    return "".join(out)
