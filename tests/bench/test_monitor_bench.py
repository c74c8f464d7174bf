"""The monitor benchmark still runs end to end (the county on SQLite, one run); it measures, it asserts no time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_monitor_bench_writes_a_results_section(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\nkept section\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "monitor_bench.py"), "--engines", "sqlite", "--skip-nation",
         "--repeat", "1", "--out", str(out), "--work", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "kept section" in text
    assert "<!-- monitor-bench:start -->" in text and "<!-- monitor-bench:end -->" in text
    # running s | sliding s | running RSS | compute s | compute RSS | ratio | rated | sliding
    row = re.search(r"^\| county \| sqlite \| 1 \| ([\d.]+) \(.*?\) \| [\d.]+ \| [\d,]+ \(.*?\) \| ([\d.]+) \(.*?\) "
                    r"\| [\d,]+ \(.*?\) \| ([\d.]+) \| 18 \| (\d+) \|$", text, re.MULTILINE)
    assert row is not None, text
    assert float(row[1]) > 0 and float(row[2]) > 0 and float(row[3]) > 0
    assert int(row[4]) > 0  # the demo's planted companies slide on 2026-12-03
    assert "the same companies and grade counts" in text
    build = re.search(r"^\| county \| sqlite \| 1 \| 18 \| 1 \(1 / \d+\) \| ([\d.]+) .*\| ([\d.]+) "
                      r"\| [\d,]+ / [\d,]+ \|$", text, re.MULTILINE)
    assert build is not None, text
    assert "1 taken off the black list" in text
