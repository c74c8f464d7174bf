"""/api/v1 appeals: a company files (multipart, with attachments); officers and the filing company read them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse, Response

from rating_service.appeals import decisions, repository, service
from rating_service.appeals.schemas import (
    AppealListOut,
    AppealOut,
    AppealStatisticsOut,
    CountedRecordsOut,
    DecisionIn,
)
from rating_service.appeals.uploads import read_attachments
from rating_service.cycles import standing
from rating_service.cycles.service import visible_cycle, visible_rating
from rating_service.web.deps import CurrentUser, DatabaseDep, DbId, OfficerUser, SessionDep, WriteSessionDep
from rating_service.web.errors import API_ERRORS
from rating_service.web.ui import private_download

router = APIRouter(prefix="/api/v1", tags=["appeals / 异议申诉"], responses=API_ERRORS,
                   default_response_class=JSONResponse)


@router.post("/cycles/{cycle_id}/appeals", status_code=201, response_model=AppealOut,
             summary="File an appeal (companies) / 提出异议申诉")
def file_appeal(cycle_id: DbId, principal: CurrentUser, session: WriteSessionDep,
                grounds: Annotated[str, Form(max_length=service.MAX_GROUNDS * 4)],
                scope: Annotated[str, Form(max_length=20)] = "records",
                records: Annotated[list[str] | None, Form(
                    description="kind:record_id of any record counted for the company, e.g. complaints:GD2025-0981")]
                = None,
                files: Annotated[list[UploadFile] | None, File(description="PDF, JPG or PNG")] = None,
                attribution: Annotated[list[str] | None, Form(
                    description="kind:record_id of contested records whose attribution is contested (the company "
                                "no longer served the community that day)")] = None,
                ) -> dict[str, Any]:
    contested = [tuple(r.split(":", 1)) if ":" in r else ("", r) for r in records or []]
    attributed = [tuple(r.split(":", 1)) if ":" in r else ("", r) for r in attribution or []]
    appeal = service.file_appeal(session=session, cycle_id=cycle_id, principal=principal, filing=service.Filing(
        scope=scope, grounds=grounds, records=contested, attachments=read_attachments(files),  # type: ignore[arg-type]
        attribution=attributed))  # type: ignore[arg-type]
    return service.appeal_out(session, appeal)


@router.get("/cycles/{cycle_id}/appeals", response_model=AppealListOut,
            summary="Appeals of a cycle (officers: all; a company: its own) / 异议列表")
def list_appeals(cycle_id: DbId, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    cycle = visible_cycle(session, principal, cycle_id)
    own = None if principal.is_officer else principal.credit_code or ""
    appeals = repository.list_appeals(session, cycle_id=cycle.id, credit_code=own)
    return {"cycle_id": cycle.id, "items": [service.appeal_out(session, a) for a in appeals]}


@router.get("/appeals/{appeal_id}", response_model=AppealOut, summary="One appeal / 异议详情")
def show_appeal(appeal_id: DbId, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return service.appeal_out(session, service.visible_appeal(session=session, principal=principal,
                                                              appeal_id=appeal_id))


@router.get("/appeals/{appeal_id}/attachments/{attachment_id}", summary="An appeal's attachment / 异议附件",
            response_class=Response,
            responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}}}})
def download_attachment(appeal_id: DbId, attachment_id: DbId, principal: CurrentUser, session: SessionDep,
                        database: DatabaseDep) -> Response:
    item, data = service.attachment_bytes(session=session, principal=principal, appeal_id=appeal_id,
                                          attachment_id=attachment_id)
    service.record_attachment_download(database=database, attachment=item, actor=principal.username)
    return private_download(data, media_type=item.content_type, filename=item.filename,
                            ascii_name=f"attachment-{item.id}")


@router.post("/appeals/{appeal_id}/decision", response_model=AppealOut,
             summary="Decide an appeal and re-score (officers) / 作出异议处理决定")
def decide(appeal_id: DbId, body: DecisionIn, principal: OfficerUser, session: WriteSessionDep) -> dict[str, Any]:
    appeal = decisions.decide_appeal(session=session, appeal_id=appeal_id, actor=principal.username,
                                     decision=decisions.Decision(
                                         outcome=body.outcome, reasons=body.reasons,
                                         items=[decisions.ItemDecision(i.kind, i.record_id, i.action, i.changes,
                                                                       i.finding) for i in body.items]))
    return service.appeal_out(session, appeal)


@router.get("/cycles/{cycle_id}/appeal-statistics", response_model=AppealStatisticsOut,
            summary="Appeal statistics of a cycle (officers) / 异议统计")
def appeal_statistics(cycle_id: DbId, principal: OfficerUser, session: SessionDep) -> dict[str, Any]:
    cycle = visible_cycle(session, principal, cycle_id)
    return service.statistics(session=session, cycle_id=cycle.id)


@router.get("/cycles/{cycle_id}/ratings/{credit_code}/records", response_model=CountedRecordsOut,
            summary="Every record counted for a company, with points and attribution / 计分记录")
def counted_records(cycle_id: DbId, credit_code: str, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    cycle, _rating = visible_rating(session, principal, cycle_id, credit_code)
    return {"cycle_id": cycle.id, "credit_code": credit_code,
            "items": standing.counted_records(session=session, cycle=cycle, credit_code=credit_code)}

