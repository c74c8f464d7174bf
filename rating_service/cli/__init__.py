"""The `rating` command line: database, imports, audit, demo data and the web server."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rating_service.cli.common import (
    LangOption,
    console,
    err_console,
    parse_lang,
    print_rejection,
    print_summaries,
    progress_bar,
    user_errors,
)
from rating_service.db import get_database
from rating_service.errors import ImportRejected, RatingServiceError
from rating_service.i18n import ROLE_LABELS, STATE_LABELS, Lang, translate
from rating_service.records.service import ImportSummary
from rating_service.scoring.command import score_command
from rating_service.settings import PROJECT_ROOT, get_settings
from rating_service.validation.command import methodology_app, validate_command  # noqa: E402

app = typer.Typer(help="枞阳县物业服务企业信用评价系统 / property-company credit rating", no_args_is_help=True,
                  pretty_exceptions_show_locals=False)
db_app = typer.Typer(help="数据库迁移 / database schema", no_args_is_help=True)
audit_app = typer.Typer(help="审计日志 / audit log", no_args_is_help=True)
users_app = typer.Typer(help="账户管理 / user accounts", no_args_is_help=True)
cycle_app = typer.Typer(help="评价周期 / rating cycles", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(users_app, name="users")
calendar_app = typer.Typer(help="工作日历 / working-day calendar", no_args_is_help=True)
app.add_typer(cycle_app, name="cycle")
app.add_typer(calendar_app, name="calendar")
app.add_typer(methodology_app, name="methodology")
app.command("validate")(validate_command)

DEMO_DIR = PROJECT_ROOT / "fixtures" / "zongyang"


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


@db_app.command("grant-app-role")
def db_grant_app_role(
        role: Annotated[str, typer.Argument(help="服务运行所用的 PostgreSQL 角色 / the role the service runs as")],
        print_only: Annotated[bool, typer.Option("--print", help="只打印 SQL，不执行 / print the SQL only")] = False,
        lang: LangOption = "zh") -> None:
    """为服务角色授权：审计日志仅可查询与追加（在每次 db upgrade 之后以表的所有者运行）/ grant the service's
    PostgreSQL role what it needs, and only SELECT/INSERT on the audit log (run as the tables' owner after every
    upgrade)."""
    from rating_service import grants, migrate

    language = parse_lang(lang)
    if print_only:
        for statement in grants.grant_statements(role=role):
            sys.stdout.write(statement + ";\n")
        return
    database = get_database()
    with user_errors(language):
        migrate.ensure_current(database)
        with database.engine.begin() as connection:
            grants.grant_app_role(connection, role=role)
    console.print(translate("db_grant_done", language, role=role), soft_wrap=True)


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

    language = parse_lang(lang)
    with user_errors(language):
        record_kind = service.kind_or_raise(kind)
        uploads = [service.UploadedFile.from_path(p) for p in files]
        database = get_database()
        migrate.ensure_current(database)
        try:
            with progress_bar(language) as update, database.write_session() as session:
                summaries = service.import_files(session, kind=record_kind, files=uploads, actor=actor,
                                                 progress=update)
        except ImportRejected as exc:
            print_rejection(exc, language, errors_csv)
            raise typer.Exit(2) from None
    print_summaries(summaries, language)


DEMO_CYCLE = ("2025年度", "2025-01-01", "2025-12-31")
# Earlier years of the demo: (record folder, cycle name, period start, end, notice date). The demo takes each such
# cycle to final (publicized in January of the next year, then finalized), so that the public site and the company
# history already show a final rating; their companies, communities and contracts are the 2025 files (DEMO_DIR).
# Those steps run on a simulated clock set to the notice date, then to the day after the appeal deadline: nothing
# is back-dated (a notice date is never before the day of publicizing), the years just pass.
DEMO_PAST_CYCLES = ((DEMO_DIR / "2024", "2024年度", "2024-01-01", "2024-12-31", "2025-01-15"),)
DEMO_PASSWORDS = {"admin": "admin-demo-2025", "officer": "officer-demo-2025"}
# The managers of the 2025 pilot communities get the two demo company accounts.
DEMO_COMPANY_COMMUNITIES = (("company1", "山水兰亭"), ("company2", "尚泽江南府"))
DEMO_COMPANY_PASSWORD = "company-demo-2025"


@app.command("demo")
def demo(lang: LangOption = "zh",
         cycle: Annotated[bool, typer.Option(help="计算 2025 年度评价，完成 2024 年度评价（公示、定稿）"
                                                  " / compute 2025, take 2024 to final")] = True,
         accounts: Annotated[bool, typer.Option(help="创建演示账户 / create the demo accounts")] = True) -> None:
    """载入枞阳县演示数据（2024、2025 两年）、完成 2024 年度评价并计算 2025 年度评价、创建演示账户（可重复执行）
    / load the Zongyang demo (two years), rate both, create the accounts (idempotent)."""
    from rating_service import migrate
    from rating_service.records import service
    from rating_service.settings import get_settings

    language = parse_lang(lang)
    if get_settings().environment == "production":
        err_console.print("[red]" + translate("demo_refused_production", language) + "[/red]")
        raise typer.Exit(2)
    database = get_database()
    migrate.upgrade(database)
    imported: list[tuple[Path, list[ImportSummary]]] = []
    with user_errors(language), progress_bar(language) as update, database.write_session() as session:
        # 2025 (with the companies, communities and contracts) first, then the earlier years' records.
        for folder in _demo_folders():
            imported.append((folder, service.import_folder(session, folder=folder, actor="demo",
                                                           progress=update)))
    for folder, summaries in imported:
        console.print(f"[bold]{folder.relative_to(PROJECT_ROOT).as_posix()}/[/bold]", highlight=False)
        print_summaries(summaries, language)
    with user_errors(language):
        if cycle:
            _demo_cycle(language)
        if accounts:
            _print_logins(_demo_accounts(), language)


def _demo_folders() -> list[Path]:
    return [DEMO_DIR, *(folder for folder, *_ in DEMO_PAST_CYCLES if folder.is_dir())]


def _demo_cycle(lang: Lang) -> None:
    """Create the cycles (2025 first, so that it is cycle 1), take the earlier years to final, compute 2025."""
    from scoring.methodology import methodology_in_force

    current = _demo_cycle_row(*DEMO_CYCLE)
    # No rules were in force before 2025: earlier years are rated, in retrospect, by the county's first rules.
    first_rules = methodology_in_force(dt.date.fromisoformat(DEMO_CYCLE[1])).id
    past = [(_demo_cycle_row(name, start, end, first_rules), dt.date.fromisoformat(notice))
            for folder, name, start, end, notice in DEMO_PAST_CYCLES if folder.is_dir()]
    for (cycle_id, status, name), notice_date in past:
        _demo_final_cycle(cycle_id, status, name, notice_date, lang)
    cycle_id, status, name = current
    if status in ("draft", "computed"):
        _print_cycle(_demo_compute(cycle_id, lang), lang)
    else:
        console.print(translate("demo_cycle_kept", lang, name=name, status=STATE_LABELS[status]))


def _demo_cycle_row(name: str, start: str, end: str, methodology: str | None = None) -> tuple[int, str, str]:
    """The demo cycle called ``name`` (created as a draft when missing): its id, status and name."""
    from rating_service.cycles import repository as cycles_repo
    from rating_service.cycles import service as cycles

    with get_database().write_session() as session:
        existing = cycles_repo.cycle_by_name(session, name)
        if existing is None:
            existing = cycles.create_cycle(session=session, actor="demo", draft=cycles.CycleDraft(
                name, dt.date.fromisoformat(start), dt.date.fromisoformat(end), methodology))
        return existing.id, existing.status, name


def _demo_compute(cycle_id: int, lang: Lang, reason: str | None = None) -> object:
    from rating_service.cycles import service as cycles

    with progress_bar(lang) as update:
        return cycles.compute_cycle(database=get_database(), cycle_id=cycle_id, actor="demo", reason=reason,
                                    progress=update)


def _demo_final_cycle(cycle_id: int, status: str, name: str, notice_date: dt.date, lang: Lang) -> None:
    """An earlier year's cycle, from wherever it stands: computed and publicized on ``notice_date``, finalized the
    day after its appeal deadline, each step on the simulated clock of that day (the demo refuses production, and
    so does the clock). The cycle's times carry the simulated days; every audit entry keeps the real time and
    says in its reason on which simulated day the step was taken."""
    from rating_service import clock
    from rating_service.cycles import service as cycles
    from rating_service.notices import service as notices
    from rating_service.settings import get_settings

    if status == "finalized":
        console.print(translate("demo_cycle_kept", lang, name=name, status=STATE_LABELS[status]))
        return
    database = get_database()
    with clock.simulated(notice_date):
        reason = translate("demo_simulated_reason", lang, day=notice_date.isoformat())
        if status == "computed":
            with database.read_session() as session:
                computed_at = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id).computed_at
            if computed_at is None or cycles.to_local_date(computed_at) > notice_date:
                status = "draft"  # computed later than its notice date (by an earlier demo): compute it again
        if status == "draft":
            _demo_compute(cycle_id, lang, reason)
            status = "computed"
        if status == "computed":
            with database.write_session() as session:
                publicized = cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="demo",
                                                    notice_date=notice_date, reason=reason)
                deadline = publicized.appeal_deadline
            # As after a publicize on the web: PDFs now only when the setting asks for it (else on first download).
            if get_settings().render_on_publicize:
                with progress_bar(lang) as update:
                    rendered = notices.render_documents(
                        database=database, cycle_id=cycle_id,
                        progress=lambda done, total: update("rendering", done, total))
                console.print(translate("documents_rendered", lang, count=rendered,
                                        deadline=deadline.isoformat() if deadline else "-"))
    with database.read_session() as session:
        deadline = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id).appeal_deadline
    assert deadline is not None
    closed = deadline + dt.timedelta(days=1)
    with clock.simulated(closed), database.write_session() as session:
        final = cycles.finalize_cycle(session=session, cycle_id=cycle_id, actor="demo",
                                      reason=translate("demo_simulated_reason", lang, day=closed.isoformat()))
    console.print(translate("demo_simulated_line", lang, name=name, notice=notice_date.isoformat(),
                            final=closed.isoformat()))
    _print_cycle(final, lang)


def _demo_accounts() -> list[tuple[str, str, str, str | None]]:
    from rating_service.accounts import repository as accounts_repo
    from rating_service.accounts import service as accounts
    from rating_service.companies import repository as companies_repo

    logins: list[tuple[str, str, str, str | None]] = []
    import datetime as dt

    with get_database().write_session() as session:
        managers = {c.name: (c.manager_code, c.manager_name)
                    for c in companies_repo.list_communities(session, on=dt.date(2025, 12, 31))}
        wanted: list[tuple[str, str, str, str | None, str | None]] = [
            ("admin", DEMO_PASSWORDS["admin"], "admin", None, "系统管理员"),
            ("officer", DEMO_PASSWORDS["officer"], "officer", None, "住建局业务科"),
        ]
        taken: set[str] = set()
        for username, community in DEMO_COMPANY_COMMUNITIES:
            code, company_name = managers.get(community, (None, None))
            if code in taken:
                # Both pilots may share a manager: the second account goes to another managing company.
                code, company_name = next(((c, n) for c, n in sorted(managers.values(), key=lambda m: m[0] or "")
                                           if c and c not in taken), (None, None))
            if code:
                taken.add(code)
                wanted.append((username, DEMO_COMPANY_PASSWORD, "company", code, company_name))
        for username, password, role, code, display in wanted:
            if accounts_repo.user_by_username(session, username) is None:
                accounts.create_user(session, username=username, password=password, role=role, actor="demo",
                                     display_name=display, credit_code=code, demo=True)
            logins.append((username, password, role, display))
    return logins


def _print_logins(logins: list[tuple[str, str, str, str | None]], lang: Lang) -> None:
    console.print(translate("demo_logins", lang))
    for username, password, role, display in logins:
        console.print(f"  {username:<10} {password:<20} {ROLE_LABELS[role].render(lang)}"
                      + (f"（{display}）" if display and role == "company" else ""))


# -- scoring -------------------------------------------------------------------------------------

app.command("score")(score_command)


# -- audit ---------------------------------------------------------------------------------------

@audit_app.command("verify")
def audit_verify(lang: LangOption = "zh",
                 anchor_file: Annotated[Path | None, typer.Option(
                     help="锚点文件（默认 RATING_AUDIT_ANCHOR_FILE；可核对归档的旧锚点文件）/ anchor file to check "
                          "(default: RATING_AUDIT_ANCHOR_FILE; an archived one works too)")] = None,
                 printed: Annotated[list[str] | None, typer.Option(
                     help="公示名单上印出的审计日志头，序号:哈希值开头（可重复）/ an audit head printed on a bulletin, "
                          "SEQ:HASH-START (repeatable)")] = None) -> None:
    """校验审计日志：哈希链、密钥校验码与外部锚点 / verify the audit log's chain, MACs and anchors; exit 1 at the
    first problem."""
    from rating_service import migrate
    from rating_service.audit import service as audit

    language = parse_lang(lang)
    database = get_database()
    with user_errors(language):
        heads = _printed_heads(printed or [])
        migrate.ensure_current(database)
        with database.snapshot_session() as session:
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


@audit_app.command("anchor")
def audit_anchor(lang: LangOption = "zh") -> None:
    """把审计日志当前的头（序号与哈希）写入锚点文件，并打印该行（供 cron 定时运行）/ anchor the audit head now
    in the anchor file and print the line (for cron; ship the output off the machine as well)."""
    from rating_service import migrate
    from rating_service.audit import service as audit
    from rating_service.settings import get_settings

    language = parse_lang(lang)
    database = get_database()
    with user_errors(language):
        migrate.ensure_current(database)
        with database.read_session() as session:
            anchor = audit.anchor_now(session)
    if anchor is None:
        err_console.print(translate("audit_nothing_to_anchor", language))
        return
    err_console.print(translate("audit_anchor_written", language, seq=anchor.seq, hash=anchor.hash[:16],
                                path=str(get_settings().audit_anchor_file)), soft_wrap=True, highlight=False)
    sys.stdout.write(anchor.text + "\n")


# -- users -------------------------------------------------------------------------------------

@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[str, typer.Option(help="admin | officer | company")],
    password: Annotated[str | None, typer.Option(
        help="省略则提示输入；至少 12 个字符，不能是常见密码，不能包含用户名 / prompted when omitted; at least 12 "
             "characters, not a common password, not containing the username")] = None,
    credit_code: Annotated[str | None, typer.Option(help="企业账户绑定的统一社会信用代码")] = None,
    display_name: Annotated[str | None, typer.Option()] = None,
    actor: Annotated[str, typer.Option(help="操作人 / who creates it")] = "cli",
    lang: LangOption = "zh",
) -> None:
    """新建账户 / create an account."""
    from rating_service import migrate
    from rating_service.accounts import service as accounts

    language = parse_lang(lang)
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with user_errors(language):
        database = get_database()
        migrate.ensure_current(database)
        with database.write_session() as session:
            user = accounts.create_user(session, username=username, password=password, role=role, actor=actor,
                                        display_name=display_name, credit_code=credit_code)
            console.print(translate("user_created", language, username=user.username,
                                    role=ROLE_LABELS[user.role]))


@users_app.command("list")
def users_list(lang: LangOption = "zh") -> None:
    """列出账户 / list accounts."""
    from rating_service import migrate
    from rating_service.accounts import service as accounts

    language = parse_lang(lang)
    with user_errors(language):
        database = get_database()
        migrate.ensure_current(database)
        with database.read_session() as session:
            users = accounts.list_users(session)
    table = Table("username", "role", "credit_code", "display_name", "active")
    for u in users:
        table.add_row(u.username, ROLE_LABELS[u.role].render(language), u.credit_code or "", u.display_name,
                      "yes" if u.active else "no")
    console.print(table)


@users_app.command("disable")
def users_disable(username: str, reason: Annotated[str | None, typer.Option()] = None,
                  actor: Annotated[str, typer.Option()] = "cli", lang: LangOption = "zh") -> None:
    """停用账户（立即注销其会话）/ disable an account and end its sessions."""
    from rating_service import migrate
    from rating_service.accounts import service as accounts

    language = parse_lang(lang)
    with user_errors(language):
        database = get_database()
        migrate.ensure_current(database)
        with database.write_session() as session:
            accounts.set_active(session, username=username, active=False, actor=actor, reason=reason)
    console.print(translate("user_disabled", language, username=username))


# -- cycles ------------------------------------------------------------------------------------

def _print_cycle(cycle: object, lang: Lang) -> None:
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


@cycle_app.command("create")
def cycle_create(
    name: str,
    period: Annotated[str, typer.Option(help="评价期间，如 2025-01-01:2025-12-31")],
    methodology: Annotated[str | None, typer.Option(help="评价细则编号（默认：期末生效的细则）")] = None,
    actor: Annotated[str, typer.Option()] = "cli",
    lang: LangOption = "zh",
) -> None:
    """新建评价周期（草稿）/ create a draft cycle."""
    from rating_service import migrate
    from rating_service.cycles import service as cycles
    from scoring.engine import Period

    language = parse_lang(lang)
    with user_errors(language):
        try:
            parsed = Period.parse(period)
        except ValueError:
            raise RatingServiceError("score_period_invalid", text=period) from None
        database = get_database()
        migrate.ensure_current(database)
        with database.write_session() as session:
            cycle = cycles.create_cycle(session=session, actor=actor, draft=cycles.CycleDraft(
                name, parsed.start, parsed.end, methodology))
        _print_cycle(cycle, language)


def _cycle_action(action: str, cycle_id: int, actor: str, reason: str | None, lang: Lang,
                  notice_date: dt.date | None = None, processes: int | None = None) -> None:
    from rating_service import migrate
    from rating_service.cycles import service as cycles

    with user_errors(lang):
        database = get_database()
        migrate.ensure_current(database)
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
        _print_cycle(cycle, lang)


CycleId = Annotated[int, typer.Argument(help="评价周期编号 / cycle id")]
ReasonOption = Annotated[str | None, typer.Option(help="原因（记入审计日志）/ reason, kept in the audit log")]
ActorOption = Annotated[str, typer.Option(help="操作人 / who acts")]


@cycle_app.command("compute")
def cycle_compute(cycle_id: CycleId, actor: ActorOption = "cli", reason: ReasonOption = None,
                  lang: LangOption = "zh") -> None:
    """冻结数据快照并计算评价结果 / freeze the snapshot and rate."""
    _cycle_action("compute", cycle_id, actor, reason, parse_lang(lang))


@cycle_app.command("publicize")
def cycle_publicize(cycle_id: CycleId, actor: ActorOption = "cli", reason: ReasonOption = None,
                    notice_date: Annotated[str | None, typer.Option(
                        help="告知日期 YYYY-MM-DD，默认今天；不能早于今天（不能倒签），最多晚于今天 14 天"
                             "（RATING_NOTICE_DATE_MAX_DAYS_AHEAD）/ notice date, default today; never before "
                             "today, at most 14 days ahead")] = None,
                    processes: Annotated[int | None, typer.Option(
                        help="生成 PDF 的进程数，默认每核一个 / rendering processes (default: one per CPU)")] = None,
                    lang: LangOption = "zh") -> None:
    """公示初评结果：编号并生成全部告知书和公示名单 / publicize: number and render every notice and the bulletin."""
    language = parse_lang(lang)
    with user_errors(language):
        try:
            day = dt.date.fromisoformat(notice_date) if notice_date else None
        except ValueError:
            raise RatingServiceError("notice_date_invalid", text=notice_date) from None
    _cycle_action("publicize", cycle_id, actor, reason, language, notice_date=day, processes=processes)


@cycle_app.command("documents")
def cycle_documents(cycle_id: CycleId,
                    out: Annotated[Path | None, typer.Option(
                        help="把全部 PDF 写入此文件夹 / write every PDF into this folder")] = None,
                    render_missing: Annotated[bool, typer.Option(
                        "--render-missing",
                        help="生成尚未生成的文书（如磁盘满导致中断后），已生成的不再生成 / render the documents "
                             "still to render (e.g. after a full disk); those rendered are left alone")] = False,
                    processes: Annotated[int | None, typer.Option(
                        help="生成 PDF 的进程数，默认每核一个 / rendering processes (default: one per CPU)")] = None,
                    lang: LangOption = "zh") -> None:
    """列出（或导出、补生成）周期的文书 / list (or export, or render the missing) documents of a cycle."""
    from rating_service import migrate
    from rating_service.cycles import service as cycles
    from rating_service.notices import repository as documents_repo
    from rating_service.notices import service as notices

    language = parse_lang(lang)
    with user_errors(language):
        database = get_database()
        migrate.ensure_current(database)
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


@cycle_app.command("finalize")
def cycle_finalize(cycle_id: CycleId, actor: ActorOption = "cli", reason: ReasonOption = None,
                   lang: LangOption = "zh") -> None:
    """定稿 / finalize the ratings."""
    _cycle_action("finalize", cycle_id, actor, reason, parse_lang(lang))


@cycle_app.command("show")
def cycle_show(cycle_id: Annotated[int | None, typer.Argument(help="省略则列出全部 / omit to list all")] = None,
               lang: LangOption = "zh") -> None:
    """查看评价周期 / show a cycle (or list them all)."""
    from rating_service import migrate
    from rating_service.cycles import service as cycles

    language = parse_lang(lang)
    with user_errors(language):
        database = get_database()
        migrate.ensure_current(database)
        with database.read_session() as session:
            found = [cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)] if cycle_id is not None \
                else cycles.list_cycles(session=session)
        if not found:
            console.print(translate("cycle_none", language))
        for cycle in found:
            _print_cycle(cycle, language)


# -- calendar ----------------------------------------------------------------------------------

@calendar_app.command("show")
def calendar_show(year: Annotated[int, typer.Argument(help="年份 / year")], lang: LangOption = "zh") -> None:
    """某年的节假日与调休上班日 / a year's holidays and make-up working days."""
    from rating_service import migrate
    from rating_service.workdays import service as workdays

    language = parse_lang(lang)
    with user_errors(language):
        database = get_database()
        migrate.ensure_current(database)
        with database.read_session() as session:
            view = workdays.year_view(session=session, year=year)
    known = ("已知" if view["known"] else "未知（无法计算期限）") if language == "zh" else \
        ("known" if view["known"] else "unknown (no deadlines can be computed)")
    console.print(f"{year}: {known}" + (f" · {view['source']}" if view["source"] else ""), highlight=False)
    for day in view["days"]:
        words = ("上班", "休息") if language == "zh" else ("working", "off")
        status = words[0] if day["working"] else words[1]
        console.print(f"  {day['date'].isoformat()}  {status:<4} {day['name']}  ({day['source']})", highlight=False)


@calendar_app.command("set")
def calendar_set(year: Annotated[int, typer.Argument(help="年份 / year")],
                 file: Annotated[Path, typer.Argument(help="YAML：source、holidays、workdays（各为 date/name 列表）")],
                 actor: Annotated[str, typer.Option(help="操作人 / who acts")] = "cli",
                 lang: LangOption = "zh") -> None:
    """录入某年的节假日安排（国务院办公厅通知）/ enter a year's holiday schedule."""
    import yaml

    from rating_service import migrate
    from rating_service.workdays import service as workdays

    language = parse_lang(lang)
    with user_errors(language):
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            entries = {key: [workdays.DayEntry(day=_as_date(item["date"]), name=str(item.get("name") or ""))
                             for item in data.get(key) or []] for key in ("holidays", "workdays")}
        except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
            raise RatingServiceError("calendar_file_invalid", path=str(file), reason=str(exc)[:200]) from None
        database = get_database()
        migrate.ensure_current(database)
        with database.write_session() as session:
            workdays.set_year(session=session, year=year, source=str(data.get("source") or file.name), actor=actor,
                              holidays=entries["holidays"], workdays=entries["workdays"],
                              whole_year=bool(data.get("whole_year", True)))
    calendar_show(year, lang)


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# -- web -----------------------------------------------------------------------------------------

@app.command("serve")
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """启动网站 / serve the web app."""
    import uvicorn

    from rating_service import migrate
    from rating_service.cycles import service as cycles

    database = get_database()
    with user_errors("zh"):
        migrate.ensure_current(database)
    with database.write_session() as session:
        cycles.fail_interrupted_jobs(session=session)
    uvicorn.run("rating_service.web.app:create_app", factory=True, host=host, port=port, proxy_headers=True,
                forwarded_allow_ips=get_settings().forwarded_allow_ips)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
