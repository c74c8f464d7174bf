"""`rating intake` commands of this module (see rating_service/cli/intake.py): import a raw export, the queue's
numbers, an export's column mapping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from rating_service.cli.common import (
    LangOption,
    console,
    open_database,
    parse_lang,
    print_rejection,
    progress_bar,
    user_errors,
)
from rating_service.cli.intake import app
from rating_service.errors import ImportRejected, RatingServiceError
from rating_service.i18n import translate


@app.command("import")
def import_command(
    kind: Annotated[str, typer.Argument(help="hotline (12345) | patrol")],
    file: Annotated[Path, typer.Argument(help="CSV / XLSX")],
    history: Annotated[bool, typer.Option("--history", help="已确认的历史工单 / the bureau's confirmed history")]
    = False,
    lang: LangOption = "zh",
    actor: Annotated[str, typer.Option(help="操作人 / who imports")] = "cli",
    errors_csv: Annotated[Path | None, typer.Option(help="CSV")] = None,
    errors_xlsx: Annotated[Path | None, typer.Option(help="XLSX")] = None,
) -> None:
    """导入12345工单或巡查记录表（整文件校验）/ import a 12345 export or a patrol sheet (all or nothing)."""
    from rating_service.intake import service
    from rating_service.records.service import UploadedFile

    language = parse_lang(lang)
    with user_errors(language):
        upload = UploadedFile.from_path(file)
        try:
            with progress_bar(language) as update, open_database("write") as session:
                def stage(name: str, done: int, total: int) -> None:
                    update(translate(f"intake_stage.{name}", language), done, total)

                summary = service.import_file(session, kind=kind, upload=upload, actor=actor, history=history,
                                              progress=stage)
        except ImportRejected as exc:
            print_rejection(exc, language, errors_csv, errors_xlsx)
            raise typer.Exit(2) from None
    console.print(translate("intake_import_summary", language, file=file.name, received=f"{summary.received:,}",
                            inserted=f"{summary.inserted:,}", unchanged=f"{summary.unchanged:,}",
                            proposed=f"{summary.proposed:,}", review=f"{summary.review:,}",
                            redactions=f"{summary.redactions:,}"))
    separator = translate("list_separator", language)
    if summary.dropped_columns:
        console.print(translate("import_personal_columns_dropped", language,
                                columns=separator.join(summary.dropped_columns)))
    if summary.ignored_columns:
        console.print(translate("import_unknown_columns_ignored", language,
                                columns=separator.join(summary.ignored_columns)))


@app.command("status")
def status_command(
    kind: Annotated[str | None, typer.Option(help="hotline | patrol")] = None,
    lang: LangOption = "zh",
) -> None:
    """确认进度 / how many tickets and findings are confirmed."""
    from rating_service.intake import formats, service

    language = parse_lang(lang)
    with user_errors(language):
        chosen = None
        if kind:
            fmt = formats.resolve(kind)
            if fmt is None:
                raise RatingServiceError("intake_kind_unknown", kind=kind)
            chosen = fmt.kind
        with open_database("read") as session:
            numbers = service.progress(session, kind=chosen)
            high = len(service.high_confidence_ids(session, kind=chosen))
    console.print(translate("intake_status_line", language, decided=f"{numbers.decided:,}",
                            total=f"{numbers.total:,}", confirmed=f"{numbers.confirmed:,}",
                            not_property=f"{numbers.not_property:,}", duplicate=f"{numbers.duplicate:,}",
                            pending=f"{numbers.pending:,}", high=f"{high:,}"))


@app.command("mapping")
def mapping_command(
    kind: Annotated[str, typer.Argument(help="hotline | patrol")],
    set_file: Annotated[Path | None, typer.Option("--set", help="JSON {field: [headers]}")] = None,
    lang: LangOption = "zh",
    actor: Annotated[str, typer.Option(help="操作人 / who changes it")] = "cli",
) -> None:
    """导出文件的列对应关系（--set 修改）/ an export's column mapping (--set changes it)."""
    from rating_service.intake import service

    language = parse_lang(lang)
    with user_errors(language):
        if set_file is not None:
            try:
                data = json.loads(set_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise RatingServiceError("file_unreadable", detail=f"{set_file}: {exc}") from None
            if not isinstance(data, dict):
                raise RatingServiceError("intake_mapping_headers_list", field="-")
            with open_database("write") as session:
                service.set_mapping(session, kind, data, actor)
        with open_database("read") as session:
            current = service.mapping(session, kind)
    console.print_json(json.dumps(current, ensure_ascii=False))
