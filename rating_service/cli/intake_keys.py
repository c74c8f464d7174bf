"""`rating intake key-issue | key-list | key-revoke`: the intake API's per-system keys (see rating_service/cli/intake.py
and docs/intake.md, "Intake API")."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from rating_service.cli.common import LangOption, console, open_database, parse_lang, user_errors
from rating_service.cli.intake import app
from rating_service.i18n import translate
from rating_service.settings import to_local

ActorOption = Annotated[str, typer.Option(help="操作人 / who does it (audited)")]


@app.command("key-issue")
def key_issue(name: str, actor: ActorOption = "cli", lang: LangOption = "zh") -> None:
    """为接收系统签发推送密钥（只打印这一次）/ issue an intake key for a system (printed this once)."""
    from rating_service.intake import systems

    language = parse_lang(lang)
    with user_errors(language), open_database("write") as session:
        system, raw = systems.issue(session, name=name, actor=actor)
        label = system.name
    console.print(translate("intake_key_issued", language, name=label))
    # the key alone on its own line, so that it can be copied or piped
    typer.echo(raw)


@app.command("key-list")
def key_list(lang: LangOption = "zh") -> None:
    """列出接收系统及其密钥开头、最近使用 / list the intake systems, their keys' first characters and last use."""
    from rating_service.intake import systems

    language = parse_lang(lang)
    with user_errors(language), open_database() as session:
        rows = [(s.name, s.key_prefix, s.created_at, s.created_by, s.last_used_at, s.revoked_at)
                for s in systems.systems(session)]
    if not rows:
        console.print(translate("intake_key_none", language))
        return
    table = Table("name", "key_prefix", "created", "created_by", "last_used", "state")

    def when(value):  # noqa: ANN001, ANN202
        return to_local(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for name, prefix, created, by, used, revoked in rows:
        state = translate("intake_system_state.revoked" if revoked else "intake_system_state.active", language)
        table.add_row(name, prefix + "…", when(created), by, when(used), state)
    console.print(table)


@app.command("key-revoke")
def key_revoke(name: str, actor: ActorOption = "cli", lang: LangOption = "zh") -> None:
    """吊销接收系统的密钥（立即生效）/ revoke a system's intake key (at once)."""
    from rating_service.intake import systems

    language = parse_lang(lang)
    with user_errors(language), open_database("write") as session:
        systems.revoke(session, system=systems.by_name(session, name), actor=actor)
    console.print(translate("intake_key_revoked", language, name=name.strip()))
