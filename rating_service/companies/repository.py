"""Queries about companies, communities and contracts for the pages and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from rating_service.companies.models import Community, Company, Contract
from rating_service.records.models import ImportBatch
from rating_service.records.repository import RECORD_MODELS


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


def _current(on: dt.date) -> ColumnElement[bool]:
    return and_(Contract.start_date <= on, or_(Contract.end_date.is_(None), Contract.end_date >= on))


def list_companies(session: Session, *, on: dt.date, codes: list[str] | None = None, q: str | None = None,
                   limit: int | None = None, offset: int = 0) -> list[CompanyRow]:
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
        .offset(offset)
    )
    stmt = _company_filter(stmt, codes=codes, q=q)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [CompanyRow(*row) for row in session.execute(stmt)]


def count_companies(session: Session, *, codes: list[str] | None = None, q: str | None = None) -> int:
    stmt = _company_filter(select(func.count()).select_from(Company), codes=codes, q=q)
    return int(session.execute(stmt).scalar_one())


def _company_filter(stmt: Any, *, codes: list[str] | None, q: str | None) -> Any:
    if codes is not None:
        stmt = stmt.where(Company.credit_code.in_(codes))
    if q:
        stmt = stmt.where(or_(Company.name.contains(q, autoescape=True),
                              Company.credit_code.startswith(q, autoescape=True)))
    return stmt


def list_communities(session: Session, *, on: dt.date, q: str | None = None, limit: int | None = None,
                     offset: int = 0) -> list[CommunityRow]:
    current = select(Contract.community_id, Contract.credit_code).where(_current(on)).subquery()
    stmt = (
        select(Community.community_id, Community.name, Community.neighborhood, Community.households,
               current.c.credit_code, Company.name)
        .outerjoin(current, current.c.community_id == Community.community_id)
        .outerjoin(Company, Company.credit_code == current.c.credit_code)
        .order_by(Community.community_id)
        .offset(offset)
    )
    if q:
        stmt = stmt.where(or_(Community.name.contains(q, autoescape=True), Community.community_id == q))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [CommunityRow(*row) for row in session.execute(stmt)]


def count_communities(session: Session, *, q: str | None = None) -> int:
    stmt = select(func.count()).select_from(Community)
    if q:
        stmt = stmt.where(or_(Community.name.contains(q, autoescape=True), Community.community_id == q))
    return int(session.execute(stmt).scalar_one())


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


def company_exists(session: Session, credit_code: str) -> bool:
    return session.get(Company, credit_code) is not None


