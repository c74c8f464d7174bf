"""Health answers for process supervisors and load balancers.

``/healthz`` says only that the process answers (liveness: restart it if not). ``/readyz`` says whether it can
do its work (readiness: send it traffic only if so): the database is reachable, its schema is the one the code
expects, and the documents and attachments folders are writable. Not ready is a 503 in the error shape.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from rating_service import __version__, migrate
from rating_service.db import Database, get_database
from rating_service.i18n import LabelledEnum, translate
from rating_service.settings import get_settings
from rating_service.web.errors import error_responses
from rating_service.web.schemas import HealthOut, ReadyOut
from rating_service.web.ui import request_lang

log = logging.getLogger(__name__)


class Check(LabelledEnum):
    """What the readiness probe checks."""

    DATABASE = "database"
    MIGRATIONS = "migrations"
    DOCUMENTS = "documents"
    ATTACHMENTS = "attachments"


def _writable(folder: Path) -> str | None:
    """None when a file can be created in the folder (made if missing), else the reason."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".readyz-"):
            pass
    except OSError as exc:
        # The answer is public: the reason without the server's paths (the log has them).
        log.warning("folder not writable: %s: %s", folder, exc)
        return exc.strerror or type(exc).__name__
    return None


def readiness(database: Database) -> dict[str, str | None]:
    """Each check's problem (None when it passes)."""
    problems: dict[str, str | None] = {}
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        problems["database"] = None
        revision = migrate.current(database)
        expected = migrate.heads()
        problems["migrations"] = None if revision in expected else \
            f"at {revision or '-'}, code expects {', '.join(expected)}"
    except Exception as exc:  # any failure to reach the database means "not ready", never a 500
        problems["database"] = type(exc).__name__
        problems["migrations"] = "unknown"
    settings = get_settings()
    problems["documents"] = _writable(settings.documents_dir)
    problems["attachments"] = _writable(settings.attachments_dir)
    return problems


def install(app: FastAPI) -> None:
    @app.get("/healthz", tags=["health / 运行状态"], response_model=HealthOut, summary="The process answers / 进程存活")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", tags=["health / 运行状态"], response_model=ReadyOut, responses=error_responses(503),
             summary="Database reachable, schema current, folders writable / 服务就绪")
    def readyz(request: Request) -> Response:
        database = app.state.database or get_database()
        problems = readiness(database)
        lang = request_lang(request)
        failed = {name: reason for name, reason in problems.items() if reason}
        if not failed:
            return JSONResponse({"status": "ready", "version": __version__, "checks": dict.fromkeys(problems, "ok")})
        log.warning("not ready: %s", failed)
        names = translate("list_separator", lang).join(Check(n).label(lang) for n in failed)
        details: list[dict[str, Any]] = [{"check": name, "reason": reason} for name, reason in failed.items()]
        return JSONResponse(status_code=503, headers={"Retry-After": "5"},
                            content={"code": "not_ready", "message": translate("not_ready", lang, checks=names),
                                     "details": details})
