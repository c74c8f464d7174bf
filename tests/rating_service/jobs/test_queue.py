"""The real job queue (procrastinate on PostgreSQL): a job queued by the service runs in `rating worker` processes;
a failed attempt is tried again; a worker killed in the middle of rendering a cycle's documents loses nothing and
renders nothing twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from rating_service.cycles import service as cycles
from rating_service.cycles.models import Job
from rating_service.db import Database
from rating_service.jobs import queue
from rating_service.jobs import service as jobs
from rating_service.notices import service as notices
from rating_service.notices.models import Document
from rating_service.observability import metrics
from rating_service.records.service import import_folder
from rating_service.settings import PROJECT_ROOT, get_settings

RATING = Path(sys.executable).with_name("rating")
ATTEMPTS: list[int] = []


@pytest.fixture
def pg(postgresql_database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Database]:
    """The worker's PostgreSQL database, emptied, with the real queue chosen, fast heartbeats and retries."""
    from tests.conftest import _reset

    _reset(postgresql_database)
    with postgresql_database.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE procrastinate_jobs, procrastinate_workers CASCADE")
    env = {"DATABASE_URL": postgresql_database.engine.url.render_as_string(hide_password=False),
           "RATING_JOB_QUEUE": "procrastinate", "RATING_RENDER_ON_PUBLICIZE": "true",
           "RATING_RENDER_BATCH_SIZE": "4", "RATING_WORKER_HEARTBEAT_SECONDS": "0.5",
           "RATING_WORKER_STALLED_SECONDS": "2", "RATING_TASK_RETRY_SECONDS": "0", "RATING_TASK_MAX_ATTEMPTS": "3",
           "RATING_DOCUMENTS_DIR": str(tmp_path / "documents")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    database = Database(get_settings())  # the same database, with the settings above (the real queue)
    yield database
    database.dispose()
    monkeypatch.undo()  # the environment back first, so that no later call caches this test's settings
    get_settings.cache_clear()


def _publicized(database: Database) -> int:
    """The Zongyang data, its 2025 cycle computed and publicized (its render job queued): the cycle's id."""
    with database.write_session() as session:
        import_folder(session, folder=PROJECT_ROOT / "fixtures" / "zongyang", actor="test")
        cycle_id = cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(
            "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31))).id
    cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="test")
    with database.write_session() as session:
        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="test")
        notices.render_in_background(database=database, cycle_id=cycle_id, session=session, actor="test")
    return cycle_id


def _worker(log: Path, *options: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(RATING), "worker", *options], stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            env=os.environ.copy())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _job(database: Database, job_id: int) -> Job:
    with database.read_session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


def _render_job(database: Database, cycle_id: int) -> int:
    with database.read_session() as session:
        return session.scalars(select(Job.id).where(Job.kind == "render", Job.cycle_id == cycle_id)).one()


def _rendered(database: Database, cycle_id: int) -> int:
    with database.read_session() as session:
        return session.scalar(select(func.count(Document.sha256)).where(Document.cycle_id == cycle_id)) or 0


def _tasks_left(database: Database) -> int:
    with database.read_session() as session:
        return session.scalar(text("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"))


def test_a_compute_job_runs_in_a_worker_process_and_its_progress_is_on_its_row(pg, tmp_path):
    with pg.write_session() as session:
        import_folder(session, folder=PROJECT_ROOT / "fixtures" / "zongyang", actor="test")
        cycle_id = cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(
            "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31))).id
    job = cycles.start_background_compute(database=pg, cycle_id=cycle_id, actor="officer")
    # Queued, not run: this process runs no job on the real queue.
    time.sleep(0.5)
    assert (_job(pg, job.id).status, _job(pg, job.id).stage) == ("running", "queued")
    assert jobs.queue_depth(pg)["compute"] == 1
    port = _free_port()
    worker = _worker(tmp_path / "worker.log", "--metrics-port", str(port))
    try:
        assert jobs.Submitted(job.id, pg).join(timeout=120)
        assert jobs.live_workers(pg) == 1
        scraped = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
        assert 'rating_task_duration_seconds_count{outcome="done",task="compute"} 1.0' in scraped
    finally:
        _stop(worker)
    row = _job(pg, job.id)
    assert (row.status, row.stage, row.error) == ("done", "storing", None)
    with pg.read_session() as session:
        assert cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id).status == "computed"
    assert jobs.queue_depth(pg)["compute"] == 0 and _tasks_left(pg) == 0
    assert jobs.live_workers(pg) == 0  # a worker stopped by SIGTERM signs off


def test_a_worker_killed_in_the_middle_of_a_batch_loses_no_document_and_renders_none_twice(pg, tmp_path):
    cycle_id = _publicized(pg)
    job_id = _render_job(pg, cycle_id)
    with pg.read_session() as session:
        documents = {d.id: d.doc_number for d in session.scalars(select(Document).where(
            Document.cycle_id == cycle_id))}
    assert len(documents) >= 12  # several batches of 4
    folder = Path(get_settings().documents_dir) / f"cycle-{cycle_id}"

    first = _worker(tmp_path / "first.log")
    deadline = time.monotonic() + 120
    while _rendered(pg, cycle_id) < 2 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    written = {p.name: p.stat().st_ino for p in folder.glob("*.pdf")}
    assert 2 <= len(written) < len(documents), "the worker was to be killed in the middle of the cycle"
    assert _job(pg, job_id).status == "running"
    assert jobs.queue_depth(pg)["render_batch"] >= 1  # the batches the killed worker had not started

    second = _worker(tmp_path / "second.log")
    try:
        assert jobs.Submitted(job_id, pg).join(timeout=180)
    finally:
        _stop(second)

    row = _job(pg, job_id)
    assert (row.status, row.done, row.total) == ("done", len(documents), len(documents))
    assert "given back to the queue" in (tmp_path / "second.log").read_text(errors="replace")
    with pg.read_session() as session:
        stored = {d.id: d.sha256 for d in session.scalars(select(Document).where(Document.cycle_id == cycle_id))}
    # Every document once: one file each, whole (its hash recorded), nothing else in the folder (no temporary
    # file of the killed write), and a file written before the kill was taken as it was, not rendered again.
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{i}.pdf" for i in documents)
    for document_id, digest in stored.items():
        assert digest == hashlib.sha256((folder / f"{document_id}.pdf").read_bytes()).hexdigest()
    assert {name: (folder / name).stat().st_ino for name in written} == written
    assert len(set(documents.values())) == len(documents)  # no document number taken twice
    assert _tasks_left(pg) == 0 and jobs.queue_depth(pg)["render_batch"] == 0


def flaky_task(*, database: object, progress: jobs.Progress, fail: int) -> None:
    ATTEMPTS.append(len(ATTEMPTS))
    progress("counting", len(ATTEMPTS), 3)
    if len(ATTEMPTS) <= fail:
        raise ConnectionError("the connection was lost")


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(jobs.TASKS, "flaky", f"{__name__}:flaky_task")
    ATTEMPTS.clear()


def _retries() -> float:
    return metrics.TASK_RETRIES.labels(task="flaky")._value.get()


def test_a_failed_attempt_is_tried_again_and_the_job_then_succeeds(pg, flaky):
    before = _retries()
    with pg.write_session() as session:
        submitted = jobs.submit(session, pg, kind="flaky", cycle_id=None, actor="officer", arguments={"fail": 2})
    queue.run_worker(pg, concurrency=1, wait=False)  # here, until no task is ready (retries are due at once)
    row = _job(pg, submitted.job_id)
    assert ATTEMPTS == [0, 1, 2]
    assert (row.status, row.error, row.done) == ("done", None, 3)
    assert _retries() - before == 2


def test_a_job_that_fails_every_attempt_fails_after_the_last(pg, flaky):
    with pg.write_session() as session:
        submitted = jobs.submit(session, pg, kind="flaky", cycle_id=None, actor="officer", arguments={"fail": 99})
    queue.run_worker(pg, concurrency=1, wait=False)
    row = _job(pg, submitted.job_id)
    assert len(ATTEMPTS) == get_settings().task_max_attempts == 3
    assert row.status == "failed"
    assert json.loads(row.error or "{}")["key"] == "internal_error"


def test_a_data_error_is_not_retried(pg):
    with pg.write_session() as session:  # computing a cycle that does not exist: refused, once
        submitted = jobs.submit(session, pg, kind="compute", cycle_id=None, actor="officer",
                                arguments={"cycle_id": 999, "actor": "officer"})
    queue.run_worker(pg, concurrency=1, wait=False)
    row = _job(pg, submitted.job_id)
    assert row.status == "failed" and json.loads(row.error or "{}")["key"] == "cycle_not_found"
    assert _tasks_left(pg) == 0


def test_the_web_process_never_renders_in_bulk_on_the_real_queue(pg):
    cycle_id = _publicized(pg)
    time.sleep(0.5)
    assert _rendered(pg, cycle_id) == 0
    assert _job(pg, _render_job(pg, cycle_id)).stage == "queued"


def test_serving_on_the_real_queue_without_a_worker_says_so(pg, capsys):
    from rating_service.cli import serve

    serve._warn_without_workers(pg)
    assert "没有正在运行的工作进程" in capsys.readouterr().err
