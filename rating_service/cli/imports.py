"""`rating import`: record files into the database, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rating_service.cli.common import (
    LangOption,
    open_database,
    parse_lang,
    print_rejection,
    print_summaries,
    progress_bar,
    user_errors,
)
from rating_service.errors import ImportRejected


def import_command(
    kind: Annotated[str, typer.Argument(help="companies|communities|contracts|inspections|complaints|"
                                             "fee_violations|commendations|major_events")],
    files: Annotated[list[Path], typer.Argument(help="CSV 或 XLSX 文件")],
    lang: LangOption = "zh",
    actor: Annotated[str, typer.Option(help="操作人 / who imports")] = "cli",
    errors_csv: Annotated[Path | None, typer.Option(help="把全部错误写入此 CSV")] = None,
    errors_xlsx: Annotated[Path | None, typer.Option(help="把全部错误（及按列和原因的汇总）写入此 XLSX")] = None,
) -> None:
    """导入数据文件（整文件校验，有错误则不写入）/ import record files (all or nothing)."""
    from rating_service.records import service

    language = parse_lang(lang)
    with user_errors(language):
        record_kind = service.kind_or_raise(kind)
        uploads = [service.UploadedFile.from_path(p) for p in files]
        try:
            with progress_bar(language) as update, open_database("write") as session:
                summaries = service.import_files(session, kind=record_kind, files=uploads, actor=actor,
                                                 progress=update)
        except ImportRejected as exc:
            print_rejection(exc, language, errors_csv, errors_xlsx)
            raise typer.Exit(2) from None
    print_summaries(summaries, language)
