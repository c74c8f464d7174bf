"""The Chinese and English names of values: cycle states and actions, roles, appeal statuses, outcomes and item
actions, personal-data kinds, document kinds, record kinds, readiness checks.

A value type's ``label(lang)`` (see ``rating_service.i18n.LabelledEnum``) reads the entry ``<type>.<value>``.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # rating_service.cycles.models.CycleState
    "cycle_state.draft": {"zh": "草稿", "en": "draft"},
    "cycle_state.computed": {"zh": "已计算", "en": "computed"},
    "cycle_state.publicized": {"zh": "公示中", "en": "publicized"},
    "cycle_state.finalized": {"zh": "已终评", "en": "finalized"},
    # rating_service.cycles.models.CycleAction
    "cycle_action.compute": {"zh": "计算", "en": "compute"},
    "cycle_action.publicize": {"zh": "公示", "en": "publicize"},
    "cycle_action.finalize": {"zh": "定稿", "en": "finalize"},
    # rating_service.accounts.models.Role
    "role.admin": {"zh": "管理员", "en": "administrator"},
    "role.officer": {"zh": "业务人员", "en": "officer"},
    "role.company": {"zh": "物业服务企业", "en": "property company"},
    # rating_service.records.personal_data.PersonalDataKind: what is found in a value, as an import error names it
    "personal_data_kind.mobile": {"zh": "手机号码", "en": "a mobile phone number"},
    "personal_data_kind.landline": {"zh": "固定电话号码", "en": "a landline phone number"},
    "personal_data_kind.id_number": {"zh": "身份证号码", "en": "a resident ID number"},
    "personal_data_kind.email": {"zh": "电子邮箱地址", "en": "an e-mail address"},
    "personal_data_kind.bank_card": {"zh": "银行卡号", "en": "a bank card number"},
    # rating_service.appeals.models.AppealStatus
    "appeal_status.pending": {"zh": "待处理", "en": "Pending"},
    "appeal_status.decided": {"zh": "已处理", "en": "Decided"},
    # rating_service.appeals.models.AppealOutcome: one wording for the pages and the decision record (the record
    # is Chinese: an official document)
    "appeal_outcome.upheld": {"zh": "异议成立", "en": "Upheld"},
    "appeal_outcome.partly_upheld": {"zh": "异议部分成立", "en": "Partly upheld"},
    "appeal_outcome.rejected": {"zh": "驳回异议", "en": "Rejected"},
    # rating_service.appeals.models.ItemAction
    "item_action.void": {"zh": "撤销", "en": "Void"},
    "item_action.amend": {"zh": "更正", "en": "Amend"},
    "item_action.keep": {"zh": "维持", "en": "Keep"},
    # rating_service.notices.models.DocumentKind
    "document_kind.notice": {"zh": "信用评价结果告知书", "en": "Rating notice"},
    "document_kind.revised_notice": {"zh": "信用评价结果告知书（更正）", "en": "Revised rating notice"},
    "document_kind.bulletin": {"zh": "信用评价结果公示名单", "en": "Public list of ratings"},
    "document_kind.appeal_record": {"zh": "异议处理决定书", "en": "Appeal decision"},
    "document_kind.repair_decision": {"zh": "信用修复决定书", "en": "Credit repair decision"},
    # rating_service.records.formats.RecordKind (KINDS)
    "record_kind.companies": {"zh": "企业", "en": "Companies"},
    "record_kind.communities": {"zh": "小区", "en": "Communities"},
    "record_kind.contracts": {"zh": "物业服务合同", "en": "Management contracts"},
    "record_kind.inspections": {"zh": "巡查检查", "en": "Inspections"},
    "record_kind.complaints": {"zh": "投诉工单", "en": "Complaints"},
    "record_kind.fee_violations": {"zh": "收费违规", "en": "Fee violations"},
    "record_kind.commendations": {"zh": "表彰", "en": "Commendations"},
    "record_kind.major_events": {"zh": "重大事项", "en": "Major events"},
    # rating_service.web.health.Check: what the readiness probe checks
    "check.database": {"zh": "数据库", "en": "database"},
    "check.migrations": {"zh": "数据库结构版本", "en": "schema version"},
    "check.documents": {"zh": "文书目录", "en": "documents folder"},
    "check.attachments": {"zh": "附件目录", "en": "attachments folder"},
}
