"""The job queue benchmark still runs end to end on PostgreSQL (a tiny county, one run per number of workers); it
measures, it asserts no time."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("DATABASE_URL", "")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def test_queue_bench_writes_both_worker_counts_and_a_projection(tmp_path):
    if not SERVER.startswith("postgresql"):
        if IN_CI:
            pytest.fail("CI must run the suite on PostgreSQL: DATABASE_URL is not a postgresql URL")
        pytest.skip("the queue benchmark needs DATABASE_URL=postgresql+psycopg://… (set by .ci/run)")
    # Its own databases on the server, named after the suite's (and the xdist worker's), dropped at the end.
    name = f"{make_url(SERVER).database or 'postgres'}_queue_bench_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\nkept section\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "queue_bench.py"), "--companies", "10", "--repeat", "1",
         "--batch-size", "3", "--skip-county", "--database-url", SERVER, "--bench-database", name,
         "--out", str(out), "--work", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results\n\nkept section\n")
    assert "<!-- queue-bench:start -->" in text and "<!-- queue-bench:end -->" in text
    assert "## Job queue: notices/s by worker processes (issue 20)" in text
    rates = dict(re.findall(r"^\| ([12]) \| 1 \| ([\d.]+) \| [\d.]+–[\d.]+ \|", text, re.MULTILINE))
    assert set(rates) == {"1", "2"}, text
    assert all(float(rate) > 0 for rate in rates.values())
    # every document of the 10 rated companies (and the bulletin) rendered, in 4 batches of at most 3
    assert "11 documents to render (1 bulletin, 10 notice)" in text and "(4 batches per job" in text
    machines = re.findall(r"^\| (\d+) \| (\d+) \| [\d,]+ \| [\d.]+ h ", text, re.MULTILINE)
    assert [(int(m), int(w)) for m, w in machines] == [(1, 2), (2, 4), (4, 8), (8, 16), (16, 32)]
    assert "| synthetic, 10 companies | 10 | 2,000 | 10 | 11 |" in text  # the county end to end
