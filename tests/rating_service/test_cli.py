"""`rating import`, `rating db` and `rating demo` as a user runs them."""

from __future__ import annotations

import csv

from sqlalchemy import func, select
from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.companies.models import Company
from tests import factories as f

runner = CliRunner()


def _write(tmp_path, name, upload):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(upload.data)
    return path


def test_import_prints_a_summary_with_dropped_personal_columns(database, tmp_path):
    f.load(database, *f.REFERENCE)
    header = [*f.headers("complaints"), "投诉人", "联系电话"]
    rows = [[*r, "张**", "138****0000"] for r in f.COMPLAINTS]
    path = _write(tmp_path, "complaints.csv", f.upload("complaints", rows, header=header, encoding="gbk"))
    result = runner.invoke(app, ["import", "complaints", str(path)])
    assert result.exit_code == 0, result.output
    assert "complaints.csv（投诉工单，CSV/GBK）：共 3 行，新增 3，更新 0，未变 0" in result.output
    assert "已删除的个人信息列（未保存）：投诉人、联系电话" in result.output
    again = runner.invoke(app, ["import", "complaints", str(path), "--lang", "en"])
    assert "3 rows, 0 inserted, 0 updated, 3 unchanged" in again.output
    assert "personal-data columns dropped (not stored): 投诉人, 联系电话" in again.output


def test_import_of_several_files_at_once(database, tmp_path):
    a = _write(tmp_path, "a.csv", f.upload("companies", f.COMPANIES[:1]))
    b = _write(tmp_path, "b.xlsx", f.upload("companies", f.COMPANIES[1:], fmt="xlsx"))
    result = runner.invoke(app, ["import", "companies", str(a), str(b)])
    assert result.exit_code == 0, result.output
    with database.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Company)) == 2


def test_rejected_import_lists_rows_and_exits_2(database, tmp_path):
    rows = [[f.CODE_A, "甲物业", None, None, None], [f.CODE_A[:-1] + "0", "乙物业", None, None, None],
            [f.CODE_B, None, None, None, None]]
    path = _write(tmp_path, "companies.csv", f.upload("companies", rows))
    errors_csv = tmp_path / "errors.csv"
    result = runner.invoke(app, ["import", "companies", str(path), "--errors-csv", str(errors_csv)])
    assert result.exit_code == 2
    assert "共 2 处错误，未写入任何数据" in result.output
    assert "校验位错误" in result.output and "必填项为空" in result.output
    with errors_csv.open(encoding="utf-8-sig") as fh:
        written = list(csv.reader(fh))
    assert written[0] == ["文件", "行", "列", "值", "原因"]
    assert [r[1:3] for r in written[1:]] == [["3", "统一社会信用代码"], ["4", "企业名称"]]
    with database.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Company)) == 0
    english = runner.invoke(app, ["import", "companies", str(path), "--lang", "en"])
    assert "2 error(s); nothing was written" in english.output
    assert "Wrong check character" in english.output


def test_unknown_kind_and_missing_file_are_clear_errors(database, tmp_path):
    result = runner.invoke(app, ["import", "complaint_letters", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "未知的数据类型" in result.output
    missing = runner.invoke(app, ["import", "companies", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
    assert "文件不存在" in missing.output


def test_kind_accepts_chinese_and_singular_names(database, tmp_path):
    path = _write(tmp_path, "企业.csv", f.upload("companies", f.COMPANIES))
    assert runner.invoke(app, ["import", "企业", str(path)]).exit_code == 0
    assert runner.invoke(app, ["import", "company", str(path)]).exit_code == 0


def test_db_heads_prints_the_single_head():
    result = runner.invoke(app, ["db", "heads"])
    assert result.exit_code == 0
    assert result.output.strip() == "0015"


def _counts(database) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from rating_service.companies.repository import record_counts

    with database.read_session() as session:
        return record_counts(session)


def test_demo_loads_the_zongyang_data_and_is_idempotent(database):
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    counts = _counts(database)
    assert counts["communities"] == 56 and 15 <= counts["companies"] <= 25
    # Three years of records: 2025's (fixtures/zongyang/), 2024's (fixtures/zongyang/2024/) and 2026's so far
    # (fixtures/zongyang/2026/, to 2026-10-31: the early warning's period).
    assert 2000 <= counts["inspections"] <= 2300 and 3200 <= counts["complaints"] <= 3500
    assert counts["major_events"] >= 1
    assert "已删除的个人信息列（未保存）：投诉人、联系电话" in first.output
    from rating_service.intake import service as intake

    with database.read_session() as session:  # the intake queue: 2025 history decided, 2026 tickets waiting
        queue = intake.progress(session)
        assert queue.decided >= 1000 and queue.pending >= 1000
        assert intake.high_confidence_ids(session, kind="hotline")  # a trained model suggests categories
    second = runner.invoke(app, ["demo"])
    assert second.exit_code == 0, second.output
    assert _counts(database) == counts
    with database.read_session() as session:
        assert intake.progress(session) == queue
    assert "新增 0，更新 0" in second.output and "新增 1" not in second.output
    from rating_service.audit import service as audit

    with database.read_session() as session:
        assert audit.verify(session).ok
