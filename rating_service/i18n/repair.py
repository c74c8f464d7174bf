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
    # the checks of a request besides the conditions (repair.rules.OTHER_CHECKS)
    "repair_check.not_repairable": {"zh": "属于可修复的失信信息", "en": "The mark may be repaired"},
    "repair_check.too_early": {"zh": "已满最短公示期", "en": "The minimum publicity period has passed"},
    "repair_check.request_open": {"zh": "同一事项没有尚未办结的申请", "en": "No open request for the same mark"},
    "repair_check.refile_wait": {"zh": "已过驳回后的重新申请等待期", "en": "The wait after a refusal has passed"},
    "repair_check.barred": {"zh": "未因提供虚假材料被限制申请", "en": "Not barred for false material"},
    # what a check found
    "repair_detail.too_early": {"zh": "最短公示期满之日：{date}", "en": "Minimum publicity ends on {date}"},
    "repair_detail.missing_declaration": {"zh": "未作声明", "en": "Not declared"},
    "repair_detail.missing_evidence": {"zh": "未上传证明材料", "en": "No evidence file attached"},
    "repair_detail.unsigned": {"zh": "未勾选承诺，或签名与企业登记名称不一致",
                               "en": "The box is not ticked, or the signature differs from the registered name"},
    "repair_detail.none_since": {"zh": "{date}之后没有同类失信记录", "en": "No record of the same kind after {date}"},
    "repair_detail.same_kind": {"zh": "{date}之后又有同类失信记录：{records}",
                                "en": "Records of the same kind after {date}: {records}"},
    "repair_detail.not_repairable": {"zh": "依评价细则，该类失信信息不可修复",
                                     "en": "The methodology does not allow this kind to be repaired"},
    "repair_detail.request_open": {"zh": "已有尚未办结的申请", "en": "A request is still open"},
    "repair_detail.refile_wait": {"zh": "{date}起可重新申请", "en": "A new request may be filed from {date}"},
    "repair_detail.barred": {"zh": "{date}前不得申请", "en": "No request before {date}"},
    # a filing refused by a failed check (the first one; the others come as details)
    "repair_refused.not_repairable": {"zh": "该失信信息依评价细则不可修复。",
                                      "en": "The methodology does not allow this mark to be repaired."},
    "repair_refused.too_early": {"zh": "最短公示期未满：{date}起方可申请信用修复。",
                                 "en": "The minimum publicity period has not passed: a request may be filed from "
                                       "{date}."},
    "repair_refused.rectified": {"zh": "“已完成整改”须勾选声明，并至少上传一份证明材料。",
                                 "en": "'Corrected' must be declared, with at least one evidence file."},
    "repair_refused.penalty_fulfilled": {"zh": "“已履行处罚决定等法定义务”须勾选声明，并至少上传一份证明材料。",
                                         "en": "'Penalty fulfilled' must be declared, with at least one evidence "
                                               "file."},
    "repair_refused.commitment_signed": {"zh": "须勾选“本企业作出以上承诺”，并在“签名”中填写与登记名称完全一致的企业全称"
                                               "（{name}）。",
                                         "en": "Tick 'We make the above commitment' and type the company's full "
                                               "registered name ({name}) as the signature."},
    "repair_refused.no_new_same_kind": {"zh": "{date}之后又有同类失信记录（{records}），暂不符合信用修复条件。",
                                        "en": "Records of the same kind after {date} ({records}): the request "
                                              "cannot be filed."},
    "repair_refused.request_open": {"zh": "该事项已有尚未办结的信用修复申请（第 {id} 号）。",
                                    "en": "An open repair request for this mark exists (no. {id})."},
    "repair_refused.refile_wait": {"zh": "该事项的信用修复申请未获同意，{date}起方可重新申请。",
                                   "en": "The last request for this mark was refused: a new one may be filed from "
                                         "{date}."},
    "repair_refused.barred": {"zh": "因提供虚假材料，{date}前不得申请信用修复。",
                              "en": "Because of false material, no repair request may be filed before {date}."},
    # other refusals, each naming the field
    "repair_company_only": {"zh": "只有企业用户可以申请信用修复。", "en": "Only a company may file a repair request."},
    "repair_not_found": {"zh": "信用修复申请不存在。", "en": "Repair request not found."},
    "repair_mark_unknown": {"zh": "“修复事项”应为：列入黑榜、一票否决或不良记录。",
                            "en": "'Mark' must be the black list, the veto or records."},
    "repair_not_your_mark": {"zh": "“修复事项”：本企业在{cycle}没有“{mark}”可申请修复。",
                             "en": "'Mark': the company has no '{mark}' in {cycle} to repair."},
    "repair_records_required": {"zh": "“不良记录”：请至少选择一条记录。", "en": "'Records': choose at least one."},
    "repair_too_many_records": {"zh": "“不良记录”：一次最多选择 {limit} 条。",
                                "en": "'Records': at most {limit} at a time."},
    "repair_record_not_yours": {"zh": "“不良记录”：记录 {record} 不是{cycle}计入本企业的收费违规或重大事项记录。",
                                "en": "'Records': {record} is not a fee violation or major event counted for the "
                                      "company in {cycle}."},
    "repair_records_one_kind": {"zh": "“不良记录”：一次申请只能选择同一类记录。",
                                "en": "'Records': one request covers records of one kind."},
    "repair_declared_unknown": {"zh": "“声明事项”不认识：{code}。", "en": "'Declared': unknown condition {code}."},
    "repair_evidence_required": {"zh": "“证明材料”：请至少上传一份整改证明材料（PDF、JPG 或 PNG）。",
                                 "en": "'Evidence': attach at least one file (PDF, JPG or PNG)."},
    "repair_text_required": {"zh": "“{field}”不能为空。", "en": "'{field}' is required."},
    "repair_text_too_long": {"zh": "“{field}”不能超过 {limit} 个字。", "en": "'{field}' is longer than {limit}."},
    "repair_personal_data": {"zh": "“{field}”中含有个人信息（{kinds}），请删除后再提交。",
                             "en": "'{field}' contains personal data ({kinds}): remove it and submit again."},
    "repair_status_unknown": {"zh": "“状态”不认识。", "en": "'Status' is unknown."},
    "repair_wrong_status": {"zh": "第 {request_id} 号申请当前为“{status}”，不能{action}。",
                            "en": "Request no. {request_id} is '{status}': it cannot be {action}."},
    "repair_new_same_kind": {"zh": "受理后又有同类失信记录（{records}），不能同意修复，请作出不予修复决定。",
                             "en": "A record of the same kind appeared after filing ({records}): refuse instead."},
    "repair_breach_not_found": {"zh": "违反承诺记录不存在。", "en": "Breach not found."},
    "repair_breach_decided": {"zh": "该记录已核实（{status}）。", "en": "This breach was already decided ({status})."},
    "repair_action.accept": {"zh": "受理", "en": "accepted"},
    "repair_action.refuse": {"zh": "驳回", "en": "refused"},
    "repair_action.decide": {"zh": "作出修复决定", "en": "decided"},
    "repair_field.statement": {"zh": "整改情况说明", "en": "Statement of the correction"},
    "repair_field.signature": {"zh": "签名", "en": "Signature"},
    "repair_field.reasons": {"zh": "理由", "en": "Reasons"},
    "repair_field.verification_note": {"zh": "现场核查情况", "en": "On-site verification"},
    "repair_field.accept_note": {"zh": "受理意见", "en": "Acceptance note"},
    "repair_field.breach_note": {"zh": "核实意见", "en": "Finding"},
    "repair_pd.phone": {"zh": "电话号码", "en": "phone number"},
    "repair_pd.id_number": {"zh": "身份证号码", "en": "ID number"},
    "repair_pd.bank_card": {"zh": "银行卡号", "en": "bank card number"},
    "repair_pd.email": {"zh": "电子邮箱", "en": "e-mail address"},
    "repair_pd.name": {"zh": "姓名", "en": "a person's name"},
    "repair_pd.house_number": {"zh": "门牌号", "en": "house number"},
    # a mark and its records in words
    "repair_mark_label": {"zh": "{cycle}{mark}", "en": "{cycle}: {mark}"},
    "repair_mark_label_records": {"zh": "{cycle}{mark}：{records}", "en": "{cycle}: {mark}: {records}"},
    "repair_record_line": {"zh": "{kind} {record}（{details}）", "en": "{kind} {record} ({details})"},
    "repair_detail_sep": {"zh": "，", "en": ", "},
    "repair_list_sep": {"zh": "；", "en": "; "},
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
