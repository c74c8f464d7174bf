"""No `async def` handler of the app does synchronous database or rating work on the event loop.

FastAPI runs a plain `def` handler in its thread pool; an `async def` handler runs on the event loop, where one
synchronous query or re-rating stalls every other request. So a coroutine endpoint may neither take a database
session (or the database) as a dependency, nor call a service, repository or the engine itself: it hands such work
to `run_in_threadpool` (passing the function, not calling it), or calls it in a nested function that does so.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
import types

from fastapi import FastAPI
from fastapi.routing import APIRoute

from rating_service.cycles import service as cycles
from rating_service.web import deps
from rating_service.web.app import create_app

# Dependencies that give a handler the database: a coroutine endpoint must not have them.
DATABASE_DEPENDENCIES = {deps.get_session, deps.get_write_session, deps.database_of}
# Modules whose functions do synchronous database or rating work.
SYNCHRONOUS = re.compile(r"^(rating_service\.db|rating_service\.\w+\.(service|repository|decisions)|scoring(\..*)?)$")


def _api_routes(routes: list[object]) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # an included router
            found += _api_routes(route.original_router.routes)
    return found


def _coroutine_endpoints() -> list[APIRoute]:
    return [r for r in _api_routes(create_app().routes) if inspect.iscoroutinefunction(r.endpoint)]


def _dependency_calls(dependant: object) -> list[object]:
    found = []
    for sub in getattr(dependant, "dependencies", []):
        found.append(sub.call)
        found += _dependency_calls(sub)
    return found


def _is_synchronous_work(value: object) -> bool:
    if isinstance(value, types.ModuleType):
        return bool(SYNCHRONOUS.match(value.__name__))
    if isinstance(value, types.FunctionType):
        return bool(SYNCHRONOUS.match(value.__module__ or ""))
    return False


def _direct_calls(function: ast.AsyncFunctionDef) -> list[ast.Call]:
    """Calls in the handler's own body: nested functions and lambdas run elsewhere (in the thread pool)."""
    calls: list[ast.Call] = []
    todo: list[ast.AST] = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            calls.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return calls


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _offences(route: APIRoute) -> list[str]:
    endpoint = route.endpoint
    where = f"{endpoint.__module__}.{endpoint.__name__}"
    offences = [f"{where} depends on {getattr(call, '__name__', call)}" for call in _dependency_calls(route.dependant)
                if call in DATABASE_DEPENDENCIES]
    tree = ast.parse(textwrap.dedent(inspect.getsource(endpoint)))
    [function] = [n for n in tree.body if isinstance(n, ast.AsyncFunctionDef)]
    namespace = endpoint.__globals__
    for call in _direct_calls(function):
        name = _root_name(call.func)
        if name is not None and _is_synchronous_work(namespace.get(name)):
            offences.append(f"{where} calls {ast.unparse(call.func)} on the event loop (line {call.lineno})")
    return offences


def test_the_check_sees_the_app_coroutine_endpoints():
    # The public site answers from its cache in coroutines: the check has something to look at.
    assert len(_coroutine_endpoints()) >= 5


def test_no_coroutine_endpoint_touches_the_database_or_the_engine_on_the_event_loop():
    offences = [offence for route in _coroutine_endpoints() for offence in _offences(route)]
    assert offences == []


def test_the_check_catches_a_coroutine_that_queries_the_database():
    app = FastAPI()

    @app.get("/bad")
    async def bad(session: deps.SessionDep) -> object:
        return cycles.list_cycles(session=session)

    [route] = [r for r in app.routes if isinstance(r, APIRoute)]
    offences = _offences(route)
    assert any("depends on get_session" in o for o in offences)
    assert any("calls cycles.list_cycles" in o for o in offences)
