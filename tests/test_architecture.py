"""The import structure of the code: no cycle between modules, nothing imports the command line, and the engine
(`scoring/`) and the PDF renderer (`reports/`) never import the service.

Read from the source, not by importing it: every import statement is an arrow from its module to the module it
names, also when it sits inside a function or under ``TYPE_CHECKING`` (a cycle hidden in a function is still a
cycle a reader has to untangle). ``from package import name`` points at the submodule ``package.name`` when there
is one, else at the package. Packages that Python runs on the way (the ``__init__`` of ``a`` and ``a.b`` for
``import a.b.c``) are not arrows of their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import deque
from collections.abc import Mapping

from tests.import_graph import ROOT, arrows, graph

CLI = "rating_service.cli"


def strongly_connected(nodes: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's components with more than one module (each a knot of cycles), iteratively, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(nodes[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(nodes[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def shortest_cycle(nodes: Mapping[str, set[str]], component: list[str]) -> list[str]:
    """One shortest cycle through the component's first module: ``[a, b, …, a]``."""
    start, inside = component[0], set(component)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(nodes[node] & inside):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if child not in came_from:
                came_from[child] = node
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")


def describe(nodes: Mapping[str, set[str]], component: list[str]) -> str:
    cycle = shortest_cycle(nodes, component)
    where = {(a.source, a.target): a.where for a in arrows()}
    lines = [f"{len(component)} modules import each other: {', '.join(component)}", "  for example:"]
    lines += [f"    {a} → {b}  ({where[(a, b)]})" for a, b in zip(cycle, cycle[1:], strict=False)]
    return "\n".join(lines)


def test_no_import_cycle_between_modules():
    nodes = graph(arrows())
    knots = strongly_connected(nodes)
    assert not knots, "import cycles:\n" + "\n".join(describe(nodes, k) for k in knots)


def test_nothing_outside_the_cli_imports_it():
    offenders = [str(a) for a in arrows() if not (a.source == CLI or a.source.startswith(CLI + "."))
                 and (a.target == CLI or a.target.startswith(CLI + "."))]
    assert offenders == []


def test_the_engine_and_the_pdf_renderer_never_import_the_service():
    offenders = [str(a) for a in arrows() if a.source.split(".")[0] in ("scoring", "reports")
                 and a.target.split(".")[0] == "rating_service"]
    assert offenders == []


def test_python_m_runs_the_cli_and_its_help_lists_every_group():
    from typer.testing import CliRunner

    from rating_service.cli import app

    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    calendar = subprocess.run([sys.executable, "-m", CLI, "calendar", "show", "--help"], capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=120)
    assert calendar.returncode == 0, calendar.stderr
    assert "calendar show" in calendar.stdout
    top = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert top.exit_code == 0, top.output
    listed = {line.split()[1] for line in top.output.splitlines() if line.startswith("│ ") and len(line.split()) > 1}
    assert {"import", "demo", "score", "validate", "serve", "db", "audit", "users", "cycle", "calendar",
            "methodology", "doctor"} <= listed


def test_the_walk_sees_imports_in_functions_and_submodules_and_finds_cycles():
    """The checks above are not vacuous: the walk finds the arrows they look at, and a cycle when there is one."""
    found = {(a.source, a.target) for a in arrows()}
    assert (CLI, "rating_service.cli.audit") in found  # from rating_service.cli import audit (a submodule)
    assert ("rating_service.cli.audit", "rating_service.audit.service") in found  # imported inside a command
    assert ("rating_service.cycles.pages", "rating_service.cycles.wording") in found  # a name from a module
    nodes = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e", "d"}}
    assert strongly_connected(nodes) == [["a", "b", "c"]]
    assert shortest_cycle(nodes, ["a", "b", "c"]) == ["a", "b", "c", "a"]
