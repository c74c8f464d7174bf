"""The officers' import page: upload files of one kind, see what was written or every rejected row."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from rating_service.errors import ImportRejected, RatingServiceError
from rating_service.records import repository, service
from rating_service.records.formats import KIND_ORDER, KINDS
from rating_service.records.uploads import read_uploads
from rating_service.web.deps import DatabaseDep, OfficerUser, SessionDep
from rating_service.web.ui import render, request_lang

router = APIRouter(include_in_schema=False)
RECENT_BATCHES = 30

TEXT = {
    "imports_title": {"zh": "数据导入", "en": "Import records"},
    "imports_hint": {
        "zh": "选择数据类型并上传一个或多个 CSV / XLSX 文件。文件整体校验，有任何错误则不写入任何数据。"
              "请先导入企业、小区和合同，再导入巡查、投诉等记录。",
        "en": "Choose the kind of records and upload one or more CSV / XLSX files. Files are checked as a whole: "
              "with any error nothing is written. Import companies, communities and contracts before the records.",
    },
    "kind": {"zh": "数据类型", "en": "Kind"},
    "files": {"zh": "文件", "en": "Files"},
    "submit": {"zh": "导入", "en": "Import"},
    "busy": {"zh": "正在导入…", "en": "Importing…"},
    "done": {"zh": "导入完成。", "en": "Import finished."},
    "file": {"zh": "文件", "en": "File"},
    "format": {"zh": "格式", "en": "Format"},
    "rows": {"zh": "行数", "en": "Rows"},
    "inserted": {"zh": "新增", "en": "Inserted"},
    "updated": {"zh": "更新", "en": "Updated"},
    "unchanged": {"zh": "未变", "en": "Unchanged"},
    "dropped": {"zh": "已删除的个人信息列（未保存）", "en": "Personal-data columns dropped (not stored)"},
    "ignored": {"zh": "未识别的列（已忽略）", "en": "Unknown columns (ignored)"},
    "errors_title": {"zh": "错误明细", "en": "Errors"},
    "row": {"zh": "行", "en": "Row"},
    "column": {"zh": "列", "en": "Column"},
    "value": {"zh": "值", "en": "Value"},
    "reason": {"zh": "原因", "en": "Reason"},
    "recent": {"zh": "最近导入", "en": "Recent imports"},
    "batch": {"zh": "批次", "en": "Batch"},
    "imported_at": {"zh": "导入时间", "en": "Imported"},
    "imported_by": {"zh": "导入人", "en": "By"},
    "no_batches": {"zh": "尚未导入任何数据。", "en": "Nothing imported yet."},
}


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
