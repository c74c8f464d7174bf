"""Working days on the PRC calendar: weekends and public holidays off, weekend make-up working days (调休) on.

The `holidays` package knows the State Council's schedule for the years it has been told about; a year without
any make-up working day in its data is one whose schedule has not been announced (every announced year has
some). A deadline that would need such a year is refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from rating_service.errors import RatingServiceError


class CalendarUnknown(RatingServiceError):
    status_code = 409
    code = "calendar_unknown"


@lru_cache(maxsize=1)
def _china() -> object:
    import holidays

    return holidays.China(years=range(2000, 2101), language="zh_CN")


@lru_cache(maxsize=1)
def known_years() -> frozenset[int]:
    """Years whose holiday and make-up working day schedule the calendar holds."""
    calendar = _china()
    return frozenset(day.year for day in calendar.weekend_workdays)  # type: ignore[attr-defined]


def is_working_day(day: dt.date) -> bool:
    if day.year not in known_years():
        raise CalendarUnknown("calendar_year_unknown", year=day.year, day=day.isoformat())
    return bool(_china().is_working_day(day))  # type: ignore[attr-defined]


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date that is `days` working days after `start` (`start` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
