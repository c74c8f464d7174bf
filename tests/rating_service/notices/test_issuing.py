"""Issuing at publicize: a bulletin and one notice per rating, numbered per year without gaps or reuse."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import select
from typer.testing import CliRunner

from rating_service.audit import service as audit
from rating_service.audit.repository import AuditFilter
from rating_service.cli import app
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle
from rating_service.workdays.holiday_calendar import known_years
from tests import factories as f
from tests.rating_service.notices.helpers import (
    CODE_PATTERN,
    COMPUTED_ON,
    DEADLINE,
    NOTICE_DATE,
    computed_cycle,
    counters,
    documents,
    payload,
    publicize,
)

runner = CliRunner()


def _audit(database, action, entity_id):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        entries, _ = audit.search(session, filters=AuditFilter(action=action, entity_id=entity_id), limit=100)
    return [e for e in entries if e.action == action]


def test_publicizing_the_demo_cycle_numbers_the_bulletin_then_every_notice(database):
    with f.on_day(COMPUTED_ON):  # the demo computes 2025 early in 2026; its notices go out on NOTICE_DATE
        assert runner.invoke(app, ["demo", "--no-accounts"]).exit_code == 0
    with database.read_session() as session:
        cycle = cycles_repo.cycle_by_name(session, "2025年度")
        assert cycle is not None and cycle.status == "computed"
        cycle_id = cycle.id
        ratings, rated = cycles_repo.list_ratings(session, cycle_id=cycle_id)
    assert rated == 18
    publicize(database, cycle_id)

    issued = documents(database, cycle_id)
    assert len(issued) == rated + 1
    assert [d.kind for d in issued] == ["bulletin"] + ["notice"] * rated
    assert [d.doc_seq for d in issued] == list(range(1, rated + 2))
    assert [d.doc_number for d in issued] == [f"枞住建信评〔2026〕{n}号" for n in range(1, rated + 2)]
    assert {d.doc_year for d in issued} == {2026} and {d.issue_date for d in issued} == {NOTICE_DATE}
    assert issued[0].credit_code is None
    # one notice per rated company, in credit-code order
    assert [d.credit_code for d in issued[1:]] == sorted(r.credit_code for r in ratings)
    codes = [d.verification_code for d in issued]
    assert all(re.fullmatch(CODE_PATTERN, c) for c in codes), codes
    assert len(set(codes)) == len(codes)
    assert all(d.sha256 is None and d.created_by == "officer" for d in issued)  # rendered later
    # 2025's numbers were taken by the demo's 2024 cycle (publicized on 2025-01-15); 2026's start at 1.
    assert counters(database) == {2025: rated + 1, 2026: rated + 1}

    # what each document says is frozen into its payload
    by_code = {r.credit_code: r for r in ratings}
    for document in issued[1:]:
        frozen = payload(document)
        rating = by_code[document.credit_code]
        assert frozen["type"] == "Notice" and frozen["doc_number"] == document.doc_number
        assert frozen["verification_code"] == document.verification_code
        assert frozen["credit_code"] == rating.credit_code and frozen["grade"] == rating.grade
        assert frozen["company_name"] == rating.name and frozen["score"] == f"{rating.score:.1f}"
        assert (frozen["issue_date"], frozen["appeal_deadline"], frozen["appeal_days"]) == \
            ("2026-01-12", "2026-01-19", 5)
    bulletin = payload(issued[0])
    assert bulletin["type"] == "Bulletin" and bulletin["doc_number"] == "枞住建信评〔2026〕1号"
    assert bulletin["publicity_end"] == "2026-01-19"
    assert sorted(row["credit_code"] for row in bulletin["rows"]) == sorted(by_code)
    assert sum(count for _grade, count in bulletin["grade_counts"]) == rated

    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        assert (cycle.status, cycle.notice_date, cycle.appeal_deadline) == ("publicized", NOTICE_DATE, DEADLINE)
        assert audit.verify(session).ok
    [entry] = _audit(database, "documents.issue", str(cycle_id))
    assert entry.actor == "officer" and entry.entity_kind == "cycle"
    assert json.loads(entry.payload) == {"notices": rated, "bulletins": 1, "first": "枞住建信评〔2026〕1号",
                                         "last": f"枞住建信评〔2026〕{rated + 1}号", "appeal_deadline": "2026-01-19"}


def test_numbers_continue_through_the_year_and_start_again_at_one_in_the_next(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    first, second = (computed_cycle(database, name) for name in ("一", "二"))
    other_year = computed_cycle(database, "三", on=dt.date(2025, 12, 1))
    publicize(database, first)
    publicize(database, second, dt.date(2026, 3, 2))
    publicize(database, other_year, dt.date(2025, 12, 1))

    assert [d.doc_number for d in documents(database, first)] == [f"枞住建信评〔2026〕{n}号" for n in (1, 2, 3)]
    assert [d.doc_number for d in documents(database, second)] == [f"枞住建信评〔2026〕{n}号" for n in (4, 5, 6)]
    assert [d.doc_number for d in documents(database, other_year)] == \
        [f"枞住建信评〔2025〕{n}号" for n in (1, 2, 3)]
    assert counters(database) == {2025: 3, 2026: 6}
    everything = documents(database)
    assert len({d.doc_number for d in everything}) == len({d.verification_code for d in everything}) == 9
    with database.read_session() as session:
        deadlines = dict(session.execute(select(Cycle.id, Cycle.appeal_deadline)).all())
    assert deadlines == {first: DEADLINE, second: dt.date(2026, 3, 9), other_year: dt.date(2025, 12, 8)}


def test_a_deadline_in_a_year_without_a_schedule_refuses_publicize_and_changes_nothing(database):
    year = max(known_years())
    assert year + 1 not in known_years()
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    f.make_user(database, "officer", "officer")
    earlier, refused = computed_cycle(database, "一"), computed_cycle(database, "二")
    publicize(database, earlier, dt.date(year, 6, 1))
    assert counters(database) == {year: 3}
    api = f.api_client(database, "officer")

    # December 28th: the fifth working day after it lies in the next, unannounced year
    with f.on_day(dt.date(year, 12, 28)):
        response = api.post(f"/api/v1/cycles/{refused}/publicize", json={"notice_date": f"{year}-12-28"})
        assert response.status_code == 409, response.text
        body = response.json()
        assert body["code"] == "calendar_unknown" and f"{year + 1} 年" in body["message"]
        assert f"{year + 1}" in api.post(f"/api/v1/cycles/{refused}/publicize",
                                         json={"notice_date": f"{year}-12-28"},
                                         headers={"Accept-Language": "en"}).json()["message"]

    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=refused)
        assert (cycle.status, cycle.notice_date, cycle.appeal_deadline, cycle.publicized_at) == \
            ("computed", None, None, None)
        assert audit.verify(session).ok
    assert documents(database, refused) == []
    assert counters(database) == {year: 3}
    assert _audit(database, "cycle.publicize", str(refused)) == []
    assert _audit(database, "documents.issue", str(refused)) == []

    # A date that the calendar can serve then works, and the numbers go on without a gap.
    with f.on_day(dt.date(year, 6, 2)):
        assert api.post(f"/api/v1/cycles/{refused}/publicize",
                        json={"notice_date": f"{year}-06-02"}).status_code == 200
    assert [d.doc_seq for d in documents(database, refused)] == [4, 5, 6]
    assert counters(database) == {year: 6}


def test_a_refused_publicize_is_shown_on_the_cycle_page_and_leaves_the_cycle_computed(database):
    year = max(known_years())
    f.load(database, *f.REFERENCE, "complaints")
    f.make_user(database, "officer", "officer")
    cycle_id = computed_cycle(database, "一")
    page = f.page_client(database, "officer")
    with f.on_day(dt.date(year, 12, 28)):
        response = page.post(f"/cycles/{cycle_id}/publicize",
                             data={"csrf_token": f.csrf_of(page), "notice_date": f"{year}-12-28"})
    assert response.status_code == 409 and f"{year + 1} 年" in response.text
    assert documents(database, cycle_id) == [] and counters(database) == {}
