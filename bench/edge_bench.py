"""What a hostile or clumsy request costs the server before it is answered: bytes taken in, peak memory, temporary
files, time to the answer. The probe of issue 14 found an anonymous 2 × 300 MB upload written to /tmp before its
401 and an anonymous 300 MB JSON body raising server memory by ~1 GB.

Each scenario starts a fresh `rating serve` (one uvicorn process, its own TMPDIR and SQLite file), sends one
request over a raw socket — the body streamed in 1 MiB chunks, with or without a Content-Length — and stops
sending as soon as an answer arrives. Reported: the status, the MiB the client got to send before the answer (the
server's socket buffers included), the server's peak RSS above its idle RSS (VmHWM − VmRSS before the request),
the peak size of its temporary folder, and the seconds to the answer. With `--baseline DIR` (a checkout of the
code before the change, with its own .venv) the same scenarios run against it, side by side.

    .venv/bin/python bench/edge_bench.py                       # this checkout only
    .venv/bin/python bench/edge_bench.py --baseline /tmp/main  # and the code before, in the same run
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchlib import REPO_ROOT, code_version, command_line, machine_info, write_section  # noqa: E402

MIB = 1024 * 1024
START, END = "<!-- edge-bench:start -->", "<!-- edge-bench:end -->"
BOUNDARY = "bench-boundary"
PASSWORD = "edge-bench-password-1"


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    content_type: str
    body_mib: int
    declared: bool  # send a Content-Length (else chunked)
    as_officer: bool = False

    def head(self) -> bytes:
        if self.content_type.startswith("multipart"):
            return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.csv\"\r\n"
                    "Content-Type: text/csv\r\n\r\n").encode()
        return b'{"username": "'


SCENARIOS = (
    Scenario("anonymous upload, 2 × 300 MiB multipart, chunked", "/api/v1/imports/companies",
             f"multipart/form-data; boundary={BOUNDARY}", 600, declared=False),
    Scenario("anonymous upload, 600 MiB multipart, Content-Length", "/api/v1/imports/companies",
             f"multipart/form-data; boundary={BOUNDARY}", 600, declared=True),
    Scenario("anonymous JSON, 300 MiB, chunked", "/api/v1/users", "application/json", 300, declared=False),
    Scenario("anonymous login form, 300 MiB, chunked", "/login", "application/x-www-form-urlencoded", 300,
             declared=False),
    Scenario("officer upload over the 200 MB limit, 300 MiB multipart, chunked", "/api/v1/imports/companies",
             f"multipart/form-data; boundary={BOUNDARY}", 300, declared=False, as_officer=True),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _temporary_bytes(pid: int, folder: Path) -> int:
    """Bytes in the process's open files under ``folder``: multipart spools are unlinked at once (O_TMPFILE), so
    they show only among its file descriptors."""
    total = 0
    fds = Path(f"/proc/{pid}/fd")
    for fd in fds.iterdir() if fds.exists() else ():
        try:
            if os.readlink(fd).startswith(str(folder)):
                total += os.stat(fd).st_size
        except OSError:
            pass
    return total


def _reset_peak(pid: int) -> None:
    """Resets the process's VmHWM to its current RSS (Linux: write 5 to clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


class Server:
    """`rating serve` of a checkout, on a fresh SQLite file and temporary folder, with an officer account."""

    def __init__(self, checkout: Path, work: Path) -> None:
        self.checkout, self.work = checkout, work
        self.tmp = work / "tmp"
        self.tmp.mkdir(parents=True)
        self.port = _free_port()
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'rating.db'}", "TMPDIR": str(self.tmp),
                    "RATING_DOCUMENTS_DIR": str(work / "documents"), "RATING_ATTACHMENTS_DIR": str(work / "att"),
                    "RATING_AUDIT_KEY_FILE": str(work / "audit.key"),
                    "RATING_AUDIT_ANCHOR_FILE": str(work / "anchors.log")}
        rating = str(checkout / ".venv" / "bin" / "rating")
        run = {"cwd": checkout, "env": self.env, "check": True, "capture_output": True}
        subprocess.run([rating, "db", "upgrade"], **run)  # type: ignore[call-overload]
        subprocess.run([rating, "users", "create", "officer", "--role", "officer", "--password", PASSWORD],
                       **run)  # type: ignore[call-overload]
        self.process = subprocess.Popen([rating, "serve", "--port", str(self.port)], cwd=checkout, env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        self.token = self._token()

    def _token(self) -> str:
        body = json.dumps({"username": "officer", "password": PASSWORD}).encode()
        with socket.create_connection(("127.0.0.1", self.port)) as s:
            s.sendall(b"POST /api/v1/auth/token HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                      b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
            answer = b""
            while chunk := s.recv(65536):
                answer += chunk
        return str(json.loads(answer.split(b"\r\n\r\n", 1)[1])["access_token"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def send(server: Server, scenario: Scenario) -> dict[str, float | int | str]:
    """One request; the body streams until the server answers (or all of it is sent)."""
    pid = server.process.pid
    _reset_peak(pid)
    idle_kib = _status_kib(pid, "VmRSS")
    tmp_peak = [0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            tmp_peak[0] = max(tmp_peak[0], _temporary_bytes(pid, server.tmp))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    total = scenario.body_mib * MIB
    lines = [f"POST {scenario.path} HTTP/1.1", "Host: bench", f"Content-Type: {scenario.content_type}",
             "Connection: close"]
    lines.append(f"Content-Length: {total}" if scenario.declared else "Transfer-Encoding: chunked")
    if scenario.as_officer:
        lines.append(f"Authorization: Bearer {server.token}")
    chunk = scenario.head() + b"x" * (MIB - len(scenario.head()))
    filler = b"x" * MIB
    sent = 0
    answer = b""
    started = time.perf_counter()
    answered_at = None
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        s.setblocking(False)
        while True:
            readable, writable, _ = select.select([s], [s] if sent < total else [], [], 30)
            if readable:
                try:
                    data = s.recv(65536)
                except (BlockingIOError, ConnectionResetError):
                    data = b""
                if data and answered_at is None:
                    answered_at = time.perf_counter()
                answer += data
                if not data or answered_at is not None:
                    break
            if writable:
                piece = chunk if sent == 0 else filler
                framed = piece if scenario.declared else f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
                try:
                    s.sendall(framed)
                except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                    if isinstance(sys.exc_info()[1], BlockingIOError):
                        continue
                    break
                sent += len(piece)
                if sent >= total and not scenario.declared:
                    s.setblocking(True)
                    s.sendall(b"0\r\n\r\n")
                    s.setblocking(False)
            if not readable and not writable:
                break
        if answered_at is None:
            s.setblocking(True)
            s.settimeout(120)
            try:
                answer += s.recv(65536)
            except OSError:
                pass
            answered_at = time.perf_counter()
    time.sleep(0.3)
    stop.set()
    watcher.join()
    status = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/") else "closed"
    return {"status": status, "sent_mib": round(sent / MIB, 1),
            "rss_mib": round((_status_kib(pid, "VmHWM") - idle_kib) / 1024, 1),
            "tmp_mib": round(tmp_peak[0] / MIB, 1), "seconds": round(answered_at - started, 2)}


def run(checkout: Path, repeat: int) -> dict[str, list[dict[str, float | int | str]]]:
    """Every scenario ``repeat`` times against one server of the checkout (its peak RSS reset before each)."""
    results: dict[str, list[dict[str, float | int | str]]] = {}
    work = Path(tempfile.mkdtemp(prefix="edge-bench-"))
    server = Server(checkout, work)
    try:
        for _ in range(repeat):
            for scenario in SCENARIOS:
                results.setdefault(scenario.name, []).append(send(server, scenario))
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return results


def median(rows: list[dict[str, float | int | str]], key: str) -> float:
    return statistics.median(float(r[key]) for r in rows)


def table(label: str, results: dict[str, list[dict[str, float | int | str]]]) -> list[str]:
    out = [f"**{label}**", "", "| scenario | status | MiB sent before the answer | server peak RSS above idle, MiB "
           "| temporary files peak, MiB | seconds to the answer |", "|---|---|---:|---:|---:|---:|"]
    for name, rows in results.items():
        statuses = "/".join(sorted({str(r["status"]) for r in rows}))
        out.append(f"| {name} | {statuses} | {median(rows, 'sent_mib'):g} | {median(rows, 'rss_mib'):g} | "
                   f"{median(rows, 'tmp_mib'):g} | {median(rows, 'seconds'):g} |")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code before (with its own .venv)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args(argv)
    machine = machine_info()
    lines = [START, "## edge-bench: what an oversized or anonymous request costs before its answer", "",
             f"Command: `{command_line('bench/edge_bench.py', sys.argv[1:] if argv is None else argv)}` "
             f"({code_version('rating_service')}). Machine: {machine['CPU']}, {machine['nproc']} "
             f"cores, {machine['memory']}, Python {machine['Python']}. Medians of "
             f"{args.repeat} runs against one `rating serve` per checkout (one uvicorn process, SQLite), its peak RSS "
             "reset before each request.", ""]
    if args.baseline:
        lines += table(f"before (`{args.baseline}`)", run(args.baseline, args.repeat)) + [""]
    after = run(REPO_ROOT, args.repeat)
    lines += table("after (this checkout)", after) + ["", END]
    text = "\n".join(lines) + "\n"
    print(text)
    write_section(args.out, text, start=START, end=END)


if __name__ == "__main__":
    main()
