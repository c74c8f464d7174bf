"""Credit repair rules applied (pure: dates and the methodology's rules in, verdicts out; no database).

A company's mark (a cycle's black list or veto, or one adverse record) may be repaired once its minimum publicity
has passed (``earliest_on``: calendar months from the day its publicity counts from, clamped to the month's end:
31 January + 1 month = 28/29 February), when the conditions the methodology lists hold (the correction declared
and evidenced, the penalty fulfilled, the commitment signed, no new record of the same kind since), and nothing
else stands in the way (an open request for the same mark, the wait after a refusal, the bar after false
material). Deadlines count working days on the calendar the caller passes in.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from scoring.methodology import RepairRules, VetoRules

EVIDENCED = ("rectified", "penalty_fulfilled")  # declared by the company, and shown by at least one file
# Checks besides the methodology's conditions (REPAIR_CONDITIONS), in the order they are shown.
OTHER_CHECKS = ("not_repairable", "too_early", "request_open", "refile_wait", "barred")


@dataclass(frozen=True)
class MarkRecord:
    """A record behind a mark, or a later record that may be "of the same kind"."""

    kind: str  # fee_violations | major_events
    record_id: str
    subtype: str | None  # violation_type, or the major event's kind
    record_date: dt.date
    document_no: str | None = None


@dataclass(frozen=True)
class Mark:
    """One repairable thing of one company in one cycle."""

    key: str  # rule key: black_list | veto | fee_violations | major_events
    request_mark: str  # RepairRequest.mark: black_list | veto | records
    cycle_id: int
    severity: str  # general | serious
    publicity_from: dt.date  # the cycle's notice date (counted_from publicity) or the record's date
    records: tuple[MarkRecord, ...] = ()  # the records behind it (the veto records; the record itself)
    # A new record of the same kind counts when dated after this day (None: after ``publicity_from``); a black
    # list's is the end of the cycle's period (what came later was not rated yet).
    same_kind_after: dt.date | None = None

    @property
    def after(self) -> dt.date:
        return self.same_kind_after or self.publicity_from

    @property
    def record_keys(self) -> tuple[tuple[str, str], ...]:
        return tuple((r.kind, r.record_id) for r in self.records)


@dataclass(frozen=True)
class Check:
    """One check of a request: a condition (REPAIR_CONDITIONS) or too_early, not_repairable, request_open,
    refile_wait, barred; ``params`` carry what the words need (dates as ISO strings, record ids)."""

    code: str
    ok: bool
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    checks: tuple[Check, ...]
    earliest_on: dt.date

    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.ok)

    def as_json(self) -> dict[str, Any]:
        return {"eligible": self.eligible, "earliest_on": self.earliest_on.isoformat(),
                "checks": [{"code": c.code, "ok": c.ok, "params": c.params} for c in self.checks]}


# -- dates -----------------------------------------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later, clamped to the month's last day (2025-01-31 + 1 = 2025-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def earliest_on(mark: Mark, rules: RepairRules) -> dt.date:
    """The first day a request for the mark can succeed: its publicity start + the severity's minimum months."""
    return add_months(mark.publicity_from, rules.publicity[mark.severity].min_months)


def publicity_ends_on(mark: Mark, rules: RepairRules) -> dt.date:
    """The day the mark's publicity ends anyway (publicity start + the severity's maximum months)."""
    return add_months(mark.publicity_from, rules.publicity[mark.severity].max_months)


def accept_due(filed_on: dt.date, rules: RepairRules, add_working_days: Callable[[dt.date, int], dt.date]
               ) -> dt.date:
    """Acceptance (or a refusal to accept) is due this many working days after filing."""
    return add_working_days(filed_on, rules.accept_working_days)


def decide_due(accepted_on: dt.date, rules: RepairRules, add_working_days: Callable[[dt.date, int], dt.date]
               ) -> dt.date:
    """The decision is due this many working days after acceptance."""
    return add_working_days(accepted_on, rules.decide_working_days)


def commitment_until(repaired_on: dt.date, rules: RepairRules) -> dt.date:
    """The signed commitment binds until this day (the repair's day + the commitment months)."""
    return add_months(repaired_on, rules.commitment_months)


def refile_from(decided_on: dt.date, mark: Mark, rules: RepairRules, *, false_material: bool = False) -> dt.date:
    """After a refusal, a new request may be filed from this day: ``refile_after_days`` later, never before the
    minimum publicity ends; after false material, not before ``false_material_bar_years`` have passed."""
    day = max(decided_on + dt.timedelta(days=rules.refile_after_days), earliest_on(mark, rules))
    if false_material:
        day = max(day, add_years(decided_on, rules.false_material_bar_years))
    return day


# -- same kind ------------------------------------------------------------------------------------------------------

def is_veto_ground(record: MarkRecord, veto: VetoRules) -> bool:
    if record.kind == "fee_violations":
        return record.subtype in veto.fee_types
    if record.kind == "major_events":
        return record.subtype in veto.major_event_kinds
    return False


def same_kind(mark: Mark, record: MarkRecord, *, rules: RepairRules, veto: VetoRules) -> bool:
    """Whether a record is "of the same kind" as the mark, by the mark's rule (``same_kind``): ``same_ground``
    (same record kind and type as a record behind the mark), ``veto_grounds`` (any record the veto names), or a
    record kind's name (any record of that kind). The mark's own records never are."""
    if (record.kind, record.record_id) in mark.record_keys:
        return False
    for rule in rules.rule_of(mark.key).same_kind:
        if rule == "same_ground":
            if any(r.kind == record.kind and r.subtype == record.subtype for r in mark.records):
                return True
        elif rule == "veto_grounds":
            if is_veto_ground(record, veto):
                return True
        elif record.kind == rule:
            return True
    return False


def same_kind_records(mark: Mark, later: Sequence[MarkRecord], *, rules: RepairRules, veto: VetoRules,
                      today: dt.date) -> list[MarkRecord]:
    """The records of ``later`` dated after the mark's start and up to ``today`` that are of the same kind."""
    return sorted((r for r in later if mark.after < r.record_date <= today
                   and same_kind(mark, r, rules=rules, veto=veto)), key=lambda r: (r.record_date, r.record_id))


# -- eligibility ----------------------------------------------------------------------------------------------------

def not_repairable(mark: Mark, rules: RepairRules) -> list[MarkRecord] | None:
    """None when the mark may be repaired; else the records that forbid it (empty: the mark's rule does)."""
    rule = rules.rule_of(mark.key)
    if not rule.repairable:
        return []
    never = set(getattr(rule, "not_repairable", ()))
    blocked = [r for r in mark.records if r.subtype in never]
    return blocked or None


def eligibility(mark: Mark, *, rules: RepairRules, veto: VetoRules, today: dt.date, declared: Collection[str],
                later: Sequence[MarkRecord], open_request: bool = False, refile_from: dt.date | None = None,
                barred_until: dt.date | None = None, has_evidence: bool = True) -> Eligibility:
    """The checks of a request for ``mark`` filed ``today``: ``declared`` the conditions the company declares met
    (``commitment_signed`` only when the form's box is ticked and the signature is right), ``later`` the
    company's records that may be of the same kind, ``has_evidence`` whether at least one file is attached
    (``rectified`` and ``penalty_fulfilled`` need one). Conditions come in the rules' order, after the mark's own
    checks; a check that can only fail (open request, waits, bars) is listed only when it does."""
    first = earliest_on(mark, rules)
    checks: list[Check] = []
    blocked = not_repairable(mark, rules)
    if blocked is not None:
        checks.append(Check("not_repairable", False, {"records": [r.record_id for r in blocked]}))
    checks.append(Check("too_early", today >= first, {"earliest_on": first.isoformat()}))
    wanted = set(declared)
    for code in rules.conditions:
        if code in EVIDENCED:
            if code not in wanted:
                checks.append(Check(code, False, {"missing": "declaration"}))
            elif not has_evidence:
                checks.append(Check(code, False, {"missing": "evidence"}))
            else:
                checks.append(Check(code, True, {}))
        elif code == "commitment_signed":
            checks.append(Check(code, code in wanted, {}))
        elif code == "no_new_same_kind":
            found = same_kind_records(mark, later, rules=rules, veto=veto, today=today)
            checks.append(Check(code, not found, {
                "after": mark.after.isoformat(), "records": [r.record_id for r in found],
                "kinds": [r.kind for r in found], "dates": [r.record_date.isoformat() for r in found]}))
    if open_request:
        checks.append(Check("request_open", False, {}))
    if barred_until is not None and today < barred_until:
        checks.append(Check("barred", False, {"until": barred_until.isoformat()}))
    elif refile_from is not None and today < refile_from:
        checks.append(Check("refile_wait", False, {"refile_from": refile_from.isoformat()}))
    return Eligibility(all(c.ok for c in checks), tuple(checks), first)
