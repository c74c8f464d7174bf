"""Credit repair in a real browser, on the demo county: its black-listed company (the demo's company3) asks for the
repair of its 2024 black list with evidence and the commitment signed in the form; an officer accepts the request
from the dashboard's to-do and decides it; then the public page, the black list, the open data and the verification
of the company's original notice all show the repair, and the decision PDF renders (pdftoppm) to be looked at.

With RATING_UPDATE_SCREENSHOTS=1 the request form, the decided request and the public lists page are written to
docs/images/ (repair-form.png, repair-decided.png, repair-public-lists.png), and the decision's first page to
docs/images/repair-decision.png.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import factories as f
from tests.browser.test_company_phone import DOC_IMAGES, UPDATE_SCREENSHOTS, layout_problems
from tests.browser.test_officer_flow import ARTIFACTS, chromium, log_in, serving, watched_tab

pytestmark = pytest.mark.slow


def _shot(page: Any, name: str) -> None:
    target = (DOC_IMAGES if UPDATE_SCREENSHOTS else ARTIFACTS) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)


@pytest.fixture
def demo_county(sqlite_only: Any) -> Iterator[dict[str, Any]]:
    """The demo's data, cycles and accounts (its intake queue left out: repair does not read it), served."""
    from rating_service.accounts import repository as accounts_repo
    from rating_service.cli import demo
    from rating_service.cycles import repository as cycles_repo
    from rating_service.notices import repository as documents_repo
    from rating_service.records import service as records

    database = sqlite_only
    with database.write_session() as session:
        for folder in demo._demo_folders():
            records.import_folder(session, folder=folder, actor="demo")
    demo._demo_cycle("zh")
    demo._demo_accounts()
    with database.read_session() as session:
        company = accounts_repo.user_by_username(session, demo.DEMO_REPAIR_ACCOUNT)
        assert company is not None and company.credit_code
        past = cycles_repo.cycle_by_name(session, "2024年度")
        assert past is not None and past.status == "finalized"
        rating = cycles_repo.rating(session, cycle_id=past.id, credit_code=company.credit_code)
        assert rating is not None and rating.black_list  # the demo's black-listed company
        notice = documents_repo.latest_notice(session, cycle_id=past.id, credit_code=company.credit_code)
        assert notice is not None
        world = {"code": company.credit_code, "name": rating.name, "cycle_id": past.id,
                 "notice_code": notice.verification_code, "password": demo.DEMO_COMPANY_PASSWORD,
                 "officer_password": demo.DEMO_PASSWORDS["officer"]}
    with serving(database, "uvicorn-repair-test") as url:
        yield {**world, "url": url}


def _pdf(page: Any, url: str) -> bytes:
    answer = page.request.get(url)
    assert answer.status == 200, url
    assert answer.headers["content-type"].startswith("application/pdf")
    body = answer.body()
    assert body.startswith(b"%PDF-")
    return body


def test_the_black_listed_company_repairs_its_mark_and_the_public_record_shows_it(demo_county: dict[str, Any],
                                                                                  tmp_path: Path) -> None:
    from playwright.sync_api import expect

    url, code, name, cycle_id = demo_county["url"], demo_county["code"], demo_county["name"], demo_county["cycle_id"]
    with chromium() as browser:
        errors: list[str] = []
        # -- the company: its mark, the form, the filing ------------------------------------------------------------
        company = watched_tab(browser, errors, accept_dialogs=True)
        log_in(company, url, "company3", demo_county["password"])
        expect(company.locator("#repair-line")).to_be_visible()  # the home page says a mark can be repaired
        company.goto(f"{url}/repair")
        black_list = company.locator("#marks tr", has_text="黑榜")
        expect(black_list).to_have_count(1)
        black_list.locator('[data-link="request"]').click()
        company.wait_for_url(re.compile(r".*/repair/new\?.*"))
        expect(company.locator("#commitment-intro")).to_contain_text(name)
        expect(company.locator("#commitment-text li")).to_have_count(5)
        company.fill("#statement", "已向业主退还超标准收取的物业服务费，在小区公示栏公示了收费项目和标准，"
                                   "并修订了收费管理制度，由专人负责收费公示和复核。")
        for box in company.locator("#conditions input[type=checkbox]").all():
            box.check()
        company.set_input_files("#files", files=[
            {"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": f.pdf_file()},
            {"name": "公示照片.png", "mimeType": "image/png", "buffer": f.image_file("PNG", (480, 320))}])
        company.check("#commitment-box")
        company.fill("#signature", name)
        assert layout_problems(company) == []
        _shot(company, "repair-form.png")
        company.click("#submit-request")
        company.wait_for_url(re.compile(r".*/repair/requests/\d+$"))
        request_url = company.url
        expect(company.locator("#request-status")).to_have_text("待受理")
        expect(company.locator("#checks")).to_contain_text("已满最短公示期")
        _pdf(company, f"{request_url}/commitment.pdf")  # the signed commitment, kept

        # -- the officer: the to-do, accept, verify on site, decide ---------------------------------------------------
        officer = watched_tab(browser, errors, accept_dialogs=True)
        log_in(officer, url, "officer", demo_county["officer_password"])
        todo = officer.locator('#todo [data-todo="repair"]')
        expect(todo).to_have_count(1)
        todo.get_by_role("link").first.click()
        officer.wait_for_url(request_url)
        officer.fill("#accept-form textarea[name=note]", "材料齐全，予以受理。")
        officer.click("#accept-button")
        expect(officer.locator("#request-status")).to_have_text(re.compile("已受理"))
        officer.fill("#verification-note", "到该企业服务的小区现场核查：收费公示已张贴，退费凭证齐全。")
        officer.fill("#decide-reasons", "整改到位，证明材料真实有效，同意修复。")
        officer.click("#decide-button")
        # The decision renders its 信用修复决定书 PDF before the page answers: seconds on a loaded CI machine.
        expect(officer.locator("#request-status")).to_have_text("已修复", timeout=20_000)
        expect(officer.locator("#repaired-line")).to_be_visible()
        decision_link = officer.locator("#decision-pdf")
        number = decision_link.locator(".token").inner_text().strip()
        assert re.fullmatch(r".+〔\d{4}〕\d+号", number)
        assert layout_problems(officer) == []
        _shot(officer, "repair-decided.png")
        decision = _pdf(officer, url + decision_link.get_attribute("href"))
        pdf_path = tmp_path / "decision.pdf"
        pdf_path.write_bytes(decision)
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_path),
                            str(tmp_path / "decision")], check=True)
            rendered = sorted(tmp_path.glob("decision*.png"))
            assert rendered, "the decision PDF does not render"
            shutil.copy(rendered[0], (DOC_IMAGES if UPDATE_SCREENSHOTS else ARTIFACTS) / "repair-decision.png")

        # The company reads the outcome.
        company.reload()
        expect(company.locator("#request-status")).to_have_text("已修复")

        # -- the public: lists, the company page, open data, the original notice's verification ------------------------
        public = watched_tab(browser, errors)
        # The public data is rebuilt in the background once the decision commits; what was built before is served
        # until then (docs/disclosure.md): a reader sees the repair within seconds.
        public.goto(f"{url}/public/lists?cycle={cycle_id}")
        deadline = time.monotonic() + 30
        while public.locator("#repaired-list").count() == 0 and time.monotonic() < deadline:
            public.wait_for_timeout(500)
            public.reload()
        expect(public.locator("#black-list")).not_to_contain_text(name)
        repaired = public.locator("#repaired-list")
        expect(repaired).to_contain_text(name)
        expect(repaired).to_contain_text(number)
        assert layout_problems(public) == []
        _shot(public, "repair-public-lists.png")
        public.goto(f"{url}/public/companies/{code}?cycle={cycle_id}")
        expect(public.locator("main")).to_contain_text("已修复（")
        expect(public.locator("main")).to_contain_text(number)
        answer = public.request.get(f"{url}/open-data/cycles/{cycle_id}/ratings.csv")
        assert answer.status == 200
        rows = list(csv.reader(io.StringIO(answer.body().decode("utf-8-sig"))))
        header, mine = rows[0], next(row for row in rows[1:] if code in row)
        assert mine[header.index("黑榜")] == "否"
        assert "已修复" in mine and number in mine
        public.goto(f"{url}/verify/{demo_county['notice_code']}")
        expect(public.locator("main")).to_contain_text(number)
        assert errors == []
