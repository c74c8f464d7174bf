"""Request dependencies: sessions (the request owns the transaction), the caller's principal and roles.

API calls authenticate with ``Authorization: Bearer <token>``; pages with the ``session`` cookie. A
cookie-authenticated request that changes something must carry the session's CSRF token (form field
``csrf_token`` or header ``X-CSRF-Token``); bearer calls need none (browsers never send them by themselves).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from rating_service.accounts import service as accounts
from rating_service.accounts.service import Principal
from rating_service.db import Database, get_database
from rating_service.errors import Forbidden, RatingServiceError, Unauthorized

SESSION_COOKIE = "session"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def database_of(request: Request) -> Database:
    return request.app.state.database or get_database()


def get_session(request: Request) -> Iterator[Session]:
    with database_of(request).read_session() as session:
        yield session


def get_write_session(request: Request) -> Iterator[Session]:
    # Commits before the response is sent (scope="function"), so a 200 always means "stored".
    with database_of(request).write_session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(database_of)]


class CsrfFailed(RatingServiceError):
    status_code = 403
    code = "csrf_failed"


def _resolve(database: Database, raw: str, kind: str) -> Principal | None:
    with database.read_session() as session:
        return accounts.principal_for_token(session, raw, kind=kind)


async def optional_principal(request: Request) -> Principal | None:
    database = database_of(request)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        principal = await run_in_threadpool(_resolve, database, header[7:].strip(), "api")
        if principal is None:
            raise Unauthorized("auth_required")
        request.state.principal = principal
        return principal
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    principal = await run_in_threadpool(_resolve, database, raw, "session")
    if principal is None:
        return None
    request.state.session_token = raw
    request.state.principal = principal
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token")
        if sent is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
        if not sent or not hmac.compare_digest(sent, accounts.csrf_token_for(raw)):
            raise CsrfFailed("csrf_failed")
    return principal


MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]


def current_user(principal: MaybePrincipal) -> Principal:
    if principal is None:
        raise Unauthorized("auth_required")
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]


def officer_user(principal: CurrentUser) -> Principal:
    if not principal.is_officer:
        raise Forbidden("forbidden")
    return principal


def admin_user(principal: CurrentUser) -> Principal:
    if not principal.is_admin:
        raise Forbidden("forbidden")
    return principal


OfficerUser = Annotated[Principal, Depends(officer_user)]
AdminUser = Annotated[Principal, Depends(admin_user)]


def csrf_token(request: Request) -> str:
    """The CSRF token to put into a page's forms (empty when not logged in by cookie)."""
    raw = getattr(request.state, "session_token", None) or request.cookies.get(SESSION_COOKIE)
    return accounts.csrf_token_for(raw) if raw else ""
