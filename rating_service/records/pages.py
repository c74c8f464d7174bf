"""The officers' import page: upload files of one kind, see what was written or every rejected row."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from rating_service.errors import ImportRejected, RatingServiceError
from rating_service.i18n.records import PAGE_TEXT as TEXT
from rating_service.records import repository, service
from rating_service.records.formats import KIND_ORDER, KINDS
from rating_service.records.uploads import read_uploads
from rating_service.web.deps import DatabaseDep, OfficerUser, SessionDep
from rating_service.web.ui import render, request_lang

router = APIRouter(include_in_schema=False)
RECENT_BATCHES = 30


def _page(request: Request, session: Session, *, kind: str = "", summaries: list[Any] | None = None,
          error: str | None = None, details: list[dict[str, Any]] | None = None, status_code: int = 200) -> Response:
    lang = request_lang(request, page=True)
    return render(request, "imports.html", {
        "kinds": [(name, KINDS[name].label(lang)) for name in KIND_ORDER],
        "kind_labels": {name: k.label(lang) for name, k in KINDS.items()},
        "chosen": kind,
        "summaries": summaries,
        "error": error,
        "details": details or [],
        "batches": repository.list_batches(session, limit=RECENT_BATCHES),
    }, catalogue=TEXT, status_code=status_code)


@router.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, principal: OfficerUser, session: SessionDep, kind: str = "") -> Response:
    return _page(request, session, kind=kind)


@router.post("/imports", response_class=HTMLResponse)
def import_upload(request: Request, principal: OfficerUser, database: DatabaseDep,
                  kind: Annotated[str, Form(max_length=32)],
                  files: Annotated[list[UploadFile], File()]) -> Response:
    lang = request_lang(request, page=True)
    # The route owns its write transaction (instead of WriteSessionDep) so that a rejected upload rolls
    # back as a whole and the page with the errors is then drawn from a fresh read.
    try:
        with database.write_session() as session:
            record_kind = service.kind_or_raise(kind)
            summaries = service.import_files(session, kind=record_kind, files=read_uploads(files),
                                             actor=principal.username)
    except RatingServiceError as exc:
        status = 400 if isinstance(exc, ImportRejected) else exc.status_code
        with database.read_session() as session:
            return _page(request, session, kind=kind, error=exc.message(lang), details=exc.details(lang),
                         status_code=status)
    with database.read_session() as session:
        return _page(request, session, kind=record_kind.name, summaries=summaries)
