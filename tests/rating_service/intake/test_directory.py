"""The community directory: names added and removed (audited), refusals, the import of community_names.csv and the
matcher built from the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rating_service.audit.models import AuditEntry
from rating_service.cli import app
from rating_service.companies.models import Community
from rating_service.db import Database
from rating_service.errors import NotFound
from rating_service.intake import directory

REPO_ROOT = Path(__file__).resolve().parents[3]
NAMES_CSV = REPO_ROOT / "fixtures" / "zongyang" / "intake" / "community_names.csv"
runner = CliRunner()


@pytest.fixture
def db(sqlite_only: Database) -> Database:
    with sqlite_only.write_session() as session:
        session.add_all([Community(community_id="ZY-C001", name="山水兰亭", households=800),
                         Community(community_id="ZY-C002", name="尚泽江南府", households=400)])
    return sqlite_only


def _actions(session) -> list[tuple[str, str | None]]:
    return [(e.action, e.entity_id) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def test_add_and_remove_are_audited_and_change_the_matcher(db: Database) -> None:
    with db.write_session() as session:
        added = directory.add_name(session, community_id="ZY-C002", kind="alias", text="  江南府 ", actor="officer")
        assert added.text == "江南府" and added.added_by == "officer"
        assert [n.text for n in directory.names_of(session, "ZY-C002")] == ["江南府"]
        found = directory.matcher(session).match("江南府3栋")
        assert (found.status, found.community_id, found.rule) == ("proposed", "ZY-C002", "exact_alias")
        name_id = added.id
    with db.write_session() as session:
        directory.remove_name(session, name_id=name_id, actor="officer")
        assert directory.names_of(session, "ZY-C002") == []
        assert directory.matcher(session).match("江南府3栋").status == "review"
        assert _actions(session)[-2:] == [("community.name_add", "ZY-C002"), ("community.name_remove", "ZY-C002")]


@pytest.mark.parametrize(("community_id", "kind", "text", "key"), [
    ("ZY-C001", "nickname", "山水", "directory_kind_unknown"),
    ("ZY-C001", "alias", "   ", "directory_name_empty"),
    ("ZY-C001", "alias", "兰" * 301, "directory_name_too_long"),
    ("ZY-C001", "alias", "王先生13912345678", "directory_name_personal_data"),
    ("ZY-C001", "former", "尚泽·江南府", "directory_name_taken"),
    ("ZY-C009", "alias", "新名字", "directory_community_unknown"),
])
def test_refusals_say_why_and_write_nothing(db: Database, community_id: str, kind: str, text: str,
                                            key: str) -> None:
    with db.write_session() as session:
        with pytest.raises(Exception) as refused:  # noqa: PT011 - the key below is what matters
            directory.add_name(session, community_id=community_id, kind=kind, text=text, actor="officer")
        assert refused.value.key == key
        assert refused.value.message("zh") != key and refused.value.message("en") != key
        assert directory.names_of(session, community_id) == []
        assert _actions(session) == []
    if key == "directory_name_taken":
        assert "尚泽江南府" in refused.value.message("zh")


def test_the_same_name_twice_is_refused_and_unknown_names_cannot_be_removed(db: Database) -> None:
    with db.write_session() as session:
        directory.add_name(session, community_id="ZY-C001", kind="address", text="枞阳县枞阳镇枞川路88号", actor="o")
        with pytest.raises(Exception) as again:  # noqa: PT011
            directory.add_name(session, community_id="ZY-C001", kind="address", text="枞阳县枞阳镇枞川路88号",
                               actor="o")
        assert again.value.key == "directory_name_exists"
        with pytest.raises(NotFound):
            directory.remove_name(session, name_id=9999, actor="o")


def test_import_names_is_idempotent_and_names_a_bad_row(db: Database) -> None:
    rows = [{"小区编号": "ZY-C001", "类型": "地址", "名称": "枞阳县枞阳镇枞川路88号"},
            {"小区编号": "ZY-C001", "类型": "所在镇街", "名称": "枞阳镇"},
            {"小区编号": "ZY-C002", "类型": "别名", "名称": "江南府"}]
    with db.write_session() as session:
        assert directory.import_names(session, rows=rows, actor="cli") == 3
        assert directory.import_names(session, rows=rows, actor="cli") == 0
        found = directory.matcher(session).match("枞川路88号")
        assert (found.status, found.community_id) == ("proposed", "ZY-C001")
    with db.write_session() as session:
        with pytest.raises(Exception) as bad:  # noqa: PT011
            directory.import_names(session, rows=[*rows, {"小区编号": "ZY-C001", "类型": "昵称", "名称": "x"}],
                                   actor="cli")
        assert "第 5 行" in bad.value.message("zh") and "Row 5" in bad.value.message("en")


def test_cli_imports_the_committed_names_and_matches(db: Database, tmp_path: Path) -> None:
    # only two communities exist here: keep their rows of the committed file
    lines = NAMES_CSV.read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "community_names_two.csv"
    path.write_text("\n".join([lines[0], *[ln for ln in lines[1:] if ln.startswith(("ZY-C001,", "ZY-C002,"))]]),
                    encoding="utf-8-sig")
    result = runner.invoke(app, ["intake", "names", str(path)])
    assert result.exit_code == 0, result.output
    assert "已导入 5 个" in result.output
    matched = runner.invoke(app, ["intake", "match", "尚泽·江南府3栋", "连城路与凤仪路交叉口", "--lang", "en"])
    assert matched.exit_code == 0, matched.output
    assert "尚泽江南府（ZY-C002）" in matched.output and "Proposed" in matched.output
    assert "No community found" in matched.output
