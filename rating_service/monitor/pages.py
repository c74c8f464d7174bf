"""The early-warning pages: the officers' page of sliding companies with their driving records, the weekly
summaries, and a company's own running position."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from rating_service import clock
from rating_service.errors import Forbidden, NotFound, RatingServiceError
from rating_service.i18n.monitor import PAGE_TEXT as TEXT
from rating_service.monitor import service
from rating_service.settings import get_settings
from rating_service.web.deps import CurrentUser, OfficerUser, SessionDep, WriteSessionDep, database_of
from rating_service.web.ui import redirect, render, request_lang

router = APIRouter(include_in_schema=False)


@router.get("/monitor", response_class=HTMLResponse)
def monitor_page(request: Request, principal: OfficerUser, session: SessionDep) -> Response:
    lang = request_lang(request, page=True)
    context: dict[str, Any] = {"margin_points": f"{get_settings().monitor_margin_points:g}",
                               "saved": request.query_params.get("saved") == "1"}
    try:
        current = service.running(session, today=clock.local_today())
    except NotFound as exc:
        context["unavailable"] = exc.message(lang)
        return render(request, "monitor.html", context, catalogue=TEXT)
    every = service.lines(current)
    slide = [li for li in every if li.sliding]
    context.update(current=current, sliding=slide, others=[li for li in every if not li.sliding],
                   drivers=service.drivers(session, current, [li.credit_code for li in slide], lang))
    return render(request, "monitor.html", context, catalogue=TEXT)


@router.post("/monitor/summaries")
def write_summary(principal: OfficerUser, session: WriteSessionDep) -> Response:
    service.write_summary(session, today=clock.local_today(), actor=principal.username)
    return redirect("/monitor?saved=1")


@router.get("/monitor/summaries", response_class=HTMLResponse)
def summaries_page(request: Request, principal: OfficerUser, session: SessionDep) -> Response:
    return render(request, "monitor_summaries.html", {"summaries": service.summaries(session)}, catalogue=TEXT)


@router.get("/monitor/summaries/{week}", response_class=HTMLResponse)
def summary_page(request: Request, week: str, principal: OfficerUser, session: SessionDep) -> Response:
    try:
        day = dt.date.fromisoformat(week[:10]) if len(week) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise RatingServiceError("monitor_week_invalid")
    row = service.summary(session, day)
    return render(request, "monitor_summary.html", {"summary": row, "data": service.summary_payload(row)},
                  catalogue=TEXT)


@router.get("/monitor/mine", response_class=HTMLResponse)
def mine_page(request: Request, principal: CurrentUser, session: SessionDep) -> Response:
    if principal.is_officer or not principal.credit_code:
        raise Forbidden("monitor_company_only")
    lang = request_lang(request, page=True)
    context: dict[str, Any] = {}
    try:
        context["position"] = service.company_position(session, credit_code=principal.credit_code,
                                                       today=clock.local_today(), lang=lang,
                                                       for_company=True)
    except NotFound as exc:
        context["unavailable"] = exc.message(lang)
    return render(request, "monitor_mine.html", context, catalogue=TEXT)


def nav_context(request: Request, user: Any) -> dict[str, Any]:
    """The officers' navigation link; on a company's home page, one line of its own running position."""
    if user is None:
        return {}
    lang = request_lang(request, page=True)
    if getattr(user, "is_officer", False):
        return {"nav_monitor": {"text": TEXT["nav_monitor"][lang]}}
    code = getattr(user, "credit_code", None)
    if not code or request.url.path != "/":
        return {}
    try:
        with database_of(request).read_session() as session:
            position = service.company_position(session, credit_code=code, today=clock.local_today(), lang=lang,
                                                       for_company=True)
    except NotFound:
        return {}
    line = position.line
    return {"monitor_home": {
        "text": TEXT["home_line"][lang].format(score=f"{line.score:.1f}", grade=line.grade,
                                               last=line.last_grade or "-"),
        "link": TEXT["home_link"][lang], "sliding": line.sliding}}
