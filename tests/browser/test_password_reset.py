"""A forgotten company password in a real browser: the administrator resets it on /admin/users and reads the
temporary password; the company logs in with it, is kept on the change-password page until it sets its own, then
reaches its home. Screenshots in tests/artifacts/browser/ (accounts-*.png).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rating_service.accounts import service as accounts
from tests import factories as f
from tests.browser.test_company_phone import assert_fits
from tests.browser.test_officer_flow import ARTIFACTS, chromium, log_in, serving, watched_tab

pytestmark = pytest.mark.slow

NEW_PASSWORD = "amber-lantern-47"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The app over a fresh SQLite file with the Zongyang register, an admin and one company account."""
    database = f.zongyang_register(tmp_path / "rating.db")
    with database.read_session() as session:
        code = accounts.company_choices(session)[0].credit_code
    f.make_user(database, "admin", "admin")
    f.make_user(database, "wanjiang", "company", credit_code=code)
    with serving(database, "uvicorn-password-test") as url:
        yield url


def _tab(browser: Any, width: int, height: int, errors: list[str]) -> Any:
    # The reset asks first; the administrator says yes.
    return watched_tab(browser, errors, width=width, height=height, accept_dialogs=True)


def _shot(tab: Any, name: str) -> None:
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_admin_resets_a_company_password_and_the_company_must_change_it(served: str) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []
    with chromium() as browser:
        admin = _tab(browser, 1366, 900, errors)
        log_in(admin, served, "admin")
        admin.locator("nav").get_by_role("link", name="账户管理").click()
        admin.wait_for_url(f"{served}/admin/users")
        row = admin.locator("tbody tr", has_text="wanjiang")
        row.get_by_role("button", name="重置密码").click()
        shown = admin.locator("#temporary-password")
        expect(shown).to_be_visible()
        temporary = shown.inner_text().strip()
        assert len(temporary) == 19
        expect(admin.locator(".temporary-password")).to_contain_text("只显示这一次")
        expect(row).to_contain_text("待修改密码")
        _shot(admin, "accounts-01-admin-reset")

        company = _tab(browser, 390, 844, errors)
        company.goto(f"{served}/login")
        expect(company.locator("#forgot")).to_contain_text("忘记密码？")
        expect(company.locator("#forgot")).to_contain_text("联系县住房和城乡建设局")
        assert_fits(company, "the login page")
        _shot(company, "accounts-02-login-390")
        log_in(company, served, "wanjiang", temporary, home=False)
        company.wait_for_url(f"{served}/account/password")
        expect(company.locator(".flash.warn")).to_contain_text("请先设置您自己的新密码")
        # Its home stays closed until the password is changed.
        company.goto(f"{served}/")
        expect(company).to_have_url(f"{served}/account/password")
        assert_fits(company, "the forced change")
        _shot(company, "accounts-03-forced-change-390")

        company.fill("input[name=current_password]", temporary)
        company.fill("input[name=new_password]", "short-1")
        company.fill("input[name=confirm_password]", "short-1")
        # The browser's own minlength check would stop the form: the server's answer is what is tested.
        company.locator("form.stack").evaluate("form => form.noValidate = true")
        company.get_by_role("button", name="保存新密码").click()
        expect(company.locator(".flash.error")).to_contain_text("密码至少 12 个字符")
        company.fill("input[name=current_password]", temporary)
        company.fill("input[name=new_password]", NEW_PASSWORD)
        company.fill("input[name=confirm_password]", NEW_PASSWORD)
        company.get_by_role("button", name="保存新密码").click()
        company.wait_for_url(f"{served}/")
        expect(company.locator("main")).to_contain_text("暂无已公示的评价结果")
        expect(company.locator("nav")).to_contain_text("修改密码")
        assert_fits(company, "the company home after the change")
        _shot(company, "accounts-04-company-home-390")
    assert errors == [], f"JavaScript errors on the pages: {errors}"
