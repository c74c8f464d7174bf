"""FastAPI application factory: routers, error rendering (JSON for the API, HTML for pages), home page."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from rating_service import __version__
from rating_service.accounts import pages as account_pages
from rating_service.accounts import routes as account_routes
from rating_service.appeals import pages as appeal_pages
from rating_service.appeals import routes as appeal_routes
from rating_service.audit import pages as audit_pages
from rating_service.audit import routes as audit_routes
from rating_service.companies import repository as companies_repo
from rating_service.companies import routes as company_routes
from rating_service.cycles import pages as cycle_pages
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import routes as cycle_routes
from rating_service.cycles import service as cycles
from rating_service.db import Database
from rating_service.disclosure import pages as disclosure_pages
from rating_service.disclosure import routes as disclosure_routes
from rating_service.errors import RatingServiceError
from rating_service.i18n import translate
from rating_service.notices import routes as notice_routes
from rating_service.records import pages as record_pages
from rating_service.records import routes as record_routes
from rating_service.records.formats import KINDS
from rating_service.validation import pages as validation_pages
from rating_service.validation import routes as validation_routes
from rating_service.web.deps import MaybePrincipal, SessionDep
from rating_service.web.ui import HERE, error_page, local_time, redirect, render, request_lang, score_chart
from rating_service.workdays import pages as calendar_pages
from rating_service.workdays import routes as calendar_routes

__all__ = ["create_app", "local_time"]
log = logging.getLogger(__name__)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", "/docs", "/openapi", "/healthz"))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The public data starts being built in the background as the server starts, not when the first visitor comes.
    cache = disclosure_routes.cache_of(app)
    cache.start()
    yield
    cache.close()


def create_app(database: Database | None = None) -> FastAPI:
    app = FastAPI(title="Property-company credit rating / 物业服务企业信用评价", version=__version__,
                  lifespan=_lifespan,
                  description="枞阳县物业服务企业信用评价系统 API。错误统一为 {code, message, details}，"
                              "语言跟随 Accept-Language（默认中文）。/ Errors share one shape; the language "
                              "follows Accept-Language (Chinese by default).")
    app.state.database = database
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(RatingServiceError)
    def _service_error(request: Request, exc: RatingServiceError) -> Response:
        if _wants_html(request):
            return error_page(request, exc)
        lang = request_lang(request)
        return JSONResponse(
            status_code=exc.status_code,
            content={"code": exc.code, "message": exc.message(lang), "details": exc.details(lang)},
            headers={"Retry-After": str(exc.params.get("seconds"))} if exc.status_code == 429 else None,
        )

    @app.exception_handler(RequestValidationError)
    def _payload_error(request: Request, exc: RequestValidationError) -> Response:
        lang = request_lang(request)
        details = [{"field": ".".join(str(p) for p in e.get("loc", ())), "reason": e.get("msg")}
                   for e in exc.errors()]
        if _wants_html(request):
            error = RatingServiceError("payload_invalid")
            error.status_code = 422
            return error_page(request, error)
        return JSONResponse(status_code=422, content={"code": "payload_invalid",
                                                      "message": translate("payload_invalid", lang),
                                                      "details": details})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, principal: MaybePrincipal, session: SessionDep) -> Response:
        if principal is None:
            return redirect("/public")
        lang = request_lang(request, page=True)
        if not principal.is_officer:
            visible = cycles.list_cycles(session=session, statuses=cycle_routes.VISIBLE_TO_COMPANIES)
            history = cycles_repo.company_history(session, credit_code=principal.credit_code or "",
                                                  statuses=cycle_routes.VISIBLE_TO_COMPANIES)
            chart = score_chart([(c.name, r.score, r.grade) for c, r in history])
            return render(request, "company_home.html", {"cycles": visible, "history": history, "chart": chart})
        today = dt.date.today()
        context: dict[str, Any] = {
            "kind_labels": {k: (v.zh if lang == "zh" else v.en) for k, v in KINDS.items()},
            "counts": companies_repo.record_counts(session),
            "companies": companies_repo.list_companies(session, on=today, limit=200),
            "communities": companies_repo.list_communities(session, on=today, limit=200),
            "last_import": companies_repo.last_import(session),
            "cycles": cycles.list_cycles(session=session)[:10],
            "today": today,
        }
        return render(request, "overview.html", context, catalogue=cycle_pages.DASHBOARD_TEXT)

    # The public site first: routes are matched in order, and it takes most of the traffic (its paths overlap
    # with no other room's).
    for module in (disclosure_routes, disclosure_pages, account_routes, company_routes, record_routes,
                   cycle_routes, audit_routes, account_pages, cycle_pages, record_pages, audit_pages, notice_routes,
                   calendar_routes, appeal_routes, appeal_pages, calendar_pages, validation_routes,
                   validation_pages):
        app.include_router(module.router)
    return app
