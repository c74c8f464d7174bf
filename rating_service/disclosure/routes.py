"""Public JSON API and open data files (no login), served from the disclosure cache with ETags."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from rating_service.db import get_database
from rating_service.disclosure import service
from rating_service.disclosure.schemas import (
    OpenDataOut,
    PublicCompanyOut,
    PublicCycleListingOut,
    PublicMethodologyOut,
    PublicRatingPageOut,
)
from rating_service.disclosure.service import (
    PREPARING_ENTRIES,
    RETRY_AFTER_SECONDS,
    Cached,
    DisclosureCache,
    Preparing,
    PublicView,
    Query,
)
from rating_service.errors import NotFound
from rating_service.i18n import Lang
from rating_service.settings import get_settings
from rating_service.web.deps import DbId
from rating_service.web.errors import PUBLIC_ERRORS
from rating_service.web.ui import request_lang
from scoring.methodology import Methodology

router = APIRouter(tags=["public / 公开信息"], responses=PUBLIC_ERRORS)

# Pages and API answers may change with any decision: a browser revalidates every time (a 304 costs a few bytes).
REVALIDATE = "public, no-cache"
# Open data files: a minute of staleness is acceptable to a downloader, and spares the server a crowd.
OPEN_DATA = "public, max-age=60"
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
    return cache  # type: ignore[no-any-return]


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


def _json(data: Any, cache_control: str = REVALIDATE, **headers: str) -> Cached:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Cached.of(body, JSON_TYPE, {"Cache-Control": cache_control, **headers})


def _cycle_ref(view: PublicView, cycle: str) -> service.CycleDisclosure:
    return view.chosen(None if cycle == "current" else cycle)


def cycles_document(view: PublicView) -> list[dict[str, Any]]:
    return [{**d.cycle.as_json(), "companies": len(d.ratings), "grades": dict(d.grades), "appeals": d.appeals,
             "open_data": {"csv": f"/open-data/cycles/{d.cycle.id}/ratings.csv",
                           "json": f"/open-data/cycles/{d.cycle.id}/ratings.json"}} for d in view.cycles()]


def company_history(view: PublicView, credit_code: str) -> list[tuple[service.CycleDisclosure,
                                                                     service.PublicRating]]:
    """The company's rating in every public cycle, oldest first; 404 when it has none."""
    code = credit_code.strip().upper()
    found = [(d, d.by_code[code]) for d in reversed(view.cycles()) if code in d.by_code]
    if not found:
        raise NotFound("public_company_not_found", code=credit_code[:18])
    return found


@router.get("/api/v1/public/cycles", response_model=list[PublicCycleListingOut],
            summary="Publicized and finalized cycles / 已公示、已发布的评价周期")
async def public_cycles(request: Request) -> Response:
    return await serve(request, ("api", "cycles"), lambda view: _json(cycles_document(view)))


@router.get("/api/v1/public/cycles/{cycle}/ratings", response_model=PublicRatingPageOut,
            summary="A public cycle's ratings: search, filter, sort, page / 评价结果查询 (cycle: id or current)")
async def public_ratings(request: Request, cycle: Annotated[str, Path(max_length=20)]) -> Response:
    query = Query.of(request.query_params)

    def make(view: PublicView) -> Cached:
        disclosure = _cycle_ref(view, cycle)
        found = service.search(disclosure, query)
        return _json({"cycle": disclosure.cycle.as_json(), "total": found.total, "page": found.page,
                      "pages": found.pages, "per_page": found.per_page,
                      "items": [r.as_json() for r in found.items]})

    return await serve(request, ("api", "ratings", cycle, query.key()), make)


@router.get("/api/v1/public/companies/{credit_code}", response_model=PublicCompanyOut,
            summary="A company's public ratings in every public cycle / 企业公开评价结果")
async def public_company(request: Request, credit_code: Annotated[str, Path(max_length=18)]) -> Response:
    def make(view: PublicView) -> Cached:
        history = company_history(view, credit_code)
        latest = history[-1][1]
        return _json({"credit_code": latest.credit_code, "name": latest.name,
                      "ratings": [{"cycle": d.cycle.as_json(), **r.as_json()} for d, r in history]})

    return await serve(request, ("api", "company", credit_code.strip().upper()), make)


@router.get("/api/v1/public/methodologies", response_model=list[PublicMethodologyOut],
            summary="Methodology versions / 评价细则版本")
async def public_methodologies(request: Request) -> Response:
    return await serve(request, ("api", "methodologies"), lambda view: _json(
        [{"id": m.id, "title": m.title, "title_en": m.title_en, "effective_from": m.effective_from.isoformat(),
          "effective_to": m.effective_to.isoformat() if m.effective_to else None}
         for m in view.methodologies()]))


@router.get("/api/v1/public/methodologies/{identifier}", response_model=Methodology,
            summary="Every number of a methodology / 评价细则全文数据")
async def public_methodology(request: Request, identifier: Annotated[str, Path(max_length=64)]) -> Response:
    return await serve(request, ("api", "methodology", identifier), lambda view: _json(
        view.methodology(identifier).model_dump(mode="json")))


@router.get("/open-data/cycles/{cycle_id}/ratings.csv", summary="Open data: a cycle's ratings as CSV / 开放数据 CSV",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def open_data_csv(request: Request, cycle_id: DbId) -> Response:
    lang: Lang = "en" if request.query_params.get("lang") == "en" else "zh"

    def make(view: PublicView) -> Cached:
        disclosure = view.cycle(cycle_id)
        name = f"ratings-cycle-{cycle_id}{'-en' if lang == 'en' else ''}.csv"
        return Cached.of(service.ratings_csv(disclosure, lang), "text/csv; charset=utf-8",
                         {"Cache-Control": OPEN_DATA, "Content-Disposition": f'attachment; filename="{name}"'})

    return await serve(request, ("open-data", "csv", cycle_id, lang), make)


@router.get("/open-data/cycles/{cycle_id}/ratings.json", response_model=OpenDataOut,
            summary="Open data: a cycle's ratings as JSON / 开放数据 JSON")
async def open_data_json(request: Request, cycle_id: DbId) -> Response:
    def make(view: PublicView) -> Cached:
        return Cached.of(service.ratings_json(view.cycle(cycle_id)), JSON_TYPE,
                         {"Cache-Control": OPEN_DATA,
                          "Content-Disposition": f'inline; filename="ratings-cycle-{cycle_id}.json"'})

    return await serve(request, ("open-data", "json", cycle_id), make)
