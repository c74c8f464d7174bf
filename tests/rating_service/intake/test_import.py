"""Importing a raw export: bad files are refused whole, naming row, column and reason, with nothing written;
re-importing changes nothing; personal data never reaches the database; the bureau's history is stored decided."""

from __future__ import annotations

import pytest
from sqlalchemy import String, Text, func, select

from rating_service.errors import ImportRejected, RatingServiceError
from rating_service.intake import service
from rating_service.intake.models import IntakeItem
from rating_service.records.models import Complaint, ImportBatch
from tests import factories as f
from tests.rating_service.intake.helpers import (
    HISTORY_HEADER,
    HOTLINE_HEADER,
    ID_NUMBER,
    PATROL_HEADER,
    PHONE,
    finding,
    ticket,
    upload,
)


@pytest.fixture
def db(sqlite_only):  # type: ignore[no-untyped-def]
    f.load(sqlite_only, *f.REFERENCE)
    return sqlite_only


def _counts(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.read_session() as session:
        return (session.execute(select(func.count(IntakeItem.id))).scalar_one(),
                session.execute(select(func.count(ImportBatch.id))).scalar_one())


def _refused(db, kind, file, **kwargs) -> ImportRejected:  # type: ignore[no-untyped-def]
    before = _counts(db)
    with pytest.raises(ImportRejected) as caught, db.write_session() as session:
        service.import_file(session, kind=kind, upload=file, actor="officer", **kwargs)
    assert _counts(db) == before, "a refused file wrote something"
    return caught.value


def test_missing_columns_are_refused_naming_the_column(db) -> None:  # type: ignore[no-untyped-def]
    header = [h for h in HOTLINE_HEADER if h != "诉求地址"]
    rows = [[v for h, v in zip(HOTLINE_HEADER, ticket("GD-1"), strict=True) if h != "诉求地址"]]
    rejected = _refused(db, "hotline", upload(header, rows))
    [detail] = rejected.details("zh")
    assert detail["row"] == 1 and detail["column"] == "诉求地址" and "缺少必需的列" in detail["reason"]


def test_dates_that_do_not_exist_are_refused_naming_row_and_column(db) -> None:  # type: ignore[no-untyped-def]
    rows = [ticket("GD-1"), ticket("GD-2", day="2026-02-30 10:00:00")]
    rejected = _refused(db, "hotline", upload(HOTLINE_HEADER, rows))
    [detail] = rejected.details("zh")
    assert (detail["row"], detail["column"], detail["value"]) == (3, "受理时间", "2026-02-30 10:00:00")
    assert detail["reason"] == "日期不存在。"
    patrol = _refused(db, "patrol", upload(PATROL_HEADER, [finding("XC-1", day="2026年13月1日")], fmt="xlsx",
                                           name="patrol.xlsx"))
    assert patrol.details("zh")[0]["column"] == "检查日期"


def test_duplicate_numbers_with_different_content_are_refused(db) -> None:  # type: ignore[no-untyped-def]
    rows = [ticket("GD-1"), ticket("GD-2"), ticket("GD-1", text="另一件事：电梯故障")]
    rejected = _refused(db, "hotline", upload(HOTLINE_HEADER, rows))
    [detail] = rejected.details("zh")
    assert (detail["row"], detail["column"], detail["value"]) == (4, "工单编号", "GD-1")
    assert "第 2 行" in detail["reason"]
    # The same ticket twice with the same content is one ticket.
    with db.write_session() as session:
        summary = service.import_file(session, kind="hotline", upload=upload(HOTLINE_HEADER, rows[:2] + rows[:1]),
                                      actor="officer")
    assert summary.inserted == 2


def test_unknown_encodings_and_bad_values_are_refused(db) -> None:  # type: ignore[no-untyped-def]
    from rating_service.records.service import UploadedFile

    rejected = _refused(db, "hotline", UploadedFile("export.csv", b"\xff\x00\xfe\x81\x82" * 50))
    assert rejected.details("zh")
    bad = ticket("GD-1", substantiated="也许", satisfaction="还行")
    rejected = _refused(db, "hotline", upload(HOTLINE_HEADER, [bad]))
    columns = {d["column"] for d in rejected.details("zh")}
    assert columns == {"是否属实", "回访满意度"}
    blank = ticket("GD-2", place="")
    assert _refused(db, "hotline", upload(HOTLINE_HEADER, [blank])).details("zh")[0]["reason"] == "必填项为空。"


def test_reimporting_the_same_export_changes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    file = upload(HOTLINE_HEADER, [ticket("GD-1"), ticket("GD-2", place="尚泽江南府")])
    with db.write_session() as session:
        first = service.import_file(session, kind="hotline", upload=file, actor="officer")
    counts = _counts(db)
    with db.write_session() as session:
        again = service.import_file(session, kind="hotline", upload=file, actor="officer")
    assert (first.inserted, again.inserted, again.unchanged, again.batch_id) == (2, 0, 2, None)
    assert _counts(db) == counts
    # A later export with one more ticket adds only that one.
    with db.write_session() as session:
        more = service.import_file(session, kind="hotline", actor="officer",
                                   upload=upload(HOTLINE_HEADER, [ticket("GD-1"), ticket("GD-3")]))
    assert (more.inserted, more.unchanged) == (1, 1)


def test_a_stored_number_with_different_content_is_refused_naming_the_row(db) -> None:  # type: ignore[no-untyped-def]
    with db.write_session() as session:
        service.import_file(session, kind="hotline", upload=upload(HOTLINE_HEADER, [ticket("GD-1")]), actor="o")
    rejected = _refused(db, "hotline", upload(HOTLINE_HEADER, [ticket("GD-2"), ticket("GD-1", text="不同的内容")]))
    [detail] = rejected.details("zh")
    assert (detail["row"], detail["column"], detail["value"]) == (3, "工单编号", "GD-1")


def test_personal_data_in_text_and_in_the_phone_column_is_never_stored(db) -> None:  # type: ignore[no-untyped-def]
    rows = [ticket("GD-1", text=f"业主反映漏水，电话{PHONE}，身份证{ID_NUMBER}", place=f"山水兰亭 {PHONE}"),
            ticket("GD-2", caller="张三丰", phone="13800138000")]
    with db.write_session() as session:
        summary = service.import_file(session, kind="hotline", upload=upload(HOTLINE_HEADER, rows), actor="officer")
    assert summary.redactions >= 3
    with db.read_session() as session:
        stored = []
        for table in (IntakeItem.__table__, ImportBatch.__table__):
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            for row in session.execute(select(*columns)):
                stored.extend(str(v) for v in row if v is not None)
        text = "\n".join(stored)
    for secret in (PHONE, ID_NUMBER, "13800138000", "张三丰"):
        assert secret not in text
    assert "【已删除电话】" in text


def test_history_is_stored_decided_and_creates_no_records(db) -> None:  # type: ignore[no-untyped-def]
    rows = [[*ticket("LS-1"), "ZY-C001", "垃圾清运", "是"],
            [*ticket("LS-2", text="邻居装修噪音"), "", "", "否"]]
    with db.write_session() as session:
        summary = service.import_file(session, kind="hotline", upload=upload(HISTORY_HEADER, rows),
                                      actor="officer", history=True)
    assert summary.inserted == 2
    with db.read_session() as session:
        items = {i.external_no: i for i in session.execute(select(IntakeItem)).scalars()}
        assert (items["LS-1"].status, items["LS-1"].community_id, items["LS-1"].category) == \
            ("confirmed", "ZY-C001", "垃圾清运")
        assert items["LS-2"].status == "not_property" and items["LS-1"].decided_by == "officer"
        assert session.execute(select(func.count()).select_from(Complaint)).scalar_one() == 0
        assert service.progress(session).pending == 0


def test_history_rows_name_unknown_communities_and_categories(db) -> None:  # type: ignore[no-untyped-def]
    rows = [[*ticket("LS-1"), "ZY-X999", "垃圾清运", "是"], [*ticket("LS-2"), "ZY-C001", "外星人", "是"]]
    rejected = _refused(db, "hotline", upload(HISTORY_HEADER, rows), history=True)
    found = {(d["row"], d["column"]) for d in rejected.details("zh")}
    assert found == {(2, "小区编号"), (3, "诉求类别")}
    with pytest.raises(RatingServiceError), db.write_session() as session:
        service.import_file(session, kind="patrol", upload=upload(PATROL_HEADER, [finding("X")]), actor="o",
                            history=True)


def test_an_api_push_is_idempotent_by_key(db) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from rating_service.intake.models import IntakeSystem

    with db.write_session() as session:
        system = IntakeSystem(name="数字城管", key_hash="0" * 64, key_prefix="ik_0", created_by="admin",
                              created_at=dt.datetime.now(dt.UTC))
        session.add(system)
        session.flush()
        system_id = system.id

    def push(text: str) -> service.IngestSummary:
        item = service.ItemIn("SZ-1", dt.date(2026, 3, 5), "山水兰亭", text, {"substantiated": True},
                              idempotency_key="k-1")
        with db.write_session() as session:
            return service.ingest(session, kind="hotline", items=[item], actor="system", system_id=system_id)

    assert push("垃圾没人清").inserted == 1
    again = push("垃圾没人清")
    assert (again.inserted, again.unchanged) == (0, 1)
    with pytest.raises(ImportRejected):
        push("内容改了")
