"""Submitting background jobs (queued when the caller's transaction commits, to this process's threads or to the
real queue), and what the pages, the API, metrics and `rating doctor` read of them (see the package's docstring)."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from rating_service import clock
from rating_service.cycles.models import Job
from rating_service.db import Database
from rating_service.i18n import Lang, Localized, translate
from rating_service.jobs import local, repository
from rating_service.jobs.runner import BATCHED, TASKS, Progress, Queued, RetryLater, Submitted, finish, task_function
from rating_service.observability.context import current_request_id

__all__ = ["TASKS", "Progress", "RetryLater", "Submitted", "error_text", "find", "live_workers", "new_job",
           "queue_depth", "run_after_commit", "submit", "task_function"]

log = logging.getLogger(__name__)

_PENDING = "jobs_to_queue"  # the key in Session.info of the jobs to queue when its transaction commits


def new_job(session: Session, *, kind: str, cycle_id: int | None, actor: str) -> Job:
    """The row of a job about to be queued: "running" at the stage "queued", no progress yet."""
    if kind not in TASKS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, cycle_id=cycle_id, actor=actor, status="running", stage="queued", done=0, total=0,
              started_at=clock.now())
    session.add(job)
    session.flush()
    return job


def run_after_commit(session: Session, database: Database, job: Job, arguments: dict[str, Any]) -> Submitted:
    """Queue ``job`` (a row made by `new_job` in ``session``) once the session's transaction commits; its task
    function is called with ``database``, ``arguments`` and a progress callback."""
    remote = database.settings.queue_backend != "local"
    handle = Submitted(job.id, database if remote else None)
    session.info.setdefault(_PENDING, []).append(Queued(database, job.id, job.kind, dict(arguments), handle,
                                                        current_request_id()))
    return handle


def submit(session: Session, database: Database, *, kind: str, cycle_id: int | None, actor: str,
           arguments: dict[str, Any]) -> Submitted:
    """A new job of ``kind``, written in ``session`` and run when its transaction commits."""
    return run_after_commit(session, database, new_job(session, kind=kind, cycle_id=cycle_id, actor=actor),
                            arguments)


@event.listens_for(Session, "after_commit")
def _queue_committed(session: Session) -> None:
    for queued in session.info.pop(_PENDING, []):
        _dispatch(queued)


@event.listens_for(Session, "after_transaction_end")
def _drop_rolled_back(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: anything not queued by now rolled back
        session.info.pop(_PENDING, None)


def _dispatch(queued: Queued) -> None:
    if queued.database.settings.queue_backend == "local":
        local.WORKERS.put(queued)
        return
    from rating_service.jobs import queue  # procrastinate is loaded only where the real queue is used

    try:
        queue.defer_job(queued)
    except Exception:  # noqa: BLE001  (the action is committed; its job must not stay "queued" for ever)
        log.exception("job %s (%s) could not be queued", queued.job_id, queued.kind)
        finish(queued.database, queued.job_id, "failed", {"code": "error", "key": "job_queue_unavailable",
                                                          "params": {}})


def find(session: Session, job_id: int) -> Job | None:
    return repository.job(session, job_id)


def error_text(job: Job, lang: Lang) -> str:
    """Why a failed job failed, in words (its stored error's message; "internal error" when it has none)."""
    stored = json.loads(job.error) if job.error else {}
    params = {k: Localized(**v) if isinstance(v, dict) else v for k, v in (stored.get("params") or {}).items()}
    return translate(stored.get("key") or "internal_error", lang, **params)


def queue_depth(database: Database) -> dict[str, int]:
    """Jobs waiting for a worker (queued, not started), by kind, and on the real queue the batches of split jobs
    waiting (``render_batch``); every kind is named, with 0 when none waits."""
    depth = dict.fromkeys(TASKS, 0)
    with database.read_session() as session:
        depth.update(repository.waiting_jobs(session))
        if database.settings.queue_backend != "local":  # the batches of jobs already split, waiting for a worker
            from rating_service.jobs import queue

            for kind in BATCHED:
                depth[f"{kind}_batch"] = repository.waiting_tasks(session, task=queue.BATCH_TASK, kind=kind)
    return depth


def live_workers(database: Database) -> int | None:
    """Worker processes (`rating worker`) whose heartbeat is fresh; None when jobs run in the serving process.
    Read from the database's own settings, as the choice of queue is (`rating doctor` checks a configuration of its
    own)."""
    settings = database.settings
    if settings.queue_backend == "local":
        return None
    with database.read_session() as session:
        return repository.live_workers(session, within_seconds=settings.worker_stalled_seconds)
