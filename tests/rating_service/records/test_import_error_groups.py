"""A rejected import's errors by column and reason: counts and the first rows on the page, in the API answer and
on the terminal; every error in a downloadable XLSX; the words Chinese, never an English enum code."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.records.formats import KINDS
from rating_service.settings import get_settings
from tests import factories as f
from tests.rating_service.records.test_import_templates import CODE_WORD, XLSX

ROWS = 300
SEVERITY_LINE = "「严重程度」300 行：值不在允许范围内。允许的值：合格、一般、较重、严重（如第 2、3、4、5、6 行…）"


def _bad_inspections(count: int = ROWS) -> bytes:
    """``count`` rows, each with an unknown severity and an unreadable date: 2 × ``count`` errors."""
    names = KINDS["inspections"].column_names
    rows = []
    for i in range(count):
        row = dict(zip(names, f.INSPECTIONS[0], strict=True))
        row.update(record_id=f"XC-B{i:04d}", inspected_on="上周五", severity="很严重", rectify_by=None,
                   rectified_on=None)
        rows.append([row[n] for n in names])
    return f.csv_bytes(f.headers("inspections"), rows)


@pytest.fixture
def officer(database):  # type: ignore[no-untyped-def]
    f.load(database, *f.REFERENCE)
    f.make_user(database, "officer", "officer")
    return f.page_client(database, "officer")


@pytest.fixture
def few_errors_kept(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Errors kept one by one up to 100 per column and reason (instead of 1,000)."""
    monkeypatch.setenv("RATING_IMPORT_ERRORS_PER_REASON", "100")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _post(client: Any, data: bytes, lang: str | None = None) -> Any:
    return client.post("/imports" + (f"?lang={lang}" if lang else ""),
                       data={"kind": "inspections", "csrf_token": f.csrf_of(client)},
                       files=[("files", ("巡查.csv", data, "text/csv"))])


def _section(page: str) -> str:
    return page.split('id="import-errors"')[1].split("</section>")[0]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _report(client: Any, page: str) -> Any:
    link = re.search(r'href="(/imports/errors/[A-Za-z0-9_-]+\.xlsx)"', page)
    assert link, "the page links the list of errors"
    response = client.get(link.group(1))
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_a_300_row_bad_file_shows_counts_by_column_and_reason_and_the_first_rows(officer):
    response = _post(officer, _bad_inspections())
    assert response.status_code == 400
    section = _section(response.text)
    text = _text(section)
    assert "文件未通过校验，共 600 处错误，未写入任何数据。" in text
    assert "按列和原因汇总" in text
    groups = section.split('class="error-groups"')[1].split("</ul>")[0]
    assert groups.count("<li>") == 2
    assert re.search(r"「检查日期」 ?300 行 日期格式无法识别.*如第 2、3、4、5、6 行…", _text(groups))
    assert re.search(r"「严重程度」 ?300 行 值不在允许范围内。允许的值：合格、一般、较重、严重 如第 2、3、4、5、6 行…",
                     _text(groups))
    individual = section.split('class="errors"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>\s*<td>巡查.csv</td>", individual)
    assert 0 < len(rows) <= 20
    assert "前 20 处错误（共 600 处）" in text
    assert not CODE_WORD.search(text), CODE_WORD.findall(text)


def test_past_the_kept_limit_the_error_list_counts_the_rest_of_each_group(few_errors_kept, officer):
    """Kept as the limits say (here 100 per column and reason): the rest of each group is one line with its count."""
    page = _post(officer, _bad_inspections()).text
    workbook = _report(officer, page)
    errors = [[c.value for c in row] for row in workbook["错误明细"].iter_rows()]
    assert errors[0] == ["文件", "行", "列", "值", "原因"]
    listed = [row for row in errors[1:] if row[1] not in (None, "")]
    counted = [row for row in errors[1:] if row[1] in (None, "")]
    assert len(listed) == 200 and len(counted) == 2
    assert sum(int(re.search(r"另有 (\d+) 处", row[4]).group(1)) for row in counted) == 400
    groups = [[c.value for c in row] for row in workbook["按列和原因汇总"].iter_rows()]
    assert sorted((row[1], row[3]) for row in groups[1:]) == [("严重程度", 300), ("检查日期", 300)]
    assert not any(CODE_WORD.search(str(cell)) for row in errors + groups for cell in row if cell)


def test_the_download_lists_all_600_errors_of_a_300_row_file(officer):
    page = _post(officer, _bad_inspections()).text
    assert "前 20 处错误（共 600 处）" in _text(_section(page))
    errors = [[c.value for c in row] for row in _report(officer, page)["错误明细"].iter_rows()][1:]
    assert len(errors) == 600
    every = {(r, c) for r in range(2, ROWS + 2) for c in ("检查日期", "严重程度")}
    assert {(row[1], row[2]) for row in errors} == every
    severity = next(row for row in errors if row[2] == "严重程度")
    assert (severity[0], severity[3]) == ("巡查.csv", "很严重")
    assert severity[4] == "值不在允许范围内。允许的值：合格、一般、较重、严重"


def test_a_value_that_looks_like_a_formula_stays_text_in_the_download(officer):
    names = KINDS["inspections"].column_names
    row = dict(zip(names, f.INSPECTIONS[0], strict=True))
    row.update(severity="=HYPERLINK(\"http://x\")")
    page = _post(officer, f.csv_bytes(f.headers("inspections"), [[row[n] for n in names]])).text
    sheet = _report(officer, page)["错误明细"]
    cell = sheet.cell(row=2, column=4)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_error_list_is_for_officers_and_expires(officer, database, monkeypatch):
    page = _post(officer, _bad_inspections(3)).text
    link = re.search(r'href="(/imports/errors/[A-Za-z0-9_-]+\.xlsx)"', page).group(1)
    f.make_user(database, "company-a", "company", credit_code=f.CODE_A)
    assert f.page_client(database, "company-a").get(link).status_code == 403
    assert f.page_client(database).get(link).status_code == 303
    assert officer.get("/imports/errors/not-a-token-of-this-server-at-all.xlsx").status_code == 404
    assert officer.get("/imports/errors/..%2F..%2Fetc%2Fpasswd.xlsx").status_code == 404
    monkeypatch.setenv("RATING_IMPORT_REPORT_HOURS", "1")
    get_settings.cache_clear()
    try:
        token = link.rsplit("/", 1)[1].removesuffix(".xlsx")
        path = get_settings().import_reports_dir / f"{token}.xlsx"
        import os
        import time

        os.utime(path, (time.time() - 7200, time.time() - 7200))
        gone = officer.get(link)
        assert gone.status_code == 404 and "已过期" in gone.text
        assert not path.exists()
    finally:
        get_settings.cache_clear()


def test_the_api_answer_keeps_its_details_and_adds_the_groups(database):
    f.load(database, *f.REFERENCE)
    f.make_user(database, "officer", "officer")
    response = f.api_client(database, "officer").post("/api/v1/imports/inspections",
                                                        files={"files": ("巡查.csv", _bad_inspections())})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected" and len(body["details"]) == 202
    groups = {g["column"]: g for g in body["groups"]}
    assert set(groups) == {"检查日期", "严重程度"}
    severity = groups["严重程度"]
    assert (severity["count"], severity["rows"], severity["code"]) == (300, [2, 3, 4, 5, 6], "enum_invalid")
    assert severity["text"] == SEVERITY_LINE
    assert not CODE_WORD.search(str(body["groups"]) + str([d["reason"] for d in body["details"]]))


def test_the_cli_prints_the_groups_and_writes_the_xlsx(database, tmp_path):
    f.load(database, *f.REFERENCE)
    path = tmp_path / "巡查.csv"
    path.write_bytes(_bad_inspections())
    errors_xlsx = tmp_path / "errors.xlsx"
    errors_csv = tmp_path / "errors.csv"
    result = CliRunner().invoke(app, ["import", "inspections", str(path), "--errors-xlsx", str(errors_xlsx),
                                      "--errors-csv", str(errors_csv)])
    assert result.exit_code == 2
    assert "按列和原因汇总：" in result.output
    assert SEVERITY_LINE in result.output
    rows = list(load_workbook(errors_xlsx)["错误明细"].iter_rows(values_only=True))
    assert len(rows) == 1 + 202
    assert len(errors_csv.read_text(encoding="utf-8-sig").splitlines()) == 1 + 202


def test_the_groups_are_english_with_the_switch(officer):
    section = _text(_section(_post(officer, _bad_inspections(3), lang="en").text))
    assert "By column and reason" in section and "3 rows" in section
    assert "Value not allowed. Allowed values: 合格、一般、较重、严重" in section


def test_two_bad_files_are_grouped_file_by_file(officer):
    uploads = [("files", (name, _bad_inspections(count), "text/csv")) for name, count in (("一.csv", 2), ("二.csv", 3))]
    response = officer.post("/imports", data={"kind": "inspections", "csrf_token": f.csrf_of(officer)}, files=uploads)
    assert response.status_code == 400
    groups = _text(_section(response.text).split('class="error-groups"')[1].split("</ul>")[0])
    assert re.search(r"一.csv：「检查日期」 ?2 行 .*二.csv：「检查日期」 ?3 行", groups), groups
    individual = _section(response.text).split('class="errors"')[1].split("</table>")[0]
    files = re.findall(r"<tr>\s*<td>(.)\.csv</td>", individual)
    # File by file in the order sent, each by row (the second file's ids also repeat the first's: 2 errors more).
    assert files == ["一"] * 4 + ["二"] * 8
