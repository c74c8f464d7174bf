"""Two rated half-year cycles of the Zongyang demo data, the accounts that use them, and drafts of methodologies."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from rating_service.audit.models import AuditEntry
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from rating_service.methodologies.models import MethodologyVersion
from rating_service.records.service import import_folder
from rating_service.settings import PROJECT_ROOT
from tests import factories as f

DEMO_DIR = PROJECT_ROOT / "fixtures" / "zongyang"
SHIPPED = PROJECT_ROOT / "scoring" / "methodologies" / "ZY-2025.yaml"
FIRST = ("2025年上半年", dt.date(2025, 1, 1), dt.date(2025, 6, 30))
SECOND = ("2025年下半年", dt.date(2025, 7, 1), dt.date(2025, 12, 31))


@dataclass(frozen=True)
class Demo:
    first: int  # 2025-01-01..2025-06-30, computed
    second: int  # 2025-07-01..2025-12-31, computed


def new_cycle(database: Any, name: str, start: dt.date, end: dt.date, *, compute: bool = True) -> int:
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="setup",
                                       draft=cycles.CycleDraft(name, start, end)).id
    if compute:
        cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="setup")
    return cycle_id


@pytest.fixture
def demo(database: Any) -> Demo:
    """The demo records; two computed half-year cycles; an officer and an administrator."""
    with database.write_session() as session:
        import_folder(session, folder=DEMO_DIR, actor="setup", today=f.TODAY)
    first = new_cycle(database, *FIRST)
    second = new_cycle(database, *SECOND)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "admin", "admin")
    return Demo(first=first, second=second)


def shipped_data() -> dict[str, Any]:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def draft_data(identifier: str, effective_from: str = "2027-01-01", **changes: Any) -> dict[str, Any]:
    """The shipped ZY-2025 file under another id and date, with some top-level or dotted-path values replaced
    (``inspections__breakpoints=…`` sets inspections.breakpoints). A draft starting after ZY-2025 ends (2025-12-31,
    when ZY-2026 takes over) is open-ended, as an adopted successor is."""
    data = shipped_data()
    data["id"] = identifier
    data["effective_from"] = dt.date.fromisoformat(effective_from)
    if data.get("effective_to") is not None and data["effective_from"] > data["effective_to"]:
        data["effective_to"] = None
    for key, value in changes.items():
        target = data
        *parents, last = key.split("__")
        for part in parents:
            target = target[part]
        target[last] = value
    return data


def draft_text(identifier: str, effective_from: str = "2027-01-01", **changes: Any) -> str:
    return yaml.safe_dump(draft_data(identifier, effective_from, **changes), allow_unicode=True, sort_keys=False)


def bands(**mins: float) -> list[dict[str, Any]]:
    """The shipped bands with some lower edges moved (``AA=85``)."""
    edges = {"AAA": 90.0, "AA": 80.0, "A": 70.0, "B": 60.0, "C": 0.0, **mins}
    return [{"grade": g, "min": edges[g]} for g in ("AAA", "AA", "A", "B", "C")]


FORM_FIELD = re.compile(r'<input name="((?:weight|band|x|y)_[A-Za-z_]+)" value="([^"]*)"')


def what_if_form(client: Any, cycle_id: int, base: str | None = None) -> dict[str, Any]:
    """The what-if form's fields as the page fills them in (``base``, or the cycle's methodology), ready to post;
    a curve's cells are lists."""
    page = client.get(f"/methodologies/what-if?cycle={cycle_id}" + (f"&base={base}" if base else ""))
    assert page.status_code == 200, page.text[:300]
    fields: dict[str, Any] = {}
    for name, value in FORM_FIELD.findall(page.text):
        if name.startswith(("x_", "y_")):
            fields.setdefault(name, []).append(html.unescape(value))
        else:
            fields[name] = html.unescape(value)
    return {"csrf_token": f.csrf_of(client), "cycle": str(cycle_id), "base": base or "ZY-2025", **fields}


def stored_ratings(database: Any, cycle_id: int) -> dict[str, Any]:
    """The cycle's stored ratings by credit code: (score, grade, methodology id)."""
    with database.read_session() as session:
        rows, _total = cycles_repo.list_ratings(session, cycle_id=cycle_id, limit=10_000)
        return {r.credit_code: (r.score, r.grade, r.methodology_id) for r in rows}


def adopted_count(database: Any) -> int:
    with database.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(MethodologyVersion)) or 0)


def audit_entries(database: Any, action: str) -> list[AuditEntry]:
    with database.read_session() as session:
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))
        session.expunge_all()
        return rows
