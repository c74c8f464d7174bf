"""Numbers typed into values never reach a document or the public (issue 14, item 3): with the bureau's mask mode
the import stores them masked; a cycle computed and publicized from those records issues notices and public pages
and open data that hold none of the planted numbers."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from rating_service.settings import get_settings
from tests import factories as f
from tests.rating_service.disclosure import helpers as h
from tests.rating_service.notices.helpers import documents
from tests.rating_service.records.test_import_personal_data import PLANTED, _import_masked, database_dump


@pytest.fixture
def mask_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "personal_data_in_values", "mask")


def _pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def test_masked_records_leave_no_planted_number_in_notices_public_pages_or_open_data(database, mask_mode,
                                                                                   in_window):
    _import_masked(database)
    cycle_id = h.new_cycle(database, "2025年度", "publicized")
    f.make_user(database, "officer", "officer")
    officer = f.api_client(database, "officer")

    # The notices and the bulletin, as PDFs and as the text they carry.
    issued = documents(database, cycle_id)
    assert len(issued) == 3
    texts = []
    for document in issued:
        response = officer.get(f"/api/v1/documents/{document.id}/pdf")
        assert response.status_code == 200
        texts.append(_pdf_text(response.content))
    notice = next(t for t, d in zip(texts, issued, strict=True) if d.credit_code == f.CODE_B)
    assert "133****0003" in notice  # the control: an evidence record number, masked, is printed

    # Every public page, API answer and open-data file reachable from the public site.
    public = f.page_client(database)
    seeds = ["/public", "/public?lang=en", "/public/lists", "/public/open-data", "/api/v1/public/cycles",
             f"/api/v1/public/cycles/{cycle_id}/ratings?per_page=100", f"/open-data/cycles/{cycle_id}/ratings.csv",
             f"/open-data/cycles/{cycle_id}/ratings.json", f"/public/companies/{f.CODE_A}",
             f"/public/companies/{f.CODE_B}", f"/api/v1/public/companies/{f.CODE_B}"]
    crawled = h.crawl(public, seeds, limit=300)
    assert all(status == 200 for status, _kind, _body in crawled.answers.values())
    bodies = [*crawled.bodies().values(), *texts, database_dump(database)]
    for number in PLANTED.values():
        compact = re.sub(r"\s+", "", number)
        leaks = [i for i, body in enumerate(bodies) if number in body or compact in re.sub(r"\s+", "", body)]
        assert not leaks, (number, leaks)
