"""The job queue on PostgreSQL: procrastinate (docs/operations.md, "The job queue").

A committed job is deferred as a ``rating.job`` task; `rating worker` processes, on any machine pointing at the same
database, take the tasks and run them through `runner.execute` / `runner.execute_batch`, which write the job's
row (the pages and the API read progress there, from any web process). A batched job (rendering a cycle's
documents) defers one ``rating.batch`` task per batch, so that every worker renders a share.

Retries: an unexpected error raises `runner.RetryLater`, which the task's retry strategy turns into a new attempt
after the back-off it names; the attempt number comes from the queue. A worker killed mid-task leaves its task
"doing" with a heartbeat that stops: every worker looks for such tasks every worker_heartbeat_seconds and gives back
those whose worker has been silent for worker_stalled_seconds, as a new attempt (which does only what is left).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.job_context import JobContext
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from rating_service.db import Database
from rating_service.jobs import runner
from rating_service.observability.context import bound_request_id
from rating_service.settings import get_settings

log = logging.getLogger(__name__)

QUEUE = "rating"
JOB_TASK = "rating.job"
BATCH_TASK = "rating.batch"


class _RetryLater(BaseRetryStrategy):
    """Retry exactly when the task says so (`runner.RetryLater`), after the wait it names."""

    def get_retry_decision(self, *, exception: BaseException, job: procrastinate.jobs.Job) -> RetryDecision | None:
        if isinstance(exception, runner.RetryLater):
            return RetryDecision(retry_in={"seconds": exception.seconds})
        return None


def conninfo(database: Database) -> str:
    """libpq's form of the database's URL (postgresql+psycopg://… → postgresql://…); also this process's key of
    its app for the database."""
    return database.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


_APPS: dict[str, procrastinate.App] = {}  # by database URL: this process's app for deferring, opened at first use
_WORKER: dict[str, Any] = {}  # "database" and "app" of this process's worker, while it runs


def _new_app(database: Database) -> procrastinate.App:
    queue_app = procrastinate.App(connector=procrastinate.PsycopgConnector(
        conninfo=conninfo(database)))
    queue_app.task(name=JOB_TASK, queue=QUEUE, pass_context=True, retry=_RetryLater())(_run_job)
    queue_app.task(name=BATCH_TASK, queue=QUEUE, pass_context=True, retry=_RetryLater())(_run_batch)
    return queue_app


def _opened(database: Database) -> procrastinate.App:
    """The app that defers from synchronous code (a web process, or a task of this process's worker)."""
    if _WORKER.get("database") is database:
        return _WORKER["app"]
    url = conninfo(database)
    if url not in _APPS:
        queue_app = _new_app(database)
        queue_app.open()  # kept open for the process's life
        _APPS[url] = queue_app
    return _APPS[url]


def defer_job(queued: runner.Queued) -> None:
    """Hand a committed job to the queue."""
    _opened(queued.database).configure_task(JOB_TASK).defer(
        job_id=queued.job_id, kind=queued.kind, arguments=queued.arguments, request_id=queued.request_id)


# -- the tasks, as a worker runs them ----------------------------------------------------------------------------

def _database() -> Database:
    return _WORKER["database"]


def _run_job(context: JobContext, *, job_id: int, kind: str, arguments: dict[str, Any],
             request_id: str | None) -> None:
    attempt = context.job.attempts
    with bound_request_id(request_id):
        runner.execute(_database(), job_id, kind, arguments, attempt=attempt,
                        defer_batches=functools.partial(_defer_batches, job_id=job_id, kind=kind,
                                                        arguments=arguments, request_id=request_id,
                                                        again=attempt > 0))


def _defer_batches(batches: list[tuple[int, list[int]]], *, job_id: int, kind: str, arguments: dict[str, Any],
                   request_id: str | None, again: bool) -> None:
    """One ``rating.batch`` task per batch. The first time, all in one statement; when the first step runs again
    (its worker was lost while deferring), each batch not done is deferred unless it is already waiting."""
    queue_app = _WORKER["app"]
    common = {"job_id": job_id, "kind": kind, "arguments": arguments, "request_id": request_id}
    if not again:
        queue_app.configure_task(BATCH_TASK).batch_defer(*({**common, "seq": seq} for seq, _ in batches))
        return
    for seq, _items in batches:
        try:
            queue_app.configure_task(BATCH_TASK, queueing_lock=f"job-{job_id}-batch-{seq}").defer(**common, seq=seq)
        except AlreadyEnqueued:
            pass


def _run_batch(context: JobContext, *, job_id: int, kind: str, arguments: dict[str, Any], seq: int,
               request_id: str | None) -> None:
    with bound_request_id(request_id):
        runner.execute_batch(_database(), job_id, kind, arguments, seq, attempt=context.job.attempts)


async def _give_back(manager: procrastinate.manager.JobManager, job: procrastinate.jobs.Job,
                     max_attempts: int) -> None:
    """A stalled task goes back to the queue as its next attempt; after the last attempt (a task that takes its
    worker down each time) its job fails instead."""
    if job.attempts + 1 < max_attempts:
        log.warning("task %s (%s) of a lost worker is given back to the queue", job.id, job.task_name)
        await manager.retry_job(job)
        return
    log.error("task %s (%s) lost its worker %d times: its job fails", job.id, job.task_name, job.attempts + 1)
    await manager.finish_job(job, status=procrastinate.jobs.Status.FAILED, delete_job=False)
    await asyncio.to_thread(runner.finish, _database(), int(str(job.task_kwargs["job_id"])), "failed",
                            {"code": "error", "key": "job_worker_lost", "params": {}})


# -- the worker process ------------------------------------------------------------------------------------------

def run_worker(database: Database, *, concurrency: int, name: str | None = None, wait: bool = True) -> None:
    """Run this process as a worker until it is stopped (SIGINT/SIGTERM finish the tasks in hand first); with
    ``wait=False``, until no task is ready (tests; no signal handlers then)."""
    _WORKER.update(database=database, app=_new_app(database))
    try:
        asyncio.run(_work(_WORKER["app"], concurrency, name or f"{socket.gethostname()}-{os.getpid()}", wait))
    finally:
        _WORKER.clear()


async def _work(queue_app: procrastinate.App, concurrency: int, name: str, wait: bool) -> None:
    settings = get_settings()
    async with queue_app.open_async():
        sweeper = asyncio.create_task(_give_back_stalled(queue_app))
        try:
            await queue_app.run_worker_async(
                queues=[QUEUE], name=name, concurrency=concurrency, delete_jobs="successful", wait=wait,
                install_signal_handlers=wait,
                update_heartbeat_interval=settings.worker_heartbeat_seconds,
                stalled_worker_timeout=settings.worker_stalled_seconds)
        finally:
            sweeper.cancel()


async def _give_back_stalled(queue_app: procrastinate.App) -> None:
    """Every heartbeat: tasks held by a worker silent for worker_stalled_seconds go back to the queue (any worker
    may do this; a task is given back once)."""
    settings = get_settings()
    manager = queue_app.job_manager
    while True:
        try:
            for job in await manager.get_stalled_jobs(queue=QUEUE,
                                                      seconds_since_heartbeat=settings.worker_stalled_seconds):
                await _give_back(manager, job, settings.task_max_attempts)
        except Exception:  # noqa: BLE001  (the next round tries again; the worker goes on)
            log.exception("looking for stalled tasks failed")
        await asyncio.sleep(settings.worker_heartbeat_seconds)
