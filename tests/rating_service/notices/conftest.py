from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f
from tests.rating_service.notices.helpers import Published, publish


@pytest.fixture
def published(database: Any) -> Published:
    """A publicized cycle, an officer, a company user bound to 皖江物业 (CODE_A) and one bound to 江南物业."""
    world = publish(database)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    f.make_user(database, "company_b", "company", credit_code=f.CODE_B)
    return world
