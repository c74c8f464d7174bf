"""A revised notice after an appeal decision: new number and code, names what it replaces, verification follows."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from rating_service.cycles import repository as cycles_repo
from rating_service.cycles.models import Cycle
from rating_service.errors import NotFound
from rating_service.notices import repository, service
from tests import factories as f
from tests.rating_service.notices.helpers import counters, publish

DECIDED = dt.date(2026, 1, 26)


def _revise(database, published):  # type: ignore[no-untyped-def]
    with database.write_session() as session:
        cycle = session.get(Cycle, published.cycle_id)
        rating = cycles_repo.rating(session, cycle_id=cycle.id, credit_code=f.CODE_A)
        before = (rating.score, rating.grade)
        # What an upheld appeal does to the stored rating (issue 6 re-scores; here the result is set directly).
        rating.score, rating.grade = 97.25, "AAA"
        revised = service.issue_revised_notice(
            session=session, cycle=cycle, credit_code=f.CODE_A, actor="officer", issue_date=DECIDED,
            previous_score=before[0], previous_grade=before[1], decision_doc_number="枞住建信评〔2026〕30号")
        return revised.id, before


def test_a_revised_notice_replaces_the_old_one_and_verification_says_so(database):
    published = publish(database)
    last_seq = counters(database)[2026]
    revised_id, before = _revise(database, published)

    with database.write_session() as session:
        revised = repository.document(session, revised_id)
        old = repository.document(session, published.own.id)
        assert revised.kind == "revised_notice" and revised.replaces_id == old.id and old.revised_by_id == revised.id
        assert revised.doc_number == f"枞住建信评〔2026〕{last_seq + 1}号"  # the next number, never a reused one
        assert revised.verification_code != old.verification_code
        # The company's notice in force is the revised one.
        assert repository.latest_notice(session, cycle_id=published.cycle_id, credit_code=f.CODE_A).id == revised.id
        old_says = service.verify(session=session, code=old.verification_code)
        new_says = service.verify(session=session, code=revised.verification_code)
        pdf = service.pdf_bytes(session=session, document=revised)
    assert old_says.revised and old_says.revised_by == revised.doc_number
    assert old_says.score == f"{before[0]:.1f}"  # what the old notice said, as issued
    assert not new_says.revised and new_says.score == "97.2"  # fixed(97.25, 1): Python rounds the binary value
    assert new_says.grade == "AAA" and new_says.kind == "revised_notice"

    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "信用评价结果告知书（更正）" in text
    assert published.own.doc_number in text  # names the notice it replaces
    assert f"更正前得分{before[0]:.1f}分、等级{before[1]}级" in text
    assert "枞住建信评〔2026〕30号" in text


def test_revised_notice_api_and_page_say_the_old_code_is_superseded(database):
    published = publish(database)
    revised_id, _ = _revise(database, published)
    client = f.api_client(database)
    body = client.get(f"/api/v1/verify/{published.own.verification_code}").json()
    assert body["revised"] is True and body["revised_by"].startswith("枞住建信评〔2026〕")
    page = client.get(f"/verify/{published.own.verification_code}")
    assert page.status_code == 200 and "该文书已被更正" in page.text and body["revised_by"] in page.text


def test_no_revised_notice_without_an_issued_notice(database):
    published = publish(database)
    with database.write_session() as session, pytest.raises(NotFound):
        cycle = session.get(Cycle, published.cycle_id)
        service.issue_revised_notice(session=session, cycle=cycle, credit_code="91340000000000000X", actor="officer",
                                     issue_date=DECIDED, previous_score=50.0, previous_grade="C")
