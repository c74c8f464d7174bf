"""The set-based disclosure build (one query for the communities, the indicators read without the whole explanation,
counts by grouping) gives exactly what the reference build (the row-by-row build it replaced,
``reference_build.py``) gives, on random data: every public field of every rating, the grade tally, the appeals."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rating_service.cycles import service as cycles
from rating_service.disclosure import service
from rating_service.records.service import import_folder
from tests import factories as f
from tests.rating_service.disclosure import helpers as h
from tests.rating_service.disclosure.reference_build import reference_build

GENERATOR = Path(__file__).resolve().parents[3] / "fixtures" / "generate.py"


def _generated(database: Any, folder: Path, seed: int) -> None:
    """The generator's data, with contracts that begin and end inside 2025: a takeover, and a company whose contract
    of a community was renewed after a gap (one community, two contracts)."""
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(folder), "--companies", "24", "--records", "2500",
                    "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    path = folder / "contracts.csv"
    header, *rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    first, second = [i for i, row in enumerate(rows) if row[2] < "2025-01-01" and not row[3]][:2]
    (community, _code, start, _end), (other_community, other_code, other_start, _e) = rows[first], rows[second]
    rows[first] = [community, _code, start, "2025-05-15"]
    rows.append([community, other_code, "2025-05-16", ""])
    rows[second] = [other_community, other_code, other_start, "2025-03-31"]
    rows.append([other_community, other_code, "2025-04-10", "2025-08-31"])
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    with database.write_session() as session:
        import_folder(session, folder=folder, actor="test", today=f.TODAY)


def _cycle(database: Any, name: str, start: dt.date, end: dt.date) -> int:
    """A cycle of a part of 2025 (contracts begin and end inside it), computed and publicized."""
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="setup", draft=cycles.CycleDraft(name, start, end)).id
    with f.on_day(h.COMPUTED_ON):
        cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="setup")
    with f.on_day(h.NOTICE_DATE), database.write_session() as session:
        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="setup", notice_date=h.NOTICE_DATE)
    return cycle_id


@pytest.mark.parametrize("seed", [11, 2026])
def test_the_build_equals_the_reference_build_on_random_data(database, tmp_path, seed):
    _generated(database, tmp_path / "data", seed)
    made = [_cycle(database, "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
            _cycle(database, "2025年二季度", dt.date(2025, 4, 1), dt.date(2025, 6, 30))]
    for cycle_id in made:
        with database.snapshot_session() as session:
            built = service.build(session, cycle_id)
            expected = reference_build(session, cycle_id)
        assert built.cycle == expected.cycle
        assert [r.credit_code for r in built.ratings] == [r.credit_code for r in expected.ratings]
        for got, want in zip(built.ratings, expected.ratings, strict=True):
            assert got == want, got.credit_code
            # equal values of equal types (an int where a float was, a list where a tuple was, would show on a page)
            assert repr(got) == repr(want), got.credit_code
        assert built.grades == expected.grades
        assert built.appeals == expected.appeals
        assert any(c.start or c.end for r in built.ratings for c in r.communities)
        assert any(any(r.statements.values()) for r in built.ratings)
        assert any(r.counts.get("inspections") for r in built.ratings)
