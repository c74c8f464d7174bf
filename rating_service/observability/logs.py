"""Log lines of the service's processes (web and workers): text for a terminal, or one JSON object per line
(RATING_LOG_FORMAT=json), each with the request id of what it belongs to."""

from __future__ import annotations

import logging

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from rating_service.observability.context import current_request_id
from rating_service.settings import Settings, get_settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# The fields of a JSON line besides "time" (ISO 8601, UTC), under these names; an exception is its "exc_info" field
# (the formatted traceback).
JSON_FIELDS = {"levelname": "level", "name": "logger", "message": "message", "request_id": "request_id"}
# Extras other libraries put on their records that are not for a collector (uvicorn's message with terminal colours).
NOT_LOGGED = ("color_message",)


# Libraries whose INFO lines say nothing an operator acts on, in volume: WeasyPrint logs each step of every PDF
# (about nine lines a notice, thousands a cycle) and fontTools each font table it reads.
QUIET_LIBRARIES = ("weasyprint.progress", "fontTools")


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or "-") on every record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


def formatter(log_format: str) -> logging.Formatter:
    """The formatter of ``log_format`` ("text" or "json")."""
    if log_format == "json":
        return JsonFormatter(" ".join(f"%({name})s" for name in JSON_FIELDS),
                             rename_fields={k: v for k, v in JSON_FIELDS.items() if k != v},
                             timestamp="time", json_ensure_ascii=False,
                             reserved_attrs=[*RESERVED_ATTRS, *NOT_LOGGED])
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(settings: Settings | None = None) -> None:
    """The root logger of a service process: one handler on stderr in the configured format and level. Other
    libraries' loggers (uvicorn's access and error lines among them) reach it, so their lines look the same."""
    settings = settings or get_settings()
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter(settings.log_format))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for chatty in QUIET_LIBRARIES:  # a line per step of every PDF rendered, or per font table read
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
