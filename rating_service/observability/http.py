"""What the web app records of each request (pure ASGI middlewares, docs/operations.md "Metrics" and "Logs").

- ``RequestIdMiddleware``: the request's id (a sane ``X-Request-ID`` it came with, else a new one) is bound while it
  is served, so that every log line it causes carries it, and the jobs it queues too; it is returned as
  ``X-Request-ID`` on every answer, and kept in the request's state (``request.state.request_id``) for the last-resort
  error handler, which answers outside every middleware.
- ``HttpMetricsMiddleware``: requests counted and timed per method, route template and status.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rating_service.observability import metrics
from rating_service.observability.context import bound_request_id, new_request_id

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_KEY = "request_id"  # in the request's state


class _HttpMiddleware:
    """A pure ASGI middleware that sees HTTP requests only (lifespan and websockets pass through)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class RequestIdMiddleware(_HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = new_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        scope.setdefault("state", {})[REQUEST_ID_KEY] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with bound_request_id(request_id):
            await self.app(scope, receive, send_with_id)


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    methods: frozenset[str] | None  # None: any (a mount)
    path: str


def _templates(routes: Iterable[Any], prefix: str = "") -> Iterator[_Template]:
    """Every route of an app, included routers opened, as the router would try them."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            inner = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            yield from _templates(included.routes, prefix + inner)
        elif isinstance(getattr(route, "path", None), str):
            pattern = compile_path(prefix + route.path)[0] if prefix else route.path_regex
            methods = getattr(route, "methods", None)
            yield _Template(pattern, frozenset(methods) if methods else None, prefix + route.path)


def route_template(scope: Scope, templates: Sequence[_Template]) -> str:
    """The template of the route that served (or would serve) the request; "unmatched" when none does.

    The router notes the route it chose in the scope; a request answered before routing (by the edge: a body over
    its limit, say) is matched against the app's routes, as the router would match it."""
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str) and path:
        return path
    found = [t for t in templates if t.pattern.match(scope["path"])]
    for template in found:
        if template.methods is None or scope["method"] in template.methods:
            return template.path
    return found[0].path if found else metrics.UNMATCHED_ROUTE


class HttpMetricsMiddleware(_HttpMiddleware):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self._templates: list[_Template] | None = None  # the app's routes, read at the first request

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._templates is None:
            self._templates = list(_templates(getattr(scope.get("app"), "routes", ())))
        started = time.perf_counter()
        status = 500  # what the last-resort handler answers when the app raises before answering

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            seconds = time.perf_counter() - started
            metrics.observe_request(scope["method"], route_template(scope, self._templates), status, seconds)
