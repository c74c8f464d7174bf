"""`rating cycle create|compute|publicize|finalize|show` and `rating demo` as an officer runs them."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from rating_service.accounts.models import User
from rating_service.cli import app
from rating_service.cycles.models import Cycle
from tests import factories as f

runner = CliRunner()


def test_cycle_commands_walk_a_cycle_through_its_states(database):
    f.load(database, *f.REFERENCE, "complaints", "major_events")
    created = runner.invoke(app, ["cycle", "create", "2025年度", "--period", "2025-01-01:2025-12-31"])
    assert created.exit_code == 0, created.output
    assert "评价周期 1「2025年度」：草稿" in created.output
    refused = runner.invoke(app, ["cycle", "finalize", "1"])
    assert refused.exit_code == 2 and "不能定稿" in refused.output
    computed = runner.invoke(app, ["cycle", "compute", "1", "--actor", "wang", "--reason", "年度评价"])
    assert computed.exit_code == 0, computed.output
    assert "已计算" in computed.output and "参评企业 2 家" in computed.output and "C: 1" in computed.output
    assert runner.invoke(app, ["cycle", "publicize", "1"]).exit_code == 0
    early = runner.invoke(app, ["cycle", "finalize", "1"])
    assert early.exit_code == 2 and "异议期结束后才能定稿" in early.output
    with f.appeals_closed(database, 1):
        final = runner.invoke(app, ["cycle", "finalize", "1", "--lang", "en"])
    assert final.exit_code == 0 and "finalized" in final.output
    shown = runner.invoke(app, ["cycle", "show"])
    assert "已终评" in shown.output
    with database.read_session() as session:
        assert session.scalars(select(Cycle.computed_by)).one() == "wang"


def test_cycle_create_rejects_a_bad_period_with_a_message(database):
    result = runner.invoke(app, ["cycle", "create", "x", "--period", "2025-13-01:2025-12-31"])
    assert result.exit_code == 2 and "评价期间" in result.output
    missing = runner.invoke(app, ["cycle", "compute", "42"])
    assert missing.exit_code == 2 and "未找到评价周期 42" in missing.output


def test_demo_loads_data_computes_the_2025_cycle_and_creates_logins(database):
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "2025年度" in first.output and "已计算" in first.output and "参评企业 18 家" in first.output
    for login in ("admin", "admin-demo-2025", "officer", "officer-demo-2025", "company1", "company2", "company3",
                  "company-demo-2025"):
        assert login in first.output
    with database.read_session() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    assert users["company1"].credit_code != users["company2"].credit_code
    assert {users["company1"].role, users["company2"].role} == {"company"}
    # company3: the 2024 black-listed company that can ask for repair today (顺和), found from the data
    assert users["company3"].role == "company" and users["company3"].credit_code == "913407225190696375"
    assert users["company3"].display_name in first.output
    # Running it again changes nothing but recomputing the same snapshot content.
    second = runner.invoke(app, ["demo"])
    assert second.exit_code == 0 and "新增 0" in second.output
    with database.read_session() as session:
        cycles = session.scalars(select(Cycle).order_by(Cycle.id)).all()
    # Cycle 1 is 2025 (recomputed); the demo's 2024 cycle, finalized on the first run, is left alone; 2026's first
    # five months, computed on the first run under ZY-2026 (the version in force at its end), are left alone too.
    assert [(c.name, c.status, c.compute_count, c.methodology_id) for c in cycles] == \
        [("2025年度", "computed", 2, "ZY-2025"), ("2024年度", "finalized", 1, "ZY-2025"),
         ("2026年1—5月", "computed", 1, "ZY-2026")]
    assert f.api_client(database, "company1", "company-demo-2025").get("/api/v1/me").json()["role"] == "company"
