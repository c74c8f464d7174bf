"""Every query on the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from rating_service.accounts.models import User
from rating_service.appeals.models import Appeal
from rating_service.audit.models import AuditEntry, AuditHead
from rating_service.companies.models import Company
from rating_service.cycles.models import Cycle
from rating_service.methodologies.models import MethodologyVersion
from rating_service.notices.models import Document
from rating_service.records.models import ImportBatch


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
    action: str | None = None  # exact; or a prefix ending in ".": "cycle." matches every cycle action
    entity_kind: str | None = None
    entity_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def _filtered(filters: AuditFilter) -> Any:
    query = select(AuditEntry)
    if filters.actor:
        query = query.where(AuditEntry.actor == filters.actor)
    if filters.action and filters.action.endswith("."):
        query = query.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    elif filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.entity_kind:
        query = query.where(AuditEntry.entity_kind == filters.entity_kind)
    if filters.entity_id:
        query = query.where(AuditEntry.entity_id == filters.entity_id)
    if filters.since:
        query = query.where(AuditEntry.at >= filters.since)
    if filters.until:
        query = query.where(AuditEntry.at < filters.until)
    return query


def search(session: Session, *, filters: AuditFilter, limit: int, offset: int) -> tuple[list[AuditEntry], int]:
    query = _filtered(filters)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.scalars(query.order_by(AuditEntry.seq.desc()).limit(limit).offset(offset)).all()
    return list(rows), int(total)


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def count(session: Session, *, filters: AuditFilter) -> int:
    return int(session.execute(select(func.count()).select_from(_filtered(filters).subquery())).scalar_one())


def matching(session: Session, *, filters: AuditFilter, limit: int) -> list[AuditEntry]:
    """The entries matching the filters, newest first, at most `limit` (an export)."""
    return list(session.scalars(_filtered(filters).order_by(AuditEntry.seq.desc()).limit(limit)))


# -- the names an audit entry refers to (one query per kind for a whole page; the ids are a page's worth) -----

def _ints(ids: set[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit() and len(i) <= 18]


def cycle_names(session: Session, ids: set[str]) -> dict[str, str]:
    wanted = _ints(ids)
    if not wanted:
        return {}
    return {str(i): name for i, name in session.execute(select(Cycle.id, Cycle.name).where(Cycle.id.in_(wanted)))}


def document_numbers(session: Session, ids: set[str]) -> dict[str, tuple[str, str]]:
    wanted = _ints(ids)
    if not wanted:
        return {}
    rows = session.execute(select(Document.id, Document.doc_number, Document.kind).where(Document.id.in_(wanted)))
    return {str(i): (number, kind) for i, number, kind in rows}


def batch_files(session: Session, ids: set[str]) -> dict[str, tuple[str, str]]:
    wanted = _ints(ids)
    if not wanted:
        return {}
    rows = session.execute(select(ImportBatch.id, ImportBatch.filename, ImportBatch.kind)
                           .where(ImportBatch.id.in_(wanted)))
    return {str(i): (filename, kind) for i, filename, kind in rows}


def appeal_companies(session: Session, ids: set[str]) -> dict[str, str | None]:
    wanted = _ints(ids)
    if not wanted:
        return {}
    rows = session.execute(select(Appeal.id, Company.name).outerjoin(Company, Company.credit_code == Appeal.credit_code)
                           .where(Appeal.id.in_(wanted)))
    return {str(i): name for i, name in rows}


def company_names(session: Session, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = session.execute(select(Company.credit_code, Company.name).where(Company.credit_code.in_(sorted(codes))))
    return {row[0]: row[1] for row in rows}


def methodology_titles(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.execute(select(MethodologyVersion.id, MethodologyVersion.title)
                           .where(MethodologyVersion.id.in_(sorted(ids))))
    return {row[0]: row[1] for row in rows}


def user_roles(session: Session, usernames: set[str]) -> dict[str, str]:
    if not usernames:
        return {}
    rows = session.execute(select(User.username, User.role).where(User.username.in_(sorted(usernames))))
    return {row[0]: row[1] for row in rows}
