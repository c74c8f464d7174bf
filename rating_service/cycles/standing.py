"""The cycle as it stands now: its frozen snapshot with every record decision taken so far, and its frozen constants.

Appeal decisions void or amend records of a publicized cycle; the cycle's stored snapshot never changes, so what
the cycle "is" after them is the snapshot with the decisions applied (``scoring.amend``), rated with the constants
(R0) frozen at compute. Deciding an appeal, the public disclosure and validation all read the cycle from here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy.orm import Session

from rating_service.appeals import repository as appeals_repo
from rating_service.cycles.models import Cycle
from rating_service.cycles.service import methodology_of, read_snapshot
from scoring.amend import RecordDecision, amended_inputs
from scoring.engine import Constants, Period, RatingInputs, RatingResult, rate_companies
from scoring.methodology import Methodology


def decided_items(session: Session, cycle_id: int) -> list[RecordDecision]:
    """Every record decision already taken in the cycle (they stay applied when another appeal re-scores)."""
    out = []
    for item in appeals_repo.decided_items(session, cycle_id=cycle_id):
        out.append(RecordDecision(item.kind, item.record_id, item.action or "keep",
                                  json.loads(item.amendment) if item.amendment else {}))
    return out


def amended_cycle_inputs(*, session: Session, cycle: Cycle, decisions: Sequence[RecordDecision] | None = None
                         ) -> tuple[RatingInputs, Period, Constants]:
    """The cycle's frozen snapshot with the record decisions applied (by default every one taken so far), its
    period and its frozen constants: what ``rate_amended_cycle`` rates, for rating it with another methodology."""
    if decisions is None:
        decisions = decided_items(session, cycle.id)
    period = Period(cycle.period_start, cycle.period_end)
    assert cycle.snapshot_batch is not None and cycle.constants
    snapshot = read_snapshot(session=session, watermark=cycle.snapshot_batch, period=period)
    return (amended_inputs(snapshot.inputs, decisions), period,
            Constants(r0=float(json.loads(cycle.constants)["R0"])))


def rate_amended(*, session: Session, cycle: Cycle, decisions: Sequence[RecordDecision] | None = None,
                 with_evidence: bool = True) -> tuple[RatingResult, RatingInputs, Methodology]:
    """The cycle's frozen snapshot with the record decisions applied (by default every one taken so far), rated
    with the frozen constants and the cycle's methodology."""
    inputs, period, constants = amended_cycle_inputs(session=session, cycle=cycle, decisions=decisions)
    methodology = methodology_of(cycle)
    result = rate_companies(inputs=inputs, period=period, methodology=methodology, constants=constants,
                            with_evidence=with_evidence)
    return result, inputs, methodology


def rate_amended_cycle(*, session: Session, cycle: Cycle,
                       with_evidence: bool = True) -> tuple[RatingResult, RatingInputs]:
    """The whole cycle rated as it now stands: the frozen snapshot with every record decision taken so far
    (``with_evidence=False``: without the evidence lists, for a caller that needs only scores and records)."""
    result, inputs, _methodology = rate_amended(session=session, cycle=cycle, with_evidence=with_evidence)
    return result, inputs
