"""The officers' to-do list (待办) on the dashboard and its count in the navigation: each line links to where the
work is done, and goes away once it is done."""

from __future__ import annotations

import datetime as dt
import re

from rating_service.cycles import service as cycles
from rating_service.workdays import service as workdays
from tests import factories as f
from tests.rating_service.notices.helpers import computed_cycle
from tests.rating_service.todo.conftest import file_appeal


def _todo(page_text: str) -> str:
    found = re.search(r'<section id="todo".*?</section>', page_text, re.S)
    assert found is not None, page_text
    return found.group(0)


def _lines(page_text: str, kind: str) -> list[str]:
    return re.findall(rf'<li data-todo="{kind}".*?</li>', _todo(page_text), re.S)


def _badge(page_text: str) -> int | None:
    found = re.search(r'<span class="nav-badge" id="nav-todo"[^>]*>(\d+)</span>', page_text)
    return int(found.group(1)) if found else None


def test_a_pending_appeal_is_listed_with_its_due_date_and_link_until_it_is_decided(database, published):
    appeal = file_appeal(database, published.cycle_id)
    officer = f.page_client(database, "officer")
    page = officer.get("/")
    (line,) = _lines(page.text, "appeal")
    assert f'href="/appeals/{appeal["id"]}"' in line
    assert appeal["due_on"] in line and "安徽皖江物业服务有限公司" in line and "2025年度" in line
    assert "还剩" in line and "已逾期" not in line and "overdue" not in line
    assert _badge(page.text) == 1

    decided = f.api_client(database, "officer").post(
        f"/api/v1/appeals/{appeal['id']}/decision", json={"outcome": "rejected", "reasons": "计算无误。", "items": []})
    assert decided.status_code == 200, decided.text
    page = officer.get("/")
    assert _lines(page.text, "appeal") == []
    assert _badge(page.text) is None


def test_an_appeal_past_its_due_date_is_marked_overdue_in_words(database, published, monkeypatch):
    appeal = file_appeal(database, published.cycle_id)
    f.pin_today(monkeypatch, dt.date.fromisoformat(appeal["due_on"]) + dt.timedelta(days=1))
    (line,) = _lines(f.page_client(database, "officer").get("/").text, "appeal")
    assert 'class="overdue"' in line and "已逾期" in line and "还剩" not in line
    english = f.page_client(database, "officer").get("/?lang=en").text
    assert "Overdue" in _lines(english, "appeal")[0]


def test_the_badge_shows_on_every_officer_page_and_never_to_companies(database, published):
    file_appeal(database, published.cycle_id)
    officer = f.page_client(database, "officer")
    assert _badge(officer.get("/cycles").text) == 1
    assert _badge(officer.get(f"/cycles/{published.cycle_id}").text) == 1
    company = f.page_client(database, "company")
    home = company.get("/")
    assert home.status_code == 200
    assert 'id="todo"' not in home.text and 'data-todo=' not in home.text and _badge(home.text) is None
    assert _badge(f.page_client(database).get("/verify").text) is None


def test_cycles_waiting_for_their_next_step_link_to_it(database, monkeypatch):
    f.pin_today(monkeypatch, dt.date(2026, 1, 6))
    f.load(database, *f.REFERENCE, "inspections", "complaints")
    f.make_user(database, "officer", "officer")
    cycle_id = computed_cycle(database, "2025年度")
    with database.write_session() as session:
        draft = cycles.create_cycle(session=session, actor="officer", draft=cycles.CycleDraft(
            "2025年度（复核）", dt.date(2025, 1, 1), dt.date(2025, 12, 31))).id
    page = f.page_client(database, "officer").get("/").text
    lines = {re.search(r'href="/cycles/(\d+)#actions"', line).group(1): line for line in _lines(page, "cycle")}
    assert "去公示" in lines[str(cycle_id)] and "2025年度" in lines[str(cycle_id)]
    assert "去计算" in lines[str(draft)]
    assert _badge(page) == 2 and "待办（2）" in _todo(page)


def test_a_publicized_cycle_waits_to_be_finalized_once_its_window_closed_and_no_appeal_is_pending(database, published):
    appeal = file_appeal(database, published.cycle_id)
    officer = f.page_client(database, "officer")
    assert _lines(officer.get("/").text, "cycle") == []  # the window is open
    with f.appeals_closed(database, published.cycle_id):
        assert _lines(officer.get("/").text, "cycle") == []  # an appeal is still pending
        f.api_client(database, "officer").post(f"/api/v1/appeals/{appeal['id']}/decision",
                                               json={"outcome": "rejected", "reasons": "计算无误。", "items": []})
        (line,) = _lines(officer.get("/").text, "cycle")
    assert "去定稿" in line and "2026-01-19" in line


def test_next_years_calendar_is_asked_for_from_1_december(database, monkeypatch):
    f.make_user(database, "officer", "officer")
    f.make_user(database, "admin", "admin")
    officer = f.page_client(database, "officer")
    f.pin_today(monkeypatch, dt.date(2026, 11, 30))
    assert _lines(officer.get("/").text, "calendar") == []
    f.pin_today(monkeypatch, dt.date(2026, 12, 1))  # the package does not know 2027
    page = officer.get("/").text
    (line,) = _lines(page, "calendar")
    assert "2027年的工作日历尚未录入" in line and "公示评价结果将被拒绝" in line
    assert "系统管理员" in line and "/admin/calendar" not in line  # an officer cannot enter it
    assert _badge(page) == 1
    (line,) = _lines(f.page_client(database, "admin").get("/").text, "calendar")
    assert 'href="/admin/calendar?year=2027"' in line
    with database.write_session() as session:
        workdays.set_year(session=session, year=2027, holidays=[], workdays=[], source="国办发明电", actor="admin")
    page = officer.get("/").text
    assert _lines(page, "calendar") == [] and _badge(page) is None


def test_an_import_that_left_records_unattributed_is_listed(database):
    f.load(database, *f.REFERENCE)
    f.make_user(database, "officer", "officer")
    # 山水兰亭 (ZY-C001) has been under contract since 2020: a 2019 inspection naming no company falls to nobody.
    early = ["XC-0100", "2019-06-03", "ZY-C001", None, "城管", "乱堆乱放", "一般", None, None, None]
    from rating_service.records.formats import KINDS
    from rating_service.records.service import import_files

    with database.write_session() as session:
        import_files(session, kind=KINDS["inspections"], actor="test", today=f.TODAY,
                     files=[f.upload("inspections", [*f.INSPECTIONS, early], name="巡查2019.csv")])
    (line,) = _lines(f.page_client(database, "officer").get("/").text, "import")
    assert "巡查2019.csv" in line and "1 条未归属记录" in line and 'href="/imports"' in line
    # A contract covering that day attributes the record: the line goes.
    with database.write_session() as session:
        import_files(session, kind=KINDS["contracts"], actor="test", today=f.TODAY,
                     files=[f.upload("contracts", [*f.CONTRACTS, ["ZY-C001", f.CODE_B, "2018-01-01", "2019-12-31"]])])
    assert _lines(f.page_client(database, "officer").get("/").text, "import") == []


def test_nothing_to_do_says_so(database):
    f.make_user(database, "officer", "officer")
    page = f.page_client(database, "officer").get("/").text
    assert "暂无待办事项" in _todo(page) and _badge(page) is None



def test_appeals_past_the_listed_number_are_counted_and_said(database, published, monkeypatch):
    from rating_service.todo import service

    file_appeal(database, published.cycle_id)
    monkeypatch.setattr(service, "APPEALS_LISTED", 0)
    page = f.page_client(database, "officer").get("/").text
    assert _lines(page, "appeal") == [] and "另有 1 件未处理的异议" in _todo(page)
    assert _badge(page) == 1 and "待办（1）" in _todo(page)
