"""/api/v1/monitor: the running rating of the period to date, for officers (all companies) and for a company (its
own position); never published (docs/monitor.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from rating_service import clock
from rating_service.errors import Forbidden
from rating_service.monitor import service
from rating_service.monitor.schemas import DriverOut, LineOut, MonitorOut, PositionOut
from rating_service.settings import get_settings
from rating_service.web.deps import CurrentUser, OfficerUser, SessionDep
from rating_service.web.errors import API_ERRORS
from rating_service.web.ui import request_lang

router = APIRouter(prefix="/api/v1", tags=["monitor / 信用预警"], responses=API_ERRORS,
                   default_response_class=JSONResponse)


def line_out(line: service.Line, drivers: list[service.Driver] | None = None) -> LineOut:
    return LineOut(credit_code=line.credit_code, name=line.name, score=round(line.score, 4), grade=line.grade,
                   last_score=line.last_score, last_grade=line.last_grade,
                   margin=None if line.margin is None else round(line.margin, 4), next_grade=line.next_grade,
                   below_last=line.below_last, near_edge=line.near_edge,
                   drivers=[DriverOut(reason=d.label, lost=d.lost, records=list(d.records)) for d in drivers or []])


@router.get("/monitor", response_model=MonitorOut)
def monitor(request: Request, principal: OfficerUser, session: SessionDep) -> MonitorOut:
    """本期预警试算：下滑或临近降级的企业及其扣分记录（仅业务人员；暂定，不公开）/ the running rating (officers)."""
    lang = request_lang(request)
    current = service.running(session, today=clock.local_today())
    every = service.lines(current)
    slide = [li for li in every if li.sliding]
    worded = service.drivers(session, current, [li.credit_code for li in slide], lang)
    return MonitorOut(provisional=True, period_start=current.period.start, period_end=current.period.end,
                      methodology=current.methodology.id, last_cycle=current.last_cycle_name,
                      margin_points=get_settings().monitor_margin_points,
                      sliding=[line_out(li, worded[li.credit_code]) for li in slide],
                      others=[line_out(li) for li in every if not li.sliding])


@router.get("/monitor/mine", response_model=PositionOut)
def monitor_mine(request: Request, principal: CurrentUser, session: SessionDep) -> PositionOut:
    """本企业的预警试算与拉低得分的记录（仅企业账户，只见本企业）/ a company's own running position."""
    if principal.is_officer or not principal.credit_code:
        raise Forbidden("monitor_company_only")
    lang = request_lang(request)
    position = service.company_position(session, credit_code=principal.credit_code, today=clock.local_today(),
                                        lang=lang, for_company=True)
    current = position.running
    return PositionOut(provisional=True, period_start=current.period.start, period_end=current.period.end,
                       methodology=current.methodology.id, last_cycle=current.last_cycle_name,
                       position=line_out(position.line, position.drivers))
