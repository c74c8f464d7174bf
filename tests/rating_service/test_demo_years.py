"""`rating demo` with two years: 2024 imported and rated to final, 2025 computed as before, twice the same; and a short
2026 cycle (January to May) computed under ZY-2026."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rating_service.audit import service as audit
from rating_service.audit.repository import AuditFilter
from rating_service.cli import app, demo
from rating_service.companies.repository import record_counts
from rating_service.cycles.models import Cycle, Rating
from rating_service.cycles.service import to_local_date
from rating_service.notices.models import Document
from rating_service.settings import to_local

runner = CliRunner()
RATING_FIELDS = ("credit_code", "name", "score", "grade", "band_grade", "bonus", "veto", "provisional", "red_list",
                 "black_list", "exposure", "visits", "methodology_id", "snapshot_hash", "explanation")


def _cycles(database: Any) -> dict[str, Cycle]:
    with database.read_session() as session:
        return {c.name: c for c in session.scalars(select(Cycle).order_by(Cycle.id))}


def _ratings(database: Any, cycle_id: int) -> list[tuple[Any, ...]]:
    with database.read_session() as session:
        rows = session.scalars(select(Rating).where(Rating.cycle_id == cycle_id).order_by(Rating.credit_code))
        return [tuple(getattr(r, f) for f in RATING_FIELDS) for r in rows]


def _documents(database: Any, cycle_id: int) -> list[Document]:
    with database.read_session() as session:
        return list(session.scalars(select(Document).where(Document.cycle_id == cycle_id)))


def test_demo_rates_2024_to_final_and_computes_2025_as_cycle_1(database):
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "fixtures/zongyang/2024/" in first.output
    assert "评价周期 2「2024年度」：已终评" in first.output and "评价周期 1「2025年度」：已计算" in first.output
    cycles = _cycles(database)
    assert list(cycles) == ["2025年度", "2024年度", RUNNING]
    current, past = cycles["2025年度"], cycles["2024年度"]
    assert (current.id, current.status, current.compute_count) == (1, "computed", 1)
    assert (past.id, past.status, past.compute_count) == (2, "finalized", 1)
    assert (past.period_start, past.period_end) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert past.notice_date == dt.date(2025, 1, 15) and past.appeal_deadline == dt.date(2025, 1, 22)
    # Nothing back-dated: 2024 was computed and publicized on a simulated 2025-01-15 and finalized on 2025-01-23,
    # the day after its appeal window closed; the audit log (real times) names the simulated days in its reasons.
    assert [to_local_date(t) for t in (past.computed_at, past.publicized_at, past.finalized_at)] == \
        [dt.date(2025, 1, 15), dt.date(2025, 1, 15), dt.date(2025, 1, 23)]
    assert "演示：“2024年度”按模拟日期 2025-01-15 计算、公示，2025-01-23 定稿" in " ".join(first.output.split())
    with database.read_session() as session:
        entries, _ = audit.search(session, filters=AuditFilter(action="cycle.", entity_id=str(past.id)), limit=10)
    assert {e.action: e.reason for e in entries} == {
        "cycle.create": None, "cycle.compute": "演示数据：模拟日期 2025-01-15",
        "cycle.publicize": "演示数据：模拟日期 2025-01-15", "cycle.finalize": "演示数据：模拟日期 2025-01-23"}
    now = to_local(dt.datetime.now(dt.UTC))
    assert all(abs(to_local(e.at) - now) < dt.timedelta(hours=1) for e in entries)  # the real time
    assert past.methodology_id == current.methodology_id == "ZY-2025"  # no rules before 2025: rated in retrospect
    assert past.rated == current.rated == 18
    issued = _documents(database, past.id)
    assert len(issued) == 19 and {d.doc_year for d in issued} == {2025}
    assert _documents(database, current.id) == []  # 2025: the officer publicizes it

    # Every year's records are stored (2026's so far too: fixtures/zongyang/2026/); a cycle counts only its own.
    with database.read_session() as session:
        counts = record_counts(session)
    assert 2000 <= counts["inspections"] <= 2300 and 3200 <= counts["complaints"] <= 3500
    past_ratings = {r[0]: r for r in _ratings(database, past.id)}
    current_ratings = {r[0]: r for r in _ratings(database, current.id)}
    assert past_ratings.keys() == current_ratings.keys()
    assert all("XC2025-" not in r[-1] and "GD2025-" not in r[-1] for r in past_ratings.values())
    assert any("XC2024-" in r[-1] for r in past_ratings.values())
    assert all("XC2024-" not in r[-1] and "GD2024-" not in r[-1] for r in current_ratings.values())
    # The same companies are good (or bad) in both years, not exactly alike.
    scores = pd.DataFrame({"2024": {c: r[2] for c, r in past_ratings.items()},
                           "2025": {c: r[2] for c, r in current_ratings.items()}})
    assert 0.3 < scores["2024"].corr(scores["2025"], method="spearman") < 1

    # Running it again changes nothing: no new rows, 2024 left alone, 2025 recomputed to the same ratings.
    finalized_at = past.finalized_at
    second = runner.invoke(app, ["demo"])
    assert second.exit_code == 0, second.output
    assert "新增 0" in second.output and "新增 1" not in second.output
    assert "评价周期“2024年度”已是“已终评”状态，保持不变。" in second.output
    with database.read_session() as session:
        assert record_counts(session) == counts
    again = _cycles(database)
    assert list(again) == ["2025年度", "2024年度", RUNNING]
    assert (again["2024年度"].status, again["2024年度"].compute_count) == ("finalized", 1)
    assert again["2024年度"].finalized_at == finalized_at
    assert (again["2025年度"].status, again["2025年度"].compute_count) == ("computed", 2)
    assert {r[0]: r for r in _ratings(database, past.id)} == past_ratings
    assert {r[0]: r for r in _ratings(database, current.id)} == current_ratings
    assert len(_documents(database, past.id)) == 19
    assert (again[RUNNING].id, again[RUNNING].status, again[RUNNING].compute_count) == (3, "computed", 1)


RUNNING = "2026年1—5月"


def test_the_2026_cycle_is_rated_with_zy_2026_and_the_monitor_measures_from_its_end(database):
    """The short 2026 cycle is cycle 3, created after the others, rated with the version in force at its period's
    end (ZY-2026: the explanations carry the late rate) while the earlier years keep ZY-2025. As the last rated cycle
    it is the early warning's baseline: the running period starts on 2026-06-01 and still holds the slides planted
    from June (docs/monitor.md). The demo run again leaves it as it stands."""
    import json

    from rating_service.monitor import service as monitor

    first = runner.invoke(app, ["demo", "--no-accounts"])
    assert first.exit_code == 0, first.output
    line = f"评价周期 3「{RUNNING}」：已计算；期间 2026-01-01 至 2026-05-31；评价细则 ZY-2026"
    assert line in " ".join(first.output.split())
    cycles = _cycles(database)
    running = cycles[RUNNING]
    assert (running.id, running.status, running.period_start, running.period_end, running.rated) == \
        (3, "computed", dt.date(2026, 1, 1), dt.date(2026, 5, 31), 18)
    assert running.methodology_id == "ZY-2026"
    assert cycles["2025年度"].methodology_id == cycles["2024年度"].methodology_id == "ZY-2025"
    ratings = _ratings(database, running.id)
    assert {r[RATING_FIELDS.index("methodology_id")] for r in ratings} == {"ZY-2026"}
    assert all("XC2025-" not in r[-1] and "GD2025-" not in r[-1] for r in ratings)  # its own period's records
    assert any("XC2026-" in r[-1] for r in ratings)
    parts = [next(line for line in json.loads(r[-1])["indicators"] if line["code"] == "COMPL")["parts"]
             for r in ratings]
    assert all("l" in p and "late" in p and "t" not in p for p in parts) and any(p["late"] for p in parts)
    with database.read_session() as session:
        current = monitor.running(session)
        sliding = {line.name for line in monitor.sliding(current)}
    assert (current.last_cycle_name, current.period.start) == (RUNNING, dt.date(2026, 6, 1))
    assert current.methodology.id == "ZY-2026"
    assert {"安徽诚信达物业服务有限公司", "枞阳县鸿泰物业管理有限公司"} <= sliding  # planted from June 2026
    second = runner.invoke(app, ["demo", "--no-accounts"])
    assert second.exit_code == 0, second.output
    again = _cycles(database)[RUNNING]
    assert (again.id, again.status, again.compute_count) == (3, "computed", 1)
    assert _ratings(database, running.id) == ratings
    assert _cycles(database)["2025年度"].methodology_id == "ZY-2025"


def test_2025_ratings_are_those_of_the_2025_files_alone(database, monkeypatch: pytest.MonkeyPatch):
    # The demo as it was: the 2025 folder only, one cycle.
    monkeypatch.setattr(demo, "DEMO_PAST_CYCLES", ())
    alone = runner.invoke(app, ["demo", "--no-accounts"])
    assert alone.exit_code == 0, alone.output
    assert list(_cycles(database)) == ["2025年度", RUNNING]
    before = _ratings(database, 1)
    assert len(before) == 18
    # Then with 2024: its records come in, its cycle is taken to final, and cycle 1 is recomputed on a snapshot
    # that holds both years; it rates only 2025's records, so every rating (and the snapshot hash) is as before.
    monkeypatch.undo()
    both = runner.invoke(app, ["demo", "--no-accounts"])
    assert both.exit_code == 0, both.output
    cycles = _cycles(database)
    assert cycles["2024年度"].status == "finalized"
    assert cycles["2025年度"].compute_count == 2
    assert cycles["2025年度"].snapshot_batch == cycles["2024年度"].snapshot_batch  # both see both years
    assert _ratings(database, 1) == before


def test_demo_without_the_2024_folder_rates_2025_only(database, monkeypatch: pytest.MonkeyPatch, tmp_path):
    missing = tmp_path / "2024"
    monkeypatch.setattr(demo, "DEMO_PAST_CYCLES", ((missing, "2024年度", "2024-01-01", "2024-12-31", "2025-01-15"),))
    result = runner.invoke(app, ["demo", "--no-accounts"])
    assert result.exit_code == 0, result.output
    assert list(_cycles(database)) == ["2025年度", RUNNING]


def test_the_demo_years_back_test_finds_the_planted_quality(database):
    """The generator's latent quality drives both years: 2024's scores rank 2025's outcomes well above chance
    (18 companies, so the bar is set on the two outcomes the quality drives most)."""
    from rating_service.validation import service as validation

    assert runner.invoke(app, ["demo", "--no-accounts"]).exit_code == 0
    cycles = _cycles(database)
    with database.read_session() as session:
        report = validation.validate(session=session, cycle_id=cycles["2024年度"].id, next_id=cycles["2025年度"].id,
                                     bootstrap=50, draws=10).as_dict()
    aucs = {o["code"]: o["auc"] for o in report["back_test"]["outcomes"]}
    assert aucs["complaint_rate_above_median"] >= 0.7 and aucs["fee_violation"] >= 0.7, aucs
    assert sum(sum(row) for row in report["migration"]["matrix"]) == report["migration"]["both"] == 18
