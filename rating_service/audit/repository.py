"""Every query on the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from rating_service.audit.models import AuditEntry, AuditHead


def lock_head(session: Session) -> AuditHead | None:
    """The head row, locked for this transaction (None before the first append)."""
    return session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()


def create_head(session: Session, *, seq: int, digest: str, key_id: str, mac: str) -> AuditHead:
    head = AuditHead(id=1, seq=seq, hash=digest, key_id=key_id, mac=mac)
    session.add(head)
    session.flush()
    return head


def insert_entries(session: Session, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 5000):
        session.execute(insert(AuditEntry), rows[start:start + 5000])


def move_head(session: Session, *, seq: int, digest: str, key_id: str, mac: str) -> None:
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=digest, key_id=key_id, mac=mac))


def entries_in_order(session: Session) -> Iterator[AuditEntry]:
    yield from session.scalars(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000))


def head(session: Session) -> AuditHead | None:
    return session.get(AuditHead, 1)


def entry(session: Session, *, seq: int) -> AuditEntry | None:
    return session.get(AuditEntry, seq)


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None  # a prefix: "cycle." matches every cycle action
    entity_kind: str | None = None
    entity_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def search(session: Session, *, filters: AuditFilter, limit: int, offset: int) -> tuple[list[AuditEntry], int]:
    query = select(AuditEntry)
    if filters.actor:
        query = query.where(AuditEntry.actor == filters.actor)
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.entity_kind:
        query = query.where(AuditEntry.entity_kind == filters.entity_kind)
    if filters.entity_id:
        query = query.where(AuditEntry.entity_id == filters.entity_id)
    if filters.since:
        query = query.where(AuditEntry.at >= filters.since)
    if filters.until:
        query = query.where(AuditEntry.at < filters.until)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset)).all()
    return list(rows), int(total)


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
