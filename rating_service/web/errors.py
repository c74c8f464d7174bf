"""Every error answer of the web app in one shape: ``{code, message, details}`` for the API, a page for browsers.

Service errors, malformed payloads, routing misses (404/405), oversized bodies (413), a database that cannot
be reached (503) and, as the last resort, unexpected failures (500) all leave through ``error_response``;
the edge middleware uses it too, so an answer given before a route runs looks like any other.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from rating_service.errors import (
    BodyTooLarge,
    DatabaseUnavailable,
    InternalError,
    MethodNotAllowed,
    PasswordChangeRequired,
    PayloadInvalid,
    RatingServiceError,
)
from rating_service.observability.context import bound_request_id
from rating_service.observability.http import REQUEST_ID_HEADER, REQUEST_ID_KEY
from rating_service.web.ui import error_page, redirect, request_lang

log = logging.getLogger(__name__)

# Where a page sends an account that must change its password first.
PASSWORD_PAGE = "/account/password"
# Answers outside these prefixes are pages (HTML); inside, JSON in the error shape.
JSON_PREFIXES = ("/api/", "/openapi", "/healthz", "/readyz", "/metrics", "/open-data/")


class ErrorOut(BaseModel):
    """The shape of every error answer of the API."""

    code: str = Field(description="machine-readable error code, e.g. not_found, import_rejected")
    message: str = Field(description="what went wrong, in the caller's language (Chinese by default)")
    details: list[dict[str, Any]] = Field(
        default_factory=list, description="per-field or per-row problems: field/row, column, reason, code")
    groups: list[dict[str, Any]] | None = Field(
        default=None, description="a rejected import's errors by file, column and reason: count, first rows, text")


ERROR_DESCRIPTIONS = {
    400: "请求内容不符合业务规则 / the request breaks a rule (e.g. a rejected import)",
    401: "需要登录 / authentication required",
    403: "无权访问 / not allowed for this account (or a missing CSRF token)",
    404: "未找到 / not found",
    405: "不支持的请求方式 / method not allowed",
    409: "状态冲突 / conflicts with the current state",
    413: "请求内容过大 / the request body is over its limit",
    422: "请求格式不正确 / malformed request (parameters, body, control characters)",
    429: "尝试过于频繁 / too many attempts; see Retry-After",
    503: "暂时不可用 / not available at the moment (database unreachable, data being prepared); see Retry-After",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error statuses, all in the documented shape."""
    return {code: {"model": ErrorOut, "description": ERROR_DESCRIPTIONS[code]} for code in codes}


# What an API route may answer besides success: every route that needs an account can meet each of these
# (a route that cannot reach one of them merely lists it).
API_ERRORS = error_responses(400, 401, 403, 404, 409, 413, 422, 503)
# The public site's API: no account, conditional requests (ETag), and the cache being prepared after a restart.
PUBLIC_ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "未修改 / not modified (If-None-Match matched the ETag)"},
    **error_responses(404, 422, 503),
}


def wants_html(path: str) -> bool:
    return not path.startswith(JSON_PREFIXES)


def error_response(request: Request, exc: RatingServiceError) -> Response:
    """The answer to an error: a page for browsers, ``{code, message, details}`` for the API."""
    headers: dict[str, str] = {}
    seconds = exc.params.get("seconds") if exc.status_code == 429 else getattr(exc, "retry_after", None)
    if seconds is not None:
        headers["Retry-After"] = str(seconds)
    if wants_html(request.url.path):
        if isinstance(exc, PasswordChangeRequired):
            return redirect(PASSWORD_PAGE)
        response = error_page(request, exc)
        response.headers.update(headers)
        return response
    lang = request_lang(request)
    return JSONResponse(status_code=exc.status_code, headers=headers or None,
                        content={"code": exc.code, "message": exc.message(lang), "details": exc.details(lang),
                                 **exc.extra(lang)})


class _Payload(PayloadInvalid):
    def __init__(self, details: list[dict[str, Any]]) -> None:
        super().__init__("payload_invalid")
        self._details = details

    def details(self, lang: Any = "zh") -> list[dict[str, Any]]:
        return self._details


def _is_outage(exc: sa_exc.DBAPIError) -> bool:
    """Whether a database error means "cannot reach the database" rather than a bad statement."""
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError) or exc.connection_invalidated:
        return True
    return False


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RatingServiceError)
    def _service_error(request: Request, exc: RatingServiceError) -> Response:
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    def _payload_error(request: Request, exc: RequestValidationError) -> Response:
        details = [{"field": ".".join(str(p) for p in e.get("loc", ())), "reason": e.get("msg")}
                   for e in exc.errors()]
        return error_response(request, _Payload(details))

    @app.exception_handler(StarletteHTTPException)
    def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Raised by the framework itself: routing misses, a body that cannot be parsed.
        error: RatingServiceError
        if exc.status_code == 404:
            error = RatingServiceError("not_found", what=request.url.path)
            error.status_code, error.code = 404, "not_found"
        elif exc.status_code == 405:
            error = MethodNotAllowed("method_not_allowed", method=request.method)
        elif exc.status_code == 413:
            error = BodyTooLarge("body_too_large", limit="-")
        else:
            error = RatingServiceError("request_invalid", detail=str(exc.detail)[:200])
            error.status_code = exc.status_code if 400 <= exc.status_code < 500 else 400
            error.code = "request_invalid"
        response = error_response(request, error)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(sa_exc.DBAPIError)
    def _database_error(request: Request, exc: sa_exc.DBAPIError) -> Response:
        if _is_outage(exc):
            log.warning("database unavailable: %s", exc.orig)
            return error_response(request, DatabaseUnavailable("database_unavailable"))
        if isinstance(exc, sa_exc.DataError):
            # A value the column cannot hold that got past validation (a NUL byte, a number out of range):
            # the caller's input, not a server failure.
            log.warning("database refused a value: %s", exc.orig)
            return error_response(request, _Payload([{"reason": "value not accepted by the database"}]))
        return _internal(request, exc)

    @app.exception_handler(sa_exc.TimeoutError)
    def _pool_timeout(request: Request, exc: sa_exc.TimeoutError) -> Response:
        log.warning("database pool exhausted: %s", exc)
        return error_response(request, DatabaseUnavailable("database_unavailable"))

    @app.exception_handler(Exception)
    def _internal(request: Request, exc: Exception) -> Response:
        # Answered outside every middleware: the request id is taken again from the request's state.
        request_id = getattr(request.state, REQUEST_ID_KEY, None)
        with bound_request_id(request_id):
            log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        response = error_response(request, InternalError("internal_error"))
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        return response
