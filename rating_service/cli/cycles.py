"""`rating cycle …`: create, compute, publicize and finalize rating cycles; list and export their documents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from rating_service.cli.common import (
    LangOption,
    console,
    current_database,
    open_database,
    parse_lang,
    progress_bar,
    user_errors,
)
from rating_service.db import get_database
from rating_service.errors import RatingServiceError
from rating_service.i18n import STATE_LABELS, Lang, translate

app = typer.Typer(help="评价周期 / rating cycles", no_args_is_help=True)

CycleId = Annotated[int, typer.Argument(help="评价周期编号 / cycle id")]
ReasonOption = Annotated[str | None, typer.Option(help="原因（记入审计日志）/ reason, kept in the audit log")]
ActorOption = Annotated[str, typer.Option(help="操作人 / who acts")]
ProcessesOption = Annotated[int | None, typer.Option(
    help="生成 PDF 的进程数，默认每核一个 / rendering processes (default: one per CPU)")]


def print_cycle(cycle: object, lang: Lang) -> None:
    """A cycle in a few lines: its state, and once computed its snapshot, grades and data quality."""
    import json

    from rating_service.cycles import service as cycles
    from rating_service.cycles.models import Cycle

    assert isinstance(cycle, Cycle)
    console.print(translate("cycle_line", lang, id=cycle.id, name=cycle.name, status=STATE_LABELS[cycle.status],
                            start=cycle.period_start.isoformat(), end=cycle.period_end.isoformat(),
                            methodology=cycle.methodology_id))
    if cycle.snapshot_hash:
        constants = json.loads(cycle.constants or "{}")
        console.print(translate("cycle_snapshot_line", lang, batch=cycle.snapshot_batch,
                                digest=cycle.snapshot_hash[:16], rated=cycle.rated,
                                r0=f"{constants.get('R0', 0) * 1000:.2f}"))
        with get_database().read_session() as session:
            grades = cycles.grade_distribution(session=session, cycle=cycle)
        console.print("  " + "  ".join(f"{g}: {n}" for g, n in grades))
        quality = json.loads(cycle.quality or "{}")
        console.print(translate("cycle_quality_line", lang, unattributed=quality.get("unattributed_total", 0),
                                no_exposure=quality.get("no_exposure", 0),
                                provisional=quality.get("provisional", 0)))


@app.command("create")
def cycle_create(
    name: str,
    period: Annotated[str, typer.Option(help="评价期间，如 2025-01-01:2025-12-31")],
    methodology: Annotated[str | None, typer.Option(help="评价细则编号（默认：期末生效的细则）")] = None,
    actor: Annotated[str, typer.Option()] = "cli",
    lang: LangOption = "zh",
) -> None:
    """新建评价周期（草稿）/ create a draft cycle."""
    from rating_service.cycles import service as cycles
    from scoring.engine import Period

    language = parse_lang(lang)
    with user_errors(language):
        try:
            parsed = Period.parse(period)
        except ValueError:
            raise RatingServiceError("score_period_invalid", text=period) from None
        with open_database("write") as session:
            cycle = cycles.create_cycle(session=session, actor=actor, draft=cycles.CycleDraft(
                name, parsed.start, parsed.end, methodology))
        print_cycle(cycle, language)


def _cycle_action(action: str, cycle_id: int, actor: str, reason: str | None, lang: Lang,
                  notice_date: dt.date | None = None, processes: int | None = None) -> None:
    from rating_service.cycles import service as cycles

    with user_errors(lang):
        database = current_database()
        if action == "compute":
            with progress_bar(lang) as update:
                cycle = cycles.compute_cycle(database=database, cycle_id=cycle_id, actor=actor, reason=reason,
                                             progress=update)
        elif action == "publicize":
            from rating_service.notices import service as notices

            with database.write_session() as session:
                cycle = cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor=actor, reason=reason,
                                               notice_date=notice_date)
            with progress_bar(lang) as update:
                rendered = notices.render_documents(
                    database=database, cycle_id=cycle_id, processes=processes,
                    progress=lambda done, total: update("rendering", done, total))
            console.print(translate("documents_rendered", lang, count=rendered,
                                    deadline=cycle.appeal_deadline.isoformat() if cycle.appeal_deadline else "-"))
        else:
            with database.write_session() as session:
                cycle = cycles.finalize_cycle(session=session, cycle_id=cycle_id, actor=actor, reason=reason)
        print_cycle(cycle, lang)


@app.command("compute")
def cycle_compute(cycle_id: CycleId, actor: ActorOption = "cli", reason: ReasonOption = None,
                  lang: LangOption = "zh") -> None:
    """冻结数据快照并计算评价结果 / freeze the snapshot and rate."""
    _cycle_action("compute", cycle_id, actor, reason, parse_lang(lang))


@app.command("publicize")
def cycle_publicize(cycle_id: CycleId, actor: ActorOption = "cli", reason: ReasonOption = None,
                    notice_date: Annotated[str | None, typer.Option(
                        help="告知日期 YYYY-MM-DD，默认今天；不能早于今天（不能倒签），最多晚于今天 14 天"
                             "（RATING_NOTICE_DATE_MAX_DAYS_AHEAD）/ notice date, default today; never before "
                             "today, at most 14 days ahead")] = None,
                    processes: ProcessesOption = None,
                    lang: LangOption = "zh") -> None:
    """公示初评结果：编号并生成全部告知书和公示名单 / publicize: number and render every notice and the bulletin."""
    language = parse_lang(lang)
    with user_errors(language):
        try:
            day = dt.date.fromisoformat(notice_date) if notice_date else None
        except ValueError:
            raise RatingServiceError("notice_date_invalid", text=notice_date) from None
    _cycle_action("publicize", cycle_id, actor, reason, language, notice_date=day, processes=processes)


@app.command("documents")
def cycle_documents(cycle_id: CycleId,
                    out: Annotated[Path | None, typer.Option(
                        help="把全部 PDF 写入此文件夹 / write every PDF into this folder")] = None,
                    render_missing: Annotated[bool, typer.Option(
                        "--render-missing",
                        help="生成尚未生成的文书（如磁盘满导致中断后），已生成的不再生成 / render the documents "
                             "still to render (e.g. after a full disk); those rendered are left alone")] = False,
                    processes: ProcessesOption = None,
                    lang: LangOption = "zh") -> None:
    """列出（或导出、补生成）周期的文书 / list (or export, or render the missing) documents of a cycle."""
    from rating_service.cycles import service as cycles
    from rating_service.notices import repository as documents_repo
    from rating_service.notices import service as notices

    language = parse_lang(lang)
    with user_errors(language):
        database = current_database()
        with database.read_session() as session:
            cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        if render_missing:
            with progress_bar(language) as update:
                rendered = notices.render_documents(
                    database=database, cycle_id=cycle_id, processes=processes,
                    progress=lambda done, total: update("rendering", done, total))
            with database.read_session() as session:
                counts = documents_repo.document_counts(session, cycle_id=cycle_id)
            total = sum(n for kind, n in counts.items() if not kind.endswith("_rendered"))
            console.print(translate("documents_missing_rendered", language, cycle_id=cycle_id, count=rendered,
                                    total=total))
            if out is None:
                return
        with database.read_session() as session:
            documents, _ = documents_repo.list_documents(session, cycle_id=cycle_id)
            for document in documents:
                line = (f"{document.doc_number}  {document.kind:<14} {document.credit_code or '-':<18} "
                        f"{document.verification_code}  {(document.sha256 or '-')[:16]}")
                if out is not None:
                    out.mkdir(parents=True, exist_ok=True)
                    target = out / notices.file_name(document)
                    target.write_bytes(notices.download(database=database, document=document, actor="cli"))
                    line += f"  → {target}"
                console.print(line, highlight=False)


@app.command("finalize")
def cycle_finalize(cycle_id: CycleId, actor: ActorOption = "cli", reason: ReasonOption = None,
                   lang: LangOption = "zh") -> None:
    """定稿 / finalize the ratings."""
    _cycle_action("finalize", cycle_id, actor, reason, parse_lang(lang))


@app.command("show")
def cycle_show(cycle_id: Annotated[int | None, typer.Argument(help="省略则列出全部 / omit to list all")] = None,
               lang: LangOption = "zh") -> None:
    """查看评价周期 / show a cycle (or list them all)."""
    from rating_service.cycles import service as cycles

    language = parse_lang(lang)
    with user_errors(language):
        with open_database() as session:
            found = [cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)] if cycle_id is not None \
                else cycles.list_cycles(session=session)
        if not found:
            console.print(translate("cycle_none", language))
        for cycle in found:
            print_cycle(cycle, language)
