"""An officer decides an appeal in a real browser: opened from the dashboard's to-do, the full-width form at
1366 × 768, a choice per record (none made beforehand: the browser refuses the form in Chinese until one is), the
preview of the re-scored result, the confirmation; decided, the appeal leaves the to-do. The company's PDF and photo
open inline in the page, also for the company on a phone.

With RATING_UPDATE_SCREENSHOTS=1 the form with its preview is written to docs/images/appeal-decision.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import factories as f
from tests.browser.test_company_phone import DOC_IMAGES, UPDATE_SCREENSHOTS, layout_problems
from tests.browser.test_contest_any_record import _record_beyond_the_top_evidence
from tests.browser.test_officer_flow import (
    ARTIFACTS,
    chromium,
    confirm_decision,
    log_in,
    pdf_viewer_opened,
    serving,
    watched_tab,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def appeal(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """(url, appeal id): the Zongyang 2025 cycle publicized today; a company contests an inspection beyond its top
    evidence (voiding it raises the score) and one more of its records, with a PDF and a photo; an officer."""
    from rating_service.cycles import service as cycles
    from rating_service.cycles import standing

    database, cycle_id = f.zongyang_publicized(tmp_path / "rating.db")
    code, record_id = _record_beyond_the_top_evidence(database, cycle_id)
    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        others = sorted(k for k in standing.company_facts(session=session, cycle=cycle, credit_code=code).records
                        if k != ("inspections", record_id))
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=code)
    records = [f"inspections:{record_id}", f"{others[0][0]}:{others[0][1]}"]
    filed = f.api_client(database, "company").post(
        f"/api/v1/cycles/{cycle_id}/appeals",
        data={"grounds": "该巡查发生时我公司与该小区的物业服务合同已经终止，附合同终止协议和现场照片。",
              "scope": "records", "records": records},
        files=[("files", ("合同终止协议.pdf", f.pdf_file(), "application/pdf")),
               ("files", ("现场照片.png", f.image_file("PNG", (480, 320)), "image/png"))])
    assert filed.status_code == 201, filed.text
    with serving(database, "uvicorn-appeal-decision-test") as url:
        yield url, int(filed.json()["id"])


def test_an_officer_previews_then_confirms_a_decision_in_the_full_width_form(appeal: tuple[str, int]) -> None:
    from playwright.sync_api import expect

    served, appeal_id = appeal
    with chromium() as browser:
        errors: list[str] = []
        page = watched_tab(browser, errors, accept_dialogs=True)
        log_in(page, served, "officer")
        # The dashboard's to-do names the undecided appeal and leads to its decision page.
        todo_appeals = page.locator('#todo [data-todo="appeal"]')
        expect(todo_appeals).to_have_count(1)
        expect(page.locator("nav #nav-todo")).to_be_visible()
        todo_appeals.get_by_role("link").click()
        page.wait_for_url(f"{served}/appeals/{appeal_id}")
        appeal_url = page.url

        # Full width, nothing clipped, no sideways scroll.
        form = page.locator("#decision-form")
        expect(form).to_be_visible()
        assert form.bounding_box()["width"] > 1000
        assert layout_problems(page) == []
        # Every record's data as imported beside its choice; nothing chosen.
        items = page.locator("fieldset.decision-item")
        expect(items).to_have_count(2)
        expect(items.first).to_contain_text("检查部门")
        expect(items.first).to_contain_text("归属")
        assert page.locator("#decision-form input[type=radio]:checked").count() == 0
        # The amendment fields show for "amend" only.
        expect(items.first.locator("fieldset.amend-fields")).to_be_hidden()
        items.first.get_by_label("更正").check()
        expect(items.first.locator("fieldset.amend-fields")).to_be_visible()
        expect(items.first.locator("input[type=date]")).to_be_visible()

        # Without a choice for each record the form is not sent: the browser says so, in Chinese.
        items.first.get_by_label("撤销").check()
        page.fill("textarea[name=reasons]", "经核实，该巡查发生时物业服务合同已终止，撤销该记录；另一条记录维持。")
        page.locator("#preview-button").click()
        first_missing = items.nth(1).locator("input[type=radio]").first
        assert "请为记录" in first_missing.evaluate("(el) => el.validationMessage")
        assert page.url == appeal_url

        items.nth(1).get_by_label("维持").check()
        page.locator("#outcome").get_by_label("异议部分成立").check()
        page.locator("#preview-button").click()
        preview = page.locator("#decision-preview")
        expect(preview).to_be_visible()
        before, after = (float(x) for x in re.findall(r"\d+\.\d", page.locator("#preview-score").inner_text()))
        assert after > before
        expect(page.locator("#preview-grade")).to_contain_text("→")
        expect(page.locator("#preview-actions")).to_contain_text("撤销")
        assert layout_problems(page) == []
        # The company's evidence in the page: the PDF in a frame, the photo as an image.
        # Chromium's PDF viewer (an extension's frame inside the attachment's) has opened the sandboxed PDF.
        pdf_viewer_opened(page)
        expect(page.frame_locator("iframe.attachment-pdf").locator("body")).to_be_attached()
        image = page.locator("img.attachment-image")
        image.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('img.attachment-image').naturalWidth > 0")
        page.screenshot(path=str(ARTIFACTS / "appeal-decision-evidence.png"))  # the viewer as it shows
        # The form with its preview (the section: a full-page shot does not repaint the PDF viewer's frame).
        folder = DOC_IMAGES if UPDATE_SCREENSHOTS else ARTIFACTS
        folder.mkdir(parents=True, exist_ok=True)
        page.locator("#decide").screenshot(path=str(folder / "appeal-decision.png"))

        confirm_decision(page, appeal_url)
        expect(page.locator("#appeal-status")).to_have_text("已处理")
        expect(page.locator("#after")).to_contain_text(f"{after:.1f}")
        # Decided, the appeal has left the to-do.
        page.goto(f"{served}/")
        expect(page.locator('#todo [data-todo="appeal"]')).to_have_count(0)
        page.context.close()

        # The company reads its decided appeal, with its evidence inline, on a phone.
        page = watched_tab(browser, errors, width=390, height=844, is_mobile=True, has_touch=True)
        log_in(page, served, "company")
        page.goto(appeal_url)
        expect(page.locator("#appeal-status")).to_have_text("已处理")
        expect(page.locator("img.attachment-image")).to_be_visible()
        assert layout_problems(page) == []
        page.context.close()
    assert errors == [], f"JavaScript errors on the pages: {errors}"
