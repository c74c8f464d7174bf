"""Snapshot readers the service's (ADBC, ``rating_service.cycles.repository``) was measured against, for
cycle_bench's comparison only (nothing outside bench/ imports this module); each gives the frames of
``repository._read_rows``:

- ``read_copy``: the reader the service used before issue 21, ``COPY (select) TO STDOUT WITH (FORMAT csv)``
  parsed by hand (a numpy parser for chunks without quoted values, ``pandas.read_csv`` for the others);
- ``read_pyarrow_csv``: the same ``COPY`` CSV of the service's wire expressions, read by ``pyarrow.csv``.
"""

from __future__ import annotations

import io
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select
from sqlalchemy.dialects import postgresql

from rating_service.cycles.repository import (
    BOOL_COLUMNS,
    CATEGORY_COLUMNS,
    DATE_COLUMNS,
    NUMBER_COLUMNS,
    _from_arrow,
    _typed,
    _wire_expression,
)

COPY_CHUNK_BYTES = 48 * 1024 * 1024


def read_pyarrow_csv(connection: Any, query: Select[Any], columns: list[str]) -> pd.DataFrame:
    """``COPY (SELECT wire expressions FROM (select)) TO STDOUT (FORMAT csv)`` into one buffer, read by
    ``pyarrow.csv`` with the wire's types (an unquoted empty field is NULL, a quoted one the empty text), then
    typed as the service types ADBC's Arrow tables."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    wire = ", ".join(f"{_wire_expression(name)} AS {name}" for name in columns)
    raw = connection.connection.driver_connection
    buffer = io.BytesIO()
    with raw.cursor() as cursor, \
            cursor.copy(f"COPY (SELECT {wire} FROM ({sql}) AS snapshot) TO STDOUT WITH (FORMAT csv)") as copy:
        for block in copy:
            buffer.write(block)
    types = {name: pa.date32() if name in DATE_COLUMNS else pa.bool_() if name in BOOL_COLUMNS
             else pa.float64() if name in NUMBER_COLUMNS else pa.string() for name in columns}
    table = pacsv.read_csv(
        pa.py_buffer(buffer.getbuffer()), read_options=pacsv.ReadOptions(column_names=columns),
        convert_options=pacsv.ConvertOptions(column_types=types, true_values=["t"], false_values=["f"],
                                             null_values=[""], strings_can_be_null=True,
                                             quoted_strings_can_be_null=False))
    del buffer
    return _from_arrow(table, columns)


def read_copy(connection: Any, query: Select[Any], columns: list[str]) -> pd.DataFrame:
    """PostgreSQL: ``COPY (select) TO STDOUT`` parsed a chunk at a time, already typed.

    Dates travel as day numbers and booleans as 0/1; ids and enumerations are factorized per chunk and
    become one categorical at the end (sorted categories, as ``astype("category")`` gives). The result is
    what ``_typed`` makes of the plain text. Chunks are parsed on a second thread while rows arrive
    (mostly numpy work, which releases the GIL that the row loop needs).
    """
    sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    wire = ", ".join(_parser_wire_expression(name) for name in columns)
    raw = connection.connection.driver_connection
    assert raw is not None
    parsing: deque[Future[dict[str, Any]]] = deque()
    chunks: list[dict[str, Any]] = []
    with ThreadPoolExecutor(max_workers=1) as pool, raw.cursor() as cursor, \
            cursor.copy(f"COPY (SELECT {wire} FROM ({sql}) AS snapshot) TO STDOUT WITH (FORMAT csv)") as copy:
        buffer = bytearray()
        for block in copy:  # one block per row
            buffer += block
            if len(buffer) >= COPY_CHUNK_BYTES:
                while len(parsing) >= 2:  # at most two chunks waiting: bounded memory
                    chunks.append(parsing.popleft().result())
                parsing.append(pool.submit(_parse_chunk, buffer, columns))
                buffer = bytearray()
        if buffer:
            parsing.append(pool.submit(_parse_chunk, buffer, columns))
        chunks.extend(future.result() for future in parsing)
    if not chunks:
        return _typed(pd.DataFrame({c: pd.Series(dtype="str") for c in columns}), columns)
    rows = sum(chunk["__rows__"] for chunk in chunks)
    out: dict[str, Any] = {}
    for name in columns:
        parts = [chunk[name] for chunk in chunks]
        if name in CATEGORY_COLUMNS:
            out[name] = _categorical(parts, rows)
        elif name in DATE_COLUMNS or name in BOOL_COLUMNS:
            out[name] = np.concatenate(parts)
        else:
            text = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
            out[name] = pd.to_numeric(text, errors="coerce").astype(float) if name in NUMBER_COLUMNS else text
    return pd.DataFrame(out, index=pd.RangeIndex(rows), copy=False)


def _parser_wire_expression(name: str) -> str:
    if name in DATE_COLUMNS:
        # NULL (and the infinities, which plain text would have turned into NaT) read as NaT.
        return f"CASE WHEN isfinite(snapshot.{name}) THEN snapshot.{name} - DATE '1970-01-01' END"
    if name in BOOL_COLUMNS:
        return f"CASE WHEN snapshot.{name} THEN 1 ELSE 0 END"  # NULL reads as false, as in _typed
    return f"snapshot.{name}"


def _parse_chunk(data: bytearray, columns: list[str]) -> dict[str, Any]:
    """One chunk of COPY's CSV: per column a datetime64[s] or bool array, ``(codes, distinct values as
    words)`` for the categorical columns (code -1: NULL; see ``_words``), pandas ``str`` for the rest."""
    try:
        return _parse_plain(data, columns)
    except _NotPlain:
        return _parse_csv(data, columns)


def _parse_csv(data: bytearray, columns: list[str]) -> dict[str, Any]:
    dtypes = {name: "float64" if name in DATE_COLUMNS else "int64" if name in BOOL_COLUMNS else "str"
              for name in columns}
    frame = pd.read_csv(io.BytesIO(data), header=None, names=columns, dtype=dtypes, keep_default_na=False,
                        na_values=[""], engine="c")
    out: dict[str, Any] = {"__rows__": len(frame)}
    for name in columns:
        values = frame[name]
        if name in DATE_COLUMNS:
            days = values.to_numpy(dtype=np.float64)
            missing = np.isnan(days)
            seconds = np.where(missing, 0, days).astype(np.int64) * 86_400
            out[name] = np.where(missing, np.datetime64("NaT", "s"), seconds.astype("datetime64[s]"))
        elif name in BOOL_COLUMNS:
            out[name] = values.to_numpy() != 0
        elif name in CATEGORY_COLUMNS:
            codes, uniques = pd.factorize(values)
            out[name] = (codes, _encode(np.asarray(uniques, dtype=object)))
        else:
            out[name] = values
    return out


# -- the common case without read_csv: no quoted values, so every comma and newline separates ----------------

class _NotPlain(Exception):
    """A chunk the numpy parser leaves to read_csv (quoted values, or a hash collision)."""


# _MASKS[b]: the low b bytes of a little-endian word, i.e. the first b bytes of a field.
_MASKS = np.array([(1 << (8 * b)) - 1 for b in range(9)], dtype=np.uint64)


def _parse_plain(data: bytearray, columns: list[str]) -> dict[str, Any]:
    """``_parse_csv``'s result, computed with numpy when no value is quoted.

    PostgreSQL quotes every value that holds a comma, quote, CR or LF and every empty string, so without a
    quote each row has exactly one separator per column and an empty field is NULL.
    """
    if b'"' in data or b"\r" in data:
        raise _NotPlain
    buf = np.frombuffer(data, dtype=np.uint8)
    separators = np.flatnonzero((buf == 44) | (buf == 10))
    width = len(columns)
    rows = len(separators) // width
    if len(separators) != rows * width or (rows and buf[len(buf) - 1] != 10):
        raise _NotPlain
    ends = separators.reshape(rows, width)
    if not ((buf[ends[:, -1]] == 10).all() and (buf[ends[:, :-1]] == 44).all()):
        raise _NotPlain
    starts = np.empty_like(ends)
    starts[:1, 0] = 0
    starts[1:, 0] = ends[:-1, -1] + 1
    starts[:, 1:] = ends[:, :-1] + 1
    lengths = ends - starts
    padded = np.zeros(len(buf) + 8, dtype=np.uint8)  # room for 8-byte reads at the end
    padded[:len(buf)] = buf
    out: dict[str, Any] = {"__rows__": rows}
    for j, name in enumerate(columns):
        start, length = starts[:, j], lengths[:, j]
        if name in BOOL_COLUMNS:
            if not (length == 1).all():
                raise _NotPlain
            out[name] = padded[start] == ord("1")
            continue
        words = _words(padded, start, length)
        if name in DATE_COLUMNS:
            if words.shape[1] != 1:
                raise _NotPlain
            codes, distinct = _factorize(words)
            days = np.array([*(int(text) for text in _texts(distinct)), 0], dtype=np.int64)
            values = (days * 86_400).astype("datetime64[s]")
            values[-1] = np.datetime64("NaT")
            out[name] = values[codes]  # code -1 (NULL) picks the final NaT
        elif name in CATEGORY_COLUMNS:
            out[name] = _factorize(words)
        else:
            texts = _texts(words)
            texts[length == 0] = np.nan
            out[name] = pd.Series(pd.array(texts, dtype="str"))
    return out


def _words(padded: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each field's bytes, zero-padded to whole 8-byte words: a (rows, words) uint64 array."""
    count = max(1, (int(lengths.max(initial=0)) + 7) // 8)
    # Element i of this view is the 8 bytes from position i (unaligned little-endian reads).
    at = np.ndarray(shape=(len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
    last = len(padded) - 8
    out = np.empty((len(starts), count), dtype="<u8")
    for j in range(count):
        out[:, j] = at[np.minimum(starts + 8 * j, last)] & _MASKS[np.clip(lengths - 8 * j, 0, 8)]
    return out


def _key(words: np.ndarray) -> np.ndarray:
    """A 64-bit key per row of words; zero words add nothing, so the key does not depend on the padding.
    Equal texts have equal keys; callers check that unequal texts did not meet."""
    key = words[:, 0].copy()
    for j in range(1, words.shape[1]):
        key += words[:, j] * np.uint64(0x9E3779B97F4A7C15 + 2 * j)
    return key


def _factorize(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes in order of first appearance (-1 for an empty field: NULL) and the distinct rows of words."""
    codes, _ = pd.factorize(words[:, 0] if words.shape[1] == 1 else _key(words))
    seen = np.maximum.accumulate(codes)
    first = np.flatnonzero(np.concatenate(([True], codes[1:] > seen[:-1])))  # codes grow with first appearance
    distinct = words[first]
    if words.shape[1] > 1 and not (words == distinct[codes]).all():
        raise _NotPlain  # two texts with one key: read_csv does this chunk
    null = ~distinct.any(axis=1)  # only an empty field is all zero bytes (text never holds NUL)
    if null.any():
        remap = np.where(null, -1, np.cumsum(~null) - 1)
        codes, distinct = remap[codes], distinct[~null]
    return codes, distinct


def _texts(words: np.ndarray) -> np.ndarray:
    """Python strings (an object array) of zero-padded UTF-8 fields."""
    raw = np.ascontiguousarray(words).view(f"S{8 * words.shape[1]}").ravel()
    try:
        return raw.astype("U").astype(object)  # ASCII only: numpy refuses other bytes
    except UnicodeDecodeError:
        return np.array([value.decode() for value in raw.tolist()], dtype=object)


def _encode(texts: np.ndarray) -> np.ndarray:
    """``_texts``'s inverse: UTF-8 bytes zero-padded to whole words."""
    raw = np.array([text.encode() for text in texts.tolist()], dtype=bytes)
    count = max(1, (raw.dtype.itemsize + 7) // 8)
    return np.ascontiguousarray(raw.astype(f"S{8 * count}")).view("<u8").reshape(len(texts), count)


def _categorical(parts: list[tuple[np.ndarray, np.ndarray]], rows: int) -> pd.Categorical:
    """Per-chunk (codes, distinct words) as one categorical whose categories are the sorted distinct texts
    (what ``astype("category")`` gives); only the distinct texts become Python strings."""
    width = max(words.shape[1] for _codes, words in parts)
    words = np.concatenate([np.pad(w, ((0, 0), (0, width - w.shape[1]))) for _codes, w in parts])
    if len(words) == 0:
        return pd.Series(np.full(rows, None, dtype=object)).astype("category").array
    ids, _ = pd.factorize(_key(words))
    seen = np.maximum.accumulate(ids)
    first = np.flatnonzero(np.concatenate(([True], ids[1:] > seen[:-1])))
    distinct = words[first]
    if not (words == distinct[ids]).all():
        # Two texts with one key (never seen in practice): compare the texts themselves.
        ids, _ = pd.factorize(_texts(words))
        seen = np.maximum.accumulate(ids)
        distinct = words[np.flatnonzero(np.concatenate(([True], ids[1:] > seen[:-1])))]
    texts = _texts(distinct)
    order = np.argsort(texts, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = []
    offset = 0
    for chunk_codes, chunk_words in parts:
        # The chunk's codes to positions in the sorted categories; code -1 (NULL) picks the appended -1.
        lookup = np.append(rank[ids[offset:offset + len(chunk_words)]], -1)
        offset += len(chunk_words)
        codes.append(lookup[chunk_codes])
    return pd.Categorical.from_codes(np.concatenate(codes), dtype=pd.CategoricalDtype(pd.Index(texts[order])))


