"""What waits for an officer (待办), from the state of the appeals, the cycles, the imports and the working-day
calendar; and the dashboard's searchable, paged lists of companies and communities.

Every line names its kind (``appeal``, ``cycle``, ``import``, ``calendar``) and the page where the work is done:
- an undecided appeal, with the day its decision is due (``Appeal.due_on``: the cycle's ``decision_days`` working
  days after filing) and the working days left; overdue once that day has passed;
- a cycle waiting for its next step: draft → compute, computed → publicize, publicized with the appeal window
  closed and no appeal pending → finalize;
- an import batch that left records unattributed: they name no company and no contract covers their community on
  their date, so no company answers for them (the engine's rule);
- from 1 December, next year's working-day calendar when nobody has entered it: publicizing needs it for the appeal
  deadline and is refused without it;
- a credit repair request waiting to be accepted or decided (its working-day deadline, overdue once passed) and a
  possible breach of a repaired company's commitment waiting to be checked (``repair.service.todo_items``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from rating_service.companies import repository as companies_repo
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle
from rating_service.repair import repository as repair_repo
from rating_service.repair import service as repair
from rating_service.repair.models import OPEN_STATUSES as REPAIR_OPEN
from rating_service.todo import repository
from rating_service.workdays import service as workdays
from rating_service.workdays.holiday_calendar import CalendarUnknown, Schedule, count_working_days, known_years

KINDS = ("appeal", "cycle", "import", "calendar", "repair")
ACTION_KINDS = ("appeal", "cycle", "calendar", "repair")
# Undecided appeals listed one by one; past this many the dashboard says how many more there are.
APPEALS_LISTED = 50
# The month from which next year's calendar is asked for (the year's schedule is published in late autumn).
CALENDAR_FROM_MONTH = 12
# Each cycle state's next step (a cycle action) for an officer.
NEXT_STEP = {"draft": "compute", "computed": "publicize", "publicized": "finalize"}
PAGE_SIZE = 20
MAX_QUERY = 100


@dataclass(frozen=True)
class TodoItem:
    """One line of the to-do list: its kind, where the work is done, and the facts the page words it from."""

    kind: str  # one of KINDS
    url: str
    overdue: bool = False
    due_on: dt.date | None = None
    working_days_left: int | None = None  # None: past due, or a year the calendar does not know
    step: str | None = None  # a cycle's next step: compute, publicize, finalize
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Todo:
    items: list[TodoItem]
    appeals_pending: int  # all undecided appeals (the list shows at most APPEALS_LISTED)

    @property
    def actions(self) -> list[TodoItem]:
        """The lines an officer acts on (appeals, cycle steps, the calendar): what the navigation's badge counts."""
        return [i for i in self.items if i.kind in ACTION_KINDS]

    @property
    def checks(self) -> list[TodoItem]:
        """The imports to check (records no company answers for): no deadline, not in the badge."""
        return [i for i in self.items if i.kind not in ACTION_KINDS]

    @property
    def open_count(self) -> int:
        """The lines to act on, every undecided appeal counted (also those past APPEALS_LISTED): the badge's number."""
        return self.appeals_pending + sum(1 for i in self.actions if i.kind != "appeal")

    @property
    def appeals_not_listed(self) -> int:
        return self.appeals_pending - sum(1 for i in self.items if i.kind == "appeal")


def _days_left(today: dt.date, due_on: dt.date, schedule: Schedule) -> int | None:
    if due_on < today:
        return None
    try:
        return count_working_days(today, due_on, schedule)
    except CalendarUnknown:  # a year nobody entered: the line still gives the date itself
        return None


def appeal_items(session: Session, today: dt.date, schedule: Schedule) -> list[TodoItem]:
    out = []
    for appeal, cycle_name, company in repository.pending_appeals(session, limit=APPEALS_LISTED):
        out.append(TodoItem(
            kind="appeal", url=f"/appeals/{appeal.id}", overdue=today > appeal.due_on, due_on=appeal.due_on,
            working_days_left=_days_left(today, appeal.due_on, schedule),
            facts={"appeal_id": appeal.id, "company": company or appeal.credit_code, "credit_code": appeal.credit_code,
                   "cycle": cycle_name, "filed_on": appeal.filed_on}))
    # Overdue first, then by the day the decision is due.
    return sorted(out, key=lambda i: (not i.overdue, i.due_on, i.facts["appeal_id"]))


def cycle_items(session: Session, today: dt.date) -> list[TodoItem]:
    open_cycles = repository.open_cycles(session)
    running = {job.cycle_id for job in cycles_repo.running_jobs(session) if job.kind == "compute"}
    publicized = [c.id for c in open_cycles if c.status == "publicized"]
    pending = repository.pending_by_cycle(session, publicized)
    out = []
    for cycle in open_cycles:
        if cycle.id in running or not _waits_for_step(cycle, today, pending.get(cycle.id, 0)):
            continue
        out.append(TodoItem(kind="cycle", url=f"/cycles/{cycle.id}#actions", step=NEXT_STEP[cycle.status],
                            due_on=cycle.appeal_deadline if cycle.status == "publicized" else None,
                            facts={"cycle_id": cycle.id, "cycle": cycle.name, "status": cycle.status,
                                   "rated": cycle.rated}))
    return out


def _waits_for_step(cycle: Cycle, today: dt.date, pending: int) -> bool:
    if cycle.status == "publicized":
        return not cycles.window_open_on(cycle, today) and pending == 0
    return cycle.status in ("draft", "computed")


def import_items(session: Session) -> list[TodoItem]:
    return [TodoItem(kind="import", url="/imports", facts={
        "batch_id": batch.id, "filename": batch.filename, "kind": batch.kind, "imported_at": batch.imported_at,
        "records": n}) for batch, n in repository.unattributed_by_batch(session)]


def calendar_missing(today: dt.date, schedule: Schedule) -> int | None:
    """Next year, when it is December and nobody has entered next year's working-day calendar; else None."""
    year = today.year + 1
    if today.month < CALENDAR_FROM_MONTH or year in known_years(schedule):
        return None
    return year


def calendar_items(today: dt.date, schedule: Schedule) -> list[TodoItem]:
    year = calendar_missing(today, schedule)
    if year is None:
        return []
    return [TodoItem(kind="calendar", url=f"/admin/calendar?year={year}", facts={"year": year})]


def repair_items(session: Session, today: dt.date) -> list[TodoItem]:
    """Repair requests waiting for a step (overdue first, then by due date) and breaches waiting to be checked."""
    out = []
    for row in repair.todo_items(session, today=today):
        breach = row.kind == "breach"
        out.append(TodoItem(
            kind="repair", url="/repair/breaches" if breach else f"/repair/requests/{row.request_id}",
            overdue=row.overdue, due_on=row.due_on, working_days_left=row.working_days_left,
            step="breach" if breach else row.status,
            facts={"request_id": row.request_id, "company": row.company_name, "credit_code": row.credit_code,
                   "mark": row.mark_label, "filed_on": row.filed_on}))
    return out


def officer_todo(session: Session, today: dt.date) -> Todo:
    """Everything waiting for an officer today: undecided appeals (overdue first), repair requests and breaches,
    cycles waiting for their next step, next year's calendar when it is missing, imports that left records
    unattributed."""
    schedule = workdays.schedule(session)
    items = [*appeal_items(session, today, schedule), *repair_items(session, today), *cycle_items(session, today),
             *calendar_items(today, schedule), *import_items(session)]
    return Todo(items=items, appeals_pending=repository.pending_appeal_count(session))


def open_count(session: Session, today: dt.date) -> int:
    """The navigation's badge, read on every officer page: the lines to act on (``Todo.actions``: the undecided
    appeals, the open repair requests and breaches, the cycles waiting for a step, a missing calendar), in a few
    small queries. The imports to check are not counted: finding their unattributed records reads the records, too
    much for every page."""
    calendar = 0
    if today.month >= CALENDAR_FROM_MONTH:
        calendar = len(calendar_items(today, workdays.schedule(session)))
    repairs = len(repair_repo.requests_of(session, statuses=REPAIR_OPEN)) + len(
        repair_repo.breaches(session, status="flagged"))
    return repository.pending_appeal_count(session) + len(cycle_items(session, today)) + calendar + repairs


# -- the dashboard's lists ---------------------------------------------------------------------------------------

def record_counts(session: Session) -> dict[str, int]:
    """Companies, communities, contracts and each kind of record held."""
    return companies_repo.record_counts(session)


def last_import(session: Session) -> Any:
    return companies_repo.last_import(session)


@dataclass(frozen=True)
class Paged:
    rows: list[Any]
    total: int
    page: int
    pages: int
    links: dict[str, int]  # credit code → the cycle of the company's latest rating (its drill-down)


def _bounded(q: str | None) -> str | None:
    q = (q or "").strip()[:MAX_QUERY]
    return q or None


def _page_of(page: int, total: int) -> tuple[int, int]:
    pages = max(1, -(-total // PAGE_SIZE))
    return min(max(page, 1), pages), pages


def company_page(session: Session, *, today: dt.date, q: str | None, page: int) -> Paged:
    """Companies (by name or the start of the credit code), PAGE_SIZE a page, each with its latest rating's cycle."""
    q = _bounded(q)
    total = companies_repo.count_companies(session, q=q)
    page, pages = _page_of(page, total)
    rows = companies_repo.list_companies(session, on=today, q=q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    links = repository.latest_rated_cycles(session, [r.credit_code for r in rows])
    return Paged(rows=rows, total=total, page=page, pages=pages, links=links)


def community_page(session: Session, *, today: dt.date, q: str | None, page: int) -> Paged:
    """Communities (by name or their id), PAGE_SIZE a page, each with its managing company's latest rating's cycle."""
    q = _bounded(q)
    total = companies_repo.count_communities(session, q=q)
    page, pages = _page_of(page, total)
    rows = companies_repo.list_communities(session, on=today, q=q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    links = repository.latest_rated_cycles(session, [r.manager_code for r in rows if r.manager_code])
    return Paged(rows=rows, total=total, page=page, pages=pages, links=links)
