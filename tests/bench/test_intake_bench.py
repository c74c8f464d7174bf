"""The intake benchmark still runs end to end (--quick: 2,000 tickets, one run, SQLite); it measures, it asserts no
time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_intake_bench_writes_a_results_section(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\nkept section\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_intake.py"), "--quick", "--out", str(out),
         "--work", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "kept section" in text
    assert "<!-- intake-bench:start -->" in text and "<!-- intake-bench:end -->" in text
    rows = dict(re.findall(r"^\| (import|train) \| [^|]+ \| [\d,]+ \| 1 \| ([\d.]+) \|", text, re.MULTILINE))
    assert set(rows) == {"import", "train"} and all(float(v) > 0 for v in rows.values())
    assert "Machine: CPU" in text and "--quick" in text


def test_intake_bench_help():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_intake.py"), "--help"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "--quick" in result.stdout and "--tickets" in result.stdout
