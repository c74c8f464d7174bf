"""`rating methodology list | what-if | adopt` as a user runs them."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.cycles import service as cycles
from tests import factories as f
from tests.rating_service.validation.conftest import FIRST, adopted_count, audit_entries, bands, draft_text

runner = CliRunner()


def _file(tmp_path: Any, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_what_if_json_equals_the_api_answer(database, demo, tmp_path):
    for changes in ({"bands": bands(AA=85)}, {"weights": {"INSP": 0.2, "COMPL": 0.2, "FEE": 0.6}}):
        text = draft_text("ZY-CLI", "2025-01-01", **changes)
        result = runner.invoke(app, ["methodology", "what-if", _file(tmp_path, "draft.yaml", text), "--cycle",
                                     str(demo.first), "--format", "json"])
        assert result.exit_code == 0, result.output
        api = f.api_client(database, "officer").post("/api/v1/methodologies/what-if",
                                                     json={"cycle_id": demo.first, "yaml": text})
        assert api.status_code == 200
        cli = json.loads(result.stdout)
        assert cli == api.json()
        assert cli["changes"]  # the comparison covers changed companies


def test_what_if_table_names_the_changed_companies(database, demo, tmp_path):
    path = _file(tmp_path, "draft.yaml", draft_text("ZY-CLI", "2025-01-01", bands=bands(AA=85)))
    result = runner.invoke(app, ["methodology", "what-if", path, "--cycle", str(demo.first)], terminal_width=200)
    assert result.exit_code == 0, result.output
    api = f.api_client(database, "officer").post("/api/v1/methodologies/what-if", json={
        "cycle_id": demo.first, "yaml": draft_text("ZY-CLI", "2025-01-01", bands=bands(AA=85))}).json()
    assert f"（{len(api['changes'])} 家）" in result.output
    for change in api["changes"]:
        assert change["name"] in result.output


def test_adopt_writes_the_version_and_list_shows_it(database, demo, tmp_path):
    path = _file(tmp_path, "zy-2027.yaml", draft_text("ZY-2027", "2027-01-01", bands=bands(AA=85)))
    before = runner.invoke(app, ["methodology", "list"], terminal_width=200)
    assert before.exit_code == 0 and "ZY-2027" not in before.output
    result = runner.invoke(app, ["methodology", "adopt", path, "--reason", "提高 AA 门槛", "--actor", "局务会",
                                 "--based-on", "ZY-2025"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "ZY-2027 · 2027-01-01 · sha256" in result.output
    assert adopted_count(database) == 1
    assert [(e.actor, e.entity_id, e.reason) for e in audit_entries(database, "methodology.adopt")] == \
        [("局务会", "ZY-2027", "提高 AA 门槛")]
    listing = runner.invoke(app, ["methodology", "list"], terminal_width=200)
    assert listing.exit_code == 0, listing.output
    line = next(line for line in listing.output.splitlines() if "ZY-2027" in line)
    assert "2027-01-01" in line and "住建局采用" in line and "✓" not in line
    today = next(line for line in listing.output.splitlines() if "ZY-2026" in line)  # in force since 2026-01-01
    assert "随系统发布" in today and "✓" in today
    ended = next(line for line in listing.output.splitlines() if "ZY-2025" in line)
    assert "随系统发布" in ended and "✓" not in ended
    with database.write_session() as session:
        created = cycles.create_cycle(session=session, actor="cli", draft=cycles.CycleDraft(
            "2027年度", FIRST[1].replace(year=2027), FIRST[2].replace(year=2027)))
        assert created.methodology_id == "ZY-2027"


def test_errors_exit_2_with_a_chinese_message_and_write_nothing(database, demo, tmp_path):
    good = _file(tmp_path, "good.yaml", draft_text("ZY-2027", "2027-01-01"))
    assert runner.invoke(app, ["methodology", "adopt", good, "--reason", "首次"]).exit_code == 0

    cases = [
        (["methodology", "adopt", good, "--reason", "再次"], "已被使用"),
        (["methodology", "adopt", _file(tmp_path, "past.yaml", draft_text("ZY-P", "2026-01-01")), "--reason", "过去"],
         "施行日期不得早于今天"),
        (["methodology", "adopt", _file(tmp_path, "w.yaml", draft_text("ZY-W", weights={"INSP": 1, "COMPL": 1,
                                                                                        "FEE": 1})),
          "--reason", "错"], "各指标权重合计应为 100%，现为 300%"),
        (["methodology", "adopt", _file(tmp_path, "r.yaml", draft_text("ZY-R")), "--reason", " "], "请说明采用理由"),
        (["methodology", "what-if", good, "--cycle", "999"], "999"),
        (["methodology", "what-if", _file(tmp_path, "y.yaml", "id: [x"), "--cycle", str(demo.first)], "YAML 格式错误"),
    ]
    with database.write_session() as session:
        draft_cycle = cycles.create_cycle(session=session, actor="cli", draft=cycles.CycleDraft(
            "草稿周期", FIRST[1], FIRST[2])).id
    cases.append((["methodology", "what-if", good, "--cycle", str(draft_cycle)], "尚未计算"))
    for args, message in cases:
        result = runner.invoke(app, args, terminal_width=200)
        assert result.exit_code == 2, (args, result.exit_code, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert adopted_count(database) == 1
    assert len(audit_entries(database, "methodology.adopt")) == 1


def test_a_missing_or_non_utf8_file_is_a_clear_error(database, demo, tmp_path):
    """Like `rating import` ("文件不存在"): exit 2 with a message, not a FileNotFoundError or UnicodeDecodeError
    traceback."""
    missing = str(tmp_path / "nope.yaml")
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(draft_text("ZY-GBK").encode("gbk"))
    for args in (["methodology", "what-if", missing, "--cycle", str(demo.first)],
                 ["methodology", "adopt", missing, "--reason", "无"],
                 ["methodology", "what-if", str(gbk), "--cycle", str(demo.first)],
                 ["methodology", "adopt", str(gbk), "--reason", "无"]):
        result = runner.invoke(app, args, terminal_width=200)
        assert result.exit_code == 2, (args, result.exit_code, repr(result.exception))
        assert any(word in result.output for word in ("不存在", "无法读取", "UTF-8")), result.output
    assert adopted_count(database) == 0
