"""Intake benchmark (issue 18): a raw 12345 export of 100,000 tickets imported and matched into a fresh database,
and the triage classifier trained on 50,000 confirmed tickets.

- **import**: `fixtures/hotline.py` writes the export (XLSX, cached in `bench/out/intake/`); each run is a fresh
  subprocess on a fresh database (migrated, Zongyang's companies, communities and contracts, and the directory's
  names; untimed), then the timed part: the file's bytes through
  `intake.service.import_file(kind="hotline")` (read, check, redact, match, triage with the model, store)
  and the commit. Peak memory is the subprocess's high-water mark (VmHWM, reset after the setup; `ru_maxrss`
  where it cannot be reset).
- **train**: `intake.triage.train` on the redacted texts of a generated confirmed history (categories and
  relevance from the generator's truth), in a fresh subprocess too.

Targets (issue 18): import ≤ 60 s and ≤ 1 GB. Nothing asserts a time; the numbers go to `bench/RESULTS.md` (its
own section, the others kept) as medians with their spread.

    make bench                                        # runs it with the others (INTAKE_BENCH_ARGS)
    .venv/bin/python bench/bench_intake.py --quick --out bench/out/intake-quick.md
    .venv/bin/python bench/bench_intake.py --tickets 100000 --train 50000 --repeat 3 --engines sqlite,postgresql
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent))

import benchlib  # noqa: E402

REPO_ROOT = benchlib.REPO_ROOT
DEFAULT_WORK = BENCH_DIR / "out" / "intake"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "rating_bench_intake"
START, END = "<!-- intake-bench:start -->", "<!-- intake-bench:end -->"
REFERENCE = ("companies", "communities", "contracts")
SEED_EXPORT, SEED_HISTORY = 2026, 2025
TARGET_SECONDS, TARGET_MIB = 60.0, 1024.0


# -- data (cached) -------------------------------------------------------------------------------------------

def export_path(work: Path, tickets: int) -> Path:
    path = work / f"12345-{tickets}.xlsx"
    if not path.exists():
        from fixtures import hotline

        print(f"generating a {tickets:,}-ticket export…", flush=True)
        hotline.write_xlsx(path, hotline.generate(SEED_EXPORT, tickets=tickets, year=2026).rows)
    return path


def history_path(work: Path, tickets: int) -> Path:
    path = work / f"history-{tickets}.pickle"
    if not path.exists():
        from fixtures import hotline
        from rating_service.intake.redact import redact

        print(f"generating {tickets:,} confirmed tickets…", flush=True)
        generated = hotline.generate(SEED_HISTORY, tickets=tickets, year=2025, history=True)
        texts = [redact(row.get("诉求内容") or "").text for row in generated.rows]
        categories = [t.get("诉求类别") or None for t in generated.truth]
        relevant = [t.get("是否物业服务类") == "是" for t in generated.truth]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps((texts, categories, relevant)))
    return path


# -- databases ----------------------------------------------------------------------------------------------

def database_url(engine: str, work: Path) -> str:
    if engine == "sqlite":
        return f"sqlite:///{work / 'db' / 'intake_bench.sqlite'}"
    return f"{PG_SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{PG_DATABASE}"


def fresh_database(engine: str, work: Path) -> Any:
    """A migrated database holding Zongyang's reference data, the directory's names and a triage model trained on
    the demo's confirmed 2025 history (as the demo leaves it), so that the timed import also suggests categories."""
    import csv

    from rating_service import migrate
    from rating_service.db import Database
    from rating_service.intake import directory, training
    from rating_service.intake import service as intake
    from rating_service.records.formats import KINDS
    from rating_service.records.service import UploadedFile, import_files
    from rating_service.settings import Settings

    if engine == "sqlite":
        path = work / "db" / "intake_bench.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,)).fetchone():
                conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        with psycopg.connect(f"{PG_SERVER}/{PG_DATABASE}", autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")
    db = Database(Settings(database_url=database_url(engine, work)))
    migrate.upgrade(db)
    data = REPO_ROOT / "fixtures" / "zongyang"
    with db.write_session() as session:
        for name in REFERENCE:
            import_files(session, kind=KINDS[name], files=[UploadedFile.from_path(data / f"{name}.csv")],
                         actor="bench-setup")
            session.flush()
        names = data / "intake" / "community_names.csv"
        with names.open(encoding="utf-8-sig") as handle:
            directory.import_names(session, rows=list(csv.DictReader(handle)), actor="bench-setup")
        history = UploadedFile.from_path(data / "intake" / "12345-2025-history.xlsx")
        intake.import_file(session, kind="hotline", upload=history, actor="bench-setup", history=True)
        training.train_from_confirmed(session, actor="bench-setup")
    return db


# -- one timed run per subprocess ---------------------------------------------------------------------------

def child_import(engine: str, work: Path, export: Path) -> dict[str, Any]:
    from rating_service.intake import service as intake
    from rating_service.records.service import UploadedFile

    db = fresh_database(engine, work)
    upload = UploadedFile(export.name, export.read_bytes())
    reset = benchlib.reset_peak()
    stages: dict[str, float] = {}
    began = time.perf_counter()
    since, current = [began], [""]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if stage != current[0]:
            if current[0]:
                stages[current[0]] = stages.get(current[0], 0.0) + now - since[0]
            since[0], current[0] = now, stage

    try:
        with db.write_session() as session:
            summary = intake.import_file(session, kind="hotline", upload=upload, actor="bench", progress=progress)
            progress("storing", 0, 0)  # what follows the last stage the service names: storing the rows
        progress("commit", 0, 0)
        progress("", 0, 0)
        seconds = time.perf_counter() - began
    finally:
        db.dispose()
    return {"seconds": seconds, "peak_mib": benchlib.peak_mib(), "peak_reset": reset, "inserted": summary.inserted,
            "proposed": summary.proposed, "review": summary.review, "redactions": summary.redactions,
            "stages": stages}


def child_train(history: Path) -> dict[str, Any]:
    from rating_service.intake import triage

    texts, categories, relevant = pickle.loads(history.read_bytes())
    reset = benchlib.reset_peak()
    began = time.perf_counter()
    _model, metrics = triage.train(texts, categories, relevant, seed=0)
    seconds = time.perf_counter() - began
    macro = metrics.get("macro_f1") if isinstance(metrics, dict) else None
    return {"seconds": seconds, "peak_mib": benchlib.peak_mib(), "peak_reset": reset, "samples": len(texts),
            "macro_f1": macro}


def run_child(args: list[str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=3600,
                          env={**os.environ, "RATING_ENVIRONMENT": "development"})
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed ({' '.join(args)}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the report ---------------------------------------------------------------------------------------------

def _spread(values: list[float], fmt: str) -> tuple[str, str]:
    return format(statistics.median(values), fmt), f"{format(min(values), fmt)}–{format(max(values), fmt)}"


def render(results: dict[str, list[dict[str, Any]]], *, command: str, tickets: int, train: int) -> str:
    info = benchlib.machine_info()
    lines = [START, "## intake — import and match a 100,000-ticket 12345 export; train the triage model", "",
             f"Command: `{command}`  ", f"Code: {benchlib.code_version('rating_service')}  ",
             "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), "",
             f"Each run is a fresh subprocess; import runs start from a fresh database (reference data, "
             f"the directory's names, a triage model trained on the demo's 2025 history: the timed import matches "
             f"and triages every ticket). "
             f"Targets: import ≤ {TARGET_SECONDS:.0f} s and ≤ {TARGET_MIB:.0f} MiB.", "",
             "| measurement | engine | items | runs | median s | min–max s | median peak MiB | min–max MiB | target |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for name, runs in results.items():
        measure, engine = name.split(":")
        seconds, seconds_range = _spread([r["seconds"] for r in runs], ".1f")
        peak, peak_range = _spread([r["peak_mib"] for r in runs], ".0f")
        items = tickets if measure == "import" else train
        met = ""
        if measure == "import":
            ok = statistics.median([r["seconds"] for r in runs]) <= TARGET_SECONDS and \
                statistics.median([r["peak_mib"] for r in runs]) <= TARGET_MIB
            met = "met" if ok else "**missed**"
        lines.append(f"| {measure} | {engine} | {items:,} | {len(runs)} | {seconds} | {seconds_range} | {peak} | "
                     f"{peak_range} | {met} |")
    lines.append("")
    for name, runs in results.items():
        if name.startswith("import:") and runs[0].get("stages"):
            stages = {k: statistics.median([r["stages"].get(k, 0.0) for r in runs]) for k in runs[0]["stages"]}
            first = runs[0]
            lines.append(f"- {name.split(':')[1]} import stages (median s, from the service's progress calls): "
                         + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
                         + f"; proposed {first['proposed']:,}, review {first['review']:,}, "
                           f"redactions {first['redactions']:,}")
        if name.startswith("train:") and runs[0].get("macro_f1") is not None:
            lines.append(f"- training: held-out macro-F1 {runs[0]['macro_f1']:.3f}")
    lines += ["", END, ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--tickets", type=int, default=100_000, help="tickets in the export (default 100,000)")
    parser.add_argument("--train", type=int, default=50_000, help="confirmed tickets to train on (default 50,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--engines", default="sqlite,postgresql", help="sqlite,postgresql (default both)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 2,000 tickets, 1,000 to train, one run, SQLite only")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md", help="results file (its section)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="generated data and the SQLite file")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, *rest = args.child
        if mode == "import":
            result = child_import(rest[0], Path(rest[1]), Path(rest[2]))
        else:
            result = child_train(Path(rest[0]))
        print(json.dumps(result))
        return 0
    if args.quick:
        args.tickets, args.train, args.repeat, args.engines = 2_000, 1_000, 1, "sqlite"
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    export = export_path(work, args.tickets)
    history = history_path(work, args.train)
    results: dict[str, list[dict[str, Any]]] = {}
    for engine in engines:
        for run in range(args.repeat):
            print(f"[{engine}] import {args.tickets:,} tickets, run {run + 1}/{args.repeat}…", flush=True)
            result = run_child(["import", engine, str(work), str(export)])
            print(f"  {result['seconds']:.1f} s, peak {result['peak_mib']:.0f} MiB, {result['inserted']:,} stored",
                  flush=True)
            results.setdefault(f"import:{engine}", []).append(result)
    for run in range(args.repeat):
        print(f"train on {args.train:,} confirmed tickets, run {run + 1}/{args.repeat}…", flush=True)
        result = run_child(["train", str(history)])
        print(f"  {result['seconds']:.1f} s, peak {result['peak_mib']:.0f} MiB", flush=True)
        results.setdefault("train:-", []).append(result)
    command = benchlib.command_line("bench/bench_intake.py", argv)
    benchlib.write_section(args.out, render(results, command=command, tickets=args.tickets, train=args.train),
                           start=START, end=END)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
