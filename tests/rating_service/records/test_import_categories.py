"""Categories come from the methodology: inspections' 问题类别 and complaints' 诉求类别 must be on the list of the
methodology in force on the import day; unknown ones are refused naming the allowed ones."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from rating_service.cli.folder import load_folder
from rating_service.errors import ImportRejected
from rating_service.methodologies import service as methodologies
from rating_service.records.formats import KINDS
from rating_service.records.service import import_files
from rating_service.settings import PROJECT_ROOT
from scoring.methodology import (
    MethodologyError,
    available_methodologies,
    methodology_from_text,
    shipped_categories,
)
from tests import factories as f
from tests.rating_service.test_score_cli import worked_example_folder

SHIPPED = available_methodologies()[-1]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("_categories_generate", PROJECT_ROOT / "fixtures" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_shipped_lists_hold_every_category_the_generators_the_docs_and_the_tests_use():
    generator = _generator()
    inspections = set(SHIPPED.category_list("inspections"))
    complaints = set(SHIPPED.category_list("complaints"))
    # fixtures/generate.py: the demo and the scale generator draw from these two tables.
    assert {c for _, _, categories in generator.DEPARTMENTS for c in categories} <= inspections
    assert {c for c, _ in generator.COMPLAINT_CATEGORIES} <= complaints
    # The examples of the shared domain description (domain.md) and the test data.
    domain_examples = {"卫生保洁", "违章搭建", "占绿毁绿", "乱堆乱放", "消防通道", "电动车违规充电", "电梯安全",
                       "设施维护"}
    assert domain_examples <= inspections
    assert {row[5] for row in f.INSPECTIONS} <= inspections
    assert {row[5] for row in f.COMPLAINTS} <= complaints
    assert "其他" in inspections and "其他" in complaints


def _inspection(category: str, day: str = "2025-03-05") -> list[Any]:
    return ["XC-9", day, "ZY-C001", None, "城管", category, "一般", None, None, None]


def _import(database: Any, kind: str, rows: list[list[Any]], today: dt.date = f.TODAY) -> Any:
    with database.write_session() as session:
        return import_files(session, kind=KINDS[kind], files=[f.upload(kind, rows)], actor="test", today=today)


def _refused(database: Any, kind: str, rows: list[list[Any]], today: dt.date = f.TODAY) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        _import(database, kind, rows, today)
    return info.value


def test_an_unknown_category_is_refused_naming_the_allowed_ones(database):
    f.load(database, *f.REFERENCE)
    rejected = _refused(database, "inspections", [_inspection("楼道脏乱")])
    (err,) = rejected.details("zh")
    assert (err["row"], err["column"], err["value"], err["code"]) == (2, "问题类别", "楼道脏乱", "category_unknown")
    # The lists of the version in force on the day of the import (today: ZY-2026, whose lists are ZY-2025's).
    assert "ZY-2026" in err["reason"] and "卫生保洁、环境卫生" in err["reason"] and err["reason"].endswith("其他")
    (en,) = rejected.details("en")
    assert en["reason"].startswith("Not a category of methodology ZY-2026; choose one of: 卫生保洁")


def test_a_complaints_category_may_be_blank_but_not_unknown(database):
    f.load(database, *f.REFERENCE)
    blank = ["GD-9", "2025-03-05", "12345", "ZY-C001", None, None, "是", None, None, None]
    (summary,) = _import(database, "complaints", [blank])
    assert summary.inserted == 1
    err = _refused(database, "complaints", [[*blank[:5], "物业太差", *blank[6:]]]).details("zh")[0]
    assert (err["column"], err["code"]) == ("诉求类别", "category_unknown")


def _draft(identifier: str, effective_from: str, categories: dict[str, list[str]] | None) -> str:
    data = SHIPPED.model_dump(mode="json")
    data.update(id=identifier, effective_from=effective_from, title=f"{identifier} 细则")
    if categories is None:
        data.pop("categories")
    else:
        data["categories"] = categories
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _adopt(database: Any, text: str) -> Any:
    with database.write_session() as session:
        return methodologies.adopt(session=session, draft=methodologies.parse_text(text), actor="admin",
                                   reason="年度修订", based_on="ZY-2025", today=f.TODAY)


def test_the_import_follows_the_methodology_in_force_on_the_import_day(database):
    f.load(database, *f.REFERENCE)
    _adopt(database, _draft("ZY-2027", "2027-01-01", {"inspections": ["楼道脏乱", "其他"], "complaints": ["其他"]}))
    # Before 2027 the shipped list applies; from 2027 the adopted one.
    assert _refused(database, "inspections", [_inspection("楼道脏乱")]).errors[0].key == "category_unknown"
    later = dt.date(2027, 2, 1)
    (summary,) = _import(database, "inspections", [_inspection("楼道脏乱", "2027-01-15")], today=later)
    assert summary.inserted == 1
    err = _refused(database, "inspections", [_inspection("卫生保洁", "2027-01-16")], today=later).details("zh")[0]
    assert "ZY-2027" in err["reason"] and err["reason"].endswith("楼道脏乱、其他")


def test_before_any_methodology_takes_force_the_latest_version_applies(database):
    f.load(database, *f.REFERENCE)
    early = dt.date(2024, 6, 1)
    (summary,) = _import(database, "inspections", [_inspection("卫生保洁", "2024-05-01")], today=early)
    assert summary.inserted == 1
    err = _refused(database, "inspections", [_inspection("楼道脏乱", "2024-05-02")], today=early).details("zh")[0]
    assert "ZY-2026" in err["reason"]  # the latest shipped version


def test_a_version_without_lists_takes_the_shipped_ones_and_keeps_them_when_adopted(database):
    draft = methodology_from_text(_draft("ZY-2027", "2027-01-01", None), source="draft")
    assert draft.categories is None
    assert draft.category_list("inspections") == shipped_categories().inspections
    row = _adopt(database, _draft("ZY-2027", "2027-01-01", None))
    stored = yaml.safe_load(row.text)["categories"]
    assert stored["complaints"] == list(shipped_categories().complaints)
    with database.read_session() as session:
        assert methodologies.find(session, "ZY-2027").categories == shipped_categories()


@pytest.mark.parametrize("lists,message", [
    ({"inspections": [], "complaints": ["其他"]}, "must not be empty"),
    ({"inspections": ["其他", "其他"], "complaints": ["其他"]}, "repeated"),
    ({"inspections": ["类" * 31], "complaints": ["其他"]}, "at most 30 characters"),
    ({"inspections": [" 其他"], "complaints": ["其他"]}, "surrounding spaces"),
    ({"inspections": ["其他"]}, "required key is missing"),
])
def test_category_lists_are_validated_on_load(lists, message):
    with pytest.raises(MethodologyError) as info:
        methodology_from_text(_draft("ZY-2027", "2027-01-01", lists), source="draft")
    assert info.value.field.startswith("categories") and message in info.value.en


def test_rating_a_folder_takes_the_lists_of_the_methodology_it_rates_with(tmp_path: Path):
    folder = worked_example_folder(tmp_path / "example")
    path = folder / "inspections.csv"
    path.write_text(re.sub("乱堆乱放", "楼道脏乱", path.read_text(encoding="utf-8-sig")), encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        load_folder(folder, today=f.TODAY, methodology=SHIPPED)
    assert [e.key for e in info.value.errors] == ["category_unknown"]
