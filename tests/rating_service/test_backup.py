"""`rating backup` / `rating restore`: a cycle after an appeal decision (notices, a revised notice, the appeal's
decision record, its evidence) is backed up, restored into an empty database and empty folders elsewhere, and there
the audit log verifies, every document's file hashes as recorded and every verification code still verifies. A
damaged backup and a database that is not empty are refused, and nothing is changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from rating_service import migrate
from rating_service.appeals.models import AppealAttachment
from rating_service.audit import service as audit
from rating_service.backup import service as backup
from rating_service.db import Database
from rating_service.notices import service as notices
from rating_service.notices.models import Document
from rating_service.settings import Settings, get_settings
from tests import factories as f

IN_WINDOW = dt.date(2026, 1, 14)  # the factory cycle's notice went out on 2026-01-12; appeals close on 01-19


@pytest.fixture
def elsewhere(database: Database, tmp_path: Path) -> Iterator[Database]:
    """An empty database of the same engine and empty folders: another machine to restore onto."""
    folders = {"documents_dir": tmp_path / "restored-documents", "attachments_dir": tmp_path / "restored-attachments",
               "audit_anchor_file": tmp_path / "restored-anchors.log"}
    if database.is_sqlite:
        target = Database(Settings(database_url=f"sqlite:///{tmp_path / 'restored.db'}", environment="test",
                                   **folders))
        yield target
        target.dispose()
        return
    url = make_url(database.settings.database_url)
    name = f"{url.database}_restored"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    target = Database(Settings(database_url=url.set(database=name).render_as_string(hide_password=False),
                               environment="test", **folders))
    try:
        yield target
    finally:
        target.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _after_an_appeal(database: Database) -> int:
    """The factory cycle publicized; 皖江 appeals a complaint with a PDF, the officer voids it (a revised notice and
    a decision record are issued); every document rendered. Returns the cycle id."""
    from tests.rating_service.notices.helpers import publish

    world = publish(database)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    company, officer = f.api_client(database, "company"), f.api_client(database, "officer")
    with f.on_day(IN_WINDOW):
        filed = company.post(f"/api/v1/cycles/{world.cycle_id}/appeals",
                             data={"grounds": "该投诉经核实不属实。", "scope": "records",
                                   "records": ["complaints:GD-000003"]},
                             files=[("files", ("核实材料.pdf", f.pdf_file(), "application/pdf"))])
        assert filed.status_code == 201, filed.text
        decided = officer.post(f"/api/v1/appeals/{filed.json()['id']}/decision",
                               json={"outcome": "upheld", "reasons": "经复核，异议成立。",
                                     "items": [{"kind": "complaints", "record_id": "GD-000003", "action": "void",
                                                "finding": "非本企业责任"}]})
        assert decided.status_code == 200, decided.text
    assert notices.render_documents(database=database, cycle_id=world.cycle_id, processes=1) > 0
    return int(world.cycle_id)


def test_a_backup_after_an_appeal_restores_elsewhere_and_everything_verifies(database, elsewhere, tmp_path):
    # Documents are written to the process-wide settings' folder and backed up from the database's: the two must be
    # the same folder (read afresh from the environment, whatever an earlier test left cached).
    get_settings.cache_clear()
    assert get_settings().documents_dir == database.settings.documents_dir
    cycle_id = _after_an_appeal(database)
    with database.read_session() as session:
        issued = {d.id: (d.kind, d.doc_number, d.verification_code, d.sha256)
                  for d in session.scalars(select(Document).where(Document.cycle_id == cycle_id))}
    assert {kind for kind, *_ in issued.values()} >= {"notice", "revised_notice", "appeal_record", "bulletin"}

    manifest = backup.backup(database, tmp_path / "backup")
    assert manifest.audit_head[0] > 0
    assert any(name.startswith("attachments/") for name in manifest.files)
    assert any(name.startswith("documents/") for name in manifest.files)

    data = backup.restore(elsewhere, tmp_path / "backup")
    assert data["revision"] == migrate.current(elsewhere)
    with elsewhere.snapshot_session() as session:
        verified = audit.verify(session, anchor_file=elsewhere.settings.audit_anchor_file)
    assert verified.ok, verified
    assert verified.count >= manifest.audit_head[0]
    with elsewhere.read_session() as session:
        restored = {d.id: d for d in session.scalars(select(Document).where(Document.cycle_id == cycle_id))}
        assert set(restored) == set(issued)
        for document_id, (_kind, number, code, sha256) in issued.items():
            assert sha256, f"document {number} was not rendered"
            pdf = Path(elsewhere.settings.documents_dir) / f"cycle-{cycle_id}" / f"{document_id}.pdf"
            assert hashlib.sha256(pdf.read_bytes()).hexdigest() == sha256 == restored[document_id].sha256
            assert notices.verify(session=session, code=code).doc_number == number
    # The appeal's evidence is back under its generated name, byte for byte (the folder may hold other files).
    with elsewhere.read_session() as session:
        evidence = list(session.scalars(select(AppealAttachment)))
    assert evidence
    for item in evidence:
        stored = Path(elsewhere.settings.attachments_dir) / item.storage_key
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == item.sha256


def test_a_damaged_backup_or_a_used_database_is_refused_and_nothing_changes(database, elsewhere, tmp_path):
    f.load(database, *f.REFERENCE, "complaints")
    backup.backup(database, tmp_path / "backup")
    with pytest.raises(backup.RestoreRefused) as caught:
        backup.backup(database, tmp_path / "backup")  # never into a used folder
    assert caught.value.key == "backup_target_not_empty"

    damaged = tmp_path / "damaged"
    shutil.copytree(tmp_path / "backup", damaged)
    dump = next(p for p in damaged.iterdir() if p.name.startswith("database."))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed, the size kept
    dump.write_bytes(bytes(data))
    with pytest.raises(backup.RestoreRefused) as caught:
        backup.restore(elsewhere, damaged)
    assert caught.value.key == "restore_file_damaged" and caught.value.params["file"] == dump.name
    assert dump.name in caught.value.message("zh") and "已损坏" in caught.value.message("zh")
    assert migrate.current(elsewhere) is None  # nothing was restored

    migrate.upgrade(elsewhere)  # a database that is in use (here: only its schema)
    with pytest.raises(backup.RestoreRefused) as caught:
        backup.restore(elsewhere, tmp_path / "backup")
    assert caught.value.key == "restore_database_not_empty"


def test_the_cli_backs_up_and_says_where_in_chinese(database, tmp_path) -> None:
    from typer.testing import CliRunner

    from rating_service.cli import app

    f.load(database, *f.REFERENCE)
    result = CliRunner().invoke(app, ["backup", str(tmp_path / "cli-backup")])
    assert result.exit_code == 0, result.output
    assert "备份已写入" in result.output and (tmp_path / "cli-backup" / "manifest.json").is_file()
    again = CliRunner().invoke(app, ["backup", str(tmp_path / "cli-backup")])
    assert again.exit_code != 0 and "不是空的" in again.output
