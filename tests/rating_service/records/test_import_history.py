"""Re-imports: same content changes nothing; new content is an update whose old content stays in the audit log."""

from __future__ import annotations

import json

from sqlalchemy import func, select, text

from rating_service.audit import service as audit
from rating_service.audit.models import AuditEntry
from rating_service.companies.models import Community, Contract
from rating_service.db import Base
from rating_service.records.formats import KINDS
from rating_service.records.models import Complaint, ImportBatch
from rating_service.records.service import import_files
from tests import factories as f


def _import(database, kind, rows, **kw):  # type: ignore[no-untyped-def]
    with database.write_session() as session:
        (summary,) = import_files(session, kind=KINDS[kind], files=[f.upload(kind, rows, **kw)], actor="officer1",
                                  today=f.TODAY)
    return summary


def _table_rows(database, name):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        return [tuple(r) for r in session.execute(text(f"SELECT * FROM {name} ORDER BY 1")).all()]


def test_reimporting_the_same_file_changes_nothing(database):
    f.load(database, *f.REFERENCE)
    first = _import(database, "complaints", f.COMPLAINTS)
    stored = _table_rows(database, "complaints")
    second = _import(database, "complaints", f.COMPLAINTS, fmt="xlsx", lang="en")
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 3)
    assert _table_rows(database, "complaints") == stored  # batch_id still points at the first import
    for kind in f.REFERENCE:
        again = _import(database, kind, f.ROWS[kind])
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(f.ROWS[kind]))


def test_changed_content_is_an_update_with_the_old_content_in_the_audit_log(database):
    f.load(database, *f.REFERENCE)
    _import(database, "complaints", f.COMPLAINTS)
    changed = [list(r) for r in f.COMPLAINTS]
    changed[1][6] = "是"          # GD-000002 now substantiated
    changed[1][8] = "2025-03-09"  # and resolved
    changed.append(["GD-000004", "2025-04-01", "12345", "ZY-C003", None, None, "否", None, None, None])
    summary = _import(database, "complaints", changed)
    assert (summary.inserted, summary.updated, summary.unchanged) == (1, 1, 2)
    with database.read_session() as session:
        row = session.get(Complaint, "GD-000002")
        assert row.substantiated is True and row.resolved_on.isoformat() == "2025-03-09"
        assert row.batch_id == summary.batch_id
        (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "record.update")).all()
        assert (entry.entity_kind, entry.entity_id, entry.actor) == ("complaints", "GD-000002", "officer1")
        payload = json.loads(entry.payload)
        assert payload["changed"] == ["resolved_on", "substantiated"]
        assert payload["before"]["substantiated"] is False and payload["before"]["resolved_on"] is None
        assert payload["after"]["resolved_on"] == "2025-03-09"
        assert audit.verify(session).ok


def test_reference_data_updates_are_audited_too(database):
    f.load(database, *f.REFERENCE)
    communities = [list(r) for r in f.COMMUNITIES]
    communities[0][3] = 820
    summary = _import(database, "communities", communities)
    assert (summary.updated, summary.unchanged) == (1, 2)
    contracts = [list(r) for r in f.CONTRACTS]
    contracts[3][3] = "2026-12-31"  # ZY-C003's contract gets an end date: an update of the same contract
    summary = _import(database, "contracts", contracts)
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 3)
    with database.read_session() as session:
        assert session.get(Community, "ZY-C001").households == 820
        assert session.scalar(select(func.count()).select_from(Contract)) == 4
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "record.update")
                                  .order_by(AuditEntry.seq)).all()
        assert [(e.entity_kind, json.loads(e.payload)["before"].get("households")) for e in entries][0] == (
            "communities", 800)
        assert json.loads(entries[1].payload)["before"]["end_date"] is None


def test_every_import_is_audited_with_its_batch(database):
    f.load(database, *f.REFERENCE)
    summary = _import(database, "complaints", f.COMPLAINTS)
    with database.read_session() as session:
        batch = session.get(ImportBatch, summary.batch_id)
        assert (batch.kind, batch.rows, batch.inserted, batch.imported_by) == ("complaints", 3, 3, "officer1")
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "import")
                                .order_by(AuditEntry.seq.desc())).first()
        assert entry.entity_id == str(summary.batch_id)
        assert json.loads(entry.payload)["file_sha256"] == batch.file_sha256


def test_personal_data_columns_are_dropped_and_never_stored(database):
    f.load(database, *f.REFERENCE)
    header = [*f.headers("complaints"), "投诉人", "联系电话", "身份证号", "来电人姓名", "备用列"]
    rows = [[*r, "王小明", "13912345678", "340722199001011234", "赵大妈", "随便"] for r in f.COMPLAINTS]
    summary = _import(database, "complaints", rows, header=header)
    assert summary.dropped_columns == ["投诉人", "联系电话", "身份证号", "来电人姓名"]
    assert summary.ignored_columns == ["备用列"]
    en_header = [*f.headers("complaints", "en"), "complainant", "phone", "id_number"]
    rows_en = [[*r, "Wang", "13912345678", "340722199001011234"] for r in f.COMPLAINTS]
    summary_en = _import(database, "complaints", rows_en, header=en_header, fmt="xlsx")
    assert summary_en.dropped_columns == ["complainant", "phone", "id_number"]
    # Nothing anywhere in the database holds the personal values, not even the audit log.
    with database.read_session() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)).all():
                flat = " ".join(str(v) for v in row)
                for secret in ("王小明", "13912345678", "340722199001011234", "赵大妈", "Wang"):
                    assert secret not in flat, f"{secret} stored in {table.name}"
        assert set(Base.metadata.tables["complaints"].columns.keys()).isdisjoint(
            {"complainant", "phone", "id_number"})
        batch = session.get(ImportBatch, summary.batch_id)
        assert json.loads(batch.dropped_columns) == ["投诉人", "联系电话", "身份证号", "来电人姓名"]
