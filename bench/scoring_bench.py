"""Scoring benchmark: the engine on a synthetic nation, against a one-pass ``np.bincount`` floor.

Rates every company of a ``fixtures/generate.py`` scale data set (default 150,000 companies and
30,000,000 event records) with methodology ZY-2025 for 2025 and writes every company's explanation
(``explanations_utf8``: the JSON texts a cycle stores, as Arrow text; since 2026-12-05, before that
``explanations_json``, the same texts as Python strings): the engine figure is ``rate_companies`` plus the
explanations. It reports that time (and its two parts), records/s and peak RSS, and, measured in the
same subprocess just before the engine, the floor: one ``np.bincount`` over the company position of
every record. Every repetition runs in a fresh subprocess (allocator set as the service's processes set it,
``rating_service/allocator.py``) that loads the data (timed apart, not counted
as engine time), measures the floor, then the engine; peak RSS is the process's high-water mark from
after loading to the end of the engine run (inputs included).

    python bench/scoring_bench.py [--companies 150000] [--records 30000000] [--repeat 3]
                                  [--evidence/--no-evidence] [--out bench/RESULTS.md] [--profile]
    python bench/scoring_bench.py --scaling [--scaling-records 1000000,3000000,10000000,30000000]

A run writes its section of RESULTS.md: ``scoring-bench`` at 30,000,000 records, ``scoring-bench-<N>M``
at other sizes; ``--scaling`` rates every size in one run, with evidence, and writes ``scoring-scaling``
(the seconds per size and the slope).

The CSVs are generated once and converted to a compact column cache (``.npy`` per column: int32
codes + categories for ids and enumerations, int32 day numbers for dates) in ``bench/out/scoring/``;
later runs reuse it (bench/out/scoring may be a symlink to a roomier disk). Timings on shared machines
are noisy: the report gives medians, min-max spreads and the engine/floor ratio measured side by side.
Nothing here asserts on a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchlib import code_version as _code_version  # noqa: E402  (bench/ is the script's own folder)
from benchlib import command_line, machine_info, peak_mib, reset_peak, rss_mib, source_digest, write_section  # noqa: E402

WORK_DIR = BENCH_DIR / "out" / "scoring"  # git-ignored: generated CSVs, the column cache
PROFILE_PATH = BENCH_DIR / "out" / "profile-scoring.txt"
LINES_PATH = BENCH_DIR / "out" / "profile-scoring-lines.txt"
GENERATOR = REPO_ROOT / "fixtures" / "generate.py"
METHODOLOGY = REPO_ROOT / "scoring" / "methodologies" / "ZY-2025.yaml"
PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
MARK = "scoring-bench"
SCALING_MARK = "scoring-scaling"
RESULT_PREFIX = "BENCH_RESULT "
TARGET_RATE = 3_750_000  # records/s, explanations included (issue 21: 30 M records in 8 s)
TARGET_RSS_MIB = 4 * 1024
TARGET_FLOOR_RATIO = 50  # engine ≤ 50× the bincount floor
TARGET_SCALING = 11  # 30 M records ≤ 11× the 3 M time
FLOOR_REPEAT = 5
CACHE_VERSION = 1
CSV_CHUNK = 2_000_000
NO_DAY32 = np.iinfo(np.int32).min

REFERENCE_KINDS = ("companies", "communities", "contracts")
RECORD_KINDS = ("inspections", "complaints", "fee_violations", "commendations", "major_events")
KINDS = (*REFERENCE_KINDS, *RECORD_KINDS)
# How each column the engine reads is stored and handed over: "company"/"community" = categorical over
# the registry's ids (the ids of companies.csv / communities.csv, then any others), "enum" = categorical,
# "text" = pandas strings, "date" = datetime64[s] (NaT when blank), "bool" = yes/no, "num" = float64.
COLUMNS: dict[str, dict[str, str]] = {
    "companies": {"credit_code": "company", "name": "text"},
    "communities": {"community_id": "community", "households": "num"},
    "contracts": {"community_id": "community", "credit_code": "company", "start_date": "date", "end_date": "date"},
    "inspections": {"record_id": "text", "inspected_on": "date", "community_id": "community",
                    "credit_code": "company", "severity": "enum", "rectify_by": "date", "rectified_on": "date"},
    "complaints": {"record_id": "text", "received_on": "date", "community_id": "community",
                   "credit_code": "company", "substantiated": "bool", "due_on": "date", "resolved_on": "date"},
    "fee_violations": {"record_id": "text", "decided_on": "date", "credit_code": "company",
                       "community_id": "community", "violation_type": "enum", "amount_yuan": "num",
                       "refunded": "bool"},
    "commendations": {"record_id": "text", "awarded_on": "date", "credit_code": "company", "level": "enum"},
    "major_events": {"record_id": "text", "occurred_on": "date", "credit_code": "company", "kind": "enum"},
}
BOOL_SPELLINGS = {"是": True, "否": False, "y": True, "n": False, "yes": True, "no": False,
                  "true": True, "false": False, "1": True, "0": False, "t": True, "f": False}


# -- data: generate once, convert once to a column cache ---------------------------------------------

def data_dir(companies: int, records: int, seed: int) -> Path:
    return WORK_DIR / f"companies-{companies}-records-{records}-seed-{seed}"


def _cache_ok(folder: Path) -> dict[str, Any] | None:
    marker = folder / "cache" / "meta.json"
    if not marker.exists():
        return None
    meta: dict[str, Any] = json.loads(marker.read_text())
    return meta if meta.get("version") == CACHE_VERSION else None


def generate_csv(folder: Path, companies: int, records: int, seed: int) -> Path:
    csv_dir = folder / "csv"
    marker = csv_dir / "ok.json"
    if marker.exists() and all((csv_dir / f"{k}.csv").exists() for k in KINDS):
        return csv_dir
    if csv_dir.exists():
        shutil.rmtree(csv_dir)
    csv_dir.mkdir(parents=True)
    command = [sys.executable, str(GENERATOR), "--out", str(csv_dir), "--companies", str(companies),
               "--records", str(records), "--seed", str(seed), "--english-headers", "--english-values"]
    print(f"generating data: {shlex.join(command)}", flush=True)
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO_ROOT)
    marker.write_text(json.dumps({"command": command[1:], "seconds": time.perf_counter() - start}))
    return csv_dir


def _save(cache: Path, name: str, array: np.ndarray) -> None:
    np.save(cache / f"{name}.npy", array, allow_pickle=False)


def _text_array(values: list[np.ndarray]) -> np.ndarray:
    """Fixed-width bytes when every value is ASCII (a quarter of the size), else fixed-width unicode."""
    joined = np.concatenate(values) if values else np.array([], dtype=object)
    joined = np.where(pd_isna(joined), "", joined).astype(object)
    try:
        return joined.astype("S")
    except UnicodeEncodeError:
        return joined.astype("U")


def pd_isna(values: np.ndarray) -> np.ndarray:
    import pandas as pd

    return np.asarray(pd.isna(values))


class _Categories:
    """Categories grown chunk by chunk; codes are positions in them (-1 = blank)."""

    def __init__(self, seed: Sequence[str] = ()) -> None:
        import pandas as pd

        self.index = pd.Index(list(seed), dtype=object)

    def codes(self, values: Any) -> np.ndarray:
        import pandas as pd

        series = pd.Series(values, dtype=object)
        present = series.notna().to_numpy()
        unique = pd.unique(series[present].to_numpy(dtype=object))
        new = unique[self.index.get_indexer(unique) < 0]
        if len(new):
            self.index = self.index.append(pd.Index(new, dtype=object))
        out = np.full(len(series), -1, dtype=np.int32)
        out[present] = self.index.get_indexer(series[present].to_numpy(dtype=object))
        return out


def convert_csv(csv_dir: Path, folder: Path) -> dict[str, Any]:
    """Read each CSV once (chunked, only the engine's columns) into ``folder/cache``."""
    import pandas as pd

    cache = folder / "cache"
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(parents=True)
    start = time.perf_counter()
    registry: dict[str, _Categories] = {}
    rows: dict[str, int] = {}
    for kind in KINDS:
        columns = COLUMNS[kind]
        parts: dict[str, list[np.ndarray]] = {name: [] for name in columns}
        enums = {name: _Categories() for name, how in columns.items() if how == "enum"}
        count = 0
        reader = pd.read_csv(csv_dir / f"{kind}.csv", usecols=list(columns), dtype=str, encoding="utf-8-sig",
                             keep_default_na=False, na_values=[""], chunksize=CSV_CHUNK)
        for chunk in reader:
            count += len(chunk)
            for name, how in columns.items():
                values = chunk[name].str.strip().to_numpy(dtype=object)
                if how in ("company", "community"):  # companies.csv / communities.csv come first: their order
                    parts[name].append(registry.setdefault(how, _Categories()).codes(values))
                elif how == "enum":
                    parts[name].append(enums[name].codes(values))
                elif how == "date":
                    parsed = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d", errors="coerce")
                    days = parsed.to_numpy(dtype="datetime64[D]").astype(np.int64)
                    parts[name].append(np.where(parsed.isna().to_numpy(), NO_DAY32, days).astype(np.int32))
                elif how == "bool":
                    mapped = pd.Series(values, dtype=object).str.casefold().map(BOOL_SPELLINGS)
                    parts[name].append(mapped.eq(True).to_numpy(dtype=bool))
                elif how == "num":
                    parts[name].append(pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
                                       .to_numpy(dtype=np.float64))
                else:
                    parts[name].append(values)
        rows[kind] = count
        for name, how in columns.items():
            stem = f"{kind}.{name}"
            if how == "text":
                _save(cache, f"{stem}.text", _text_array(parts[name]))
            else:
                empty = {"date": np.int32, "bool": bool, "num": np.float64}.get(how, np.int32)
                _save(cache, f"{stem}.{how}",
                      np.concatenate(parts[name]) if parts[name] else np.array([], dtype=empty))
            if how == "enum":
                _save(cache, f"{stem}.categories", np.array(enums[name].index.to_numpy(dtype=object), dtype="U"))
        print(f"  {kind}: {count:,} rows cached", flush=True)
    for how, categories in registry.items():
        _save(cache, f"registry.{how}", np.array(categories.index.to_numpy(dtype=object), dtype="U"))
    meta = {"version": CACHE_VERSION, "rows": rows, "seconds": time.perf_counter() - start,
            "csv_bytes": sum((csv_dir / f"{k}.csv").stat().st_size for k in KINDS)}
    (cache / "meta.json").write_text(json.dumps(meta))  # last: the marker of a complete cache
    return meta


def prepare_data(companies: int, records: int, seed: int, keep_csv: bool) -> tuple[Path, dict[str, Any]]:
    folder = data_dir(companies, records, seed)
    meta = _cache_ok(folder)
    if meta is None:
        csv_dir = generate_csv(folder, companies, records, seed)
        print(f"converting {csv_dir} to a column cache…", flush=True)
        meta = convert_csv(csv_dir, folder)
        print(f"cache written in {meta['seconds']:.0f} s", flush=True)
    if not keep_csv and (folder / "csv").exists():
        shutil.rmtree(folder / "csv")  # 3 GB at full size; the cache holds everything the bench reads
    return folder, meta


def load_inputs(folder: Path) -> Any:
    """The cache as ``RatingInputs``: categorical ids and enumerations, datetime64[s] dates, str record ids."""
    import pandas as pd

    from scoring.engine import RatingInputs

    cache = folder / "cache"

    def array(name: str) -> np.ndarray:
        return np.load(cache / f"{name}.npy", allow_pickle=False)

    registry = {how: pd.Index(array(f"registry.{how}").astype(object)) for how in ("company", "community")}
    frames: dict[str, pd.DataFrame] = {}
    for kind, columns in COLUMNS.items():
        data: dict[str, Any] = {}
        for name, how in columns.items():
            stem = f"{kind}.{name}"
            if how in ("company", "community", "enum"):
                categories = registry[how] if how != "enum" else pd.Index(array(f"{stem}.categories").astype(object))
                data[name] = pd.Categorical.from_codes(array(f"{stem}.{how}"), categories=categories)
            elif how == "date":
                days = array(f"{stem}.date")
                out = days.astype(np.int64).astype("datetime64[D]").astype("datetime64[s]")
                out[days == NO_DAY32] = np.datetime64("NaT")
                data[name] = out
            elif how == "text":
                raw = array(f"{stem}.text")
                text = np.empty(len(raw), dtype=object)
                for lo in range(0, len(raw), 1_000_000):  # bytes -> str a slice at a time (bounded temp)
                    piece = raw[lo:lo + 1_000_000]
                    text[lo:lo + 1_000_000] = piece.astype("U") if piece.dtype.kind == "S" else piece
                data[name] = pd.array(text, dtype="str")
            else:
                data[name] = array(f"{stem}.{how}")
        frames[kind] = pd.DataFrame(data)
    return RatingInputs(**frames)


# -- one measured run per subprocess ------------------------------------------------------------------

def floor_ids(inputs: Any) -> tuple[np.ndarray, int]:
    """Company position of every record (named company, else its community's latest contract holder;
    ``n`` where neither), as one intp array over all kinds: the input of the floor's single bincount."""
    n = len(inputs.companies["credit_code"].cat.categories)
    contracts = inputs.contracts
    order = np.argsort(contracts["start_date"].to_numpy(), kind="stable")
    holder = np.full(len(inputs.communities["community_id"].cat.categories), n, dtype=np.intp)
    community = contracts["community_id"].cat.codes.to_numpy()[order]
    company = contracts["credit_code"].cat.codes.to_numpy()[order]
    ok = (community >= 0) & (company >= 0)
    holder[community[ok]] = company[ok]  # later starts overwrite earlier ones
    parts = []
    for kind in RECORD_KINDS:
        frame = getattr(inputs, kind)
        named = frame["credit_code"].cat.codes.to_numpy().astype(np.intp)
        via = holder[np.clip(frame["community_id"].cat.codes.to_numpy(), 0, None)] \
            if "community_id" in frame else np.full(len(frame), n, dtype=np.intp)
        if "community_id" in frame:
            via[frame["community_id"].cat.codes.to_numpy() < 0] = n
        parts.append(np.where(named >= 0, named, via))
    return np.concatenate(parts), n + 1


class LineTimer:
    """Inclusive wall time per source line of ``scoring/engine.py`` (a tiny line profiler on sys.settrace)."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.times: dict[tuple[str, int], float] = {}
        self.hits: dict[tuple[str, int], int] = {}

    def _local(self, frame: Any) -> Any:
        state = [frame.f_lineno, time.perf_counter()]
        name = frame.f_code.co_name

        def tracer(frame: Any, event: str, arg: Any) -> Any:
            now = time.perf_counter()
            if event in ("line", "return"):
                key = (name, state[0])
                self.times[key] = self.times.get(key, 0.0) + now - state[1]
                self.hits[key] = self.hits.get(key, 0) + 1
                state[0], state[1] = frame.f_lineno, time.perf_counter()
            return tracer

        return tracer

    def _global(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "call" and frame.f_code.co_filename == self.filename:
            return self._local(frame)
        return None

    def __enter__(self) -> LineTimer:
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.settrace(None)

    def report(self, total: float, top: int = 80) -> list[dict[str, Any]]:
        source = Path(self.filename).read_text().splitlines()
        rows = sorted(self.times.items(), key=lambda item: -item[1])[:top]
        return [{"function": fn, "line": line, "seconds": secs, "share": secs / total if total else 0.0,
                 "hits": self.hits[(fn, line)], "code": source[line - 1].strip() if line <= len(source) else ""}
                for (fn, line), secs in rows]


def child(folder: Path, evidence: bool, profile: str | None) -> dict[str, Any]:
    code_digest = scoring_digest()  # the version this process imports, right below
    from rating_service.allocator import engine_heap_from_settings, tune_from_settings

    tune_from_settings()  # as every process of the service that runs the engine does at its start
    import pandas as pd
    import pyarrow.compute as pc

    import scoring.engine as engine
    from scoring import kernels
    from scoring.explain import explanations_utf8
    from scoring.methodology import load_methodology

    methodology = load_methodology(METHODOLOGY)
    period = engine.Period(*PERIOD)
    started = time.perf_counter()
    kernels.load()  # the compiled loops, loaded as `rating worker` loads them at its start (not engine time)
    kernels_s = time.perf_counter() - started
    started = time.perf_counter()
    inputs = load_inputs(folder)
    load_s = time.perf_counter() - started
    n_records = sum(len(getattr(inputs, kind)) for kind in RECORD_KINDS)
    ids, bins = floor_ids(inputs)
    gc.collect()
    load_peak, rss_after_load = peak_mib(), rss_mib()
    reset = reset_peak()

    floor_s = []
    for _ in range(FLOOR_REPEAT):
        t0 = time.perf_counter()
        counts = np.bincount(ids, minlength=bins)
        floor_s.append(time.perf_counter() - t0)
    assert counts.sum() == n_records
    del ids, counts
    gc.collect()

    profiler: Any = None
    lines: LineTimer | None = None
    if profile == "cprofile":
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    elif profile == "lines":
        lines = LineTimer(engine.__file__)
        lines.__enter__()
    with engine_heap_from_settings():  # as compute_cycle runs the engine and the explanations
        t0 = time.perf_counter()
        result = engine.rate_companies(inputs=inputs, period=period, methodology=methodology, with_evidence=evidence)
        t1 = time.perf_counter()
        explanations = explanations_utf8(result, methodology)
        t2 = time.perf_counter()
    engine_s, rate_s, explain_s = t2 - t0, t1 - t0, t2 - t1
    if profiler is not None:
        profiler.disable()
    if lines is not None:
        lines.__exit__()
    peak = peak_mib()

    out: dict[str, Any] = {
        "evidence": evidence, "scoring_digest": code_digest, "records": n_records, "load_s": load_s,
        "kernels_load_s": kernels_s,
        "load_peak_mib": load_peak, "rss_after_load_mib": rss_after_load, "peak_reset": reset, "floor_s": floor_s,
        "floor_median_s": statistics.median(floor_s), "engine_s": engine_s, "peak_rss_mib": peak,
        "rate_s": rate_s, "explain_s": explain_s,
        "explanation_chars": pc.sum(pc.utf8_length(explanations)).as_py() or 0,
        "companies_rated": len(result.companies), "reasons": len(result.reasons),
        "evidence_rows": len(result.evidence), "records_rows": len(result.records), "paths": len(result.paths),
        "attribution": {str(k): int(v) for k, v in result.records["attribution"].value_counts().items()},
        "counted": int(result.records["counted"].sum()),
        "grades": {str(k): int(v) for k, v in result.companies["grade"].value_counts().sort_index().items()},
        "result_digest": hashlib.sha256(pd.util.hash_pandas_object(
            result.companies[["credit_code", "score", "grade"]], index=False).to_numpy().tobytes()).hexdigest()[:12],
    }
    if profiler is not None:
        import io
        import pstats

        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
        PROFILE_PATH.write_text(f"cProfile of one rate_companies run (with_evidence={evidence}), "
                                f"{n_records:,} records, {engine_s:.2f} s under the profiler\n\n" + buffer.getvalue())
        out["profile"] = _top_tottime(stats, 25)
    if lines is not None:
        rows = lines.report(engine_s)
        text = [f"Inclusive wall time per line of scoring/engine.py (sys.settrace line timer), one "
                f"rate_companies run (with_evidence={evidence}), {n_records:,} records, {engine_s:.2f} s traced", "",
                f"{'seconds':>8} {'share':>6} {'hits':>6}  function:line  code"]
        text += [f"{r['seconds']:8.2f} {r['share']:6.1%} {r['hits']:6d}  {r['function']}:{r['line']}  {r['code']}"
                 for r in rows]
        LINES_PATH.write_text("\n".join(text) + "\n")
        out["lines"] = rows
    return out


def _top_tottime(stats: Any, top: int) -> list[dict[str, Any]]:
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        short = filename.replace(str(REPO_ROOT) + "/", "")
        short = re.sub(r".*/site-packages/", "", short)
        rows.append({"function": f"{short}:{line}({name})", "calls": calls, "tottime": tottime, "cumtime": cumtime})
    return sorted(rows, key=lambda r: -r["tottime"])[:top]


def run_child(folder: Path, evidence: bool, profile: str | None = None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(folder),
               "--evidence" if evidence else "--no-evidence"]
    if profile:
        command += ["--profile-mode", profile]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=7200)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"engine run failed (exit {done.returncode})")
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if not lines:
        raise SystemExit(f"engine run printed no result:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX):])
    return result


# -- report ---------------------------------------------------------------------------------------

def scoring_digest() -> str:
    return source_digest("scoring")


def _spread(values: list[float], fmt: str) -> tuple[str, str]:
    return format(statistics.median(values), fmt), f"{format(min(values), fmt)}–{format(max(values), fmt)}"


def mark(records: int) -> str:
    """The section of RESULTS.md for a run at ``records`` records."""
    return MARK if records == 30_000_000 else f"{MARK}-{records / 1e6:g}M"


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def _load() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3]) \
        if Path("/proc/loadavg").exists() else "load average unknown"


def render(runs: dict[bool, list[dict[str, Any]]], profiles: dict[str, dict[str, Any]], *, command: str,
           meta: dict[str, Any], companies: int, info: dict[str, str], started: dt.datetime, code: str,
           digest: str, changed: bool, load: str = "") -> str:
    rows = meta["rows"]
    records = sum(rows[k] for k in RECORD_KINDS)
    first = next(r for group in runs.values() for r in group)
    start, end = _markers(mark(records))
    lines = [
        start,
        f"## Scoring benchmark: the engine (`rate_companies` + every explanation) on {records / 1e6:g} M records",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}`",
        f"- Code: {code}, scoring/ source digest {digest}"
        + (" — **WARNING: scoring/ changed while the benchmark ran; runs mix code versions**" if changed else ""),
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()) + (f"; {load}" if load else ""),
        f"- Data: `fixtures/generate.py` scale mode (`--companies {companies} --english-headers --english-values`): "
        f"{rows['companies']:,} companies, {rows['communities']:,} communities (the generator has no option for "
        f"communities per company: always 3), {rows['contracts']:,} contracts, {records:,} records = "
        + ", ".join(f"{rows[k]:,} {k.replace('_', ' ')}" for k in RECORD_KINDS) + "; "
        f"{first['counted']:,} counted in 2025, attribution "
        + ", ".join(f"{v:,} {k}" for k, v in sorted(first["attribution"].items())) + ". "
        f"Rated: {first['companies_rated']:,} companies, methodology ZY-2025, period 2025-01-01:2025-12-31.",
        "- Inputs as handed to the engine: ids (`credit_code`, `community_id`) categorical over the registry's "
        "ids, enumerations categorical, dates datetime64[s], `substantiated`/`refunded` bool, `record_id` pandas "
        "`str`. Loaded from a column cache (`bench/out/scoring/…/cache`, `.npy` per column), not counted as "
        "engine time.",
        "- Each repetition is a fresh subprocess whose allocator is set as the service's processes set it "
        "(`rating_service/allocator.py`: glibc's mmap threshold, numpy's huge-page advice off; since 2026-12-05): "
        "the engine's compiled loops loaded as `rating worker` loads them at its start (`scoring.kernels.load`: "
        "numba imported, the cached code loaded; since 2026-12-05, "
        f"{statistics.median(r.get('kernels_load_s', 0.0) for group in runs.values() for r in group):.2f} s, "
        "not engine time), load, then the floor "
        f"(`np.bincount` over the {records:,} records' company positions: named company, else the community's "
        f"latest contract holder, precomputed; median of {FLOOR_REPEAT} passes), then the engine: one "
        "`rate_companies` call and `explanations_utf8` of every company (the JSON a cycle stores, as Arrow text; "
        "`explanations_json` before 2026-12-05), inside `allocator.engine_heap` as a cycle's compute runs them "
        "(since 2026-12-06), timed together "
        "(\"engine\") and apart. "
        "Peak RSS = the process's high-water mark (VmHWM, reset after loading) over floor + engine, so it "
        "includes the loaded inputs; \"RSS after load\" is what the inputs occupy.",
        "",
        "| evidence | runs | engine median s | min–max s | rate_companies s | explanations s | median records/s "
        "| floor median s | engine/floor | load s | RSS after load MiB | peak RSS MiB (max) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for evidence, group in runs.items():
        secs = [r["engine_s"] for r in group]
        rates = [r["records"] / r["engine_s"] for r in group]
        floors = [r["floor_median_s"] for r in group]
        ratios = [r["engine_s"] / r["floor_median_s"] for r in group]
        med_s, span_s = _spread(secs, ".2f")
        med_r, _ = _spread(rates, ",.0f")
        peak = max(r["peak_rss_mib"] for r in group)
        lines.append(
            f"| {'with' if evidence else 'without'} | {len(group)} | {med_s} | {span_s} | "
            f"{statistics.median(r['rate_s'] for r in group):.2f} | "
            f"{statistics.median(r['explain_s'] for r in group):.2f} | {med_r} | "
            f"{statistics.median(floors):.4f} | {statistics.median(ratios):,.0f}× | "
            f"{statistics.median(r['load_s'] for r in group):.1f} | "
            f"{statistics.median(r['rss_after_load_mib'] for r in group):,.0f} | {peak:,.0f} |")
        rate = statistics.median(rates)
        verdicts.append(
            f"- **{'with' if evidence else 'without'} evidence**: {rate / 1e6:.2f} M records/s "
            f"(target ≥ {TARGET_RATE / 1e6:.2f} M: {'met' if rate >= TARGET_RATE else '**NOT met**'}; "
            f"{records:,} records would need ≤ {records / TARGET_RATE:.1f} s, took {statistics.median(secs):.1f} s); "
            f"peak RSS {peak / 1024:.2f} GiB (target ≤ {TARGET_RSS_MIB / 1024:.0f} GiB: "
            f"{'met' if peak <= TARGET_RSS_MIB else '**NOT met**'}); engine/floor per repetition "
            + ", ".join(f"{x:,.0f}×" for x in ratios)
            + f" (target ≤ {TARGET_FLOOR_RATIO}×: "
            + ("met" if statistics.median(ratios) <= TARGET_FLOOR_RATIO else "**NOT met**") + ").")
    lines += ["", *verdicts]
    digests = {r["result_digest"] for group in runs.values() for r in group}
    lines += ["", f"- Output per run: {first['reasons']:,} reason rows, {first['records_rows']:,} record rows, "
              f"{first['paths']:,} path rows; evidence rows "
              + ", ".join(f"{r['evidence_rows']:,}" for r in runs.get(True, [])[:1]) + " (with evidence). "
              "Grades: " + ", ".join(f"{k} {v:,}" for k, v in first["grades"].items()) + ". "
              + ("Scores identical in every run." if len(digests) == 1 else
                 f"**Scores differ between runs ({len(digests)} digests).**")]
    if "cprofile" in profiles:
        p = profiles["cprofile"]
        lines += ["", f"cProfile of one run (with_evidence={p['evidence']}, {p['engine_s']:.1f} s under the "
                  f"profiler; full listing in `bench/out/profile-scoring.txt`), top 25 by own time:", "",
                  "| function | calls | own s | cumulative s |", "| --- | ---: | ---: | ---: |"]
        lines += [f"| `{r['function']}` | {r['calls']:,} | {r['tottime']:.2f} | {r['cumtime']:.2f} |"
                  for r in p["profile"]]
    if "lines" in profiles:
        p = profiles["lines"]
        top = [r for r in p["lines"] if r["function"] == "rate_companies"][:12]
        inner = [r for r in p["lines"] if r["function"] != "rate_companies"][:18]
        lines += ["", f"Time per line of `scoring/engine.py`, inclusive of everything the line calls (one run, "
                  f"with_evidence={p['evidence']}, {p['engine_s']:.1f} s under a `sys.settrace` line timer; full "
                  "listing in `bench/out/profile-scoring-lines.txt`). Stages, i.e. lines of `rate_companies` "
                  "(these add up to the run):", "",
                  *_line_table(top), "", "Inside the helpers (nested lines overlap: a caller's time includes its "
                  "callees'):", "", *_line_table(inner)]
    lines += ["", "All runs (engine seconds / floor median seconds / peak RSS MiB [/ scoring/ digest when it "
              "differs from the one above], in order):", ""]
    for evidence, group in runs.items():
        lines.append(f"- {'with' if evidence else 'without'} evidence: "
                     + ", ".join(f"{r['engine_s']:.2f} / {r['floor_median_s']:.4f} / {r['peak_rss_mib']:,.0f}"
                                 + (f" / {r['scoring_digest']}" if r["scoring_digest"] != digest else "")
                                 for r in group))
    lines.append(end)
    return "\n".join(lines) + "\n"


def render_scaling(results: list[dict[str, Any]], *, command: str, companies: int, info: dict[str, str],
                   started: dt.datetime, code: str, digest: str, changed: bool, load: str) -> str:
    """The engine's seconds at each size, from one run, and the slope of log(seconds) over log(records)."""
    start, end = _markers(SCALING_MARK)
    results = sorted(results, key=lambda r: r["records"])
    xs = np.log([r["records"] for r in results])
    ys = np.log([r["engine_s"] for r in results])
    slope = float(np.polyfit(xs, ys, 1)[0]) if len(results) > 1 else float("nan")
    lines = [
        start,
        "## Scoring scaling: engine seconds by records, one run",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}`",
        f"- Code: {code}, scoring/ source digest {digest}"
        + (" — **WARNING: scoring/ changed while the benchmark ran**" if changed else ""),
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()) + f"; {load} at the start",
        f"- Data: `fixtures/generate.py` scale mode, {companies:,} companies, the records below; with evidence. "
        "Each size is a fresh subprocess (load, floor, engine), as in the scoring-bench sections. Engine = "
        "`rate_companies` + `explanations_utf8` of every company.",
        "",
        "| records | engine s | rate_companies s | explanations s | records/s | floor s | engine/floor "
        "| × the previous size's time | peak RSS MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    previous: dict[str, Any] | None = None
    for r in results:
        step = f"{r['engine_s'] / previous['engine_s']:.2f}× for {r['records'] / previous['records']:.1f}× records" \
            if previous else "–"
        lines.append(f"| {r['records']:,} | {r['engine_s']:.2f} | {r['rate_s']:.2f} | {r['explain_s']:.2f} | "
                     f"{r['records'] / r['engine_s']:,.0f} | {r['floor_median_s']:.4f} | "
                     f"{r['engine_s'] / r['floor_median_s']:,.0f}× | {step} | {r['peak_rss_mib']:,.0f} |")
        previous = r
    by_size = {r["records"]: r for r in results}
    lines += ["", f"- Slope of log(engine s) over log(records): {slope:.2f} (1.00 = linear)."]
    if 3_000_000 in by_size and 30_000_000 in by_size:
        ratio = by_size[30_000_000]["engine_s"] / by_size[3_000_000]["engine_s"]
        lines.append(f"- 30 M / 3 M: {ratio:.2f}× the time for 10× the records (target ≤ {TARGET_SCALING}×: "
                     + ("met" if ratio <= TARGET_SCALING else "**NOT met**") + ").")
    lines.append(end)
    return "\n".join(lines) + "\n"


def _line_table(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| line | s | share | code |", "| --- | ---: | ---: | --- |"]
    for r in rows:
        code_text = (r["code"] if len(r["code"]) <= 90 else r["code"][:87] + "...").replace("|", "\\|")
        out.append(f"| {r['function']}:{r['line']} | {r['seconds']:.2f} | {r['share']:.0%} | `{code_text}` |")
    return out


def write_results(path: Path, section: str, name: str = MARK) -> None:
    start, end = _markers(name)
    write_section(path, section, start=start, end=end)


def _command_line(argv: Sequence[str]) -> str:
    return command_line("bench/scoring_bench.py", argv)


def _progress(result: dict[str, Any], label: str) -> None:
    print(f"{label}: engine {result['engine_s']:7.2f} s (rate {result['rate_s']:.2f} s + explanations "
          f"{result['explain_s']:.2f} s) {result['records'] / result['engine_s']:>12,.0f} rec/s  "
          f"floor {result['floor_median_s']:.4f} s  load {result['load_s']:5.1f} s  "
          f"RSS after load {result['rss_after_load_mib']:,.0f} MiB  peak {result['peak_rss_mib']:,.0f} MiB",
          flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=150_000)
    parser.add_argument("--records", type=int, default=30_000_000, help="event records over all kinds")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3, help="engine runs per evidence setting")
    parser.add_argument("--evidence", action=argparse.BooleanOptionalAction, default=None,
                        help="only with (--evidence) or only without (--no-evidence) evidence; default both")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md",
                        help="Markdown file whose scoring-bench section is replaced")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one run: cProfile (bench/out/profile-scoring.txt) and a per-line timer "
                             "of scoring/engine.py (bench/out/profile-scoring-lines.txt)")
    parser.add_argument("--keep-csv", action="store_true", help="keep the generated CSVs next to the cache")
    parser.add_argument("--scaling", action="store_true",
                        help="rate each of --scaling-records once (with evidence) and write the scoring-scaling "
                             "section")
    parser.add_argument("--scaling-records", default="1000000,3000000,10000000,30000000",
                        help="comma-separated record counts for --scaling")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-mode", choices=("cprofile", "lines"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = child(args.child, args.evidence is not False, args.profile_mode)
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0
    if args.companies < 1 or args.records < 1 or args.repeat < 1:
        parser.error("--companies, --records and --repeat must be at least 1")
    modes = [True, False] if args.evidence is None else [args.evidence]
    started = dt.datetime.now(dt.UTC)
    code, digest = _code_version("scoring"), scoring_digest()
    load = _load()
    if args.scaling:
        sizes = [int(x) for x in args.scaling_records.split(",")]
        folders = {size: prepare_data(args.companies, size, args.seed, args.keep_csv)[0] for size in sizes}
        results = []
        for size in sizes:
            results.append(run_child(folders[size], True))
            _progress(results[-1], f"{size:,} records")
        changed = scoring_digest() != digest or {r["scoring_digest"] for r in results} != {digest}
        section = render_scaling(results, command=_command_line(argv), companies=args.companies,
                                 info=machine_info(), started=started, code=code, digest=digest, changed=changed,
                                 load=load)
        write_results(args.out, section, SCALING_MARK)
        print()
        print(section)
        print(f"written to {args.out}")
        return 0
    folder, meta = prepare_data(args.companies, args.records, args.seed, args.keep_csv)
    print(f"data: {folder} ({', '.join(f'{k} {v:,}' for k, v in meta['rows'].items())})", flush=True)

    runs: dict[bool, list[dict[str, Any]]] = {mode: [] for mode in modes}
    for rep in range(args.repeat):
        for evidence in (modes if rep % 2 == 0 else modes[::-1]):
            result = run_child(folder, evidence)
            runs[evidence].append(result)
            _progress(result, f"rep {rep + 1}/{args.repeat} {'with' if evidence else 'without'} evidence")
    profiles: dict[str, dict[str, Any]] = {}
    if args.profile:
        for mode in ("cprofile", "lines"):
            profiles[mode] = run_child(folder, modes[0], mode)
            _progress(profiles[mode], f"profile ({mode})")
        print(f"profiles written to {PROFILE_PATH} and {LINES_PATH}", flush=True)

    used = {r["scoring_digest"] for group in (*runs.values(), list(profiles.values())) for r in group}
    changed = scoring_digest() != digest or used != {digest}
    if changed:
        print("WARNING: scoring/ changed while the benchmark ran; the runs mix code versions", file=sys.stderr)
    section = render(runs, profiles, command=_command_line(argv), meta=meta, companies=args.companies,
                     info=machine_info(), started=started, code=code, digest=digest, changed=changed,
                     load=f"{load} at the start")
    write_results(args.out, section, mark(args.records))
    print()
    print(section)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
