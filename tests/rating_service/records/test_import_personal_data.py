"""Personal data out of every value (issue 14, item 3): a phone number, ID number or e-mail address typed into any
text column of any kind is refused naming its row and column (never echoed), or stored masked; personal-data
headers are dropped and reported as such."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.errors import ImportRejected
from rating_service.records.formats import KIND_ORDER, KINDS
from rating_service.records.service import import_files
from rating_service.settings import get_settings
from tests import factories as f

MOBILE, ID_NUMBER, EMAIL = "13322220003", "110101199003074514", "a@b.cn"
PLANTED = {"mobile": MOBILE, "id_number": ID_NUMBER, "email": EMAIL}
LABELS = {"mobile": "手机号码", "id_number": "身份证号码", "email": "电子邮箱地址"}
# Every text column of every kind, but a company's registered contacts (its phone, legal representative and
# address may hold a phone number: they are the company's business data).
TEXT_COLUMNS = [(kind.name, col.name) for kind in KINDS.values() for col in kind.columns
                if col.type == "text" and not col.contact]


def test_every_kind_has_scanned_text_columns_and_only_the_company_contacts_are_exempt():
    assert {kind for kind, _ in TEXT_COLUMNS} == set(KINDS)
    exempt = {(kind.name, col.name) for kind in KINDS.values() for col in kind.columns if col.contact}
    assert exempt == {("companies", "phone"), ("companies", "legal_representative"), ("companies", "address")}


def _rows(kind: str, change: Callable[[str, Any], Any]) -> list[list[Any]]:
    names = KINDS[kind].column_names
    return [[change(name, value) for name, value in zip(names, row, strict=True)] for row in f.ROWS[kind]]


@pytest.mark.parametrize("what", sorted(PLANTED))
@pytest.mark.parametrize("kind,column", TEXT_COLUMNS)
def test_personal_data_in_any_text_column_is_refused_naming_row_and_column(database, kind, column, what):
    rows = _rows(kind, lambda name, value: value)
    position = KINDS[kind].column_names.index(column)
    rows[-1][position] = f"{rows[-1][position] or ''}联系{PLANTED[what]}"
    with pytest.raises(ImportRejected) as info, database.write_session() as session:
        import_files(session, kind=KINDS[kind], files=[f.upload(kind, rows)], actor="test", today=f.TODAY)
    details = info.value.details("zh")
    (err,) = [d for d in details if d["code"] == "personal_data_in_value"]
    assert (err["row"], err["column"]) == (len(rows) + 1, KINDS[kind].column(column).zh)
    assert LABELS[what] in err["reason"] and "*" in err["value"]
    # The number itself is never echoed, in either language.
    answer = json.dumps([details, info.value.details("en"), info.value.message("zh")], ensure_ascii=False)
    assert PLANTED[what] not in answer


def test_the_probes_category_with_a_phone_number_is_refused_as_personal_data_not_stored(database):
    f.load(database, *f.REFERENCE)
    rows = [list(row) for row in f.COMPLAINTS]
    rows[0][5] = "噪音扰民 联系人电话13322220003"
    f.make_user(database, "officer", "officer")
    response = f.api_client(database, "officer").post(
        "/api/v1/imports/complaints", files={"files": ("c.csv", f.upload("complaints", rows).data)})
    assert response.status_code == 400
    (err,) = response.json()["details"]
    assert (err["row"], err["column"], err["code"]) == (2, "诉求类别", "personal_data_in_value")
    assert err["value"] == "噪音扰民 联系人电话133****0003" and "13322220003" not in response.text


def test_a_companys_registered_contacts_may_hold_a_phone_number(database):
    rows = [[f.CODE_A, "安徽皖江物业服务有限公司", "张三 13322220003", "湖滨路1号 0556-3210009", "13322220003"]]
    with database.write_session() as session:
        (summary,) = import_files(session, kind=KINDS["companies"], files=[f.upload("companies", rows)],
                                  actor="test", today=f.TODAY)
    assert summary.inserted == 1


# -- mask mode -------------------------------------------------------------------------------------------

def _planted(value: Any) -> str:
    return f"{value} {MOBILE} {ID_NUMBER} {EMAIL}"


def _masked_rows(kind: str) -> list[list[Any]]:
    """The factory rows with the three numbers in every scanned text value (community ids alike in every file, so
    that references still meet); categories stay on the methodology's list."""
    scanned = {column for k, column in TEXT_COLUMNS if k == kind} - {"category"}
    return _rows(kind, lambda name, value: _planted(value) if name in scanned and value else value)


def _import_masked(database: Any) -> None:
    for kind in KIND_ORDER:
        with database.write_session() as session:
            import_files(session, kind=KINDS[kind], files=[f.upload(kind, _masked_rows(kind))], actor="test",
                         today=f.TODAY)


def database_dump(database: Any) -> str:
    """Everything the database holds as text: SQLite's iterdump, or every text column of every PostgreSQL table."""
    if database.is_sqlite:
        path = database.engine.url.database
        with sqlite3.connect(path) as conn:
            return "\n".join(conn.iterdump())
    out: list[str] = []
    with database.engine.connect() as conn:
        columns = conn.execute(text(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')")).all()
        for table, column in columns:
            out.extend(str(v) for v in conn.execute(text(f'SELECT "{column}"::text FROM "{table}"')).scalars())
    return "\n".join(out)


@pytest.fixture
def mask_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "personal_data_in_values", "mask")


def test_in_mask_mode_the_import_succeeds_and_the_database_holds_no_planted_number(database, mask_mode):
    _import_masked(database)
    dump = database_dump(database)
    for number in PLANTED.values():
        assert number not in dump, number
    # The control: the values are there, masked; a company's own phone is kept as imported.
    assert dump.count("133****0003") >= len(TEXT_COLUMNS) - 2 and "1****************4" in dump
    assert "a***@b.cn" in dump and "0556-3210001" in dump
    with database.read_session() as session:
        stored = session.execute(text("SELECT record_id, department, note FROM inspections ORDER BY record_id")).all()
    assert stored[0][0] == "XC-0001 133****0003 1****************4 a***@b.cn"


def test_in_mask_mode_a_file_name_and_headers_are_masked_too(database, mask_mode):
    header = [*f.headers("companies"), "备注13322220003"]
    upload = f.upload("companies", [[*row, "x"] for row in f.COMPANIES], header=header, name="企业13322220003.csv")
    with database.write_session() as session:
        (summary,) = import_files(session, kind=KINDS["companies"], files=[upload], actor="test", today=f.TODAY)
    assert summary.filename == "企业133****0003.csv" and summary.ignored_columns == ["备注133****0003"]
    assert MOBILE not in database_dump(database)


# -- personal-data headers --------------------------------------------------------------------------------

DROPPED = ["来电号码", "回访号码", "联系方式", "身份证号", "caller_phone", "callback_number", "contact", "id_number"]


def _with_personal_columns(lang: str = "zh") -> Any:
    header = [*f.headers("complaints", lang), *DROPPED, "备用列"]
    rows = [[*row, "13322220003", "13322220004", "微信 abc", "110101199003074514", "1", "2", "3", "4", "x"]
            for row in f.COMPLAINTS]
    return f.upload("complaints", rows, header=header)


def _summary_texts(database: Any) -> Sequence[str]:
    f.make_user(database, "officer", "officer")
    api = f.api_client(database, "officer").post(
        "/api/v1/imports/complaints", files={"files": ("c.csv", _with_personal_columns().data)})
    assert api.status_code == 200, api.text
    (summary,) = api.json()["files"]
    assert summary["dropped_columns"] == DROPPED and summary["ignored_columns"] == ["备用列"]
    page = f.page_client(database, "officer")
    shown = page.post("/imports", data={"kind": "complaints", "csrf_token": f.csrf_of(page)},
                      files=[("files", ("c.csv", _with_personal_columns().data, "text/csv"))])
    assert shown.status_code == 200
    return [shown.text]


def test_personal_data_headers_are_reported_dropped_not_ignored_in_the_api_and_the_page(database):
    f.load(database, *f.REFERENCE)
    (page,) = _summary_texts(database)
    summary = page.split('id="import-summary"')[1]
    assert "已删除的个人信息列（未保存）：" + "、".join(DROPPED) in summary
    assert "未识别的列（已忽略）：备用列" in summary
    assert "13322220003" not in database_dump(database)


def test_personal_data_headers_are_reported_dropped_by_the_cli(database, tmp_path):
    f.load(database, *f.REFERENCE)
    path = tmp_path / "complaints.csv"
    path.write_bytes(_with_personal_columns().data)
    result = CliRunner().invoke(app, ["import", "complaints", str(path)])
    assert result.exit_code == 0, result.output
    output = result.output.replace("\n", "")  # the console wraps long lines
    assert "已删除的个人信息列（未保存）：" + "、".join(DROPPED) in output
    assert "已忽略的未知列：备用列" in output
