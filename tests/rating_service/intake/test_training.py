"""Training on the tickets the bureau confirmed: versions stored and audited, the active one used, the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rating_service.audit.models import AuditEntry
from rating_service.cli import app
from rating_service.errors import ImportRejected, RatingServiceError
from rating_service.intake import training
from rating_service.intake.models import IntakeItem, TriageModel
from rating_service.records.service import UploadedFile
from tests.factories import xlsx_bytes
from tests.rating_service.intake.test_triage import synthetic

runner = CliRunner()
AT = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)


def _insert(database, n: int, *, seed: int = 1, pending: int = 0) -> None:
    texts, categories, relevant = synthetic(n + pending, seed=seed)
    with database.write_session() as session:
        for index, (text, category, is_relevant) in enumerate(zip(texts, categories, relevant, strict=True)):
            status = "pending" if index >= n else ("confirmed" if is_relevant else "not_property")
            session.add(IntakeItem(
                kind="hotline", external_no=f"T{seed}-{index:05d}",
                content_sha=hashlib.sha256(text.encode()).hexdigest(),
                received_on=dt.date(2026, 3, 5), place_text="山水兰亭", text=text, fields="{}", created_at=AT,
                status=status, category=category if status == "confirmed" else None))


def test_refuses_with_too_few_decided_tickets(database) -> None:
    _insert(database, 5, pending=30)
    with database.write_session() as session, pytest.raises(RatingServiceError) as refused:
        training.train_from_confirmed(session, actor="officer1")
    message = refused.value.message("zh")
    assert "5" in message and str(training.MIN_CONFIRMED) in message
    with database.read_session() as session:
        assert training.models(session) == [] and training.active_model(session) is None


def test_trains_stores_audits_and_keeps_one_active(database) -> None:
    _insert(database, 80, pending=10)
    with database.write_session() as session:
        first = training.train_from_confirmed(session, actor="officer1", seed=3)
        first_id = first.id
    with database.write_session() as session:
        second = training.train_from_confirmed(session, actor="officer2", seed=3)
        second_id = second.id
    with database.read_session() as session:
        rows = training.models(session)
        assert [r.id for r in rows] == [second_id, first_id]
        assert [r.active for r in rows] == [True, False]
        assert rows[0].samples == 80 and rows[0].trained_by == "officer2"
        metrics = training.metrics_of(rows[0])
        assert metrics["n_test"] == 16 and metrics["macro_f1"] > 0.8 and "relevance" in metrics
        found = training.active_model(session)
        assert found is not None and found[0].id == second_id and found[1].version == second_id
        assert training.active_model(session)[1] is found[1]  # unpickled once per version
        suggestion = found[1].suggest_many(["江南府业主反映电梯困人无人救援"])[0]
        assert suggestion.category == "电梯故障"
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "intake.model_train")
                                  .order_by(AuditEntry.seq)).all()
        assert [(e.actor, e.entity_kind, e.entity_id) for e in entries] == [
            ("officer1", "triage_model", str(first_id)), ("officer2", "triage_model", str(second_id))]
        assert f"[{first_id}]" in entries[1].payload.replace(" ", "")
        assert session.scalar(select(TriageModel.active).where(TriageModel.id == first_id)) is False


def _history_file(n: int, seed: int) -> UploadedFile:
    texts, categories, relevant = synthetic(n, seed=seed)
    rows = [[f"H{i}", text + ("，联系电话13812345678" if i == 0 else ""), category or "", "是" if r else "否"]
            for i, (text, category, r) in enumerate(zip(texts, categories, relevant, strict=True))]
    return UploadedFile("history.xlsx", xlsx_bytes(["工单编号", "诉求内容", "诉求类别", "是否物业服务类"], rows))


def test_labelled_file_is_read_redacted_and_checked() -> None:
    texts, categories, relevant = training.labelled_from_file(_history_file(20, seed=8))
    assert len(texts) == 20 and "13812345678" not in texts[0] and "【已删除电话】" in texts[0]
    assert all((c is None) != r for c, r in zip(categories, relevant, strict=True))
    bad = UploadedFile("bad.xlsx", xlsx_bytes(["诉求内容", "是否物业服务类"], [["电梯坏了", "也许"]]))
    with pytest.raises(ImportRejected) as refused:
        training.labelled_from_file(bad)
    assert [e.column for e in refused.value.errors] == ["诉求类别"]
    bad = UploadedFile("bad.xlsx", xlsx_bytes(["诉求内容", "诉求类别", "是否物业服务类"],
                                              [["电梯坏了", "电梯故障", "是"], ["漏水", "", "是"], ["x", "", "也许"]]))
    with pytest.raises(ImportRejected) as refused:
        training.labelled_from_file(bad)
    assert sorted((e.row, e.column) for e in refused.value.errors) == [(3, "诉求类别"), (4, "是否物业服务类")]


def test_cli_trains_and_evaluates(database, tmp_path) -> None:
    result = runner.invoke(app, ["intake", "evaluate"])
    assert result.exit_code == 2 and "rating intake train" in result.output
    _insert(database, 80)
    result = runner.invoke(app, ["intake", "train", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "第 1 版" in result.output and "80 条工单" in result.output and "宏平均 F1" in result.output
    result = runner.invoke(app, ["intake", "evaluate"])
    assert result.exit_code == 0, result.output
    assert "留出的 16 条" in result.output and "电梯故障" in result.output and "精确率" in result.output
    path = tmp_path / "held-out.xlsx"
    path.write_bytes(_history_file(40, seed=21).data)
    result = runner.invoke(app, ["intake", "evaluate", "--file", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "40 tickets of held-out.xlsx" in result.output and "Precision" in result.output
    assert "macro-F1: 1.000" in result.output
