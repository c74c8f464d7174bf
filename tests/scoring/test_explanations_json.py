"""``explanations_json`` (every company's explanation built column by column) against the reference: one
``explain()`` per company, encoded as the cycles store it. Byte-identical on random worlds."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import explain as explain_module
from scoring.engine import RatingResult
from scoring.explain import explain, explanations_json
from tests.scoring.test_properties import ZY2025, World, rate, worlds


def reference(result: RatingResult) -> list[str]:
    return [json.dumps(explain(result, code, ZY2025).as_dict(), ensure_ascii=False, separators=(",", ":"))
            for code in result.companies["credit_code"]]


@settings(max_examples=40, deadline=None)
@given(world=worlds())
def test_every_explanation_is_the_reference_byte_for_byte(world: World) -> None:
    result = rate(world)
    assert explanations_json(result, ZY2025) == reference(result)


@settings(max_examples=25, deadline=None)
@given(world=worlds(), seed=st.integers(0, 2**32 - 1))
def test_odd_texts_and_shuffled_frames_still_match(world: World, seed: int) -> None:
    """Names and record ids needing escapes or missing, and frames in any row order (the reference finds a
    company's rows wherever they are; within a company their order is kept)."""
    result = rate(world)
    rng = np.random.default_rng(seed)
    odd = ['引号"', "back\\slash", "tab\tnew\nline", "\x01", "普通", "é"]
    companies = result.companies.copy()
    companies["name"] = [None if rng.random() < 0.3 else odd[rng.integers(len(odd))] for _ in range(len(companies))]
    evidence = result.evidence.copy()
    if len(evidence):
        evidence["record_id"] = [f"{odd[rng.integers(len(odd))]}{i}" for i in range(len(evidence))]

    def shuffled(frame: pd.DataFrame) -> pd.DataFrame:
        # Companies interleaved at random, each company's own rows kept in order.
        if frame.empty:
            return frame
        keys = pd.Series(rng.random(len(frame))).groupby(frame["credit_code"].to_numpy()).transform("min")
        order = np.lexsort((np.arange(len(frame)), keys.to_numpy()))
        return frame.iloc[order].reset_index(drop=True)

    changed = RatingResult(result.period, result.methodology_id, result.constants, shuffled(companies),
                           shuffled(result.reasons), shuffled(evidence), result.records, shuffled(result.paths))
    assert explanations_json(changed, ZY2025) == reference(changed)


def test_no_companies_no_explanations() -> None:
    result = rate({"companies": [], "communities": [], "contracts": []})
    assert explanations_json(result, ZY2025) == reference(result) == []


@settings(max_examples=25, deadline=None)
@given(world=worlds(), seed=st.integers(0, 2**32 - 1), chunk=st.integers(1, 4))
def test_chunks_of_a_few_companies_give_the_same_texts(world: World, seed: int, chunk: int) -> None:
    """The texts are put together a chunk of companies at a time: chunk edges inside a company's evidence,
    reasons or path steps, in frames in any company order, change nothing."""
    result = rate(world)
    rng = np.random.default_rng(seed)

    def shuffled(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return frame
        keys = pd.Series(rng.random(len(frame))).groupby(frame["credit_code"].to_numpy()).transform("min")
        return frame.iloc[np.lexsort((np.arange(len(frame)), keys.to_numpy()))].reset_index(drop=True)

    changed = RatingResult(result.period, result.methodology_id, result.constants, result.companies,
                           shuffled(result.reasons), shuffled(result.evidence), result.records,
                           shuffled(result.paths))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(explain_module, "_COMPANIES_PER_CHUNK", chunk)
        assert explanations_json(result, ZY2025) == reference(result)
        assert explanations_json(changed, ZY2025) == reference(changed)


@pytest.mark.parametrize("seed", range(20))
def test_codes_by_runs_are_those_of_hashing_every_row(seed: int) -> None:
    """``_run_factorize`` hashes only the first row of each run of equal values, and ``_reason_codes`` names
    the values by ``str()``: against factorizing every row, on columns with runs, missing values (None, NaN,
    pd.NA) and values of other types."""
    rng = np.random.default_rng(seed)
    pool: list[object] = ["INSP", "FEE", "VETO", "COMPL_RATE", "91340722000000035T", None, np.nan, 3, "3"]
    if seed % 4 == 0:
        pool.append(pd.NA)
    columns = []
    for _ in range(2):
        values = [pool[i] for i in rng.integers(len(pool), size=int(rng.integers(0, 12)))]
        runs = rng.integers(1, 5, size=len(values))
        columns.append(pd.Series([v for v, r in zip(values, runs, strict=True) for _ in range(r)], dtype=object))
    for column in columns:
        codes, uniques = explain_module._run_factorize(column)
        expected_codes, expected_uniques = pd.factorize(column.to_numpy(dtype=object))
        assert codes.dtype == np.int64 and np.array_equal(codes, expected_codes)
        assert [repr(u) for u in uniques] == [repr(u) for u in expected_uniques]
    texts = [list(map(str, column.tolist())) for column in columns]
    expected, names = pd.factorize(np.array([t for text in texts for t in text], dtype=object), sort=True)
    got_names, got = explain_module._reason_codes(*columns)
    assert got_names == [str(name) for name in names]
    assert np.array_equal(np.concatenate(got), expected.astype(np.int64))
