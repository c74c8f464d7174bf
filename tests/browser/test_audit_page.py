"""The audit log in a real browser: a failed login on /login, then an admin opens /admin/audit and reads it as a
Chinese sentence with the source address; the page fits 1366 px with no column squeezed to a character a line.

With RATING_UPDATE_SCREENSHOTS=1 the screenshot goes to docs/images/audit.png, else to tests/artifacts/browser/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from rating_service.audit import service as audit
from rating_service.notices.models import Document
from tests import factories as f
from tests.browser.test_company_phone import DOC_IMAGES, UPDATE_SCREENSHOTS, layout_problems
from tests.browser.test_officer_flow import ARTIFACTS, chromium, log_in, serving, watched_tab

pytestmark = pytest.mark.slow

# Cells of the audit table whose text wraps at two characters a line or fewer (a column squeezed to a character a
# line): the line boxes of the cell's text counted by their tops.
SQUEEZED = """
() => [...document.querySelectorAll('table.audit td, table.audit th')].filter((cell) => {
  const text = cell.textContent.replace(/\\s+/g, '');
  if (text.length < 2) return false;
  const range = document.createRange();
  range.selectNodeContents(cell);
  const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
  return lines.size >= 2 && text.length / lines.size <= 2.5;
}).map((cell) => cell.textContent.trim().slice(0, 30))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Zongyang data with its 2025 cycle computed and publicized, an admin and an officer; the officer has
    downloaded a notice."""
    database, _cycle_id = f.zongyang_publicized(tmp_path_factory.mktemp("audit-page") / "rating.db")
    f.make_user(database, "admin", "admin")
    f.make_user(database, "officer", "officer")
    with database.write_session() as session:
        notice = session.query(Document).filter(Document.kind == "notice").order_by(Document.id).first()
        assert notice is not None
        audit.record(session, "document.download", actor="officer", entity_kind="document", entity_id=str(notice.id),
                     payload={"number": notice.doc_number, "kind": notice.kind, "credit_code": notice.credit_code})
    with serving(database, "uvicorn-audit-page-test") as url:
        yield url


def test_a_failed_login_reads_as_a_chinese_sentence_on_the_audit_page(site: str) -> None:
    with chromium() as browser:
        errors: list[str] = []
        tab = watched_tab(browser, errors)

        log_in(tab, site, "officer", "not-the-password", home=False)
        assert "/login" in tab.url
        log_in(tab, site, "admin")
        tab.goto(f"{site}/admin/audit")

        table = tab.locator("table.audit").inner_text()
        assert re.search(r"登录失败：用户名 officer，来源 127\.0\.0\.1", table), table[:500]
        assert "原因：密码错误" in table
        assert "管理员 admin 登录了系统" in table
        assert "业务人员 officer 下载了信用评价结果告知书 " in table
        assert "公示了评价周期「2025年度」" in table
        assert "user.login" not in table and "document:" not in table
        assert tab.locator("#audit-status").inner_text().startswith("审计链校验通过（")

        assert layout_problems(tab) == []
        assert tab.evaluate(SQUEEZED) == []
        folder = DOC_IMAGES if UPDATE_SCREENSHOTS else ARTIFACTS
        folder.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(folder / "audit.png"))
        tab.context.close()
    assert errors == [], f"JavaScript errors on the pages: {errors}"
