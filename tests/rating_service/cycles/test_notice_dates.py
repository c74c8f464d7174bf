"""Notice dates respect the appeal window: never before the day of publicizing (nor before the ratings were
computed), at most a setting's number of days ahead; refused through the API, the CLI and the page alike, naming
both dates, with nothing numbered or changed. Finalizing waits for the window to close."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from typer.testing import CliRunner

from rating_service.audit import service as audit
from rating_service.audit.repository import AuditFilter
from rating_service.cli import app
from rating_service.cycles import service as cycles
from rating_service.errors import Conflict
from tests import factories as f
from tests.conftest import TODAY
from tests.rating_service.notices.helpers import computed_cycle, counters, documents

runner = CliRunner()
# The probe's back-dated notice dates (CLI and API) and the day before today.
BACK_DATED = (dt.date(2020, 1, 6), dt.date(2025, 2, 3), TODAY - dt.timedelta(days=1))


def _world(database: Any) -> int:
    """The factory data's 2025 cycle, computed today (TODAY, a Saturday) by an officer who may publicize it."""
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    f.make_user(database, "officer", "officer")
    return computed_cycle(database, "2025年度", on=TODAY)


def _unchanged(database: Any, cycle_id: int) -> None:
    """Still computed: no notice date, no deadline, no document numbered, nothing audited."""
    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        assert (cycle.status, cycle.notice_date, cycle.appeal_deadline, cycle.publicized_at) == \
            ("computed", None, None, None)
        entries, _ = audit.search(session, filters=AuditFilter(entity_id=str(cycle_id)), limit=100)
        assert {e.action for e in entries if e.entity_kind == "cycle"} == {"cycle.create", "cycle.compute"}
        assert audit.verify(session).ok
    assert documents(database, cycle_id) == [] and counters(database) == {}


@pytest.mark.parametrize("notice_date", BACK_DATED)
def test_a_back_dated_notice_is_refused_by_the_api_naming_both_dates(database, notice_date):
    cycle_id = _world(database)
    api = f.api_client(database, "officer")
    response = api.post(f"/api/v1/cycles/{cycle_id}/publicize", json={"notice_date": notice_date.isoformat()})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "notice_date_refused"
    assert f"告知日期 {notice_date} 早于公示当日 {TODAY}，不能倒签" in body["message"]
    english = api.post(f"/api/v1/cycles/{cycle_id}/publicize", json={"notice_date": notice_date.isoformat()},
                       headers={"Accept-Language": "en"}).json()["message"]
    assert f"The notice date {notice_date} is before today, the day of publicizing ({TODAY})" in english
    _unchanged(database, cycle_id)


def test_a_back_dated_notice_is_refused_by_the_cli_naming_both_dates(database):
    cycle_id = _world(database)
    result = runner.invoke(app, ["cycle", "publicize", str(cycle_id), "--notice-date", "2020-01-06"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"告知日期 2020-01-06 早于公示当日 {TODAY}，不能倒签" in result.output
    _unchanged(database, cycle_id)


def test_the_publicize_form_offers_today_to_the_latest_date_and_refuses_a_back_dated_one(database):
    cycle_id = _world(database)
    page = f.page_client(database, "officer")
    form = page.get(f"/cycles/{cycle_id}").text
    latest = TODAY + dt.timedelta(days=14)
    assert (f'<input type="date" name="notice_date" value="{TODAY}" min="{TODAY}" max="{latest}">') in form
    assert f"告知日期（{TODAY} 至 {latest}，不能倒签）" in form
    refused = page.post(f"/cycles/{cycle_id}/publicize", data={"csrf_token": f.csrf_of(page),
                                                               "notice_date": "2025-02-03"})
    assert refused.status_code == 400
    assert f"告知日期 2025-02-03 早于公示当日 {TODAY}，不能倒签" in refused.text
    _unchanged(database, cycle_id)


def test_a_notice_date_before_the_ratings_were_computed_is_refused_naming_both_dates(database):
    """Only a clock that was set back can get there (computed "tomorrow"): the notice would predate its ratings."""
    f.load(database, *f.REFERENCE, "complaints")
    cycle_id = computed_cycle(database, "2025年度", on=TODAY + dt.timedelta(days=2))
    with database.write_session() as session, pytest.raises(cycles.NoticeDateRefused) as refused:
        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="officer", notice_date=TODAY)
    message = refused.value.message("zh")
    assert f"告知日期 {TODAY} 早于评价周期 {cycle_id} 的计算日期 {TODAY + dt.timedelta(days=2)}" in message
    _unchanged(database, cycle_id)


def test_a_notice_date_at_most_the_setting_ahead_is_accepted_and_names_its_year(database, monkeypatch):
    f.load(database, *f.REFERENCE, "complaints")
    far, near, new_year = (computed_cycle(database, name, on=dt.date(2025, 12, 29)) for name in ("远", "近", "跨年"))
    with f.on_day(dt.date(2025, 12, 29)):  # a Monday
        with database.write_session() as session, pytest.raises(cycles.NoticeDateRefused) as refused:
            cycles.publicize_cycle(session=session, cycle_id=far, actor="officer", notice_date=dt.date(2026, 1, 13))
        assert refused.value.message("zh") == (
            "告知日期 2026-01-13 距今天（2025-12-29）超过 14 天，最晚可选 2026-01-12："
            "过远的告知日期会使异议期迟迟不能结束。")
        with database.write_session() as session:
            cycles.publicize_cycle(session=session, cycle_id=near, actor="officer", notice_date=dt.date(2026, 1, 12))
        # Dated after New Year, the notices are numbered in the year of their date (the year they bear).
        with database.write_session() as session:
            cycles.publicize_cycle(session=session, cycle_id=new_year, actor="officer",
                                   notice_date=dt.date(2026, 1, 5))
    assert documents(database, far) == []
    assert {d.doc_number for d in documents(database, near)} == {f"枞住建信评〔2026〕{n}号" for n in (1, 2, 3)}
    assert [d.doc_number for d in documents(database, new_year)][0] == "枞住建信评〔2026〕4号"
    # The bound is a setting.
    from rating_service.settings import get_settings

    monkeypatch.setenv("RATING_NOTICE_DATE_MAX_DAYS_AHEAD", "0")
    get_settings.cache_clear()
    try:
        other = computed_cycle(database, "当天", on=TODAY)
        with database.write_session() as session, pytest.raises(cycles.NoticeDateRefused):
            cycles.publicize_cycle(session=session, cycle_id=other, actor="officer",
                                   notice_date=TODAY + dt.timedelta(days=1))
    finally:
        monkeypatch.delenv("RATING_NOTICE_DATE_MAX_DAYS_AHEAD")
        get_settings.cache_clear()


def test_finalizing_waits_until_the_window_has_closed(database):
    cycle_id = _world(database)
    with database.write_session() as session:  # today, Saturday 2026-11-28: the window runs to Friday 12-04
        deadline = cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="officer").appeal_deadline
    assert deadline == dt.date(2026, 12, 4)
    for day in (TODAY, deadline):
        with f.on_day(day), database.write_session() as session, pytest.raises(Conflict) as refused:
            cycles.finalize_cycle(session=session, cycle_id=cycle_id, actor="officer")
        assert f"异议期至 {deadline} 止（今天是 {day}）" in refused.value.message("zh")
    with f.appeals_closed(database, cycle_id) as later, database.write_session() as session:
        assert later == deadline + dt.timedelta(days=1)
        assert cycles.finalize_cycle(session=session, cycle_id=cycle_id, actor="officer").status == "finalized"


def test_the_simulated_clock_is_refused_in_production(monkeypatch):
    from rating_service import clock
    from rating_service.errors import RatingServiceError
    from rating_service.settings import get_settings

    monkeypatch.setenv("RATING_ENVIRONMENT", "production")
    monkeypatch.setenv("RATING_SECRET_KEY", "x" * 40)
    get_settings.cache_clear()
    try:
        with pytest.raises(RatingServiceError) as refused, clock.simulated(dt.date(2025, 1, 15)):
            pass
        assert "生产环境不能使用模拟日期（2025-01-15）" in refused.value.message("zh")
    finally:
        monkeypatch.delenv("RATING_ENVIRONMENT")
        monkeypatch.delenv("RATING_SECRET_KEY")
        get_settings.cache_clear()
