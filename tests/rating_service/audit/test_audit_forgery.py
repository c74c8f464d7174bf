"""Whoever can write the database cannot rewrite the audit log unnoticed: a chain recomputed after an edit fails
the entries' keyed MACs, and a deleted tail or a rolled-back head is caught by the anchors kept outside it."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from rating_service.audit import anchors, keys
from rating_service.audit import service as audit
from rating_service.audit.models import AuditEntry, AuditHead
from rating_service.cli import app
from rating_service.i18n import translate
from rating_service.settings import get_settings

runner = CliRunner()


def _fill(database, n: int = 6, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    for i in range(start, start + n):
        with database.write_session() as session:
            audit.record(session, "test.action", actor=f"user{i}", entity_kind="thing", entity_id=str(i),
                         payload={"i": i, "名称": "测试"})


def _verify(database) -> audit.VerifyResult:  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        return audit.verify(session)


def _anchor_file() -> Path:
    return get_settings().audit_anchor_file


def _head_row(database) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with database.engine.connect() as conn:
        return dict(conn.execute(text("SELECT seq, hash, key_id, mac FROM audit_head WHERE id = 1")).one()._mapping)


def _restore_head(database, row: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash, key_id = :key_id, mac = :mac"), row)


def _message(result: audit.VerifyResult, lang: str = "zh") -> str:
    return translate(result.problem or "audit_ok", lang, **(result.params or {}))  # type: ignore[arg-type]


def _recompute_chain_from(database, seq: int) -> None:  # type: ignore[no-untyped-def]
    """What a forger with database access but no key does after editing entry `seq`: plain SHA-256 all along."""
    with database.write_session() as session:
        before = session.get(AuditEntry, seq - 1)
        prev = before.hash if before is not None else audit.GENESIS
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.seq >= seq).order_by(AuditEntry.seq)):
            entry.prev_hash = prev
            entry.hash = prev = audit.entry_hash(
                seq=entry.seq, at=entry.at, actor=entry.actor, action=entry.action, entity_kind=entry.entity_kind,
                entity_id=entry.entity_id, reason=entry.reason, payload=entry.payload, prev_hash=prev)
        head = session.get(AuditHead, 1)
        assert head is not None
        head.hash = prev


def _key_id(path: Path) -> str:
    return keys.key_from_secret(path.read_bytes().strip()).key_id


@pytest.fixture
def switch_key(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Call it to configure a new audit key; it returns (the new key file, the one configured before)."""
    def switch() -> tuple[Path, Path]:
        settings = get_settings()
        previous = settings.audit_key_file
        fresh = tmp_path / "other.key"
        fresh.write_text(os.urandom(32).hex())
        fresh.chmod(0o600)
        monkeypatch.setattr(settings, "audit_key_file", fresh)
        return fresh, previous

    return switch


# -- keyed entries ------------------------------------------------------------------------------------------------

def test_every_entry_and_the_head_carry_an_hmac_of_their_hash_under_the_configured_key(database):
    _fill(database, 3)
    secret = Path(get_settings().audit_key_file).read_bytes().strip()
    key_id = hmac.new(secret, b"rating-service audit key id", hashlib.sha256).hexdigest()[:16]
    with database.engine.connect() as conn:
        rows = conn.execute(text("SELECT seq, hash, key_id, mac FROM audit_log ORDER BY seq")).all()
    assert [r.key_id for r in rows] == [key_id] * 3
    assert all(r.mac == hmac.new(secret, b"entry\n" + r.hash.encode(), hashlib.sha256).hexdigest() for r in rows)
    head = _head_row(database)
    assert head["mac"] == hmac.new(secret, f"head\n3\n{rows[-1].hash}".encode(), hashlib.sha256).hexdigest()


def test_the_key_is_not_stored_in_the_database(database):
    _fill(database, 3)
    secret = Path(get_settings().audit_key_file).read_text().strip()
    with database.engine.connect() as conn:
        stored = [str(v) for table in ("audit_log", "audit_head")
                  for row in conn.execute(text(f"SELECT * FROM {table}")) for v in row]  # noqa: S608
    assert stored and not any(secret in v or secret[:16] in v for v in stored)


def test_an_edited_entry_whose_chain_was_recomputed_fails_its_mac(database):
    _fill(database)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET payload = :p, actor = 'mallory' WHERE seq = 3"), {"p": '{"i":99}'})
    _recompute_chain_from(database, 3)
    result = _verify(database)
    assert (result.ok, result.problem, result.seq) == (False, "audit_mac_mismatch", 3)
    assert "审计日志第 3 条的密钥校验码（HMAC）不符" in _message(result)
    assert "Audit entry 3 fails its keyed MAC" in _message(result, "en")


def test_a_mac_copied_from_another_entry_does_not_pass(database):
    _fill(database)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET mac = (SELECT mac FROM audit_log WHERE seq = 2) WHERE seq = 4"))
    assert (_verify(database).problem, _verify(database).seq) == ("audit_mac_mismatch", 4)


def test_a_stripped_mac_does_not_pass(database):
    _fill(database)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET mac = '' WHERE seq = 5"))
    assert (_verify(database).problem, _verify(database).seq) == ("audit_mac_mismatch", 5)


# -- the tail and the head -----------------------------------------------------------------------------------------

def test_deleting_the_tail_and_moving_the_head_back_is_caught_by_the_anchors(database):
    _fill(database, 5)
    earlier_head = _head_row(database)  # a forger who saved the head row (its MAC is genuine)
    _fill(database, 1, start=5)
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 6"))
    _restore_head(database, earlier_head)
    result = _verify(database)
    assert (result.ok, result.problem, result.seq) == (False, "audit_tail_deleted", 6)
    assert result.params is not None and result.params["anchored"] == 6 and result.params["count"] == 5
    message = _message(result)
    assert "审计日志末尾被删除" in message and "曾有第 6 条" in message and "第 6 条起的记录缺失" in message
    assert "entries from 6 on are missing" in _message(result, "en")


def test_a_head_moved_back_by_hand_fails_its_mac_even_without_anchors(database):
    _fill(database)
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 6"))
        conn.execute(text("UPDATE audit_head SET seq = 5, hash = (SELECT hash FROM audit_log WHERE seq = 5)"))
    _anchor_file().unlink()
    result = _verify(database)
    assert (result.ok, result.problem, result.seq) == (False, "audit_head_forged", 5)


def test_a_rolled_back_head_is_reported(database):
    _fill(database, 3)
    earlier_head = _head_row(database)
    _fill(database, 3, start=3)
    _restore_head(database, earlier_head)
    result = _verify(database)
    assert (result.ok, result.problem) == (False, "audit_head_behind")
    assert "头记录指向第 3 条，而日志实有 6 条：头记录被回滚" in _message(result)


def test_a_log_rolled_back_and_continued_contradicts_its_anchors(database):
    _fill(database, 4)
    earlier_head = _head_row(database)
    _fill(database, 2, start=4)
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq > 4"))
    _restore_head(database, earlier_head)
    _fill(database, 3, start=100)  # the service appends on top of the rolled-back head: new entries 5, 6, 7
    result = _verify(database)
    assert (result.ok, result.problem, result.seq) == (False, "audit_anchor_mismatch", 5)
    assert "审计日志第 5 条与锚点文件" in _message(result) and "第 1 行" not in _message(result)


def test_deleted_head_row_is_reported(database):
    _fill(database, 2)
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_head"))
    assert _verify(database).problem == "audit_head_missing"


# -- the anchor file -----------------------------------------------------------------------------------------------

def test_each_commit_that_appended_writes_one_anchor_line_with_the_head(database):
    _fill(database, 3)
    with database.write_session() as session:
        audit.append(session, [audit.AuditDraft(action="test.batch", payload={"i": i}) for i in range(4)])
    lines = _anchor_file().read_text().splitlines()
    assert [line.split()[1] for line in lines] == ["seq=1", "seq=2", "seq=3", "seq=7"]
    result = _verify(database)
    assert (result.ok, result.count, result.anchors, result.anchored_seq) == (True, 7, 4, 7)
    assert "已核对 4 个外部锚点（最新锚定至第 7 条）" in _message(result)


def test_no_anchor_for_a_transaction_that_rolled_back(database):
    _fill(database, 1)
    with pytest.raises(RuntimeError), database.write_session() as session:
        audit.record(session, "test.action")
        raise RuntimeError("the request failed")
    with database.write_session() as session:
        session.begin_nested()
        audit.record(session, "test.action")
        session.rollback()  # the savepoint: the entry is undone, so must be its anchor
    assert len(_anchor_file().read_text().splitlines()) == 1
    assert _verify(database).ok


def test_an_anchor_that_cannot_be_written_does_not_fail_the_request(database, monkeypatch, tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(get_settings(), "audit_anchor_file", blocker / "anchors.log")  # under a file: ENOTDIR
    with caplog.at_level(logging.WARNING, logger="rating_service.audit.service"):
        _fill(database, 1)
    assert "audit anchor for entry 1 not written" in caplog.text
    with database.read_session() as session:
        assert session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1


def test_anchors_written_out_of_order_by_concurrent_processes_still_verify(database):
    _fill(database, 5)
    path = _anchor_file()
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(reversed(lines)))
    assert _verify(database).ok


def test_an_altered_anchor_line_is_named(database):
    _fill(database, 3)
    path = _anchor_file()
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("seq=2", "seq=9")
    path.write_text("".join(lines))
    result = _verify(database)
    assert (result.ok, result.problem) == (False, "audit_anchor_forged")
    assert f"锚点文件 {path} 第 2 行的校验码（HMAC）不符" in _message(result)


def test_an_anchor_line_without_its_mac_or_not_an_anchor_is_named(database):
    _fill(database, 3)
    path = _anchor_file()
    original = path.read_text()
    lines = original.splitlines(keepends=True)
    lines[2] = lines[2].split(" mac=")[0] + "\n"
    path.write_text("".join(lines))
    result = _verify(database)
    assert (result.problem, result.params and result.params["line"]) == ("audit_anchor_unsigned", 3)
    path.write_text(original + "seq=3 trust me\n")
    result = _verify(database)
    assert (result.problem, result.params and result.params["line"]) == ("audit_anchor_unreadable", 4)


def test_a_line_cut_short_by_a_crash_is_passed_over(database):
    _fill(database, 2)
    path = _anchor_file()
    with path.open("a") as handle:
        handle.write("2026-11-29T01:02:03.000000Z seq=3 hash=ab")  # a write cut short: no newline
    assert _verify(database).ok
    _fill(database, 1, start=2)  # the next anchor lands after the fragment, on the same line
    assert _verify(database).ok


def test_a_missing_anchor_file_is_reported(database):
    _fill(database, 2)
    _anchor_file().unlink()
    result = _verify(database)
    assert (result.ok, result.problem) == (False, "audit_no_anchors")
    assert "无法确认末尾未被删除" in _message(result)


def test_anchors_of_two_chains_in_one_file_are_reported(database):
    _fill(database, 2)
    path = _anchor_file()
    kept = path.read_text()
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
        conn.execute(text("DELETE FROM audit_head"))
    path.unlink()
    _fill(database, 2, start=50)
    path.write_text(kept + path.read_text())
    result = _verify(database)
    assert (result.problem, result.seq) == ("audit_anchor_mismatch", 1)
    assert "或该锚点文件属于另一个数据库" in _message(result)


def test_anchoring_can_be_throttled(database, monkeypatch):
    monkeypatch.setattr(get_settings(), "audit_anchor_seconds", 3600.0)
    monkeypatch.setattr(audit, "_last_anchor", [float("-inf")])
    _fill(database, 3)
    assert len(_anchor_file().read_text().splitlines()) == 1  # the first commit only


# -- the key -------------------------------------------------------------------------------------------------------

def test_a_wrong_key_is_reported_as_a_key_problem_not_as_altered_entries(database, switch_key):
    _fill(database, 3)
    configured, signed_with = switch_key()
    result = _verify(database)
    assert (result.ok, result.problem) == (False, "audit_wrong_key")
    message = _message(result)
    assert f"由密钥编号 {_key_id(signed_with)} 签名，而配置的审计密钥编号为 {_key_id(configured)}" in message
    assert "RATING_AUDIT_KEY_FILE" in message


def test_after_a_key_rotation_the_retired_key_still_verifies_what_it_signed(database, switch_key, monkeypatch):
    _fill(database, 3)
    _, retired = switch_key()
    monkeypatch.setattr(get_settings(), "audit_retired_key_files", [retired])
    _fill(database, 3, start=3)
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(DISTINCT key_id) FROM audit_log")).scalar() == 2
    result = _verify(database)
    assert (result.ok, result.count, result.anchors) == (True, 6, 6)
    monkeypatch.setattr(get_settings(), "audit_retired_key_files", [])
    assert _verify(database).problem == "audit_anchor_unknown_key"  # without the old key its lines fail


def test_a_development_key_file_is_created_on_first_use_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "var" / "audit.key"
    first = keys._load(None, path, (), True)
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(path.read_text().strip()) == 64
    keys._load.cache_clear()
    assert keys._load(None, path, (), True).signing.key_id == first.signing.key_id
    assert not list(path.parent.glob(".audit.key.*"))


def test_production_refuses_to_start_without_a_long_enough_audit_key(tmp_path, monkeypatch):
    from pydantic import SecretStr, ValidationError

    from rating_service.settings import Settings

    monkeypatch.delenv("RATING_AUDIT_KEY", raising=False)
    production = {"environment": "production", "secret_key": "s" * 40, "_env_file": None}
    with pytest.raises(ValidationError, match="production needs an audit key"):
        Settings(audit_key_file=tmp_path / "absent.key", **production)
    short = tmp_path / "short.key"
    short.write_text("0123456789abcdef0123456789abcde\n")  # 31 characters
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        Settings(audit_key_file=short, **production)
    with pytest.raises(ValidationError, match="in RATING_AUDIT_KEY must be at least 32 bytes"):
        Settings(audit_key=SecretStr("short"), **production)
    good = tmp_path / "good.key"
    good.write_text(os.urandom(32).hex())
    assert Settings(audit_key_file=good, **production).audit_key_file == good
    monkeypatch.setenv("RATING_AUDIT_KEY", "k" * 32)
    assert Settings(audit_key_file=tmp_path / "absent.key", **production).audit_key is not None
    assert Settings(audit_key_file=tmp_path / "absent.key", environment="development", _env_file=None)


def test_a_short_or_unreadable_key_is_refused(tmp_path):
    from rating_service.errors import Misconfigured

    short = tmp_path / "short.key"
    short.write_text("too-short")
    with pytest.raises(Misconfigured) as info:
        keys._load(None, short, (), False)
    assert "至少需要 32 字节" in info.value.message("zh")
    with pytest.raises(Misconfigured) as info:
        keys._load(None, tmp_path / "absent.key", (), False)
    assert "无法读取审计密钥文件" in info.value.message("zh")


# -- many appends, and the commands ------------------------------------------------------------------------------

def test_many_appends_in_many_and_in_one_transaction_verify(database):
    _fill(database, 200)
    with database.write_session() as session:
        audit.append(session, [audit.AuditDraft(action="record.update", payload={"i": i}) for i in range(3000)])
    result = _verify(database)
    assert (result.ok, result.count, result.anchors, result.anchored_seq) == (True, 3200, 201, 3200)


def test_cli_anchor_writes_and_prints_an_anchor_line(database):
    _fill(database, 2)
    done = runner.invoke(app, ["audit", "anchor"])
    assert done.exit_code == 0, done.output
    last = _anchor_file().read_text().splitlines()[-1]
    assert last in done.output and " seq=2 " in last
    assert "已锚定审计日志第 2 条" in done.output


def test_cli_anchor_refuses_a_forged_head(database):
    _fill(database, 2)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_head SET seq = 1, hash = (SELECT hash FROM audit_log WHERE seq = 1)"))
    before = _anchor_file().read_text()
    refused = runner.invoke(app, ["audit", "anchor"])
    assert refused.exit_code == 2 and "未通过校验，未写入锚点" in refused.output
    assert _anchor_file().read_text() == before


def test_cli_verify_names_the_deleted_tail_and_counts_the_anchors(database):
    _fill(database, 4)
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "已核对 4 个外部锚点" in ok.output
    earlier = _head_row(database)
    _fill(database, 1, start=4)
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 5"))
    _restore_head(database, earlier)
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 1 and "审计日志末尾被删除" in bad.output and "第 5 条起的记录缺失" in bad.output


def test_cli_verify_checks_an_archived_anchor_file(database, tmp_path):
    _fill(database, 3)
    archived = tmp_path / "anchors-2026.log"
    archived.write_bytes(_anchor_file().read_bytes())
    _anchor_file().unlink()
    anchors.write(_anchor_file(), anchors.make(key=keys.keyring().signing, seq=3,
                                               digest=_head_row(database)["hash"]))
    result = runner.invoke(app, ["audit", "verify", "--anchor-file", str(archived)])
    assert result.exit_code == 0 and "已核对 3 个外部锚点" in result.output


def test_every_anchor_of_a_sequence_number_must_match_not_only_the_first(database):
    _fill(database, 3)
    # An anchor from a time the log held another entry 2 (rolled back, continued, then restored from a backup).
    anchors.write(_anchor_file(), anchors.make(key=keys.keyring().signing, seq=2, digest="e" * 64))
    result = _verify(database)
    assert (result.problem, result.seq, result.params and result.params["line"]) == ("audit_anchor_mismatch", 2, 4)


def test_verify_while_entries_are_appended_reports_no_false_deletion_or_rollback(database):
    import threading

    _fill(database, 3)
    done = threading.Event()

    def writer() -> None:
        try:
            for i in range(150):
                _fill(database, 1, start=10 + i)
        finally:
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    results = []
    try:
        while not done.is_set() or not results:
            with database.snapshot_session() as session:
                results.append(audit.verify(session))
    finally:
        thread.join()
    assert len(results) >= 2
    assert [r.problem for r in results if not r.ok] == []


def test_an_unusable_anchor_file_is_a_clear_message_for_the_operator(database, monkeypatch, tmp_path):
    _fill(database, 1)
    monkeypatch.setattr(get_settings(), "audit_anchor_file", tmp_path)  # a folder: neither readable nor writable
    for command in ("anchor", "verify"):
        result = runner.invoke(app, ["audit", command])
        assert result.exit_code == 2 and f"无法读写锚点文件{tmp_path}" in "".join(result.output.split())
