from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f
from tests.rating_service.disclosure import helpers as h


@pytest.fixture
def in_window(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The bureau's "today" inside the appeal window of cycles publicized on h.NOTICE_DATE."""
    f.pin_today(monkeypatch, h.IN_WINDOW)
    return h.IN_WINDOW
