"""The working-day calendar as data: an administrator enters a year the package does not know, or corrects days."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.workdays import holiday_calendar as calendar
from rating_service.workdays import service as workdays
from rating_service.workdays.holiday_calendar import CalendarUnknown, Schedule
from tests import factories as f

D = dt.date
UNKNOWN = max(calendar.package_years()) + 1  # the first year the package has no schedule for


def _enter(database, year=UNKNOWN, holidays=(), workdays_=(), whole_year=True):  # type: ignore[no-untyped-def]
    with database.write_session() as session:
        workdays.set_year(session=session, year=year, source="国办发明电（测试）", actor="admin",
                          holidays=[workdays.DayEntry(d, "节假日") for d in holidays],
                          workdays=[workdays.DayEntry(d, "调休上班") for d in workdays_], whole_year=whole_year)


def test_pure_schedule_rules():
    # A year an administrator declared: Monday to Friday work, listed days as entered.
    y = UNKNOWN
    monday = next(D(y, 3, d) for d in range(1, 8) if D(y, 3, d).weekday() == 0)
    schedule = Schedule(days={monday: False, monday + dt.timedelta(days=5): True}, years=frozenset({y}))
    assert not calendar.is_working_day(monday, schedule)
    assert calendar.is_working_day(monday + dt.timedelta(days=1), schedule)
    assert calendar.is_working_day(monday + dt.timedelta(days=5), schedule)  # the Saturday worked
    assert not calendar.is_working_day(monday + dt.timedelta(days=6), schedule)  # Sunday
    # Monday off: Friday before + 1 skips the weekend and the holiday Monday.
    assert calendar.add_working_days(monday - dt.timedelta(days=3), 1, schedule) == monday + dt.timedelta(days=1)
    # A day listed in a year nobody declared does not make the year known.
    with pytest.raises(CalendarUnknown):
        calendar.is_working_day(D(y + 1, 3, 3), Schedule(days={D(y + 1, 3, 2): False}))
    # An entry wins over the package too (a correction of a known year).
    assert calendar.is_working_day(D(2026, 2, 17)) is False
    assert calendar.is_working_day(D(2026, 2, 17), Schedule(days={D(2026, 2, 17): True})) is True


def test_entering_a_year_makes_deadlines_computable_and_is_audited(database):
    start = D(UNKNOWN, 1, 4)
    with database.read_session() as session, pytest.raises(CalendarUnknown):
        workdays.add_working_days(session, start, 5)
    _enter(database, holidays=[D(UNKNOWN, 1, 6)])
    with database.read_session() as session:
        deadline = workdays.add_working_days(session, start, 5)
        view = workdays.year_view(session=session, year=UNKNOWN)
    expected = start
    counted = 0
    while counted < 5:
        expected += dt.timedelta(days=1)
        if expected.weekday() < 5 and expected != D(UNKNOWN, 1, 6):
            counted += 1
    assert deadline == expected
    assert view["known"] and view["entered_by_admin"] and not view["in_package"]
    assert [(d["date"], d["working"], d["source"]) for d in view["days"]] == [(D(UNKNOWN, 1, 6), False, "admin")]
    from tests.rating_service.notices.test_issuing import _audit

    entries = _audit(database, "calendar.set_year", str(UNKNOWN))
    assert len(entries) == 1 and entries[0].actor == "admin"


def test_entering_a_year_again_replaces_it(database):
    _enter(database, holidays=[D(UNKNOWN, 1, 6), D(UNKNOWN, 1, 7)])
    _enter(database, holidays=[D(UNKNOWN, 1, 8)])
    with database.read_session() as session:
        view = workdays.year_view(session=session, year=UNKNOWN)
    assert [d["date"] for d in view["days"]] == [D(UNKNOWN, 1, 8)]


@pytest.mark.parametrize(("holidays", "workdays_", "key"), [
    ([D(2031, 12, 31)], [], "calendar_day_other_year"),
    ([D(2030, 5, 1)], [D(2030, 5, 1)], "calendar_day_twice"),
])
def test_bad_entries_are_refused_naming_the_item(database, holidays, workdays_, key):
    with pytest.raises(workdays.CalendarInvalid) as caught:
        _enter(database, year=2030, holidays=holidays, workdays_=workdays_)
    assert caught.value.key == key
    assert "第 1 项" in caught.value.message("zh")
    with database.read_session() as session:
        assert workdays.year_view(session=session, year=2030)["days"] == []  # nothing half-written


def test_publicize_uses_the_entered_year(database):
    from tests.rating_service.notices.helpers import computed_cycle, publicize

    f.load(database, *f.REFERENCE, "complaints")
    cycle_id = computed_cycle(database, "2025年度")
    late = D(UNKNOWN - 1, 12, 28)  # its deadline falls in the unknown year
    with pytest.raises(CalendarUnknown):
        publicize(database, cycle_id, late)
    _enter(database, holidays=[D(UNKNOWN, 1, 1)])
    publicize(database, cycle_id, late)
    with database.read_session() as session:
        from rating_service.cycles.models import Cycle

        cycle = session.get(Cycle, cycle_id)
        assert cycle.appeal_deadline is not None and cycle.appeal_deadline.year == UNKNOWN
        assert cycle.appeal_deadline == workdays.add_working_days(session, late, 5)


def test_api_reads_for_everyone_signed_in_and_writes_for_admins(database):
    f.make_user(database, "admin", "admin")
    f.make_user(database, "officer", "officer")
    admin = f.api_client(database, "admin")
    officer = f.api_client(database, "officer")
    body = {"source": "国办发明电（测试）", "holidays": [{"date": f"{UNKNOWN}-01-01", "name": "元旦"}],
            "workdays": [{"date": f"{UNKNOWN}-02-06", "name": "调休上班"}]}
    assert officer.put(f"/api/v1/calendar/{UNKNOWN}", json=body).status_code == 403
    response = admin.put(f"/api/v1/calendar/{UNKNOWN}", json=body)
    assert response.status_code == 200, response.text
    shown = officer.get(f"/api/v1/calendar/{UNKNOWN}").json()
    assert shown["known"] is True and shown["source"] == "国办发明电（测试）"
    assert [(d["date"], d["working"]) for d in shown["days"]] == [(f"{UNKNOWN}-01-01", False),
                                                                   (f"{UNKNOWN}-02-06", True)]
    package = officer.get("/api/v1/calendar/2026").json()
    assert package["in_package"] and any(d["date"] == "2026-02-14" and d["working"] for d in package["days"])
    bad = admin.put(f"/api/v1/calendar/{UNKNOWN}", json={**body, "holidays": [{"date": "2000-01-01"}]})
    assert bad.status_code == 400 and "第 1 项" in bad.json()["message"]


def test_cli_sets_and_shows_a_year(database, tmp_path):
    path = tmp_path / "schedule.yaml"
    path.write_text(f"source: 国办发明电（测试）\nholidays:\n  - {{date: {UNKNOWN}-01-01, name: 元旦}}\n"
                    f"workdays:\n  - {{date: {UNKNOWN}-02-06, name: 春节调休上班}}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["calendar", "set", str(UNKNOWN), str(path)])
    assert result.exit_code == 0, result.output
    assert f"{UNKNOWN}: 已知" in result.output and "春节调休上班" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("holidays:\n  - {name: 元旦}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["calendar", "set", str(UNKNOWN), str(broken)])
    assert result.exit_code == 2 and "无法读取" in result.output


def test_admin_page_enters_a_year_and_names_a_bad_line(database):
    f.make_user(database, "admin", "admin")
    client = f.page_client(database, "admin")
    page = client.get(f"/admin/calendar?year={UNKNOWN}")
    assert page.status_code == 200 and "未知" in page.text
    saved = client.post(f"/admin/calendar/{UNKNOWN}", data={
        "csrf_token": f.csrf_of(client), "source": "国办发明电（测试）", "whole_year": "true",
        "holidays": f"{UNKNOWN}-01-01 元旦\n\n{UNKNOWN}-02-08 春节", "workdays": f"{UNKNOWN}-02-06 春节调休上班"})
    assert saved.status_code == 303
    page = client.get(f"/admin/calendar?year={UNKNOWN}")
    assert "已知" in page.text and "春节调休上班" in page.text and "管理员录入" in page.text
    with database.read_session() as session:
        assert not calendar.is_working_day(D(UNKNOWN, 2, 8), workdays.schedule(session))
    bad = client.post(f"/admin/calendar/{UNKNOWN}", data={
        "csrf_token": f.csrf_of(client), "source": "x", "whole_year": "true", "holidays": "2027/01/01 元旦"})
    assert bad.status_code == 400 and "第 1 行" in bad.text
    page = client.get(f"/admin/calendar?year={UNKNOWN}")
    assert "春节调休上班" in page.text  # the bad save changed nothing
