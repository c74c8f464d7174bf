"""Officers' cycle pages (list, create, compute with progress, publicize, finalize) and the company drill-down."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.cycles import facts, repository, service, wording
from rating_service.cycles.models import CYCLE_STATES, Cycle, Job, Rating
from rating_service.cycles.service import visible_rating
from rating_service.cycles.wording import fixed, num
from rating_service.i18n import Lang, translate
from rating_service.i18n.cycles import PAGE_TEXT as TEXT
from rating_service.i18n.explanations import EXPLAIN_TEXT
from rating_service.intake import service as intake
from rating_service.jobs import service as jobs
from rating_service.methodologies import service as methodologies
from rating_service.notices import service as notices
from rating_service.records.formats import KINDS
from rating_service.settings import get_settings
from rating_service.web.deps import (
    CurrentUser,
    DatabaseDep,
    DbId,
    OfficerUser,
    OptionalQueryId,
    SessionDep,
    WriteSessionDep,
)
from rating_service.web.ui import redirect, render, request_lang
from rating_service.workdays.holiday_calendar import CalendarUnknown
from scoring.methodology import MethodologyError

router = APIRouter(include_in_schema=False)

# A page lists this many ratings (best first); the API pages through the rest.
RATINGS_SHOWN = 500
COMPUTE_STAGES = ("queued", "retrying", *service.COMPUTE_STAGES)


def _lookup_methodologies(session: Session) -> list[Any]:
    try:
        return methodologies.all_versions(session)
    except MethodologyError:
        # A broken methodology file must not take the cycle list down; creating a cycle reports it.
        return []


# -- list and create ---------------------------------------------------------------------------------------

def _next_year_without_cycle(cycles: list[Cycle], today: dt.date) -> int:
    """The year a new cycle most likely rates: last year, or the first year after it whose period no cycle covers
    yet (a year that already has its cycle is not offered again)."""
    year = today.year - 1
    while any(c.period_start <= dt.date(year, 12, 31) and c.period_end >= dt.date(year, 1, 1) for c in cycles):
        year += 1
    return year


@router.get("/cycles", response_class=HTMLResponse)
def cycles_page(request: Request, principal: OfficerUser, session: SessionDep) -> Response:
    lang = request_lang(request, page=True)
    cycles = service.list_cycles(session=session)
    year = _next_year_without_cycle(cycles, clock.local_today())
    return render(request, "cycles.html", {
        "cycles": cycles,
        "methodologies": _lookup_methodologies(session),
        "default_name": TEXT["name_default"][lang].format(year=year),
        "default_start": dt.date(year, 1, 1).isoformat(),
        "default_end": dt.date(year, 12, 31).isoformat(),
        "default_window": get_settings().appeal_window_days,
        "default_decision": get_settings().decision_days,
    }, catalogue=TEXT)


@router.post("/cycles")
def create_cycle(principal: OfficerUser, session: WriteSessionDep, name: Annotated[str, Form(max_length=100)],
                 period_start: Annotated[dt.date, Form()], period_end: Annotated[dt.date, Form()],
                 methodology_id: Annotated[str, Form(max_length=64)] = "",
                 appeal_window_days: Annotated[int | None, Form(ge=1, le=60)] = None,
                 decision_days: Annotated[int | None, Form(ge=1, le=120)] = None) -> Response:
    draft = service.CycleDraft(name, period_start, period_end, methodology_id.strip() or None, appeal_window_days,
                               decision_days)
    cycle = service.create_cycle(session=session, draft=draft, actor=principal.username)
    return redirect(f"/cycles/{cycle.id}")


# -- one cycle ---------------------------------------------------------------------------------------------

def _job_of_page(session: Session, cycle: Cycle, job_id: int | None) -> Job | None:
    """The job named in the URL (just started here), else any compute still running for this cycle."""
    if job_id is not None:
        job = jobs.find(session, job_id)
        if job is not None and job.cycle_id == cycle.id:
            return job
    return repository.running_job(session, cycle_id=cycle.id)


def _ranked(ratings: list[Rating]) -> list[tuple[int, Rating]]:
    """Competition ranks (1, 2, 2, 4) over ratings sorted best first."""
    out = []
    rank = 0
    previous: float | None = None
    for position, rating in enumerate(ratings, start=1):
        if rating.score != previous:
            rank, previous = position, rating.score
        out.append((rank, rating))
    return out


def _bars(grades: list[tuple[str, int]]) -> dict[str, Any]:
    """Geometry of the grade chart (horizontal bars in a 640-wide viewBox), computed here to keep SVG simple."""
    row, label_w, bar_max = 34, 56, 440
    top = max((count for _, count in grades), default=0) or 1
    bars = [{"grade": grade, "count": count, "y": i * row + 6, "width": round(bar_max * count / top, 1),
             "x": label_w} for i, (grade, count) in enumerate(grades)]
    return {"bars": bars, "height": len(grades) * row + 8, "bar_h": row - 12, "label_w": label_w}


def _long_date(day: dt.date, lang: Lang) -> str:
    return TEXT["date_long"][lang].format(year=day.year, month=day.month, day=day.day, iso=day.isoformat())


def _publicize_effects(session: Session, cycle: Cycle, dates: service.NoticeDates, lang: Lang) -> dict[str, str]:
    """For every notice date the publicize form offers: what publicizing with it does (how many notices, the last
    day of the appeal window as publicizing computes it), or why it would be refused (a year without calendar)."""
    out = {}
    day = dates.earliest
    while day <= dates.latest:
        try:
            deadline = notices.appeal_deadline(session=session, cycle=cycle, notice_date=day)
            text = TEXT["publicize_effect"][lang].format(n=cycle.rated or 0, deadline=_long_date(deadline, lang),
                                                         days=cycle.appeal_window_days)
        except CalendarUnknown as exc:
            text = TEXT["publicize_effect_unknown"][lang].format(n=cycle.rated or 0, days=cycle.appeal_window_days,
                                                                 year=exc.params.get("year", day.year + 1))
        out[day.isoformat()] = text
        day += dt.timedelta(days=1)
    return out


@router.get("/cycles/{cycle_id}", response_class=HTMLResponse)
def cycle_page(request: Request, cycle_id: DbId, principal: OfficerUser, session: SessionDep,
               job: OptionalQueryId = None) -> Response:
    lang = request_lang(request, page=True)
    cycle = service.get_cycle_or_raise(session=session, cycle_id=cycle_id)
    current = _job_of_page(session, cycle, job)
    computed = cycle.quality is not None
    notice_dates = service.notice_dates(cycle, today=clock.local_today())
    context: dict[str, Any] = {
        "cycle": cycle,
        "steps": CYCLE_STATES,
        "step_index": CYCLE_STATES.index(cycle.status),
        "allowed": {action: cycle.status in states for action, states in service.ALLOWED_FROM.items()},
        "window_open": service.window_open_on(cycle, clock.local_today()),
        # The publicize form offers only the notice dates the service accepts today (the default: today).
        "notice_dates": notice_dates,
        "publicize_effects": _publicize_effects(session, cycle, notice_dates, lang)
        if cycle.status == "computed" else {},
        "job": current,
        "job_error": jobs.error_text(current, lang) if current is not None and current.status == "failed" else None,
        # A list, not a dict: the page's script takes the stages' order from it (tojson sorts dict keys).
        "stages": [[stage, TEXT[f"stage_{stage}"][lang]] for stage in COMPUTE_STAGES],
        "constants": json.loads(cycle.constants) if cycle.constants else {},
        "computed": computed,
        "kind_labels": {k: v.label(lang) for k, v in KINDS.items()},
        "flag_text": EXPLAIN_TEXT[lang],
    }
    if cycle.status in ("draft", "computed"):
        # Tickets and patrol findings of the period still waiting in the intake queue count only once confirmed.
        pending = intake.unconfirmed_in_period(session, cycle.period_start, cycle.period_end)
        if pending:
            context["intake_warning"] = translate("intake_cycle_warning", lang, count=f"{pending:,}")
            context["intake_warning_link"] = translate("intake_cycle_warning_link", lang)
    if computed:
        grades = service.grade_distribution(session=session, cycle=cycle)
        ratings, total = repository.list_ratings(session, cycle_id=cycle.id, sort="-score", limit=RATINGS_SHOWN)
        context |= {
            "chart": _bars(grades),
            # Sorting the table by grade follows the methodology's order, not the alphabet (AAA > AA > A > B).
            "grade_order": {grade: i for i, (grade, _count) in enumerate(grades)},
            "quality": service.quality_report(session=session, cycle=cycle),
            "ratings": _ranked(ratings),
            "ratings_total": total,
        }
    counts = notices.document_counts(session=session, cycle_id=cycle.id)
    if counts:
        kinds = [k for k in counts if not k.endswith("_rendered")]
        context |= {
            "documents": {"notice": counts.get("notice", 0), "total": sum(counts[k] for k in kinds),
                          "rendered": sum(counts.get(f"{k}_rendered", 0) for k in kinds)},
            "bulletin": notices.bulletin(session=session, cycle_id=cycle.id),
            "notice_links": notices.notice_numbers(session=session, cycle_id=cycle.id),
        }
    return render(request, "cycle.html", context, catalogue=TEXT)


@router.post("/cycles/{cycle_id}/compute")
def compute_cycle(cycle_id: DbId, principal: OfficerUser, database: DatabaseDep,
                  reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    # In the background: a large county takes longer than a browser is willing to wait for a response.
    job = service.start_background_compute(database=database, cycle_id=cycle_id, actor=principal.username,
                                           reason=reason.strip() or None)
    return redirect(f"/cycles/{cycle_id}?job={job.id}")


@router.post("/cycles/{cycle_id}/publicize")
def publicize_cycle(cycle_id: DbId, principal: OfficerUser, session: WriteSessionDep, database: DatabaseDep,
                    reason: Annotated[str, Form(max_length=1000)] = "",
                    notice_date: Annotated[dt.date | None, Form()] = None) -> Response:
    service.publicize_cycle(session=session, cycle_id=cycle_id, actor=principal.username, notice_date=notice_date,
                            reason=reason.strip() or None)
    notices.render_in_background(database=database, cycle_id=cycle_id, session=session, actor=principal.username)
    return redirect(f"/cycles/{cycle_id}")


@router.post("/cycles/{cycle_id}/finalize")
def finalize_cycle(cycle_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                   reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    service.finalize_cycle(session=session, cycle_id=cycle_id, actor=principal.username,
                           reason=reason.strip() or None)
    return redirect(f"/cycles/{cycle_id}")


# -- one company's explanation -------------------------------------------------------------------------------

@router.get("/cycles/{cycle_id}/companies/{credit_code}", response_class=HTMLResponse)
def company_page(request: Request, cycle_id: DbId, credit_code: str, principal: CurrentUser,
                 session: SessionDep) -> Response:
    lang = request_lang(request, page=True)
    cycle, rating = visible_rating(session, principal, cycle_id, credit_code)
    exp = json.loads(rating.explanation)
    words = EXPLAIN_TEXT[lang]
    m = methodologies.find(session, exp["methodology_id"])
    notice = notices.latest_notice(session=session, cycle_id=cycle.id, credit_code=credit_code)
    return render(request, "company_rating.html", {
        "notice": notice,
        "appeal_open": service.window_open_on(cycle, clock.local_today()),
        "cycle": cycle, "rating": rating, "exp": exp, "flags": wording.flags(exp, lang, m),
        "flag_names": {key: m.name(section, name, lang) for name, section, key in wording.FLAGS},
        "methodology": m,
        "score": fixed(exp["score"], 1), "exposure": fixed(exp["exposure"], 2), "bonus": num(exp["bonus"]),
        "indicators": wording.indicator_rows(exp, lang, m), "reasons": wording.reasons(exp, lang, m),
        "method": wording.method_lines(exp, lang, m),
        "upgrade": wording.path(exp, lang, m),
        "words": words,
        # evidence as facts, the veto and the lists in full (rating_service/cycles/facts.py)
        **facts.page_evidence(session=session, cycle=cycle, rating=rating, lang=lang),
    }, catalogue=TEXT)
