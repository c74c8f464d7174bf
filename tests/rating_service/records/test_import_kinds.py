"""Every record kind imports from CSV and XLSX, with Chinese or English headers, in every encoding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from rating_service.companies.models import Community, Company, Contract
from rating_service.records.formats import KIND_ORDER, KINDS
from rating_service.records.models import Complaint, FeeViolation, ImportBatch, Inspection, MajorEvent
from rating_service.records.service import import_files
from tests import factories as f


def _import(database, kind, upload):  # type: ignore[no-untyped-def]
    with database.write_session() as session:
        return import_files(session, kind=KINDS[kind], files=[upload], actor="test", today=f.TODAY)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_kind_imports_from_csv_and_xlsx_with_chinese_or_english_headers(database, fmt, lang):
    for kind in KIND_ORDER:
        (summary,) = _import(database, kind, f.upload(kind, f.ROWS[kind], lang=lang, fmt=fmt))
        assert (summary.kind, summary.rows, summary.inserted) == (kind, len(f.ROWS[kind]), len(f.ROWS[kind]))
        assert summary.file_format == fmt
    with database.read_session() as session:
        assert session.scalars(select(Company.name).order_by(Company.name)).all() == sorted(
            r[1] for r in f.COMPANIES)
        assert session.scalar(select(Community.households).where(Community.community_id == "ZY-C001")) == 800
        assert session.scalar(select(Community.floor_area_m2).where(Community.community_id == "ZY-C002")) \
            == Decimal("46000.50")
        takeover = session.execute(
            select(Contract.credit_code, Contract.start_date, Contract.end_date)
            .where(Contract.community_id == "ZY-C002").order_by(Contract.start_date)).all()
        assert [tuple(r) for r in takeover] == [
            (f.CODE_B, dt.date(2019, 5, 1), dt.date(2025, 6, 30)),
            (f.CODE_A, dt.date(2025, 7, 1), None),
        ]
        inspection = session.get(Inspection, "XC-0002")
        assert (inspection.inspected_on, inspection.severity, inspection.rectify_by, inspection.rectified_on) == (
            dt.date(2025, 4, 8), "serious", dt.date(2025, 4, 15), None)
        assert session.get(Inspection, "XC-0003").inspected_on == dt.date(2025, 5, 9)
        assert session.get(Inspection, "XC-0003").severity == "none"
        complaint = session.get(Complaint, "GD-000003")
        assert (complaint.substantiated, complaint.satisfaction, complaint.credit_code) == (
            True, "dissatisfied", f.CODE_A)
        assert session.get(Complaint, "GD-000002").received_on == dt.date(2025, 3, 6)
        assert session.get(Complaint, "GD-000002").substantiated is False
        fee = session.get(FeeViolation, "SF-001")
        assert (fee.violation_type, fee.amount_yuan, fee.refunded) == ("overcharge", Decimal("23000.00"), True)
        blank_fee = session.get(FeeViolation, "SF-002")
        assert (blank_fee.amount_yuan, blank_fee.refunded, blank_fee.community_id) == (Decimal("0.00"), False,
                                                                                        None)
        assert session.get(MajorEvent, "ZD-001").kind == "refuse_to_exit"
        assert session.scalar(select(ImportBatch.file_format).limit(1)) == fmt


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected_and_recorded(database, encoding):
    (summary,) = _import(database, "companies", f.upload("companies", f.COMPANIES, encoding=encoding))
    assert summary.inserted == 2
    # A GB18030 file holding only GBK characters is byte-identical to GBK, so it is reported as GBK.
    assert summary.encoding == {"gb18030": "gbk"}.get(encoding, encoding)
    with database.read_session() as session:
        assert session.get(Company, f.CODE_A).name == "安徽皖江物业服务有限公司"


def test_gb18030_only_characters_survive(database):
    # 㐀 (U+3400) is outside GBK but inside GB18030.
    rows = [[f.CODE_A, "㐀安物业有限公司", "张三", None, None]]
    (summary,) = _import(database, "companies", f.upload("companies", rows, encoding="gb18030"))
    assert summary.encoding == "gb18030"
    with database.read_session() as session:
        assert session.get(Company, f.CODE_A).name == "㐀安物业有限公司"


def test_xlsx_date_cells_and_numbers_are_read(database):
    f.load(database, *f.REFERENCE)
    rows = [["XC-9", dt.datetime(2025, 3, 5), "ZY-C001", None, "城管", "卫生保洁", "一般", dt.date(2025, 3, 12),
             dt.datetime(2025, 3, 11, 16, 30), None]]
    (summary,) = _import(database, "inspections", f.upload("inspections", rows, fmt="xlsx"))
    assert summary.inserted == 1
    with database.read_session() as session:
        row = session.get(Inspection, "XC-9")
        assert (row.inspected_on, row.rectify_by, row.rectified_on) == (
            dt.date(2025, 3, 5), dt.date(2025, 3, 12), dt.date(2025, 3, 11))


@pytest.mark.parametrize("spelling,expected", [
    ("是", True), ("否", False), ("Y", True), ("n", False), ("yes", True), ("NO", False),
    ("true", True), ("False", False), ("1", True), ("0", False),
])
def test_yes_no_spellings(database, spelling, expected):
    f.load(database, *f.REFERENCE)
    row = ["GD-9", "2025-03-05", "12345", "ZY-C001", None, None, spelling, None, None, None]
    _import(database, "complaints", f.upload("complaints", [row]))
    with database.read_session() as session:
        assert session.get(Complaint, "GD-9").substantiated is expected


@pytest.mark.parametrize("spelling", ["2025-03-05", "2025/3/5", "2025年3月5日", "2025-3-5", "2025.03.05",
                                      "2025-03-05 09:15:00", "2025/3/5 9:15"])
def test_date_spellings(database, spelling):
    f.load(database, *f.REFERENCE)
    row = ["GD-9", spelling, "12345", "ZY-C001", None, None, "是", None, None, None]
    _import(database, "complaints", f.upload("complaints", [row]))
    with database.read_session() as session:
        assert session.get(Complaint, "GD-9").received_on == dt.date(2025, 3, 5)


def test_excel_unicode_text_export_utf16_tab_separated_is_read(database):
    text = "\t".join(f.headers("companies")) + "\r\n" + "\r\n".join(
        "\t".join("" if v is None else str(v) for v in row) for row in f.COMPANIES) + "\r\n"
    (summary,) = _import(database, "companies", f.UploadedFile("companies.txt", text.encode("utf-16")))
    assert (summary.inserted, summary.encoding) == (2, "utf-16")


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_padded_cells_are_stripped_and_blank_cells_are_missing(database, encoding):
    f.load(database, *f.REFERENCE)
    text = ("工单编号,受理时间,渠道,小区编号,统一社会信用代码,诉求类别,是否查实,办理时限,办结时间,回访满意度\n"
            " GD-1 ,2025-03-05 ,\u300012345\u3000,ZY-C001, , 环境卫生,是 ,  ,2025-03-10, \n")
    (summary,) = _import(database, "complaints", f.UploadedFile("c.csv", text.encode(encoding)))
    assert summary.inserted == 1
    with database.read_session() as session:
        row = session.get(Complaint, "GD-1")
        assert (row.channel, row.category, row.credit_code, row.due_on, row.satisfaction) == (
            "12345", "环境卫生", None, None, None)


def test_unpadded_file_keeps_values_exactly(database):
    f.load(database, *f.REFERENCE)
    (summary,) = _import(database, "complaints", f.upload("complaints", f.COMPLAINTS))
    assert summary.inserted == 3
    with database.read_session() as session:
        assert session.get(Complaint, "GD-000002").channel == "微信公众号"
        assert session.get(Complaint, "GD-000002").satisfaction is None
