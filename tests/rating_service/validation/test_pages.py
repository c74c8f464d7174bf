"""The officer pages: the what-if form (changed companies, a bad field kept in the form, an uploaded file), the
adopt form for administrators only, and the methodology versions page."""

from __future__ import annotations

import html
import re
from typing import Any

from tests import factories as f
from tests.rating_service.validation.conftest import adopted_count, audit_entries, draft_text, stored_ratings

FIELD = re.compile(r'name="((?:weight|curve|band)_[A-Za-z]+)" value="([^"]*)"')


def _form(client: Any, cycle_id: int) -> dict[str, str]:
    """The what-if form's fields as the page fills them in (the cycle's methodology)."""
    page = client.get(f"/methodologies/what-if?cycle={cycle_id}")
    assert page.status_code == 200, page.text[:300]
    fields = {name: html.unescape(value) for name, value in FIELD.findall(page.text)}
    assert set(fields) >= {"weight_INSP", "weight_COMPL", "weight_FEE", "curve_insp", "curve_compl", "curve_fee",
                           "band_AAA", "band_AA", "band_A", "band_B", "band_C"}
    return {"csrf_token": f.csrf_of(client), "cycle": str(cycle_id), "base": "ZY-2025", **fields}


def _changed_names(page: str) -> list[str]:
    table = re.search(r'<table id="what-if-changes">(.*?)</table>', page, re.S)
    return [] if table is None else [html.unescape(n) for n in re.findall(r"<tr><td>([^<]*)</td>", table.group(1))]


def test_the_form_with_one_changed_band_lists_the_companies_that_move(database, demo):
    officer = f.page_client(database, "officer")
    data = _form(officer, demo.first)
    assert data["band_AA"] in ("80", "80.0") and data["curve_insp"].startswith("0:100, 1:90")
    unchanged = officer.post("/methodologies/what-if", data=data)
    assert unchanged.status_code == 200 and 'id="no-change"' in unchanged.text
    response = officer.post("/methodologies/what-if", data={**data, "band_AA": "85"})
    assert response.status_code == 200, response.text[:500]
    with database.read_session() as session:
        from rating_service.cycles import repository

        rows, _ = repository.list_ratings(session, cycle_id=demo.first)
        expected = sorted(r.name or r.credit_code for r in rows if r.grade == "AA" and 80 <= r.score < 85)
    assert expected
    assert sorted(_changed_names(response.text)) == expected
    assert f"（{len(expected)} 家）" in response.text
    assert 'name="band_AA" value="85"' in response.text  # the form keeps what was tried


def test_a_bad_breakpoint_is_refused_naming_the_field_and_the_form_is_kept(database, demo):
    officer = f.page_client(database, "officer")
    data = _form(officer, demo.first)
    response = officer.post("/methodologies/what-if", data={**data, "curve_insp": "0:100, x", "weight_FEE": "0.3"})
    assert response.status_code == 400
    error = re.search(r'<p class="flash error" role="alert" id="error">([^<]*)</p>', response.text)
    assert error is not None and "inspections.breakpoints" in html.unescape(error.group(1))
    assert 'name="curve_insp" value="0:100, x"' in response.text
    assert 'name="weight_FEE" value="0.3"' in response.text
    assert 'id="what-if-changes"' not in response.text
    weights = officer.post("/methodologies/what-if", data={**data, "weight_INSP": "0.9"})
    assert weights.status_code == 400 and "weights" in weights.text


def test_a_yaml_file_can_be_tried_on_the_page(database, demo):
    officer = f.page_client(database, "officer")
    data = _form(officer, demo.first)
    text = draft_text("ZY-FILE", "2025-01-01", bands=[{"grade": "AAA", "min": 90}, {"grade": "AA", "min": 85},
                                                       {"grade": "A", "min": 70}, {"grade": "B", "min": 60},
                                                       {"grade": "C", "min": 0}])
    response = officer.post("/methodologies/what-if", data=data,
                            files={"file": ("draft.yaml", text.encode("utf-8"), "application/x-yaml")})
    assert response.status_code == 200, response.text[:500]
    assert "ZY-2025 → ZY-FILE" in response.text
    stored = stored_ratings(database, demo.first)
    assert len(_changed_names(response.text)) == sum(1 for s, g, _m in stored.values() if g == "AA" and s < 85)
    bad = officer.post("/methodologies/what-if", data=data,
                       files={"file": ("draft.yaml", b"weights: [unclosed", "application/x-yaml")})
    assert bad.status_code == 400 and "YAML" in bad.text


def test_the_adopt_form_shows_only_for_administrators(database, demo):
    officer, admin = f.page_client(database, "officer"), f.page_client(database, "admin")
    as_officer = officer.post("/methodologies/what-if", data={**_form(officer, demo.first), "band_AA": "85"})
    as_admin = admin.post("/methodologies/what-if", data={**_form(admin, demo.first), "band_AA": "85"})
    assert as_officer.status_code == as_admin.status_code == 200
    assert 'id="adopt-form"' not in as_officer.text and "只有管理员可以采用新版本" in as_officer.text
    assert 'id="adopt-form"' in as_admin.text


def _adopt_fields(page: str) -> dict[str, str]:
    form = re.search(r'<form method="post" action="/methodologies/adopt".*?</form>', page, re.S)
    assert form is not None
    fields = {n: html.unescape(v) for n, v in re.findall(r'<input type="[a-z]+" name="(\w+)" value="([^"]*)"',
                                                           form.group(0))}
    fields.update({n: html.unescape(v) for n, v in re.findall(r'<input name="(\w+)" value="([^"]*)"', form.group(0))})
    return fields


def test_an_administrator_adopts_the_tried_draft_from_the_page(database, demo):
    admin = f.page_client(database, "admin")
    tried = admin.post("/methodologies/what-if", data={**_form(admin, demo.first), "band_AA": "85"})
    fields = _adopt_fields(tried.text)
    assert fields["based_on"] == "ZY-2025" and fields["new_id"] == "ZY-2027"
    assert fields["effective_from"] == "2027-01-01"
    form = {**fields, "new_id": "ZY-2027-A", "title": "试行细则", "reason": "提高 AA 门槛",
            "csrf_token": f.csrf_of(admin)}

    officer = f.page_client(database, "officer")
    assert officer.post("/methodologies/adopt", data={**form, "csrf_token": f.csrf_of(officer)}).status_code == 403
    assert adopted_count(database) == 0

    response = admin.post("/methodologies/adopt", data=form)
    assert response.status_code == 303 and response.headers["location"] == "/methodologies"
    listing = admin.get("/methodologies")
    assert listing.status_code == 200
    row = re.search(r'<tr><td class="code"><a href="/public/methodology/ZY-2027-A">ZY-2027-A</a></td>(.*?)</tr>',
                    listing.text, re.S)
    assert row is not None and "试行细则" in row.group(1) and "提高 AA 门槛" in row.group(1)
    entry = audit_entries(database, "methodology.adopt")
    assert [(e.actor, e.entity_id) for e in entry] == [("admin", "ZY-2027-A")]
    api = f.api_client(database, "admin").get("/api/v1/methodologies").json()
    adopted = next(m for m in api if m["id"] == "ZY-2027-A")
    with database.read_session() as session:
        from rating_service.methodologies import service as methodologies

        assert [b.min for b in methodologies.find(session, "ZY-2027-A").bands] == [90, 85, 70, 60, 0]
    assert adopted["effective_from"] == "2027-01-01" and adopted["source"] == "adopted"

    again = admin.post("/methodologies/adopt", data={**form, "reason": "再来"})
    assert again.status_code == 409 and adopted_count(database) == 1
    past = admin.post("/methodologies/adopt", data={**form, "new_id": "ZY-OLD", "effective_from": "2026-01-01"})
    assert past.status_code == 400 and "effective_from" in past.text and adopted_count(database) == 1
