"""/api/v1/repair: a company files a repair request (multipart, with evidence) and reads its own; officers read
the queue and accept, refuse or decide, and look after breaches of the commitment (docs/repair.md)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from rating_service import clock
from rating_service.appeals.uploads import read_attachments
from rating_service.errors import Forbidden, RatingServiceError
from rating_service.i18n import Lang, translate
from rating_service.records.formats import KINDS
from rating_service.repair import repository, service
from rating_service.repair.models import RepairRequest
from rating_service.repair.schemas import (
    AcceptIn,
    BreachDecisionIn,
    BreachListOut,
    DecideIn,
    DetectOut,
    MarksOut,
    RefuseIn,
    RequestListOut,
    RequestOut,
)
from rating_service.web.deps import CurrentUser, DatabaseDep, DbId, OfficerUser, SessionDep, WriteSessionDep
from rating_service.web.errors import API_ERRORS
from rating_service.web.ui import private_download, request_lang

router = APIRouter(prefix="/api/v1", tags=["repair / 信用修复"], responses=API_ERRORS,
                   default_response_class=JSONResponse)

# Bounds of a filing (the edge limits the whole body; the service checks the rules).
MAX_STATEMENT = 3000
MAX_RECORDS = 50
MAX_FILES = 10
MAX_NAME = 200
StatusQuery = Annotated[str | None, Query(max_length=16, pattern="^(submitted|accepted|repaired|refused)$",
                                          description="submitted | accepted | repaired | refused")]
BreachStatusQuery = Annotated[str | None, Query(max_length=16, pattern="^(flagged|confirmed|dismissed)$",
                                                description="flagged | confirmed | dismissed")]


class RepairInputInvalid(RatingServiceError):
    status_code = 400
    code = "repair_input_invalid"


def _company(principal: Any) -> str:
    """The company a company user acts for; officers and admins have none (a company's own route)."""
    if principal.is_officer or not principal.credit_code:
        raise Forbidden("repair_company_only")
    return str(principal.credit_code)


def _kind_label(kind: str, lang: Lang) -> str:
    return KINDS[kind].label(lang) if kind in KINDS else kind


# -- a company's marks -----------------------------------------------------------------------------------------

@router.get("/repair/marks", response_model=MarksOut,
            summary="A company's repairable marks and whether it can ask today (companies) / 可修复的失信信息")
def marks(request: Request, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    code = _company(principal)
    lang = request_lang(request)
    today = clock.local_today()
    views = service.company_marks(session, credit_code=code, today=today, lang=lang)
    items = []
    for view in views:
        mark = view.mark
        items.append({
            "key": mark.key, "mark": mark.request_mark, "label": view.label, "cycle_id": mark.cycle_id,
            "cycle_name": view.cycle_name, "severity": mark.severity,
            "severity_label": translate(f"repair_severity.{mark.severity}", lang),
            "publicity_from": mark.publicity_from, "earliest_on": view.earliest_on,
            "publicity_ends_on": view.publicity_ends_on, "eligible": view.eligibility.eligible,
            "checks": [{"code": c.code, "ok": c.ok, "label": service.check_label(c.code, lang),
                        "detail": service.check_detail(c, lang)} for c in view.eligibility.checks],
            "records": [{"kind": r.kind, "kind_label": _kind_label(r.kind, lang), "record_id": r.record_id,
                         "subtype": r.subtype, "record_date": r.record_date, "document_no": r.document_no}
                        for r in mark.records],
            "request_id": view.request_id,
            "repaired": None if view.repaired is None else {
                "request_id": view.repaired.request_id, "repaired_on": view.repaired.repaired_on,
                "doc_number": view.repaired.doc_number, "note": view.repaired.note(lang)},
        })
    return {"credit_code": code, "today": today, "items": items}


# -- requests --------------------------------------------------------------------------------------------------

def _records(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for value in values:
        kind, sep, record_id = value.partition(":")
        if not sep or not kind.strip() or not record_id.strip():
            raise RepairInputInvalid("repair_records_format", value=value[:80])
        out.append((kind.strip(), record_id.strip()))
    return out


@router.post("/repair/requests", status_code=201, response_model=RequestOut,
             summary="File a repair request with evidence and the signed commitment (companies) / 提出信用修复申请")
def file_request(
    request: Request, principal: CurrentUser, session: WriteSessionDep,
    cycle_id: Annotated[int, Form(ge=1, le=2_147_483_647, description="the cycle whose public record holds the "
                                                                       "mark")],
    mark: Annotated[str, Form(max_length=16, description="black_list | veto | records")],
    statement: Annotated[str, Form(max_length=MAX_STATEMENT, description="what was corrected, and how")],
    signature: Annotated[str, Form(max_length=MAX_NAME, description="the company's full name, typed again")],
    commitment_signed: Annotated[bool, Form(description="the box 本企业作出以上承诺 is ticked")] = False,
    records: Annotated[list[str] | None, Form(
        max_length=MAX_RECORDS, description="mark records: kind:record_id, e.g. fee_violations:WG2025-006")] = None,
    conditions: Annotated[list[str] | None, Form(
        max_length=4, description="conditions declared met: rectified, penalty_fulfilled")] = None,
    files: Annotated[list[UploadFile] | None, File(max_length=MAX_FILES, description="PDF, JPG or PNG")] = None,
) -> dict[str, Any]:
    _company(principal)
    for value in [*(records or []), *(conditions or [])]:
        if len(value) > 100:
            raise RepairInputInvalid("repair_value_too_long", value=value[:40])
    created = service.file_request(session, principal=principal, filing=service.Filing(
        cycle_id=cycle_id, mark=mark, records=_records(records or []), statement=statement,
        declared=list(conditions or []), commitment_signed=commitment_signed, signature=signature,
        attachments=read_attachments(files)))
    session.flush()
    return _request_out(session, principal, created.id, request_lang(request))


@router.get("/repair/requests", response_model=RequestListOut,
            summary="Repair requests (a company: its own; officers: all) / 信用修复申请列表")
def list_requests(request: Request, principal: CurrentUser, session: SessionDep,
                  status: StatusQuery = None) -> dict[str, Any]:
    lang = request_lang(request)
    found = service.list_requests(session, principal, status=status)
    return {"items": [_request_out(session, principal, r.id, lang) for r in found]}


@router.get("/repair/requests/{request_id}", response_model=RequestOut,
            summary="One repair request (its company; officers) / 信用修复申请详情")
def show_request(request: Request, request_id: DbId, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return _request_out(session, principal, request_id, request_lang(request))


@router.get("/repair/requests/{request_id}/commitment", summary="The signed commitment / 信用承诺书 PDF",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def commitment(request_id: DbId, principal: CurrentUser, session: WriteSessionDep) -> Response:
    from rating_service.repair import documents  # renders the payload; stores its hash the first time

    found = service.visible_request(session, principal, request_id)
    data = documents.commitment_pdf(request=found)
    return private_download(data, media_type="application/pdf", filename=f"信用承诺书-{found.id}.pdf",
                            ascii_name=f"commitment-{found.id}.pdf")


@router.get("/repair/requests/{request_id}/attachments/{attachment_id}",
            summary="A repair request's evidence / 信用修复证明材料", response_class=Response,
            responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}}}})
def attachment(request_id: DbId, attachment_id: DbId, principal: CurrentUser, session: SessionDep,
               database: DatabaseDep) -> Response:
    item, data = service.attachment_bytes(session, principal, request_id, attachment_id)
    service.record_attachment_download(database=database, attachment=item, actor=principal.username)
    return private_download(data, media_type=item.content_type, filename=item.filename,
                            ascii_name=f"attachment-{item.id}")


@router.post("/repair/requests/{request_id}/accept", response_model=RequestOut,
             summary="Accept a repair request (officers) / 受理")
def accept(request: Request, request_id: DbId, body: AcceptIn, principal: OfficerUser,
           session: WriteSessionDep) -> dict[str, Any]:
    service.accept(session, request_id=request_id, actor=principal.username, note=body.note or None)
    session.flush()
    return _request_out(session, principal, request_id, request_lang(request))


@router.post("/repair/requests/{request_id}/refuse", response_model=RequestOut,
             summary="Refuse a repair request, at acceptance or at decision (officers) / 不予受理、不予修复")
def refuse(request: Request, request_id: DbId, body: RefuseIn, principal: OfficerUser,
           session: WriteSessionDep) -> dict[str, Any]:
    service.refuse(session, request_id=request_id, actor=principal.username, reasons=body.reasons,
                   false_material=body.false_material)
    session.flush()
    return _request_out(session, principal, request_id, request_lang(request))


@router.post("/repair/requests/{request_id}/decide", response_model=RequestOut,
             summary="Decide: repaired (officers) / 作出同意修复决定")
def decide(request: Request, request_id: DbId, body: DecideIn, principal: OfficerUser,
           session: WriteSessionDep) -> dict[str, Any]:
    service.decide(session, request_id=request_id, actor=principal.username, reasons=body.reasons,
                   verification_note=body.verification_note)
    session.flush()
    return _request_out(session, principal, request_id, request_lang(request))


def _request_out(session: Any, principal: Any, request_id: int, lang: Lang) -> dict[str, Any]:
    detail = service.request_detail(session, principal, request_id, lang=lang)
    r: RepairRequest = detail.request
    items = repository.items_of(session, [r.id])[r.id]
    declared = sorted(json.loads(r.conditions or "{}"))
    document = detail.decision_document
    return {
        "id": r.id, "cycle_id": r.cycle_id, "cycle_name": detail.cycle_name, "credit_code": r.credit_code,
        "company_name": detail.company_name, "mark": r.mark, "mark_label": detail.mark_label,
        "severity": r.severity, "severity_label": translate(f"repair_severity.{r.severity}", lang),
        "status": r.status, "status_label": detail.status_label,
        "refused_stage": r.refused_stage, "refused_stage_label": detail.refusal_stage_label,
        "statement": r.statement, "conditions": declared,
        "conditions_labels": [service.check_label(c, lang) for c in declared],
        "filed_at": r.filed_at, "filed_on": r.filed_on, "earliest_on": r.earliest_on,
        "accept_due_on": r.accept_due_on, "accepted_on": r.accepted_on, "decide_due_on": r.decide_due_on,
        "working_days_left": detail.working_days_left, "overdue": detail.overdue, "decided_on": r.decided_on,
        "reasons": r.reasons, "verification_note": r.verification_note, "refile_from": r.refile_from,
        "repaired_on": r.repaired_on, "commitment_until": r.commitment_until,
        "commitment_url": f"/api/v1/repair/requests/{r.id}/commitment",
        "decision_document": None if document is None else {
            "id": document.id, "doc_number": document.doc_number,
            "verification_code": document.verification_code, "url": f"/documents/{document.id}.pdf"},
        "items": [{"kind": i.kind, "kind_label": _kind_label(i.kind, lang), "record_id": i.record_id,
                   "subtype": i.subtype, "record_date": i.record_date} for i in items],
        "attachments": [{"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
                         "sha256": a.sha256, "url": f"/api/v1/repair/requests/{r.id}/attachments/{a.id}"}
                        for a in detail.attachments],
        "checks": [{"label": label, "ok": ok, "detail": text} for label, ok, text in detail.checks],
    }


# -- breaches --------------------------------------------------------------------------------------------------

def _breaches_out(session: Any, status: str | None, lang: Lang) -> list[dict[str, Any]]:
    return [_breach_out(row) for row in service.list_breaches(session, status=status, lang=lang)]


def _breach_out(row: service.BreachRow) -> dict[str, Any]:
    return {"id": row.breach_id, "request_id": row.request_id, "credit_code": row.credit_code,
            "company_name": row.company_name, "cycle_name": row.cycle_name, "mark_label": row.mark_label,
            "kind": row.kind, "kind_label": row.record_label, "record_id": row.record_id,
            "record_date": row.record_date, "status": row.status, "status_label": row.status_label,
            "decided_on": row.decided_on, "note": row.note, "repaired_on": row.repaired_on,
            "commitment_until": row.commitment_until}


@router.get("/repair/breaches", response_model=BreachListOut,
            summary="Possible breaches of a repair's commitment (officers) / 违反信用承诺")
def breaches(request: Request, principal: OfficerUser, session: SessionDep,
             status: BreachStatusQuery = None) -> dict[str, Any]:
    return {"items": _breaches_out(session, status, request_lang(request))}


@router.post("/repair/breaches/detect", response_model=DetectOut,
             summary="Look for new records of the same kind within commitments (officers) / 检查违反承诺")
def detect(request: Request, principal: OfficerUser, session: WriteSessionDep) -> dict[str, Any]:
    flagged = service.detect_breaches(session, today=clock.local_today())
    session.flush()
    return {"flagged": flagged, "items": _breaches_out(session, "flagged", request_lang(request))}


@router.post("/repair/breaches/{breach_id}", response_model=BreachListOut,
             summary="Confirm or dismiss a breach (officers) / 确认或排除违反承诺")
def decide_breach(request: Request, breach_id: DbId, body: BreachDecisionIn, principal: OfficerUser,
                  session: WriteSessionDep) -> dict[str, Any]:
    breach = service.decide_breach(session, breach_id=breach_id, actor=principal.username,
                                   confirm=body.action == "confirm", note=body.note)
    session.flush()
    rows = service.list_breaches(session, lang=request_lang(request))
    return {"items": [_breach_out(row) for row in rows if row.breach_id == breach.id]}
