"""`rating backup DIR` and `rating restore DIR`: a backup that restores (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rating_service.cli.common import LangOption, console, current_database, parse_lang, user_errors
from rating_service.db import get_database
from rating_service.i18n import translate


def backup_command(
        target: Annotated[Path, typer.Argument(help="备份目录（须为空或不存在）/ an empty or new folder")],
        lang: LangOption = "zh") -> None:
    """备份数据库、文书与附件目录、审计锚点，并写出带 SHA-256 的清单 / back up the database, the documents and
    attachments, the audit anchors, with a manifest of SHA-256 hashes."""
    from rating_service.backup import service

    language = parse_lang(lang)
    with user_errors(language):
        manifest = service.backup(current_database(), target)
    console.print(translate("backup_written", language, path=str(target), files=len(manifest.files),
                            engine=manifest.engine, revision=manifest.revision or "-", seq=manifest.audit_head[0]),
                  soft_wrap=True, markup=False, highlight=False)


def restore_command(
        source: Annotated[Path, typer.Argument(help="由 rating backup 写出的备份目录 / a folder written by "
                                                    "rating backup")],
        lang: LangOption = "zh") -> None:
    """把备份恢复到空数据库和空目录：先核对每个文件的 SHA-256 / restore a backup into an empty database and empty
    folders, every file's SHA-256 checked first."""
    from rating_service.backup import service

    language = parse_lang(lang)
    with user_errors(language):
        data = service.restore(get_database(), source)
    console.print(translate("restore_done", language, path=str(source), files=len(data["files"]),
                            revision=data.get("revision") or "-"), soft_wrap=True, markup=False, highlight=False)
