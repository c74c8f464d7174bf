from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests import factories as f
from tests.rating_service.notices.helpers import Published, publish

IN_WINDOW = dt.date(2026, 1, 14)  # the notice went out on Monday 2026-01-12; appeals close on 2026-01-19


@pytest.fixture
def published(database: Any, monkeypatch: pytest.MonkeyPatch) -> Published:
    """The factory cycle publicized on 2026-01-12 and today inside its appeal window; an officer, an administrator
    and a company user of 皖江 (CODE_A)."""
    f.pin_today(monkeypatch, IN_WINDOW)
    world = publish(database)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "admin", "admin")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    return world


def file_appeal(database: Any, cycle_id: int) -> dict[str, Any]:
    """The company contests the calculation of its rating (through the API, as a company does)."""
    company = f.api_client(database, "company")
    response = company.post(f"/api/v1/cycles/{cycle_id}/appeals",
                            data={"grounds": "计算有误，请复核。", "scope": "calculation"})
    assert response.status_code == 201, response.text
    return response.json()
