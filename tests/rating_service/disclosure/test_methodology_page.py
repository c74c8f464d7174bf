"""The public methodology page shows every number of the methodology file, its date and its references."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from rating_service.disclosure.pages import PUBLIC_TEXT
from tests import factories as f
from tests.rating_service.disclosure import helpers as h

FILE = Path(__file__).resolve().parents[3] / "scoring" / "methodologies" / "ZY-2025.yaml"
FILE_2026 = FILE.with_name("ZY-2026.yaml")
# The page section (by its heading) where each top-level key's numbers belong; None: anywhere on the page.
SECTIONS: dict[str, str | None] = {
    "weights": "weights_title", "inspections": "insp_title", "complaints": "compl_title", "fees": "fee_title",
    "bonus": "bonus_title", "bands": "bands_title", "rounding": "bands_title", "provisional": "rules_title",
    "days_per_year": None, "explanation": None, "repair": "repair_title",
}


def _numeric_leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], float]]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numeric_leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numeric_leaves(item, (*path, index))


def _sections(html: str) -> dict[str, str]:
    """Visible text of each <section>, keyed by its first heading's text."""
    found = {}
    for block in re.findall(r"<section[^>]*>(.*?)</section>", html, flags=re.S):
        heading = re.search(r"<h3[^>]*>(.*?)</h3>", block, flags=re.S)
        if heading:
            found[h.text_of(heading.group(1)).strip()] = h.text_of(block)
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("url", "file"), [("/public/methodology/ZY-2025", FILE), ("/public/methodology", FILE),
                                           ("/public/methodology/ZY-2026", FILE_2026)])
def test_the_methodology_page_shows_every_number_of_the_file(sqlite_only, url, file, lang):
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert data["id"] == file.stem
    response = f.page_client(sqlite_only).get(f"{url}?lang={lang}")
    assert response.status_code == 200
    page = h.number_tokens(h.text_of(response.text))
    sections = {title: h.number_tokens(text) for title, text in _sections(response.text).items()}
    leaves = list(_numeric_leaves(data))
    assert len(leaves) > 40  # the walk found the file's numbers
    missing = []
    for path, value in leaves:
        shown = f"{value:g}"
        section = SECTIONS.get(path[0], "rules_title")
        where = page if section is None else sections.get(PUBLIC_TEXT[section][lang], set())
        if shown not in where:
            missing.append(f"{'.'.join(map(str, path))} = {shown} (section: {section or 'page'})")
    assert not missing, "numbers of the methodology file missing from the page:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_methodology_page_shows_the_effective_date_and_every_reference(sqlite_only, lang):
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    html = f.page_client(sqlite_only).get(f"/public/methodology/ZY-2025?lang={lang}").text
    text = h.text_of(html)
    assert data["effective_from"].isoformat() in h.text_of(re.search(r'<dd id="effective">(.*?)</dd>', html).group(1))
    assert data["references"], "the file lists references"
    for reference in data["references"]:
        assert reference["title"] in text, reference["title"]
        for extra in ("section", "text"):
            if reference.get(extra):
                assert reference[extra] in text, reference[extra]
    title = data["title"] if lang == "zh" else data["title_en"]
    assert title in text


def test_an_unknown_methodology_is_404(sqlite_only):
    client = f.page_client(sqlite_only)
    assert client.get("/public/methodology/ZY-1999").status_code == 404
    assert client.get("/api/v1/public/methodologies/ZY-1999").status_code == 404


def _timeliness(html: str) -> str:
    return h.text_of(re.search(r'<p id="timeliness-rule">(.*?)</p>', html, flags=re.S).group(1))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_version_states_its_own_timeliness_rule(sqlite_only, lang):
    client = f.page_client(sqlite_only)
    old = client.get(f"/public/methodology/ZY-2025?lang={lang}").text
    new = client.get(f"/public/methodology/ZY-2026?lang={lang}").text
    # ZY-2025: the share resolved on time, no late-rate table; ZY-2026: late complaints per 1,000 household-years
    # with k and its curve, as a table and a chart like the other curves.
    assert _timeliness(old) == PUBLIC_TEXT["timeliness_share"][lang]
    assert 'id="timeliness"' not in old and PUBLIC_TEXT["late_curve"][lang] not in old
    assert _timeliness(new) == PUBLIC_TEXT["timeliness_late"][lang].format(per="1000", k="300")
    block = re.search(r'<div class="curves" id="timeliness">(.*?)</figure>', new, flags=re.S).group(1)
    text = h.text_of(block)
    assert PUBLIC_TEXT["late_credibility"][lang] in text and PUBLIC_TEXT["late_curve"][lang] in text
    assert h.number_tokens(text) >= {"300", "1000", "0", "2", "5", "10", "20", "100", "90", "75", "50"}
    assert block.count("<circle") == 5  # one dot per breakpoint
    if lang == "zh":
        assert "每千户每年未按时办结投诉件数" in h.text_of(new) and "按时办结的比例" in _timeliness(old)


@pytest.mark.parametrize("version", ["ZY-2025", "ZY-2026"])
def test_the_methodology_page_names_no_internal_code(sqlite_only, version):
    for lang in ("zh", "en"):
        text = h.text_of(f.page_client(sqlite_only).get(f"/public/methodology/{version}?lang={lang}").text)
        for code in ("COMPL_TIMELY", "COMPL_RATE", "late_rate", "on_time", "timeliness", "rate_per_households",
                     "credibility_households", "None"):
            assert code not in text, (version, lang, code)


def test_both_versions_are_listed(sqlite_only):
    client = f.page_client(sqlite_only)
    listed = client.get("/api/v1/public/methodologies").json()
    assert [(m["id"], m["effective_from"], m["effective_to"]) for m in listed] == [
        ("ZY-2025", "2025-01-01", "2025-12-31"), ("ZY-2026", "2026-01-01", None)]
    for version, other in (("ZY-2025", "ZY-2026"), ("ZY-2026", "ZY-2025")):
        html = client.get(f"/public/methodology/{version}").text
        assert f'href="/public/methodology/{other}"' in html
    effective = h.text_of(re.search(r'<dd id="effective">(.*?)</dd>',
                                    client.get("/public/methodology/ZY-2025").text).group(1))
    assert "2025-01-01" in effective and "2025-12-31" in effective
