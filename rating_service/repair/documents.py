"""The documents of credit repair: the company's 信用承诺书 (signed in the request form, kept as data and rendered
the same every time) and the bureau's numbered, verifiable 信用修复决定书 (docs/repair.md).

Every line is worded here from codes (the mark, the record kinds, the methodology's words for fee types and
event kinds, the conditions); no person is named: the bureau decides, the company applies. No web types.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rating_service.companies.models import Company
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles.models import Cycle
from rating_service.i18n import Lang, translate
from rating_service.methodologies import service as methodologies
from rating_service.notices import repository as notices_repo
from rating_service.notices import service as notices
from rating_service.notices.models import Document
from rating_service.records.models import FeeViolation, MajorEvent
from rating_service.repair import repository
from rating_service.repair.models import RefusalStage, RepairAttachment, RepairItem, RepairMark, RepairRequest
from rating_service.settings import to_local
from reports.model import Commitment, RepairDecision, as_payload, from_payload
from scoring.methodology import REPAIR_CONDITIONS, Methodology

COMMITMENT_PARAGRAPHS = ("repair_commitment_p1", "repair_commitment_p2", "repair_commitment_p3",
                         "repair_commitment_p4", "repair_commitment_p5")
# The words of a record's type, by record kind: the methodology's `words:` section.
TYPE_WORDS = {"fee_violations": "fee_types", "major_events": "event_kinds"}


def _day(value: dt.date, lang: Lang) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if lang == "zh" else value.isoformat()


# -- 信用承诺书 ------------------------------------------------------------------------------------------------

def commitment_paragraphs(*, company_name: str, mark_label: str, cycle_name: str, commitment_months: int,
                          lang: Lang = "zh") -> list[str]:
    """The undertakings of the 信用承诺书, the catalogue's text filled in (the form shows the same words)."""
    return [translate(key, lang, company=company_name, mark=mark_label, cycle=cycle_name, months=commitment_months)
            for key in COMMITMENT_PARAGRAPHS]


def commitment_for(*, company_name: str, credit_code: str, cycle_name: str, request_id: int, mark_label: str,
                   commitment_months: int, signed_at: dt.datetime, lang: Lang = "zh") -> Commitment:
    """The commitment as signed (frozen into ``RepairRequest.commitment_payload`` at filing)."""
    local = to_local(signed_at).replace(microsecond=0)
    return Commitment(
        issuer=notices.issuer(), company_name=company_name, credit_code=credit_code, cycle_name=cycle_name,
        request_id=request_id, mark=mark_label,
        paragraphs=commitment_paragraphs(company_name=company_name, mark_label=mark_label, cycle_name=cycle_name,
                                         commitment_months=commitment_months, lang=lang),
        commitment_months=commitment_months, signed_on=local.date(), signed_at=local.isoformat(),
        issue_date=local.date(), doc_number="", lang=lang)


def commitment_payload(commitment: Commitment) -> str:
    """The JSON kept in ``RepairRequest.commitment_payload``."""
    return json.dumps(as_payload(commitment), ensure_ascii=False)


def commitment_pdf(*, request: RepairRequest) -> bytes:
    """The signed commitment as PDF, rendered from its payload. The first render stores its SHA-256 on the
    request; a later render that hashes differently raises `DocumentIntegrityError` (the letter as signed must
    never change)."""
    from reports.render import render, sha256

    commitment = from_payload(json.loads(request.commitment_payload))
    if not isinstance(commitment, Commitment):
        raise notices.DocumentIntegrityError(
            "document_hash_mismatch", number=translate("repair_commitment_name", "zh", request_id=request.id))
    data = render(commitment)
    digest = sha256(data)
    if request.commitment_sha256 is None:
        request.commitment_sha256 = digest
    elif request.commitment_sha256 != digest:
        raise notices.DocumentIntegrityError(
            "document_hash_mismatch", number=translate("repair_commitment_name", "zh", request_id=request.id))
    return data


# -- 信用修复决定书 ----------------------------------------------------------------------------------------------

def company_name(session: Session, *, cycle_id: int, credit_code: str) -> str:
    """The company's name as the cycle rated it, else as registered, else its credit code."""
    rating = cycles_repo.rating(session, cycle_id=cycle_id, credit_code=credit_code)
    if rating is not None and rating.name:
        return rating.name
    company = session.get(Company, credit_code)
    return company.name if company is not None and company.name else credit_code


def _type_words(methodology: Methodology, kind: str, subtype: str | None, lang: Lang) -> str | None:
    section = TYPE_WORDS.get(kind)
    if section is None or not subtype:
        return None
    try:
        return methodology.name(section, subtype, lang)
    except (KeyError, AttributeError):
        return None  # a code the words do not know is left out, never printed


def record_line(item: RepairItem, methodology: Methodology, lang: Lang, document_no: str | None = None) -> str:
    """「收费违规记录WG2024-002（2024年2月28日，超标准收费，枞住建罚〔2024〕10号）」: kind, number, date, type in
    words and the decision's number when the record has one."""
    kind = translate(f"record_kind.{item.kind}", lang)
    details = [_day(item.record_date, lang) if item.record_date is not None else None,
               _type_words(methodology, item.kind, item.subtype, lang), document_no]
    detail = ("，" if lang == "zh" else ", ").join(d for d in details if d)
    if detail:
        return translate("repair_doc_marked_record", lang, kind=kind, record_id=item.record_id, detail=detail)
    return translate("repair_doc_marked_record_bare", lang, kind=kind, record_id=item.record_id)


def _document_numbers(session: Session, items: list[RepairItem]) -> dict[tuple[str, str], str]:
    """(kind, record id) -> the number of the decision behind the record (a penalty, a finding), when recorded."""
    out: dict[tuple[str, str], str] = {}
    for kind, model in (("fee_violations", FeeViolation), ("major_events", MajorEvent)):
        ids = [item.record_id for item in items if item.kind == kind]
        if ids:
            query = select(model.record_id, model.document_no).where(model.record_id.in_(ids))
            out.update({(kind, rid): number for rid, number in session.execute(query) if number})
    return out


def _checks(request: RepairRequest) -> list[dict[str, Any]]:
    """The checks made at filing (``eligibility`` JSON); without them, the rules' conditions as declared."""
    try:
        stored = json.loads(request.eligibility or "{}")
    except ValueError:
        stored = {}
    checks = stored.get("checks") if isinstance(stored, dict) else None
    if isinstance(checks, list) and checks:
        return [c for c in checks if isinstance(c, dict) and isinstance(c.get("code"), str)]
    try:
        declared = json.loads(request.conditions or "{}")
    except ValueError:
        declared = {}
    return [{"code": code, "ok": bool(declared.get(code)) or code == "commitment_signed", "params": {}}
            for code in REPAIR_CONDITIONS]


def condition_lines(request: RepairRequest, lang: Lang) -> list[list[str]]:
    """[condition, finding] worded, in the order of the checks (the rules' order): the minimum publicity first."""
    met, not_met = translate("repair_doc_met", lang), translate("repair_doc_not_met", lang)
    lines = [[translate("repair_doc_min_publicity", lang, date=_day(request.earliest_on, lang)),
              met if request.filed_on >= request.earliest_on else not_met]]
    for check in _checks(request):
        code, ok = check["code"], bool(check.get("ok"))
        if code == "too_early":
            continue  # the minimum publicity line above says it
        if code in REPAIR_CONDITIONS:
            label = translate(f"repair_condition.{code}", lang)
        else:
            label = translate(f"repair_doc_check.{code}", lang)
            if label == f"repair_doc_check.{code}":
                continue  # a check the documents have no words for is not printed as a code
        if code == "commitment_signed" and ok:
            finding = translate("repair_doc_met_signed", lang,
                                date=_day(to_local(request.commitment_signed_at).date(), lang))
        else:
            finding = met if ok else not_met
        lines.append([label, finding])
    return lines


def outcome_of(request: RepairRequest, lang: Lang) -> str:
    if request.status == "repaired":
        return translate("repair_doc_outcome_repaired", lang)
    return RefusalStage(request.refused_stage or "decision").label(lang)


def effects_of(*, request: RepairRequest, cycle_name: str, mark_label: str, records: list[str], number: str,
               rules_counted: bool, lang: Lang) -> list[str]:
    """What the decision does, precisely: the public record from ``repaired_on``, the rating kept, the
    commitment; a refusal: from when a new request may be filed."""
    if request.status != "repaired":
        refile = request.refile_from or request.decided_on or request.filed_on
        return [translate("repair_doc_effect_refile", lang, cycle=cycle_name, mark=mark_label,
                          date=_day(refile, lang))]
    assert request.repaired_on is not None
    day = _day(request.repaired_on, lang)
    note = translate("repair_public_note", lang, date=day, number=number)  # as PublicRepair.note words it
    effects = []
    if request.mark in ("black_list", "veto"):
        effects.append(translate("repair_doc_effect_leaves", lang, date=day, cycle=cycle_name, note=note))
    if request.mark == "veto":
        effects.append(translate("repair_doc_effect_veto", lang, date=day, cycle=cycle_name))
    if request.mark == "records" and records:
        separator = "、" if lang == "zh" else "; "
        effects.append(translate("repair_doc_effect_records", lang, date=day, records=separator.join(records),
                                 note=note))
    effects.append(translate("repair_doc_effect_rating_kept", lang, cycle=cycle_name))
    effects.append(translate("repair_doc_effect_counted" if rules_counted else "repair_doc_effect_not_counted", lang))
    if request.commitment_until is not None:
        effects.append(translate("repair_doc_effect_commitment", lang, date=_day(request.commitment_until, lang)))
    return effects


def decision_for(*, session: Session, request: RepairRequest, number: str, code: str, issue_date: dt.date,
                 lang: Lang = "zh") -> RepairDecision:
    """The decision on a request whose outcome fields are set, worded from the request, its records and
    evidence, the cycle, the company, its notice and the methodology's repair rules."""
    cycle = session.get(Cycle, request.cycle_id)
    assert cycle is not None
    methodology = methodologies.find(session, request.methodology_id)
    rules = methodology.repair_rules()
    items = repository.items_of(session, [request.id])[request.id]
    attachments = session.scalars(select(RepairAttachment).where(RepairAttachment.request_id == request.id)
                                  .order_by(RepairAttachment.id)).all()
    notice = notices_repo.latest_notice(session, cycle_id=request.cycle_id, credit_code=request.credit_code)
    mark_label = RepairMark(request.mark).label(lang)
    numbers = _document_numbers(session, items)
    records = [record_line(item, methodology, lang, numbers.get((item.kind, item.record_id))) for item in items]
    marked = [translate("repair_doc_marked_mark", lang, cycle=cycle.name, mark=mark_label,
                        severity=translate(f"repair_severity.{request.severity}", lang),
                        date=_day(request.publicity_from, lang)), *records]
    title = methodology.title if lang == "zh" else (methodology.title_en or methodology.title)
    basis = translate("repair_doc_basis", lang, basis=rules.basis, methodology=title, id=methodology.id)
    repaired = request.status == "repaired"
    return RepairDecision(
        issuer=notices.issuer(), doc_number=number, issue_date=issue_date,
        company_name=company_name(session, cycle_id=request.cycle_id, credit_code=request.credit_code),
        credit_code=request.credit_code, cycle_name=cycle.name, request_id=request.id, filed_on=request.filed_on,
        mark=mark_label, marked=marked, original_notice=notice.doc_number if notice is not None else None,
        statement=request.statement, evidence=[a.filename for a in attachments],
        conditions=condition_lines(request, lang),
        verification_note=request.verification_note or None, outcome=outcome_of(request, lang),
        repaired=repaired, reasons=request.reasons or outcome_of(request, lang),
        effects=effects_of(request=request, cycle_name=cycle.name, mark_label=mark_label, records=records,
                           number=number, rules_counted=rules.counted_after_repair, lang=lang),
        repaired_on=request.repaired_on if repaired else None,
        commitment_until=request.commitment_until if repaired else None,
        refile_from=None if repaired else request.refile_from,
        basis=basis, verification_code=code, lang=lang)


def issue_decision(*, session: Session, request: RepairRequest, actor: str, issue_date: dt.date) -> Document:
    """Number, word and store the 信用修复决定书 of a decided request (its outcome fields already set by the
    caller, who then sets ``request.decision_document_id``)."""
    numbered = notices.take_number(session, issue_date)
    decision = decision_for(session=session, request=request, number=numbered.number, code=numbered.code,
                            issue_date=issue_date)
    return notices.add_repair_decision(session=session, cycle_id=request.cycle_id,
                                       credit_code=request.credit_code, numbered=numbered, decision=decision,
                                       actor=actor)
