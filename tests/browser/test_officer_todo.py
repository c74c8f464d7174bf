"""An officer's to-do list in a real browser: after logging in, the dashboard lists the undecided appeals (the
overdue one marked in words), the cycle waiting for its next step and next year's missing calendar, the navigation
shows the count, and a line's link opens the appeal's decision page.

With RATING_UPDATE_SCREENSHOTS=1 the dashboard at 1366 × 768 is written to docs/images/dashboard-todo.png (else to
the git-ignored tests/artifacts/browser/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from tests import factories as f
from tests.browser.test_company_phone import DOC_IMAGES, UPDATE_SCREENSHOTS, layout_problems
from tests.browser.test_officer_flow import ARTIFACTS, chromium, log_in, serving, watched_tab

pytestmark = pytest.mark.slow

NOTICE_DATE = dt.date(2026, 11, 16)  # a Monday: appeals close five working days later, Monday 2026-11-23
FILED_EARLY = dt.date(2026, 11, 17)  # decision due ten working days later: Tuesday 2026-12-01
FILED_LATE = dt.date(2026, 11, 20)  # due Friday 2026-12-04
TODAY = dt.date(2026, 12, 2)  # the first appeal is overdue, the second has three working days left


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[int]]]:
    """The Zongyang 2025 cycle publicized on NOTICE_DATE, two companies' appeals undecided, a draft 2026 cycle,
    an officer; today is TODAY (2027's calendar not entered). (URL, the appeals' ids)."""
    database, cycle_id = f.zongyang_publicized(tmp_path / "rating.db", NOTICE_DATE)
    with database.read_session() as session:
        ratings, _total = cycles_repo.list_ratings(session, cycle_id=cycle_id, sort="score")
    appeals = []
    for number, (rating, day) in enumerate(zip(ratings[:2], (FILED_EARLY, FILED_LATE), strict=True)):
        f.make_user(database, f"company{number}", "company", credit_code=rating.credit_code)
        with f.on_day(day):
            filed = f.api_client(database, f"company{number}").post(
                f"/api/v1/cycles/{cycle_id}/appeals", data={"grounds": "计算有误，请复核。", "scope": "calculation"})
        assert filed.status_code == 201, filed.text
        appeals.append(filed.json()["id"])
    with database.write_session() as session:
        cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(
            "2026年度", dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    f.make_user(database, "officer", "officer")
    f.pin_today(monkeypatch, TODAY)
    with serving(database, "uvicorn-officer-todo-test") as url:
        yield url, appeals


def test_the_officer_sees_the_pending_appeals_in_the_todo_and_opens_one(site: tuple[str, list[int]]) -> None:
    from playwright.sync_api import expect

    url, (overdue_id, pending_id) = site
    with chromium() as browser:
        errors: list[str] = []
        tab = watched_tab(browser, errors)
        log_in(tab, url, "officer")

        todo = tab.locator("#todo")
        expect(todo.locator('[data-todo="appeal"]')).to_have_count(2)
        overdue = todo.locator('[data-todo="appeal"].overdue')
        expect(overdue).to_have_count(1)
        expect(overdue).to_contain_text("已逾期")
        expect(overdue).to_contain_text("2026-12-01")
        expect(todo.locator('[data-todo="appeal"]:not(.overdue)')).to_contain_text("还剩 3 个工作日")
        expect(todo.locator('[data-todo="cycle"]')).to_contain_text("2026年度")
        expect(todo.locator('[data-todo="calendar"]')).to_contain_text("2027年的工作日历尚未录入")
        # Two appeals, the draft cycle, the calendar; the imports to check are listed apart, not counted.
        expect(tab.locator("nav #nav-todo")).to_have_text("4")
        expect(tab.locator("#todo-title")).to_have_text("待办（4）")
        assert layout_problems(tab) == []
        folder = DOC_IMAGES if UPDATE_SCREENSHOTS else ARTIFACTS
        folder.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(folder / "dashboard-todo.png"))

        overdue.get_by_role("link").click()
        tab.wait_for_url(f"{url}/appeals/{overdue_id}")
        expect(tab.locator("nav #nav-todo")).to_have_text("4")
        assert pending_id != overdue_id
        tab.context.close()
    assert errors == [], f"JavaScript errors on the pages: {errors}"
