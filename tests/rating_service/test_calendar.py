"""Working days on the PRC calendar: holidays off, 调休 weekend days on, unknown years refused."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from rating_service.workdays import holiday_calendar as calendar
from rating_service.workdays.holiday_calendar import CalendarUnknown, add_working_days, is_working_day, known_years

D = dt.date

ADDED = [
    # a plain week: Monday + 5 = next Monday
    (D(2026, 1, 12), 5, D(2026, 1, 19)),
    (D(2026, 3, 2), 5, D(2026, 3, 9)),
    (D(2026, 3, 6), 1, D(2026, 3, 9)),  # Friday + 1 skips the weekend
    (D(2026, 3, 7), 1, D(2026, 3, 9)),  # from a Saturday
    # 2026 New Year across the year end: 01-01 and 01-02 off, Sunday 01-04 a make-up working day
    (D(2025, 12, 31), 1, D(2026, 1, 4)),
    (D(2025, 12, 31), 2, D(2026, 1, 5)),
    # 2026 Spring Festival: Saturday 02-14 works, 02-15 .. 02-23 off (Monday 02-23 made up on Saturday 02-28)
    (D(2026, 2, 12), 1, D(2026, 2, 13)),
    (D(2026, 2, 12), 2, D(2026, 2, 14)),
    (D(2026, 2, 12), 3, D(2026, 2, 24)),
    (D(2026, 2, 12), 5, D(2026, 2, 26)),
    (D(2026, 2, 26), 2, D(2026, 2, 28)),  # Saturday 02-28 works too
    # 2025 Spring Festival: Sunday 01-26 and Saturday 02-08 work, 01-28 .. 02-04 off
    (D(2025, 1, 24), 1, D(2025, 1, 26)),
    (D(2025, 1, 24), 2, D(2025, 1, 27)),
    (D(2025, 1, 24), 3, D(2025, 2, 5)),
    (D(2025, 1, 24), 5, D(2025, 2, 7)),
    (D(2025, 1, 24), 6, D(2025, 2, 8)),
    (D(2025, 1, 24), 7, D(2025, 2, 10)),
    # 2025 National Day and Mid-Autumn: Sunday 09-28 works, 10-01 .. 10-08 off, Saturday 10-11 works
    (D(2025, 9, 26), 1, D(2025, 9, 28)),
    (D(2025, 9, 29), 2, D(2025, 10, 9)),
    (D(2025, 9, 29), 4, D(2025, 10, 11)),
    (D(2025, 9, 29), 5, D(2025, 10, 13)),
    # 2026 National Day: Sunday 09-20 works, 10-01 .. 10-07 off, Saturday 10-10 works
    (D(2026, 9, 18), 1, D(2026, 9, 20)),
    (D(2026, 9, 30), 1, D(2026, 10, 8)),
    (D(2026, 9, 30), 3, D(2026, 10, 10)),
    (D(2026, 9, 30), 5, D(2026, 10, 13)),
]


@pytest.mark.parametrize(("start", "days", "expected"), ADDED, ids=[f"{s}+{n}" for s, n, _ in ADDED])
def test_adding_working_days_skips_holidays_and_counts_make_up_weekend_days(start, days, expected):
    assert add_working_days(start, days) == expected


WORKING = {
    D(2026, 2, 14): True,  # Saturday, make-up day
    D(2026, 2, 28): True,  # Saturday, make-up day
    D(2026, 2, 23): False,  # Monday, off
    D(2026, 2, 17): False,  # 春节
    D(2025, 1, 26): True,  # Sunday, make-up day
    D(2025, 2, 8): True,  # Saturday, make-up day
    D(2025, 2, 4): False,  # Tuesday, off
    D(2025, 10, 8): False,  # Wednesday, off
    D(2025, 10, 11): True,  # Saturday, make-up day
    D(2026, 10, 10): True,  # Saturday, make-up day
    D(2026, 3, 4): True,  # a plain Wednesday
    D(2026, 3, 7): False,  # a plain Saturday
    D(2026, 3, 8): False,  # a plain Sunday
}


@pytest.mark.parametrize(("day", "working"), WORKING.items(), ids=[str(d) for d in WORKING])
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_the_expected_dates_agree_with_the_holidays_package_schedule():
    """The hand-written expectations above are the State Council's schedule as the package holds it."""
    china = holidays.China(years=[2025, 2026])
    make_up = set(china.weekend_workdays)
    assert {D(2025, 1, 26), D(2025, 2, 8), D(2025, 9, 28), D(2025, 10, 11), D(2026, 1, 4), D(2026, 2, 14),
            D(2026, 2, 28), D(2026, 9, 20), D(2026, 10, 10)} <= make_up
    off = {D(2025, 1, 1) + dt.timedelta(days=i) for i in range(730)} - make_up
    off = {d for d in off if d.weekday() >= 5 or d in china}
    for first, last in ((D(2025, 1, 28), D(2025, 2, 4)), (D(2025, 10, 1), D(2025, 10, 8)),
                        (D(2026, 2, 15), D(2026, 2, 23)), (D(2026, 10, 1), D(2026, 10, 7))):
        assert all(first + dt.timedelta(days=i) in off for i in range((last - first).days + 1))

    def reference(start: dt.date, days: int) -> dt.date:
        day = start
        while days:
            day += dt.timedelta(days=1)
            days -= day not in off
        return day

    for start, days, expected in ADDED:
        assert reference(start, days) == expected
    # and the service agrees with the schedule on every start day of 2025 and most of 2026
    for offset in range(0, 690, 1):
        start = D(2025, 1, 1) + dt.timedelta(days=offset)
        for days in (1, 5, 10):
            assert add_working_days(start, days) == reference(start, days), (start, days)


def test_zero_days_is_the_start_and_negative_days_are_refused():
    assert add_working_days(D(2026, 2, 17), 0) == D(2026, 2, 17)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 2), -1)


def test_known_years_are_those_with_an_announced_schedule():
    years = known_years()
    assert {2025, 2026} <= years
    assert 2028 not in years


def test_a_date_in_a_year_without_a_schedule_is_refused_with_409_naming_the_year():
    with pytest.raises(CalendarUnknown) as caught:
        add_working_days(D(2028, 3, 1), 5)
    assert caught.value.status_code == 409 and caught.value.code == "calendar_unknown"
    message = caught.value.message("zh")
    assert "2028 年" in message and "节假日安排" in message
    assert "2028" in caught.value.message("en")
    with pytest.raises(CalendarUnknown):
        is_working_day(D(2028, 3, 1))


def test_a_deadline_running_into_an_unknown_year_is_refused_rather_than_guessed():
    last = max(known_years())
    assert last + 1 not in known_years()
    with pytest.raises(CalendarUnknown) as caught:
        # at most three days of December remain after the 28th: five working days need the next year
        add_working_days(D(last, 12, 28), 5)
    assert f"{last + 1} 年" in caught.value.message("zh")
    assert calendar.add_working_days(D(last, 12, 1), 5).year == last
