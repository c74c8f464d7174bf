"""The job package's queries: the ``jobs`` rows (the `Job` model lives with the cycles), the batches of a split job
(``job_batches``), and what the queue's own tables (procrastinate's) say about waiting tasks and live workers."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from rating_service.cycles.models import Job, JobBatch


def job(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def locked_job(session: Session, job_id: int) -> Job | None:
    """The job's row, locked until the transaction ends (batches finishing together count one after the other)."""
    return session.execute(select(Job).where(Job.id == job_id).with_for_update()).scalar_one_or_none()


def set_running_job(session: Session, job_id: int, **values: Any) -> None:
    """Update a job still running (a finished job keeps its outcome)."""
    session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(**values))


def batches(session: Session, job_id: int) -> list[tuple[int, list[int]]]:
    """(seq, items) of the job's batches, in order."""
    return [(b.seq, json.loads(b.items)) for b in
            session.scalars(select(JobBatch).where(JobBatch.job_id == job_id).order_by(JobBatch.seq))]


def add_batches(session: Session, job_id: int, parts: list[tuple[int, list[int]]]) -> None:
    session.add_all(JobBatch(job_id=job_id, seq=seq, size=len(part), items=json.dumps(part)) for seq, part in parts)


def batches_done(session: Session, job_id: int) -> set[int]:
    return set(session.scalars(select(JobBatch.seq).where(JobBatch.job_id == job_id,
                                                          JobBatch.done_at.is_not(None))))


def batch_items(session: Session, job_id: int, seq: int) -> list[int] | None:
    """The items of a batch still to do; None when it is done (or unknown)."""
    batch = session.get(JobBatch, (job_id, seq))
    return json.loads(batch.items) if batch is not None and batch.done_at is None else None


def mark_batch_done(session: Session, job_id: int, seq: int, when: dt.datetime) -> tuple[int, int] | None:
    """Mark the batch done; (items of the batches done, batches left), or None when it was done already."""
    batch = session.get(JobBatch, (job_id, seq))
    if batch is None or batch.done_at is not None:
        return None
    batch.done_at = when
    session.flush()
    done, left = session.execute(select(
        func.coalesce(func.sum(JobBatch.size).filter(JobBatch.done_at.is_not(None)), 0),
        func.count().filter(JobBatch.done_at.is_(None))).where(JobBatch.job_id == job_id)).one()
    return int(done), int(left)


def waiting_jobs(session: Session) -> dict[str, int]:
    """Jobs queued and not started, by kind."""
    rows = session.execute(select(Job.kind, func.count()).where(Job.status == "running", Job.stage == "queued")
                           .group_by(Job.kind)).all()
    return {str(kind): int(count) for kind, count in rows}


def waiting_tasks(session: Session, *, task: str, kind: str) -> int:
    """Tasks of the real queue waiting for a worker: ``task`` tasks of jobs of ``kind``."""
    return int(session.execute(text(
        "SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo' AND task_name = :task "
        "AND args->>'kind' = :kind"), {"task": task, "kind": kind}).scalar_one())


def live_workers(session: Session, *, within_seconds: float) -> int:
    """Workers of the real queue whose last heartbeat is at most ``within_seconds`` old."""
    return int(session.execute(text(
        "SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - make_interval(secs => :s)"),
        {"s": within_seconds}).scalar_one())
