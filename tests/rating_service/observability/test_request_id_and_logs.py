"""The request id (X-Request-ID) on every answer, in every log line of the request and of the jobs it queues; JSON
logs (docs/operations.md, "Logs")."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rating_service.cycles import service as cycles
from rating_service.jobs import service as jobs
from rating_service.observability.logs import RequestIdFilter, configure_logging
from rating_service.settings import Settings, get_settings
from rating_service.web.app import create_app
from tests import factories as f

task_log = logging.getLogger("tests.observability.job")


def logging_compute(**arguments: Any) -> Any:
    """The compute task, saying first that it runs (the real task writes no log line of its own)."""
    task_log.info("computing cycle %s", arguments["cycle_id"])
    return cycles.compute_cycle(**arguments)


def _failing_app(database: Any) -> Any:
    app = create_app(database)

    def fail() -> None:
        raise RuntimeError("an unexpected failure")

    app.add_api_route("/api/v1/test-failure", fail)
    return app


def test_a_sane_request_id_is_echoed_and_a_new_one_made_otherwise(sqlite_only):
    client = TestClient(create_app(sqlite_only))
    assert client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.1:2"}).headers["x-request-id"] == \
        "edge-7f3a.1:2"
    made = client.get("/healthz").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/healthz").headers["x-request-id"] != made
    for insane in ("a" * 65, "<script>", "id with spaces", "x\u00e9"):
        replaced = client.get("/healthz", headers={"X-Request-ID": insane.encode("utf-8")}).headers["x-request-id"]
        assert replaced != insane and re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_every_error_answer_carries_the_request_id(sqlite_only):
    client = TestClient(_failing_app(sqlite_only), raise_server_exceptions=False)
    over = str(get_settings().import_body_limit_bytes + 1)
    answers = {
        "not found": client.get("/no/such/page", headers={"X-Request-ID": "r-404"}),
        "edge": client.post("/api/v1/imports/companies", headers={"X-Request-ID": "r-413", "Content-Length": over},
                            content=b""),
        "no account": client.get("/api/v1/me", headers={"X-Request-ID": "r-401"}),
        "failure": client.get("/api/v1/test-failure", headers={"X-Request-ID": "r-500"}),
    }
    assert {name: (a.status_code, a.headers.get("x-request-id")) for name, a in answers.items()} == {
        "not found": (404, "r-404"), "edge": (413, "r-413"), "no account": (401, "r-401"),
        "failure": (500, "r-500")}


@pytest.fixture
def root_logging() -> Iterator[None]:
    """configure_logging replaces the root logger's handlers: put back pytest's afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_logs_are_one_object_per_line_with_the_request_id_and_the_exception(sqlite_only, root_logging,
                                                                                   capsys):
    configure_logging(Settings(log_format="json", log_level="INFO"))
    client = TestClient(_failing_app(sqlite_only), raise_server_exceptions=False)
    assert client.get("/api/v1/test-failure", headers={"X-Request-ID": "json-line-1"}).status_code == 500
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    (failure,) = [line for line in lines if line["request_id"] == "json-line-1"]
    assert failure["level"] == "ERROR" and failure["logger"] == "rating_service.web.errors"
    assert failure["message"] == "unexpected error on GET /api/v1/test-failure"
    assert "RuntimeError: an unexpected failure" in failure["exc_info"] and failure["time"]


def test_text_logs_are_the_default_and_carry_the_request_id(sqlite_only, root_logging, capsys):
    assert Settings().log_format == "text"
    configure_logging(Settings(log_level="INFO"))
    client = TestClient(_failing_app(sqlite_only), raise_server_exceptions=False)
    client.get("/api/v1/test-failure", headers={"X-Request-ID": "text-line-1"})
    assert re.search(r"ERROR rating_service\.web\.errors \[text-line-1\] unexpected error on GET",
                     capsys.readouterr().err)


def test_a_job_queued_by_a_request_logs_with_that_requests_id(database, monkeypatch, caplog):
    monkeypatch.setitem(jobs.TASKS, "compute", f"{__name__}:logging_compute")
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.INFO, logger=task_log.name)
    f.load(database, *f.REFERENCE)
    f.make_user(database, "officer", "officer")
    api = f.api_client(database, "officer")
    cycle_id = api.post("/api/v1/cycles", json={"name": "2025年度", "period_start": "2025-01-01",
                                                "period_end": "2025-12-31"}).json()["id"]
    started = api.post(f"/api/v1/cycles/{cycle_id}/compute-jobs", headers={"X-Request-ID": "compute-from-api"})
    assert started.status_code == 202 and started.headers["x-request-id"] == "compute-from-api"
    deadline = time.monotonic() + 60
    while (state := api.get(f"/api/v1/jobs/{started.json()['id']}").json())["status"] == "running":
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.05)
    assert state["status"] == "done"
    ran = [r for r in caplog.records if r.name == task_log.name]
    assert [(r.getMessage(), r.request_id) for r in ran] == [(f"computing cycle {cycle_id}", "compute-from-api")]


def test_the_pdf_renderers_step_by_step_lines_stay_out_of_the_log(root_logging, capsys):
    configure_logging(Settings(log_level="INFO"))
    logging.getLogger("weasyprint.progress").info("Step 5 - Creating layout - Page 1")
    logging.getLogger("rating_service.jobs").info("a line an operator wants")
    err = capsys.readouterr().err
    assert "a line an operator wants" in err and "Creating layout" not in err
