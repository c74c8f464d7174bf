from __future__ import annotations

from typing import Any

import pytest

from rating_service.cycles import service as cycles
from tests.rating_service.disclosure import helpers as h


@pytest.fixture
def in_window(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The bureau's "today" inside the appeal window of cycles publicized on h.NOTICE_DATE."""
    monkeypatch.setattr(cycles, "local_today", lambda: h.IN_WINDOW)
    return h.IN_WINDOW
