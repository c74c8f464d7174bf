"""The snapshot digest equals its definition (``hash_pandas_object`` of each kind's canonical frame, row hashes
sorted) on random frames, whether the rows are hashed all at once or a slice at a time."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from rating_service.cycles import service as cycles

TEXTS = ["", "a", "ZY-C001", "物业", "emoji 🏠", "comma, inside", "GD2025-000001", "x" * 40]


def _frames(seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    out = {}
    for kind in ("complaints", "companies", "inspections"):
        rows = int(rng.integers(0, 300))
        missing = rng.random(rows) < 0.2
        text = pd.Series(rng.choice(TEXTS, rows), dtype="str").mask(missing)
        days = rng.integers(0, 20_000, rows).astype("datetime64[D]").astype("datetime64[s]")
        days[rng.random(rows) < 0.2] = np.datetime64("NaT")
        out[kind] = pd.DataFrame({
            "record_id": text + pd.Series(rng.integers(0, 10**6, rows).astype(str), dtype="str"),
            "credit_code": pd.Series(rng.choice(TEXTS, rows)).mask(rng.random(rows) < 0.1).astype("category"),
            "received_on": days,
            "substantiated": rng.random(rows) < 0.5,
            "amount_yuan": pd.Series(rng.integers(0, 10**8, rows) / 100).mask(rng.random(rows) < 0.1),
            "name": text,
        })
    return out


def _reference(frames: dict[str, pd.DataFrame]) -> str:
    digest = hashlib.sha256()
    for kind in sorted(frames):
        frame = frames[kind]
        digest.update(f"{kind}:{len(frame)}:{','.join(frame.columns)};".encode())
        if frame.empty:
            continue
        canonical = {}
        for name, values in frame.items():
            if pd.api.types.is_datetime64_any_dtype(values):
                canonical[name] = values.to_numpy(dtype="datetime64[D]").astype(np.int64)
            elif values.dtype == bool:
                canonical[name] = values.to_numpy()
            elif pd.api.types.is_float_dtype(values):
                canonical[name] = values.round(6).fillna(-1e300).to_numpy()
            else:
                canonical[name] = values.astype(object).where(values.notna(), "").to_numpy(dtype=object)
        rows = pd.util.hash_pandas_object(pd.DataFrame(canonical), index=False).to_numpy().copy()
        rows.sort()
        digest.update(rows.tobytes())
    return digest.hexdigest()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("rows_at_a_time", [1, 7, 1_000_000])
def test_the_digest_equals_its_definition(seed: int, rows_at_a_time: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cycles, "_DIGEST_SLICE", rows_at_a_time)
    frames = _frames(seed)
    assert cycles.snapshot_digest(frames) == _reference(frames)
