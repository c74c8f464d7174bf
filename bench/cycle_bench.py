"""Cycle benchmark: ``compute_cycle`` from draft to computed, for a county and for a synthetic nation.

Measures the real service function ``rating_service.cycles.service.compute_cycle`` (fix the snapshot
watermark, select the period's records on the database side, score, explain, store the ratings) on:

- the county: the Zongyang demo (``fixtures/zongyang/``, imported through ``records.service.import_folder``),
  a 2025 cycle, on SQLite and PostgreSQL; the first run computes the draft, later runs recompute it;
- the nation: a ``fixtures/generate.py`` scale data set (default 150,000 companies, 30,000,000 records),
  loaded once with ``COPY … FROM STDIN`` (PostgreSQL) or through the import service (SQLite, small
  scales only) and kept between runs; every run computes a fresh draft 2025 cycle.

Every measured compute runs in a fresh subprocess that reports its wall time, the time of each stage
(from the ``progress`` callback) and its peak RSS (VmHWM, reset once the process is connected).

    python bench/cycle_bench.py [--companies 150000] [--records 30000000] [--repeat 5] [--nation-repeat 3]
                                [--engines sqlite,postgresql] [--nation-engines postgresql]
                                [--readers parser,pyarrow_csv,adbc] [--reader-repeat 1]
                                [--pg-database rating_bench_cycle] [--note TEXT]
                                [--skip-nation] [--out bench/RESULTS.md] [--profile]

On the nation (PostgreSQL), ``--readers`` also times reading the snapshot alone (every kind, in one
REPEATABLE READ transaction, in a fresh subprocess each) with the service's reader (``adbc``: ADBC, Arrow
over binary COPY) and the ways it was chosen against: ``parser``, the hand-written ``COPY … TO STDOUT``
CSV parser the service used before (``bench/copy_text_parser.py``), and ``pyarrow_csv``, the same CSV
read by ``pyarrow.csv``; each read's snapshot digest must equal the others'.

PostgreSQL: database ``rating_bench_cycle`` (``--pg-database``) on 127.0.0.1:5432 (user postgres, created if
missing); the county lives in schema ``county`` (rebuilt on each run), a nation in schema ``nation_c…_r…_s…``
(kept).
Timings on shared machines are noisy: the report gives medians and min-max spreads. Nothing here
asserts on a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchlib import (  # noqa: E402
    code_version,
    command_line,
    machine_info,
    peak_mib,
    reset_peak,
    rss_mib,
    source_digest,
    write_section,
)

WORK_DIR = BENCH_DIR / "out" / "cycle"  # git-ignored: generated CSVs, SQLite files, profiles
GENERATOR = REPO_ROOT / "fixtures" / "generate.py"
COUNTY_DIR = REPO_ROOT / "fixtures" / "zongyang"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "rating_bench_cycle"
PG_URL = f"{PG_SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{PG_DATABASE}"
PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
MARK_START = "<!-- cycle-bench:start -->"
MARK_END = "<!-- cycle-bench:end -->"
RESULT_PREFIX = "BENCH_RESULT "
TARGET_COUNTY_S = 2.0
TARGET_NATION_S = 60.0  # issue 21
TARGET_NATION_GIB = 5.0  # issue 21: client memory
TARGET_READ_RATE = 2_000_000  # issue 21: snapshot records read per second
READERS = ("parser", "pyarrow_csv", "adbc")
ENGINES = ("sqlite", "postgresql")
TABLES = ("companies", "communities", "contracts", "inspections", "complaints", "fee_violations",
          "commendations", "major_events")
RECORD_TABLES = TABLES[3:]
# Columns of the per-stage table: the progress callback's stages, plus the time between the last
# "explaining" report and the first "storing" one (the unattributed-record list and the quality summary).
# "selecting" is split at the service's mark after reading the rows; what follows it before "scoring" was the
# snapshot digest until 51b01df, which hashes in a thread during the scoring.
STAGES = ("snapshot", "reading", "digest", "scoring", "explaining", "unattributed+quality", "storing")
LOAD_CHUNK = 1_000_000
LOAD_METHODS = {
    "postgresql": "psycopg `COPY … FROM STDIN` (indexes and foreign keys rebuilt after the load)",
    "sqlite": "`records.service.import_folder`",
}
ACTOR = "bench"


# -- databases ------------------------------------------------------------------------------------

def use_pg_database(name: str) -> None:
    global PG_DATABASE, PG_URL
    PG_DATABASE = name
    PG_URL = f"{PG_SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{PG_DATABASE}"


def _ensure_pg_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')


def open_database(target: dict[str, str]) -> Any:
    """A service ``Database`` for a target: a SQLite file, or one schema of the PostgreSQL bench database.

    The schema is chosen with ``SET search_path`` on every new connection (a ``?options=`` URL would not
    survive Alembic's config file interpolation).
    """
    from sqlalchemy import event

    from rating_service.db import Database
    from rating_service.settings import Settings

    if target["engine"] == "sqlite":
        return Database(Settings(database_url=f"sqlite:///{target['path']}", environment="test"))
    database = Database(Settings(database_url=PG_URL, environment="test"))
    schema = target["schema"]

    @event.listens_for(database.engine, "connect", insert=True)
    def _search_path(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f'SET search_path TO "{schema}"')
        dbapi_connection.autocommit = autocommit

    return database


def _pg_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{PG_DATABASE}", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]  (a composed literal, not a user value)


def _fresh_target(target: dict[str, str]) -> None:
    """An empty, migrated database for the target."""
    from rating_service import migrate

    if target["engine"] == "sqlite":
        path = Path(target["path"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        _ensure_pg_database()
        _pg_execute(f'DROP SCHEMA IF EXISTS "{target["schema"]}" CASCADE; CREATE SCHEMA "{target["schema"]}"')
    database = open_database(target)
    try:
        migrate.upgrade(database)
    finally:
        database.dispose()


def table_counts(database: Any) -> dict[str, int]:
    from sqlalchemy import text

    with database.read_session() as session:
        return {name: int(session.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()) for name in TABLES}


def create_draft(database: Any, name: str) -> int:
    from rating_service.cycles import service as cycles

    with database.write_session() as session:
        cycle = cycles.create_cycle(session=session, actor=ACTOR, draft=cycles.CycleDraft(name, *PERIOD))
        return int(cycle.id)


def drop_cycles(database: Any) -> None:
    """Remove earlier bench cycles and their stored results (bench set-up, not timed)."""
    from sqlalchemy import text

    from rating_service.models import Base  # every model module, so that the metadata is complete

    # Every table that points at a cycle (ratings, unattributed records, jobs, …), then the cycles.
    referring = [table.name for table in Base.metadata.sorted_tables
                 if any(fk.column.table.name == "cycles" for fk in table.foreign_keys)]
    with database.write_session() as session:
        for table in referring:
            session.execute(text(f"DELETE FROM {table}"))
        session.execute(text("DELETE FROM cycles"))
    if not database.is_sqlite:
        with database.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("VACUUM ANALYZE ratings")
            conn.exec_driver_sql("VACUUM ANALYZE cycle_unattributed")


# -- the county -----------------------------------------------------------------------------------

def setup_county(engine: str, work: Path) -> tuple[dict[str, str], int, dict[str, Any]]:
    from rating_service.records.service import import_folder

    target = {"engine": engine, "path": str(work / "county.sqlite")} if engine == "sqlite" else \
        {"engine": engine, "schema": "county"}
    _fresh_target(target)
    database = open_database(target)
    try:
        start = time.perf_counter()
        with database.write_session() as session:
            import_folder(session, folder=COUNTY_DIR, actor=ACTOR)
        import_s = time.perf_counter() - start
        cycle_id = create_draft(database, "bench county 2025")
        counts = table_counts(database)
    finally:
        database.dispose()
    return target, cycle_id, {"counts": counts, "load_s": import_s, "load": "import_folder"}


# -- the nation: generate once, load once, keep -----------------------------------------------------

def nation_tag(companies: int, records: int, seed: int) -> str:
    return f"c{companies}_r{records}_s{seed}"


def marker_name(companies: int, records: int, seed: int) -> str:
    return f"cycle-bench load {nation_tag(companies, records, seed)}"


def generate_csv(work: Path, companies: int, records: int, seed: int) -> Path:
    csv_dir = work / f"nation-{nation_tag(companies, records, seed)}" / "csv"
    marker = csv_dir / "ok.json"
    if marker.exists() and all((csv_dir / f"{name}.csv").exists() for name in TABLES):
        return csv_dir
    if csv_dir.exists():
        shutil.rmtree(csv_dir)
    csv_dir.mkdir(parents=True)
    command = [sys.executable, str(GENERATOR), "--out", str(csv_dir), "--companies", str(companies),
               "--records", str(records), "--seed", str(seed), "--english-headers", "--english-values"]
    print(f"generating data: {shlex.join(command)}", flush=True)
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO_ROOT, stdout=subprocess.DEVNULL)
    marker.write_text(json.dumps({"command": command[1:], "seconds": time.perf_counter() - start}))
    return csv_dir


def _loaded(database: Any, companies: int, records: int, seed: int) -> dict[str, int] | None:
    """The table counts when the database holds exactly this data set (loaded to the end), else None."""
    from sqlalchemy import text

    try:
        with database.read_session() as session:
            marked = session.execute(text("SELECT rows FROM import_batches WHERE filename = :name"),
                                     {"name": marker_name(companies, records, seed)}).scalar_one_or_none()
    except Exception:  # noqa: BLE001  (no schema, no tables: not loaded)
        return None
    if marked is None:
        return None
    counts = table_counts(database)
    ok = (counts["companies"] == companies and sum(counts[k] for k in RECORD_TABLES) == records
          and sum(counts.values()) == marked)
    return counts if ok else None


def setup_nation(engine: str, work: Path, companies: int, records: int,
                 seed: int) -> tuple[dict[str, str], dict[str, Any]]:
    tag = nation_tag(companies, records, seed)
    target = {"engine": engine, "path": str(work / f"nation-{tag}.sqlite")} if engine == "sqlite" else \
        {"engine": engine, "schema": f"nation_{tag}"}
    if engine == "postgresql":
        _ensure_pg_database()
    database = open_database(target)
    try:
        counts = _loaded(database, companies, records, seed)
        if counts is not None:
            from rating_service import migrate

            migrate.upgrade(database)  # kept data, the code's schema (migrations added since the load)
    finally:
        database.dispose()
    info: dict[str, Any] = {"cached": counts is not None}
    record = work / f"nation-{tag}-{engine}-load.json"
    if counts is not None and record.exists():
        info.update(json.loads(record.read_text()))  # how the kept data was loaded, and how long it took
    if counts is None:
        csv_dir = generate_csv(work, companies, records, seed)
        _fresh_target(target)
        database = open_database(target)
        try:
            start = time.perf_counter()
            how = load_sqlite(database, csv_dir, companies, records, seed) if engine == "sqlite" else \
                load_postgresql(database, csv_dir, companies, records, seed)
            info.update(load_s=time.perf_counter() - start, load=how)
            (work / f"nation-{tag}-{engine}-load.json").write_text(json.dumps({"load": how, "load_s": info["load_s"]}))
            counts = _loaded(database, companies, records, seed)
            if counts is None:
                raise SystemExit(f"the {engine} load of {csv_dir} did not give the expected counts: "
                                 f"{table_counts(database)}")
        finally:
            database.dispose()
        print(f"  loaded {engine} in {info['load_s']:.0f} s ({how})", flush=True)
    info["counts"] = counts
    return target, info


def load_sqlite(database: Any, csv_dir: Path, companies: int, records: int, seed: int) -> str:
    """Through the import service (fine at small scales; a nation would take hours), then a marker batch."""
    from sqlalchemy import text

    from rating_service.records.service import import_folder

    with database.write_session() as session:
        import_folder(session, folder=csv_dir, actor=ACTOR)
    counts = table_counts(database)
    with database.write_session() as session:
        session.execute(text(
            "INSERT INTO import_batches (kind, filename, file_sha256, file_format, encoding, imported_at, "
            "imported_by, rows, inserted, updated, unchanged, dropped_columns, ignored_columns) VALUES "
            "('bench', :name, :sha, 'csv', 'utf-8-sig', :now, :actor, :rows, 0, 0, 0, '[]', '[]')"),
            {"name": marker_name(companies, records, seed), "sha": "-" * 64, "now": dt.datetime.now(dt.UTC),
             "actor": ACTOR, "rows": sum(counts.values())})
    return "import_folder"


def _copy_chunks(path: Path, columns: list[str], batch_id: int) -> Iterator[bytes]:
    """The CSV's columns the table stores (others, e.g. the complainant's name, are dropped), plus
    ``batch_id``, as CSV text for ``COPY … FROM STDIN (FORMAT csv)``: blank cells become NULL."""
    import pandas as pd

    reader = pd.read_csv(path, usecols=columns, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                         chunksize=LOAD_CHUNK)
    for chunk in reader:
        chunk = chunk[columns].assign(batch_id=str(batch_id))
        yield chunk.to_csv(header=False, index=False).encode()


def load_postgresql(database: Any, csv_dir: Path, companies: int, records: int, seed: int) -> str:
    """``COPY … FROM STDIN`` into the tables, in one transaction under one marker import batch.

    Secondary indexes and foreign keys are dropped first and recreated (with their stored definitions)
    after the load, which validates every reference in one pass. The generated CSVs with
    ``--english-headers --english-values`` already hold the stored codes (severity, satisfaction, …);
    ``yes``/``no`` are valid PostgreSQL booleans.
    """
    import pandas as pd
    from sqlalchemy import inspect

    with database.engine.begin() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        cursor = raw.cursor()
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute(
            "INSERT INTO import_batches (kind, filename, file_sha256, file_format, encoding, imported_at, "
            "imported_by, rows, inserted, updated, unchanged, dropped_columns, ignored_columns) VALUES "
            "('bench', %s, %s, 'csv', 'utf-8-sig', now(), %s, 0, 0, 0, 0, '[]', '[]') RETURNING id",
            (marker_name(companies, records, seed), "-" * 64, ACTOR))
        batch_id = int(cursor.fetchone()[0])
        foreign_keys: list[tuple[str, str, str]] = []
        indexes: list[str] = []
        for table in TABLES:
            for name, definition in cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'", (table,)).fetchall():
                foreign_keys.append((table, name, definition))
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, definition in cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                    "WHERE x.indrelid = %s::regclass "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)", (table,)).fetchall():
                indexes.append(definition)
                cursor.execute(f'DROP INDEX "{name}"')
        total = 0
        stored = {table: [c["name"] for c in inspect(conn).get_columns(table)] for table in TABLES}
        for table in TABLES:
            path = csv_dir / f"{table}.csv"
            header = list(pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns)
            columns = [c for c in header if c in stored[table] and c != "batch_id"]
            start = time.perf_counter()
            with cursor.copy(f"COPY {table} ({', '.join([*columns, 'batch_id'])}) FROM STDIN WITH (FORMAT csv)") \
                    as copy:
                for block in _copy_chunks(path, columns, batch_id):
                    copy.write(block)
            rows = cursor.rowcount
            total += rows
            print(f"  {table}: {rows:,} rows copied in {time.perf_counter() - start:.0f} s", flush=True)
        start = time.perf_counter()
        for definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        print(f"  indexes and foreign keys rebuilt in {time.perf_counter() - start:.0f} s", flush=True)
        cursor.execute("UPDATE import_batches SET rows = %s, inserted = %s WHERE id = %s", (total, total, batch_id))
    with database.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    return "COPY FROM STDIN"


# -- one measured compute per subprocess -----------------------------------------------------------

def _cpu_seconds() -> float:
    """CPU seconds of this process (all its threads): far below the wall time means it waited (for the
    database server, or for a CPU the machine's other work held)."""
    times = os.times()
    return times.user + times.system


def _loadavg() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


def stage_seconds(marks: list[tuple[str, int, int, float, float]], start: float, end: float) -> dict[str, float]:
    """Seconds per stage from the progress reports: a stage runs from its first report to its last one."""
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for stage, _done, _total, at, _peak in marks:
        first.setdefault(stage, at)
        last[stage] = at
    out = {stage: last[stage] - first[stage] for stage in first}
    read = [at for stage, done, total, at, _peak in marks if stage == "selecting" and (done, total) == (1, 2)]
    if read:
        del out["selecting"]
        out["reading"], out["digest"] = read[0] - first["selecting"], last["selecting"] - read[0]
    if "explaining" in last and "storing" in first:
        out["unattributed+quality"] = first["storing"] - last["explaining"]
    out["other"] = (end - start) - sum(out.values())  # transaction set-up, gaps between the stages
    return out


def ratings_digest(database: Any, cycle_id: int) -> str:
    """SHA-256 over the stored ratings (every column but the row id), in credit-code order."""
    from sqlalchemy import text

    from rating_service.cycles.service import RATING_COLUMNS

    digest = hashlib.sha256()
    with database.read_session() as session:
        result = session.execute(text(f"SELECT {', '.join(RATING_COLUMNS)} FROM ratings WHERE cycle_id = :c "
                                      "ORDER BY credit_code"), {"c": cycle_id})
        while rows := result.fetchmany(20_000):
            for row in rows:
                # A raw query gives 0/1 for booleans on SQLite and True/False on PostgreSQL.
                digest.update(repr(tuple(int(v) if isinstance(v, bool) else v for v in row)).encode())
    return digest.hexdigest()[:16]


def child(spec: dict[str, Any]) -> dict[str, Any]:
    import pandas  # noqa: F401  (imported before the timer, like a running service would have)
    from sqlalchemy import text

    from rating_service.allocator import tune_from_settings
    from rating_service.cycles import service as cycles

    tune_from_settings()  # as every process of the service does at its start (`rating`, `create_app`)
    database = open_database(spec["target"])
    with database.read_session() as session:  # connect before the timer
        session.execute(text("SELECT 1"))
    rss_start = rss_mib()
    reset = reset_peak()
    marks: list[tuple[str, int, int, float, float]] = []

    def progress(stage: str, done: int, total: int) -> None:
        marks.append((stage, done, total, time.perf_counter(), peak_mib()))

    profiler = None
    if spec.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
    load_before = _loadavg()
    cpu_start = _cpu_seconds()
    start = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    cycle = cycles.compute_cycle(database=database, cycle_id=spec["cycle_id"], actor=ACTOR, progress=progress)
    if profiler is not None:
        profiler.disable()
    end = time.perf_counter()
    cpu = _cpu_seconds() - cpu_start
    peak = peak_mib()
    peak_by_stage: dict[str, float] = {}
    for stage, done, total, _at, stage_peak in marks:
        if stage == "selecting":
            stage = "reading" if (done, total) == (1, 2) else "digest"
        peak_by_stage[stage] = stage_peak
    quality = json.loads(cycle.quality or "{}")
    out = {
        "total_s": end - start, "cpu_s": cpu, "load": [load_before, _loadavg()],
        "stages": stage_seconds(marks, start, end), "peak_rss_mib": peak,
        "rss_start_mib": rss_start, "peak_reset": reset, "peak_by_stage_mib": peak_by_stage,
        "status": cycle.status, "compute_count": cycle.compute_count, "rated": cycle.rated,
        "snapshot_hash": cycle.snapshot_hash, "quality": quality,
        "ratings_digest": ratings_digest(database, spec["cycle_id"]),
        "code_digest": f"{source_digest('rating_service')}/{source_digest('scoring')}",
    }
    database.dispose()
    if profiler is not None:
        import pstats

        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        Path(spec["profile"]).write_text(f"cProfile of one compute_cycle ({spec['target']['engine']}), "
                                         f"{out['total_s']:.1f} s under the profiler\n\n" + buffer.getvalue())
    return out


def read_child(spec: dict[str, Any]) -> dict[str, Any]:
    """Read the nation's snapshot (the current watermark, the bench period) with one reader, timed alone."""
    import pandas  # noqa: F401  (imported before the timer)
    import snapshot_readers
    from sqlalchemy import text

    from rating_service.allocator import tune_from_settings
    from rating_service.cycles import repository
    from rating_service.cycles.service import snapshot_digest
    from rating_service.records import repository as records_repo
    from scoring.engine import RECORD_KINDS

    tune_from_settings()  # as in a compute (``child``): the allocator of a process of the service
    database = open_database(spec["target"])
    with database.read_session() as session:  # connect before the timer
        session.execute(text("SELECT 1"))
    reset = reset_peak()
    load_before = _loadavg()
    cpu_start = _cpu_seconds()
    start = time.perf_counter()
    with database.snapshot_session() as session:
        args: dict[str, Any] = {"watermark": records_repo.current_batch(session), "period_start": PERIOD[0],
                                "period_end": PERIOD[1]}
        if spec["reader"] == "adbc":
            frames = repository.read_snapshot(session, **args)
        else:
            read = snapshot_readers.read_copy if spec["reader"] == "parser" else snapshot_readers.read_pyarrow_csv
            frames = {kind: read(session.connection(), repository.snapshot_query(kind, **args), columns)
                      for kind, columns in repository.SNAPSHOT_COLUMNS.items()}
    seconds = time.perf_counter() - start
    out = {"reader": spec["reader"], "seconds": seconds, "cpu_s": _cpu_seconds() - cpu_start,
           "peak_rss_mib": peak_mib(), "peak_reset": reset, "load": [load_before, _loadavg()],
           "records": sum(len(frames[kind]) for kind in RECORD_KINDS),
           "rows": sum(len(frame) for frame in frames.values()), "digest": snapshot_digest(frames)}
    database.dispose()
    return out


def run_read_child(target: dict[str, str], reader: str) -> dict[str, Any]:
    return _run(["--child", json.dumps({"mode": "read", "target": target, "reader": reader})])


def run_child(target: dict[str, str], cycle_id: int, profile: Path | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"target": target, "cycle_id": cycle_id, "profile": str(profile) if profile else None}
    return _run(["--child", json.dumps(spec)])


def _run(args: list[str]) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--pg-database", PG_DATABASE, *args]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=7200)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"compute run failed (exit {done.returncode})")
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if not lines:
        raise SystemExit(f"compute run printed no result:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX):])
    return result


# -- report ---------------------------------------------------------------------------------------

def _spread(values: list[float], fmt: str) -> tuple[str, str]:
    return format(statistics.median(values), fmt), f"{format(min(values), fmt)}–{format(max(values), fmt)}"


def full_machine_info(engines: Sequence[str]) -> dict[str, str]:
    import sqlalchemy

    info = machine_info()
    info["SQLAlchemy"] = sqlalchemy.__version__
    info["SQLite"] = sqlite3.sqlite_version
    if "postgresql" in engines:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/{PG_DATABASE}") as conn:
            row = conn.execute("SHOW server_version").fetchone()
            info["PostgreSQL server"] = str(row[0]) if row else "unknown"
            settings = dict(conn.execute("SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN "
                                         "('shared_buffers', 'work_mem')").fetchall())
        info["PostgreSQL settings"] = ", ".join(f"{k}={v}" for k, v in sorted(settings.items()))
        info["psycopg"] = psycopg.__version__
        from importlib.metadata import version

        info["adbc-driver-postgresql"] = version("adbc-driver-postgresql")  # the snapshot reader's driver
    return info


def _data_line(counts: dict[str, int]) -> str:
    records = sum(counts[k] for k in RECORD_TABLES)
    return (f"{counts['companies']:,} companies, {counts['communities']:,} communities, {counts['contracts']:,} "
            f"contracts, {records:,} records (" + ", ".join(f"{counts[k]:,} {k.replace('_', ' ')}"
                                                           for k in RECORD_TABLES) + ")")


def _stage_cell(runs: list[dict[str, Any]], stage: str) -> str:
    values = [r["stages"].get(stage, 0.0) for r in runs]
    return f"{statistics.median(values):.2f}"


def render(results: dict[str, dict[str, list[dict[str, Any]]]], setups: dict[str, dict[str, dict[str, Any]]],
           profiles: dict[str, dict[str, Any]], reads: dict[str, list[dict[str, Any]]], *, notes: list[str],
           command: str, info: dict[str, str], started: dt.datetime,
           code: str, nation_args: dict[str, int], targets: dict[str, float]) -> str:
    lines = [
        MARK_START,
        "## Cycle benchmark: `compute_cycle` from draft to computed",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}`",
        f"- Code: {code}",
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        *[f"- Note: {note}" for note in notes],
    ]
    if "county" in setups:
        counts = next(iter(setups["county"].values()))["counts"]
        lines.append(f"- County data: the Zongyang demo (`fixtures/zongyang/`, imported with "
                     f"`records.service.import_folder`): {_data_line(counts)}. One 2025 cycle "
                     "(2025-01-01–2025-12-31, methodology in force): run 1 computes the draft, later runs recompute "
                     "it (allowed while `computed`).")
    if "nation" in setups:
        counts = next(iter(setups["nation"].values()))["counts"]
        loads = "; ".join(
            f"{engine} with {LOAD_METHODS[engine]}" + (f" in {s['load_s']:.0f} s" if "load_s" in s else "")
            + (" by an earlier run (kept, not reloaded)" if s.get("cached") else "")
            for engine, s in setups["nation"].items())
        lines.append(
            f"- Nation data: `fixtures/generate.py` scale mode (`--companies {nation_args['companies']} --records "
            f"{nation_args['records']} --seed {nation_args['seed']} --english-headers --english-values`): "
            f"{_data_line(counts)}, all in one import batch; loaded into {loads}. "
            "Every run computes a fresh draft 2025 cycle (earlier bench cycles and their ratings are deleted "
            "before each run, not timed).")
    lines += [
        "- Each run is a fresh subprocess whose allocator is set as `rating` sets it at its start "
        "(`rating_service/allocator.py`; since 2026-12-05, before that glibc's default): imports and the "
        "database connection come first, then the RSS "
        "high-water mark is reset (VmHWM, `/proc/self/clear_refs`) and one `compute_cycle(database=, cycle_id=, "
        "actor=, progress=)` call is timed, commit included. Peak RSS is the client process's (the PostgreSQL "
        "server's memory is not included). Stage times come from the `progress` callback: a stage runs from "
        "its first report to its last; `unattributed+quality` is the time between the last `explaining` "
        "report and the first `storing` one (the unattributed-record list and the quality summary); `other` "
        "is the rest (transaction set-up, between stages). `digest` is the time between the rows read and the "
        "scoring: since 51b01df the snapshot digest is computed in a thread while the rows are rated, so its "
        "cost shows inside `scoring`.",
        "",
        "| data | engine | runs | median s | min–max s | client CPU s (median) | peak RSS MiB (median / max) "
        "| target | met |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    verdicts = []
    for scale, by_engine in results.items():
        for engine, runs in by_engine.items():
            secs = [r["total_s"] for r in runs]
            med, span = _spread(secs, ".2f")
            peaks = [r["peak_rss_mib"] for r in runs]
            target = targets[scale]
            met = statistics.median(secs) <= target
            lines.append(f"| {scale} | {engine} | {len(runs)} | {med} | {span} | "
                         f"{statistics.median(r['cpu_s'] for r in runs):.2f} | "
                         f"{statistics.median(peaks):,.0f} / {max(peaks):,.0f} | ≤ {target:g} s | "
                         f"{'yes' if met else '**no**'} |")
            worst = max(secs) <= target
            fits = max(peaks) / 1024 <= TARGET_NATION_GIB
            memory = "" if scale != "nation" else \
                f" against ≤ {TARGET_NATION_GIB:g} GiB: {'met' if fits else '**NOT met**'}"
            verdicts.append(f"- **{scale}, {engine}**: median {statistics.median(secs):.2f} s (min–max {span} s) "
                            f"against ≤ {target:g} s: {'met' if met else '**NOT met**'}"
                            + ("" if worst == met else f" (but the slowest run took {max(secs):.2f} s)")
                            + f"; peak RSS {max(peaks) / 1024:.2f} GiB{memory}.")
    lines += ["", *verdicts, "", "Median seconds per stage:", "",
              "| data | engine | " + " | ".join(STAGES) + " | other | total |",
              "| --- | --- |" + " ---: |" * (len(STAGES) + 2)]
    for scale, by_engine in results.items():
        for engine, runs in by_engine.items():
            lines.append(f"| {scale} | {engine} | " + " | ".join(_stage_cell(runs, s) for s in (*STAGES, "other"))
                         + f" | {statistics.median(r['total_s'] for r in runs):.2f} |")
    lines += ["", "Peak RSS (MiB, max over the runs) reached by the end of each stage (`start`: after imports "
              "and connecting, before the timer):", "",
              "| data | engine | start | " + " | ".join(s for s in STAGES if s != "unattributed+quality") + " |",
              "| --- | --- |" + " ---: |" * len(STAGES)]
    for scale, by_engine in results.items():
        for engine, runs in by_engine.items():
            cells = [f"{max(r['rss_start_mib'] for r in runs):,.0f}"]
            for stage in STAGES:
                if stage == "unattributed+quality":
                    continue
                cells.append(f"{max(r['peak_by_stage_mib'].get(stage, 0.0) for r in runs):,.0f}")
            lines.append(f"| {scale} | {engine} | " + " | ".join(cells) + " |")
    lines += ["", *_consistency(results), *_reader_lines(reads)]
    for label, p in profiles.items():
        lines += ["", f"- Profile ({label}): one extra run under cProfile, {p['total_s']:.1f} s; listing in "
                  f"`{p['profile_path']}`."]
    lines += ["", "All runs (total seconds / client CPU seconds / peak RSS MiB / machine load average before "
              "→ after, in order):", ""]
    for scale, by_engine in results.items():
        for engine, runs in by_engine.items():
            lines.append(f"- {scale} {engine}: " + ", ".join(
                f"{r['total_s']:.2f} / {r['cpu_s']:.2f} / {r['peak_rss_mib']:,.0f} / "
                f"{r['load'][0]:.2f} → {r['load'][1]:.2f}" for r in runs))
    lines.append(MARK_END)
    return "\n".join(lines) + "\n"


def _reader_lines(reads: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The snapshot read alone, per reader, beside the old parser and the goal."""
    if not reads:
        return []
    base = statistics.median(r["seconds"] for r in reads["parser"]) if "parser" in reads else None
    lines = ["", "Reading the nation's snapshot alone (every kind in one REPEATABLE READ transaction, a fresh "
             "subprocess per read, its allocator set as in a compute; records: the five record kinds; rows: all "
             "eight tables). `adbc` is the service's "
             "reader; `parser` the hand-written COPY CSV parser it replaced (`bench/snapshot_readers.py`):", "",
             "| reader | runs | median s | min–max s | records/s | × parser | client CPU s | peak RSS MiB | "
             f"≥ {TARGET_READ_RATE / 1e6:g} M records/s | load before → after |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for reader, runs in reads.items():
        secs = [r["seconds"] for r in runs]
        med, span = _spread(secs, ".2f")
        rate = runs[0]["records"] / statistics.median(secs)
        ratio = f"{base / statistics.median(secs):.2f}×" if base else "–"
        cpu = statistics.median(r["cpu_s"] for r in runs)
        lines.append(f"| {reader} | {len(runs)} | {med} | {span} | {rate:,.0f} | {ratio} | "
                     f"{cpu:.1f} | {max(r['peak_rss_mib'] for r in runs):,.0f} | "
                     f"{'yes' if rate >= TARGET_READ_RATE else '**no**'} | "
                     + ", ".join(f"{r['load'][0]:.2f} → {r['load'][1]:.2f}" for r in runs) + " |")
    digests = {r["digest"] for runs in reads.values() for r in runs}
    rows = {r["rows"] for runs in reads.values() for r in runs}
    same = len(digests) == 1 and len(rows) == 1
    lines += ["", (f"- Every read gave the same snapshot digest (`{next(iter(digests))[:16]}…`, "
                   f"{next(iter(rows)):,} rows)." if same else "- **The readers' snapshot digests differ**: "
                   + "; ".join(f"{k}: {', '.join(sorted({r['digest'][:16] for r in v}))}" for k, v in reads.items()))]
    return lines


def _consistency(results: dict[str, dict[str, list[dict[str, Any]]]]) -> list[str]:
    out = []
    for scale, by_engine in results.items():
        hashes = {engine: {r["snapshot_hash"] for r in runs} for engine, runs in by_engine.items()}
        digests = {engine: {r["ratings_digest"] for r in runs} for engine, runs in by_engine.items()}
        first = next(r for runs in by_engine.values() for r in runs)
        quality = first["quality"]
        line = (f"- {scale}: rated {first['rated']:,} companies; "
                f"{quality.get('unattributed_total', 0):,} unattributed records, {quality.get('provisional', 0):,} "
                f"provisional, {quality.get('veto', 0):,} vetoed. ")
        all_hashes = set().union(*hashes.values())
        all_digests = set().union(*digests.values())
        if len(by_engine) > 1:
            line += ("Snapshot hash identical on " + " and ".join(by_engine) + f" (`{next(iter(all_hashes))[:16]}…`)"
                     if len(all_hashes) == 1 else
                     "**Snapshot hashes differ between engines or runs: "
                     + "; ".join(f"{e}: {', '.join(sorted(h)[:3])}" for e, h in hashes.items()) + "**")
            line += "; stored ratings " + ("identical on both engines and in every run" if len(all_digests) == 1
                                           else "**differ** (" + "; ".join(f"{e}: {', '.join(sorted(d))}"
                                                                           for e, d in digests.items()) + ")")
        else:
            line += ("Snapshot hash and stored ratings identical in every run"
                     if len(all_hashes) == 1 and len(all_digests) == 1 else "**Results differ between runs**")
        out.append(line + f" (ratings digest `{sorted(all_digests)[0]}`).")
    return out


def _progress_line(result: dict[str, Any], label: str) -> None:
    stages = ", ".join(f"{k} {v:.2f}" for k, v in result["stages"].items())
    print(f"{label}: {result['total_s']:7.2f} s  peak {result['peak_rss_mib']:,.0f} MiB  ({stages})", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--companies", type=int, default=150_000, help="nation: companies")
    parser.add_argument("--records", type=int, default=30_000_000, help="nation: event records over all kinds")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5, help="county: computes per engine")
    parser.add_argument("--nation-repeat", type=int, default=3, help="nation: computes per engine")
    parser.add_argument("--engines", default="sqlite,postgresql", help="county: engines")
    parser.add_argument("--nation-engines", default="postgresql",
                        help="nation: engines (SQLite loads through the import service: small scales only)")
    parser.add_argument("--skip-county", action="store_true")
    parser.add_argument("--skip-nation", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md",
                        help="Markdown file whose cycle-bench section is replaced")
    parser.add_argument("--work", type=Path, default=WORK_DIR,
                        help="folder for generated CSVs, SQLite files and profiles (default bench/out/cycle)")
    parser.add_argument("--keep-csv", action="store_true", help="keep the generated CSVs after loading them")
    parser.add_argument("--profile", action="store_true",
                        help="one extra nation run per engine under cProfile (WORK/profile-cycle-ENGINE.txt)")
    parser.add_argument("--readers", default=",".join(READERS),
                        help="nation on PostgreSQL: snapshot readers timed alone (parser, pyarrow_csv, adbc; '': none)")
    parser.add_argument("--reader-repeat", type=int, default=1, help="nation: reads per reader")
    parser.add_argument("--pg-database", default=PG_DATABASE, help="PostgreSQL database of the bench")
    parser.add_argument("--note", action="append", default=[], help="a line for the report (e.g. the machine's load)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    use_pg_database(args.pg_database)

    if args.child:
        spec = json.loads(args.child)
        print(RESULT_PREFIX + json.dumps(read_child(spec) if spec.get("mode") == "read" else child(spec)), flush=True)
        return 0
    readers = [r for r in args.readers.split(",") if r]
    if set(readers) - set(READERS):
        parser.error(f"readers are {', '.join(READERS)}")
    engines = [e for e in args.engines.split(",") if e] if not args.skip_county else []
    nation_engines = [e for e in args.nation_engines.split(",") if e] if not args.skip_nation else []
    unknown = set(engines + nation_engines) - set(ENGINES)
    if unknown:
        parser.error(f"engines are sqlite and/or postgresql, not {', '.join(sorted(unknown))}")
    if min(args.companies, args.records, args.repeat, args.nation_repeat) < 1:
        parser.error("--companies, --records, --repeat and --nation-repeat must be at least 1")
    if not engines and not nation_engines:
        parser.error("nothing to run")
    started = dt.datetime.now(dt.UTC)
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    code_rs, code_sc = code_version("rating_service"), code_version("scoring")
    code = code_rs + (" + uncommitted changes in scoring/" if " + " in code_sc else "") + \
        f"; source digests rating_service/ {source_digest('rating_service')}, scoring/ {source_digest('scoring')}"
    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    setups: dict[str, dict[str, dict[str, Any]]] = {}
    profiles: dict[str, dict[str, Any]] = {}
    reads: dict[str, list[dict[str, Any]]] = {}

    for engine in engines:
        print(f"county on {engine}: importing fixtures/zongyang …", flush=True)
        target, cycle_id, setup = setup_county(engine, work)
        setups.setdefault("county", {})[engine] = setup
        for rep in range(args.repeat):
            result = run_child(target, cycle_id)
            results.setdefault("county", {}).setdefault(engine, []).append(result)
            _progress_line(result, f"  county {engine} run {rep + 1}/{args.repeat}")

    nation_args = {"companies": args.companies, "records": args.records, "seed": args.seed}
    for engine in nation_engines:
        print(f"nation on {engine}: {args.companies:,} companies, {args.records:,} records …", flush=True)
        target, setup = setup_nation(engine, work, args.companies, args.records, args.seed)
        setups.setdefault("nation", {})[engine] = setup
        for rep in range(args.reader_repeat if engine == "postgresql" else 0):
            for reader in readers:
                read = run_read_child(target, reader)
                reads.setdefault(reader, []).append(read)
                print(f"  read with {reader} {rep + 1}/{args.reader_repeat}: {read['seconds']:.2f} s "
                      f"({read['records'] / read['seconds']:,.0f} records/s), peak {read['peak_rss_mib']:,.0f} MiB",
                      flush=True)
        runs = args.nation_repeat + (1 if args.profile else 0)
        for rep in range(runs):
            database = open_database(target)
            try:
                drop_cycles(database)
                cycle_id = create_draft(database, f"bench nation 2025 #{rep + 1}")
            finally:
                database.dispose()
            if rep == args.nation_repeat:
                path = work / f"profile-cycle-{engine}.txt"
                result = run_child(target, cycle_id, profile=path)
                profiles[f"nation {engine}"] = {**result, "profile_path": _shown_path(path)}
                _progress_line(result, f"  nation {engine} profiled run")
                continue
            result = run_child(target, cycle_id)
            results.setdefault("nation", {}).setdefault(engine, []).append(result)
            _progress_line(result, f"  nation {engine} run {rep + 1}/{args.nation_repeat}")
    csv_dir = work / f"nation-{nation_tag(args.companies, args.records, args.seed)}" / "csv"
    if nation_engines and not args.keep_csv and csv_dir.exists():
        shutil.rmtree(csv_dir)  # ~3 GB at full size; the loaded databases are the cache

    (work / "last-results.json").write_text(json.dumps({"results": results, "setups": setups, "profiles": profiles,
                                                        "reads": reads}))
    section = render(results, setups, profiles, reads, notes=args.note,
                     command=command_line("bench/cycle_bench.py", argv),
                     info=full_machine_info(sorted(set(engines + nation_engines))), started=started, code=code,
                     nation_args=nation_args, targets={"county": TARGET_COUNTY_S, "nation": TARGET_NATION_S})
    write_section(args.out, section, start=MARK_START, end=MARK_END)
    print()
    print(section)
    print(f"written to {args.out}")
    return 0


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
