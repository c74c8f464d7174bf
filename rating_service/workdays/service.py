"""Administrators add a year's holiday schedule (or correct single days) when the package does not know it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rating_service.audit import service as audit
from rating_service.errors import RatingServiceError
from rating_service.workdays import holiday_calendar, repository
from rating_service.workdays.models import CalendarDay, CalendarYear


class CalendarInvalid(RatingServiceError):
    status_code = 400
    code = "calendar_invalid"


@dataclass(frozen=True)
class DayEntry:
    day: dt.date
    name: str


def schedule(session: Session) -> holiday_calendar.Schedule:
    return repository.schedule(session)


def add_working_days(session: Session, start: dt.date, days: int) -> dt.date:
    """`days` working days after `start`, on the package's calendar plus the administrators' data."""
    return holiday_calendar.add_working_days(start, days, repository.schedule(session))


def count_working_days(session: Session, first: dt.date, last: dt.date) -> int:
    """Working days from `first` to `last`, both included, on the package's calendar plus the administrators' data."""
    return holiday_calendar.count_working_days(first, last, repository.schedule(session))


def set_year(*, session: Session, year: int, holidays: Sequence[DayEntry], workdays: Sequence[DayEntry],
             source: str, actor: str, whole_year: bool = True) -> None:
    """Replace the administrators' data for a year.

    `holidays` are days off that would otherwise be working days; `workdays` are weekend days worked (调休).
    With `whole_year`, the year counts as known even where the package has no schedule for it.
    """
    if not 2000 <= year <= 2100:
        raise CalendarInvalid("calendar_year_out_of_range", year=year)
    seen: dict[dt.date, str] = {}
    for label, entries in (("holidays", holidays), ("workdays", workdays)):
        for number, entry in enumerate(entries, start=1):
            if entry.day.year != year:
                raise CalendarInvalid("calendar_day_other_year", field=label, row=number, day=entry.day.isoformat(),
                                      year=year)
            if entry.day in seen:
                raise CalendarInvalid("calendar_day_twice", field=label, row=number, day=entry.day.isoformat())
            seen[entry.day] = label
    now = dt.datetime.now(dt.UTC)
    rows = [CalendarDay(day=e.day, working=False, name=e.name.strip()[:100] or "节假日", created_at=now,
                        created_by=actor) for e in holidays]
    rows += [CalendarDay(day=e.day, working=True, name=e.name.strip()[:100] or "调休上班", created_at=now,
                         created_by=actor) for e in workdays]
    declared = CalendarYear(year=year, source=source.strip()[:300], created_at=now, created_by=actor) \
        if whole_year else None
    repository.replace_year(session, year=year, days=rows, entry=declared)
    audit.record(session, "calendar.set_year", actor=actor, entity_kind="calendar", entity_id=str(year),
                 payload={"holidays": [e.day.isoformat() for e in holidays],
                          "workdays": [e.day.isoformat() for e in workdays], "whole_year": whole_year,
                          "source": source})


def year_view(*, session: Session, year: int) -> dict[str, Any]:
    """A year as the deadlines see it: known or not, and every non-ordinary day with where it comes from."""
    data = repository.schedule(session)
    admin = {d.day: d for d in repository.days_of_year(session, year)}
    days: dict[dt.date, dict[str, Any]] = {}
    if year in holiday_calendar.package_years():
        for day, working, name in holiday_calendar.package_days(year):
            days[day] = {"date": day, "working": working, "name": name, "source": "package"}
    for day, row in admin.items():
        days[day] = {"date": day, "working": row.working, "name": row.name, "source": "admin"}
    entry = repository.year(session, year)
    return {"year": year, "known": year in holiday_calendar.known_years(data),
            "in_package": year in holiday_calendar.package_years(), "entered_by_admin": entry is not None,
            "source": entry.source if entry else None, "days": [days[d] for d in sorted(days)]}
