"""`rating demo`: the Zongyang demo data (two years, and 2026 so far), its cycles taken through their steps, the demo
accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rating_service.cli.common import (
    LangOption,
    console,
    err_console,
    parse_lang,
    print_summaries,
    progress_bar,
    user_errors,
)
from rating_service.cli.cycles import print_cycle
from rating_service.db import get_database
from rating_service.i18n import ROLE_LABELS, STATE_LABELS, Lang, translate
from rating_service.settings import PROJECT_ROOT, get_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from rating_service.records.service import ImportSummary

DEMO_DIR = PROJECT_ROOT / "fixtures" / "zongyang"
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
# The third company account goes to a company that can ask for credit repair today (docs/repair.md): one on the
# black list of an earlier, final demo year with no record of the same kind since (the first by credit code).
DEMO_REPAIR_ACCOUNT = "company3"


def demo_command(lang: LangOption = "zh",
         cycle: Annotated[bool, typer.Option(help="计算 2025 年度评价，完成 2024 年度评价（公示、定稿），按 2026 版细则"
                                                  "计算 2026 年 1—5 月评价 / compute 2025, take 2024 to final,"
                                                  " rate 2026 January–May with ZY-2026")] = True,
         accounts: Annotated[bool, typer.Option(help="创建演示账户 / create the demo accounts")] = True) -> None:
    """载入枞阳县演示数据（2024、2025 两年）、完成 2024 年度评价并计算 2025 年度评价、创建演示账户（可重复执行）
    / load the Zongyang demo (two years), rate both, create the accounts (idempotent)."""
    from rating_service import migrate
    from rating_service.records import service

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
    with user_errors(language), progress_bar(language) as update:
        _demo_intake(language, update)
    with user_errors(language):
        if cycle:
            _demo_cycle(language)
        if accounts:
            _print_logins(_demo_accounts(), language)


INTAKE_DIR = DEMO_DIR / "intake"


def _demo_intake(lang: Lang, update: Callable[[str, int, int], None]) -> None:
    """The community directory's names, the bureau's confirmed 2025 tickets, the first triage model trained on them,
    then the 2026 tickets and patrol sheet left in the queue for an officer to try. Each step keeps what is there."""
    import csv

    from rating_service.intake import directory, training
    from rating_service.intake import service as intake
    from rating_service.records.service import UploadedFile

    database = get_database()
    names = INTAKE_DIR / "community_names.csv"
    if names.is_file():
        with names.open(encoding="utf-8-sig", newline="") as fh, database.write_session() as session:
            directory.import_names(session, rows=list(csv.DictReader(fh)), actor="demo")

    def stage(name: str, done: int, total: int) -> None:
        update(translate(f"intake_stage.{name}", lang), done, total)

    def load(kind: str, filename: str, history: bool = False) -> None:
        path = INTAKE_DIR / filename
        if not path.is_file():
            return
        with database.write_session() as session:
            summary = intake.import_file(session, kind=kind, upload=UploadedFile.from_path(path), actor="demo",
                                         history=history, progress=stage)
        console.print(translate("intake_import_summary", lang, file=filename, received=f"{summary.received:,}",
                                inserted=f"{summary.inserted:,}", unchanged=f"{summary.unchanged:,}",
                                proposed=f"{summary.proposed:,}", review=f"{summary.review:,}",
                                redactions=f"{summary.redactions:,}"))

    load("hotline", "12345-2025-history.xlsx", history=True)
    with database.write_session() as session:
        if not training.models(session) and intake.progress(session, kind="hotline").decided:
            training.train_from_confirmed(session, actor="demo")
    load("hotline", "12345-2026.xlsx")
    load("patrol", "patrol-2026.xlsx")


# The records of 2026 so far (fixtures/generate_2026.py): the early warning's period (docs/monitor.md). Its last
# record is dated DEMO_RUNNING_LAST: on an earlier day (a test's simulated one) those records would lie in the
# future, which an import refuses, so the folder is then left out.
DEMO_RUNNING_DIR = DEMO_DIR / "2026"
DEMO_RUNNING_LAST = dt.date(2026, 10, 31)
# A short 2026 cycle, created with the folder (after the other cycles, so their ids stay 1 and 2) and computed: it
# takes the version in force at its period's end, ZY-2026, so the demo shows the 2026 rules at work on 2026 records.
# It ends on 2026-05-31, before the slides planted from June (fixtures/generate_2026.py): as the last rated cycle it
# is the early warning's baseline, whose period (2026-06-01 … today) then holds them (docs/monitor.md). It is not
# publicized: the public site and the companies still see 2025 as their latest rating.
DEMO_RUNNING_CYCLE = ("2026年1—5月", "2026-01-01", "2026-05-31")


def _running_imported() -> bool:
    """Whether the demo takes the 2026 folder (and its cycle): it is there and its last day has passed."""
    from rating_service import clock

    return DEMO_RUNNING_DIR.is_dir() and clock.local_today() >= DEMO_RUNNING_LAST


def _demo_folders() -> list[Path]:
    return [DEMO_DIR, *(folder for folder, *_ in DEMO_PAST_CYCLES if folder.is_dir()),
            *([DEMO_RUNNING_DIR] if _running_imported() else [])]


def _demo_cycle(lang: Lang) -> None:
    """Create the cycles (2025 first, so that it is cycle 1), take the earlier years to final, compute 2025; then
    compute the short 2026 cycle (when its records are in), with the version in force at its end (ZY-2026)."""
    from rating_service.cycles import service as cycles_service
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
        print_cycle(_demo_compute(cycle_id, lang), lang)
    else:
        console.print(translate("demo_cycle_kept", lang, name=name, status=STATE_LABELS[status]))
    if _running_imported():
        running_id, running_status, running_name = _demo_cycle_row(*DEMO_RUNNING_CYCLE)
        if running_status == "draft":
            print_cycle(_demo_compute(running_id, lang), lang)
        else:  # computed once; left as it stands (recomputed or publicized by an officer since)
            with get_database().read_session() as session:
                print_cycle(cycles_service.get_cycle_or_raise(session=session, cycle_id=running_id), lang)


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
    print_cycle(final, lang)


def _demo_accounts() -> list[tuple[str, str, str, str | None]]:
    from rating_service.accounts import repository as accounts_repo
    from rating_service.accounts import service as accounts
    from rating_service.companies import repository as companies_repo

    logins: list[tuple[str, str, str, str | None]] = []
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
        # Once created, the account stays as it is (its request may have repaired the mark since).
        existing = accounts_repo.user_by_username(session, DEMO_REPAIR_ACCOUNT)
        repairable = ((existing.credit_code or "", existing.display_name) if existing is not None
                      else _demo_repair_company(session))
        if repairable is not None:
            wanted.append((DEMO_REPAIR_ACCOUNT, DEMO_COMPANY_PASSWORD, "company", *repairable))
        for username, password, role, code, display in wanted:
            if accounts_repo.user_by_username(session, username) is None:
                accounts.create_user(session, username=username, password=password, role=role, actor="demo",
                                     display_name=display, credit_code=code, demo=True)
            logins.append((username, password, role, display))
    return logins


def _demo_repair_company(session: Session) -> tuple[str, str | None] | None:
    """The credit code and name of the demo's repair-ready company: on the black list of an earlier demo year's
    final cycle, its black list repairable today but for the conditions the company declares (no record of the
    same kind since). Companies none of whose marks in that cycle is blocked by a later record come first (the
    demo's story is a company that has put everything right); then the first by credit code. None when no company
    qualifies (no final year yet)."""
    from rating_service import clock
    from rating_service.cycles import repository as cycles_repo
    from rating_service.repair import service as repair

    blocking = {"no_new_same_kind", "not_repairable", "barred"}
    today = clock.local_today()
    for _folder, name, *_dates in DEMO_PAST_CYCLES:
        cycle = cycles_repo.cycle_by_name(session, name)
        if cycle is None or cycle.status != "finalized":
            continue
        ratings, _total = cycles_repo.list_ratings(session, cycle_id=cycle.id)
        candidates: list[tuple[bool, str, str | None]] = []
        for rating in (r for r in ratings if r.black_list):
            views = [v for v in repair.company_marks(session, credit_code=rating.credit_code, today=today)
                     if v.mark.cycle_id == cycle.id]
            blocked = {v.mark.key for v in views if any(not c.ok and c.code in blocking for c in v.eligibility.checks)}
            if any(v.mark.key == "black_list" for v in views) and "black_list" not in blocked:
                candidates.append((bool(blocked), rating.credit_code, rating.name))
        if candidates:
            _blocked, code, company_name = min(candidates)
            return code, company_name
    return None


def _print_logins(logins: list[tuple[str, str, str, str | None]], lang: Lang) -> None:
    console.print(translate("demo_logins", lang))
    for username, password, role, display in logins:
        console.print(f"  {username:<10} {password:<20} {ROLE_LABELS[role].render(lang)}"
                      + (f"（{display}）" if display and role == "company" else ""))
