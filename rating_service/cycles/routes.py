"""/api/v1/cycles: create, compute, publicize, finalize, show; ratings with explanations; data quality; jobs.

Officers see every cycle. A company sees only publicized and finalized cycles, and in them only its own
rating; anything else answers 404, so that a company cannot even learn what exists.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from rating_service.cycles import repository, service
from rating_service.cycles.models import Cycle, Job, Rating
from rating_service.cycles.schemas import (
    ActionIn,
    CycleDetailOut,
    CycleIn,
    CycleOut,
    JobOut,
    QualityOut,
    RatingDetailOut,
    RatingPageOut,
)
from rating_service.cycles.service import VISIBLE_TO_COMPANIES, visible_cycle, visible_rating
from rating_service.errors import NotFound
from rating_service.jobs import service as jobs
from rating_service.notices import service as notices
from rating_service.web.deps import CurrentUser, DatabaseDep, DbId, OfficerUser, Offset, SessionDep, WriteSessionDep
from rating_service.web.errors import API_ERRORS

router = APIRouter(prefix="/api/v1", tags=["cycles / 评价周期"], responses=API_ERRORS,
                   default_response_class=JSONResponse)


def cycle_out(cycle: Cycle, grades: list[tuple[str, int]] | None = None) -> dict[str, Any]:
    out = {
        "id": cycle.id, "name": cycle.name, "status": cycle.status,
        "period": {"start": cycle.period_start.isoformat(), "end": cycle.period_end.isoformat()},
        "methodology_id": cycle.methodology_id, "created_at": cycle.created_at, "created_by": cycle.created_by,
        "computed_at": cycle.computed_at, "computed_by": cycle.computed_by, "compute_count": cycle.compute_count,
        "publicized_at": cycle.publicized_at, "notice_date": cycle.notice_date, "finalized_at": cycle.finalized_at,
        "appeal_window_days": cycle.appeal_window_days, "appeal_deadline": cycle.appeal_deadline,
        "decision_days": cycle.decision_days,
        "snapshot": {"batch": cycle.snapshot_batch, "hash": cycle.snapshot_hash},
        "constants": json.loads(cycle.constants) if cycle.constants else None,
        "rated": cycle.rated,
    }
    if grades is not None:
        out["grades"] = dict(grades)
    return out


def rating_out(rating: Rating, *, with_explanation: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "credit_code": rating.credit_code, "name": rating.name, "score": rating.score, "grade": rating.grade,
        "band_grade": rating.band_grade, "bonus": rating.bonus, "veto": rating.veto,
        "provisional": rating.provisional, "red_list": rating.red_list, "black_list": rating.black_list,
        "exposure": rating.exposure, "visits": rating.visits, "methodology_id": rating.methodology_id,
        "snapshot_hash": rating.snapshot_hash,
    }
    if with_explanation:
        out["explanation"] = json.loads(rating.explanation)
    return out


def job_out(job: Job) -> dict[str, Any]:
    return {"id": job.id, "kind": job.kind, "cycle_id": job.cycle_id, "status": job.status, "stage": job.stage,
            "done": job.done, "total": job.total, "started_at": job.started_at, "finished_at": job.finished_at,
            "error": json.loads(job.error) if job.error else None}


@router.get("/cycles", response_model=list[CycleOut], summary="Rating cycles / 评价周期列表")
def list_cycles(principal: CurrentUser, session: SessionDep) -> list[dict[str, Any]]:
    statuses = None if principal.is_officer else VISIBLE_TO_COMPANIES
    return [cycle_out(c) for c in service.list_cycles(session=session, statuses=statuses)]


@router.post("/cycles", status_code=201, response_model=CycleOut,
             summary="Create a draft cycle (officers) / 新建评价周期")
def create_cycle(body: CycleIn, principal: OfficerUser, session: WriteSessionDep) -> dict[str, Any]:
    cycle = service.create_cycle(session=session, actor=principal.username,
                                 draft=service.CycleDraft(body.name, body.period_start, body.period_end,
                                                          body.methodology_id, body.appeal_window_days,
                                                          body.decision_days))
    return cycle_out(cycle)


@router.get("/cycles/{cycle_id}", response_model=CycleDetailOut, response_model_exclude_unset=True,
            summary="One cycle with its grade distribution / 评价周期详情")
def show_cycle(cycle_id: DbId, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    cycle = visible_cycle(session, principal, cycle_id)
    grades = service.grade_distribution(session=session, cycle=cycle) if principal.is_officer else None
    return cycle_out(cycle, grades)


@router.post("/cycles/{cycle_id}/compute", response_model=CycleOut,
             summary="Freeze the snapshot and rate (officers) / 计算")
def compute_cycle(cycle_id: DbId, principal: OfficerUser, database: DatabaseDep,
                  body: ActionIn | None = None) -> dict[str, Any]:
    body = body or ActionIn()
    cycle = service.compute_cycle(database=database, cycle_id=cycle_id, actor=principal.username,
                                  reason=body.reason)
    return cycle_out(cycle)


@router.post("/cycles/{cycle_id}/compute-jobs", status_code=202, response_model=JobOut,
             summary="Compute in the background; poll the job (officers) / 后台计算")
def start_compute_job(cycle_id: DbId, principal: OfficerUser, database: DatabaseDep,
                      body: ActionIn | None = None) -> dict[str, Any]:
    body = body or ActionIn()
    return job_out(service.start_background_compute(database=database, cycle_id=cycle_id, actor=principal.username,
                                                    reason=body.reason))


@router.get("/jobs/{job_id}", response_model=JobOut, summary="A background job's progress (officers) / 任务进度")
def show_job(job_id: DbId, principal: OfficerUser, session: SessionDep) -> dict[str, Any]:
    job = jobs.find(session, job_id)
    if job is None:
        raise NotFound("job_not_found", job_id=job_id)
    return job_out(job)


@router.post("/cycles/{cycle_id}/publicize", response_model=CycleOut,
             summary="Publicize the preliminary ratings (officers) / 公示")
def publicize_cycle(cycle_id: DbId, principal: OfficerUser, session: WriteSessionDep, database: DatabaseDep,
                    body: ActionIn | None = None) -> dict[str, Any]:
    """Numbers every notice and the bulletin; the PDFs are rendered by a background job queued when it commits."""
    body = body or ActionIn()
    cycle = service.publicize_cycle(session=session, cycle_id=cycle_id, actor=principal.username,
                                    notice_date=body.notice_date, reason=body.reason)
    notices.render_in_background(database=database, cycle_id=cycle.id, session=session, actor=principal.username)
    return cycle_out(cycle)


@router.post("/cycles/{cycle_id}/finalize", response_model=CycleOut, summary="Finalize the ratings (officers) / 定稿")
def finalize_cycle(cycle_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                   body: ActionIn | None = None) -> dict[str, Any]:
    body = body or ActionIn()
    return cycle_out(service.finalize_cycle(session=session, cycle_id=cycle_id, actor=principal.username,
                                            reason=body.reason))


@router.get("/cycles/{cycle_id}/ratings", response_model=RatingPageOut,
            summary="Ratings of a cycle, sorted and paginated / 评价结果")
def list_ratings(cycle_id: DbId, principal: CurrentUser, session: SessionDep,
                 grade: Annotated[str | None, Query(max_length=8)] = None,
                 sort: Annotated[str, Query(pattern="^-?(score|grade|credit_code|name|exposure)$")] = "-score",
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 offset: Offset = 0) -> dict[str, Any]:
    cycle = visible_cycle(session, principal, cycle_id)
    own = None if principal.is_officer else principal.credit_code or ""
    rows, total = repository.list_ratings(session, cycle_id=cycle.id, credit_code=own, grade=grade, sort=sort,
                                          limit=limit, offset=offset)
    return {"cycle_id": cycle.id, "total": total, "limit": limit, "offset": offset,
            "items": [rating_out(r) for r in rows]}


@router.get("/cycles/{cycle_id}/ratings/{credit_code}", response_model=RatingDetailOut,
            summary="One company's rating with its explanation / 企业评价说明")
def show_rating(cycle_id: DbId, credit_code: str, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    _cycle, rating = visible_rating(session, principal, cycle_id, credit_code)
    return rating_out(rating, with_explanation=True)


@router.get("/cycles/{cycle_id}/quality", response_model=QualityOut,
            summary="Data-quality report (officers) / 数据质量报告")
def quality_report(cycle_id: DbId, principal: OfficerUser, session: SessionDep) -> dict[str, Any]:
    cycle = service.get_cycle_or_raise(session=session, cycle_id=cycle_id)
    return {"cycle_id": cycle.id, **service.quality_report(session=session, cycle=cycle)}
