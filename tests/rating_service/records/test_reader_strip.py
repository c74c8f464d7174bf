"""The whitespace scan of a CSV's bytes, block by block, against the whole-file scan it replaced (issue 21: the
whole-file form made three file-sized arrays at once, +220 MiB at the start of a 100 MB import)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rating_service.records.reader import _EDGE, _needs_strip

ALPHABET = b'ab ,\t"\r\n;x'  # letters, the delimiters, quote, line ends, space and tab


def _whole_file(data: bytes) -> bool:
    """The scan as it was: every space or tab of the file at once (no U+3000 in these bytes)."""
    raw = np.frombuffer(data, dtype=np.uint8)
    spaces = np.flatnonzero((raw == 0x20) | (raw == 0x09))
    if spaces.size == 0:
        return False
    if spaces[0] == 0 or spaces[-1] == raw.size - 1:
        return True
    return bool((_EDGE[raw[spaces - 1]] | _EDGE[raw[spaces + 1]]).any())


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200).map(lambda b: bytes(ALPHABET[v % len(ALPHABET)] for v in b)),
       block=st.sampled_from([1, 2, 3, 7, 64, 8 << 20]))
def test_block_scan_matches_the_whole_file_scan(data: bytes, block: int) -> None:
    assert _needs_strip(data, "utf-8", block=block) is _whole_file(data)


def test_a_space_next_to_a_delimiter_across_a_block_edge_is_found() -> None:
    # "a ,b": the space is the last byte of the first 2-byte block, its delimiter the first of the next.
    assert _needs_strip(b"a ,b\n", "utf-8", block=2)
    assert not _needs_strip(b"a b,c\n", "utf-8", block=2)
    assert _needs_strip("甲\u3000乙\n".encode(), "utf-8")  # an ideographic space: always stripped
