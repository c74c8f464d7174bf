"""A visitor on the public site in a real browser, at a desktop and at a phone width: search, filter by grade, open
a company, switch to English, download the CSV.

Drives the system Chromium (/usr/bin/chromium) through Playwright against the real app served by uvicorn, over
the Zongyang data with the 2025 cycle computed and publicized (公示中). Screenshots of every step land in
tests/artifacts/browser/ (14 onwards) for a human to look at.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rating_service.disclosure.service import DICTIONARY
from tests import factories as f
from tests.browser.test_officer_flow import (
    ARTIFACTS,
    chromium,
    serving,
)
from tests.conftest import TODAY

# One run, not one per database engine: the site is served from its own SQLite file (see test_officer_flow).
pytestmark = pytest.mark.slow

NOTICE_DATE = TODAY  # passed explicitly: the publicity notice is dated the tests' pinned "today"
NAME_PART = "安徽"  # part of some (not all) of the Zongyang companies' names
WIDTHS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
}
# Screenshot names per step; numbered after the officer flow's 01–13, desktop first, then phone.
STEPS = ("public-ratings", "public-search", "public-grade", "public-company", "public-company-en",
         "public-lists-en", "public-ratings-en")
FIRST_SHOT = 14


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app on a free port, over a fresh SQLite file with the Zongyang data and the 2025 cycle computed
    and publicized: what a visitor sees during the publicity period. Shared by both widths (read only)."""


    database, cycle_id = f.zongyang_publicized(tmp_path_factory.mktemp("public-site") / "rating.db", NOTICE_DATE)
    with serving(database, "uvicorn-public-site-test") as url:
        yield url


@pytest.fixture(params=list(WIDTHS))
def visitor(request: pytest.FixtureRequest) -> Iterator[tuple[str, Any]]:
    """(width, tab): a fresh browser context (no cookies) at a desktop or a phone width, Chinese locale."""
    width: str = request.param
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", accept_downloads=True, **WIDTHS[width])
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        # A page that breaks its own Content-Security-Policy (an inline script or style) shows it here.
        tab.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
        yield width, tab
        context.close()
    assert errors == [], f"JavaScript errors on the pages: {errors}"


def _shot(page: Any, width: str, step: str) -> None:
    number = FIRST_SHOT + list(WIDTHS).index(width) * len(STEPS) + STEPS.index(step)
    page.screenshot(path=str(ARTIFACTS / f"{number:02d}-{step}-{width}.png"), full_page=True)


def _no_horizontal_scroll(page: Any, where: str) -> None:
    """The document itself never scrolls sideways (a wide table scrolls inside its own .scroll box)."""
    viewport = page.viewport_size["width"]
    sizes = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert sizes["scroll"] <= min(sizes["inner"], viewport) + 1, (
        f"{where}: the page scrolls horizontally (document {sizes['scroll']}px wide, window {sizes['inner']}px, "
        f"viewport {viewport}px)")


def _rows(page: Any) -> list[dict[str, str]]:
    """The ratings table as shown: name, credit code (from the link: the code column is hidden on a phone),
    score, grade and the company link."""
    rows = []
    for row in page.locator("#ratings tbody tr").all():
        link = row.locator("td.name a")
        href = link.get_attribute("href")
        code = re.fullmatch(r"/public/companies/([0-9A-Z]{18})\?cycle=\d+", href)
        assert code is not None, href
        cells = row.locator("td")
        rows.append({"name": link.inner_text().strip(), "code": code.group(1), "href": href,
                     "score": cells.nth(3).inner_text().strip(),
                     "grade": cells.nth(4).locator("span.grade").inner_text().strip()})
    return rows


def _found(page: Any) -> int:
    text = page.locator("#found").inner_text()
    match = re.match(r"共 (\d+) 家企业，第 1/1 页", text) or re.match(r"(\d+) companies, page 1 of 1", text)
    assert match is not None, text
    return int(match.group(1))


def test_a_visitor_searches_filters_opens_a_company_switches_to_english_and_downloads_the_csv(
        public_site: str, visitor: tuple[str, Any]) -> None:
    from playwright.sync_api import expect

    width, page = visitor
    served = public_site
    phone = width == "phone"

    # The ratings of the publicized cycle, in Chinese by default.
    page.goto(f"{served}/public")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h2#ratings-title")).to_have_text("物业服务企业信用评价结果")
    expect(page.locator("p.notice-band")).to_contain_text("公示中")
    expect(page.locator("nav a.lang")).to_have_text("English")
    everyone = _rows(page)
    total = len(everyone)
    assert total == 18 and _found(page) == total  # every Zongyang company on one page
    assert len({r["code"] for r in everyone}) == total
    grade_counts = {}
    for bar in page.locator("ul.grade-bars li").all():
        grade, count = re.fullmatch(r"(\w+) (\d+) 家", bar.inner_text().strip()).groups()  # type: ignore[union-attr]
        grade_counts[grade] = int(count)
    assert sum(grade_counts.values()) == total
    assert grade_counts == {g: sum(r["grade"] == g for r in everyone) for g in grade_counts}
    if phone:
        expect(page.locator("#ratings th.hide-narrow")).to_be_hidden()  # the code column gives way on a phone
    _no_horizontal_scroll(page, "ratings")
    _shot(page, width, "public-ratings")

    # Search by part of a name: only the matching companies remain, best first as before.
    expected = [r for r in everyone if NAME_PART in r["name"]]
    assert 1 < len(expected) < total
    page.fill("#q", NAME_PART)
    page.locator("form.search button[type=submit]").click()
    page.wait_for_url(re.compile(r"/public\?.*q="))
    expect(page.locator("#q")).to_have_value(NAME_PART)
    shown = _rows(page)
    assert [r["code"] for r in shown] == [r["code"] for r in expected]
    assert all(NAME_PART in r["name"] for r in shown)
    assert _found(page) == len(expected)
    _no_horizontal_scroll(page, "search")
    _shot(page, width, "public-search")

    # A whole credit code finds exactly that company.
    page.fill("#q", everyone[-1]["code"])
    page.locator("form.search button[type=submit]").click()
    expect(page.locator("#ratings tbody tr")).to_have_count(1)
    assert [r["code"] for r in _rows(page)] == [everyone[-1]["code"]]

    # Clear, then filter by the grade with the most companies that is not everyone's.
    page.locator("form.search a", has_text="清除条件").click()
    page.wait_for_url(f"{served}/public")
    expect(page.locator("#q")).to_have_value("")
    assert _found(page) == total
    grade = max((g for g, n in grade_counts.items() if 0 < n < total), key=lambda g: grade_counts[g])
    page.select_option("#grade", grade)
    page.locator("form.search button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/public\?.*grade={grade}\b"))
    expect(page.locator("#grade")).to_have_value(grade)
    filtered = _rows(page)
    assert filtered and all(r["grade"] == grade for r in filtered)
    assert [r["code"] for r in filtered] == [r["code"] for r in everyone if r["grade"] == grade]
    assert _found(page) == len(filtered) == grade_counts[grade]
    _no_horizontal_scroll(page, "grade filter")
    _shot(page, width, "public-grade")

    # Open a company from the filtered list: its page says what the row said.
    chosen = filtered[-1]
    page.locator("#ratings td.name a", has_text=chosen["name"]).click()
    page.wait_for_url(f"{served}{chosen['href']}")
    expect(page.locator("h2#company-title")).to_have_text(chosen["name"])
    expect(page.locator("span.code").first).to_have_text(chosen["code"])
    expect(page.locator("#score")).to_have_text(chosen["score"])
    expect(page.locator("#grade")).to_have_text(chosen["grade"])
    expect(page.locator("#indicators tbody tr")).to_have_count(3)
    expect(page.locator("#indicators")).to_contain_text("巡查检查")
    if page.locator("#counted").count():
        expect(page.locator("#counted tbody tr")).to_have_count(5)
    else:
        expect(page.get_by_text("本周期没有计入的记录。")).to_be_visible()
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("2025年度")
    expect(history.first).to_contain_text(chosen["score"])
    expect(page.locator("#history-chart")).to_be_visible()
    expect(page.locator("#history-chart")).to_contain_text(f"{chosen['score']} {chosen['grade']}")
    _no_horizontal_scroll(page, "company")
    _shot(page, width, "public-company")

    # Switch to English on the company page: the same company, English words.
    page.locator("nav a.lang").click()
    page.wait_for_url(re.compile(r"lang=en"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav a.lang")).to_have_text("中文")
    expect(page.locator("h2#company-title")).to_have_text(chosen["name"])
    expect(page.locator("#score")).to_have_text(chosen["score"])
    expect(page.locator("#grade")).to_have_text(chosen["grade"])
    expect(page.locator("h3#indicators-title")).to_have_text("Indicator sub-scores")
    expect(page.locator("#indicators thead")).to_contain_text("Indicator")
    expect(page.locator("nav.crumbs")).to_contain_text("Credit ratings of property companies")
    expect(page.locator("p.notice-band")).to_contain_text("In publicity")
    _no_horizontal_scroll(page, "company in English")
    _shot(page, width, "public-company-en")

    # The language sticks (a cookie) on pages reached without ?lang=.
    lists = page.locator("header nav").get_by_role("link", name="Red & black lists")
    if phone:
        lists.tap()
    else:
        lists.click()
    page.wait_for_url(f"{served}/public/lists")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h2").first).to_have_text("Red and black lists")
    expect(page.locator("nav a.lang")).to_have_text("中文")
    _no_horizontal_scroll(page, "lists in English")
    _shot(page, width, "public-lists-en")

    page.locator("header nav").get_by_role("link", name="Ratings", exact=True).click()
    page.wait_for_url(f"{served}/public")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h2#ratings-title")).to_have_text("Credit ratings of property companies")
    expect(page.locator("form.search button[type=submit]")).to_have_text("Search")
    assert _found(page) == total
    assert _rows(page) == everyone  # the same ratings whatever the language
    _no_horizontal_scroll(page, "ratings in English")
    _shot(page, width, "public-ratings-en")

    # Download the CSV (Chinese headers whatever the page's language): BOM, the data dictionary's headers, one row
    # per company of the list, with the same name, score and grade.
    csv_link = page.locator("#csv-link")
    expect(csv_link).to_have_text("CSV (Chinese headers)")
    with page.expect_download() as download_info:
        csv_link.click()
    download = download_info.value
    # The name people see (filename*, RFC 5987); old clients get the ASCII one, ratings-2025.csv.
    assert download.suggested_filename == "枞阳县物业服务企业信用评价结果-2025年度.csv"
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert table[0] == [zh for _name, _type, zh, _en in DICTIONARY]
    assert table[0][:3] == ["评价周期编号", "评价周期", "状态"]
    records = [dict(zip(table[0], line, strict=True)) for line in table[1:]]
    assert len(records) == total
    assert [(r["统一社会信用代码"], r["企业名称"], f"{float(r['信用分']):.1f}", r["信用等级"]) for r in records] == \
        [(r["code"], r["name"], r["score"], r["grade"]) for r in everyone]
    assert {r["状态"] for r in records} == {"公示中"} and {r["评价周期"] for r in records} == {"2025年度"}

    # And back to Chinese, which sticks as well.
    page.locator("nav a.lang").click()
    page.wait_for_url(re.compile(r"lang=zh"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h2#ratings-title")).to_have_text("物业服务企业信用评价结果")
    page.locator("header nav").get_by_role("link", name="红黑榜").click()
    page.wait_for_url(f"{served}/public/lists")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("nav a.lang")).to_have_text("English")


@pytest.mark.parametrize("visitor", ["phone"], indirect=True)
@pytest.mark.parametrize("path", ["/public", "/public/companies/{code}", "/public/lists",
                                  "/public/methodology",
                                  "/public/appeals", "/public/open-data"])
def test_every_public_page_fits_a_phone_in_both_languages(
        public_site: str, visitor: tuple[str, Any], path: str) -> None:
    from playwright.sync_api import expect

    _width, page = visitor
    page.goto(f"{public_site}/public")
    code = _rows(page)[0]["code"]
    for lang, html_lang in (("zh", "zh-CN"), ("en", "en")):
        page.goto(f"{public_site}{path.format(code=code)}?lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", html_lang)
        _no_horizontal_scroll(page, f"{path} ({lang})")


@pytest.mark.parametrize("visitor", ["phone"], indirect=True)
def test_a_resident_finds_the_company_of_a_community_on_a_phone(public_site: str, visitor: tuple[str, Any]) -> None:
    """At 390 px: search 山水兰亭, see the company that manages it, open its page and find the community listed;
    the bulletin and the workbook are linked; an unknown address shows the "page not found" page."""
    from playwright.sync_api import expect

    from tests.browser.test_company_phone import layout_problems

    _width, page = visitor
    page.goto(f"{public_site}/public")
    page.locator("#q").fill("山水兰亭")
    page.locator("form.search button[type=submit]").tap()
    page.wait_for_url(re.compile(r"q=%E5%B1%B1"))
    expect(page.locator("#ratings tbody tr")).to_have_count(1)
    expect(page.locator("#ratings .community-hit")).to_contain_text("山水兰亭")
    assert layout_problems(page) == [], layout_problems(page)
    page.screenshot(path=str(ARTIFACTS / "public-community-search-phone.png"), full_page=True)
    expect(page.locator("#bulletin-link")).to_have_attribute("href", re.compile(r"/public/cycles/\d+/bulletin\.pdf"))
    expect(page.locator("#xlsx-link")).to_have_attribute("href", re.compile(r"/open-data/cycles/\d+/ratings\.xlsx"))

    page.locator("#ratings tbody a").first.tap()
    page.wait_for_url(re.compile(r"/public/companies/"))
    expect(page.locator("#communities")).to_contain_text("山水兰亭")
    assert layout_problems(page) == [], layout_problems(page)
    page.screenshot(path=str(ARTIFACTS / "public-company-communities-phone.png"), full_page=True)

    response = page.goto(f"{public_site}/public/no-such-page")
    assert response is not None and response.status == 404
    expect(page.locator("h2#not-found-title")).to_have_text("页面不存在")
    assert layout_problems(page) == [], layout_problems(page)
    page.screenshot(path=str(ARTIFACTS / "public-not-found-phone.png"), full_page=True)
