"""Officer pages: the validation report (and its PDF), the methodology versions, the what-if and adopting a draft."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from rating_service import clock
from rating_service.cycles import service as cycles
from rating_service.errors import RatingServiceError
from rating_service.i18n import Lang, Localized
from rating_service.i18n.explanations import EXPLAIN_TEXT
from rating_service.i18n.validation import PAGE_TEXT as TEXT
from rating_service.methodologies import service as methodologies
from rating_service.methodologies.service import MethodologyInvalid
from rating_service.settings import get_settings
from rating_service.validation import report_pdf, service
from rating_service.validation.wording import reason_text, report_figures, rule_changes_text
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
CURVES = tuple(methodologies.CURVE_PATHS.items())  # (key path, indicator code) of each indicator's scoring curve
MAX_UPLOAD = 100_000


def _curves(methodology: Methodology) -> tuple[tuple[str, str], ...]:
    """(key path, form key) of each curve the form edits for ``methodology``: the indicators' curves, and the
    timeliness curve of a version that has one (ZY-2026's late-rate rule; a share version has none)."""
    return tuple(methodologies.curve_paths(methodology).items())


def _curve_names(methodology: Methodology, lang: Lang) -> dict[str, tuple[str, str]]:
    """form key -> (the table's caption, the note under it), in the version's own words."""
    names = {code: (methodology.term("indicators", code).name(lang), methodology.term("indicators", code)
                    .explain(lang)) for _path, code in CURVES}
    path, key = methodologies.TIMELINESS_CURVE
    names[key] = (methodologies.field_words(path, methodology).render(lang), TEXT["timeliness_curve_note"][lang])
    return names


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
    report, error = None, None
    lang = request_lang(request, page=True)
    if cycle is not None and next is not None:
        try:
            report = service.validate(session=session, cycle_id=cycle, next_id=next).as_dict()
        except RatingServiceError as exc:
            if exc.status_code != 400:
                raise
            error = exc.message(lang)
    # Only pairs that can be judged: a cycle that some rated cycle follows, an outcome cycle that follows one.
    judged = [c for c in rated if any(service.follows(c, o) for o in rated)]
    outcomes = [o for o in rated if any(service.follows(c, o) for c in rated)]
    context: dict[str, Any] = {"rated": rated, "judged": judged, "outcomes": outcomes, "cycle_id": cycle,
                               "next_id": next, "report": report, "error": error}
    if report is not None:
        context.update(report_figures(report, lang, _indicator_names(session, report, lang)))
    return render(request, "validation.html", context, catalogue=TEXT, status_code=400 if error else 200)


def _indicator_names(session: Any, report: dict[str, Any], lang: Lang) -> dict[str, str]:
    """The names of the judged cycle's indicators in its methodology's own words."""
    methodology = methodologies.find(session, report["methodology_id"])
    return {code: methodology.name("indicators", code, lang) for code in methodology.weights}


@router.get("/validation/report.pdf")
def validation_pdf(request: Request, principal: OfficerUser, session: SessionDep,
                   cycle: QueryId, next: QueryId) -> Response:  # noqa: A002
    lang = request_lang(request, page=True)
    report = service.validate(session=session, cycle_id=cycle, next_id=next).as_dict()
    data = report_pdf.render_report(report, lang=lang, issuer=get_settings().issuer_name,
                                    indicators=_indicator_names(session, report, lang))
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


# The what-if form. Weights are typed in per cent (the page shows their total as you type); each scoring curve is a
# small table of rows 指标值 → 得分 (blank rows ignored, so the page works without script as a few spare rows); the
# grade bands one lower edge each. The form's fields become ``methodologies.with_changes`` overrides of the base
# version (the same path a YAML file's values take), after checks that name the field and the row in words.
MAX_ROWS = 20
MAX_MOVES = 50  # score changes listed on the page (the API gives every one)
SPARE_ROWS = 2
MAX_CELL = 20


class FormInvalid(RatingServiceError):
    status_code = 400
    code = "methodology_invalid"


class FormErrors(FormInvalid):
    """Several fields wrong at once: every message, one after the other."""

    def __init__(self, errors: list[FormInvalid]) -> None:
        super().__init__("rule_other")
        self.errors = errors

    def message(self, lang: Lang = "zh") -> str:
        return "".join(dict.fromkeys(e.message(lang) for e in self.errors[:8]))


def _number(value: Decimal | float) -> str:
    return f"{float(value):.10g}"


def _form_of(methodology: Methodology) -> dict[str, Any]:
    """The form's values of a version: weights in per cent, each curve's rows (and spare blank ones), bands."""
    return {"weights": {code: _number(100 * w) for code, w in methodology.weights.items()},
            "curves": {code: [(_number(x), _number(y)) for x, y in _get(methodology, path)]
                       for path, code in _curves(methodology)},
            "bands": [(b.grade, _number(b.min)) for b in methodology.bands]}


def _values_of(form: Any, start: Methodology) -> dict[str, Any]:
    """The form's values as typed (bounded: at most 2 × ``MAX_ROWS`` rows a curve, blank ones included, and
    ``MAX_CELL`` characters a cell)."""
    def cell(value: Any) -> str:
        return str(value or "").strip()[:MAX_CELL]

    curves = {}
    for _path, code in _curves(start):
        xs = [cell(v) for v in form.getlist(f"x_{code}")[:2 * MAX_ROWS]]
        ys = [cell(v) for v in form.getlist(f"y_{code}")[:2 * MAX_ROWS]]
        width = max(len(xs), len(ys))
        curves[code] = [((xs + [""] * width)[i], (ys + [""] * width)[i]) for i in range(width)]
    return {"weights": {code: cell(form.get(f"weight_{code}")) for code in start.weights},
            "curves": curves, "bands": [(b.grade, cell(form.get(f"band_{b.grade}"))) for b in start.bands]}


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    """The values with spare blank rows under each curve, as the page shows them."""
    curves = {}
    for code, rows in values["curves"].items():
        filled = [row for row in rows if row[0] or row[1]]
        curves[code] = filled + [("", "")] * max(0, min(SPARE_ROWS, MAX_ROWS - len(filled)))
    return {**values, "curves": curves}


def _weights_total(weights: dict[str, str]) -> tuple[str, bool]:
    """The weights' total as the page first shows it (the script keeps it current as one types): (per cent, = 100)."""
    try:
        total = sum((Decimal(v.removesuffix("%").strip()) for v in weights.values()), Decimal(0))
    except InvalidOperation:
        return "?", False
    return (_number(total), total == 100) if total.is_finite() else ("?", False)


def _decimal(text: str, field: Localized, errors: list[FormInvalid]) -> Decimal | None:
    try:
        value = Decimal(text.removesuffix("%").replace("，", ".").strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        errors.append(FormInvalid("rule_not_a_number", field=field, value=text))
        return None
    return value


def _draft_from(start: Methodology, values: dict[str, Any]) -> Methodology:
    """The draft the form describes, or ``FormInvalid`` naming every field that is wrong (in words, with rows)."""
    errors: list[FormInvalid] = []
    changes: dict[str, Any] = {"id": f"{start.id}-draft"}
    weights: dict[str, Decimal] = {}
    for code, text in values["weights"].items():
        field = Localized({lang: TEXT["field_weight_of"][lang].format(name=start.name("indicators", code, lang))
                           for lang in ("zh", "en")})
        value = _decimal(text, field, errors)
        if value is not None and not 0 <= value <= 100:
            errors.append(FormInvalid("rule_weight_range", field=field, value=_number(value)))
        elif value is not None:
            weights[code] = value
    if len(weights) == len(values["weights"]) and sum(weights.values()) != 100:
        errors.append(FormInvalid("rule_weights_sum", total=_number(sum(weights.values()))))
    # Decimal per cent over 100, then float: 35 -> 0.35 exactly as a YAML file's 0.35 reads.
    changes["weights"] = {code: float(value / 100) for code, value in weights.items()}
    for path, code in _curves(start):
        field = methodologies.field_words(path, start)
        rows = values["curves"].get(code, [])
        if sum(1 for x_text, y_text in rows if x_text or y_text) > MAX_ROWS:
            errors.append(FormInvalid("rule_too_many_rows", field=field, limit=MAX_ROWS))
            continue
        points: list[tuple[int, Decimal, Decimal]] = []
        for row, (x_text, y_text) in enumerate(rows, start=1):
            if not x_text and not y_text:
                continue
            if not x_text or not y_text:
                errors.append(FormInvalid("rule_row_half", field=field, row=row))
                continue
            x, y = _decimal(x_text, field, errors), _decimal(y_text, field, errors)
            if x is None or y is None:
                continue
            if x < 0:
                errors.append(FormInvalid("rule_value_negative", field=field, row=row, value=_number(x)))
            if not 0 <= y <= 100:
                errors.append(FormInvalid("rule_score_range", field=field, row=row, value=_number(y)))
            points.append((row, x, y))
        if len(points) < 2:
            errors.append(FormInvalid("rule_breakpoints_too_few", field=field))
            continue
        if points[0][1] != 0:
            errors.append(FormInvalid("rule_breakpoints_first_x", field=field, value=_number(points[0][1])))
        for (_r, x0, y0), (row, x1, y1) in zip(points, points[1:], strict=False):
            if x1 <= x0:
                errors.append(FormInvalid("rule_breakpoints_x_order", field=field, row=row, value=_number(x1),
                                          previous=_number(x0)))
            if y1 > y0:
                errors.append(FormInvalid("rule_breakpoints_y_order", field=field, row=row, value=_number(y1),
                                          previous=_number(y0)))
        changes[path] = [[float(x), float(y)] for _r, x, y in points]
    bands = []
    for grade, text in values["bands"]:
        field = Localized({lang: TEXT["field_band_of"][lang].format(grade=grade) for lang in ("zh", "en")})
        value = _decimal(text, field, errors)
        if value is not None and not 0 <= value <= 100:
            errors.append(FormInvalid("rule_band_range", field=field, value=_number(value)))
        bands.append({"grade": grade, "min": float(value) if value is not None else 0.0})
    changes["bands"] = bands
    if errors:
        raise errors[0] if len(errors) == 1 else FormErrors(errors)
    return methodologies.with_changes(start, changes)


def _get(methodology: Methodology, path: str) -> Any:
    value: Any = methodology
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _what_if_form(request: Request, session: Any, *, cycle_id: int | None, base: Methodology,
                  values: dict[str, Any] | None = None, error: str | None = None, status_code: int = 200,
                  result: dict[str, Any] | None = None, extra: dict[str, Any] | None = None) -> Response:
    return render(request, "what_if.html", {
        "rated": _rated(session), "cycle_id": cycle_id, "base": base, "versions": methodologies.all_versions(session),
        "form": _shown(values or _form_of(base)), "error": error, "result": result,
        "weights_total": _weights_total((values or _form_of(base))["weights"]),
        "indicator": {code: base.term("indicators", code) for code in base.weights}, "curves": _curves(base),
        "curve_names": _curve_names(base, request_lang(request, page=True)),
        "max_rows": MAX_ROWS, "max_moves": MAX_MOVES, **(extra or {})}, catalogue=TEXT, status_code=status_code)


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
    values = _values_of(form, start)
    lang = request_lang(request, page=True)
    uploaded = file is not None and bool(file.filename)
    try:
        if file is not None and file.filename:
            raw = file.file.read(MAX_UPLOAD + 1)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise MethodologyInvalid("methodology_invalid", field=methodologies.field_words("(file)"),
                                         reason_zh="文件应为 UTF-8 编码", reason_en="the file must be UTF-8") from None
            draft = methodologies.parse_text(text)
        else:
            draft = _draft_from(start, values)
        outcome = service.what_if(session=session, cycle_id=cycle, draft=draft)
    except RatingServiceError as exc:
        if exc.status_code != 400:
            raise
        return _what_if_form(request, session, cycle_id=cycle, base=start, values=values, error=exc.message(lang),
                             status_code=400)
    result = outcome.as_dict()
    return _what_if_form(request, session, cycle_id=cycle, base=start, values=_form_of(draft) if uploaded else values,
                         result=result, extra={
        "rule_changes": rule_changes_text(result["rule_changes"], outcome.current, draft, lang),
        "uploaded": uploaded, "draft_text": methodologies.as_text(draft),
        "reasons": lambda codes: reason_text(codes, lang),
        "default_effective": (clock.local_today().replace(month=1, day=1) + dt.timedelta(days=366)).replace(day=1)
        .isoformat(), "default_id": _suggest_id(start.id), "names": EXPLAIN_TEXT[lang]})


def _suggest_id(base: str) -> str:
    year = clock.local_today().year + 1
    stem = base.rsplit("-", 1)[0] if "-" in base else base
    return f"{stem}-{year}"


@router.post("/methodologies/adopt")
def adopt_page(request: Request, principal: AdminUser, session: WriteSessionDep,
               draft_text: Annotated[str, Form(max_length=MAX_UPLOAD)], new_id: Annotated[str, Form(max_length=64)],
               title: Annotated[str, Form(max_length=200)], effective_from: Annotated[dt.date, Form()],
               reason: Annotated[str, Form(max_length=5000)],
               based_on: Annotated[str | None, Form(max_length=64)] = None) -> Response:
    draft = methodologies.parse_text(draft_text)
    # Open-ended from its effective date (a later version takes over by starting later): a draft tried on a cycle
    # rated with ZY-2025 carries ZY-2025's end, 2025-12-31, which would end it before it starts.
    adopted = methodologies.with_changes(draft, {"id": new_id.strip(), "title": title.strip() or draft.title,
                                                 "effective_from": effective_from.isoformat(), "effective_to": None})
    methodologies.adopt(session=session, draft=adopted, actor=principal.username, reason=reason,
                        based_on=based_on, today=clock.local_today())
    return redirect("/methodologies")
