"""Public pages load benchmark: wrk against ``rating serve``, with a bare Starlette endpoint as the ceiling.

Sets up the Zongyang demo in a fresh database (a temporary SQLite file by default; ``--postgres URL`` for a
PostgreSQL database of its own), with the real commands: ``rating db upgrade``, ``rating demo`` (imports the demo and
computes cycle 1) and ``rating cycle publicize 1`` (makes it public, dated the day of the run; notices are numbered
but not rendered: ``RATING_RENDER_ON_PUBLICIZE=false``). Then serves it with ``rating serve --host 127.0.0.1 --port P``
(one uvicorn process, as deployed) and puts it under load with wrk from Debian on 127.0.0.1:

- json: ``/api/v1/public/cycles/current/ratings`` (the ratings list JSON, first page);
- page: ``/public`` (the ratings page, HTML);
- company: ``/public/companies/{code}`` (the company page of the JSON's first item);
- bare: the ceiling, a Starlette app of one route started in its own process with ``uvicorn.run`` and the same
  options as ``rating serve`` (uvicorn's defaults: loop and http ``auto``, i.e. uvloop and httptools when installed;
  access log on), answering the same path with the same bytes as the real JSON answer (fetched once from the
  server) through ``Response(content=..., media_type="application/json")``.

Every URL is first checked (200, the expected content type, its size) and warmed up; then each repetition runs the
scenarios one after the other (bare, json, page, company, bare, json, ...) with ``wrk -tT -cC -dDs --latency``, so
the ratio of a scenario's requests/s to the ceiling's is measured side by side. The server's CPU time over each run
(``/proc/PID/stat``) gives its CPU cost per request. Socket errors and non-2xx answers are reported, and a run that
had any is marked. Targets (from the issue, on 2 cores): >= 1,000 req/s and p99 <= 100 ms for the three real URLs.

With ``--pg-database NAME`` the data is a nation instead of the demo (issue 21: the company page at >= 4,000 req/s
and p99 <= 25 ms with the nation's companies loaded): ``cache_rebuild_bench.py``'s prepared PostgreSQL database
(``--companies``, ``--records``, ``--months``: generated, loaded with ``COPY``, cycles computed and publicized through
the cycle service), made once and reused while its marker row says it holds that data set; the server reads it as
it is (the pages write nothing). The report goes to its own section (``public-bench-nation``).

    python bench/public_bench.py [--duration 30] [--connections 50] [--threads 2] [--repeats 3] [--warmup 2]
                                 [--port 8101] [--bare-port 8102] [--postgres URL] [--out bench/RESULTS.md]
    python bench/public_bench.py --quick --out bench/out/quick.md     # 1 s runs, no warm-up: a smoke test
    python bench/public_bench.py --pg-database i21_public_bench_nation --companies 150000 --records 3000000 \
                                 --months 1 --work /work/data/public/cache  # the nation

wrk shares the machine's cores with the server, and timings on shared machines are noisy: the report gives medians,
min-max spreads, the per-repetition ratios to the ceiling and the load average around each run. Nothing here asserts
on a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchlib import code_version, command_line, machine_info, source_digest, write_section  # noqa: E402

MARK_START = "<!-- public-bench:start -->"
MARK_END = "<!-- public-bench:end -->"
NATION_MARKS = ("<!-- public-bench-nation:start -->", "<!-- public-bench-nation:end -->")
HOST = "127.0.0.1"
WRK = "/usr/bin/wrk"
CYCLE_ID = 1
TARGET_RPS = 1000.0
TARGET_P99_MS = 100.0
NATION_TARGETS = {"company": (4000.0, 25.0)}  # issue 21, the company page with the nation loaded
TARGET_CORES = 2
JSON_PATH = "/api/v1/public/cycles/current/ratings"
SCENARIOS = ("bare", "json", "page", "company")  # the order of every repetition; bare is the ceiling
LABELS = {
    "bare": "bare Starlette, pre-built bytes (ceiling)",
    "json": "ratings list JSON",
    "page": "ratings page",
    "company": "company page",
}
CONTENT_TYPES = {"bare": "application/json", "json": "application/json", "page": "text/html",
                 "company": "text/html"}
QUICK = {"duration": 1, "repeats": 1, "warmup": 0}
TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


# -- the database: the demo, cycle 1 publicized ------------------------------------------------------

def _rating_command() -> list[str]:
    script = Path(sys.executable).parent / "rating"
    return [str(script)] if script.exists() else [sys.executable, "-m", "rating_service.cli"]


def _postgres_url(url: str) -> str:
    """The service's driver is psycopg (3): a plain ``postgresql://`` URL gets it spelled out."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def reset_postgres(url: str) -> str:
    """Create the database if missing and empty its ``public`` schema; returns the server's version.

    Only a database whose name contains "bench" is emptied, so the test suite's or a real one never is.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database or ""
    if "bench" not in name:
        raise SystemExit(f"--postgres: refusing to empty database {name!r}: this benchmark drops and recreates its "
                         "public schema, so the database's name must contain 'bench' (e.g. rating_bench_public; it "
                         "is created if missing)")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
            return str(conn.execute(text("SHOW server_version")).scalar_one())
    finally:
        engine.dispose()


def prepare(work: Path, postgres: str | None) -> tuple[dict[str, str], str]:
    """The environment every ``rating`` command and the server get, and a description of the database."""
    env = {**os.environ,
           "RATING_DOCUMENTS_DIR": str(work / "documents"),
           "RATING_ATTACHMENTS_DIR": str(work / "attachments"),
           "RATING_RENDER_ON_PUBLICIZE": "false"}
    env.pop("RATING_DATABASE_URL", None)  # DATABASE_URL below is the one the service reads
    if postgres:
        url = _postgres_url(postgres)
        version = reset_postgres(url)
        env["DATABASE_URL"] = url
        from sqlalchemy.engine import make_url

        described = (f"PostgreSQL {version} ({make_url(url).render_as_string(hide_password=True)}, public schema "
                     "emptied and migrated)")
    else:
        env["DATABASE_URL"] = f"sqlite:///{work / 'bench.db'}"
        import sqlite3

        described = f"SQLite {sqlite3.sqlite_version} (a fresh file in a temporary folder)"
    # The notice date is the day of the run: a notice date is never before the day of publicizing.
    steps = (["db", "upgrade"], ["demo"], ["cycle", "publicize", str(CYCLE_ID)])
    for args in steps:
        started = time.perf_counter()
        done = subprocess.run([*_rating_command(), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                              timeout=900)
        if done.returncode != 0:
            raise SystemExit(f"`rating {' '.join(args)}` failed ({done.returncode}):\n"
                             f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
        print(f"  rating {' '.join(args)}: {time.perf_counter() - started:.1f} s", flush=True)
    return env, described


def prepare_nation(work: Path, args: argparse.Namespace) -> tuple[dict[str, str], str, dict[str, Any]]:
    """The nation (cache_rebuild_bench's prepared PostgreSQL database, made once and kept): the environment of the
    server, a description of the database, and what it holds."""
    import cache_rebuild_bench

    env = {**os.environ,
           "RATING_DOCUMENTS_DIR": str(work / "documents"),
           "RATING_ATTACHMENTS_DIR": str(work / "attachments"),
           "RATING_RENDER_ON_PUBLICIZE": "false"}
    env.pop("RATING_DATABASE_URL", None)
    companies = args.companies if args.companies is not None else max(1, args.records // 20)
    args.nation_work.mkdir(parents=True, exist_ok=True)
    url, info = cache_rebuild_bench.prepare("postgresql", work=args.nation_work.resolve(), companies=companies,
                                            records=args.records, seed=args.seed, months=args.months,
                                            pg_database=args.pg_database)
    env["DATABASE_URL"] = url
    import psycopg

    with psycopg.connect(f"{cache_rebuild_bench.PG_SERVER}/postgres") as conn:
        version = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    return env, f"PostgreSQL {version} (database {args.pg_database}, prepared once and reused)", info


# -- servers ----------------------------------------------------------------------------------------

def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


class Server:
    """A server subprocess in its own process group; its access log goes to /dev/null, its errors to a file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.log = name, command, log
        with log.open("wb") as err:
            self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def wait_ready(self, url: str, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited ({self.process.returncode}) before answering {url}:\n"
                                 f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer {url} within {timeout_s:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        for sig, wait_s in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait_s)
                return
            except subprocess.TimeoutExpired:
                continue


def wait_built(url: str, server: Server, *, timeout_s: float) -> None:
    """Until ``url`` answers 200 (not the 503 "preparing" of a server still building its public data)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited while building:\n{server.log_tail()}")
        if fetch(url)[0] == 200:
            return
        time.sleep(1.0)
    raise SystemExit(f"{url} did not answer 200 within {timeout_s:.0f} s:\n{server.log_tail()}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (``/proc/PID/stat`` fields 14 and 15)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bare_child(spec: dict[str, Any]) -> None:
    """The ceiling: one route returning pre-built bytes, served like ``rating serve`` serves the app."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    body = Path(spec["body"]).read_bytes()

    async def prebuilt(request: Request) -> Response:
        return Response(content=body, media_type="application/json")

    app = Starlette(routes=[Route(spec["path"], prebuilt)])
    # rating_service/cli/serve.py `serve`: uvicorn.run(app, host=host, port=port), everything else uvicorn's defaults.
    uvicorn.run(app, host=spec["host"], port=spec["port"])


# -- checks and load --------------------------------------------------------------------------------

def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def check(name: str, url: str, *, must_contain: Sequence[str] = ()) -> dict[str, Any]:
    """One request: 200, the expected content type and text; also the first (warming) request."""
    started = time.perf_counter()
    status, content_type, body = fetch(url)
    elapsed_ms = (time.perf_counter() - started) * 1000
    problems = []
    if status != 200:
        problems.append(f"status {status}")
    if not content_type.startswith(CONTENT_TYPES[name]):
        problems.append(f"content type {content_type!r}, expected {CONTENT_TYPES[name]}")
    text = body.decode("utf-8", errors="replace")
    problems += [f"{needle!r} not in the answer" for needle in must_contain if needle not in text]
    if problems:
        raise SystemExit(f"{name} ({url}): " + "; ".join(problems) + f"\n{text[:1500]}")
    print(f"  {name:<8} {url}: 200 {content_type}, {len(body):,} bytes, first request {elapsed_ms:.0f} ms",
          flush=True)
    return {"status": status, "content_type": content_type, "bytes": len(body), "first_ms": elapsed_ms,
            "body": body}


def _ms(value: str, unit: str) -> float:
    return float(value) * TIME_UNITS_MS[unit]


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests/s, the latency distribution (ms), request count, errors from ``wrk --latency``'s report."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if rps is None:
        raise ValueError("no Requests/sec line")
    result: dict[str, Any] = {"rps": float(rps.group(1))}
    latency = re.search(r"^\s+Latency\s+([\d.]+)(us|ms|s|m|h)\s+([\d.]+)(us|ms|s|m|h)\s+([\d.]+)(us|ms|s|m|h)",
                        output, re.MULTILINE)
    if latency:
        result["avg_ms"] = _ms(latency.group(1), latency.group(2))
        result["max_ms"] = _ms(latency.group(5), latency.group(6))
    distribution = output.split("Latency Distribution", 1)[-1] if "Latency Distribution" in output else ""
    for pct, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", distribution, re.MULTILINE):
        result[f"p{pct}_ms"] = _ms(value, unit)
    for needed in ("p50_ms", "p90_ms", "p99_ms"):
        if needed not in result:
            raise ValueError(f"no {needed[1:3]}% latency line")
    done = re.search(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m|h), ([\d.]+)(\w+) read", output, re.MULTILINE)
    if done:
        result["requests"] = int(done.group(1))
        result["elapsed_s"] = _ms(done.group(2), done.group(3)) / 1000
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"),
                                       (int(g) for g in socket_errors.groups()), strict=True)) if socket_errors else {}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    result["errors"] = sum(result["socket_errors"].values()) + result["non_2xx"]
    return result


def wrk_command(wrk: str, url: str, *, threads: int, connections: int, duration: int) -> list[str]:
    return [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]


def run_wrk(command: list[str], duration: int) -> dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if done.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    try:
        result = parse_wrk(done.stdout)
    except ValueError as exc:
        raise SystemExit(f"could not read wrk's report ({exc}):\n{done.stdout}{done.stderr}") from None
    result["output"] = done.stdout
    return result


def measure(command: list[str], duration: int, server: Server) -> dict[str, Any]:
    """One wrk run, with the server's CPU time and the machine's load average around it."""
    load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds(server.pid)
    result = run_wrk(command, duration)
    cpu = cpu_seconds(server.pid) - cpu_before
    if server.process.poll() is not None:
        raise SystemExit(f"{server.name} exited during the run:\n{server.log_tail()}")
    result["load"] = (load_before, os.getloadavg()[0])
    result["server_cpu_s"] = cpu
    elapsed = result.get("elapsed_s") or duration
    result["server_cpu_share"] = cpu / elapsed
    requests = result.get("requests") or 0
    result["cpu_us_per_request"] = cpu / requests * 1e6 if requests else float("nan")
    return result


# -- the report -------------------------------------------------------------------------------------

def _med(values: Sequence[float]) -> float:
    return statistics.median(values)


def _span(values: Sequence[float], fmt: str) -> str:
    return f"{min(values):{fmt}}–{max(values):{fmt}}"


def _versions() -> dict[str, str]:
    from importlib import metadata

    found = {}
    for package in ("uvicorn", "starlette", "fastapi", "httptools", "uvloop"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def _uvicorn_choice() -> str:
    """What uvicorn's ``loop="auto"`` and ``http="auto"`` pick in this environment (the same for both servers)."""
    from importlib.util import find_spec

    loop = "uvloop" if find_spec("uvloop") is not None else "asyncio"
    http = "httptools" if find_spec("httptools") is not None else "h11"
    return f"loop {loop}, http {http}"


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "--version"], capture_output=True, text=True, timeout=30)
    first = (done.stdout or done.stderr).splitlines()[0] if (done.stdout or done.stderr) else "unknown"
    return first.split(" Copyright", 1)[0].strip().removeprefix("wrk ")


def _errors_text(run: dict[str, Any]) -> str:
    parts = [f"{k} {v}" for k, v in run["socket_errors"].items() if v]
    if run["non_2xx"]:
        parts.append(f"non-2xx {run['non_2xx']}")
    return ", ".join(parts)


def render_report(results: dict[str, list[dict[str, Any]]], checks: dict[str, dict[str, Any]], *,
                  urls: dict[str, str], command: str, wrk_line: str, info: dict[str, str], code: str,
                  database: str, data: str, started: dt.datetime, finished: dt.datetime,
                  nation: bool = False) -> tuple[str, list[str]]:
    repeats = len(results["bare"])
    bare = results["bare"]
    cores = int(info.get("nproc", "0") or 0)
    start, end = NATION_MARKS if nation else (MARK_START, MARK_END)
    targets = dict.fromkeys(SCENARIOS, (TARGET_RPS, TARGET_P99_MS))
    if nation:
        targets.update(NATION_TARGETS)
    lines = [
        start,
        "## public-bench-nation: the public pages under load with the nation loaded (wrk against `rating serve`)"
        if nation else "## public-bench: the public pages under load (wrk against `rating serve`)",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')} (the whole run took "
        f"{(finished - started).total_seconds() / 60:.1f} min)",
        f"- Command: `{command}`",
        f"- Code: {code}",
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        f"- Database: {database}. Data: {data}",
        f"- Server: `rating serve --host {HOST} --port …`, one uvicorn process ({_uvicorn_choice()}, access log on, "
        "written to /dev/null). Ceiling: a Starlette app of one route in its own process, started with the same "
        "`uvicorn.run(app, host=, port=)` call, answering the same path with the same bytes as the ratings JSON "
        "(`Response(content=..., media_type=\"application/json\")`).",
        f"- Load: `{wrk_line}` on {HOST} (wrk runs on the same cores as the server). Each URL checked once (200, "
        "content type, size) and warmed up; then each repetition runs the scenarios in turn ("
        + ", ".join(SCENARIOS) + f"); {repeats} repetition{'s' if repeats != 1 else ''}.",
        "",
        "| scenario | URL | answer bytes | runs | median req/s | min–max req/s | p50 ms | p90 ms | p99 ms (max) "
        "| server CPU µs/request | ratio to ceiling (min–max) | target (req/s, p99) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    missed: list[str] = []
    verdicts: list[str] = []
    for name in SCENARIOS:
        runs = results[name]
        rates = [r["rps"] for r in runs]
        p99s = [r["p99_ms"] for r in runs]
        errors = sum(r["errors"] for r in runs)
        target_rps, target_p99 = targets[name]
        if name == "bare":
            ratio_text, target_text = "1 (ceiling)", "–"
        else:
            ratios = [r["rps"] / b["rps"] for r, b in zip(runs, bare, strict=True)]
            ratio_text = f"{_med(ratios):.2f} ({_span(ratios, '.2f')})"
            met = _med(rates) >= target_rps and _med(p99s) <= target_p99 and errors == 0
            target_text = (f"≥ {target_rps:,.0f}, ≤ {target_p99:g} ms: " + ("met" if met else "**NOT met**"))
            if not met:
                missed.append(name)
            verdicts.append(
                f"- **{LABELS[name]}**: {_med(rates):,.0f} req/s (target ≥ {target_rps:,.0f}: "
                f"{'met' if _med(rates) >= target_rps else '**NOT met**'}), p99 {_med(p99s):.1f} ms (target ≤ "
                f"{target_p99:g}: {'met' if _med(p99s) <= target_p99 else '**NOT met**'}), "
                f"{_med(ratios):.2f}× the ceiling (per repetition " + ", ".join(f"{x:.2f}" for x in ratios) + ")"
                + (f"; **{errors:,} errors**" if errors else "") + ".")
        if errors:
            target_text += f" (**{errors:,} errors**)"
        lines.append(
            f"| {LABELS[name]} | `{urlsplit(urls[name]).path}` | {checks[name]['bytes']:,} | {len(runs)} | "
            f"{_med(rates):,.0f} | "
            f"{_span(rates, ',.0f')} | {_med([r['p50_ms'] for r in runs]):.1f} | "
            f"{_med([r['p90_ms'] for r in runs]):.1f} | {_med(p99s):.1f} ({max(p99s):.1f}) | "
            f"{_med([r['cpu_us_per_request'] for r in runs]):,.0f} | {ratio_text} | {target_text} |")
    lines += ["", *verdicts]
    if cores and cores != TARGET_CORES:
        lines.append(f"- The targets are for {TARGET_CORES} cores; this machine gave the run {cores}.")
    lines += [
        "",
        "Notes: medians over the repetitions; the ratio is the median of the per-repetition ratios (scenario req/s ÷ "
        "the ceiling's req/s in the same repetition). wrk keeps every connection busy (closed loop), so the mean "
        "latency is about connections ÷ req/s: at 50 connections, 1,000 req/s means ~50 ms. Requests that hit "
        "wrk's timeout (2 s) are left out of its latency distribution and counted as socket errors, which is why a "
        "run with errors is marked. Server CPU = the server process's user + system time over the run (all its "
        "threads) ÷ requests; its share of one core is in the list below (≈100 % = the one process was CPU-bound).",
        "",
        "All runs (req/s / p50 / p99 ms / server CPU share of one core / load average before → after; in order):",
        "",
    ]
    for name in SCENARIOS:
        lines.append(f"- {name}: " + ", ".join(
            f"{r['rps']:,.0f} / {r['p50_ms']:.1f} / {r['p99_ms']:.1f} / {r['server_cpu_share'] * 100:.0f} % / "
            f"{r['load'][0]:.2f} → {r['load'][1]:.2f}" + (f" (**errors: {_errors_text(r)}**)" if r["errors"] else "")
            for r in results[name]))
    lines.append(end)
    return "\n".join(lines) + "\n", missed


# -- main -------------------------------------------------------------------------------------------

def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop the servers


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds of load per wrk run (wrk -d)")
    parser.add_argument("--connections", type=int, default=50, help="open connections (wrk -c)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (wrk -t)")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions of the four scenarios, interleaved")
    parser.add_argument("--warmup", type=int, default=2,
                        help="seconds of unrecorded load per URL before the measurements (0: only the check request)")
    parser.add_argument("--port", type=int, default=8101, help="port of `rating serve`")
    parser.add_argument("--bare-port", type=int, default=None, help="port of the bare Starlette app (default: port+1)")
    parser.add_argument("--postgres", metavar="URL",
                        help="use this PostgreSQL database instead of a temporary SQLite file; its public schema is "
                             "DROPPED and recreated, so its name must contain 'bench' (created if missing)")
    parser.add_argument("--pg-database", metavar="NAME",
                        help="the nation instead of the demo: cache_rebuild_bench's prepared PostgreSQL database of "
                             "this name (made if missing or not holding this data set; its name must contain "
                             "'bench'); the report goes to the public-bench-nation section")
    parser.add_argument("--companies", type=int, default=None, help="nation: companies (default records ÷ 20)")
    parser.add_argument("--records", type=int, default=3_000_000, help="nation: event records")
    parser.add_argument("--months", type=int, default=1, choices=range(1, 13), metavar="1..12",
                        help="nation: monthly public cycles besides the year's (default 1)")
    parser.add_argument("--seed", type=int, default=2025, help="nation: the generator's seed")
    parser.add_argument("--ready-timeout", type=float, default=1200.0,
                        help="nation: how long to wait for the server to build the public data")
    parser.add_argument("--nation-work", type=Path, default=BENCH_DIR / "out" / "cache",
                        help="nation: generated data and the prepared data's record (shared with cache_rebuild_bench)")
    parser.add_argument("--wrk", default=WRK, help=f"the wrk binary (default {WRK}, Debian's package)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke test: " + ", ".join(f"--{k} {v}" for k, v in QUICK.items()))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, server logs)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md",
                        help="Markdown file whose public-bench section is replaced")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        bare_child(json.loads(args.child))
        return 0
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    if min(args.duration, args.connections, args.threads, args.repeats) < 1 or args.warmup < 0:
        parser.error("duration, connections, threads and repeats must be at least 1, warmup at least 0")
    if args.threads > args.connections:
        parser.error("wrk needs at least one connection per thread (--threads <= --connections)")
    bare_port = args.bare_port or args.port + 1
    if not (Path(args.wrk).is_file() and os.access(args.wrk, os.X_OK)):
        raise SystemExit(f"wrk not found at {args.wrk}. Install Debian's package with:\n\n"
                         "    bash scripts/system-deps.sh wrk\n\n(or pass --wrk PATH)")
    if args.postgres and args.pg_database:
        parser.error("--postgres (the demo) or --pg-database (the nation), not both")
    if args.pg_database and "bench" not in args.pg_database:
        parser.error("--pg-database: the name must contain 'bench' (its public schema is dropped when remade)")
    busy = [p for p in (args.port, bare_port) if not port_free(p)]
    if busy:
        raise SystemExit(f"port {', '.join(map(str, busy))} on {HOST} is in use: choose others with --port/--bare-port")

    signal.signal(signal.SIGTERM, _terminate)
    started = dt.datetime.now(dt.UTC)
    code = code_version("rating_service") + f"; rating_service/ source digest {source_digest('rating_service')}"
    work = Path(tempfile.mkdtemp(prefix="public-bench-"))
    servers: list[Server] = []
    try:
        nation: dict[str, Any] | None = None
        if args.pg_database:
            print(f"preparing the nation in {args.pg_database} …", flush=True)
            env, database, nation = prepare_nation(work, args)
        else:
            print(f"preparing the demo in {work} …", flush=True)
            env, database = prepare(work, args.postgres)

        base = f"http://{HOST}:{args.port}"
        app = Server("rating serve", [*_rating_command(), "serve", "--host", HOST, "--port", str(args.port)], env,
                     work / "rating-serve.log")
        servers.append(app)
        app.wait_ready(f"{base}/healthz")

        checks: dict[str, dict[str, Any]] = {}
        urls = {"json": f"{base}{JSON_PATH}", "page": f"{base}/public"}
        if nation is not None:  # the server builds every public cycle first ("preparing", 503, meanwhile)
            ready_started = time.perf_counter()
            wait_built(f"{base}/public/companies/{nation['company']}", app, timeout_s=args.ready_timeout)
            print(f"  the public data was built {time.perf_counter() - ready_started:.0f} s after the server answered",
                  flush=True)
        checks["json"] = check("json", urls["json"])
        document = json.loads(checks["json"]["body"])
        if not document.get("items"):
            raise SystemExit(f"the ratings JSON lists no ratings: {checks['json']['body'][:500]!r}")
        first = document["items"][0]
        code_of_first = first["credit_code"] if nation is None else nation["company"]
        urls["company"] = f"{base}/public/companies/{code_of_first}"
        checks["page"] = check("page", urls["page"], must_contain=[first["name"]])
        checks["company"] = check("company", urls["company"], must_contain=[code_of_first])
        if nation is None:
            data = (f"the Zongyang demo, cycle {CYCLE_ID} ({document['cycle']['name']}) publicized with notice date "
                    f"{document['cycle']['notice_date']}: {document['total']} companies rated; the JSON is its first "
                    f"page ({len(document['items'])} items of {document['per_page']} per page); the company page is "
                    f"{code_of_first} ({first['name']}, rank {first['rank']}).")
        else:
            import cache_rebuild_bench

            counts = nation["counts"]
            records = sum(counts[k] for k in cache_rebuild_bench.cycle_bench.RECORD_TABLES)
            public = nation["public"]
            data = (f"a nation: {counts['companies']:,} companies, {records:,} records (generated, loaded with "
                    f"{nation['load']}), {len(public)} public cycles (" + ", ".join(
                        f"{c['name']} {c['status']}" for c in public) + f"), made by the cycle service in "
                    f"{nation['setup_s']:.0f} s; the current cycle {document['cycle']['name']} rates "
                    f"{document['total']:,} companies; the JSON is its first page; the company page is "
                    f"{code_of_first}, rated in every public cycle.")

        body_file = work / "ratings.json"
        body_file.write_bytes(checks["json"]["body"])
        spec = {"host": HOST, "port": bare_port, "path": JSON_PATH, "body": str(body_file)}
        bare = Server("bare Starlette app", [sys.executable, str(Path(__file__).resolve()), "--child",
                                             json.dumps(spec)], env, work / "bare.log")
        servers.append(bare)
        urls["bare"] = f"http://{HOST}:{bare_port}{JSON_PATH}"
        bare.wait_ready(urls["bare"])
        checks["bare"] = check("bare", urls["bare"])
        if checks["bare"]["body"] != checks["json"]["body"]:
            raise SystemExit("the bare app's answer differs from the ratings JSON")

        server_of = {"bare": bare, "json": app, "page": app, "company": app}
        commands = {name: wrk_command(args.wrk, urls[name], threads=args.threads, connections=args.connections,
                                      duration=args.duration) for name in SCENARIOS}
        if args.warmup:
            print(f"warming up ({args.warmup} s per URL) …", flush=True)
            for name in SCENARIOS:
                warm = run_wrk(wrk_command(args.wrk, urls[name], threads=args.threads, connections=args.connections,
                                           duration=args.warmup), args.warmup)
                print(f"  {name:<8} {warm['rps']:9,.0f} req/s" + (f"  errors: {_errors_text(warm)}"
                                                                  if warm["errors"] else ""), flush=True)

        results: dict[str, list[dict[str, Any]]] = {name: [] for name in SCENARIOS}
        for rep in range(args.repeats):
            for name in SCENARIOS:
                result = measure(commands[name], args.duration, server_of[name])
                results[name].append(result)
                print(f"  run {rep + 1} {name:<8} {result['rps']:9,.0f} req/s  p50 {result['p50_ms']:7.1f} ms  "
                      f"p99 {result['p99_ms']:7.1f} ms  server CPU {result['server_cpu_share'] * 100:4.0f} %  "
                      f"{result['cpu_us_per_request']:6,.0f} µs/request"
                      + (f"  ERRORS: {_errors_text(result)}" if result["errors"] else ""), flush=True)
    finally:
        for server in reversed(servers):
            server.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    info = machine_info()
    info.pop("numpy", None)
    info.pop("pandas", None)
    info.update(_versions())
    info["wrk"] = wrk_version(args.wrk)
    wrk_line = " ".join(["wrk", *wrk_command(args.wrk, "URL", threads=args.threads, connections=args.connections,
                                             duration=args.duration)[1:]])
    finished = dt.datetime.now(dt.UTC)
    section, missed = render_report(results, checks, urls=urls, command=command_line("bench/public_bench.py", argv),
                                    wrk_line=wrk_line, info=info, code=code, database=database, data=data,
                                    started=started, finished=finished, nation=nation is not None)
    start, end = NATION_MARKS if nation is not None else (MARK_START, MARK_END)
    write_section(args.out, section, start=start, end=end)
    print()
    print(section)
    print(f"written to {args.out}" + (f"; targets missed: {', '.join(missed)}" if missed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
