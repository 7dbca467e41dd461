"""Reader behaviour the other extraction tests left open, found by mutation testing (issue 15, bench/mutation.py):
the customer's asks (agenda m): what each ask says, whether it is in FastTrack's scope, and who routes it."""

from __future__ import annotations

import re
from datetime import date

from ftdraft.extract import extract_facts, split_lines
from ftdraft.extract.intent_reader import CuePattern, classify_text
from ftdraft.extract.open_items import PrefixedCues
from ftdraft.extract.spans import Span, find_emails
from ftdraft.schemas import Engagement, Person

TEAM = Engagement(
    customer="Contoso",
    account_team=[
        Person(name="Priya Raman", role="ATS", email="priya@contoso.com"),
        Person(name="Tom Becker", role="TAM"),
    ],
)

ASKS_NOTES = """Contoso - call 2026-11-18
Attendees: Priya Raman (ATS), Tom Becker (TAM)
Asks: help with the Teams rollout - before March; also a Copilot licensing deal
m. Asks: Copilot Studio agents, out of FastTrack scope - Priya will route to the partner team
Asks: none
- Customer asked about Teams Phone for the depots, not in FT scope
"""


def test_asks_say_what_was_asked_whether_fasttrack_covers_it_and_who_routes_it() -> None:
    _, facts = extract_facts(ASKS_NOTES, TEAM)
    assert [(a.text, a.in_scope, a.routed_to, a.sources[0].lines) for a in facts.asks] == [
        ("Help with the Teams rollout.", True, None, [3]),  # the ask, not its timing or the next ask
        ("Copilot Studio agents, out of FastTrack scope.", False, "Priya Raman", [4]),
        ("Customer asked about Teams Phone for the depots, not in FT scope.", False, None, [6]),
    ]  # "Asks: none" is no ask
    for ask in facts.asks:
        assert ask.sources[0].text == ASKS_NOTES.splitlines()[ask.sources[0].lines[0] - 1]


def test_no_asks_in_the_notes_means_none() -> None:
    notes = "Contoso - call 2026-11-18\nAttendees: Priya Raman (ATS)\nAsks: n/a\n- Teams rollout, intent is real\n"
    assert extract_facts(notes, TEAM)[1].asks == []


# ---------------------------------------------------------------- action owners: the forms the FM writes

HEAD = "Contoso sync 2026-11-18\n"
PAIR = Engagement(
    customer="Contoso",
    account_team=[Person(name="Nadia Brooks", role="ATS"), Person(name="Omar Haddad", role="TAM")],
)


def _actions(notes: str) -> list[tuple[str | None, str, date | None, str | None, list[int]]]:
    _, facts = extract_facts(HEAD + notes, PAIR)
    return [(a.owner, a.action, a.due, a.due_text, a.sources[0].lines) for a in facts.action_items]


def test_two_sentences_with_one_owner_are_one_action_of_the_whole_line() -> None:
    # only the first sentence opens with its owner: the second is part of her action, not an action of its own
    assert _actions("Actions:\n- Nadia: send the intro to Omar. Deck by Friday.\n") == [
        ("Nadia Brooks", "send the intro to Omar. Deck", date(2026, 11, 20), "by Friday", [3])
    ]
    # no sentence opens with an owner: the line is one unowned action, kept with its due
    assert _actions("Actions:\n- send the deck to Nadia and Omar. by friday\n") == [
        (None, "send the deck to Nadia and Omar", date(2026, 11, 20), "by friday", [3])
    ]


def test_the_owner_after_an_arrow_is_the_one_named_right_after_it() -> None:
    # Omar, named before the arrow, is who the deck goes to; Nadia, right after it, owns it, due the day after her
    assert _actions("Actions:\n- send Omar the deck -> Nadia, Friday\n") == [
        ("Nadia Brooks", "send Omar the deck", date(2026, 11, 20), "Friday", [3])
    ]


def test_a_due_after_the_owner_is_read_with_the_notes_day_first_habit_and_flagged_at_its_line() -> None:
    _, facts = extract_facts(
        HEAD + "Actions:\n- send the deck -> Nadia, 3/12\n- Omar to confirm the count by 13/12\n", PAIR
    )
    deck = facts.action_items[0]
    assert (deck.owner, deck.action, deck.due, deck.due_text) == (
        "Nadia Brooks",
        "send the deck",
        date(2026, 12, 3),
        "3/12",
    )
    flag = next(f for f in facts.flags if "'3/12'" in f.message)
    assert (
        flag.message
        == "'3/12' could be 2027-03-12 (month first) or 2026-12-03 (day first); read as 2026-12-03: check it."
    )
    assert [s.lines for s in flag.sources] == [[3]]


def test_a_table_row_owner_in_parentheses_takes_the_due_from_its_own_cell() -> None:
    table = "| Action | Owner | Due |\n|---|---|---|\n| send the deck (Nadia) | | Friday |\n"
    assert _actions(table) == [("Nadia Brooks", "send the deck", date(2026, 11, 20), "Friday", [4])]


def test_a_short_action_under_a_topic_label_says_its_topic_and_a_longer_one_does_not() -> None:
    notes = "- Licenses: Nadia to confirm the E3 seat count\n- Licenses: Omar to confirm the final E3 seat count\n"
    assert [(owner, action) for owner, action, *_ in _actions(notes)] == [
        ("Nadia Brooks", "confirm the E3 seat count (licenses)"),  # five words: which count needs its label
        ("Omar Haddad", "confirm the final E3 seat count"),  # six words say it on their own
    ]


# ---------------------------------------------------------------- sync owner


def _sync(notes: str) -> tuple[str, str | None, str | None, str | None]:
    sync = extract_facts(HEAD + notes, PAIR)[1].sync_rhythm
    assert sync is not None
    return sync.kind, sync.cadence, sync.weekday, sync.owner


def test_an_organizer_label_names_the_sync_owner_even_when_not_an_attendee() -> None:
    assert _sync("Sync organizer: Amara Osei\n- weekly account sync on Tuesdays\n") == (
        "propose",
        "weekly",
        "TU",
        "Amara Osei",
    )


def test_i_in_danish_is_the_fm_in_the_notes_and_the_speaker_in_a_chat() -> None:
    assert _sync("- ugentlig synk om tirsdagen, jeg sender invitationen\n")[3] == "FM"  # "I send the invite"
    chat = "Teams chat\n[11/18/2026 10:02 AM] Omar Haddad: ugentlig synk om tirsdagen, jeg sender invitationen\n"
    assert _sync(chat)[3] == "Omar Haddad"
    assert _sync("Teams chat\n[11/18/2026 10:02 AM] Omar Haddad: weekly account sync on Tuesdays (jeg)\n")[3] == (
        "Omar Haddad"
    )
    swedish = "Teams chat\n[11/18/2026 10:02 AM] Omar Haddad: veckovis synk på tisdagar, jag skickar inbjudan\n"
    assert _sync(swedish)[3] == "Omar Haddad"  # "jag": the speaker


def test_a_full_name_closing_a_sync_line_owns_it_even_when_not_an_attendee() -> None:
    assert _sync("- weekly sync on Tuesdays (Amara Osei)\n") == ("propose", "weekly", "TU", "Amara Osei")


def test_a_role_title_before_an_ellipsis_names_the_sync_owner_not_a_name_after_it() -> None:
    # "the TAM runs it with Nadia and will add me": the TAM (Omar) adds the FM
    assert _sync("- weekly call on Tuesdays: the TAM runs it with Nadia and will add me\n")[3] == "Omar Haddad"


def test_an_unknown_setter_leaves_the_sync_to_the_person_named_before_it() -> None:
    # "me" before the setter is the FM, who is never the one to add the FM: Omar is
    assert _sync("- weekly sync on Tuesdays: Omar told me the project lead will send the invite\n")[3] == (
        "Omar Haddad"
    )
    assert _sync("- Omar told me about the team lead's weekly call on Tuesdays\n")[3] == "Omar Haddad"
    # the person named before the setter, not one named after it
    late = "- weekly sync on Tuesdays: Omar told me the project lead will send the invite to Nadia\n"
    assert _sync(late)[3] == "Omar Haddad"


def test_the_fm_named_in_full_as_the_setter_is_the_fm() -> None:
    engagement = PAIR.model_copy(update={"fm": Person(name="Astrid Holm", role="FM")})
    sync = extract_facts(HEAD + "- Astrid Holm sends the invite for a weekly sync on Tuesdays\n", engagement)[1]
    assert sync.sync_rhythm is not None and sync.sync_rhythm.owner == "FM"


def test_the_fm_owns_a_proposed_sync_named_for_them_but_not_an_existing_one_they_run() -> None:
    assert _sync("- Nadia mentioned the FM's weekly call on Tuesdays\n") == ("propose", "weekly", "TU", "FM")
    # the FM already runs it: there is nobody to add the FM, so no owner
    assert _sync("- the FM runs a weekly call on Tuesdays\n") == ("join_existing", "weekly", "TU", None)
    assert _sync("- FM has a weekly call on Tuesdays\n")[3] is None


def _rhythm(notes: str) -> tuple[list[str], str | None]:
    sync = extract_facts(HEAD + notes, PAIR)[1].sync_rhythm
    assert sync is not None
    return list(sync.days), sync.time


def test_a_day_after_not_is_no_meeting_day() -> None:
    assert _rhythm("- weekly call, not on Mondays, Tuesdays work for everyone\n") == (["TU"], None)
    assert _rhythm("- weekly sync: Tuesdays, not Mondays\n") == (["TU"], None)


def test_half_past_twelve_am_is_half_past_midnight() -> None:
    assert _rhythm("- weekly sync on Tuesdays at 12:30 am UTC\n") == (["TU"], "00:30")


def test_a_topic_label_gives_its_whole_body_to_that_topic() -> None:
    # the label says the line is about licenses: every sentence after it is the licenses fact
    facts = extract_facts(HEAD + "- Licenses: 1,200 E3. Teams rollout next month.\n", PAIR)[1]
    assert [f.text for f in facts.licenses] == ["1,200 E3. Teams rollout next month."]


def test_a_person_after_our_mid_sentence_is_no_owner() -> None:
    # "check whether our TAM will join": the FM's own check, not the TAM's commitment
    assert _actions("Actions:\n- check whether our TAM will join the kickoff\n") == [
        (None, "check whether our TAM will join the kickoff", None, None, [3])
    ]


# ---------------------------------------------------------------- @mentions, bare first words, surnames


def test_an_at_mention_asked_to_act_owns_the_action_and_a_question_to_them_is_none() -> None:
    assert _actions("- @Omar can you send the deck by Friday?\n") == [
        ("Omar Haddad", "send the deck", date(2026, 11, 20), "by Friday", [2])
    ]
    assert _actions("- @Omar what about the deck?\n") == []  # a question to Omar, not a task


def test_two_at_mentions_on_one_line_each_own_their_part() -> None:
    assert _actions("- @Omar send the deck, @Nadia book the room\n") == [
        ("Omar Haddad", "send the deck", None, None, [2]),
        ("Nadia Brooks", "book the room", None, None, [2]),
    ]


def test_an_unknown_word_then_a_space_is_no_owner_on_an_action_line() -> None:
    # "Xavier send …", "Kasia checks …": nobody of that name is on the call, so the line is an unowned action
    assert _actions("Actions:\n- Xavier send the deck\n") == [(None, "Xavier send the deck", None, None, [3])]
    assert _actions("Actions:\n- Kasia checks the licence count\n") == [
        (None, "Kasia checks the licence count", None, None, [3])
    ]


def test_a_surname_alone_names_the_attendee() -> None:
    assert _actions("Actions:\n- Brooks to send the deck by Friday\n") == [
        ("Nadia Brooks", "send the deck", date(2026, 11, 20), "by Friday", [3])
    ]


def test_an_attendee_s_address_written_beside_them_is_theirs() -> None:
    notes = "Attendees: Priya Raman (ATS) priya.raman@contoso.com, Omar Haddad (TAM)\n"
    attendees = extract_facts(HEAD + notes, Engagement())[1].attendees
    assert [(a.name, a.role, a.email) for a in attendees] == [
        ("Priya Raman", "ATS", "priya.raman@contoso.com"),
        ("Omar Haddad", "TAM", None),
    ]


# ---------------------------------------------------------------- partner, emphasis, open items


def test_the_partner_line_is_the_partner_fact() -> None:
    facts = extract_facts(HEAD + "- Partner: Andes Nube runs the migration\n", PAIR)[1]
    assert [(f.text, f.sources[0].lines) for f in facts.partner] == [("Andes Nube runs the migration.", [2])]


def test_an_emphasised_workload_label_is_read_without_its_stars() -> None:
    facts = extract_facts(HEAD + "- *Teams*: blocked by the proxy\n", PAIR)[1]
    assert [(i.workload, i.status, i.note) for i in facts.intents] == [("Teams", "Blocked", "By the proxy.")]


def _open(notes: str) -> list[str]:
    return [o.text for o in extract_facts(HEAD + notes, PAIR)[1].open_items if o.agenda_item is None]


def test_an_inline_question_leaves_its_line_open() -> None:
    assert _open("- Licenses: E3 (count?)\n") == ["Confirm: Licenses: E3 (count?)"]


def test_an_open_clause_says_confirm_unless_it_already_asks() -> None:
    assert _open("- Partner: maybe Andes Nube, not confirmed\n") == [
        "Confirm: Partner: maybe Andes Nube, not confirmed."
    ]
    assert _open("- Notes: check the licence count with Omar\n") == ["Notes: check the licence count with Omar."]


def test_a_workload_in_scope_the_call_did_not_discuss_asks_agenda_c_for_it() -> None:
    notes = "RFA 4471 for Teams and Intune\n- Teams: in progress, pilot with 200 users\n"
    facts = extract_facts(HEAD + notes, PAIR)[1]
    assert [(o.text, o.agenda_item) for o in facts.open_items if o.agenda_item == "c"] == [
        (
            "Confirm the customer's intent for Intune (in scope, not discussed on the call), and why if it is blocked"
            " or has no intent.",
            "c",
        )
    ]


def test_two_actions_of_one_owner_on_one_topic_in_the_same_part_are_both_kept() -> None:
    # only a later part (a reply, a correction) overrides an action: the same notes saying two things keep both
    assert [
        (o, a, d)
        for o, a, _, d, _ in _actions(
            "Actions:\n- Nadia to send the deck by Friday\n- Nadia to send the deck to Omar by Monday\n"
        )
    ] == [
        ("Nadia Brooks", "send the deck", "by Friday"),
        ("Nadia Brooks", "send the deck to Omar", "by Monday"),
    ]


def test_a_lowercase_customer_in_the_title_is_capitalised_word_by_word() -> None:
    engagement, _ = extract_facts("larkspur foods – AT sync 2026-11-18\n- Teams in progress\n", Engagement())
    assert (engagement.customer, engagement.call_date) == ("Larkspur Foods", date(2026, 11, 18))


def test_the_fta_role_title_names_the_attendee_in_that_role() -> None:
    notes = "Attendees: Jo Dunleavy (FTA), Priya Raman (ATS)\nActions:\n- FTA to send the tech plan\n"
    actions = extract_facts(HEAD + notes, Engagement())[1].action_items
    assert [(a.owner, a.owner_role, a.action) for a in actions] == [("Jo Dunleavy", "FTA", "send the tech plan")]


def _team_flags(notes: str) -> list[tuple[str, str, list[list[int]]]]:
    flags = extract_facts(HEAD + notes, Engagement())[1].flags
    return [(f.field, f.message, [s.lines for s in f.sources]) for f in flags if f.field.startswith("account_team")]


def test_a_missing_ats_and_an_unnamed_tam_are_flagged_each_in_its_own_words() -> None:
    assert _team_flags("Attendees: Tom Becker (TAM)\n") == [
        ("account_team.ATS", "No ATS named in the notes or the roster.", [])
    ]
    assert _team_flags("Attendees: Priya Raman (ATS)\nTAM: TBD\n") == [
        ("account_team.TAM", "The TAM's name is unknown: ask the account team.", [[3]])  # where the notes say so
    ]


# ---------------------------------------------------------------- cue pre-checks decide nothing the regex would not

CUE_TEXTS = [
    "call back on Friday",
    "call-back later",
    "callback",
    "follow up with Omar",
    "follow-up next week",
    "not sure who owns it",
    "scope not confirmed",
    "licences tbd",
    "who owns Teams?",
    "who owns Intune now",
    "zoom rollout next month",
    "the slack pilot",
    "intune is blocked by the proxy",
    "",
]


def test_prefixed_cues_find_exactly_what_the_whole_pattern_finds() -> None:
    # character classes holding "|" and groups holding alternatives are one alternative each
    pattern = (
        r"call[ |-]?back|follow[- ]?up|not (?:sure|confirmed)|\btbd\b|(?:zoom|slack) (?:rollout|pilot)"
        r"|who owns \w+\?|who owns \w+ now"  # two alternatives behind one start, "who owns "
    )
    cues = PrefixedCues(pattern)
    for text in CUE_TEXTS:
        assert cues.found(text.lower()) == bool(re.search(pattern, text, re.IGNORECASE)), text


def test_a_cue_pattern_reads_case_blind_and_rules_out_a_text_holding_none_of_its_starts() -> None:
    cue = CuePattern(r"zoom (?:rollout|pilot)|slack (?:pilot|trial)")
    assert cue.regex().search("Zoom Rollout next month") is not None
    single = CuePattern(r"zoom rollout")  # one literal start
    assert single.may_match("the zoom rollout") and not single.may_match("intune is blocked by the proxy")
    assert not cue.may_match("intune is blocked by the proxy")  # neither "zoom " nor "slack " occurs
    for text in CUE_TEXTS:
        if cue.regex().search(text):
            assert cue.may_match(text.lower()), text


# ---------------------------------------------------------------- note lines


def test_mail_headers_pasted_mid_notes_are_not_note_lines_and_the_subject_is_a_header() -> None:
    notes = (
        HEAD
        + "- Teams pilot next month\nTo: Sam Okafor; Mia Laurent; Priya Raman; Tom Becker\nSubject: FastTrack intro\n"
        "- Intune blocked by the proxy\n"
    )
    assert [(line.no, line.text, line.header) for line in split_lines(notes)] == [
        (1, "Contoso sync 2026-11-18", True),
        (2, "Teams pilot next month", False),
        (4, "Subject: FastTrack intro", True),  # names the call; answers nothing
        (5, "Intune blocked by the proxy", False),
    ]


def test_a_table_of_unknown_columns_reads_as_its_titled_cells() -> None:
    notes = HEAD + "| Topic | Detail |\n|---|---|\n| Licenses | 1,200 E3 |\n"
    assert [(line.no, line.text) for line in split_lines(notes)][1:] == [(4, "Topic: Licenses; Detail: 1,200 E3")]


# ---------------------------------------------------------------- intents


def _intents(notes: str) -> list[tuple[str, str, str | None]]:
    return [(i.workload, i.status, i.reason) for i in extract_facts(HEAD + notes, PAIR)[1].intents]


def test_a_workload_named_after_the_scope_list_keeps_what_the_sentence_says_of_it() -> None:
    # "(devices)" closes Intune's mention; "and later Teams, blocked by the proxy" is said of Teams
    assert _intents("- the red areas were Intune (devices) and later Teams, blocked by the proxy\n") == [
        ("Intune", "Status Unknown", None),
        ("Teams", "Blocked", "Customer IT Infrastructure and Remediation"),
    ]


def test_a_sentence_is_about_the_workload_it_leads_with_within_three_words() -> None:
    # "they said the Teams rollout …": Teams, three words in, leads; SharePoint Online, named later, is only next
    assert _intents("- they said the Teams rollout is in progress with SharePoint Online next\n") == [
        ("Teams", "In Progress", "Technical Onboarding and Deployment")
    ]


def test_a_chat_poster_s_first_name_is_that_poster_and_the_fm_s_is_the_fm() -> None:
    engagement = Engagement(
        customer="Contoso",
        fm=Person(name="Astrid Holm", role="FM"),
        account_team=[Person(name="Omar Haddad", role="TAM")],
    )
    chat = (
        "Teams chat\n[11/18/2026 10:02 AM] Astrid Holm: kicking off\n[11/18/2026 10:03 AM] Kofi Mensah: hi all\n"
        "[11/18/2026 10:05 AM] Omar Haddad: Astrid to send the recap by Friday. Kofi to send the deck\n"
    )
    facts = extract_facts(chat, engagement)[1]
    assert [(a.owner, a.owner_role, a.action) for a in facts.action_items] == [
        ("Astrid Holm", "FM", "send the recap"),
        ("Kofi Mensah", None, "send the deck"),  # a poster in the chat: known, not flagged
    ]
    assert not [f for f in facts.flags if "not among the attendees" in f.message]


def test_owners_after_an_arrow_each_get_the_action_and_a_closing_full_stop_changes_nothing() -> None:
    assert _actions("Actions:\n- send the deck -> Nadia and Omar, Friday\n") == [
        ("Nadia Brooks", "send the deck", date(2026, 11, 20), "Friday", [3]),
        ("Omar Haddad", "send the deck", date(2026, 11, 20), "Friday", [3]),
    ]
    assert _actions("Actions:\n- send the deck -> Nadia.\n") == [("Nadia Brooks", "send the deck", None, None, [3])]


def test_a_name_in_parentheses_that_is_not_all_they_say_is_no_owner() -> None:
    # "(ask Nadia first)": who to ask, not who does it
    assert _actions("Actions:\n- send the deck (ask Nadia first)\n") == [
        (None, "send the deck (ask Nadia first)", None, None, [3])
    ]


def test_a_plural_day_closing_a_sentence_is_the_meeting_day() -> None:
    assert _rhythm("- account call Tuesdays.\n") == (["TU"], None)


def test_an_attendee_line_after_a_pasted_mail_is_the_notes_again() -> None:
    notes = (
        HEAD + "- Teams pilot next month\n\n-----Original Message-----\nFrom: Sam Okafor <sam@contoso.com>\n"
        "Sent: Tuesday, November 17, 2026 4:12 PM\nSubject: agenda\n\nHi all, see you tomorrow.\n\n"
        "Attendees: Priya Raman (ATS), Tom Becker (TAM)\n"
    )
    attendees = extract_facts(notes, Engagement())[1].attendees
    assert [(a.name, a.role) for a in attendees] == [("Priya Raman", "ATS"), ("Tom Becker", "TAM")]


def test_every_sentence_of_an_unlabelled_line_on_a_topic_is_kept_in_order() -> None:
    facts = extract_facts(HEAD + "- We have 1,200 E3 licences. Also 300 E5 licences.\n", PAIR)[1]
    assert [f.text for f in facts.licenses] == ["We have 1,200 E3 licences. Also 300 E5 licences."]


def test_a_lowercase_short_form_given_in_a_roster_names_that_person() -> None:
    # "pk" is no one's initials: only the roster's "ats pk (hollis brandt)" says who it is
    notes = HEAD + "ats pk (hollis brandt), csm rk (reza karimi)\n- pk to send the deck\n"
    actions = extract_facts(notes, Engagement())[1].action_items
    assert [(a.owner, a.action) for a in actions] == [("Hollis Brandt", "send the deck")]


def test_an_action_said_in_passing_and_again_in_the_action_list_is_one_action() -> None:
    # "centre" and "center": the same word to the reader (words compared by their first four letters)
    notes = "- Logistics: Nadia to book the training centre\nActions:\n- Nadia to book the training center by Friday\n"
    assert _actions(notes) == [("Nadia Brooks", "book the training center", date(2026, 11, 20), "by Friday", [4])]


def test_a_customer_contact_keeps_the_job_title_the_notes_give() -> None:
    engagement, _ = extract_facts(HEAD + "- met the IT director Mark Olsen, he wants Teams first\n", PAIR)
    assert [(p.name, p.role, p.title, p.sources[0].lines) for p in engagement.customer_contacts] == [
        ("Mark Olsen", "customer", "IT director", [2])
    ]


def test_a_customer_name_starting_with_x_keeps_its_x() -> None:
    engagement, _ = extract_facts("Xerox – AT sync 2026-11-18\n- Teams in progress\n", Engagement())
    assert engagement.customer == "Xerox"  # only decoration (emoji, *, _, #, ~) is taken off a title


def test_a_political_change_typed_by_the_fm_is_the_political_changes_fact() -> None:
    facts = extract_facts(HEAD + "- Teams in progress\n", Engagement(), {"k": "New CIO since October"})[1]
    assert [f.text for f in facts.political_changes] == ["New CIO since October."]


def test_an_explicit_status_and_reason_label_is_read_as_explicit() -> None:
    reading = classify_text("In Progress / Migration", "Exchange Online")
    assert (reading.status, reading.reason, reading.explicit) == ("In Progress", "Migration", True)


def test_an_email_span_says_where_the_address_is() -> None:
    assert find_emails("mail nadia.brooks@contoso.com today") == (
        Span("EMAIL", 5, 29, "nadia.brooks@contoso.com", "nadia.brooks@contoso.com"),
    )
