"""Revision 0008 keys the entries written before it, so that stripping MACs cannot pass for "an old entry"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from rating_service import migrate
from rating_service.audit import service as audit
from rating_service.settings import get_settings


@pytest.fixture
def at_0007(database) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The database at revision 0007 (before keying); back at head afterwards whatever happens."""
    migrate.downgrade(database, "0007")
    try:
        yield database
    finally:
        if migrate.current(database) != migrate.heads()[0]:
            migrate.upgrade(database)


def _old_style_entries(database, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Entries as the service wrote them before 0008: hash-chained, no key id, no MAC."""
    prev, hashes = audit.GENESIS, []
    at = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    with database.engine.begin() as conn:
        for seq in range(1, n + 1):
            payload = audit.canonical_json({"seq": seq})
            digest = audit.entry_hash(seq=seq, at=at, actor="officer", action="old.action", entity_kind=None,
                                      entity_id=None, reason=None, payload=payload, prev_hash=prev)
            conn.execute(text("INSERT INTO audit_log (seq, at, actor, action, payload, prev_hash, hash) "
                              "VALUES (:seq, :at, 'officer', 'old.action', :payload, :prev, :hash)"),
                         {"seq": seq, "at": at, "payload": payload, "prev": prev, "hash": digest})
            prev = digest
            hashes.append(digest)
        conn.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, :seq, :hash)"), {"seq": n, "hash": prev})
    return hashes


def test_entries_from_before_the_migration_are_keyed_anchored_and_verify(at_0007):
    database = at_0007
    hashes = _old_style_entries(database, 1200)
    anchor_file = get_settings().audit_anchor_file
    assert not anchor_file.exists()
    migrate.upgrade(database)
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE mac IS NULL OR key_id IS NULL")).scalar() == 0
    assert f" seq=1200 hash={hashes[-1]} " in anchor_file.read_text()
    with database.write_session() as session:
        audit.record(session, "after.migration")
    with database.read_session() as session:
        result = audit.verify(session)
    assert (result.ok, result.count, result.anchors, result.anchored_seq) == (True, 1201, 2, 1201)


def test_after_the_migration_an_entry_without_a_mac_does_not_verify(at_0007):
    database = at_0007
    _old_style_entries(database, 5)
    migrate.upgrade(database)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET mac = '', key_id = '' WHERE seq = 2"))
    with database.read_session() as session:
        result = audit.verify(session)
    assert (result.ok, result.seq) == (False, 2)
    with pytest.raises(Exception, match="(?i)null"), database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET mac = NULL WHERE seq = 3"))


def test_an_entry_altered_before_the_migration_stays_detectable(at_0007):
    database = at_0007
    _old_style_entries(database, 5)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4"))
    migrate.upgrade(database)
    with database.read_session() as session:
        result = audit.verify(session)
    assert (result.problem, result.seq) == ("audit_altered", 4)


def test_a_new_database_migrates_without_a_key(tmp_path, monkeypatch):
    from rating_service.db import Database
    from rating_service.settings import Settings

    monkeypatch.setattr(get_settings(), "audit_key_file", tmp_path / "never-created.key")
    fresh = Database(Settings(database_url=f"sqlite:///{tmp_path / 'fresh.db'}", environment="test"))
    migrate.upgrade(fresh)
    fresh.dispose()
    assert not (tmp_path / "never-created.key").exists()
