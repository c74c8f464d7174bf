"""Serving the disclosure cache over HTTP: the app's cache, ETags and 304s, and "preparing" answers (503).

Used by the public API, the open data files and the public pages alike; the service behind it knows no web types.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from rating_service.db import get_database
from rating_service.disclosure.service import (
    PREPARING_ENTRIES,
    RETRY_AFTER_SECONDS,
    Cached,
    DisclosureCache,
    Preparing,
    PublicView,
)
from rating_service.i18n import Lang
from rating_service.settings import get_settings
from rating_service.web.ui import request_lang

# Pages and API answers may change with any decision: a browser revalidates every time (a 304 costs a few bytes).
REVALIDATE = "public, no-cache"
JSON_TYPE = "application/json"
NO_STORE = "no-store"  # a "preparing" answer: never kept, by a browser or by a crawler


def disclosure_cache(request: Request) -> DisclosureCache:
    return cache_of(request.app)


def cache_of(app: Any) -> DisclosureCache:
    """The app's disclosure cache (one per app, i.e. per server process), made on first use."""
    state = app.state
    cache = getattr(state, "disclosure", None)
    if cache is None:
        settings = get_settings()
        cache = state.disclosure = DisclosureCache(state.database or get_database(),
                                                   poll_seconds=settings.disclosure_poll_seconds,
                                                   wait_seconds=settings.disclosure_build_wait_seconds)
    return cache


def _matches(request: Request, etag: str) -> bool:
    sent = request.headers.get("if-none-match")
    return sent is not None and (sent.strip() == "*" or etag in (tag.strip().removeprefix("W/")
                                                                 for tag in sent.split(",")))


def respond(request: Request, found: Cached, *, set_lang: Lang | None = None) -> Response:
    headers = {"ETag": found.etag, "X-Content-Type-Options": "nosniff", **dict(found.headers)}
    if _matches(request, found.etag):
        response = Response(status_code=304, headers=headers)
    else:
        response = Response(content=found.body, media_type=found.media_type, headers=headers)
    if set_lang is not None:
        response.set_cookie("lang", set_lang, samesite="lax")
    return response


def preparing_json(request: Request, preparing: Preparing) -> Cached:
    """The API's and the open-data files' answer while the data is being prepared: the error shape, 503."""
    lang = request_lang(request)
    body = json.dumps({"code": preparing.code, "message": preparing.message(lang), "details": preparing.details(lang)},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Cached(body, JSON_TYPE, etag="", headers=tuple(preparing_headers().items()))


def preparing_headers() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": NO_STORE}


def _preparing_response(request: Request, key: tuple[Any, ...], view: PublicView, preparing: Preparing,
                        make: Callable[[Request, Preparing], Cached]) -> Response:
    """503 with Retry-After and no ETag; made once per view and request (language included)."""
    memo = (*key, request.url.path, request.query_params.get("lang"), request.cookies.get("lang"),
            request.headers.get("accept-language"))
    found = view.preparing_answers.get(memo)
    if found is None:
        found = make(request, preparing)
        if len(view.preparing_answers) < PREPARING_ENTRIES:
            view.preparing_answers[memo] = found
    return Response(content=found.body, status_code=preparing.status_code, media_type=found.media_type,
                    headers={"X-Content-Type-Options": "nosniff", **dict(found.headers)})


async def serve(request: Request, key: tuple[Any, ...], make: Callable[[PublicView], Cached], *,
                set_lang: Lang | None = None,
                preparing: Callable[[Request, Preparing], Cached] = preparing_json) -> Response:
    """A cached answer, made (off the event loop) from the current view on a miss. Nothing here waits for a build:
    the database is asked at most once per poll; data not built yet answers "preparing" at once, except right after
    the start, when a request waits for it a little (``RATING_DISCLOSURE_BUILD_WAIT_SECONDS``)."""
    cache = disclosure_cache(request)
    if cache.claim_poll():
        await run_in_threadpool(cache.refresh)
    found = cache.answer(key)
    while found is None:
        view = cache.view()
        lacking = view.lacks.get(key)  # this view lacks the data for this answer: known, not tried again
        if lacking is None:
            try:
                found = await run_in_threadpool(cache.remember, key, view, partial(make, view))
                break
            except Preparing as exc:
                lacking = exc.with_traceback(None)  # kept with the view: no frames (and no cycle back to the view)
                if len(view.lacks) < PREPARING_ENTRIES:
                    view.lacks[key] = lacking
        patience = cache.patience_left()
        if patience <= 0:
            return _preparing_response(request, key, view, lacking, preparing)
        await cache.next_view(view, patience)
    return respond(request, found, set_lang=set_lang)
