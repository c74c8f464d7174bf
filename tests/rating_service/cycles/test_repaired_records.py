"""What a repair does to later cycles is the methodology's choice (``repair.counted_after_repair``): by default a
repaired record still counts in the period it occurred in; a methodology may leave it out of cycles computed after
the repair. A cycle's stored ratings and what it "is now" (cycles.standing) agree either way."""

from __future__ import annotations

import datetime as dt
import json

from rating_service import clock
from rating_service.cycles import repository, standing
from rating_service.cycles import service as cycles
from rating_service.methodologies import service as methodologies
from rating_service.repair.models import RepairItem, RepairRequest
from scoring.methodology import methodology_by_id
from tests import factories as f

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _repair_sf001(database) -> None:  # type: ignore[no-untyped-def]
    """A decided repair of CODE_A's fee violation SF-001 (in the table as the repair room writes it)."""
    now = clock.now()  # the service's clock (tests pin the day), as the repair room stamps decisions
    with database.write_session() as session:
        cycle = cycles.create_cycle(session=session, draft=cycles.CycleDraft("修复所在周期", START, END),
                                    actor="officer")
        request = RepairRequest(
            cycle_id=cycle.id, credit_code=f.CODE_A, mark="records", severity="general", methodology_id="ZY-2025",
            status="repaired", statement="已退还多收费用", conditions="{}", eligibility="{}",
            publicity_from=dt.date(2025, 6, 1), earliest_on=dt.date(2025, 9, 1), filed_at=now, filed_by="a",
            filed_on=dt.date(2026, 11, 2), accept_due_on=dt.date(2026, 11, 4), accepted_on=dt.date(2026, 11, 3),
            accepted_by="officer", decide_due_on=dt.date(2026, 11, 10), decided_at=now - dt.timedelta(seconds=1),
            decided_on=dt.date(2026, 11, 5), decided_by="officer", repaired_on=dt.date(2026, 11, 5),
            commitment_until=dt.date(2027, 11, 5), commitment_signed_at=now, commitment_payload="{}")
        session.add(request)
        session.flush()
        session.add(RepairItem(request_id=request.id, kind="fee_violations", record_id="SF-001",
                               subtype="overcharge", record_date=dt.date(2025, 6, 1)))


def _fee_counted(database, cycle_id: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        rating = repository.rating(session, cycle_id=cycle_id, credit_code=f.CODE_A)
        assert rating is not None
        explanation = json.loads(rating.explanation)
        fee = next(line for line in explanation["indicators"] if line["code"] == "FEE")
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        result, _inputs = standing.rate_amended_cycle(session=session, cycle=cycle, with_evidence=False)
        now = result.companies.set_index("credit_code").loc[f.CODE_A, "score"]
        assert float(now) == rating.score  # the cycle as it stands agrees with what it stored
        return fee.get("sub_score"), rating.score


def _cycle(database, name: str, methodology_id: str | None = None) -> int:  # type: ignore[no-untyped-def]
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="officer",
                                       draft=cycles.CycleDraft(name, START, END, methodology_id)).id
    return cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="officer").id


def test_a_repaired_record_still_counts_by_default_and_is_left_out_when_the_methodology_says_so(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    before = _cycle(database, "修复前")
    _repair_sf001(database)
    default = _cycle(database, "按默认规则")
    draft = methodology_by_id("ZY-2025")
    repair = draft.repair_rules().model_copy(update={"counted_after_repair": False})
    with database.write_session() as session:
        methodologies.adopt(session=session, actor="admin", reason="修复后的记录不再计入", based_on="ZY-2025",
                            today=START, draft=draft.model_copy(update={"id": "ZY-2025-R", "repair": repair}))
    leaving_out = _cycle(database, "修复后不计入", "ZY-2025-R")

    fee_before, score_before = _fee_counted(database, before)
    fee_default, score_default = _fee_counted(database, default)
    fee_out, score_out = _fee_counted(database, leaving_out)
    assert fee_before < 100 and (fee_default, score_default) == (fee_before, score_before)
    # SF-001 was CODE_A's only fee violation: left out, nothing is lost on fees and the score rises.
    assert fee_out == 100 and score_out > score_before
