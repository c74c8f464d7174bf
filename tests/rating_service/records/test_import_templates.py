"""The XLSX import templates: one per record kind, downloaded by an officer, imports as it is; a bad value typed
into it is refused naming the row and column; its 填写说明 sheet describes every column in Chinese words."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from rating_service.records.formats import (
    EVENT_KIND_PAIRS,
    KIND_ORDER,
    KINDS,
    LEVEL_PAIRS,
    SATISFACTION,
    SEVERITY_PAIRS,
    VIOLATION_PAIRS,
)
from rating_service.records.service import import_folder
from rating_service.settings import PROJECT_ROOT
from tests import factories as f

ZONGYANG = PROJECT_ROOT / "fixtures" / "zongyang"
ENUM_CODES = sorted({code for pairs in (SEVERITY_PAIRS, VIOLATION_PAIRS, LEVEL_PAIRS, EVENT_KIND_PAIRS)
                     for _zh, code in pairs} | set(SATISFACTION[0].values()))
CODE_WORD = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, ENUM_CODES)) + r")(?![A-Za-z0-9_])")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def demo(database):  # type: ignore[no-untyped-def]
    """The Zongyang demo data (what the templates' example rows are taken from) and an officer's page client."""
    with database.write_session() as session:
        import_folder(session, folder=ZONGYANG, actor="test")
    f.make_user(database, "officer", "officer")
    return f.page_client(database, "officer")


def _template(client: Any, kind: str) -> bytes:
    response = client.get(f"/imports/templates/{kind}.xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="{kind}-template.xlsx"; filename*=UTF-8\'\'')
    assert quote(f"{KINDS[kind].label('zh')}导入模板.xlsx") in disposition
    return response.content


def _import(client: Any, kind: str, data: bytes, name: str = "模板.xlsx") -> Any:
    return client.post("/imports", data={"kind": kind, "csrf_token": f.csrf_of(client)},
                       files=[("files", (name, data, XLSX))])


def _summary_numbers(page: str) -> list[str]:
    summary = page.split('id="import-summary"')[1].split("</table>")[0]
    return re.findall(r'<td class="num">(\d+)</td>', summary)


def test_every_template_imports_as_it_is(demo):
    """Downloaded over HTTP and sent back unchanged through the officer's import form: accepted. Its example row is
    a record of the demo, so on the demo it changes nothing (1 row, 0 inserted, 0 updated, 1 unchanged)."""
    for kind in KIND_ORDER:
        response = _import(demo, kind, _template(demo, kind))
        assert response.status_code == 200, (kind, response.text.split('id="import-errors"')[-1][:2000])
        assert "导入完成" in response.text
        assert _summary_numbers(response.text) == ["1", "0", "0", "1"], kind


def test_a_template_with_a_bad_value_is_refused_naming_the_row_and_column(demo):
    workbook = load_workbook(io.BytesIO(_template(demo, "inspections")))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("检查日期") + 1, value="2025-02-30")
    sheet.cell(row=2, column=headers.index("严重程度") + 1, value="很严重")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _import(demo, "inspections", buffer.getvalue())
    assert response.status_code == 400
    page = response.text
    assert "文件未通过校验，共 2 处错误，未写入任何数据。" in page
    rows = page.split('class="errors"')[1].split("<tbody>")[1].split("</tbody>")[0].split("</tr>")
    date = next(r for r in rows if "2025-02-30" in r)
    assert '<td class="num">2</td>' in date and "<td>检查日期</td>" in date and "日期不存在" in date
    severity = next(r for r in rows if "很严重" in r)
    assert '<td class="num">2</td>' in severity and "<td>严重程度</td>" in severity
    assert "允许的值：合格、一般、较重、严重" in severity
    assert not CODE_WORD.search(page.split('id="import-errors"')[1].split("</section>")[0])


def _guide(data: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    sheet = load_workbook(io.BytesIO(data))["填写说明"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    top = next(i for i, row in enumerate(rows) if row[0] == "列名")
    heads = [str(h) for h in rows[top] if h]
    return heads, [dict(zip(heads, row, strict=False)) for row in rows[top + 1:] if row[0]]


@pytest.mark.parametrize("kind", KIND_ORDER)
def test_the_guide_sheet_lists_every_column_in_chinese_words(sqlite_only, kind):
    f.make_user(sqlite_only, "officer", "officer")
    data = _template(f.page_client(sqlite_only, "officer"), kind)
    heads, lines = _guide(data)
    assert heads == ["列名", "英文列名（也可用）", "必填", "类型", "格式与要求", "允许的值", "最大长度（字）", "示例",
                     "也可写作"]
    columns = KINDS[kind].columns
    assert [line["列名"] for line in lines] == [c.zh for c in columns]
    assert [line["英文列名（也可用）"] for line in lines] == [c.name for c in columns]
    assert [line["必填"] for line in lines] == ["是" if c.required else "否" for c in columns]
    for col, line in zip(columns, lines, strict=True):
        allowed = line["允许的值"] or ""
        assert not CODE_WORD.search(allowed), (col.name, allowed)
        if col.type == "enum":
            assert allowed.split("、") == list(col.choice_words)
        if col.type == "bool":
            assert allowed == "是、否"
        if col.type == "date":
            assert "YYYY-MM-DD" in line["格式与要求"]
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(line["示例"])), line
        if col.type == "text":
            assert line["最大长度（字）"] == col.max_len
        assert line["示例"], (col.name, "every column has an example")
    if any(col.listed for col in columns):
        listed = next(line for col, line in zip(columns, lines, strict=True) if col.listed)
        assert "评价细则" in listed["格式与要求"] and len(listed["允许的值"].split("、")) > 3


def test_the_data_sheet_keeps_dates_as_dates_and_codes_as_text(sqlite_only):
    f.make_user(sqlite_only, "officer", "officer")
    data = _template(f.page_client(sqlite_only, "officer"), "fee_violations")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.zh for c in KINDS["fee_violations"].columns]
    date = sheet.cell(row=2, column=headers.index("认定日期") + 1)
    assert date.is_date and date.value == dt.datetime(2025, 3, 30) and date.number_format == "yyyy-mm-dd"
    code = sheet.cell(row=2, column=headers.index("统一社会信用代码") + 1)
    # An all-digit credit code stays the 18 characters it is (a number would become 9.13407E+17 in Excel).
    assert code.data_type == "s" and code.value == "913407225190696375" and code.number_format == "@"
    choices = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert any(formula == '"是,否"' for formula in choices.values())
    assert any("超标准收费" in formula for formula in choices.values())


def test_templates_are_for_officers(sqlite_only):
    f.load(sqlite_only, "companies")
    f.make_user(sqlite_only, "company-a", "company", credit_code=f.CODE_A)
    assert f.page_client(sqlite_only, "company-a").get("/imports/templates/inspections.xlsx").status_code == 403
    anonymous = f.page_client(sqlite_only).get("/imports/templates/inspections.xlsx")
    assert anonymous.status_code == 303
    f.make_user(sqlite_only, "officer", "officer")
    assert f.page_client(sqlite_only, "officer").get("/imports/templates/bananas.xlsx").status_code == 404


def test_the_import_page_lists_the_columns_and_links_the_templates(sqlite_only):
    f.make_user(sqlite_only, "officer", "officer")
    page = f.page_client(sqlite_only, "officer").get("/imports").text
    for kind in KIND_ORDER:
        fold = page.split(f'id="columns-{kind}"')[1].split("</details>")[0]
        assert f'href="/imports/templates/{kind}.xlsx"' in fold
        for col in KINDS[kind].columns:
            assert f'<td class="nowrap">{col.zh}</td>' in fold
    inspections = page.split('id="columns-inspections"')[1].split("</details>")[0]
    assert "合格、一般、较重、严重" in inspections and not CODE_WORD.search(inspections.replace("severity", ""))


def test_enumerations_take_the_chinese_word_or_the_code(database):
    f.load(database, *f.REFERENCE)
    names = KINDS["inspections"].column_names
    rows = []
    for number, severity in enumerate(["严重", "serious", "一般", "MINOR", "合格"], start=1):
        row = dict(zip(names, f.INSPECTIONS[0], strict=True))
        row.update(record_id=f"XC-E{number}", severity=severity)
        rows.append([row[n] for n in names])
    from rating_service.records.service import import_files

    with database.write_session() as session:
        (summary,) = import_files(session, kind=KINDS["inspections"], files=[f.upload("inspections", rows)],
                                  actor="test", today=f.TODAY)
    assert summary.inserted == 5
