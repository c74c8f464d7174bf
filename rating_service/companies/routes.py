"""/api/v1/companies and /api/v1/communities (paginated; a company sees only itself)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from rating_service import clock
from rating_service.companies import repository
from rating_service.companies.schemas import CommunityPageOut, CompanyOut, CompanyPageOut
from rating_service.errors import NotFound
from rating_service.web.deps import CurrentUser, OfficerUser, Offset, SessionDep
from rating_service.web.errors import API_ERRORS

router = APIRouter(prefix="/api/v1", tags=["companies / 企业与小区"], responses=API_ERRORS,
                   default_response_class=JSONResponse)
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/companies", response_model=CompanyPageOut, summary="Companies with what they manage today / 企业列表")
def list_companies(principal: CurrentUser, session: SessionDep, q: Annotated[str | None, Query(max_length=100)] = None,
                   limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    codes = None if principal.is_officer else [principal.credit_code or ""]
    rows = repository.list_companies(session, on=clock.local_today(), codes=codes, q=q, limit=limit, offset=offset)
    return {"total": repository.count_companies(session, codes=codes, q=q), "limit": limit, "offset": offset,
            "items": [asdict(r) for r in rows]}


@router.get("/companies/{credit_code}", response_model=CompanyOut, summary="One company / 企业详情")
def get_company(credit_code: str, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    if not principal.is_officer and principal.credit_code != credit_code:
        raise NotFound("company_not_found", code=credit_code)
    rows = repository.list_companies(session, on=clock.local_today(), codes=[credit_code], limit=1)
    if not rows:
        raise NotFound("company_not_found", code=credit_code)
    return asdict(rows[0])


@router.get("/communities", response_model=CommunityPageOut,
            summary="Communities with today's manager (officers) / 小区列表")
def list_communities(principal: OfficerUser, session: SessionDep,
                     q: Annotated[str | None, Query(max_length=100)] = None,
                     limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    rows = repository.list_communities(session, on=clock.local_today(), q=q, limit=limit, offset=offset)
    return {"total": repository.count_communities(session, q=q), "limit": limit, "offset": offset,
            "items": [asdict(r) for r in rows]}
