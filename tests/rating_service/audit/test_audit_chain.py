"""The audit log is hash-chained: `rating audit verify` finds the first altered or missing entry."""

from __future__ import annotations

from sqlalchemy import text
from typer.testing import CliRunner

from rating_service.audit import service as audit
from rating_service.cli import app
from tests import factories as f


def _fill(database, n: int = 6) -> None:  # type: ignore[no-untyped-def]
    with database.write_session() as session:
        for i in range(n):
            audit.record(session, "test.action", actor=f"user{i}", entity_kind="thing", entity_id=str(i),
                         reason="因为" if i % 2 else None, payload={"i": i, "名称": "测试"})


def _verify(database):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        return audit.verify(session)


def test_untouched_chain_verifies(database):
    _fill(database)
    result = _verify(database)
    assert (result.ok, result.count) == (True, 6)


def test_entries_chain_to_the_previous_hash(database):
    _fill(database, 3)
    with database.read_session() as session:
        rows = session.execute(text("SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq")).all()
    assert rows[0].prev_hash == audit.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert [r.seq for r in rows] == [1, 2, 3]


def test_altered_payload_is_reported_at_its_entry(database):
    _fill(database)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET payload = :p WHERE seq = 4"), {"p": '{"i":99}'})
    result = _verify(database)
    assert (result.ok, result.problem, result.seq) == (False, "audit_altered", 4)


def test_altered_actor_or_time_is_detected(database):
    _fill(database)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2"))
    assert (_verify(database).problem, _verify(database).seq) == ("audit_altered", 2)


def test_rehashed_entry_breaks_the_link_to_the_next(database):
    _fill(database)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET hash = :h WHERE seq = 3"), {"h": "f" * 64})
    result = _verify(database)
    assert (result.problem, result.seq) == ("audit_altered", 3)


def test_deleted_entry_is_reported_as_missing(database):
    _fill(database)
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    result = _verify(database)
    assert (result.ok, result.problem, result.seq) == (False, "audit_missing", 3)


def test_deleted_last_entries_are_reported(database):
    _fill(database)
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq >= 5"))
    result = _verify(database)
    assert (result.ok, result.problem, result.seq) == (False, "audit_head_mismatch", 5)


def test_cli_verify_reports_tampering_in_chinese_and_exits_non_zero(database):
    f.load(database, *f.REFERENCE)
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "哈希链校验通过" in ok.output and "共 3 条" in ok.output
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET payload = :p WHERE seq = 2"), {"p": "{}"})
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 1
    assert "第 2 条已被篡改" in bad.output
    bad_en = runner.invoke(app, ["audit", "verify", "--lang", "en"])
    assert "Audit entry 2 has been altered" in bad_en.output
