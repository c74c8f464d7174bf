"""Every audit action the service writes has a Chinese and an English name and sentence (the audit-log page and its
exports never show an action's code): the test walks the source for the actions passed to ``audit.record`` and
``AuditDraft``, including those chosen from a literal (``"user.enable" if active else "user.disable"``, a dict of
actions), and fails naming any without a label."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from rating_service.audit import wording
from rating_service.i18n import MESSAGES
from rating_service.settings import PROJECT_ROOT

SOURCE = PROJECT_ROOT / "rating_service"
# Actions another lane adds while this is written (issue 17, accounts): labelled ahead of their code.
EXPECTED = {"user.password_change", "user.password_reset", "cycle.publicize", "cycle.finalize", "audit.export"}


def _strings(node: ast.AST | None) -> Iterator[str]:
    """The string literals an expression may evaluate to (through conditionals, dicts' values, subscripts)."""
    if node is None:
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _strings(value)
    elif isinstance(node, ast.Subscript):
        yield from _strings(node.value)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _strings(value)


def _action_argument(call: ast.Call) -> ast.AST | None:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    keyword = next((k.value for k in call.keywords if k.arg == "action"), None)
    if name == "AuditDraft":
        return keyword if keyword is not None else (call.args[0] if call.args else None)
    if name == "record" and isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) \
            and call.func.value.id in ("audit", "service"):
        return keyword if keyword is not None else (call.args[1] if len(call.args) > 1 else None)
    return None


def _assigned(function: ast.AST, name: str) -> Iterator[ast.AST]:
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            yield node.value


def actions_in(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for function in functions or [tree]:
        for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
            argument = _action_argument(call)
            if isinstance(argument, ast.Name):  # action = {...}[to]; audit.record(session, action, ...)
                for value in _assigned(function, argument.id):
                    found.update(_strings(value))
            else:
                found.update(_strings(argument))
    return found


def source_actions() -> dict[str, str]:
    """action -> the file that writes it."""
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for action in actions_in(ast.parse(path.read_text(encoding="utf-8"))):
            found.setdefault(action, str(path.relative_to(PROJECT_ROOT)))
    return found


def test_the_walk_finds_actions_in_calls_conditionals_and_dicts() -> None:
    source = ('def f(active):\n    audit.record(session, "a.one", actor=x)\n'
              '    audit.record(session, "a.two" if active else "a.three")\n'
              '    audit.append(session, [audit.AuditDraft(action="a.four")])\n'
              'def g(to):\n    action = {"x": "a.five", "y": "a.six"}[to]\n    audit.record(session, action)\n'
              'def h():\n    service.record(writer, "a.seven", payload={"k": "not.an.action"})\n')
    assert actions_in(ast.parse(source)) == {f"a.{n}" for n in ("one", "two", "three", "four", "five", "six", "seven")}


def test_the_walk_sees_the_service_actions() -> None:
    found = set(source_actions())
    assert {"cycle.publicize", "cycle.finalize", "user.enable", "user.disable", "record.update", "import",
            "user.login_failed", "audit.export"} <= found


def test_every_action_written_in_the_source_has_a_label_and_a_sentence() -> None:
    missing = {action: where for action, where in source_actions().items() if not wording.has_label(action)}
    missing.update({action: "(expected)" for action in EXPECTED if not wording.has_label(action)})
    assert not missing, "audit actions without audit_action.<code> and audit_says.<code> in " \
                        "rating_service/i18n/audit.py:\n" + "\n".join(f"{a} ({w})" for a, w in sorted(missing.items()))


def test_every_label_has_a_sentence_in_both_languages() -> None:
    for action in wording.labelled_actions():
        for key in (f"audit_action.{action}", f"audit_says.{action}"):
            assert MESSAGES[key]["zh"].strip() and MESSAGES[key]["en"].strip(), key
        assert "{who}" in MESSAGES[f"audit_says.{action}"]["zh"] or action == "user.login_failed"


def test_the_source_tree_is_where_the_walk_looks() -> None:
    assert Path(SOURCE / "audit" / "service.py").exists()
