"""Helpers the benchmark scripts share: writing their own section of RESULTS.md, the command line."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


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
