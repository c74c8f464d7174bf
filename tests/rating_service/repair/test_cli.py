"""`rating repair list|decide|breaches` as an officer runs them: words by default, codes in JSON, the actor audited."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from rating_service.audit.models import AuditEntry
from rating_service.cli import app
from tests import factories as f
from tests.rating_service.repair.test_api import file, filing, world  # noqa: F401 (the fixture)

runner = CliRunner()


def test_list_and_decide_a_request_from_the_command_line(database, world):  # noqa: F811
    request_id = file(f.api_client(database, "company"), filing(world.cycle_id)).json()["id"]
    listed = runner.invoke(app, ["repair", "list"])
    assert listed.exit_code == 0, listed.output
    assert "待受理" in listed.output and "不良记录" in listed.output and "2026-12-02" in listed.output
    assert "submitted" not in listed.output and "fee_violations" not in listed.output
    rows = json.loads(runner.invoke(app, ["repair", "list", "--format", "json"]).output)
    assert [(r["id"], r["status"], r["working_days_left"]) for r in rows] == [(request_id, "submitted", 3)]
    english = runner.invoke(app, ["repair", "list", "--lang", "en"])
    assert "Waiting for acceptance" in english.output

    none = runner.invoke(app, ["repair", "decide", str(request_id)])
    assert none.exit_code == 2 and "--accept" in none.output
    early = runner.invoke(app, ["repair", "decide", str(request_id), "--repair", "--reasons", "符合",
                                "--verification-note", "已核查"])
    assert early.exit_code == 2 and "Traceback" not in early.output
    accepted = runner.invoke(app, ["repair", "decide", str(request_id), "--accept", "--as", "wang"])
    assert accepted.exit_code == 0 and "已受理，待决定" in accepted.output, accepted.output
    missing_note = runner.invoke(app, ["repair", "decide", str(request_id), "--repair", "--reasons", "符合条件"])
    assert missing_note.exit_code == 2
    repaired = runner.invoke(app, ["repair", "decide", str(request_id), "--repair", "--reasons", "整改到位",
                                   "--verification-note", "现场核查属实", "--actor", "wang"])
    assert repaired.exit_code == 0 and "已修复" in repaired.output and "决定书" in repaired.output, repaired.output
    assert runner.invoke(app, ["repair", "list", "--status", "repaired"]).output.count("已修复") == 1
    with database.read_session() as session:
        actors = dict(session.execute(select(AuditEntry.action, AuditEntry.actor)
                                      .where(AuditEntry.action.like("repair.%"))).all())
    assert actors["repair.accept"] == "wang" and actors["repair.decide"] == "wang"
    assert actors["repair.file"] == "company"
    breaches = runner.invoke(app, ["repair", "breaches", "--detect"])
    assert breaches.exit_code == 0 and "新发现 0 条" in breaches.output and "没有" in breaches.output


def test_a_missing_request_is_a_message_not_a_traceback(database):
    answer = runner.invoke(app, ["repair", "decide", "42", "--accept"])
    assert answer.exit_code == 2 and "信用修复申请不存在" in answer.output
    bad = runner.invoke(app, ["repair", "list", "--status", "lost"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
