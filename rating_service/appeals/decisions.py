"""Deciding an appeal: per contested record void / amend / keep, re-scoring with the cycle's frozen constants.

The company is rated again on the cycle as it stands (``cycles.standing``: the frozen snapshot with every record
decision of the cycle so far applied, voided rows removed, amended fields changed) with this decision's records
added, and the constants (R0) frozen at compute, so that the new score is exactly what the engine gives on the
amended data. The stored rating is replaced; the appeal keeps the score and grade before and after. The cycle
cannot be finalised while an appeal is undecided.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.appeals import repository
from rating_service.appeals.models import OUTCOMES, Appeal, AppealOutcome, ItemAction
from rating_service.audit import service as audit
from rating_service.cycles import facts, standing
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle
from rating_service.errors import Conflict, NotFound, RatingServiceError
from rating_service.i18n import Localized, translate
from rating_service.notices import service as notices
from rating_service.records.formats import KINDS, ZH_WORDS
from reports.model import AppealRecord, ContestedItem
from scoring.amend import RecordDecision
from scoring.explain import explain

# What a decision may change in a contested record (the rest is the inspector's or the hotline's record): per kind,
# field -> type. ``enum`` values are the import's codes (``records.formats``: a Chinese word or the code is accepted).
AMENDABLE: dict[str, dict[str, str]] = {
    "inspections": {"severity": "enum", "rectified_on": "date"},
    "complaints": {"substantiated": "bool", "resolved_on": "date"},
    "fee_violations": {"violation_type": "enum", "amount_yuan": "number", "refunded": "bool"},
    "major_events": {"kind": "enum"},
}
# Bounds of an amended number (amount in yuan) and of an amended date.
MAX_AMOUNT = 1_000_000_000.0
DATE_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
ACTIONS = ("void", "amend", "keep")


class DecisionInvalid(RatingServiceError):
    status_code = 400
    code = "decision_invalid"


@dataclass(frozen=True)
class ItemDecision(RecordDecision):
    """A record decision with the officer's finding on it (for the decision record)."""

    finding: str = ""


@dataclass(frozen=True)
class Decision:
    outcome: str  # upheld | partly_upheld | rejected
    reasons: str
    items: Sequence[ItemDecision] = ()


def record_name(kind: str, record_id: str) -> Localized:
    """A record as a message names it: "巡查检查 XJ-2025-0001"."""
    known = KINDS.get(kind)
    return Localized(zh=f"{known.label('zh') if known else kind[:32]} {record_id[:64]}",
                     en=f"{known.label('en') if known else kind[:32]} {record_id[:64]}")


def field_name(kind: str, name: str) -> Localized:
    """A field as a message names it: its column's label ("整改完成日期")."""
    try:
        column = KINDS[kind].column(name)
    except KeyError:
        return Localized(zh=name[:40], en=name[:40])
    return Localized(zh=column.label("zh"), en=column.label("en"))


def allowed_codes(kind: str, name: str) -> list[str]:
    """The codes an enumerated field may take, in the import format's order."""
    return list(ZH_WORDS.get(name, {})) if AMENDABLE.get(kind, {}).get(name) == "enum" else []


def amend_value(kind: str, name: str, raw: Any, record_id: str = "") -> Any:
    """An amended value in the type its column has (None clears a date), or DecisionInvalid naming the record and
    the field: dates as YYYY-MM-DD, yes/no, amounts of at least 0, codes of the field's list (or their words)."""
    fields = AMENDABLE.get(kind, {})
    record, field = record_name(kind, record_id), field_name(kind, name)
    if name not in fields:
        raise DecisionInvalid("decision_field_not_amendable", record=record, field=field)
    kind_of = fields[name]
    text = "" if raw is None else str(raw).strip()

    def invalid(key: str, **more: Any) -> DecisionInvalid:
        return DecisionInvalid(key, record=record, field=field, value=text[:40], **more)

    if kind_of == "bool":
        if isinstance(raw, bool):
            return raw
        if text.lower() in ("true", "1", "是", "yes"):
            return True
        if text.lower() in ("false", "0", "否", "no"):
            return False
        raise invalid("decision_value_not_yes_no")
    if kind_of == "date":
        if not text:
            return None
        try:
            day = dt.date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise invalid("decision_value_not_date")
        if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
            raise invalid("decision_value_date_range", low=DATE_RANGE[0].isoformat(), high=DATE_RANGE[1].isoformat())
        return day
    if kind_of == "number":
        if isinstance(raw, bool):
            raise invalid("decision_value_not_number")
        try:
            number = float(text)
        except ValueError:
            raise invalid("decision_value_not_number") from None
        if not math.isfinite(number) or number < 0 or number > MAX_AMOUNT:
            raise invalid("decision_value_number_range", high=f"{MAX_AMOUNT:,.0f}")
        return number
    spelled = KINDS[kind].column(name).choices.get(text.casefold())
    if not text or spelled is None:
        raise invalid("decision_value_not_allowed", allowed="、".join(ZH_WORDS.get(name, {}).values()))
    return spelled


def _checked(decision: Decision, contested: list[tuple[str, str]],
             dates: Mapping[tuple[str, str], Mapping[str, Any]] | None = None) -> list[ItemDecision]:
    """The decision's items in the contested order, each value typed; DecisionInvalid names the record and field.
    ``dates``: the contested records' dates as imported, to refuse an amended date before the record's own."""
    by_record = {(i.kind, i.record_id): i for i in decision.items}
    missing = [f"{k}:{r}" for k, r in contested if (k, r) not in by_record]
    if missing:
        raise DecisionInvalid("decision_items_missing", records="、".join(missing[:5]))
    extra = [f"{k}:{r}" for k, r in by_record if (k, r) not in set(contested)]
    if extra:
        raise DecisionInvalid("decision_items_unknown", records="、".join(extra[:5]))
    items = []
    for row, (kind, record_id) in enumerate(contested, start=1):
        item = by_record[(kind, record_id)]
        record = record_name(kind, record_id)
        if not item.action:
            raise DecisionInvalid("decision_action_missing", row=row, record=record)
        if item.action not in ACTIONS:
            raise DecisionInvalid("decision_action_unknown", row=row, record=record, action=item.action[:20])
        changes = {name: amend_value(kind, name, value, record_id) for name, value in item.changes.items()} \
            if item.action == "amend" else {}
        if item.action == "amend" and not changes:
            raise DecisionInvalid("decision_amend_empty", row=row, record=record)
        _check_order(kind, record_id, changes, (dates or {}).get((kind, record_id)) or {})
        items.append(ItemDecision(kind, record_id, item.action, changes, item.finding.strip()[:2000]))
    if not decision.outcome:
        raise DecisionInvalid("decision_outcome_missing")
    if decision.outcome not in OUTCOMES:
        raise DecisionInvalid("decision_outcome_unknown", outcome=decision.outcome[:20])
    if not decision.reasons.strip():
        raise DecisionInvalid("decision_reasons_required")
    changed = any(i.action != "keep" for i in items)
    if decision.outcome == "rejected" and changed:
        raise DecisionInvalid("decision_rejected_changes")
    return items


def _check_order(kind: str, record_id: str, changes: Mapping[str, Any], row: Mapping[str, Any]) -> None:
    """An amended date may not be before the record's own date (as the import refuses it)."""
    for later, earlier in KINDS[kind].not_before if kind in KINDS else ():
        value, first = changes.get(later), row.get(earlier)
        if isinstance(value, dt.date) and isinstance(first, dt.date) and value < first:
            raise DecisionInvalid("decision_value_before", record=record_name(kind, record_id),
                                  field=field_name(kind, later), value=value.isoformat(),
                                  other=field_name(kind, earlier), first=first.isoformat())


def rescore(*, session: Session, cycle: Cycle, credit_code: str,
            decisions: Sequence[RecordDecision]) -> tuple[Any, dict[str, Any]]:
    """The company's explanation on the frozen snapshot with the decisions applied, with the frozen constants."""
    result, _inputs, methodology = standing.rate_amended(session=session, cycle=cycle, decisions=decisions)
    exp = explain(result, credit_code, methodology)
    return exp, exp.as_dict()


@dataclass(frozen=True)
class Preview:
    """What a decision would give, computed exactly as deciding does, with nothing written: the items as typed,
    the score and grade before and after, and both explanations (the stored one and the re-scored one)."""

    appeal_id: int
    items: Sequence[ItemDecision]
    score_before: float
    grade_before: str
    score_after: float
    grade_after: str
    before: dict[str, Any]  # the stored explanation
    after: dict[str, Any]  # the re-scored explanation

    @property
    def changed(self) -> bool:
        return (self.score_before, self.grade_before) != (self.score_after, self.grade_after)


def _prepare(*, session: Session, appeal_id: int, decision: Decision, lock: bool) -> tuple[Appeal, Cycle, Any,
                                                                                          list[ItemDecision], Any,
                                                                                          dict[str, Any]]:
    """Everything deciding needs, checked, and the re-scored explanation: (appeal, cycle, rating, items, exp, data).
    Reads only: the preview and the decision both come through here."""
    appeal = repository.appeal(session, appeal_id, for_update=lock)
    if appeal is None:
        raise NotFound("appeal_not_found", appeal_id=appeal_id)
    if appeal.status != "pending":
        raise Conflict("appeal_already_decided", appeal_id=appeal_id)
    cycle = cycles.get_cycle_or_raise(session=session, cycle_id=appeal.cycle_id, for_update=lock)
    if cycle.status != "publicized":
        raise Conflict("appeal_cycle_not_publicized", cycle_id=cycle.id)
    contested = [(i.kind, i.record_id) for i in repository.items(session, appeal.id)]
    amending = [(i.kind, i.record_id) for i in decision.items if i.action == "amend"]
    imported = facts.imported_records(session=session, cycle=cycle, credit_code=appeal.credit_code,
                                      keys=amending, points={}) if amending else {}
    items = _checked(decision, contested, {key: fact.fields for key, fact in imported.items()})
    rating = cycles_repo.rating(session, cycle_id=cycle.id, credit_code=appeal.credit_code)
    if rating is None:
        raise NotFound("rating_not_found", cycle_id=cycle.id, code=appeal.credit_code)
    exp, data = rescore(session=session, cycle=cycle, credit_code=appeal.credit_code,
                        decisions=[*facts.decided_items(session, cycle.id), *items])
    return appeal, cycle, rating, items, exp, data


def preview_decision(*, session: Session, appeal_id: int, decision: Decision) -> Preview:
    """The decision's result without deciding: the same checks and the same re-scoring as ``decide_appeal``, and
    nothing written (no row is changed or added; the caller's session may be read-only)."""
    appeal, _cycle, rating, items, exp, data = _prepare(session=session, appeal_id=appeal_id, decision=decision,
                                                        lock=False)
    return Preview(appeal_id=appeal.id, items=items, score_before=rating.score, grade_before=rating.grade,
                   score_after=exp.score, grade_after=exp.grade, before=json.loads(rating.explanation),
                   after=json.loads(json.dumps(data)))


def decide_appeal(*, session: Session, appeal_id: int, actor: str, decision: Decision,
                  expected: tuple[float, str] | None = None) -> Appeal:
    """Decide and re-score. ``expected``: the score and grade a preview showed; when the re-scoring now gives
    anything else (another decision came in between), nothing is written (Conflict)."""
    appeal, cycle, rating, items, exp, data = _prepare(session=session, appeal_id=appeal_id, decision=decision,
                                                       lock=True)
    if expected is not None and (round(float(expected[0]), 1), expected[1]) != (round(exp.score, 1), exp.grade):
        raise Conflict("decision_preview_stale", score=f"{exp.score:.1f}", grade=exp.grade)
    before = (rating.score, rating.grade)
    rating.score, rating.grade, rating.band_grade, rating.bonus = exp.score, exp.grade, exp.band_grade, exp.bonus
    rating.veto, rating.provisional, rating.red_list, rating.black_list = \
        exp.veto, exp.provisional, exp.red_list, exp.black_list
    rating.exposure, rating.visits = exp.exposure, exp.visits
    rating.explanation = json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    by_record = {(i.kind, i.record_id): i for i in items}
    for row in repository.items(session, appeal.id):
        item = by_record[(row.kind, row.record_id)]
        row.action = item.action
        row.amendment = json.dumps(_plain(item.changes), ensure_ascii=False) if item.changes else None
        row.finding = item.finding or None
    appeal.status = "decided"
    appeal.outcome = decision.outcome
    appeal.decision_reasons = decision.reasons.strip()[:5000]
    appeal.decided_at = dt.datetime.now(dt.UTC)
    appeal.decided_by = actor
    appeal.score_after, appeal.grade_after = exp.score, exp.grade
    cycles.disclosure_changed(session=session, cycle=cycle)
    session.flush()
    _issue_documents(session=session, cycle=cycle, appeal=appeal, rating_name=rating.name, items=items,
                     actor=actor, before=before)
    audit.record(session, "appeal.decide", actor=actor, entity_kind="appeal", entity_id=str(appeal.id),
                 reason=appeal.decision_reasons,
                 payload={"cycle_id": cycle.id, "credit_code": appeal.credit_code, "outcome": decision.outcome,
                          "items": [{"record": f"{i.kind}:{i.record_id}", "action": i.action,
                                     "changes": _plain(i.changes)} for i in items],
                          "before": {"score": before[0], "grade": before[1]},
                          "after": {"score": exp.score, "grade": exp.grade}})
    return appeal


FIELD_WORDS = {"severity": "问题等级", "rectified_on": "整改完成日期", "substantiated": "是否属实",
               "resolved_on": "办结日期", "violation_type": "违规类型", "amount_yuan": "金额（元）",
               "refunded": "是否已退还", "kind": "事项类型"}


def _worded(value: Any, name: str = "") -> str:
    """A value as the decision record says it: yes/no, a code by its word (一般, not minor), blank as 空."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return "空" if value is None else ZH_WORDS.get(name, {}).get(str(value), str(value))


SCOPE_WORDS = {"records": "对记录的异议", "calculation": "对计算的异议"}


def _issue_documents(*, session: Session, cycle: Cycle, appeal: Appeal, rating_name: str | None,
                     items: Sequence[ItemDecision], actor: str, before: tuple[float, str]) -> None:
    """The decision record, and a revised notice when the score or grade changed (both rendered on download).

    The record is numbered first; the revised notice names it, and the record names the revised notice.
    """
    today = clock.local_today()
    numbered = notices.take_number(session, today)
    revised = None
    if (appeal.score_after, appeal.grade_after) != before:
        revised = notices.issue_revised_notice(session=session, cycle=cycle, credit_code=appeal.credit_code,
                                               actor=actor, issue_date=today, previous_score=before[0],
                                               previous_grade=before[1], decision_doc_number=numbered.number)
        appeal.revised_notice_id = revised.id

    def detail(item: ItemDecision) -> str:
        parts = [f"{FIELD_WORDS.get(name, name)}改为{_worded(value, name)}"
                 for name, value in _plain(item.changes).items()]
        return "；".join([*parts, *([item.finding] if item.finding else [])]) or "—"

    contests = {(row.kind, row.record_id): row.contest for row in repository.items(session, appeal.id)}
    contest_note = translate("appeal_item_attribution", "zh")
    record = AppealRecord(
        issuer=notices.issuer(), doc_number=numbered.number, issue_date=today,
        company_name=rating_name or appeal.credit_code, credit_code=appeal.credit_code, cycle_name=cycle.name,
        appeal_id=appeal.id, filed_on=appeal.filed_on, scope=SCOPE_WORDS[appeal.scope], grounds=appeal.grounds,
        items=[ContestedItem(record=f"{KINDS[i.kind].zh if i.kind in KINDS else i.kind} {i.record_id}"
                             + (contest_note if contests.get((i.kind, i.record_id)) == "attribution" else ""),
                             decision=ItemAction(i.action).label("zh"), detail=detail(i)) for i in items],
        outcome=AppealOutcome(appeal.outcome or "rejected").label("zh"), reasons=appeal.decision_reasons or "",
        score_before=f"{before[0]:.1f}", grade_before=before[1],
        score_after=f"{appeal.score_after:.1f}", grade_after=appeal.grade_after or "",
        revised_notice=revised.doc_number if revised else None, verification_code=numbered.code)
    document = notices.add_appeal_record(session=session, cycle=cycle, credit_code=appeal.credit_code,
                                         numbered=numbered, record=record, actor=actor)
    appeal.decision_document_id = document.id
    session.flush()


def _plain(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in changes.items()}
