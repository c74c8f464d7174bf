"""/api/v1/calendar: the working-day calendar of a year (signed-in users) and an administrator's schedule."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from rating_service.web.deps import AdminUser, CurrentUser, SessionDep, WriteSessionDep
from rating_service.web.errors import API_ERRORS
from rating_service.workdays import service
from rating_service.workdays.schemas import YearIn, YearOut

router = APIRouter(prefix="/api/v1", tags=["calendar / 工作日历"], responses=API_ERRORS,
                   default_response_class=JSONResponse)

Year = Annotated[int, Path(ge=2000, le=2100)]


@router.get("/calendar/{year}", response_model=YearOut,
            summary="Holidays and make-up working days of a year / 工作日历")
def show_year(year: Year, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return service.year_view(session=session, year=year)


@router.put("/calendar/{year}", response_model=YearOut,
            summary="Enter a year's holiday schedule (admins) / 录入节假日安排")
def set_year(year: Year, body: YearIn, principal: AdminUser, session: WriteSessionDep) -> dict[str, Any]:
    service.set_year(session=session, year=year, source=body.source, actor=principal.username,
                     holidays=[service.DayEntry(d.date, d.name) for d in body.holidays],
                     workdays=[service.DayEntry(d.date, d.name) for d in body.workdays],
                     whole_year=body.whole_year)
    session.flush()
    return service.year_view(session=session, year=year)
