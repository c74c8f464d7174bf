"""Companies and the public read plain words: every page they can reach for the Zongyang demo shows no internal
code (INSP, COMPL_RATE, VETO, R0, …) and no English enum value (maintenance_fund, minor, finalized, …) in its
visible Chinese text. Codes stay in machine fields: attributes, form values, JSON keys."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from rating_service.cli import app as cli_app
from rating_service.cycles import repository
from rating_service.cycles.models import CYCLE_STATES
from rating_service.records.formats import EVENT_KIND_PAIRS, LEVEL_PAIRS, SATISFACTION, SEVERITY_PAIRS, VIOLATION_PAIRS
from rating_service.settings import PROJECT_ROOT
from tests import factories as f
from tests.rating_service.disclosure import helpers as h

ZONGYANG = PROJECT_ROOT / "fixtures" / "zongyang"
NOTICE_DATE = dt.date(2026, 1, 12)  # a Monday: the appeal window runs to 2026-01-19
IN_WINDOW = dt.date(2026, 1, 14)
CODES = ("INSP", "COMPL", "COMPL_RATE", "COMPL_TIMELY", "FEE", "VETO", "R0")
ENUMS = tuple(sorted({code for pairs in (SEVERITY_PAIRS, VIOLATION_PAIRS, LEVEL_PAIRS, EVENT_KIND_PAIRS)
                      for _zh, code in pairs} | set(SATISFACTION[0].values()) | set(CYCLE_STATES)))
FORBIDDEN = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, CODES + ENUMS)) + r")(?![A-Za-z0-9_])")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The Zongyang data, the 2025 cycle computed and publicized; the company with the most records (of those not
    vetoed) and a vetoed one logged in."""
    database, cycle_id = f.zongyang_publicized(tmp_path_factory.mktemp("plain-words") / "rating.db", NOTICE_DATE)
    with database.read_session() as session:
        ratings, _total = repository.list_ratings(session, cycle_id=cycle_id, sort="-score", limit=1000)
        explanations = {r.credit_code: json.loads(r.explanation) for r in ratings}

    def records(exp: dict[str, Any]) -> int:
        compl = next(line for line in exp["indicators"] if line["code"] == "COMPL")["parts"]
        return exp["visits"] + compl.get("due", 0) + compl.get("substantiated", 0) + len(exp["reasons"])

    busiest = max((code for code, exp in explanations.items() if not exp["veto"]),
                  key=lambda code: (records(explanations[code]), code))
    vetoed = sorted(code for code, exp in explanations.items() if exp["veto"])[0]
    f.make_user(database, "plain-busy", "company", credit_code=busiest)
    f.make_user(database, "plain-veto", "company", credit_code=vetoed)
    yield {"database": database, "cycle_id": cycle_id, "busiest": busiest, "vetoed": vetoed,
           "explanations": explanations}
    database.dispose()


def _offending(text: str) -> list[str]:
    return sorted({m.group(1) for m in FORBIDDEN.finditer(text)})


def _company_pages(demo: dict[str, Any], code: str) -> list[str]:
    c = demo["cycle_id"]
    return ["/", f"/cycles/{c}/companies/{code}", f"/cycles/{c}/companies/{code}/records",
            f"/cycles/{c}/appeals/new", f"/cycles/{c}/appeals", "/repair"]


def _public_pages(demo: dict[str, Any]) -> list[str]:
    c = demo["cycle_id"]
    return ["/public", f"/public?cycle={c}", f"/public/companies/{demo['busiest']}",
            f"/public/companies/{demo['vetoed']}", "/public/methodology", "/public/methodology/ZY-2025",
            "/public/lists", "/public/appeals"]


@pytest.mark.parametrize("who", ["busiest", "vetoed"])
def test_a_company_reads_no_code(demo, who):
    username = {"busiest": "plain-busy", "vetoed": "plain-veto"}[who]
    client = f.page_client(demo["database"], username)
    found = {}
    with f.on_day(IN_WINDOW):
        for url in _company_pages(demo, demo[who]):
            page = client.get(url)
            assert page.status_code == 200, (url, page.status_code)
            if bad := _offending(h.text_of(page.text)):
                found[url] = bad
    assert not found, f"internal codes or English enum values in the text people read: {found}"


def test_the_public_reads_no_code(demo):
    client = f.page_client(demo["database"])
    found = {}
    for url in _public_pages(demo):
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        if bad := _offending(h.text_of(page.text)):
            found[url] = bad
    assert not found, f"internal codes or English enum values in the text people read: {found}"


def test_the_open_data_csv_in_chinese_holds_no_reason_code(demo):
    client = f.page_client(demo["database"])
    links = [link for link in h.links_of(client.get("/public/open-data").text) if link.endswith(".csv")]
    assert links
    for link in links:
        body = client.get(link).content.decode("utf-8-sig")
        if "lang=en" in link or body.startswith("cycle_id"):
            continue  # the English variant's headers are the machine field names
        assert not [c for c in CODES if re.search(rf"(?<![A-Za-z0-9_]){c}(?![A-Za-z0-9_])", body)], link


def test_the_page_says_what_the_terminal_says(demo, tmp_path):
    """`rating score --explain CODE` prints the page's own words: every cell and line of the explanation (from
    the points table on) is text of the company's page."""
    code = demo["busiest"]
    client = f.page_client(demo["database"], "plain-busy")
    page = "".join(h.text_of(client.get(f"/cycles/{demo['cycle_id']}/companies/{code}").text).split())
    result = CliRunner().invoke(cli_app, ["score", "--data", str(ZONGYANG), "--period", "2025-01-01:2025-12-31",
                                          "--explain", code])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    body = lines[lines.index("一、指标得分"):]
    table_end = body.index(next(line for line in body[2:] if not re.search(r"\s{2,}\S", line)))
    cells = [cell for line in body[1:table_end] for cell in re.split(r"\s{2,}", line.strip()) if cell]
    sentences = [re.sub(r"^\d+\. ", "", line.strip().rstrip("：")) for line in body[table_end:] if line.strip()]
    sentences = [s for s in sentences if not s.startswith("- ")]  # evidence rows: the reasons section's own layout
    missing = [text for text in cells + sentences if "".join(text.split()) not in page]
    assert not missing, missing
    assert any("同时将" in s or "做到以下任意一项即可" in s or "本期无法升至" in s or "已是最高等级" in s
               for s in sentences)
