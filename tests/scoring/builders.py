"""Build RatingInputs for scoring tests from short row lists (dates as ISO strings)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from scoring.engine import RECORD_COLUMNS, RatingInputs

COLUMNS = {
    "companies": ["credit_code", "name"],
    "communities": ["community_id", "name", "households"],
    "contracts": ["community_id", "credit_code", "start_date", "end_date"],
    **RECORD_COLUMNS,  # the engine's own list of the record kinds' columns
}
DATES = {"start_date", "end_date", "inspected_on", "rectify_by", "rectified_on", "received_on", "due_on",
         "resolved_on", "decided_on", "awarded_on", "occurred_on"}


def frame(kind: str, rows: list[dict[str, Any]] | None) -> pd.DataFrame:
    columns = COLUMNS[kind]
    data = pd.DataFrame([{c: r.get(c) for c in columns} for r in (rows or [])], columns=columns)
    for col in columns:
        if col in DATES:
            data[col] = pd.to_datetime(data[col]).astype("datetime64[s]")
        elif col in ("substantiated", "refunded"):
            data[col] = data[col].astype(object).where(data[col].notna(), False).astype(bool)
        elif col in ("households", "amount_yuan"):
            data[col] = pd.to_numeric(data[col]).astype(float)
        else:
            data[col] = data[col].astype(object)
    return data


def inputs(**kinds: list[dict[str, Any]]) -> RatingInputs:
    return RatingInputs(**{kind: frame(kind, kinds.get(kind)) for kind in COLUMNS})
