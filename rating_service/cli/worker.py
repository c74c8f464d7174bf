"""`rating worker`: a process that runs background jobs from the queue (docs/operations.md, "The job queue")."""

from __future__ import annotations

import os
import socket
from typing import Annotated

import typer

from rating_service.cli.common import LangOption, console, current_database, err_console, parse_lang, user_errors
from rating_service.i18n import translate
from rating_service.settings import get_settings


def worker_command(
        concurrency: Annotated[int | None, typer.Option(min=1, max=64, help="同时处理的任务数（默认 "
                                                        "RATING_WORKER_CONCURRENCY）/ jobs at a time")] = None,
        metrics_port: Annotated[int | None, typer.Option(min=0, max=65535, help="在 127.0.0.1 的此端口提供指标（默认 "
                                                         "RATING_WORKER_METRICS_PORT，0 为不提供）/ serve metrics on "
                                                         "this port of 127.0.0.1")] = None,
        lang: LangOption = "zh") -> None:
    """运行后台任务的工作进程：计算、文书生成等；可在多台机器上运行 / run background jobs (computing, rendering
    documents, …); run as many as you like, on any machine that reaches the database."""
    from rating_service.jobs import queue
    from rating_service.observability.logs import configure_logging

    language = parse_lang(lang)
    settings = get_settings()
    if settings.queue_backend == "local":
        err_console.print(translate("worker_local_queue", language), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    configure_logging(settings)
    with user_errors(language):
        database = current_database()
    port = settings.worker_metrics_port if metrics_port is None else metrics_port
    if port:
        from prometheus_client import start_http_server

        start_http_server(port, addr="127.0.0.1")
        console.print(translate("worker_metrics", language, port=port), markup=False, highlight=False)
    from scoring import kernels

    kernels.load()  # the engine's compiled loops, loaded once here rather than in the first cycle computed
    name = f"{socket.gethostname()}-{os.getpid()}"
    jobs_at_once = concurrency or settings.worker_concurrency
    console.print(translate("worker_started", language, name=name, concurrency=jobs_at_once), markup=False,
                  highlight=False, soft_wrap=True)
    queue.run_worker(database, concurrency=jobs_at_once, name=name)
