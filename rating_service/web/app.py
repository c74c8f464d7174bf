"""FastAPI application factory: routers, error rendering (JSON for the API, HTML for pages), home page."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from rating_service import __version__, clock
from rating_service.accounts import pages as account_pages
from rating_service.accounts import routes as account_routes
from rating_service.allocator import tune
from rating_service.appeals import pages as appeal_pages
from rating_service.appeals import routes as appeal_routes
from rating_service.appeals import service as appeals
from rating_service.appeals.models import AppealOutcome
from rating_service.audit import pages as audit_pages
from rating_service.audit import routes as audit_routes
from rating_service.companies import routes as company_routes
from rating_service.cycles import pages as cycle_pages
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import routes as cycle_routes
from rating_service.cycles import service as cycles
from rating_service.db import Database
from rating_service.disclosure import pages as disclosure_pages
from rating_service.disclosure import routes as disclosure_routes
from rating_service.disclosure import serving as disclosure_serving
from rating_service.i18n.appeals import HOME_TEXT
from rating_service.intake import routes as intake_routes
from rating_service.intake.pages import community as intake_community_pages
from rating_service.intake.pages import queue as intake_queue_pages
from rating_service.intake.pages import systems as intake_system_pages
from rating_service.monitor import pages as monitor_pages
from rating_service.monitor import routes as monitor_routes
from rating_service.notices import routes as notice_routes
from rating_service.observability.http import HttpMetricsMiddleware, RequestIdMiddleware
from rating_service.records import pages as record_pages
from rating_service.records import routes as record_routes
from rating_service.repair import pages as repair_pages
from rating_service.repair import routes as repair_routes
from rating_service.settings import get_settings
from rating_service.todo import pages as todo_pages
from rating_service.validation import pages as validation_pages
from rating_service.validation import routes as validation_routes
from rating_service.web import api_docs, health, metrics
from rating_service.web.deps import MaybePrincipal, SessionDep, refuse_control_characters
from rating_service.web.edge import EdgeMiddleware
from rating_service.web.errors import install_error_handlers
from rating_service.web.ui import HERE, local_time, redirect, render, request_lang, score_chart
from rating_service.workdays import pages as calendar_pages
from rating_service.workdays import routes as calendar_routes

__all__ = ["create_app", "local_time"]
log = logging.getLogger(__name__)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The public data starts being built in the background as the server starts, not when the first visitor comes.
    cache = disclosure_serving.cache_of(app)
    cache.start()
    yield
    cache.close()


def create_app(database: Database | None = None) -> FastAPI:
    settings = get_settings()
    tune(settings)
    app = FastAPI(title="Property-company credit rating / 物业服务企业信用评价", version=__version__,
                  lifespan=_lifespan,
                  description="枞阳县物业服务企业信用评价系统 API。错误统一为 {code, message, details}，"
                              "语言跟随 Accept-Language（默认中文）。/ Errors share one shape; the language "
                              "follows Accept-Language (Chinese by default).",
                  docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(refuse_control_characters)])
    app.state.database = database
    app.state.page_hooks = (todo_pages.nav_context, intake_queue_pages.nav_context, repair_pages.nav_context,
                            monitor_pages.nav_context)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    install_error_handlers(app)
    # The last added is the outermost: the request id is bound first (the edge's own answers carry it too), then the
    # request is timed, then the edge does its checks, then a repeated public GET is answered before routing.
    app.add_middleware(disclosure_serving.PublicFront)
    app.add_middleware(EdgeMiddleware)
    app.add_middleware(HttpMetricsMiddleware)
    app.add_middleware(RequestIdMiddleware)
    health.install(app)
    metrics.install(app)
    api_docs.install(app, mode=settings.api_docs_mode)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, principal: MaybePrincipal, session: SessionDep) -> Response:
        if principal is None:
            return redirect("/public")
        lang = request_lang(request, page=True)
        if not principal.is_officer:
            code = principal.credit_code or ""
            history = cycles_repo.company_history(session, credit_code=code, statuses=cycles.VISIBLE_TO_COMPANIES)
            chart = score_chart([(c.name, r.score, r.grade) for c, r in history])
            standing = appeals.company_standing(session=session, credit_code=code, today=clock.local_today())
            outcomes = {o.value: o.label(lang) for o in AppealOutcome}
            repair = repair_pages.home_line(session, credit_code=code, lang=lang)
            return render(request, "company_home.html", {"standing": standing, "history": history, "chart": chart,
                                                         "outcome_labels": outcomes, "repair": repair},
                          catalogue=HOME_TEXT)
        return todo_pages.dashboard(request, session)

    # The public site first: routes are matched in order, and it takes most of the traffic (its paths overlap
    # with no other room's).
    for module in (disclosure_routes, disclosure_pages, account_routes, company_routes, record_routes,
                   cycle_routes, audit_routes, account_pages, cycle_pages, record_pages, audit_pages, notice_routes,
                   calendar_routes, appeal_routes, appeal_pages, calendar_pages, validation_routes,
                   validation_pages, intake_routes, intake_queue_pages, intake_community_pages,
                   intake_system_pages, repair_routes, repair_pages, monitor_routes, monitor_pages):
        app.include_router(module.router)
    return app
