"""/api/v1/audit: the audit log, filtered (admins)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from rating_service.audit import service
from rating_service.audit.schemas import AuditPageOut
from rating_service.audit.service import audit_filter
from rating_service.web.deps import AdminUser, Offset, SessionDep
from rating_service.web.errors import API_ERRORS

router = APIRouter(prefix="/api/v1", tags=["audit / 审计日志"], responses=API_ERRORS,
                   default_response_class=JSONResponse)


@router.get("/audit", response_model=AuditPageOut, summary="Audit log entries, newest first (admins) / 审计日志")
def list_audit(principal: AdminUser, session: SessionDep,
               actor: Annotated[str | None, Query(max_length=100)] = None,
               action: Annotated[str | None, Query(max_length=64)] = None,
               entity_kind: Annotated[str | None, Query(max_length=64)] = None,
               entity_id: Annotated[str | None, Query(max_length=200)] = None,
               since: dt.date | None = None, until: dt.date | None = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               offset: Offset = 0) -> dict[str, Any]:
    entries, total = service.search(session, filters=audit_filter(actor, action, entity_kind, entity_id, since, until),
                                    limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [
        {"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "entity_kind": e.entity_kind,
         "entity_id": e.entity_id, "reason": e.reason, "payload": json.loads(e.payload)} for e in entries]}
