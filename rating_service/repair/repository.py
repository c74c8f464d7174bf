"""Every query of repair requests, their items, attachments and breaches."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rating_service.notices.models import Document
from rating_service.repair.models import CommitmentBreach, RepairItem, RepairRequest


def repaired(session: Session, *, cycle_id: int | None = None, credit_code: str | None = None,
             on: dt.date | None = None) -> list[tuple[RepairRequest, str | None]]:
    """Repaired requests (of a cycle, of a company), with their decision's document number; ``on``: only those
    whose effect has started by that day. Oldest repair first."""
    query = (select(RepairRequest, Document.doc_number)
             .outerjoin(Document, Document.id == RepairRequest.decision_document_id)
             .where(RepairRequest.status == "repaired"))
    if cycle_id is not None:
        query = query.where(RepairRequest.cycle_id == cycle_id)
    if credit_code is not None:
        query = query.where(RepairRequest.credit_code == credit_code)
    if on is not None:
        query = query.where(RepairRequest.repaired_on <= on)
    query = query.order_by(RepairRequest.repaired_on, RepairRequest.id)
    return [(row[0], row[1]) for row in session.execute(query)]


def items_of(session: Session, request_ids: list[int]) -> dict[int, list[RepairItem]]:
    """The records of each request, by request id."""
    out: dict[int, list[RepairItem]] = {i: [] for i in request_ids}
    if not request_ids:
        return out
    for item in session.scalars(select(RepairItem).where(RepairItem.request_id.in_(request_ids))
                                .order_by(RepairItem.id)):
        out[item.request_id].append(item)
    return out


def confirmed_breaches(session: Session, request_ids: list[int]) -> dict[int, CommitmentBreach]:
    """The first confirmed breach of each request that has one."""
    out: dict[int, CommitmentBreach] = {}
    if not request_ids:
        return out
    query = (select(CommitmentBreach).where(CommitmentBreach.request_id.in_(request_ids),
                                            CommitmentBreach.status == "confirmed")
             .order_by(CommitmentBreach.decided_on, CommitmentBreach.id))
    for breach in session.scalars(query):
        out.setdefault(breach.request_id, breach)
    return out


def repaired_records(session: Session, *, decided_by: dt.datetime) -> dict[str, set[str]]:
    """kind -> record ids of the records covered by requests repaired at or before ``decided_by`` (for a
    methodology that leaves repaired records out of later cycles)."""
    query = (select(RepairItem.kind, RepairItem.record_id)
             .join(RepairRequest, RepairRequest.id == RepairItem.request_id)
             .where(RepairRequest.status == "repaired", RepairRequest.decided_at <= decided_by))
    out: dict[str, set[str]] = {}
    for kind, record_id in session.execute(query):
        out.setdefault(kind, set()).add(record_id)
    return out
