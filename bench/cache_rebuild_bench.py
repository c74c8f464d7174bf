"""Public cache rebuild benchmark: wrk on the public company page right after a restart, while a publicize makes the
cache rebuild, and in the steady state; main's code ("before") and this checkout's ("after") side by side.

Data: a ``fixtures/generate.py`` scale set (default 10,000 companies, 2,000,000 records of 2025), loaded once
(PostgreSQL: psycopg ``COPY … FROM STDIN`` as in ``cycle_bench.py``; SQLite: the import service), then cycles made with
the services: one per month of 2025 and one for the year (13 public cycles by default), each computed and publicized
(notice date today), the months finalized (time made to pass with the appeal window, as the tests'
``f.appeals_closed`` does), the year left in publicity; and one more cycle (2025年下半年, the second half-year)
computed but not public, for the publicize during the load. This prepared database is kept (PostgreSQL: database
``bench_cache``; SQLite: a file under ``--work``) and copied afresh for every run (``CREATE DATABASE … TEMPLATE``,
or a file copy), so every run starts from the same state.

One run = one server (``rating serve``, one uvicorn process as deployed; "before" is the ``--baseline-ref`` tree
exported with ``git archive`` and served with ``python -m rating_service.cli serve`` from it):

- cold: wrk starts the moment ``/healthz`` answers (the restart) and runs ``--duration`` seconds; a probe asks for
  the page every 0.2 s and notes when the first full answer (200) came;
- steady: once the page answers 200, wrk again (the control);
- publicize: wrk again; ``--trigger-at`` seconds in, another process publicizes the half-year cycle through the
  cycle service; the probe notes when the page first shows it.

wrk runs with ``--timeout`` longer than a run, so that a request stalled behind a rebuild is counted with its real
latency (not dropped as a timeout); a small Lua script counts the answers by status (200, 503 "preparing", other).
Runs alternate between before and after in every repetition (the order swaps each repetition); the report gives
medians over the repetitions and the after/before ratios measured side by side. Nothing here asserts on a time.

    python bench/cache_rebuild_bench.py [--records 2000000] [--companies N] [--months 12] [--repeats 3]
                                        [--duration 30] [--trigger-at 5] [--engines postgresql,sqlite]
                                        [--baseline-ref main] [--out bench/RESULTS.md]
    python bench/cache_rebuild_bench.py --quick --out bench/out/quick.md     # small data, short runs: a smoke test

``--builds``: no server, no wrk; the public cycles' disclosure builds (``disclosure.service.build``, what the cache's
background thread runs after a publicize), each in a fresh process of its own for before and after in turn (the
order swaps each repetition), on the prepared database itself (a build only reads): seconds, the process's peak
memory, and a digest of everything the build holds (every public field of every rating), which must be equal for
before and after. Its own section (``cache-rebuild-builds``).

    python bench/cache_rebuild_bench.py --builds --companies 150000 --records 3000000 --months 1 \
        --pg-database i21_public_bench_nation --work /work/data/public/cache --repeats 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import cycle_bench  # noqa: E402
import public_bench  # noqa: E402
from benchlib import code_version, command_line, machine_info, source_digest, write_section  # noqa: E402

MARK_START = "<!-- cache-rebuild:start -->"
MARK_END = "<!-- cache-rebuild:end -->"
BUILDS_MARKS = ("<!-- cache-rebuild-builds:start -->", "<!-- cache-rebuild-builds:end -->")
BUILD_TARGET_S = 30.0  # issue 21: the cache rebuilt after a publicize within 30 s at the nation's size
HOST = "127.0.0.1"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
ACTOR = "bench"
YEAR = 2025
TRIGGER_NAME = f"{YEAR}年下半年"
CODES = ("before", "after")
SCENARIOS = ("cold", "steady", "publicize")
SCENARIO_LABELS = {
    "cold": "right after a restart",
    "steady": "steady state (control)",
    "publicize": "during a publicize",
}
QUICK = {"companies": 40, "records": 20_000, "months": 1, "duration": 3, "repeats": 1, "trigger_at": 1}
PROBE_INTERVAL_S = 0.2
WRK_LUA = """
-- Counts the answers by status: wrk's own report lumps every non-2xx/3xx answer together.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; preparing = 0; other = 0 end
function response(status, headers, body)
  if status == 200 or status == 304 then ok = ok + 1
  elseif status == 503 then preparing = preparing + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("ok"); b = b + t:get("preparing"); c = c + t:get("other") end
  io.write(string.format("STATUS ok=%d preparing=%d other=%d\\n", a, b, c))
end
"""


# -- the data: generated, loaded, cycles made; kept as a template ----------------------------------------------

def periods(months: int) -> list[tuple[str, dt.date, dt.date, bool]]:
    """(name, start, end, finalize) of the public cycles: ``months`` months of the year and the year itself."""
    out = []
    for month in range(1, months + 1):
        end = (dt.date(YEAR, month + 1, 1) if month < 12 else dt.date(YEAR + 1, 1, 1)) - dt.timedelta(days=1)
        out.append((f"{YEAR}年{month}月", dt.date(YEAR, month, 1), end, True))
    out.append((f"{YEAR}年度", dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), False))
    return out


def data_tag(companies: int, records: int, seed: int, months: int) -> str:
    return f"c{companies}_r{records}_s{seed}_m{months}"


def _pg_url(database: str) -> str:
    return f"{PG_SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{database}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]  (names chosen by this script, not user input)


def _pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def _open(url: str) -> Any:
    from rating_service.db import Database
    from rating_service.settings import Settings

    return Database(Settings(database_url=url, environment="test"))


def setup_marker(tag: str) -> str:
    return f"cache-rebuild setup {tag}"


def sidecar(work: Path, engine: str, tag: str) -> Path:
    """What the set-up made and how long it took, next to the data (the marker row holds its digest)."""
    return work / f"prepared-{engine}-{tag}.json"


def _prepared(url: str, tag: str, record: Path) -> dict[str, Any] | None:
    """What the prepared database holds when it is complete for this data set (its marker row matches the record
    written by the set-up), else None."""
    import hashlib

    from sqlalchemy import text

    if not record.exists():
        return None
    database = _open(url)
    try:
        with database.read_session() as session:
            found = session.execute(text("SELECT file_sha256 FROM import_batches WHERE filename = :n"),
                                    {"n": setup_marker(tag)}).scalar_one_or_none()
    except Exception:  # noqa: BLE001  (no database, no tables: not prepared)
        return None
    finally:
        database.dispose()
    content = record.read_bytes()
    return json.loads(content) if found == hashlib.sha256(content).hexdigest() else None


def mark_prepared(database: Any, tag: str, record: Path, info: dict[str, Any]) -> None:
    import hashlib

    from sqlalchemy import text

    content = json.dumps(info, ensure_ascii=False, indent=1).encode()
    record.write_bytes(content)
    with database.write_session() as session:
        session.execute(text("DELETE FROM import_batches WHERE filename = :name"), {"name": setup_marker(tag)})
        session.execute(text(
            "INSERT INTO import_batches (kind, filename, file_sha256, file_format, encoding, imported_at, "
            "imported_by, rows, inserted, updated, unchanged, dropped_columns, ignored_columns) VALUES "
            "('bench', :name, :sha, 'csv', 'utf-8', :now, :actor, 0, 0, 0, 0, '[]', '[]')"),
            {"name": setup_marker(tag), "sha": hashlib.sha256(content).hexdigest(), "now": dt.datetime.now(dt.UTC),
             "actor": ACTOR})


def prepare(engine: str, *, work: Path, companies: int, records: int, seed: int, months: int,
            pg_database: str) -> tuple[str, dict[str, Any]]:
    """The prepared database's URL and what it holds (made once, kept between invocations)."""
    tag = data_tag(companies, records, seed, months)
    if engine == "postgresql":
        url = _pg_url(pg_database)
        if not _pg_exists(pg_database):
            _pg_admin(f'CREATE DATABASE "{pg_database}"')
    else:
        url = f"sqlite:///{work / f'template-{tag}.sqlite'}"
    record = sidecar(work, engine, tag)
    info = _prepared(url, tag, record)
    if info is not None:
        print(f"  {engine}: prepared data found ({info['setup_s']:.0f} s to make)", flush=True)
        return url, info
    started = time.perf_counter()
    if engine == "postgresql":
        from sqlalchemy import create_engine, text

        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        admin.dispose()
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.removeprefix('sqlite:///')}{suffix}").unlink(missing_ok=True)
    from rating_service import migrate

    database = _open(url)
    try:
        migrate.upgrade(database)
        csv_dir = cycle_bench.generate_csv(work, companies, records, seed)
        load_started = time.perf_counter()
        how = cycle_bench.load_postgresql(database, csv_dir, companies, records, seed) if engine == "postgresql" \
            else cycle_bench.load_sqlite(database, csv_dir, companies, records, seed)
        load_s = time.perf_counter() - load_started
        counts = cycle_bench.table_counts(database)
        print(f"  {engine}: loaded in {load_s:.0f} s ({how}): {counts}", flush=True)
        made = make_cycles(database, months)
        code = pick_company(database, [c["id"] for c in made["public"]])
        info = {"counts": counts, "load": how, "load_s": load_s, **made, "company": code,
                "setup_s": time.perf_counter() - started}
        mark_prepared(database, tag, record, info)
        if engine == "postgresql":
            with database.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    finally:
        database.dispose()
    print(f"  {engine}: prepared in {info['setup_s']:.0f} s", flush=True)
    return url, info


def make_cycles(database: Any, months: int) -> dict[str, Any]:
    """The public cycles (computed, publicized today, the months finalized once their window has closed) and the
    half-year cycle computed for the publicize under load; through the cycle service, as an officer would."""
    from rating_service import clock
    from rating_service.cycles import service as cycles

    def create(name: str, start: dt.date, end: dt.date) -> int:
        with database.write_session() as session:
            return int(cycles.create_cycle(session=session, actor=ACTOR,
                                           draft=cycles.CycleDraft(name, start, end)).id)

    public = []
    for name, start, end, finalize in periods(months):
        began = time.perf_counter()
        cycle_id = create(name, start, end)
        cycles.compute_cycle(database=database, cycle_id=cycle_id, actor=ACTOR)
        computed_s = time.perf_counter() - began
        with database.write_session() as session:
            cycle = cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor=ACTOR)
            deadline = cycle.appeal_deadline
        if finalize:
            assert deadline is not None
            later = deadline + dt.timedelta(days=1)
            with clock.simulated(later), database.write_session() as session:
                cycles.finalize_cycle(session=session, cycle_id=cycle_id, actor=ACTOR)
        public.append({"id": cycle_id, "name": name, "status": "finalized" if finalize else "publicized",
                       "compute_s": computed_s})
        print(f"  cycle {cycle_id} {name}: computed in {computed_s:.1f} s, "
              f"{'finalized' if finalize else 'publicized'} ({time.perf_counter() - began:.1f} s)", flush=True)
    trigger = create(TRIGGER_NAME, dt.date(YEAR, 7, 1), dt.date(YEAR, 12, 31))
    began = time.perf_counter()
    cycles.compute_cycle(database=database, cycle_id=trigger, actor=ACTOR)
    print(f"  cycle {trigger} {TRIGGER_NAME}: computed in {time.perf_counter() - began:.1f} s (publicized under "
          "load)", flush=True)
    return {"public": public, "trigger": {"id": trigger, "name": TRIGGER_NAME}}


def pick_company(database: Any, cycle_ids: list[int]) -> str:
    """A company rated in every public cycle (its page shows the longest history): the first by credit code."""
    from sqlalchemy import bindparam, text

    query = text("SELECT credit_code FROM ratings WHERE cycle_id IN :ids GROUP BY credit_code HAVING count(*) = :n "
                 "ORDER BY credit_code LIMIT 1").bindparams(bindparam("ids", expanding=True))
    with database.read_session() as session:
        found = session.execute(query, {"ids": cycle_ids, "n": len(cycle_ids)}).scalar_one_or_none()
    if found is None:
        raise SystemExit("no company is rated in every public cycle: use more records per company")
    return str(found)


def fresh_copy(engine: str, template_url: str, work: Path, pg_database: str) -> str:
    """A copy of the prepared database for one run (the runs change it: a publicize)."""
    if engine == "postgresql":
        run = f"{pg_database}_run"
        _pg_admin(f'DROP DATABASE IF EXISTS "{run}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{run}" TEMPLATE "{pg_database}" STRATEGY FILE_COPY')
        return _pg_url(run)
    source = Path(template_url.removeprefix("sqlite:///"))
    target = work / "run.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:  # a consistent copy, WAL folded in
        src.backup(dst)
    return f"sqlite:///{target}"


# -- the code under test: this checkout, and the baseline exported from git --------------------------------------

def export_baseline(ref: str, work: Path) -> tuple[Path, str]:
    commit = subprocess.run(["git", "rev-parse", "--short", ref], cwd=REPO_ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    target = work / f"baseline-{commit}"
    if not (target / "rating_service" / "__init__.py").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=REPO_ROOT, capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target, commit


# Starts `rating serve` from a given source tree, and says which tree it imported (checked in the server's log).
LAUNCHER = ("import sys; root = sys.argv.pop(1); sys.path.insert(0, root); import rating_service; "
            "print('serving rating_service from', rating_service.__file__, file=sys.stderr, flush=True); "
            "from rating_service.cli import main; sys.exit(main())")
SERVED_FROM = "serving rating_service from "


def source_root(code: str, baseline: Path | None) -> Path:
    if code == "before":
        assert baseline is not None
        return baseline
    return REPO_ROOT


def server_command(code: str, baseline: Path | None, port: int) -> list[str]:
    """``rating serve`` (one uvicorn process, as deployed) importing ``rating_service`` from the code's tree."""
    return [sys.executable, "-c", LAUNCHER, str(source_root(code, baseline)), "serve", "--host", HOST, "--port",
            str(port)]


def check_served_from(server: public_bench.Server, code: str, baseline: Path | None) -> str:
    """The folder the running server imported ``rating_service`` from; stops the benchmark if it is not the code's."""
    import re

    found = re.search(rf"^{SERVED_FROM}(.+)$", server.log_tail(1_000_000), re.MULTILINE)
    expected = source_root(code, baseline).resolve() / "rating_service"
    if found is None or Path(found.group(1)).resolve().parent != expected:
        raise SystemExit(f"{server.name}: expected to serve {expected}, the log says "
                         f"{found.group(1) if found else 'nothing'}")
    return str(expected)


# -- one run -------------------------------------------------------------------------------------------------------

class Probe(threading.Thread):
    """Asks for a URL every PROBE_INTERVAL_S (one request at a time) until ``ok(status, body)``; notes when."""

    def __init__(self, url: str, ok: Callable[[int, str], bool], *, since: float, deadline_s: float) -> None:
        super().__init__(daemon=True)
        self.url, self.ok, self.since, self.deadline = url, ok, since, time.monotonic() + deadline_s
        self.after_s: float | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            try:
                with urllib.request.urlopen(self.url, timeout=max(1.0, self.deadline - time.monotonic())) as answer:
                    status, body = answer.status, answer.read().decode("utf-8", errors="replace")
            except urllib.error.HTTPError as exc:
                status, body = exc.code, ""
            except (urllib.error.URLError, OSError):
                status, body = 0, ""
            if self.ok(status, body):
                self.after_s = time.monotonic() - self.since
                return
            self.stop.wait(PROBE_INTERVAL_S)


def wrk_command(args: argparse.Namespace, url: str, script: Path) -> list[str]:
    return [args.wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
            f"--timeout={args.duration + 60}s", "--latency", "-s", str(script), url]


def finish_wrk(process: subprocess.Popen[str], timeout_s: float) -> dict[str, Any]:
    out, err = process.communicate(timeout=timeout_s)
    if process.returncode != 0:
        raise SystemExit(f"wrk failed ({process.returncode}):\n{out}{err}")
    return parse(out)


def parse(output: str) -> dict[str, Any]:
    """wrk's report with the status counts; a run that completed no request has no latency figures."""
    import re

    result = public_bench.parse_wrk(output)
    found = re.search(r"^STATUS ok=(\d+) preparing=(\d+) other=(\d+)", output, re.MULTILINE)
    if found is None:
        raise SystemExit(f"no status line in wrk's report:\n{output}")
    result["ok"], result["preparing"], result["other"] = (int(g) for g in found.groups())
    result["requests"] = result.get("requests", 0)
    if result["requests"] == 0:
        for key in ("p50_ms", "p90_ms", "p99_ms", "max_ms", "avg_ms"):
            result[key] = None
    result["socket_errors_total"] = sum(result["socket_errors"].values())
    return result


def one_run(code: str, *, args: argparse.Namespace, url_db: str, env: dict[str, str], baseline: Path | None,
            info: dict[str, Any], work: Path, script: Path) -> dict[str, Any]:
    command = server_command(code, baseline, args.port)
    server_env = {**env, "DATABASE_URL": url_db}
    base = f"http://{HOST}:{args.port}"
    page = f"{base}/public/companies/{info['company']}"
    result: dict[str, Any] = {}
    log = work / f"serve-{code}.log"
    server = public_bench.Server(f"rating serve ({code})", command, server_env, log)
    try:
        server.wait_ready(f"{base}/healthz", timeout_s=120)
        started = time.monotonic()  # the restart: the server answers
        result["served_from"] = check_served_from(server, code, baseline)
        probe = Probe(page, lambda status, _body: status == 200, since=started, deadline_s=args.ready_timeout)
        probe.start()
        cpu = public_bench.cpu_seconds(server.pid)
        cold = subprocess.Popen(wrk_command(args, page, script), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        result["cold"] = finish_wrk(cold, args.duration + 120)
        result["cold"]["server_cpu_s"] = public_bench.cpu_seconds(server.pid) - cpu
        probe.join(args.ready_timeout)  # wait until the page answers 200 (the old code may still be building)
        result["cold"]["data_after_s"] = probe.after_s
        if probe.after_s is None:
            raise SystemExit(f"{code}: the company page did not answer 200 within {args.ready_timeout} s:\n"
                             f"{server.log_tail()}")

        cpu = public_bench.cpu_seconds(server.pid)
        steady = subprocess.Popen(wrk_command(args, page, script), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        result["steady"] = finish_wrk(steady, args.duration + 120)
        result["steady"]["server_cpu_s"] = public_bench.cpu_seconds(server.pid) - cpu
        result["steady"]["data_after_s"] = None

        # The publicize's work (numbering the notices) is done first, in an open transaction; its commit, which is
        # what the server's cache sees, lands --trigger-at seconds into the wrk run.
        trigger = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child-publicize",
                                    str(info["trigger"]["id"])], cwd=REPO_ROOT, env={**env, "DATABASE_URL": url_db},
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert trigger.stdout is not None and trigger.stdin is not None
        ready = trigger.stdout.readline()
        if not ready.startswith("{"):
            trigger.kill()
            raise SystemExit(f"the publicize failed:\n{ready}{trigger.communicate()[1]}")
        cpu = public_bench.cpu_seconds(server.pid)
        load = subprocess.Popen(wrk_command(args, page, script), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(args.trigger_at)
        trigger.stdin.write("commit\n")
        trigger.stdin.flush()
        done = trigger.stdout.readline()  # written right after the commit
        committed = time.monotonic()
        out, err = trigger.communicate(timeout=600)
        if trigger.returncode != 0 or not done.startswith("committed"):
            raise SystemExit(f"the publicize failed:\n{done}{out}{err}")
        shown = Probe(page, lambda status, body: status == 200 and TRIGGER_NAME in body, since=committed,
                      deadline_s=args.ready_timeout)
        shown.start()
        result["publicize"] = finish_wrk(load, args.duration + 120)
        result["publicize"]["server_cpu_s"] = public_bench.cpu_seconds(server.pid) - cpu
        shown.join(args.ready_timeout)
        result["publicize"]["data_after_s"] = shown.after_s
        result["publicize"]["trigger_s"] = json.loads(ready)["seconds"]
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited during the run:\n{server.log_tail()}")
    finally:
        server.stop()
    for name in SCENARIOS:
        run = result[name]
        print(f"    {code:<6} {name:<9} {run['requests']:8,} requests {run['rps']:9,.0f} req/s  p50 "
              f"{_ms(run['p50_ms'])}  p99 {_ms(run['p99_ms'])}  max {_ms(run['max_ms'])}  200: {run['ok']:,}  503: "
              f"{run['preparing']:,}  other: {run['other']:,}  socket errors: {run['socket_errors_total']:,}"
              + (f"  data after {run['data_after_s']:.1f} s" if run.get("data_after_s") is not None else ""),
              flush=True)
    return result


def child_publicize(cycle_id: int) -> None:
    """Another process publicizes the cycle (notice date today), as an officer's command would: the work first, then
    (told on stdin) the commit."""
    from rating_service.cycles import service as cycles
    from rating_service.db import get_database

    started = time.perf_counter()
    with get_database().write_session() as session:
        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor=ACTOR)
        session.flush()
        print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)
        if sys.stdin.readline().strip() != "commit":
            raise SystemExit("not told to commit")
    print("committed", flush=True)


# -- the report ------------------------------------------------------------------------------------------------------

def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1000:,.1f} s" if value >= 1000 else f"{value:,.1f} ms"


def _median(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    if len(known) < len(values):  # a run without the figure (no request completed): the median is unknown
        return None if len(known) * 2 <= len(values) else statistics.median(known)
    return statistics.median(known) if known else None


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} s"


def summary(runs: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The figures the issue asks for, in words (medians)."""
    def med(code: str, scenario: str, key: str) -> float | None:
        return _median([r[scenario].get(key) for r in runs[code]])

    out = []
    for scenario, what in (("cold", "Right after a restart"), ("publicize", "During a publicize")):
        parts = []
        for code in CODES:
            requests = med(code, scenario, "requests") or 0
            preparing = med(code, scenario, "preparing") or 0
            parts.append(
                f"{code}: {requests:,.0f} requests completed in {med(code, scenario, 'elapsed_s') or 0:.0f} s"
                + (f" ({preparing:,.0f} of them the 503 \"preparing\" answer)" if preparing else "")
                + f", p99 {_ms(med(code, scenario, 'p99_ms'))}, max {_ms(med(code, scenario, 'max_ms'))}, "
                + ("full data served after " if scenario == "cold" else "the new cycle shown after ")
                + _seconds(med(code, scenario, "data_after_s")))
        out.append(f"- **{what}** (median of the runs) — " + "; ".join(parts) + ".")
    return out


def render(results: dict[str, dict[str, list[dict[str, Any]]]], infos: dict[str, dict[str, Any]], *,
           command: str, info: dict[str, str], code: dict[str, str], wrk_line: str, args: argparse.Namespace,
           started: dt.datetime, finished: dt.datetime) -> str:
    served = {name: run["served_from"] for engine in results.values() for name in CODES for run in engine[name]}
    lines = [
        MARK_START,
        "## cache-rebuild: the public company page while the public cache is rebuilt (wrk against `rating serve`)",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')} (the whole run took "
        f"{(finished - started).total_seconds() / 60:.1f} min)",
        f"- Command: `{command}`",
        f"- Code: before = {code['before']}; after = {code['after']}",
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        f"- Server: `rating serve --host {HOST} --port …`, one uvicorn process as deployed, started through a "
        "launcher that puts the code's tree first on `sys.path` (the same Python and packages for both); each "
        "server's log says which `rating_service` it imported, and the run stops if it is not the code's: "
        + "; ".join(f"{name} from `{_shown(Path(path))}`" for name, path in served.items()) + ".",
        f"- Load: `{wrk_line}` on the company page (wrk on the same cores as the server); the timeout is longer "
        "than the run, so a request held behind a rebuild counts with its real latency. Scenarios per run: "
        f"**cold** (wrk starts when `/healthz` first answers after the start), **steady** (once the page answers "
        f"200), **publicize** (another process publicizes {TRIGGER_NAME} through the cycle service: it does the "
        f"work, numbering the notices, before the run in an open transaction, and commits {args.trigger_at:g} s into "
        "the run; the server's cache sees the commit by polling). "
        f"{args.repeats} repetition{'s' if args.repeats != 1 else ''}; each repetition runs before and after on "
        "fresh copies of the prepared database, in alternating order.",
        "",
    ]
    for engine, runs in results.items():
        data = infos[engine]
        counts = data["counts"]
        records = sum(counts[k] for k in cycle_bench.RECORD_TABLES)
        public = data["public"]
        trigger_s = statistics.median(r["publicize"]["trigger_s"] for name in CODES for r in runs[name])
        lines += [
            f"### {engine}",
            "",
            f"- Data: {counts['companies']:,} companies, {records:,} records ({counts['complaints']:,} complaints, "
            f"{counts['inspections']:,} inspections), loaded with {data['load']}; {len(public)} public cycles "
            f"({sum(1 for c in public if c['status'] == 'finalized')} finalized months, "
            f"{sum(1 for c in public if c['status'] == 'publicized')} in publicity: "
            + ", ".join(c["name"] for c in public) + f"), computed in {sum(c['compute_s'] for c in public):.0f} s "
            f"together; page `/public/companies/{data['company']}` (rated in every public cycle). The publicize's "
            f"work before its commit took {trigger_s:.1f} s (median).",
            "",
            "| scenario | code | runs | requests completed | req/s (min–max) | p50 | p99 (max of runs) | max latency "
            "| 200 answers | 503 preparing | socket errors | full data served after |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for scenario in SCENARIOS:
            for name in CODES:
                rows = [r[scenario] for r in runs[name]]
                rates = [r["rps"] for r in rows]
                p99s = [r["p99_ms"] for r in rows]
                known_p99 = [p for p in p99s if p is not None]
                after = _median([r.get("data_after_s") for r in rows])
                lines.append(
                    f"| {SCENARIO_LABELS[scenario]} | {name} | {len(rows)} | "
                    f"{statistics.median([r['requests'] for r in rows]):,.0f} | "
                    f"{statistics.median(rates):,.0f} ({min(rates):,.0f}–{max(rates):,.0f}) | "
                    f"{_ms(_median([r['p50_ms'] for r in rows]))} | {_ms(_median(p99s))} "
                    f"({_ms(max(known_p99)) if known_p99 else '–'}) | {_ms(_median([r['max_ms'] for r in rows]))} | "
                    f"{statistics.median([r['ok'] for r in rows]):,.0f} | "
                    f"{statistics.median([r['preparing'] for r in rows]):,.0f} | "
                    f"{statistics.median([r['socket_errors_total'] for r in rows]):,.0f} | "
                    + ("–" if scenario == "steady" else _seconds(after)) + " |")
        lines += ["", *summary(runs), "", "After ÷ before, per repetition (measured side by side):", ""]
        for scenario in SCENARIOS:
            pairs = list(zip(runs["before"], runs["after"], strict=True))
            rate_ratios = [a[scenario]["rps"] / b[scenario]["rps"] if b[scenario]["rps"] else None for b, a in pairs]
            p99_ratios = [a[scenario]["p99_ms"] / b[scenario]["p99_ms"]
                          if a[scenario]["p99_ms"] is not None and b[scenario]["p99_ms"] else None for b, a in pairs]
            lines.append(f"- {SCENARIO_LABELS[scenario]}: req/s × " + ", ".join(
                "∞ (before completed none)" if r is None else f"{r:,.2f}" for r in rate_ratios)
                + "; p99 × " + ", ".join("–" if r is None else f"{r:,.3f}" for r in p99_ratios))
        lines += ["", "All runs (requests / req/s / p50 / p99 / max / 200 / 503 / socket errors / server CPU s / "
                      "data after):", ""]
        for name in CODES:
            for scenario in SCENARIOS:
                lines.append(f"- {name}, {scenario}: " + "; ".join(
                    f"{r[scenario]['requests']:,} / {r[scenario]['rps']:,.0f} / {_ms(r[scenario]['p50_ms'])} / "
                    f"{_ms(r[scenario]['p99_ms'])} / {_ms(r[scenario]['max_ms'])} / {r[scenario]['ok']:,} / "
                    f"{r[scenario]['preparing']:,} / {r[scenario]['socket_errors_total']:,} / "
                    f"{r[scenario]['server_cpu_s']:.1f} / {_seconds(r[scenario].get('data_after_s'))}"
                    for r in runs[name]))
        lines.append("")
    lines += [
        "Notes: \"full data served after\" is when a probe (one request every 0.2 s, beside wrk) first got the page "
        "with status 200 (cold: counted from the moment `/healthz` answered) or first saw the newly publicized cycle "
        "on it (publicize: counted from the publicize's commit). Before, the first request after a start and the "
        "first after a change build the data while every request waits; after, the data is built by one "
        "background thread while requests are answered from the previous build, or, right after a start, with the "
        "minimal 503 page (Retry-After) once `RATING_DISCLOSURE_BUILD_WAIT_SECONDS` (1 s) has passed. The background "
        "build shares the server's cores and interpreter with the requests it keeps answering, so under this "
        "saturating load it takes longer than a build that every request waits for: the new data shows later, but "
        "nothing waits for it. wrk counts only the requests completed within the run: a stall that outlasts the run "
        "leaves its requests out of the latency figures (compare \"requests completed\" with the steady state). "
        "Medians over the repetitions; \"–\" where a run completed no request.",
        MARK_END,
    ]
    return "\n".join(lines) + "\n"


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


# -- builds alone: before and after, each in a process of its own ----------------------------------------------

BUILD_CHILD = """
import hashlib, json, resource, sys, time
root, url, cycle_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, root)
import rating_service
from rating_service.db import Database
from rating_service.disclosure import service
from rating_service.settings import Settings
database = Database(Settings(database_url=url, environment="test"))
started = time.perf_counter()
with database.snapshot_session() as session:
    built = service.build(session, cycle_id)
seconds = time.perf_counter() - started
digest = hashlib.sha256(repr((built.cycle, built.ratings, built.grades, built.appeals)).encode()).hexdigest()
print(json.dumps({"seconds": seconds, "digest": digest[:16], "ratings": len(built.ratings),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "from": rating_service.__file__}))
"""


def one_build(code: str, baseline: Path, url: str, cycle_id: int) -> dict[str, Any]:
    root = source_root(code, baseline)
    load = os.getloadavg()[0]
    done = subprocess.run([sys.executable, "-c", BUILD_CHILD, str(root), url, str(cycle_id)], capture_output=True,
                          text=True, cwd=root)
    if done.returncode != 0:
        raise SystemExit(f"the {code} build of cycle {cycle_id} failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if Path(result["from"]).resolve().parent != root.resolve() / "rating_service":
        raise SystemExit(f"the {code} build imported {result['from']}, not the code of {root}")
    result["load"] = (load, os.getloadavg()[0])
    return result


def run_builds(url: str, info: dict[str, Any], baseline: Path, repeats: int) -> dict[int, dict[str, list[Any]]]:
    results: dict[int, dict[str, list[Any]]] = {}
    for cycle in info["public"]:
        results[cycle["id"]] = {name: [] for name in CODES}
    for rep in range(repeats):
        order = CODES if rep % 2 == 0 else tuple(reversed(CODES))
        for cycle in info["public"]:
            for name in order:
                result = one_build(name, baseline, url, cycle["id"])
                results[cycle["id"]][name].append(result)
                print(f"  run {rep + 1} cycle {cycle['id']} {cycle['name']} {name}: {result['seconds']:.1f} s, "
                      f"peak {result['peak_mib']:,.0f} MiB, digest {result['digest']}, load "
                      f"{result['load'][0]:.2f} → {result['load'][1]:.2f}", flush=True)
    return results


def render_builds(results: dict[int, dict[str, list[Any]]], info: dict[str, Any], *, command: str,
                  machine: dict[str, str], code: dict[str, str], started: dt.datetime,
                  finished: dt.datetime) -> str:
    counts = info["counts"]
    records = sum(counts[k] for k in cycle_bench.RECORD_TABLES)
    names = {c["id"]: c for c in info["public"]}
    lines = [
        BUILDS_MARKS[0],
        "## cache-rebuild-builds: a public cycle's disclosure build, before and after, at the nation's size",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')} (the whole run took "
        f"{(finished - started).total_seconds() / 60:.1f} min)",
        f"- Command: `{command}`",
        f"- Code: before = {code['before']}; after = {code['after']}",
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in machine.items()),
        f"- Data: {counts['companies']:,} companies, {records:,} records, loaded with {info['load']}; public cycles "
        "made by the cycle service (computed, publicized, the months finalized). Each build is "
        "`disclosure.service.build` in a fresh process (one snapshot session), before and after in turn, the order "
        "swapped each repetition. The digest covers everything the build holds (the cycle, every rating with every "
        "public field, the grade tally, the appeal statistics).",
        "",
        f"| cycle | ratings | code | runs | seconds (median) | min–max | peak MiB | digest | after ÷ before | "
        f"target ≤ {BUILD_TARGET_S:g} s |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for cycle_id, runs in results.items():
        before = statistics.median(r["seconds"] for r in runs["before"])
        for name in CODES:
            rows = runs[name]
            seconds = [r["seconds"] for r in rows]
            median = statistics.median(seconds)
            ratio = "1" if name == "before" else ", ".join(
                f"{a['seconds'] / b['seconds']:.2f}" for b, a in zip(runs["before"], rows, strict=True))
            lines.append(
                f"| {names[cycle_id]['name']} ({cycle_id}, {names[cycle_id]['status']}) | {rows[0]['ratings']:,} | "
                f"{name} | {len(rows)} | {median:.1f} | {min(seconds):.1f}–{max(seconds):.1f} | "
                f"{statistics.median(r['peak_mib'] for r in rows):,.0f} | "
                f"{', '.join(sorted({r['digest'] for r in rows}))} | {ratio} | "
                + ("–" if name == "before" else ("met" if median <= BUILD_TARGET_S else "**NOT met**")
                   + f" ({median / before:.2f}× before)") + " |")
    same = all(len({r["digest"] for name in CODES for r in runs[name]}) == 1 for runs in results.values())
    lines += ["", "- Before and after built " + ("the same data (equal digests) for every cycle."
                                                 if same else "**different data** (digests differ)."),
              "- Load average (1 min) before → after each build: " + "; ".join(
                  f"{names[cid]['name']} {name} " + ", ".join(f"{r['load'][0]:.2f} → {r['load'][1]:.2f}"
                                                              for r in runs[name])
                  for cid, runs in results.items() for name in CODES),
              BUILDS_MARKS[1]]
    return "\n".join(lines) + "\n"


# -- main -------------------------------------------------------------------------------------------------------------

def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=2_000_000, help="event records to generate")
    parser.add_argument("--companies", type=int, default=None, help="companies (default: records ÷ 200)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--months", type=int, default=12, choices=range(1, 13), metavar="1..12",
                        help="monthly cycles of 2025; with the year's cycle they are the public cycles (default 12)")
    parser.add_argument("--engines", default="postgresql", help="postgresql and/or sqlite, comma-separated")
    parser.add_argument("--pg-database", default="bench_cache",
                        help="PostgreSQL database holding the prepared data (its name must contain 'bench'); the "
                             "runs use copies named <name>_run")
    parser.add_argument("--baseline-ref", default="main", help="git ref served as \"before\" (exported with git "
                                                               "archive under --work)")
    parser.add_argument("--duration", type=int, default=30, help="seconds of each wrk run")
    parser.add_argument("--trigger-at", type=float, default=5.0, help="seconds into the publicize run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--ready-timeout", type=float, default=600.0,
                        help="how long to wait for the page to answer 200 (or to show the new cycle)")
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--wrk", default=public_bench.WRK)
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "out" / "cache",
                        help="generated data, the SQLite files, the baseline tree, server logs")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke test: " + ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in QUICK.items()))
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md",
                        help="Markdown file whose cache-rebuild section is replaced")
    parser.add_argument("--prepare-only", action="store_true",
                        help="make (or check) the prepared data and stop: no runs, no report")
    parser.add_argument("--builds", action="store_true",
                        help="time the public cycles' disclosure builds alone, before and after (no server, no wrk)")
    parser.add_argument("--child-publicize", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_publicize is not None:
        child_publicize(args.child_publicize)
        return 0
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    companies = args.companies if args.companies is not None else max(1, args.records // 200)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if not engines or set(engines) - {"postgresql", "sqlite"}:
        parser.error("--engines: postgresql and/or sqlite")
    if "bench" not in args.pg_database:
        parser.error("--pg-database: the name must contain 'bench' (its public schema is dropped and rebuilt)")
    if not args.builds and not (Path(args.wrk).is_file() and os.access(args.wrk, os.X_OK)):
        raise SystemExit(f"wrk not found at {args.wrk}: bash scripts/system-deps.sh wrk (or pass --wrk PATH)")
    if not public_bench.port_free(args.port):
        raise SystemExit(f"port {args.port} on {HOST} is in use: choose another with --port")
    if args.trigger_at >= args.duration:
        parser.error("--trigger-at must fall inside the run (< --duration)")

    signal.signal(signal.SIGTERM, _terminate)
    started = dt.datetime.now(dt.UTC)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    documents = Path(tempfile.mkdtemp(prefix="cache-bench-documents-"))
    # Read by the settings of this process (the set-up) and of every server and trigger process.
    os.environ.update({"RATING_DOCUMENTS_DIR": str(documents / "documents"),
                       "RATING_ATTACHMENTS_DIR": str(documents / "attachments"),
                       "RATING_RENDER_ON_PUBLICIZE": "false"})
    for name in ("RATING_DATABASE_URL", "DATABASE_URL", "RATING_DISCLOSURE_BUILD_WAIT_SECONDS"):
        os.environ.pop(name, None)
    env = dict(os.environ)
    script = work / "count-statuses.lua"
    script.write_text(WRK_LUA)
    baseline, baseline_commit = export_baseline(args.baseline_ref, work)
    code = {"before": f"`{args.baseline_ref}` = commit {baseline_commit}, exported to "
                      f"{_shown(source_root('before', baseline))}",
            "after": code_version("rating_service") + f", rating_service/ source digest "
                                                      f"{source_digest('rating_service')}"}
    print(f"before: {code['before']}\nafter: {code['after']}", flush=True)

    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    infos: dict[str, dict[str, Any]] = {}
    try:
        for engine in engines:
            print(f"{engine}: preparing {companies:,} companies, {args.records:,} records, {args.months} months …",
                  flush=True)
            template, infos[engine] = prepare(engine, work=work, companies=companies, records=args.records,
                                              seed=args.seed, months=args.months, pg_database=args.pg_database)
            if args.builds:
                results_builds = run_builds(template, infos[engine], baseline, args.repeats)
                machine = machine_info()
                section = render_builds(results_builds, infos[engine], command=command_line(
                    "bench/cache_rebuild_bench.py", argv), machine=machine, code=code, started=started,
                    finished=dt.datetime.now(dt.UTC))
                write_section(args.out, section, start=BUILDS_MARKS[0], end=BUILDS_MARKS[1])
                print(section)
                print(f"written to {args.out}")
                return 0
            if args.prepare_only:
                continue
            results[engine] = {name: [] for name in CODES}
            for rep in range(args.repeats):
                order = CODES if rep % 2 == 0 else tuple(reversed(CODES))
                for name in order:
                    copied = time.perf_counter()
                    url = fresh_copy(engine, template, work, args.pg_database)
                    print(f"  run {rep + 1} {name} ({engine}; database copied in {time.perf_counter() - copied:.0f} s)",
                          flush=True)
                    results[engine][name].append(one_run(name, args=args, url_db=url, env=env, baseline=baseline,
                                                         info=infos[engine], work=work, script=script))
    finally:
        shutil.rmtree(documents, ignore_errors=True)
        if "postgresql" in engines:
            _pg_admin(f'DROP DATABASE IF EXISTS "{args.pg_database}_run" WITH (FORCE)')

    if args.prepare_only:
        print("prepared: " + ", ".join(f"{e}: {infos[e]['company']}" for e in engines))
        return 0
    machine = machine_info()
    machine.pop("numpy", None)
    machine.pop("pandas", None)
    machine.update(public_bench._versions())
    machine["wrk"] = public_bench.wrk_version(args.wrk)
    if "postgresql" in engines:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres") as conn:
            machine["PostgreSQL"] = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    if "sqlite" in engines:
        machine["SQLite"] = sqlite3.sqlite_version
    wrk_line = " ".join(["wrk", *wrk_command(args, "URL", Path("count-statuses.lua"))[1:]])
    section = render(results, infos, command=command_line("bench/cache_rebuild_bench.py", argv), info=machine,
                     code=code, wrk_line=wrk_line, args=args, started=started, finished=dt.datetime.now(dt.UTC))
    write_section(args.out, section, start=MARK_START, end=MARK_END)
    print()
    print(section)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
