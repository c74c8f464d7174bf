"""No personal data, user name, appeal ground, decision reason, attachment or record note on the public surface."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rating_service.companies.models import Company
from tests import factories as f
from tests.rating_service.disclosure import helpers as h

# Keys that would carry private data: never a JSON key or a CSV column of a public answer.
PRIVATE_KEYS = ("legal_representative", "phone", "address", "grounds", "filed_by", "decided_by", "attachments",
                "decision_reasons", "reasons", "note", "finding", "filename", "username")
# In HTML prose some of these are ordinary English words ("fixed addresses", "grounds ... are not published"):
# there only the identifiers count.
PRIVATE_IDENTIFIERS = ("legal_representative", "filed_by", "decided_by", "decision_reasons")
PAGE_SEEDS = ("/public", "/public?lang=en", "/public/lists", "/public/appeals", "/public/open-data",
              "/public/methodology", "/verify", "/public?q=山水兰亭", "/public?q=城关", "/public/no-such-page")


def _json_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        # A methodology's ``words`` name its codes (a section is called "reasons": the reason codes' names and
        # explanations, public text of the methodology), so its keys are codes, not fields of a record.
        words = value.get("words") if "id" in value and "weights" in value else None
        return set(value) | {k for key, v in value.items() if not (key == "words" and v is words)
                             for k in _json_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _json_keys(v)}
    return set()


def _api_urls(client: Any, world: h.World) -> list[str]:
    urls = ["/api/v1/public/cycles", "/api/v1/public/methodologies", "/api/v1/public/methodologies/ZY-2025",
            "/api/v1/public/cycles/current/ratings?per_page=100"]
    codes: set[str] = set()
    for cycle in client.get("/api/v1/public/cycles").json():
        cycle_id = cycle["id"]
        urls += [f"/api/v1/public/cycles/{cycle_id}/ratings?per_page=100",
                 f"/open-data/cycles/{cycle_id}/ratings.csv", f"/open-data/cycles/{cycle_id}/ratings.csv?lang=en",
                 f"/open-data/cycles/{cycle_id}/ratings.json", f"/open-data/cycles/{cycle_id}/ratings.xlsx",
                 f"/public/cycles/{cycle_id}/bulletin.pdf"]
        ratings = client.get(f"/api/v1/public/cycles/{cycle_id}/ratings?per_page=100").json()["items"]
        codes |= {r["credit_code"] for r in ratings}
    for code in sorted(codes):
        urls += [f"/api/v1/public/companies/{code}", f"/public/companies/{code}", f"/public/companies/{code}?lang=en"]
    for code in world.verification_codes:
        urls += [f"/verify/{code}", f"/api/v1/verify/{code}"]
    return urls


def test_the_private_world_really_holds_the_private_strings(database, in_window):
    """The control: the strings the scan looks for are in the database and reach an officer."""
    private = h.Private()
    world = h.private_world(database, private)
    officer = f.api_client(database, private.decider)
    listed = officer.get(f"/api/v1/cycles/{world.publicized}/appeals")
    assert listed.status_code == 200, listed.text
    details = [officer.get(f"/api/v1/appeals/{a['id']}").text for a in listed.json()["items"]]
    everything = listed.text + "".join(details)
    for needle in (private.grounds, private.pending_grounds, private.attachment, private.reasons, private.filer):
        assert needle in everything, needle
    with database.read_session() as session:
        stored = session.get(Company, f.CODE_A)
        assert stored is not None
        assert (stored.legal_representative, stored.address, stored.phone) == (
            private.legal_representatives[0], private.addresses[0], private.phones[0])


def test_a_crawl_of_every_public_answer_finds_no_personal_or_appeal_data(database, in_window):
    private = h.Private()
    world = h.private_world(database, private)
    client = f.page_client(database)
    crawled = h.crawl(client, [*PAGE_SEEDS, *_api_urls(client, world)], limit=600)

    # The crawl reached what it should: every public cycle's files, every company page, the verification pages.
    statuses = {url: status for url, (status, _kind, _body) in crawled.answers.items()}
    assert len(crawled.answers) < 600, "the crawl hit its bound: raise it or narrow the links"
    for url in (f"/open-data/cycles/{world.publicized}/ratings.csv", f"/open-data/cycles/{world.final}/ratings.json",
                f"/public/companies/{f.CODE_A}", f"/public/companies/{f.CODE_B}?cycle={world.final}",
                f"/verify/{world.verification_codes[0]}", "/public/methodology/ZY-2025"):
        assert statuses.get(url) == 200, (url, statuses.get(url))
    # The "page not found" page is crawled too (with its language switch).
    missing = {u: statuses.pop(u) for u in list(statuses) if u.startswith("/public/no-such-page")}
    assert missing and set(missing.values()) == {404}, missing
    for url in (f"/open-data/cycles/{world.final}/ratings.xlsx", f"/public/cycles/{world.publicized}/bulletin.pdf"):
        assert statuses.get(url) == 200 and crawled.answers[url][2].strip(), url  # read as text, not as bytes
    assert all(status == 200 for status in statuses.values()), {u: s for u, s in statuses.items() if s != 200}

    failures = []
    for url, (_status, kind, body) in sorted(crawled.answers.items()):
        for needle in private.strings():
            if needle in body:
                failures.append(f"{url}: contains {needle!r}")
        if "json" in kind:
            keys = _json_keys(json.loads(body))
            failures += [f"{url}: JSON key {k!r}" for k in PRIVATE_KEYS if k in keys]
        elif "csv" in kind:
            header = next(csv.reader(io.StringIO(body)))
            failures += [f"{url}: CSV column {k!r}" for k in PRIVATE_KEYS if k in header]
            failures += [f"{url}: CSV column {zh!r}" for zh in ("法定代表人", "联系电话", "注册地址", "备注")
                         if zh in header]
        else:
            failures += [f"{url}: mentions {k!r}" for k in PRIVATE_IDENTIFIERS if k in body]
    assert not failures, "\n".join(failures)


def test_public_appeal_statistics_count_without_saying_who_or_why(database, in_window):
    private = h.Private()
    world = h.private_world(database, private)
    client = f.page_client(database)
    cycles = {c["id"]: c for c in client.get("/api/v1/public/cycles").json()}
    appeals = cycles[world.publicized]["appeals"]
    assert {k: v for k, v in appeals.items() if k != "median_days_to_decision"} == {
        "filed": 2, "pending": 1, "upheld": 1, "partly_upheld": 0, "rejected": 0}
    assert cycles[world.final]["appeals"]["filed"] == 0
    assert set(cycles[world.publicized]["appeals"]) == {"filed", "pending", "upheld", "partly_upheld", "rejected",
                                                        "median_days_to_decision"}
