"""Cycle pages: create through the form, compute in the background, publicize, finalize; the company drill-down."""

from __future__ import annotations

import json
import re
import time

from rating_service.cycles import service as cycles
from rating_service.jobs import service as jobs
from tests import factories as f

RECORDS = ("inspections", "complaints", "fee_violations", "commendations", "major_events")


def _officer(database):
    f.make_user(database, "officer", "officer")
    return f.page_client(database, "officer")


def _create(client, name="2025年度", start="2025-01-01", end="2025-12-31", **extra):
    return client.post("/cycles", data={"csrf_token": f.csrf_of(client), "name": name, "period_start": start,
                                        "period_end": end, **extra})


def _wait_for_job(client, job_id, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] != "running":
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still running after {timeout} s")


def _computed_cycle(database, client):
    f.load(database, *f.REFERENCE, *RECORDS)
    created = _create(client)
    cycle_id = int(created.headers["location"].rsplit("/", 1)[1])
    started = client.post(f"/cycles/{cycle_id}/compute", data={"csrf_token": f.csrf_of(client)})
    assert started.status_code == 303
    job_id = int(started.headers["location"].split("job=")[1])
    assert _wait_for_job(client, job_id)["status"] == "done"
    return cycle_id, job_id


def _publicize(client, cycle_id):
    response = client.post(f"/cycles/{cycle_id}/publicize", data={"csrf_token": f.csrf_of(client),
                                                                  "reason": "公示", "notice_date": ""})
    assert response.status_code == 303, response.text


def test_officer_creates_a_cycle_through_the_form_and_sees_it_listed(database):
    client = _officer(database)
    empty = client.get("/cycles")
    assert empty.status_code == 200 and "尚无评价周期" in empty.text and 'name="csrf_token"' in empty.text
    created = _create(client, methodology_id="")
    assert created.status_code == 303 and re.fullmatch(r"/cycles/\d+", created.headers["location"])
    page = client.get(created.headers["location"])
    assert page.status_code == 200
    assert "2025年度" in page.text and "草稿" in page.text and "ZY-2025" in page.text
    # Only the action the state allows is offered: a draft can be computed, not publicized or finalized.
    assert "/compute" in page.text and "/publicize" not in page.text and "/finalize" not in page.text
    assert "data-confirm=" in page.text and "尚未计算" in page.text
    listed = client.get("/cycles").text
    assert "2025年度" in listed and "2025-01-01 ～ 2025-12-31" in listed


def test_a_reversed_period_is_refused_with_a_readable_page(database):
    client = _officer(database)
    response = _create(client, start="2025-12-31", end="2025-01-01")
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"] and "出错了" in response.text


def test_forms_without_the_csrf_token_are_refused(database):
    client = _officer(database)
    response = client.post("/cycles", data={"name": "2025年度", "period_start": "2025-01-01",
                                            "period_end": "2025-12-31"})
    assert response.status_code == 403
    with database.read_session() as session:
        assert cycles.list_cycles(session=session) == []
    _create(client)
    with database.read_session() as session:
        cycle_id = cycles.list_cycles(session=session)[0].id
    assert client.post(f"/cycles/{cycle_id}/compute").status_code == 403
    assert client.post(f"/cycles/{cycle_id}/publicize", data={"reason": "x"}).status_code == 403


def test_computing_shows_distribution_quality_report_and_ratings(database):
    client = _officer(database)
    cycle_id, job_id = _computed_cycle(database, client)
    page = client.get(f"/cycles/{cycle_id}?job={job_id}")
    assert page.status_code == 200
    text = page.text
    assert "计算完成" in text and "已计算" in text and "重新计算" in text and "/publicize" in text
    # Every grade of the methodology has a bar, the empty ones included.
    chart = text.split('<svg class="chart"')[1].split("</svg>")[0]
    for grade, count in (("AAA", 0), ("AA", 1), ("A", 0), ("B", 0), ("C", 1)):
        assert f'data-grade="{grade}">{count} 家' in chart
    assert "数据质量报告" in text and "未归属记录" in text and "R0" in text
    ratings = text.split('id="ratings"')[1]
    assert f"/cycles/{cycle_id}/companies/{f.CODE_A}" in ratings and "安徽皖江物业服务有限公司" in ratings
    assert "83.2" in ratings and "65.2" in ratings
    row_b = ratings.split(f'<td class="code">{f.CODE_B}</td>')[1].split("</tr>")[0]
    assert "一票否决" in row_b and "黑榜" in row_b
    # Ranked best first.
    assert ratings.index(f.CODE_A) < ratings.index(f.CODE_B)


def test_drill_down_shows_points_reasons_evidence_and_path(database):
    client = _officer(database)
    cycle_id, _ = _computed_cycle(database, client)
    page = client.get(f"/cycles/{cycle_id}/companies/{f.CODE_A}")
    assert page.status_code == 200
    text = page.text
    assert "安徽皖江物业服务有限公司" in text and "83.2" in text and "AA" in text
    points = text.split('class="cards points"')[1].split("</table>")[0]
    assert "巡查检查" in points and "投诉处置" in points and "收费规范" in points
    assert "良好行为加分 B" in points and "综合得分 S" in points
    assert 'data-indicator="INSP"' in points and ">INSP<" not in points
    reasons = text.split("二、扣分原因")[1].split("三、升级路径")[0]
    for record_id in ("XC-0001", "SF-001", "GD-000003", "GD-000001"):
        assert record_id in reasons
    # evidence as facts, no code: GD-000003 was resolved 12 days after its deadline
    assert "投诉未按时办结" in reasons and "COMPL_TIMELY" not in reasons and "8月20日办结（逾期 12 天）" in reasons
    assert "升至 AAA 级还差" in text and "平均每次巡查的问题扣分降到 0.30 分及以下" in text
    assert "<summary>计算方法</summary>" in text
    assert "ZY-2025" in text and re.search(r"[0-9a-f]{64}", text)  # an officer sees the snapshot hash
    vetoed = client.get(f"/cycles/{cycle_id}/companies/{f.CODE_B}").text
    assert "因一票否决，等级评定为 C 级" in vetoed and "ZD-001" in vetoed


def test_company_sees_its_own_drill_down_only_after_publicity_and_never_another(database):
    officer = _officer(database)
    cycle_id, _ = _computed_cycle(database, officer)
    f.make_user(database, "company-a", "company", credit_code=f.CODE_A)
    company = f.page_client(database, "company-a")
    own = f"/cycles/{cycle_id}/companies/{f.CODE_A}"
    assert company.get(own).status_code == 404
    assert company.get(f"/cycles/{cycle_id}").status_code == 403
    _publicize(officer, cycle_id)
    page = company.get(own)
    assert page.status_code == 200 and "公示中" in page.text and "巡查检查" in page.text
    assert company.get(f"/cycles/{cycle_id}/companies/{f.CODE_B}").status_code == 404
    # The company's home page links to its drill-down.
    assert own in company.get("/").text


def test_publicize_then_finalize_through_the_buttons(database):
    client = _officer(database)
    cycle_id, _ = _computed_cycle(database, client)
    _publicize(client, cycle_id)
    page = client.get(f"/cycles/{cycle_id}").text
    # Within the appeal window the page says when finalizing becomes possible, and a finalize is refused.
    assert "公示中" in page and "/finalize" not in page and "/compute" not in page and "/publicize" not in page
    assert 'id="finalize-wait"' in page and "期满且全部异议处理完毕后方可定稿" in page
    early = client.post(f"/cycles/{cycle_id}/finalize", data={"csrf_token": f.csrf_of(client), "reason": "提前"})
    assert early.status_code == 409 and "异议期结束后才能定稿" in early.text
    with f.appeals_closed(database, cycle_id):
        page = client.get(f"/cycles/{cycle_id}").text
        assert "/finalize" in page and 'id="finalize-wait"' not in page
        done = client.post(f"/cycles/{cycle_id}/finalize", data={"csrf_token": f.csrf_of(client), "reason": "期满"})
    assert done.status_code == 303
    page = client.get(f"/cycles/{cycle_id}").text
    assert "已终评" in page and "/finalize" not in page and "不可再更改" in page
    with database.read_session() as session:
        assert cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id).status == "finalized"


def test_a_refused_transition_is_an_html_409(database):
    client = _officer(database)
    cycle_id, _ = _computed_cycle(database, client)
    response = client.post(f"/cycles/{cycle_id}/finalize", data={"csrf_token": f.csrf_of(client)})
    assert response.status_code == 409
    assert "text/html" in response.headers["content-type"] and "不能定稿" in response.text


def test_a_running_job_shows_a_progress_bar_that_polls_the_job(database):
    f.load(database, *f.REFERENCE)
    client = _officer(database)
    _create(client)
    with database.write_session() as session:
        cycle_id = cycles.list_cycles(session=session)[0].id
        job = cycles.start_job(session=session, kind="compute", cycle_id=cycle_id, actor="officer")
        job_id = job.id
    page = client.get(f"/cycles/{cycle_id}").text
    assert 'id="job-progress"' in page and f'data-job-url="/api/v1/jobs/{job_id}"' in page
    assert "正在计算" in page and "<progress" in page
    # No second compute can be started from the page while one runs.
    assert f"/cycles/{cycle_id}/compute" not in page


def test_a_failed_job_shows_its_translated_error(database):
    f.load(database, *f.REFERENCE)
    client = _officer(database)
    _create(client)
    with database.write_session() as session:
        cycle_id = cycles.list_cycles(session=session)[0].id
        job = cycles.start_job(session=session, kind="compute", cycle_id=cycle_id, actor="officer")
        job.status = "failed"
        job.error = json.dumps({"code": "invalid_transition", "key": "cycle_transition_refused",
                                "params": {"cycle_id": cycle_id, "action": {"zh": "计算", "en": "compute"},
                                           "status": {"zh": "公示中", "en": "publicized"},
                                           "allowed": {"zh": "草稿、已计算", "en": "draft, computed"}}})
        job_id = job.id
    zh = client.get(f"/cycles/{cycle_id}?job={job_id}").text
    assert "计算失败" in zh and "当前状态为“公示中”，不能计算" in zh
    en = client.get(f"/cycles/{cycle_id}?job={job_id}&lang=en").text
    assert "Computation failed" in en and "is publicized; it cannot compute" in en
    with database.read_session() as session:
        assert jobs.find(session, job_id).status == "failed"


def test_cycle_pages_are_for_officers_and_english_on_request(database):
    officer = _officer(database)
    cycle_id, _ = _computed_cycle(database, officer)
    anonymous = f.page_client(database).get(f"/cycles/{cycle_id}")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next=")
    english = officer.get(f"/cycles/{cycle_id}?lang=en").text
    assert "Grade distribution" in english and "Data-quality report" in english and "Recompute" in english
    drill = officer.get(f"/cycles/{cycle_id}/companies/{f.CODE_A}").text
    assert "1. Indicators" in drill and "2. Reasons" in drill and "Path to the next grade" in drill
    assert "评价周期" in officer.get("/cycles?lang=zh").text


def test_dashboard_lists_cycles_and_quick_links(database):
    client = _officer(database)
    assert "尚无评价周期" in client.get("/").text
    _create(client)
    page = client.get("/").text
    assert 'href="/imports"' in page and 'href="/cycles#new"' in page and "新建评价周期" in page
    panel = page.split('id="dashboard-cycles"')[1].split("</section>")[0]
    assert "2025年度" in panel and "草稿" in panel and re.search(r'href="/cycles/\d+"', panel)


def test_an_indicator_without_records_is_shown_as_not_assessed(database):
    client = _officer(database)
    f.load(database, *f.REFERENCE, "complaints")  # no inspections, so no inspection visits
    cycle_id = int(_create(client).headers["location"].rsplit("/", 1)[1])
    started = client.post(f"/cycles/{cycle_id}/compute", data={"csrf_token": f.csrf_of(client)})
    assert _wait_for_job(client, int(started.headers["location"].split("job=")[1]))["status"] == "done"
    points = client.get(f"/cycles/{cycle_id}/companies/{f.CODE_A}").text.split('class="cards points"')[1]
    row = points.split('data-indicator="INSP"')[1].split("</tr>")[0]
    assert "未评价" in row
