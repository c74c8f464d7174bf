"""The engine's fast paths against their references (tests/scoring/engine_reference.py) on random data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings

from scoring import engine, kernels
from scoring.explain import explanations_json
from scoring.methodology import METHODOLOGY_DIR, REASON_CODES, Methodology, load_methodology
from tests.scoring import engine_reference
from tests.scoring.builders import inputs
from tests.scoring.test_properties import World, rate, worlds

ZY2025 = load_methodology(METHODOLOGY_DIR / "ZY-2025.yaml")


def _companies(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Sorted credit codes; losses with exact ties, zeros, float noise around ties and the 1e-9 cut."""
    codes = sorted({f"91{rng.integers(10**15):016d}" for _ in range(n)})
    values = np.array([0.0, 0.0, 1.5, 1.5 + 1e-12, 2.25, 3.0, 1e-10, 7.125, 2.25 - 1e-13])
    frame = pd.DataFrame({"credit_code": pd.Series(codes, dtype=object)})
    for code in REASON_CODES:
        picked = values[rng.integers(len(values), size=len(codes))]
        noise = rng.random(len(codes)) < 0.2
        frame[f"lost_{code}"] = np.where(noise, rng.random(len(codes)) * 10, picked)
    frame["veto"] = rng.random(len(codes)) < 0.15
    return frame


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("max_reasons", [1, 2, 3, 4])
def test_reasons_match_the_reference(seed: int, max_reasons: int) -> None:
    rng = np.random.default_rng(seed)
    tie_order = tuple(rng.permutation(list(REASON_CODES)).tolist())
    explanation = ZY2025.explanation.model_copy(update={"max_reasons": max_reasons, "tie_order": tie_order})
    m = ZY2025.model_copy(update={"explanation": explanation})
    companies = _companies(rng, int(rng.integers(0, 60)))
    fast, reference = engine._reasons(companies, m), engine_reference.reasons(companies, m)
    pd.testing.assert_frame_equal(fast, reference)
    assert fast.to_csv() == reference.to_csv()
    # Which companies show each reason (what the evidence is built for): the reference's rows, by position.
    _, shown = engine._shown_reasons(companies, m)
    position = {code: i for i, code in enumerate(companies["credit_code"])}
    for name in (*REASON_CODES, "VETO"):
        wanted = np.zeros(len(companies) + 1, dtype=bool)
        wanted[[position[c] for c in reference.loc[reference["reason"] == name, "credit_code"]]] = True
        assert np.array_equal(shown[name], wanted), name


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("unit", ["s", "ns", "ms", "us", "m", "h", "D", "W"])
def test_day_numbers_match_the_reference(seed: int, unit: str) -> None:
    rng = np.random.default_rng(seed)
    seconds = rng.integers(-3 * 10**9, 3 * 10**9, size=200)  # before and after 1970, any time of day
    values = seconds.astype("datetime64[s]").astype(f"datetime64[{unit}]")
    values[rng.random(200) < 0.2] = np.datetime64("NaT")
    assert np.array_equal(engine._days(values), engine_reference.days(values))
    as_objects = pd.Series(values).dt.date.astype(object)
    assert np.array_equal(engine._days(as_objects), engine_reference.days(as_objects))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("categorical", [False, True])
def test_names_match_the_reference(seed: int, categorical: bool) -> None:
    """Duplicated codes (the first row's name wins), missing names and codes, rated companies without a row."""
    rng = np.random.default_rng(seed)
    pool = [f"C{i}" for i in range(30)]
    codes = [None if rng.random() < 0.1 else pool[rng.integers(30)] for _ in range(40)]
    names = [None if rng.random() < 0.2 else f"名{i}" for i in range(40)]
    companies = pd.DataFrame({"credit_code": pd.Series(codes, dtype="category" if categorical else object),
                              "name": pd.Series(names, dtype=object)})
    rated = pd.Index(sorted(rng.choice(pool, size=20, replace=False).tolist()), dtype=object)
    fast, reference = engine._names(companies, rated), engine_reference.names(companies, rated)
    assert fast.dtype == reference.dtype == object
    assert [repr(v) for v in fast] == [repr(v) for v in reference]


def _keys(rng: np.random.Generator, kind: str, rows: int) -> np.ndarray:
    """A sort key as the evidence has them: day numbers (missing ones too), points in halves, other floats with
    NaN and both zeros."""
    if kind == "days":
        days = rng.integers(20_000, 20_000 + int(rng.integers(1, 40)), size=rows).astype(np.int64)
        return np.where(rng.random(rows) < 0.05, engine.NO_DAY, days)
    if kind == "points":
        return rng.integers(0, 8, size=rows) / 2.0
    values = rng.choice(np.array([np.nan, 0.0, -0.0, 1.0 / 3.0, 2.5, -7.0, 1e300]), size=rows)
    return values


@pytest.mark.parametrize("seed", range(24))
@pytest.mark.parametrize("limit", [1, 3, 5])
def test_cut_survivors_match_the_reference(seed: int, limit: int) -> None:
    """Rows of no company (-1), masked rows, companies not shown, companies with fewer rows than the limit, and
    many ties at the cut, on every pair of key types the evidence uses (and NaN)."""
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(0, 3000))
    n = int(rng.integers(1, 200))
    company = rng.integers(-1, n, size=rows).astype(np.int32)
    mask = rng.random(rows) < 0.8
    shown = np.r_[rng.random(n) < 0.9, False]
    first_kind, second_kind = [("days", "days"), ("points", "days"), ("floats", "floats"),
                               ("points", "points")][seed % 4]
    first, second = _keys(rng, first_kind, rows), _keys(rng, second_kind, rows)
    fast = kernels.cut_survivors(company, mask, shown, first, second, limit)
    assert fast.dtype == np.int64
    assert np.array_equal(fast, engine_reference.survivors(company, mask, shown, first, second, limit))


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("limit", [1, 3, 5])
def test_top_rows_of_the_survivors_are_those_of_every_row(seed: int, limit: int) -> None:
    """Few companies and many ties on both keys, so that record ids decide at the cut: the top rows picked from
    the survivors are those picked from every row."""
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(50 * limit + 1, 4000))
    company = rng.integers(0, int(rng.integers(1, 40)), size=rows).astype(np.int32)
    days = rng.integers(20_000, 20_000 + int(rng.integers(1, 30)), size=rows).astype(np.int64)
    points = rng.integers(0, 6, size=rows) / 2.0
    ids = np.array([f"R{rng.integers(10**6):06d}-{i}" for i in range(rows)], dtype=object)
    reference = engine._top(company, [points, days], lambda at: ids[at], limit)
    shown = np.ones(int(company.max()) + 1, dtype=bool)
    kept = kernels.cut_survivors(company, np.ones(rows, dtype=bool), shown, points, days, limit)
    assert len(reference) <= len(kept) < rows  # the cut leaves rows out
    fast = kept[engine._top(company[kept], [points[kept], days[kept]], lambda at: ids[kept[at]], limit)]
    assert np.array_equal(fast, reference)
    arrow = kept[engine._top(company[kept], [points[kept], days[kept]],
                             lambda at: pa.array(ids[kept[at]].tolist(), pa.large_string()), limit)]
    assert np.array_equal(arrow, reference)  # ids as Arrow text are ordered as the Python strings


def _contracts(rng: np.random.Generator, communities: pd.Index, companies: pd.Index) -> engine._Contracts:
    """Contracts over the communities: none, one (ongoing or ended) or several (takeovers, with gaps and overlaps),
    some naming an unknown community or company, some without a start."""
    rows = []
    for community in [*communities, "UNKNOWN"]:
        for _ in range(int(rng.choice([0, 1, 1, 1, 2, 3]))):
            start = int(rng.integers(19_900, 20_300))
            end = start + int(rng.integers(0, 400)) if rng.random() < 0.6 else None
            company = companies[int(rng.integers(len(companies)))] if rng.random() < 0.95 else "NOBODY"
            rows.append((community, company, start if rng.random() < 0.97 else None, end))
    frame = pd.DataFrame(rows, columns=["community_id", "credit_code", "start", "end"])
    start = np.array([engine.NO_DAY if s is None or s != s else int(s) for s in frame["start"]], dtype=np.int64)
    end = np.array([engine.NO_DAY if e is None or e != e else int(e) for e in frame["end"]], dtype=np.int64)
    return engine._prepare_contracts(frame, start, end, communities, companies)


@pytest.mark.parametrize("seed", range(20))
def test_attribution_matches_the_reference(seed: int) -> None:
    """Named companies (in the set, outside it: -2), records of no community (-1), days missing, before and after
    every contract, and communities with no contract, one or several."""
    rng = np.random.default_rng(seed)
    communities = pd.Index([f"C{i:03d}" for i in range(int(rng.integers(1, 60)))], dtype=object)
    companies = pd.Index([f"91{i:04d}" for i in range(int(rng.integers(1, 20)))], dtype=object)
    contracts = _contracts(rng, communities, companies)
    rows = int(rng.integers(0, 3000))
    named = rng.choice(np.array([-2, -1, -1, -1, 0, len(companies) - 1]), size=rows).astype(np.int32)
    community = rng.integers(-1, len(communities), size=rows).astype(np.int32)
    day = np.where(rng.random(rows) < 0.05, engine.NO_DAY, rng.integers(19_800, 20_800, size=rows))
    in_period = rng.random(rows) < 0.7
    *fast, _ = engine._attribute(named, community, day, in_period, contracts)
    reference = engine_reference.attribute(named, community, day, in_period, contracts)
    for got, wanted in zip(fast, reference, strict=True):
        assert got.dtype == wanted.dtype
        assert np.array_equal(got, wanted)
    assert set(np.unique(fast[2]).tolist()) <= {0, 1, 2}

    # The same records as categoricals' codes into tables of positions (the engine's way with its frames): the
    # loop's own lookup gives what the positions give, and the inspections' community positions besides.
    named_codes, named_table = _as_codes(rng, named)
    community_codes, community_table = _as_codes(rng, community)
    *coded, places = engine._attribute(named_codes, community_codes, day, in_period, contracts,
                                       named_table=named_table, community_table=community_table,
                                       with_community=True)
    for got, wanted in zip(coded, reference, strict=True):
        assert np.array_equal(got, wanted)
    assert places is not None and np.array_equal(places, community)

    # Written into the records frame's rows (a kind's slice of columns for every kind): the same values, in place,
    # and nothing outside the slice touched.
    company_rows, how_rows = np.full(rows + 7, 99, dtype=np.int32), np.full(rows + 7, 99, dtype=np.int8)
    _, company_out, how_out, _ = engine._attribute(named, community, day, in_period, contracts,
                                                   company=company_rows[3:3 + rows], how=how_rows[3:3 + rows])
    assert np.shares_memory(company_out, company_rows) and np.shares_memory(how_out, how_rows)
    assert np.array_equal(company_rows[3:3 + rows], reference[1]) and np.array_equal(how_rows[3:3 + rows], reference[2])
    assert set(company_rows[:3].tolist() + company_rows[3 + rows:].tolist()) == {99}
    assert set(how_rows[:3].tolist() + how_rows[3 + rows:].tolist()) == {99}
    with pytest.raises(ValueError, match="writeable contiguous"):
        engine._attribute(named, community, day, in_period, contracts, company=company_rows[: rows + 1])


def _as_codes(rng: np.random.Generator, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int8 or int16, as pandas gives few categories) into a table of the distinct positions with a trailing
    -1, code -1 for position -1: ``table[codes] == positions``."""
    distinct = np.unique(positions[positions != -1])
    table = np.append(distinct, -1).astype(np.int32)
    codes = np.full(positions.size, -1, dtype=np.int16 if rng.random() < 0.5 else np.int8)
    at = positions != -1
    codes[at] = np.searchsorted(distinct, positions[at])
    return codes, table


@pytest.mark.parametrize("seed", range(16))
@pytest.mark.parametrize("limit", [1, 2, 5])
def test_top_rows_match_the_rule(seed: int, limit: int) -> None:
    """The compiled order (``kernels.top_runs``) and the record-id tie-break give each company's first ``limit``
    rows by keys, then record id, then position: days, points in halves, other floats, NaN, one key or two, few
    companies or many (some with none), record ids repeated."""
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(0, 2500))
    company = rng.integers(0, int(rng.integers(1, 300)), size=rows).astype(np.int32)
    keys = {
        "days": lambda: rng.integers(20_000, 20_000 + int(rng.integers(1, 40)), size=rows).astype(np.int64),
        "half_points": lambda: rng.integers(0, 12, size=rows) / 2.0,
        "fractions": lambda: rng.integers(0, 50, size=rows) / 3.0,
        "with_nan": lambda: np.where(rng.random(rows) < 0.2, np.nan, rng.integers(0, 6, size=rows) / 2.0),
    }
    names = list(keys)
    chosen = [keys[names[seed % 4]]()] + ([keys[names[(seed // 4) % 4]]()] if seed % 3 else [])
    ids = [f"R{int(i):04d}" for i in rng.integers(0, max(rows // 2, 1), size=rows)]
    held = np.array(ids, dtype=object)
    fast = engine._top(company, chosen, lambda at: held[at], limit)
    assert np.array_equal(fast, engine_reference.top(company, chosen, ids, limit))


ZY2026 = load_methodology(METHODOLOGY_DIR / "ZY-2026.yaml")


def _scored(rng: np.random.Generator, n: int, m: Methodology) -> pd.DataFrame:
    """What ``_paths`` reads of the companies frame: grades of every band and vetoes, sub-scores on a coarse grid
    (gains that close a gap exactly, ties between components) or anywhere, components not assessed (NaN
    sub-scores, no weight), exposure from none to large."""
    codes = sorted({f"91{rng.integers(10**15):016d}" for _ in range(n)})
    size = len(codes)

    def sub_scores() -> np.ndarray:
        coarse = rng.integers(0, 21, size) * 5.0
        return np.where(rng.random(size) < 0.5, coarse, np.round(rng.random(size) * 100, 2))

    insp_assessed = rng.random(size) < 0.8
    compl_assessed = rng.random(size) < 0.7
    raw = np.column_stack([0.4 * insp_assessed, 0.4 * compl_assessed, np.full(size, 0.2)])
    weights = raw / raw.sum(axis=1, keepdims=True)
    frame = pd.DataFrame({
        "credit_code": pd.Series(codes, dtype=object),
        "score": np.round(rng.random(size) * 100, 1),
        "grade": np.array(m.grades, dtype=object)[rng.integers(len(m.grades), size=size)],
        "veto": rng.random(size) < 0.1,
        "exposure": np.where(rng.random(size) < 0.2, 0.0, rng.random(size) * 5_000),
        "w_insp": weights[:, 0], "w_compl": weights[:, 1], "w_fee": weights[:, 2],
        "insp_score": np.where(insp_assessed, sub_scores(), np.nan),
        "compl_rate_score": np.where(compl_assessed, sub_scores(), np.nan),
        "compl_timeliness_score": np.where(compl_assessed, sub_scores(), np.nan),
        "fee_score": sub_scores(),
        "insp_assessed": insp_assessed, "compl_assessed": compl_assessed, "fee_assessed": np.ones(size, dtype=bool),
    })
    return frame


@pytest.mark.parametrize("seed", range(16))
@pytest.mark.parametrize("methodology", [ZY2025, ZY2026], ids=["ZY-2025", "ZY-2026"])
def test_paths_match_the_reference(seed: int, methodology: Methodology) -> None:
    rng = np.random.default_rng(seed)
    companies = _scored(rng, int(rng.integers(0, 400)) if seed else 0, methodology)
    constants = engine.Constants(r0=float(rng.random() * 20))
    fast = engine._paths(companies, methodology, constants)
    reference = engine_reference.paths(companies, methodology, constants)
    pd.testing.assert_frame_equal(fast, reference, check_exact=True)
    assert fast.to_csv() == reference.to_csv()


def test_the_random_paths_hold_combined_and_single_steps() -> None:
    """The comparison above sees every kind of row: single components that suffice, combinations, neither."""
    paths = pd.concat([engine_reference.paths(_scored(np.random.default_rng(seed), 400, m), m,
                                              engine.Constants(r0=5.0))
                       for seed in range(4) for m in (ZY2025, ZY2026)])
    assert paths["reachable"].any() and paths["combined"].any()
    assert (~paths["reachable"] & ~paths["combined"]).any()
    assert paths["target_count"].notna().any() and paths["combined_count"].notna().any()


@pytest.mark.parametrize("seed", range(30))
def test_ties_are_ordered_by_record_id_as_the_reference(seed: int) -> None:
    """Record ids tied within runs: texts past ASCII, a prefix of another, trailing NUL characters, equal ids,
    and values that are not texts (numbers, NaN) in some draws."""
    rng = np.random.default_rng(seed)
    pool: list[object] = ["R1", "R10", "R2", "r1", "投诉-1", "投诉", "é", "e", "Z", "R1\x00", "R1\x00\x00", "", "😀"]
    if seed % 3 == 0:
        pool += [7, 10, 3.5, float("nan")]
    rows = int(rng.integers(0, 200))
    runs = np.sort(rng.integers(0, int(rng.integers(1, 20)), size=rows))
    values = np.array([pool[i] for i in rng.integers(len(pool), size=rows)] + [None], dtype=object)[:rows]
    fast = engine._by_run_and_text(runs, values)
    assert np.array_equal(fast, engine_reference.by_run_and_text(runs, values))


@pytest.mark.parametrize("seed", range(12))
def test_sums_by_code_match_the_reference(seed: int) -> None:
    """Counts and weighted sums, codes of int16, int32 and int64 with -1 and below (left out), rows left out by a mask;
    equal to the last bit (the same rows added in the same order)."""
    rng = np.random.default_rng(seed)
    rows, size = int(rng.integers(0, 5000)), int(rng.integers(1, 300))
    codes = rng.integers(-3, size, size=rows).astype((np.int64, np.int32, np.int16)[seed % 3])
    weights = rng.random(rows) * 10.0 ** rng.integers(-3, 4, size=rows)
    where = rng.random(rows) < 0.6
    for w in (None, weights):
        assert np.array_equal(engine._sum_by(codes, w, size), engine_reference.sum_by(codes, w, size))
        assert np.array_equal(engine._sum_by(codes, w, size, where=where),
                              engine_reference.sum_by(np.where(where, codes, -1), w, size))


def test_positions_of_categoricals_reuse_a_table_only_for_the_same_categories_and_index() -> None:
    """Columns over one registry share its table; other categories, or the same categories in another index, get
    their own: every column's positions are those of a plain lookup."""
    rng = np.random.default_rng(3)
    registry = pd.Index([f"C{i:03d}" for i in range(50)])
    other = pd.Index([f"C{i:03d}" for i in range(25, 75)])
    rated, rated_too = pd.Index(sorted(registry[::3])), pd.Index(sorted(registry[1::3]))
    every = pd.Index(registry.tolist(), dtype=object)  # the registry's ids themselves, in its order
    tables: dict = {}
    for categories, index in [(registry, rated), (registry, rated), (other, rated), (registry, rated_too),
                              (other, rated_too), (registry, rated), (registry, every), (other, every)]:
        values = pd.Series(pd.Categorical.from_codes(rng.integers(-1, len(categories), size=200),
                                                     categories=categories))
        expected = index.get_indexer(values.astype(object).where(values.notna(), None)).astype(np.int32)
        assert np.array_equal(engine._codes(values, index, tables), expected)
        outside = np.where(values.notna().to_numpy() & (expected < 0), -2, expected)
        assert np.array_equal(engine._codes(values, index, tables, absent=-2), outside)
        as_text = values.astype(object)
        assert np.array_equal(engine._codes(as_text, index, absent=-2), outside)
        assert np.array_equal(engine._codes(as_text, index), expected)
    # Six pairs of categories and index: each one's positions once, and a table for each of the two ``absent``.
    assert sum(key[2] is None for key in tables) == 6
    assert len(tables) == 18


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds())
def test_evidence_from_arrow_ids_is_that_from_python_strings(world: World) -> None:
    """Record ids as Arrow text (pandas' ``str``) stay Arrow text in the evidence, ordered and tied as the same
    ids held as Python objects; the frames and the explanations are otherwise the same."""
    arrow = inputs(**world)
    objects = inputs(**world)
    for kind in engine.RECORD_KINDS:
        frame = getattr(arrow, kind)
        if frame is not None:
            frame["record_id"] = frame["record_id"].astype("str")
            getattr(objects, kind)["record_id"] = frame["record_id"].astype(object)
    fast, reference = rate(arrow), rate(objects)
    if len(fast.evidence):
        assert fast.evidence["record_id"].dtype == "str"
        assert reference.evidence["record_id"].dtype == object
    pd.testing.assert_frame_equal(fast.evidence.astype({"record_id": object}), reference.evidence)
    assert explanations_json(fast, ZY2025) == explanations_json(reference, ZY2025)


def test_numba_is_loaded_by_the_first_compiled_call_only() -> None:
    """A process that imports the engine and the service's import path but never rates does not pay numba's
    resident memory (about 110 MiB: an import's peak goal is 600 MB); ``kernels.load`` (a worker's start) or the
    first compiled call loads it."""
    code = """
import sys
import numpy as np
import rating_service.records.service, scoring.engine, scoring.explain
from scoring import kernels
print("numba" in sys.modules)
kernels.load()  # as a worker does at its start
print("numba" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, check=True, timeout=300)
    assert done.stdout.split() == ["False", "True"]


def test_sums_by_code_refuse_columns_of_other_lengths() -> None:
    """Weights or a mask of another length than the codes are an error, not a sum over part of the rows."""
    codes = np.array([0, 1, 1], dtype=np.int32)
    with pytest.raises(ValueError):
        engine._sum_by(codes, np.ones(2), 2)
    with pytest.raises(ValueError):
        engine._sum_by(codes, None, 2, where=np.ones(4, dtype=bool))
    assert np.array_equal(engine._sum_by(codes[:0], np.ones(0), 2), np.zeros(2))


def _dates(rng: np.random.Generator, rows: int, unit: str) -> pd.Series:
    """Dates around 2025 (and before 1970, where the floor of a division matters) at random times of day, some
    missing, in ``unit`` ("D": whole days; "text": ISO texts, None where missing)."""
    days = rng.integers(-400, 400, size=rows) + rng.choice([20_089, -3], size=rows)
    if unit == "text":
        held = _dates(rng, rows, "D").astype(object)
        return pd.Series([None if pd.isna(v) else v.date().isoformat() for v in held], dtype=object)
    if unit == "D":
        values = days.astype("datetime64[D]").astype("datetime64[s]")
    else:
        per = int(np.timedelta64(1, "D") / np.timedelta64(1, unit))
        values = (days * per + rng.integers(0, per, size=rows)).astype(f"datetime64[{unit}]")
    values[rng.random(rows) < 0.25] = np.datetime64("NaT")
    return pd.Series(values)


@pytest.mark.parametrize("seed", range(10))
def test_inspection_points_and_complaint_deadlines_match_numpy(seed: int) -> None:
    """The compiled passes over dates as held (seconds, milliseconds, nanoseconds, or day numbers for other
    columns) give what the engine's numpy steps gave over day numbers: defect points with the overdue multiplier,
    and per complaint whether it was due, whether on time, and the days past due."""
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(0, 3000))
    units = ["s", "ms", "ns", "D", "text"]
    as_of = 20_453
    multiplier = float(rng.choice([1.5, 2.0]))

    rectify_by, rectified_on = _dates(rng, rows, units[seed % 5]), _dates(rng, rows, units[(seed + 1) % 5])
    severity = rng.choice([0.0, 1.0, 2.0, 5.0], size=rows)
    by, on = engine._days(rectify_by), engine._days(rectified_on)
    late = (by != engine.NO_DAY) & (on != engine.NO_DAY) & (on > by)
    missed = (by != engine.NO_DAY) & (on == engine.NO_DAY) & (by < as_of)
    expected = severity * np.where((late | missed) & (severity > 0), multiplier, 1.0)
    fast = kernels.inspection_points(severity, engine._ticks(rectify_by), engine._ticks(rectified_on), as_of,
                                     engine.NO_DAY, multiplier)
    assert np.array_equal(fast, expected)
    assert late.any() or missed.any() or rows < 100
    column = np.full(rows + 3, -1.0)  # the records frame's points, the inspections' rows written in place
    kernels.inspection_points(severity, engine._ticks(rectify_by), engine._ticks(rectified_on), as_of,
                              engine.NO_DAY, multiplier, out=column[1:1 + rows])
    assert np.array_equal(column[1:1 + rows], expected) and column[0] == column[-1] == column[-2] == -1.0

    company = rng.integers(-1, 50, size=rows).astype(np.int32)
    received = engine._days(_dates(rng, rows, "s"))
    due_on, resolved_on = _dates(rng, rows, units[(seed + 2) % 5]), _dates(rng, rows, units[(seed + 3) % 5])
    due = engine._days(due_on)
    due = np.where(due == engine.NO_DAY, received + 10, due)
    resolved = engine._days(resolved_on)
    is_due = (company >= 0) & (due <= as_of)
    on_time = is_due & (resolved != engine.NO_DAY) & (resolved <= due)
    past_due = (np.where(resolved == engine.NO_DAY, as_of, resolved) - due).astype(float)
    got = kernels.complaint_deadlines(company, received, engine._ticks(due_on), engine._ticks(resolved_on), 10,
                                      as_of, engine.NO_DAY)
    for fast, expected in zip(got, (is_due, on_time, past_due), strict=True):
        assert fast.dtype == expected.dtype
        assert np.array_equal(fast, expected)
    assert on_time.any() or rows < 100


def test_ticks_of_read_only_dates_give_the_same_days() -> None:
    """Dates held read-only (as a column zero-copied from Arrow is) are read as any others."""
    rng = np.random.default_rng(5)
    values = _dates(rng, 500, "s").to_numpy()
    values.setflags(write=False)
    held = pd.Series(values)
    severity = np.ones(500)
    expected = kernels.inspection_points(severity, engine._ticks(held.copy()), engine._ticks(held.copy()), 20_453,
                                         engine.NO_DAY, 2.0)
    assert np.array_equal(kernels.inspection_points(severity, engine._ticks(held), engine._ticks(held), 20_453,
                                                    engine.NO_DAY, 2.0), expected)


_LOOPS = ("attribute", "cut_survivors", "sum_by", "inspection_points", "complaint_deadlines")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds())
def test_a_rating_runs_the_versions_load_made(world: World) -> None:
    """After ``kernels.load`` (a worker's start), a rating compiles nothing more: read-only frame columns (pandas'
    copy on write), categorical ids with codes of any width and the evidence's key types all run the versions
    already made, so no rating pays for compiling or loading one."""
    from scoring import _compiled

    kernels.load()
    made = {name: set(getattr(_compiled, name).signatures) for name in _LOOPS}
    plain = inputs(**world)
    coded = inputs(**world)
    for kind in engine.RECORD_KINDS:
        frame = getattr(coded, kind)
        if frame is not None:
            for column in ("credit_code", "community_id"):
                if column in frame:
                    frame[column] = frame[column].astype("category")
    for held in (plain, coded):
        result = rate(held)
        explanations_json(result, ZY2025)
    assert {name: set(getattr(_compiled, name).signatures) for name in _LOOPS} == made


@pytest.mark.parametrize("seed", range(10))
def test_event_days_and_visit_keys_match_numpy(seed: int) -> None:
    """Event days and whether each is in the period, from dates as held (seconds, milliseconds, nanoseconds,
    whole days, texts), and the visit keys of the records with a company, as the engine's numpy steps made them."""
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(0, 3000))
    dates = _dates(rng, rows, ["s", "ms", "ns", "D", "text"][seed % 5])
    start, end = 20_089, 20_453
    day = engine._days(dates)
    fast_day, fast_in = kernels.event_days(engine._ticks(dates), start, end, engine.NO_DAY)
    assert np.array_equal(fast_day, day)
    assert np.array_equal(fast_in, (day >= start) & (day <= end))
    # Written into a slice of a larger column (the records frame's), in place.
    column = np.ones(rows + 4, dtype=bool)
    _, written = kernels.event_days(engine._ticks(dates), start, end, engine.NO_DAY, in_period=column[2:2 + rows])
    assert np.shares_memory(written, column) and np.array_equal(column[2:2 + rows], fast_in)
    assert column[:2].all() and column[2 + rows:].all()
    with pytest.raises(ValueError, match="writeable contiguous"):
        kernels.event_days(engine._ticks(dates), start, end, engine.NO_DAY, in_period=column[::2])

    company = rng.integers(-1, 40, size=rows).astype(np.int32)
    community = rng.integers(-1, 90, size=rows).astype(np.int32)
    kept = company >= 0
    expected = (company[kept] * np.int64(91) + community[kept] + 1) * engine._SHIFT + (day[kept] - start)
    assert np.array_equal(kernels.visit_keys(company, community, day, 91, int(engine._SHIFT), start), expected)
