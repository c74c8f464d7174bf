"""The service's Prometheus series, defined once (docs/operations.md, "Metrics" lists them).

Rooms call the functions below; the series live in this process's default registry, which ``/metrics`` of the web
process exposes and ``rating worker --metrics-port`` (or RATING_WORKER_METRICS_PORT) of a worker process.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

# Background jobs: one observation per run of a task (an attempt), by the task's name and how it ended
# ("done", "failed": a data error, not retried; "error": retried while attempts remain).
TASK_SECONDS = Histogram("rating_task_duration_seconds", "Duration of background tasks (each attempt)",
                         ["task", "outcome"], buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600))
TASK_RETRIES = Counter("rating_task_retries_total", "Background task attempts that failed and will be tried again",
                       ["task"])


def observe_task(task: str, seconds: float, outcome: str) -> None:
    TASK_SECONDS.labels(task=task, outcome=outcome).observe(seconds)


def count_task_retry(task: str) -> None:
    TASK_RETRIES.labels(task=task).inc()
