"""Open data people open in Excel: the workbook (credit codes as text, Chinese headers and values, the lists with
their reasons, the data dictionary), the Chinese CSV in words, the machine CSV unchanged, file names with both an
ASCII ``filename`` and a UTF-8 ``filename*``."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from rating_service.companies.credit_code import make_credit_code
from tests import factories as f
from tests.rating_service.disclosure import helpers as h

# An all-digit credit code: Excel shows it as 9.13407E+17 and loses its last digits when it reads it as a number.
DIGITS = next(code for code in (make_credit_code(region="340722", serial=900 + i) for i in range(100))
              if code.isdigit())
# Values that are codes for programs, never words for people.
MACHINE = {"publicized", "finalized", "computed", "draft", "True", "False", "true", "false", "yes", "no", "INSP",
           "COMPL", "FEE", "VETO", "minor", "serious", "moderate"}


@pytest.fixture
def world(database: Any) -> tuple[Any, int]:
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "commendations", "major_events")
    h.import_rows(database, "companies", [[DIGITS, "数字代码物业有限公司", None, None, None]])
    h.import_rows(database, "communities", [["ZY-D001", "数字小区", "城关社区", 300, None]])
    h.import_rows(database, "contracts", [["ZY-D001", DIGITS, "2020-01-01", None]])
    cycle_id = h.new_cycle(database, "2025年度", "finalized")
    return f.api_client(database), cycle_id


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _disposition(value: str) -> tuple[str, str]:
    plain = re.search(r'filename="([^"]+)"', value)
    star = re.search(r"filename\*=UTF-8''(\S+)", value)
    assert value.startswith("attachment;") and plain and star, value
    return plain.group(1), unquote(star.group(1))


def test_the_workbook_keeps_every_credit_code_as_text_equal_to_the_csv(world):
    client, cycle_id = world
    assert DIGITS.isdigit()
    machine = _csv_rows(client.get(f"/open-data/cycles/{cycle_id}/ratings.csv?lang=en").content)
    response = client.get(f"/open-data/cycles/{cycle_id}/ratings.xlsx")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["评价结果", "红榜与黑榜", "数据字典"]
    sheet = book["评价结果"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["评价周期编号", "评价周期", "状态", "评价期间起"] and "统一社会信用代码" in header
    code_column = header.index("统一社会信用代码")
    cells = [row[code_column] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(cells)
    assert sorted(c.value for c in cells) == sorted(r["credit_code"] for r in machine)
    assert DIGITS in {c.value for c in cells}
    # The Chinese CSV carries the same codes, character for character.
    assert sorted(r["统一社会信用代码"] for r in _csv_rows(client.get(
        f"/open-data/cycles/{cycle_id}/ratings.csv").content)) == sorted(c.value for c in cells)


def test_the_workbook_speaks_chinese_and_holds_no_machine_values(world):
    client, cycle_id = world
    book = load_workbook(io.BytesIO(client.get(f"/open-data/cycles/{cycle_id}/ratings.xlsx").content))
    values = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None}
    assert not values & MACHINE, values & MACHINE
    ratings = book["评价结果"]
    header = [c.value for c in ratings[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ratings.iter_rows(min_row=2)]
    assert {r["状态"] for r in rows} == {"已终评"}
    assert {r["红榜"] for r in rows} <= {"是", "否"} and {r["暂定评价"] for r in rows} <= {"是", "否"}
    assert all(isinstance(r["信用分"], int | float) for r in rows)
    lists = list(book["红榜与黑榜"].iter_rows(values_only=True))
    assert lists[0] == ("榜单", "企业名称", "统一社会信用代码", "信用等级", "列入原因")
    black = [r for r in lists[1:] if r[0] == "黑榜"]
    assert [r[2] for r in black] == [f.CODE_B] and black[0][4], black  # 江南: the veto, stated in words
    assert {r[0] for r in lists[1:]} <= {"红榜", "黑榜"}
    dictionary = list(book["数据字典"].iter_rows(values_only=True))
    assert dictionary[0] == ("表头", "字段（CSV 英文表头、JSON）", "类型", "说明")
    documented = {r[1]: r for r in dictionary[1:]}
    assert "credit_code" in documented and "finalized" not in str(documented["cycle_status"][:3])


def test_the_chinese_csv_is_in_words_and_the_machine_csv_keeps_its_values(world):
    client, cycle_id = world
    zh = _csv_rows(client.get(f"/open-data/cycles/{cycle_id}/ratings.csv").content)
    en = _csv_rows(client.get(f"/open-data/cycles/{cycle_id}/ratings.csv?lang=en").content)
    assert {r["状态"] for r in zh} == {"已终评"}
    assert not {v for r in zh for v in r.values()} & MACHINE
    assert {r["cycle_status"] for r in en} == {"finalized"}
    assert [r["credit_code"] for r in en] == [r["统一社会信用代码"] for r in zh]
    # The data dictionary (page and JSON) documents the machine values.
    page = client.get("/public/open-data").text
    assert "finalized" in page and "publicized" in page
    fields = client.get(f"/open-data/cycles/{cycle_id}/ratings.json").json()["fields"]
    assert "finalized" in next(d["en"] for d in fields if d["name"] == "cycle_status")


def test_downloads_carry_a_chinese_name_and_an_ascii_fallback(world):
    client, cycle_id = world
    xlsx = client.get(f"/open-data/cycles/{cycle_id}/ratings.xlsx")
    assert _disposition(xlsx.headers["content-disposition"]) == (
        "ratings-2025.xlsx", "枞阳县物业服务企业信用评价结果-2025年度.xlsx")
    assert _disposition(client.get(f"/open-data/cycles/{cycle_id}/ratings.csv").headers["content-disposition"]) == (
        "ratings-2025.csv", "枞阳县物业服务企业信用评价结果-2025年度.csv")
    assert _disposition(client.get(f"/open-data/cycles/{cycle_id}/ratings.csv?lang=en")
                        .headers["content-disposition"])[0] == "ratings-2025-en.csv"
    # Cached like the CSV: an ETag, and a 304 for a client that has it.
    again = client.get(f"/open-data/cycles/{cycle_id}/ratings.xlsx", headers={"If-None-Match": xlsx.headers["etag"]})
    assert again.status_code == 304 and xlsx.headers["cache-control"] == "public, max-age=60"
    # The open-data page and the cycle listing link the workbook.
    assert f"/open-data/cycles/{cycle_id}/ratings.xlsx" in h.links_of(client.get("/public/open-data").text)
    listed = client.get("/api/v1/public/cycles").json()
    assert listed[0]["open_data"]["xlsx"] == f"/open-data/cycles/{cycle_id}/ratings.xlsx"
    assert client.get("/open-data/cycles/999/ratings.xlsx").status_code == 404
