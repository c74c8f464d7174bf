"""Submitting background jobs and the worker threads that run them (see the package's docstring)."""

from __future__ import annotations

import importlib
import json
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from rating_service import clock
from rating_service.cycles.models import Job
from rating_service.db import Database
from rating_service.errors import RatingServiceError
from rating_service.i18n import Localized
from rating_service.observability.context import bound_request_id, current_request_id

log = logging.getLogger(__name__)

# The task function of each kind of job, by import path ("module:function"). It is called with the database, the
# job's arguments and ``progress=(stage, done, total)``; what it raises is the job's error.
TASKS: dict[str, str] = {
    "compute": "rating_service.cycles.service:compute_cycle",
    "render": "rating_service.notices.service:render_cycle_documents",
}
WORKERS = 4  # threads at most, started as jobs come; jobs of different cycles run side by side
_PENDING = "jobs_to_queue"  # the key in Session.info of the jobs to queue when its transaction commits

Progress = Callable[[str, int, int], None]


def task_function(kind: str) -> Callable[..., Any]:
    module, _, name = TASKS[kind].partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass
class Submitted:
    """A submitted job: its row's id, and a way to wait until it has run (the row then holds the outcome)."""

    job_id: int
    _finished: threading.Event = field(default_factory=threading.Event, repr=False)

    def join(self, timeout: float | None = None) -> bool:
        return self._finished.wait(timeout)


@dataclass
class _Queued:
    database: Database
    job_id: int
    kind: str
    arguments: dict[str, Any]
    handle: Submitted
    request_id: str | None = None


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
    handle = Submitted(job.id)
    session.info.setdefault(_PENDING, []).append(_Queued(database, job.id, job.kind, dict(arguments), handle,
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
        _WORKERS.put(queued)


@event.listens_for(Session, "after_transaction_end")
def _drop_rolled_back(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: anything not queued by now rolled back
        session.info.pop(_PENDING, None)


def queue_depth(database: Database) -> dict[str, int]:
    """Jobs waiting for a worker (queued, not started), by kind; every kind is named, with 0 when none waits."""
    depth = dict.fromkeys(TASKS, 0)
    with database.read_session() as session:
        rows = session.execute(select(Job.kind, func.count()).where(Job.status == "running", Job.stage == "queued")
                               .group_by(Job.kind)).all()
    depth.update({str(kind): int(count) for kind, count in rows})
    return depth


# -- the workers ---------------------------------------------------------------------------------------------------

class _Workers:
    """Daemon threads (at most ``size``) taking jobs from one queue; a thread is started when a job comes and no
    thread is free. Daemons: stopping the server does not wait for a job (the next start marks it failed)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._queue: queue.SimpleQueue[_Queued] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._idle = 0  # threads waiting for a job
        self._waiting = 0  # jobs queued and not taken yet

    def put(self, queued: _Queued) -> None:
        with self._lock:
            self._queue.put(queued)
            self._waiting += 1
            self._threads = [t for t in self._threads if t.is_alive()]
            if self._waiting > self._idle and len(self._threads) < self._size:
                thread = threading.Thread(target=self._work, name=f"jobs-{len(self._threads) + 1}", daemon=True)
                self._threads.append(thread)
                thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            queued = self._queue.get()
            with self._lock:
                self._idle -= 1
                self._waiting -= 1
            try:
                with bound_request_id(queued.request_id):
                    _run(queued)
            finally:
                queued.handle._finished.set()


_WORKERS = _Workers(WORKERS)


def _run(queued: _Queued) -> None:
    """Run one job's task function; its progress and outcome go to the job's row."""
    try:
        task_function(queued.kind)(database=queued.database, progress=_progress_of(queued.database, queued.job_id),
                                   **queued.arguments)
    except RatingServiceError as exc:
        _finish(queued.database, queued.job_id, "failed",
                {"code": exc.code, "key": exc.key, "params": _plain(exc.params)})
    except Exception as exc:  # noqa: BLE001  (the job row must say it failed; the log has the trace)
        log.exception("%s job %s failed", queued.kind, queued.job_id)
        _finish(queued.database, queued.job_id, "failed", {"code": "error", "key": "internal_error", "params": {},
                                                           "detail": type(exc).__name__})
    else:
        _finish(queued.database, queued.job_id, "done", None)


def _progress_of(database: Database, job_id: int) -> Progress:
    last = {"stage": ""}

    def progress(stage: str, done: int, total: int) -> None:
        # One short write per stage change or per reported step; never inside the task's own writes.
        if stage == last["stage"] and done not in (0, total) and total > 0 and done % 20_000:
            return
        last["stage"] = stage
        with database.write_session() as session:
            job = session.get(Job, job_id)
            if job is not None:
                job.stage, job.done, job.total = stage, done, total

    return progress


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {k: dict(v) if isinstance(v, Localized) else v if isinstance(v, int | float | str | bool) or v is None
            else str(v) for k, v in params.items()}


def _finish(database: Database, job_id: int, status: str, error: dict[str, Any] | None) -> None:
    try:
        with database.write_session() as session:
            job = session.get(Job, job_id)
            if job is not None:
                job.status = status
                job.finished_at = clock.now()
                job.error = json.dumps(error, ensure_ascii=False) if error else None
    except Exception:  # noqa: BLE001  (a worker outlives a database it cannot reach; the log has the trace)
        log.exception("the outcome of job %s (%s) could not be recorded", job_id, status)
