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
from collections.abc import Sequence
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
from rating_service.i18n import translate
from rating_service.notices import service as notices
from rating_service.records.formats import KINDS
from reports.model import AppealRecord, ContestedItem
from scoring.amend import RecordDecision
from scoring.explain import explain

# What a decision may change in a contested record (the rest is the inspector's or the hotline's record).
AMENDABLE: dict[str, dict[str, str]] = {
    "inspections": {"severity": "text", "rectified_on": "date"},
    "complaints": {"substantiated": "bool", "resolved_on": "date"},
    "fee_violations": {"violation_type": "text", "amount_yuan": "number", "refunded": "bool"},
    "major_events": {"kind": "text"},
}
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


def _value(kind: str, name: str, raw: Any, row: int) -> Any:
    """An amended value in the type its column has (None clears a date)."""
    fields = AMENDABLE.get(kind, {})
    if name not in fields:
        raise DecisionInvalid("decision_field_not_amendable", row=row, field=name[:40], kind=kind)
    kind_of = fields[name]
    try:
        if kind_of == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("true", "1", "是", "yes"):
                return True
            if text in ("false", "0", "否", "no"):
                return False
            raise ValueError(raw)
        if kind_of == "date":
            return None if raw in (None, "") else dt.date.fromisoformat(str(raw))
        if kind_of == "number":
            return float(raw)
        return str(raw).strip()[:64]
    except (TypeError, ValueError):
        raise DecisionInvalid("decision_value_invalid", row=row, field=name, value=str(raw)[:40]) from None


def _checked(decision: Decision, contested: list[tuple[str, str]]) -> list[ItemDecision]:
    if decision.outcome not in OUTCOMES:
        raise DecisionInvalid("decision_outcome_unknown", outcome=decision.outcome[:20])
    if not decision.reasons.strip():
        raise DecisionInvalid("decision_reasons_required")
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
        if item.action not in ACTIONS:
            raise DecisionInvalid("decision_action_unknown", row=row, action=item.action[:20])
        changes = {name: _value(kind, name, value, row) for name, value in item.changes.items()} \
            if item.action == "amend" else {}
        if item.action == "amend" and not changes:
            raise DecisionInvalid("decision_amend_empty", row=row)
        items.append(ItemDecision(kind, record_id, item.action, changes, item.finding.strip()[:2000]))
    changed = any(i.action != "keep" for i in items)
    if decision.outcome == "rejected" and changed:
        raise DecisionInvalid("decision_rejected_changes")
    return items


def rescore(*, session: Session, cycle: Cycle, credit_code: str,
            decisions: Sequence[RecordDecision]) -> tuple[Any, dict[str, Any]]:
    """The company's explanation on the frozen snapshot with the decisions applied, with the frozen constants."""
    result, _inputs, methodology = standing.rate_amended(session=session, cycle=cycle, decisions=decisions)
    exp = explain(result, credit_code, methodology)
    return exp, exp.as_dict()


def decide_appeal(*, session: Session, appeal_id: int, actor: str, decision: Decision) -> Appeal:
    appeal = repository.appeal(session, appeal_id, for_update=True)
    if appeal is None:
        raise NotFound("appeal_not_found", appeal_id=appeal_id)
    if appeal.status != "pending":
        raise Conflict("appeal_already_decided", appeal_id=appeal_id)
    cycle = cycles.get_cycle_or_raise(session=session, cycle_id=appeal.cycle_id, for_update=True)
    if cycle.status != "publicized":
        raise Conflict("appeal_cycle_not_publicized", cycle_id=cycle.id)
    contested = [(i.kind, i.record_id) for i in repository.items(session, appeal.id)]
    items = _checked(decision, contested)
    rating = cycles_repo.rating(session, cycle_id=cycle.id, credit_code=appeal.credit_code)
    if rating is None:
        raise NotFound("rating_not_found", cycle_id=cycle.id, code=appeal.credit_code)

    exp, data = rescore(session=session, cycle=cycle, credit_code=appeal.credit_code,
                        decisions=[*facts.decided_items(session, cycle.id), *items])
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


def _worded(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "空" if value is None else str(value)


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
        parts = [f"{FIELD_WORDS.get(name, name)}改为{_worded(value)}" for name, value in _plain(item.changes).items()]
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
