"""Every query on the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from rating_service.audit.models import AuditEntry, AuditHead


def lock_head(session: Session, *, genesis: str) -> AuditHead:
    """The head row, locked for this transaction (created on first use)."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=genesis)
        session.add(head)
        session.flush()
    return head


def insert_entries(session: Session, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 5000):
        session.execute(insert(AuditEntry), rows[start:start + 5000])


def move_head(session: Session, *, seq: int, digest: str) -> None:
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=digest))


def entries_in_order(session: Session) -> Iterator[AuditEntry]:
    yield from session.scalars(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000))


def head(session: Session) -> AuditHead | None:
    return session.get(AuditHead, 1)
