"""`rating repair list|decide|breaches`: the repair requests, an officer's decision on one, and breaches of the
commitment (docs/repair.md)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rating_service.cli.common import LangOption, console, open_database, parse_lang, user_errors
from rating_service.errors import RatingServiceError
from rating_service.i18n import Lang, translate

app = typer.Typer(help="信用修复申请：查看与决定 / credit repair requests", no_args_is_help=True)

ActorOption = Annotated[str, typer.Option("--actor", "--as", help="操作人（记入审计日志）/ who acts (audited)")]
FormatOption = Annotated[str, typer.Option("--format", help="table（默认）或 json")]


def _officer(actor: str) -> Any:
    """The acting officer as the service's access rules see it (the CLI runs with the bureau's rights)."""
    from rating_service.accounts.service import Principal

    return Principal(user_id=0, username=actor, display_name=actor, role="officer", credit_code=None)


def _table_console() -> Console:
    """A terminal's own console; into a pipe or a log, one wide line per row (for grep)."""
    return console if console.is_terminal else Console(width=200, highlight=False)


def _date(value: Any) -> str:
    return value.isoformat() if value is not None else "-"


@app.command("list")
def repair_list(status: Annotated[str | None, typer.Option(
                    help="submitted | accepted | repaired | refused")] = None,
                fmt: FormatOption = "table", lang: LangOption = "zh") -> None:
    """列出信用修复申请（期限与剩余工作日）/ list repair requests with due dates and working days left."""
    from rating_service.repair import service

    language = parse_lang(lang)
    with user_errors(language), open_database() as session:
        principal = _officer("cli")
        found = service.list_requests(session, principal, status=status)
        rows = [service.request_detail(session, principal, r.id, lang=language) for r in found]
        if fmt == "json":
            console.print_json(json.dumps([_row_json(d, language) for d in rows], ensure_ascii=False))
            return
        if not rows:
            console.print(translate("repair_cli_none", language))
            return
        table = Table(*translate("repair_cli_columns", language).split("|"))
        for d in rows:
            r = d.request
            left = translate("repair_cli_overdue", language) if d.overdue else (
                "-" if d.working_days_left is None else str(d.working_days_left))
            table.add_row(str(r.id), d.company_name, r.credit_code, service.mark_label(r.mark, d.cycle_name,
                                                                                      lang=language),
                          d.status_label,
                          _date(r.accept_due_on), _date(r.decide_due_on), left)
        _table_console().print(table)


def _row_json(detail: Any, lang: Lang) -> dict[str, Any]:
    r = detail.request
    return {"id": r.id, "company_name": detail.company_name, "credit_code": r.credit_code, "mark": r.mark,
            "mark_label": detail.mark_label, "status": r.status, "status_label": detail.status_label,
            "filed_on": _date(r.filed_on), "accept_due_on": _date(r.accept_due_on),
            "decide_due_on": _date(r.decide_due_on) if r.decide_due_on else None,
            "working_days_left": detail.working_days_left, "overdue": detail.overdue,
            "decision_document": detail.decision_document.doc_number if detail.decision_document else None}


@app.command("decide")
def repair_decide(
    request_id: Annotated[int, typer.Argument(help="申请编号 / request id")],
    accept: Annotated[bool, typer.Option("--accept", help="受理 / accept")] = False,
    refuse: Annotated[bool, typer.Option("--refuse", help="不予受理或不予修复 / refuse")] = False,
    repair: Annotated[bool, typer.Option("--repair", help="同意修复 / repaired")] = False,
    reasons: Annotated[str | None, typer.Option(help="理由 / reasons")] = None,
    verification_note: Annotated[str | None, typer.Option(help="核查情况 / on-site verification")] = None,
    note: Annotated[str | None, typer.Option(help="受理备注 / acceptance note")] = None,
    false_material: Annotated[bool, typer.Option("--false-material",
                                                 help="申请材料虚假 / the request rested on false material")] = False,
    actor: ActorOption = "cli",
    lang: LangOption = "zh",
) -> None:
    """受理、拒绝或同意修复一项申请 / accept, refuse or repair one request."""
    from rating_service.repair import service

    language = parse_lang(lang)
    with user_errors(language):
        if sum((accept, refuse, repair)) != 1:
            raise RatingServiceError("repair_cli_one_action")
        with open_database("write") as session:
            if accept:
                service.accept(session, request_id=request_id, actor=actor, note=note)
                document = None
            elif refuse:
                document = service.refuse(session, request_id=request_id, actor=actor, reasons=reasons or "",
                                          false_material=false_material)
            else:
                document = service.decide(session, request_id=request_id, actor=actor, reasons=reasons or "",
                                          verification_note=verification_note or "")
            session.flush()
            detail = service.request_detail(session, _officer(actor), request_id, lang=language)
            line = translate("repair_cli_decided", language, id=request_id, status=detail.status_label)
            if document is not None:
                line += " " + translate("repair_cli_document", language, number=document.doc_number,
                                        code=document.verification_code)
        console.print(line, highlight=False)


@app.command("breaches")
def repair_breaches(detect: Annotated[bool, typer.Option(
                        "--detect", help="先检查新的同类失信记录 / look for new breaches first")] = False,
                    status: Annotated[str | None, typer.Option(help="flagged | confirmed | dismissed")] = None,
                    fmt: FormatOption = "table", lang: LangOption = "zh") -> None:
    """违反信用承诺的线索 / possible breaches of a repair's commitment."""
    from rating_service import clock
    from rating_service.repair import service

    language = parse_lang(lang)
    with user_errors(language):
        if detect:
            with open_database("write") as session:
                found = service.detect_breaches(session, today=clock.local_today())
            console.print(translate("repair_cli_detected", language, count=found))
        with open_database() as session:
            rows = service.list_breaches(session, status=status, lang=language)
        if fmt == "json":
            console.print_json(json.dumps([{
                "id": b.breach_id, "request_id": b.request_id, "credit_code": b.credit_code,
                "company_name": b.company_name, "kind": b.kind, "record_id": b.record_id,
                "record_date": b.record_date.isoformat(), "status": b.status, "status_label": b.status_label}
                for b in rows], ensure_ascii=False))
            return
        if not rows:
            console.print(translate("repair_cli_no_breaches", language))
            return
        table = Table(*translate("repair_cli_breach_columns", language).split("|"))
        for b in rows:
            table.add_row(str(b.breach_id), str(b.request_id), b.company_name, f"{b.record_label} {b.record_id}",
                          b.record_date.isoformat(), b.status_label)
        _table_console().print(table)
