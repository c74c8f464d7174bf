"""Every query of repair requests, their items, attachments and breaches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from rating_service.companies.models import Company
from rating_service.cycles.models import Cycle
from rating_service.notices.models import Document
from rating_service.records.models import FeeViolation, MajorEvent
from rating_service.repair.models import CommitmentBreach, RepairAttachment, RepairItem, RepairRequest


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


# -- requests ----------------------------------------------------------------------------------------------------

def request(session: Session, request_id: int, *, for_update: bool = False) -> RepairRequest | None:
    query = select(RepairRequest).where(RepairRequest.id == request_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).first()


def requests_of(session: Session, *, credit_code: str | None = None, cycle_id: int | None = None,
                statuses: Sequence[str] | None = None, limit: int | None = None) -> list[RepairRequest]:
    """Requests (of a company, of a cycle, in some statuses), newest first."""
    query = select(RepairRequest)
    if credit_code is not None:
        query = query.where(RepairRequest.credit_code == credit_code)
    if cycle_id is not None:
        query = query.where(RepairRequest.cycle_id == cycle_id)
    if statuses is not None:
        query = query.where(RepairRequest.status.in_(list(statuses)))
    query = query.order_by(RepairRequest.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def attachments_of(session: Session, request_id: int) -> list[RepairAttachment]:
    return list(session.scalars(select(RepairAttachment).where(RepairAttachment.request_id == request_id)
                                .order_by(RepairAttachment.id)))


def attachment(session: Session, attachment_id: int) -> RepairAttachment | None:
    return session.get(RepairAttachment, attachment_id)


def company_names(session: Session, codes: Collection[str]) -> dict[str, str]:
    """credit code -> the company's registered name (as imported now)."""
    if not codes:
        return {}
    rows = session.execute(select(Company.credit_code, Company.name).where(Company.credit_code.in_(list(codes))))
    return {str(code): str(name) for code, name in rows.tuples()}


def cycle_names(session: Session, ids: Collection[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Cycle.id, Cycle.name).where(Cycle.id.in_(list(ids))))
    return {int(i): str(n) for i, n in rows.tuples()}


# -- the company's records as they are now (not a cycle's snapshot) -------------------------------------------------

def adverse_records(session: Session, *, credit_code: str, after: dt.date, until: dt.date
                    ) -> list[tuple[str, str, str | None, dt.date, str | None]]:
    """(kind, record id, type, date, document number) of the company's fee violations and major events dated
    after ``after`` and up to ``until``, as the records tables hold them now."""
    out: list[tuple[str, str, str | None, dt.date, str | None]] = []
    fees = select(FeeViolation.record_id, FeeViolation.violation_type, FeeViolation.decided_on,
                  FeeViolation.document_no).where(FeeViolation.credit_code == credit_code,
                                                   FeeViolation.decided_on > after, FeeViolation.decided_on <= until)
    out += [("fee_violations", r, t, d, n) for r, t, d, n in session.execute(fees)]
    events = select(MajorEvent.record_id, MajorEvent.kind, MajorEvent.occurred_on,
                    MajorEvent.document_no).where(MajorEvent.credit_code == credit_code,
                                                  MajorEvent.occurred_on > after, MajorEvent.occurred_on <= until)
    out += [("major_events", r, t, d, n) for r, t, d, n in session.execute(events)]
    out.sort(key=lambda row: (row[3], row[0], row[1]))
    return out


# -- breaches ------------------------------------------------------------------------------------------------------

def breach(session: Session, breach_id: int, *, for_update: bool = False) -> CommitmentBreach | None:
    query = select(CommitmentBreach).where(CommitmentBreach.id == breach_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).first()


def breach_keys(session: Session, request_ids: list[int]) -> set[tuple[int, str, str]]:
    """(request id, kind, record id) of every breach already found for these requests (whatever its status)."""
    if not request_ids:
        return set()
    rows = session.execute(select(CommitmentBreach.request_id, CommitmentBreach.kind, CommitmentBreach.record_id)
                           .where(CommitmentBreach.request_id.in_(request_ids)))
    return {(i, k, r) for i, k, r in rows}


def breaches(session: Session, *, status: str | None = None, credit_code: str | None = None,
             limit: int = 500) -> list[CommitmentBreach]:
    """Breaches, newest found first."""
    query = select(CommitmentBreach)
    if status is not None:
        query = query.where(CommitmentBreach.status == status)
    if credit_code is not None:
        query = query.where(CommitmentBreach.credit_code == credit_code)
    return list(session.scalars(query.order_by(CommitmentBreach.detected_at.desc(), CommitmentBreach.id.desc())
                                .limit(limit)))
