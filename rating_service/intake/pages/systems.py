"""The administrators' page of intake systems (`/admin/intake/systems`): issue a key (shown once on the answer),
list the systems with their keys' first characters and last use, revoke a key (after a confirmation)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from rating_service.errors import RatingServiceError
from rating_service.i18n.intake import PAGE_TEXT as TEXT
from rating_service.intake import systems
from rating_service.web.deps import AdminUser, DbId, SessionDep, WriteSessionDep
from rating_service.web.ui import redirect, render, request_lang

router = APIRouter(include_in_schema=False)
PAGE = "/admin/intake/systems"


def _page(request: Request, session: Session, *, issued: dict[str, str] | None = None, error: str | None = None,
          name: str = "", status_code: int = 200) -> Response:
    response = render(request, "intake_systems.html",
                      {"systems": systems.systems(session), "issued": issued, "error": error, "name": name},
                      catalogue=TEXT, status_code=status_code)
    # The key is on the answer to an issue: no cache may keep it (the list carries nothing secret either).
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get(PAGE, response_class=HTMLResponse)
def systems_page(request: Request, principal: AdminUser, session: SessionDep) -> Response:
    return _page(request, session)


@router.post(PAGE, response_class=HTMLResponse)
def issue_key(request: Request, principal: AdminUser, session: WriteSessionDep,
              name: Annotated[str, Form(max_length=200)] = "") -> Response:
    try:
        system, raw = systems.issue(session, name=name, actor=principal.username)
    except RatingServiceError as exc:
        return _page(request, session, error=exc.message(request_lang(request, page=True)), name=name,
                     status_code=exc.status_code)
    return _page(request, session, issued={"name": system.name, "key": raw})


@router.post(PAGE + "/{system_id}/revoke")
def revoke_key(system_id: DbId, principal: AdminUser, session: WriteSessionDep) -> Response:
    systems.revoke(session, system=systems.get(session, system_id), actor=principal.username)
    return redirect(PAGE)
