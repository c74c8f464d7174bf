"""Turn an uploaded file (CSV in any of the usual Chinese encodings, or XLSX) into a frame of text.

Every cell comes out as a stripped string or None; row numbers are kept as the spreadsheet shows
them (the header is row 1), so that errors can point at the right line.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rating_service.errors import RowError

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE files)
_BINARY_MAGICS = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\x1f\x8b": "gzip",
    b"Rar!": "RAR",
    b"7z\xbc\xaf": "7z",
}


CHUNK_ROWS = 100_000


@dataclass
class RawChunk:
    """Up to CHUNK_ROWS non-blank rows: columns are header positions, cells str or None."""

    frame: pd.DataFrame
    row_numbers: np.ndarray  # spreadsheet row numbers (the header is row 1)


@dataclass
class RawTable:
    """A file opened for reading: its headers, and its rows as a lazy sequence of chunks.

    Iterating ``chunks`` may raise FileProblem (a malformed line deep in the file).
    """

    filename: str
    file_format: str  # "csv" or "xlsx"
    encoding: str | None
    headers: list[str]
    chunks: Iterator[RawChunk]


class FileProblem(Exception):
    """A problem with the file as a whole (not with a cell)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def as_row_error(self, filename: str) -> RowError:
        """The problem as an error line; a malformed line deep in the file names its row."""
        params = dict(self.params)
        row = params.pop("row", None)
        return RowError(filename, row if isinstance(row, int) else None, None, None, self.key, params)


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether ``data`` decodes strictly, checked in slices so no full-size copy is made."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    step = 4 << 20
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start:start + step], final=False)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes) -> str:
    """The encoding of CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GBK or GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        if _decodes(data, "utf-8"):
            return "utf-8-sig"
        raise FileProblem("file_encoding_unknown")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _decodes(data, "utf-16"):
            return "utf-16"
        raise FileProblem("file_encoding_unknown")
    for encoding in ("utf-8", "gbk", "gb18030"):
        if _decodes(data, encoding):
            return encoding
    raise FileProblem("file_encoding_unknown")


def sniff_format(filename: str, data: bytes) -> str:
    if not data or not data.strip():
        raise FileProblem("file_empty")
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        raise FileProblem("file_xls_legacy")
    for magic, name in _BINARY_MAGICS.items():
        if data.startswith(magic):
            raise FileProblem("file_type_unsupported", detail=name)
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        raise FileProblem("file_type_unsupported", detail="not a valid XLSX workbook")
    if lower.endswith(".xls"):
        raise FileProblem("file_xls_legacy")
    # Text files: a NUL byte in the first block means binary.
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("file_type_unsupported", detail="binary")
    return "csv"


def read_table(filename: str, data: bytes, *, chunk_rows: int = CHUNK_ROWS) -> RawTable:
    """Open a whole file for reading. Raises FileProblem for a file that cannot be read at all."""
    fmt = sniff_format(filename, data)
    if fmt == "xlsx":
        return _read_xlsx(filename, data, chunk_rows)
    return _read_csv(filename, data, detect_encoding(data), chunk_rows)


_BAD_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _read_csv(filename: str, data: bytes, encoding: str, chunk_rows: int) -> RawTable:
    head = data[:65536].decode(encoding, errors="ignore").lstrip("\ufeff")
    if not head.strip():
        raise FileProblem("file_empty")
    try:
        reader = pd.read_csv(
            io.BytesIO(data),
            encoding=encoding,
            sep=_delimiter(head),
            header=None,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            chunksize=chunk_rows,
        )
        first = _next_csv_chunk(reader)
    except pd.errors.EmptyDataError as exc:
        raise FileProblem("file_empty") from exc
    if first is None or first.shape[0] == 0:
        raise FileProblem("file_empty")
    headers = ["" if v is None else str(v).replace("\ufeff", "").strip() for v in first.iloc[0].tolist()]
    cleaner = _Cleaner(len(headers), strip=_needs_strip(data, encoding))

    def chunks() -> Iterator[RawChunk]:
        frame: pd.DataFrame | None = first.iloc[1:]
        while frame is not None:
            chunk = cleaner.clean(frame, frame.index.to_numpy() + 1)
            if chunk.frame.shape[0]:
                yield chunk
            frame = _next_csv_chunk(reader)

    return RawTable(filename, "csv", encoding, headers, chunks())


def _next_csv_chunk(reader: Any) -> pd.DataFrame | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except pd.errors.ParserError as exc:
        match = _BAD_LINE.search(str(exc))
        if match:
            expected, line, found = (int(g) for g in match.groups())
            raise FileProblem("row_column_count", row=line, expected=expected, found=found) from exc
        raise FileProblem("file_unreadable", detail=str(exc)[:200]) from exc
    except UnicodeDecodeError as exc:
        raise FileProblem("file_encoding_unknown") from exc


def _delimiter(text: str) -> str:
    """Comma, unless the header line is clearly tab- or semicolon-separated (Excel's "Unicode text")."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _read_xlsx(filename: str, data: bytes, chunk_rows: int) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as exc:
        raise FileProblem("file_type_unsupported", detail="not a valid XLSX workbook") from exc
    if header_row is None:
        workbook.close()
        raise FileProblem("file_empty")
    headers = [_excel_cell(v).strip() for v in header_row]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    cleaner = _Cleaner(width)

    def chunks() -> Iterator[RawChunk]:
        try:
            buffer: list[list[str]] = []
            numbers: list[int] = []
            for number, row in enumerate(rows, start=2):
                cells = [_excel_cell(v) for v in row[:width]]
                buffer.append(cells + [""] * (width - len(cells)))
                numbers.append(number)
                if len(buffer) >= chunk_rows:
                    chunk = cleaner.clean(pd.DataFrame(buffer, dtype=object), np.array(numbers))
                    buffer, numbers = [], []
                    if chunk.frame.shape[0]:
                        yield chunk
            if buffer:
                chunk = cleaner.clean(pd.DataFrame(buffer, dtype=object), np.array(numbers))
                if chunk.frame.shape[0]:
                    yield chunk
        finally:
            workbook.close()

    return RawTable(filename, "xlsx", None, headers, chunks())


def _excel_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


class _Cleaner:
    """Turns blanks into None, strips cells when the file has padded cells, drops all-blank rows."""

    def __init__(self, width: int, *, strip: bool = True) -> None:
        self.width = width
        self.strip = strip

    def clean(self, frame: pd.DataFrame, row_numbers: np.ndarray) -> RawChunk:
        columns = {}
        for position in range(self.width):
            if position >= frame.shape[1]:
                columns[position] = np.full(frame.shape[0], None, dtype=object)
                continue
            values = frame.iloc[:, position].to_numpy(dtype=object)
            if self.strip:
                # A list comprehension beats np.char/str accessors here by 2-5x on object columns.
                cleaned = np.array([v.strip() or None if isinstance(v, str) else None for v in values.tolist()],
                                   dtype=object)
            else:
                cleaned = values.copy()
                # NaN (a short row's missing fields) is the one value not equal to itself.
                cleaned[(cleaned == "") | (cleaned != cleaned)] = None
            columns[position] = cleaned
        body = pd.DataFrame(columns, dtype=object)
        if body.shape[1]:
            keep = body.notna().any(axis=1).to_numpy()
        else:
            keep = np.zeros(body.shape[0], dtype=bool)
        if not keep.all():
            body = body[keep].reset_index(drop=True)
        return RawChunk(body, np.asarray(row_numbers)[keep].astype("int64"))


# A byte that ends or starts a cell: delimiters, quotes and line ends.
_EDGE = np.zeros(256, dtype=bool)
_EDGE[list(b",;\t\"\r\n")] = True


def _needs_strip(data: bytes, encoding: str) -> bool:
    """Whether some cell may carry surrounding whitespace, so cells must be stripped one by one.

    True when a space or tab touches a delimiter, quote or line end (or the file's edges), or an
    ideographic space (U+3000) appears. Vectorised over the bytes: a regex over 100 MB takes seconds.
    """
    if encoding == "utf-16" or b"\xe3\x80\x80" in data or b"\xa1\xa1" in data:
        return True
    raw = np.frombuffer(data, dtype=np.uint8)
    spaces = np.flatnonzero((raw == 0x20) | (raw == 0x09))
    if spaces.size == 0:
        return False
    if spaces[0] == 0 or spaces[-1] == raw.size - 1:
        return True
    return bool((_EDGE[raw[spaces - 1]] | _EDGE[raw[spaces + 1]]).any())
