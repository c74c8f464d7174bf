"""Bad files are rejected whole: every bad row is listed (row, column, value, reason) and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from rating_service.db import Base
from rating_service.errors import ImportRejected
from rating_service.records.formats import KINDS
from rating_service.records.service import UploadedFile, import_files
from tests import factories as f

BAD_CODE = f.CODE_A[:-1] + ("0" if f.CODE_A[-1] != "0" else "1")


def _snapshot(database) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        return {t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables}


def _rejected(database, kind: str, *uploads: UploadedFile) -> list[dict]:  # type: ignore[no-untyped-def]
    before = _snapshot(database)
    with pytest.raises(ImportRejected) as info, database.write_session() as session:
        import_files(session, kind=KINDS[kind], files=list(uploads), actor="test", today=f.TODAY)
    assert _snapshot(database) == before, "a rejected import must not write anything"
    assert info.value.status_code == 400
    return info.value.details("zh")


def _only(details: list[dict]) -> dict:  # type: ignore[type-arg]
    assert len(details) == 1, details
    return details[0]


def _inspection(**changes):  # type: ignore[no-untyped-def]
    names = KINDS["inspections"].column_names
    row = dict(zip(names, f.INSPECTIONS[0], strict=True))
    row.update(changes)
    return [row[n] for n in names]


@pytest.fixture
def reference(database):  # type: ignore[no-untyped-def]
    f.load(database, *f.REFERENCE)
    return database


def test_bad_check_digit_is_rejected(database):
    err = _only(_rejected(database, "companies", f.upload("companies", [[BAD_CODE, "某物业", None, None, None]])))
    assert (err["row"], err["column"], err["value"]) == (2, "统一社会信用代码", BAD_CODE)
    assert "校验位" in err["reason"]


def test_credit_code_of_wrong_length_is_rejected(database):
    err = _only(_rejected(database, "companies", f.upload("companies", [[f.CODE_A[:17], "某物业", None, None, None]])))
    assert (err["row"], err["code"]) == (2, "credit_code_length")


def test_credit_code_with_forbidden_letters_is_rejected(database):
    code = "91340722MA2NOEXD7C"  # the letter O is not in the GB 32100 alphabet
    err = _only(_rejected(database, "companies", f.upload("companies", [[code, "某物业", None, None, None]])))
    assert err["code"] == "credit_code_charset"


def test_unknown_community_is_rejected(reference):
    err = _only(_rejected(reference, "inspections", f.upload("inspections", [_inspection(community_id="ZY-X99")])))
    assert (err["row"], err["column"], err["value"], err["code"]) == (2, "小区编号", "ZY-X99", "community_unknown")


def test_unknown_company_is_rejected(reference):
    err = _only(_rejected(reference, "inspections", f.upload("inspections", [_inspection(credit_code=f.CODE_C)])))
    assert (err["column"], err["value"], err["code"]) == ("统一社会信用代码", f.CODE_C, "company_unknown")
    assert "企业不存在" in err["reason"]


def test_contracts_overlapping_inside_the_file_are_rejected(database):
    f.load(database, "companies", "communities")
    rows = [["ZY-C001", f.CODE_A, "2020-01-01", "2025-06-30"], ["ZY-C001", f.CODE_B, "2025-06-01", None]]
    err = _only(_rejected(database, "contracts", f.upload("contracts", rows)))
    assert (err["row"], err["column"], err["code"]) == (3, "开始日期", "contract_overlap")
    assert "第 2 行" in err["reason"]


def test_contract_overlapping_a_stored_contract_is_rejected(reference):
    rows = [["ZY-C001", f.CODE_B, "2024-01-01", None]]  # ZY-C001 is managed by A since 2020, ongoing
    err = _only(_rejected(reference, "contracts", f.upload("contracts", rows)))
    assert (err["row"], err["code"]) == (2, "contract_overlap")
    assert f.CODE_A in err["reason"]


def test_contract_ending_before_it_starts_is_rejected(database):
    f.load(database, "companies", "communities")
    err = _only(_rejected(database, "contracts",
                          f.upload("contracts", [["ZY-C001", f.CODE_A, "2025-06-01", "2025-01-01"]])))
    assert (err["column"], err["code"]) == ("结束日期", "date_before")


@pytest.mark.parametrize("value,code", [("2025-02-30", "date_impossible"), ("2025-13-01", "date_impossible"),
                                        ("上周五", "date_invalid"), ("05/03/2025", "date_invalid"),
                                        ("1899-01-01", "date_out_of_range")])
def test_impossible_or_unreadable_dates_are_rejected(reference, value, code):
    err = _only(_rejected(reference, "inspections", f.upload("inspections", [_inspection(inspected_on=value)])))
    assert (err["row"], err["column"], err["value"], err["code"]) == (2, "检查日期", value, code)


def test_event_date_in_the_future_is_rejected(reference):
    err = _only(_rejected(reference, "inspections", f.upload("inspections", [_inspection(inspected_on="2027-01-05",
                                                                                          rectify_by=None,
                                                                                          rectified_on=None)])))
    assert (err["column"], err["code"]) == ("检查日期", "date_in_future")


def test_rectified_before_inspection_is_rejected(reference):
    err = _only(_rejected(reference, "inspections", f.upload("inspections", [_inspection(rectified_on="2025-03-01")])))
    assert (err["column"], err["value"], err["code"]) == ("整改完成日期", "2025-03-01", "date_before")
    assert "检查日期" in err["reason"]


@pytest.mark.parametrize("households,code", [("-5", "must_be_positive"), ("0", "must_be_positive"),
                                             ("八百", "int_invalid"), ("12.5", "int_invalid"), (None, "required")])
def test_bad_household_counts_are_rejected(database, households, code):
    upload = f.upload("communities", [["ZY-C9", "新小区", None, households, None]])
    err = _only(_rejected(database, "communities", upload))
    assert (err["row"], err["column"], err["code"]) == (2, "户数", code)


def test_unknown_severity_is_rejected(reference):
    err = _only(_rejected(reference, "inspections", f.upload("inspections", [_inspection(severity="很严重")])))
    assert (err["column"], err["value"], err["code"]) == ("严重程度", "很严重", "enum_invalid")
    # The allowed values in Chinese only: the stored codes (none, minor, …) are no words for people.
    assert err["reason"] == "值不在允许范围内。允许的值：合格、一般、较重、严重"


def test_unknown_violation_type_is_rejected(reference):
    row = ["SF-9", "2025-06-01", f.CODE_A, None, "乱收费", "100", "否", None]
    err = _only(_rejected(reference, "fee_violations", f.upload("fee_violations", [row])))
    assert (err["column"], err["code"]) == ("违规类型", "enum_invalid")


def test_negative_amount_is_rejected(reference):
    row = ["SF-9", "2025-06-01", f.CODE_A, None, "超标准收费", "-100", "否", None]
    err = _only(_rejected(reference, "fee_violations", f.upload("fee_violations", [row])))
    assert (err["column"], err["code"]) == ("涉及金额", "must_not_be_negative")


def test_bad_yes_no_is_rejected(reference):
    row = ["GD-9", "2025-03-05", "12345", "ZY-C001", None, None, "可能", None, None, None]
    err = _only(_rejected(reference, "complaints", f.upload("complaints", [row])))
    assert (err["column"], err["value"], err["code"]) == ("是否查实", "可能", "bool_invalid")


def test_blank_required_value_is_rejected(reference):
    err = _only(_rejected(reference, "inspections", f.upload("inspections", [_inspection(department=None)])))
    assert (err["row"], err["column"], err["code"]) == (2, "检查部门", "required")


def test_missing_required_column_is_rejected(reference):
    header = [h for h in f.headers("inspections") if h != "检查日期"]
    rows = [[v for h, v in zip(f.headers("inspections"), f.INSPECTIONS[0], strict=True) if h != "检查日期"]]
    err = _only(_rejected(reference, "inspections", f.upload("inspections", rows, header=header)))
    assert (err["row"], err["code"]) == (1, "header_missing_column")
    assert "检查日期" in err["reason"]


def test_duplicate_ids_inside_one_file_are_rejected(reference):
    rows = [_inspection(), _inspection(note="again"), _inspection(record_id="XC-0009")]
    details = _rejected(reference, "inspections", f.upload("inspections", rows))
    assert [(d["row"], d["column"], d["code"]) for d in details] == [
        (2, "记录编号", "duplicate_in_file"), (3, "记录编号", "duplicate_in_file")]
    assert "第 3 行" in details[0]["reason"] and "第 2 行" in details[1]["reason"]


def test_duplicate_ids_across_files_of_one_import_are_rejected(reference):
    a = f.upload("inspections", [_inspection()], name="a.csv")
    b = f.upload("inspections", [_inspection()], name="b.csv")
    err = _only(_rejected(reference, "inspections", a, b))
    assert (err["file"], err["code"]) == ("b.csv", "duplicate_across_files")


def test_empty_file_is_rejected(database):
    err = _only(_rejected(database, "companies", UploadedFile("companies.csv", b"")))
    assert (err["row"], err["code"]) == (None, "file_empty")


def test_header_without_rows_is_rejected(database):
    err = _only(_rejected(database, "companies", f.upload("companies", [])))
    assert err["code"] == "file_no_rows"


@pytest.mark.parametrize("data,name,code", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "companies.csv", "file_type_unsupported"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "companies.xls", "file_xls_legacy"),
    (b"PK\x03\x04 not really a workbook", "companies.xlsx", "file_type_unsupported"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "companies.png", "file_type_unsupported"),
    # a UTF-8 header, then a row that decodes in no encoding: the row is named
    ("统一社会信用代码,企业名称\n".encode() + b"\x80\x80,\xff\xfe\x80\n", "companies.csv", "file_encoding_mixed"),
    (b"\x80\x80,\xff\xfe\x80\n\x80\x80,\xff\xfe\x80\n", "companies.csv", "file_encoding_unknown"),
])
def test_wrong_file_types_and_encodings_are_rejected(database, data, name, code):
    err = _only(_rejected(database, "companies", UploadedFile(name, data)))
    assert err["code"] == code


def test_row_with_too_many_fields_is_rejected(database):
    data = f.csv_bytes(f.headers("companies"), f.COMPANIES) + f"{f.CODE_C},x,y,z,w,extra\n".encode()
    err = _only(_rejected(database, "companies", UploadedFile("companies.csv", data)))
    assert (err["row"], err["code"]) == (4, "row_column_count")


def test_text_longer_than_the_column_is_rejected(reference):
    err = _only(_rejected(reference, "inspections", f.upload("inspections", [_inspection(department="部" * 51)])))
    assert (err["column"], err["code"]) == ("检查部门", "text_too_long")


def test_one_bad_row_among_good_ones_rejects_the_whole_file_and_every_bad_row_is_listed(reference):
    rows = [_inspection(record_id=f"XC-{i:04d}") for i in range(1, 200)]
    rows[10] = _inspection(record_id="XC-0011", severity="??")
    rows[150] = _inspection(record_id="XC-0151", inspected_on="2025-02-29")
    details = _rejected(reference, "inspections", f.upload("inspections", rows))
    assert [(d["row"], d["code"]) for d in details] == [(12, "enum_invalid"), (152, "date_impossible")]


def test_reasons_are_in_english_on_request(reference):
    before = _snapshot(reference)
    with pytest.raises(ImportRejected) as info, reference.write_session() as session:
        import_files(session, kind=KINDS["inspections"], files=[f.upload("inspections", [_inspection(severity="x")])],
                     actor="test", today=f.TODAY)
    assert _snapshot(reference) == before
    (err,) = info.value.details("en")
    assert err["column"] == "severity"
    assert err["reason"].startswith("Value not allowed. Allowed values: 合格、一般")
    assert info.value.message("en").startswith("The file failed validation")
    assert info.value.message("zh").startswith("文件未通过校验")


def test_earlier_ongoing_contract_overlapping_a_stored_later_one_is_rejected(database):
    f.load(database, "companies", "communities")
    with database.write_session() as session:
        import_files(session, kind=KINDS["contracts"], actor="test", today=f.TODAY,
                     files=[f.upload("contracts", [["ZY-C001", f.CODE_B, "2025-07-01", None]])])
    err = _only(_rejected(database, "contracts", f.upload("contracts", [["ZY-C001", f.CODE_A, "2020-01-01", None]])))
    assert (err["row"], err["code"]) == (2, "contract_overlap")
    assert f.CODE_B in err["reason"] and "2025-07-01" in err["reason"]


def test_takeover_closing_the_stored_contract_in_the_same_file_is_accepted(database):
    f.load(database, "companies", "communities")
    with database.write_session() as session:
        import_files(session, kind=KINDS["contracts"], actor="test", today=f.TODAY,
                     files=[f.upload("contracts", [["ZY-C001", f.CODE_B, "2019-01-01", None]])])
        takeover = [["ZY-C001", f.CODE_B, "2019-01-01", "2025-06-30"], ["ZY-C001", f.CODE_A, "2025-07-01", None]]
        (summary,) = import_files(session, kind=KINDS["contracts"], actor="test", today=f.TODAY,
                                  files=[f.upload("contracts", takeover)])
    assert (summary.inserted, summary.updated) == (1, 1)
