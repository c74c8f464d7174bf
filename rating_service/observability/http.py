"""What the web app records of each request (pure ASGI middlewares, docs/operations.md "Metrics" and "Logs").

- ``RequestIdMiddleware``: the request's id (a sane ``X-Request-ID`` it came with, else a new one) is bound while it
  is served, so that every log line it causes carries it, and the jobs it queues too; it is returned as
  ``X-Request-ID`` on every answer, and kept in the request's state (``request.state.request_id``) for the last-resort
  error handler, which answers outside every middleware.
- ``HttpMetricsMiddleware``: requests counted and timed per method, route template and status.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Match

from rating_service.observability import metrics
from rating_service.observability.context import bound_request_id, new_request_id

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_KEY = "request_id"  # in the request's state


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        scope.setdefault("state", {})[REQUEST_ID_KEY] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with bound_request_id(request_id):
            await self.app(scope, receive, send_with_id)


def route_template(scope: Scope) -> str:
    """The template of the route that served (or would serve) the request; "unmatched" when none does.

    The router notes the route it chose in the scope; a request answered before routing (by the edge: a body over
    its limit, say) is matched against the app's routes here, as the router would."""
    route = scope.get("route")
    if route is None:
        partial = None
        for candidate in getattr(scope.get("app"), "routes", ()):
            match, _child = candidate.matches(scope)
            if match == Match.FULL:
                route = candidate
                break
            if match == Match.PARTIAL and partial is None:
                partial = candidate
        route = route or partial
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else metrics.UNMATCHED_ROUTE


class HttpMetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
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
            metrics.observe_request(scope["method"], route_template(scope), status, time.perf_counter() - started)
