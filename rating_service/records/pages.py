"""The officers' import page: upload files of one kind, see what was written or every rejected row."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from rating_service.errors import ImportRejected, NotFound, RatingServiceError
from rating_service.i18n import translate
from rating_service.i18n.records import PAGE_TEXT as TEXT
from rating_service.records import repository, service
from rating_service.records.formats import KIND_ORDER, KINDS
from rating_service.records.uploads import read_uploads
from rating_service.records.workbooks import XLSX_TYPE, template_filename
from rating_service.settings import get_settings
from rating_service.web.deps import DatabaseDep, OfficerUser, SessionDep
from rating_service.web.ui import private_download, render, request_lang

router = APIRouter(include_in_schema=False)
RECENT_BATCHES = 30
# A rejected import shows its errors by column and reason, and this many of them one by one (the XLSX has all).
ERRORS_SHOWN = 20


def _page(request: Request, session: Session, *, kind: str = "", summaries: list[Any] | None = None,
          error: str | None = None, details: list[dict[str, Any]] | None = None,
          groups: list[dict[str, Any]] | None = None, report: str | None = None, status_code: int = 200) -> Response:
    lang = request_lang(request, page=True)
    listed = [d for d in details or [] if "omitted" not in d]
    counted = [d for d in details or [] if "omitted" in d]
    files = list(dict.fromkeys(d["file"] for d in listed))  # in the order of the upload
    total = sum(g["count"] for g in groups) if groups else len(listed)
    return render(request, "imports.html", {
        "kinds": [(name, KINDS[name].label(lang)) for name in KIND_ORDER],
        "kind_labels": {name: k.label(lang) for name, k in KINDS.items()},
        "guides": service.column_guides(session, lang),
        "chosen": kind,
        "summaries": summaries,
        "error": error,
        "details": sorted(listed, key=lambda d: (files.index(d["file"]), d["row"] is None, d["row"] or 0))[
            :ERRORS_SHOWN],
        "counted": counted,
        "errors_total": total,
        "groups": groups or [],
        "multi_file": len({g["file"] for g in groups or []}) > 1,
        "report": report,
        "report_hours": get_settings().import_report_hours,
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
        groups = exc.groups(lang) if isinstance(exc, ImportRejected) else None
        report = service.save_error_report(exc, lang) if isinstance(exc, ImportRejected) else None
        with database.read_session() as session:
            return _page(request, session, kind=kind, error=exc.message(lang), details=exc.details(lang),
                         groups=groups, report=report, status_code=status)
    with database.read_session() as session:
        return _page(request, session, kind=record_kind.name, summaries=summaries)


@router.get("/imports/templates/{kind}.xlsx")
def import_template(request: Request, kind: str, principal: OfficerUser, session: SessionDep) -> Response:
    """The XLSX template of a record kind: Chinese headers, an example row that imports as it is, 填写说明."""
    lang = request_lang(request, page=True)
    record_kind = KINDS.get(kind)
    if record_kind is None:
        raise NotFound("not_found", what=kind)
    name, ascii_name = template_filename(record_kind, lang)
    return private_download(service.template(session, record_kind, lang), media_type=XLSX_TYPE, filename=name,
                            ascii_name=ascii_name)


@router.get("/imports/errors/{token}.xlsx")
def import_error_report(request: Request, token: str, principal: OfficerUser) -> Response:
    """The full list of a rejected import's errors (XLSX), kept for a while under a random name."""
    lang = request_lang(request, page=True)
    return private_download(service.error_report(token), media_type=XLSX_TYPE,
                            filename=translate("error_report.filename", lang), ascii_name="import-errors.xlsx")
