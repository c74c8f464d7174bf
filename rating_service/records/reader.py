"""Turn an uploaded file (CSV in any of the usual Chinese encodings, or XLSX) into a frame of text.

Every cell comes out as a stripped string or None; row numbers are kept as the spreadsheet shows
them (the header is row 1), so that errors can point at the right line.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

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


@dataclass
class RawTable:
    """A file read as text: headers as found, cells as str/None, and the spreadsheet row numbers."""

    filename: str
    file_format: str  # "csv" or "xlsx"
    encoding: str | None
    headers: list[str]
    frame: pd.DataFrame  # columns are positions 0..n-1, object dtype, None for blank
    row_numbers: pd.Series  # int, aligned with frame


class FileProblem(Exception):
    """A problem with the file as a whole (not with a cell)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def as_row_error(self, filename: str) -> RowError:
        return RowError(filename, None, None, None, self.key, dict(self.params))


def detect_encoding(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes; return (text, encoding name). UTF-8 (with or without BOM), GBK, GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gbk"), "gbk"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise FileProblem("file_encoding_unknown") from exc


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


def read_table(filename: str, data: bytes) -> RawTable:
    """Read a whole file. Raises FileProblem for a file that cannot be read at all."""
    fmt = sniff_format(filename, data)
    if fmt == "xlsx":
        return _read_xlsx(filename, data)
    text, encoding = detect_encoding(data)
    return _read_csv(filename, text, encoding)


_BAD_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _read_csv(filename: str, text: str, encoding: str) -> RawTable:
    if not text.strip():
        raise FileProblem("file_empty")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=_delimiter(text),
            header=None,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        match = _BAD_LINE.search(str(exc))
        if match:
            expected, line, found = (int(g) for g in match.groups())
            raise FileProblem("row_column_count", row=line, expected=expected, found=found) from exc
        raise FileProblem("file_unreadable", detail=str(exc)[:200]) from exc
    except pd.errors.EmptyDataError as exc:
        raise FileProblem("file_empty") from exc
    return _finish(filename, "csv", encoding, frame)


def _delimiter(text: str) -> str:
    """Comma, unless the header line is clearly tab- or semicolon-separated (Excel's "Unicode text")."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _read_xlsx(filename: str, data: bytes) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem("file_type_unsupported", detail="not a valid XLSX workbook") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [[_excel_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not rows:
        raise FileProblem("file_empty")
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    frame = pd.DataFrame(rows, dtype=object)
    return _finish(filename, "xlsx", None, frame)


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


def _finish(filename: str, fmt: str, encoding: str | None, frame: pd.DataFrame) -> RawTable:
    frame = frame.astype(object)
    if frame.shape[0] == 0:
        raise FileProblem("file_empty")
    headers = ["" if v is None else str(v) for v in frame.iloc[0].tolist()]
    body = frame.iloc[1:]
    # Strip every cell; blank -> None. Done per column, vectorised.
    cleaned = {}
    for col in body.columns:
        # A list comprehension beats np.char/str accessors here by 2-5x on object columns.
        cleaned[col] = np.array(
            [v.strip() or None if isinstance(v, str) else None for v in body[col].tolist()], dtype=object
        )
    body = pd.DataFrame(cleaned, index=body.index, dtype=object)
    # Drop rows that are blank in every column (trailing blank lines, empty spreadsheet rows).
    nonblank = body.notna().any(axis=1) if body.shape[1] else pd.Series(False, index=body.index)
    body = body[nonblank]
    # Drop columns with neither a header nor any value (Excel's phantom trailing columns).
    keep = [i for i, h in enumerate(headers) if h.strip() or body[body.columns[i]].notna().any()]
    body = body[[body.columns[i] for i in keep]]
    headers = [headers[i] for i in keep]
    body.columns = range(len(headers))
    row_numbers = pd.Series(body.index.to_numpy() + 1, index=body.index, dtype="int64")
    body = body.reset_index(drop=True)
    row_numbers = row_numbers.reset_index(drop=True)
    return RawTable(filename, fmt, encoding, headers, body, row_numbers)
