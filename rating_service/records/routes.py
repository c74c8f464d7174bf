"""/api/v1/imports and /api/v1/records: upload files (same checks as the CLI), browse and delete records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse

from rating_service.errors import NotFound
from rating_service.records import repository, service
from rating_service.records.formats import KINDS
from rating_service.records.schemas import BatchOut, DeletedOut, ImportOut, RecordPageOut
from rating_service.records.service import RECORD_KIND_NAMES
from rating_service.records.uploads import read_uploads
from rating_service.web.deps import CurrentUser, OfficerUser, Offset, SessionDep, WriteSessionDep
from rating_service.web.errors import API_ERRORS

router = APIRouter(prefix="/api/v1", tags=["records / 记录"], responses=API_ERRORS,
                   default_response_class=JSONResponse)


@router.post("/imports/{kind}", response_model=ImportOut, summary="Import files of one kind (officers) / 导入数据文件")
def import_files(kind: str, principal: OfficerUser, session: WriteSessionDep,
                 files: Annotated[list[UploadFile], File(description="CSV or XLSX files")]) -> dict[str, Any]:
    record_kind = service.kind_or_raise(kind)
    summaries = service.import_files(session, kind=record_kind, files=read_uploads(files),
                                     actor=principal.username)
    return {"kind": record_kind.name, "files": [s.as_dict() for s in summaries]}


@router.get("/imports", response_model=list[BatchOut], summary="Import batches, newest first (officers) / 导入记录")
def list_imports(principal: OfficerUser, session: SessionDep, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                 offset: Offset = 0) -> list[dict[str, Any]]:
    return [{"id": b.id, "kind": b.kind, "filename": b.filename, "format": b.file_format,
             "imported_at": b.imported_at, "imported_by": b.imported_by, "rows": b.rows, "inserted": b.inserted,
             "updated": b.updated, "unchanged": b.unchanged}
            for b in repository.list_batches(session, limit=limit, offset=offset)]


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in row.items()}


@router.get("/records/{kind}", response_model=RecordPageOut,
            summary="Records of one kind, filtered and paginated / 记录查询")
def list_records(kind: str, principal: CurrentUser, session: SessionDep,
                 company: Annotated[str | None, Query(max_length=18)] = None,
                 community: Annotated[str | None, Query(max_length=64)] = None,
                 date_from: Annotated[dt.date | None, Query(alias="from")] = None,
                 date_to: Annotated[dt.date | None, Query(alias="to")] = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 offset: Offset = 0) -> dict[str, Any]:
    name = service.kind_or_raise(kind).name
    if name not in RECORD_KIND_NAMES:
        raise NotFound("not_found", what=kind)
    filters = repository.RecordFilter(kind=name, credit_code=company, community_id=community,
                                      date_from=date_from, date_to=date_to,
                                      visible_to=None if principal.is_officer else principal.credit_code)
    rows, total = repository.list_records(session, filters=filters, limit=limit, offset=offset)
    return {"kind": name, "total": total, "limit": limit, "offset": offset, "items": [_jsonable(r) for r in rows]}


@router.delete("/records/{kind}/{record_id}", response_model=DeletedOut,
               summary="Delete a record with a reason (officers) / 删除记录")
def delete_record(kind: str, record_id: str, reason: Annotated[str, Query(min_length=1, max_length=1000)],
                  principal: OfficerUser, session: WriteSessionDep) -> dict[str, Any]:
    deleted = service.delete_records(session, kind=KINDS[service.kind_or_raise(kind).name], record_ids=[record_id],
                                     actor=principal.username, reason=reason)
    return {"deleted": deleted}
