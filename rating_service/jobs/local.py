"""The embedded queue: daemon threads of the serving process run the jobs it queued (RATING_JOB_QUEUE=local, the
default on SQLite). A job that fails unexpectedly is tried again here after the same back-off as on the real queue;
a stopped server does not wait for its jobs (the next `rating serve` marks them failed)."""

from __future__ import annotations

import logging
import queue
import threading
import time

from rating_service.jobs.runner import Queued, RetryLater, execute
from rating_service.observability.context import bound_request_id

log = logging.getLogger(__name__)

THREADS = 4  # at most, started as jobs come; jobs of different cycles run side by side


class Workers:
    """Daemon threads (at most ``size``) taking jobs from one queue; a thread is started when a job comes and no
    thread is free."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._queue: queue.SimpleQueue[Queued] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._idle = 0  # threads waiting for a job
        self._waiting = 0  # jobs queued and not taken yet

    def put(self, queued: Queued) -> None:
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
                    run(queued)
            finally:
                queued.handle._finished.set()


def run(queued: Queued) -> None:
    """Every attempt of one job, here and now, waiting between attempts as the queue would."""
    attempt = 0
    while True:
        try:
            execute(queued.database, queued.job_id, queued.kind, queued.arguments, attempt=attempt)
            return
        except RetryLater as retry:
            time.sleep(retry.seconds)
            attempt += 1


WORKERS = Workers(THREADS)
