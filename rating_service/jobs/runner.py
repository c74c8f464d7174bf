"""Running a job, whichever worker runs it: the task functions by kind, one attempt of a job or of one of its
batches, its progress and its outcome on the job's row, and when to try again (see the package's docstring)."""

from __future__ import annotations

import importlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rating_service import clock
from rating_service.db import Database
from rating_service.errors import RatingServiceError
from rating_service.i18n import Localized
from rating_service.jobs import repository
from rating_service.observability import metrics
from rating_service.settings import get_settings

log = logging.getLogger(__name__)

# The task function of each kind of job, by import path ("module:function"). It is called with the database, the
# job's arguments and ``progress=(stage, done, total)``; what it raises is the job's error.
TASKS: dict[str, str] = {
    "compute": "rating_service.cycles.service:compute_cycle",
    "render": "rating_service.notices.service:render_cycle_documents",
    "intake_train": "rating_service.intake.training:train_job",
}
# Kinds whose work the queue splits into batches, each a task of its own that any worker may take:
# kind -> (items to do: f(database, **arguments) -> list[int], one batch: f(database, items, retried, **arguments)).
# The batches are rows of job_batches; the job's row counts the items of the batches done, and the batch that
# completes the last one finishes the job.
BATCHED: dict[str, tuple[str, str]] = {
    "render": ("rating_service.notices.service:documents_to_render",
               "rating_service.notices.service:render_document_batch"),
}
BATCH_STAGES = {"render": "rendering"}  # the stage a batched job's row shows while its batches run

Progress = Callable[[str, int, int], None]


def task_function(path_or_kind: str) -> Callable[..., Any]:
    module, _, name = TASKS.get(path_or_kind, path_or_kind).partition(":")
    return getattr(importlib.import_module(module), name)


class RetryLater(Exception):  # noqa: N818  (a signal to the queue, not an error of the caller's)
    """A task failed for a reason that may pass (a lost connection, a worker's disk briefly full): the queue runs it
    again after ``seconds``."""

    def __init__(self, seconds: int, cause: BaseException) -> None:
        super().__init__(f"retry in {seconds} s after {type(cause).__name__}: {cause}")
        self.seconds = seconds


@dataclass
class Submitted:
    """A submitted job: its row's id, and a way to wait until it has run (the row then holds the outcome)."""

    job_id: int
    database: Database | None = field(default=None, repr=False)
    _finished: threading.Event = field(default_factory=threading.Event, repr=False)

    def join(self, timeout: float | None = None) -> bool:
        """Wait until the job has finished (True) or ``timeout`` seconds have passed (False). A job run by this
        process's threads signals its end; one run by a worker elsewhere is read from its row."""
        if self.database is None:
            return self._finished.wait(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        while _running(self.database, self.job_id):
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.2)
        return True


@dataclass
class Queued:
    """A committed job on its way to a worker."""

    database: Database
    job_id: int
    kind: str
    arguments: dict[str, Any]
    handle: Submitted
    request_id: str | None = None


def _running(database: Database, job_id: int) -> bool:
    with database.read_session() as session:
        job = repository.job(session, job_id)
        return job is not None and job.status == "running"


def execute(database: Database, job_id: int, kind: str, arguments: dict[str, Any], *, attempt: int,
            defer_batches: Callable[[list[tuple[int, list[int]]]], None] | None = None) -> None:
    """Run one attempt of a job: its task function (or, with ``defer_batches``, the split of a batched kind into
    batches handed to it), its progress and its outcome written to the job's row.

    A `RatingServiceError` (the data does not allow it) fails the job at once. Any other error is retried while
    attempts remain (`RetryLater`, after task_retry_seconds doubling), and fails the job after the last one.
    """
    if defer_batches is not None and kind in BATCHED:
        _attempt(database, job_id, kind, attempt, lambda: _split(database, job_id, kind, arguments, defer_batches),
                 outcome="split")
        return

    def run() -> None:
        task_function(kind)(database=database, progress=progress_of(database, job_id), **arguments)
        finish(database, job_id, "done", None)

    _attempt(database, job_id, kind, attempt, run)


def execute_batch(database: Database, job_id: int, kind: str, arguments: dict[str, Any], seq: int, *,
                  attempt: int) -> None:
    """Run batch ``seq`` of a batched job (any worker, any number of times: the batch function does only what is
    still to do), then count it on the job's row; the batch that completes the job finishes it."""
    def run() -> None:
        with database.read_session() as session:
            items = repository.batch_items(session, job_id, seq)
        if items is not None:
            task_function(BATCHED[kind][1])(database=database, items=items, retried=attempt > 0, **arguments)
            _count_batch(database, job_id, seq)

    _attempt(database, job_id, f"{kind}_batch", attempt, run)


def _attempt(database: Database, job_id: int, task: str, attempt: int, work: Callable[[], None], *,
             outcome: str = "done") -> None:
    """One attempt of ``work`` for the job: a data error fails the job, any other error is retried or fails it
    after the last attempt; the attempt's duration and outcome go to the task series."""
    started = time.monotonic()
    ended = "error"
    try:
        work()
        ended = outcome
    except RatingServiceError as exc:
        ended = "failed"
        finish(database, job_id, "failed", error_of(exc))
    except Exception as exc:  # noqa: BLE001  (the job row must say what happened; the log has the trace)
        _attempt_failed(database, job_id, task, exc, attempt)
    finally:
        metrics.observe_task(task, time.monotonic() - started, ended)


def _attempt_failed(database: Database, job_id: int, task: str, exc: Exception, attempt: int) -> None:
    """After an unexpected error: `RetryLater` while attempts remain, else the job fails."""
    settings = get_settings()
    if attempt + 1 < settings.task_max_attempts:
        seconds = settings.task_retry_seconds * 2 ** attempt
        log.warning("%s of job %s failed (attempt %d of %d), tried again in %d s", task, job_id, attempt + 1,
                    settings.task_max_attempts, seconds, exc_info=exc)
        metrics.count_task_retry(task)
        with database.write_session() as session:
            repository.set_running_job(session, job_id, stage="retrying")
        raise RetryLater(seconds, exc) from exc
    log.error("%s of job %s failed after %d attempts", task, job_id, attempt + 1, exc_info=exc)
    finish(database, job_id, "failed", {"code": "error", "key": "internal_error", "params": {},
                                        "detail": type(exc).__name__})


def _split(database: Database, job_id: int, kind: str, arguments: dict[str, Any],
           defer_batches: Callable[[list[tuple[int, list[int]]]], None]) -> None:
    """The first step of a batched job: its items in batches of render_batch_size, recorded on the job (once: a
    retried first step finds them) and handed to the queue (again, for those not done: the queue refuses a batch
    already waiting)."""
    with database.write_session() as session:
        job = repository.locked_job(session, job_id)
        if job is None or job.status != "running":
            return
        batches = repository.batches(session, job_id)
        if not batches:
            items = task_function(BATCHED[kind][0])(database=database, **arguments)
            size = get_settings().render_batch_size
            batches = [(seq, items[i:i + size]) for seq, i in enumerate(range(0, len(items), size))]
            repository.add_batches(session, job_id, batches)
            job.stage, job.done, job.total = BATCH_STAGES.get(kind, kind), 0, len(items)
        done = repository.batches_done(session, job_id)
        waiting = [(seq, part) for seq, part in batches if seq not in done]
    if not batches:
        finish(database, job_id, "done", None)
        return
    defer_batches(waiting)


def _count_batch(database: Database, job_id: int, seq: int) -> None:
    # The job's row is locked first, so batches finishing together count one after the other and exactly one of
    # them sees the last batch done; a batch run twice (its worker lost after the work, before the queue heard)
    # is counted once.
    with database.write_session() as session:
        job = repository.locked_job(session, job_id)
        counted = repository.mark_batch_done(session, job_id, seq, clock.now()) if job is not None else None
        if counted is None or job is None or job.status != "running":
            return
        job.done, left = counted
        if not left:
            job.status, job.finished_at, job.error = "done", clock.now(), None


def progress_of(database: Database, job_id: int) -> Progress:
    last = {"stage": ""}

    def progress(stage: str, done: int, total: int) -> None:
        # One short write per stage change or per reported step; never inside the task's own writes.
        if stage == last["stage"] and done not in (0, total) and total > 0 and done % 20_000:
            return
        last["stage"] = stage
        with database.write_session() as session:
            repository.set_running_job(session, job_id, stage=stage, done=done, total=total)

    return progress


def error_of(exc: RatingServiceError) -> dict[str, Any]:
    return {"code": exc.code, "key": exc.key, "params": _plain(exc.params)}


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {k: dict(v) if isinstance(v, Localized) else v if isinstance(v, int | float | str | bool) or v is None
            else str(v) for k, v in params.items()}


def finish(database: Database, job_id: int, status: str, error: dict[str, Any] | None) -> None:
    """Record a job's outcome (once: a job already finished keeps its outcome)."""
    try:
        with database.write_session() as session:
            repository.set_running_job(session, job_id, status=status, finished_at=clock.now(),
                                       error=json.dumps(error, ensure_ascii=False) if error else None)
    except Exception:  # noqa: BLE001  (a worker outlives a database it cannot reach; the log has the trace)
        log.exception("the outcome of job %s (%s) could not be recorded", job_id, status)
