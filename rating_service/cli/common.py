"""What every command group shares: the language option, the consoles, service errors rendered as messages,
progress bars and the database at the current schema."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from rating_service.db import Database, get_database
from rating_service.errors import ImportRejected, RatingServiceError
from rating_service.i18n import Lang, translate
from rating_service.records.formats import KINDS
from rating_service.records.workbooks import errors_workbook

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from rating_service.records.service import ImportSummary

console = Console()
err_console = Console(stderr=True)
PRINTED_ERRORS = 500

LangOption = Annotated[str, typer.Option("--lang", help="zh（默认）或 en")]


def parse_lang(value: str) -> Lang:
    """The language of a `--lang` value: English for anything starting with "en", else Chinese."""
    return "en" if value.lower().startswith("en") else "zh"


@contextmanager
def user_errors(lang: Lang) -> Iterator[None]:
    """Render service errors as messages (never a traceback) and exit non-zero."""
    try:
        yield
    except ImportRejected as exc:
        print_rejection(exc, lang)
        raise typer.Exit(2) from None
    except RatingServiceError as exc:
        # One line however wide the terminal (an operator greps logs for it), and never read as markup.
        err_console.print(exc.message(lang), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def print_rejection(exc: ImportRejected, lang: Lang, errors_csv: Path | None = None,
                    errors_xlsx: Path | None = None) -> None:
    details = exc.details(lang)
    listed = [d for d in details if "omitted" not in d]
    counted = [d for d in details if "omitted" in d]
    groups = exc.groups(lang)
    err_console.print(f"[red]{exc.message(lang)}[/red]")
    # First the errors by column and reason (how many, the first rows), then each error.
    err_console.print(translate("error_group.title", lang) + translate("colon", lang))
    for group in groups:
        err_console.print(f"  {group['text']}", markup=False, highlight=False, soft_wrap=True)
    heads = translate("errors_csv_header", lang).split("|")
    for item in listed[:PRINTED_ERRORS]:
        err_console.print(_error_line(item, lang), markup=False, highlight=False, soft_wrap=True)
    if len(listed) > PRINTED_ERRORS:
        more = len(listed) - PRINTED_ERRORS
        err_console.print(translate("errors_more", lang, count=more))
    # Errors beyond the first of each column and reason were only counted: one line per column and reason.
    for item in counted:
        err_console.print(_error_line(item, lang), markup=False, highlight=False, soft_wrap=True)
    if errors_csv is not None:
        with errors_csv.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(heads)
            for item in details:
                writer.writerow([item["file"], item["row"], item["column"], item["value"], item["reason"]])
        err_console.print(translate("errors_written", lang, path=str(errors_csv)))
    if errors_xlsx is not None:
        errors_xlsx.write_bytes(errors_workbook(details, groups, lang=lang))
        err_console.print(translate("errors_xlsx_written", lang, path=str(errors_xlsx)))


def _error_line(item: dict[str, object], lang: Lang) -> str:
    parts = [f"  {item['file']}"]
    if item["row"] is not None:
        parts.append(translate("error_line_row", lang, row=item["row"]))
    if item["column"]:
        parts.append(f"[{item['column']}]")
    if item["value"] is not None:
        parts.append(translate("error_line_value", lang, value=item["value"]))
    return " ".join(parts) + translate("colon", lang) + str(item["reason"])


@contextmanager
def progress_bar(lang: Lang) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback ``update(stage, done, total)`` drawing one bar per stage on a terminal's stderr."""
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


def print_summaries(summaries: list[ImportSummary], lang: Lang) -> None:
    """What an import wrote, file by file."""
    for s in summaries:
        kind = KINDS[s.kind]
        fmt = s.file_format.upper() + (f"/{s.encoding.upper()}" if s.encoding else "")
        console.print(f"[bold]{s.filename}[/bold]" + translate(
            "import_summary_line", lang, kind=kind.label(lang), format=fmt, rows=s.rows, inserted=s.inserted,
            updated=s.updated, unchanged=s.unchanged))
        separator = translate("list_separator", lang)
        if s.dropped_columns:
            console.print(translate("import_personal_columns_dropped", lang, columns=separator.join(s.dropped_columns)))
        if s.ignored_columns:
            console.print(translate("import_unknown_columns_ignored", lang, columns=separator.join(s.ignored_columns)))


def current_database() -> Database:
    """The configured database; a RatingServiceError (``db_not_migrated``) unless its schema is the code's."""
    from rating_service import migrate

    database = get_database()
    migrate.ensure_current(database)
    return database


@contextmanager
def open_database(mode: Literal["read", "write", "snapshot"] = "read") -> Iterator[Session]:
    """A session (read-only, writing, or one consistent snapshot) on the database at the current schema."""
    database = current_database()
    sessions = {"read": database.read_session, "write": database.write_session,
                "snapshot": database.snapshot_session}
    with sessions[mode]() as session:
        yield session
