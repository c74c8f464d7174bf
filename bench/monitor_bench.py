"""Monitor benchmark: the running rating (预警) against a cycle compute, and the public build with repairs.

Two measurements (issue 19), every measured call in a fresh subprocess, medians of N runs:

1. ``monitor.service.running(session, today=…)`` + ``monitor.service.sliding(…)`` (the running rating of the period
   to date and the list of sliding companies), side by side with ``cycles.service.compute_cycle`` on a fresh draft
   cycle over the same records and the same period, on
   - the county: the Zongyang demo (the folders ``rating demo`` imports, 2026 included), its 2025 cycle computed
     and publicized, today = 2026-12-03 on the service's simulated clock: running period 2026-01-01 … 2026-12-03;
     SQLite and PostgreSQL;
   - the nation: a ``fixtures/generate.py`` scale data set (default 20,000 companies, 2,000,000 records) loaded
     with ``cycle_bench.py``'s COPY loader into PostgreSQL; the first half of 2025 is the last rated cycle,
     today = 2025-12-31: running period 2025-07-01 … 2025-12-31.
2. ``disclosure.service.build(session, cycle_id)`` of the publicized last cycle without repairs, and with R decided
   repairs (R = 1 % of the rated companies, at least 1; rows inserted directly: a ``repair_decision`` document, the
   request, its records), alternating.

    python bench/monitor_bench.py [--companies 20000] [--records 2000000] [--repeat 3] [--engines sqlite,postgresql]
                                  [--skip-county] [--skip-nation] [--out bench/RESULTS.md] [--profile]

PostgreSQL: database ``rating_bench_monitor`` on 127.0.0.1:5432 (user postgres, created if missing): schema ``county``
(rebuilt on each run) and ``nation_c…_r…_s…`` (the data kept between runs, the cycles rebuilt). Nothing here asserts
on a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
for _path in (str(REPO_ROOT), str(BENCH_DIR)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import cycle_bench  # noqa: E402  (its databases, county import and nation loader)
from benchlib import (  # noqa: E402
    code_version,
    command_line,
    peak_mib,
    reset_peak,
    rss_mib,
    source_digest,
    write_section,
)

WORK_DIR = BENCH_DIR / "out" / "monitor"  # git-ignored
PG_DATABASE = "rating_bench_monitor"
# cycle_bench's helpers read these module globals when called: point them at this benchmark's own database.
cycle_bench.PG_DATABASE = PG_DATABASE
cycle_bench.PG_URL = f"{cycle_bench.PG_SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{PG_DATABASE}"
MARK_START = "<!-- monitor-bench:start -->"
MARK_END = "<!-- monitor-bench:end -->"
RESULT_PREFIX = "BENCH_RESULT "
ACTOR = "bench"
ENGINES = ("sqlite", "postgresql")
# (last rated cycle: name, start, end, notice date; today = the running period's last day)
COUNTY = {"base": ("bench county 2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 15)),
          "today": dt.date(2026, 12, 3)}
NATION = {"base": ("bench nation 2025H1", dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 15)),
          "today": dt.date(2025, 12, 31)}


# -- set-up (not timed) ---------------------------------------------------------------------------------------------

def _first_rules(day: dt.date) -> str:
    from scoring.methodology import methodology_in_force

    return methodology_in_force(day).id


def _create_cycle(database: Any, name: str, start: dt.date, end: dt.date) -> int:
    from rating_service.cycles import service as cycles

    with database.write_session() as session:
        cycle = cycles.create_cycle(session=session, actor=ACTOR, draft=cycles.CycleDraft(
            name, start, end, _first_rules(max(start, dt.date(2025, 1, 1)))))
        return int(cycle.id)


def delete_cycle(database: Any, cycle_id: int) -> None:
    """A bench cycle and every row that points at it (its ratings, unattributed records, jobs, documents…)."""
    from sqlalchemy import text

    from rating_service.models import Base

    with database.write_session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            for fk in table.foreign_keys:
                if fk.column.table.name == "cycles":
                    session.execute(text(f"DELETE FROM {table.name} WHERE {fk.parent.name} = :c"), {"c": cycle_id})
        session.execute(text("DELETE FROM cycles WHERE id = :c"), {"c": cycle_id})


def drop_cycles(database: Any) -> None:
    """Every earlier cycle and repair of the data set (the nation's records are kept)."""
    from sqlalchemy import text

    with database.write_session() as session:
        ids = [int(i) for i in session.execute(text("SELECT id FROM cycles ORDER BY id DESC")).scalars()]
        for table in ("repair_breaches", "repair_attachments", "repair_items", "repair_requests"):
            session.execute(text(f"DELETE FROM {table}"))
    for cycle_id in ids:
        delete_cycle(database, cycle_id)


def base_cycle(database: Any, spec: dict[str, Any]) -> tuple[int, int]:
    """The last rated cycle: computed and publicized on its notice date (simulated clock). (id, rated)."""
    from rating_service import clock
    from rating_service.cycles import service as cycles

    name, start, end, notice = spec["base"]
    cycle_id = _create_cycle(database, name, start, end)
    with clock.simulated(notice):
        cycle = cycles.compute_cycle(database=database, cycle_id=cycle_id, actor=ACTOR)
        with database.write_session() as session:
            cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor=ACTOR, notice_date=notice,
                                   reason="bench")
    return cycle_id, int(cycle.rated or 0)


def setup_county(engine: str, work: Path) -> tuple[dict[str, str], dict[str, Any]]:
    from rating_service import clock
    from rating_service.cli.demo import _demo_folders
    from rating_service.records.service import import_folder

    target = {"engine": engine, "path": str(work / "county.sqlite")} if engine == "sqlite" else \
        {"engine": engine, "schema": "county"}
    cycle_bench._fresh_target(target)
    database = cycle_bench.open_database(target)
    try:
        # The demo imports the 2026 records once their last day has passed: on the simulated day they are.
        with clock.simulated(COUNTY["today"]):
            folders = _demo_folders()
            with database.write_session() as session:
                for folder in folders:
                    import_folder(session, folder=folder, actor=ACTOR)
        base_id, rated = base_cycle(database, COUNTY)
        counts = cycle_bench.table_counts(database)
    finally:
        database.dispose()
    return target, {"counts": counts, "base_id": base_id, "rated": rated,
                    "folders": [str(f.relative_to(REPO_ROOT)) for f in folders]}


def setup_nation(work: Path, companies: int, records: int, seed: int, keep_csv: bool
                 ) -> tuple[dict[str, str], dict[str, Any]]:
    target, info = cycle_bench.setup_nation("postgresql", work, companies, records, seed)
    csv_dir = work / f"nation-{cycle_bench.nation_tag(companies, records, seed)}" / "csv"
    if not keep_csv and csv_dir.exists():
        shutil.rmtree(csv_dir)
    database = cycle_bench.open_database(target)
    try:
        drop_cycles(database)
        base_id, rated = base_cycle(database, NATION)
    finally:
        database.dispose()
    return target, {**info, "base_id": base_id, "rated": rated}


def insert_repairs(database: Any, cycle_id: int, count: int) -> dict[str, int]:
    """``count`` decided repairs of the cycle, black-listed companies first (mark black_list), then the lowest
    scores (mark records): each a repair_decision document, the request (repaired) and its fee violation / major
    event records of the period (up to 3)."""
    from sqlalchemy import text

    from rating_service.notices.models import Document
    from rating_service.repair.models import RepairItem, RepairRequest

    now = dt.datetime.now(dt.UTC)
    with database.write_session() as session:
        period = session.execute(text("SELECT period_start, period_end, methodology_id FROM cycles WHERE id = :c"),
                                 {"c": cycle_id}).one()
        start, end = (dt.date.fromisoformat(str(v)[:10]) for v in period[:2])
        chosen = session.execute(text(
            "SELECT credit_code, black_list FROM ratings WHERE cycle_id = :c "
            "ORDER BY black_list DESC, score, credit_code LIMIT :n"), {"c": cycle_id, "n": count}).all()
        items = 0
        black = 0
        for number, (code, black_list) in enumerate(chosen, start=1):
            found = session.execute(text(
                "SELECT 'fee_violations', record_id, violation_type, decided_on FROM fee_violations "
                "WHERE credit_code = :code AND decided_on BETWEEN :s AND :e "
                "UNION ALL SELECT 'major_events', record_id, kind, occurred_on FROM major_events "
                "WHERE credit_code = :code AND occurred_on BETWEEN :s AND :e ORDER BY 2 LIMIT 3"),
                {"code": code, "s": start, "e": end}).all()
            document = Document(kind="repair_decision", cycle_id=cycle_id, credit_code=code, doc_year=2099,
                                doc_seq=number, doc_number=f"枞住建信修〔bench〕{number}号",
                                verification_code=f"BENCH{number:010d}", issue_date=end + dt.timedelta(days=60),
                                payload="{}", created_at=now, created_by=ACTOR)
            session.add(document)
            session.flush()
            repaired_on = end + dt.timedelta(days=60)
            request = RepairRequest(
                cycle_id=cycle_id, credit_code=code, mark="black_list" if black_list else "records",
                severity="general", methodology_id=period[2], status="repaired", statement="bench",
                conditions="{}", eligibility="{}", publicity_from=end, earliest_on=end, filed_at=now,
                filed_by=ACTOR, filed_on=end + dt.timedelta(days=30), accept_due_on=end + dt.timedelta(days=35),
                accepted_on=end + dt.timedelta(days=31), accepted_by=ACTOR, decide_due_on=repaired_on,
                verification_note="bench", decided_at=now, decided_on=repaired_on, decided_by=ACTOR,
                repaired_on=repaired_on, commitment_until=repaired_on + dt.timedelta(days=365),
                commitment_signed_at=now, commitment_payload="{}", decision_document_id=document.id)
            session.add(request)
            session.flush()
            for kind, record_id, subtype, day in found:
                session.add(RepairItem(request_id=request.id, kind=kind, record_id=record_id, subtype=subtype,
                                       record_date=dt.date.fromisoformat(str(day)[:10])))
            items += len(found)
            black += bool(black_list)
    return {"repairs": len(chosen), "items": items, "black_list": black}


def delete_repairs(database: Any) -> None:
    from sqlalchemy import text

    with database.write_session() as session:
        session.execute(text("DELETE FROM repair_items"))
        session.execute(text("DELETE FROM repair_requests"))
        session.execute(text("DELETE FROM documents WHERE kind = 'repair_decision' AND doc_year = 2099"))


# -- one measured call per subprocess -------------------------------------------------------------------------------

def _profiled(spec: dict[str, Any], call: Any) -> tuple[Any, float, str | None]:
    """Run ``call()`` timed (under cProfile when the spec asks), returning its result, seconds and the listing."""
    profiler = None
    if spec.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    value = call()
    seconds = time.perf_counter() - start
    if profiler is None:
        return value, seconds, None
    profiler.disable()
    import pstats

    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    return value, seconds, buffer.getvalue()


def child(spec: dict[str, Any]) -> dict[str, Any]:
    import pandas  # noqa: F401  (imported before the timer, as a running service has it)
    from sqlalchemy import text

    from rating_service import clock
    from rating_service.cycles import service as cycles
    from rating_service.disclosure import service as disclosure
    from rating_service.monitor import service as monitor

    database = cycle_bench.open_database(spec["target"])
    with database.read_session() as session:  # connect before the timer
        session.execute(text("SELECT 1"))
    rss_start = rss_mib()
    reset_peak()
    out: dict[str, Any] = {"rss_start_mib": rss_start}
    today = dt.date.fromisoformat(spec["today"])
    with clock.simulated(today):
        if spec["what"] == "running":
            def call() -> tuple[Any, Any, float]:
                with database.read_session() as session:
                    current = monitor.running(session, today=today)
                    began = time.perf_counter()
                    slide = monitor.sliding(current)
                    return current, slide, time.perf_counter() - began
            (current, slide, sliding_s), seconds, listing = _profiled(spec, call)
            out.update(rated=len(current.result.companies), sliding=len(slide), running_s=current.seconds,
                       sliding_s=sliding_s, period=[current.period.start.isoformat(), current.period.end.isoformat()],
                       grades=current.result.companies["grade"].value_counts().sort_index().to_dict(),
                       watermark=current.watermark)
        elif spec["what"] == "compute":
            def call() -> Any:
                return cycles.compute_cycle(database=database, cycle_id=spec["cycle_id"], actor=ACTOR)
            cycle, seconds, listing = _profiled(spec, call)
            out.update(rated=int(cycle.rated or 0), period=[cycle.period_start.isoformat(),
                                                             cycle.period_end.isoformat()])
            with database.read_session() as session:
                grades = session.execute(text("SELECT grade, count(*) FROM ratings WHERE cycle_id = :c GROUP BY grade"),
                                         {"c": spec["cycle_id"]}).all()
            out["grades"] = {str(g): int(n) for g, n in sorted(grades)}
        else:  # disclosure
            def call() -> Any:
                with database.read_session() as session:
                    return disclosure.build(session, spec["cycle_id"])
            built, seconds, listing = _profiled(spec, call)
            out.update(rated=len(built.ratings), with_repairs=sum(1 for r in built.ratings if r.repairs),
                       black_list=sum(1 for r in built.ratings if r.black_list),
                       left_black_list=sum(1 for r in built.ratings if r.listed_black and not r.black_list))
    out.update(seconds=seconds, peak_rss_mib=peak_mib())
    database.dispose()
    if listing is not None:
        Path(spec["profile"]).write_text(f"cProfile of one {spec['what']} run ({spec['target']['engine']}), "
                                         f"{seconds:.2f} s under the profiler\n\n{listing}")
    return out


def run_child(spec: dict[str, Any]) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=7200)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"{spec['what']} run failed (exit {done.returncode})")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX):])
    return result


# -- the measurements ----------------------------------------------------------------------------------------------

def measure_monitor(target: dict[str, str], today: dt.date, start: dt.date, repeat: int, work: Path,
                    label: str, profile: bool) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """``repeat`` pairs (running, compute), the order alternating; the compute's fresh draft cycle is deleted right
    after its run (a computed cycle ending today would be the last rated one, and the running period empty)."""
    runs: list[dict[str, Any]] = []
    base = {"target": target, "today": today.isoformat()}

    def compute(rep: int, profile_path: Path | None = None) -> dict[str, Any]:
        database = cycle_bench.open_database(target)
        try:
            cycle_id = _create_cycle(database, f"bench running period #{rep}", start, today)
        finally:
            database.dispose()
        try:
            return run_child({**base, "what": "compute", "cycle_id": cycle_id,
                              "profile": str(profile_path) if profile_path else None})
        finally:
            database = cycle_bench.open_database(target)
            try:
                delete_cycle(database, cycle_id)
            finally:
                database.dispose()

    for rep in range(repeat):
        if rep % 2 == 0:
            running = run_child({**base, "what": "running"})
            computed = compute(rep)
        else:
            computed = compute(rep)
            running = run_child({**base, "what": "running"})
        runs.append({"running": running, "compute": computed})
        print(f"  {label} run {rep + 1}/{repeat}: running+sliding {running['seconds']:.2f} s "
              f"({running['peak_rss_mib']:,.0f} MiB, {running['rated']} rated, {running['sliding']} sliding), "
              f"compute {computed['seconds']:.2f} s ({computed['peak_rss_mib']:,.0f} MiB)", flush=True)
    profiles: dict[str, str] = {}
    if profile:
        path = work / f"profile-running-{label.replace(' ', '-')}.txt"
        result = run_child({**base, "what": "running", "profile": str(path)})
        profiles["running"] = f"`{_shown(path)}` ({result['seconds']:.2f} s under the profiler)"
        path = work / f"profile-compute-{label.replace(' ', '-')}.txt"
        result = compute(repeat, path)
        profiles["compute"] = f"`{_shown(path)}` ({result['seconds']:.2f} s under the profiler)"
    return runs, profiles


def measure_disclosure(target: dict[str, str], cycle_id: int, rated: int, today: dt.date, repeat: int,
                       label: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    count = max(1, round(rated / 100))
    base = {"target": target, "today": today.isoformat(), "what": "disclosure", "cycle_id": cycle_id}
    runs: list[dict[str, Any]] = []
    inserted: dict[str, int] = {}

    def with_repairs() -> dict[str, Any]:
        nonlocal inserted
        database = cycle_bench.open_database(target)
        try:
            inserted = insert_repairs(database, cycle_id, count)
        finally:
            database.dispose()
        try:
            return run_child(base)
        finally:
            database = cycle_bench.open_database(target)
            try:
                delete_repairs(database)
            finally:
                database.dispose()

    for rep in range(repeat):
        if rep % 2 == 0:
            plain = run_child(base)
            repaired = with_repairs()
        else:
            repaired = with_repairs()
            plain = run_child(base)
        runs.append({"plain": plain, "repairs": repaired})
        print(f"  {label} disclosure run {rep + 1}/{repeat}: without {plain['seconds']:.3f} s, with "
              f"{inserted.get('repairs', 0)} repairs {repaired['seconds']:.3f} s", flush=True)
    return runs, inserted


# -- report ---------------------------------------------------------------------------------------------------------

def _med(values: Sequence[float], fmt: str = ".2f") -> str:
    return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def render(monitor: dict[str, list[dict[str, Any]]], disclosure: dict[str, list[dict[str, Any]]],
           setups: dict[str, dict[str, Any]], repairs: dict[str, dict[str, int]], profiles: dict[str, dict[str, str]],
           *, command: str, info: dict[str, str], started: dt.datetime, code: str, nation_args: dict[str, int]) -> str:
    lines = [
        MARK_START,
        "## monitor-bench: the running rating (预警) and the public build with repairs (issue 19)",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Command: `{command}`",
        f"- Code: {code}",
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
    ]
    county = next((s for key, s in setups.items() if key.startswith("county")), None)
    if county is not None:
        lines.append(
            f"- County: the Zongyang demo, the folders `rating demo` imports ({', '.join(county['folders'])}; "
            f"`records.service.import_folder`): {cycle_bench._data_line(county['counts'])}. Last rated cycle: 2025 "
            f"(computed and publicized on 2026-01-15, {county['rated']} rated). Today = {COUNTY['today']} "
            "(`rating_service.clock.simulated`): running period 2026-01-01 … 2026-12-03.")
    if "nation postgresql" in setups:
        nation = setups["nation postgresql"]
        lines.append(
            f"- Nation: `fixtures/generate.py` scale mode (`--companies {nation_args['companies']} --records "
            f"{nation_args['records']} --seed {nation_args['seed']}`), loaded into PostgreSQL with "
            f"`cycle_bench.py`'s `COPY … FROM STDIN` loader"
            + (" (kept from an earlier run)" if nation.get("cached") else f" in {nation.get('load_s', 0):.0f} s")
            + f": {cycle_bench._data_line(nation['counts'])}. Last rated cycle: 2025-01-01 … 2025-06-30 (computed "
            f"and publicized on 2025-07-15, {nation['rated']:,} rated). Today = {NATION['today']}: running period "
            "2025-07-01 … 2025-12-31.")
    lines += [
        "- Every measured call is a fresh subprocess (imports and the database connection first, then the RSS "
        "high-water mark is reset; peak RSS = VmHWM of that client process, the PostgreSQL server not included). "
        "**running** = one read session: `monitor.service.running(session, today=…)` (read the snapshot at the "
        "current import batch, rate) + `monitor.service.sliding(current)`. **compute** = `cycles.service."
        "compute_cycle` of a fresh draft cycle over the same period (snapshot, select, score, explain, store the "
        "ratings, commit); the cycle is deleted after its run. The order of the two alternates per repetition. "
        "Ratio = median of the per-repetition running/compute ratios.",
        "",
        "| data | engine | runs | running s, median (min–max) | of which sliding() s | running peak RSS MiB | "
        "compute s, median (min–max) | compute peak RSS MiB | running / compute | rated | sliding |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, runs in monitor.items():
        data, engine = key.split(" ")
        r = [x["running"] for x in runs]
        c = [x["compute"] for x in runs]
        ratios = [x["running"]["seconds"] / x["compute"]["seconds"] for x in runs]
        lines.append(
            f"| {data} | {engine} | {len(runs)} | {_med([x['seconds'] for x in r])} | "
            f"{statistics.median(x['sliding_s'] for x in r):.3f} | {_med([x['peak_rss_mib'] for x in r], ',.0f')} | "
            f"{_med([x['seconds'] for x in c])} | {_med([x['peak_rss_mib'] for x in c], ',.0f')} | "
            f"{statistics.median(ratios):.2f} | {r[0]['rated']:,} | {r[0]['sliding']:,} |")
    lines.append("")
    for key, runs in monitor.items():
        first = runs[0]
        same = first["running"]["grades"] == first["compute"]["grades"] and \
            first["running"]["rated"] == first["compute"]["rated"]
        lines.append(f"- {key}: running period {' … '.join(first['running']['period'])}; grades running "
                     f"{first['running']['grades']}, compute {first['compute']['grades']} — "
                     + ("the same companies and grade counts." if same else "**they differ**."))
    lines += [
        "",
        "Public build: `disclosure.service.build(session, cycle_id)` of the publicized last rated cycle, in one read "
        "session, without repairs and with R decided repairs (R = 1 % of the rated companies, at least 1: "
        "black-listed companies first with mark `black_list`, then the lowest scores with mark `records`; each a "
        "`repair_decision` document, a `repaired` request and up to 3 of its fee-violation / major-event records "
        "of the period; rows inserted directly before the run, deleted after it). Order alternating.",
        "",
        "| data | engine | runs | companies | repairs (black list / records items) | without s, median (min–max) | "
        "with s, median (min–max) | with / without | peak RSS MiB without / with |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, runs in disclosure.items():
        data, engine = key.split(" ")
        p = [x["plain"] for x in runs]
        w = [x["repairs"] for x in runs]
        ratios = [x["repairs"]["seconds"] / x["plain"]["seconds"] for x in runs]
        made = repairs[key]
        lines.append(
            f"| {data} | {engine} | {len(runs)} | {p[0]['rated']:,} | {made['repairs']:,} ({made['black_list']:,} / "
            f"{made['items']:,}) | {_med([x['seconds'] for x in p], '.3f')} | {_med([x['seconds'] for x in w], '.3f')} "
            f"| {statistics.median(ratios):.2f} | {statistics.median(x['peak_rss_mib'] for x in p):,.0f} / "
            f"{statistics.median(x['peak_rss_mib'] for x in w):,.0f} |")
    lines.append("")
    for key, runs in disclosure.items():
        w = runs[0]["repairs"]
        lines.append(f"- {key}: with repairs the build shows {w['with_repairs']:,} companies with a repair, "
                     f"{w['left_black_list']:,} taken off the black list ({runs[0]['plain']['black_list']:,} on it "
                     f"without repairs, {w['black_list']:,} with).")
    for key, listed in profiles.items():
        for what, where in listed.items():
            lines.append(f"- Profile ({key}, {what}): {where}.")
    lines += ["", "All runs (seconds: running / compute; disclosure without / with):", ""]
    for key, runs in monitor.items():
        lines.append(f"- {key}: " + ", ".join(f"{x['running']['seconds']:.2f} / {x['compute']['seconds']:.2f}"
                                              for x in runs)
                     + ("; disclosure " + ", ".join(f"{x['plain']['seconds']:.3f} / {x['repairs']['seconds']:.3f}"
                                                   for x in disclosure[key]) if key in disclosure else ""))
    lines.append(MARK_END)
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--companies", type=int, default=20_000, help="nation: companies")
    parser.add_argument("--records", type=int, default=2_000_000, help="nation: event records over all kinds")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--engines", default="sqlite,postgresql", help="county: engines")
    parser.add_argument("--skip-county", action="store_true")
    parser.add_argument("--skip-nation", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md",
                        help="Markdown file whose monitor-bench section is replaced")
    parser.add_argument("--work", type=Path, default=WORK_DIR, help="folder for CSVs, SQLite files and profiles")
    parser.add_argument("--keep-csv", action="store_true", help="keep the generated nation CSVs after loading them")
    parser.add_argument("--profile", action="store_true",
                        help="one extra running and compute run per data set under cProfile (WORK/profile-*.txt)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(RESULT_PREFIX + json.dumps(child(json.loads(args.child))), flush=True)
        return 0
    engines = [e for e in args.engines.split(",") if e] if not args.skip_county else []
    if set(engines) - set(ENGINES):
        parser.error("engines are sqlite and/or postgresql")
    if min(args.companies, args.records, args.repeat) < 1:
        parser.error("--companies, --records and --repeat must be at least 1")
    if not engines and args.skip_nation:
        parser.error("nothing to run")
    started = dt.datetime.now(dt.UTC)
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    code = code_version("rating_service") + f"; source digest rating_service/ {source_digest('rating_service')}"
    monitor: dict[str, list[dict[str, Any]]] = {}
    disclosure: dict[str, list[dict[str, Any]]] = {}
    setups: dict[str, dict[str, Any]] = {}
    repairs: dict[str, dict[str, int]] = {}
    profiles: dict[str, dict[str, str]] = {}
    plan: list[tuple[str, dict[str, Any]]] = [(f"county {e}", COUNTY) for e in engines]
    if not args.skip_nation:
        plan.append(("nation postgresql", NATION))
    for key, spec in plan:
        data, engine = key.split(" ")
        print(f"{key}: setting up …", flush=True)
        if data == "county":
            target, setup = setup_county(engine, work)
        else:
            target, setup = setup_nation(work, args.companies, args.records, args.seed, args.keep_csv)
        setups[key] = setup
        running_start = spec["base"][2] + dt.timedelta(days=1)
        monitor[key], found = measure_monitor(target, spec["today"], running_start, args.repeat, work, key,
                                              args.profile)
        if found:
            profiles[key] = found
        disclosure[key], repairs[key] = measure_disclosure(target, setup["base_id"], setup["rated"], spec["today"],
                                                           args.repeat, key)
    (work / "last-results.json").write_text(json.dumps({"monitor": monitor, "disclosure": disclosure,
                                                        "setups": setups, "repairs": repairs}, default=str))
    section = render(monitor, disclosure, setups, repairs, profiles,
                     command=command_line("bench/monitor_bench.py", argv),
                     info=cycle_bench.full_machine_info(["postgresql"] if any("postgresql" in k for k, _ in plan)
                                                        else []),
                     started=started, code=code,
                     nation_args={"companies": args.companies, "records": args.records, "seed": args.seed})
    write_section(args.out, section, start=MARK_START, end=MARK_END)
    print()
    print(section)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
