"""Credit repair (信用修复): the names of its values, its messages and the words of its pages and documents.

Sections by owner (each lane appends to its own section, at the end of its dict): ``# -- core``, ``# -- pages``,
``# -- docs``, ``# -- public``, ``# -- api``.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # rating_service.repair.models.RepairStatus
    "repair_status.submitted": {"zh": "待受理", "en": "Waiting for acceptance"},
    "repair_status.accepted": {"zh": "已受理，待决定", "en": "Accepted, waiting for the decision"},
    "repair_status.repaired": {"zh": "已修复", "en": "Repaired"},
    "repair_status.refused": {"zh": "未予修复", "en": "Refused"},
    # rating_service.repair.models.RepairMark
    "repair_mark.black_list": {"zh": "列入黑榜", "en": "Black list"},
    "repair_mark.veto": {"zh": "一票否决", "en": "Veto"},
    "repair_mark.records": {"zh": "不良记录", "en": "Adverse records"},
    # rating_service.repair.models.RefusalStage
    "refusal_stage.acceptance": {"zh": "不予受理", "en": "Not accepted"},
    "refusal_stage.decision": {"zh": "不予修复", "en": "Repair refused"},
    # rating_service.repair.models.BreachStatus
    "breach_status.flagged": {"zh": "待核实", "en": "To be checked"},
    "breach_status.confirmed": {"zh": "已确认违反承诺", "en": "Breach confirmed"},
    "breach_status.dismissed": {"zh": "经核实不构成违反承诺", "en": "Not a breach"},
    # repair severities and conditions (scoring.methodology.REPAIR_SEVERITIES, REPAIR_CONDITIONS)
    "repair_severity.general": {"zh": "一般失信行为", "en": "General breach of trust"},
    "repair_severity.serious": {"zh": "严重失信行为", "en": "Serious breach of trust"},
    "repair_condition.rectified": {"zh": "已完成整改并提供证明材料", "en": "The conduct is corrected, with evidence"},
    "repair_condition.penalty_fulfilled": {"zh": "已履行处罚决定等法定义务", "en": "The penalty and other duties are fulfilled"},
    "repair_condition.commitment_signed": {"zh": "已签署信用承诺书", "en": "The credit commitment is signed"},
    "repair_condition.no_new_same_kind": {"zh": "此后未再发生同类失信行为", "en": "No new breach of the same kind since"},
    # the public record of a repaired mark (repair.service.PublicRepair.note)
    "repair_public_note": {"zh": "已修复（{date}，{number}）", "en": "Repaired ({date}, {number})"},
    "repair_public_breach": {"zh": "；{date}经核实违反信用承诺", "en": "; commitment breached, confirmed {date}"},
    # -- core
    # -- pages
    # -- docs
    # -- public
    # -- api
}

# The words of the repair pages (company request and status, officer queue and review): key -> {"zh", "en"}.
PAGE_TEXT: dict[str, dict[str, str]] = {
    "title": {"zh": "信用修复", "en": "Credit repair"},
    # -- pages
}
