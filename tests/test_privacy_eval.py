"""Privacy evaluation: planted violations are caught (recall), the samples and clean sentences raise nothing (false
alarms), and violations planted in the NOTES never reach a field-facing or customer-facing offline draft."""

from __future__ import annotations

import pytest
from guard_support import EXAMPLES, load_samples, privacy_eval

from ftdraft import guards
from ftdraft.pipeline import build_bundle


@pytest.fixture(scope="module")
def result() -> dict:  # type: ignore[type-arg]
    return privacy_eval(load_samples())


def test_every_planted_violation_is_caught(result: dict) -> None:  # type: ignore[type-arg]
    assert result["planted"] >= 90
    assert result["recall"] == 1.0, result["missed"]


def test_no_false_alarms_on_the_samples_or_clean_sentences(result: dict) -> None:  # type: ignore[type-arg]
    assert result["samples"] >= 3 and result["clean_tried"] >= 40
    assert result["false_alarms"] == []


# Lines an FM might type into the notes: FTOP and usage-report data that must stay internal.
NOTE_PLANTS = {
    "usage": "- usage report: Teams 12% active users, SharePoint 340 MAU, OneDrive 41% enabled users",
    "ftop": "- FTOP: L1 = Blocked, L2 = Customer IT Infrastructure and Remediation (exported from FTOP)",
    "forecast": "- forecast: 4,000 Teams seats by Q3",
    "risk": "- internal risk: renewal at risk, escalation possible, churn risk",
    "compete": "- compete: Slack used by 800 engineers, Okta for identity",
    "intent": "- Teams: only 12% active users per the FT usage report; the proxy blocks media at 3 plants",
    "licenses": "- licenses: 6,500 E3, utilization 41% per usage report",
}
FIELD_FORBIDDEN = ("12%", "340 MAU", "41%", "active users", "L1 =", "L2 =", "exported from FTOP")
CUSTOMER_FORBIDDEN = (*FIELD_FORBIDDEN, "forecast", "4,000", "renewal", "escalation", "churn", "slack", "okta",
                      "blocked", "ftop", "usage")  # fmt: skip


@pytest.mark.parametrize("example", [p.name for p in EXAMPLES])
def test_violations_planted_in_the_notes_never_reach_the_field(example: str) -> None:
    notes = (EXAMPLES[0].parent / example).read_text(encoding="utf-8")
    lines = notes.splitlines()
    planted = "\n".join([*lines[:3], *NOTE_PLANTS.values(), *lines[3:]]) + "\n"
    bundle = build_bundle(planted, engine="offline")
    leaks = []
    for part in guards.iter_parts(bundle.drafts):
        low = part.text.lower()
        if part.audience == "account_team":
            leaks += [(part.draft, part.label, f) for f in FIELD_FORBIDDEN if f.lower() in low]
        elif part.audience == "customer":
            leaks += [(part.draft, part.label, f) for f in CUSTOMER_FORBIDDEN if f.lower() in low]
    assert leaks == []
    assert not [c for c in bundle.checks if c.rule.startswith("audience.")], bundle.checks
    assert bundle.drafts.follow_up.body.strip()  # the rest of the notes still drafted
