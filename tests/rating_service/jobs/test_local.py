"""The background-job mechanism: a job is queued when its transaction commits, runs its kind's task function in a
worker thread, and its row records the progress and the outcome."""

from __future__ import annotations

import json

import pytest

from rating_service.cycles.models import Job
from rating_service.errors import Conflict
from rating_service.jobs import service as jobs
from rating_service.settings import get_settings

CALLS: list[dict[str, object]] = []


def record_task(*, database: object, progress: jobs.Progress, value: int) -> None:
    CALLS.append({"value": value})
    progress("counting", 0, 2)
    progress("counting", 2, 2)


def refusing_task(*, database: object, progress: jobs.Progress, cycle_id: int) -> None:
    raise Conflict("cycle_job_running", cycle_id=cycle_id)


@pytest.fixture
def kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(jobs.TASKS, "record", f"{__name__}:record_task")
    monkeypatch.setitem(jobs.TASKS, "refuse", f"{__name__}:refusing_task")
    CALLS.clear()


def _row(database, job_id: int) -> Job:
    with database.read_session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_job_runs_its_task_after_commit_and_records_progress_and_outcome(database, kinds):
    with database.write_session() as session:
        submitted = jobs.submit(session, database, kind="record", cycle_id=None, actor="officer",
                                arguments={"value": 7})
        assert CALLS == []
    assert submitted.join(timeout=30)
    job = _row(database, submitted.job_id)
    assert CALLS == [{"value": 7}]
    assert (job.kind, job.status, job.stage, job.done, job.total, job.error) == ("record", "done", "counting", 2, 2,
                                                                                 None)
    assert job.finished_at is not None


def test_a_job_whose_transaction_rolls_back_is_never_run(database, kinds):
    with pytest.raises(RuntimeError), database.write_session() as session:
        submitted = jobs.submit(session, database, kind="record", cycle_id=None, actor="officer",
                                arguments={"value": 1})
        raise RuntimeError("the action failed")
    assert not submitted.join(timeout=0.5)
    assert CALLS == []
    with database.read_session() as session:
        assert session.get(Job, submitted.job_id) is None


def test_a_task_that_raises_fails_its_job_with_the_error(database, kinds):
    with database.write_session() as session:
        submitted = jobs.submit(session, database, kind="refuse", cycle_id=None, actor="officer",
                                arguments={"cycle_id": 3})
    assert submitted.join(timeout=30)
    job = _row(database, submitted.job_id)
    assert job.status == "failed"
    assert json.loads(job.error or "{}") == {"code": "conflict", "key": "cycle_job_running",
                                             "params": {"cycle_id": 3}}


def test_every_kind_names_a_task_function_free_of_the_mechanism():
    for kind in jobs.TASKS:
        task = jobs.task_function(kind)
        assert callable(task) and task.__module__ != jobs.__name__


ATTEMPTS: list[int] = []


def flaky_task(*, database: object, progress: jobs.Progress) -> None:
    ATTEMPTS.append(len(ATTEMPTS))
    if len(ATTEMPTS) == 1:
        raise ConnectionError("the connection was lost")


def test_the_embedded_queue_tries_a_failed_attempt_again(database, monkeypatch):
    monkeypatch.setitem(jobs.TASKS, "flaky", f"{__name__}:flaky_task")
    monkeypatch.setenv("RATING_TASK_RETRY_SECONDS", "0")
    get_settings.cache_clear()
    ATTEMPTS.clear()
    try:
        with database.write_session() as session:
            submitted = jobs.submit(session, database, kind="flaky", cycle_id=None, actor="officer", arguments={})
        assert submitted.join(timeout=30)
    finally:
        get_settings.cache_clear()
    assert ATTEMPTS == [0, 1]
    assert _row(database, submitted.job_id).status == "done"


def test_the_embedded_queue_is_the_default_on_sqlite_and_the_real_one_on_postgresql():
    from rating_service.settings import Settings

    assert Settings(database_url="sqlite:///x.db", job_queue="auto").queue_backend == "local"
    assert Settings(database_url="postgresql+psycopg://h/d", job_queue="auto").queue_backend == "procrastinate"
    with pytest.raises(ValueError, match="needs PostgreSQL"):
        Settings(database_url="sqlite:///x.db", job_queue="procrastinate")


def test_rating_worker_says_no_worker_is_needed_when_jobs_run_in_the_web_process(monkeypatch):
    from typer.testing import CliRunner

    from rating_service.cli import app

    monkeypatch.setenv("RATING_JOB_QUEUE", "local")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["worker"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "无需启动工作进程" in result.output and "RATING_JOB_QUEUE=procrastinate" in result.output
