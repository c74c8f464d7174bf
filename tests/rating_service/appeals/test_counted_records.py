"""Every counted record of a company with its points and attribution (named, or by which contract)."""

from __future__ import annotations

import json

from rating_service.cycles import repository as cycles_repo
from tests import factories as f


def test_counted_records_show_points_and_the_contract_that_attributes_them(database, published):
    company = f.api_client(database, "company")
    body = company.get(f"/api/v1/cycles/{published.cycle_id}/ratings/{f.CODE_A}/records").json()
    by_id = {r["record_id"]: r for r in body["items"]}
    # GD-000001 names no company; 皖江 (CODE_A) has managed ZY-C001 since 2020-01-01.
    assert by_id["GD-000001"]["attribution"] == "contract"
    assert by_id["GD-000001"]["contract"] == {"community_id": "ZY-C001", "start": "2020-01-01", "end": None}
    # GD-000003 names 皖江 itself.
    assert by_id["GD-000003"]["attribution"] == "named" and by_id["GD-000003"]["contract"] is None
    # SF-001 (fee violation) names it too, with points.
    assert by_id["SF-001"]["points"] > 0
    # Nothing of 江南 (CODE_B): its named fee violation and major event are not here.
    assert "SF-002" not in by_id and "ZD-001" not in by_id
    # Every record of the rating's evidence is in the list.
    with database.read_session() as session:
        rating = cycles_repo.rating(session, cycle_id=published.cycle_id, credit_code=f.CODE_A)
        evidence = {e["record_id"] for r in json.loads(rating.explanation)["reasons"] for e in r["evidence"]}
    assert evidence <= set(by_id)
    page = f.page_client(database, "company").get(f"/cycles/{published.cycle_id}/companies/{f.CODE_A}/records")
    assert page.status_code == 200
    # Communities by name, attribution in a sentence, every record a link to its record page; no community code.
    assert "山水兰亭" in page.text and "ZY-C00" not in page.text
    assert "依物业服务合同管理（山水兰亭，2020年1月1日起，未约定结束日期）" in page.text
    assert "记录中载明的企业为安徽皖江物业服务有限公司" in page.text
    assert f'href="/cycles/{published.cycle_id}/records/complaints/GD-000001"' in page.text


def test_a_voided_record_no_longer_counts(database, published):
    company = f.api_client(database, "company")
    officer = f.api_client(database, "officer")
    appeal = company.post(f"/api/v1/cycles/{published.cycle_id}/appeals",
                          data={"grounds": "不属实", "scope": "records", "records": ["complaints:GD-000003"]}).json()
    decided = officer.post(f"/api/v1/appeals/{appeal['id']}/decision", json={
        "outcome": "upheld", "reasons": "成立", "items": [
            {"kind": "complaints", "record_id": "GD-000003", "action": "void"}]})
    assert decided.status_code == 200
    items = company.get(f"/api/v1/cycles/{published.cycle_id}/ratings/{f.CODE_A}/records").json()["items"]
    assert "GD-000003" not in {r["record_id"] for r in items}
    assert "GD-000001" in {r["record_id"] for r in items}
