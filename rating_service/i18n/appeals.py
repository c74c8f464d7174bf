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
        "zh": "第 {row} 条记录 {kind}:{record} 不是你单位本期评价中扣分的记录，不能对其提出异议。",
        "en": "Record {row} ({kind}:{record}) is not one that counts against your company in this rating.",
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
}

# The company's home page: a banner per publicized cycle (grade, score, the appeal window, decisions) and the
# history of its ratings (rendered by web/app.py from appeals.service.company_standing).
HOME_TEXT = {
    "banner_title": {"zh": "{cycle}评价结果", "en": "{cycle} rating"},
    "banner_grade": {"zh": "信用等级", "en": "Grade"},
    "banner_score": {"zh": "信用得分", "en": "Score"},
    "banner_deadline": {"zh": "异议截止日期", "en": "Appeal deadline"},
    "banner_days_left": {"zh": "异议期剩余", "en": "Left to appeal"},
    "days_left_value": {"zh": "{n} 个工作日", "en": "{n} working days"},
    "deadline_value": {"zh": "{date}（含当日）", "en": "{date} (inclusive)"},
    "window_open": {
        "zh": "评价结果正在公示。你单位对结果有异议的，可在 {date}（含当日）前提出异议申诉，还剩 {n} 个工作日。",
        "en": "The rating is publicized. If your company disagrees, it may appeal until {date} (inclusive): "
              "{n} working days left.",
    },
    "window_open_no_count": {
        "zh": "评价结果正在公示。你单位对结果有异议的，可在 {date}（含当日）前提出异议申诉。",
        "en": "The rating is publicized. If your company disagrees, it may appeal until {date} (inclusive).",
    },
    "window_closed": {"zh": "异议期已于 {date} 结束，评价结果待终评。",
                      "en": "The appeal window closed on {date}; the rating awaits finalization."},
    "window_final": {"zh": "评价结果已于 {date} 终评，异议期已结束。",
                     "en": "The rating became final on {date}; the appeal window is closed."},
    "window_final_no_date": {"zh": "评价结果已终评，异议期已结束。",
                             "en": "The rating is final; the appeal window is closed."},
    "status_open": {"zh": "公示中 · 可提出异议", "en": "Publicized · open to appeal"},
    "status_closed": {"zh": "公示中 · 异议期已结束", "en": "Publicized · appeal window closed"},
    "status_final": {"zh": "已终评", "en": "Final"},
    "pending_note": {"zh": "你单位 {filed} 提出的异议正在处理，处理期限至 {due}。",
                     "en": "Your appeal of {filed} is being decided; the decision is due by {due}."},
    "view_appeal": {"zh": "查看异议", "en": "View the appeal"},
    "decision_note": {"zh": "异议处理结果（{date}）：{outcome}。", "en": "Appeal decided ({date}): {outcome}."},
    "decision_change": {"zh": "得分 {sb} → {sa}，等级 {gb} → {ga}。",
                        "en": "Score {sb} → {sa}, grade {gb} → {ga}."},
    "decision_same": {"zh": "得分和等级不变（{s}，{g}）。", "en": "Score and grade unchanged ({s}, {g})."},
    "decision_record": {"zh": "异议处理决定书", "en": "Decision record"},
    "revised_notice": {"zh": "更正后的告知书", "en": "Revised notice"},
    "notice_link": {"zh": "告知书 PDF（{number}）", "en": "Notice PDF ({number})"},
    "explanation_link": {"zh": "评价说明", "en": "Explanation"},
    "file_appeal": {"zh": "提出异议", "en": "File an appeal"},
    "my_appeals": {"zh": "我的异议", "en": "My appeals"},
    "history_title": {"zh": "历年评价", "en": "Ratings by cycle"},
    "chart_caption": {"zh": "历年信用得分与等级（已公示的评价周期）", "en": "Score and grade by publicized cycle"},
    "chart_label": {"zh": "历年信用得分", "en": "Score by cycle"},
    "col_cycle": {"zh": "评价周期", "en": "Cycle"},
    "col_status": {"zh": "状态", "en": "Status"},
    "col_score": {"zh": "得分", "en": "Score"},
    "col_grade": {"zh": "等级", "en": "Grade"},
    "col_links": {"zh": "详情", "en": "Details"},
    "open_rating": {"zh": "查看说明、告知书与异议", "en": "Explanation, notice and appeals"},
    "no_ratings": {"zh": "暂无已公示的评价结果。", "en": "No publicized ratings yet."},
}
