"""`rating serve`: the web app."""

from __future__ import annotations

from rating_service.cli.common import current_database, err_console, user_errors
from rating_service.db import Database
from rating_service.i18n import translate
from rating_service.observability.logs import configure_logging
from rating_service.settings import get_settings


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """启动网站 / serve the web app."""
    import uvicorn

    from rating_service.cycles import service as cycles

    settings = get_settings()
    configure_logging(settings)
    with user_errors("zh"):
        database = current_database()
    with database.write_session() as session:
        cycles.fail_interrupted_jobs(session=session)
    _warn_without_workers(database)
    # log_config=None: uvicorn leaves logging as configured above, and its access and error lines go through the
    # root logger's handler, in the same format (text or JSON) and with the request id.
    uvicorn.run("rating_service.web.app:create_app", factory=True, host=host, port=port, proxy_headers=True,
                forwarded_allow_ips=settings.forwarded_allow_ips, log_config=None)


def _warn_without_workers(database: Database) -> None:
    """On the real queue, say so when no worker is running: computing and rendering would wait."""
    from rating_service.jobs import service as jobs

    if jobs.live_workers(database) == 0:
        err_console.print(translate("serve_no_worker", "zh"), style="yellow", markup=False, highlight=False,
                          soft_wrap=True)
