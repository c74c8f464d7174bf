"""The dashboard's queries: what waits for an officer (pending appeals, cycles, imports that left records
unattributed) and where each company's latest rating is. Read-only, across the rooms' tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from rating_service.appeals.models import Appeal
from rating_service.companies.models import Company, Contract
from rating_service.cycles.models import Cycle, Rating
from rating_service.records.models import Complaint, ImportBatch, Inspection


def pending_appeals(session: Session, *, limit: int) -> list[tuple[Appeal, str, str | None]]:
    """Undecided appeals, the earliest decision due first: (appeal, cycle name, company name)."""
    query = (select(Appeal, Cycle.name, Company.name)
             .join(Cycle, Cycle.id == Appeal.cycle_id)
             .outerjoin(Company, Company.credit_code == Appeal.credit_code)
             .where(Appeal.status == "pending")
             .order_by(Appeal.due_on, Appeal.id)
             .limit(limit))
    return [(a, cycle_name, company) for a, cycle_name, company in session.execute(query)]


def pending_appeal_count(session: Session) -> int:
    query = select(func.count()).select_from(Appeal).where(Appeal.status == "pending")
    return int(session.execute(query).scalar_one())


def open_cycles(session: Session) -> list[Cycle]:
    """Cycles not yet final, newest period first."""
    query = (select(Cycle).where(Cycle.status.in_(("draft", "computed", "publicized")))
             .order_by(Cycle.period_end.desc(), Cycle.id.desc()))
    return list(session.scalars(query))


def pending_by_cycle(session: Session, cycle_ids: Sequence[int]) -> dict[int, int]:
    if not cycle_ids:
        return {}
    query = (select(Appeal.cycle_id, func.count()).where(Appeal.status == "pending", Appeal.cycle_id.in_(cycle_ids))
             .group_by(Appeal.cycle_id))
    return {cycle_id: int(n) for cycle_id, n in session.execute(query)}


# Records that may name no company and are then attributed through the contract of their community on their date
# (the engine's rule, scoring/engine.py `_attribute`): the kind, its model and the date column.
ATTRIBUTED_BY_CONTRACT: tuple[tuple[str, Any, Any], ...] = (
    ("inspections", Inspection, Inspection.inspected_on),
    ("complaints", Complaint, Complaint.received_on),
)


def unattributed_by_batch(session: Session) -> list[tuple[ImportBatch, int]]:
    """Import batches whose records name no company and fall on a day no contract covers their community:
    (batch, number of such records), the latest batch first."""
    counts: dict[int, int] = {}
    for _kind, model, day in ATTRIBUTED_BY_CONTRACT:
        covered = exists().where(Contract.community_id == model.community_id, Contract.start_date <= day,
                                 or_(Contract.end_date.is_(None), Contract.end_date >= day))
        query = (select(model.batch_id, func.count())
                 .where(and_(model.credit_code.is_(None), model.batch_id.is_not(None), ~covered))
                 .group_by(model.batch_id))
        for batch_id, n in session.execute(query):
            counts[batch_id] = counts.get(batch_id, 0) + int(n)
    if not counts:
        return []
    batches = session.scalars(select(ImportBatch).where(ImportBatch.id.in_(list(counts)))
                              .order_by(ImportBatch.id.desc()))
    return [(batch, counts[batch.id]) for batch in batches]


def latest_rated_cycles(session: Session, codes: Sequence[str]) -> dict[str, int]:
    """Each company's latest computed cycle it is rated in (by cycle id), for the given credit codes."""
    if not codes:
        return {}
    query = (select(Rating.credit_code, func.max(Rating.cycle_id))
             .where(Rating.credit_code.in_(list(codes))).group_by(Rating.credit_code))
    return {code: int(cycle_id) for code, cycle_id in session.execute(query)}

