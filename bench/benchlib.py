"""Helpers the benchmark scripts share: writing their own section of RESULTS.md, the command line."""

from __future__ import annotations

import os
import re
import resource
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The benchmarks' databases are not the developer's: their audit anchors go under bench/out, not into var/ (where
# they would contradict the developer's own database when `rating audit verify` reads them).
os.environ.setdefault("RATING_AUDIT_ANCHOR_FILE", str(REPO_ROOT / "bench" / "out" / "audit-anchors.log"))


def write_section(path: Path, section: str, *, start: str, end: str) -> None:
    """Replace the section between the ``start`` and ``end`` markers, keeping every other section."""
    if path.exists():
        text = path.read_text()
        if start in text and end in text:
            before, rest = text.split(start, 1)
            after = rest.split(end, 1)[1].lstrip("\n")
            text = before + section + ("\n" + after if after else "")
        else:
            text = text.rstrip("\n") + "\n\n" + section
    else:
        text = "# Benchmark results\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def command_line(script: str, argv: Sequence[str]) -> str:
    """The command as a reader would type it from the repository root."""
    python = Path(sys.executable)
    try:
        shown = str(python.relative_to(REPO_ROOT)) if python.is_absolute() else str(python)
    except ValueError:
        shown = "python"
    return shlex.join([shown, script, *argv])


def source_digest(folder: str) -> str:
    """A hash of a source folder (e.g. "scoring"), to notice code that changed while a benchmark ran."""
    import hashlib

    digest = hashlib.sha256()
    root = REPO_ROOT / folder
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _git(*args: str) -> str:
    import subprocess

    try:
        done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def code_version(folder: str) -> str:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = _git("status", "--porcelain", "--", folder)
    return f"commit {commit}" + (f" + uncommitted changes in {folder}/" if dirty else "")


def machine_info() -> dict[str, str]:
    """CPU, cores, memory, OS and the numeric stack's versions."""
    import os
    import platform
    import re

    import numpy as np
    import pandas as pd

    def read(path: str) -> str:
        try:
            return Path(path).read_text()
        except OSError:
            return ""

    cpu = re.search(r"^model name\s*:\s*(.+)$", read("/proc/cpuinfo"), re.MULTILINE)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", read("/proc/meminfo"), re.MULTILINE)
    return {
        "CPU": cpu.group(1).strip() if cpu else platform.processor() or "unknown",
        "nproc": str(len(os.sched_getaffinity(0))),
        "memory": f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "unknown",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }


# -- process memory (Linux /proc; ru_maxrss elsewhere) ---------------------------------------------

def status_kib(field: str) -> int:
    try:
        with open("/proc/self/status") as handle:
            found = re.search(rf"^{field}:\s*(\d+) kB", handle.read(), re.MULTILINE)
        return int(found.group(1)) if found else 0
    except OSError:
        return 0


def peak_mib() -> float:
    return (status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def rss_mib() -> float:
    return status_kib("VmRSS") / 1024


def reset_peak() -> bool:
    """Reset the high-water mark (Linux >= 4.0: ``echo 5 > /proc/self/clear_refs``)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False
