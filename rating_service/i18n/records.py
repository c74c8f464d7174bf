"""Messages of managing stored records; the words of the import page (``PAGE_TEXT``)."""

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

PAGE_TEXT = {
    "imports_title": {"zh": "数据导入", "en": "Import records"},
    "imports_hint": {
        "zh": "选择数据类型并上传一个或多个 CSV / XLSX 文件。文件整体校验，有任何错误则不写入任何数据。"
              "请先导入企业、小区和合同，再导入巡查、投诉等记录。",
        "en": "Choose the kind of records and upload one or more CSV / XLSX files. Files are checked as a whole: "
              "with any error nothing is written. Import companies, communities and contracts before the records.",
    },
    "kind": {"zh": "数据类型", "en": "Kind"},
    "files": {"zh": "文件", "en": "Files"},
    "submit": {"zh": "导入", "en": "Import"},
    "busy": {"zh": "正在导入…", "en": "Importing…"},
    "done": {"zh": "导入完成。", "en": "Import finished."},
    "file": {"zh": "文件", "en": "File"},
    "format": {"zh": "格式", "en": "Format"},
    "rows": {"zh": "行数", "en": "Rows"},
    "inserted": {"zh": "新增", "en": "Inserted"},
    "updated": {"zh": "更新", "en": "Updated"},
    "unchanged": {"zh": "未变", "en": "Unchanged"},
    "dropped": {"zh": "已删除的个人信息列（未保存）", "en": "Personal-data columns dropped (not stored)"},
    "ignored": {"zh": "未识别的列（已忽略）", "en": "Unknown columns (ignored)"},
    "errors_title": {"zh": "错误明细", "en": "Errors"},
    "row": {"zh": "行", "en": "Row"},
    "column": {"zh": "列", "en": "Column"},
    "value": {"zh": "值", "en": "Value"},
    "reason": {"zh": "原因", "en": "Reason"},
    "recent": {"zh": "最近导入", "en": "Recent imports"},
    "batch": {"zh": "批次", "en": "Batch"},
    "imported_at": {"zh": "导入时间", "en": "Imported"},
    "imported_by": {"zh": "导入人", "en": "By"},
    "no_batches": {"zh": "尚未导入任何数据。", "en": "Nothing imported yet."},
}
