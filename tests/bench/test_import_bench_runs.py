"""The import benchmark still runs end to end (on a tiny data set); it measures, it asserts no time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_bench_writes_a_results_section(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\nkept section\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "import_bench.py"), "--rows", "1500", "--repeat", "1",
         "--engines", "sqlite", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "kept section" in text
    assert "<!-- import-bench:start -->" in text and "<!-- import-bench:end -->" in text
    assert "| sqlite | service |" in text and "| sqlite | baseline |" in text
    assert "service/baseline rows/s" in text
