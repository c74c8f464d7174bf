"""Issued documents over HTTP: lists, PDF downloads (one, or a cycle's zip), and public verification.

Officers get every document. A company gets its own notices and the cycle bulletin of cycles it can see;
anything else answers 404. Verification is public: it shows what a code stands for, nothing more.
Downloads of non-public documents are audited.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from rating_service.accounts.service import Principal
from rating_service.cycles.service import visible_cycle
from rating_service.errors import NotFound
from rating_service.i18n import Lang
from rating_service.i18n.notices import PAGE_TEXT as TEXT
from rating_service.notices import repository, service
from rating_service.notices.models import Document, DocumentKind
from rating_service.notices.schemas import DocumentPageOut, VerificationOut
from rating_service.web.deps import CurrentUser, DatabaseDep, DbId, OfficerUser, Offset, SessionDep
from rating_service.web.errors import API_ERRORS
from rating_service.web.ui import content_disposition, private_download, render, request_lang

router = APIRouter(tags=["documents"], responses=API_ERRORS)


def document_out(document: Document, lang: Lang = "zh") -> dict[str, Any]:
    return {
        "id": document.id, "kind": document.kind, "kind_label": DocumentKind(document.kind).label(lang),
        "cycle_id": document.cycle_id, "credit_code": document.credit_code, "doc_number": document.doc_number,
        "issue_date": document.issue_date, "verification_code": document.verification_code,
        "sha256": document.sha256, "size": document.size, "revised_by_id": document.revised_by_id,
        "download_url": f"/api/v1/documents/{document.id}/pdf",
    }


def visible_document(session: Session, principal: Principal, document_id: int) -> Document:
    """The document if this user may have it; 404 otherwise (a company must not learn what exists)."""
    document = service.get_document_or_raise(session=session, document_id=document_id)
    if principal.is_officer:
        return document
    try:
        visible_cycle(session, principal, document.cycle_id)
    except NotFound:
        raise NotFound("document_not_found", document_id=document_id) from None
    if document.credit_code is not None and document.credit_code != principal.credit_code:
        raise NotFound("document_not_found", document_id=document_id)
    return document


# -- API ----------------------------------------------------------------------------------------------------------

@router.get("/api/v1/cycles/{cycle_id}/documents", response_model=DocumentPageOut, response_class=JSONResponse,
            summary="A cycle's issued documents / 周期文书列表")
def list_documents(request: Request, cycle_id: DbId, principal: CurrentUser, session: SessionDep,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                   offset: Offset = 0) -> dict[str, Any]:
    cycle = visible_cycle(session, principal, cycle_id)
    own = None if principal.is_officer else principal.credit_code or ""
    documents, total = repository.list_documents(session, cycle_id=cycle.id, credit_code=own, with_bulletins=True,
                                                 limit=limit, offset=offset)
    lang = request_lang(request)
    return {"cycle_id": cycle.id, "appeal_deadline": cycle.appeal_deadline, "total": total, "limit": limit,
            "offset": offset,
            "counts": repository.document_counts(session, cycle_id=cycle.id) if principal.is_officer else None,
            "items": [document_out(d, lang) for d in documents]}


@router.get("/api/v1/documents/{document_id}/pdf", summary="One document as PDF / 下载文书 PDF",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
@router.get("/documents/{document_id}.pdf", include_in_schema=False)
def download_document(document_id: DbId, principal: CurrentUser, session: SessionDep,
                      database: DatabaseDep) -> Response:
    document = visible_document(session, principal, document_id)
    data = service.download(database=database, document=document, actor=principal.username)
    return private_download(data, media_type="application/pdf", filename=service.file_name(document),
                            ascii_name=service.ascii_file_name(document))


@router.get("/api/v1/cycles/{cycle_id}/documents.zip", summary="All documents of a cycle as zip (officers) / 打包下载",
            response_class=Response, responses={200: {"content": {"application/zip": {}}}})
@router.get("/cycles/{cycle_id}/documents.zip", include_in_schema=False)
def download_zip(cycle_id: DbId, principal: OfficerUser, session: SessionDep, database: DatabaseDep) -> Response:
    cycle = visible_cycle(session, principal, cycle_id)
    handle, name = tempfile.mkstemp(prefix=f"cycle-{cycle.id}-", suffix=".zip")
    os.close(handle)
    target = FsPath(name)
    try:
        service.notices_zip(database=database, session=session, cycle=cycle, actor=principal.username,
                            target=target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return FileResponse(target, media_type="application/zip", filename=f"cycle-{cycle.id}-documents.zip",
                        headers={"Cache-Control": "private, no-store"},
                        background=BackgroundTask(target.unlink, missing_ok=True))


@router.get("/public/cycles/{cycle_id}/bulletin.pdf", tags=["public / 公开信息"],
            summary="The bulletin (公示名单) of a publicized or final cycle, no login / 公示名单 PDF",
            response_class=Response,
            responses={200: {"content": {"application/pdf": {}}},
                       # A reader following a link gets the site's HTML "not found" page, not JSON.
                       404: {"content": {"text/html": {}}, "description": "No such public cycle / 无此公开周期"}})
def public_bulletin(request: Request, cycle_id: DbId, database: DatabaseDep) -> Response:
    document, pdf = service.public_bulletin_pdf(database=database, cycle_id=cycle_id)
    etag = f'"{pdf.sha256}"'
    name = content_disposition(service.ascii_file_name(document), service.file_name(document))
    headers = {"Content-Disposition": name,
               "Cache-Control": "public, max-age=300", "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(content=pdf.data, media_type="application/pdf", headers=headers)


@router.get("/api/v1/verify/{code}", response_model=VerificationOut, response_class=JSONResponse,
            summary="What a verification code stands for (public) / 文书核验")
def verify_api(code: Annotated[str, Path(max_length=40)], session: SessionDep) -> dict[str, Any]:
    return service.verify(session=session, code=code).as_dict()


# -- pages --------------------------------------------------------------------------------------------------------

@router.get("/verify", response_class=HTMLResponse, include_in_schema=False)
def verify_form(request: Request, session: SessionDep, q: str | None = None) -> Response:
    return _verify_page(request, session, q.strip()[:40] if q else None)


@router.get("/verify/{code}", response_class=HTMLResponse, include_in_schema=False)
def verify_page(request: Request, session: SessionDep, code: Annotated[str, Path(max_length=40)]) -> Response:
    return _verify_page(request, session, code)


def _verify_page(request: Request, session: Session, code: str | None) -> Response:
    lang = request_lang(request, page=True)
    result, error = None, None
    if code:
        try:
            result = service.verify(session=session, code=code)
        except NotFound as exc:
            error = exc.message(lang)
    return render(request, "verify.html", {
        "code": code or "", "result": result, "error": error,
        "kind_label": DocumentKind(result.kind).label(lang) if result else "",
    }, catalogue=TEXT, status_code=404 if error else 200)
