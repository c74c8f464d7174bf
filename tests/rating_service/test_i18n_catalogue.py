"""The catalogue of user-facing text (rating_service/i18n/): every key in both languages, each defined once."""

from __future__ import annotations

import ast
import inspect
import string
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from rating_service import i18n
from rating_service.accounts.models import ROLES, Role
from rating_service.appeals.models import OUTCOMES, AppealOutcome, AppealStatus, ItemAction
from rating_service.cycles.models import CYCLE_STATES, CycleAction, CycleState
from rating_service.notices.models import DocumentKind
from rating_service.records.formats import KINDS
from rating_service.records.personal_data import PersonalDataKind
from rating_service.web.health import Check


def _literal_keys(area: ModuleType) -> list[str]:
    """The keys written in the area's ``MESSAGES = {...}`` literal (a key written twice in one dict literal would
    silently keep only the last, so the source is read, not the dict)."""
    tree = ast.parse(inspect.getsource(area))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "MESSAGES" for t in targets):
                assert isinstance(node.value, ast.Dict), f"{area.__name__}.MESSAGES is not a dict literal"
                keys = []
                for key in node.value.keys:
                    assert isinstance(key, ast.Constant) and isinstance(key.value, str), area.__name__
                    keys.append(key.value)
                return keys
    raise AssertionError(f"{area.__name__} has no MESSAGES")


def test_no_key_is_defined_twice_across_area_modules() -> None:
    counts = Counter(key for area in i18n.AREAS for key in _literal_keys(area))
    assert [key for key, n in counts.items() if n > 1] == []
    assert set(counts) == set(i18n.MESSAGES)


def test_the_package_holds_every_area_module() -> None:
    modules = {name for name, value in vars(i18n).items() if isinstance(value, ModuleType)
               and value.__name__.startswith("rating_service.i18n.")}
    assert modules == {area.__name__.rsplit(".", 1)[1] for area in i18n.AREAS}


def test_assembling_refuses_a_key_defined_twice() -> None:
    first, second = ModuleType("first"), ModuleType("second")
    first.MESSAGES = {"same": {"zh": "一", "en": "one"}}  # type: ignore[attr-defined]
    second.MESSAGES = {"same": {"zh": "二", "en": "two"}}  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="same"):
        i18n._assemble((first, second))


@pytest.mark.parametrize("key", sorted(i18n.MESSAGES))
def test_every_key_has_zh_and_en(key: str) -> None:
    entry = i18n.MESSAGES[key]
    assert set(entry) == {"zh", "en"}
    assert entry["zh"].strip() and entry["en"].strip()
    for text in entry.values():
        list(string.Formatter().parse(text))  # well-formed {placeholders}


@pytest.mark.parametrize("values", [CycleState, CycleAction, Role, AppealStatus, AppealOutcome, ItemAction,
                                    DocumentKind, PersonalDataKind, Check])
def test_every_value_has_a_label_in_both_languages(values: type[i18n.LabelledEnum]) -> None:
    for value in values:
        zh, en = value.label("zh"), value.label("en")
        assert zh and en and zh != f"{value._label_prefix()}.{value.value}"
        assert value.localized() == {"zh": zh, "en": en}
    for kind in KINDS.values():
        assert kind.label("zh") == kind.zh and kind.label("en") == kind.en and kind.zh != kind.en


def test_labels() -> None:
    assert CycleState.PUBLICIZED.label("zh") == "公示中"
    assert CycleState.PUBLICIZED.label("en") == "publicized"
    assert Role.OFFICER.label("en") == "officer" and Role.ADMIN.label() == "管理员"
    assert CycleState.DRAFT == "draft" and CYCLE_STATES == ("draft", "computed", "publicized", "finalized")
    assert ROLES == ("admin", "officer", "company")
    assert tuple(AppealStatus) == ("pending", "decided") and OUTCOMES == ("upheld", "partly_upheld", "rejected")
    assert AppealOutcome.PARTLY_UPHELD.label("zh") == "异议部分成立" and ItemAction.VOID.label("en") == "Void"
    assert tuple(DocumentKind) == ("notice", "revised_notice", "bulletin", "appeal_record", "repair_decision")
    assert i18n.translate("cycle_not_computed", "en", cycle_id=3, status=CycleState.DRAFT.localized()) == \
        "Cycle 3 has not been computed yet (status: draft)."
    assert i18n.STATE_LABELS["finalized"].render("zh") == "已终评"
    assert i18n.ROLE_LABELS["company"].render("en") == "property company"
    assert list(i18n.STATE_LABELS) == list(CYCLE_STATES)


# -- the pages' word tables, which live in the area modules next to their messages -----------------------------------

PAGE_TABLES = {
    "accounts": ["PAGE_TEXT"], "appeals": ["PAGE_TEXT", "HOME_TEXT"], "audit": ["PAGE_TEXT"],
    "cycles": ["PAGE_TEXT", "DASHBOARD_TEXT"], "disclosure": ["PUBLIC_TEXT"], "explanations": ["EXPLAIN_TEXT"],
    "notices": ["PAGE_TEXT"], "records": ["PAGE_TEXT"], "validation": ["PAGE_TEXT", "REASON_WORDS"],
    "web": ["UI"], "workdays": ["PAGE_TEXT"], "intake": ["PAGE_TEXT"], "repair": ["PAGE_TEXT"],
    "monitor": ["PAGE_TEXT"],
}
LANG_FIRST = {("explanations", "EXPLAIN_TEXT")}  # shaped {"zh": {...}, "en": {...}}; the others key -> {"zh", "en"}


def _tables() -> list[tuple[str, str]]:
    return [(area, name) for area, names in PAGE_TABLES.items() for name in names]


def test_the_area_modules_hold_exactly_these_word_tables() -> None:
    found = {(area.__name__.rsplit(".", 1)[1], name) for area in i18n.AREAS for name, value in vars(area).items()
             if name.isupper() and name != "MESSAGES" and isinstance(value, dict)}
    assert found == set(_tables())


@pytest.mark.parametrize(("area", "name"), _tables())
def test_every_word_table_has_zh_and_en(area: str, name: str) -> None:
    table = getattr(getattr(i18n, area), name)
    assert table
    if (area, name) in LANG_FIRST:
        assert set(table) == {"zh", "en"}
        assert set(table["zh"]) == set(table["en"])
        entries = [{"zh": table["zh"][key], "en": table["en"][key]} for key in table["zh"]]
    else:
        entries = list(table.values())
    for entry in entries:
        assert set(entry) == {"zh", "en"}
        assert all(isinstance(text, str) for text in entry.values())
        assert bool(entry["zh"].strip()) == bool(entry["en"].strip())  # both written, or both deliberately empty
        for text in entry.values():
            list(string.Formatter().parse(text))


def _is_text(node: ast.expr | None) -> bool:
    """A literal that is (or holds) words: a string, an f-string, a concatenation of them, or a nested table."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr | ast.Dict):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return False


def _bilingual_literals(source: str) -> list[int]:
    """Lines of dict literals (or ``dict(...)`` calls) with both a "zh" and an "en" entry that holds text."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        entries: dict[str, ast.expr | None] = {}
        if isinstance(node, ast.Dict):
            entries = {key.value: value for key, value in zip(node.keys, node.values, strict=True)
                       if isinstance(key, ast.Constant) and isinstance(key.value, str)}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            entries = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        if {"zh", "en"} <= set(entries) and (_is_text(entries["zh"]) or _is_text(entries["en"])):
            lines.append(node.lineno)
    return lines


def test_the_walk_finds_bilingual_text_and_not_data() -> None:
    assert _bilingual_literals('T = {"k": {"zh": "是", "en": "yes"}}') == [1]
    assert _bilingual_literals('T = {"zh": {"k": "是"}, "en": {"k": "yes"}}') == [1]
    assert _bilingual_literals('x = dict(zh="是", en=f"{n} yes")') == [1]
    assert _bilingual_literals('x = {"zh": col.zh, "en": col.name}; y = {"zh": c, "en": c}') == []


def test_no_user_facing_text_outside_the_catalogue() -> None:
    """Every word in both languages lives under rating_service/i18n/, so that the words cannot drift back into
    the service modules."""
    package = Path(i18n.__file__).resolve().parent.parent
    found = [f"{path.relative_to(package.parent)}:{line}"
             for path in sorted(package.rglob("*.py")) if "i18n" not in path.relative_to(package).parts
             for line in _bilingual_literals(path.read_text(encoding="utf-8"))]
    assert found == []
