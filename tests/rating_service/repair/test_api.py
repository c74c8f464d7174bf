"""The repair API end to end: a company files with a PDF, an officer accepts and decides, the company reads the
decision; another company never sees it; bad input is a 4xx in Chinese naming the field, never a 5xx."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests import factories as f
from tests.rating_service.notices.helpers import Published, publish

TODAY = dt.date(2026, 11, 30)  # a Monday: SF-001 (2025-06-01, general) is long past its 3 months
NAME_A = f.COMPANIES[0][1]
PDF = f.pdf_file()


@pytest.fixture
def world(database: Any, monkeypatch: pytest.MonkeyPatch) -> Published:
    published = publish(database)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    f.make_user(database, "company_b", "company", credit_code=f.CODE_B)
    f.pin_today(monkeypatch, TODAY)
    return published


def filing(cycle: int, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"cycle_id": str(cycle), "mark": "records", "records": ["fee_violations:SF-001"],
                            "statement": "已按物价部门核定标准退还多收费用，并在小区公示栏公示收费标准。",
                            "conditions": ["rectified", "penalty_fulfilled"], "commitment_signed": "true",
                            "signature": NAME_A}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def file(client: Any, data: dict[str, Any], files: list[tuple[str, bytes]] | None = None) -> Any:
    attached = [("退费凭证.pdf", PDF)] if files is None else files
    return client.post("/api/v1/repair/requests", data=data,
                       files=[("files", (name, content, "application/octet-stream")) for name, content in attached])


def test_a_company_sees_its_marks_in_machine_codes_and_words(database, world):
    answer = f.api_client(database, "company").get("/api/v1/repair/marks")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["credit_code"] == f.CODE_A and body["today"] == TODAY.isoformat()
    fee = next(m for m in body["items"] if m["key"] == "fee_violations")
    assert fee["mark"] == "records" and fee["severity"] == "general" and fee["severity_label"] == "一般失信行为"
    assert [r["record_id"] for r in fee["records"]] == ["SF-001"] and fee["records"][0]["kind_label"] == "收费违规"
    assert fee["earliest_on"] == "2025-09-01" and fee["publicity_ends_on"] == "2026-06-01"
    assert fee["eligible"] is True and all(c["ok"] for c in fee["checks"])
    assert {c["code"] for c in fee["checks"]} >= {"rectified", "commitment_signed", "no_new_same_kind"}
    assert all(c["label"] for c in fee["checks"])
    # Officers have no marks of their own.
    assert f.api_client(database, "officer").get("/api/v1/repair/marks").status_code == 403


def test_file_accept_decide_and_the_company_reads_its_decision(database, world):
    company = f.api_client(database, "company")
    filed = file(company, filing(world.cycle_id))
    assert filed.status_code == 201, filed.text
    body = filed.json()
    assert body["status"] == "submitted" and body["status_label"] == "待受理"
    assert body["mark"] == "records" and "SF-001" in body["mark_label"]
    assert body["credit_code"] == f.CODE_A and body["company_name"] == NAME_A
    assert body["filed_on"] == "2026-11-30" and body["accept_due_on"] == "2026-12-02"  # two working days
    assert body["conditions"] == ["commitment_signed", "penalty_fulfilled", "rectified"]
    assert [i["record_id"] for i in body["items"]] == ["SF-001"]
    assert body["attachments"][0]["content_type"] == "application/pdf"
    request_id = body["id"]
    # The evidence and the signed commitment come back to the company.
    assert company.get(body["attachments"][0]["url"]).content == PDF
    commitment = company.get(body["commitment_url"])
    assert commitment.status_code == 200 and commitment.content.startswith(b"%PDF")

    # Another company finds nothing: not the request, its evidence, its commitment, nor a line of the list.
    other = f.api_client(database, "company_b")
    for url in (f"/api/v1/repair/requests/{request_id}", body["commitment_url"], body["attachments"][0]["url"]):
        answer = other.get(url)
        assert answer.status_code == 404 and answer.json()["code"] == "not_found", url
    assert other.get("/api/v1/repair/requests").json()["items"] == []
    # A company cannot take the officer's steps.
    assert company.post(f"/api/v1/repair/requests/{request_id}/accept", json={}).status_code == 403

    officer = f.api_client(database, "officer")
    queue = officer.get("/api/v1/repair/requests?status=submitted").json()["items"]
    assert [r["id"] for r in queue] == [request_id] and queue[0]["working_days_left"] == 3
    accepted = officer.post(f"/api/v1/repair/requests/{request_id}/accept", json={"note": "材料齐全"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted" and accepted.json()["decide_due_on"] == "2026-12-07"
    # Deciding twice the same step is a conflict, not a failure.
    assert officer.post(f"/api/v1/repair/requests/{request_id}/accept", json={}).status_code == 409
    decided = officer.post(f"/api/v1/repair/requests/{request_id}/decide",
                           json={"reasons": "整改到位，符合修复条件。",
                                 "verification_note": "现场核查：已退还多收费用。"})
    assert decided.status_code == 200, decided.text
    result = decided.json()
    assert result["status"] == "repaired" and result["status_label"] == "已修复"
    assert result["repaired_on"] == "2026-11-30" and result["decision_document"]["doc_number"]

    mine = company.get(f"/api/v1/repair/requests/{request_id}").json()
    assert mine["status"] == "repaired" and mine["decision_document"] == result["decision_document"]
    pdf = company.get(mine["decision_document"]["url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    fee = next(m for m in company.get("/api/v1/repair/marks").json()["items"] if m["key"] == "fee_violations")
    assert fee["repaired"]["doc_number"] == result["decision_document"]["doc_number"]
    assert fee["repaired"]["note"].startswith("已修复（2026年11月30日，")


def test_a_refusal_states_reasons_and_the_day_to_refile(database, world):
    company = f.api_client(database, "company")
    request_id = file(company, filing(world.cycle_id)).json()["id"]
    officer = f.api_client(database, "officer")
    empty = officer.post(f"/api/v1/repair/requests/{request_id}/refuse", json={"reasons": ""})
    assert empty.status_code == 422 and empty.json()["details"][0]["field"].endswith("reasons")
    refused = officer.post(f"/api/v1/repair/requests/{request_id}/refuse", json={"reasons": "证明材料不能证明已退费。"})
    assert refused.status_code == 200, refused.text
    body = refused.json()
    assert body["status"] == "refused" and body["refused_stage"] == "acceptance"
    assert body["refused_stage_label"] == "不予受理" and body["refile_from"] and body["decision_document"]


@pytest.mark.parametrize(("changes", "status", "words"), [
    ({"mark": "nonsense"}, 400, None),
    ({"records": ["SF-001"]}, 400, "records"),
    ({"statement": ""}, 422, None),
    ({"statement": "x" * 3001}, 422, None),
    ({"cycle_id": "abc"}, 422, None),
    ({"cycle_id": "99999999999"}, 422, None),
    ({"conditions": ["rectified", "bribed"]}, 400, None),
    ({"signature": "别的公司"}, 400, "签名"),
    ({"records": [f"fee_violations:X{n}" for n in range(51)]}, 422, None),
    ({"statement": "联系人电话 13912345678，请回电。"}, 400, None),
])
def test_bad_filings_are_refused_in_chinese_never_a_server_error(database, world, changes, status, words):
    answer = file(f.api_client(database, "company"), filing(world.cycle_id, **changes))
    assert answer.status_code == status, answer.text
    shape = answer.json()
    assert set(shape) >= {"code", "message", "details"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in shape["message"]), shape
    if words:
        assert words in shape["message"] + str(shape["details"])


def test_a_filing_without_evidence_or_with_a_disguised_file_is_refused(database, world):
    client = f.api_client(database, "company")
    none = file(client, filing(world.cycle_id), files=[])
    assert none.status_code == 400 and "证明材料" in none.json()["message"]
    fake = file(client, filing(world.cycle_id), files=[("evidence.pdf", b"MZ\x90\x00 not a pdf")])
    assert fake.status_code == 400, fake.text
    assert client.get("/api/v1/repair/requests").json()["items"] == []


def test_officer_bodies_are_bounded(database, world):
    officer = f.api_client(database, "officer")
    too_long = officer.post("/api/v1/repair/requests/1/decide",
                            json={"reasons": "x" * 5001, "verification_note": "ok"})
    assert too_long.status_code == 422
    assert officer.post("/api/v1/repair/breaches/1", json={"action": "ignore", "note": "x"}).status_code == 422
    assert officer.post("/api/v1/repair/breaches/1", json={"action": "confirm", "note": "核实"}).status_code == 404
    assert officer.get("/api/v1/repair/requests?status=lost").status_code == 422
    detected = officer.post("/api/v1/repair/breaches/detect")
    assert detected.status_code == 200 and detected.json() == {"flagged": 0, "items": []}


def test_an_oversized_filing_is_refused_at_the_edge(database, world, monkeypatch):
    from rating_service.settings import get_settings

    monkeypatch.setattr(get_settings(), "attachment_limit_mb", 1)
    client = f.api_client(database, "company")
    answer = file(client, filing(world.cycle_id), files=[(f"p{n}.pdf", b"%PDF-1.4" + b"0" * 1024 * 1024)
                                                         for n in range(12)])
    assert answer.status_code == 413 and answer.json()["code"] == "body_too_large"
    assert client.get("/api/v1/repair/requests").json()["items"] == []
