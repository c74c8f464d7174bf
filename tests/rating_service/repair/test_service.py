"""The repair service on the factory cycle 「2025年度」 (publicized 2026-01-12): a company's marks, filing with
evidence and the signed commitment, acceptance and decision with working-day deadlines, refusals with the day a
new request may be filed, who sees what, breaches of the commitment and the public record after a repair."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from rating_service.appeals.service import Upload
from rating_service.audit.models import AuditEntry
from rating_service.errors import Conflict, Forbidden, NotFound
from rating_service.records.formats import KINDS
from rating_service.records.service import import_files
from rating_service.repair import service
from rating_service.repair.models import CommitmentBreach, RepairAttachment, RepairRequest
from tests import factories as f
from tests.rating_service.repair.conftest import ADMIN, COMPANY_A, COMPANY_B, NAME_A, NAME_B, OFFICER

D = dt.date


def filing(cycle_id: int, **changes: Any) -> service.Filing:
    base: dict[str, Any] = {
        "cycle_id": cycle_id, "mark": "records", "records": [("fee_violations", "SF-001")],
        "statement": "已按物价部门核定标准退还多收费用，并在小区公示栏公示收费标准。",
        "declared": ["rectified", "penalty_fulfilled"], "commitment_signed": True, "signature": NAME_A,
        "attachments": [Upload("退费凭证.pdf", f.pdf_file())]}
    base.update(changes)
    return service.Filing(**base)


def file(database: Any, principal: Any, value: service.Filing) -> int:
    with database.write_session() as session:
        return service.file_request(session, principal=principal, filing=value).id


def refused(database: Any, principal: Any, value: service.Filing) -> service.RepairRefused:
    with pytest.raises(service.RepairRefused) as caught, database.write_session() as session:
        service.file_request(session, principal=principal, filing=value)
    return caught.value


def count(database: Any, model: Any) -> int:
    with database.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def add_record(database: Any, kind: str, row: list[Any], on: dt.date) -> None:
    with database.write_session() as session:
        import_files(session, kind=KINDS[kind], files=[f.upload(kind, [row])], actor="test", today=on)


# -- marks --------------------------------------------------------------------------------------------------------

def test_company_marks(database: Any, published: Any) -> None:
    with database.read_session() as session:
        a = service.company_marks(session, credit_code=f.CODE_A, today=D(2026, 1, 14))
        b = service.company_marks(session, credit_code=f.CODE_B, today=D(2026, 1, 14))
    assert [(m.mark.key, m.mark.record_keys) for m in a] == [("fee_violations", (("fee_violations", "SF-001"),))]
    fee = a[0]
    assert fee.mark.severity == "general" and fee.mark.publicity_from == D(2025, 6, 1)
    assert fee.earliest_on == D(2025, 9, 1) and fee.publicity_ends_on == D(2026, 6, 1)
    assert fee.eligibility.eligible and fee.request_id is None and fee.repaired is None
    assert "超标准收费" in fee.label and "SF-001" in fee.label and "fee_violations" not in fee.label
    # 江南 is vetoed (its black list ends with the veto's repair, so it is not offered on its own)
    assert [m.mark.key for m in b] == ["veto", "major_events", "fee_violations"]  # records by date
    veto = b[0]
    assert veto.mark.records[0].record_id == "ZD-001" and veto.mark.publicity_from == D(2025, 7, 15)
    assert veto.earliest_on == D(2026, 7, 15)
    assert not veto.eligibility.eligible
    assert [c.code for c in veto.eligibility.failed()] == ["too_early"]
    assert veto.checks[0][1] is False and "2026年7月15日" in veto.checks[0][2]


# -- the full flow -----------------------------------------------------------------------------------------------

def test_file_accept_decide(database: Any, published: Any, today: Any) -> None:
    request_id = file(database, COMPANY_A, filing(published.cycle_id))
    with database.read_session() as session:
        request = service.visible_request(session, COMPANY_A, request_id)
        assert request.status == "submitted" and request.filed_on == D(2026, 1, 14)
        assert request.accept_due_on == D(2026, 1, 16)  # two working days after Wednesday
        assert request.earliest_on == D(2025, 9, 1) and request.severity == "general"
        assert json.loads(request.conditions) == {"rectified": True, "penalty_fulfilled": True,
                                                  "commitment_signed": True}
        commitment = json.loads(request.commitment_payload)
        assert commitment["company_name"] == NAME_A and commitment["request_id"] == request_id
        assert commitment["commitment_months"] == 12
        rows = service.queue(session, today=D(2026, 1, 14))
        assert [(r.request_id, r.due_on, r.working_days_left, r.overdue) for r in rows] == [
            (request_id, D(2026, 1, 16), 3, False)]
        detail = service.request_detail(session, OFFICER, request_id)
        assert detail.company_name == NAME_A and detail.status_label == "待受理"
        assert len(detail.attachments) == 1 and detail.attachments[0].filename == "退费凭证.pdf"
        assert all(ok for _label, ok, _detail in detail.checks)
        assert any("SF-001" in line for line in detail.items)

    today(D(2026, 1, 15))
    with database.write_session() as session:
        accepted = service.accept(session, request_id=request_id, actor="officer")
        assert accepted.decide_due_on == D(2026, 1, 22)  # five working days after Thursday
    with database.read_session() as session:
        assert service.queue(session, today=D(2026, 1, 23))[0].overdue
    today(D(2026, 1, 20))
    with database.write_session() as session:
        document = service.decide(session, request_id=request_id, actor="officer", reasons="整改到位。",
                                  verification_note="2026年1月19日现场核查，收费公示已更新，退费凭证属实。")
        assert document.kind == "repair_decision"
    with database.read_session() as session:
        request = service.visible_request(session, COMPANY_A, request_id)
        assert request.status == "repaired" and request.repaired_on == D(2026, 1, 20)
        assert request.commitment_until == D(2027, 1, 20) and request.decision_document_id == document.id
        assert service.queue(session, today=D(2026, 1, 20)) == []
        public = service.public_repairs(session, cycle_id=published.cycle_id)
        marks = service.company_marks(session, credit_code=f.CODE_A, today=D(2026, 1, 20))
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert [p.records for p in public[f.CODE_A]] == [(("fee_violations", "SF-001"),)]
    assert public[f.CODE_A][0].doc_number == document.doc_number and not public[f.CODE_A][0].leaves_black_list
    assert marks[0].repaired is not None and marks[0].request_id == request_id
    assert [a for a in actions if a.startswith("repair.")] == ["repair.file", "repair.accept", "repair.decide"]


def test_decide_moves_the_disclosure_version(database: Any, published: Any, today: Any) -> None:
    from rating_service.cycles.models import Cycle

    request_id = file(database, COMPANY_A, filing(published.cycle_id))
    with database.write_session() as session:
        service.accept(session, request_id=request_id, actor="officer")
    with database.read_session() as session:
        before = session.get(Cycle, published.cycle_id).disclosure_version
    with database.write_session() as session:
        service.decide(session, request_id=request_id, actor="officer", reasons="",
                       verification_note="现场核查属实。")
    with database.read_session() as session:
        assert session.get(Cycle, published.cycle_id).disclosure_version == before + 1


def test_refused_at_acceptance_then_refile_from(database: Any, published: Any, today: Any) -> None:
    request_id = file(database, COMPANY_A, filing(published.cycle_id))
    with database.write_session() as session:
        document = service.refuse(session, request_id=request_id, actor="officer",
                                  reasons="证明材料不能证明已退还多收费用。")
    with database.read_session() as session:
        request = service.visible_request(session, COMPANY_A, request_id)
        assert (request.status, request.refused_stage) == ("refused", "acceptance")
        assert request.refile_from == D(2026, 2, 13)  # 30 days after 2026-01-14
        assert request.decision_document_id == document.id
        assert service.public_repairs(session, cycle_id=published.cycle_id) == {}
    today(D(2026, 2, 12))
    error = refused(database, COMPANY_A, filing(published.cycle_id))
    assert error.key == "repair_refused.refile_wait" and "2026年2月13日" in error.message()
    today(D(2026, 2, 13))
    assert file(database, COMPANY_A, filing(published.cycle_id)) > request_id


def test_refused_at_decision_with_false_material_bars(database: Any, published: Any, today: Any) -> None:
    request_id = file(database, COMPANY_A, filing(published.cycle_id))
    with database.write_session() as session:
        service.accept(session, request_id=request_id, actor="officer")
    today(D(2026, 1, 16))
    with database.write_session() as session:
        service.refuse(session, request_id=request_id, actor="officer", reasons="退费凭证系伪造。",
                       false_material=True)
    with database.read_session() as session:
        request = service.visible_request(session, OFFICER, request_id)
        assert (request.status, request.refused_stage) == ("refused", "decision")
        assert request.refile_from == D(2029, 1, 16)
    today(D(2027, 6, 1))
    error = refused(database, COMPANY_A, filing(published.cycle_id))
    assert error.key == "repair_refused.barred" and "2029年1月16日" in error.message()


def test_officer_steps_in_order(database: Any, published: Any) -> None:
    request_id = file(database, COMPANY_A, filing(published.cycle_id))
    with pytest.raises(Conflict), database.write_session() as session:
        service.decide(session, request_id=request_id, actor="officer", reasons="", verification_note="核查属实。")
    with pytest.raises(service.RepairRefused) as caught, database.write_session() as session:
        service.refuse(session, request_id=request_id, actor="officer", reasons="  ")
    assert caught.value.message() == "“理由”不能为空。"
    with database.write_session() as session:
        service.accept(session, request_id=request_id, actor="officer")
    with pytest.raises(Conflict), database.write_session() as session:
        service.accept(session, request_id=request_id, actor="officer")
    with pytest.raises(service.RepairRefused) as caught, database.write_session() as session:
        service.decide(session, request_id=request_id, actor="officer", reasons="", verification_note="")
    assert "现场核查情况" in caught.value.message()


# -- refusals at filing --------------------------------------------------------------------------------------------

def test_too_early_via_the_service(database: Any, published: Any, today: Any) -> None:
    veto = filing(published.cycle_id, mark="veto", records=[], signature=NAME_B)
    today(D(2026, 7, 14))
    error = refused(database, COMPANY_B, veto)
    assert error.key == "repair_refused.too_early" and "2026年7月15日" in error.message()
    assert error.details()[0]["code"] == "too_early"
    today(D(2026, 7, 15))
    request_id = file(database, COMPANY_B, veto)
    with database.read_session() as session:
        request = service.visible_request(session, COMPANY_B, request_id)
        assert (request.mark, request.severity, request.earliest_on) == ("veto", "serious", D(2026, 7, 15))
        assert request.accept_due_on == D(2026, 7, 17)
    # one open request per mark; the black list goes with the veto here (asking for it asks for the veto)
    assert refused(database, COMPANY_B, veto).key == "repair_refused.request_open"
    black_list = filing(published.cycle_id, mark="black_list", records=[], signature=NAME_B)
    assert refused(database, COMPANY_B, black_list).key == "repair_refused.request_open"


@pytest.mark.parametrize(("changes", "key"), [
    ({"declared": ["penalty_fulfilled"]}, "repair_refused.rectified"),
    ({"declared": ["rectified"]}, "repair_refused.penalty_fulfilled"),
    ({"commitment_signed": False}, "repair_refused.commitment_signed"),
    ({"signature": "皖江物业"}, "repair_refused.commitment_signed"),
    ({"attachments": []}, "repair_evidence_required"),
    ({"statement": " "}, "repair_text_required"),
    ({"statement": "联系人张三，电话13912345678"}, "repair_personal_data"),
    ({"statement": "x" * 3001}, "repair_text_too_long"),
    ({"mark": "black_list", "records": []}, "repair_not_your_mark"),
    ({"mark": "nonsense"}, "repair_mark_unknown"),
    ({"records": [("fee_violations", "SF-002")]}, "repair_record_not_yours"),
    ({"records": []}, "repair_records_required"),
    ({"declared": ["everything"]}, "repair_declared_unknown"),
    ({"attachments": [Upload("a.exe", b"MZ\x90\x00")]}, "appeal_file_type"),
])
def test_refusals_at_filing_write_nothing(database: Any, published: Any, changes: dict[str, Any], key: str) -> None:
    error = refused(database, COMPANY_A, filing(published.cycle_id, **changes))
    assert error.key == key
    assert error.message() != key and "{" not in error.message()
    assert count(database, RepairRequest) == 0 and count(database, RepairAttachment) == 0


def test_personal_data_message_names_the_field_and_kind(database: Any, published: Any) -> None:
    error = refused(database, COMPANY_A, filing(published.cycle_id, statement="请联系13912345678核实"))
    assert error.message() == "“整改情况说明”中含有个人信息（电话号码），请删除后再提交。"
    assert "phone" in error.message("en")


def test_new_record_of_the_same_type_blocks_another_type_does_not(database: Any, published: Any, today: Any) -> None:
    add_record(database, "fee_violations", ["SF-101", "2025-12-20", f.CODE_A, None, "未按规定公示收费", None, None,
                                            None], D(2026, 1, 10))
    assert file(database, COMPANY_A, filing(published.cycle_id)) > 0  # another type
    with database.write_session() as session:
        service.refuse(session, request_id=1, actor="officer", reasons="请补充材料。")
    add_record(database, "fee_violations", ["SF-102", "2026-01-05", f.CODE_A, None, "超标准收费", "100", "否", None],
               D(2026, 1, 10))
    today(D(2026, 3, 1))
    error = refused(database, COMPANY_A, filing(published.cycle_id))
    assert error.key == "repair_refused.no_new_same_kind" and "SF-102" in error.message()


def test_officers_only_review_and_companies_only_file(database: Any, published: Any) -> None:
    with pytest.raises(Forbidden), database.write_session() as session:
        service.file_request(session, principal=OFFICER, filing=filing(published.cycle_id))


# -- who sees what -----------------------------------------------------------------------------------------------

def test_a_company_cannot_see_another_companys_request(database: Any, published: Any) -> None:
    request_id = file(database, COMPANY_A, filing(published.cycle_id))
    with database.read_session() as session:
        with pytest.raises(NotFound):
            service.visible_request(session, COMPANY_B, request_id)
        with pytest.raises(NotFound):
            service.request_detail(session, COMPANY_B, request_id)
        with pytest.raises(NotFound):
            service.attachment_bytes(session, COMPANY_B, request_id, 1)
        assert service.list_requests(session, COMPANY_B) == []
        assert [r.id for r in service.list_requests(session, COMPANY_A)] == [request_id]
        assert [r.id for r in service.list_requests(session, ADMIN)] == [request_id]
        attachment, data = service.attachment_bytes(session, OFFICER, request_id, 1)
        assert data.startswith(b"%PDF") and attachment.size == len(data)
        with pytest.raises(NotFound):
            service.visible_request(session, COMPANY_A, request_id + 99)


# -- breaches ----------------------------------------------------------------------------------------------------

def _repaired(database: Any, published: Any, today: Any) -> int:
    request_id = file(database, COMPANY_A, filing(published.cycle_id))
    with database.write_session() as session:
        service.accept(session, request_id=request_id, actor="officer")
        service.decide(session, request_id=request_id, actor="officer", reasons="",
                       verification_note="现场核查属实。")
    return request_id


def test_breach_detection_is_idempotent_and_confirmed_breach_is_public(database: Any, published: Any,
                                                                        today: Any) -> None:
    request_id = _repaired(database, published, today)
    add_record(database, "fee_violations", ["SF-201", "2026-02-02", f.CODE_A, None, "未按规定公示收费", None, None,
                                            None], D(2026, 3, 1))
    with database.write_session() as session:
        assert service.detect_breaches(session, today=D(2026, 3, 1)) == 0  # another type
    add_record(database, "fee_violations", ["SF-202", "2026-02-03", f.CODE_A, None, "超标准收费", "80", "否", None],
               D(2026, 3, 1))
    with database.write_session() as session:
        assert service.detect_breaches(session, today=D(2026, 3, 1)) == 1
    with database.write_session() as session:
        assert service.detect_breaches(session, today=D(2026, 3, 2)) == 0
    assert count(database, CommitmentBreach) == 1
    with database.read_session() as session:
        rows = service.list_breaches(session, status="flagged")
        todo = service.todo_items(session, today=D(2026, 3, 2))
    assert [(r.request_id, r.record_id, r.record_date) for r in rows] == [(request_id, "SF-202", D(2026, 2, 3))]
    assert [(t.kind, t.breach_id) for t in todo] == [("breach", rows[0].breach_id)]
    today(D(2026, 3, 5))
    with database.write_session() as session:
        breach = service.decide_breach(session, breach_id=rows[0].breach_id, actor="officer", confirm=True,
                                       note="经核实，企业再次超标准收费。")
        assert breach.status == "confirmed"
    with pytest.raises(Conflict), database.write_session() as session:
        service.decide_breach(session, breach_id=rows[0].breach_id, actor="officer", confirm=False, note="x")
    with database.read_session() as session:
        public = service.public_repairs(session, credit_code=f.CODE_A)[f.CODE_A][0]
    assert public.breach_confirmed_on == D(2026, 3, 5)
    assert public.note() == f"已修复（2026年1月14日，{public.doc_number}）；2026年3月5日经核实违反信用承诺"


def test_breach_outside_the_commitment_is_not_flagged(database: Any, published: Any, today: Any) -> None:
    _repaired(database, published, today)
    add_record(database, "fee_violations", ["SF-301", "2027-01-15", f.CODE_A, None, "超标准收费", "80", "否", None],
               D(2027, 2, 1))
    with database.write_session() as session:
        assert service.detect_breaches(session, today=D(2027, 2, 1)) == 0  # commitment ended 2027-01-14


def test_a_record_of_the_same_kind_after_filing_shows_and_stops_the_repair(database: Any, published: Any,
                                                                           today: Any) -> None:
    request_id = file(database, COMPANY_A, filing(published.cycle_id))
    with database.write_session() as session:
        service.accept(session, request_id=request_id, actor="officer")
    add_record(database, "fee_violations", ["SF-501", "2026-01-15", f.CODE_A, None, "超标准收费", "50", "否", None],
               D(2026, 1, 16))
    today(D(2026, 1, 16))
    with database.read_session() as session:
        detail = service.request_detail(session, OFFICER, request_id)
    failing = [(label, text) for label, ok, text in detail.checks if not ok]
    assert failing == [("此后未再发生同类失信行为", "2025年6月1日之后又有同类失信记录：SF-501")]
    with pytest.raises(Conflict) as caught, database.write_session() as session:
        service.decide(session, request_id=request_id, actor="officer", reasons="", verification_note="核查属实。")
    assert "SF-501" in caught.value.message()
    with database.write_session() as session:
        service.refuse(session, request_id=request_id, actor="officer", reasons="受理后又发生同类违规收费。")
    with database.read_session() as session:
        assert service.visible_request(session, COMPANY_A, request_id).refused_stage == "decision"


def test_list_requests_bounds_its_inputs(database: Any, published: Any) -> None:
    file(database, COMPANY_A, filing(published.cycle_id))
    with database.read_session() as session:
        assert len(service.list_requests(session, OFFICER, status="submitted", limit=10**9)) == 1
        assert service.list_requests(session, OFFICER, status="repaired", limit=-5) == []
        with pytest.raises(service.RepairRefused):
            service.list_requests(session, OFFICER, status="nonsense")


def test_marks_only_in_public_cycles(database: Any, published: Any) -> None:
    from tests.rating_service.notices.helpers import computed_cycle

    hidden = computed_cycle(database, "2025年度（重算）")
    with pytest.raises(NotFound), database.write_session() as session:
        service.file_request(session, principal=COMPANY_A, filing=filing(hidden))
    with database.read_session() as session:
        marks = service.company_marks(session, credit_code=f.CODE_A, today=D(2026, 1, 14))
    assert {m.mark.cycle_id for m in marks} == {published.cycle_id}
