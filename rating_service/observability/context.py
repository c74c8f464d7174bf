"""The request id: set for each HTTP request (from a sane X-Request-ID header, or a new one), carried into the jobs
the request queues, and set again in the worker that runs them, so that one id joins the log lines of both."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

_REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
# What a client may send as its own id (a proxy's, say): short, and nothing a log line could be forged with.
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def current_request_id() -> str | None:
    """The id of the request (or of the job's originating request) being served, if any."""
    return _REQUEST_ID.get()


def new_request_id(offered: str | None = None) -> str:
    """``offered`` when it is a sane id (letters, digits, ``._:-``, at most 64), else a new random one."""
    if offered and _SANE.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


@contextlib.contextmanager
def bound_request_id(request_id: str | None) -> Iterator[None]:
    """Within the block, `current_request_id()` is ``request_id``."""
    token = _REQUEST_ID.set(request_id)
    try:
        yield
    finally:
        _REQUEST_ID.reset(token)
