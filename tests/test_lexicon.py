"""The rules' vocabulary agrees with the schema: every L2 reason a rule can name is one of its L1 status's reasons."""

from __future__ import annotations

import pytest

from ftdraft import lexicon as lx
from ftdraft.schemas import REASONS_BY_STATUS


@pytest.mark.parametrize(
    ("status", "table"),
    [
        ("Blocked", lx.BLOCKED_REASONS),
        ("No Intent", lx.NO_INTENT_REASONS),
        ("In Progress", lx.IN_PROGRESS_REASONS),
    ],
)
def test_every_reason_a_rule_names_fits_its_status(status: str, table: tuple) -> None:  # type: ignore[type-arg]
    named = [reason for reason, _cue in table]
    assert named, "each status has rules"
    assert set(named) <= set(REASONS_BY_STATUS[status]), set(named) - set(REASONS_BY_STATUS[status])
