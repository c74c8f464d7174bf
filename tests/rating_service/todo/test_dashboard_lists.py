"""The dashboard's companies and communities: searched on the server, twenty a page, each row linked to the
company's latest rating."""

from __future__ import annotations

import re
from typing import Any

from rating_service.companies.credit_code import make_credit_code
from rating_service.records.formats import KINDS
from rating_service.records.service import import_files
from tests import factories as f
from tests.rating_service.notices.helpers import computed_cycle

MANY = 45


def _ids(page: Any, table: str) -> list[str]:
    section = re.search(rf'<section id="{table}">.*?</section>', page.text, re.S)
    assert section is not None, page.text
    return re.findall(r'<td class="code"><span class="token">([^<]+)</span>', section.group(0))


def _load_many(database: Any) -> list[str]:
    """The standard reference data plus 45 more companies (物业一号 … named so they sort after the standard two)."""
    codes = [make_credit_code(region="340722", serial=100 + i) for i in range(MANY)]
    rows = [*f.COMPANIES, *([code, f"阳光物业{i:02d}号有限公司", "王五", "枞阳县", "0556-1"]
                            for i, code in enumerate(codes))]
    with database.write_session() as session:
        import_files(session, kind=KINDS["companies"], files=[f.upload("companies", rows)], actor="test", today=f.TODAY)
    f.load(database, "communities", "contracts")
    f.make_user(database, "officer", "officer")
    return codes


def test_companies_are_paged_twenty_at_a_time_with_page_links(database):
    _load_many(database)
    client = f.page_client(database, "officer")
    first = client.get("/")
    assert len(_ids(first, "companies")) == 20
    assert "第 1 / 3 页，共 47 条" in first.text and "?cp=2&amp;mp=1#companies" in first.text
    third = client.get("/?cp=3")
    assert len(_ids(third, "companies")) == 7 and "第 3 / 3 页" in third.text
    assert set(_ids(first, "companies")).isdisjoint(_ids(third, "companies"))
    # Out of range or not a number: the nearest page, never an error.
    assert client.get("/?cp=99").status_code == 200 and "第 3 / 3 页" in client.get("/?cp=99").text
    for odd in ("abc", "-1", "0", "²", "9" * 40):
        assert client.get("/", params={"cp": odd, "mp": odd}).status_code == 200, odd


def test_searching_filters_companies_by_name_or_credit_code_and_communities_by_name_or_id(database):
    codes = _load_many(database)
    client = f.page_client(database, "officer")
    by_name = client.get("/", params={"q": "阳光物业07"})
    assert _ids(by_name, "companies") == [codes[7]] and "共 1 条" in by_name.text
    assert _ids(client.get("/", params={"q": codes[12]}), "companies") == [codes[12]]
    by_community = client.get("/", params={"q": "ZY-C003"})
    assert _ids(by_community, "communities") == ["ZY-C003"] and _ids(by_community, "companies") == []
    assert _ids(client.get("/", params={"q": "兰亭"}), "communities") == ["ZY-C001"]
    nothing = client.get("/", params={"q": "没有这家%_"})
    assert "没有与“没有这家%_”相符的记录" in nothing.text
    assert client.get("/", params={"q": "x" * 5000}).status_code in (200, 414, 431)


def test_rows_link_to_the_companys_latest_rating(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints")
    f.make_user(database, "officer", "officer")
    cycle_id = computed_cycle(database, "2025年度")
    page = f.page_client(database, "officer").get("/").text
    companies = re.search(r'<section id="companies">.*?</section>', page, re.S).group(0)
    assert f'href="/cycles/{cycle_id}/companies/{f.CODE_A}"' in companies
    communities = re.search(r'<section id="communities">.*?</section>', page, re.S).group(0)
    # 山水兰亭 is managed by 皖江: its row leads to 皖江's rating.
    row = communities.split(">ZY-C001<")[1].split("</tr>")[0]
    assert f'href="/cycles/{cycle_id}/companies/{f.CODE_A}"' in row
    assert f.page_client(database, "officer").get(f"/cycles/{cycle_id}/companies/{f.CODE_A}").status_code == 200
