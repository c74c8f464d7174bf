"""``/metrics``: this web process's Prometheus series (docs/operations.md, "Metrics").

Answered only when ``metrics_enabled`` (else 404, as an unknown address), only to clients in ``metrics_allow_ips``
(the address as the app sees it: behind a trusted proxy, the one it forwards) and, when ``metrics_token`` is set,
only with ``Authorization: Bearer <token>``. A scrape never fails for want of the database: the jobs waiting are
then left out and a warning logged.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from rating_service.errors import Forbidden, Unauthorized
from rating_service.jobs import service as jobs
from rating_service.observability import metrics
from rating_service.settings import Settings, get_settings
from rating_service.web.deps import database_of

log = logging.getLogger(__name__)


def client_allowed(host: str | None, settings: Settings) -> bool:
    networks = settings.metrics_networks
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:  # no address (a test client, a Unix socket): only "any address" lets it in
        return False
    return any(address in network for network in networks)


def token_given(request: Request, settings: Settings) -> bool:
    if settings.metrics_token is None:
        return True
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = settings.metrics_token.get_secret_value().encode()
    # Compared in constant time, also when the scheme is wrong, so the answer's timing tells nothing.
    return hmac.compare_digest(given.strip().encode(), expected) and scheme.lower() == "bearer"


def install(app: FastAPI) -> None:
    @app.get("/metrics", include_in_schema=False)
    def scrape(request: Request) -> Response:
        settings = get_settings()
        if not settings.metrics_enabled:
            raise StarletteHTTPException(404)
        if not client_allowed(request.client.host if request.client else None, settings):
            raise Forbidden("metrics_forbidden")
        if not token_given(request, settings):
            raise Unauthorized("metrics_unauthorized")
        database = database_of(request)
        try:
            body, content_type = metrics.exposition(jobs_waiting=lambda: jobs.queue_depth(database))
        except Exception as exc:  # the database is down, say: the other series still answer
            log.warning("metrics: the jobs waiting could not be read, left out of this scrape: %s", exc)
            body, content_type = metrics.exposition()
        return Response(content=body, media_type=content_type)
