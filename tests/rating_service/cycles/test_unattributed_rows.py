"""The cycle's unattributed records, found by their position in the engine's records frame, equal the
reference lookup by record id, on random worlds."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings

from rating_service.cycles import service as cycles
from scoring.engine import EVENT_DATE, RECORD_KINDS, RatingInputs, RatingResult
from tests.scoring.builders import inputs
from tests.scoring.test_properties import World, rate, worlds


def _reference(result: RatingResult, built: RatingInputs) -> list[tuple[Any, ...]]:
    """The lookup by record id the service did before (every row of the kind with a flagged id)."""
    found = result.unattributed
    rows: list[tuple[Any, ...]] = []
    for kind in RECORD_KINDS:
        ids = found.loc[found["kind"] == kind, "record_id"].astype(str)
        if ids.empty:
            continue
        frame = built.frame(kind)
        picked = frame[frame["record_id"].astype(str).isin(set(ids))]
        communities = picked["community_id"] if "community_id" in picked else pd.Series([None] * len(picked))
        for record_id, community, day in zip(picked["record_id"], communities, picked[EVENT_DATE[kind]],
                                             strict=True):
            rows.append((kind, str(record_id), None if pd.isna(community) else str(community),
                         None if pd.isna(day) else pd.Timestamp(day).date()))
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds())
def test_unattributed_rows_by_position_equal_the_lookup_by_id(world: World) -> None:
    built = inputs(**world)
    result = rate(built)
    assert cycles._unattributed_rows(result, built) == _reference(result, built)
