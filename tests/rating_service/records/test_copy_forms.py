"""The COPY text of a first load, made from each column's distinct values (``validate.Forms``, issue 21) against the
same text made cell by cell: byte for byte the same, for every kind of column a form covers (text, credit codes,
yes/no, choices) and for the columns a kind's defaults change after parsing (a fee violation's refund)."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rating_service.records.formats import KINDS
from rating_service.records.reader import read_table
from rating_service.records.service import _content_columns, _copy_text, _no_progress
from rating_service.records.validate import parse_table
from tests import factories as f

CHANNELS = ["12345", "来电", " 微信公众号 ", None]
YES_NO = ["是", "否", "Y", None]
SATISFACTION = ["满意", "不满意", "基本满意", None]
FEES = ["超标准收费", "未按规定公示收费"]


def _complaints(rng: random.Random, count: int) -> list[list[Any]]:
    return [[f"GD-{number:06d}", f"2025-0{rng.randrange(1, 10)}-1{rng.randrange(10)}", rng.choice(CHANNELS),
             rng.choice(["ZY-C001", "ZY-C002"]), rng.choice([f.CODE_A, f.CODE_B.lower(), None]),
             rng.choice(["环境卫生", "噪音扰民", None]), rng.choice(YES_NO[:3]), None, None, rng.choice(SATISFACTION)]
            for number in range(count)]


def _fee_violations(rng: random.Random, count: int) -> list[list[Any]]:
    return [[f"SF-{number:04d}", "2025-06-01", rng.choice([f.CODE_A, f.CODE_B]), rng.choice(["ZY-C001", None]),
             rng.choice(FEES), rng.choice(["23000", None]), rng.choice(YES_NO),
             rng.choice(["枞住建罚〔2025〕1号", None])]
            for number in range(count)]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), count=st.integers(1, 60), kind=st.sampled_from(["complaints", "fee_violations"]),
       chunk_rows=st.integers(2, 25))
def test_copy_text_from_forms_is_the_copy_text_of_the_cells(seed: int, count: int, kind: str,
                                                            chunk_rows: int) -> None:
    rng = random.Random(seed)
    rows = (_complaints if kind == "complaints" else _fee_violations)(rng, count)
    record_kind = KINDS[kind]
    columns = [*record_kind.key, *_content_columns(record_kind)]
    slices: list[tuple[Any, Any]] = []
    parse_table(read_table(f"{kind}.csv", f.upload(kind, rows).data, chunk_rows=chunk_rows), record_kind,
                today=f.TODAY, on_chunk=lambda frame, errors, forms: slices.append((frame, forms)))
    assert slices
    covered = set()
    for frame, forms in slices:
        covered |= set(forms)
        with_forms = b"".join(_copy_text(record_kind, frame, columns, _no_progress, batch_id=7, forms=forms))
        cell_by_cell = b"".join(_copy_text(record_kind, frame, columns, _no_progress, batch_id=7))
        assert with_forms == cell_by_cell
    expected = {"complaints": {"record_id", "channel", "community_id", "credit_code", "category", "substantiated",
                               "satisfaction"},
                "fee_violations": {"record_id", "credit_code", "community_id", "violation_type", "document_no"}}[kind]
    assert covered == expected  # a fee violation's refund is changed by the defaults: no form for it
