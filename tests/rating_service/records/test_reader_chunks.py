"""A file is parsed chunk by chunk, with what was learnt in earlier chunks kept (shared strings, values found free of
personal data, each credit code's verdict): the outcome must not depend on where the chunks are cut."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rating_service.records.formats import KINDS
from rating_service.records.reader import read_table
from rating_service.records.validate import parse_table
from tests import factories as f

# Valid codes, one with a wrong check character, one too short, one with a letter outside the alphabet, a phone
# number (personal data), and nothing.
CODES = [f.CODE_A, f.CODE_B, f.CODE_A[:17] + ("0" if f.CODE_A[17] != "0" else "1"), f.CODE_A[:10], "9134" + "I" * 14,
         "13912345678", None]
CHANNELS = ["12345", "来电", "联系人 13812345678", None]


def _rows(seed: int, count: int) -> list[list[Any]]:
    rng = random.Random(seed)
    rows = []
    for number in range(count):
        received = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
        rows.append([f"GD-{number:06d}" if rng.random() < 0.95 else f"GD-{rng.randrange(count):06d}",
                     received.isoformat(), rng.choice(CHANNELS), rng.choice(["ZY-C001", "ZY-C002", None]),
                     rng.choice(CODES), rng.choice([None, "环境卫生", "噪音扰民"]), rng.choice(["是", "否", "也许"]),
                     None, None, None])
    return rows


def _parsed(data: bytes, chunk_rows: int) -> tuple[Any, list[tuple[Any, ...]]]:
    parsed = parse_table(read_table("complaints.csv", data, chunk_rows=chunk_rows), KINDS["complaints"],
                         today=f.TODAY)
    errors = [(e.row, e.column, e.value, e.key, tuple(sorted(e.params.items()))) for e in parsed.errors]
    return parsed, errors


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), count=st.integers(1, 120), chunk_rows=st.integers(1, 40))
def test_chunks_of_any_size_give_what_the_whole_file_gives(seed: int, count: int, chunk_rows: int) -> None:
    data = f.upload("complaints", _rows(seed, count)).data
    whole, whole_errors = _parsed(data, 1_000_000)
    chunked, chunked_errors = _parsed(data, chunk_rows)
    assert chunked_errors == whole_errors
    assert chunked.row_numbers.tolist() == whole.row_numbers.tolist()
    assert chunked.frame.equals(whole.frame)
    # Every bad credit code is reported on every row that holds it, in whichever chunk.
    rows = _rows(seed, count)
    bad = {CODES[2]: "credit_code_check_digit", CODES[3]: "credit_code_length", CODES[4]: "credit_code_charset",
           CODES[5]: "credit_code_length"}
    expected = sorted((i + 2, bad[row[4]]) for i, row in enumerate(rows) if row[4] in bad)
    assert sorted((e[0], e[3]) for e in chunked_errors if e[1] == "credit_code" and e[3] in bad.values()) == expected
