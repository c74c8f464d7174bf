"""Each bulletin prints the audit head (seq and the start of its hash): a public anchor that even a forger holding
the audit key and the anchor file cannot move."""

from __future__ import annotations

import io
from typing import Any

import pypdf
from sqlalchemy import select, text
from typer.testing import CliRunner

from rating_service.audit import keys
from rating_service.audit import service as audit
from rating_service.audit.models import AuditEntry, AuditHead
from rating_service.cli import app
from rating_service.notices import service as notices
from rating_service.settings import get_settings
from tests.rating_service.notices.helpers import payload, publish

runner = CliRunner()


def _rewrite_with_the_key(database: Any, seq: int) -> None:
    """The strongest forger: database, key and anchor file in hand; edits entry `seq` and re-signs everything."""
    key = keys.keyring().signing
    with database.write_session() as session:
        before = session.get(AuditEntry, seq - 1)
        prev = before.hash if before is not None else audit.GENESIS
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.seq >= seq).order_by(AuditEntry.seq)))
        entries[0].actor = "mallory"
        for entry in entries:
            entry.prev_hash = prev
            entry.hash = prev = audit.entry_hash(
                seq=entry.seq, at=entry.at, actor=entry.actor, action=entry.action, entity_kind=entry.entity_kind,
                entity_id=entry.entity_id, reason=entry.reason, payload=entry.payload, prev_hash=prev)
            entry.mac = keys.entry_mac(key, entry.hash)
        head = session.get(AuditHead, 1)
        assert head is not None
        head.hash, head.mac = prev, keys.head_mac(key, head.seq, prev)
    get_settings().audit_anchor_file.unlink()
    with database.read_session() as session:
        audit.anchor_now(session)


def test_the_bulletin_prints_the_audit_head_and_verify_checks_it(database):
    published = publish(database)
    printed = payload(published.bulletin)
    seq, start = printed["audit_seq"], printed["audit_hash"]
    with database.read_session() as session:
        entry = session.get(AuditEntry, seq)
        # The publicize entry itself: the list names the audit entry of its own publication.
        assert entry is not None and (entry.action, entry.entity_id) == ("cycle.publicize", str(published.cycle_id))
        assert entry.hash.startswith(start)
        assert len(start) == 16
        pdf = notices.pdf_bytes(document=published.bulletin)
    words = "".join("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"审计日志存证：本名单编号时，系统审计日志共{seq}条，第{seq}条的哈希值以{start}开头。" in words, words

    ok = runner.invoke(app, ["audit", "verify", "--printed", f"{seq}:{start}"])
    assert ok.exit_code == 0, ok.output
    assert f"印出的审计日志头与日志一致：{seq}:{start}" in ok.output

    _rewrite_with_the_key(database, 2)
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0  # MACs and anchors were all redone
    caught = runner.invoke(app, ["audit", "verify", "--printed", f"{seq}:{start}"])
    assert caught.exit_code == 1
    assert f"审计日志第 {seq} 条的哈希与印出的 {start} 不符" in caught.output


def test_a_printed_head_beyond_the_log_means_a_deleted_tail(database):
    publish(database)
    with database.engine.begin() as conn:
        count = conn.execute(text("SELECT count(*) FROM audit_log")).scalar()
    result = runner.invoke(app, ["audit", "verify", "--printed", f"{count + 5}:{'ab' * 8}"])
    assert result.exit_code == 1 and f"印出的审计日志第 {count + 5} 条已不在日志中" in result.output


def test_a_malformed_printed_head_is_refused_with_the_expected_form(database):
    result = runner.invoke(app, ["audit", "verify", "--printed", "12:abc"])
    assert result.exit_code == 2 and "应写作 序号:哈希值开头" in result.output
