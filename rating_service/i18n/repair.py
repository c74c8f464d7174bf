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
    # the 信用承诺书's undertakings (repair.documents.commitment_paragraphs): the catalogue text, filled in
    "repair_commitment_p1": {
        "zh": "本企业对{cycle}信用评价中{mark}所涉失信行为已完成整改，所提交的申请材料和证明材料真实、准确、完整；"
              "如有虚假，本企业自愿承担相应法律责任，接受撤销修复决定，并接受依规限制再次申请信用修复。",
        "en": "The company has corrected the conduct behind its mark ({mark}) in the {cycle} credit rating; the request "
              "and its evidence are true, accurate and complete. If anything is false, the company accepts the legal "
              "consequences, the withdrawal of the repair decision and the limits on any new request.",
    },
    "repair_commitment_p2": {
        "zh": "本企业已履行行政处罚决定、整改通知等确定的法定义务，涉及退还费用的已全额退还。",
        "en": "The company has fulfilled the penalty decisions, rectification notices and other duties set for it, "
              "and refunded in full any fees it had to refund.",
    },
    "repair_commitment_p3": {
        "zh": "自信用修复决定作出之日起{months}个月内，本企业严格遵守物业服务管理法律法规和物业服务合同约定，"
              "不再发生同类失信行为。",
        "en": "For {months} months from the repair decision, the company will keep the laws and rules on property "
              "services and its service contracts, and commit no new breach of the same kind.",
    },
    "repair_commitment_p4": {
        "zh": "承诺期内如再次发生同类失信行为，本企业同意主管部门核实后在信用信息公示中予以注明，并依法依规接受相应处理。",
        "en": "If a breach of the same kind occurs within that period, the company agrees that the bureau, once it has "
              "confirmed it, notes the breach in the published credit record and deals with it under the rules.",
    },
    "repair_commitment_p5": {
        "zh": "本企业同意将本承诺书纳入企业信用档案并向社会公开承诺事项，接受主管部门和社会监督。",
        "en": "The company agrees that this commitment joins its credit file and that its undertakings are public, "
              "open to the bureau's and the public's scrutiny.",
    },
    "repair_commitment_name": {"zh": "信用修复申请{request_id}的信用承诺书", "en": "the commitment of repair request {request_id}"},
    # the 信用修复决定书's lines (repair.documents.decision_for)
    "repair_doc_marked_mark": {"zh": "{cycle}信用评价{mark}（{severity}，公示自{date}起计算）",
                               "en": "{mark} in the {cycle} credit rating ({severity}; publicity counted from {date})"},
    "repair_doc_marked_record": {"zh": "{kind}记录{record_id}（{detail}）", "en": "{kind} record {record_id} ({detail})"},
    "repair_doc_marked_record_bare": {"zh": "{kind}记录{record_id}", "en": "{kind} record {record_id}"},
    "repair_doc_outcome_repaired": {"zh": "同意修复", "en": "Repair granted"},
    "repair_doc_met": {"zh": "符合", "en": "Met"},
    "repair_doc_not_met": {"zh": "不符合", "en": "Not met"},
    "repair_doc_met_signed": {"zh": "符合（{date}在线签署）", "en": "Met (signed online on {date})"},
    "repair_doc_min_publicity": {"zh": "最短公示期已届满（{date}起可申请）",
                                 "en": "The minimum publicity period has ended (requests from {date})"},
    "repair_doc_check.not_repairable": {"zh": "该事项属于可修复的失信信息", "en": "The mark can be repaired"},
    "repair_doc_check.request_open": {"zh": "同一事项无尚未办结的修复申请", "en": "No other open request for the same mark"},
    "repair_doc_check.refile_wait": {"zh": "已过前次申请被拒后的重新申请等待期",
                                     "en": "The waiting time after an earlier refusal has passed"},
    "repair_doc_check.barred": {"zh": "未因提供虚假材料被限制申请", "en": "Not barred for false material"},
    "repair_doc_effect_leaves": {
        "zh": "自{date}起，你单位不再列入{cycle}信用评价黑榜，公示信息中标注“{note}”。",
        "en": "From {date} your company is no longer on the {cycle} black list; the published record reads \"{note}\".",
    },
    "repair_doc_effect_veto": {
        "zh": "自{date}起，{cycle}信用评价中一票否决事项的具体内容不再公示。",
        "en": "From {date} the details of the veto in the {cycle} credit rating are no longer published.",
    },
    "repair_doc_effect_records": {
        "zh": "自{date}起，以下记录的具体内容不再公示：{records}；公示信息中标注“{note}”。",
        "en": "From {date} the details of these records are no longer published: {records}; the published record "
              "reads \"{note}\".",
    },
    "repair_doc_effect_rating_kept": {
        "zh": "{cycle}的信用评价结果（得分和等级）不作变更，历史评价记录如实保留。",
        "en": "The {cycle} rating itself (score and grade) is not changed; the history stays as it was.",
    },
    "repair_doc_effect_counted": {
        "zh": "按照评价细则，已修复的失信信息仍计入其发生期间的信用评价。",
        "en": "Under the methodology, repaired marks and records still count in the rating of the period they "
              "occurred in.",
    },
    "repair_doc_effect_not_counted": {
        "zh": "按照评价细则，此后计算的信用评价不再计入已修复的失信信息。",
        "en": "Under the methodology, ratings computed after this decision leave the repaired marks and records out.",
    },
    "repair_doc_effect_commitment": {
        "zh": "你单位作出的信用承诺有效期至{date}。承诺期内再次发生同类失信行为的，经核实后将在信用信息公示中予以注明。",
        "en": "Your company's credit commitment binds until {date}. A breach of the same kind within that period, once "
              "confirmed, is noted in the published credit record.",
    },
    "repair_doc_effect_refile": {
        "zh": "{cycle}信用评价中{mark}的公示不因本申请而改变。你单位可自{date}起重新提出信用修复申请。",
        "en": "The publicity of the {mark} in the {cycle} credit rating is unchanged. Your company may file a new "
              "repair request from {date}.",
    },
    "repair_doc_basis": {"zh": "{basis}；《{methodology}》（{id}）", "en": "{basis}; {methodology} ({id})"},
    # -- public
    # -- api
}

# The words of the repair pages (company request and status, officer queue and review): key -> {"zh", "en"}.
PAGE_TEXT: dict[str, dict[str, str]] = {
    "title": {"zh": "信用修复", "en": "Credit repair"},
    # -- pages
}
