"""The static style sheet stays well formed: merged blocks appended by several changes once lost a closing brace,
and the browser silently dropped every rule after it (the community page's forms lost their layout)."""

from __future__ import annotations

import re
from pathlib import Path

import rating_service.web

STATIC = Path(rating_service.web.__file__).parent / "static"


def _depths(css: str) -> list[tuple[int, int]]:
    """(line, nesting depth after it) for every line of ``css`` with its comments blanked out."""
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), css, flags=re.S)
    depth, out = 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        out.append((number, depth))
    return out


def test_every_block_of_the_style_sheet_is_closed() -> None:
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    assert css.count("/*") == css.count("*/"), "an unclosed comment"
    depths = _depths(css)
    assert all(depth >= 0 for _, depth in depths), [line for line, depth in depths if depth < 0][:1]
    # Only @media (or @supports) nests: a rule inside a rule means a brace went missing above it.
    assert max(depth for _, depth in depths) <= 2
    assert depths[-1][1] == 0, "a block is never closed"
    # Each appended block starts at depth 0: a "/* … */" heading line inside an open block is the usual sign.
    for number, line in enumerate(css.splitlines(), start=1):
        if line.startswith("/* ") and number > 1:
            assert dict(depths)[number - 1] == 0, f"line {number} starts a section inside an open block"


def test_the_check_finds_a_missing_brace() -> None:
    broken = "@media (max-width: 640px) {\n  a { color: red; }\n/* next */\nb { color: blue; }\n"
    assert _depths(broken)[-1][1] == 1
