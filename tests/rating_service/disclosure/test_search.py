"""Searching a public cycle's ratings through the JSON API: text, grade, list, sort, pages; lenient parameters."""

from __future__ import annotations

import math
from typing import Any

import pytest

from rating_service.companies.credit_code import make_credit_code
from tests import factories as f
from tests.rating_service.disclosure import helpers as h

EXTRA = 20
EXTRA_CODES = [make_credit_code(region="340722", serial=100 + i) for i in range(EXTRA)]
EXTRA_NAMES = [f"{'东西南北中'[i % 5]}城物业{i:02d}有限公司" for i in range(EXTRA)]


@pytest.fixture
def rated(database: Any) -> tuple[Any, int, list[dict[str, Any]]]:
    """22 companies: 皖江 (AA), 江南 (C, black list) and 20 clean ones (AAA, red list); the API client, the cycle
    and every rating in the default order."""
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "commendations", "major_events")
    h.import_rows(database, "companies", [[c, n, None, None, None] for c, n in zip(EXTRA_CODES, EXTRA_NAMES,
                                                                                    strict=True)])
    h.import_rows(database, "communities", [[f"ZY-S{i:03d}", f"小区{i}", "城关社区", 300, None] for i in range(EXTRA)])
    h.import_rows(database, "contracts", [[f"ZY-S{i:03d}", c, "2020-01-01", None] for i, c in enumerate(EXTRA_CODES)])
    cycle_id = h.new_cycle(database, "2025年度", "publicized")
    client = f.api_client(database)
    everything = client.get(f"/api/v1/public/cycles/{cycle_id}/ratings?per_page=100").json()
    assert everything["total"] == EXTRA + 2 == len(everything["items"])
    return client, cycle_id, everything["items"]


def _get(client: Any, cycle_id: Any, query: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/public/cycles/{cycle_id}/ratings?{query}")
    assert response.status_code == 200, (query, response.status_code, response.text[:300])
    return response.json()  # type: ignore[no-any-return]


def _codes(found: dict[str, Any]) -> list[str]:
    return [r["credit_code"] for r in found["items"]]


def test_the_default_order_is_best_score_first_with_shared_ranks(rated):
    _client, _cycle, items = rated
    scores = [r["score"] for r in items]
    assert scores == sorted(scores, reverse=True)
    for position, rating in enumerate(items, start=1):
        assert rating["rank"] == 1 + sum(1 for s in scores if s > rating["score"]), (position, rating)


def test_q_finds_by_name_fragment_and_by_credit_code_fragment(rated):
    client, cycle_id, items = rated
    found = _get(client, cycle_id, "q=南城&per_page=100")
    expected = [r["credit_code"] for r in items if "南城" in r["name"]]
    assert expected and _codes(found) == expected and found["total"] == len(expected)
    fragment = f.CODE_A[-7:].lower()  # lower case and only part of the code
    assert [r["credit_code"] for r in items if fragment.upper() in r["credit_code"]] == [f.CODE_A]
    assert _codes(_get(client, cycle_id, f"q={fragment}")) == [f.CODE_A]
    assert _codes(_get(client, cycle_id, "q=%20皖江%20")) == [f.CODE_A]
    assert _get(client, cycle_id, "q=不存在的企业")["items"] == []


def test_grade_filter_and_red_and_black_lists(rated):
    client, cycle_id, items = rated
    for grade in ("AAA", "AA", "C", "B"):
        found = _get(client, cycle_id, f"grade={grade}&per_page=100")
        assert _codes(found) == [r["credit_code"] for r in items if r["grade"] == grade], grade
    assert _codes(_get(client, cycle_id, "grade=aa")) == [f.CODE_A]
    red = _get(client, cycle_id, "list=red&per_page=100")
    assert sorted(_codes(red)) == sorted(EXTRA_CODES)
    assert all(r["red_list"] and r["grade"] == "AAA" and not r["provisional"] for r in red["items"])
    black = _get(client, cycle_id, "list=black&per_page=100")
    assert _codes(black) == [f.CODE_B] and black["items"][0]["grade"] == "C"
    assert _codes(_get(client, cycle_id, "list=black&grade=AAA")) == []


def test_sort_by_name_ascending_and_descending(rated):
    client, cycle_id, items = rated
    by_name = [r["credit_code"] for r in sorted(items, key=lambda r: (r["name"], r["credit_code"]))]
    assert _codes(_get(client, cycle_id, "sort=name&order=asc&per_page=100")) == by_name
    assert _codes(_get(client, cycle_id, "sort=name&per_page=100")) == by_name  # A to Z by default
    assert _codes(_get(client, cycle_id, "sort=name&order=desc&per_page=100")) == by_name[::-1]
    by_code = sorted(r["credit_code"] for r in items)
    assert _codes(_get(client, cycle_id, "sort=credit_code&per_page=100")) == by_code
    lowest = _get(client, cycle_id, "sort=score&order=asc&per_page=100")["items"]
    assert [r["score"] for r in lowest] == sorted(r["score"] for r in items)


def test_pages_split_the_list_and_a_page_beyond_the_last_gives_the_last(rated):
    client, cycle_id, items = rated
    codes = [r["credit_code"] for r in items]
    per_page = 7
    pages = math.ceil(len(items) / per_page)
    seen = []
    for page in range(1, pages + 1):
        found = _get(client, cycle_id, f"page={page}&per_page={per_page}")
        assert (found["page"], found["pages"], found["per_page"], found["total"]) == (page, pages, per_page,
                                                                                      len(items))
        seen += _codes(found)
    assert seen == codes
    last = _get(client, cycle_id, f"page={pages}&per_page={per_page}")
    assert len(last["items"]) == len(items) - (pages - 1) * per_page
    for beyond in (pages + 1, 999, 10**12):
        clamped = _get(client, cycle_id, f"page={beyond}&per_page={per_page}")
        assert (clamped["page"], clamped["items"]) == (pages, last["items"]), beyond
    exact = _get(client, cycle_id, f"per_page={len(items)}")
    assert (exact["pages"], len(exact["items"])) == (1, len(items))
    assert _get(client, cycle_id, "per_page=1&page=22")["items"][0]["credit_code"] == codes[21]
    empty = _get(client, cycle_id, "q=不存在的企业&page=3")
    assert (empty["page"], empty["pages"], empty["total"], empty["items"]) == (1, 1, 0, [])


@pytest.mark.parametrize(("query", "page", "per_page"), [
    ("page=0", 1, 20), ("page=-3", 1, 20), ("page=abc", 1, 20), ("page=1.5", 1, 20), ("page=", 1, 20),
    ("per_page=0", 1, 1), ("per_page=-5", 1, 1), ("per_page=1000", 1, 100), ("per_page=x", 1, 20),
    ("sort=bogus", 1, 20), ("order=sideways", 1, 20), ("list=green", 1, 20), ("foo=bar", 1, 20),
    ("sort=&order=&list=&grade=&q=", 1, 20), ("q=" + "x" * 500, 1, 20), ("page=99999999999999999999", 2, 20),
])
def test_unknown_or_bad_parameters_fall_back_to_defaults(rated, query, page, per_page):
    client, cycle_id, items = rated
    found = _get(client, cycle_id, query)
    assert (found["page"], found["per_page"]) == (page, per_page)
    if not query.startswith(("q=x", "per_page", "page=9")):
        assert _codes(found) == [r["credit_code"] for r in items][:per_page]


def test_current_is_the_latest_public_cycle_and_a_bad_cycle_is_404_not_422(rated):
    client, cycle_id, _items = rated
    assert _get(client, "current", "per_page=5") == _get(client, cycle_id, "per_page=5")
    for bad in ("abc", "0", "-1", "999999", "1.5", "x" * 20):
        response = client.get(f"/api/v1/public/cycles/{bad}/ratings")
        assert response.status_code == 404, (bad, response.status_code)
    assert client.get(f"/api/v1/public/cycles/{'9' * 21}/ratings").status_code in (404, 422)
