"""Import limits benchmark: peak memory and time of bounded imports, good and bad files, through the CLI and HTTP.

Every run is a fresh process: ``rating import`` (peak RSS from ``wait4``'s rusage of that process) or ``rating
serve`` receiving one multipart upload (peak RSS = the server process's ``VmHWM`` after the answer). Files:

- the 1,000,000-row complaints CSV that ``bench/import_bench.py`` builds (``fixtures/generate.py`` scale mode);
- an XLSX whose sheet unpacks to 277 MB of rows, and one holding a single 500 MB cell (the probe's bombs of
  issue 14, written as compressible streams: ~1 MB each);
- 1,000,000 bad complaint rows (an unreadable date, a blank channel, a wrong yes/no in each: 3,000,000 errors).

It also times the personal-data scan of values: ``import_files`` of the 1M-row file in-process with the scan on
and off (monkeypatched, bench only), alternating, and the CPU the scan took inside the "on" runs; and records what
the default XLSX limits are measured against (the demo files and, with ``--xlsx-1m``, the 1M-row file as XLSX).

    python bench/import_limits_bench.py [--rows 1000000] [--scan-repeat 3] [--xlsx-1m] [--out bench/RESULTS.md]

Nothing here asserts; the report states the targets (peak RSS < 1 GiB, bad files refused within seconds).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import http.client
import io
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchlib import code_version, command_line, machine_info, source_digest, write_section  # noqa: E402
from import_bench import prepare_data  # noqa: E402  (the same cached 1M-row data set)

WORK_DIR = BENCH_DIR / "out" / "limits"
RATING = Path(sys.executable).parent / "rating"
MARK_START = "<!-- import-limits-bench:start -->"
MARK_END = "<!-- import-limits-bench:end -->"
RESULT_PREFIX = "BENCH_RESULT "
OFFICER = ("limits-bench-officer", "limits-bench-officer-password-2025")
MB = 1_000_000
TARGET_RSS_MIB = 1024
TARGET_REFUSAL_S = 10
REFERENCE_KINDS = ("companies", "communities", "contracts")


# -- files ------------------------------------------------------------------------------------------------

SHEET_HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = b"</sheetData></worksheet>"


def _small_workbook() -> bytes:
    from openpyxl import Workbook

    from rating_service.records.formats import KINDS

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([c.zh for c in KINDS["complaints"].columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _workbook_with_sheet(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """A workbook whose first sheet is what ``write`` streams, compressed as it goes (never held in memory)."""
    base = zipfile.ZipFile(io.BytesIO(_small_workbook()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in base.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                entry = zipfile.ZipInfo(info.filename)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(entry, "w", force_zip64=True) as stream:
                    write(stream)
            else:
                archive.writestr(info, base.read(info.filename))


def _repeat(stream: IO[bytes], block: bytes, total: int) -> None:
    written = 0
    while written < total:
        stream.write(block)
        written += len(block)


def make_files(rows: int, companies: int, seed: int) -> dict[str, Path]:
    data, count = prepare_data(rows, companies, seed)
    if count != rows:
        raise SystemExit(f"expected {rows} complaint rows, the data set has {count}")
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    files = {"data": data, "good": data / "complaints.csv"}
    rows_bomb = WORK_DIR / "bomb-277mb-rows.xlsx"
    if not rows_bomb.exists():
        def rows_sheet(stream: IO[bytes]) -> None:
            stream.write(SHEET_HEAD)
            _repeat(stream, b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000, 277 * MB)
            stream.write(SHEET_TAIL)

        _workbook_with_sheet(rows_bomb, rows_sheet)
    cell_bomb = WORK_DIR / "bomb-500mb-cell.xlsx"
    if not cell_bomb.exists():
        def cell_sheet(stream: IO[bytes]) -> None:
            stream.write(SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
            _repeat(stream, b"A" * MB, 500 * MB)
            stream.write(b"</t></is></c></row>" + SHEET_TAIL)

        _workbook_with_sheet(cell_bomb, cell_sheet)
    bad = WORK_DIR / f"bad-{rows}.csv"
    if not bad.exists():
        from rating_service.records.formats import KINDS

        with bad.open("w", encoding="utf-8") as handle:
            handle.write(",".join(c.zh for c in KINDS["complaints"].columns) + "\n")
            for start in range(0, rows, 100_000):
                handle.write("".join(f"GD{i},x,,C1,,,?,,,\n" for i in range(start, min(rows, start + 100_000))))
    files.update({"rows_bomb": rows_bomb, "cell_bomb": cell_bomb, "bad": bad})
    return files


# -- the database ------------------------------------------------------------------------------------------

def template_path() -> Path:
    return WORK_DIR / "template.sqlite"


def db_path() -> Path:
    return WORK_DIR / "run.sqlite"


def setup_template(data: Path) -> None:
    """A migrated SQLite database with the reference files imported and an officer (untimed, once)."""
    from rating_service import migrate
    from rating_service.accounts import service as accounts
    from rating_service.db import Database
    from rating_service.records.formats import KINDS
    from rating_service.records.service import UploadedFile, import_files
    from rating_service.settings import Settings

    path = template_path()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    database = Database(Settings(database_url=f"sqlite:///{path}"))
    try:
        migrate.upgrade(database)
        with database.write_session() as session:
            for kind in REFERENCE_KINDS:
                import_files(session, kind=KINDS[kind], files=[UploadedFile.from_path(data / f"{kind}.csv")],
                             actor="bench-setup")
                session.flush()
            accounts.create_user(session, username=OFFICER[0], password=OFFICER[1], role="officer", actor="bench")
    finally:
        database.dispose()
    conn = sqlite3.connect(path, isolation_level=None)  # fold the WAL in: the copies are of the one file
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def fresh_database() -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path()}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template_path(), db_path())
    return f"sqlite:///{db_path()}"


def _env(database_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "RATING_DOCUMENTS_DIR": str(WORK_DIR / "documents"),
            "RATING_ATTACHMENTS_DIR": str(WORK_DIR / "attachments"), "COLUMNS": "200"}


# -- runs -----------------------------------------------------------------------------------------------

def run_cli(path: Path, kind: str = "complaints") -> dict[str, Any]:
    """``rating import KIND FILE`` in a fresh process: its wall and CPU time and peak RSS (wait4's rusage)."""
    out, err = WORK_DIR / "cli.out", WORK_DIR / "cli.err"
    command = [str(RATING), "import", kind, str(path), "--lang", "en"]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=_env(fresh_database()), cwd=REPO_ROOT, stdout=stdout, stderr=stderr)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    answer = out.read_bytes() + err.read_bytes()
    text = answer.decode("utf-8", errors="replace")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return {"path": "CLI", "exit": process.returncode, "seconds": seconds,
            "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mib": usage.ru_maxrss / 1024,
            "answer_bytes": len(answer), "outcome": f"exit {process.returncode}: {first[:110]}"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _proc_status(pid: int) -> dict[str, int]:
    found: dict[str, int] = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                found[name] = int(value.split()[0])
    return found


def _proc_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _request(port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
             timeout: float = 3600) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _multipart(path: Path, boundary: str) -> tuple[Iterator[bytes], int]:
    """A multipart body streamed from the file (never read whole into this process)."""
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{path.name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def chunks() -> Iterator[bytes]:
        yield head
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                yield block
        yield tail

    return chunks(), len(head) + path.stat().st_size + len(tail)


def run_http(path: Path, kind: str = "complaints") -> dict[str, Any]:
    """One upload to a fresh ``rating serve``: the server's peak RSS, its CPU time for the request, the answer."""
    port = _free_port()
    log = (WORK_DIR / "server.log").open("wb")
    server = subprocess.Popen([str(RATING), "serve", "--port", str(port)], env=_env(fresh_database()), cwd=REPO_ROOT,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _request(port, "GET", "/healthz", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"rating serve did not start (see {WORK_DIR / 'server.log'})")
            time.sleep(0.2)
        status, body = _request(port, "POST", "/api/v1/auth/token",
                                json.dumps({"username": OFFICER[0], "password": OFFICER[1]}),
                                {"Content-Type": "application/json"})
        if status != 200:
            raise SystemExit(f"login failed: {status} {body[:200]!r}")
        token = json.loads(body)["access_token"]
        before = _proc_status(server.pid)
        cpu_before = _proc_cpu(server.pid)
        boundary = uuid.uuid4().hex
        chunks, length = _multipart(path, boundary)
        start = time.perf_counter()
        status, body = _request(port, "POST", f"/api/v1/imports/{kind}", chunks, {
            "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(length), "Accept-Language": "en"})
        seconds = time.perf_counter() - start
        after = _proc_status(server.pid)
        cpu = _proc_cpu(server.pid) - cpu_before
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    try:
        answer = json.loads(body)
    except ValueError:
        answer = {}
    if status == 200:
        outcome = f"200: {sum(f['inserted'] for f in answer.get('files', []))} rows inserted"
    else:
        details = answer.get("details") or [{}]
        outcome = f"{status} {answer.get('code')}: {details[0].get('code')} — {str(answer.get('message'))[:70]}"
    return {"path": "HTTP", "status": status, "seconds": seconds, "cpu_s": cpu,
            "peak_rss_mib": after["VmHWM"] / 1024, "rss_before_mib": before["VmRSS"] / 1024,
            "answer_bytes": len(body), "outcome": outcome}


# -- the scan on and off -----------------------------------------------------------------------------------

def child_scan(path: Path, scan: bool) -> dict[str, Any]:
    """``import_files`` of the file in this process, the personal-data scan on or off; the scan's own CPU time."""
    from rating_service.db import Database
    from rating_service.records import validate
    from rating_service.records.formats import KINDS
    from rating_service.records.service import UploadedFile, import_files
    from rating_service.settings import Settings

    spent = [0.0]
    original = validate._Checker._scan

    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return original(self, *args, **kwargs) if scan else {}
        finally:
            spent[0] += time.process_time() - started

    validate._Checker._scan = timed  # type: ignore[method-assign]
    database = Database(Settings(database_url=fresh_database()))
    with database.engine.connect():
        pass
    upload = UploadedFile.from_path(path)
    wall, cpu = time.perf_counter(), time.process_time()
    with database.write_session() as session:
        summaries = import_files(session, kind=KINDS["complaints"], files=[upload], actor="bench")
    result = {"scan": scan, "seconds": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
              "scan_cpu_s": spent[0], "rows": sum(s.inserted for s in summaries)}
    database.dispose()
    return result


def run_scan_child(path: Path, scan: bool) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child-scan", "on" if scan else "off",
               "--csv", str(path)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=3600)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"scan run failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX):])
    return result


# -- what the XLSX limits are measured against -------------------------------------------------------------

def xlsx_profile(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    sheet = max((i for i in infos if "worksheets/" in i.filename), key=lambda i: i.file_size)
    return {"file": path.name, "bytes": path.stat().st_size, "unpacked": sum(i.file_size for i in infos),
            "ratio": sheet.file_size / max(1, sheet.compress_size), "part": sheet.filename}


def csv_to_xlsx(source: Path, target: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    with source.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    workbook.save(target)


def calibration(files: dict[str, Path], with_1m: bool) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    demo = REPO_ROOT / "fixtures" / "zongyang"
    profiles = []
    folder = WORK_DIR / "demo-xlsx"
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(demo.glob("*.csv")):
        target = folder / f"{source.stem}.xlsx"
        csv_to_xlsx(source, target)
        profiles.append(xlsx_profile(target))
    big = None
    if with_1m:
        target = WORK_DIR / "complaints-1m.xlsx"
        if not target.exists():
            print("writing the 1M-row file as XLSX (openpyxl, a few minutes)…", flush=True)
            csv_to_xlsx(files["good"], target)
        big = {**xlsx_profile(target), "run": run_cli(target)}
    return profiles, big


# -- report ---------------------------------------------------------------------------------------------

SCENARIOS = (
    ("good", "{rows:,}-row complaints CSV", True),
    ("rows_bomb", "XLSX bomb: sheet unpacking to 277 MB", False),
    ("cell_bomb", "XLSX with one 500 MB cell", False),
    ("bad", "{rows:,} bad rows ({errors:,} errors)", False),
)


def _mib(value: float) -> str:
    return f"{value:,.0f}"


def render(runs: list[tuple[str, str, dict[str, Any]]], scans: list[dict[str, Any]], sizes: dict[str, int],
           profiles: list[dict[str, Any]], big: dict[str, Any] | None, *, command: str, info: dict[str, str],
           code: str, started: dt.datetime, rows: int, companies: int, loads: tuple[str, str]) -> str:
    lines = [
        MARK_START,
        "## Import limits: memory and time of bounded imports (issue 14, items 2, 3, 16)",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}`",
        f"- Code: {code}, package source digest {info.pop('digest')}",
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        "- Each row is a fresh process on a fresh copy of one SQLite database holding the reference data "
        f"({companies:,} companies, {3 * companies:,} communities and their contracts). CLI: `rating import "
        "complaints FILE --lang en`, peak RSS = `ru_maxrss` of that process (`wait4`). HTTP: `rating serve` "
        "(one uvicorn process), one multipart upload to `/api/v1/imports/complaints` with an officer's token, peak "
        "RSS = the server's `VmHWM` after the answer (it includes the server's start, shown as RSS before the "
        "upload); CPU s = the server's CPU for the request. Default limits (`rating_service/settings.py`, "
        "`# Import limits`).",
        "- Files: " + "; ".join(f"{name} {size / 2**20:,.1f} MiB" for name, size in sizes.items()) + ".",
        "",
        "| file | path | outcome | wall s | CPU s | peak RSS MiB | RSS before upload MiB | answer bytes |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for key, label, run in runs:
        before = _mib(run["rss_before_mib"]) if "rss_before_mib" in run else "–"
        outcome = run["outcome"].replace("|", "\\|")
        lines.append(f"| {label} | {run['path']} | {outcome} | {run['seconds']:.2f} | {run['cpu_s']:.2f} | "
                     f"{_mib(run['peak_rss_mib'])} | {before} | {run['answer_bytes']:,} |")
        good = next(g for k, _, g in SCENARIOS if k == key)
        ok = run["peak_rss_mib"] < TARGET_RSS_MIB and (good or run["cpu_s"] < TARGET_REFUSAL_S)
        if not ok:
            verdicts.append(f"{label} via {run['path']}")
    lines += ["", f"- Targets: peak RSS < {TARGET_RSS_MIB} MiB for every run, bad files refused within "
              f"{TARGET_REFUSAL_S} s of CPU (wall time on this shared machine is up to a few times the CPU time: "
              f"load average {loads[0]} before the runs, {loads[1]} after): "
              + ("**met**." if not verdicts else f"**NOT met** by {', '.join(verdicts)}.")]
    if scans:
        on = [s for s in scans if s["scan"]]
        off = [s for s in scans if not s["scan"]]

        def median(rows: list[dict[str, Any]], key: str) -> float:
            return statistics.median(r[key] for r in rows)

        lines += [
            "",
            "Personal-data scan of values (`records.personal_data.scan_values` through `_Checker._scan`): the "
            f"{rows:,}-row file imported in-process (`import_files`, SQLite) {len(on)}× with the scan and "
            f"{len(off)}× without it (monkeypatched to find nothing: a bench-only switch), alternating; scan CPU = "
            "process time spent inside the scan in the runs with it.",
            "",
            "| scan | runs | median wall s | median CPU s | median rows/s (wall) | median scan CPU s |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for label, group in (("on", on), ("off", off)):
            rate = statistics.median(r["rows"] / r["seconds"] for r in group)
            lines.append(f"| {label} | {len(group)} | {median(group, 'seconds'):.2f} | {median(group, 'cpu_s'):.2f} "
                         f"| {rate:,.0f} | {median(group, 'scan_cpu_s'):.3f} |")
        share = median(on, "scan_cpu_s") / median(on, "cpu_s")
        lines += ["", f"- The scan costs {median(on, 'scan_cpu_s'):.2f} s of CPU per {rows:,} rows "
                  f"({share:.1%} of the import's CPU); wall times: "
                  + ", ".join(f"{'on' if r['scan'] else 'off'} {r['seconds']:.1f}" for r in scans) + "."]
    lines += ["", "What the default XLSX limits are measured against (files written by openpyxl from the CSVs; "
              "ratio = the largest part's unpacked/compressed size):", "",
              "| file | bytes | unpacked | ratio |", "| --- | ---: | ---: | ---: |"]
    for p in profiles:
        lines.append(f"| fixtures/zongyang/{p['file']} | {p['bytes']:,} | {p['unpacked']:,} | {p['ratio']:.1f}:1 |")
    if big is not None:
        run = big["run"]
        lines.append(f"| {rows:,}-row complaints as XLSX | {big['bytes']:,} | {big['unpacked']:,} | "
                     f"{big['ratio']:.1f}:1 |")
        lines += ["", f"- The {rows:,}-row XLSX imported through the CLI: {run['outcome']}, {run['seconds']:.0f} s "
                  f"wall, {run['cpu_s']:.0f} s CPU, peak RSS {_mib(run['peak_rss_mib'])} MiB."]
    lines.append(MARK_END)
    return "\n".join(lines) + "\n"


def _load_average() -> str:
    try:
        return " / ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the good and of the bad file")
    parser.add_argument("--companies", type=int, help="companies of the data set (default rows/50, at least 50)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--scan-repeat", type=int, default=3, help="in-process imports with and without the scan "
                                                                   "(each); 0 skips them")
    parser.add_argument("--skip-http", action="store_true", help="only the CLI runs")
    parser.add_argument("--xlsx-1m", action="store_true",
                        help="also write the 1M-row file as XLSX and import it through the CLI (slow: minutes)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md",
                        help="Markdown file whose import-limits-bench section is replaced")
    parser.add_argument("--child-scan", choices=("on", "off"), help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child_scan:
        print(RESULT_PREFIX + json.dumps(child_scan(args.csv, args.child_scan == "on")), flush=True)
        return 0

    started = dt.datetime.now(dt.UTC)
    code, digest = code_version("rating_service"), source_digest("rating_service")
    companies = args.companies or max(50, args.rows // 50)
    files = make_files(args.rows, companies, args.seed)
    print("setting up the database (migrate, reference data, an officer)…", flush=True)
    setup_template(files["data"])
    sizes = {files[key].name: files[key].stat().st_size for key, _, _ in SCENARIOS}

    load_before = _load_average()
    runs: list[tuple[str, str, dict[str, Any]]] = []
    for key, template, _good in SCENARIOS:
        label = template.format(rows=args.rows, errors=3 * args.rows)
        for runner in (run_cli,) if args.skip_http else (run_cli, run_http):
            result = runner(files[key])
            runs.append((key, label, result))
            print(f"{label:45s} {result['path']:4s} {result['seconds']:7.2f} s  peak {result['peak_rss_mib']:6.0f} "
                  f"MiB  {result['outcome'][:80]}", flush=True)

    scans: list[dict[str, Any]] = []
    for rep in range(args.scan_repeat):
        for scan in ((True, False) if rep % 2 == 0 else (False, True)):
            result = run_scan_child(files["good"], scan)
            scans.append(result)
            print(f"scan {'on ' if scan else 'off'} {result['seconds']:7.2f} s wall {result['cpu_s']:7.2f} s CPU, "
                  f"scan {result['scan_cpu_s']:.3f} s", flush=True)

    load_after = _load_average()
    profiles, big = calibration(files, args.xlsx_1m)
    info = {"digest": digest, **machine_info()}
    section = render(runs, scans, sizes, profiles, big, command=command_line("bench/import_limits_bench.py", argv),
                     info=info, code=code, started=started, rows=args.rows, companies=companies,
                     loads=(load_before, load_after))
    write_section(args.out, section, start=MARK_START, end=MARK_END)
    print()
    print(section)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
