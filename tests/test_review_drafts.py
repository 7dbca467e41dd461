"""The draft problems a new-user review found (review items 4, 9, 11-17, 21, 22; issues 10 and 11 follow-ups).

Each kind is tested on its reproduction and on variants of it, through the real pipeline (offline engine) or
the real CLI; tests/draft_checks.py counts the same kinds over the whole corpus (tests/test_drafts_quality.py).
The review's own odd notes are copied to tests/fixtures/review/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from draft_checks import CORPUS, EXAMPLES, _section, check_bundle, emails
from factories import contoso_engagement, contoso_facts, src

from ftdraft import cli
from ftdraft.config import Settings
from ftdraft.drafts import render_drafts
from ftdraft.pipeline import build_bundle
from ftdraft.schemas import ActionItem, Ask, CompeteProduct, DraftBundle, Engagement, Fact, OpenItem

REVIEW = Path(__file__).resolve().parent / "fixtures" / "review"


def bundle(text: str, engagement: Engagement | None = None, **values: Any) -> DraftBundle:
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    return build_bundle(text, engagement, engine="offline", settings=settings)


def of(path: Path, **values: Any) -> DraftBundle:
    return bundle(path.read_text(encoding="utf-8"), **values)


def follow_up_of(**facts: Any) -> str:
    return render_drafts(contoso_engagement(), contoso_facts(**facts)).follow_up.body


# ---------------------------------------------------------------- item 9: the field never hears of FTOP


def test_a_follow_up_with_more_than_it_shows_says_the_fm_keeps_track_not_ftop() -> None:
    many = [OpenItem(text=f"Confirm the seat count for site number {n}?", sources=src(n)) for n in range(1, 12)]
    steps = [ActionItem(action=f"Send site report {n}", owner="Priya Raman", sources=src(n)) for n in range(1, 14)]
    body = follow_up_of(open_items=many, action_items=steps)
    assert "FTOP" not in body
    assert "our next sync" in body  # what is left out is said to be kept, by the FM


@pytest.mark.parametrize("path", [CORPUS / "rfa-hallett-rowe-outlook.txt", EXAMPLES / "health-fabrikam-mfg.md"])
def test_no_field_email_mentions_ftop(path: Path) -> None:
    b = of(path)
    for name, email in emails(b.drafts):
        assert "FTOP" not in email.body, name
    assert "FTOP" in b.drafts.ftop.text or b.drafts.ftop.text  # the FTOP entry itself is the FM's own


@pytest.mark.parametrize(
    ("action", "step"),
    [
        ("FTOP note and send the Defender deployment guide", "- I'll send the Defender deployment guide"),
        ("FTOP note, and send the Copilot adoption kit", "- I'll send the Copilot adoption kit"),
        ("Update FTOP entry then share the deck", "- I'll share the deck"),
        ("Send the monthly sync invite", "- I'll send the monthly sync invite"),
    ],
)
def test_the_fms_ftop_bookkeeping_is_left_out_of_a_step(action: str, step: str) -> None:
    body = follow_up_of(action_items=[ActionItem(action=action, owner_role="FM", sources=src(3, action))])
    assert step in body and "FTOP" not in body


def test_a_step_that_is_only_ftop_bookkeeping_is_no_step_for_the_field() -> None:
    action = "FTOP note with intent for all three"
    b = render_drafts(contoso_engagement(), contoso_facts(action_items=[ActionItem(action=action, owner_role="FM")]))
    assert "intent for all three" not in b.follow_up.body
    assert "intent for all three" in b.ftop.text  # still the FM's next action in FTOP


# ---------------------------------------------------------------- item 4: parked or out-of-scope asks


@pytest.mark.parametrize(
    "line",
    [
        "Customer asked about Teams Phone for the depots. Out of FT scope, and moot until the network is fixed.",
        "Customer asked about Teams Phone for the depots (outside FastTrack scope).",
        "Customer asked about Teams Phone for the depots - not in FT scope.",
        "Customer asked about Teams Phone for the depots, not a FastTrack thing.",
    ],
)
def test_an_out_of_scope_ask_says_so_and_who_routes_it(line: str) -> None:
    ask = Ask(text="Customer asked about Teams Phone for the depots.", sources=src(9, line))
    body = follow_up_of(asks=[ask], action_items=[])
    asks = "\n".join(_section(body, "Customer asks"))
    assert "will follow up" not in asks
    assert "outside FastTrack's scope; Priya, could you route it to the right team?" in asks  # the ATS is asked


def test_the_router_the_notes_name_routes_it() -> None:
    ask = Ask(text="Power Apps for port scheduling", in_scope=False, routed_to="Tom Becker", sources=src(9))
    asks = "\n".join(_section(follow_up_of(asks=[ask]), "Customer asks"))
    assert "outside FastTrack's scope; Tom Becker will route it to the right team." in asks


@pytest.mark.parametrize(
    "line", ["asks: telehealth in teams, not now", "Telehealth in Teams - parked.", "telehealth in teams (on hold)"]
)
def test_a_parked_ask_is_no_promise(line: str) -> None:
    ask = Ask(text=line.removeprefix("asks: "), sources=src(16, line))
    asks = "\n".join(_section(follow_up_of(asks=[ask]), "Customer asks"))
    assert "parked for now" in asks and "will follow up" not in asks


def test_an_ask_in_scope_is_still_followed_up() -> None:  # counter-example
    ask = Ask(text="Help with MDO attack simulation training", sources=src(9, "Help with MDO attack sim training"))
    assert "- Help with MDO attack simulation training: FastTrack will follow up." in follow_up_of(asks=[ask])


@pytest.mark.parametrize("name", ["rfa-kestrel-freight.md", "rfa-kowhai-shorthand.txt"])
def test_the_reviewed_corpus_asks_promise_nothing(name: str) -> None:
    assert "will follow up" not in of(CORPUS / name).drafts.follow_up.body


# ---------------------------------------------------------------- item 17: the field's asks


@pytest.mark.parametrize("verb", ["asked for", "wants", "would like"])
def test_an_ask_a_field_member_raised_is_not_a_customer_ask(verb: str) -> None:
    text = f"Alicia {verb} SharePoint governance templates"
    body = follow_up_of(asks=[Ask(text=text, sources=src(5, text))])
    assert "Customer asks" not in body
    assert f"Asks from the account team\n- Alicia {verb} SharePoint governance templates" in body


def test_an_ask_a_customer_contact_raised_stays_a_customer_ask() -> None:  # counter-example
    text = "Dana asked for SharePoint governance templates"
    assert "Customer asks\n- Dana asked for" in follow_up_of(asks=[Ask(text=text, sources=src(5, text))])


def test_osprey_yuki_csm_ask_is_the_account_teams() -> None:
    body = of(CORPUS / "health-osprey-county.md").drafts.follow_up.body
    assert "Customer asks" not in body and "Asks from the account team\n- Yuki asked" in body


# ---------------------------------------------------------------- items 11/12: only real open questions


def test_template_items_are_questions_to_the_field_and_the_fms_own_todos_stay_in_ftop() -> None:
    b = of(EXAMPLES / "messy-woodgrove.txt")
    open_items = "\n".join(_section(b.drafts.follow_up.body, "Open items"))
    assert "Walk the account team" not in open_items and not re.search(r"^- Ask ", open_items, re.MULTILINE)
    assert "Could you share some background on the customer's environment?" in open_items
    assert "Walk the account team through the FastTrack process" in b.drafts.ftop.text


def test_raw_chat_lines_are_no_open_items() -> None:
    open_items = "\n".join(_section(of(REVIEW / "n1-teams.txt").drafts.follow_up.body, "Open items"))
    assert "roll call" not in open_items and "I'm the FM" not in open_items
    assert "Sync?" not in open_items


@pytest.mark.parametrize(
    ("line", "asked"),
    [
        ("compete - none known. partner - local msp does everything", "competing or third-party"),
        ("Compete: ChatGPT Enterprise, ~60 seats", "competing or third-party"),
        ("No competitors beyond Zimbra itself", "competing or third-party"),
        ("Migration source: n/a", "migration source"),
        ("mail is on Zimbra today, ~1,200 mailboxes", "migration source"),
        ("intranet moving off sp2016, partner doing it", "migration source"),
    ],
)
def test_an_item_a_note_line_answers_is_not_asked(line: str, asked: str) -> None:
    items = [
        OpenItem(text="Ask whether any competing or third-party products are in play.", agenda_item="f"),
        OpenItem(text="Ask what the migration source environment is.", agenda_item="g"),
    ]
    facts = contoso_facts(
        open_items=items, compete=[], migration_source=[], risks=[Fact(text=line, sources=src(4, line))]
    )
    body = render_drafts(contoso_engagement(), facts).follow_up.body
    assert asked not in "\n".join(_section(body, "Open items")).lower()


def test_an_item_no_note_line_answers_is_still_asked() -> None:  # counter-example
    items = [OpenItem(text="Ask what the migration source environment is.", agenda_item="g")]
    facts = contoso_facts(open_items=items, migration_source=[], compete=[])
    body = render_drafts(contoso_engagement(), facts).follow_up.body
    assert "- What is the migration source environment?" in body


# Valdemar's "compete: none known" is cited by no fact (a reader gap), so the drafts cannot see it yet.
@pytest.mark.parametrize(
    ("name", "answered"),
    [
        ("rfa-vientos-del-sur.txt", ("migration source", "competing")),  # Zimbra; "no competitors beyond Zimbra"
        ("rfa-kowhai-shorthand.txt", ("migration source", "competing")),  # "off sp2016"; "compete: zoom …"
        ("health-birchfield-shorthand.txt", ("competing",)),  # "compete - none known"
    ],
)
def test_the_reviewed_corpus_asks_nothing_its_notes_answer(name: str, answered: tuple[str, ...]) -> None:
    open_items = "\n".join(_section(of(CORPUS / name).drafts.follow_up.body, "Open items")).lower()
    assert not [a for a in answered if a in open_items], open_items


# ---------------------------------------------------------------- item 13: each fact once


def test_a_contact_the_intro_step_names_is_not_listed_again() -> None:
    body = of(EXAMPLES / "health-fabrikam-mfg.md").drafts.follow_up.body
    assert body.count("Ken Adams") == 1


def test_a_step_the_fm_and_a_field_member_share_is_one_line() -> None:
    steps = [
        ActionItem(action="review the migration plan", owner_role="FM", sources=src(7)),
        ActionItem(action="review the migration plan", owner="Tom Becker", sources=src(7)),
    ]
    body = follow_up_of(action_items=steps)
    assert body.count("review the migration plan") == 1
    assert "- Tom Becker and I – review the migration plan" in body


# ---------------------------------------------------------------- items 14/15: headings and clean text


def test_a_sentence_labelled_with_another_topic_goes_under_that_topic() -> None:
    text = (
        "Licenses: Business Premium today. Political: the CIO now reports to the CFO. "
        "Timeline: the Zimbra contract ends in April."
    )
    ftop = render_drafts(contoso_engagement(), contoso_facts(licenses=[Fact(text=text, sources=src(11, text))])).ftop
    assert "Political changes: The CIO now reports to the CFO." in ftop.text
    assert "Timeline: The Zimbra contract ends in April." in ftop.text
    assert "Licensing: Political" not in ftop.text and "Licensing: Timeline" not in ftop.text


@pytest.mark.parametrize(
    ("field", "text", "heading"),
    [
        ("political_changes", "Politics – new US president of the sub since Dec", "Political changes: New US"),
        ("political_changes", "Politics - gm retiring end of yr", "Political changes: Gm retiring"),
        ("licenses", "Licences – M365 E3 about 3 400", "Licensing: M365 E3"),
        ("partner", "Partenaire – Solutions Boréal on retainer", "Partner: Solutions Boréal"),
        ("compete", "Compétition – Slack chez les développeurs", "Competing products: Slack"),
    ],
)
def test_the_notes_own_label_is_not_echoed_under_its_heading(field: str, text: str, heading: str) -> None:
    item: Any = Fact(text=text, sources=src(3, text))
    if field == "compete":
        item = CompeteProduct(product="Slack", text=text, sources=src(3, text))
    ftop = render_drafts(contoso_engagement(), contoso_facts(**{field: [item]})).ftop
    assert f"- {heading}" in ftop.text


def test_a_fact_cut_inside_its_bracket_is_completed_from_its_note_line() -> None:
    line = "- compete: zoom for telehealth (clinical, staying)"
    cut = CompeteProduct(product="Zoom", text="Zoom for telehealth (clinical.", sources=src(12, line))
    facts = contoso_facts(compete=[cut])
    ftop = render_drafts(contoso_engagement(), facts).ftop.text
    assert "Zoom for telehealth (clinical, staying)" in ftop and "(clinical." not in ftop


def test_a_stray_question_mark_is_not_kept_in_a_step_or_the_intro() -> None:
    action = "send the intro to their CIO (Dr. Amos Feldman) + Dir of Desktop Eng (Sunita Rao-Kellerman) ?"
    d = render_drafts(contoso_engagement(customer_contacts=[]), contoso_facts(action_items=[
        ActionItem(action=action, owner="Priya Raman", sources=src(2, action))
    ]))  # fmt: skip
    for text in (d.follow_up.body, d.ftop.text, d.intro_request.email.body):
        assert "Rao-Kellerman) ?" not in text


# ---------------------------------------------------------------- item 16: the FM the notes name signs


@pytest.mark.parametrize("name", ["health-tidewater-teams-chat.txt", "rfa-hallett-rowe-outlook.txt"])
def test_the_fm_the_notes_name_signs_every_email(name: str) -> None:
    b = of(CORPUS / name)
    fm = next(a.name for a in b.facts.attendees if a.role == "FM" and a.name)
    for draft, email in emails(b.drafts):
        assert "[your name]" not in email.body, draft
    assert b.drafts.follow_up.body.rstrip().endswith(fm)


def test_the_fm_name_setting_wins_over_the_notes() -> None:
    b = of(CORPUS / "health-tidewater-teams-chat.txt", FTDRAFT_FM_NAME="Alex Morgan")
    assert b.drafts.follow_up.body.rstrip().endswith("Alex Morgan")


def test_without_an_fm_in_the_notes_the_placeholder_stays() -> None:  # counter-example
    assert of(EXAMPLES / "messy-woodgrove.txt").drafts.follow_up.body.rstrip().endswith("[your name]")


# ---------------------------------------------------------------- the corpus, counted as the bench counts it


@pytest.mark.parametrize("path", sorted(REVIEW.glob("*.txt"))[:1])
def test_the_review_notes_have_none_of_the_new_defects(path: Path) -> None:
    report = check_bundle(of(path))
    new = ("ftop_mention", "parked_promise", "raw_open", "broken_text", "fm_placeholder", "field_ask")
    assert {d: report.counts[d] for d in new} == dict.fromkeys(new, 0), report.examples


# ---------------------------------------------------------------- items 21/22: the CLI


@pytest.mark.parametrize(
    "context",
    [
        'customer: "Acme\\r\\nBcc: x@evil.example"\nmotion: RFA\n',
        'customer: "Acme Bcc: x@evil.example"\nmotion: RFA\n',
        'customer: "=?utf-8?q?Acme=0D=0ABcc:_x@evil.example?="\nmotion: RFA\n',
        'customer: Acme\naccount_team:\n  - name: "Priya\\nCc: x@evil.example"\n    role: ATS\n',
        'customer: Acme\naccount_team:\n  - name: "=?utf-8?b?UHJpeWEgPHhAZXZpbC5leGFtcGxlPg==?="\n    role: ATS\n',
    ],
)
def test_strict_fails_on_header_injection_from_the_context_file(
    context: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = tmp_path / "ctx.yaml"
    ctx.write_text(context, encoding="utf-8")
    code = cli.main(["draft", str(EXAMPLES / "rfa-contoso-pharma.md"), "--context", str(ctx), "--strict"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_CHECKS
    assert "header.injection in context" in err


def test_strict_passes_a_clean_context(capsys: pytest.CaptureFixture[str]) -> None:  # counter-example
    code = cli.main(
        ["draft", str(EXAMPLES / "rfa-contoso-pharma.md"), "--context", str(EXAMPLES / "contoso-context.yaml")]
    )
    assert code == 0 and "header.injection" not in capsys.readouterr().err


def test_the_reviewers_crlf_context_fails_strict(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["draft", str(EXAMPLES / "rfa-contoso-pharma.md"), "--context", str(REVIEW / "ctx_crlf.yaml"), "--strict"]
    assert cli.main(args) == cli.EXIT_CHECKS


@pytest.mark.parametrize("text", ["🎉🚀🔥 🙏👍\n😀😀😀\n", "!!! --- *** ???\n", "  ✓ ✓ ✓  \n\n→ → →\n"])
def test_notes_without_letters_or_digits_exit_2_with_a_message(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(text, encoding="utf-8")
    code = cli.main(["draft", str(notes), "--format", "markdown"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "no letters or digits" in err and "Traceback" not in err


def test_the_reviewers_emoji_notes_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["draft", str(REVIEW / "emoji.txt")]) == 2


def test_notes_with_emoji_and_words_still_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.txt"  # counter-example: emoji beside real notes are fine, in any script
    notes.write_text(
        "🎉 Kickoff with Contoso Pharma, ATS Priya Raman\nExchange Online: in progress 🚀\n", encoding="utf-8"
    )
    assert cli.main(["draft", str(notes), "--format", "json"]) == 0
    capsys.readouterr()
    notes.write_text("🎉 東京海上との打ち合わせ\n", encoding="utf-8")
    assert cli.main(["draft", str(notes), "--format", "json"]) == 0


# ---------------------------------------------------------------- item 13: the review's own repeats


def test_woodgrove_says_crowdstrike_and_the_tam_question_once() -> None:
    body = of(EXAMPLES / "messy-woodgrove.txt").drafts.follow_up.body
    assert body.lower().count("crowdstrike") == 1
    assert body.count("Who is the TAM") == 1 and "Confirm who the TAM is" not in body


def test_contoso_says_the_sync_add_and_the_routing_once() -> None:
    body = of(EXAMPLES / "rfa-contoso-pharma.md").drafts.follow_up.body
    assert body.lower().count("add me") == 1
    assert len(re.findall(r"\broute\b", body)) == 1


def test_the_repeat_check_finds_the_reviewed_repeats() -> None:  # the check itself can fail
    b = of(EXAMPLES / "messy-woodgrove.txt")
    body = b.drafts.follow_up.body
    body = body.replace("\nOpen items\n", "\nOpen items\n- Confirm who the TAM is. Answer from: Lena Fischer.\n")
    line = "- Defender: no plans for now: they use a competing product. Using crowdstrike, happy with it.\n"
    body = body.replace(line, line + "- Competing products: Defender: using crowdstrike.\n")
    body = body.replace("\nField team sync\n- ", "\nField team sync\n- Lena will add me to the sync. ")
    body = body.replace(
        "\nNext steps\n", "\nNext steps\n- Lena Fischer – add me to the Tuesday sync – Due: date to confirm\n"
    )
    b.drafts.follow_up.body = body
    assert check_bundle(b).counts["repeat"] == 3


@pytest.mark.parametrize(
    ("name", "arrow"),
    [("messy-woodgrove.txt", "march → everything on hold"), ("rfa-contoso-pharma.md", "Drive → OneDrive later")],
)
def test_the_notes_arrow_is_kept_where_the_reader_made_it_a_dash(name: str, arrow: str) -> None:
    d = of(EXAMPLES / name).drafts
    assert arrow in d.ftop.text
    assert arrow.replace("→", "-") not in d.ftop.text + d.follow_up.body


# ---------------------------------------------------------------- item 11: who answers, when the notes say


@pytest.mark.parametrize(
    ("name", "question", "who"),
    [
        ("health-sakuragawa-onenote.txt", "JP HQ tenant vs US tenant?", "Kenji"),  # "(Kenji checking)"
        ("health-osprey-county.md", "sheriff's office might run its own tenant", "Nikhil"),  # his step
    ],
)
def test_an_open_item_names_who_answers_it_when_the_notes_do(name: str, question: str, who: str) -> None:
    open_items = _section(of(CORPUS / name).drafts.follow_up.body, "Open items")
    line = next(x for x in open_items if question in x)
    assert f"Answer from: {who}" in line and "Who can answer" not in line


def test_a_step_on_another_subject_names_no_answerer() -> None:  # counter-example
    item = OpenItem(text="Is Dunmore still on its own tenant?", sources=src(6, "Is Dunmore still on its own tenant?"))
    step = ActionItem(action="route the Copilot Studio ask to the specialists", owner="Tom Becker", sources=src(7))
    body = follow_up_of(open_items=[item], action_items=[step])
    assert "- Is Dunmore still on its own tenant? Who can answer this?" in body


def test_a_competitor_sentence_in_a_licensing_fact_goes_under_competing_products() -> None:
    text = "Business Premium today. No competitors beyond Zimbra itself; Google Meet with partners."
    ftop = render_drafts(contoso_engagement(), contoso_facts(licenses=[Fact(text=text, sources=src(11, text))])).ftop
    assert "- Competing products: No competitors beyond Zimbra itself" in ftop.text
    assert "Licensing: No competitors" not in ftop.text


@pytest.mark.parametrize(
    ("note", "placeholder"),
    [(CORPUS / "health-tidewater-teams-chat.txt", False), (EXAMPLES / "rfa-contoso-pharma.md", True)],
    ids=["the notes name the FM", "nobody names the FM"],
)
def test_the_unknown_fm_flag_only_when_the_drafts_show_the_placeholder(note: Path, placeholder: bool) -> None:
    bundle = build_bundle(note.read_text(encoding="utf-8"), engine="offline", settings=Settings(_env_file=None))
    shown = "[your name]" in bundle.drafts.model_dump_json()
    flagged = any(f.field == "engagement.fm.name" for f in bundle.facts.flags)
    assert (shown, flagged) == (placeholder, placeholder)
