"""Notice rendering benchmark: PDF notices with WeasyPrint, pooled and in one process, against a naive baseline.

Renders the real notices of the Zongyang demo (``rating demo`` into a temporary SQLite database, cycle 1 publicized
with ``cycles.publicize_cycle``, the stored payloads read back with ``reports.model.from_payload``; rendering is
not part of publicizing here) with the real entry points of ``reports``:

- demo: the 18 notices with ``render_many(processes=P)``, timed from the call (pool start included) to the last PDF;
- batch: N notices (default 1,000: the 18 cycled through, each copy with its own document number, verification
  code and company name, so every PDF differs) with ``render_many(processes=P)``; peak RSS of the parent and of
  the workers (``RUSAGE_CHILDREN``: the largest worker);
- single: ``render_many(processes=1)`` on a warm renderer (one notice rendered before the timer): steady state;
- naive baseline: the same HTML (``reports.renderer().html``), but the system Noto Serif CJK SC instead of the
  shipped subsets (no ``@font-face``) and a new ``FontConfiguration`` and ``CSS`` for every notice, in one process
  (one untimed warm-up render first); same PDF variant (PDF/A-3b) and options;
- first notice: ``python -c`` in a fresh interpreter, ``time.perf_counter()`` first, then ``import reports``,
  ``import weasyprint``, ``reports.renderer()`` and one ``reports.render``; and ``python -c pass`` for the
  interpreter's own start-up.

Every measured run is a fresh subprocess; the scenarios are interleaved, so the ratio of the batch rate to the
naive rate is measured side by side. When a target is missed (or with ``--profile``) one more subprocess profiles
a render with cProfile and the report says where the time goes.

    python bench/notice_bench.py [--notices 1000] [--processes 2] [--repeat 5] [--batch-repeat 3]
                                 [--naive-sample 40] [--single-sample 60] [--out bench/RESULTS.md] [--profile]
    python bench/notice_bench.py --quick --out bench/out/quick.md     # tiny sizes, one run each: a smoke test

Timings on shared machines are noisy: the report gives medians, min-max spreads and the load average around
each run. Nothing here asserts on a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
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
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchlib import (  # noqa: E402  (bench/ is the script's own folder)
    code_version,
    command_line,
    machine_info,
    peak_mib,
    reset_peak,
    rss_mib,
    source_digest,
    write_section,
)

WORK_DIR = BENCH_DIR / "out" / "notice"  # git-ignored: the demo database, the pickled notices, profiles
MARK_START = "<!-- notice-bench:start -->"
MARK_END = "<!-- notice-bench:end -->"
RESULT_PREFIX = "BENCH_RESULT "
TARGET_RATE = 15.0  # notices/s, the batch with the pool
TARGET_RATIO = 3.0  # batch rate / naive rate
TARGET_FIRST_S = 1.5  # first notice in a fresh process, from the interpreter's first statement
CYCLE_ID = 1
ACTOR = "bench"
NAIVE_FAMILY = '"Noto Serif CJK SC", serif'
STEADY_MIN = 100  # notices in a pool run before its steady rate is shown
QUICK = {"notices": 19, "repeat": 1, "batch_repeat": 1, "naive_sample": 1, "single_sample": 2}

# The first notice, in a fresh interpreter: argv[1] is the pickled notices.
FIRST_CODE = """\
import time
t0 = time.perf_counter()
import reports
t1 = time.perf_counter()
import json, pickle, sys
with open(sys.argv[1], "rb") as handle:
    notice = pickle.load(handle)[0]
t2 = time.perf_counter()
import weasyprint
t3 = time.perf_counter()
reports.renderer()
t4 = time.perf_counter()
pdf = reports.render(notice)
t5 = time.perf_counter()
print("BENCH_RESULT " + json.dumps({"import_reports_s": t1 - t0, "load_s": t2 - t1, "import_weasyprint_s": t3 - t2,
      "renderer_s": t4 - t3, "first_pdf_s": t5 - t4, "bytes": len(pdf)}))
"""


# -- the notices: the demo's, read back from their stored payloads -------------------------------------

def _rating_command() -> list[str]:
    script = Path(sys.executable).parent / "rating"
    return [str(script)] if script.exists() else [sys.executable, "-m", "rating_service.cli"]


def prepare(work: Path, count: int) -> dict[str, Any]:
    """The demo in a fresh SQLite database, cycle 1 publicized; pickles its notices (18) and a batch of ``count``."""
    demo = work / "demo"
    if demo.exists():
        shutil.rmtree(demo)
    demo.mkdir(parents=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{demo / 'demo.sqlite'}",
           "RATING_DOCUMENTS_DIR": str(demo / "documents"), "RATING_RENDER_ON_PUBLICIZE": "false"}
    for args in (["db", "upgrade"], ["demo"]):
        done = subprocess.run([*_rating_command(), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                              timeout=600)
        if done.returncode != 0:
            raise SystemExit(f"`rating {' '.join(args)}` failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    spec = {"task": "prepare", "work": str(work), "count": count}
    return run_child(spec, env=env)


def _variant(notice: Any, copy: int, count_per_copy: int) -> Any:
    """Copy ``copy`` (0: the notice itself) of a notice: its own number, verification code and company name."""
    import hashlib
    import re
    from dataclasses import replace

    from rating_service.notices.service import CODE_ALPHABET

    if copy == 0:
        return notice
    seq = re.search(r"(\d+)号$", notice.doc_number)
    number = int(seq.group(1)) if seq else 0
    doc_number = (notice.doc_number[:seq.start(1)] if seq else notice.doc_number) + \
        f"{number + copy * count_per_copy}号"
    digest = hashlib.sha256(f"{notice.verification_code}|{copy}".encode()).digest()
    raw = "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:12])
    code = "-".join(raw[i:i + 4] for i in range(0, 12, 4))
    return replace(notice, doc_number=doc_number, verification_code=code,
                   company_name=f"{notice.company_name}枞阳第{copy}分公司")


def child_prepare(spec: dict[str, Any]) -> dict[str, Any]:
    import pickle

    from rating_service.cycles import service as cycles
    from rating_service.db import get_database
    from rating_service.notices import repository
    from reports.model import Notice, from_payload

    database = get_database()
    with database.write_session() as session:
        # Dated the day of the run: a notice date is never before the day of publicizing.
        cycle = cycles.publicize_cycle(session=session, cycle_id=CYCLE_ID, actor=ACTOR)
        cycle_name = cycle.name
        notice_date = cycle.notice_date.isoformat() if cycle.notice_date else "-"
    with database.read_session() as session:
        documents, total = repository.list_documents(session, cycle_id=CYCLE_ID)
        kinds = [d.kind for d in documents]
        notices = [from_payload(json.loads(d.payload)) for d in documents if d.kind == "notice"]
    database.dispose()
    if not notices or not all(isinstance(n, Notice) for n in notices):
        raise SystemExit(f"expected notices in cycle {CYCLE_ID}, found {kinds}")
    count = spec["count"]
    batch = [_variant(notices[i % len(notices)], i // len(notices), len(notices)) for i in range(count)]
    for key in ("doc_number", "verification_code"):
        if len({getattr(n, key) for n in batch}) != count:
            raise SystemExit(f"the batch's {key}s are not distinct")
    work = Path(spec["work"])
    with open(work / "demo-notices.pickle", "wb") as handle:
        pickle.dump(notices, handle)
    with open(work / "batch-notices.pickle", "wb") as handle:
        pickle.dump(batch, handle)
    return {"documents": total, "kinds": {k: kinds.count(k) for k in sorted(set(kinds))}, "notices": len(notices),
            "batch": len(batch), "cycle_name": cycle_name, "notice_date": notice_date,
            "langs": sorted({n.lang for n in notices}),
            "versions": _render_versions()}


def _render_versions() -> dict[str, str]:
    import pydyf
    import weasyprint
    from weasyprint.text.ffi import pango

    version = pango.pango_version()
    out = {"WeasyPrint": weasyprint.__version__, "pydyf": pydyf.__version__,
           "Pango": f"{version // 10000}.{version // 100 % 100}.{version % 100}"}
    for label, package in (("HarfBuzz", "libharfbuzz0b"), ("fontconfig", "libfontconfig1")):
        try:
            done = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True,
                                  timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0 and done.stdout:
            out[label] = done.stdout.split("-")[0]
    return out


# -- the measured runs, one per subprocess ----------------------------------------------------------------

def _load(path: str) -> list[Any]:
    import pickle

    with open(path, "rb") as handle:
        return list(pickle.load(handle))


def _cpu_seconds(children: bool = False) -> float:
    times = os.times()
    return times.children_user + times.children_system if children else times.user + times.system


def _loadavg() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


def _fonts_in(pdf: bytes) -> list[str]:
    """The embedded fonts' names (without the subset tag) and the page count, to show what a path drew with.

    Read with pypdf (a dev dependency: WeasyPrint compresses the object streams); without it, "?".
    """
    try:
        import io

        from pypdf import PdfReader
    except ImportError:
        return ["?"]
    reader = PdfReader(io.BytesIO(pdf))
    names: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for font in (fonts.get_object().values() if fonts is not None else ()):
            names.add(str(font.get_object().get("/BaseFont", "?")).lstrip("/").split("+", 1)[-1])
    return [*sorted(names), f"{len(reader.pages)} pages"]


def child_pool(spec: dict[str, Any]) -> dict[str, Any]:
    """``render_many(documents, processes=P)`` from the call to the last PDF (pool start and worker set-up included)."""
    import importlib

    import reports

    render_module = importlib.import_module("reports.render")  # the module (`reports.render` is the function)
    documents = _load(spec["pickle"])[:spec["count"]]
    rss_start = rss_mib()
    reset = reset_peak()
    marks: list[float] = []
    load_before = _loadavg()
    cpu_start, children_start = _cpu_seconds(), _cpu_seconds(children=True)
    hashes: set[str] = set()
    sizes: list[int] = []
    first_pdf = b""
    start = time.perf_counter()
    # Consumed as the service's render_documents does: one PDF at a time (it writes each to a file; kept here:
    # the hash and the size).
    for result in reports.render_many(documents, processes=spec["processes"],
                                      progress=lambda _done: marks.append(time.perf_counter())):
        hashes.add(result.sha256)
        sizes.append(len(result.pdf))
        first_pdf = first_pdf or result.pdf
    end = time.perf_counter()
    cpu, children_cpu = _cpu_seconds() - cpu_start, _cpu_seconds(children=True) - children_start
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    n = len(sizes)
    tail_from = max(1, n // 10)  # the rate once the workers are up: from the (n/10)-th PDF to the last
    steady = (n - tail_from) / (marks[-1] - marks[tail_from - 1]) if n > tail_from and marks[-1] > marks[0] else 0.0
    sizes.sort()
    return {
        "total_s": end - start, "count": n, "rate": n / (end - start), "first_s": marks[0] - start,
        "steady_rate": steady, "cpu_s": cpu, "workers_cpu_s": children_cpu,
        "parent_peak_mib": peak_mib(), "parent_rss_start_mib": rss_start, "peak_reset": reset,
        "workers_peak_mib": workers_peak if spec["processes"] > 1 and n > 2 else 0.0,
        "distinct": len(hashes), "median_bytes": sizes[len(sizes) // 2],
        "start_method": render_module._context().get_start_method() if spec["processes"] > 1 else "in process",
        "fonts": _fonts_in(first_pdf), "load": [load_before, _loadavg()],
    }


def child_single(spec: dict[str, Any]) -> dict[str, Any]:
    """``render_many(processes=1)`` on a warm renderer: one notice is rendered before the timer."""
    import reports

    documents = _load(spec["pickle"])
    warm = documents[0]
    sample = [documents[1 + i % (len(documents) - 1)] for i in range(spec["count"])] if len(documents) > 1 \
        else documents * spec["count"]
    reports.render(warm)
    reset_peak()
    load_before = _loadavg()
    cpu_start = _cpu_seconds()
    start = time.perf_counter()
    results = list(reports.render_many(sample, processes=1))
    end = time.perf_counter()
    return {"total_s": end - start, "count": len(results), "rate": len(results) / (end - start),
            "cpu_s": _cpu_seconds() - cpu_start, "parent_peak_mib": peak_mib(), "workers_peak_mib": 0.0,
            "fonts": _fonts_in(results[0].pdf), "median_bytes": sorted(len(r.pdf) for r in results)[len(results) // 2],
            "load": [load_before, _loadavg()]}


class NaiveRenderer:
    """What a first implementation does: system fonts, a new font configuration and stylesheet for every notice."""

    def __init__(self) -> None:
        import reports
        from reports.render import TEMPLATES

        self.html_source = reports.renderer()  # only for its templates: the same HTML as the real path
        self.style = re.sub(r"var\(--[a-z]+\)", NAIVE_FAMILY, (TEMPLATES / "style.css").read_text(encoding="utf-8"))
        self.base_url = str(TEMPLATES)

    def pdf(self, document: Any) -> bytes:
        import hashlib

        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        from reports.render import PDF_VARIANT

        source = self.html_source.html(document)
        font_config = FontConfiguration()
        stylesheet = CSS(string=self.style, font_config=font_config)
        identifier = hashlib.md5(f"{document.doc_number}|{document.issue_date}".encode(),
                                 usedforsecurity=False).hexdigest().encode()
        return HTML(string=source, base_url=self.base_url).write_pdf(
            stylesheets=[stylesheet], font_config=font_config, pdf_variant=PDF_VARIANT, pdf_identifier=identifier,
            uncompressed_pdf=False)


def child_naive(spec: dict[str, Any]) -> dict[str, Any]:
    documents = _load(spec["pickle"])
    sample = [documents[i % len(documents)] for i in range(spec["count"])]
    naive = NaiveRenderer()
    naive.pdf(documents[-1])  # warm-up, untimed: imports, the first font load
    reset_peak()
    load_before = _loadavg()
    cpu_start = _cpu_seconds()
    times = []
    outputs = []
    start = time.perf_counter()
    for document in sample:
        began = time.perf_counter()
        outputs.append(naive.pdf(document))
        times.append(time.perf_counter() - began)
    end = time.perf_counter()
    return {"total_s": end - start, "count": len(sample), "rate": len(sample) / (end - start),
            "cpu_s": _cpu_seconds() - cpu_start, "per_notice_s": times, "parent_peak_mib": peak_mib(),
            "workers_peak_mib": 0.0, "fonts": _fonts_in(outputs[0]),
            "median_bytes": sorted(len(p) for p in outputs)[len(outputs) // 2], "load": [load_before, _loadavg()]}


# -- where the time goes: cProfile of one render -------------------------------------------------------

def _stage_functions() -> list[tuple[str, Any]]:
    import pydyf
    from weasyprint import CSS, HTML
    from weasyprint.css import get_all_computed_styles
    from weasyprint.document import Page
    from weasyprint.formatting_structure.build import build_formatting_structure
    from weasyprint.layout import layout_document
    from weasyprint.pdf.fonts import build_fonts_dictionary
    from weasyprint.text.fonts import FontConfiguration

    from reports.render import Renderer

    return [
        ("HTML (templates, QR code, font coverage)", Renderer.html),
        ("new FontConfiguration", FontConfiguration.__init__),
        ("parse the stylesheet", CSS.__init__),
        ("parse HTML", HTML.__init__),
        ("cascade (styles)", get_all_computed_styles),
        ("box tree", build_formatting_structure),
        ("layout", layout_document),
        ("draw", Page.paint),
        ("font subsetting + embedding", build_fonts_dictionary),
        ("PDF write + compression", pydyf.PDF.write),
    ]


def _profile(call: Any) -> tuple[float, dict[str, float], Any]:
    """Wall seconds under the profiler, cumulative seconds per stage (and "other"), and the profile."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    call()
    profiler.disable()
    total = time.perf_counter() - start
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    by_code: dict[tuple[str, int, str], float] = {key: value[3] for key, value in stats.items()}
    stages: dict[str, float] = {}
    for label, function in _stage_functions():
        code = function.__code__
        seconds = by_code.get((code.co_filename, code.co_firstlineno, code.co_name), 0.0)
        if seconds:
            stages[label] = seconds
    stages["other"] = max(0.0, total - sum(stages.values()))
    return total, stages, profiler


def child_profile(spec: dict[str, Any]) -> dict[str, Any]:
    import io
    import pstats

    import weasyprint  # noqa: F401  (imported before the first profile: its import is not a render stage)

    import reports

    documents = _load(spec["pickle"])
    notice = documents[0]
    listing = io.StringIO()
    out: dict[str, Any] = {}

    def record(label: str, call: Any) -> None:
        total, stages, profiler = _profile(call)
        out[label] = {"profiled_s": total, "stages": stages}
        listing.write(f"\n==== {label}: {total * 1000:.0f} ms under cProfile ====\n")
        stats = pstats.Stats(profiler, stream=listing)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(20)

    record("first render in a fresh process (renderer + PDF)", lambda: reports.render(notice))
    for document in documents[1:4]:
        reports.render(document)
    unprofiled = []
    for _ in range(3):
        start = time.perf_counter()
        reports.render(notice)
        unprofiled.append(time.perf_counter() - start)
    record("steady render", lambda: reports.render(notice))
    out["steady render"]["unprofiled_s"] = statistics.median(unprofiled)
    naive = NaiveRenderer()
    naive.pdf(documents[1])
    start = time.perf_counter()
    naive.pdf(notice)
    naive_unprofiled = time.perf_counter() - start
    record("naive render", lambda: naive.pdf(notice))
    out["naive render"]["unprofiled_s"] = naive_unprofiled
    Path(spec["listing"]).write_text("cProfile of notice renders (bench/notice_bench.py)\n" + listing.getvalue())
    return out


CHILDREN = {"prepare": child_prepare, "pool": child_pool, "single": child_single, "naive": child_naive,
            "profile": child_profile}


def run_child(spec: dict[str, Any], env: dict[str, str] | None = None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=7200, env=env)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"{spec['task']} run failed (exit {done.returncode})")
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if not lines:
        raise SystemExit(f"{spec['task']} run printed no result:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT_PREFIX):])
    return result


def run_first(pickle_path: Path) -> dict[str, Any]:
    load_before = _loadavg()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", FIRST_CODE, str(pickle_path)], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=600)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"first-notice run failed:\n{done.stderr[-3000:]}")
    line = next(x for x in done.stdout.splitlines() if x.startswith(RESULT_PREFIX))
    result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX):])
    result["first_render_s"] = result["import_weasyprint_s"] + result["renderer_s"] + result["first_pdf_s"]
    result["in_process_s"] = result["import_reports_s"] + result["first_render_s"]  # the pickle load left out
    result["process_wall_s"] = wall
    result["load"] = [load_before, _loadavg()]
    return result


def run_startup() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], cwd=REPO_ROOT, check=True, timeout=120)
    return time.perf_counter() - start


# -- report -------------------------------------------------------------------------------------------

def _med(values: Sequence[float]) -> float:
    return statistics.median(values)


def _span(values: Sequence[float], fmt: str) -> str:
    return f"{format(min(values), fmt)}–{format(max(values), fmt)}"


SCENARIOS = ("demo", "batch", "single", "naive")


def _cpu_use(run: dict[str, Any], processes: int) -> str:
    cpu = run["cpu_s"] + run.get("workers_cpu_s", 0.0)
    return f"{100 * cpu / (run['total_s'] * min(processes, os.cpu_count() or 1)):.0f} %"


def _scenario_label(name: str, runs: list[dict[str, Any]], processes: int) -> tuple[str, str]:
    count = runs[0]["count"]
    return {
        "demo": (f"demo: the {count} notices, `render_many(processes={processes})`, pool start included",
                 f"{processes} workers"),
        "batch": (f"batch: {count:,} notices, `render_many(processes={processes})`, pool start included",
                  f"{processes} workers"),
        "single": (f"single process, steady state: {count} notices, `render_many(processes=1)`, warm renderer",
                   "1 (in process)"),
        "naive": (f"naive baseline: {count} notices, system Noto Serif CJK SC, new FontConfiguration + CSS each",
                  "1 (in process)"),
    }[name]


def _where_line(profile: dict[str, Any], listing: str) -> list[str]:
    def stages(label: str) -> str:
        entry = profile[label]
        ordered = sorted(entry["stages"].items(), key=lambda kv: -kv[1])
        return ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in ordered if seconds >= 0.0005)

    steady, naive, first = profile["steady render"], profile["naive render"], \
        profile["first render in a fresh process (renderer + PDF)"]
    return [
        f"- **Where the time goes** (cProfile of one notice in a fresh process, ms; the profiler inflates the "
        f"Python-heavy stages, the totals are given with and without it; listing in `{listing}`):",
        f"  - steady render ({steady['profiled_s'] * 1000:.0f} ms profiled, {steady['unprofiled_s'] * 1000:.0f} ms "
        f"without): {stages('steady render')}.",
        f"  - naive render ({naive['profiled_s'] * 1000:.0f} ms profiled, {naive['unprofiled_s'] * 1000:.0f} ms "
        f"without): {stages('naive render')}.",
        f"  - first render of the process, `Renderer()` included ({first['profiled_s'] * 1000:.0f} ms profiled): "
        f"{stages('first render in a fresh process (renderer + PDF)')}.",
    ]


def render_report(results: dict[str, list[dict[str, Any]]], firsts: list[dict[str, Any]], startups: list[float],
                  profile: dict[str, Any] | None, *, prepared: dict[str, Any], command: str, info: dict[str, str],
                  started: dt.datetime, finished: dt.datetime, code: str, processes: int,
                  listing: str) -> tuple[str, list[str]]:
    lines = [
        MARK_START,
        "## Notice rendering benchmark: PDF notices with WeasyPrint",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')} (the whole run took "
        f"{(finished - started).total_seconds() / 60:.1f} min)",
        f"- Command: `{command}`",
        f"- Code: {code}",
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        f"- Data: the Zongyang demo (`rating demo` into a temporary SQLite database; cycle {CYCLE_ID} "
        f"\"{prepared['cycle_name']}\" publicized with notice date {prepared['notice_date']}: "
        + "documents: " + ", ".join(f"{n} `{k}`" for k, n in prepared["kinds"].items())
        + f"), the {prepared['notices']} notices rebuilt from their stored payloads (`reports.model.from_payload`; "
        f"language {', '.join(prepared['langs'])}). The batch cycles through them; every copy after the first 18 has "
        "its own document number, verification code (so its own QR code) and company name (`…枞阳第k分公司`).",
        "- Each run is a fresh subprocess, the scenarios interleaved. `reports` is imported and the notices unpickled "
        "before the timer; WeasyPrint is not (`render_many` imports it before forking the pool, and the workers "
        "build their renderer in the pool initializer, inside the timed span). Pool runs: wall from the "
        "`render_many` call to the last PDF; "
        "\"steady\" is the rate from the first tenth of the PDFs to the last one (batches of at least "
        f"{STEADY_MIN}); \"first PDFs after\": the workers hand PDFs back in chunks of 4 (`render_many`'s "
        "default), so the first ones arrive after the pool's start, a worker's set-up and 4 renders; CPU per "
        "notice = the run's CPU time (parent + workers) over its notices, pool start included (less sensitive than "
        "wall time to other work on the machine); parent peak = VmHWM after a reset at the timer start; workers' "
        "peak = `RUSAGE_CHILDREN` `ru_maxrss` (the largest worker; forked, so it counts pages shared with the "
        "parent). The parent takes each PDF as it comes, like the service's `render_documents` (which writes it to "
        "a file; here only its hash and size are kept). Single and naive runs "
        "render one untimed notice first.",
        "",
        "| scenario | processes | runs | median notices/s | min–max notices/s | steady notices/s | median wall s "
        "| first PDFs after s | CPU ms per notice | peak RSS MiB parent / workers (max) | fonts embedded, pages "
        "| median PDF KiB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for name in SCENARIOS:
        runs = results.get(name)
        if not runs:
            continue
        label, procs = _scenario_label(name, runs, processes)
        rates = [r["rate"] for r in runs]
        steady = f"{_med([r['steady_rate'] for r in runs]):.1f}" \
            if "steady_rate" in runs[0] and runs[0]["count"] >= STEADY_MIN else "–"
        first = f"{_med([r['first_s'] for r in runs]):.2f}" if "first_s" in runs[0] else "–"
        workers = max(r["workers_peak_mib"] for r in runs)
        lines.append(
            f"| {label} | {procs} | {len(runs)} | {_med(rates):.1f} | {_span(rates, '.1f')} | {steady} | "
            f"{_med([r['total_s'] for r in runs]):.2f} | {first} | "
            f"{_med([(r['cpu_s'] + r.get('workers_cpu_s', 0.0)) / r['count'] for r in runs]) * 1000:.0f} | "
            f"{max(r['parent_peak_mib'] for r in runs):,.0f} / "
            + (f"{workers:,.0f}" if workers else "–")
            + f" | {', '.join(runs[0]['fonts'])} | {_med([r['median_bytes'] for r in runs]) / 1024:,.0f} |")

    stage_rows = [("interpreter start-up (`python -c pass`, whole process)", startups),
                  ("`import reports`", [f["import_reports_s"] for f in firsts]),
                  ("`import weasyprint`", [f["import_weasyprint_s"] for f in firsts]),
                  ("`reports.renderer()` (FontConfiguration, @font-face, stylesheet, templates)",
                   [f["renderer_s"] for f in firsts]),
                  ("first `reports.render(notice)` on that renderer", [f["first_pdf_s"] for f in firsts]),
                  ("**first render** (the three above)", [f["first_render_s"] for f in firsts]),
                  ("**first notice from the interpreter's first statement** (import + first render)",
                   [f["in_process_s"] for f in firsts]),
                  ("the whole `python -c` process as the parent saw it (start-up, pickle load, exit included)",
                   [f["process_wall_s"] for f in firsts])]
    lines += ["", f"First notice in a fresh process ({len(firsts)} fresh `python -c` processes; "
              "`time.perf_counter()` is the first statement; unpickling the notice is left out):", "",
              "| stage | median s | min–max s |", "| --- | ---: | ---: |"]
    for label, values in stage_rows:
        if values:
            lines.append(f"| {label} | {_med(values):.3f} | {_span(values, '.3f')} |")

    verdicts: list[str] = []
    missed: list[str] = []
    batch = results.get("batch", [])
    naive = results.get("naive", [])
    if batch:
        rate = _med([r["rate"] for r in batch])
        met = rate >= TARGET_RATE
        verdicts.append(f"- **batch rate**: {rate:.2f} notices/s with {processes} workers (target ≥ {TARGET_RATE:g}: "
                        f"{'met' if met else '**NOT met**'}); {batch[0]['count']:,} notices in "
                        f"{_med([r['total_s'] for r in batch]):.1f} s; every PDF distinct: "
                        f"{'yes' if all(r['distinct'] == r['count'] for r in batch) else '**no**'}; "
                        f"pool start method {batch[0]['start_method']}; parent peak "
                        f"{max(r['parent_peak_mib'] for r in batch):,.0f} MiB, largest worker "
                        f"{max(r['workers_peak_mib'] for r in batch):,.0f} MiB; CPU s per run (parent / workers, "
                        "median) " f"{_med([r['cpu_s'] for r in batch]):.1f} / "
                        f"{_med([r['workers_cpu_s'] for r in batch]):.1f}.")
        if not met:
            missed.append("batch rate")
    if batch and naive:
        naive_rate = _med([r["rate"] for r in naive])
        ratio = _med([r["rate"] for r in batch]) / naive_rate
        pairs = [b["rate"] / n["rate"] for b, n in zip(batch, naive, strict=False)]
        met = ratio >= TARGET_RATIO
        verdicts.append(f"- **batch / naive**: {ratio:.2f}× ({_med([r['rate'] for r in batch]):.2f} against "
                        f"{naive_rate:.2f} notices/s; per repetition " + ", ".join(f"{p:.1f}×" for p in pairs)
                        + f"; target ≥ {TARGET_RATIO:g}×: {'met' if met else '**NOT met**'}). Naive per notice: "
                        f"median {_med([_med(r['per_notice_s']) for r in naive]) * 1000:.0f} ms.")
        if not met:
            missed.append("ratio")
    if "single" in results and naive:
        single = _med([r["rate"] for r in results["single"]])
        cpu_ms = _med([r["cpu_s"] / r["count"] for r in results["single"]]) * 1000
        busy = min(processes, os.cpu_count() or 1)
        line = (f"- single process on a warm renderer: {single:.1f} notices/s ({1000 / single:.0f} ms a notice), "
                f"{single / _med([r['rate'] for r in naive]):.1f}× the naive rate")
        if batch:
            line += (f"; the batch's steady rate is {_med([r['steady_rate'] for r in batch]) / single:.2f}× it with "
                     f"{processes} workers")
        verdicts.append(line + f". At that CPU cost ({cpu_ms:.0f} ms a notice), {busy} fully used CPUs give at most "
                        f"{busy * 1000 / cpu_ms:.1f} notices/s.")
    if firsts:
        first = _med([f["in_process_s"] for f in firsts])
        startup = _med(startups) if startups else 0.0
        met = first <= TARGET_FIRST_S
        verdicts.append(f"- **first notice**: {first:.2f} s from the interpreter's first statement (target ≤ "
                        f"{TARGET_FIRST_S:g} s: {'met' if met else '**NOT met**'}); with the interpreter's start-up "
                        f"({startup:.3f} s) {first + startup:.2f} s.")
        if not met:
            missed.append("first notice")
    lines += ["", *verdicts]
    if profile is not None:
        lines += ["", *_where_line(profile, listing)]

    lines += ["", "All runs (notices/s / wall s / CPU use = the run's CPU time over wall × its processes, well "
              "below 100 % means it waited for a CPU that other work held / machine load average before → after, "
              "which counts the run's own processes; in order):", ""]
    for name in SCENARIOS:
        if results.get(name):
            lines.append(f"- {name}: " + ", ".join(
                f"{r['rate']:.2f} / {r['total_s']:.2f} / {_cpu_use(r, processes if name in ('demo', 'batch') else 1)} "
                f"/ {r['load'][0]:.2f} → {r['load'][1]:.2f}" for r in results[name]))
    if firsts:
        lines.append("- first notice (s from the first statement / load before → after): " + ", ".join(
            f"{f['in_process_s']:.2f} / {f['load'][0]:.2f} → {f['load'][1]:.2f}" for f in firsts))
    lines.append(MARK_END)
    return "\n".join(lines) + "\n", missed


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--notices", type=int, default=1000, help="batch size (the demo's notices, cycled)")
    parser.add_argument("--processes", type=int, default=2, help="render_many workers for the demo and the batch")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of the demo, single, naive and first-notice scenarios")
    parser.add_argument("--batch-repeat", type=int, default=3, help="runs of the batch")
    parser.add_argument("--naive-sample", type=int, default=40, help="notices per naive run")
    parser.add_argument("--single-sample", type=int, default=60, help="notices per single-process run")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes, one run each (" + ", ".join(f"{k.replace('_', '-')} {v}"
                                                                     for k, v in QUICK.items()) + "): a smoke test")
    parser.add_argument("--profile", action="store_true",
                        help="profile a render even when every target is met (otherwise only when one is missed)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md",
                        help="Markdown file whose notice-bench section is replaced")
    parser.add_argument("--work", type=Path, default=WORK_DIR,
                        help="folder for the demo database, the pickled notices and the profile (bench/out/notice)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        spec = json.loads(args.child)
        print(RESULT_PREFIX + json.dumps(CHILDREN[spec["task"]](spec)), flush=True)
        return 0
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    if min(args.notices, args.processes, args.repeat, args.batch_repeat, args.naive_sample, args.single_sample) < 1:
        parser.error("sizes, processes and repeats must be at least 1")

    started = dt.datetime.now(dt.UTC)
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    code = code_version("reports") + f"; reports/ source digest {source_digest('reports')}"
    print(f"preparing the demo notices and a batch of {args.notices:,} …", flush=True)
    prepared = prepare(work, args.notices)
    demo_pickle, batch_pickle = work / "demo-notices.pickle", work / "batch-notices.pickle"
    print(f"  {prepared['notices']} notices ({prepared['kinds']})", flush=True)

    results: dict[str, list[dict[str, Any]]] = {name: [] for name in SCENARIOS}
    firsts: list[dict[str, Any]] = []
    startups: list[float] = []
    specs = {
        "demo": {"task": "pool", "pickle": str(demo_pickle), "count": prepared["notices"],
                 "processes": args.processes},
        "batch": {"task": "pool", "pickle": str(batch_pickle), "count": args.notices, "processes": args.processes},
        "single": {"task": "single", "pickle": str(batch_pickle), "count": args.single_sample},
        "naive": {"task": "naive", "pickle": str(batch_pickle), "count": args.naive_sample},
    }
    for rep in range(max(args.repeat, args.batch_repeat)):
        for name in SCENARIOS:
            if rep >= (args.batch_repeat if name == "batch" else args.repeat):
                continue
            result = run_child(specs[name])
            results[name].append(result)
            print(f"  {name} run {rep + 1}: {result['rate']:6.2f} notices/s  {result['total_s']:7.2f} s  "
                  f"peak {result['parent_peak_mib']:,.0f} / {result['workers_peak_mib']:,.0f} MiB", flush=True)
        if rep < args.repeat:
            startups.append(run_startup())
            first = run_first(demo_pickle)
            firsts.append(first)
            print(f"  first notice run {rep + 1}: {first['in_process_s']:.2f} s (import reports "
                  f"{first['import_reports_s']:.2f}, first render {first['first_render_s']:.2f}); "
                  f"python -c pass {startups[-1]:.3f} s", flush=True)

    batch_rate = _med([r["rate"] for r in results["batch"]])
    missed_any = (batch_rate < TARGET_RATE or batch_rate / _med([r["rate"] for r in results["naive"]]) < TARGET_RATIO
                  or _med([f["in_process_s"] for f in firsts]) > TARGET_FIRST_S)
    profile = None
    listing = work / "profile-notice.txt"
    if args.profile or missed_any:
        print("profiling one render …", flush=True)
        profile = run_child({"task": "profile", "pickle": str(batch_pickle), "listing": str(listing)})

    info = machine_info()
    info.pop("numpy", None)
    info.pop("pandas", None)
    info.update(prepared["versions"])
    finished = dt.datetime.now(dt.UTC)
    (work / "last-results.json").write_text(json.dumps({"results": results, "firsts": firsts, "startups": startups,
                                                        "profile": profile, "prepared": prepared}))
    section, missed = render_report(results, firsts, startups, profile, prepared=prepared,
                                    command=command_line("bench/notice_bench.py", argv), info=info, started=started,
                                    finished=finished, code=code, processes=args.processes,
                                    listing=_shown_path(listing))
    write_section(args.out, section, start=MARK_START, end=MARK_END)
    print()
    print(section)
    print(f"written to {args.out}" + (f"; targets missed: {', '.join(missed)}" if missed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
