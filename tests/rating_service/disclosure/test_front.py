"""The public front (``serving.PublicFront``): a repeated GET is answered from the answer ``serve`` gave for it,
without routing it again, byte for byte as the app would answer it; never once the view that answer came from is
replaced; never for an answer ``serve`` did not give (errors, other pages)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from rating_service.cycles import service as cycles
from rating_service.disclosure.serving import PublicFront
from rating_service.web.app import create_app
from tests import factories as f
from tests.rating_service.disclosure import helpers as h
from tests.rating_service.observability.test_metrics import LOCAL, scrape, value

FINAL = "已终评"
IN_PUBLICITY = "公示中"


def _front(client: TestClient) -> PublicFront:
    layer = client.app.middleware_stack  # type: ignore[attr-defined]
    while layer is not None and not isinstance(layer, PublicFront):
        layer = getattr(layer, "app", None)
    assert layer is not None, "the app has no public front"
    return layer


def _hits(front: PublicFront) -> int:
    return front.hits


def _built(client: TestClient, url: str) -> None:
    """The app's cache made (by a first request) and its public data built."""
    client.get(url)
    client.app.state.disclosure.settle()  # type: ignore[attr-defined]


def _same(first: Any, second: Any) -> None:
    assert second.status_code == first.status_code
    assert second.content == first.content
    drop = {"x-request-id"}
    assert [(k, v) for k, v in second.headers.multi_items() if k not in drop] == \
        [(k, v) for k, v in first.headers.multi_items() if k not in drop]


def test_a_repeated_public_get_is_answered_by_the_front_exactly_as_by_the_app(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = h.new_cycle(database, "2025年度", "publicized")
    client = f.page_client(database)
    _built(client, "/public")
    front = _front(client)
    urls = ["/public", "/public?q=" + f.CODE_A, "/public/lists", "/public/appeals", "/public/open-data",
            "/public/methodology/ZY-2025", f"/public/companies/{f.CODE_A}", f"/public/companies/{f.CODE_A}?lang=en",
            "/api/v1/public/cycles", "/api/v1/public/cycles/current/ratings?per_page=5&page=2",
            f"/api/v1/public/companies/{f.CODE_A}", "/api/v1/public/methodologies",
            f"/open-data/cycles/{cycle_id}/ratings.csv?lang=en", f"/open-data/cycles/{cycle_id}/ratings.json"]
    variants: list[dict[str, str]] = [{}, {"cookie": "lang=en"}, {"accept-language": "en"}]
    answered = 0
    for url in urls:
        for headers in variants:
            client.cookies.clear()  # a ?lang= answer sets the cookie: each request sends only the headers given
            first = client.get(url, headers=headers)
            assert first.status_code == 200, (url, headers, first.status_code)
            before = _hits(front)
            client.cookies.clear()
            second = client.get(url, headers=headers)
            assert _hits(front) == before + 1, (url, headers)  # answered by the front
            _same(first, second)
            client.cookies.clear()
            revalidated = client.get(url, headers={**headers, "if-none-match": first.headers["etag"]})
            assert revalidated.status_code == 304 and revalidated.content == b""
            assert revalidated.headers["etag"] == first.headers["etag"]
            answered += 2
    # Each language's answer is its own: the English page from the front is the English page.
    client.cookies.clear()
    english = client.get(f"/public/companies/{f.CODE_A}", headers={"cookie": "lang=en"})
    chinese = client.get(f"/public/companies/{f.CODE_A}")
    assert english.text != chinese.text and 'lang="en"' in english.text and 'lang="zh' in chinese.text
    assert _hits(front) >= answered


def test_the_front_never_answers_from_a_view_that_was_replaced(database, in_window):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = h.new_cycle(database, "2025年度", "publicized")
    client = f.page_client(database)
    url = f"/public/companies/{f.CODE_A}"
    _built(client, url)
    client.get(url)
    front = _front(client)
    held = client.get(url)
    assert IN_PUBLICITY in h.text_of(held.text) and _hits(front) == 1
    with f.appeals_closed(database, cycle_id), database.write_session() as session:
        cycles.finalize_cycle(session=session, cycle_id=cycle_id, actor="officer")
    client.app.state.disclosure.settle()  # type: ignore[attr-defined]
    now = client.get(url)
    text = h.text_of(now.text)
    assert FINAL in text and IN_PUBLICITY not in text and now.headers["etag"] != held.headers["etag"]
    assert _hits(front) == 1  # the old answer was not given
    other = f.page_client(database)  # an app that never answered it before
    _built(other, url)
    _same(other.get(url), now)
    again = client.get(url)
    assert _hits(front) == 2
    _same(now, again)


def test_the_front_keeps_nothing_serve_did_not_answer(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    h.new_cycle(database, "2025年度", "publicized")
    f.make_user(database, "officer", "officer")
    client = f.page_client(database, "officer")
    front = _front(client)
    for url in ("/public/companies/91340000000000000X", "/api/v1/public/companies/nobody",
                "/api/v1/public/cycles/999/ratings", "/public/companies/" + "9" * 30, "/cycles", "/login",
                "/api/v1/cycles"):
        statuses = {client.get(url).status_code for _ in range(3)}
        assert len(statuses) == 1, url
    assert _hits(front) == 0
    assert not front._entries


def test_an_answer_from_the_front_is_counted_under_its_route(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    h.new_cycle(database, "2025年度", "publicized")
    client = TestClient(create_app(database), client=LOCAL)
    url = f"/public/companies/{f.CODE_A}"
    _built(client, url)
    client.get(url)
    before, _ = scrape(client)
    for _ in range(3):
        assert client.get(url).status_code == 200
    after, _ = scrape(client)
    route = {"method": "GET", "route": "/public/companies/{credit_code}"}
    assert value(after, "rating_http_requests_total", **route, status="200") - \
        value(before, "rating_http_requests_total", **route, status="200") == 3
    assert _hits(_front(client)) == 3


def test_when_the_poll_fails_the_request_goes_the_whole_way_and_is_answered_as_there(database, monkeypatch):
    from sqlalchemy import exc as sa_exc

    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    h.new_cycle(database, "2025年度", "publicized")
    client = f.page_client(database)
    url = f"/api/v1/public/companies/{f.CODE_A}"
    _built(client, url)
    client.get(url)
    front = _front(client)
    assert client.get(url).status_code == 200 and _hits(front) == 1
    cache = client.app.state.disclosure  # type: ignore[attr-defined]
    calls: list[int] = []

    def away() -> None:
        calls.append(1)
        raise sa_exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(cache, "refresh", away)
    cache.expire()  # the poll is due
    answer = client.get(url)
    assert answer.status_code == 503 and answer.json()["code"] == "database_unavailable"
    assert len(calls) == 2 and _hits(front) == 1  # the front's poll, then serve's
