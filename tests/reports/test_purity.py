"""reports/ stays pure: it renders documents from its own plain model (reports.model) with jinja2 and WeasyPrint, and
imports nothing from the service, the web, the database, the CLI or the rating engine."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = ("rating_service", "scoring", "fastapi", "starlette", "sqlalchemy", "alembic", "psycopg", "uvicorn",
             "typer", "rich", "pandas", "numpy")


def test_reports_imports_nothing_from_the_service_web_database_or_engine():
    root = Path(__file__).resolve().parents[2] / "reports"
    offenders = []
    for path in root.rglob("*.py"):
        # ast.walk sees the imports inside functions too (reports imports weasyprint lazily).
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_the_check_reads_the_reports_package():
    root = Path(__file__).resolve().parents[2] / "reports"
    assert (root / "render.py").exists() and (root / "model.py").exists()
