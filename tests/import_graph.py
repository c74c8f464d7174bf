"""The import arrows of our code, read from the source (not by importing it), for the structure tests.

Every import statement is an arrow from its module to the module it names, also when it sits inside a function or
under ``TYPE_CHECKING``. ``from package import name`` points at the submodule ``package.name`` when there is one,
else at the package; a name inside one of our modules (``a.b.attribute``) points at that module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("rating_service", "scoring", "reports")
CLI = "rating_service.cli"


@dataclass(frozen=True)
class Arrow:
    source: str  # the importing module
    target: str  # the imported module: one of ours when it exists, else the name as written (fastapi, …)
    where: str  # file:line of the import statement

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.where})"


@cache
def modules() -> dict[str, Path]:
    """Every module of the three packages by dotted name (a package by its own name, from its ``__init__``)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _resolve(name: str, known: Mapping[str, Path]) -> str:
    """``name`` itself, or the closest enclosing module of ours (``a.b.attribute`` → ``a.b``)."""
    candidate = name
    while candidate not in known and "." in candidate:
        candidate = candidate.rsplit(".", 1)[0]
    return candidate if candidate in known else name


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: Mapping[str, Path]) \
        -> list[str]:
    if isinstance(node, ast.Import):
        return [_resolve(alias.name, known) for alias in node.names]
    if node.level:  # relative: from the module's package, one level up per extra dot
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        origin = ".".join([*base, *([node.module] if node.module else [])])
    else:
        origin = node.module or ""
    return [f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in known else _resolve(origin, known)
            for alias in node.names]


def arrows_in(module: str, tree: ast.AST, *, is_package: bool = False, file: str = "") -> list[Arrow]:
    """The arrows of one parsed module (imports inside functions included)."""
    known = modules()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found += [Arrow(module, target, f"{file}:{node.lineno}")
                      for target in _targets(node, module, is_package, known) if target != module]
    return found


@cache
def arrows() -> tuple[Arrow, ...]:
    found = []
    for module, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += arrows_in(module, tree, is_package=path.name == "__init__.py",
                           file=path.relative_to(ROOT).as_posix())
    return tuple(found)


def graph(edges: Iterable[Arrow]) -> dict[str, set[str]]:
    """Our modules and the modules of ours each one imports."""
    known = modules()
    out: dict[str, set[str]] = {name: set() for name in known}
    for arrow in edges:
        if arrow.target in known:
            out[arrow.source].add(arrow.target)
    return out
