"""FastAPI application factory, error rendering and the overview page."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from rating_service import __version__
from rating_service.companies import repository as companies_repo
from rating_service.db import Database, get_database
from rating_service.errors import RatingServiceError
from rating_service.i18n import Lang, negotiate_lang, translate
from rating_service.records.formats import KINDS
from rating_service.settings import get_settings

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")


def local_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time (SQLite hands it back naive) in the bureau's time zone."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZoneInfo(get_settings().timezone)).strftime(fmt)


templates.env.filters["local_time"] = local_time
log = logging.getLogger(__name__)

UI = {
    "title": {"zh": "枞阳县物业服务企业信用评价系统", "en": "Zongyang Property-Company Credit Rating"},
    "issuer": {"zh": "枞阳县住房和城乡建设局", "en": "Zongyang County Housing and Urban-Rural Development Bureau"},
    "overview": {"zh": "数据概览", "en": "Data overview"},
    "companies": {"zh": "物业服务企业", "en": "Property companies"},
    "communities": {"zh": "物业小区", "en": "Managed communities"},
    "credit_code": {"zh": "统一社会信用代码", "en": "Credit code"},
    "name": {"zh": "名称", "en": "Name"},
    "legal_rep": {"zh": "法定代表人", "en": "Legal representative"},
    "managed": {"zh": "在管小区", "en": "Communities"},
    "households": {"zh": "户数", "en": "Households"},
    "community_id": {"zh": "小区编号", "en": "ID"},
    "neighborhood": {"zh": "所属社区", "en": "Neighbourhood"},
    "manager": {"zh": "物业服务企业（今日）", "en": "Managed by (today)"},
    "none": {"zh": "无在管企业", "en": "no manager"},
    "records": {"zh": "记录数", "en": "Records"},
    "last_import": {"zh": "最近导入：", "en": "Last import: "},
    "empty": {
        "zh": "尚无数据。请运行 rating demo 载入演示数据，或用 rating import 导入文件。",
        "en": "No data yet. Run `rating demo` to load the demo data or `rating import` to import files.",
    },
    "switch": {"zh": "English", "en": "中文"},
    "footer": {
        "zh": "依据《枞阳县“城市管理进小区”实施方案》（枞政办秘〔2025〕23号）四（三）建立。",
        "en": "Built under the Zongyang plan 'City management into communities' (枞政办秘〔2025〕23号), §4(3).",
    },
}


def request_lang(request: Request, lang: str | None = None, *, page: bool = False) -> Lang:
    """zh or en. Pages follow ?lang= and the switch's cookie and are Chinese otherwise (a browser's
    English Accept-Language does not flip a bureau's site); API answers also honour Accept-Language."""
    explicit = lang or request.query_params.get("lang") or request.cookies.get("lang")
    return negotiate_lang(None if page else request.headers.get("accept-language"), explicit)


def get_session(request: Request) -> Iterator[Session]:
    db: Database = request.app.state.database or get_database()
    with db.read_session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def create_app(database: Database | None = None) -> FastAPI:
    app = FastAPI(title="Property-company credit rating / 物业服务企业信用评价", version=__version__)
    app.state.database = database
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(RatingServiceError)
    def _service_error(request: Request, exc: RatingServiceError) -> JSONResponse:
        lang = request_lang(request)
        return JSONResponse(
            status_code=exc.status_code,
            content={"code": exc.code, "message": exc.message(lang), "details": exc.details(lang)},
        )

    @app.exception_handler(RequestValidationError)
    def _payload_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = request_lang(request)
        details = [{"field": ".".join(str(p) for p in e.get("loc", ())), "reason": e.get("msg")}
                   for e in exc.errors()]
        return JSONResponse(status_code=422, content={"code": "payload_invalid",
                                                      "message": translate("payload_invalid", lang),
                                                      "details": details})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request, session: SessionDep,
                 lang: Annotated[str | None, Query(pattern="^(zh|en)$")] = None) -> HTMLResponse:
        language = request_lang(request, lang, page=True)
        today = dt.date.today()
        counts = companies_repo.record_counts(session)
        context: dict[str, Any] = {
            "lang": language,
            "t": {k: v[language] for k, v in UI.items()},
            "kind_labels": {k: (v.zh if language == "zh" else v.en) for k, v in KINDS.items()},
            "counts": counts,
            "companies": companies_repo.list_companies(session, on=today),
            "communities": companies_repo.list_communities(session, on=today),
            "last_import": companies_repo.last_import(session),
            "today": today,
            "other_lang": "en" if language == "zh" else "zh",
        }
        response = templates.TemplateResponse(request, "overview.html", context)
        if lang:
            response.set_cookie("lang", language, samesite="lax")
        return response

    return app
