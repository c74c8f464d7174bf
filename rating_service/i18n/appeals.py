"""Messages of appeals and their decisions; the words of the appeal pages (``PAGE_TEXT``; the pages add the
value types' labels)."""

MESSAGES: dict[str, dict[str, str]] = {
    # appeals
    "appeal_company_only": {"zh": "只有物业服务企业可以提出异议申诉。", "en": "Only a property company can appeal."},
    "appeal_window_closed": {
        "zh": "异议申诉期已于 {deadline} 结束（今天是 {today}），不能再提出异议。",
        "en": "The appeal window closed on {deadline} (today is {today}); no appeal can be filed.",
    },
    "appeal_pending_exists": {
        "zh": "你单位已有一件待处理的异议（编号 {appeal_id}），请待其处理完毕后再提出。",
        "en": "Your company already has a pending appeal ({appeal_id}); wait for its decision.",
    },
    "appeal_grounds_required": {"zh": "请填写异议理由。", "en": "State the grounds of the appeal."},
    "appeal_grounds_too_long": {"zh": "异议理由不能超过 {limit} 字。", "en": "The grounds may not exceed {limit} characters."},
    "appeal_scope_unknown": {"zh": "异议类型“{scope}”无效（应为记录或计算）。", "en": "Unknown appeal scope '{scope}'."},
    "appeal_records_required": {
        "zh": "请至少选择一条有异议的记录，或选择对计算方法提出异议。",
        "en": "Name at least one contested record, or contest the calculation.",
    },
    "appeal_too_many_records": {"zh": "一次异议最多可选择 {limit} 条记录。", "en": "At most {limit} records per appeal."},
    "appeal_record_not_counted": {
        "zh": "第 {row} 条记录 {record} 不是本期计入你单位的记录，不能对其提出异议。",
        "en": "Record {row} ({record}) is not one counted for your company in this rating.",
    },
    "appeal_attribution_not_chosen": {
        "zh": "记录 {record} 对归属有异议，但未选为有异议的记录。",
        "en": "Record {record}: its attribution is contested but the record is not among the contested records.",
    },
    "appeal_cycle_not_open": {
        "zh": "“{cycle}”不在公示期，不能提出异议。", "en": "'{cycle}' is not in its publicity period; no appeal can be filed.",
    },
    "appeal_too_many_files": {"zh": "最多可上传 {limit} 个附件。", "en": "At most {limit} attachments."},
    "appeal_file_too_large": {"zh": "附件“{name}”超过 {limit}。", "en": "Attachment '{name}' is larger than {limit}."},
    "appeal_file_empty": {"zh": "附件“{name}”是空文件。", "en": "Attachment '{name}' is empty."},
    "appeal_file_type": {
        "zh": "附件“{name}”不是 PDF、JPG 或 PNG 文件（按文件内容判断，与扩展名无关）。",
        "en": "Attachment '{name}' is not a PDF, JPG or PNG file (judged by its content, not its name).",
    },
    "appeal_file_pdf_active": {
        "zh": "附件“{name}”含有{feature}，打开时可能运行脚本或其他程序，不能上传；请另存为（或打印为）普通 PDF 后重新上传。",
        "en": "Attachment '{name}' contains {feature}, which can run code or open other things when it is opened; "
              "save (or print) it as a plain PDF and upload that.",
    },
    "appeal_file_pdf_encrypted": {
        "zh": "附件“{name}”是加密（设有密码或权限限制）的 PDF，无法检查其内容；请去除密码后重新上传。",
        "en": "Attachment '{name}' is an encrypted PDF (password or permissions) whose content cannot be checked; "
              "remove the protection and upload it again.",
    },
    "appeal_file_pdf_unreadable": {
        "zh": "附件“{name}”无法作为 PDF 读取（文件已损坏或格式不规范），请重新生成后上传。",
        "en": "Attachment '{name}' cannot be read as a PDF (damaged or malformed); produce it again and upload that.",
    },
    "appeal_file_pdf_too_many_pages": {
        "zh": "附件“{name}”有 {pages} 页，超过 {limit} 页的上限，请拆分或只上传相关页面。",
        "en": "Attachment '{name}' has {pages} pages, more than the limit of {limit}; split it or upload the pages "
              "that matter.",
    },
    "appeal_file_pdf_too_complex": {
        "zh": "附件“{name}”的结构过于复杂（超过 {limit} 个对象），无法检查，请另存为（或打印为）普通 PDF 后重新上传。",
        "en": "Attachment '{name}' is too complex to check (over {limit} objects); save (or print) it as a plain PDF "
              "and upload that.",
    },
    "appeal_file_image_too_large": {
        "zh": "附件“{name}”的图像过大（{size}），上限为 {limit}，请缩小后上传。",
        "en": "Attachment '{name}' is too large an image ({size}); the limit is {limit}. Make it smaller and upload "
              "it again.",
    },
    "appeal_file_image_unreadable": {
        "zh": "附件“{name}”的图像已损坏或不完整，无法解码，请重新上传。",
        "en": "Attachment '{name}' is a damaged or incomplete image that cannot be decoded; upload it again.",
    },
    "appeal_not_found": {"zh": "未找到异议 {appeal_id}。", "en": "No appeal {appeal_id}."},
    "appeal_already_decided": {"zh": "异议 {appeal_id} 已经处理。", "en": "Appeal {appeal_id} has already been decided."},
    "appeal_cycle_not_publicized": {
        "zh": "评价周期 {cycle_id} 不在公示期，不能处理异议。", "en": "Cycle {cycle_id} is not publicized; appeals cannot be decided.",
    },
    "cycle_appeals_pending": {
        "zh": "评价周期 {cycle_id} 还有 {count} 件异议未处理，处理完毕后才能定稿。",
        "en": "Cycle {cycle_id} has {count} undecided appeal(s); decide them before finalizing.",
    },
    "decision_outcome_unknown": {"zh": "处理结果“{outcome}”无效（应为维持异议、部分支持或驳回）。",
                                 "en": "Unknown outcome '{outcome}'."},
    "decision_reasons_required": {"zh": "请填写处理理由。", "en": "State the reasons for the decision."},
    "decision_items_missing": {"zh": "以下有异议的记录尚未作出处理：{records}。", "en": "No decision for: {records}."},
    "decision_items_unknown": {"zh": "以下记录不在本次异议中：{records}。", "en": "Not contested in this appeal: {records}."},
    "decision_action_unknown": {"zh": "第 {row} 条记录的处理方式“{action}”无效（应为撤销、更正或维持）。",
                                "en": "Record {row}: unknown action '{action}' (void, amend or keep)."},
    "decision_amend_empty": {"zh": "第 {row} 条记录选择了更正，但没有填写更正内容。",
                             "en": "Record {row}: amend needs at least one changed field."},
    "decision_field_not_amendable": {"zh": "第 {row} 条记录（{kind}）的字段“{field}”不能更正。",
                                     "en": "Record {row} ({kind}): field '{field}' cannot be amended."},
    "decision_value_invalid": {"zh": "第 {row} 条记录的字段“{field}”的值“{value}”无效。",
                               "en": "Record {row}: '{value}' is not a valid {field}."},
    "appeal_item_attribution": {"zh": "（对归属有异议：该记录发生时本企业已不再服务该小区）",
                                "en": " (attribution contested: the company no longer served the community then)"},
    "decision_rejected_changes": {"zh": "驳回异议时不能撤销或更正记录。",
                                  "en": "A rejected appeal cannot void or amend records."},
}

PAGE_TEXT = {
    "appeals_title": {"zh": "异议申诉", "en": "Appeals"},
    "new_appeal": {"zh": "提出异议申诉", "en": "File an appeal"},
    "appeal_deadline_note": {"zh": "异议申诉期截至 {date}（含当日）。", "en": "Appeals close on {date} (inclusive)."},
    "scope": {"zh": "异议类型", "en": "What is contested"},
    "scope_records": {"zh": "对扣分记录有异议", "en": "Records that cost points"},
    "scope_calculation": {"zh": "对计算方法有异议", "en": "The calculation"},
    "contested": {"zh": "有异议的记录（可多选）", "en": "Contested records (choose any)"},
    "grounds": {"zh": "异议理由", "en": "Grounds"},
    "attachments": {"zh": "证明材料（PDF、JPG、PNG，每个不超过 {mb} MB，最多 {n} 个）",
                    "en": "Evidence (PDF, JPG, PNG; up to {mb} MB each, at most {n})"},
    "evidence": {"zh": "证明材料", "en": "Evidence"},
    "submit_appeal": {"zh": "提交异议", "en": "Submit the appeal"},
    "confirm_appeal": {"zh": "确认提交异议？提交后在处理完毕前不能再次提出。",
                       "en": "Submit the appeal? No other appeal can be filed until it is decided."},
    "appeal_no": {"zh": "异议 {id}", "en": "Appeal {id}"},
    "filed_on": {"zh": "提出日期", "en": "Filed"},
    "due_on": {"zh": "处理期限", "en": "Decision due"},
    "overdue": {"zh": "已逾期", "en": "Overdue"},
    "company": {"zh": "企业", "en": "Company"},
    "before": {"zh": "复核前", "en": "Before"},
    "after": {"zh": "复核后", "en": "After"},
    "outcome": {"zh": "处理结果", "en": "Outcome"},
    "reasons": {"zh": "处理理由", "en": "Reasons"},
    "record": {"zh": "记录", "en": "Record"},
    "record_date": {"zh": "日期", "en": "Date"},
    "counted_title": {"zh": "本期计分的全部记录", "en": "Every record counted in this cycle"},
    "counted_intro": {"zh": "共 {n} 条。“归属”说明该记录为何计入本企业：记录中载明企业，"
                            "或按当日有效的物业服务合同归属。",
                      "en": "{n} records. Attribution says why a record counts for this company: it names the "
                            "company, or the service contract in force for its community that day."},
    "community": {"zh": "小区", "en": "Community"},
    "points": {"zh": "扣分", "en": "Points"},
    "attribution": {"zh": "归属", "en": "Attribution"},
    "attr_named": {"zh": "记录中载明本企业", "en": "Names the company"},
    "attr_contract": {"zh": "按物业服务合同（{community}，{start} 起{end}）",
                      "en": "By service contract ({community}, from {start}{end})"},
    "contract_open": {"zh": "", "en": ""},
    "contract_to": {"zh": "至 {end}", "en": " to {end}"},
    "all_records": {"zh": "查看全部计分记录", "en": "All counted records"},
    "action": {"zh": "处理", "en": "Action"},
    "amend_field": {"zh": "更正字段", "en": "Field"},
    "amend_value": {"zh": "更正为", "en": "New value"},
    "finding": {"zh": "认定", "en": "Finding"},
    "decide": {"zh": "作出处理决定", "en": "Decide"},
    "confirm_decide": {"zh": "确认作出处理决定？将按冻结的常数重新计算该企业的评价结果。",
                       "en": "Decide? The company is re-scored with the cycle's frozen constants."},
    "documents": {"zh": "文书", "en": "Documents"},
    "decision_pdf": {"zh": "异议处理决定书 PDF", "en": "Decision (PDF)"},
    "revised_pdf": {"zh": "更正后的告知书 PDF", "en": "Revised notice (PDF)"},
    "no_appeals": {"zh": "暂无异议。", "en": "No appeals."},
    "stats": {"zh": "异议统计", "en": "Statistics"},
    "stats_line": {"zh": "共 {filed} 件：待处理 {pending}，异议成立 {upheld}，部分成立 {partly_upheld}，"
                         "驳回 {rejected}；处理用时中位数 {median} 天。",
                   "en": "{filed} filed: {pending} pending, {upheld} upheld, {partly_upheld} partly upheld, "
                         "{rejected} rejected; median {median} days to decision."},
    "grounds_placeholder": {"zh": "请写明事实和理由", "en": "Facts and reasons"},
    # the appeal form: every counted record, searched and paged; then the grounds
    "step_pick": {"zh": "第一步：选择有异议的记录", "en": "Step 1: choose the contested records"},
    "step_grounds": {"zh": "第二步：填写异议理由", "en": "Step 2: state the grounds"},
    "pick_intro": {"zh": "以下是本期计入你单位的全部 {n} 条记录，不限于评价结果中列出的主要扣分记录。"
                         "可按编号、小区或类别搜索，按类型和月份筛选；勾选后翻页，已选记录会保留。",
                   "en": "These are all {n} records counted for your company in this cycle, not only the main "
                         "evidence of the rating. Search by number, community or category, filter by kind and month; "
                         "choices are kept when you turn the page."},
    "search": {"zh": "搜索（编号、小区、类别）", "en": "Search (number, community, category)"},
    "search_button": {"zh": "搜索", "en": "Search"},
    "filter_kind": {"zh": "记录类型", "en": "Kind"},
    "filter_month": {"zh": "月份", "en": "Month"},
    "all_kinds": {"zh": "全部类型", "en": "All kinds"},
    "all_months": {"zh": "全部月份", "en": "All months"},
    "found": {"zh": "符合条件的记录 {n} 条，第 {page}/{pages} 页", "en": "{n} records match; page {page} of {pages}"},
    "none_found": {"zh": "没有符合条件的记录。", "en": "No record matches."},
    "prev_page": {"zh": "上一页", "en": "Previous"},
    "next_page": {"zh": "下一页", "en": "Next"},
    "choose": {"zh": "选择", "en": "Choose"},
    "chosen_title": {"zh": "已选记录（{n} 条）", "en": "Chosen records ({n})"},
    "chosen_none": {"zh": "尚未选择记录。", "en": "No record chosen yet."},
    "to_grounds": {"zh": "下一步：填写理由", "en": "Next: the grounds"},
    "to_calculation": {"zh": "不选记录，对计算方法提出异议", "en": "Contest the calculation instead (no record)"},
    "back_to_pick": {"zh": "返回修改所选记录", "en": "Change the chosen records"},
    "contest_attribution": {"zh": "该记录发生时本企业已不再服务该小区", "en": "My company no longer served this "
                                                                              "community when this happened"},
    "contest_attribution_short": {"zh": "对归属有异议", "en": "Attribution contested"},
    "contest_data_short": {"zh": "对记录内容有异议", "en": "The record is contested"},
    "contest": {"zh": "异议内容", "en": "Contested"},
    "fact": {"zh": "记录", "en": "Record"},
    "points_col": {"zh": "计分", "en": "Points"},
    "closed_title": {"zh": "现在不能提出异议", "en": "No appeal can be filed now"},
    "pending_link": {"zh": "查看待处理的异议", "en": "See the pending appeal"},
    "form_error": {"zh": "未能提交：", "en": "Not filed: "},
    "files_again": {"zh": "附件未保留，请重新选择。", "en": "Attachments are not kept; choose them again."},
    "attribution_col": {"zh": "归属", "en": "Attribution"},
    "reasons_col": {"zh": "计入", "en": "Counts in"},
    "view_record": {"zh": "查看记录", "en": "View"},
    "top_mark": {"zh": "主要扣分记录", "en": "Main evidence"},
}
