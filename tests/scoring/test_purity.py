"""scoring/ stays pure: it imports nothing from the service, the web, the database or reports."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = ("rating_service", "reports", "fastapi", "starlette", "sqlalchemy", "alembic", "psycopg", "uvicorn",
             "typer", "rich", "jinja2", "weasyprint")


def test_scoring_imports_nothing_from_the_service_web_or_database():
    root = Path(__file__).resolve().parents[2] / "scoring"
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
