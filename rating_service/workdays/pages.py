"""The administrators' calendar page: see a year as the deadlines see it; enter or correct its schedule."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from rating_service import clock
from rating_service.web.deps import AdminUser, SessionDep, WriteSessionDep
from rating_service.web.ui import redirect, render
from rating_service.workdays import service

router = APIRouter(include_in_schema=False)

TEXT = {
    "calendar_title": {"zh": "工作日历", "en": "Working-day calendar"},
    "year": {"zh": "年份", "en": "Year"},
    "show": {"zh": "查看", "en": "Show"},
    "known": {"zh": "已知：可以计算该年的期限。", "en": "Known: deadlines in this year can be computed."},
    "unknown": {"zh": "未知：该年没有节假日安排，涉及该年的期限会被拒绝计算。请录入国务院办公厅公布的安排。",
                "en": "Unknown: no holiday schedule; deadlines in this year are refused. "
                      "Enter the announced schedule."},
    "from_package": {"zh": "系统内置", "en": "built in"},
    "from_admin": {"zh": "管理员录入", "en": "entered by an administrator"},
    "day": {"zh": "日期", "en": "Date"},
    "status": {"zh": "状态", "en": "Status"},
    "name": {"zh": "名称", "en": "Name"},
    "source": {"zh": "来源", "en": "Source"},
    "working": {"zh": "上班", "en": "working"},
    "off": {"zh": "休息", "en": "off"},
    "enter": {"zh": "录入或更正本年安排", "en": "Enter or correct this year's schedule"},
    "enter_source": {"zh": "依据（如 国办发明电〔2026〕7号）", "en": "Source (e.g. the State Council notice)"},
    "enter_holidays": {"zh": "放假日期（每行一个：YYYY-MM-DD 名称）", "en": "Days off (one per line: YYYY-MM-DD name)"},
    "enter_workdays": {"zh": "调休上班日期（每行一个：YYYY-MM-DD 名称）",
                       "en": "Weekend working days (one per line: YYYY-MM-DD name)"},
    "enter_whole": {"zh": "这是该年完整的安排（使该年成为已知年份）",
                    "en": "This is the whole year's schedule (makes the year known)"},
    "save": {"zh": "保存", "en": "Save"},
    "confirm_save": {"zh": "保存后将替换该年已录入的安排，并用于之后计算的全部期限。确认？",
                     "en": "This replaces the year's entries and applies to every deadline computed from now on."},
}


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
