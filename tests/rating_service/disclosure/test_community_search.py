"""Residents search by their community: a community's name finds the company that managed it; each public company
page lists the communities it managed in the cycle's period (names, neighbourhood, households), nothing personal."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f
from tests.rating_service.disclosure import helpers as h

PERSONAL = ("张三", "李四", "湖滨路", "长江路", "0556-321")


@pytest.fixture
def world(database: Any) -> tuple[Any, int]:
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    return f.page_client(database), h.new_cycle(database, "2025年度", "publicized")


def _found_codes(html: str) -> list[str]:
    return [link.split("/public/companies/")[1].split("?")[0] for link in h.links_of(html)
            if link.startswith("/public/companies/")]


def test_a_community_name_finds_the_company_that_manages_it(world):
    client, _cycle = world
    page = client.get("/public?q=山水兰亭")
    assert page.status_code == 200
    assert _found_codes(page.text) == [f.CODE_A]
    assert "管理小区" in h.text_of(page.text) and "山水兰亭" in h.text_of(page.text)
    # A community managed by two companies in the period (a takeover on 2025-07-01) finds both.
    assert sorted(_found_codes(client.get("/public?q=尚泽江南府").text)) == sorted([f.CODE_A, f.CODE_B])
    assert _found_codes(client.get("/public?q=金山").text) == [f.CODE_B]
    # Name and credit code still find as before; the API searches the same way.
    assert _found_codes(client.get("/public?q=皖江").text) == [f.CODE_A]
    assert _found_codes(client.get(f"/public?q={f.CODE_B}").text) == [f.CODE_B]
    api = client.get("/api/v1/public/cycles/current/ratings?q=山水兰亭").json()
    assert [r["credit_code"] for r in api["items"]] == [f.CODE_A]
    assert "没有符合条件的企业" in client.get("/public?q=不存在的小区").text


def test_a_long_query_is_cut_to_its_bound_not_refused(world):
    client, _cycle = world
    response = client.get("/public?q=" + "山" * 5000)
    assert response.status_code == 200 and "山" * 101 not in response.text
    assert 'maxlength="100"' in response.text


def test_the_company_page_lists_its_communities_and_nothing_personal(world):
    client, _cycle = world
    page = client.get(f"/public/companies/{f.CODE_A}")
    assert page.status_code == 200
    text = h.text_of(page.text)
    assert "管理的小区（2）" in text
    table = page.text.split('id="communities"')[1].split("</table>")[0]
    assert "山水兰亭" in table and "尚泽江南府" in table and "城关社区" in table and "800" in table
    assert "2025-07-01" in table and "评价期间全程" in table  # taken over in the period; managed all of it
    other = client.get(f"/public/companies/{f.CODE_B}").text.split('id="communities"')[1].split("</table>")[0]
    assert "金山花园" in other and "2025-06-30" in other and "山水兰亭" not in other  # handed over in the period
    for body in (page.text, other, client.get("/public?q=山水兰亭").text):
        assert not any(word in body for word in PERSONAL)
    english = client.get(f"/public/companies/{f.CODE_A}?lang=en").text
    assert "Communities managed (2)" in h.text_of(english)
