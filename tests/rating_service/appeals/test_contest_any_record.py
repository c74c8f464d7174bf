"""The appeal form lists every counted record (searched, filtered, paged), contests attribution, keeps what was
typed when a filing is refused, says a closed window first; the record page shows a record whole."""

from __future__ import annotations

import re

from rating_service.appeals import pages
from rating_service.cycles import repository as cycles_repo
from tests import factories as f
from tests.rating_service.notices.helpers import documents, payload


def _top(database, cycle_id, code):  # type: ignore[no-untyped-def]
    import json

    with database.read_session() as session:
        rating = cycles_repo.rating(session, cycle_id=cycle_id, credit_code=code)
        return {(e["kind"], e["record_id"]) for r in json.loads(rating.explanation)["reasons"] for e in r["evidence"]}


def test_a_record_outside_the_top_evidence_is_found_and_contested_for_its_attribution(database, published):
    # XC-0003 (江南, an inspection that found nothing) counts for 江南 but is none of its rating's evidence.
    assert ("inspections", "XC-0003") not in _top(database, published.cycle_id, f.CODE_B)
    client = f.page_client(database, "company_b")
    form = client.get(f"/cycles/{published.cycle_id}/appeals/new", params={"q": "金山"})
    assert form.status_code == 200
    assert 'value="inspections:XC-0003"' in form.text and "金山花园" in form.text
    assert 'value="complaints:GD-000002"' not in form.text  # the search keeps only 金山花园's records
    assert "INSP" not in form.text and "ZY-C00" not in form.text
    step2 = client.get(f"/cycles/{published.cycle_id}/appeals/new",
                       params={"records": "inspections:XC-0003", "step": "grounds"})
    assert 'name="records" value="inspections:XC-0003"' in step2.text
    assert "该记录发生时本企业已不再服务该小区" in step2.text
    filed = client.post(f"/cycles/{published.cycle_id}/appeals", data={
        "csrf_token": f.csrf_of(client), "scope": "records", "grounds": "合同已于当年终止。",
        "records": ["inspections:XC-0003"], "attribution": ["inspections:XC-0003"]})
    assert filed.status_code == 303, filed.text
    officer = f.page_client(database, "officer")
    appeal = officer.get(filed.headers["location"])
    assert "对归属有异议" in appeal.text and "该记录发生时本企业已不再服务该小区" in appeal.text
    assert "巡查检查 XC-0003 · 2025年5月9日 · 金山花园 · 设施维护 · 合格" in appeal.text
    # With an appeal pending, the form says so first, with a link to it, and shows no form.
    again = client.get(f"/cycles/{published.cycle_id}/appeals/new")
    assert 'id="appeal-closed"' in again.text and f'href="{filed.headers["location"]}"' in again.text
    assert 'id="appeal-form"' not in again.text and 'id="pick-form"' not in again.text


def test_the_api_accepts_any_counted_record_and_stores_the_attribution_contest(database, published):
    company = f.api_client(database, "company_b")
    response = company.post(f"/api/v1/cycles/{published.cycle_id}/appeals", data={
        "grounds": "合同已终止。", "scope": "records", "records": ["inspections:XC-0003"],
        "attribution": ["inspections:XC-0003"]})
    assert response.status_code == 201, response.text
    assert response.json()["items"] == [{"kind": "inspections", "record_id": "XC-0003", "contest": "attribution",
                                         "action": None, "amendment": None, "finding": None}]
    officer = f.api_client(database, "officer")
    decided = officer.post(f"/api/v1/appeals/{response.json()['id']}/decision", json={
        "outcome": "upheld", "reasons": "合同已终止，撤销。",
        "items": [{"kind": "inspections", "record_id": "XC-0003", "action": "void"}]})
    assert decided.status_code == 200, decided.text
    # The decision record says what was contested about the record.
    record = next(d for d in documents(database, published.cycle_id) if d.kind == "appeal_record")
    assert "（对归属有异议：该记录发生时本企业已不再服务该小区）" in payload(record)["items"][0]["record"]


def test_a_refused_filing_shows_the_form_again_with_the_error_by_its_field_and_the_text_kept(database, published):
    client = f.page_client(database, "company")
    refused = client.post(f"/cycles/{published.cycle_id}/appeals", data={
        "csrf_token": f.csrf_of(client), "scope": "records", "grounds": "我方理由：该记录有误。",
        "records": ["complaints:GD-000001", "inspections:XC-0002"]})  # XC-0002 is 江南's
    assert refused.status_code == 400
    assert 'id="appeal-form"' in refused.text and "我方理由：该记录有误。" in refused.text
    assert re.search(r'id="records-error">[^<]*XC-0002[^<]*不是本期计入你单位的记录', refused.text)
    assert 'name="records" value="complaints:GD-000001"' in refused.text  # the counted choice is kept
    empty = client.post(f"/cycles/{published.cycle_id}/appeals", data={
        "csrf_token": f.csrf_of(client), "scope": "records", "grounds": " ", "records": ["complaints:GD-000001"]})
    assert empty.status_code == 400 and 'id="grounds-error"' in empty.text


def test_the_pick_list_pages_and_carries_the_chosen_records(database, published, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    client = f.page_client(database, "company")
    first = client.get(f"/cycles/{published.cycle_id}/appeals/new")
    values = re.findall(r'<input type="checkbox" name="records" value="([^"]+)"', first.text)
    assert len(values) == 2 and 'id="next-page"' in first.text
    second = client.get(f"/cycles/{published.cycle_id}/appeals/new", params={"page": 2, "records": values[0]})
    assert f'<input type="hidden" name="records" value="{values[0]}">' in second.text
    assert values[0] not in re.findall(r'<input type="checkbox" name="records" value="([^"]+)"', second.text)
    assert 'id="chosen-list"' in second.text
    by_kind = client.get(f"/cycles/{published.cycle_id}/appeals/new", params={"kind": "fee_violations"})
    assert re.findall(r'<input type="checkbox" name="records" value="([^"]+)"', by_kind.text) == \
        ["fee_violations:SF-001"]
    march = client.get(f"/cycles/{published.cycle_id}/appeals/new", params={"month": "2025-03"})
    assert set(re.findall(r'<input type="checkbox" name="records" value="([^"]+)"', march.text)) == \
        {"inspections:XC-0001", "complaints:GD-000001"}


def test_a_closed_window_is_said_before_any_form(database, published):
    client = f.page_client(database, "company")
    with f.appeals_closed(database, published.cycle_id):
        page = client.get(f"/cycles/{published.cycle_id}/appeals/new")
    assert page.status_code == 200
    assert 'id="appeal-closed"' in page.text and "异议申诉期已于" in page.text
    assert "<form" not in page.text.split('id="appeal-closed"', 1)[1].split("</section>", 1)[0]


def test_the_record_page_shows_the_whole_record_its_attribution_and_effect(database, published):
    company = f.page_client(database, "company")
    page = company.get(f"/cycles/{published.cycle_id}/records/inspections/XC-0001")
    assert page.status_code == 200
    text = page.text
    for expected in ("检查部门", "城管", "问题类别", "乱堆乱放", "严重程度", "一般", "整改期限", "2025年3月12日",
                     "山水兰亭", "依物业服务合同管理", "计 2 分，计入“巡查发现问题”，即巡查检查指标的扣分。",
                     "楼道堆物"):
        assert expected in text, expected
    assert "minor" not in text and "INSP" not in text
    # Not its record: 404, as if it did not exist; an officer sees any record.
    assert company.get(f"/cycles/{published.cycle_id}/records/inspections/XC-0002").status_code == 404
    assert company.get(f"/cycles/{published.cycle_id}/records/inspections/NOPE").status_code == 404
    officer = f.page_client(database, "officer")
    other = officer.get(f"/cycles/{published.cycle_id}/records/inspections/XC-0002")
    assert other.status_code == 200 and "枞阳县江南物业管理有限公司" in other.text
