"""Serving the disclosure cache over HTTP: the app's cache, ETags and 304s, and "preparing" answers (503).

Used by the public API, the open data files and the public pages alike; the service behind it knows no web types.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

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
    generation = cache.view().generation  # read before the answer: an answer of a newer view is merely not kept
    found = cache.answer(key)
    while found is None:
        view = cache.view()
        lacking = view.lacks.get(key)  # this view lacks the data for this answer: known, not tried again
        if lacking is None:
            try:
                found = await run_in_threadpool(cache.remember, key, view, partial(make, view))
                generation = view.generation
                break
            except Preparing as exc:
                lacking = exc.with_traceback(None)  # kept with the view: no frames (and no cycle back to the view)
                if len(view.lacks) < PREPARING_ENTRIES:
                    view.lacks[key] = lacking
        patience = cache.patience_left()
        if patience <= 0:
            return _preparing_response(request, key, view, lacking, preparing)
        await cache.next_view(view, patience)
    request.scope.setdefault("state", {})[FRONT_NOTE] = (generation, found, set_lang)
    return respond(request, found, set_lang=set_lang)


# -- the front: a repeated request answered before routing ------------------------------------------------------------

FRONT_NOTE = "disclosure.front"  # scope state: (generation, answer, set_lang) of an answer ``serve`` gave
FRONT_ENTRIES = 4096
FRONT_MAX_BODY = 1 << 20  # large downloads gain nothing from skipping the router: they are not kept here
_FRONT_HEADERS = (b"cookie", b"accept-language", b"host")  # the headers a public answer may depend on


@dataclass(frozen=True)
class _FrontEntry:
    generation: int
    found: Cached
    set_lang: Lang | None
    route: Any


def _front_key(scope: Scope) -> tuple[Any, ...] | None:
    """Everything of a GET request that a public answer may depend on: the path, the query string, and the headers
    that choose the language or could (the whole Cookie header, Accept-Language, and Host). None: not a GET."""
    if scope["method"] != "GET":
        return None
    wanted: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in _FRONT_HEADERS:
            if name in wanted:  # a header sent twice: the router's reading is the one that counts
                return None
            wanted[name] = value
    return (scope.get("root_path", ""), scope["path"], scope.get("query_string", b""),
            *(wanted.get(name) for name in _FRONT_HEADERS))



class PublicFront:
    """Answers a GET that ``serve`` answered before, from the same cached answer, without routing it again.

    The app's own router, dependencies and route functions cost most of a public answer's time (about two thirds on
    the nation's company page); a repeated request (the same path, query, cookies, Accept-Language and Host) needs
    none of them: the answer is the one ``serve`` gave for it, kept with the generation of the view it came from,
    and given only while that view is still shown (the poll is taken here as ``serve`` would take it). 304s are
    worked out by ``respond`` as always. Only answers ``serve`` noted are kept: errors, "preparing" answers and
    everything outside the disclosure never are. Sits inside the edge, the metrics and the request id, which see
    every request as before (the route is noted for the metrics)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._entries: OrderedDict[tuple[Any, ...], _FrontEntry] = OrderedDict()
        self._generation: int | None = None
        self.hits = 0  # requests answered here (for tests and a look at a running server)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _front_key(scope) if scope["type"] == "http" else None
        cache = getattr(getattr(scope.get("app"), "state", None), "disclosure", None) if key is not None else None
        if key is None or cache is None:
            await self.app(scope, receive, send)
            return
        entry = self._entries.get(key)
        if entry is not None and await self._polled(cache):
            if self._current(cache) == entry.generation:
                with suppress(KeyError):
                    self._entries.move_to_end(key)
                scope["route"] = entry.route
                self.hits += 1
                await respond(Request(scope), entry.found, set_lang=entry.set_lang)(scope, receive, send)
                return
        await self.app(scope, receive, send)
        noted = scope.get("state", {}).pop(FRONT_NOTE, None)
        if noted is None:
            return
        generation, found, set_lang = noted
        if generation == self._current(cache) and len(found.body) <= FRONT_MAX_BODY:
            self._entries[key] = _FrontEntry(generation, found, set_lang, scope.get("route"))
            while len(self._entries) > FRONT_ENTRIES:
                self._entries.popitem(last=False)

    @staticmethod
    async def _polled(cache: DisclosureCache) -> bool:
        """The poll taken here when due, as ``serve`` would take it; False when it failed (the database is away):
        the request then goes the whole way, whose ``serve`` polls again and whose error handlers answer."""
        if not cache.claim_poll():
            return True
        try:
            await run_in_threadpool(cache.refresh)
        except Exception:
            cache.expire()
            return False
        return True

    def _current(self, cache: DisclosureCache) -> int:
        """The generation shown now; every kept answer is dropped when it moves on."""
        generation = cache.view().generation
        if generation != self._generation:
            self._entries.clear()
            self._generation = generation
        return generation
