"""The notice benchmark still runs end to end (--quick: tiny sizes, one run each); it measures, it asserts no time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_notice_bench_writes_a_results_section(tmp_path):
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\nkept section\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "notice_bench.py"), "--quick", "--out", str(out),
         "--work", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "kept section" in text
    assert "<!-- notice-bench:start -->" in text and "<!-- notice-bench:end -->" in text
    rates = dict(re.findall(r"^\| (demo|batch|single process|naive baseline)\b[^|]*\| [^|]+ \| 1 \| ([\d.]+) \|",
                            text, re.MULTILINE))
    assert set(rates) == {"demo", "batch", "single process", "naive baseline"}
    assert all(float(rate) > 0 for rate in rates.values())
    assert "18 `notice`" in text  # the Zongyang demo's notices
    assert "every PDF distinct: yes" in text
    assert "Notice-Fang" in text  # the shipped fonts drew the real path
    assert "Noto" in text  # and the system's Noto Serif CJK the naive one
    assert "**first notice**" in text and "`import reports`" in text
    assert "batch / naive" in text


def test_notice_bench_help():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "notice_bench.py"), "--help"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "--quick" in result.stdout and "--notices" in result.stdout
