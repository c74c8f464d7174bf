"""Validation, what-if and methodology versions over HTTP (officers; adopting: administrators)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from rating_service import clock
from rating_service.methodologies import service as methodologies
from rating_service.validation import service
from rating_service.validation.schemas import AdoptIn, MethodologyListingOut, ValidationOut, WhatIfIn, WhatIfOut
from rating_service.web.deps import AdminUser, OfficerUser, QueryId, SessionDep, WriteSessionDep
from rating_service.web.errors import API_ERRORS
from scoring.methodology import Methodology

router = APIRouter(prefix="/api/v1", tags=["validation / 评价细则验证"], responses=API_ERRORS,
                   default_response_class=JSONResponse)


def _listing(m: Methodology, adopted: dict[str, Any]) -> dict[str, Any]:
    row = adopted.get(m.id)
    return {"id": m.id, "title": m.title, "effective_from": m.effective_from.isoformat(),
            "effective_to": m.effective_to.isoformat() if m.effective_to else None,
            "source": "adopted" if row else "shipped",
            "adopted_by": row.adopted_by if row else None, "reason": row.reason if row else None,
            "sha256": row.sha256 if row else None}


@router.get("/validation", response_model=ValidationOut,
            summary="Back-test, migration, PSI, sensitivity, advisory weights / 评价细则验证")
def validation(principal: OfficerUser, session: SessionDep, cycle: QueryId, next: QueryId,  # noqa: A002
               bootstrap: Annotated[int, Query(ge=10, le=5000)] = 500,
               draws: Annotated[int, Query(ge=1, le=2000)] = 200,
               seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0) -> dict[str, Any]:
    return service.validate(session=session, cycle_id=cycle, next_id=next, bootstrap=bootstrap, draws=draws,
                            seed=seed).as_dict()


@router.get("/methodologies", response_model=list[MethodologyListingOut],
            summary="Methodology versions, shipped and adopted / 评价细则版本")
def list_methodologies(principal: OfficerUser, session: SessionDep) -> list[dict[str, Any]]:
    adopted = methodologies.adopted_rows(session)
    return [_listing(m, adopted) for m in methodologies.all_versions(session)]


@router.post("/methodologies/what-if", response_model=WhatIfOut,
             summary="A draft methodology on a rated cycle / 修订模拟")
def what_if(body: WhatIfIn, principal: OfficerUser, session: SessionDep) -> dict[str, Any]:
    return service.what_if(session=session, cycle_id=body.cycle_id, draft=body.parsed()).as_dict()


@router.post("/methodologies", status_code=201, response_model=MethodologyListingOut,
             summary="Adopt a methodology version (admins) / 采用新版本")
def adopt(body: AdoptIn, principal: AdminUser, session: WriteSessionDep) -> dict[str, Any]:
    row = methodologies.adopt(session=session, draft=body.parsed(), actor=principal.username, reason=body.reason,
                              based_on=body.based_on, today=clock.local_today())
    return _listing(methodologies.find(session, row.id), {row.id: row})
