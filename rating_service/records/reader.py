"""Turn an uploaded file (CSV in any of the usual Chinese encodings, or XLSX) into a frame of text.

Every cell comes out as a stripped string or None; row numbers are kept as the spreadsheet shows
them (the header is row 1), so that errors can point at the right line. The file is bounded before it
is parsed (``ImportLimits``): its size, its rows, its cells, and for an XLSX the zip directory (unpacked
size, compression ratio, parts) and every XML part's prolog (no DOCTYPE, no entities).
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from rating_service.errors import RowError
from rating_service.records.limits import MIB, ImportLimits

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
# A column as ``pd.factorize`` gives it: each row's code (-1 for None) and the distinct values in the order they
# first appear.
Factorized: TypeAlias = tuple[np.ndarray, list[Any]]
_UTF8_BOM = b"\xef\xbb\xbf"
# The bytes of a plain CSV file that Arrow's reader splits as one block (``_read_plain_csv``).
_ARROW_BLOCK = 4 << 20


@dataclass
class RawChunk:
    """Up to CHUNK_ROWS non-blank rows: columns are header positions, cells str or None."""

    frame: pd.DataFrame
    row_numbers: np.ndarray  # spreadsheet row numbers (the header is row 1)
    # Per header position, when the reader has it at hand: the column factorized, so that checks need not hash the
    # cells again.
    factorized: dict[int, Factorized] | None = None


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
    line_breaks: int = 0  # of a CSV (an estimate of its rows for progress bars); 0 for XLSX
    # The header positions whose cells the reader of ``chunks`` uses, set before it starts; None: all. A reader may
    # then leave the other columns out of the chunks (they still decide which rows are blank).
    wanted: set[int] | None = None


class FileProblem(Exception):
    """A problem with the file as a whole (not with a cell)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def as_row_error(self, filename: str) -> RowError:
        """The problem as an error line; a problem deep in the file names its row (and column, and value)."""
        params = dict(self.params)
        row = params.get("row")
        value = params.pop("value", None)
        column = params.get("column")
        return RowError(filename, row if isinstance(row, int) else None, column if isinstance(column, str) else None,
                        value if isinstance(value, str) else None, self.key, params)


def _size(count: int) -> str:
    return f"{count / MIB:,.0f} MB" if count >= MIB else f"{count:,} B"


def _first_undecodable(data: bytes, encoding: str, start: int = 0) -> int | None:
    """The offset of the first byte that does not decode strictly, or None. Decoded in slices that end at a line
    break (no multi-byte character of UTF-8, GBK or GB18030 holds the byte 0x0A), so no full-size copy is made.
    UTF-8 is first checked whole by Arrow (``_is_utf8``); only a file that fails it is decoded to find where."""
    if encoding == "utf-8" and _is_utf8(data, start):
        return None
    step = 4 << 20
    position = start
    while position < len(data):
        end = min(len(data), position + step)
        if end < len(data):
            newline = data.rfind(b"\n", position, end)
            end = newline + 1 if newline >= position else end
        try:
            data[position:end].decode(encoding)
        except UnicodeDecodeError as exc:
            if end < len(data) and exc.reason == "unexpected end of data":
                # A line longer than a slice ends mid-character: decode it with the next slice.
                step += 4 << 20
                continue
            return position + exc.start
        position = end
    return None


def _is_utf8(data: bytes, start: int = 0) -> bool:
    """Whether ``data[start:]`` is strict UTF-8 (as Python's decoder takes it: no surrogates, nothing past
    U+10FFFF, no overlong forms), checked by Arrow over the bytes themselves, four to five times faster than
    decoding them."""
    offsets = pa.py_buffer(np.array([start, len(data)], dtype=np.int64))
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        whole.cast(pa.large_string())  # a cast that validates the text
    except pa.ArrowInvalid:
        return False
    return True


def detect_encoding(data: bytes) -> str:
    """The encoding of CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GBK or GB18030.

    A file that decodes in none of them is refused naming the first row (and column) where the encoding that
    decodes the longest beginning of the file fails: a UTF-8 file with one row saved as GBK, say."""
    if data.startswith(_UTF8_BOM):
        bad = _first_undecodable(data, "utf-8", 3)
        if bad is None:
            return "utf-8-sig"
        raise _mixed_encoding(data, "utf-8", bad)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _first_undecodable(data, "utf-16") is None:
            return "utf-16"
        raise FileProblem("file_encoding_unknown")
    decoded: dict[str, int] = {}
    for encoding in ("utf-8", "gbk", "gb18030"):
        bad = _first_undecodable(data, encoding)
        if bad is None:
            return encoding
        decoded[encoding] = bad
    best = max(decoded, key=lambda e: decoded[e])  # the first of the order on a tie
    raise _mixed_encoding(data, best, decoded[best])


_ENCODING_NAMES = {"utf-8": "UTF-8", "gbk": "GBK", "gb18030": "GB18030"}


def _mixed_encoding(data: bytes, encoding: str, bad: int) -> FileProblem:
    """The problem naming the row and column of byte ``bad`` (and the encoding its cell may be in)."""
    record_start, row = _record_of(data, bad)
    if row == 1:  # not even the header decodes: no encoding to speak of
        return FileProblem("file_encoding_unknown")
    header_text = data[:data.find(b"\n")].decode(encoding, errors="replace").lstrip("\ufeff").rstrip("\r")
    delimiter = _delimiter(header_text)
    headers = next(csv.reader([header_text], delimiter=delimiter), [])
    field = _field_index(data[record_start:bad], ord(delimiter))
    column = headers[field].strip() if field < len(headers) else f"#{field + 1}"
    # The undecodable cell's bytes (a delimiter or line break byte is never inside a multi-byte character).
    cell_start = max(data.rfind(delimiter.encode(), record_start, bad), record_start - 1) + 1
    ends = [i for i in (data.find(delimiter.encode(), bad), data.find(b"\n", bad)) if i >= 0]
    cell = data[cell_start:min(ends) if ends else len(data)].strip(b'"\r')
    others = ("gbk", "gb18030") if encoding == "utf-8" else ("utf-8",)
    other = next((o for o in others if _first_undecodable(cell, o) is None), None)
    params: dict[str, object] = {"row": row, "column": column, "encoding": _ENCODING_NAMES[encoding]}
    if other is None:
        return FileProblem("file_encoding_mixed", **params)
    return FileProblem("file_encoding_mixed_other", other=_ENCODING_NAMES[other], **params)


_QUOTE, _NEWLINE = ord('"'), ord("\n")


def _record_of(data: bytes, offset: int) -> tuple[int, int]:
    """(byte offset where the record holding ``offset`` starts, its spreadsheet row number): line breaks inside a
    quoted cell do not end a record. Counted in blocks with numpy (the quote byte 0x22 and the line break 0x0A are
    never part of a multi-byte character of UTF-8, GBK or GB18030)."""
    records = 0
    quotes = 0
    start = 0
    block = 8 << 20
    for base in range(0, offset, block):
        chunk = np.frombuffer(data, dtype=np.uint8, count=min(block, offset - base), offset=base)
        is_quote = chunk == _QUOTE
        # Parity of the quotes before each byte (uint8 wraps, the parity survives).
        inside = ((np.cumsum(is_quote, dtype=np.uint8) + quotes) & 1).astype(bool)
        breaks = np.flatnonzero((chunk == _NEWLINE) & ~inside)
        records += int(breaks.size)
        if breaks.size:
            start = base + int(breaks[-1]) + 1
        quotes = (quotes + int(is_quote.sum())) & 1
    return start, records + 1


def _field_index(record: bytes, delimiter: int) -> int:
    """Which field of a record the end of ``record`` lies in (delimiters inside quotes do not count)."""
    chunk = np.frombuffer(record, dtype=np.uint8)
    inside = (np.cumsum(chunk == _QUOTE, dtype=np.uint8) & 1).astype(bool)
    return int(((chunk == delimiter) & ~inside).sum())


def sniff_format(filename: str, data: bytes) -> str:
    if not data or data.isspace():  # isspace stops at the first other byte; strip would copy the file
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


def read_table(filename: str, data: bytes, *, limits: ImportLimits | None = None,
               chunk_rows: int = CHUNK_ROWS) -> RawTable:
    """Open a whole file for reading. Raises FileProblem for a file that cannot be read at all, or that is over a
    limit found before parsing (size; an XLSX's unpacked size, compression ratio, parts, prologs)."""
    limits = limits or ImportLimits()
    if len(data) > limits.max_file_bytes:
        raise FileProblem("file_too_large", limit=_size(limits.max_file_bytes))
    fmt = sniff_format(filename, data)
    if fmt == "xlsx":
        return _read_xlsx(filename, data, limits, chunk_rows)
    return _read_csv(filename, data, detect_encoding(data), limits, chunk_rows)


_BAD_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _line_breaks(data: bytes) -> tuple[int, int]:
    """(how many line-break bytes, the longest line in bytes), counted in blocks with numpy."""
    count, longest, last = 0, 0, -1
    block = 8 << 20
    for base in range(0, len(data), block):
        chunk = np.frombuffer(data, dtype=np.uint8, count=min(block, len(data) - base), offset=base)
        breaks = np.flatnonzero(chunk == _NEWLINE)
        if breaks.size:
            breaks += base
            longest = max(longest, int(breaks[0]) - last, int(np.diff(breaks).max()) if breaks.size > 1 else 0)
            last = int(breaks[-1])
            count += int(breaks.size)
    return count, max(longest, len(data) - 1 - last)


def _check_row_count(data: bytes, encoding: str, breaks: int, limits: ImportLimits) -> None:
    """Refuse a CSV with more data rows than allowed before parsing it (line breaks inside quoted cells do not
    count; UTF-16 is left to the check while reading, its bytes hold 0x0A and 0x22 inside characters)."""
    if breaks <= limits.max_rows + 1 or encoding == "utf-16":
        return
    end = len(data)
    while end and data[end - 1] in b"\r\n":
        end -= 1
    _, last_row = _record_of(data, end)
    if problem := _too_many_rows(last_row, limits):
        raise problem


def _too_many_rows(last_row: int, limits: ImportLimits) -> FileProblem | None:
    """The problem of a file whose rows reach spreadsheet row ``last_row`` (the header is row 1), if too many."""
    if last_row - 1 > limits.max_rows:
        return FileProblem("file_too_many_rows", limit=f"{limits.max_rows:,}", found=f"{last_row - 1:,}")
    return None


def _read_csv(filename: str, data: bytes, encoding: str, limits: ImportLimits, chunk_rows: int) -> RawTable:
    head = data[:65536].decode(encoding, errors="ignore").lstrip("\ufeff")
    if not head.strip():
        raise FileProblem("file_empty")
    breaks, longest_line = _line_breaks(data) if encoding != "utf-16" else (0, len(data))
    _check_row_count(data, encoding, breaks, limits)
    # A cell longer than the limit needs a line that long, or a quoted cell spanning lines: only then are the
    # cells measured one by one.
    long_cells = len(data) > limits.max_cell_chars and (longest_line > limits.max_cell_chars or b'"' in data)
    if not long_cells and (fast := _read_plain_csv(filename, data, encoding, _delimiter(head), limits, chunk_rows,
                                                   breaks)) is not None:
        return fast
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
    headers = _headers(first.iloc[0].tolist())
    cleaner = _Cleaner(headers, strip=_needs_strip(data, encoding),
                       max_cell_chars=limits.max_cell_chars if long_cells else None)
    cleaner.check_cells(first.iloc[:1], np.array([1]))

    def chunks() -> Iterator[RawChunk]:
        frame: pd.DataFrame | None = first.iloc[1:]
        while frame is not None:
            numbers = frame.index.to_numpy() + 1
            if numbers.size and (problem := _too_many_rows(int(numbers[-1]), limits)):
                raise problem
            chunk = cleaner.clean(frame, numbers)
            if chunk.frame.shape[0]:
                yield chunk
            frame = _next_csv_chunk(reader)

    return RawTable(filename, "csv", encoding, headers, chunks(), line_breaks=breaks)


def _headers(cells: list[Any]) -> list[str]:
    return ["" if v is None else str(v).replace("\ufeff", "").strip() for v in cells]


def _read_plain_csv(filename: str, data: bytes, encoding: str, delimiter: str, limits: ImportLimits,
                    chunk_rows: int, breaks: int) -> RawTable | None:
    """The rows of a plain UTF-8 CSV file, split by Arrow's CSV reader; None for any other file.

    Plain: no quote and no NUL anywhere, and every line holds as many cells as the header (an empty line holds
    none and is a blank row). Such a file comes out exactly as pandas' reader (``_read_csv``) gives it, chunk for
    chunk: the same cells, the same row numbers, the same blank rows dropped. Arrow splits the file in C++ outside
    the interpreter lock, and each column of a chunk is turned into Python strings once per distinct value (cells
    repeat: a channel, a community, a date) rather than once per cell. Cells are cleaned as ``_Cleaner.clean``
    cleans them, once per distinct value."""
    if encoding not in ("utf-8", "utf-8-sig") or b'"' in data or b"\x00" in data:
        return None
    head = data[3:9] if data.startswith(_UTF8_BOM) else data[:6]
    # An empty first line: pandas' reader finds no columns (the file is refused as empty). A second BOM: pandas'
    # reader skips it as well.
    if head[:1] in (b"\n", b"\r") or head.startswith(_UTF8_BOM):
        return None
    uneven = False

    def count_mismatch(row: Any) -> str:  # a line with more or fewer cells than the header: left to pandas
        nonlocal uneven
        uneven = True
        return "skip"

    # Arrow's buffers come from the C allocator: each is returned to the system as soon as its rows have been
    # turned into chunks (``rating_service.allocator``), where Arrow's own pool would keep them for later.
    pool = pa.system_memory_pool()
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, block_size=_ARROW_BLOCK),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char=False, double_quote=False,
                                              newlines_in_values=False, ignore_empty_lines=False,
                                              invalid_row_handler=count_mismatch),
            convert_options=pa_csv.ConvertOptions(auto_dict_encode=False, strings_can_be_null=False,
                                                  check_utf8=True, column_types=_all_text(data, delimiter)),
            memory_pool=pool,
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if uneven or table.num_rows == 0:
        return None
    headers = _headers([column[0].as_py() for column in table.columns])
    cleaner = _Cleaner(headers, strip=_needs_strip(data, encoding))
    # The file's rows as Arrow read them, block by block; a block is dropped once its last row is in a chunk.
    schema, blocks = table.schema, collections.deque(table.to_batches())
    del table
    offset = 1  # the first row of blocks[0] not yet in a chunk (the header is row 0)

    def take(rows: int) -> pa.Table:
        nonlocal offset
        parts = []
        while rows and blocks:
            block = blocks[0]
            part = block.slice(offset, rows)
            parts.append(part)
            rows -= part.num_rows
            offset += part.num_rows
            if offset >= block.num_rows:
                blocks.popleft()
                offset = 0
        return pa.Table.from_batches(parts, schema=schema)

    def chunks() -> Iterator[RawChunk]:
        first, size = 2, chunk_rows - 1  # pandas' first chunk holds the header and chunk_rows - 1 rows
        while blocks:
            rows = take(size)
            numbers = np.arange(first, first + rows.num_rows, dtype=np.int64)
            if numbers.size and (problem := _too_many_rows(int(numbers[-1]), limits)):
                raise problem
            if numbers.size and (chunk := cleaner.clean_arrow(rows, numbers, pool, raw.wanted)).frame.shape[0]:
                yield chunk
            first, size = first + rows.num_rows, chunk_rows

    raw = RawTable(filename, "csv", encoding, headers, chunks(), line_breaks=breaks)  # chunks() reads raw.wanted
    return raw


def _all_text(data: bytes, delimiter: str) -> dict[str, Any]:
    """Every column of the file as text (Arrow names them f0, f1, ...): as many as the header line has."""
    end = data.find(b"\n")
    header = data[: end if end >= 0 else len(data)]
    return {f"f{i}": pa.string() for i in range(header.count(delimiter.encode()) + 1)}


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


# -- XLSX ------------------------------------------------------------------------------------------

# Compression ratios are judged on parts that unpack to at least this much (a tiny part may compress well).
RATIO_FLOOR = 1 * MIB
# No part that Excel writes has a prolog (XML declaration, comments) this long.
PROLOG_LIMIT = 64 * 1024
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# UTF-8 needs at most 4 bytes a character, an XML character reference ("&#x10FFFF;") 10: a text longer than
# ten times the cell limit in bytes cannot fit into the limit.
_MAX_BYTES_PER_CHAR = 10


def _open_xlsx(data: bytes, limits: ImportLimits) -> zipfile.ZipFile:
    """The workbook's zip, its directory checked before anything is inflated: parts, unpacked size, ratio.

    The sizes a zip directory declares bound what ``zipfile`` inflates (it stops at the declared size and then
    checks the CRC), so a part that lies about its size is cut short and refused, never inflated further."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise FileProblem("file_type_unsupported", detail="not a valid XLSX workbook") from exc
    if len(infos) > limits.xlsx_max_parts:
        raise FileProblem("file_xlsx_too_many_parts", count=f"{len(infos):,}", limit=f"{limits.xlsx_max_parts:,}")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.xlsx_max_unpacked_bytes:
        raise FileProblem("file_xlsx_unpacked_too_large", size=_size(unpacked),
                          limit=_size(limits.xlsx_max_unpacked_bytes))
    for info in infos:
        if info.file_size >= RATIO_FLOOR and info.file_size > limits.xlsx_max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise FileProblem("file_xlsx_ratio_too_high", part=info.filename[:100], ratio=f"{ratio:,}",
                              limit=f"{limits.xlsx_max_ratio:,}")
    return archive


def _prolog_declares(head: bytes) -> bool | None:
    """Whether an XML part's prolog holds a declaration (``<!DOCTYPE``, and with it any entity); None when the
    prolog does not end within ``head``."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 1 and b"\x00" in head[:2]):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    text = text.lstrip("\ufeff")
    at = 0
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        if text.startswith("<?", at) or text.startswith("<!--", at):
            close = "?>" if text.startswith("<?", at) else "-->"
            end = text.find(close, at)
            if end < 0:
                return None
            at = end + len(close)
            continue
        if at >= len(text):
            return None
        return text.startswith("<!", at)


def _check_prologs(archive: zipfile.ZipFile) -> None:
    """No XML part may declare a DOCTYPE (entities live there): Excel never writes one, and an entity can blow up
    or reach outside the file."""
    for info in archive.infolist():
        if not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        with archive.open(info) as part:
            head = part.read(PROLOG_LIMIT)
        declares = _prolog_declares(head)
        if declares or (declares is None and len(head) >= PROLOG_LIMIT):
            raise FileProblem("file_xlsx_doctype", part=info.filename[:100])


@dataclass
class _PartScan:
    rows: int = 0
    longest_text: int = 0  # bytes between two '<': an upper bound of a text node's length


def _scan_part(archive: zipfile.ZipFile, name: str) -> _PartScan:
    """Stream one XML part once, counting its rows and the longest stretch between two tags."""
    scan = _PartScan()
    block = 1 << 20
    last_tag = 0
    tail = b""
    offset = 0
    with archive.open(name) as part:
        while chunk := part.read(block):
            joined = tail + chunk
            scan.rows += joined.count(b"<row ") + joined.count(b"<row>")
            tail = chunk[-4:]
            tags = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == ord("<"))
            if tags.size:
                tags += offset
                gaps = max(int(tags[0]) - last_tag, int(np.diff(tags).max()) if tags.size > 1 else 0)
                scan.longest_text = max(scan.longest_text, gaps)
                last_tag = int(tags[-1])
            offset += len(chunk)
    scan.longest_text = max(scan.longest_text, offset - last_tag)
    return scan


def _check_parts(archive: zipfile.ZipFile, names: list[str], limits: ImportLimits) -> tuple[bool, dict[str, int]]:
    """Stream each part once: refuse one holding a text that cannot fit into a cell. Returns whether some text may
    exceed the cell limit (then cells are measured while reading) and the rows of each part."""
    long_cells = False
    rows: dict[str, int] = {}
    for name in names:
        scan = _scan_part(archive, name)
        if scan.longest_text > limits.max_cell_chars * _MAX_BYTES_PER_CHAR:
            raise FileProblem("file_xlsx_cell_too_long", part=name[:100], limit=f"{limits.max_cell_chars:,}")
        long_cells = long_cells or scan.longest_text > limits.max_cell_chars
        rows[name] = scan.rows
    return long_cells, rows


def _invalid_workbook(exc: BaseException) -> FileProblem:
    detail = f"{type(exc).__name__}: {exc}"[:200]
    return FileProblem("file_xlsx_invalid", detail=detail)


def _read_xlsx(filename: str, data: bytes, limits: ImportLimits, chunk_rows: int) -> RawTable:
    """The first sheet, parsed by calamine (Rust; about ten times openpyxl's speed on a 100,000-row export), after
    the archive and every XML part have passed the checks above: sizes, row counts, prologs, cell lengths."""
    from python_calamine import CalamineWorkbook

    archive = _open_xlsx(data, limits)
    try:
        _check_prologs(archive)
        # Every XML part is streamed once before the workbook is parsed (calamine holds the sheet whole).
        xml_parts = [i.filename for i in archive.infolist() if i.filename.lower().endswith(_XML_SUFFIXES)]
        long_cells, part_rows = _check_parts(archive, xml_parts, limits)
        # The row limit holds for every sheet, whichever is first: no sheet is parsed past it.
        if problem := _too_many_rows(max(part_rows.values(), default=0), limits):
            raise problem
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = iter(workbook.get_sheet_by_index(0).iter_rows())
        header_row = next(rows, None)
    except FileProblem:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as exc:
        raise FileProblem("file_type_unsupported", detail="not a valid XLSX workbook") from exc
    except Exception as exc:  # any failure of the XML or zip layers: not a workbook (never a 500)
        raise _invalid_workbook(exc) from exc
    if header_row is None:
        raise FileProblem("file_empty")
    headers = [_excel_cell(v).strip() for v in header_row]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    max_cell = limits.max_cell_chars if long_cells else None
    cleaner = _Cleaner(headers, max_cell_chars=max_cell)
    cleaner.check_cells(pd.DataFrame([headers], dtype=object), np.array([1]))

    def chunks() -> Iterator[RawChunk]:
        try:
            buffer: list[list[str]] = []
            numbers: list[int] = []
            for number, row in enumerate(rows, start=2):
                if problem := _too_many_rows(number, limits):
                    raise problem
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
        except FileProblem:
            raise
        except Exception as exc:  # as at load time: a malformed part deep in the sheet
            raise _invalid_workbook(exc) from exc

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
    """Turns blanks into None, strips cells when the file has padded cells, drops all-blank rows; with
    ``max_cell_chars``, refuses a cell longer than that (naming its row and column)."""

    def __init__(self, headers: list[str], *, strip: bool = True, max_cell_chars: int | None = None) -> None:
        self.headers = headers
        self.width = len(headers)
        self.strip = strip
        self.max_cell_chars = max_cell_chars

    def check_cells(self, frame: pd.DataFrame, row_numbers: np.ndarray) -> None:
        if self.max_cell_chars is None:
            return
        limit = self.max_cell_chars
        for position in range(frame.shape[1]):
            values = frame.iloc[:, position].tolist()
            lengths = np.fromiter((len(v) if v.__class__ is str else 0 for v in values), dtype=np.int64,
                                  count=len(values))
            too_long = np.flatnonzero(lengths > limit)
            if too_long.size:
                i = int(too_long[0])
                column = self.headers[position] if position < self.width else f"#{position + 1}"
                raise FileProblem("cell_too_long", row=int(row_numbers[i]), column=column, value=values[i],
                                  limit=f"{limit:,}")

    def clean(self, frame: pd.DataFrame, row_numbers: np.ndarray) -> RawChunk:
        self.check_cells(frame, row_numbers)
        columns = {}
        for position in range(self.width):
            if position >= frame.shape[1]:
                columns[position] = np.full(frame.shape[0], None, dtype=object)
                continue
            values = frame.iloc[:, position].to_numpy(dtype=object)
            if self.strip:
                cleaned = np.array(self._cleaned(values.tolist()), dtype=object)
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

    def _cleaned(self, cells: list[Any]) -> list[str | None]:
        """Each cell as a chunk holds it: stripped when the file has padded cells, None when blank or not text.
        (A list comprehension beats np.char/str accessors here by 2-5x on object columns.)"""
        if self.strip:
            return [v.strip() or None if isinstance(v, str) else None for v in cells]
        return [v or None if isinstance(v, str) else None for v in cells]

    def clean_arrow(self, table: pa.Table, row_numbers: np.ndarray, pool: pa.MemoryPool,
                    wanted: set[int] | None = None) -> RawChunk:
        """``clean`` for a slice of Arrow's reading, every cell a string: each column's distinct values are
        cleaned once and put back in place. The chunk comes with each column factorized (``RawChunk.factorized``),
        from the same distinct values: cleaning may make two of them one (" a" and "a") or None (""), so the
        cleaned values are factorized once more, which keeps the order in which they first appear.

        With ``wanted``, the chunk holds only those columns; another column is looked at only in the rows where
        every wanted one is blank, to tell whether the row is blank."""
        columns: dict[int, np.ndarray] = {}
        codes: dict[int, np.ndarray] = {}
        uniques: dict[int, list[Any]] = {}
        blank = np.ones(table.num_rows, dtype=bool)
        positions = range(self.width) if wanted is None else sorted(p for p in wanted if p < self.width)
        for position in positions:
            encoded = pc.dictionary_encode(table.column(position).combine_chunks(memory_pool=pool), memory_pool=pool)
            cells = encoded.dictionary.to_numpy(zero_copy_only=False)
            indices = encoded.indices.to_numpy()
            if self.strip:
                values = np.empty(len(cells), dtype=object)
                values[:] = self._cleaned(cells.tolist())
                merged, distinct = pd.factorize(values)
                # int32: half the memory of pandas' int64 codes
                codes[position] = merged.astype(np.int32)[indices]
                uniques[position] = distinct.tolist()
            else:
                # Unstripped, the distinct values stay distinct; only "" becomes None, and the values after it
                # move up one place.
                values = cells if cells.flags.writeable else cells.copy()
                empty = np.flatnonzero(values == "")
                merged = np.arange(len(values), dtype=np.int32)
                if empty.size:
                    values[empty] = None
                    merged[empty[0]] = -1
                    merged[empty[0] + 1:] -= 1
                codes[position] = merged[indices]
                uniques[position] = values[values != None].tolist()  # noqa: E711  (elementwise)
            columns[position] = values[indices]
            blank &= codes[position] == -1
        if wanted is not None and blank.any():
            rows = np.flatnonzero(blank)
            for position in set(range(self.width)) - wanted:
                cells = self._cleaned(table.column(position).take(pa.array(rows)).to_pylist())
                blank[rows] &= np.array([v is None for v in cells], dtype=bool)
        body = pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows), dtype=object, copy=False)
        if blank.any():
            body = body[~blank].reset_index(drop=True)
            codes = {position: column[~blank] for position, column in codes.items()}
        factorized = {position: (codes[position], uniques[position]) for position in codes}
        return RawChunk(body, row_numbers[~blank], factorized)


# A byte that ends or starts a cell: delimiters, quotes and line ends.
_EDGE = np.zeros(256, dtype=bool)
_EDGE[list(b",;\t\"\r\n")] = True


def _needs_strip(data: bytes, encoding: str, *, block: int = 8 << 20) -> bool:
    """Whether some cell may carry surrounding whitespace, so cells must be stripped one by one.

    True when a space or tab touches a delimiter, quote or line end (or the file's edges), or an
    ideographic space (U+3000) appears. Vectorised over the bytes (a regex over 100 MB takes seconds), ``block``
    bytes at a time: whole-file comparisons made three file-sized arrays at once (+220 MiB for a 100 MB file).
    """
    if encoding == "utf-16" or b"\xe3\x80\x80" in data or b"\xa1\xa1" in data:
        return True
    if b" " not in data and b"\t" not in data:  # a byte search (memchr): no block to scan
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    for base in range(0, raw.size, block):
        part = raw[base:base + block]
        spaces = np.flatnonzero((part == 0x20) | (part == 0x09)) + base
        if spaces.size == 0:
            continue
        if spaces[0] == 0 or spaces[-1] == raw.size - 1:
            return True
        if (_EDGE[raw[spaces - 1]] | _EDGE[raw[spaces + 1]]).any():
            return True
    return False
