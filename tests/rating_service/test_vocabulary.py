"""One vocabulary: one name per thing across pages, PDFs, CSV and API. A catalogue (rating_service/i18n/*.py,
reports/texts.py, the page and document templates) that uses a retired synonym fails here, naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted([*ROOT.glob("rating_service/i18n/*.py"), ROOT / "reports" / "texts.py",
                     *ROOT.glob("rating_service/web/templates/**/*.html"), *ROOT.glob("reports/templates/**/*.html")])
# retired word -> the word in use
RETIRED = {
    "评价办法": "评价细则",
    "评价方法": "评价细则",
    "已定稿": "已终评",
    "失分": "扣分",
    "投诉处理": "投诉处置",
    "县域先验": "全县平均",
}


def test_the_catalogues_are_found():
    names = {p.name for p in CATALOGUES}
    assert {"explanations.py", "cycles.py", "disclosure.py", "texts.py", "company_rating.html"} <= names


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_catalogue_uses_a_retired_word(path):
    found = [f"{path.relative_to(ROOT)}:{number}: {old} (say {new})"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             for old, new in RETIRED.items() if old in line]
    assert not found, "\n".join(found)
