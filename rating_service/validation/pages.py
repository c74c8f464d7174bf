"""Officer pages: the validation report (and its PDF), the methodology versions, the what-if and adopting a draft."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from rating_service import clock
from rating_service.cycles import service as cycles
from rating_service.errors import RatingServiceError
from rating_service.i18n.explanations import EXPLAIN_TEXT
from rating_service.i18n.validation import PAGE_TEXT as TEXT
from rating_service.methodologies import service as methodologies
from rating_service.methodologies.service import MethodologyInvalid
from rating_service.settings import get_settings
from rating_service.validation import report_pdf, service
from rating_service.validation.wording import reason_text, report_figures
from rating_service.web.deps import (
    MAX_DB_INT,
    AdminUser,
    FormDataDep,
    OfficerUser,
    OptionalQueryId,
    QueryId,
    SessionDep,
    WriteSessionDep,
)
from rating_service.web.ui import private_download, redirect, render, request_lang
from scoring.methodology import Methodology

router = APIRouter(include_in_schema=False)
CURVES = {"insp": "inspections.breakpoints", "compl": "complaints.rate_breakpoints", "fee": "fees.breakpoints"}
MAX_UPLOAD = 100_000


def _rated(session: Any) -> list[Any]:
    return [c for c in cycles.list_cycles(session=session) if c.status in service.RATED]


@router.get("/validation", response_class=HTMLResponse)
def validation_page(request: Request, principal: OfficerUser, session: SessionDep,
                    cycle: OptionalQueryId = None,
                    next: OptionalQueryId = None) -> Response:  # noqa: A002
    rated = _rated(session)
    if (cycle is None or next is None) and rated:
        # Default: the latest rated cycle that has a next one, judged by it.
        for candidate in sorted(rated, key=lambda c: c.period_start, reverse=True):
            later = service.next_cycle_of(session=session, cycle=candidate)
            if later is not None:
                cycle, next = candidate.id, later.id
                break
    report = None
    if cycle is not None and next is not None:
        report = service.validate(session=session, cycle_id=cycle, next_id=next).as_dict()
    lang = request_lang(request, page=True)
    context: dict[str, Any] = {"rated": rated, "cycle_id": cycle, "next_id": next, "report": report}
    if report is not None:
        context.update(report_figures(report, lang))
    return render(request, "validation.html", context, catalogue=TEXT)


@router.get("/validation/report.pdf")
def validation_pdf(request: Request, principal: OfficerUser, session: SessionDep,
                   cycle: QueryId, next: QueryId) -> Response:  # noqa: A002
    lang = request_lang(request, page=True)
    report = service.validate(session=session, cycle_id=cycle, next_id=next).as_dict()
    data = report_pdf.render_report(report, lang=lang, issuer=get_settings().issuer_name)
    name = f"methodology-validation-{cycle}-{next}.pdf"
    return private_download(data, media_type="application/pdf", filename=f"评价细则验证报告-{cycle}-{next}.pdf",
                            ascii_name=name)


@router.get("/methodologies", response_class=HTMLResponse)
def methodologies_page(request: Request, principal: OfficerUser, session: SessionDep) -> Response:
    today = clock.local_today()
    try:
        in_force = methodologies.in_force(session, today).id
    except RatingServiceError:
        in_force = None
    return render(request, "methodologies.html", {
        "versions": methodologies.all_versions(session), "adopted": methodologies.adopted_rows(session),
        "in_force": in_force, "rated": _rated(session)}, catalogue=TEXT)


def _points_text(points: Any) -> str:
    return ", ".join(f"{x:g}:{y:g}" for x, y in points)


def _parse_points(text: str, field: str) -> list[list[float]]:
    points = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        x, sep, y = part.replace("：", ":").partition(":")
        try:
            if not sep:
                raise ValueError
            points.append([float(x), float(y)])
        except ValueError:
            raise MethodologyInvalid("methodology_invalid", field=field,
                                     reason_zh=f"无法识别“{part[:20]}”，应为 x:得分",
                                     reason_en=f"cannot read '{part[:20]}'; expected x:score") from None
    return points


def _form_of(methodology: Methodology) -> dict[str, Any]:
    return {"weights": dict(methodology.weights),
            "curves": {key: _points_text(_get(methodology, path)) for key, path in CURVES.items()},
            "bands": [(b.grade, b.min) for b in methodology.bands]}


def _get(methodology: Methodology, path: str) -> Any:
    value: Any = methodology
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _what_if_form(request: Request, session: Any, *, cycle_id: int | None, base: Methodology,
                  values: dict[str, Any] | None = None, error: str | None = None, status_code: int = 200) -> Response:
    return render(request, "what_if.html", {
        "rated": _rated(session), "cycle_id": cycle_id, "base": base, "versions": methodologies.all_versions(session),
        "form": values or _form_of(base), "error": error, "result": None}, catalogue=TEXT, status_code=status_code)


@router.get("/methodologies/what-if", response_class=HTMLResponse)
def what_if_page(request: Request, principal: OfficerUser, session: SessionDep,
                 cycle: OptionalQueryId = None,
                 base: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    rated = _rated(session)
    chosen = cycle if cycle is not None else (rated[0].id if rated else None)
    if base:
        start = methodologies.find(session, base)
    elif chosen is not None:
        start = cycles.methodology_of(cycles.get_cycle_or_raise(session=session, cycle_id=chosen))
    else:
        start = methodologies.in_force(session, clock.local_today())
    return _what_if_form(request, session, cycle_id=chosen, base=start)


@router.post("/methodologies/what-if", response_class=HTMLResponse)
def what_if_run(request: Request, principal: OfficerUser, session: SessionDep, form: FormDataDep,
                cycle: Annotated[int, Form(ge=1, le=MAX_DB_INT)], base: Annotated[str, Form(max_length=64)],
                file: UploadFile | None = None) -> Response:
    start = methodologies.find(session, base)
    values = {"weights": {code: str(form.get(f"weight_{code}", "")) for code in start.weights},
              "curves": {key: str(form.get(f"curve_{key}", "")) for key in CURVES},
              "bands": [(b.grade, str(form.get(f"band_{b.grade}", ""))) for b in start.bands]}
    lang = request_lang(request, page=True)
    try:
        if file is not None and file.filename:
            raw = file.file.read(MAX_UPLOAD + 1)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise MethodologyInvalid("methodology_invalid", field="(file)", reason_zh="文件应为 UTF-8 编码",
                                         reason_en="the file must be UTF-8") from None
            draft = methodologies.parse_text(text)
        else:
            draft = _draft_from(start, values)
        outcome = service.what_if(session=session, cycle_id=cycle, draft=draft)
    except MethodologyInvalid as exc:
        return _what_if_form(request, session, cycle_id=cycle, base=start, values=values, error=exc.message(lang),
                             status_code=400)
    result = outcome.as_dict()
    return render(request, "what_if.html", {
        "rated": _rated(session), "cycle_id": cycle, "base": start, "versions": methodologies.all_versions(session),
        "form": values if not (file is not None and file.filename) else _form_of(draft), "error": None,
        "result": result, "draft_text": methodologies.as_text(draft), "reasons": lambda codes: reason_text(codes, lang),
        "default_effective": (clock.local_today().replace(month=1, day=1) + dt.timedelta(days=366)).replace(day=1)
        .isoformat(), "default_id": _suggest_id(start.id), "names": EXPLAIN_TEXT[lang]}, catalogue=TEXT)


def _suggest_id(base: str) -> str:
    year = clock.local_today().year + 1
    stem = base.rsplit("-", 1)[0] if "-" in base else base
    return f"{stem}-{year}"


def _draft_from(start: Methodology, values: dict[str, Any]) -> Methodology:
    changes: dict[str, Any] = {"id": f"{start.id}-draft"}
    try:
        changes["weights"] = {code: float(value) for code, value in values["weights"].items()}
    except ValueError:
        raise MethodologyInvalid("methodology_invalid", field="weights", reason_zh="权重应为数字",
                                 reason_en="weights must be numbers") from None
    for key, path in CURVES.items():
        changes[path] = _parse_points(values["curves"][key], path)
    try:
        changes["bands"] = [{"grade": grade, "min": float(value)} for grade, value in values["bands"]]
    except ValueError:
        raise MethodologyInvalid("methodology_invalid", field="bands", reason_zh="等级最低分应为数字",
                                 reason_en="grade edges must be numbers") from None
    return methodologies.with_changes(start, changes)


@router.post("/methodologies/adopt")
def adopt_page(request: Request, principal: AdminUser, session: WriteSessionDep,
               draft_text: Annotated[str, Form(max_length=MAX_UPLOAD)], new_id: Annotated[str, Form(max_length=64)],
               title: Annotated[str, Form(max_length=200)], effective_from: Annotated[dt.date, Form()],
               reason: Annotated[str, Form(max_length=5000)],
               based_on: Annotated[str | None, Form(max_length=64)] = None) -> Response:
    draft = methodologies.parse_text(draft_text)
    adopted = methodologies.with_changes(draft, {"id": new_id.strip(), "title": title.strip() or draft.title,
                                                 "effective_from": effective_from.isoformat()})
    methodologies.adopt(session=session, draft=adopted, actor=principal.username, reason=reason,
                        based_on=based_on, today=clock.local_today())
    return redirect("/methodologies")
