"""scoring.amend: record decisions applied to input frames, without touching the frames they came from."""

from __future__ import annotations

import pandas as pd

from scoring.amend import RecordDecision, amended_inputs
from tests.scoring.builders import inputs

COMPLAINTS = [
    {"record_id": "GD-1", "received_on": "2025-03-01", "community_id": "C1", "credit_code": "A", "substantiated": True},
    {"record_id": "GD-2", "received_on": "2025-04-01", "community_id": "C1", "credit_code": "A", "substantiated": True,
     "resolved_on": "2025-04-10"},
]
INSPECTIONS = [{"record_id": "XC-1", "inspected_on": "2025-05-01", "community_id": "C1", "credit_code": "A",
                "severity": "严重"}]


def test_void_drops_the_row_amend_sets_the_fields_keep_changes_nothing() -> None:
    before = inputs(complaints=COMPLAINTS, inspections=INSPECTIONS)
    after = amended_inputs(before, [
        RecordDecision("complaints", "GD-1", "void"),
        RecordDecision("complaints", "GD-2", "amend", {"substantiated": False, "resolved_on": None}),
        RecordDecision("inspections", "XC-1", "amend", {"severity": "一般"}),
        RecordDecision("inspections", "XC-1", "keep"),
    ])
    assert list(after.complaints["record_id"]) == ["GD-2"]
    assert not bool(after.complaints["substantiated"].iloc[0])
    assert pd.isna(after.complaints["resolved_on"].iloc[0])
    assert list(after.inspections["severity"]) == ["一般"]
    assert after.companies is before.companies  # frames without decisions are the same objects
    assert list(before.complaints["record_id"]) == ["GD-1", "GD-2"]  # the inputs are not changed
    assert list(before.inspections["severity"]) == ["严重"]


def test_no_decisions_leave_the_inputs_as_they_are() -> None:
    before = inputs(complaints=COMPLAINTS)
    after = amended_inputs(before, [RecordDecision("complaints", "GD-1", "keep")])
    assert after.complaints is before.complaints
