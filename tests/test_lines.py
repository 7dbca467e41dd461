"""extract/lines.py: paste formats (tab bullets, CRLF, NBSP, checkboxes), Teams chat, Outlook threads read whole."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ftdraft import dates as dates_module
from ftdraft import lexicon as lx
from ftdraft.extract import lines as lines_module
from ftdraft.extract import text as text_module
from ftdraft.extract.lines import split_lines
from ftdraft.extract.text import SENTENCE_SPLIT_RE, tidy

CASES = Path(__file__).parent / "fixtures" / "cases" / "reader"
CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def test_tab_bullets_crlf_and_nbsp_read_like_plain_bullets() -> None:
    pasted = [(line.text, line.in_actions) for line in split_lines((CASES / "06-onenote-paste.md").read_text())]
    assert ("RFA for Teams. Intent is real, pilot with 200 users.", False) in pasted
    assert ("Nadia to send the intro email by Friday", True) in pasted
    assert ("Omar to add me to the Thursday account sync", True) in pasted
    assert ("me: send recap to the team", True) in pasted
    plain = "Actions\n- Nadia to send the intro email by Friday\n- Omar to add me to the Thursday account sync\n"
    tabbed = [line.text for line in split_lines((CASES / "06-bullet-tab-min.md").read_text())]
    assert [line.text for line in split_lines(plain)] == tabbed[-2:]


def test_a_tab_table_is_still_a_table() -> None:
    lines = split_lines("Sync 2026-11-24\nName\tRole\nNadia Brooks\tATS\n")
    assert [line.text for line in lines][-1] == "Attendees: Nadia Brooks (ATS)"


def test_ticked_boxes_are_done_and_open_boxes_are_not() -> None:
    lines = split_lines("Sync 2026-11-24\n☐ AI Kenji: intro email\n☑ sync agreed\n- [x] deck sent\n[ ] Lucía: CSM?\n")
    assert [(line.text, line.done) for line in lines[1:]] == [
        ("AI Kenji: intro email", False),
        ("sync agreed", True),
        ("deck sent", True),
        ("Lucía: CSM?", False),
    ]


def test_teams_chat_lines_name_their_speaker_and_later_messages_are_later_parts() -> None:
    notes = (
        "Meeting chat\n[11/17/2026 2:33 PM] Renata Szabó: @Julian can you send the intro by EOD Friday?\n"
        "[11/17/2026 2:33 PM] Julian Amankwah: yep\n[10:02] Kofi Mensah: I'll send the intro\n"
    )
    lines = split_lines(notes)[1:]
    assert [(line.speaker, line.text) for line in lines] == [
        ("Renata Szabó", "@Julian can you send the intro by EOD Friday?"),
        ("Julian Amankwah", "yep"),
        ("Kofi Mensah", "I'll send the intro"),
    ]
    assert lines[0].ref_date == date(2026, 11, 17)
    assert lines[0].part < lines[1].part < lines[2].part


def test_teams_posts_and_replies() -> None:
    lines = split_lines((CORPUS / "health-ridgeline-teams-thread.txt").read_text())
    reply = next(line for line in lines if line.text.startswith("will open the case"))
    first = next(line for line in lines if line.text.startswith("I'll do FTOP"))
    assert (reply.speaker, first.speaker) == ("Ana Paula Rezende", "Ingrid Solberg")
    assert reply.part > first.part and reply.ref_date == date(2027, 1, 21)


def test_an_outlook_thread_is_read_whole_newest_message_highest() -> None:
    lines = split_lines((CORPUS / "rfa-hallett-rowe-outlook.txt").read_text())
    by_text = {line.text: line for line in lines}
    top = by_text["Works for me – I'll send the CIO intro Thursday."]
    assert (top.speaker, top.ref_date) == ("Mateo Ferreira-Lund", date(2027, 2, 2))
    recap = next(line for line in lines if line.text.startswith("Thanks for the time on Monday"))
    assert recap.speaker == "Bianca Lowenthal" and recap.part < top.part
    assert not any(line.text.startswith(("From:", "To:", "Cc:", "-----Original")) for line in lines)


def test_inline_corrections_are_the_replier_s_and_newest() -> None:
    lines = split_lines((CORPUS / "rfa-ashcombe-outlook.txt").read_text())
    fix = next(line for line in lines if line.text == "I'm out Friday – make it 12/7.")
    original = next(line for line in lines if line.text.startswith("Chidi: intro email"))
    assert fix.speaker == "Chidi Okafor-Lane" and fix.part > original.part
    assert original.speaker == "Astrid Holm"


def test_quoted_reply_lines_are_older_than_the_reply() -> None:
    notes = (
        "From: Sam\nSent: Tuesday, December 8, 2026 4:12 PM\nSubject: x\n\nok, Friday then\n> Can you do Thursday?\n"
    )
    lines = split_lines(notes)
    reply, quoted = lines[-2], lines[-1]
    assert quoted.text == "Can you do Thursday?" and quoted.part < reply.part


# The sentence splitter's regex jumps from sentence mark to sentence mark; it must split exactly where the plain
# formulation (whitespace after "." or ";" before a letter, parenthesis or quote; after "!" or "?" before a capital)
# does, outside parentheses.
_PLAIN_SPLIT_RE = re.compile(r"(?:(?<=[.;])\s+(?=[A-Za-z(\"'])|(?<=[!?])\s+(?=[A-Z]))")


def _plain_split(text: str) -> list[str]:
    masked = re.sub(r"\([^()]*\)", lambda m: "(" + "x" * (len(m.group(0)) - 2) + ")", text)
    out, start = [], 0
    for m in _PLAIN_SPLIT_RE.finditer(masked):
        out.append(text[start : m.start()])
        start = m.end()
    return [*out, text[start:]]


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="aB. ;!?(')\"\t\nxZ1é", max_size=24))
def test_sentence_split_is_the_plain_formulation(text: str) -> None:
    assert SENTENCE_SPLIT_RE.split(text) == _plain_split(text)


def test_sentence_split_keeps_parentheses_whole() -> None:
    assert SENTENCE_SPLIT_RE.split("Licenses: ?? (E3 or E5? check). Partner: none. (S500 list? check) ok") == [
        "Licenses: ?? (E3 or E5? check).",
        "Partner: none.",
        "(S500 list? check) ok",
    ]
    assert SENTENCE_SPLIT_RE.split("no marks here") == ["no marks here"]


_SHORTHAND_PIECES = ["w/o", "W/", "w/", "b/c", "B/C", "bc", "r", "u", "ppl", "PPL", "cust", "cust.", "Cust", "didnt",
                     "dont", "mgr", "mktg", "mig", "tmrw", "wks", "->", " -> ", " ", "  ", "in", "the", "ok", "a", "Z",
                     "x", "\t", "İ", "ı", "ſ", "didnt"[:2] + "ı" + "dnt", "cuſt", ".", "-", ",", "é"]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_SHORTHAND_PIECES), max_size=12))
def test_tidy_skips_the_substitution_only_when_it_would_change_nothing(pieces: list[str]) -> None:
    text = "".join(pieces)
    full = re.sub(r"\s+", " ", _PLAIN_SHORTHAND_RE.sub(lambda m: _PLAIN_EXPANSIONS[m.lastgroup or ""], text))
    assert tidy(text) == full.strip(" -–,;")


# tidy's plain formulation: every shorthand and "->" in one pass, no lookahead, no gate, no split passes
_PLAIN_PAIRS = (*text_module._ABBREVIATIONS, (r"\s*->\s*", " - "))
_PLAIN_SHORTHAND_RE = re.compile("|".join(f"(?P<a{i}>{pattern})" for i, (pattern, _) in enumerate(_PLAIN_PAIRS)))
_PLAIN_EXPANSIONS = {f"a{i}": expansion for i, (_, expansion) in enumerate(_PLAIN_PAIRS)}


_DISCUSS_PIECES = ["we ", "They ", "did not ", "didn't ", "didnt ", "never ", "haven't ", "talk about", "discuss",
                   "discussed", "cover", "get to", "not ", "yet ", "no ", "info", "details", "??", ": ", "tbd", "TBC",
                   "?", "n/a", "unknown", "pas discuté", "nicht besprochen", "no se discutió", "ikke drøftet",
                   "non discusso", "come up", "agreed", "sync", " ", "-", "x", "İ", "ſ"]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_DISCUSS_PIECES), max_size=10))
def test_not_discussed_pre_checks_never_hide_a_match(pieces: list[str]) -> None:
    text = "".join(pieces)
    words = len(text.split())
    expected = bool(words <= 12 and text_module._DID_NOT_DISCUSS_RE.search(text)) or bool(
        words <= 6 and text_module._NOT_DISCUSSED_RE.search(text)
    )
    assert text_module.not_discussed_text(text) == expected


@settings(max_examples=800, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", " ", "  ", "\t", "\n", "1/21/2027", "3:40", "today", "Yesterday", "x", ":"]), max_size=10
    )
)
def test_teams_post_pre_check_is_the_plain_formulation(pieces: list[str]) -> None:
    text = "".join(pieces)
    plain = re.compile(r"\S\s{2,}(?:\d{1,2}/\d{1,2}/\d{2,4}|yesterday|today)\s+\d{1,2}:\d\d", re.IGNORECASE)
    assert (lines_module._ANY_POST_RE.search(text) is None) == (plain.search(text) is None)


def test_notes_without_a_mail_marker_keep_every_line_and_a_pasted_mail_is_still_skipped() -> None:
    plain = "Contoso sync\n- Tom to send the deck\n\nfrom Google Workspace mostly\n"
    assert [line.text for line in split_lines(plain)] == [
        "Contoso sync",
        "Tom to send the deck",
        "from Google Workspace mostly",
    ]
    pasted = (
        plain + "Thanks\n\nFrom: Mark Olsen\nSent: Monday\nSubject: hi\n\nsecret body\n\n## Actions\n- Ana to call\n"
    )
    texts = [line.text for line in split_lines(pasted)]
    assert "secret body" not in texts and "Ana to call" in texts


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(["1", "12", "3", "2026", "/", ".", ",", "a", " ", "_", "٣"]), max_size=9))
def test_day_first_date_pattern_is_the_plain_formulation(pieces: list[str]) -> None:
    text = "".join(pieces)
    plain = re.compile(r"(?<![\w/.,])(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\w/]|[.,]\d)")
    found = [(m.span(), m.groups()) for m in dates_module._DAY_FIRST_RE.finditer(text)]
    assert found == [(m.span(), m.groups()) for m in plain.finditer(text)]


_LINE_PIECES = ["Timeline", "licenses", ": ", ":", "n/a", "na", "?", "??", "unknown", "tbd", "Teams", "migration",
                "not discussed", "check", ". ", "; ", "- ", "* ", "1. ", "a) ", "o", "actions", "next steps", "#",
                "  ", " ", "sync", "x", "İ", "ſ", "=", "->", "[x] ", "☑", "٣. ", "info", "details"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_LINE_PIECES), min_size=1, max_size=9))
def test_a_line_reads_as_the_plain_formulation(pieces: list[str]) -> None:
    """The per-line pre-checks of split_lines (bullet and heading marks, the not-discussed and topic starts, the
    uncertainty starts) change no line: its text, topics and uncertainty are those of the unguarded readers."""
    raw = "".join(pieces)
    read = [line for line in split_lines("Contoso sync\n" + raw) if line.no == 2]
    bullet = lines_module._BULLET_RE.match(raw)
    text = " ".join((raw[bullet.end() :] if bullet else raw).split())
    if not read:
        heading = lines_module._HEADING_RE.match(text.lstrip("#").strip())
        assert not text or heading or raw.strip().startswith("#") or (text.endswith(":") and len(text) < 40)
        return
    line = read[0]
    assert line.text == text
    lowered = text.lower()
    assert line.uncertain == lx.UNCERTAIN_RE.found(lowered)
    if line.label and text_module.label_workloads(line.label):
        assert line.topics == {"c"}
        return
    sentences = SENTENCE_SPLIT_RE.split(lowered)
    spoken = [t for t in sentences if not text_module.not_discussed_text(t)]
    texts = [lowered] if len(spoken) == len(sentences) else spoken
    expected = set(text_module.label_topics(line.label)) if line.label and spoken else set()
    expected |= set().union(*(lx.TOPICS.keys_in(t) for t in texts))
    assert line.topics == expected


@settings(max_examples=800, deadline=None)
@given(
    st.text(alphabet=st.sampled_from([" ", "\t", "\x0b", "\x0c", "\x1c", "\x1f", "\xa0", "\u2028", "a", "B", "-", "é"]))
)
def test_folding_a_line_is_the_plain_split_and_join(text: str) -> None:
    assert lines_module._folded(text) == " ".join(text.split())
