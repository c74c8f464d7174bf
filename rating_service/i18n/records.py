"""Messages of managing stored records."""

MESSAGES: dict[str, dict[str, str]] = {
    # records
    "delete_kind_refused": {
        "zh": "只能删除事件记录（巡查、投诉、收费违规、表彰、重大事项），不能删除“{kind}”。",
        "en": "Only event records (inspections, complaints, fee violations, commendations, major events) can be "
              "deleted, not '{kind}'.",
    },
    "reason_required": {"zh": "请填写原因。", "en": "A reason is required."},
    "record_not_found": {"zh": "未找到{kind}记录：{record_id}", "en": "No {kind} record {record_id}."},
}
