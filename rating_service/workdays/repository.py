"""Every query of the administrators' calendar data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rating_service.workdays.holiday_calendar import Schedule
from rating_service.workdays.models import CalendarDay, CalendarYear


def schedule(session: Session) -> Schedule:
    """All calendar data entered by administrators (a few dozen rows a year)."""
    days = {row.day: row.working for row in session.scalars(select(CalendarDay))}
    years = frozenset(session.scalars(select(CalendarYear.year)))
    return Schedule(days=days, years=years)


def days_of_year(session: Session, year: int) -> list[CalendarDay]:
    query = (select(CalendarDay).where(CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31))
             .order_by(CalendarDay.day))
    return list(session.scalars(query))


def year(session: Session, year: int) -> CalendarYear | None:
    return session.get(CalendarYear, year)


def replace_year(session: Session, *, year: int, days: Sequence[CalendarDay], entry: CalendarYear | None) -> None:
    session.execute(delete(CalendarDay).where(CalendarDay.day >= dt.date(year, 1, 1),
                                              CalendarDay.day <= dt.date(year, 12, 31)))
    session.execute(delete(CalendarYear).where(CalendarYear.year == year))
    session.flush()
    session.add_all(list(days))
    if entry is not None:
        session.add(entry)
    session.flush()
