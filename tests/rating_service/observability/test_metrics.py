"""/metrics: the named series, by route template, guarded by the settings (docs/operations.md, "Metrics").

The series live in the process's registry, shared by every test: each test compares a scrape before and after
what it does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from rating_service.cycles import service as cycles
from rating_service.db import Database
from rating_service.settings import Settings, get_settings
from rating_service.web.app import create_app
from tests import factories as f

LOCAL = ("127.0.0.1", 50000)
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> tuple[Samples, set[str]]:
    """The samples of a scrape by (name, labels), and the names of the series it declares."""
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    families = set()
    for family in text_string_to_metric_families(response.text):
        families.add(family.name)
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples, families


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def app(database: Database) -> Any:
    return create_app(database)


@pytest.fixture
def officer(database: Database, app: Any) -> TestClient:
    f.make_user(database, "officer", "officer")
    return f.api_client(database, "officer", app=app)


def _csv(kind: str, rows: list[list[Any]]) -> dict[str, Any]:
    return {"files": (f"{kind}.csv", f.upload(kind, rows).data, "text/csv")}


def _publicized_cycle(database: Database) -> int:
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(
            "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31))).id
    cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="test")
    with database.write_session() as session:
        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="test", notice_date=None)
    return cycle_id


def test_every_named_series_is_exposed_after_requests_imports_a_waiting_job_and_a_public_data_build(
        database, app, officer):
    metrics = TestClient(app, client=LOCAL)
    before, _ = scrape(metrics)
    for kind in (*f.REFERENCE, "complaints"):
        assert officer.post(f"/api/v1/imports/{kind}", files=_csv(kind, f.ROWS[kind])).status_code == 200
    bad = [list(row) for row in f.COMPLAINTS]
    bad[1][1] = "2025-13-45"  # a date that does not exist: the whole file is refused
    assert officer.post("/api/v1/imports/complaints", files=_csv("complaints", bad)).status_code == 400
    _publicized_cycle(database)
    assert f.page_client(database, app=app).get("/public").status_code == 200
    with database.write_session() as session:  # a compute job queued and not started: waiting for a worker
        draft = cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(
            "2026年度", dt.date(2026, 1, 1), dt.date(2026, 12, 31))).id
        cycles.start_job(session=session, kind="compute", cycle_id=draft, actor="test")

    after, families = scrape(metrics)

    assert {"rating_http_requests", "rating_http_request_duration_seconds", "rating_jobs_waiting",
            "rating_disclosure_cache_rebuilds", "rating_disclosure_cache_rebuild_seconds", "rating_import_rows",
            "rating_task_duration_seconds", "rating_task_retries"} <= families
    route = {"method": "POST", "route": "/api/v1/imports/{kind}"}
    assert value(after, "rating_http_requests_total", **route, status="200") - \
        value(before, "rating_http_requests_total", **route, status="200") == 4
    assert value(after, "rating_http_request_duration_seconds_count", **route) - \
        value(before, "rating_http_request_duration_seconds_count", **route) == 5
    for kind, outcome, rows in (("companies", "stored", len(f.COMPANIES)), ("complaints", "stored", len(f.COMPLAINTS)),
                                ("complaints", "refused", len(bad))):
        assert value(after, "rating_import_rows_total", kind=kind, outcome=outcome) - \
            value(before, "rating_import_rows_total", kind=kind, outcome=outcome) == rows
    assert value(after, "rating_jobs_waiting", kind="compute") == 1
    assert value(after, "rating_disclosure_cache_rebuilds_total", outcome="built") > \
        value(before, "rating_disclosure_cache_rebuilds_total", outcome="built")
    assert value(after, "rating_disclosure_cache_rebuild_seconds_count") > \
        value(before, "rating_disclosure_cache_rebuild_seconds_count")


def test_requests_are_counted_by_route_template_and_unknown_paths_as_unmatched(sqlite_only):
    app = create_app(sqlite_only)
    client = TestClient(app, client=LOCAL)
    before, _ = scrape(client)
    assert client.get("/api/v1/cycles/987654").status_code == 401  # a route, answered without an account
    assert client.get("/no/such/page/424242").status_code == 404
    over = get_settings().import_body_limit_bytes + 1
    # Refused by the edge before routing: still counted under the route it was meant for.
    assert client.post("/api/v1/imports/companies", headers={"Content-Length": str(over)},
                       content=b"").status_code == 413
    after, _ = scrape(client)

    def grew(**labels: str) -> bool:
        return value(after, "rating_http_requests_total", **labels) > value(before, "rating_http_requests_total",
                                                                              **labels)

    assert grew(method="GET", route="/api/v1/cycles/{cycle_id}", status="401")
    assert grew(method="GET", route="unmatched", status="404")
    assert grew(method="POST", route="/api/v1/imports/{kind}", status="413")
    labels = " ".join(v for (_name, pairs) in after for _k, v in pairs)
    assert "987654" not in labels and "424242" not in labels


def test_metrics_answer_only_addresses_in_the_allowed_list(sqlite_only, monkeypatch):
    app = create_app(sqlite_only)
    monkeypatch.setattr(get_settings(), "metrics_allow_ips", "127.0.0.1,10.0.0.0/8")
    assert TestClient(app, client=("10.20.30.40", 1234)).get("/metrics").status_code == 200
    refused = TestClient(app, client=("192.168.1.9", 1234)).get("/metrics")
    assert refused.status_code == 403 and "192.168" not in refused.text and "10.0.0.0" not in refused.text
    assert refused.json()["code"] == "forbidden" and "运行指标" in refused.json()["message"]
    assert TestClient(app).get("/metrics").status_code == 403  # no address at all (a test client's "testclient")
    monkeypatch.setattr(get_settings(), "metrics_allow_ips", "")
    assert TestClient(app, client=("192.168.1.9", 1234)).get("/metrics").status_code == 200


def test_a_metrics_token_is_required_when_set_and_never_shown(sqlite_only, monkeypatch):
    app = create_app(sqlite_only)
    monkeypatch.setattr(get_settings(), "metrics_token", SecretStr("scrape-secret-7f3a"))
    client = TestClient(app, client=LOCAL)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic scrape-secret-7f3a"}):
        answer = client.get("/metrics", headers=headers)
        assert answer.status_code == 401 and "scrape-secret" not in answer.text
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-7f3a"}).status_code == 200


def test_metrics_turned_off_are_not_found(sqlite_only, monkeypatch):
    app = create_app(sqlite_only)
    monkeypatch.setattr(get_settings(), "metrics_enabled", False)
    assert TestClient(app, client=LOCAL).get("/metrics").status_code == 404


def test_metrics_are_not_in_the_api_description(sqlite_only):
    paths = TestClient(create_app(sqlite_only)).get("/openapi.json").json()["paths"]
    assert "/healthz" in paths and "/metrics" not in paths


def test_a_database_outage_leaves_the_jobs_waiting_out_of_a_scrape_that_still_answers(caplog):
    unreachable = Database(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",
                                    environment="test"))
    client = TestClient(create_app(unreachable), client=LOCAL, raise_server_exceptions=False)
    _samples, families = scrape(client)
    assert "rating_jobs_waiting" not in families and "rating_http_requests" in families
    assert any("jobs waiting" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")


def test_a_wrong_allowed_address_is_refused_at_start_with_a_message_naming_it():
    with pytest.raises(ValueError, match="RATING_METRICS_ALLOW_IPS.*“10.0.0.300”"):
        Settings(metrics_allow_ips="127.0.0.1, 10.0.0.300")
