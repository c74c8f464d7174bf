"""Text hashed from Arrow buffers equals pandas' hash of the same values as Python strings, on random texts of every
length from 0 to 70 bytes (ASCII, Chinese, emoji, missing), in either Arrow string type, sliced or in chunks, with
values of one length adjacent or scattered, a step of any size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from rating_service.cycles import text_hash

ALPHABET = list("abcXYZ0189-_ ,\"'\\") + list("物业服务枞阳县") + ["🏠", "é", "\x00", "\n"]


def _texts(rng: np.random.Generator, rows: int) -> list[str | None]:
    out: list[str | None] = []
    for _ in range(rows):
        if rng.random() < 0.1:
            out.append(None)
            continue
        text = "".join(rng.choice(ALPHABET, int(rng.integers(0, 30))))
        out.append(text.encode()[:int(rng.integers(0, 71))].decode(errors="ignore"))  # 0–70 bytes
    return out


def _pandas(texts: list[str | None]) -> np.ndarray:
    values = np.array(["" if t is None else t for t in texts], dtype=object)
    return pd.util.hash_array(values, categorize=False)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
@pytest.mark.parametrize("step", [1, 5, 65_536])
def test_arrow_text_hashes_equal_pandas(seed: int, kind: pa.DataType, step: int,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_hash, "_STEP", step)
    rng = np.random.default_rng(seed)
    texts = _texts(rng, 600)
    whole = pa.array(texts, type=kind)
    assert (text_hash.hash_texts(whole) == _pandas(texts)).all()
    # A slice (the array's offset is not zero) and a chunked array of slices, some empty.
    assert (text_hash.hash_texts(whole.slice(37, 400)) == _pandas(texts[37:437])).all()
    cuts = sorted(int(c) for c in rng.integers(0, 600, 5))
    chunked = pa.chunked_array([whole.slice(a, b - a) for a, b in zip([0, *cuts], [*cuts, 600], strict=True)],
                               type=kind)
    assert (text_hash.hash_texts(chunked) == _pandas(texts)).all()


def test_adjacent_values_of_one_length_are_hashed_as_scattered_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record ids of one length side by side (one slice of the data buffer per step), and the same ids with
    other lengths between them (gathered value by value)."""
    monkeypatch.setattr(text_hash, "_STEP", 7)
    ids = [f"GD2025-{i:08d}" for i in range(100)]
    mixed = [x for i, x in enumerate(ids) for x in ([x, "短"] if i % 3 else [x, None, "x" * (i % 20)])]
    assert (text_hash.hash_texts(pa.array(ids)) == _pandas(list(ids))).all()
    assert (text_hash.hash_texts(pa.array(mixed)) == _pandas(mixed)).all()


def test_no_values() -> None:
    assert text_hash.hash_texts(pa.chunked_array([], type=pa.large_string())).dtype == np.uint64
    assert len(text_hash.hash_texts(pa.array([], type=pa.string()))) == 0
