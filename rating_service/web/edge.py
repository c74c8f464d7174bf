"""The edge of the web app: what every request passes before a route sees it (a pure ASGI middleware).

- URLs carrying control characters (NUL, …) are refused with 422 before routing.
- Request bodies are bounded while they stream in: a declared ``Content-Length`` over the route's limit is
  refused at once, and the bytes actually received are counted, so a body without a length (chunked) is cut
  off at the same limit. Imports get the upload limit, appeals their attachments, everything else
  ``RATING_BODY_LIMIT_KB``.
- A route that needs an account has its caller authenticated before one byte of the body is read; a cookie
  session must also show its CSRF token first (header ``X-CSRF-Token``, query ``csrf_token``, or the form's
  ``csrf_token`` field: a urlencoded form is small and read whole, a multipart form must carry the field
  before its files, as browsers send a form's fields in document order). The intake push
  (``POST /api/v1/intake/tickets``) is opened by a system's intake key instead, found the same way first.
- Every answer gets the browser security headers (CSP without inline script, frame-ancestors, referrer and
  permissions policies, nosniff, HSTS over HTTPS in production).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, unquote_to_bytes

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request, cookie_parser

from rating_service.accounts import service as accounts
from rating_service.accounts.service import Principal
from rating_service.db import get_database
from rating_service.errors import BodyTooLarge, ControlCharacters, RatingServiceError
from rating_service.intake import systems as intake_systems
from rating_service.settings import Settings, get_settings
from rating_service.web.deps import PRINCIPAL_KEY, SAFE_METHODS, SESSION_COOKIE, CsrfFailed
from rating_service.web.errors import error_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Paths that take a body from callers without an account: logging in, and logging out of a session that may
# already have expired. Every other path reads no body before its caller is known.
ANONYMOUS_WRITES = frozenset({"/login", "/logout", "/api/v1/auth/token"})
IMPORT_PATHS = re.compile(r"^/(?:imports|api/v1/imports/[^/]+)$")
APPEAL_PATHS = re.compile(r"^/(?:api/v1/)?cycles/[^/]+/appeals$")
# Repair requests carry evidence under the same rules as appeals (docs/repair.md).
REPAIR_PATHS = re.compile(r"^/(?:api/v1/)?repair/requests$")
# Pushes of other systems: authenticated by an intake key (``Authorization: Bearer zyik_…``), not by an account;
# the key is found before the body is read, as an account is elsewhere (docs/intake.md, "Intake API").
INTAKE_PUSH_PATHS = frozenset({"/api/v1/intake/tickets"})
# The intake system the edge found for a push, handed over in the request state (rating_service/intake/routes.py).
INTAKE_SYSTEM_KEY = "intake_system"
# How much of a multipart body may be read to find the CSRF field that precedes the files.
CSRF_PEEK_BYTES = 64 * 1024

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x1f\x7f]")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# The API explorer (Swagger UI) sets styles of its own.
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
# Answers that are not pages (JSON, CSV, PDF) load nothing; they only must not be framed.
CSP_OTHER = "default-src 'none'; frame-ancestors 'none'"
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=()")


def human_size(limit: int) -> str:
    # Limits carry a little room for the form's own bytes (boundaries, part headers): shown as whole units.
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MB"
    return f"{limit // 1024} KB"


def body_limit(path: str, settings: Settings) -> int:
    """The body limit of a path, in bytes: uploads of imports and of appeal attachments, or the general one."""
    if IMPORT_PATHS.match(path):
        return settings.import_body_limit_bytes
    if APPEAL_PATHS.match(path) or REPAIR_PATHS.match(path):
        return settings.appeal_body_limit_bytes
    if path in INTAKE_PUSH_PATHS:
        return settings.intake_body_limit_bytes
    return settings.body_limit_bytes


def security_headers(scope: Scope, status: int, headers: MutableHeaders, settings: Settings) -> None:
    """Adds the browser security headers an answer does not set itself."""
    content_type = headers.get("content-type", "")
    # A 304's headers update the cached answer's: it must not replace a page's policy with the "not a page" one.
    if "content-security-policy" not in headers and status != 304:
        if content_type.startswith("text/html"):
            path = scope.get("path", "")
            headers["Content-Security-Policy"] = CSP_DOCS if path.startswith("/docs") else CSP
        else:
            headers["Content-Security-Policy"] = CSP_OTHER
    for name, value in (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                        ("Referrer-Policy", "same-origin"), ("Permissions-Policy", PERMISSIONS_POLICY),
                        ("Cross-Origin-Opener-Policy", "same-origin")):
        if name.lower() not in headers:
            headers[name] = value
    if settings.environment == "production" and settings.hsts_seconds > 0 and scope.get("scheme") == "https":
        headers["Strict-Transport-Security"] = f"max-age={settings.hsts_seconds}; includeSubDomains"


def url_has_control_characters(scope: Scope) -> bool:
    if _CONTROL.search(scope.get("path", "")):
        return True
    query: bytes = scope.get("query_string", b"")
    return bool(query) and bool(_CONTROL_BYTES.search(unquote_to_bytes(query.replace(b"+", b" "))))


def _resolve(app: Any, raw: str, kind: str) -> Principal | None:
    database = getattr(app.state, "database", None) or get_database()
    with database.read_session() as session:
        return accounts.principal_for_token(session, raw, kind=kind)


def _resolve_intake_system(app: Any, headers: Headers) -> intake_systems.SystemCaller | None:
    authorization = headers.get("authorization", "")
    if not authorization.lower().startswith("bearer "):
        return None
    database = getattr(app.state, "database", None) or get_database()
    with database.read_session() as session:
        return intake_systems.caller_for_key(session, authorization[7:].strip())


def _multipart_boundary(content_type: str) -> bytes | None:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    return match.group(1).encode("latin-1") if match else None


def csrf_from_multipart(data: bytes, boundary: bytes) -> tuple[str | None, bool]:
    """(the csrf_token field's value, whether looking further is pointless) from the start of a multipart body.

    Looking stops at the first file part: the field must come before the files.
    """
    delimiter = b"--" + boundary
    parts = data.split(delimiter)
    # parts[0] is the preamble; the last piece may be incomplete (no delimiter after it yet).
    for index, part in enumerate(parts[1:], start=1):
        complete = index < len(parts) - 1
        head, separator, body = part.partition(b"\r\n\r\n")
        if not separator:
            return None, False
        if b"filename=" in head:
            return None, True
        if re.search(rb'name="csrf_token"', head):
            if not complete:
                return None, False
            return body.removesuffix(b"\r\n").decode("utf-8", "replace"), True
        if part.startswith(b"--"):
            return None, True  # the closing delimiter
    return None, False


class _Cut(Exception):
    """The body went over its limit while streaming; the 413 is sent already."""


class EdgeMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        state = {"started": False, "cut": False}

        async def send_with_headers(message: Message) -> None:
            if state["cut"]:
                return  # the app's own answer after the 413 was sent
            if message["type"] == "http.response.start":
                state["started"] = True
                security_headers(scope, message["status"], MutableHeaders(scope=message), settings)
            await send(message)

        async def answer(error: RatingServiceError) -> None:
            response = error_response(Request(scope), error)
            await response(scope, receive, send_with_headers)

        if url_has_control_characters(scope):
            await answer(ControlCharacters("control_characters"))
            return

        app = scope.get("app")
        limit = body_limit(scope["path"], settings)
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await answer(BodyTooLarge("body_too_large", limit=human_size(limit)))
            return

        buffered: list[bytes] = []
        more_body = True
        if scope["method"] not in SAFE_METHODS and scope["path"] in INTAKE_PUSH_PATHS:
            # Only an intake key opens the push (no account, no cookie: so no CSRF either).
            system = await run_in_threadpool(_resolve_intake_system, app, headers)
            if system is None:
                await self.app(_without_body(scope), _no_body, send_with_headers)
                return
            scope.setdefault("state", {})[INTAKE_SYSTEM_KEY] = system
        elif scope["method"] not in SAFE_METHODS and scope["path"] not in ANONYMOUS_WRITES:
            principal, from_cookie = await self._authenticate(app, headers)
            if principal is None:
                # The route answers as it would without a body (401, a login redirect, 404, 405): its
                # dependencies run before it looks at the body, which is never read.
                await self.app(_without_body(scope), _no_body, send_with_headers)
                return
            scope.setdefault("state", {})[PRINCIPAL_KEY] = principal
            if from_cookie is not None:
                expected = accounts.csrf_token_for(from_cookie)
                sent = headers.get("x-csrf-token") or _query_value(scope, "csrf_token")
                if sent is None:
                    try:
                        sent, buffered, more_body = await self._csrf_from_body(headers, receive, limit)
                    except _TooLarge:
                        await answer(BodyTooLarge("body_too_large", limit=human_size(limit)))
                        return
                if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
                    await answer(CsrfFailed("csrf_failed"))
                    return

        received = sum(len(b) for b in buffered)

        async def bounded_receive() -> Message:
            nonlocal received, more_body
            if buffered:
                chunk = buffered.pop(0)
                return {"type": "http.request", "body": chunk, "more_body": bool(buffered) or more_body}
            if state["cut"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                more_body = message.get("more_body", False)
                if received > limit:
                    if not state["started"]:
                        await answer(BodyTooLarge("body_too_large", limit=human_size(limit)))
                    state["cut"] = True
                    raise _Cut()
            return message

        try:
            await self.app(scope, bounded_receive, send_with_headers)
        except _Cut:
            pass
        except Exception:
            if state["cut"]:
                return  # the app failed on the cut-off body; the 413 has been sent
            raise

    async def _authenticate(self, app: Any, headers: Headers) -> tuple[Principal | None, str | None]:
        """The caller of a protected route, and the session cookie if that is how it came."""
        authorization = headers.get("authorization", "")
        if authorization.lower().startswith("bearer "):
            return await run_in_threadpool(_resolve, app, authorization[7:].strip(), "api"), None
        raw = _cookie(headers, SESSION_COOKIE)
        if not raw:
            return None, None
        return await run_in_threadpool(_resolve, app, raw, "session"), raw

    async def _csrf_from_body(self, headers: Headers, receive: Receive,
                              limit: int) -> tuple[str | None, list[bytes], bool]:
        """Reads as much of a form body as it takes to find its csrf_token field; the bytes read are replayed."""
        content_type = headers.get("content-type", "")
        body = _Prefix(receive)
        if content_type.startswith("application/x-www-form-urlencoded"):
            while await body.take():
                if body.size > limit:
                    raise _TooLarge()
            values = parse_qs(body.joined().decode("utf-8", "replace"), keep_blank_values=True)
            tokens = values.get("csrf_token")
            return (tokens[0] if tokens else None), body.chunks, body.more
        boundary = _multipart_boundary(content_type) if content_type.startswith("multipart/form-data") else None
        while boundary is not None and body.size <= CSRF_PEEK_BYTES and await body.take():
            token, done = csrf_from_multipart(body.joined(), boundary)
            if token is not None or done:
                return token, body.chunks, body.more
        return None, body.chunks, body.more


class _Prefix:
    """The start of a request body, read chunk by chunk and kept to be replayed to the app."""

    def __init__(self, receive: Receive) -> None:
        self.receive = receive
        self.chunks: list[bytes] = []
        self.size = 0
        self.more = True

    async def take(self) -> bool:
        """Reads one more chunk; False when the body has ended (or the client left)."""
        if not self.more:
            return False
        message = await self.receive()
        if message["type"] != "http.request":
            self.more = False
            return False
        self.chunks.append(message.get("body", b""))
        self.size += len(self.chunks[-1])
        self.more = message.get("more_body", False)
        return True

    def joined(self) -> bytes:
        return b"".join(self.chunks)


class _TooLarge(Exception):
    pass


def _without_body(scope: Scope) -> Scope:
    """The request as if it had no body: no length, no type (so nothing tries to parse one)."""
    headers = [(k, v) for k, v in scope["headers"] if k not in (b"content-length", b"content-type",
                                                                 b"transfer-encoding")]
    return {**scope, "headers": [*headers, (b"content-length", b"0")]}


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _cookie(headers: Headers, name: str) -> str | None:
    return cookie_parser(headers.get("cookie", "")).get(name) or None


def _query_value(scope: Scope, name: str) -> str | None:
    query: bytes = scope.get("query_string", b"")
    if not query:
        return None
    values = parse_qs(query.decode("latin-1"), keep_blank_values=True).get(name)
    return values[0] if values else None
