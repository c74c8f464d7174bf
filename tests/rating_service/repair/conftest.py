from __future__ import annotations

import datetime as dt
import types
from typing import Any

import pytest

from rating_service.accounts.service import Principal
from tests import factories as f
from tests.rating_service.notices.helpers import computed_cycle, publicize

IN_WINDOW = dt.date(2026, 1, 14)  # the factory cycle's notice went out on Monday 2026-01-12

NAME_A = "安徽皖江物业服务有限公司"
NAME_B = "枞阳县江南物业管理有限公司"
COMPANY_A = Principal(101, "company", "皖江", "company", f.CODE_A)
COMPANY_B = Principal(102, "company_b", "江南", "company", f.CODE_B)
OFFICER = Principal(103, "officer", "科员", "officer", None)
ADMIN = Principal(104, "admin", "管理员", "admin", None)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_today(day: dt.date) -> None:
        f.pin_today(monkeypatch, day)

    set_today(IN_WINDOW)
    return set_today


@pytest.fixture
def published(database: Any, today: Any) -> Any:
    """The factory cycle 「2025年度」 publicized on 2026-01-12: 皖江 (CODE_A) has the fee violation SF-001
    (overcharge, 2025-06-01); 江南 (CODE_B) is vetoed by ZD-001 (refuse to exit, 2025-07-15) and black-listed."""
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "major_events")
    cycle_id = computed_cycle(database, "2025年度")
    publicize(database, cycle_id)
    return types.SimpleNamespace(cycle_id=cycle_id, codes=(f.CODE_A, f.CODE_B))
