"""The documents of credit repair: the 信用修复决定书 (numbered, stored, rendered, verifiable; the original notice's
verification then says a repair decision exists) and the 信用承诺书 (rendered from its payload, its hash kept)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest

from rating_service.notices import service as notices
from rating_service.notices.models import Document
from rating_service.repair import documents
from rating_service.repair.models import RepairAttachment, RepairItem, RepairRequest
from reports.model import Commitment, RepairDecision, from_payload
from tests import factories as f
from tests.rating_service.notices.helpers import Published, publish

FILED_ON = dt.date(2026, 2, 16)
DECIDED_ON = dt.date(2026, 3, 2)
SIGNED_AT = dt.datetime(2026, 2, 16, 2, 5, 30, tzinfo=dt.UTC)  # 10:05 in Zongyang
# Words that never appear on a repair document: codes of the rules and the records, the officers' and the
# companies' people (user names, the legal representative, the address and phone of the factory data).
CODES = ("black_list", "veto", "records", "fee_violations", "major_events", "overcharge", "rectified",
         "penalty_fulfilled", "commitment_signed", "no_new_same_kind", "repaired", "refused", "serious", "general",
         "None", "officer", "张三", "湖滨路", "0556-")


def strings(value: Any) -> list[str]:
    """Every string value (not key) of a payload: what the document prints."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


@pytest.fixture
def published(database: Any) -> Published:
    world = publish(database)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    f.make_user(database, "company_b", "company", credit_code=f.CODE_B)
    return world


def file_request(database: Any, cycle_id: int, *, mark: str = "records") -> int:
    """A request of 皖江物业 (CODE_A) on its fee violation SF-001 (超标准收费), as the core lane files one."""
    commitment = documents.commitment_for(
        company_name="安徽皖江物业服务有限公司", credit_code=f.CODE_A, cycle_name="2025年度", request_id=0,
        mark_label="不良记录", commitment_months=12, signed_at=SIGNED_AT)
    checks = [{"code": "rectified", "ok": True, "params": {}}, {"code": "penalty_fulfilled", "ok": True, "params": {}},
              {"code": "commitment_signed", "ok": True, "params": {}},
              {"code": "no_new_same_kind", "ok": True, "params": {}}]
    with database.write_session() as session:
        request = RepairRequest(
            cycle_id=cycle_id, credit_code=f.CODE_A, mark=mark, severity="general", methodology_id="ZY-2025",
            status="submitted", statement="已全额退还多收的物业费，并在小区公示栏公示收费项目和标准。",
            conditions=json.dumps({"rectified": True, "penalty_fulfilled": True}),
            eligibility=json.dumps({"checks": checks, "earliest_on": "2025-09-01"}),
            publicity_from=dt.date(2025, 6, 1), earliest_on=dt.date(2025, 9, 1),
            filed_at=SIGNED_AT, filed_by="company", filed_on=FILED_ON, accept_due_on=dt.date(2026, 2, 18),
            commitment_signed_at=SIGNED_AT, commitment_payload="{}")
        session.add(request)
        session.flush()
        request.commitment_payload = documents.commitment_payload(dataclasses.replace(commitment,
                                                                                      request_id=request.id))
        session.add(RepairItem(request_id=request.id, kind="fee_violations", record_id="SF-001",
                               subtype="overcharge", record_date=dt.date(2025, 6, 1)))
        session.add(RepairAttachment(request_id=request.id, filename="evidence-1.pdf", content_type="application/pdf",
                                     size=1000, sha256="0" * 64, storage_key="x" * 40, created_at=SIGNED_AT))
        return request.id


def decide(database: Any, request_id: int, *, repaired: bool = True) -> Document:
    """Set the outcome as the core lane does, then issue the decision."""
    with database.write_session() as session:
        request = session.get(RepairRequest, request_id)
        assert request is not None
        request.accepted_on, request.decided_on = FILED_ON, DECIDED_ON
        if repaired:
            request.status, request.repaired_on = "repaired", DECIDED_ON
            request.commitment_until = dt.date(2027, 3, 2)
            request.verification_note = "经现场核查，多收费用已退还业主，收费公示已张贴。"
            request.reasons = "申请人已纠正失信行为，符合修复条件。"
        else:
            request.status, request.refused_stage = "refused", "decision"
            request.refile_from = dt.date(2026, 4, 1)
            request.verification_note = "现场核查发现收费公示仍未张贴。"
            request.reasons = "整改尚未完成。"
        document = documents.issue_decision(session=session, request=request, actor="officer",
                                            issue_date=DECIDED_ON)
        request.decision_document_id = document.id
        session.expunge(document)
        return document


def test_a_decision_takes_the_next_number_and_its_payload_round_trips(published, database):
    request_id = file_request(database, published.cycle_id)
    document = decide(database, request_id)
    # the cycle's documents took 1–3 of 2026; the decision is the next
    assert document.kind == "repair_decision" and document.doc_number == "枞住建信评〔2026〕4号"
    assert document.credit_code == f.CODE_A and document.cycle_id == published.cycle_id
    decision = from_payload(json.loads(document.payload))
    assert isinstance(decision, RepairDecision)
    assert decision.doc_number == document.doc_number and decision.verification_code == document.verification_code
    assert decision.company_name == "安徽皖江物业服务有限公司" and decision.outcome == "同意修复"
    assert decision.original_notice == published.own.doc_number
    assert decision.marked[1] == "收费违规记录SF-001（2025年6月1日，超标准收费，枞住建罚〔2025〕1号）"
    assert decision.evidence == ["evidence-1.pdf"]
    assert [c[1] for c in decision.conditions][-2] == "符合（2026年2月16日在线签署）"
    assert any("2027年3月2日" in e for e in decision.effects)
    assert any("仍计入其发生期间" in e for e in decision.effects)
    assert any("已修复（2026年3月2日，枞住建信评〔2026〕4号）" in e for e in decision.effects)
    words = " ".join(strings(json.loads(document.payload)))
    assert [code for code in CODES if code in words] == []
    # a second decision takes the number after it
    second = decide(database, file_request(database, published.cycle_id), repaired=False)
    assert second.doc_number == "枞住建信评〔2026〕5号"
    refused = from_payload(json.loads(second.payload))
    assert refused.outcome == "不予修复" and refused.refile_from == dt.date(2026, 4, 1)
    assert refused.effects == ["2025年度信用评价中不良记录的公示不因本申请而改变。"
                               "你单位可自2026年4月1日起重新提出信用修复申请。"]


def test_the_decision_pdf_downloads_for_officers_and_its_own_company_only(published, database):
    document = decide(database, file_request(database, published.cycle_id))
    officer = f.api_client(database, "officer")
    response = officer.get(f"/documents/{document.id}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    own = f.api_client(database, "company").get(f"/api/v1/documents/{document.id}/pdf")
    assert own.status_code == 200 and own.content == response.content
    assert f.api_client(database, "company_b").get(f"/documents/{document.id}.pdf").status_code == 404
    assert f.api_client(database).get(f"/documents/{document.id}.pdf").status_code in (401, 303, 404)
    with database.read_session() as session:
        stored = session.get(Document, document.id)
        assert stored is not None and stored.sha256 is not None
        assert notices.pdf_bytes(document=stored) == response.content


def test_the_decision_and_the_original_notice_verify(published, database):
    document = decide(database, file_request(database, published.cycle_id))
    api = f.api_client(database)
    body = api.get(f"/api/v1/verify/{document.verification_code}").json()
    assert body["kind"] == "repair_decision" and body["doc_number"] == "枞住建信评〔2026〕4号"
    assert body["issue_date"] == "2026-03-02" and body["company_name"] == "安徽皖江物业服务有限公司"
    assert body["outcome"] == "同意修复" and body["credit_code"] == f.CODE_A
    assert body["repairs"] == []
    original = api.get(f"/api/v1/verify/{published.own.verification_code}").json()
    assert original["kind"] == "notice"
    assert original["repairs"] == [{"doc_number": "枞住建信评〔2026〕4号", "repaired_on": "2026-03-02",
                                    "note": "已修复（2026年3月2日，枞住建信评〔2026〕4号）"}]
    other = api.get(f"/api/v1/verify/{published.other.verification_code}").json()
    assert other["repairs"] == []
    page = f.page_client(database).get(f"/verify/{published.own.verification_code}")
    assert page.status_code == 200
    assert "信用修复决定书" in page.text and "枞住建信评〔2026〕4号" in page.text
    shown = f.page_client(database).get(f"/verify/{document.verification_code}")
    assert shown.status_code == 200 and "同意修复" in shown.text and "信用修复决定书" in shown.text
    assert "repair_decision" not in shown.text and "None" not in shown.text


def test_a_refused_decision_verifies_with_its_outcome_and_no_repair_on_the_notice(published, database):
    document = decide(database, file_request(database, published.cycle_id), repaired=False)
    api = f.api_client(database)
    assert api.get(f"/api/v1/verify/{document.verification_code}").json()["outcome"] == "不予修复"
    assert api.get(f"/api/v1/verify/{published.own.verification_code}").json()["repairs"] == []


def test_the_commitment_renders_from_its_payload_and_keeps_its_hash(published, database):
    request_id = file_request(database, published.cycle_id)
    with database.write_session() as session:
        request = session.get(RepairRequest, request_id)
        assert request is not None and request.commitment_sha256 is None
        first = documents.commitment_pdf(request=request)
        digest = request.commitment_sha256
    assert first.startswith(b"%PDF") and digest is not None and len(digest) == 64
    with database.write_session() as session:
        request = session.get(RepairRequest, request_id)
        assert request is not None and request.commitment_sha256 == digest
        assert documents.commitment_pdf(request=request) == first
        commitment = from_payload(json.loads(request.commitment_payload))
        assert isinstance(commitment, Commitment) and commitment.request_id == request_id
        assert commitment.signed_at == "2026-02-16T10:05:30+08:00" and commitment.signed_on == FILED_ON
        # a payload changed after signing no longer hashes as stored
        request.commitment_payload = documents.commitment_payload(dataclasses.replace(commitment,
                                                                                      commitment_months=6))
        with pytest.raises(notices.DocumentIntegrityError):
            documents.commitment_pdf(request=request)
        session.rollback()


def test_the_commitment_paragraphs_fill_in_the_catalogue_text():
    zh = documents.commitment_paragraphs(company_name="安徽皖江物业服务有限公司", mark_label="列入黑榜",
                                         cycle_name="2024年度", commitment_months=12)
    assert len(zh) == 5 and "2024年度" in zh[0] and "列入黑榜" in zh[0]
    assert "12个月" in zh[2]
    en = documents.commitment_paragraphs(company_name="Wanjiang", mark_label="Black list", cycle_name="2024",
                                         commitment_months=12, lang="en")
    assert "12 months" in en[2] and all("{" not in p for p in zh + en)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_service_words_every_line_in_both_languages_without_codes(published, database, lang):
    from reports.render import renderer

    request_id = file_request(database, published.cycle_id)
    decide(database, request_id)
    with database.read_session() as session:
        request = session.get(RepairRequest, request_id)
        assert request is not None
        worded = documents.decision_for(session=session, request=request, number="枞住建信评〔2026〕9号",
                                        code="K7QM-2WXR-9HTD", issue_date=DECIDED_ON, lang=lang)
        commitment = from_payload(json.loads(request.commitment_payload))
    html = renderer().html(worded) + renderer().html(dataclasses.replace(commitment, lang=lang))
    text = " ".join(strings(json.loads(json.dumps(dataclasses.asdict(worded), default=str))))
    # English words such as "records" or "repaired" are words there; the codes with "_" and the raw type are not
    codes = CODES if lang == "zh" else [c for c in CODES if "_" in c or c in ("None", "overcharge", "veto")]
    assert [code for code in codes if code in text] == []
    assert ("超标准收费" if lang == "zh" else "Overcharging") in text
    assert ("同意修复" if lang == "zh" else "Repair granted") in html
    assert "None" not in html and "安徽皖江物业服务有限公司" in html and f.CODE_A in html
