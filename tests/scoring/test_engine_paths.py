"""The engine's fast paths against their references (tests/scoring/engine_reference.py) on random data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring import engine
from scoring.methodology import METHODOLOGY_DIR, REASON_CODES, Methodology, load_methodology
from tests.scoring import engine_reference

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


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("limit", [1, 3, 5])
def test_prefilter_matches_the_reference(seed: int, limit: int) -> None:
    """Companies with fewer rows than the limit, ties at the threshold, ranks of one value or of hundreds."""
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(1, 3000))
    company = rng.integers(0, int(rng.integers(1, 200)), size=rows).astype(np.int32 if seed % 2 else np.int64)
    values = rng.integers(0, int(rng.integers(1, 400)), size=rows).astype(float)
    ranks, distinct = engine._dense_desc(values)
    fast = engine._prefilter(company, ranks, distinct, limit)
    assert np.array_equal(fast, engine_reference.prefilter(company, ranks, distinct, limit))
    assert fast.sum() >= min(limit, rows)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("limit", [1, 3, 5])
def test_top_rows_through_the_prefilter_are_those_of_the_full_sort(seed: int, limit: int) -> None:
    """Enough rows for the prefilter (more than 50 per limit), few companies and many ties on both keys, so
    that record ids decide at the cut; the full sort without the prefilter is the reference. The caller's
    list of keys is given up (emptied), its arrays untouched."""
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(50 * limit + 1, 4000))
    company = rng.integers(0, int(rng.integers(1, 40)), size=rows).astype(np.int32)
    days = rng.integers(20_000, 20_000 + int(rng.integers(1, 30)), size=rows).astype(np.int64)
    points = rng.integers(0, 6, size=rows) / 2.0
    ids = np.array([f"R{rng.integers(10**6):06d}-{i}" for i in range(rows)], dtype=object)
    reference = engine._top(company, [points.copy(), days.copy()], lambda at: ids[at], limit, prefilter=False)
    keys = [points, days]
    held = [points.copy(), days.copy()]
    fast = engine._top(company, keys, lambda at: ids[at], limit)
    assert len(reference) < rows  # the cut leaves rows out
    assert np.array_equal(fast, reference)
    assert keys == [] and np.array_equal(points, held[0]) and np.array_equal(days, held[1])


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("kind", ["days", "half_points", "fractions", "with_nan", "wide"])
def test_dense_ranks_match_the_reference(seed: int, kind: str) -> None:
    """Day numbers (int64), points in halves, other floats, NaN and a range too wide for the table."""
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(1, 3000))
    values = {
        "days": lambda: rng.integers(19_000, 20_500, size=rows).astype(np.int64),
        "half_points": lambda: rng.integers(-20, 400, size=rows) / 2.0,
        "fractions": lambda: rng.integers(0, 50, size=rows) / 3.0,
        "with_nan": lambda: np.where(rng.random(rows) < 0.2, np.nan, rng.integers(0, 40, size=rows) / 2.0),
        "wide": lambda: rng.choice(np.array([0, 10**9, -(10**9), 7]), size=rows).astype(np.int64),
    }[kind]()
    fast, reference = engine._dense_desc(values), engine_reference.dense_desc(values)
    assert fast[1] == reference[1]
    assert fast[0].dtype == np.int64 and np.array_equal(fast[0], reference[0])


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
    """Counts and weighted sums, codes of int32 and int64 with -1 and below (left out), rows left out by a mask;
    equal to the last bit (the same rows added in the same order)."""
    rng = np.random.default_rng(seed)
    rows, size = int(rng.integers(0, 5000)), int(rng.integers(1, 300))
    codes = rng.integers(-3, size, size=rows).astype(np.int32 if seed % 2 else np.int64)
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
    tables: dict = {}
    for categories, index in [(registry, rated), (registry, rated), (other, rated), (registry, rated_too),
                              (other, rated_too), (registry, rated)]:
        values = pd.Series(pd.Categorical.from_codes(rng.integers(-1, len(categories), size=200),
                                                     categories=categories))
        expected = index.get_indexer(values.astype(object).where(values.notna(), None)).astype(np.int32)
        assert np.array_equal(engine._codes(values, index, tables), expected)
        outside = np.where(values.notna().to_numpy() & (expected < 0), -2, expected)
        assert np.array_equal(engine._codes(values, index, tables, absent=-2), outside)
        as_text = values.astype(object)
        assert np.array_equal(engine._codes(as_text, index, absent=-2), outside)
        assert np.array_equal(engine._codes(as_text, index), expected)
    assert len(tables) == 8
