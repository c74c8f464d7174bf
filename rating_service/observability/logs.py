"""Log lines of the service's processes (web and workers): text for a terminal, or one JSON object per line
(RATING_LOG_FORMAT=json), each with the request id of what it belongs to."""

from __future__ import annotations

import logging

from rating_service.observability.context import current_request_id
from rating_service.settings import Settings, get_settings


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or "-") on every record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


def configure_logging(settings: Settings | None = None) -> None:
    """The root logger of a service process: one handler on stderr in the configured format and level."""
    settings = settings or get_settings()
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
