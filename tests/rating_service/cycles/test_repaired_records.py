"""What a repair does to later cycles is the methodology's choice (``repair.counted_after_repair``): by default a
repaired record still counts in the period it occurred in; a methodology may leave it out of cycles computed after
the repair. A cycle's stored ratings and what it "is now" (cycles.standing) agree either way."""

from __future__ import annotations

import datetime as dt
import json

from rating_service.cycles import repository, standing
from rating_service.cycles import service as cycles
from rating_service.methodologies import service as methodologies
from scoring.methodology import methodology_by_id
from tests import factories as f

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _repair_sf001(database) -> None:  # type: ignore[no-untyped-def]
    """皖江 (CODE_A) has its fee violation SF-001 repaired through the repair service, in a publicized cycle: filed
    with evidence and the commitment, accepted, decided (on the service's clock, as a compute is)."""
    from rating_service.appeals.service import Upload
    from rating_service.repair import service as repair
    from tests.rating_service.notices.helpers import computed_cycle, publicize
    from tests.rating_service.repair.conftest import COMPANY_A, NAME_A

    cycle_id = computed_cycle(database, "修复所在周期")
    publicize(database, cycle_id)
    with database.write_session() as session:
        request = repair.file_request(session, principal=COMPANY_A, filing=repair.Filing(
            cycle_id=cycle_id, mark="records", records=[("fee_violations", "SF-001")],
            statement="已退还多收费用，并在小区公示栏公示收费标准。", declared=["rectified", "penalty_fulfilled"],
            commitment_signed=True, signature=NAME_A, attachments=[Upload("退费凭证.pdf", f.pdf_file())]))
        request_id = request.id
    with database.write_session() as session:
        repair.accept(session, request_id=request_id, actor="officer")
    with database.write_session() as session:
        repair.decide(session, request_id=request_id, actor="officer", reasons="整改到位",
                      verification_note="现场核实收费公示已张贴")


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
