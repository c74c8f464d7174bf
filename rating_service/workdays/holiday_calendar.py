"""Working days on the PRC calendar: weekends and public holidays off, weekend make-up working days (调休) on.

The `holidays` package knows the State Council's schedule for the years it has been told about; a year without
any make-up working day in its data is one whose schedule has not been announced (every announced year has
some). A deadline that would need such a year is refused rather than guessed.

An administrator can add what the package lacks as data (a `Schedule`): a whole year's holidays and make-up
working days once the State Council announces them, or a correction of single days. Pure: the service loads
the schedule from the database and passes it in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rating_service.errors import RatingServiceError


class CalendarUnknown(RatingServiceError):
    status_code = 409
    code = "calendar_unknown"


@lru_cache(maxsize=1)
def _china() -> object:
    import holidays

    return holidays.China(years=range(2000, 2101), language="zh_CN")


@dataclass(frozen=True)
class Schedule:
    """Calendar data entered by an administrator, on top of the package's.

    `days` maps a date to whether it is a working day (a holiday: False; a make-up working day: True) and
    wins over the package. `years` are years whose whole schedule was entered: in them, a day not listed is
    a working day from Monday to Friday.
    """

    days: Mapping[dt.date, bool] = field(default_factory=dict)
    years: frozenset[int] = frozenset()


NO_SCHEDULE = Schedule()


@lru_cache(maxsize=1)
def package_years() -> frozenset[int]:
    """Years whose holiday and make-up working day schedule the `holidays` package holds."""
    calendar = _china()
    return frozenset(day.year for day in calendar.weekend_workdays)  # type: ignore[attr-defined]


def known_years(schedule: Schedule = NO_SCHEDULE) -> frozenset[int]:
    """Years in which a deadline can be computed: the package's and those an administrator entered."""
    return package_years() | schedule.years


def is_working_day(day: dt.date, schedule: Schedule = NO_SCHEDULE) -> bool:
    if day.year not in known_years(schedule):
        raise CalendarUnknown("calendar_year_unknown", year=day.year, day=day.isoformat())
    if day in schedule.days:
        return schedule.days[day]
    if day.year in package_years():
        return bool(_china().is_working_day(day))  # type: ignore[attr-defined]
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int, schedule: Schedule = NO_SCHEDULE) -> dt.date:
    """The date that is `days` working days after `start` (`start` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, schedule):
            counted += 1
    return day


def count_working_days(first: dt.date, last: dt.date, schedule: Schedule = NO_SCHEDULE) -> int:
    """How many working days there are from `first` to `last`, both included (0 when `last` is before `first`)."""
    count = 0
    day = first
    while day <= last:
        count += is_working_day(day, schedule)
        day += dt.timedelta(days=1)
    return count


def package_days(year: int) -> list[tuple[dt.date, bool, str]]:
    """The package's holidays and make-up working days of a year: (day, working, name), by date."""
    calendar = _china()
    out = [(day, False, str(name)) for day, name in calendar.items() if day.year == year  # type: ignore[attr-defined]
           and day.weekday() < 5]
    out += [(day, True, "调休上班") for day in calendar.weekend_workdays if day.year == year]  # type: ignore[attr-defined]
    return sorted(out)
