"""The rooms of rating_service keep to their own: one room never imports another room's web modules (``routes``,
``pages``), and a room's web modules reach another room only through its service, never its repository.

A room is a package directly under ``rating_service/`` (accounts, appeals, cycles, ...). Imports inside functions
count. ``rating_service.web`` assembles the app and mounts every room's routers: it alone may import them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from tests.import_graph import ROOT as PROJECT
from tests.import_graph import arrows, arrows_in, modules

ROOT = PROJECT / "rating_service"
WEB_MODULES = ("routes", "pages")
APP_ASSEMBLY = "web"  # mounts every room's routes and pages


def _room_and_part(module: str) -> tuple[str, str] | None:
    """("cycles", "routes") for rating_service.cycles.routes (or anything inside it, should it become a package)."""
    parts = module.split(".")
    if len(parts) < 3 or parts[0] != "rating_service" or not (ROOT / parts[1]).is_dir():
        return None
    return parts[1], parts[2]


def _rooms_imports() -> Iterator[tuple[str, str, str, str, str]]:
    """(importing module, its room, its part, file:line, imported module) for every module under rating_service/."""
    for arrow in arrows():
        if not arrow.source.startswith("rating_service.") or ".migrations" in arrow.source:
            continue
        is_package = modules()[arrow.source].name == "__init__.py"
        own = _room_and_part(arrow.source + ".__init__" if is_package else arrow.source)
        room, part = own if own is not None else ("", "")
        yield arrow.source, room, part, arrow.where, arrow.target


def test_no_room_imports_another_rooms_routes_or_pages() -> None:
    offenders = set()
    for name, room, _part, line, imported in _rooms_imports():
        target = _room_and_part(imported)
        if room == APP_ASSEMBLY or target is None:
            continue
        target_room, target_part = target
        if target_room != room and target_part in WEB_MODULES:
            offenders.add(f"{name} ({line}) imports {'.'.join(imported.split('.')[:3])}")
    assert not offenders, "a room imports another room's routes or pages:\n" + "\n".join(sorted(offenders))


def test_routes_and_pages_reach_other_rooms_through_their_services() -> None:
    offenders = set()
    for name, room, part, line, imported in _rooms_imports():
        target = _room_and_part(imported)
        if part not in WEB_MODULES or room == APP_ASSEMBLY or target is None:
            continue
        target_room, target_part = target
        if target_room != room and target_part == "repository":
            offenders.add(f"{name} ({line}) imports {'.'.join(imported.split('.')[:3])}")
    assert not offenders, ("a room's routes or pages import another room's repository (use its service):\n"
                           + "\n".join(sorted(offenders)))


def test_the_checks_see_imports_inside_functions_and_relative_imports() -> None:
    source = ("def f():\n    from rating_service.appeals import routes\n"
              "from ..notices import repository as documents\nimport rating_service.disclosure.pages.x\n")
    found = {a.target for a in arrows_in("rating_service.cycles.pages", ast.parse(source))}
    assert {"rating_service.appeals.routes", "rating_service.notices.repository",
            "rating_service.disclosure.pages"} <= found
    assert _room_and_part("rating_service.disclosure.pages.x") == ("disclosure", "pages")
    assert _room_and_part("rating_service.settings") is None
