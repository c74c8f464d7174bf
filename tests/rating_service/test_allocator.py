"""The fixed mmap threshold: large arrays a process frees go back to the system, whatever it freed before."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rating_service import allocator
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]

glibc_only = pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                                reason="the mmap threshold is glibc's")

# One 8 MiB array made and freed (with glibc's moving threshold, later arrays up to 8 MiB now come from the heap),
# then 24 arrays of 4 MiB, all freed but the last: the MiB of resident memory that stayed with the process.
RETAINED = """
import sys
import numpy as np
from rating_service.allocator import fix_mmap_threshold

def rss_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

if sys.argv[1] == "fixed":
    assert fix_mmap_threshold(128 * 1024)
big = np.ones(8 << 20, dtype=np.uint8)
del big
before = rss_kib()
blocks = [np.ones(4 << 20, dtype=np.uint8) for _ in range(24)]
last = blocks.pop()
del blocks
print((rss_kib() - before) / 1024)
"""


def _retained_mib(mode: str) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    done = subprocess.run([sys.executable, "-c", RETAINED, mode], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True, timeout=120)
    return float(done.stdout.strip())


@glibc_only
def test_freed_arrays_go_back_to_the_system_once_the_threshold_is_fixed() -> None:
    moving = _retained_mib("default")
    fixed = _retained_mib("fixed")
    # 92 MiB freed below a live array: kept by the heap under the moving threshold, unmapped under the fixed one.
    assert moving > 60, moving
    assert fixed < 12, fixed


@glibc_only
def test_the_threshold_is_left_alone_when_switched_off_or_set_by_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator, "_applied", None)
    assert allocator.fix_mmap_threshold(0) is False
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")
    assert allocator.fix_mmap_threshold(128 * 1024) is False
    assert allocator._applied is None
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_")
    assert allocator.fix_mmap_threshold(128 * 1024) is True
    assert allocator._applied == 128 * 1024


def test_the_setting_is_bounded_by_glibcs_limit() -> None:
    from pydantic import ValidationError

    from rating_service.settings import Settings

    assert Settings().malloc_mmap_threshold == 128 * 1024
    with pytest.raises(ValidationError):
        Settings(malloc_mmap_threshold=64 * 1024 * 1024)
    with pytest.raises(ValidationError):
        Settings(malloc_mmap_threshold=-1)


def test_every_process_of_the_service_fixes_it_at_its_start(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(allocator, "fix_mmap_threshold", lambda threshold: calls.append(threshold) or True)
    monkeypatch.setattr(allocator, "advise_numpy_hugepages", lambda enabled: calls.append(("huge", enabled)))
    from rating_service import cli
    from rating_service.web import app as web_app

    monkeypatch.setattr(sys, "argv", ["rating", "--help"])
    with pytest.raises(SystemExit):
        cli.main()
    web_app.create_app()
    assert calls == [("huge", False), 128 * 1024, ("huge", False), 128 * 1024]


# A 64 MiB array, touched: how much of it the kernel backs with transparent huge pages (AnonHugePages, KiB).
HUGE = """
import sys
import numpy as np
from rating_service.allocator import advise_numpy_hugepages

assert advise_numpy_hugepages(sys.argv[1] == "on")
block = np.ones(64 << 20, dtype=np.uint8)
with open("/proc/self/smaps_rollup") as smaps:
    print(next(int(line.split()[1]) for line in smaps if line.startswith("AnonHugePages")))
"""


def _thp_mode() -> str:
    try:
        text = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text()
    except OSError:
        return ""
    return text[text.find("[") + 1:text.find("]")]


def _huge_kib(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    done = subprocess.run([sys.executable, "-c", HUGE, mode], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True, timeout=120)
    return int(done.stdout.strip())


@pytest.mark.skipif(_thp_mode() != "madvise", reason="huge pages follow numpy's advice only in the madvise mode")
def test_numpy_asks_for_huge_pages_only_when_told() -> None:
    if _huge_kib("on") == 0:  # the kernel had none to give: nothing to tell apart
        pytest.skip("no transparent huge page was available")
    assert _huge_kib("off") == 0


def test_numpy_huge_pages_are_off_by_default_and_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from rating_service.settings import Settings

    switch = np._core.multiarray._set_madvise_hugepage
    before = switch(True)
    try:
        monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
        assert Settings().numpy_hugepages is False
        allocator.tune(Settings())
        assert switch(True) is False  # the previous value: tune turned it off
        monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")
        assert allocator.advise_numpy_hugepages(False) is False
        assert switch(True) is True  # left alone
    finally:
        switch(before)


POOL = """
import sys
import pyarrow as pa
from rating_service.allocator import choose_arrow_pool

print(choose_arrow_pool(sys.argv[1]), pa.default_memory_pool().backend_name)
"""


def _without_arrow_settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("ARROW_", "RATING_"))}


def _pool(name: str, **env: str) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", POOL, name], cwd=ROOT, env={**_without_arrow_settings(), **env},
                          capture_output=True, text=True, check=True, timeout=120)
    chosen, backend = done.stdout.split()
    return chosen, backend


def test_arrows_allocator_is_the_settings_unless_the_environment_names_one() -> None:
    own = subprocess.run([sys.executable, "-c", "import pyarrow as pa; print(pa.default_memory_pool().backend_name)"],
                         env=_without_arrow_settings(), capture_output=True, text=True, check=True,
                         timeout=120).stdout.strip()
    assert _pool("jemalloc") == ("True", "jemalloc")
    assert _pool("system") == ("True", "system")
    assert _pool("jemalloc", ARROW_DEFAULT_MEMORY_POOL="system") == ("False", "system")
    assert _pool("default") == ("False", own)  # pyarrow's own choice, left alone


def test_the_service_starts_with_jemalloc_for_arrow() -> None:
    """The default settings, as every process of the service applies them at its start."""
    from rating_service.settings import Settings

    assert Settings().arrow_memory_pool == "jemalloc"
    code = ("import pyarrow as pa\nfrom rating_service.allocator import tune_from_settings\ntune_from_settings()\n"
            "print(pa.default_memory_pool().backend_name)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_without_arrow_settings(), capture_output=True,
                          text=True, check=True, timeout=120)
    assert done.stdout.strip() == "jemalloc"


# engine_heap: 24 arrays of 4 MiB made and freed but the last, inside it; the MiB of resident memory that stayed with
# the process then, and once the last caller is out.
ENGINE_HEAP = """
import numpy as np
from rating_service.allocator import engine_heap, fix_mmap_threshold

def rss_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

assert fix_mmap_threshold(128 * 1024)
before = rss_kib()
with engine_heap(32 << 20):
    with engine_heap(32 << 20):  # nested: only the outer one restores
        blocks = [np.ones(4 << 20, dtype=np.uint8) for _ in range(24)]
        last = blocks.pop()
        del blocks
    inside = (rss_kib() - before) / 1024
    again = [np.ones(4 << 20, dtype=np.uint8) for _ in range(12)]  # reuses what the 23 freed ones left
    reused = (rss_kib() - before) / 1024 - inside
    del again
print(inside, reused, (rss_kib() - before) / 1024)
"""


@glibc_only
def test_the_engine_heap_keeps_freed_arrays_for_reuse_and_gives_them_back_at_its_end() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    done = subprocess.run([sys.executable, "-c", ENGINE_HEAP], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True, timeout=120)
    inside, reused, after = (float(v) for v in done.stdout.split())
    assert inside > 60, inside  # 92 MiB freed below the live array stay with the heap while it lasts
    assert reused < 12, reused  # and the next arrays take them: no fresh pages
    assert after < 12, after  # the fixed threshold is back and the heap trimmed: only the live array stays


def test_the_engine_heap_changes_nothing_when_off_or_without_a_fixed_threshold(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(allocator, "_mallopt", lambda option, value: calls.append((option, value)) or True)
    monkeypatch.setattr(allocator, "_applied", None)  # glibc's moving default: nothing to raise
    with allocator.engine_heap(32 << 20):
        pass
    monkeypatch.setattr(allocator, "_applied", 128 * 1024)
    with allocator.engine_heap(0), allocator.engine_heap(64 * 1024):  # off, or not above the fixed threshold
        pass
    assert calls == []
    with allocator.engine_heap(32 << 20):
        with allocator.engine_heap(32 << 20):
            assert calls == [(allocator.M_MMAP_THRESHOLD, 32 << 20)]
        assert len(calls) == 1  # the outer caller is still inside
    assert calls == [(allocator.M_MMAP_THRESHOLD, 32 << 20), (allocator.M_MMAP_THRESHOLD, 128 * 1024)]
    assert allocator._engine_users == 0


def test_a_cycles_engine_and_explanations_run_inside_the_engine_heap(monkeypatch: pytest.MonkeyPatch,
                                                                      database: Any) -> None:
    import contextlib

    from rating_service.cycles import service as cycles
    from tests.rating_service.cycles.test_snapshot import _computed_cycle

    inside: list[str] = []
    state = {"in": False}

    @contextlib.contextmanager
    def recording() -> Iterator[None]:
        state["in"] = True
        try:
            yield
        finally:
            state["in"] = False

    rate, explain = cycles.rate_companies, cycles.explanations_utf8
    monkeypatch.setattr(cycles, "engine_heap_from_settings", recording)
    monkeypatch.setattr(cycles, "rate_companies", lambda **kw: inside.append(f"rate {state['in']}") or rate(**kw))
    monkeypatch.setattr(cycles, "explanations_utf8",
                        lambda *a, **kw: inside.append(f"explain {state['in']}") or explain(*a, **kw))
    f.load(database, *f.REFERENCE)
    _computed_cycle(database)
    assert inside == ["rate True", "explain True"]
