"""Schemathesis against the OpenAPI document: no request the schema allows gives a 5xx, as anonymous, company or
officer, and every answer is one the document lists, in its documented shape.

Bounded: a few generated requests per operation (``EXAMPLES``), derandomised so a run is repeatable, over a
small world (the reference data, the records and one publicized cycle). Runs on SQLite and, in CI, PostgreSQL,
where NUL bytes and out-of-range numbers used to reach the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rating_service.accounts import service as accounts
from rating_service.cycles import service as cycles
from rating_service.web.app import create_app
from tests import factories as f

EXAMPLES = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Operations whose answers are files rather than the JSON the checks read: served as documented, checked for
# the status only.
FILES = ("/pdf", ".zip", ".csv")


def _world(database: Any) -> dict[str, str]:
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "commendations",
           "major_events")
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(
            "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31))).id
    cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="test")
    with database.write_session() as session:
        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="test", notice_date=f.TODAY)
    headers: dict[str, str] = {}
    for username in ("officer", "company"):
        with database.write_session() as session:
            _principal, raw = accounts.login(session, username=username, password=f.PASSWORD, kind="api")
        headers[username] = f"Bearer {raw}"
    return headers


@pytest.mark.slow
@pytest.mark.parametrize("role", ["anonymous", "company", "officer"])
def test_no_generated_request_gives_a_server_error_or_an_undocumented_answer(database, role):
    tokens = _world(database)
    app = create_app(database)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": tokens[role]} if role in tokens else {}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        # Logging out would end the role's token for the operations after it.
        if operation.method.upper() == "DELETE" and operation.path == "/api/v1/auth/token":
            continue
        checks = [not_a_server_error, status_code_conformance] if operation.path.endswith(FILES) else CHECKS
        try:
            _run(operation, headers, checks)
        except Exception as exc:  # every operation is tried; the failures are reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert operations > 40, "the OpenAPI document lost its operations"
    assert failures == [], "\n\n".join(failures)


def _run(operation: Any, headers: dict[str, str], checks: list[Any]) -> None:
    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @hypothesis.given(case=operation.as_strategy())
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=checks)

    run()
