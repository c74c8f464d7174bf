"""Request dependencies: sessions (the request owns the transaction), the caller's principal and roles.

API calls authenticate with ``Authorization: Bearer <token>``; pages with the ``session`` cookie. A
cookie-authenticated request that changes something must carry the session's CSRF token (form field
``csrf_token`` or header ``X-CSRF-Token``); bearer calls need none (browsers never send them by themselves).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from rating_service.accounts import service as accounts
from rating_service.accounts.service import Principal
from rating_service.db import Database, get_database
from rating_service.errors import (
    ControlCharacters,
    Forbidden,
    PasswordChangeRequired,
    RatingServiceError,
    Unauthorized,
)

SESSION_COOKIE = "session"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The principal the edge middleware authenticated before reading a body, handed over in the request state.
PRINCIPAL_KEY = "edge_principal"


def database_of(request: Request) -> Database:
    return request.app.state.database or get_database()


def get_session(request: Request) -> Iterator[Session]:
    with database_of(request).read_session() as session:
        yield session


def get_write_session(request: Request) -> Iterator[Session]:
    # Commits before the response is sent (scope="function"), so a 200 always means "stored".
    with database_of(request).write_session() as session:
        yield session


# Numbers from the URL are bounded to what the database's integer columns hold (PostgreSQL's integer), so an
# out-of-range id is a 422 like any malformed parameter, never a database error.
MAX_DB_INT = 2**31 - 1
DbId = Annotated[int, Path(ge=1, le=MAX_DB_INT)]
QueryId = Annotated[int, Query(ge=1, le=MAX_DB_INT)]
OptionalQueryId = Annotated[int | None, Query(ge=1, le=MAX_DB_INT)]
Offset = Annotated[int, Query(ge=0, le=MAX_DB_INT)]

SessionDep = Annotated[Session, Depends(get_session)]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(database_of)]


async def form_data(request: Request) -> FormData:
    """The request's whole form (parsed once on the event loop, then cached on the request): lets a plain ``def``
    handler, run in the thread pool, read fields whose names are only known at run time."""
    return await request.form()


FormDataDep = Annotated[FormData, Depends(form_data)]


class CsrfFailed(RatingServiceError):
    status_code = 403
    code = "csrf_failed"


def _resolve(database: Database, raw: str, kind: str) -> Principal | None:
    with database.read_session() as session:
        return accounts.principal_for_token(session, raw, kind=kind)


async def principal_even_pending(request: Request) -> Principal | None:
    """The caller, also when it must change its password first (for the password change, logout, who am I)."""
    raw = request.cookies.get(SESSION_COOKIE)
    checked = getattr(request.state, PRINCIPAL_KEY, None)
    if checked is not None:
        # Authenticated at the edge before the body was read, with the CSRF token of a cookie session checked
        # there (rating_service/web/edge.py).
        request.state.principal = checked
        if raw and not request.headers.get("authorization", "").lower().startswith("bearer "):
            request.state.session_token = raw
        return checked
    database = database_of(request)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        principal = await run_in_threadpool(_resolve, database, header[7:].strip(), "api")
        if principal is None:
            raise Unauthorized("auth_required")
        request.state.principal = principal
        return principal
    if not raw:
        return None
    principal = await run_in_threadpool(_resolve, database, raw, "session")
    if principal is None:
        return None
    request.state.session_token = raw
    request.state.principal = principal
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token") or request.query_params.get("csrf_token")
        if sent is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
        if not sent or not hmac.compare_digest(sent.encode(), accounts.csrf_token_for(raw).encode()):
            raise CsrfFailed("csrf_failed")
    return principal


PendingPrincipal = Annotated[Principal | None, Depends(principal_even_pending)]


async def optional_principal(principal: PendingPrincipal) -> Principal | None:
    """The caller (None when anonymous). An account that must change its password is refused everything else:
    pages redirect to the change-password page, the API answers 403 ``password_change_required``."""
    if principal is not None and principal.must_change_password:
        raise PasswordChangeRequired("password_change_required")
    return principal


MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]


async def pending_user(principal: PendingPrincipal) -> Principal:
    if principal is None:
        raise Unauthorized("auth_required")
    return principal


PendingUser = Annotated[Principal, Depends(pending_user)]


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


# Characters no field of the service holds: C0 controls other than tab and line ends, DEL, and lone surrogates
# (PostgreSQL refuses NUL, and a surrogate cannot be encoded at all).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _has_forbidden(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_FORBIDDEN.search(value))
    if isinstance(value, dict):
        return any(_has_forbidden(k) or _has_forbidden(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_forbidden(v) for v in value)
    return False


async def refuse_control_characters(request: Request) -> None:
    """An app-wide dependency: text fields of forms and JSON bodies carry no control characters (422).

    URLs are checked at the edge before routing; bodies here, after the route has parsed them (the parsed form
    and JSON are cached on the request, so this reads nothing twice) and before the route runs.
    """
    if _has_forbidden(dict(request.path_params)):
        raise ControlCharacters("control_characters")
    if request.method in SAFE_METHODS:
        return
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        if any(isinstance(v, str) and _FORBIDDEN.search(v) for v in form.values()) or \
                any(_FORBIDDEN.search(k) for k in form.keys()):
            raise ControlCharacters("control_characters")
    elif "json" in content_type and await request.body():
        try:
            body = await request.json()
        except ValueError:
            return  # the route answers malformed JSON itself
        if _has_forbidden(body):
            raise ControlCharacters("control_characters")
