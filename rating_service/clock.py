"""The service's clock: the current time and the bureau's "today", for the steps of a rating cycle.

The demo (never production) sets it to a simulated day to take an earlier year's cycle through publicizing and
finalizing on the dates it would have had, instead of back-dating anything; tests pin it the same way. Times that
are not a cycle's (audit entries, logins, imports) keep the real clock. Every "today" of the service (a cycle's
steps, appeal windows, the contracts in force, the latest date an import accepts) is ``local_today()``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from rating_service.errors import RatingServiceError
from rating_service.settings import get_settings, to_local

# A simulated day, or None: the real one. Process-wide (not per thread): the background threads of a command see it.
_simulated_day: dt.date | None = None


def now() -> dt.datetime:
    """Now, in UTC; on a simulated day, that day at the real time of day (in the bureau's time zone)."""
    real = dt.datetime.now(dt.UTC)
    if _simulated_day is None:
        return real
    local = to_local(real)
    return dt.datetime.combine(_simulated_day, local.timetz()).astimezone(dt.UTC)


def local_today() -> dt.date:
    """Today in the bureau's time zone (a notice dated in UTC would be a day early before 08:00 in Beijing)."""
    return _simulated_day if _simulated_day is not None else to_local(dt.datetime.now(dt.UTC)).date()


@contextlib.contextmanager
def simulated(day: dt.date) -> Iterator[dt.date]:
    """Inside the block the clock says ``day``; refused in production, where dates must be the real ones."""
    global _simulated_day
    if get_settings().environment == "production":
        raise RatingServiceError("clock_simulation_refused", day=day.isoformat())
    previous, _simulated_day = _simulated_day, day
    try:
        yield day
    finally:
        _simulated_day = previous
