"""Credit repair: the rules applied to a company's marks, requests from filing to decision, and what a repair
changes in the public record (docs/repair.md). Never commits.

The effect, precisely: a cycle's rating is never rewritten. From ``repaired_on`` the public record of that cycle
says 「已修复（日期，决定书文号）」, a repaired black list or veto takes the company off that cycle's black list, the
repaired records' details stop being publicized, open data carries the status and date, and verifying the
cycle's notice says a repair decision exists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.orm import Session, object_session

from rating_service import clock
from rating_service.accounts.service import Principal
from rating_service.appeals import service as appeals
from rating_service.appeals.evidence import AttachmentRefused
from rating_service.audit import service as audit
from rating_service.cycles import facts, standing
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle, Rating
from rating_service.errors import Conflict, Forbidden, NotFound, RatingServiceError
from rating_service.i18n import Lang, Localized, localized, translate
from rating_service.intake.redact import redact
from rating_service.notices import service as notices
from rating_service.notices.models import Document
from rating_service.records.formats import KINDS
from rating_service.repair import repository, rules
from rating_service.repair.models import (
    OPEN_STATUSES,
    REPAIR_MARKS,
    REPAIR_STATUSES,
    BreachStatus,
    CommitmentBreach,
    RepairAttachment,
    RepairItem,
    RepairRequest,
)
from rating_service.repair.public import PublicRepair, day_text, public_repairs
from rating_service.settings import to_local
from rating_service.workdays import service as workdays
from rating_service.workdays.holiday_calendar import CalendarUnknown
from reports import model as report_model
from scoring.methodology import REPAIR_CONDITIONS, Methodology

# -- the effect in the public record (read by disclosure/ and notices/): in ``public.py``, which imports nothing of
# the workflow below, so notices (which this module needs for the decision document) can read it without a cycle.

# -- requests: the rules applied to a company's marks, filing, review, decision, breaches --------------------------
#
# Personal data: the company's statement and the officer's texts (acceptance note, reasons, on-site verification,
# breach note) go into the 信用修复决定书 and onto pages. A text carrying a phone number, an ID number, a bank card,
# an e-mail address or a person's name (intake's ``redact`` finds them) is refused with a message naming the field
# and what was found, never cut silently: what is stored is exactly what its author wrote and re-read.

MAX_STATEMENT = 3000
MAX_OFFICER_TEXT = 3000
MAX_SIGNATURE = 200
MAX_RECORDS = 50
DECLARABLE = ("rectified", "penalty_fulfilled")
COMPANY_VISIBLE = ("publicized", "finalized")


class RepairRefused(RatingServiceError):
    """A request (or an officer's step) refused: the message names the field or the unmet rule; ``checks`` (the
    failed checks of a filing) come back as details, one worded line each."""

    status_code = 400
    code = "repair_refused"

    def __init__(self, key: str, /, *, checks: Sequence[rules.Check] = (), **params: Any) -> None:
        super().__init__(key, **params)
        self.checks = tuple(checks)

    def details(self, lang: Lang = "zh") -> list[dict[str, Any]]:
        return [{"code": c.code, "message": refusal_text(c, lang)} for c in self.checks]


@dataclass(frozen=True)
class Filing:
    cycle_id: int
    mark: str  # black_list | veto | records
    records: Sequence[tuple[str, str]]  # (kind, record_id); required for records, ignored otherwise
    statement: str  # what was corrected (≤ 3000 chars; personal data refused)
    declared: Sequence[str]  # conditions the company declares met (rectified, penalty_fulfilled)
    commitment_signed: bool  # the box "本企业作出以上承诺" ticked
    signature: str  # the company's full name typed again; must equal it exactly
    attachments: Sequence[appeals.Upload] = ()  # same checks as appeal evidence; at least one required


@dataclass(frozen=True)
class MarkView:
    """One line of a company's "my marks": the mark, its dates, whether a request filed today (declaring every
    condition, with evidence) would pass, its open or last request, and the repair in force if any."""

    mark: rules.Mark
    cycle_name: str
    label: str  # worded, the page's language
    earliest_on: dt.date
    publicity_ends_on: dt.date
    eligibility: rules.Eligibility
    request_id: int | None  # the open request, else the last one
    repaired: PublicRepair | None
    records_text: tuple[str, ...] = ()  # the records behind the mark, one worded line each
    checks: tuple[tuple[str, bool, str], ...] = ()  # the eligibility worded: (label, ok, detail)

    @property
    def record_keys(self) -> tuple[tuple[str, str], ...]:
        return self.mark.record_keys


@dataclass(frozen=True)
class RequestDetail:
    request: RepairRequest
    company_name: str
    cycle_name: str
    mark_label: str
    status_label: str
    items: list[str]  # the records, one worded line each
    attachments: list[RepairAttachment]
    checks: list[tuple[str, bool, str]]  # (label, ok, detail): now for an open request, at filing otherwise
    accept_due_on: dt.date
    decide_due_on: dt.date | None
    working_days_left: int | None  # to the step due now (None: closed, past due or calendar unknown)
    overdue: bool
    decision_document: Document | None
    declared: list[str]  # the conditions the company declared, worded
    refusal_stage_label: str | None


@dataclass(frozen=True)
class QueueRow:
    request_id: int
    company_name: str
    credit_code: str
    mark_label: str
    status: str
    due_on: dt.date | None
    working_days_left: int | None
    overdue: bool
    status_label: str = ""
    cycle_name: str = ""
    filed_on: dt.date | None = None
    kind: str = "request"  # request | breach (todo_items)
    breach_id: int | None = None


@dataclass(frozen=True)
class BreachRow:
    breach_id: int
    request_id: int
    credit_code: str
    company_name: str
    cycle_name: str
    mark_label: str
    kind: str
    record_id: str
    record_date: dt.date
    record_label: str  # the record kind, worded
    status: str
    status_label: str
    detected_at: dt.datetime
    decided_on: dt.date | None
    note: str | None
    repaired_on: dt.date | None
    commitment_until: dt.date | None


# -- words -----------------------------------------------------------------------------------------------------------

def _date(value: dt.date | str | None, lang: Lang) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return day_text(value, lang)


def check_label(code: str, lang: Lang = "zh") -> str:
    """The name of a check: a condition's (repair_condition.*) or another check's (repair_check.*)."""
    key = f"repair_condition.{code}" if code in REPAIR_CONDITIONS else f"repair_check.{code}"
    return translate(key, lang)


def check_detail(check: rules.Check, lang: Lang = "zh") -> str:
    """What the check found, in words (dates in the page's language, record numbers)."""
    p = check.params
    if check.code == "too_early":
        return translate("repair_detail.too_early", lang, date=_date(p.get("earliest_on"), lang))
    if check.code in DECLARABLE and not check.ok:
        return translate(f"repair_detail.missing_{p.get('missing', 'declaration')}", lang)
    if check.code == "commitment_signed" and not check.ok:
        return translate("repair_detail.unsigned", lang)
    if check.code == "no_new_same_kind":
        if check.ok:
            return translate("repair_detail.none_since", lang, date=_date(p.get("after"), lang))
        return translate("repair_detail.same_kind", lang, date=_date(p.get("after"), lang),
                         records="、".join(p.get("records") or []))
    if check.code == "not_repairable":
        return translate("repair_detail.not_repairable", lang)
    if check.code == "request_open":
        return translate("repair_detail.request_open", lang)
    if check.code == "refile_wait":
        return translate("repair_detail.refile_wait", lang, date=_date(p.get("refile_from"), lang))
    if check.code == "barred":
        return translate("repair_detail.barred", lang, date=_date(p.get("until"), lang))
    return ""


def refusal_text(check: rules.Check, lang: Lang = "zh") -> str:
    """A failed check as the sentence that refuses a filing."""
    p = check.params
    return translate(f"repair_refused.{check.code}", lang, date=_date(
        p.get("earliest_on") or p.get("refile_from") or p.get("until") or p.get("after"), lang),
        records="、".join(p.get("records") or []), id=p.get("request_id", ""))


def worded_checks(checks: Sequence[rules.Check], lang: Lang = "zh") -> list[tuple[str, bool, str]]:
    return [(check_label(c.code, lang), c.ok, check_detail(c, lang)) for c in checks]


def _checks_of(data: dict[str, Any]) -> tuple[rules.Check, ...]:
    return tuple(rules.Check(str(c["code"]), bool(c["ok"]), dict(c.get("params") or {}))
                 for c in data.get("checks") or [])


def record_line(record: rules.MarkRecord, methodology: Methodology, lang: Lang = "zh") -> str:
    """"收费违规 SF-001：超标准收费，2025年6月1日，枞住建罚〔2025〕1号" (no person, no free text)."""
    name = "violation_type" if record.kind == "fee_violations" else "kind"
    subtype = facts.value_text(record.kind, name, record.subtype, methodology, lang) if record.subtype else ""
    parts = [p for p in (subtype, day_text(record.record_date, lang), record.document_no or "") if p]
    return translate("repair_record_line", lang, kind=KINDS[record.kind].label(lang), record=record.record_id,
                     details=translate("repair_detail_sep", lang).join(parts))


def mark_label(mark: str, cycle_name: str, records: Sequence[rules.MarkRecord] = (), *,
               methodology: Methodology | None = None, lang: Lang = "zh") -> str:
    """"2024年度 列入黑榜", "2025年度 一票否决", "2025年度 不良记录：收费违规 SF-001…"."""
    name = translate(f"repair_mark.{mark}", lang)
    if mark != "records" or not records or methodology is None:
        return translate("repair_mark_label", lang, cycle=cycle_name, mark=name)
    lines = [record_line(r, methodology, lang) for r in records]
    return translate("repair_mark_label_records", lang, cycle=cycle_name, mark=name,
                     records=translate("repair_list_sep", lang).join(lines))


def _text(value: str, *, field: str, limit: int, required: bool) -> str:
    """A free text checked: stripped, within ``limit``, required when asked, and free of personal data."""
    text = (value or "").strip()
    if not text:
        if required:
            raise RepairRefused("repair_text_required", field=localized(f"repair_field.{field}"))
        return ""
    if len(text) > limit:
        raise RepairRefused("repair_text_too_long", field=localized(f"repair_field.{field}"), limit=limit)
    found = redact(text, house_numbers=False).removed
    if found:
        kinds = [localized(f"repair_pd.{kind}") for kind in found]
        raise RepairRefused("repair_personal_data", field=localized(f"repair_field.{field}"),
                            kinds=_Joined(kinds))
    return text


class _Joined(Localized):
    """Several catalogue words as one message parameter, joined in the message's language."""

    def __init__(self, words: Sequence[Localized]) -> None:
        super().__init__({lang: "、".join(w.render(lang) for w in words) if lang == "zh"
                          else ", ".join(w.render(lang) for w in words) for lang in ("zh", "en")})


# -- marks -----------------------------------------------------------------------------------------------------------

def _fact_record(f: facts.RecordFact) -> rules.MarkRecord:
    subtype = f.fields.get("violation_type") if f.kind == "fee_violations" else f.fields.get("kind")
    assert f.date is not None
    return rules.MarkRecord(f.kind, f.record_id, None if subtype is None else str(subtype), f.date,
                            f.fields.get("document_no") or None)


def _start(rule_from: str, cycle: Cycle, records: Sequence[rules.MarkRecord]) -> dt.date:
    """When a mark's publicity counts from: the cycle's notice date, or its (latest) record's date."""
    assert cycle.notice_date is not None
    if rule_from == "record" and records:
        return max(r.record_date for r in records)
    return cycle.notice_date


def cycle_marks(session: Session, *, cycle: Cycle, rating: Rating) -> list[rules.Mark]:
    """A company's repairable marks in a publicized or finalized cycle: its veto (which also ends the black list,
    so a vetoed company's black list is not offered on its own), else its black list, then each counted fee
    violation and major event."""
    if cycle.status not in COMPANY_VISIBLE or cycle.notice_date is None:
        return []
    repair_rules = cycles.methodology_of(cycle).repair_rules()
    company = standing.company_facts(session=session, cycle=cycle, credit_code=rating.credit_code)
    out: list[rules.Mark] = []
    veto_records = tuple(_fact_record(f) for f in
                         (company.of_reason("VETO") or [f for f in company.records.values() if "VETO" in f.reasons])
                         if f.date is not None)
    if rating.veto and "veto" in repair_rules.marks:
        rule = repair_rules.marks["veto"]
        out.append(rules.Mark("veto", "veto", cycle.id, rule.severity, _start(rule.counted_from, cycle, veto_records),
                              veto_records))
    elif rating.black_list and "black_list" in repair_rules.marks:
        rule = repair_rules.marks["black_list"]
        out.append(rules.Mark("black_list", "black_list", cycle.id, rule.severity,
                              _start(rule.counted_from, cycle, veto_records), veto_records,
                              same_kind_after=cycle.period_end))
    records = sorted((f for f in company.records.values() if f.kind in repair_rules.records and f.date is not None),
                     key=lambda f: (f.date, f.kind, f.record_id))
    for f in records:
        record = _fact_record(f)
        rule = repair_rules.records[f.kind]
        out.append(rules.Mark(f.kind, "records", cycle.id, repair_rules.severity_of(f.kind, record.subtype),
                              _start(rule.counted_from, cycle, (record,)), (record,)))
    return out


def _later(session: Session, credit_code: str, after: dt.date, today: dt.date) -> list[rules.MarkRecord]:
    return [rules.MarkRecord(k, r, t, d, n) for k, r, t, d, n in
            repository.adverse_records(session, credit_code=credit_code, after=after, until=today)]


def _blocks(session: Session, *, credit_code: str, mark: rules.Mark, today: dt.date,
            exclude: int | None = None) -> tuple[RepairRequest | None, dt.date | None, dt.date | None]:
    """(an open request for the same mark, the last refusal's refile_from, the false-material bar's end)."""
    mine = [r for r in repository.requests_of(session, credit_code=credit_code) if r.id != exclude]
    items = repository.items_of(session, [r.id for r in mine])
    same = [r for r in mine if r.cycle_id == mark.cycle_id and _same_mark(r, items[r.id], mark)]
    open_request = next((r for r in same if r.status in OPEN_STATUSES), None)
    refused = [r for r in same if r.status == "refused" and r.refile_from is not None]
    refile = max((r.refile_from for r in refused if r.refile_from), default=None)
    barred = max((r.refile_from for r in mine if r.status == "refused" and r.refile_from and _false_material(r)),
                 default=None)
    return open_request, refile, barred


def _same_mark(request: RepairRequest, items: Sequence[RepairItem], mark: rules.Mark) -> bool:
    """Whether a request is about the mark: the same cycle's black list or veto (either ends the black list), or
    records in common."""
    if mark.request_mark in ("black_list", "veto"):
        return request.mark in ("black_list", "veto")
    return request.mark == "records" and bool({(i.kind, i.record_id) for i in items} & set(mark.record_keys))


def _false_material(request: RepairRequest) -> bool:
    try:
        return bool(json.loads(request.eligibility).get("false_material"))
    except (ValueError, AttributeError):
        return False


def _repair_of(mark: rules.Mark, repairs: Sequence[PublicRepair]) -> PublicRepair | None:
    for repair in repairs:
        if repair.cycle_id != mark.cycle_id:
            continue
        if mark.request_mark in ("black_list", "veto") and repair.leaves_black_list:
            return repair
        if mark.request_mark == "records" and set(mark.record_keys) <= set(repair.records):
            return repair
    return None


def _evaluate(session: Session, *, credit_code: str, mark: rules.Mark, methodology: Methodology, today: dt.date,
              declared: Collection[str], has_evidence: bool, exclude: int | None = None
              ) -> tuple[rules.Eligibility, RepairRequest | None]:
    repair_rules = methodology.repair_rules()
    open_request, refile, barred = _blocks(session, credit_code=credit_code, mark=mark, today=today,
                                           exclude=exclude)
    later = _later(session, credit_code, mark.after, today)
    verdict = rules.eligibility(mark, rules=repair_rules, veto=methodology.veto, today=today, declared=declared,
                                later=later, open_request=open_request is not None, refile_from=refile,
                                barred_until=barred, has_evidence=has_evidence)
    if open_request is not None:
        verdict = rules.Eligibility(verdict.eligible, tuple(
            rules.Check(c.code, c.ok, {**c.params, "request_id": open_request.id}) if c.code == "request_open" else c
            for c in verdict.checks), verdict.earliest_on)
    return verdict, open_request


def company_marks(session: Session, *, credit_code: str, today: dt.date, lang: Lang = "zh") -> list[MarkView]:
    """Every repairable mark of the company in its publicized and finalized cycles (newest cycle first), with
    whether a request filed today could pass."""
    history = cycles_repo.company_history(session, credit_code=credit_code, statuses=COMPANY_VISIBLE)
    repairs = public_repairs(session, credit_code=credit_code).get(credit_code, [])
    requests = repository.requests_of(session, credit_code=credit_code)
    items = repository.items_of(session, [r.id for r in requests])
    out = []
    for cycle, rating in reversed(history):
        methodology = cycles.methodology_of(cycle)
        repair_rules = methodology.repair_rules()
        for mark in cycle_marks(session, cycle=cycle, rating=rating):
            verdict, open_request = _evaluate(session, credit_code=credit_code, mark=mark, methodology=methodology,
                                              today=today, declared=REPAIR_CONDITIONS, has_evidence=True)
            last = open_request or next((r for r in requests if r.cycle_id == cycle.id
                                         and _same_mark(r, items[r.id], mark)), None)
            out.append(MarkView(
                mark=mark, cycle_name=cycle.name,
                label=mark_label(mark.request_mark, cycle.name, mark.records, methodology=methodology, lang=lang),
                earliest_on=rules.earliest_on(mark, repair_rules),
                publicity_ends_on=rules.publicity_ends_on(mark, repair_rules), eligibility=verdict,
                request_id=last.id if last else None, repaired=_repair_of(mark, repairs),
                records_text=tuple(record_line(r, methodology, lang) for r in mark.records),
                checks=tuple(worded_checks(verdict.checks, lang))))
    return out


def _chosen_mark(session: Session, *, cycle: Cycle, rating: Rating, filing: Filing) -> rules.Mark:
    """The mark the filing names, among the company's own; a request for records joins records of one kind."""
    marks = cycle_marks(session, cycle=cycle, rating=rating)
    if filing.mark in ("black_list", "veto"):
        found = next((m for m in marks if m.request_mark == filing.mark), None)
        if found is None and filing.mark == "black_list":  # a vetoed company's black list goes with its veto
            found = next((m for m in marks if m.request_mark == "veto"), None)
        if found is None:
            raise RepairRefused("repair_not_your_mark", mark=localized(f"repair_mark.{filing.mark}"),
                                cycle=cycle.name)
        return found
    wanted = list(dict.fromkeys((str(k).strip()[:32], str(r).strip()[:64]) for k, r in filing.records))
    if not wanted:
        raise RepairRefused("repair_records_required")
    if len(wanted) > MAX_RECORDS:
        raise RepairRefused("repair_too_many_records", limit=MAX_RECORDS)
    by_key = {m.record_keys[0]: m for m in marks if m.request_mark == "records"}
    for kind, record_id in wanted:
        if (kind, record_id) not in by_key:
            raise RepairRefused("repair_record_not_yours", record=record_id, cycle=cycle.name)
    chosen = [by_key[key] for key in wanted]
    if len({m.key for m in chosen}) > 1:
        raise RepairRefused("repair_records_one_kind")
    if len(chosen) == 1:
        return chosen[0]
    severity = "serious" if any(m.severity == "serious" for m in chosen) else "general"
    return rules.Mark(chosen[0].key, "records", cycle.id, severity, max(m.publicity_from for m in chosen),
                      tuple(r for m in chosen for r in m.records))


def _company_only(principal: Principal) -> str:
    if principal.is_officer or not principal.credit_code:
        raise Forbidden("repair_company_only")
    return principal.credit_code


def _add_working_days(session: Session) -> Callable[[dt.date, int], dt.date]:
    return lambda day, n: workdays.add_working_days(session, day, n)


def file_request(session: Session, *, principal: Principal, filing: Filing) -> RepairRequest:
    """A company asks to repair one of its marks: every input checked, the evidence checked, the rules applied;
    refused (RepairRefused naming the field or the unmet rule) before anything is written."""
    from rating_service.repair import documents  # the docs lane's module: the commitment's text

    code = _company_only(principal)
    if filing.mark not in REPAIR_MARKS:
        raise RepairRefused("repair_mark_unknown")
    cycle = cycles_repo.cycle(session, filing.cycle_id)
    if cycle is None or cycle.status not in COMPANY_VISIBLE:
        raise NotFound("cycle_not_found", cycle_id=filing.cycle_id)
    rating = cycles_repo.rating(session, cycle_id=cycle.id, credit_code=code)
    if rating is None:
        raise NotFound("rating_not_found", cycle_id=filing.cycle_id, code=code)
    statement = _text(filing.statement, field="statement", limit=MAX_STATEMENT, required=True)
    unknown = [d for d in filing.declared if d not in DECLARABLE]
    if unknown:
        raise RepairRefused("repair_declared_unknown", code=str(unknown[0])[:40])
    signature = (filing.signature or "").strip()
    if len(signature) > MAX_SIGNATURE:
        raise RepairRefused("repair_text_too_long", field=localized("repair_field.signature"), limit=MAX_SIGNATURE)
    if not filing.attachments:
        raise RepairRefused("repair_evidence_required")
    try:
        stored = appeals.checked_attachments(filing.attachments, refused=RepairRefused)
    except AttachmentRefused as refused:
        raise RepairRefused(refused.key, **refused.params) from refused
    company_name = repository.company_names(session, [code]).get(code) or rating.name or code
    mark = _chosen_mark(session, cycle=cycle, rating=rating, filing=filing)
    methodology = cycles.methodology_of(cycle)
    repair_rules = methodology.repair_rules()
    today = clock.local_today()
    declared = set(filing.declared)
    if filing.commitment_signed and signature == company_name:
        declared.add("commitment_signed")
    verdict, _open = _evaluate(session, credit_code=code, mark=mark, methodology=methodology, today=today,
                               declared=declared, has_evidence=bool(stored))
    failed = verdict.failed()
    if failed:
        first = failed[0]
        raise RepairRefused(f"repair_refused.{first.code}", checks=failed, date=_date(
            first.params.get("earliest_on") or first.params.get("refile_from") or first.params.get("until")
            or first.params.get("after"), "zh"), records="、".join(first.params.get("records") or []),
            id=first.params.get("request_id", ""), name=company_name)

    now = dt.datetime.now(dt.UTC)
    request = RepairRequest(
        cycle_id=cycle.id, credit_code=code, mark=mark.request_mark, severity=mark.severity,
        methodology_id=cycle.methodology_id, status="submitted", statement=statement,
        conditions=json.dumps({c: True for c in repair_rules.conditions if c in declared}, ensure_ascii=False),
        eligibility=json.dumps(verdict.as_json(), ensure_ascii=False), publicity_from=mark.publicity_from,
        earliest_on=verdict.earliest_on, filed_at=now, filed_by=principal.username, filed_on=today,
        accept_due_on=rules.accept_due(today, repair_rules, _add_working_days(session)),
        commitment_signed_at=now, commitment_payload="{}")
    session.add(request)
    session.flush()
    session.add_all([RepairItem(request_id=request.id, kind=r.kind, record_id=r.record_id, subtype=r.subtype,
                                record_date=r.record_date) for r in mark.records])
    commitment = documents.commitment_for(
        company_name=company_name, credit_code=code, cycle_name=cycle.name, request_id=request.id,
        mark_label=translate(f"repair_mark.{mark.request_mark}", "zh"),
        commitment_months=repair_rules.commitment_months, signed_at=to_local(now))
    request.commitment_payload = json.dumps(report_model.as_payload(commitment), ensure_ascii=False)
    with appeals.stored_files(stored) as files:
        session.add_all([RepairAttachment(request_id=request.id, created_at=now, **vars(kept)) for kept in files])
        session.flush()
        audit.record(session, "repair.file", actor=principal.username, entity_kind="repair_request",
                     entity_id=str(request.id),
                     payload={"cycle_id": cycle.id, "credit_code": code, "repair_mark": mark.request_mark,
                              "repair_records": [f"{k}:{r}" for k, r in mark.record_keys],
                              "attachments": len(stored), "accept_due_on": request.accept_due_on.isoformat()})
    return request


# -- reading ---------------------------------------------------------------------------------------------------------

def visible_request(session: Session, principal: Principal, request_id: int) -> RepairRequest:
    """The request if this user may see it (officers and admins; the company that filed it); 404 otherwise."""
    request = repository.request(session, request_id)
    if request is None or (not principal.is_officer and request.credit_code != principal.credit_code):
        raise NotFound("repair_not_found", request_id=request_id)
    return request


def list_requests(session: Session, principal: Principal, *, status: str | None = None,
                  limit: int = 200) -> list[RepairRequest]:
    """A company's own requests; every request for officers. Newest first."""
    if status is not None and status not in REPAIR_STATUSES:
        raise RepairRefused("repair_status_unknown")
    limit = max(1, min(int(limit), 1000))
    code = None if principal.is_officer else (principal.credit_code or "-")
    return repository.requests_of(session, credit_code=code, statuses=None if status is None else (status,),
                                  limit=limit)


def _days_left(session: Session, today: dt.date, due: dt.date | None) -> int | None:
    if due is None or due < today:
        return None
    try:
        return workdays.count_working_days(session, today, due)
    except CalendarUnknown:
        return None


def _due(request: RepairRequest) -> dt.date | None:
    if request.status == "submitted":
        return request.accept_due_on
    if request.status == "accepted":
        return request.decide_due_on
    return None


def _request_mark(request: RepairRequest, items: Sequence[RepairItem]) -> rules.Mark:
    """The mark a stored request is about, rebuilt from its row and items."""
    records = tuple(rules.MarkRecord(i.kind, i.record_id, i.subtype, i.record_date or request.publicity_from)
                    for i in items)
    key = request.mark if request.mark != "records" else (items[0].kind if items else "fee_violations")
    after = None
    if request.mark == "black_list":
        cycle = cycles_repo.cycle(cast(Session, object_session(request)), request.cycle_id)
        after = cycle.period_end if cycle is not None else None
    return rules.Mark(key, request.mark, request.cycle_id, request.severity, request.publicity_from, records,
                      same_kind_after=after)


def _methodology(session: Session, request: RepairRequest) -> Methodology:
    cycle = cycles_repo.cycle(session, request.cycle_id)
    assert cycle is not None
    return cycles.methodology_of(cycle)


def current_checks(session: Session, request: RepairRequest, *, today: dt.date) -> tuple[rules.Check, ...]:
    """The request's checks as they stand today (an open request: a new record of the same kind since filing
    shows here); a closed one's are those at filing."""
    if request.status not in OPEN_STATUSES:
        return _checks_of(json.loads(request.eligibility))
    items = repository.items_of(session, [request.id])[request.id]
    mark = _request_mark(request, items)
    declared = set(json.loads(request.conditions or "{}"))
    verdict, _open = _evaluate(session, credit_code=request.credit_code, mark=mark,
                               methodology=_methodology(session, request), today=today, declared=declared,
                               has_evidence=bool(repository.attachments_of(session, request.id)), exclude=request.id)
    # The request itself was filed in time: what matters now is what changed since (a new record of the same kind).
    return tuple(c if c.code != "too_early" else rules.Check(c.code, True, c.params) for c in verdict.checks)


def request_detail(session: Session, principal: Principal, request_id: int, *, lang: Lang = "zh") -> RequestDetail:
    request = visible_request(session, principal, request_id)
    today = clock.local_today()
    items = repository.items_of(session, [request.id])[request.id]
    methodology = _methodology(session, request)
    cycle_name = repository.cycle_names(session, [request.cycle_id]).get(request.cycle_id, "")
    mark = _request_mark(request, items)
    records = [rules.MarkRecord(i.kind, i.record_id, i.subtype, i.record_date or request.publicity_from)
               for i in items]
    due = _due(request)
    document = None
    if request.decision_document_id is not None:
        document = notices.get_document_or_raise(session=session, document_id=request.decision_document_id)
    declared = [check_label(c, lang) for c in json.loads(request.conditions or "{}")]
    return RequestDetail(
        request=request,
        company_name=repository.company_names(session, [request.credit_code]).get(request.credit_code,
                                                                                  request.credit_code),
        cycle_name=cycle_name,
        mark_label=mark_label(mark.request_mark, cycle_name, records, methodology=methodology, lang=lang),
        status_label=translate(f"repair_status.{request.status}", lang),
        items=[record_line(r, methodology, lang) for r in records],
        attachments=repository.attachments_of(session, request.id),
        checks=worded_checks(current_checks(session, request, today=today), lang),
        accept_due_on=request.accept_due_on, decide_due_on=request.decide_due_on,
        working_days_left=_days_left(session, today, due), overdue=due is not None and today > due,
        decision_document=document, declared=declared,
        refusal_stage_label=translate(f"refusal_stage.{request.refused_stage}", lang) if request.refused_stage
        else None)


def _rows(session: Session, requests: Sequence[RepairRequest], today: dt.date, lang: Lang) -> list[QueueRow]:
    names = repository.company_names(session, {r.credit_code for r in requests})
    cycles_by_id = repository.cycle_names(session, {r.cycle_id for r in requests})
    out = []
    for r in requests:
        due = _due(r)
        out.append(QueueRow(
            request_id=r.id, company_name=names.get(r.credit_code, r.credit_code), credit_code=r.credit_code,
            mark_label=mark_label(r.mark, cycles_by_id.get(r.cycle_id, ""), lang=lang), status=r.status,
            due_on=due, working_days_left=_days_left(session, today, due), overdue=due is not None and today > due,
            status_label=translate(f"repair_status.{r.status}", lang), cycle_name=cycles_by_id.get(r.cycle_id, ""),
            filed_on=r.filed_on))
    return out


def _urgency(row: QueueRow) -> tuple[Any, ...]:
    return (not row.overdue, row.due_on or dt.date.max, row.request_id)


def queue(session: Session, *, today: dt.date, lang: Lang = "zh") -> list[QueueRow]:
    """Open requests, most urgent first: overdue ones, then by the date the next step is due."""
    requests = repository.requests_of(session, statuses=OPEN_STATUSES)
    return sorted(_rows(session, requests, today, lang), key=_urgency)


def todo_items(session: Session, *, today: dt.date, lang: Lang = "zh") -> list[QueueRow]:
    """The dashboard's to-do: open requests (most urgent first), then breaches waiting for an officer."""
    rows = queue(session, today=today, lang=lang)
    flagged = repository.breaches(session, status="flagged")
    names = repository.company_names(session, {b.credit_code for b in flagged})
    requests = {b.request_id: repository.request(session, b.request_id) for b in flagged}
    cycles_by_id = repository.cycle_names(session, {r.cycle_id for r in requests.values() if r is not None})
    for b in flagged:
        request = requests[b.request_id]
        cycle_name = cycles_by_id.get(request.cycle_id, "") if request else ""
        rows.append(QueueRow(
            request_id=b.request_id, company_name=names.get(b.credit_code, b.credit_code), credit_code=b.credit_code,
            mark_label=mark_label(request.mark, cycle_name, lang=lang) if request else "", status=b.status,
            due_on=None, working_days_left=None, overdue=False,
            status_label=translate(f"breach_status.{b.status}", lang), cycle_name=cycle_name, kind="breach",
            breach_id=b.id))
    return rows


def attachment_bytes(session: Session, principal: Principal, request_id: int,
                     attachment_id: int) -> tuple[RepairAttachment, bytes]:
    request = visible_request(session, principal, request_id)
    item = repository.attachment(session, attachment_id)
    if item is None or item.request_id != request.id:
        raise NotFound("repair_not_found", request_id=request_id)
    return item, appeals.attachment_path(item.storage_key).read_bytes()


def record_attachment_download(*, database: Any, attachment: RepairAttachment, actor: str) -> None:
    """Evidence is not public: every download is audited (in a short transaction of its own)."""
    with database.write_session() as session:
        audit.record(session, "repair.attachment_download", actor=actor, entity_kind="repair_request",
                     entity_id=str(attachment.request_id),
                     payload={"attachment_id": attachment.id, "sha256": attachment.sha256})


# -- the officer's steps ---------------------------------------------------------------------------------------------

def _open_request(session: Session, request_id: int, *, statuses: Sequence[str], action: str) -> RepairRequest:
    request = repository.request(session, request_id, for_update=True)
    if request is None:
        raise NotFound("repair_not_found", request_id=request_id)
    if request.status not in statuses:
        raise Conflict("repair_wrong_status", request_id=request_id,
                       status=localized(f"repair_status.{request.status}"), action=localized(f"repair_action.{action}"))
    return request


def accept(session: Session, *, request_id: int, actor: str, note: str | None = None) -> RepairRequest:
    """受理: the decision becomes due ``decide_working_days`` after today."""
    text = _text(note or "", field="accept_note", limit=MAX_OFFICER_TEXT, required=False)
    request = _open_request(session, request_id, statuses=("submitted",), action="accept")
    repair_rules = _methodology(session, request).repair_rules()
    today = clock.local_today()
    request.status = "accepted"
    request.accepted_on = today
    request.accepted_by = actor
    request.decide_due_on = rules.decide_due(today, repair_rules, _add_working_days(session))
    session.flush()
    audit.record(session, "repair.accept", actor=actor, entity_kind="repair_request", entity_id=str(request.id),
                 payload={"credit_code": request.credit_code, "from": "submitted", "to": "accepted",
                          "decide_due_on": request.decide_due_on.isoformat(), "note": text or None})
    return request


def _issue(session: Session, request: RepairRequest, actor: str, today: dt.date) -> Document:
    from rating_service.repair import documents  # the docs lane's module: the 信用修复决定书

    document = documents.issue_decision(session=session, request=request, actor=actor, issue_date=today)
    request.decision_document_id = document.id
    session.flush()
    return document


def refuse(session: Session, *, request_id: int, actor: str, reasons: str, false_material: bool = False) -> Document:
    """不予受理 (a submitted request) or 不予修复 (an accepted one), with the reasons and the day a new request may
    be filed; after false material, not before the bar's years have passed. Issues the decision document."""
    text = _text(reasons, field="reasons", limit=MAX_OFFICER_TEXT, required=True)
    request = _open_request(session, request_id, statuses=OPEN_STATUSES, action="refuse")
    items = repository.items_of(session, [request.id])[request.id]
    repair_rules = _methodology(session, request).repair_rules()
    today = clock.local_today()
    now = dt.datetime.now(dt.UTC)
    before = request.status
    request.refused_stage = "acceptance" if before == "submitted" else "decision"
    request.status = "refused"
    request.reasons = text
    request.decided_at = now
    request.decided_on = today
    request.decided_by = actor
    request.refile_from = rules.refile_from(today, _request_mark(request, items), repair_rules,
                                            false_material=false_material)
    if false_material:
        request.eligibility = json.dumps({**json.loads(request.eligibility), "false_material": True},
                                         ensure_ascii=False)
    document = _issue(session, request, actor, today)
    audit.record(session, "repair.refuse", actor=actor, entity_kind="repair_request", entity_id=str(request.id),
                 payload={"credit_code": request.credit_code, "from": before, "to": "refused",
                          "stage": request.refused_stage, "false_material": false_material,
                          "refile_from": request.refile_from.isoformat(), "document_id": document.id})
    return document


def decide(session: Session, *, request_id: int, actor: str, reasons: str, verification_note: str) -> Document:
    """同意修复: an accepted request is repaired from today; the commitment binds ``commitment_months``; the
    public record of the cycle changes (its disclosure version moves on). A new record of the same kind since
    filing stands in the way (refuse instead)."""
    note = _text(verification_note, field="verification_note", limit=MAX_OFFICER_TEXT, required=True)
    text = _text(reasons, field="reasons", limit=MAX_OFFICER_TEXT, required=False)
    request = _open_request(session, request_id, statuses=("accepted",), action="decide")
    today = clock.local_today()
    blocking = [c for c in current_checks(session, request, today=today)
                if c.code == "no_new_same_kind" and not c.ok]
    if blocking:
        raise Conflict("repair_new_same_kind", records="、".join(blocking[0].params.get("records") or []))
    repair_rules = _methodology(session, request).repair_rules()
    request.status = "repaired"
    request.verification_note = note
    request.reasons = text or None
    # The service's clock, as a cycle's compute time is: a methodology that leaves repaired records out of later
    # cycles compares the two (cycles.service.read_snapshot), also on the demo's and the tests' simulated days.
    request.decided_at = clock.now()
    request.decided_on = today
    request.decided_by = actor
    request.repaired_on = today
    request.commitment_until = rules.commitment_until(today, repair_rules)
    document = _issue(session, request, actor, today)
    cycle = cycles_repo.cycle(session, request.cycle_id)
    assert cycle is not None
    cycles.disclosure_changed(session=session, cycle=cycle)
    audit.record(session, "repair.decide", actor=actor, entity_kind="repair_request", entity_id=str(request.id),
                 payload={"credit_code": request.credit_code, "from": "accepted", "to": "repaired",
                          "repaired_on": today.isoformat(), "commitment_until": request.commitment_until.isoformat(),
                          "document_id": document.id})
    return document


# -- breaches of the commitment --------------------------------------------------------------------------------------

def detect_breaches(session: Session, *, today: dt.date) -> int:
    """Repaired requests whose company has a new record of the same kind dated within the commitment (after the
    repair, up to ``commitment_until`` and today): one flagged breach per (request, record), never twice. Returns
    how many were found now."""
    repaired = [r for r in repository.requests_of(session, statuses=("repaired",))
                if r.repaired_on is not None and r.commitment_until is not None and r.repaired_on <= today]
    items = repository.items_of(session, [r.id for r in repaired])
    known = repository.breach_keys(session, [r.id for r in repaired])
    methodologies: dict[int, Methodology] = {}
    found = 0
    for request in repaired:
        assert request.repaired_on is not None and request.commitment_until is not None
        if request.cycle_id not in methodologies:
            methodologies[request.cycle_id] = _methodology(session, request)
        methodology = methodologies[request.cycle_id]
        mark = dataclasses.replace(_request_mark(request, items[request.id]), same_kind_after=request.repaired_on)
        until = min(today, request.commitment_until)
        later = _later(session, request.credit_code, request.repaired_on, until)
        for record in rules.same_kind_records(mark, later, rules=methodology.repair_rules(), veto=methodology.veto,
                                              today=until):
            if (request.id, record.kind, record.record_id) in known:
                continue
            breach = CommitmentBreach(request_id=request.id, credit_code=request.credit_code, kind=record.kind,
                                      record_id=record.record_id, record_date=record.record_date, status="flagged",
                                      detected_at=dt.datetime.now(dt.UTC))
            session.add(breach)
            session.flush()
            known.add((request.id, record.kind, record.record_id))
            found += 1
            audit.record(session, "repair.breach_flag", actor="system", entity_kind="repair_request",
                         entity_id=str(request.id),
                         payload={"breach_id": breach.id, "credit_code": request.credit_code, "kind": record.kind,
                                  "record_id": record.record_id, "record_date": record.record_date.isoformat()})
    return found


def list_breaches(session: Session, *, status: str | None = None, lang: Lang = "zh") -> list[BreachRow]:
    if status is not None and status not in {s.value for s in BreachStatus}:
        raise RepairRefused("repair_status_unknown")
    found = repository.breaches(session, status=status)
    names = repository.company_names(session, {b.credit_code for b in found})
    requests = {b.request_id: repository.request(session, b.request_id) for b in found}
    cycles_by_id = repository.cycle_names(session, {r.cycle_id for r in requests.values() if r is not None})
    out = []
    for b in found:
        request = requests[b.request_id]
        cycle_name = cycles_by_id.get(request.cycle_id, "") if request else ""
        out.append(BreachRow(
            breach_id=b.id, request_id=b.request_id, credit_code=b.credit_code,
            company_name=names.get(b.credit_code, b.credit_code), cycle_name=cycle_name,
            mark_label=mark_label(request.mark, cycle_name, lang=lang) if request else "", kind=b.kind,
            record_id=b.record_id, record_date=b.record_date, record_label=KINDS[b.kind].label(lang),
            status=b.status, status_label=translate(f"breach_status.{b.status}", lang), detected_at=b.detected_at,
            decided_on=b.decided_on, note=b.note, repaired_on=request.repaired_on if request else None,
            commitment_until=request.commitment_until if request else None))
    return out


def decide_breach(session: Session, *, breach_id: int, actor: str, confirm: bool, note: str) -> CommitmentBreach:
    """An officer confirms a flagged breach (the public record notes it from today) or dismisses it."""
    text = _text(note, field="breach_note", limit=MAX_OFFICER_TEXT, required=True)
    breach = repository.breach(session, breach_id, for_update=True)
    if breach is None:
        raise NotFound("repair_breach_not_found", breach_id=breach_id)
    if breach.status != "flagged":
        raise Conflict("repair_breach_decided", status=localized(f"breach_status.{breach.status}"))
    today = clock.local_today()
    breach.status = "confirmed" if confirm else "dismissed"
    breach.decided_at = dt.datetime.now(dt.UTC)
    breach.decided_on = today
    breach.decided_by = actor
    breach.note = text
    session.flush()
    if confirm:
        request = repository.request(session, breach.request_id)
        assert request is not None
        cycle = cycles_repo.cycle(session, request.cycle_id)
        assert cycle is not None
        cycles.disclosure_changed(session=session, cycle=cycle)
    audit.record(session, "repair.breach_decide", actor=actor, entity_kind="repair_request",
                 entity_id=str(breach.request_id),
                 payload={"breach_id": breach.id, "credit_code": breach.credit_code, "from": "flagged",
                          "to": breach.status, "record_id": breach.record_id})
    return breach
