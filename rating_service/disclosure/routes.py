"""Public JSON API and open data files (no login), served from the disclosure cache with ETags."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from rating_service.disclosure import service
from rating_service.disclosure.schemas import (
    OpenDataOut,
    PublicCompanyOut,
    PublicCycleListingOut,
    PublicMethodologyOut,
    PublicRatingPageOut,
)
from rating_service.disclosure.service import Cached, PublicView, Query
from rating_service.disclosure.serving import JSON_TYPE, REVALIDATE, serve
from rating_service.i18n import Lang
from rating_service.web.deps import DbId
from rating_service.web.errors import PUBLIC_ERRORS
from rating_service.web.ui import content_disposition as attachment
from scoring.methodology import Methodology

router = APIRouter(tags=["public / 公开信息"], responses=PUBLIC_ERRORS)

# Open data files: a minute of staleness is acceptable to a downloader, and spares the server a crowd.
OPEN_DATA = "public, max-age=60"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _json(data: Any, cache_control: str = REVALIDATE, **headers: str) -> Cached:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Cached.of(body, JSON_TYPE, {"Cache-Control": cache_control, **headers})


def _cycle_ref(view: PublicView, cycle: str) -> service.CycleDisclosure:
    return view.chosen(None if cycle == "current" else cycle)


def cycles_document(view: PublicView) -> list[dict[str, Any]]:
    return [{**d.cycle.as_json(), "companies": len(d.ratings), "grades": dict(d.grades), "appeals": d.appeals,
             "open_data": {"csv": f"/open-data/cycles/{d.cycle.id}/ratings.csv",
                             "xlsx": f"/open-data/cycles/{d.cycle.id}/ratings.xlsx",
                           "json": f"/open-data/cycles/{d.cycle.id}/ratings.json"}} for d in view.cycles()]


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
        history = service.company_history(view, credit_code)
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


@router.get("/open-data/cycles/{cycle_id}/ratings.csv",
            summary="Open data: a cycle's ratings as CSV / 开放数据 CSV (lang=en: field names and machine values)",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def open_data_csv(request: Request, cycle_id: DbId) -> Response:
    lang: Lang = "en" if request.query_params.get("lang") == "en" else "zh"

    def make(view: PublicView) -> Cached:
        disclosure = view.cycle(cycle_id)
        ascii_name, name = service.open_data_names(disclosure.cycle, "csv", lang)
        return Cached.of(service.ratings_csv(disclosure, lang), "text/csv; charset=utf-8",
                         {"Cache-Control": OPEN_DATA, "Content-Disposition": attachment(ascii_name, name)})

    return await serve(request, ("open-data", "csv", cycle_id, lang), make)


@router.get("/open-data/cycles/{cycle_id}/ratings.xlsx",
            summary="Open data: a cycle's ratings as an Excel workbook / 开放数据 Excel（中文表头、代码为文本）",
            response_class=Response, responses={200: {"content": {XLSX_TYPE: {}}}})
async def open_data_xlsx(request: Request, cycle_id: DbId) -> Response:
    def make(view: PublicView) -> Cached:
        disclosure = view.cycle(cycle_id)
        ascii_name, name = service.open_data_names(disclosure.cycle, "xlsx")
        return Cached.of(service.ratings_xlsx(disclosure), XLSX_TYPE,
                         {"Cache-Control": OPEN_DATA, "Content-Disposition": attachment(ascii_name, name)})

    return await serve(request, ("open-data", "xlsx", cycle_id), make)


@router.get("/open-data/cycles/{cycle_id}/ratings.json", response_model=OpenDataOut,
            summary="Open data: a cycle's ratings as JSON / 开放数据 JSON")
async def open_data_json(request: Request, cycle_id: DbId) -> Response:
    def make(view: PublicView) -> Cached:
        return Cached.of(service.ratings_json(view.cycle(cycle_id)), JSON_TYPE,
                         {"Cache-Control": OPEN_DATA,
                          "Content-Disposition": f'inline; filename="ratings-cycle-{cycle_id}.json"'})

    return await serve(request, ("open-data", "json", cycle_id), make)
