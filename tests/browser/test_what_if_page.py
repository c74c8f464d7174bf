"""The what-if and validation pages in a real browser at 1366×768: the weights' live total, rows added to a
scoring curve's table, the loading note (or the result) on submitting, the plain conclusion of the validation
report, and nothing out of place. Screenshots land in tests/artifacts/browser/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rating_service.cycles import service as cycles
from tests import factories as f
from tests.browser.test_company_phone import layout_problems
from tests.browser.test_officer_flow import ARTIFACTS, chromium, log_in, serving, watched_tab

pytestmark = pytest.mark.slow

HALVES = (("2025年上半年", dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
          ("2025年下半年", dt.date(2025, 7, 1), dt.date(2025, 12, 31)))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Zongyang data with its two half-year cycles computed, and an officer."""
    path = tmp_path_factory.mktemp("what-if") / "rating.db"
    database = f.zongyang_register(path, today=f.TODAY)
    for name, start, end in HALVES:
        with database.write_session() as session:
            cycle_id = cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(name, start, end)).id
        cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="test")
    f.make_user(database, "officer", "officer")
    with serving(database, "uvicorn-what-if-test") as url:
        yield url


@pytest.fixture
def page(served: str) -> Iterator[Any]:
    errors: list[str] = []
    with chromium() as browser:
        tab = watched_tab(browser, errors, timeout=60_000)
        log_in(tab, served, "officer")
        yield tab
        tab.context.close()
    assert errors == [], f"JavaScript errors on the pages: {errors}"


def _shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_the_what_if_page_totals_the_weights_as_you_type_and_shows_progress(served: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{served}/methodologies/what-if")
    total = page.locator("#weight-total")
    expect(total).to_have_text("合计 100%")
    page.get_by_label("巡查检查").first.fill("50")
    expect(total).to_have_text("合计 110%：应为 100%")
    expect(total).to_have_class("bad")
    page.get_by_label("投诉处置").first.fill("25")
    expect(total).to_have_text("合计 100%")

    inspections = page.locator("#curve-insp tbody tr")
    rows = inspections.count()
    page.locator(".curve-table", has=page.locator("#curve-insp")).get_by_role("button", name="添加一行").click()
    expect(inspections).to_have_count(rows + 1)
    inspections.last.get_by_role("button", name="删除").click()
    expect(inspections).to_have_count(rows)
    expect(page.locator("details#upload")).not_to_have_attribute("open", "")
    assert layout_problems(page) == []
    _shot(page, "what-if-form-1366")

    page.locator("input[name=band_AA]").fill("85")
    page.get_by_role("button", name="模拟").click()
    # The loading note while the server works, or already the result.
    expect(page.locator("#what-if-form[aria-busy=true] .busy-note, #what-if-matrix").first).to_be_visible()
    expect(page.locator("#what-if-matrix")).to_be_visible()
    expect(page.locator("#weight-total")).to_have_text("合计 100%")  # the form keeps what was tried
    assert layout_problems(page) == []
    _shot(page, "what-if-result-1366")


def test_the_validation_page_opens_with_its_conclusion(served: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{served}/validation")
    page.get_by_role("button", name="生成报告").click()
    expect(page.locator("#validation-form[aria-busy=true] .busy-note, #conclusion").first).to_be_visible()
    conclusion = page.locator("#conclusion")
    expect(conclusion).to_contain_text("区分能力")
    expect(page.locator("#back-test")).not_to_be_visible()  # folded under 技术指标与图表
    page.locator("details#technical > summary").click()
    expect(page.locator("#back-test")).to_be_visible()
    assert layout_problems(page) == []
    _shot(page, "validation-1366")
