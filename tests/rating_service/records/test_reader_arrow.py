"""A plain UTF-8 CSV file is split by Arrow's reader (``reader._read_plain_csv``, issue 21): against pandas' reader,
the path every other file takes, on random files. Both must give the same headers, the same chunks (cells, row
numbers, blank rows dropped) and the same refusal."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rating_service.records import reader
from rating_service.records.formats import KINDS
from rating_service.records.limits import ImportLimits
from rating_service.records.reader import FileProblem, read_table
from rating_service.records.validate import parse_table
from tests import factories as f
from tests.rating_service.records.test_reader_chunks import _rows

# Cells: empty, padded (space, tab, U+3000), Chinese, digits, a lone space, and whitespace that only a file
# with padded cells has stripped (an em space, a form feed).
CELLS = ["", "a", "甲乙", " b", "c ", "\td", "\u3000丙", " ", "GD-001", "2025-01-02", "是", "x y", "\u2003丁", "戊\x0c"]
ENDINGS = ["\n", "\r\n", "\r"]


def _outcome(data: bytes, chunk_rows: int, limits: ImportLimits) -> Any:
    """Everything a reading gives: headers and each chunk's cells and row numbers, or the refusal."""
    try:
        table = read_table("records.csv", data, limits=limits, chunk_rows=chunk_rows)
        return ("read", table.headers,
                [(chunk.row_numbers.tolist(), chunk.frame.to_numpy(dtype=object).tolist()) for chunk in table.chunks])
    except FileProblem as problem:
        return ("refused", problem.key, problem.params)


def _by_pandas(data: bytes, chunk_rows: int, limits: ImportLimits) -> Any:
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(reader, "_read_plain_csv", lambda *args, **kwargs: None)
        return _outcome(data, chunk_rows, limits)


@st.composite
def _files(draw: st.DrawFn, *, regular: bool) -> tuple[bytes, bool | None]:
    """A CSV file: its bytes, and whether every line holds as many cells as the header (None when it has no line
    after the header, its lines end in a lone CR, its first line is empty or it starts with two BOMs: either reader
    may read it). With no, one or two BOMs, one of three line endings, blank lines, and, unless ``regular``, lines
    with a cell too few or too many."""
    width = draw(st.integers(1, 4))
    delimiter = draw(st.sampled_from([",", ";", "\t"])) if width > 1 else ","
    header = [draw(st.sampled_from(["工单编号", "渠道", "a", " 名称 "])) + str(i) for i in range(width)]
    # Now and then an empty line before the header, or in its place: a file pandas' reader refuses as empty.
    lines = [*([""] * draw(st.sampled_from([0] * 8 + [1, 2]))), delimiter.join(header)]
    same_width = True
    for _ in range(draw(st.integers(0, 25))):
        if draw(st.integers(0, 9)) == 0:
            lines.append("")  # a blank line: a blank row for both readers
            continue
        cells = width
        if not regular and draw(st.integers(0, 5)) == 0:
            cells = max(1, width + draw(st.sampled_from([-1, 1])))
        line = delimiter.join(draw(st.sampled_from(CELLS)) for _ in range(cells))
        # A cell may hold the delimiter (a tab); a single empty cell is a blank line.
        same_width &= line.count(delimiter) == width - 1 or line == ""
        lines.append(line)
    ending = draw(st.sampled_from(ENDINGS))
    text = ending.join(lines) + (ending if draw(st.booleans()) else "")
    bom = draw(st.sampled_from(["", "\ufeff", "\ufeff" * 2]))  # two: pandas skips the second one too
    # A file of lone CRs is taken for one line when the delimiter is sniffed (and by _read_plain_csv): left to pandas
    arrows = len(lines) > 1 and ending != "\r" and lines[0] != "" and len(bom) < 2
    return (bom + text).encode("utf-8"), same_width if arrows else None


@settings(max_examples=300, deadline=None)
@given(file=_files(regular=True), chunk_rows=st.integers(1, 12), max_rows=st.integers(1, 30))
def test_a_plain_file_reads_as_pandas_reads_it(file: tuple[bytes, bool | None], chunk_rows: int, max_rows: int) -> None:
    data, _ = file
    limits = ImportLimits(max_rows=max_rows)
    assert _outcome(data, chunk_rows, limits) == _by_pandas(data, chunk_rows, limits)


@settings(max_examples=100, deadline=None)
@given(file=_files(regular=True), chunk_rows=st.integers(1, 12))
def test_each_column_comes_factorized_as_pandas_factorizes_it(file: tuple[bytes, bool | None], chunk_rows: int) -> None:
    data, even = file
    assume(even)  # not a tab in a cell of a tab-separated file (a ragged line), nor lone CRs
    for chunk in read_table("records.csv", data, chunk_rows=chunk_rows).chunks:
        assert chunk.factorized is not None  # Arrow's path factorizes
        for position, (codes, uniques) in (chunk.factorized or {}).items():
            expected_codes, expected_uniques = pd.factorize(chunk.frame[position].to_numpy(dtype=object))
            assert codes.tolist() == expected_codes.tolist()
            assert uniques == expected_uniques.tolist()


# Most generated files are ragged or have lone CRs and are set aside by ``assume`` (another test covers them): at
# times more than Hypothesis' health check accepts (seed 2 failed it), which is this test's design, not a fault.
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(file=_files(regular=True), chunk_rows=st.integers(1, 12), wanted=st.sets(st.integers(0, 4)))
def test_columns_left_out_still_decide_which_rows_are_blank(file: tuple[bytes, bool | None], chunk_rows: int,
                                                           wanted: set[int]) -> None:
    """A reader that uses only some columns (``RawTable.wanted``) gets those columns of the rows pandas' reader
    keeps: a row blank in every wanted column but not in another is kept."""
    data, even = file
    assume(even)  # not a tab in a cell of a tab-separated file (a ragged line), nor lone CRs
    table = read_table("records.csv", data, chunk_rows=chunk_rows)
    table.wanted = wanted
    chunks = [(chunk.row_numbers.tolist(), chunk.frame) for chunk in table.chunks]
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(reader, "_read_plain_csv", lambda *args, **kwargs: None)
        reference = [(chunk.row_numbers.tolist(), chunk.frame)
                     for chunk in read_table("records.csv", data, chunk_rows=chunk_rows).chunks]
    assert [rows for rows, _ in chunks] == [rows for rows, _ in reference]
    for (_, frame), (_, expected) in zip(chunks, reference, strict=True):
        kept = [position for position in expected.columns if position in wanted]
        assert set(frame.columns) >= set(kept)
        assert frame[kept].to_numpy(dtype=object).tolist() == expected[kept].to_numpy(dtype=object).tolist()


@settings(max_examples=200, deadline=None)
@given(file=_files(regular=False), chunk_rows=st.integers(1, 12))
def test_a_file_with_ragged_lines_reads_as_pandas_reads_it(file: tuple[bytes, bool | None], chunk_rows: int) -> None:
    data, _ = file
    limits = ImportLimits()
    assert _outcome(data, chunk_rows, limits) == _by_pandas(data, chunk_rows, limits)


@settings(max_examples=100, deadline=None)
@given(file=_files(regular=False))
def test_only_a_file_of_even_lines_takes_arrows_path(file: tuple[bytes, bool | None]) -> None:
    data, even = file
    text = data.decode("utf-8-sig")
    delimiter = reader._delimiter(text)
    arrow = reader._read_plain_csv("records.csv", data, reader.detect_encoding(data), delimiter, ImportLimits(),
                                   reader.CHUNK_ROWS, text.count("\n"))
    if even is not None:
        assert (arrow is not None) is even


@pytest.mark.parametrize("data", [
    b'a,b\n"1,2",3\n',  # a quote: pandas' reader unquotes it
    b"a,b\n1,\x002\n",  # a NUL byte
    "a,b\n甲,乙\n".encode("gbk"),  # not UTF-8
])
def test_files_arrow_would_read_otherwise_go_to_pandas(data: bytes) -> None:
    encoding = reader.detect_encoding(data)
    assert reader._read_plain_csv("records.csv", data, encoding, ",", ImportLimits(), reader.CHUNK_ROWS, 2) is None
    assert _outcome(data, reader.CHUNK_ROWS, ImportLimits()) == _by_pandas(data, reader.CHUNK_ROWS, ImportLimits())


def test_cells_of_a_plain_file_are_cleaned_and_blank_rows_dropped() -> None:
    data = "\ufeff编号, 渠道\r\nGD-1, 来电 \r\n,\r\n\r\nGD-2,\r\n".encode()
    table = read_table("records.csv", data)
    chunks = list(table.chunks)
    assert table.headers == ["编号", "渠道"]
    assert [chunk.row_numbers.tolist() for chunk in chunks] == [[2, 5]]
    assert chunks[0].frame.to_numpy(dtype=object).tolist() == [["GD-1", "来电"], ["GD-2", None]]


@pytest.mark.parametrize(("data", "cells"), [
    # No cell is padded with a space, a tab or U+3000: cells are kept as they are, other whitespace too.
    ("编号,渠道\nGD-1,\u2003来电\n".encode(), ["GD-1", "\u2003来电"]),
    # One is: every cell is stripped of whitespace.
    ("编号,渠道\nGD-1 ,\u2003来电\n".encode(), ["GD-1", "来电"]),
])
def test_cells_are_stripped_only_in_a_file_with_padded_cells(data: bytes, cells: list[str]) -> None:
    frame = next(read_table("records.csv", data).chunks).frame
    assert frame.to_numpy(dtype=object).tolist() == [cells]
    assert _outcome(data, reader.CHUNK_ROWS, ImportLimits()) == _by_pandas(data, reader.CHUNK_ROWS, ImportLimits())


# Bytes that make UTF-8 and break it: ASCII, lead and continuation bytes, the lead bytes of overlong forms
# (0xC0, 0xE0 0x80), surrogates (0xED 0xA0) and code points past U+10FFFF (0xF4 0x90, 0xF5), a BOM.
UTF8_BYTES = [b"a", b"\n", b"\xe4\xb8\xad", b"\xc3\xa9", b"\x80", b"\xbf", b"\xc0\xaf", b"\xe0\x80\x80",
              b"\xed\xa0\x80", b"\xed\x9f\xbf", b"\xf0\x9f\x98\x80", b"\xf4\x90\x80\x80", b"\xf4\x8f\xbf\xbf",
              b"\xf5", b"\xff", b"\xef\xbb\xbf", b"\xe4\xb8", b"\xf0\x9f"]


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(st.sampled_from(UTF8_BYTES), max_size=12), start=st.integers(0, 3))
def test_arrows_utf8_check_agrees_with_pythons_decoder(parts: list[bytes], start: int) -> None:
    data = b"".join(parts)
    try:
        data[start:].decode("utf-8")
        decodes = True
    except UnicodeDecodeError:
        decodes = False
    assert reader._is_utf8(data, min(start, len(data))) is decodes


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), count=st.integers(1, 80), chunk_rows=st.integers(1, 30),
       personal_data=st.sampled_from(["refuse", "mask"]))
def test_a_file_parses_the_same_through_either_reader(seed: int, count: int, chunk_rows: int,
                                                      personal_data: str) -> None:
    """The whole check of a complaint file (bad credit codes, personal data refused or masked, a bad yes/no,
    repeated keys, blanks) gives the same rows and errors whether its columns come factorized from Arrow's
    reader or are factorized by the checks themselves."""
    data = f.upload("complaints", _rows(seed, count)).data
    limits = ImportLimits(personal_data=personal_data)  # type: ignore[arg-type]

    def parsed() -> Any:
        result = parse_table(read_table("complaints.csv", data, limits=limits, chunk_rows=chunk_rows),
                             KINDS["complaints"], today=f.TODAY, limits=limits)
        errors = [(e.row, e.column, e.value, e.key, sorted(e.params.items())) for e in result.errors]
        return result.frame, result.row_numbers.tolist(), errors

    assert next(read_table("complaints.csv", data, chunk_rows=chunk_rows).chunks).factorized is not None
    frame, rows, errors = parsed()
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(reader, "_read_plain_csv", lambda *args, **kwargs: None)
        reference_frame, reference_rows, reference_errors = parsed()
    assert errors == reference_errors
    assert rows == reference_rows
    assert frame.equals(reference_frame)
