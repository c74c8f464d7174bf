"""Append to and verify the hash-chained audit log. Callers own the transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rating_service.audit import repository

GENESIS = "0" * 64
SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class AuditDraft:
    action: str
    actor: str = SYSTEM_ACTOR
    entity_kind: str | None = None
    entity_id: str | None = None
    reason: str | None = None
    payload: dict[str, Any] | None = None


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    problem: str | None = None  # message key: audit_altered, audit_missing, audit_broken_link, ...
    seq: int | None = None
    params: dict[str, Any] | None = None


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _canonical_time(at: dt.datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def entry_hash(*, seq: int, at: dt.datetime, actor: str, action: str, entity_kind: str | None,
               entity_id: str | None, reason: str | None, payload: str, prev_hash: str) -> str:
    body = canonical_json([seq, _canonical_time(at), actor, action, entity_kind, entity_id, reason, payload,
                           prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(session: Session, drafts: list[AuditDraft], *, at: dt.datetime | None = None) -> list[int]:
    """Append entries in order, chained to the current head; returns their sequence numbers."""
    if not drafts:
        return []
    at = at or dt.datetime.now(dt.UTC)
    head = repository.lock_head(session, genesis=GENESIS)
    seq, prev = head.seq, head.hash
    rows: list[dict[str, Any]] = []
    for draft in drafts:
        seq += 1
        payload = canonical_json(draft.payload or {})
        digest = entry_hash(seq=seq, at=at, actor=draft.actor, action=draft.action,
                            entity_kind=draft.entity_kind, entity_id=draft.entity_id, reason=draft.reason,
                            payload=payload, prev_hash=prev)
        rows.append({
            "seq": seq, "at": at, "actor": draft.actor, "action": draft.action,
            "entity_kind": draft.entity_kind, "entity_id": draft.entity_id, "reason": draft.reason,
            "payload": payload, "prev_hash": prev, "hash": digest,
        })
        prev = digest
    repository.insert_entries(session, rows)
    repository.move_head(session, seq=seq, digest=prev)
    session.expire(head)
    return [int(r["seq"]) for r in rows]


def lock_changes(session: Session) -> None:
    """Serialise change-sets and snapshot reads on the audit head (imports, deletions, cycle snapshots)."""
    repository.lock_head(session, genesis=GENESIS)


def search(session: Session, *, filters: repository.AuditFilter, limit: int = 50,
           offset: int = 0) -> tuple[list[Any], int]:
    """Entries matching the filters, newest first, and how many match in all."""
    return repository.search(session, filters=filters, limit=limit, offset=offset)


def record(session: Session, action: str, **kwargs: Any) -> int:
    return append(session, [AuditDraft(action=action, **kwargs)])[0]


def verify(session: Session) -> VerifyResult:
    """Walk the chain from the start; report the first altered, missing or unlinked entry."""
    expected_seq, prev, count = 1, GENESIS, 0
    for entry in repository.entries_in_order(session):
        if entry.seq != expected_seq:
            return VerifyResult(False, count, "audit_missing", expected_seq, {"seq": expected_seq})
        if entry.prev_hash != prev:
            return VerifyResult(False, count, "audit_broken_link", entry.seq, {"seq": entry.seq})
        digest = entry_hash(seq=entry.seq, at=entry.at, actor=entry.actor, action=entry.action,
                            entity_kind=entry.entity_kind, entity_id=entry.entity_id, reason=entry.reason,
                            payload=entry.payload, prev_hash=entry.prev_hash)
        if digest != entry.hash:
            return VerifyResult(False, count, "audit_altered", entry.seq, {"seq": entry.seq})
        prev, expected_seq, count = entry.hash, expected_seq + 1, count + 1
    head = repository.head(session)
    if head is not None and (head.seq != count or head.hash != prev):
        return VerifyResult(False, count, "audit_head_mismatch", count + 1,
                            {"expected": head.seq, "found": count, "seq": count + 1})
    return VerifyResult(True, count, None, None, {"count": count})
