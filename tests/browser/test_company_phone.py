"""A company's pages and the public site on a phone (390 × 844) and a laptop (1366 × 768) in a real browser.

On the company home, its rating page, the appeal form and the records page, and on the public pages: the page never
scrolls sideways, no visible element runs past the viewport's right edge (a wide table scrolls inside its own
``.table-scroll`` box, which itself fits), and no two visible pieces of text overlap. The home's banner shows the
grade, score, appeal deadline and working days left; the 综合得分 row shows its number in view.

The checker is one JavaScript function (``LAYOUT_PROBLEMS``, run with ``layout_problems(page)``) that other browser
tests can import. Screenshots go to tests/artifacts/browser/ (git-ignored); with RATING_UPDATE_SCREENSHOTS=1 the
company home, rating and appeal form ones are written to docs/images/ instead, for the documentation.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from rating_service.cycles import repository as cycles_repo
from rating_service.settings import PROJECT_ROOT
from tests import factories as f
from tests.browser.test_officer_flow import ARTIFACTS, chromium, serving
from tests.conftest import TODAY

# One run, not one per database engine: the pages are served from their own SQLite file (see test_officer_flow).
pytestmark = pytest.mark.slow

DOC_IMAGES = PROJECT_ROOT / "docs" / "images"
UPDATE_SCREENSHOTS = os.environ.get("RATING_UPDATE_SCREENSHOTS") == "1"
NOTICE_DATE = TODAY  # Saturday 2026-11-28: the window closes five working days later, Friday 2026-12-04
DEADLINE = dt.date(2026, 12, 4)
DAYS_LEFT = 5  # Monday 11-30 to Friday 12-04
WIDTHS: dict[str, dict[str, Any]] = {
    "1366": {"viewport": {"width": 1366, "height": 768}},
    "390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
            "device_scale_factor": 2},
}

# Layout problems of the page as shown, in one pass of page JavaScript:
# - "scroll": the document is wider than the window (the page scrolls sideways);
# - "overflow": visible elements whose box runs past the viewport's left or right edge (elements inside a
#   .table-scroll / .scroll box are skipped: that box scrolls, and must fit itself);
# - "overlaps": pairs of visible text pieces (the client rects of leaf text nodes, clipped to the boxes around
#   them that clip: scroll boxes, overflow: hidden; visually hidden text is skipped) that intersect by more than
#   `tolerance` px both ways, from different elements;
# - "stretched": one-line form controls (inputs other than checkboxes and radios, selects, buttons) more than 80 px
#   tall: a layout that stretches a search box into a tall block (a flex basis read as a height).
LAYOUT_PROBLEMS = """
(tolerance) => {
  const tol = tolerance === undefined ? 2 : tolerance;
  const width = document.documentElement.clientWidth;
  const SCROLLERS = '.table-scroll, .scroll';
  const HIDDEN = '.sr-only, .skip, script, style, template, title, select, option, noscript';
  const name = (el) => {
    const classes = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes + ' "'
      + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '"';
  };
  const shown = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const overflow = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(HIDDEN) || !shown(el)) continue;
    const box = el.parentElement && el.parentElement.closest(SCROLLERS);
    if (box) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + tol || r.left < -tol) {
      overflow.push(name(el) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + width);
    }
  }
  const pieces = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest(HIDDEN) || !shown(el)) continue;
    // What the boxes around the text clip it to: a scroll box, overflow: hidden, a visually hidden clip.
    const clips = [];
    let hidden = false;
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.clip !== 'auto' && style.position === 'absolute' || style.clipPath !== 'none') hidden = true;
      if (style.overflowX !== 'visible' || style.overflowY !== 'visible') clips.push(a.getBoundingClientRect());
    }
    if (hidden) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      let box = {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
      for (const c of clips) {
        box = {left: Math.max(box.left, c.left), right: Math.min(box.right, c.right),
               top: Math.max(box.top, c.top), bottom: Math.min(box.bottom, c.bottom)};
      }
      if (box.right - box.left > tol && box.bottom - box.top > tol) {
        pieces.push({el: el, text: node.textContent.trim().slice(0, 30), box: box});
      }
    }
  }
  const overlaps = [];
  for (let i = 0; i < pieces.length; i++) {
    for (let j = i + 1; j < pieces.length; j++) {
      const a = pieces[i], b = pieces[j];
      if (a.el === b.el) continue;
      const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (w > tol && h > tol) {
        overlaps.push('"' + a.text + '" (' + name(a.el).split(' ')[0] + ') overlaps "' + b.text + '" ('
                      + name(b.el).split(' ')[0] + ') by ' + Math.round(w) + '×' + Math.round(h) + ' px');
      }
    }
  }
  const stretched = [];
  for (const el of document.body.querySelectorAll('input, select, button')) {
    if (['checkbox', 'radio', 'hidden', 'file', 'image'].includes(el.type) || !shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height > 80) stretched.push(name(el) + ' is ' + Math.round(r.height) + ' px tall');
  }
  return {scroll_width: document.documentElement.scrollWidth, width: width, overflow: overflow.slice(0, 20),
          overlaps: overlaps.slice(0, 20), stretched: stretched.slice(0, 20)};
}
"""


def layout_problems(page: Any, tolerance: float = 2) -> list[str]:
    """What is wrong with the layout of the page as shown (empty when nothing is): sideways scrolling, elements
    past the viewport's edge, overlapping text, one-line controls stretched tall."""
    found = page.evaluate(LAYOUT_PROBLEMS, tolerance)
    problems = []
    if found["scroll_width"] > found["width"] + 1:
        problems.append(f"the page scrolls sideways: {found['scroll_width']}px wide in a {found['width']}px window")
    problems += [f"past the edge: {o}" for o in found["overflow"]]
    problems += [f"overlap: {o}" for o in found["overlaps"]]
    problems += [f"stretched: {o}" for o in found["stretched"]]
    return problems


def assert_fits(page: Any, where: str) -> None:
    problems = layout_problems(page)
    assert problems == [], f"{where} at {page.viewport_size['width']}px:\n" + "\n".join(problems)


# The points table's 综合得分 row: its number element (no child elements, text like 22.4), and whether it is inside
# the viewport and not scrolled out of its scroll box. (The headline's 综合得分 box is not this row.)
TOTAL_NUMBER = """
() => {
  const row = [...document.querySelectorAll('main tr')]
    .find((tr) => tr.textContent.trim().startsWith('综合得分'));
  if (!row) return null;
  const number = [...row.querySelectorAll('*')]
    .find((el) => el.children.length === 0 && /^\\d+(\\.\\d+)?$/.test(el.textContent.trim()));
  if (!number) return {text: null, in_view: false};
  const r = number.getBoundingClientRect();
  const box = number.closest('.table-scroll, .scroll');
  const c = box ? box.getBoundingClientRect() : {left: 0, right: document.documentElement.clientWidth};
  return {text: number.textContent.trim(),
          in_view: r.width > 0 && r.left >= Math.max(0, c.left) - 1
                   && r.right <= Math.min(document.documentElement.clientWidth, c.right) + 1};
}
"""


class Site:
    def __init__(self, url: str, cycle_id: int, code: str, score: float, grade: str) -> None:
        self.url, self.cycle_id, self.code, self.score, self.grade = url, cycle_id, code, score, grade


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The Zongyang data, the 2025 cycle computed and publicized on the pinned today (the appeal window open until
    2026-12-04), and a company user of the lowest-rated company (the one with the most records against it)."""
    database, cycle_id = f.zongyang_publicized(tmp_path_factory.mktemp("company-phone") / "rating.db", NOTICE_DATE)
    with database.read_session() as session:
        ratings, _total = cycles_repo.list_ratings(session, cycle_id=cycle_id, sort="score")
        lowest = ratings[0]
        code, score, grade = lowest.credit_code, lowest.score, lowest.grade
    f.make_user(database, "company", "company", credit_code=code)
    with serving(database, "uvicorn-company-phone-test") as url:
        yield Site(url, cycle_id, code, score, grade)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _tab(browser: Any, width: str) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(locale="zh-CN", **WIDTHS[width])
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return context, tab, errors


@pytest.fixture(params=list(WIDTHS))
def company(request: pytest.FixtureRequest, browser: Any, site: Site) -> Iterator[tuple[str, Any]]:
    """(width, tab) of the company user, logged in, at a laptop or a phone width, Chinese locale."""
    width: str = request.param
    context, tab, errors = _tab(browser, width)
    tab.goto(f"{site.url}/login")
    tab.fill("input[name=username]", "company")
    tab.fill("input[name=password]", f.PASSWORD)
    tab.get_by_role("button", name="登录").click()
    tab.wait_for_url(f"{site.url}/")
    yield width, tab
    context.close()
    assert errors == [], f"JavaScript errors on the pages: {errors}"


def _shot(page: Any, name: str, width: str) -> None:
    """A documentation screenshot (docs/images/ when RATING_UPDATE_SCREENSHOTS=1, else the test artifacts)."""
    folder = DOC_IMAGES if UPDATE_SCREENSHOTS else ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)


def test_the_company_home_banner_shows_grade_score_deadline_and_days_left(site: Site,
                                                                          company: tuple[str, Any]) -> None:
    from playwright.sync_api import expect

    width, page = company
    page.goto(f"{site.url}/")
    banner = page.locator("section.banner").first
    expect(banner).to_be_visible()
    expect(banner.locator("[data-field=grade]")).to_have_text(site.grade)
    expect(banner.locator("[data-field=score]")).to_have_text(f"{site.score:.1f}")
    expect(banner.locator("[data-field=deadline]")).to_have_text(DEADLINE.isoformat())
    expect(banner.locator("[data-field=days-left]")).to_have_text(f"{DAYS_LEFT} 个工作日")
    for link in ("appeal", "explanation", "notice"):
        expect(banner.locator(f"[data-link={link}]")).to_be_visible()
        assert banner.locator(f"[data-link={link}]").bounding_box()["x"] >= 0
    expect(banner.locator("[data-link=appeal]")).to_have_attribute("href", f"/cycles/{site.cycle_id}/appeals/new")
    # The history row's link (the only link on the page before) is whole on screen.
    history_link = page.locator("#history a").first
    box = history_link.bounding_box()
    assert box is not None and box["x"] + box["width"] <= page.viewport_size["width"]
    chart = page.locator("#history-chart").bounding_box()
    assert chart is not None and chart["x"] + chart["width"] <= page.viewport_size["width"]
    assert_fits(page, "the company home")
    _shot(page, "company-home", width)


def test_the_rating_page_fits_and_its_total_row_shows_the_score(site: Site, company: tuple[str, Any]) -> None:
    width, page = company
    page.goto(f"{site.url}/cycles/{site.cycle_id}/companies/{site.code}")
    total = page.evaluate(TOTAL_NUMBER)
    assert total is not None, "no 综合得分 row on the rating page"
    assert total["text"] == f"{site.score:.1f}", total
    assert total["in_view"], "the 综合得分 number is off-screen (scrolled out of its table)"
    assert_fits(page, "the rating page")
    _shot(page, "company-rating", width)


def test_the_appeal_form_fits_and_keeps_record_numbers_clear_of_dates(site: Site, company: tuple[str, Any]) -> None:
    width, page = company
    page.goto(f"{site.url}/cycles/{site.cycle_id}/appeals/new")
    records = page.locator("input[name=records]")
    assert records.count() > 5
    assert_fits(page, "the appeal form")
    _shot(page, "appeal-form", width)


def test_the_records_page_fits(site: Site, company: tuple[str, Any]) -> None:
    _width, page = company
    page.goto(f"{site.url}/cycles/{site.cycle_id}/companies/{site.code}/records")
    assert_fits(page, "the records page")


@pytest.mark.parametrize("path", ["/public", "/public/companies/{code}", "/public/methodology", "/public/lists"])
def test_the_public_pages_fit_a_phone(site: Site, browser: Any, path: str) -> None:
    from playwright.sync_api import expect

    context, page, errors = _tab(browser, "390")
    try:
        page.goto(f"{site.url}/public")
        # The public data is built in the background as the server starts: the page says so until it is ready.
        expect(page.locator("#ratings")).to_be_visible(timeout=60_000)
        for lang in ("zh", "en"):
            page.goto(f"{site.url}{path.format(code=site.code)}?lang={lang}")
            expect(page.locator("main")).to_be_visible()
            assert_fits(page, f"{path} ({lang})")
    finally:
        context.close()
    assert errors == []


def test_the_checker_finds_overlapping_text_and_an_element_past_the_edge(site: Site, browser: Any) -> None:
    """The checker is not blind: a page built to break both rules is caught on both."""
    context, page, _errors = _tab(browser, "390")
    try:
        page.set_content("""<html><head><meta name="viewport" content="width=device-width, initial-scale=1"></head>
          <body style="margin:0">
          <p style="position:absolute;top:10px;left:10px;margin:0">记录编号 XC2025-00701</p>
          <p style="position:absolute;top:12px;left:30px;margin:0">2025-12-03</p>
          <div style="width:600px;margin-top:80px">太宽的盒子</div>
          <div class="table-scroll" style="overflow-x:auto">
            <table style="width:900px"><tr><td>宽表</td></tr></table></div>
        </body></html>""")
        problems = layout_problems(page)
    finally:
        context.close()
    assert any(p.startswith("overlap:") and "XC2025-00701" in p and "2025-12-03" in p for p in problems), problems
    assert any(p.startswith("past the edge: div") and "太宽的盒子" in p for p in problems), problems
    assert any(p.startswith("the page scrolls sideways") for p in problems), problems
    assert not any("宽表" in p for p in problems), problems  # a table scrolling inside its box is fine
    assert re.search(r"overlap: .* by \d+×\d+ px", "\n".join(problems))

