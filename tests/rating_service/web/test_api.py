"""The JSON API: uploads with the CLI's checks, filtered and paginated records, cycles end to end, one error shape."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from rating_service.records.models import Complaint
from tests import factories as f


def _officer(database):  # type: ignore[no-untyped-def]
    f.make_user(database, "officer", "officer")
    return f.api_client(database, "officer")


def _csv(kind, rows, **kw):  # type: ignore[no-untyped-def]
    return {"files": (f"{kind}.csv", f.upload(kind, rows, **kw).data, "text/csv")}


def test_upload_with_a_bad_row_lists_it_in_the_callers_language_and_writes_nothing(database):
    f.load(database, *f.REFERENCE)
    api = _officer(database)
    rows = [list(r) for r in f.COMPLAINTS]
    rows[1][1] = "2025-13-45"
    rejected = api.post("/api/v1/imports/complaints", files=_csv("complaints", rows))
    assert rejected.status_code == 400
    body = rejected.json()
    assert body["code"] == "import_rejected" and "未写入任何数据" in body["message"]
    assert body["details"] == [{"file": "complaints.csv", "row": 3, "column": "受理时间", "value": "2025-13-45",
                                "reason": "日期不存在。", "code": "date_impossible"}]
    english = api.post("/api/v1/imports/complaints", files=_csv("complaints", rows),
                       headers={"Accept-Language": "en"})
    assert "nothing was written" in english.json()["message"] and english.json()["details"][0]["row"] == 3
    with database.read_session() as session:
        assert session.execute(select(func.count()).select_from(Complaint)).scalar_one() == 0
    accepted = api.post("/api/v1/imports/complaints", files=_csv("complaints", f.COMPLAINTS))
    assert accepted.status_code == 200
    assert accepted.json()["files"][0]["inserted"] == 3
    batches = api.get("/api/v1/imports").json()
    assert batches[0]["kind"] == "complaints" and batches[0]["imported_by"] == "officer"


def test_uploads_over_the_size_limit_are_refused_before_parsing(database, monkeypatch):
    from rating_service.settings import get_settings

    api = _officer(database)
    monkeypatch.setattr(get_settings(), "upload_limit_mb", 0)
    response = api.post("/api/v1/imports/companies", files=_csv("companies", f.COMPANIES))
    assert response.status_code == 400 and "大小上限" in response.json()["message"]


def test_records_are_filtered_by_company_community_and_dates_and_paginated(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints")
    api = _officer(database)
    everything = api.get("/api/v1/records/complaints").json()
    assert everything["total"] == 3 and [r["record_id"] for r in everything["items"]] == \
        ["GD-000003", "GD-000002", "GD-000001"]  # newest first
    assert api.get(f"/api/v1/records/complaints?company={f.CODE_A}").json()["total"] == 1
    assert api.get("/api/v1/records/complaints?community=ZY-C002").json()["total"] == 2
    ranged = api.get("/api/v1/records/complaints?from=2025-03-06&to=2025-07-31").json()
    assert [r["record_id"] for r in ranged["items"]] == ["GD-000002"]
    page = api.get("/api/v1/records/complaints?limit=2&offset=2").json()
    assert page["total"] == 3 and [r["record_id"] for r in page["items"]] == ["GD-000001"]
    bad = api.get("/api/v1/records/complaints?from=yesterday")
    assert bad.status_code == 422 and bad.json()["code"] == "payload_invalid"


def test_deleting_a_record_needs_a_reason_and_is_audited(database):
    f.load(database, *f.REFERENCE, "complaints")
    api = _officer(database)
    assert api.delete("/api/v1/records/complaints/GD-000001").status_code == 422
    assert api.delete("/api/v1/records/complaints/GD-404?reason=x").status_code == 404
    assert api.delete("/api/v1/records/companies/x?reason=x").status_code == 400
    assert api.delete("/api/v1/records/complaints/GD-000001?reason=重复录入").json() == {"deleted": 1}
    assert api.get("/api/v1/records/complaints").json()["total"] == 2
    f.make_user(database, "admin", "admin")
    audit = f.api_client(database, "admin").get("/api/v1/audit?action=record.delete").json()
    assert [(e["actor"], e["entity_id"], e["reason"]) for e in audit["items"]] == \
        [("officer", "GD-000001", "重复录入")]


def test_a_cycle_runs_end_to_end_over_the_api(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "major_events")
    api = _officer(database)
    created = api.post("/api/v1/cycles", json={"name": "2025年度", "period_start": "2025-01-01",
                                               "period_end": "2025-12-31"})
    assert created.status_code == 201 and created.json()["status"] == "draft"
    cycle_id = created.json()["id"]
    refused = api.post(f"/api/v1/cycles/{cycle_id}/publicize", json={})
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transition"
    assert "草稿" in refused.json()["message"]
    assert api.post(f"/api/v1/cycles/{cycle_id}/publicize", json={},
                    headers={"Accept-Language": "en"}).json()["message"].startswith(f"Cycle {cycle_id} is draft")
    job = api.post(f"/api/v1/cycles/{cycle_id}/compute-jobs")
    assert job.status_code == 202
    for _ in range(300):
        state = api.get(f"/api/v1/jobs/{job.json()['id']}").json()
        if state["status"] != "running":
            break
        time.sleep(0.1)
    assert state["status"] == "done" and state["stage"] == "storing" and state["done"] == state["total"] == 2
    shown = api.get(f"/api/v1/cycles/{cycle_id}").json()
    assert shown["status"] == "computed" and sum(shown["grades"].values()) == 2
    assert list(shown["grades"]) == ["AAA", "AA", "A", "B", "C"]
    ratings = api.get(f"/api/v1/cycles/{cycle_id}/ratings?sort=score").json()
    assert [r["score"] for r in ratings["items"]] == sorted(r["score"] for r in ratings["items"])
    one = api.get(f"/api/v1/cycles/{cycle_id}/ratings/{f.CODE_B}").json()
    assert one["veto"] and one["explanation"]["reasons"][0]["code"] == "VETO"
    quality = api.get(f"/api/v1/cycles/{cycle_id}/quality").json()
    assert quality["summary"]["rated"] == 2
    # Today is 2026-11-28 (a Saturday): the notices may be dated the coming Tuesday, never back-dated.
    assert api.post(f"/api/v1/cycles/{cycle_id}/publicize", json={"notice_date": "2026-12-01"}
                    ).json()["notice_date"] == "2026-12-01"
    early = api.post(f"/api/v1/cycles/{cycle_id}/finalize", json={"reason": "提前"})
    assert early.status_code == 409 and "2026-12-08" in early.json()["message"]
    with f.appeals_closed(database, cycle_id):
        assert api.post(f"/api/v1/cycles/{cycle_id}/finalize", json={"reason": "公示期满"}).json()["status"] == \
            "finalized"
    assert api.get("/api/v1/cycles/999").status_code == 404


def test_a_second_background_compute_of_the_same_cycle_is_refused_while_one_runs(database):
    from rating_service.cycles import service as cycles

    f.load(database, *f.REFERENCE)
    api = _officer(database)
    cycle_id = api.post("/api/v1/cycles", json={"name": "x", "period_start": "2025-01-01",
                                                "period_end": "2025-12-31"}).json()["id"]
    with database.write_session() as session:
        cycles.start_job(session=session, kind="compute", cycle_id=cycle_id, actor="someone")
    second = api.post(f"/api/v1/cycles/{cycle_id}/compute-jobs")
    assert second.status_code == 409 and "正在计算" in second.json()["message"]


def test_openapi_documents_the_api(database):
    spec = f.api_client(database).get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/v1/imports/{kind}", "/api/v1/records/{kind}", "/api/v1/cycles", "/api/v1/cycles/{cycle_id}",
                 "/api/v1/cycles/{cycle_id}/ratings/{credit_code}", "/api/v1/cycles/{cycle_id}/quality",
                 "/api/v1/companies", "/api/v1/communities", "/api/v1/auth/token"):
        assert path in paths
    assert not any(p.startswith("/cycles") or p == "/login" for p in paths)  # pages stay out of the API docs


def test_jobs_left_running_by_a_dead_server_are_failed_when_it_starts(database):
    from rating_service.cycles import service as cycles

    f.load(database, *f.REFERENCE)
    api = _officer(database)
    cycle_id = api.post("/api/v1/cycles", json={"name": "x", "period_start": "2025-01-01",
                                                "period_end": "2025-12-31"}).json()["id"]
    with database.write_session() as session:
        job_id = cycles.start_job(session=session, kind="compute", cycle_id=cycle_id, actor="officer").id
    with database.write_session() as session:
        assert cycles.fail_interrupted_jobs(session=session) == 1
    job = api.get(f"/api/v1/jobs/{job_id}").json()
    assert job["status"] == "failed" and job["error"]["key"] == "job_interrupted"
    # The cycle can be computed again at once.
    assert api.post(f"/api/v1/cycles/{cycle_id}/compute-jobs", json={"reason": "重启后重算"}).status_code == 202
    for _ in range(300):
        if api.get(f"/api/v1/cycles/{cycle_id}").json()["status"] == "computed":
            break
        time.sleep(0.1)
    f.make_user(database, "admin", "admin")
    entries = f.api_client(database, "admin").get("/api/v1/audit?action=cycle.compute").json()["items"]
    assert [(e["actor"], e["reason"]) for e in entries] == [("officer", "重启后重算")]


def test_the_language_switch_keeps_the_pages_other_parameters(database):
    f.make_user(database, "admin", "admin")
    page = f.page_client(database, "admin").get("/admin/audit?actor=officer&action=cycle.")
    assert 'href="?actor=officer&amp;action=cycle.&amp;lang=en"' in page.text
