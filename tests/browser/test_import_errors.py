"""The import page in a real browser at 1366 × 768: a 300-row bad file gives the errors by column and reason, the
first rows one by one and a link to the full list; the page fits. Screenshot: docs/images/import-errors.png when
RATING_UPDATE_SCREENSHOTS=1, else tests/artifacts/browser/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import factories as f
from tests.browser.test_company_phone import DOC_IMAGES, UPDATE_SCREENSHOTS, layout_problems
from tests.browser.test_officer_flow import ARTIFACTS, chromium, log_in, serving, watched_tab
from tests.rating_service.records.test_import_error_groups import _bad_inspections

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    database = f.zongyang_register(tmp_path / "rating.db")
    f.make_user(database, "officer", "officer")
    with serving(database, "uvicorn-import-errors") as url:
        yield url


def test_the_import_error_summary_at_1366(served: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    bad = tmp_path / "巡查记录.csv"
    bad.write_bytes(_bad_inspections())
    with chromium() as browser:
        errors: list[str] = []
        page: Any = watched_tab(browser, errors, accept_downloads=True)
        log_in(page, served, "officer")
        page.goto(f"{served}/imports")
        page.select_option("select[name=kind]", "inspections")
        page.set_input_files("input[name=files]", str(bad))
        page.get_by_role("button", name="导入").click()
        section = page.locator("#import-errors")
        expect(section).to_be_visible()
        expect(section.locator(".error-groups li")).to_have_count(2)
        expect(section.locator(".error-groups")).to_contain_text("「严重程度」300 行")
        assert section.locator("table.errors tbody tr:not(.note)").count() == 20
        assert layout_problems(page) == []
        with page.expect_download() as download:
            section.get_by_role("link", name="下载全部错误清单（XLSX）").click()
        assert download.value.suggested_filename == "导入错误清单.xlsx"
        page.evaluate("window.scrollTo(0, 0)")
        folder = DOC_IMAGES if UPDATE_SCREENSHOTS else ARTIFACTS
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "import-errors.png"))
        page.context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
