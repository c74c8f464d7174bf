"""The administrators' calendar page: see a year as the deadlines see it; enter or correct its schedule."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from rating_service import clock
from rating_service.i18n.workdays import PAGE_TEXT as TEXT
from rating_service.web.deps import AdminUser, SessionDep, WriteSessionDep
from rating_service.web.ui import redirect, render
from rating_service.workdays import service

router = APIRouter(include_in_schema=False)


def _lines(text: str, field: str) -> list[service.DayEntry]:
    entries = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day, _, name = line.partition(" ")
        try:
            entries.append(service.DayEntry(dt.date.fromisoformat(day.strip()), name.strip()))
        except ValueError:
            raise service.CalendarInvalid("calendar_line_invalid", field=field, row=number,
                                          text=line[:40]) from None
    return entries


@router.get("/admin/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, principal: AdminUser, session: SessionDep,
                  year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Response:
    year = year if year and 2000 <= year <= 2100 else clock.local_today().year + 1
    view = service.year_view(session=session, year=year)
    admin_days = [d for d in view["days"] if d["source"] == "admin"]
    return render(request, "calendar.html", {
        "view": view,
        "holidays_text": "\n".join(f"{d['date'].isoformat()} {d['name']}" for d in admin_days if not d["working"]),
        "workdays_text": "\n".join(f"{d['date'].isoformat()} {d['name']}" for d in admin_days if d["working"]),
    }, catalogue=TEXT)


@router.post("/admin/calendar/{year}")
def save_calendar(year: Annotated[int, Path(ge=2000, le=2100)], principal: AdminUser, session: WriteSessionDep,
                  source: Annotated[str, Form(max_length=300)] = "",
                  holidays: Annotated[str, Form(max_length=20_000)] = "",
                  workdays: Annotated[str, Form(max_length=20_000)] = "",
                  whole_year: Annotated[bool, Form()] = False) -> Response:
    service.set_year(session=session, year=year, source=source or "—", actor=principal.username,
                     holidays=_lines(holidays, "放假日期"), workdays=_lines(workdays, "调休上班日期"),
                     whole_year=whole_year)
    return redirect(f"/admin/calendar?year={year}")
