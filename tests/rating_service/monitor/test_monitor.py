"""Early warning on the demo county: the running rating is `rating score` on the same records and period; the
planted companies slide with their driving records; a company sees only its own position; an adverse record never
raises a running score."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.settings import PROJECT_ROOT
from tests import factories as f

TODAY = dt.date(2026, 12, 3)
DEMO = PROJECT_ROOT / "fixtures" / "zongyang"
SLIDING = "9134072217486698XE"  # 诚信达: AA in 2025, planted to fall (fixtures/generate_2026.py)
NEAR_EDGE = "9134072299968403X0"  # 鸿泰: AA in 2025, planted just above the edge of A
COMPANY_1 = "91340722927900581W"  # 皖江 (demo account company1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The demo's 2025 data with its cycle computed, and the 2026 records so far imported."""
    from rating_service.cycles import service as cycles
    from rating_service.records.service import import_folder

    path = tmp_path_factory.mktemp("monitor") / "demo.db"
    with f.on_day(TODAY):
        database = f.zongyang_register(path, today=TODAY)
        with database.write_session() as session:
            import_folder(session, folder=DEMO / "2026", actor="test", today=TODAY)
            cycle_id = cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(
                "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31))).id
        cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="test")
    return database


def _running(database: Any) -> Any:
    from rating_service.monitor import service

    with database.read_session() as session:
        return service.running(session, today=TODAY)


def test_the_running_rating_is_rating_score_on_the_same_records_and_period(demo, tmp_path: Path):
    from rating_service.monitor import service

    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("companies", "communities", "contracts"):
        shutil.copy(DEMO / f"{name}.csv", folder / f"{name}.csv")
    for source in (DEMO / "2026").glob("*.csv"):
        shutil.copy(source, folder / source.name)
    with f.on_day(TODAY):
        result = CliRunner().invoke(app, ["score", "--data", str(folder), "--period", "2026-01-01:2026-12-03",
                                          "--format", "json"])
    assert result.exit_code == 0, result.output
    scored = {item["credit_code"]: (item["score"], item["grade"]) for item in json.loads(result.output)}

    current = _running(demo)
    assert (current.period.start, current.period.end) == (dt.date(2026, 1, 1), TODAY)
    # The rules in force today (ZY-2026 since 2026-01-01), as `rating score` takes those in force at the period's end.
    assert current.provisional and current.methodology.id == "ZY-2026" and current.last_cycle_name == "2025年度"
    running = {li.credit_code: (round(li.score, 4), li.grade) for li in service.lines(current)}
    assert len(running) == 18
    assert running == {code: (round(score, 4), grade) for code, (score, grade) in scored.items()}


def test_the_planted_companies_slide_with_their_driving_records(demo):
    from rating_service.monitor import service

    current = _running(demo)
    slide = {li.credit_code: li for li in service.sliding(current)}
    assert slide[SLIDING].below_last and (slide[SLIDING].last_grade, slide[SLIDING].grade) == ("AA", "A")
    edge = slide[NEAR_EDGE]
    assert not edge.below_last and edge.near_edge and edge.grade == edge.last_grade == "AA"
    assert edge.margin is not None and 0 <= edge.margin < 3 and edge.next_grade == "A"
    # Not every company slides, and a margin of nothing leaves only those below their last grade.
    assert 2 <= len(slide) < 18
    assert all(li.below_last for li in service.sliding(current, margin=0.0))
    with demo.read_session() as session:
        worded = service.drivers(session, current, [SLIDING, NEAR_EDGE])
    records = [r for d in worded[SLIDING] for r in d.records]
    labels = [d.label for d in worded[SLIDING]]
    assert "查实投诉" in labels and "巡查发现问题" in labels
    # The planted records, in words: the serious finding not rectified, the substantiated complaint resolved late.
    assert any("XC2026-P0001" in r and "严重" in r and "未整改" in r for r in records)
    assert any("GD2026-P" in r and "查实" in r and "逾期" in r for r in records)
    assert all("inspections" not in r and "complaints" not in r for r in records)  # no codes
    assert any("XC2026-P01" in r for d in worded[NEAR_EDGE] for r in d.records)


def test_a_company_sees_only_its_own_position(demo):
    f.make_user(demo, "company1", "company", credit_code=COMPANY_1)
    f.make_user(demo, "officer1", "officer")
    with f.on_day(TODAY):
        api = f.api_client(demo, "company1")
        mine = api.get("/api/v1/monitor/mine")
        assert mine.status_code == 200
        body = mine.json()
        assert body["provisional"] is True and body["position"]["credit_code"] == COMPANY_1
        assert SLIDING not in mine.text and "诚信达" not in mine.text
        # The last cycle (2025) is computed, not publicized: its grade is not the company's to see yet.
        assert body["position"]["last_grade"] is None and body["position"]["last_score"] is None
        assert api.get("/api/v1/monitor").status_code == 403
        page = f.page_client(demo, "company1").get("/monitor/mine")
        assert page.status_code == 200 and "暂定·不公开" in page.text and "安徽诚信达" not in page.text
        home = f.page_client(demo, "company1").get("/")
        assert 'id="monitor-home"' in home.text
        officer = f.api_client(demo, "officer1").get("/api/v1/monitor").json()
        assert SLIDING in {li["credit_code"] for li in officer["sliding"]}
        officer_page = f.page_client(demo, "officer1").get("/monitor")
        assert "安徽诚信达物业服务有限公司" in officer_page.text and "XC2026-P0001" in officer_page.text
        # Never published: nothing public mentions a running score.
        assert "暂定·不公开" not in f.page_client(demo).get("/public").text


def test_an_adverse_record_never_raises_a_running_score(demo):
    from rating_service.records.formats import KINDS
    from rating_service.records.service import import_files

    before = {li.credit_code: li.score for li in _lines(demo)}
    with f.on_day(TODAY), demo.write_session() as session:
        import_files(session, kind=KINDS["inspections"], actor="test", today=TODAY, files=[f.upload("inspections", [
            ["XC2026-T0001", "2026-11-02", "ZY-C001", None, "消防", "消防通道", "严重", "2026-11-09", None, None]])])
    after = {li.credit_code: li.score for li in _lines(demo)}
    assert after.keys() == before.keys()
    assert all(after[code] <= before[code] + 1e-9 for code in before)
    assert after[COMPANY_1] < before[COMPANY_1]  # ZY-C001 is 皖江's


def test_weekly_summary_is_frozen_and_replaced(demo):
    from rating_service.monitor import service

    with demo.write_session() as session:
        row = service.write_summary(session, today=TODAY, actor="test")
        assert row.week_start == dt.date(2026, 11, 30)
        again = service.write_summary(session, today=dt.date(2026, 12, 5), actor="test")
        assert again.id == row.id and len(service.summaries(session)) == 1
        data = service.summary_payload(again)
    lines = {li["credit_code"]: li for li in data["lines"]}
    assert SLIDING in lines and lines[SLIDING]["drivers"]["zh"] and lines[SLIDING]["drivers"]["en"]
    # Each writing is in the audit log, in words (who wrote which week's summary, how many companies it lists).
    from rating_service.audit import service as audit

    with demo.read_session() as session:
        found, total = audit.search(session, filters=audit.audit_filter(None, "monitor.summary", None, None, None,
                                                                        None))
        assert total == 2 and {e.entity_id for e in found} == {"2026-11-30"}
        readable = audit.readable(session, found[:1], "zh")[0]
        assert "2026-11-30 当周的信用预警周报" in readable.sentence and "monitor" not in readable.sentence
        assert any("预警企业数" in line for line in readable.details)


def _lines(database: Any) -> list[Any]:
    from rating_service.monitor import service

    return service.lines(_running(database))


def test_an_adopted_methodology_in_force_today_words_the_driving_records_too(tmp_path: Path):
    """The running rating takes the bureau's adopted version when it is the one in force; the records that drive a
    slide are still worded (the facts find an adopted methodology through the session they are read in)."""
    from rating_service.cycles import service as cycles
    from rating_service.methodologies import service as methodologies
    from rating_service.monitor import service
    from rating_service.records.service import import_folder
    from scoring.methodology import methodology_by_id

    with f.on_day(TODAY):
        database = f.zongyang_register(tmp_path / "adopted.db", today=TODAY)
        with database.write_session() as session:
            import_folder(session, folder=DEMO / "2026", actor="test", today=TODAY)
            cycle_id = cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(
                "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31))).id
        cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="test")
        draft = methodology_by_id("ZY-2026").model_copy(update={"id": "ZY-2026-local", "effective_from": TODAY})
        with database.write_session() as session:
            methodologies.adopt(session=session, draft=draft, actor="admin", reason="本县修订", based_on="ZY-2026",
                                today=TODAY)
    with database.read_session() as session:
        current = service.running(session, today=TODAY)
        assert current.methodology.id == "ZY-2026-local"
        worded = service.drivers(session, current, [SLIDING])
    assert worded[SLIDING] and all(driver.records for driver in worded[SLIDING])
