"""The `rating` command line: database, imports, audit, demo data and the web server."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from rating_service.db import get_database
from rating_service.errors import ImportRejected, RatingServiceError
from rating_service.i18n import Lang, translate
from rating_service.records.formats import KINDS
from rating_service.records.service import ImportSummary
from rating_service.scoring.command import score_command
from rating_service.settings import PROJECT_ROOT

app = typer.Typer(help="枞阳县物业服务企业信用评价系统 / property-company credit rating", no_args_is_help=True,
                  pretty_exceptions_show_locals=False)
db_app = typer.Typer(help="数据库迁移 / database schema", no_args_is_help=True)
audit_app = typer.Typer(help="审计日志 / audit log", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")

console = Console()
err_console = Console(stderr=True)
DEMO_DIR = PROJECT_ROOT / "fixtures" / "zongyang"
PRINTED_ERRORS = 500

LangOption = Annotated[str, typer.Option("--lang", help="zh（默认）或 en")]


def _lang(value: str) -> Lang:
    return "en" if value.lower().startswith("en") else "zh"


@contextmanager
def _user_errors(lang: Lang) -> Iterator[None]:
    """Render service errors as messages (never a traceback) and exit non-zero."""
    try:
        yield
    except ImportRejected as exc:
        _print_rejection(exc, lang)
        raise typer.Exit(2) from None
    except RatingServiceError as exc:
        err_console.print(f"[red]{exc.message(lang)}[/red]")
        raise typer.Exit(2) from None


def _print_rejection(exc: ImportRejected, lang: Lang, errors_csv: Path | None = None) -> None:
    details = exc.details(lang)
    err_console.print(f"[red]{exc.message(lang)}[/red]")
    heads = ("文件", "行", "列", "值", "原因") if lang == "zh" else ("File", "Row", "Column", "Value", "Reason")
    for item in details[:PRINTED_ERRORS]:
        err_console.print(_error_line(item, lang), markup=False, highlight=False, soft_wrap=True)
    if len(details) > PRINTED_ERRORS:
        more = len(details) - PRINTED_ERRORS
        err_console.print(translate("errors_more", lang, count=more))
    if errors_csv is not None:
        with errors_csv.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(heads)
            for item in details:
                writer.writerow([item["file"], item["row"], item["column"], item["value"], item["reason"]])
        err_console.print(translate("errors_written", lang, path=str(errors_csv)))


def _error_line(item: dict[str, object], lang: Lang) -> str:
    parts = [f"  {item['file']}"]
    if item["row"] is not None:
        parts.append(f"第 {item['row']} 行" if lang == "zh" else f"row {item['row']}")
    if item["column"]:
        parts.append(f"[{item['column']}]")
    if item["value"] is not None:
        parts.append(f"“{item['value']}”" if lang == "zh" else f'"{item["value"]}"')
    sep = "：" if lang == "zh" else ": "
    return " ".join(parts) + sep + str(item["reason"])


@contextmanager
def _progress_bar(lang: Lang) -> Iterator[object]:
    stages = {"reading": translate("reading", lang), "validating": translate("validating", lang),
              "writing": translate("writing", lang)}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stages.get(stage, stage), total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        yield update


def _print_summaries(summaries: list[ImportSummary], lang: Lang) -> None:
    for s in summaries:
        kind = KINDS[s.kind]
        fmt = s.file_format.upper() + (f"/{s.encoding.upper()}" if s.encoding else "")
        if lang == "zh":
            console.print(f"[bold]{s.filename}[/bold]（{kind.zh}，{fmt}）：共 {s.rows} 行，新增 {s.inserted}，"
                          f"更新 {s.updated}，未变 {s.unchanged}")
            if s.dropped_columns:
                console.print(f"  已删除的个人信息列（未保存）：{'、'.join(s.dropped_columns)}")
            if s.ignored_columns:
                console.print(f"  已忽略的未知列：{'、'.join(s.ignored_columns)}")
        else:
            console.print(f"[bold]{s.filename}[/bold] ({s.kind}, {fmt}): {s.rows} rows, {s.inserted} inserted, "
                          f"{s.updated} updated, {s.unchanged} unchanged")
            if s.dropped_columns:
                console.print(f"  personal-data columns dropped (not stored): {', '.join(s.dropped_columns)}")
            if s.ignored_columns:
                console.print(f"  unknown columns ignored: {', '.join(s.ignored_columns)}")


# -- db ------------------------------------------------------------------------------------------

@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """建表或升级到最新结构 / create or upgrade the schema."""
    from rating_service import migrate

    database = get_database()
    migrate.upgrade(database, revision)
    console.print(f"schema at {migrate.current(database)} ({database.engine.url.render_as_string()})")


@db_app.command("current")
def db_current() -> None:
    from rating_service import migrate

    console.print(migrate.current(get_database()) or "(empty)")


@db_app.command("heads")
def db_heads() -> None:
    from rating_service import migrate

    console.print(" ".join(migrate.heads()))


# -- imports -------------------------------------------------------------------------------------

@app.command("import")
def import_command(
    kind: Annotated[str, typer.Argument(help="companies|communities|contracts|inspections|complaints|"
                                             "fee_violations|commendations|major_events")],
    files: Annotated[list[Path], typer.Argument(help="CSV 或 XLSX 文件")],
    lang: LangOption = "zh",
    actor: Annotated[str, typer.Option(help="操作人 / who imports")] = "cli",
    errors_csv: Annotated[Path | None, typer.Option(help="把全部错误写入此 CSV")] = None,
) -> None:
    """导入数据文件（整文件校验，有错误则不写入）/ import record files (all or nothing)."""
    from rating_service import migrate
    from rating_service.records import service

    language = _lang(lang)
    with _user_errors(language):
        record_kind = service.kind_or_raise(kind)
        uploads = [service.UploadedFile.from_path(p) for p in files]
        database = get_database()
        migrate.ensure_current(database)
        try:
            with _progress_bar(language) as update, database.write_session() as session:
                summaries = service.import_files(session, kind=record_kind, files=uploads, actor=actor,
                                                 progress=update)  # type: ignore[arg-type]
        except ImportRejected as exc:
            _print_rejection(exc, language, errors_csv)
            raise typer.Exit(2) from None
    _print_summaries(summaries, language)


@app.command("demo")
def demo(lang: LangOption = "zh") -> None:
    """载入枞阳县演示数据（可重复执行）/ load the Zongyang demo data (idempotent)."""
    from rating_service import migrate
    from rating_service.records import service

    language = _lang(lang)
    database = get_database()
    migrate.upgrade(database)
    with _user_errors(language), _progress_bar(language) as update, database.write_session() as session:
        summaries = service.import_folder(session, folder=DEMO_DIR, actor="demo", progress=update)  # type: ignore[arg-type]
    _print_summaries(summaries, language)


# -- scoring -------------------------------------------------------------------------------------

app.command("score")(score_command)


# -- audit ---------------------------------------------------------------------------------------

@audit_app.command("verify")
def audit_verify(lang: LangOption = "zh") -> None:
    """校验审计日志哈希链 / verify the audit hash chain; exit 1 at the first bad entry."""
    from rating_service import migrate
    from rating_service.audit import service as audit

    language = _lang(lang)
    database = get_database()
    with _user_errors(language):
        migrate.ensure_current(database)
    with database.read_session() as session:
        result = audit.verify(session)
    if result.ok:
        console.print(f"[green]{translate('audit_ok', language, count=result.count)}[/green]")
        return
    err_console.print(f"[red]{translate(result.problem or '', language, **(result.params or {}))}[/red]")
    raise typer.Exit(1)


# -- web -----------------------------------------------------------------------------------------

@app.command("serve")
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """启动网站 / serve the web app."""
    import uvicorn

    uvicorn.run("rating_service.web.app:create_app", factory=True, host=host, port=port)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
