"""`rating users …`: accounts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from rating_service.cli.common import LangOption, console, open_database, parse_lang, user_errors
from rating_service.i18n import ROLE_LABELS, translate

app = typer.Typer(help="账户管理 / user accounts", no_args_is_help=True)


@app.command("create")
def users_create(
    username: str,
    role: Annotated[str, typer.Option(help="admin | officer | company")],
    password: Annotated[str | None, typer.Option(
        help="省略则提示输入；至少 12 个字符，不能是常见密码，不能包含用户名 / prompted when omitted; at least 12 "
             "characters, not a common password, not containing the username")] = None,
    credit_code: Annotated[str | None, typer.Option(help="企业账户绑定的统一社会信用代码")] = None,
    display_name: Annotated[str | None, typer.Option()] = None,
    actor: Annotated[str, typer.Option(help="操作人 / who creates it")] = "cli",
    must_change: Annotated[bool, typer.Option(
        "--must-change/--keep-password",
        help="首次登录须修改密码（默认）；--keep-password 用于本人设置自己的密码（如第一个管理员）/ the owner must "
             "change the password at the first login (default); --keep-password when the owner typed it")] = True,
    lang: LangOption = "zh",
) -> None:
    """新建账户 / create an account."""
    from rating_service.accounts import service as accounts

    language = parse_lang(lang)
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with user_errors(language), open_database("write") as session:
        user = accounts.create_user(session, username=username, password=password, role=role, actor=actor,
                                    display_name=display_name, credit_code=credit_code,
                                    must_change_password=must_change)
        console.print(translate("user_created", language, username=user.username, role=ROLE_LABELS[user.role]))


@app.command("list")
def users_list(lang: LangOption = "zh") -> None:
    """列出账户 / list accounts."""
    from rating_service.accounts import service as accounts

    language = parse_lang(lang)
    with user_errors(language), open_database() as session:
        users = accounts.list_users(session)
    table = Table("username", "role", "credit_code", "display_name", "active")
    for u in users:
        table.add_row(u.username, ROLE_LABELS[u.role].render(language), u.credit_code or "", u.display_name,
                      "yes" if u.active else "no")
    console.print(table)


@app.command("disable")
def users_disable(username: str, reason: Annotated[str | None, typer.Option()] = None,
                  actor: Annotated[str, typer.Option()] = "cli", lang: LangOption = "zh") -> None:
    """停用账户（立即注销其会话）/ disable an account and end its sessions."""
    from rating_service.accounts import service as accounts

    language = parse_lang(lang)
    with user_errors(language), open_database("write") as session:
        accounts.set_active(session, username=username, active=False, actor=actor, reason=reason)
    console.print(translate("user_disabled", language, username=username))


@app.command("reset-password")
def users_reset_password(username: str, reason: Annotated[str | None, typer.Option()] = None,
                         actor: Annotated[str, typer.Option(help="操作人 / who resets it")] = "cli",
                         lang: LangOption = "zh") -> None:
    """重置密码：打印一次临时密码，结束其全部会话，下次登录须修改 / reset a password: prints a temporary password
    once, ends the account's sessions; the owner must change it at the next login."""
    from rating_service.accounts import service as accounts

    language = parse_lang(lang)
    with user_errors(language), open_database("write") as session:
        temporary = accounts.reset_password(session, username=username, actor=actor, reason=reason)
    console.print(translate("user_password_reset_done", language, username=username, password=temporary),
                  markup=False, highlight=False)
