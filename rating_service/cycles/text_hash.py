"""``pd.util.hash_array(texts, categorize=False)`` of an Arrow text array, computed from its buffers.

pandas hashes each text's UTF-8 bytes with SipHash-2-4 under its default key, one Python string (and one bytes
object) per value, and then redistributes the 64-bit results. Here the same function runs in numpy over many
values at once: the values of one byte length are laid out as rows of little-endian 64-bit words (a run of
adjacent values straight from the data buffer) and every step of the hash is one array operation over the rows.
No Python object is made per value, and numpy lets go of the interpreter lock while it computes.
Values shorter than 8 bytes and missing values (hashed as "") are few: pandas hashes them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

_KEY = np.frombuffer(b"0123456789123456", dtype="<u8")  # pandas' default hash_key, as two words
_INIT = (np.uint64(0x736F6D6570736575) ^ _KEY[0], np.uint64(0x646F72616E646F6D) ^ _KEY[1],
         np.uint64(0x6C7967656E657261) ^ _KEY[0], np.uint64(0x7465646279746573) ^ _KEY[1])
_SHIFTS = {bits: (np.uint64(bits), np.uint64(64 - bits)) for bits in (13, 16, 17, 21, 32)}
# Values hashed at a time: the state's four arrays and the scratch stay in the cache, made once.
_STEP = 65_536


def hash_texts(values: Any) -> np.ndarray:
    """The 64-bit hashes of an Arrow string, large_string or chunked array of them, as ``pd.util.hash_array``
    gives for the same values as Python strings (missing as "")."""
    import pyarrow as pa

    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    parts = [_hash_chunk(chunk) for chunk in chunks if len(chunk)]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)


def _hash_chunk(chunk: Any) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = len(chunk)
    _validity, offsets_buffer, data_buffer = chunk.buffers()
    offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[chunk.offset:chunk.offset + rows + 1].astype(np.int64)
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, dtype=np.uint8)
    lengths = np.diff(offsets)
    if chunk.null_count:
        lengths[chunk.is_null().to_numpy(zero_copy_only=False)] = 0
    out = np.empty(rows, dtype=np.uint64)
    state = _SipHash()
    for length in np.unique(lengths).tolist():
        positions = np.flatnonzero(lengths == length)
        if length < 8:
            short = pc.fill_null(chunk.take(pa.array(positions)), "").to_numpy(zero_copy_only=False)
            out[positions] = pd.util.hash_array(short, categorize=False)
            continue
        starts = offsets[:-1][positions]
        # One row per value: its bytes, then zeros up to a whole number of words (the last word's spare bytes).
        words = np.zeros((_STEP, (length // 8 + 1) * 8), dtype=np.uint8)
        columns = np.arange(length)
        for low in range(0, len(positions), _STEP):
            begin = starts[low:low + _STEP]
            count = len(begin)
            if begin[-1] - begin[0] == (count - 1) * length:  # adjacent values: one slice of the data
                words[:count, :length] = data[begin[0]:begin[0] + count * length].reshape(count, length)
            else:
                words[:count, :length] = data[begin[:, None] + columns]
            out[positions[low:low + _STEP]] = state.hash(words[:count].view("<u8"), length)
    return out


class _SipHash:
    """SipHash-2-4 (as pandas' ``low_level_siphash``) of many messages of one length at once, then pandas'
    redistribution of the result; its arrays are made once and reused."""

    def __init__(self) -> None:
        self.v = [np.empty(_STEP, dtype=np.uint64) for _ in range(4)]
        self.scratch = np.empty(_STEP, dtype=np.uint64)
        self.word = np.empty(_STEP, dtype=np.uint64)

    def hash(self, words: np.ndarray, length: int) -> np.ndarray:
        """``words``: one row per message, its bytes as little-endian words, the last word zero-padded."""
        count = words.shape[0]
        v0, v1, v2, v3 = (v[:count] for v in self.v)
        for v, initial in zip((v0, v1, v2, v3), _INIT, strict=True):
            v[:] = initial
        word = self.word[:count]
        for block in range(words.shape[1]):
            word[:] = words[:, block]
            if block == words.shape[1] - 1:
                word |= np.uint64((length & 0xFF) << 56)
            v3 ^= word
            self._rounds(count, 2)
            v0 ^= word
        v2 ^= np.uint64(0xFF)
        self._rounds(count, 4)
        out = v0 ^ v1
        out ^= v2
        out ^= v3
        scratch = self.scratch[:count]
        for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB), (31, None)):
            np.right_shift(out, np.uint64(shift), out=scratch)
            out ^= scratch
            if factor is not None:
                out *= np.uint64(factor)
        return out

    def _rounds(self, count: int, rounds: int) -> None:
        v0, v1, v2, v3 = (v[:count] for v in self.v)
        for _ in range(rounds):
            v0 += v1
            self._rotate(v1, 13)
            v1 ^= v0
            self._rotate(v0, 32)
            v2 += v3
            self._rotate(v3, 16)
            v3 ^= v2
            v0 += v3
            self._rotate(v3, 21)
            v3 ^= v0
            v2 += v1
            self._rotate(v1, 17)
            v1 ^= v2
            self._rotate(v2, 32)

    def _rotate(self, values: np.ndarray, bits: int) -> None:
        left, right = _SHIFTS[bits]
        scratch = self.scratch[:len(values)]
        np.left_shift(values, left, out=scratch)
        np.right_shift(values, right, out=values)
        values |= scratch
