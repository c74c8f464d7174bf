"""`rating audit …`: verify the audit log and anchor its head."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from rating_service.cli.common import LangOption, console, err_console, open_database, parse_lang, user_errors
from rating_service.errors import RatingServiceError
from rating_service.i18n import translate

app = typer.Typer(help="审计日志 / audit log", no_args_is_help=True)


@app.command("verify")
def audit_verify(lang: LangOption = "zh",
                 anchor_file: Annotated[Path | None, typer.Option(
                     help="锚点文件（默认 RATING_AUDIT_ANCHOR_FILE；可核对归档的旧锚点文件）/ anchor file to check "
                          "(default: RATING_AUDIT_ANCHOR_FILE; an archived one works too)")] = None,
                 printed: Annotated[list[str] | None, typer.Option(
                     help="公示名单上印出的审计日志头，序号:哈希值开头（可重复）/ an audit head printed on a bulletin, "
                          "SEQ:HASH-START (repeatable)")] = None) -> None:
    """校验审计日志：哈希链、密钥校验码与外部锚点 / verify the audit log's chain, MACs and anchors; exit 1 at the
    first problem."""
    from rating_service.audit import service as audit

    language = parse_lang(lang)
    with user_errors(language):
        heads = _printed_heads(printed or [])
        with open_database("snapshot") as session:
            result = audit.verify(session, anchor_file=anchor_file, printed=heads)
    if result.ok:
        console.print(f"[green]{translate('audit_ok', language, **(result.params or {}))}[/green]",
                      soft_wrap=True)
        if heads:
            items = ", ".join(f"{seq}:{start}" for seq, start in sorted(heads.items()))
            console.print(f"[green]{translate('audit_printed_ok', language, items=items)}[/green]", soft_wrap=True)
        return
    err_console.print(f"[red]{translate(result.problem or '', language, **(result.params or {}))}[/red]",
                      soft_wrap=True, markup=True, highlight=False)
    raise typer.Exit(1)


def _printed_heads(values: list[str]) -> dict[int, str]:
    heads: dict[int, str] = {}
    for value in values:
        found = re.fullmatch(r"\s*(\d{1,18})\s*[:：]\s*([0-9a-fA-F]{16,64})\s*", value)
        if found is None:
            raise RatingServiceError("audit_printed_invalid", text=value)
        heads[int(found[1])] = found[2].lower()
    return heads


@app.command("anchor")
def audit_anchor(lang: LangOption = "zh") -> None:
    """把审计日志当前的头（序号与哈希）写入锚点文件，并打印该行（供 cron 定时运行）/ anchor the audit head now
    in the anchor file and print the line (for cron; ship the output off the machine as well)."""
    from rating_service.audit import service as audit
    from rating_service.settings import get_settings

    language = parse_lang(lang)
    with user_errors(language), open_database() as session:
        anchor = audit.anchor_now(session)
    if anchor is None:
        err_console.print(translate("audit_nothing_to_anchor", language))
        return
    err_console.print(translate("audit_anchor_written", language, seq=anchor.seq, hash=anchor.hash[:16],
                                path=str(get_settings().audit_anchor_file)), soft_wrap=True, highlight=False)
    sys.stdout.write(anchor.text + "\n")
