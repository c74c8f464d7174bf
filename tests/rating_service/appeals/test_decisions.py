"""Deciding appeals: re-scoring with the frozen constants, finalisation waits for decisions, statistics."""

from __future__ import annotations

import json

from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle
from scoring.engine import Constants, Period, RatingInputs, rate_companies
from scoring.explain import explain
from tests import factories as f


def _file(client, cycle_id, records, scope="records"):  # type: ignore[no-untyped-def]
    response = client.post(f"/api/v1/cycles/{cycle_id}/appeals",
                           data={"grounds": "该投诉经核实不属实。", "scope": scope,
                                 "records": [f"{k}:{r}" for k, r in records]})
    assert response.status_code == 201, response.text
    return response.json()


def _decide(client, appeal_id, outcome, items, reasons="经复核，异议成立。"):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/appeals/{appeal_id}/decision",
                       json={"outcome": outcome, "reasons": reasons, "items": items})


def _engine_on_amended_data(database, cycle_id, code, void):  # type: ignore[no-untyped-def]
    """What the engine gives on the cycle's snapshot without the voided complaint, with the frozen R0."""
    with database.read_session() as session:
        cycle = session.get(Cycle, cycle_id)
        period = Period(cycle.period_start, cycle.period_end)
        snapshot = cycles.read_snapshot(session=session, watermark=cycle.snapshot_batch, period=period)
        r0 = json.loads(cycle.constants)["R0"]
        methodology = cycles.methodology_of(cycle)
    complaints = snapshot.inputs.complaints
    assert void in set(complaints["record_id"].astype(str))
    amended = RatingInputs(**{**snapshot.inputs.__dict__,
                              "complaints": complaints[complaints["record_id"].astype(str) != void]})
    result = rate_companies(inputs=amended, period=period, methodology=methodology, constants=Constants(r0=r0))
    return explain(result, code, methodology)


def test_voiding_a_substantiated_complaint_rescores_exactly_as_the_engine_with_frozen_r0(database, published):
    company = f.api_client(database, "company")
    officer = f.api_client(database, "officer")
    with database.read_session() as session:
        before = cycles_repo.rating(session, cycle_id=published.cycle_id, credit_code=f.CODE_A)
        before_score, before_grade = before.score, before.grade
    appeal = _file(company, published.cycle_id, [("complaints", "GD-000003")])
    response = _decide(officer, appeal["id"], "upheld",
                       [{"kind": "complaints", "record_id": "GD-000003", "action": "void", "finding": "非本企业责任"}])
    assert response.status_code == 200, response.text
    decided = response.json()
    expected = _engine_on_amended_data(database, published.cycle_id, f.CODE_A, "GD-000003")
    assert expected.score != before_score  # the complaint counted
    assert decided["before"] == {"score": before_score, "grade": before_grade}
    assert decided["after"] == {"score": expected.score, "grade": expected.grade}
    assert decided["status"] == "decided" and decided["items"][0]["action"] == "void"
    with database.read_session() as session:
        stored = cycles_repo.rating(session, cycle_id=published.cycle_id, credit_code=f.CODE_A)
        assert (stored.score, stored.grade) == (expected.score, expected.grade)
        assert json.loads(stored.explanation) == json.loads(json.dumps(expected.as_dict()))
        # The other company's rating is untouched.
        other = cycles_repo.rating(session, cycle_id=published.cycle_id, credit_code=f.CODE_B)
    assert other is not None


def test_amending_a_complaint_to_unsubstantiated_equals_voiding_it_for_the_rate(database, published):
    company = f.api_client(database, "company")
    officer = f.api_client(database, "officer")
    appeal = _file(company, published.cycle_id, [("complaints", "GD-000003")])
    response = _decide(officer, appeal["id"], "partly_upheld", [
        {"kind": "complaints", "record_id": "GD-000003", "action": "amend", "changes": {"substantiated": "否"}}])
    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["amendment"] == {"substantiated": False}
    assert response.json()["after"]["score"] != response.json()["before"]["score"]


def test_a_rejected_appeal_keeps_the_score_and_cannot_change_records(database, published):
    company = f.api_client(database, "company")
    officer = f.api_client(database, "officer")
    appeal = _file(company, published.cycle_id, [("complaints", "GD-000003")])
    wrong = _decide(officer, appeal["id"], "rejected",
                    [{"kind": "complaints", "record_id": "GD-000003", "action": "void"}])
    assert wrong.status_code == 400 and "驳回异议时不能撤销或更正记录" in wrong.json()["message"]
    missing = _decide(officer, appeal["id"], "upheld", [])
    assert missing.status_code == 400 and "complaints:GD-000003" in missing.json()["message"]
    bad_field = _decide(officer, appeal["id"], "upheld", [
        {"kind": "complaints", "record_id": "GD-000003", "action": "amend", "changes": {"received_on": "2025-01-01"}}])
    assert bad_field.status_code == 400 and "不能更正" in bad_field.json()["message"]
    ok = _decide(officer, appeal["id"], "rejected", [
        {"kind": "complaints", "record_id": "GD-000003", "action": "keep"}], reasons="证据不足。")
    assert ok.status_code == 200
    assert ok.json()["before"] == ok.json()["after"]
    assert _decide(officer, appeal["id"], "rejected", []).status_code == 409  # decided once


def test_finalizing_waits_for_every_decision_and_statistics_count_outcomes(database, published):
    company = f.api_client(database, "company")
    officer = f.api_client(database, "officer")
    appeal = _file(company, published.cycle_id, [], scope="calculation")
    with f.appeals_closed(database, published.cycle_id):
        refused = officer.post(f"/api/v1/cycles/{published.cycle_id}/finalize", json={})
    assert refused.status_code == 409 and "1 件异议未处理" in refused.json()["message"]
    stats = officer.get(f"/api/v1/cycles/{published.cycle_id}/appeal-statistics").json()
    assert (stats["filed"], stats["pending"], stats["rejected"]) == (1, 1, 0)
    assert _decide(officer, appeal["id"], "rejected", [], reasons="计算无误。").status_code == 200
    stats = officer.get(f"/api/v1/cycles/{published.cycle_id}/appeal-statistics").json()
    assert (stats["filed"], stats["pending"], stats["rejected"], stats["upheld"]) == (1, 0, 1, 0)
    assert stats["median_days_to_decision"] is not None
    with f.appeals_closed(database, published.cycle_id):
        assert officer.post(f"/api/v1/cycles/{published.cycle_id}/finalize", json={}).status_code == 200


def test_only_officers_decide(database, published):
    company = f.api_client(database, "company")
    appeal = _file(company, published.cycle_id, [], scope="calculation")
    assert _decide(company, appeal["id"], "upheld", []).status_code == 403
    assert company.get(f"/api/v1/cycles/{published.cycle_id}/appeal-statistics").status_code == 403


def _pdf_text(data: bytes) -> str:
    import io
    import re

    from pypdf import PdfReader

    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_a_decision_leaves_a_record_pdf_and_a_revised_notice_when_the_rating_changed(database, published):
    company = f.api_client(database, "company")
    officer = f.api_client(database, "officer")
    appeal = _file(company, published.cycle_id, [("complaints", "GD-000003")])
    decided = _decide(officer, appeal["id"], "upheld", [
        {"kind": "complaints", "record_id": "GD-000003", "action": "void",
         "finding": "工单所涉车位不属于本企业管理"}]).json()
    record = company.get(decided["decision_document_url"])
    assert record.status_code == 200 and record.headers["content-type"] == "application/pdf"
    text = _pdf_text(record.content)
    before, after = decided["before"], decided["after"]
    for expected in ("物业服务企业信用评价异议处理决定书", "异议成立", "投诉工单GD-000003", "撤销",
                     "工单所涉车位不属于本企业管理", f"复核前信用得分{before['score']:.1f}分",
                     f"复核后信用得分{after['score']:.1f}分"):
        assert expected in text, expected
    revised = company.get(decided["revised_notice_url"])
    assert revised.status_code == 200
    revised_text = _pdf_text(revised.content)
    assert "信用评价结果告知书（更正）" in revised_text and published.own.doc_number in revised_text
    assert f"信用得分{after['score']:.1f}分" in revised_text
    # The old notice's code now says it was revised; another company cannot fetch either document.
    said = f.api_client(database).get(f"/api/v1/verify/{published.own.verification_code}").json()
    assert said["revised"] is True
    other = f.api_client(database, "company_b")
    assert other.get(decided["decision_document_url"]).status_code == 404
    assert other.get(decided["revised_notice_url"]).status_code == 404


def test_a_rejected_appeal_leaves_a_record_but_no_revised_notice(database, published):
    company = f.api_client(database, "company")
    officer = f.api_client(database, "officer")
    appeal = _file(company, published.cycle_id, [], scope="calculation")
    decided = _decide(officer, appeal["id"], "rejected", [], reasons="计算无误。").json()
    assert decided["revised_notice_url"] is None
    text = _pdf_text(company.get(decided["decision_document_url"]).content)
    assert "驳回异议" in text and "评价结果不变" in text and "对计算的异议" in text


def test_a_cycle_can_set_its_own_appeal_window_and_decision_deadline(database, published, today):
    """A cycle created with 3 working days to appeal and 2 to decide counts its deadlines with them."""
    import datetime as dt

    from tests.rating_service.notices.helpers import publicize

    officer = f.api_client(database, "officer")
    created = officer.post("/api/v1/cycles", json={"name": "2025下半年", "period_start": "2025-07-01",
                                                   "period_end": "2025-12-31", "appeal_window_days": 3,
                                                   "decision_days": 2})
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["appeal_window_days"], body["decision_days"]) == (3, 2)
    with f.on_day(dt.date(2026, 1, 12)):  # computed and publicized on Monday; today is Wednesday 2026-01-14
        assert officer.post(f"/api/v1/cycles/{body['id']}/compute", json={}).status_code == 200
    publicize(database, body["id"], dt.date(2026, 1, 12))
    shown = officer.get(f"/api/v1/cycles/{body['id']}").json()
    assert shown["appeal_deadline"] == "2026-01-15"  # Monday + 3 working days
    company = f.api_client(database, "company")
    appeal = _file(company, body["id"], [], scope="calculation")
    assert appeal["due_on"] == "2026-01-16"  # filed Wednesday 2026-01-14 + 2 working days
    assert officer.post("/api/v1/cycles", json={"name": "x", "period_start": "2025-01-01",
                                                "period_end": "2025-12-31", "appeal_window_days": 0}
                        ).status_code == 422
