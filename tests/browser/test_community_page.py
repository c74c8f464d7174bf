"""The officers' community page in a real browser at 1366 × 768 and 390 × 844: facts, contracts, the directory's
names with the add form, the "试一试" box with a result, the recent intake items; no sideways scrolling, nothing past
the edge, no overlapping text. Screenshots go to the git-ignored tests/artifacts/browser/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rating_service import clock
from rating_service.intake import directory
from rating_service.intake.models import IntakeItem
from tests import factories as f
from tests.browser.test_company_phone import layout_problems
from tests.browser.test_officer_flow import ARTIFACTS, chromium, log_in, serving, watched_tab

pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    from rating_service.db import Database
    from rating_service.migrate import upgrade
    from rating_service.settings import Settings

    database = Database(Settings(database_url=f"sqlite:///{tmp_path / 'rating.db'}", environment="test"))
    upgrade(database)
    f.load(database, "companies", "communities", "contracts")
    f.make_user(database, "officer", "officer")
    with database.write_session() as session:
        for kind, text in (("alias", "山水兰庭"), ("former", "城关镇职工住宅小区"),
                           ("address", "枞阳县城关镇枞川路88号山水兰亭小区东门"), ("town", "枞阳镇")):
            directory.add_name(session, community_id="ZY-C001", kind=kind, text=text, actor="officer")
        for n in range(3):
            session.add(IntakeItem(kind="hotline", external_no=f"3407222026110{n:05d}", content_sha=f"{n:064d}",
                                   received_on=f.TODAY, place_text=f"枞阳县城关镇山水兰庭{n + 3}栋2单元",
                                   text="楼道堆物", fields="{}", created_at=clock.now(), match_status="proposed",
                                   match_community_id="ZY-C001", status="pending"))
    with serving(database, "uvicorn-community-page-test") as url:
        yield url
    database.dispose()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_community_page_fits_desktop_and_phone(site: str, width: int, height: int) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        errors: list[str] = []
        tab = watched_tab(browser, errors, width=width, height=height)
        log_in(tab, site, "officer")
        tab.goto(f"{site}/communities/ZY-C001?try=枞阳县城关镇山水兰庭3栋2单元#try")
        expect(tab.locator("#community-name")).to_contain_text("山水兰亭")
        expect(tab.locator(".try-result")).to_contain_text("山水兰亭")
        expect(tab.locator("#names")).to_contain_text("城关镇职工住宅小区")
        assert layout_problems(tab) == []
        assert errors == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"community-page-{width}.png"), full_page=True)
        tab.context.close()
