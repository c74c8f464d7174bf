"""The cycle benchmark still runs end to end (tiny nation, SQLite only); it measures, it asserts no time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cycle_bench_writes_a_results_section(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\nkept section\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "cycle_bench.py"), "--companies", "200", "--records", "20000",
         "--repeat", "1", "--nation-repeat", "1", "--engines", "sqlite", "--nation-engines", "sqlite",
         "--out", str(out), "--work", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "kept section" in text
    assert "<!-- cycle-bench:start -->" in text and "<!-- cycle-bench:end -->" in text
    row = r"^\| (county|nation) \| sqlite \| 1 \| ([\d.]+) \| [\d.]+–[\d.]+ \| [\d.]+ \| ([\d,]+) / ([\d,]+) \|"
    rows = {match[0]: match for match in re.findall(row, text, re.MULTILINE)}
    assert set(rows) == {"county", "nation"}
    for _scale, seconds, peak_median, _peak_max in rows.values():
        assert 0 < float(seconds) < 300
        assert 20 < int(peak_median.replace(",", "")) < 8192  # MiB: a Python process with pandas, not a nation
    assert "rated 18 companies" in text  # the Zongyang demo
    assert "rated 200 companies" in text
    assert "| nation | sqlite | " in text and "Median seconds per stage" in text
