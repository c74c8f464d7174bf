"""Public pages (no login): ratings, a company, red and black lists, the methodology, appeal statistics, open data.

Every page is the same for every visitor (no account, no CSRF token), so each is rendered once per view of the
public data, language and query, and served from the disclosure cache with an ETag.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from rating_service.disclosure import service
from rating_service.disclosure.service import Cached, Preparing, PublicView, Query, company_history
from rating_service.disclosure.serving import REVALIDATE, preparing_headers, serve
from rating_service.i18n import Lang, translate
from rating_service.i18n.disclosure import PUBLIC_TEXT
from rating_service.records.formats import KINDS
from rating_service.web.ui import base_context, request_lang, score_chart, templates
from scoring.methodology import Methodology

router = APIRouter(include_in_schema=False)


def _page_key(request: Request, lang: Lang) -> tuple[Any, ...]:
    params = tuple(sorted((k, v) for k, v in request.query_params.multi_items() if k != "lang"))
    return ("page", request.url.path, lang, params)


async def serve_page(request: Request, template: str, context: Any) -> Response:
    """A public page: ``context(view, lang)`` gives the template's data; the page is rendered once per view."""
    lang = request_lang(request, page=True)

    def make(view: PublicView) -> Cached:
        base = base_context(request, lang, PUBLIC_TEXT, user=None, csrf_token="")
        html = templates.get_template(template).render({**base, **context(view, lang)})
        return Cached.of(html.encode("utf-8"), "text/html; charset=utf-8",
                         {"Cache-Control": REVALIDATE, "Vary": "Cookie"})

    explicit = request.query_params.get("lang")
    return await serve(request, _page_key(request, lang), make, set_lang=lang if explicit in ("zh", "en") else None,
                       preparing=preparing_page)


def preparing_page(request: Request, preparing: Preparing) -> Cached:
    """The minimal page while the data is being prepared (right after a start): the public cycles and a notice, 503
    with Retry-After, never stored (no ETag: a crawler must not keep it in place of the page)."""
    lang = request_lang(request, page=True)
    base = base_context(request, lang, PUBLIC_TEXT, user=None, csrf_token="")
    html = templates.get_template("public_preparing.html").render(
        {**base, "message": preparing.message(lang), "cycles": preparing.cycles, "ready": preparing.ready})
    return Cached(html.encode("utf-8"), "text/html; charset=utf-8", etag="",
                  headers=(*preparing_headers().items(), ("Vary", "Cookie")))


@router.get("/public", response_class=HTMLResponse)
async def ratings_page(request: Request) -> Response:
    query = Query.of(request.query_params)
    chosen = request.query_params.get("cycle")

    def context(view: PublicView, lang: Lang) -> dict[str, Any]:
        if not chosen and view.current() is None:
            return {"disclosure": None}
        disclosure = view.chosen(chosen)
        found = service.search(disclosure, query)
        keep = {"cycle": disclosure.cycle.id} if chosen else {}

        def qs(**changes: Any) -> str:
            return urlencode({**keep, **query.params(**changes)})

        return {"disclosure": disclosure, "found": found, "query": query, "keep": keep, "qs": qs,
                "cycles": view.public_cycles(), "grades": [g for g, _n in disclosure.grades]}

    return await serve_page(request, "public_ratings.html", context)


@router.get("/public/companies/{credit_code}", response_class=HTMLResponse)
async def company_page(request: Request, credit_code: Annotated[str, Path(max_length=18)]) -> Response:
    chosen = request.query_params.get("cycle")

    def context(view: PublicView, lang: Lang) -> dict[str, Any]:
        history = company_history(view, credit_code)
        disclosure, rating = history[-1]
        if chosen:  # a cycle that is not public, or does not rate the company, is 404 as everywhere else
            disclosure = view.chosen(chosen)
            rating = disclosure.rating_or_raise(credit_code)
        m = disclosure.methodology
        indicators = [{"code": code, "label": m.name("indicators", code, lang),
                       "explain": m.term("indicators", code).explain(lang), "sub_score": rating.sub_scores.get(code),
                       "weight": rating.weights.get(code), "base_weight": disclosure.methodology.weights[code]}
                      for code in service.INDICATORS]
        counted = [{"kind": kind, "label": KINDS[kind].label(lang),
                    "count": rating.counts.get(kind, 0),
                    "categories": [(service.category_label(kind, c, lang), n)
                                   for c, n in rating.categories.get(kind, {}).items()]}
                   for kind in service.KINDS]
        chart = score_chart([(d.cycle.name, r.score, r.grade) for d, r in history])
        return {"rating": rating, "disclosure": disclosure, "history": history, "indicators": indicators,
                "counted": counted, "chart": chart, "any_counted": any(c["count"] for c in counted)}

    return await serve_page(request, "public_company.html", context)


@router.get("/public/lists", response_class=HTMLResponse)
async def lists_page(request: Request) -> Response:
    chosen = request.query_params.get("cycle")

    def context(view: PublicView, lang: Lang) -> dict[str, Any]:
        if not chosen and view.current() is None:
            return {"disclosure": None}
        disclosure = view.chosen(chosen)
        rules = disclosure.methodology.lists
        return {"disclosure": disclosure, "cycles": view.public_cycles(),
                "red": disclosure.red_list(), "black": disclosure.black_list(),
                "repaired": disclosure.repaired_off_black_list(),
                "red_grades": translate("list_separator", lang).join(rules.red.grades),
                "red_excludes_provisional": rules.red.exclude_provisional,
                "black_grades": translate("list_separator", lang).join(rules.black.grades)}

    return await serve_page(request, "public_lists.html", context)


@router.get("/public/appeals", response_class=HTMLResponse)
async def appeals_page(request: Request) -> Response:
    return await serve_page(request, "public_appeals.html", lambda view, lang: {"disclosures": view.cycles()})


@router.get("/public/open-data", response_class=HTMLResponse)
async def open_data_page(request: Request) -> Response:
    def context(view: PublicView, lang: Lang) -> dict[str, Any]:
        fields = [{"name": n, "type": t, "zh": zh,
                   "meaning": (service.DICTIONARY_ZH.get(n, zh) if lang == "zh" else en)}
                  for n, t, zh, en in service.DICTIONARY]
        return {"disclosures": view.cycles(), "fields": fields}

    return await serve_page(request, "public_open_data.html", context)


def _curve(points: Any, *, width: int = 320, height: int = 160) -> dict[str, Any]:
    """A small chart of a breakpoint curve: x from 0 to 1.25 × the last breakpoint, y from 0 to 100."""
    left, right, top, bottom = 36, 10, 10, 26
    last_x = float(points[-1][0]) or 1.0
    span = last_x * 1.25
    pts = [(float(x), float(y)) for x, y in points] + [(span, float(points[-1][1]))]

    def sx(x: float) -> float:
        return round(left + (width - left - right) * x / span, 1)

    def sy(y: float) -> float:
        return round(top + (height - top - bottom) * (1 - y / 100), 1)

    return {"width": width, "height": height, "line": " ".join(f"{sx(x)},{sy(y)}" for x, y in pts),
            "dots": [{"x": sx(x), "y": sy(y), "label": f"({_n(x)}, {_n(y)})"} for x, y in pts[:-1]],
            "x_ticks": [{"x": sx(float(x)), "value": _n(float(x))} for x, _y in points],
            "y_ticks": [{"y": sy(v), "value": v} for v in (0, 50, 100)], "base": sy(0), "left": left,
            "right": width - right}


def _n(value: float) -> str:
    return f"{value:g}"


def methodology_context(methodology: Methodology, lang: Lang, view: PublicView) -> dict[str, Any]:
    """The methodology page: every number of the version, each thing by its name and plain explanation (the
    methodology's ``words``), never by its code."""
    m = methodology

    def term(section: str, code: str) -> dict[str, str]:
        found = m.term(section, code)
        return {"name": found.name(lang), "explain": found.explain(lang), "article": found.article or ""}

    weights = [{**term("indicators", code), "weight": weight} for code, weight in m.weights.items()]
    return {
        "m": m, "weights": weights, "band_rows": [{"grade": b.grade, "min": b.min} for b in m.bands],
        "insp_curve": _curve(m.inspections.breakpoints), "compl_curve": _curve(m.complaints.rate_breakpoints),
        "fee_curve": _curve(m.fees.breakpoints),
        # The on-time part: the share resolved on time (ZY-2025), or late complaints per 1,000 household-years with
        # their own constant and curve (ZY-2026).
        "late_rate": m.complaints.timeliness.late_rate,
        "late_curve": _curve(m.complaints.timeliness.breakpoints) if m.complaints.timeliness.late_rate else None,
        "severity": [(term("severities", k), v) for k, v in m.inspections.severity_points.items()],
        "fee_types": [(term("fee_types", k), v) for k, v in m.fees.type_points.items()],
        "levels": [(term("levels", k), v) for k, v in m.bonus.level_points.items()],
        "veto_fees": [m.name("fee_types", k, lang) for k in m.veto.fee_types],
        "veto_events": [m.name("event_kinds", k, lang) for k in m.veto.major_event_kinds],
        "tie_order": [m.name("reasons", code, lang) for code in m.explanation.tie_order],
        "rules": [term("rules", code) for code in ("attribution", "exposure", "weights", "bonus", "bands", "veto",
                                                   "floor", "provisional", "rounding")],
        "lists": [term("lists", code) for code in ("red", "black")],
        "reasons_words": [term("reasons", code) for code in (*m.explanation.tie_order, "VETO")],
        "versions": view.methodologies(),
        "used_by": [c for c in view.public_cycles() if c.methodology_id == m.id],
        "repair": repair_context(m, lang),
        "n": _n,
    }


def repair_context(m: Methodology, lang: Lang) -> dict[str, Any]:
    """The methodology's credit repair rules in words (its ``repair:`` section, or the shipped one)."""
    rules = m.repair_rules()

    def severity(code: str) -> str:
        return translate(f"repair_severity.{code}", lang)

    sep = translate("list_separator", lang)
    marks = [translate("repair_mark_rule", lang, mark=translate(f"repair_mark.{code}", lang),
                       severity=severity(rule.severity))
             for code, rule in rules.marks.items() if rule.repairable]
    words = {"fee_violations": "fee_types", "major_events": "event_kinds"}
    for kind, rule in rules.records.items():
        if not rule.repairable:
            continue
        line = translate("repair_mark_rule", lang, mark=KINDS[kind].label(lang), severity=severity(rule.severity))
        if rule.serious_types and rule.severity != "serious":
            line += translate("repair_serious_types", lang, types=sep.join(
                m.name(words[kind], code, lang) for code in rule.serious_types), severity=severity("serious"))
        marks.append(line)
    return {"rules": rules, "basis": rules.basis, "marks": marks,
            "periods": [(severity(code), period) for code, period in rules.publicity.items()],
            "conditions": [translate(f"repair_condition.{code}", lang) for code in rules.conditions]}


@router.get("/public/methodology", response_class=HTMLResponse)
async def methodology_current_page(request: Request) -> Response:
    def context(view: PublicView, lang: Lang) -> dict[str, Any]:
        current = view.current()
        chosen = (view.methodology(current.cycle.methodology_id) if current is not None
                  else view.methodologies()[-1])
        return methodology_context(chosen, lang, view)

    return await serve_page(request, "public_methodology.html", context)


@router.get("/public/methodology/{identifier}", response_class=HTMLResponse)
async def methodology_page(request: Request, identifier: Annotated[str, Path(max_length=64)]) -> Response:
    return await serve_page(request, "public_methodology.html",
                            lambda view, lang: methodology_context(view.methodology(identifier), lang, view))
