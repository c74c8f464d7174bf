"""The officer pages: the what-if form (changed companies, a bad field kept in the form, an uploaded file), the
adopt form for administrators only, and the methodology versions page."""

from __future__ import annotations

import html
import re
from typing import Any

from tests import factories as f
from tests.rating_service.disclosure import helpers as h
from tests.rating_service.validation.conftest import (
    adopted_count,
    audit_entries,
    draft_text,
    stored_ratings,
    what_if_form,
)

CODES = re.compile(r"(?<![A-Za-z0-9_])(INSP|COMPL|COMPL_RATE|COMPL_TIMELY|FEE|VETO|BANDS|R0)(?![A-Za-z0-9_])")


def _form(client: Any, cycle_id: int) -> dict[str, Any]:
    """The what-if form's fields as the page fills them in (the cycle's methodology, ZY-2025)."""
    fields = what_if_form(client, cycle_id)
    assert set(fields) >= {"weight_INSP", "weight_COMPL", "weight_FEE", "x_INSP", "y_INSP", "x_COMPL", "y_COMPL",
                           "x_FEE", "y_FEE", "band_AAA", "band_AA", "band_A", "band_B", "band_C"}
    return fields


def _rows(fields: dict[str, Any], code: str) -> list[tuple[str, str]]:
    return [(x, y) for x, y in zip(fields[f"x_{code}"], fields[f"y_{code}"], strict=True) if x or y]


def _with_rows(data: dict[str, Any], code: str, rows: list[tuple[str, str]]) -> dict[str, Any]:
    """The form with a curve's table replaced by ``rows`` (and a blank spare row, as the page has)."""
    return {**data, f"x_{code}": [x for x, _y in rows] + [""], f"y_{code}": [y for _x, y in rows] + [""]}


def _error(page: str) -> str:
    found = re.search(r'<p class="flash error" role="alert" id="error">([^<]*)</p>', page)
    assert found is not None, page[:500]
    return html.unescape(found.group(1))


def _changed_names(page: str) -> list[str]:
    table = re.search(r'<table id="what-if-changes">(.*?)</table>', page, re.S)
    return [] if table is None else [html.unescape(n) for n in re.findall(r"<tr><td>([^<]*)</td>", table.group(1))]


def _changes(page: str) -> list[str]:
    """Every row of the changed companies' table as its text: name, score before → after, grades."""
    table = re.search(r'<table id="what-if-changes">(.*?)</table>', page, re.S)
    return [] if table is None else sorted(h.text_of(row) for row in re.findall(r"<tr>.*?</tr>", table.group(1),
                                                                                   re.S)[1:])


def test_the_form_shows_the_methodology_in_words_weights_in_per_cent_and_curves_as_tables(database, demo):
    officer = f.page_client(database, "officer")
    data = _form(officer, demo.first)
    assert (data["weight_INSP"], data["weight_COMPL"], data["weight_FEE"]) == ("40", "35", "25")
    assert _rows(data, "INSP")[:2] == [("0", "100"), ("1", "90")]
    assert data["x_INSP"][-2:] == ["", ""]  # spare rows for a page without script
    page = officer.get(f"/methodologies/what-if?cycle={demo.first}").text
    text = h.text_of(page)
    assert "巡查检查" in text and "投诉处置" in text and "收费规范" in text and "指标值" in text and "得分" in text
    assert not CODES.findall(text), CODES.findall(text)
    assert re.search(r'<details id="upload"><summary>高级：上传评价细则 YAML 文件</summary>', page)
    assert re.search(r'<output id="weight-total"[^>]*>合计 100%</output>', page)  # also without script
    assert "/static/what_if.js" in page and "/static/busy.js" in page
    english = officer.get(f"/methodologies/what-if?cycle={demo.first}&lang=en")
    assert english.status_code == 200 and "Scoring curves" in english.text and "Inspections" in english.text
    assert re.search(r'<output id="weight-total"[^>]*>Total 100%</output>', english.text)
    result = officer.post("/methodologies/what-if", data={**data, "band_AA": "85"})
    assert result.status_code == 200 and 'id="what-if-changes"' in result.text
    assert not CODES.findall(h.text_of(result.text)), CODES.findall(h.text_of(result.text))


def test_the_form_with_one_changed_band_lists_the_companies_that_move(database, demo):
    officer = f.page_client(database, "officer")
    data = _form(officer, demo.first)
    assert data["band_AA"] == "80"
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


def test_a_bad_number_is_refused_naming_the_field_and_the_form_is_kept(database, demo):
    officer = f.page_client(database, "officer")
    data = _form(officer, demo.first)
    rows = _rows(data, "INSP")
    response = officer.post("/methodologies/what-if", data={**_with_rows(data, "INSP", [rows[0], ("x", "90")])})
    assert response.status_code == 400
    assert "「巡查检查」评分折线：“x”不是数字" in _error(response.text)
    assert '<input name="x_INSP" value="x"' in response.text  # what was typed stays in the table
    assert 'id="what-if-changes"' not in response.text


def test_weights_that_do_not_add_up_to_100_are_refused_in_chinese(database, demo):
    officer = f.page_client(database, "officer")
    data = _form(officer, demo.first)
    response = officer.post("/methodologies/what-if", data={**data, "weight_INSP": "50"})
    assert response.status_code == 400
    assert _error(response.text) == "各指标权重合计应为 100%，现为 110%。"
    assert 'name="weight_INSP" value="50"' in response.text
    assert re.search(r'<output id="weight-total"[^>]*>合计 110%：应为 100%</output>', response.text)
    negative = officer.post("/methodologies/what-if", data={**data, "weight_INSP": "-10", "weight_FEE": "75"})
    assert negative.status_code == 400 and "「巡查检查」权重：权重应在 0% 到 100% 之间" in _error(negative.text)


def test_breakpoints_that_do_not_increase_or_scores_out_of_range_are_refused_in_chinese(database, demo):
    officer = f.page_client(database, "officer")
    data = _form(officer, demo.first)
    back = officer.post("/methodologies/what-if", data=_with_rows(data, "COMPL", [("0", "100"), ("5", "75"),
                                                                                   ("2", "90"), ("20", "0")]))
    assert back.status_code == 400
    assert "「投诉处置」评分折线第 3 行：指标值应逐行递增，2 没有大于上一行的 5" in _error(back.text)
    rising = officer.post("/methodologies/what-if", data=_with_rows(data, "FEE", [("0", "80"), ("4", "90"),
                                                                                   ("20", "0")]))
    assert rising.status_code == 400 and "「收费规范」评分折线第 2 行：得分不得高于上一行" in _error(rising.text)
    high = officer.post("/methodologies/what-if", data=_with_rows(data, "FEE", [("0", "120"), ("20", "0")]))
    assert high.status_code == 400 and "「收费规范」评分折线第 1 行：得分应在 0 到 100 之间" in _error(high.text)
    half = officer.post("/methodologies/what-if", data=_with_rows(data, "FEE", [("0", "100"), ("4", ""),
                                                                                 ("20", "0")]))
    assert half.status_code == 400 and "第 2 行：请同时填写指标值和得分" in _error(half.text)
    for page in (back, rising, high, half):
        assert not re.search(r"[A-Za-z]{4,}", _error(page.text)), _error(page.text)  # no English in zh


def test_a_table_edit_rates_as_the_same_change_in_a_yaml_file(database, demo):
    """The rule, not a number: new weights and a new inspections curve typed into the form move the same companies
    to the same scores as a YAML file with the same values."""
    officer = f.page_client(database, "officer")
    data = _form(officer, demo.first)
    curve = [("0", "100"), ("0.5", "85"), ("2", "60"), ("8", "0")]
    edited = {**_with_rows(data, "INSP", curve), "weight_INSP": "50", "weight_COMPL": "30", "weight_FEE": "20"}
    table = officer.post("/methodologies/what-if", data=edited)
    assert table.status_code == 200, _error(table.text)
    text = draft_text("ZY-2025-draft", "2025-01-01", weights={"INSP": 0.5, "COMPL": 0.3, "FEE": 0.2},
                      inspections__breakpoints=[[float(x), float(y)] for x, y in curve])
    upload = officer.post("/methodologies/what-if", data=data,
                          files={"file": ("draft.yaml", text.encode("utf-8"), "application/x-yaml")})
    assert upload.status_code == 200, _error(upload.text)
    assert _changes(table.text) and _changes(table.text) == _changes(upload.text)


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
    wrong = draft_text("ZY-W", "2025-01-01", weights={"INSP": 0.5, "COMPL": 0.35, "FEE": 0.25})
    summed = officer.post("/methodologies/what-if", data=data,
                          files={"file": ("draft.yaml", wrong.encode("utf-8"), "application/x-yaml")})
    assert summed.status_code == 400 and _error(summed.text) == "各指标权重合计应为 100%，现为 110%。"


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
