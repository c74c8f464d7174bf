"""The public data is built in the background: requests never wait for a build.

Every test here makes the build slow on purpose: the build blocks on a gate that the test opens only after the
requests it checks have been answered. A request that waited for the build would therefore hang until the gate's
timeout and fail; nothing here measures a time.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import update

from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle
from rating_service.disclosure import service
from rating_service.disclosure.service import DisclosureCache
from rating_service.web.app import create_app
from tests import factories as f
from tests.rating_service.disclosure import helpers as h

PREPARING_ZH = "正在准备数据，请稍后刷新"
PREPARING_EN = "The data is being prepared"
GATE_TIMEOUT = 20.0


class Gate:
    """Makes ``service.build`` block until ``open()``; counts the builds and can make some of them fail."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, read_first: bool = False) -> None:
        self.real = service.build
        self.read_first = read_first  # read the data, then wait (a build that finishes after a change it missed)
        self.opened = threading.Event()
        self.started = threading.Event()
        self.calls: list[int] = []
        self.failures = 0
        monkeypatch.setattr(service, "build", self)

    def __call__(self, session: Any, cycle_id: int) -> Any:
        self.calls.append(cycle_id)
        built = self.real(session, cycle_id) if self.read_first else None
        self.started.set()
        assert self.opened.wait(GATE_TIMEOUT), "the gate was never opened: a request waited for the build"
        if self.failures:
            self.failures -= 1
            raise RuntimeError("planted build failure")
        return built if built is not None else self.real(session, cycle_id)

    def open(self) -> None:
        self.opened.set()

    def close(self) -> None:
        self.opened.clear()
        self.started.clear()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    found = Gate(monkeypatch)
    yield found
    found.open()  # never leave a builder thread waiting behind a test


def _client(database: Any, **options: Any) -> tuple[Any, DisclosureCache]:
    """A page client whose app has a cache of its own that polls only when told (commit hook) and, unless asked,
    does not wait for data at a cold start."""
    client = f.page_client(database)
    options = {"poll_seconds": 3600.0, "wait_seconds": 0.0, **options}
    cache = DisclosureCache(database, **options)
    client.app.state.disclosure = cache
    return client, cache


def _score(html: str) -> str:
    found = re.search(r'id="score">([^<]+)<', html)
    assert found, html[:500]
    return found.group(1)


def _decide_a_change(database: Any, cycle_id: int) -> dict[str, Any]:
    """An appeal on company A's complaint GD-000003, upheld with the record voided: A's score changes."""
    f.make_user(database, "filer", "company", credit_code=f.CODE_A)
    f.make_user(database, "decider", "officer")
    appeal = h.file_appeal(f.api_client(database, "filer"), cycle_id, grounds="不属实",
                           records=[("complaints", "GD-000003")])
    decided = h.decide(f.api_client(database, "decider"), appeal["id"], "upheld",
                       [{"kind": "complaints", "record_id": "GD-000003", "action": "void"}], "成立")
    assert decided["after"]["score"] != decided["before"]["score"]
    return decided


def test_requests_during_a_rebuild_are_answered_at_once_from_the_previous_build(database, in_window, gate):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = h.new_cycle(database, "2025年度", "publicized")
    client, cache = _client(database)
    gate.open()
    cache.settle()
    page = f"/public/companies/{f.CODE_A}"
    before = client.get(page)
    assert before.status_code == 200
    gate.close()

    decided = _decide_a_change(database, cycle_id)  # commits: the hook tells the cache to look again
    during = client.get(page)  # polls, sees the new version, starts the rebuild, answers from the previous build
    assert gate.started.wait(GATE_TIMEOUT), "no rebuild started"
    again = client.get(page)  # the rebuild is blocked at the gate: still answered, from the previous build
    for response in (during, again):
        assert response.status_code == 200
        assert response.headers["etag"] == before.headers["etag"] and response.content == before.content
    assert client.get(page, headers={"If-None-Match": before.headers["etag"]}).status_code == 304
    assert client.get("/api/v1/public/cycles").json()[0]["appeals"]["filed"] == 0  # statistics: the old build's

    gate.open()
    cache.settle()
    after = client.get(page)
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert _score(after.text) == f"{decided['after']['score']:.1f}" != _score(before.text)
    assert client.get("/api/v1/public/cycles").json()[0]["appeals"]["filed"] == 1
    assert gate.calls == [cycle_id, cycle_id]


def test_a_cold_start_answers_the_minimal_page_at_once_then_the_data(database, gate):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = h.new_cycle(database, "2025年度", "publicized")
    client, cache = _client(database)

    page = client.get(f"/public/companies/{f.CODE_A}")  # nothing built: the builder is held at the gate
    assert page.status_code == 503, page.text[:300]
    assert page.headers["retry-after"] == str(service.RETRY_AFTER_SECONDS)
    assert page.headers["cache-control"] == "no-store" and "etag" not in page.headers
    assert page.headers["content-type"].startswith("text/html")
    text = h.text_of(page.text)
    assert PREPARING_ZH in text and "2025年度" in text and "公示中" in text
    english = client.get("/public?lang=en")
    assert english.status_code == 503 and PREPARING_EN in h.text_of(english.text)

    api = client.get(f"/api/v1/public/companies/{f.CODE_A}")
    assert api.status_code == 503 and api.headers["retry-after"] == str(service.RETRY_AFTER_SECONDS)
    assert api.json() == {"code": "preparing", "message": "正在准备数据，请稍后刷新。",
                          "details": [{"cycle_id": cycle_id, "name": "2025年度", "status": "publicized",
                                       "ready": False}]}
    assert client.get("/api/v1/public/cycles", headers={"Accept-Language": "en"}).json()["message"].startswith(
        PREPARING_EN)
    files = client.get(f"/open-data/cycles/{cycle_id}/ratings.csv")
    assert files.status_code == 503 and files.json()["code"] == "preparing"
    assert client.get("/open-data/cycles/999/ratings.csv").status_code == 404  # not public: 404 as ever
    assert gate.started.wait(GATE_TIMEOUT) and gate.calls == [cycle_id]

    gate.open()
    cache.settle()
    ready = client.get(f"/public/companies/{f.CODE_A}")
    assert ready.status_code == 200 and "etag" in ready.headers
    assert client.get(f"/open-data/cycles/{cycle_id}/ratings.csv").status_code == 200


def test_a_cold_start_waits_for_the_data_within_the_configured_patience(database, gate):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    h.new_cycle(database, "2025年度", "publicized")
    client, _cache = _client(database, wait_seconds=GATE_TIMEOUT * 2)
    answers: list[Any] = []
    waiting = threading.Thread(target=lambda: answers.append(client.get(f"/public/companies/{f.CODE_A}")))
    waiting.start()
    assert gate.started.wait(GATE_TIMEOUT)
    assert not answers, "answered before the data existed"
    gate.open()
    waiting.join(GATE_TIMEOUT)
    assert [a.status_code for a in answers] == [200]


def test_a_newly_publicized_cycle_appears_only_once_built(database, gate):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    first = h.new_cycle(database, "2025年度（第一期）", "publicized")
    second = h.new_cycle(database, "2025年度（第二期）", "computed")
    client, cache = _client(database)
    gate.open()
    cache.settle()
    shown = client.get("/public")
    gate.close()

    with database.write_session() as session:  # publicized today (the tests' pinned day): never back-dated
        cycles.publicize_cycle(session=session, cycle_id=second, actor="officer")
    assert client.get("/public").content == shown.content  # the site shows what it showed
    assert gate.started.wait(GATE_TIMEOUT) and gate.calls[-1] == second
    assert [c["id"] for c in client.get("/api/v1/public/cycles").json()] == [first]
    named = client.get(f"/open-data/cycles/{second}/ratings.json")  # public, but not built yet
    assert named.status_code == 503 and named.json()["code"] == "preparing"
    assert client.get(f"/public?cycle={second}").status_code == 503

    gate.open()
    cache.settle()
    assert [c["id"] for c in client.get("/api/v1/public/cycles").json()] == [second, first]
    assert "2025年度（第二期）" in client.get("/public").text
    assert client.get(f"/open-data/cycles/{second}/ratings.json").status_code == 200


def _hide(database: Any, cycle_id: int) -> None:
    """A public cycle stops being public (no command does this today; the cache must still never show it)."""
    with database.write_session() as session:
        session.execute(update(Cycle).where(Cycle.id == cycle_id).values(status="computed"))
        cycles.disclosure_changed(session=session, cycle=session.get(Cycle, cycle_id))


def _public_ids(client: Any) -> list[int]:
    return [c["id"] for c in client.get("/api/v1/public/cycles").json()]


def test_a_cycle_that_stops_being_public_disappears_at_once_even_while_it_is_rebuilt(database, monkeypatch):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    kept = h.new_cycle(database, "2025年度（保留）", "publicized")
    hidden = h.new_cycle(database, "2025年度（撤回）", "publicized")
    gate = Gate(monkeypatch, read_first=True)  # the rebuild reads the data while the cycle is still public
    try:
        client, cache = _client(database)
        gate.open()
        cache.settle()
        assert _public_ids(client) == [hidden, kept]
        assert client.get(f"/open-data/cycles/{hidden}/ratings.csv").status_code == 200
        gate.close()

        with database.write_session() as session:  # a new version of the cycle: rebuilt in the background
            cycles.disclosure_changed(session=session, cycle=session.get(Cycle, hidden))
        client.get("/public")
        assert gate.started.wait(GATE_TIMEOUT) and gate.calls[-1] == hidden

        _hide(database, hidden)  # while its rebuild, holding data read when it was public, is at the gate
        assert _public_ids(client) == [kept]
        for url in (f"/open-data/cycles/{hidden}/ratings.csv", f"/public?cycle={hidden}",
                    f"/api/v1/public/cycles/{hidden}/ratings"):
            assert client.get(url).status_code == 404, url
        history = client.get(f"/api/v1/public/companies/{f.CODE_A}").json()["ratings"]
        assert [r["cycle"]["id"] for r in history] == [kept]
        assert "2025年度（撤回）" not in client.get(f"/public/companies/{f.CODE_A}").text

        gate.open()  # the rebuild finishes with the data it read: thrown away
        cache.settle()
        assert _public_ids(client) == [kept]
        assert client.get(f"/open-data/cycles/{hidden}/ratings.csv").status_code == 404
        assert hidden not in cache.view().data
    finally:
        gate.open()


def test_a_failed_build_keeps_the_previous_version_is_logged_and_tried_again(database, in_window, gate, caplog):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = h.new_cycle(database, "2025年度", "publicized")
    clock = FakeClock()
    client, cache = _client(database, clock=clock, retry_seconds=30.0)
    gate.open()
    cache.settle()
    page = f"/public/companies/{f.CODE_A}"
    before = client.get(page)

    gate.failures = 1
    with caplog.at_level(logging.ERROR, logger=service.__name__):
        decided = _decide_a_change(database, cycle_id)
        cache.settle()  # the rebuild failed; it waits for its retry
    failed = [r for r in caplog.records if r.name == service.__name__ and r.levelno == logging.ERROR]
    assert len(failed) == 1 and failed[0].exc_info is not None
    assert f"building cycle {cycle_id}" in failed[0].getMessage() and "stays served" in failed[0].getMessage()
    assert client.get(page).content == before.content  # the previous build is served meanwhile
    assert gate.calls == [cycle_id, cycle_id]

    clock.now += 10  # not yet time: nothing tried
    cache.settle()
    assert gate.calls == [cycle_id, cycle_id]
    clock.now += 25  # past the retry time
    cache.settle()
    assert gate.calls == [cycle_id, cycle_id, cycle_id]
    assert _score(client.get(page).text) == f"{decided['after']['score']:.1f}" != _score(before.text)


def test_the_server_start_begins_building_before_any_request(database, gate):
    from fastapi.testclient import TestClient

    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = h.new_cycle(database, "2025年度", "publicized")
    with TestClient(create_app(database)) as client:  # runs the app's start-up, and its shut-down at the end
        assert gate.started.wait(GATE_TIMEOUT), "nothing was built at start-up"
        assert gate.calls == [cycle_id]
        gate.open()
        cache = client.app.state.disclosure
        assert cycle_id in cache.settle().data
        assert client.get(f"/public/companies/{f.CODE_A}").status_code == 200
