"""The explanations' Arrow paths against the Python ones they replace, on random data: numbers formatted by Arrow
against ``repr``, record ids taken to Arrow against ``str()`` and the encoder, text columns hashed by Arrow against
hashing Python strings, and whole explanations with every merge made in Arrow against the reference."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import explain as explain_module
from scoring.explain import explanations_json
from tests.scoring.test_explanations_json import reference
from tests.scoring.test_properties import ZY2025, World, rate, worlds


def _numbers(rng: np.random.Generator, size: int) -> np.ndarray:
    """Doubles of every kind: any bit pattern, every scale, few decimals, whole numbers, the edges of ``repr``'s
    positional range and their neighbours, zeros, subnormals, NaN and infinities."""
    bits = rng.integers(0, 2**63, size=size, dtype=np.int64).view(np.float64)
    scaled = rng.random(size) * 10.0 ** rng.integers(-9, 22, size=size).astype(float)
    decimals = np.round(rng.random(size) * 10.0 ** rng.integers(0, 17, size=size).astype(float), rng.integers(0, 8))
    whole = np.floor(rng.random(size) * 10.0 ** rng.integers(0, 18, size=size).astype(float))
    edges = np.array([1e-4, 1e16, 1e15, 1e14, 123456789012345.6, 9999999999999998.0, 0.1, 100.0, 1e-5, 5e-324,
                      2.2250738585072014e-308, 1.7976931348623157e308, 0.0, -0.0, math.nan, math.inf, -math.inf])
    with np.errstate(over="ignore"):
        near = np.concatenate([np.nextafter(edges, np.inf), np.nextafter(edges, -np.inf)])
    everything = np.concatenate([bits, scaled, decimals, whole, edges, near])
    negative = rng.random(everything.size) < 0.3
    return np.where(negative, -everything, everything)


@pytest.mark.parametrize("seed", range(8))
def test_arrow_formats_numbers_as_repr(seed: int) -> None:
    numbers = _numbers(np.random.default_rng(seed), 40_000)
    assert explain_module._arrow_float_texts(numbers).to_pylist() == explain_module._float_texts(numbers.tolist())


@pytest.mark.parametrize("seed", range(6))
def test_json_floats_in_arrow_give_the_texts_of_the_encoder(seed: int) -> None:
    """Many distinct numbers (Arrow's texts) or few (Python's), with repeats, NaN and -0.0 among them."""
    rng = np.random.default_rng(seed)
    pool = _numbers(rng, 300)
    for size in (5, 64, 2_000):
        values = pool[rng.integers(pool.size, size=size)] if seed % 2 else _numbers(rng, size)[:size]
        coded = explain_module._json_floats(values)
        texts = coded.column().to_pylist()
        plain = [None if v != v else float(v) for v in values.tolist()]
        assert texts == [json.dumps(v) if v is not None else "null" for v in plain]


def _id_values(rng: np.random.Generator, size: int, *, odd: bool) -> list[object]:
    pool: list[object] = ["INSP-1", "投诉-2", "é", "x" * 40]
    if odd:
        pool += ['q"uote', "back\\slash", "tab\t", "\x00nul", "\x1f", 7, 3.5, b"bytes", None]
    return [pool[i] if rng.random() < 0.7 else f"R{i}-{n}" for n, i in enumerate(rng.integers(len(pool), size=size))]


@pytest.mark.parametrize("seed", range(24))
@pytest.mark.parametrize("dtype", [object, "str"])
def test_record_ids_in_arrow_are_the_texts_of_str_and_the_encoder(seed: int, dtype: object) -> None:
    rng = np.random.default_rng(seed)
    values = _id_values(rng, int(rng.integers(0, 50)), odd=seed % 3 == 0)
    column = pd.Series(values, dtype=object)
    if dtype == "str":
        column = column.map(lambda v: v if isinstance(v, str) else None).astype("str")
    texts, plain = explain_module._id_texts(column)
    expected = list(map(str, column.tolist()))
    expected_plain = explain_module._plain_strings(expected)
    assert plain == expected_plain
    assert texts.to_pylist() == (expected if plain else list(map(json.encoder.encode_basestring, expected)))


@pytest.mark.parametrize("seed", range(20))
def test_arrow_text_codes_by_runs_are_those_of_python_strings(seed: int) -> None:
    """A column of Arrow text (the engine's frames) is hashed by Arrow: the same codes and values as hashing
    the same column of Python strings, missing values included."""
    rng = np.random.default_rng(seed)
    pool: list[object] = ["INSP", "FEE", "VETO", "91340722000000035T", "投诉", None]
    values = [pool[i] for i in rng.integers(len(pool), size=int(rng.integers(0, 30)))]
    runs = rng.integers(1, 5, size=len(values))
    held = pd.Series([v for v, r in zip(values, runs, strict=True) for _ in range(r)], dtype=object)
    codes, uniques = explain_module._run_factorize(held.astype("str"))
    expected_codes, expected_uniques = explain_module._run_factorize(held)
    assert codes.dtype == np.int64 and np.array_equal(codes, expected_codes)
    assert uniques == expected_uniques


@settings(max_examples=25, deadline=None)
@given(world=worlds(), share=st.sampled_from([1, 2, 16]))
def test_explanations_with_every_merge_in_arrow_match_the_reference(world: World, share: int) -> None:
    """Merged parts' texts put together in Arrow (``_IN_ARROW`` 0) rather than in Python, with parts paired
    more or less often (``_MERGED_SHARE``): the same texts."""
    result = rate(world)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(explain_module, "_IN_ARROW", 0)
        patch.setattr(explain_module, "_MERGED_SHARE", share)
        assert explanations_json(result, ZY2025) == reference(result)


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("large", [True, False])
def test_escapes_are_found_in_the_bytes_as_the_encoder_finds_them(seed: int, large: bool) -> None:
    """Any character the encoder escapes, anywhere, beside characters of two to four bytes; in a slice of an array
    too (Arrow's offsets then start past 0)."""
    rng = np.random.default_rng(seed)
    alphabet = list("aZ09-_ 投诉é€😀") + (['"', "\\", "\x00", "\n", "\x1f"] if seed % 2 else [])
    texts = ["".join(alphabet[i] for i in rng.integers(len(alphabet), size=int(rng.integers(0, 6))))
             for _ in range(int(rng.integers(1, 40)))]
    low = int(rng.integers(0, len(texts)))
    high = int(rng.integers(low, len(texts) + 1))
    array = pa.array(texts, pa.large_string() if large else pa.string()).slice(low, high - low)
    expected = any(explain_module._NEEDS_ESCAPE.search(text) for text in texts[low:high])
    assert explain_module._escapes(array) == expected


@pytest.mark.parametrize("seed", range(12))
def test_names_in_arrow_are_the_encoders_json(seed: int) -> None:
    """Company names past ``_IN_ARROW`` distinct ones quoted in Arrow: each row's text is what the encoder writes
    (Chinese, quotes and backslashes, control characters in some seeds, missing names as null)."""
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 4000))
    odd = ['"', "\\", "\n", "\x01"] if seed % 3 == 0 else []
    letters = ["物", "业", "公", "司", "A", "z", " ", "（", "）", *odd]
    names: list[object] = ["".join(rng.choice(letters, size=int(rng.integers(1, 12)))) for _ in range(size)]
    for i in rng.choice(size, size=size // 10, replace=False):
        names[i] = None if rng.random() < 0.5 else float("nan")
    column = pd.Series(names, dtype=object)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(explain_module, "_IN_ARROW", 0)
        fast = explain_module._json_names(column)
    expected = [json.dumps(v, ensure_ascii=False) if isinstance(v, str) else "null" for v in names]
    assert fast.column().to_pylist() == expected
    plain = not any(isinstance(v, str) and any(c in v for c in odd) for v in names)
    assert isinstance(fast.texts, pa.Array) == plain  # Arrow's texts unless a name needs escaping


@pytest.mark.parametrize("seed", range(12))
def test_rows_matched_to_positions_as_every_pair_compared(seed: int) -> None:
    """``_Groups.matched``: every row goes with each position whose target is its key, in position order and the
    frame's order within a position; rows of no position (or key -1) are dropped. Targets held once (the table,
    sorted or not) and repeated (the general path), keys sorted (the engine's) or not."""
    rng = np.random.default_rng(seed)
    rows, size = int(rng.integers(0, 400)), int(rng.integers(1, 120))
    targets = rng.permutation(rng.choice(np.arange(3 * size), size=size, replace=seed % 3 == 2))
    key = rng.choice(np.r_[targets, -1, 3 * size + 5, 1_000_000], size=rows)
    if seed % 2:
        key = np.sort(key)
    if seed % 4 == 0:  # every row matched, in the targets' order (the fast slice)
        key = np.r_[np.full(seed % 3, -1), np.repeat(targets, rng.integers(0, 4, size=size))]  # -1: no position
        rows = len(key)
    grouped = explain_module._Groups.matched(key, targets.astype(np.int64))
    wanted = [(p, i) for p, t in enumerate(targets) for i in range(rows) if key[i] == t]
    got_rows = np.arange(rows)[grouped.rows] if isinstance(grouped.rows, slice) else grouped.rows
    assert list(zip(grouped.keys.tolist(), got_rows.tolist(), strict=True)) == wanted
