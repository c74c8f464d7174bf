"""Draft and computed cycles do not exist on the public surface: every public route, by enumeration."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from tests import factories as f
from tests.rating_service.disclosure import helpers as h


@dataclass(frozen=True)
class Route:
    """How to reach one public route: with a hidden (draft or computed) cycle, and normally."""

    hidden: Callable[[h.World, int], list[str]]  # URLs naming the hidden cycle (or its data): each must be 404
    visible: Callable[[h.World], list[str]]  # URLs answered normally: none may mention a hidden cycle


def _companies(w: h.World) -> list[str]:
    return [f.CODE_A, f.CODE_B]


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/public"): Route(
        hidden=lambda w, c: [f"/public?cycle={c}", f"/public?cycle={c}&grade=AAA&sort=name&page=2"],
        visible=lambda w: ["/public", f"/public?cycle={w.publicized}", f"/public?cycle={w.final}",
                           "/public?lang=en", "/public?q=隐藏小区", f"/public?cycle={w.final}&q=隐藏小区"]),
    ("GET", "/public/companies/{credit_code}"): Route(
        hidden=lambda w, c: [*(f"/public/companies/{code}?cycle={c}" for code in _companies(w)),
                             f"/public/companies/{h.ONLY_COMPUTED_CODE}",
                             f"/public/companies/{h.ONLY_COMPUTED_CODE}?cycle={c}"],
        visible=lambda w: [*(f"/public/companies/{code}" for code in _companies(w)),
                           *(f"/public/companies/{code}?cycle={w.final}" for code in _companies(w))]),
    ("GET", "/public/lists"): Route(
        hidden=lambda w, c: [f"/public/lists?cycle={c}"],
        visible=lambda w: ["/public/lists", f"/public/lists?cycle={w.final}"]),
    ("GET", "/public/appeals"): Route(hidden=lambda w, c: [], visible=lambda w: ["/public/appeals"]),
    ("GET", "/public/open-data"): Route(hidden=lambda w, c: [], visible=lambda w: ["/public/open-data"]),
    ("GET", "/public/methodology"): Route(hidden=lambda w, c: [], visible=lambda w: ["/public/methodology"]),
    ("GET", "/public/methodology/{identifier}"): Route(
        hidden=lambda w, c: [], visible=lambda w: ["/public/methodology/ZY-2025"]),
    ("GET", "/api/v1/public/cycles"): Route(hidden=lambda w, c: [], visible=lambda w: ["/api/v1/public/cycles"]),
    ("GET", "/api/v1/public/cycles/{cycle}/ratings"): Route(
        hidden=lambda w, c: [f"/api/v1/public/cycles/{c}/ratings",
                             f"/api/v1/public/cycles/{c}/ratings?per_page=100&sort=name"],
        visible=lambda w: ["/api/v1/public/cycles/current/ratings?per_page=100",
                           f"/api/v1/public/cycles/{w.final}/ratings?per_page=100",
                           f"/api/v1/public/cycles/current/ratings?q={h.HIDDEN_COMPANY}"]),
    ("GET", "/api/v1/public/companies/{credit_code}"): Route(
        hidden=lambda w, c: [f"/api/v1/public/companies/{h.ONLY_COMPUTED_CODE}"],
        visible=lambda w: [f"/api/v1/public/companies/{code}" for code in _companies(w)]),
    ("GET", "/api/v1/public/methodologies"): Route(
        hidden=lambda w, c: [], visible=lambda w: ["/api/v1/public/methodologies"]),
    ("GET", "/api/v1/public/methodologies/{identifier}"): Route(
        hidden=lambda w, c: [], visible=lambda w: ["/api/v1/public/methodologies/ZY-2025"]),
    ("GET", "/open-data/cycles/{cycle_id}/ratings.csv"): Route(
        hidden=lambda w, c: [f"/open-data/cycles/{c}/ratings.csv", f"/open-data/cycles/{c}/ratings.csv?lang=en"],
        visible=lambda w: [f"/open-data/cycles/{i}/ratings.csv{q}" for i in (w.final, w.publicized)
                           for q in ("", "?lang=en")]),
    ("GET", "/open-data/cycles/{cycle_id}/ratings.xlsx"): Route(
        hidden=lambda w, c: [f"/open-data/cycles/{c}/ratings.xlsx"],
        visible=lambda w: [f"/open-data/cycles/{i}/ratings.xlsx" for i in (w.final, w.publicized)]),
    ("GET", "/public/cycles/{cycle_id}/bulletin.pdf"): Route(
        hidden=lambda w, c: [f"/public/cycles/{c}/bulletin.pdf"],
        visible=lambda w: [f"/public/cycles/{i}/bulletin.pdf" for i in (w.final, w.publicized)]),
    ("GET", "/open-data/cycles/{cycle_id}/ratings.json"): Route(
        hidden=lambda w, c: [f"/open-data/cycles/{c}/ratings.json"],
        visible=lambda w: [f"/open-data/cycles/{i}/ratings.json" for i in (w.final, w.publicized)]),
}

# Where a cycle id shows in an answer: links, the cycle picker, JSON fields.
CYCLE_ID_IN_TEXT = re.compile(r'(?:[?&](?:amp;)?cycle=|/cycles/|"cycle_id":\s*|"id":\s*|<option value=")(\d+)')


def _cycle_ids(url: str, body: str) -> set[int]:
    found = {int(x) for x in CYCLE_ID_IN_TEXT.findall(body)}
    if ".csv" in url:
        rows = list(csv.reader(io.StringIO(body)))
        found |= {int(row[0].lstrip("'")) for row in rows[1:] if row}
    return found


def _body(url: str, content: bytes) -> str:
    """An answer as text: a workbook's cells (the first column, the cycle id, as ``/cycles/<id>`` so that it is
    counted), a PDF's text, else the decoded body."""
    if url.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content))
        rows = [row for sheet in book for row in sheet.iter_rows(values_only=True)]
        ids = [f"/cycles/{row[0]}" for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
        return "\n".join([*ids, *(" ".join(str(v) for v in row if v is not None) for row in rows)])
    if url.endswith(".pdf"):
        import pypdf

        return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8-sig")


def _mentions(body: str, world: h.World, url: str = "") -> list[str]:
    """Hidden names in an answer (an error may echo what the URL itself asked for)."""
    hidden = [*world.hidden_names, h.ONLY_COMPUTED_CODE, "法人丙机密79", "机密地址79号", "0556-7770079"]
    return [name for name in hidden if name in body and name not in url]


def test_every_public_route_has_a_hidden_cycle_case(database):
    from rating_service.web.app import create_app

    declared = h.public_routes(create_app(database))
    assert declared, "no public route found: the route walk is broken"
    assert declared - set(ROUTES) == set(), "public routes without a hidden-cycle case in ROUTES"
    assert set(ROUTES) - declared == set(), "cases for public routes that no longer exist"


def test_no_public_route_answers_with_or_mentions_a_draft_or_computed_cycle(database, in_window):
    world = h.private_world(database, h.Private())
    client = f.page_client(database)
    public_ids = {world.final, world.publicized}
    failures: list[str] = []
    for (_method, template), route in sorted(ROUTES.items()):
        for hidden_id in (world.draft, world.computed):
            for url in route.hidden(world, hidden_id):
                response = client.get(url)
                if response.status_code != 404:
                    failures.append(f"{template}: {url} answered {response.status_code}, not 404")
                if leaked := _mentions(response.text, world, url):
                    failures.append(f"{template}: {url} mentions {leaked}")
        for url in route.visible(world):
            response = client.get(url)
            body = _body(url, response.content) if response.status_code == 200 else response.text
            if response.status_code != 200:
                failures.append(f"{template}: {url} answered {response.status_code}, not 200")
            if leaked := _mentions(body, world):
                failures.append(f"{template}: {url} mentions {leaked}")
            if stray := _cycle_ids(url, body) - public_ids:
                failures.append(f"{template}: {url} names cycle ids {sorted(stray)}")
    cycles = client.get("/api/v1/public/cycles").json()
    if sorted(c["id"] for c in cycles) != sorted(public_ids):
        failures.append(f"/api/v1/public/cycles lists {[c['id'] for c in cycles]}")
    assert not failures, "\n".join(failures)


def test_with_only_computed_cycles_nothing_is_public(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    computed = [h.new_cycle(database, name, "computed") for name in (h.HIDDEN_COMPUTED, "另一个已计算周期")]
    client = f.page_client(database)

    page = client.get("/public")
    assert page.status_code == 200
    assert "尚无公示或发布的评价结果" in page.text
    assert 'id="ratings"' not in page.text and f.CODE_A not in page.text and h.HIDDEN_COMPUTED not in page.text
    lists = client.get("/public/lists")
    assert lists.status_code == 200 and "尚无公示或发布的评价结果" in lists.text and f.CODE_A not in lists.text

    cycles = client.get("/api/v1/public/cycles")
    assert cycles.status_code == 200 and cycles.json() == []
    assert client.get("/api/v1/public/cycles/current/ratings").status_code == 404
    assert client.get(f"/api/v1/public/companies/{f.CODE_A}").status_code == 404
    assert client.get(f"/public/companies/{f.CODE_A}").status_code == 404
    for cycle_id in computed:
        assert client.get(f"/api/v1/public/cycles/{cycle_id}/ratings").status_code == 404
        for suffix in ("ratings.csv", "ratings.csv?lang=en", "ratings.json"):
            response = client.get(f"/open-data/cycles/{cycle_id}/{suffix}")
            assert response.status_code == 404, (suffix, response.text[:200])
            assert f.CODE_A not in response.text
    for url in ("/public/appeals", "/public/open-data", "/public/methodology"):
        response = client.get(url)
        assert response.status_code == 200 and h.HIDDEN_COMPUTED not in response.text, url
    assert json.loads(client.get("/api/v1/public/methodologies").text)  # the methodology is public regardless


