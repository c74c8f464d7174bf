"""The bulletin (公示名单) of a publicized or final cycle is public: downloadable without login, linked from the public
pages, with its own verification code and QR code; any other cycle's list answers 404, never a 5xx."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import unquote

import pypdf

from tests import factories as f
from tests.rating_service.disclosure import helpers as h
from tests.rating_service.notices.helpers import CODE_PATTERN, computed_cycle, payload


def _text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_bulletin_of_a_publicized_cycle_downloads_without_login_and_verifies(published, database):
    client = f.page_client(database)  # nobody logged in
    response = client.get(f"/public/cycles/{published.cycle_id}/bulletin.pdf")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")
    disposition = response.headers["content-disposition"]
    assert 'filename="bulletin-2026-1-bulletin.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "信用评价结果公示名单_枞住建信评〔2026〕1号.pdf"

    code = published.bulletin.verification_code
    assert re.fullmatch(CODE_PATTERN, code) and payload(published.bulletin)["verification_code"] == code
    text = _text(response.content)
    assert code in text and f"/verify/{code}" in text and "公示名单" in text
    verified = client.get(f"/verify/{code}")
    assert verified.status_code == 200 and published.bulletin.doc_number in verified.text
    assert f.api_client(database).get(f"/api/v1/verify/{code}").json()["kind"] == "bulletin"

    again = client.get(f"/public/cycles/{published.cycle_id}/bulletin.pdf",
                       headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_the_public_pages_link_the_bulletin(published, database):
    client = f.page_client(database)
    url = f"/public/cycles/{published.cycle_id}/bulletin.pdf"
    for page in ("/public", "/public/lists", "/public/open-data"):
        assert url in h.links_of(client.get(page).text), page


def test_no_bulletin_of_a_cycle_that_is_not_public_nor_of_an_unknown_one(published, database):
    with f.on_day(f.TODAY):
        computed = computed_cycle(database, "2025年度（复核）", on=f.TODAY)
    client = f.page_client(database)
    for cycle_id in (computed, 9999):
        response = client.get(f"/public/cycles/{cycle_id}/bulletin.pdf")
        assert response.status_code == 404, (cycle_id, response.status_code)
        assert response.headers["content-type"].startswith("text/html") and "公示名单" in response.text
    assert client.get("/public/cycles/abc/bulletin.pdf").status_code in (404, 422)


def test_a_list_issued_before_it_carried_a_code_still_renders_the_same(published, database: Any):
    """Lists issued earlier have no code in their payload: they render as issued (their hash still holds)."""
    from reports.model import from_payload
    from reports.render import render

    data = payload(published.bulletin)
    data.pop("verification_code")
    assert "verification_code" not in _text(render(from_payload(data)))
