"""Queries about companies, communities and contracts for the pages and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from rating_service.companies.models import Community, Company, Contract
from rating_service.records.models import (
    Commendation,
    Complaint,
    FeeViolation,
    ImportBatch,
    Inspection,
    MajorEvent,
)

RECORD_MODELS = {
    "inspections": Inspection,
    "complaints": Complaint,
    "fee_violations": FeeViolation,
    "commendations": Commendation,
    "major_events": MajorEvent,
}


@dataclass(frozen=True)
class CompanyRow:
    credit_code: str
    name: str
    legal_representative: str | None
    communities: int
    households: int


@dataclass(frozen=True)
class CommunityRow:
    community_id: str
    name: str
    neighborhood: str | None
    households: int
    manager_code: str | None
    manager_name: str | None


def _current(on: dt.date):  # type: ignore[no-untyped-def]
    return and_(Contract.start_date <= on, or_(Contract.end_date.is_(None), Contract.end_date >= on))


def list_companies(session: Session, *, on: dt.date) -> list[CompanyRow]:
    managed = (
        select(Contract.credit_code, func.count(Community.community_id).label("n"),
               func.coalesce(func.sum(Community.households), 0).label("hh"))
        .join(Community, Community.community_id == Contract.community_id)
        .where(_current(on))
        .group_by(Contract.credit_code)
        .subquery()
    )
    stmt = (
        select(Company.credit_code, Company.name, Company.legal_representative,
               func.coalesce(managed.c.n, 0), func.coalesce(managed.c.hh, 0))
        .outerjoin(managed, managed.c.credit_code == Company.credit_code)
        .order_by(Company.name, Company.credit_code)
    )
    return [CompanyRow(*row) for row in session.execute(stmt)]


def list_communities(session: Session, *, on: dt.date) -> list[CommunityRow]:
    current = select(Contract.community_id, Contract.credit_code).where(_current(on)).subquery()
    stmt = (
        select(Community.community_id, Community.name, Community.neighborhood, Community.households,
               current.c.credit_code, Company.name)
        .outerjoin(current, current.c.community_id == Community.community_id)
        .outerjoin(Company, Company.credit_code == current.c.credit_code)
        .order_by(Community.community_id)
    )
    return [CommunityRow(*row) for row in session.execute(stmt)]


def record_counts(session: Session) -> dict[str, int]:
    counts = {
        "companies": session.execute(select(func.count()).select_from(Company)).scalar_one(),
        "communities": session.execute(select(func.count()).select_from(Community)).scalar_one(),
        "contracts": session.execute(select(func.count()).select_from(Contract)).scalar_one(),
    }
    for name, model in RECORD_MODELS.items():
        counts[name] = session.execute(select(func.count()).select_from(model)).scalar_one()
    return counts


def last_import(session: Session) -> ImportBatch | None:
    return session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(1)).first()
