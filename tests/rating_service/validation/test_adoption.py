"""Adopting a methodology version over the API: listed, disclosed, used by later cycles only, audited, refused
when the id is taken, the date is past, the file is invalid or the caller is not an administrator."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from rating_service.cycles import service as cycles
from rating_service.disclosure.service import DisclosureCache
from rating_service.errors import NotFound
from rating_service.methodologies import service as methodologies
from tests import factories as f
from tests.rating_service.validation.conftest import (
    adopted_count,
    audit_entries,
    draft_text,
    new_cycle,
    stored_ratings,
)

NEW_WEIGHTS = {"INSP": 0.5, "COMPL": 0.3, "FEE": 0.2}
TITLE = "枞阳县物业服务企业信用评价细则（2027版）"
H1_2027 = (dt.date(2027, 1, 1), dt.date(2027, 6, 30))


def _adopt(client: Any, identifier: str = "ZY-2027", effective_from: str = "2027-01-01", reason: str = "年度修订",
           **changes: Any) -> Any:
    text = draft_text(identifier, effective_from, title=TITLE, weights=NEW_WEIGHTS, **changes)
    return client.post("/api/v1/methodologies", json={"yaml": text, "reason": reason, "based_on": "ZY-2025"})


def _public_client(database: Any) -> Any:
    """A visitor whose disclosure cache never polls: only the after-commit hook can show it something new."""
    client = f.page_client(database)
    client.app.state.disclosure = DisclosureCache(database, poll_seconds=3600)
    return client


def _cycle_methodology(database: Any, cycle_id: int) -> str:
    with database.read_session() as session:
        return cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id).methodology_id


def test_an_adopted_version_is_listed_disclosed_and_used_by_cycles_created_afterwards(database, demo):
    admin, officer = f.api_client(database, "admin"), f.api_client(database, "officer")
    public = _public_client(database)
    assert [m["id"] for m in public.get("/api/v1/public/methodologies").json()] == ["ZY-2025", "ZY-2026"]
    assert public.get("/public/methodology/ZY-2027").status_code == 404
    before = new_cycle(database, "2027年上半年（采用前）", *H1_2027)  # created and computed under ZY-2026

    response = _adopt(admin)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["id"], body["source"], body["adopted_by"], body["reason"]) == ("ZY-2027", "adopted", "admin",
                                                                                 "年度修订")
    assert (body["effective_from"], body["title"]) == ("2027-01-01", TITLE) and len(body["sha256"]) == 64

    listed = officer.get("/api/v1/methodologies").json()
    assert [(m["id"], m["source"]) for m in listed] == [("ZY-2025", "shipped"), ("ZY-2026", "shipped"),
                                                         ("ZY-2027", "adopted")]
    # The public side shows it at once (the commit expired the disclosure caches).
    assert [m["id"] for m in public.get("/api/v1/public/methodologies").json()] == ["ZY-2025", "ZY-2026", "ZY-2027"]
    page = public.get("/public/methodology/ZY-2027")
    assert page.status_code == 200 and TITLE in page.text
    assert public.get("/api/v1/public/methodologies/ZY-2027").json()["weights"] == NEW_WEIGHTS

    after = new_cycle(database, "2027年上半年（采用后）", *H1_2027)
    late_2026 = new_cycle(database, "2026年下半年", dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert _cycle_methodology(database, after) == "ZY-2027"
    assert {m for _s, _g, m in stored_ratings(database, after).values()} == {"ZY-2027"}
    assert _cycle_methodology(database, late_2026) == "ZY-2026"  # ends before the effective date
    # A cycle created before keeps its version, also when computed again.
    cycles.compute_cycle(database=database, cycle_id=before, actor="officer", reason="重算")
    assert _cycle_methodology(database, before) == "ZY-2026"
    assert {m for _s, _g, m in stored_ratings(database, before).values()} == {"ZY-2026"}
    cycles.compute_cycle(database=database, cycle_id=demo.first, actor="officer", reason="重算")
    assert {m for _s, _g, m in stored_ratings(database, demo.first).values()} == {"ZY-2025"}

    entries = audit_entries(database, "methodology.adopt")
    assert [(e.actor, e.entity_id, e.reason) for e in entries] == [("admin", "ZY-2027", "年度修订")]
    payload = json.loads(entries[0].payload)
    assert payload["based_on"] == "ZY-2025" and payload["weights"] == NEW_WEIGHTS
    assert payload["sha256"] == body["sha256"]


def test_the_version_in_force_is_the_latest_to_start_among_those_covering_the_day(database, demo):
    assert _adopt(f.api_client(database, "admin")).status_code == 201
    with database.read_session() as session:
        assert methodologies.in_force(session, dt.date(2025, 12, 31)).id == "ZY-2025"
        assert methodologies.in_force(session, dt.date(2026, 12, 31)).id == "ZY-2026"
        assert methodologies.in_force(session, dt.date(2027, 1, 1)).id == "ZY-2027"
        assert methodologies.find(session, "ZY-2027").weights == NEW_WEIGHTS
        assert [m.id for m in methodologies.all_versions(session)] == ["ZY-2025", "ZY-2026", "ZY-2027"]
        with pytest.raises(NotFound) as missing:
            methodologies.find(None, "ZY-2027")  # shipped only
    assert missing.value.key == "methodology_not_found"


def test_an_id_already_used_is_refused_and_nothing_is_written(database, demo):
    admin = f.api_client(database, "admin")
    assert _adopt(admin).status_code == 201
    again = _adopt(admin, reason="再次采用")
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "conflict" and "ZY-2027" in again.json()["message"]
    shipped = _adopt(admin, identifier="ZY-2025", reason="覆盖")
    assert shipped.status_code == 409 and "ZY-2025" in shipped.json()["message"]
    assert adopted_count(database) == 1
    assert [e.reason for e in audit_entries(database, "methodology.adopt")] == ["年度修订"]


def test_an_effective_date_before_today_is_refused_and_today_is_accepted(database, demo):
    admin = f.api_client(database, "admin")
    past = _adopt(admin, identifier="ZY-PAST", effective_from="2026-11-27")  # today is 2026-11-28
    assert past.status_code == 400
    assert past.json()["code"] == "methodology_invalid" and "effective_from" in past.json()["message"]
    assert adopted_count(database) == 0 and audit_entries(database, "methodology.adopt") == []
    assert _adopt(admin, identifier="ZY-TODAY", effective_from="2026-11-28").status_code == 201


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"weights": {"INSP": 0.5, "COMPL": 0.35, "FEE": 0.25}}, "weights", "权重合计应为 100%"),
    ({"inspections__breakpoints": [[0, 100], [3, 70], [1, 90], [10, 0]]}, "inspections.breakpoints",
     "「巡查检查」评分折线第 3 行"),
    ({"colour": "blue"}, "colour", "“colour”"),
    ({"bands": [{"grade": "AAA", "min": 90}, {"grade": "AA", "min": 95}, {"grade": "B", "min": 60},
                {"grade": "C", "min": 0}]}, "bands", "等级分界"),
])
def test_an_invalid_draft_is_refused_naming_the_field_and_nothing_is_written(database, demo, changes, field, words):
    admin = f.api_client(database, "admin")
    response = admin.post("/api/v1/methodologies", json={"yaml": draft_text("ZY-BAD", "2027-01-01", **changes),
                                                         "reason": "试"})
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "methodology_invalid"
    assert words in response.json()["message"], response.json()["message"]  # the field in words, in Chinese
    assert response.json()["details"][0]["field"] == field  # the key path for machines
    assert adopted_count(database) == 0 and audit_entries(database, "methodology.adopt") == []


def test_a_blank_reason_malformed_yaml_and_a_json_methodology(database, demo):
    admin = f.api_client(database, "admin")
    blank = _adopt(admin, reason="   ")
    assert blank.status_code == 400 and "（reason）" in blank.json()["message"]
    malformed = admin.post("/api/v1/methodologies", json={"yaml": "id: [unclosed\nweights: {", "reason": "试"})
    assert malformed.status_code == 400 and malformed.json()["code"] == "methodology_invalid"
    assert adopted_count(database) == 0
    import yaml

    as_json = json.loads(json.dumps(yaml.safe_load(draft_text("ZY-JSON", "2027-02-01")), default=str))
    created = admin.post("/api/v1/methodologies", json={"methodology": as_json, "reason": "JSON 形式"})
    assert created.status_code == 201, created.text
    assert created.json()["effective_from"] == "2027-02-01"


def test_only_administrators_adopt(database, demo):
    assert _adopt(f.api_client(database, "officer")).status_code == 403
    assert _adopt(f.api_client(database)).status_code == 401
    assert adopted_count(database) == 0 and audit_entries(database, "methodology.adopt") == []
    assert f.api_client(database, "officer").get("/api/v1/methodologies").status_code == 200


def test_an_unusable_id_or_an_overlong_title_is_refused_as_invalid(database, demo):
    """The id names the version everywhere (URLs, cycles, the 64-character column); the title has 200 characters.
    A blank id, one too long or one with a slash, or a title too long must be a 400 naming the field, never stored
    (on PostgreSQL the too-long values otherwise end in a 500)."""
    client = _server_errors_as_responses(database, "admin")
    cases = [("", TITLE, "id"), ("   ", TITLE, "id"), ("Z" * 65, TITLE, "id"), ("ZY/2027", TITLE, "id"),
             ("ZY-LONG", "标" * 201, "title")]
    answers = []
    for identifier, title, field in cases:
        text = draft_text("PLACEHOLDER", "2027-01-01", title=title).replace("id: PLACEHOLDER", f"id: '{identifier}'")
        response = client.post("/api/v1/methodologies", json={"yaml": text, "reason": "试"})
        answers.append((identifier[:8], response.status_code,
                        response.json().get("code") if response.status_code < 500 else None,
                        f"（{field}）" in response.text))
    assert answers == [(i[:8], 400, "methodology_invalid", True) for i, _t, _f in cases]
    assert adopted_count(database) == 0


def _server_errors_as_responses(database: Any, username: str) -> Any:
    from fastapi.testclient import TestClient

    from rating_service.web.app import create_app

    client = TestClient(create_app(database), follow_redirects=False, raise_server_exceptions=False)
    token = client.post("/api/v1/auth/token", json={"username": username, "password": f.PASSWORD}).json()
    client.headers["Authorization"] = f"Bearer {token['access_token']}"
    return client
