"""The disclosure cache: every change shows in the process that made it as soon as its background build is done, with a
new ETag; another process (a second app with its own cache) sees it by polling; Cache-Control by kind of answer.

The builds run in a background thread: a test waits for them with ``DisclosureCache.settle()`` (no sleeping). What is
served while a build runs, at a cold start and when a build fails is in test_background_build.py."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from rating_service.disclosure import service
from rating_service.disclosure.service import DisclosureCache
from tests import factories as f
from tests.rating_service.disclosure import helpers as h

IN_PUBLICITY = "公示中"
FINAL = "已终评"


def _isolated(client: Any, database: Any, poll_seconds: float) -> DisclosureCache:
    """Give the client's app its own cache that the after-commit hook does not reach (like another process's)."""
    cache = DisclosureCache(database, poll_seconds=poll_seconds)
    service._caches.discard(cache)
    client.app.state.disclosure = cache
    return cache


class Etags:
    """The last ETag seen per URL; each check waits for the background build, then asserts that the ETag changed and
    that revalidation answers correctly."""

    def __init__(self, client: Any, cache: DisclosureCache) -> None:
        self.client = client
        self.cache = cache
        self.seen: dict[str, str] = {}

    def get(self, url: str) -> Any:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        self.seen[url] = response.headers["etag"]
        return response

    def changed(self, url: str) -> Any:
        old = self.seen[url]
        self.cache.settle()  # polls only when the commit hook asked for it (this cache's own poll is an hour away)
        response = self.get(url)
        new = response.headers["etag"]
        assert new != old, f"{url}: the ETag did not change"
        stale = self.client.get(url, headers={"If-None-Match": old})
        assert stale.status_code == 200 and stale.content == response.content, url
        fresh = self.client.get(url, headers={"If-None-Match": new})
        assert fresh.status_code == 304 and fresh.content == b"", url
        assert fresh.headers["etag"] == new
        return response


def _appeal_row(html: str, cycle_name: str) -> list[str]:
    table = re.search(r'<table id="appeal-statistics">(.*?)</table>', html, flags=re.S)
    assert table, "no appeal statistics table"
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), flags=re.S):
        cells = [h.text_of(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        if cells and cells[0] == cycle_name:
            return cells
    raise AssertionError(f"no row for {cycle_name}")


def _csv_score(body: bytes, code: str) -> str:
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    return next(r["score"] for r in rows if r["credit_code"] == code)


def _page_score(html: str) -> str:
    found = re.search(r'id="score">([^<]+)<', html)
    assert found
    return found.group(1)


def test_each_change_shows_once_built_with_a_new_etag(database, in_window):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = h.new_cycle(database, "2025年度", "computed")
    f.make_user(database, "filer", "company", credit_code=f.CODE_A)
    f.make_user(database, "decider", "officer")
    client = f.page_client(database)
    cache = DisclosureCache(database, poll_seconds=3600)  # never polls again: only the after-commit hook refreshes
    client.app.state.disclosure = cache
    tags = Etags(client, cache)
    company_page, company_api = f"/public/companies/{f.CODE_A}", f"/api/v1/public/companies/{f.CODE_A}"
    csv_url = f"/open-data/cycles/{cycle_id}/ratings.csv?lang=en"

    # computed: nothing public
    assert tags.get("/api/v1/public/cycles").json() == []
    assert f.CODE_A not in tags.get("/public").text
    tags.get("/public/appeals")
    # (no ?lang=en here: the HTML 404 page would take it as the visitor's language and set the cookie)
    assert client.get(f"/open-data/cycles/{cycle_id}/ratings.csv").status_code == 404

    # publicized: visible as soon as built, in publicity
    with f.on_day(h.NOTICE_DATE), database.write_session() as session:  # publicized on its notice date
        from rating_service.cycles import service as cycles

        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="officer", notice_date=h.NOTICE_DATE)
    listed = tags.changed("/api/v1/public/cycles").json()
    assert [(c["id"], c["status"], c["in_publicity"]) for c in listed] == [(cycle_id, "publicized", True)]
    page = tags.changed("/public").text
    assert f.CODE_A in page and IN_PUBLICITY in page and FINAL not in page
    tags.changed("/public/appeals")
    assert _appeal_row(tags.get("/public/appeals").text, "2025年度")[2:4] == ["0", "0"]
    before = {"page": _page_score(tags.get(company_page).text), "api": tags.get(company_api).json(),
              "csv": _csv_score(tags.get(csv_url).content, f.CODE_A)}

    # an appeal filed: counted in the page and the JSON statistics as soon as built
    appeal = h.file_appeal(f.api_client(database, "filer"), cycle_id, grounds="不属实",
                           records=[("complaints", "GD-000003")])
    row = _appeal_row(tags.changed("/public/appeals").text, "2025年度")
    assert row[2:7] == ["1", "1", "0", "0", "0"], row  # filed, pending, upheld, partly, rejected
    statistics = tags.changed("/api/v1/public/cycles").json()[0]["appeals"]
    assert (statistics["filed"], statistics["pending"]) == (1, 1)

    # the appeal decided with a change: the score moves in the page, the JSON and the CSV as soon as built
    decided = h.decide(f.api_client(database, "decider"), appeal["id"], "upheld",
                       [{"kind": "complaints", "record_id": "GD-000003", "action": "void"}], "成立")
    after_score, after_grade = decided["after"]["score"], decided["after"]["grade"]
    assert after_score != decided["before"]["score"]
    assert _page_score(tags.changed(company_page).text) == f"{after_score:.1f}" != before["page"]
    latest = tags.changed(company_api).json()["ratings"][-1]
    assert (latest["score"], latest["grade"]) == (after_score, after_grade)
    assert latest["score"] != before["api"]["ratings"][-1]["score"]
    assert _csv_score(tags.changed(csv_url).content, f.CODE_A) == str(after_score) != before["csv"]
    items = client.get("/api/v1/public/cycles/current/ratings?q=" + f.CODE_A).json()["items"]
    assert [(r["score"], r["grade"]) for r in items] == [(after_score, after_grade)]
    row = _appeal_row(tags.changed("/public/appeals").text, "2025年度")
    assert row[2:7] == ["1", "0", "1", "0", "0"], row

    # finalized: the publicity label is gone, the final one shows
    labelled = ("/public", company_page, "/public/lists", "/public/appeals")
    assert "status-publicized" in tags.get("/public/open-data").text  # its data dictionary explains 公示中
    for url in labelled:
        assert IN_PUBLICITY in h.text_of(tags.get(url).text), url
    with f.appeals_closed(database, cycle_id), database.write_session() as session:
        cycles.finalize_cycle(session=session, cycle_id=cycle_id, actor="officer")
    for url in labelled:
        text = h.text_of(tags.changed(url).text)
        assert IN_PUBLICITY not in text and FINAL in text, url
    files = tags.changed("/public/open-data").text
    assert "status-publicized" not in files and "status-finalized" in files
    listed = tags.changed("/api/v1/public/cycles").json()
    assert [(c["status"], c["in_publicity"]) for c in listed] == [("finalized", False)]
    assert listed[0]["finalized_on"] is not None
    assert tags.changed(csv_url).content.count(b",finalized,") == 2
    assert client.app.state.disclosure is cache and cache.poll_seconds == 3600


def test_a_second_app_on_the_same_database_sees_a_change_made_through_the_first(database, in_window):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = h.new_cycle(database, "2025年度", "computed")
    f.make_user(database, "officer", "officer")
    f.make_user(database, "filer", "company", credit_code=f.CODE_A)
    first = f.api_client(database, "officer")
    second, frozen = f.page_client(database), f.page_client(database)
    second_cache = _isolated(second, database, poll_seconds=0)
    frozen_cache = _isolated(frozen, database, poll_seconds=3600)  # the control: nobody tells it, it does not poll
    for client in (second, frozen):
        assert client.get("/api/v1/public/cycles").json() == []
        assert client.get(f"/open-data/cycles/{cycle_id}/ratings.json").status_code == 404

    with f.on_day(h.NOTICE_DATE):
        response = first.post(f"/api/v1/cycles/{cycle_id}/publicize",
                              json={"notice_date": h.NOTICE_DATE.isoformat()})
    assert response.status_code == 200, response.text
    second_cache.settle()  # polls (always due) and waits for the background build
    frozen_cache.settle()  # not due: no poll, nothing to build
    assert [c["id"] for c in second.get("/api/v1/public/cycles").json()] == [cycle_id]
    assert second.get(f"/open-data/cycles/{cycle_id}/ratings.json").status_code == 200
    assert frozen.get("/api/v1/public/cycles").json() == [], "the control cache was refreshed: not isolated"

    h.file_appeal(f.api_client(database, "filer"), cycle_id, grounds="不属实", records=[("complaints", "GD-000003")])
    second_cache.settle()
    assert second.get("/api/v1/public/cycles").json()[0]["appeals"]["filed"] == 1
    assert _appeal_row(second.get("/public/appeals").text, "2025年度")[2] == "1"


def test_cache_control_and_etags_by_kind_of_answer(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = h.new_cycle(database, "2025年度", "publicized")
    client = f.page_client(database)
    revalidate = ["/public", "/public/lists", "/public/appeals", "/public/open-data", "/public/methodology",
                  "/public/methodology/ZY-2025", f"/public/companies/{f.CODE_A}", "/api/v1/public/cycles",
                  "/api/v1/public/cycles/current/ratings", f"/api/v1/public/companies/{f.CODE_A}",
                  "/api/v1/public/methodologies", "/api/v1/public/methodologies/ZY-2025"]
    open_data = [f"/open-data/cycles/{cycle_id}/ratings.csv", f"/open-data/cycles/{cycle_id}/ratings.csv?lang=en",
                 f"/open-data/cycles/{cycle_id}/ratings.json"]
    for urls, expected in ((revalidate, "public, no-cache"), (open_data, "public, max-age=60")):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["cache-control"] == expected, url
            etag = response.headers["etag"]
            assert re.fullmatch(r'"[0-9a-f]+"', etag), etag
            again = client.get(url, headers={"If-None-Match": etag})
            assert again.status_code == 304 and again.headers["cache-control"] == expected, url
            assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304, url
            assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200, url
    csv_body = client.get(open_data[0]).content
    assert csv_body.startswith(b"\xef\xbb\xbf") and "企业名称".encode() in csv_body.splitlines()[0]
    assert b"credit_code" in client.get(open_data[1]).content.splitlines()[0]
