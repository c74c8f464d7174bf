"""The C allocator's settings for a process of the service (glibc only; elsewhere nothing is changed).

glibc gives a request of at least ``M_MMAP_THRESHOLD`` bytes its own mapping, returned to the system when freed.
By default that threshold moves: freeing such a block raises it to the block's size (up to 32 MiB on 64-bit), so
from then on arrays of that size come from the heap instead, where a freed one stays part of the process for as
long as anything above it lives. An import or a cycle makes and drops thousands of column arrays of a few MiB each:
with the moving threshold the 1 M-row complaint import peaked 58 MiB higher (547 → 605 MiB parsing the file, see
``bench/RESULTS.md``). Fixing the threshold (128 KiB, glibc's starting value) keeps every such array a mapping of
its own, given back at once. Small objects are not concerned (Python's own allocator serves them).

Called once at the start of each process that does the work (the ``rating`` command: server, worker, imports,
cycles; and ``create_app`` for a server started some other way). ``RATING_MALLOC_MMAP_THRESHOLD=0`` leaves glibc's
moving default; so does a ``MALLOC_MMAP_THRESHOLD_`` set in the environment (the operator's choice wins).

The same start also tells numpy whether to ask for transparent huge pages for its large arrays
(``advise_numpy_hugepages``; off unless ``RATING_NUMPY_HUGEPAGES``), and picks Arrow's allocator
(``choose_arrow_pool``; jemalloc unless ``RATING_ARROW_MEMORY_POOL`` says otherwise).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import logging
import os
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rating_service.settings import Settings

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
_applied: int | None = None
# engine_heap: how many callers are inside it, and whether it raised the threshold.
_engine_lock = threading.Lock()
_engine_users = 0
_engine_raised = False


def fix_mmap_threshold(threshold: int) -> bool:
    """Set glibc's mmap threshold to ``threshold`` bytes (which also stops it moving). True when it was set now or
    earlier in this process; False when left alone (0, not glibc, or the environment sets it already)."""
    global _applied
    if threshold <= 0 or not sys.platform.startswith("linux") or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    if _applied == threshold:
        return True
    if not _mallopt(M_MMAP_THRESHOLD, threshold):
        return False
    _applied = threshold
    return True


@functools.cache
def _libc() -> Any | None:
    """The C library's malloc settings (loaded once); None without glibc's mallopt."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.mallopt.restype = ctypes.c_int
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
    except (OSError, AttributeError):  # musl and others: no mallopt, nothing to tune
        return None
    return libc


def _mallopt(option: int, value: int) -> bool:
    libc = _libc()
    if libc is None:
        return False
    if libc.mallopt(option, value) != 1:
        log.warning("mallopt(%d, %d) was refused; the allocator keeps its setting", option, value)
        return False
    return True


@contextlib.contextmanager
def engine_heap(threshold: int) -> Iterator[None]:
    """While the scoring engine and its explanations run, arrays below ``threshold`` bytes come from the heap, where
    the engine's next arrays reuse the memory its earlier ones freed; on the way out the process's fixed threshold
    is back and the heap's free pages go back to the system (``malloc_trim``).

    Every array of the engine a fresh mapping (``fix_mmap_threshold``) costs a page fault per 4 KiB the first time it
    is written: on the 2-core VMs the benchmarks run on, 1.5 million faults and 2.4 s of system time in a nation's
    engine and explanations, which took 4.8 s. Nothing changes when ``threshold`` is 0 or not above the fixed
    threshold, or when the process has none (glibc's moving default, another C library, the environment's
    ``MALLOC_MMAP_THRESHOLD_``). Callers nest and overlap in threads: the first one in raises the threshold, the last
    one out restores it. The threshold is the process's: an import running in another thread meanwhile gets it too.
    """
    global _engine_users, _engine_raised
    with _engine_lock:
        _engine_users += 1
        if _engine_users == 1 and _applied is not None and threshold > _applied:
            _engine_raised = _mallopt(M_MMAP_THRESHOLD, threshold)
    try:
        yield
    finally:
        with _engine_lock:
            _engine_users -= 1
            if _engine_users == 0 and _engine_raised:
                _engine_raised = False
                if _applied is not None:
                    _mallopt(M_MMAP_THRESHOLD, _applied)
                libc = _libc()
                if libc is not None:
                    libc.malloc_trim(0)


def engine_heap_from_settings() -> contextlib.AbstractContextManager[None]:
    from rating_service.settings import get_settings

    return engine_heap(get_settings().engine_malloc_mmap_threshold)


def advise_numpy_hugepages(enabled: bool) -> bool:
    """Whether numpy asks the kernel for transparent huge pages for its arrays of 4 MiB and more
    (``madvise(MADV_HUGEPAGE)``, numpy's own default on Linux). True when set now; False when left alone:
    ``NUMPY_MADVISE_HUGEPAGE`` in the environment (the operator's choice wins) or a numpy without the switch.

    The service turns it off by default (``RATING_NUMPY_HUGEPAGES``): on the 2-core VMs the benchmarks run on, the
    first touch of a huge page was at times far slower than of small pages (a fresh process filling 2 GB: 24.8 s
    with the advice against 0.77 s without it, 2026-12-05), so a cycle's time swung with the machine's state.
    """
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return False
    import numpy as np

    try:
        switch = np._core.multiarray._set_madvise_hugepage  # type: ignore[attr-defined]
    except AttributeError:  # a numpy without the switch
        return False
    switch(bool(enabled))
    return True


def choose_arrow_pool(name: str) -> bool:
    """Make ``name`` ("jemalloc", "mimalloc", "system") Arrow's default memory pool for this process. True when set
    now; False when left alone: "default", ``ARROW_DEFAULT_MEMORY_POOL`` in the environment (the operator's choice
    wins, and pyarrow reads it itself), or a pyarrow built without that allocator (a warning).

    The service's default is jemalloc: on the 2-core VMs the benchmarks run on, Arrow's steps in the engine and the
    explanations ran slower on mimalloc, pyarrow's default (a nation's engine 11.3 s against 10.1 s, with a lower
    peak, 2026-12-05, bench/RESULTS.md)."""
    if name == "default" or "ARROW_DEFAULT_MEMORY_POOL" in os.environ:
        return False
    import pyarrow as pa

    makers = {"jemalloc": pa.jemalloc_memory_pool, "mimalloc": pa.mimalloc_memory_pool,
              "system": pa.system_memory_pool}
    try:
        pool = makers[name]()
    except NotImplementedError:
        log.warning("this pyarrow has no %s allocator; Arrow keeps its default", name)
        return False
    pa.set_memory_pool(pool)
    return True


def tune(settings: Settings) -> bool:
    """The settings' allocator choices, at the start of a process of the service; True when the mmap threshold is
    fixed."""
    advise_numpy_hugepages(settings.numpy_hugepages)
    choose_arrow_pool(settings.arrow_memory_pool)
    return fix_mmap_threshold(settings.malloc_mmap_threshold)


def tune_from_settings() -> bool:
    from rating_service.settings import get_settings

    return tune(get_settings())
