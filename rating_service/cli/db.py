"""`rating db …`: the database schema and the service role's grants."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rating_service.cli.common import LangOption, console, current_database, parse_lang, user_errors
from rating_service.db import get_database
from rating_service.i18n import translate

app = typer.Typer(help="数据库迁移 / database schema", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """建表或升级到最新结构 / create or upgrade the schema."""
    from rating_service import migrate

    database = get_database()
    migrate.upgrade(database, revision)
    console.print(f"schema at {migrate.current(database)} ({database.engine.url.render_as_string()})")


@app.command("current")
def db_current() -> None:
    from rating_service import migrate

    console.print(migrate.current(get_database()) or "(empty)")


@app.command("heads")
def db_heads() -> None:
    from rating_service import migrate

    console.print(" ".join(migrate.heads()))


@app.command("grant-app-role")
def db_grant_app_role(
        role: Annotated[str, typer.Argument(help="服务运行所用的 PostgreSQL 角色 / the role the service runs as")],
        print_only: Annotated[bool, typer.Option("--print", help="只打印 SQL，不执行 / print the SQL only")] = False,
        lang: LangOption = "zh") -> None:
    """为服务角色授权：审计日志仅可查询与追加（在每次 db upgrade 之后以表的所有者运行）/ grant the service's
    PostgreSQL role what it needs, and only SELECT/INSERT on the audit log (run as the tables' owner after every
    upgrade)."""
    from rating_service import grants

    language = parse_lang(lang)
    if print_only:
        for statement in grants.grant_statements(role=role):
            sys.stdout.write(statement + ";\n")
        return
    with user_errors(language):
        database = current_database()
        with database.engine.begin() as connection:
            grants.grant_app_role(connection, role=role)
    console.print(translate("db_grant_done", language, role=role), soft_wrap=True)
