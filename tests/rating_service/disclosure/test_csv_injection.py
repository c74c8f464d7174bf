"""Open data CSV: formula-like text is neutralised, numbers stay numbers, the BOM is there; JSON keeps names."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from rating_service.companies.credit_code import make_credit_code
from rating_service.disclosure import service
from tests import factories as f
from tests.rating_service.disclosure import helpers as h

FORMULA_NAMES = ['=HYPERLINK("http://x","y")', "+SUM(1,2)物业", "-2+3物业", "@cmd物业"]
CODES = [make_credit_code(region="340722", serial=40 + i) for i in range(len(FORMULA_NAMES))]
CYCLE_NAME = "=2025年度公示"
NUMBER_COLUMNS = ("score", "insp_score", "compl_score", "fee_score")
INTEGER_COLUMNS = ("cycle_id", "rank", "inspections", "complaints", "fee_violations", "commendations",
                   "major_events")


def _formula_world(database) -> int:  # type: ignore[no-untyped-def]
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "commendations", "major_events")
    h.import_rows(database, "companies", [[c, n, None, None, None] for c, n in zip(CODES, FORMULA_NAMES, strict=True)])
    h.import_rows(database, "communities", [[f"ZY-F{i:03d}", f"公式小区{i}", "城关社区", 300, None]
                                            for i in range(len(CODES))])
    h.import_rows(database, "contracts", [[f"ZY-F{i:03d}", c, "2020-01-01", None] for i, c in enumerate(CODES)])
    return h.new_cycle(database, CYCLE_NAME, "publicized")


def _parse(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM"
    rows = list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))
    header, data = rows[0], rows[1:]
    return [dict(zip(header, row, strict=True)) for row in data]


def test_formula_like_company_and_cycle_names_get_an_apostrophe_in_the_csv(database):
    cycle_id = _formula_world(database)
    client = f.page_client(database)
    response = client.get(f"/open-data/cycles/{cycle_id}/ratings.csv?lang=en")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = {r["credit_code"]: r for r in _parse(response.content)}
    assert set(CODES) <= set(rows)
    for code, name in zip(CODES, FORMULA_NAMES, strict=True):
        assert rows[code]["name"] == "'" + name
    for row in rows.values():
        assert row["cycle_name"] == "'" + CYCLE_NAME
        assert not row["name"].startswith(tuple(service.FORMULA_PREFIXES)), row["name"]
        for column in NUMBER_COLUMNS:
            assert row[column] == "" or float(row[column]) == float(row[column]), (column, row[column])
            assert not row[column].startswith("'"), (column, row[column])
        for column in INTEGER_COLUMNS:
            assert row[column].isdigit(), (column, row[column])
    # The same cells under Chinese headers.
    zh = {r["统一社会信用代码"]: r for r in _parse(client.get(f"/open-data/cycles/{cycle_id}/ratings.csv").content)}
    assert [zh[c]["企业名称"] for c in CODES] == ["'" + n for n in FORMULA_NAMES]
    assert all(float(r["信用分"]) >= 0 for r in zh.values())


def test_json_open_data_and_api_keep_the_exact_names(database):
    cycle_id = _formula_world(database)
    client = f.page_client(database)
    document = json.loads(client.get(f"/open-data/cycles/{cycle_id}/ratings.json").content)
    names = {r["credit_code"]: r["name"] for r in document["ratings"]}
    assert [names[c] for c in CODES] == FORMULA_NAMES
    assert document["cycle"]["name"] == CYCLE_NAME
    assert all(isinstance(r["score"], float | int) for r in document["ratings"])
    api = client.get(f"/api/v1/public/cycles/{cycle_id}/ratings?per_page=100").json()["items"]
    assert {r["credit_code"]: r["name"] for r in api if r["credit_code"] in CODES} == dict(zip(CODES, FORMULA_NAMES,
                                                                                              strict=True))


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=", "\tx", "\rx"])
def test_neutralised_prefixes_every_formula_start(text):
    assert service.neutralised(text) == "'" + text


@pytest.mark.parametrize("value", ["物业", "a=b", " =1", "'=1", "", 1, -1, -0.5, 99.1, None, True])
def test_neutralised_leaves_other_values_alone(value):
    assert service.neutralised(value) is value


def test_tab_and_cr_names_are_neutralised_in_a_constructed_csv(database):
    """The import strips leading whitespace from text cells, so a name starting with a tab or a CR cannot arrive
    through an import: the CSV writer is tested on a disclosure with such names put in directly."""
    cycle_id = _formula_world(database)
    client = f.page_client(database)
    client.get("/public")
    disclosure = client.app.state.disclosure.cycle(cycle_id)
    tricky = {CODES[0]: "\t=cmd|' /C calc'!A0", CODES[1]: "\r=1+1", CODES[2]: "-1-1", CODES[3]: "@A1"}
    changed = service.CycleDisclosure(
        cycle=disclosure.cycle, methodology=disclosure.methodology, grades=disclosure.grades,
        appeals=disclosure.appeals,
        ratings=[dataclasses.replace(r, name=tricky.get(r.credit_code, r.name)) for r in disclosure.ratings])
    rows = {r["credit_code"]: r for r in _parse(service.ratings_csv(changed, "en"))}
    for code, name in tricky.items():
        assert rows[code]["name"] == "'" + name
        assert rows[code]["score"] == str(changed.by_code[code].score)
