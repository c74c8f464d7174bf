"""/api/v1/calendar: the working-day calendar of a year (signed-in users) and an administrator's schedule."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from rating_service.web.deps import AdminUser, CurrentUser, SessionDep, WriteSessionDep
from rating_service.web.errors import API_ERRORS
from rating_service.workdays import service

router = APIRouter(prefix="/api/v1", tags=["calendar / 工作日历"], responses=API_ERRORS)

Year = Annotated[int, Path(ge=2000, le=2100)]


class DayIn(BaseModel):
    date: dt.date
    name: str = Field(default="", max_length=100)


class YearIn(BaseModel):
    source: str = Field(min_length=1, max_length=300, description="依据，如 国办发明电〔2026〕7号")
    holidays: list[DayIn] = Field(default_factory=list, max_length=366)
    workdays: list[DayIn] = Field(default_factory=list, max_length=366)
    whole_year: bool = True


@router.get("/calendar/{year}", summary="Holidays and make-up working days of a year / 工作日历")
def show_year(year: Year, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return service.year_view(session=session, year=year)


@router.put("/calendar/{year}", summary="Enter a year's holiday schedule (admins) / 录入节假日安排")
def set_year(year: Year, body: YearIn, principal: AdminUser, session: WriteSessionDep) -> dict[str, Any]:
    service.set_year(session=session, year=year, source=body.source, actor=principal.username,
                     holidays=[service.DayEntry(d.date, d.name) for d in body.holidays],
                     workdays=[service.DayEntry(d.date, d.name) for d in body.workdays],
                     whole_year=body.whole_year)
    session.flush()
    return service.year_view(session=session, year=year)
