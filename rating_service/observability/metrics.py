"""The service's Prometheus series, defined once (docs/operations.md, "Metrics" lists them).

Rooms call the functions below; the series live in this process's default registry, which ``/metrics`` of the web
process exposes and ``rating worker --metrics-port`` (or RATING_WORKER_METRICS_PORT) of a worker process. The one
series read at scrape time rather than counted, the jobs waiting, is made by ``exposition`` from what the caller
reads from its database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

# Background jobs: one observation per run of a task (an attempt), by the task's name and how it ended
# ("done", "failed": a data error, not retried; "error": retried while attempts remain).
TASK_SECONDS = Histogram("rating_task_duration_seconds", "Duration of background tasks (each attempt)",
                         ["task", "outcome"], buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600))
TASK_RETRIES = Counter("rating_task_retries_total", "Background task attempts that failed and will be tried again",
                       ["task"])

# HTTP: by the route's template (/api/v1/cycles/{cycle_id}), never the path itself, so that the series stay few;
# a path no route matches is "unmatched".
UNMATCHED_ROUTE = "unmatched"
HTTP_REQUESTS = Counter("rating_http_requests_total", "HTTP requests answered, by method, route template and status",
                        ["method", "route", "status"])
HTTP_SECONDS = Histogram("rating_http_request_duration_seconds",
                         "Time from a request's arrival to the end of its answer, by method and route template",
                         ["method", "route"],
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))

# The public site's data: each build of a public cycle by the disclosure cache ("built" or "failed").
DISCLOSURE_REBUILDS = Counter("rating_disclosure_cache_rebuilds_total",
                              "Builds of a public cycle's data by the public site's cache, by outcome", ["outcome"])
DISCLOSURE_REBUILD_SECONDS = Histogram("rating_disclosure_cache_rebuild_seconds",
                                       "Duration of the builds of a public cycle's data",
                                       buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300))

# Record imports (CLI and web): rows written ("stored") and rows of imports refused whole ("refused"), by kind.
IMPORT_ROWS = Counter("rating_import_rows_total", "Rows of record imports, by kind and outcome (stored, refused)",
                      ["kind", "outcome"])

JOBS_WAITING = "rating_jobs_waiting"


def observe_task(task: str, seconds: float, outcome: str) -> None:
    TASK_SECONDS.labels(task=task, outcome=outcome).observe(seconds)


def count_task_retry(task: str) -> None:
    TASK_RETRIES.labels(task=task).inc()


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    HTTP_SECONDS.labels(method=method, route=route).observe(seconds)


def observe_disclosure_build(seconds: float, *, built: bool) -> None:
    DISCLOSURE_REBUILDS.labels(outcome="built" if built else "failed").inc()
    DISCLOSURE_REBUILD_SECONDS.observe(seconds)


def count_import_rows(kind: str, outcome: str, rows: int) -> None:
    """``outcome``: "stored" (written) or "refused" (in an import refused whole)."""
    IMPORT_ROWS.labels(kind=kind, outcome=outcome).inc(rows)


class _JobsWaiting(Collector):
    """The jobs waiting for a worker, per kind, as read when scraped."""

    def __init__(self, depth: Mapping[str, int]) -> None:
        self.depth = depth

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily(JOBS_WAITING, "Background jobs queued and not started yet, by kind", labels=["kind"])
        for kind, count in sorted(self.depth.items()):
            gauge.add_metric([kind], count)
        yield gauge


def exposition(jobs_waiting: Callable[[], Mapping[str, int]] | None = None) -> tuple[bytes, str]:
    """(body, content type) of a scrape: this process's series, and the jobs waiting when ``jobs_waiting`` is given
    (it is called now; what it raises goes to the caller, which decides to answer without it)."""
    body = generate_latest(REGISTRY)
    if jobs_waiting is not None:
        scrape = CollectorRegistry(auto_describe=False)
        scrape.register(_JobsWaiting(jobs_waiting()))
        body += generate_latest(scrape)
    return body, CONTENT_TYPE_LATEST
