from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
import types
from typing import Any

import pytest

from rating_service.accounts.service import Principal
from tests import factories as f
from tests.rating_service.notices.helpers import computed_cycle, publicize

IN_WINDOW = dt.date(2026, 1, 14)  # the factory cycle's notice went out on Monday 2026-01-12

NAME_A = "安徽皖江物业服务有限公司"
NAME_B = "枞阳县江南物业管理有限公司"
COMPANY_A = Principal(101, "company", "皖江", "company", f.CODE_A)
COMPANY_B = Principal(102, "company_b", "江南", "company", f.CODE_B)
OFFICER = Principal(103, "officer", "科员", "officer", None)
ADMIN = Principal(104, "admin", "管理员", "admin", None)


def _fallback_documents() -> types.ModuleType:
    """Until the docs lane's repair/documents.py is merged: the commitment as the contract describes it and a
    numbered repair_decision document (its wording is the docs lane's)."""
    from rating_service.notices import service as notices
    from rating_service.notices.models import Document
    from reports.model import Commitment, Issuer

    module = types.ModuleType("rating_service.repair.documents")

    def commitment_for(*, company_name: str, credit_code: str, cycle_name: str, request_id: int, mark_label: str,
                       commitment_months: int, signed_at: dt.datetime) -> Commitment:
        return Commitment(issuer=Issuer(name="枞阳县住房和城乡建设局", short_name="枞住建信评", base_url="http://test"),
                          company_name=company_name, credit_code=credit_code, cycle_name=cycle_name,
                          request_id=request_id, mark=mark_label, paragraphs=["本企业承诺……"],
                          commitment_months=commitment_months, signed_on=signed_at.date(),
                          signed_at=signed_at.isoformat(), issue_date=signed_at.date(), doc_number="")

    def issue_decision(*, session: Any, request: Any, actor: str, issue_date: dt.date) -> Document:
        numbered = notices.take_number(session, issue_date)
        document = Document(kind="repair_decision", cycle_id=request.cycle_id, credit_code=request.credit_code,
                            doc_year=numbered.year, doc_seq=numbered.seq, doc_number=numbered.number,
                            verification_code=numbered.code, issue_date=issue_date,
                            payload=json.dumps({"status": request.status}), created_at=dt.datetime.now(dt.UTC),
                            created_by=actor)
        session.add(document)
        session.flush()
        return document

    module.commitment_for = commitment_for  # type: ignore[attr-defined]
    module.issue_decision = issue_decision  # type: ignore[attr-defined]
    return module


@pytest.fixture(autouse=True)
def _documents(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("rating_service.repair.documents") is None:
        monkeypatch.setitem(sys.modules, "rating_service.repair.documents", _fallback_documents())
        import rating_service.repair as package

        monkeypatch.setattr(package, "documents", sys.modules["rating_service.repair.documents"], raising=False)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_today(day: dt.date) -> None:
        f.pin_today(monkeypatch, day)

    set_today(IN_WINDOW)
    return set_today


@pytest.fixture
def published(database: Any, today: Any) -> Any:
    """The factory cycle 「2025年度」 publicized on 2026-01-12: 皖江 (CODE_A) has the fee violation SF-001
    (overcharge, 2025-06-01); 江南 (CODE_B) is vetoed by ZD-001 (refuse to exit, 2025-07-15) and black-listed."""
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "major_events")
    cycle_id = computed_cycle(database, "2025年度")
    publicize(database, cycle_id)
    return types.SimpleNamespace(cycle_id=cycle_id)
