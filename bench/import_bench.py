"""Import benchmark: complaint rows from CSV into SQLite and PostgreSQL, against a raw baseline.

For each engine the service import (``import_files``: decode, pandas read_csv, cell validation,
reference checks, bulk insert, audit entry, commit) and a raw baseline (sqlite3 ``executemany`` /
a bare ``COPY … FROM STDIN`` of the same rows, parsed and formatted as COPY text before the timer) run
``--repeat`` times each, interleaved, every run in a fresh subprocess that reports its wall time and
its peak RSS (``ru_maxrss``). The table is emptied and the reference data (companies, communities,
contracts) left as it was before each run.

    python bench/import_bench.py [--rows 1000000] [--repeat 3] [--engines sqlite,postgresql]
                                 [--pg-database rating_bench] [--out bench/RESULTS.md] [--profile]

Timings on shared machines are noisy: the report gives medians, min-max spreads and the ratio of
service to baseline measured side by side in one run. Nothing here asserts on a time.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import resource
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchlib import code_version as _code_version  # noqa: E402  (bench/ is the script's own folder)
from benchlib import command_line, source_digest, write_section  # noqa: E402
from benchlib import machine_info as common_machine_info  # noqa: E402

WORK_DIR = BENCH_DIR / "out"  # git-ignored: generated data, the SQLite file, profiles
GENERATOR = REPO_ROOT / "fixtures" / "generate.py"
REFERENCE_KINDS = ("companies", "communities", "contracts")
COLUMNS = (
    "record_id", "received_on", "channel", "community_id", "credit_code", "category", "substantiated",
    "due_on", "resolved_on", "satisfaction", "batch_id",
)
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "rating_bench"
MARK_START = "<!-- import-bench:start -->"
MARK_END = "<!-- import-bench:end -->"
RESULT_PREFIX = "BENCH_RESULT "
TARGET_RATIO = {"sqlite": 0.8, "postgresql": 0.5}  # service rows/s over the baseline's (issue 21)
TARGET_PG_ROWS_PER_S = 150_000
TARGET_RSS_MB = 600  # decimal megabytes, as the issue writes them
TARGET_RSS_MIB = TARGET_RSS_MB * 1e6 / 2**20


# -- data -----------------------------------------------------------------------------------------

def _generator_module() -> Any:
    spec = importlib.util.spec_from_file_location("_bench_fixture_generate", GENERATOR)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {GENERATOR}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _records_for(complaints: int) -> int:
    """The generator's --records value that yields exactly ``complaints`` complaint rows."""
    counts = getattr(_generator_module(), "scale_record_counts", None)
    guess = round(complaints / 0.58)
    if counts is None:
        return guess
    for delta in range(0, 2000):
        for records in (guess + delta, guess - delta):
            if records >= 0 and counts(records).get("complaints") == complaints:
                return records
    return guess


def _count_rows(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1


def prepare_data(rows: int, companies: int, seed: int) -> tuple[Path, int]:
    """Generate (or reuse) a data set; returns its folder and the real complaint row count."""
    folder = WORK_DIR / "data" / f"complaints-{rows}-companies-{companies}-seed-{seed}"
    done = folder / "ok.json"
    if done.exists() and all((folder / f"{k}.csv").exists() for k in (*REFERENCE_KINDS, "complaints")):
        return folder, json.loads(done.read_text())["complaints"]
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    records = _records_for(rows)
    command = [sys.executable, str(GENERATOR), "--out", str(folder), "--companies", str(companies),
               "--records", str(records), "--seed", str(seed),
               "--only", ",".join((*REFERENCE_KINDS, "complaints"))]
    print(f"generating data: {shlex.join(command)}", flush=True)
    subprocess.run(command, check=True, cwd=REPO_ROOT)
    count = _count_rows(folder / "complaints.csv")
    done.write_text(json.dumps({"complaints": count, "records": records}))
    return folder, count


# -- databases ------------------------------------------------------------------------------------

def sqlite_path() -> Path:
    return WORK_DIR / "db" / "import_bench.sqlite"


def service_url(engine: str) -> str:
    if engine == "sqlite":
        return f"sqlite:///{sqlite_path()}"
    return f"{PG_SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{PG_DATABASE}"


def pg_dsn() -> str:
    return f"{PG_SERVER}/{PG_DATABASE}"


def _ensure_pg_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,)).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    with psycopg.connect(pg_dsn(), autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


class State:
    """What the database holds before each timed run: reference data, one batch for the baseline."""

    def __init__(self, audit_seq: int, audit_hash: str, max_batch: int, baseline_batch: int) -> None:
        self.audit_seq = audit_seq
        self.audit_hash = audit_hash
        self.max_batch = max_batch
        self.baseline_batch = baseline_batch


def setup_database(engine: str, data: Path) -> State:
    """A fresh, migrated database with the reference files imported through the service (untimed)."""
    from rating_service import migrate
    from rating_service.db import Database
    from rating_service.records.formats import KINDS
    from rating_service.records.models import ImportBatch
    from rating_service.records.service import UploadedFile, import_files
    from rating_service.settings import Settings

    if engine == "sqlite":
        path = sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        _ensure_pg_database()
    db = Database(Settings(database_url=service_url(engine)))
    try:
        migrate.upgrade(db)
        with db.write_session() as session:
            for name in REFERENCE_KINDS:
                upload = UploadedFile.from_path(data / f"{name}.csv")
                import_files(session, kind=KINDS[name], files=[upload], actor="bench-setup")
                session.flush()
            batch = ImportBatch(kind="complaints", filename="baseline", file_sha256="0" * 64,
                                file_format="csv", encoding=None, imported_at=dt.datetime.now(dt.UTC),
                                imported_by="bench-baseline", rows=0, inserted=0, updated=0, unchanged=0)
            session.add(batch)
            session.flush()
            baseline_batch = batch.id
    finally:
        db.dispose()
    with _raw(engine) as (conn, execute):
        seq, digest = execute("SELECT seq, hash FROM audit_head WHERE id = 1")[0]
        max_batch = execute("SELECT max(id) FROM import_batches")[0][0]
    if engine == "postgresql":
        import psycopg

        with psycopg.connect(pg_dsn(), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    return State(seq, digest, max_batch, baseline_batch)


class _raw:
    """A plain DB-API connection for setup and resets, committed on exit."""

    def __init__(self, engine: str) -> None:
        self.engine = engine

    def __enter__(self) -> tuple[Any, Callable[..., list[tuple[Any, ...]]]]:
        if self.engine == "sqlite":
            self.conn: Any = sqlite3.connect(sqlite_path())
            self.conn.execute("PRAGMA foreign_keys=ON")
            marker = "?"
        else:
            import psycopg

            self.conn = psycopg.connect(pg_dsn())
            marker = "%s"

        def execute(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
            cursor = self.conn.execute(sql.replace("?", marker), params)
            return list(cursor.fetchall()) if cursor.description else []

        return self.conn, execute

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.conn.commit()
        self.conn.close()


def reset_database(engine: str, state: State) -> None:
    """Empty complaints, drop audit entries and batches of earlier runs, flush everything to disk."""
    with _raw(engine) as (_conn, execute):
        execute("TRUNCATE complaints" if engine == "postgresql" else "DELETE FROM complaints")
        execute("DELETE FROM audit_log WHERE seq > ?", (state.audit_seq,))
        execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (state.audit_seq, state.audit_hash))
        execute("DELETE FROM import_batches WHERE id > ?", (state.max_batch,))
    if engine == "sqlite":
        conn = sqlite3.connect(sqlite_path(), isolation_level=None)
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    else:
        import psycopg

        with psycopg.connect(pg_dsn(), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE complaints, import_batches, audit_log, audit_head")
            conn.execute("CHECKPOINT")


# -- child processes (one timed run each) ------------------------------------------------------------

def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _rss_mib() -> float:
    """Current resident set size (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def child_service(engine: str, csv_path: Path, profile: Path | None) -> dict[str, Any]:
    from rating_service.allocator import tune_from_settings
    from rating_service.db import Database
    from rating_service.records.formats import KINDS
    from rating_service.records.service import UploadedFile, import_files
    from rating_service.settings import Settings

    tune_from_settings()  # as every process of the service does at its start (`rating`, `create_app`)
    db = Database(Settings(database_url=service_url(engine)))
    with db.engine.connect():
        pass  # open the pooled connection (and set pragmas) outside the timer, like the baseline
    upload = UploadedFile(csv_path.name, csv_path.read_bytes())
    marks: dict[str, float] = {}
    peaks: dict[str, float] = {"start": _peak_rss_mib()}
    rss_at_start = _rss_mib()

    def progress(stage: str, done: int, total: int) -> None:
        # Stages follow each other (reading, validating, writing): the first and the last call of
        # each bound it, whatever done/total say.
        now, peak = time.perf_counter(), _peak_rss_mib()
        marks.setdefault(f"{stage}_first", now)
        marks[f"{stage}_last"] = now
        peaks.setdefault(f"{stage}_first", peak)
        peaks[f"{stage}_last"] = peak

    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    with db.write_session() as session:
        summaries = import_files(session, kind=KINDS["complaints"], files=[upload], actor="bench",
                                 progress=progress)
        returned = time.perf_counter()
    end = time.perf_counter()
    if profiler is not None:
        profiler.disable()
        import pstats

        with profile.open("w") as handle:
            stats = pstats.Stats(profiler, stream=handle)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
    inserted = sum(s.inserted for s in summaries)
    with db.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT count(*) FROM complaints").scalar_one()
    db.dispose()
    read_end = marks.get("validating_first", marks.get("writing_first", returned))
    checked = marks.get("validating_last", read_end)
    written = marks.get("writing_last", checked)
    stages = {
        "read+parse+cells": read_end - start,
        "references": checked - read_end,
        "insert (PG: COPY to staging)": written - checked,
        "PG: merge; audit+flush": returned - written,
        "commit": end - returned,
    }
    # Peak RSS reached by the end of each stage (ru_maxrss never decreases).
    stage_peaks = {"start": peaks["start"], "read+parse+cells": peaks.get("validating_first", 0.0),
                   "references": peaks.get("validating_last", 0.0), "insert": peaks.get("writing_last", 0.0),
                   "end": _peak_rss_mib()}
    return {"seconds": end - start, "rows": inserted, "stored": stored, "peak_rss_mib": _peak_rss_mib(),
            "rss_at_start_mib": rss_at_start, "stages": stages, "stage_peaks": stage_peaks}


def parse_baseline_rows(csv_path: Path, batch_id: int) -> list[tuple[Any, ...]]:
    """The complaints file as tuples in table column order, converted the way the service stores them."""
    from rating_service.records.formats import KINDS
    from rating_service.records.validate import BOOL_SPELLINGS

    kind = KINDS["complaints"]
    satisfaction = kind.column("satisfaction").choices
    shared: dict[str, str] = {}  # one object per repeated value (dates, codes, channels)
    rows = []
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        headers = [h.strip() for h in next(reader)]
        positions = [headers.index(kind.column(name).zh) for name in COLUMNS[:-1]]
        for record in reader:
            if not record:
                continue
            cells = [record[p].strip() or None for p in positions]
            (record_id, received, channel, community, code, category, substantiated, due, resolved, sat) = cells
            rows.append((
                record_id,
                shared.setdefault(received, received) if received else None,
                shared.setdefault(channel, channel) if channel else None,
                shared.setdefault(community, community) if community else None,
                shared.setdefault(code.upper(), code.upper()) if code else None,
                shared.setdefault(category, category) if category else None,
                BOOL_SPELLINGS[substantiated.casefold()] if substantiated else None,
                shared.setdefault(due, due) if due else None,
                shared.setdefault(resolved, resolved) if resolved else None,
                satisfaction[sat.casefold()] if sat else None,
                batch_id,
            ))
    return rows


def copy_text(rows: list[tuple[Any, ...]], size: int = 1 << 20) -> list[bytes]:
    """Rows as COPY text blocks of about ``size`` bytes (the bench's values hold no tab, backslash or line break)."""
    def cell(value: Any) -> str:
        if value is None:
            return "\\N"
        if value is True or value is False:
            return "t" if value else "f"
        return str(value)

    blocks: list[bytes] = []
    lines: list[str] = []
    length = 0
    for row in rows:
        line = "\t".join(map(cell, row)) + "\n"
        lines.append(line)
        length += len(line)
        if length >= size:
            blocks.append("".join(lines).encode("utf-8"))
            lines, length = [], 0
    if lines:
        blocks.append("".join(lines).encode("utf-8"))
    return blocks


def child_baseline(engine: str, csv_path: Path, batch_id: int) -> dict[str, Any]:
    rows: Any = parse_baseline_rows(csv_path, batch_id)  # untimed
    count = len(rows)
    if engine == "postgresql":
        rows = copy_text(rows)  # untimed: the bare COPY only sends bytes
    rss_at_start = _rss_mib()
    names = ", ".join(COLUMNS)
    if engine == "sqlite":
        conn = sqlite3.connect(sqlite_path(), isolation_level=None)
        from rating_service.db import sqlite_pragmas
        from rating_service.settings import Settings

        for pragma in sqlite_pragmas(Settings(database_url=f"sqlite:///{sqlite_path()}")):  # the service's own
            conn.execute(f"PRAGMA {pragma}")
        sql = f"INSERT INTO complaints ({names}) VALUES ({', '.join('?' for _ in COLUMNS)})"
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
        end = time.perf_counter()
        stored = conn.execute("SELECT count(*) FROM complaints").fetchone()[0]
        conn.close()
    else:
        import psycopg

        with psycopg.connect(pg_dsn()) as conn:
            start = time.perf_counter()
            with conn.cursor() as cursor, cursor.copy(f"COPY complaints ({names}) FROM STDIN") as copy:
                for block in rows:
                    copy.write(block)
            conn.commit()
            end = time.perf_counter()
            stored = conn.execute("SELECT count(*) FROM complaints").fetchone()[0]  # type: ignore[index]
    return {"seconds": end - start, "rows": count, "stored": stored, "peak_rss_mib": _peak_rss_mib(),
            "rss_at_start_mib": rss_at_start}


def run_child(mode: str, engine: str, csv_path: Path, batch_id: int,
              profile: Path | None = None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--engine", engine,
               "--csv", str(csv_path), "--batch-id", str(batch_id), "--pg-database", PG_DATABASE]
    if profile is not None:
        command += ["--profile-to", str(profile)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"{mode} run on {engine} failed (exit {done.returncode})")
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if not lines:
        output = done.stdout[-2000:] + done.stderr[-2000:]
        raise SystemExit(f"{mode} run on {engine} printed no result:\n{output}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX):])
    return result


# -- report ---------------------------------------------------------------------------------------

def package_digest() -> str:
    return source_digest("rating_service")


def machine_info(engines: Sequence[str]) -> dict[str, str]:
    import sqlalchemy

    info = common_machine_info()
    info["SQLAlchemy"] = sqlalchemy.__version__
    info["SQLite"] = sqlite3.sqlite_version
    if "postgresql" in engines:
        import psycopg

        with psycopg.connect(pg_dsn()) as conn:
            info["PostgreSQL server"] = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
        info["psycopg"] = psycopg.__version__
    return info


def _fmt_rate(value: float) -> str:
    return f"{value:,.0f}"


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = [r["seconds"] for r in runs]
    rates = [r["rows"] / r["seconds"] for r in runs]
    rss = [r["peak_rss_mib"] for r in runs]
    return {
        "median_s": statistics.median(seconds), "min_s": min(seconds), "max_s": max(seconds),
        "median_rate": statistics.median(rates), "min_rate": min(rates), "max_rate": max(rates),
        "median_rss": statistics.median(rss), "max_rss": max(rss), "rows": runs[0]["rows"],
        "start_rss": statistics.median(r["rss_at_start_mib"] for r in runs),
    }


def render(results: dict[str, dict[str, list[dict[str, Any]]]], *, command: str, rows: int, companies: int,
           repeat: int, info: dict[str, str], started: dt.datetime, code: str, changed: bool) -> str:
    lines = [
        MARK_START,
        "## Import benchmark: complaints CSV → SQLite / PostgreSQL",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}`",
        f"- Code: {code}, package source digest {info.pop('digest')}"
        + (" — **WARNING: rating_service changed while the benchmark ran; runs mix code versions**"
           if changed else ""),
        f"- Data: `fixtures/generate.py` scale mode, {rows:,} complaint rows "
        f"({companies:,} companies, {3 * companies:,} communities; 12 columns incl. 2 personal-data columns "
        "the import drops), UTF-8 with BOM.",
        f"- Each path ran {repeat}× per engine, service and baseline interleaved, each run in a fresh "
        "subprocess on an emptied `complaints` table with the same reference data; peak RSS is the "
        "subprocess's `ru_maxrss` (client side only: the PostgreSQL server's memory is not included).",
        "- Service: `import_files` from the CSV bytes (already in memory) to commit, in a process whose "
        "allocator is set as `rating` sets it at its start (`rating_service/allocator.py`: glibc's mmap "
        "threshold fixed at `RATING_MALLOC_MMAP_THRESHOLD`). Baseline: rows parsed "
        "before the timer (`csv` module, streamed; its peak RSS includes that parse and the row list); "
        "sqlite3 `executemany` + commit / a bare `COPY complaints … FROM STDIN` (text format, blocks formatted "
        "before the timer) + commit, into the same table with the same indexes and foreign keys.",
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        "",
        "| engine | path | median s | min–max s | median rows/s | min–max rows/s "
        "| peak RSS MiB (median / max) | RSS at timer start MiB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for engine, by_mode in results.items():
        stats = {mode: summarise(runs) for mode, runs in by_mode.items()}
        for mode in ("service", "baseline"):
            s = stats[mode]
            lines.append(
                f"| {engine} | {mode} | {s['median_s']:.2f} | {s['min_s']:.2f}–{s['max_s']:.2f} | "
                f"{_fmt_rate(s['median_rate'])} | {_fmt_rate(s['min_rate'])}–{_fmt_rate(s['max_rate'])} | "
                f"{s['median_rss']:.0f} / {s['max_rss']:.0f} | {s['start_rss']:.0f} |"
            )
        ratio = stats["service"]["median_rate"] / stats["baseline"]["median_rate"]
        per_rep = [s["rows"] / s["seconds"] / (b["rows"] / b["seconds"])
                   for s, b in zip(by_mode["service"], by_mode["baseline"], strict=True)]
        rss = stats["service"]["max_rss"]
        target = TARGET_RATIO[engine]
        rate = stats["service"]["median_rate"]
        speed = (f" service {_fmt_rate(rate)} rows/s (target ≥ {_fmt_rate(TARGET_PG_ROWS_PER_S)}: "
                 f"{'met' if rate >= TARGET_PG_ROWS_PER_S else 'NOT met'});" if engine == "postgresql" else "")
        verdicts.append(
            f"- **{engine}**: service/baseline rows/s = **{ratio:.2f}** "
            f"(per repetition {', '.join(f'{r:.2f}' for r in per_rep)}; target ≥ {target}: "
            f"{'met' if ratio >= target else 'NOT met'});{speed} service peak RSS {rss:.0f} MiB "
            f"(target ≤ {TARGET_RSS_MB} MB = {TARGET_RSS_MIB:.0f} MiB: "
            f"{'met' if rss <= TARGET_RSS_MIB else 'NOT met'})."
        )
    stage_names = _stage_names(results)
    lines += ["", *verdicts, "",
              "Service time by stage (median seconds over the runs; from the progress callback). On both engines "
              "this first load of a CSV file is written into the table slice by slice while the file is read "
              "(`records.service._FirstLoad`; PostgreSQL: COPY; SQLite: one INSERT over a JSON array per slice): "
              "there `read+parse+cells` includes that writing and `insert` is putting the set-aside indexes (and "
              "on PostgreSQL the foreign keys) back.", "",
              "| engine | " + " | ".join(stage_names) + " |",
              "| --- | " + " | ".join("---:" for _ in stage_names) + " |"]
    for engine, by_mode in results.items():
        cells = [f"{statistics.median(r['stages'][name] for r in by_mode['service']):.2f}"
                 for name in _stage_names(results)]
        lines.append(f"| {engine} | " + " | ".join(cells) + " |")
    peak_names = list(next(iter(results.values()))["service"][0]["stage_peaks"])
    lines += ["", "Service peak RSS (MiB, max over the runs) reached by the end of each stage "
              "(`start`: after reading the file's bytes, before the timer):", "",
              "| engine | " + " | ".join(peak_names) + " |",
              "| --- | " + " | ".join("---:" for _ in peak_names) + " |"]
    for engine, by_mode in results.items():
        cells = [f"{max(r['stage_peaks'][name] for r in by_mode['service']):.0f}" for name in peak_names]
        lines.append(f"| {engine} | " + " | ".join(cells) + " |")
    lines += ["", "All runs (seconds, in order):", ""]
    for engine, by_mode in results.items():
        for mode, runs in by_mode.items():
            lines.append(f"- {engine} {mode}: " + ", ".join(f"{r['seconds']:.2f}" for r in runs))
    lines.append(MARK_END)
    return "\n".join(lines) + "\n"


def _stage_names(results: dict[str, dict[str, list[dict[str, Any]]]]) -> list[str]:
    for by_mode in results.values():
        return list(by_mode["service"][0]["stages"])
    return []


def write_results(path: Path, section: str) -> None:
    write_section(path, section, start=MARK_START, end=MARK_END)


# -- main -----------------------------------------------------------------------------------------

def _command_line(argv: Sequence[str]) -> str:
    return command_line("bench/import_bench.py", argv)


def main(argv: Sequence[str] | None = None) -> int:
    global PG_DATABASE
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="complaint rows to import")
    parser.add_argument("--companies", type=int,
                        help="companies in the data set (default rows/50, at least 50)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each path per engine")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--pg-database", default=PG_DATABASE,
                        help="PostgreSQL database to (re)create on the server for the runs")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md",
                        help="Markdown file whose import-bench section is replaced")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one service import per engine (bench/out/profile-ENGINE.txt)")
    # internal: one timed run in this subprocess
    parser.add_argument("--child", choices=("service", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--batch-id", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    PG_DATABASE = args.pg_database

    if args.child:
        if args.child == "service":
            result = child_service(args.engine, args.csv, args.profile_to)
        else:
            result = child_baseline(args.engine, args.csv, args.batch_id)
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engines) - {"sqlite", "postgresql"}
    if unknown or not engines:
        parser.error(f"--engines takes sqlite and/or postgresql, not {', '.join(sorted(unknown)) or '-'}")
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    companies = args.companies or max(50, args.rows // 50)
    started = dt.datetime.now(dt.UTC)
    code, digest = _code_version("rating_service"), package_digest()
    load_start = os.getloadavg()
    data, rows = prepare_data(args.rows, companies, args.seed)
    csv_path = data / "complaints.csv"
    size = csv_path.stat().st_size / 2**20
    print(f"data: {csv_path} ({rows:,} complaint rows, {size:.0f} MiB)", flush=True)

    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for engine in engines:
        print(f"[{engine}] setting up (migrate, import reference data)…", flush=True)
        state = setup_database(engine, data)
        results[engine] = {"service": [], "baseline": []}
        for rep in range(args.repeat):
            order = ("service", "baseline") if rep % 2 == 0 else ("baseline", "service")
            for mode in order:
                reset_database(engine, state)
                result = run_child(mode, engine, csv_path, state.baseline_batch)
                if result["stored"] != rows or result["rows"] != rows:
                    raise SystemExit(f"{engine} {mode}: expected {rows} rows, inserted {result['rows']}, "
                                     f"table holds {result['stored']}")
                results[engine][mode].append(result)
                print(f"[{engine}] rep {rep + 1}/{args.repeat} {mode:8s} {result['seconds']:7.2f} s "
                      f"{rows / result['seconds']:>10,.0f} rows/s  "
                      f"peak RSS {result['peak_rss_mib']:6.0f} MiB", flush=True)
        if args.profile:
            reset_database(engine, state)
            target = WORK_DIR / f"profile-{engine}.txt"
            run_child("service", engine, csv_path, state.baseline_batch, profile=target)
            print(f"[{engine}] profile written to {target}", flush=True)
        reset_database(engine, state)

    info = {"digest": digest, **machine_info(engines)}
    load_end = os.getloadavg()
    info["load average (1/5/15 min) at start"] = "/".join(f"{v:.2f}" for v in load_start)
    info["at end"] = "/".join(f"{v:.2f}" for v in load_end)
    changed = package_digest() != digest
    if changed:
        print("WARNING: rating_service changed while the benchmark ran; the runs mix code versions",
              file=sys.stderr)
    section = render(results, command=_command_line(argv), rows=rows, companies=companies, repeat=args.repeat,
                     info=info, started=started, code=code, changed=changed)
    write_results(args.out, section)
    print()
    print(section)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
