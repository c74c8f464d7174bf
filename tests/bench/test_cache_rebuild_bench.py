"""The cache-rebuild benchmark still runs end to end (small data, short wrk runs); it measures, it asserts no time."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRK = Path("/usr/bin/wrk")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_cache_rebuild_bench_writes_a_results_section(tmp_path):
    if not WRK.is_file():
        if IN_CI:
            pytest.fail("wrk is missing in CI: `make test` installs it (scripts/system-deps.sh wrk)")
        pytest.skip("wrk is not installed (bash scripts/system-deps.sh wrk)")
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\nkept section\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "cache_rebuild_bench.py"), "--quick", "--engines", "sqlite",
         "--baseline-ref", "HEAD", "--work", str(tmp_path / "work"), "--out", str(out), "--port", str(_free_port()),
         "--connections", "8", "--threads", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "kept section" in text and "## cache-rebuild" in text and "### sqlite" in text
    rows = re.findall(r"^\| (right after a restart|steady state \(control\)|during a publicize) \| (before|after) \| 1 "
                      r"\| ([\d,]+) \|", text, re.MULTILINE)
    assert len(rows) == 6, text[-3000:]
    assert all(int(count.replace(",", "")) > 0 for _scenario, _code, count in rows)
    assert "/public/companies/" in text and "wrk -t1 -c8 -d3s" in text
    shown = re.search(r"^\| during a publicize \| after \|(?:[^|]*\|){9} ([\d.]+) s \|$", text, re.MULTILINE)
    assert shown, "the newly publicized cycle was never seen on the page"
