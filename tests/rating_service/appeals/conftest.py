from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests import factories as f
from tests.rating_service.notices.helpers import Published, publish

IN_WINDOW = dt.date(2026, 1, 14)  # the notice went out on Monday 2026-01-12; appeals close on 2026-01-19


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the bureau's "today" (default: inside the appeal window)."""
    def set_today(day: dt.date) -> None:
        f.pin_today(monkeypatch, day)

    set_today(IN_WINDOW)
    return set_today


@pytest.fixture
def published(database: Any, today: Any) -> Published:
    """The factory cycle publicized on 2026-01-12; an officer; company users of 皖江 (CODE_A) and 江南 (CODE_B)."""
    world = publish(database)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    f.make_user(database, "company_b", "company", credit_code=f.CODE_B)
    return world
