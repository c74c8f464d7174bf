"""User-facing messages, Chinese by default with English available."""

from __future__ import annotations

from typing import Any, Literal

Lang = Literal["zh", "en"]

MESSAGES: dict[str, dict[str, str]] = {
    # generic
    "import_rejected": {
        "zh": "文件未通过校验，共 {count} 处错误，未写入任何数据。",
        "en": "The file failed validation with {count} error(s); nothing was written.",
    },
    "not_found": {"zh": "未找到：{what}", "en": "Not found: {what}"},
    "internal_error": {"zh": "服务器内部错误，请联系管理员。", "en": "Internal server error; please contact the administrator."},
    "payload_invalid": {"zh": "请求格式不正确。", "en": "The request is malformed."},
    "db_not_migrated": {
        "zh": "数据库结构未初始化或不是最新版本（当前 {revision}），请先运行：rating db upgrade",
        "en": "The database schema is missing or out of date (at {revision}); run: rating db upgrade",
    },
    # file level
    "file_missing": {"zh": "文件不存在：{path}", "en": "File not found: {path}"},
    "file_empty": {"zh": "文件为空。", "en": "The file is empty."},
    "file_no_rows": {"zh": "文件只有表头，没有数据行。", "en": "The file has a header but no data rows."},
    "file_type_unsupported": {
        "zh": "不支持的文件类型（{detail}），请上传 CSV 或 XLSX 文件。",
        "en": "Unsupported file type ({detail}); upload a CSV or XLSX file.",
    },
    "file_xls_legacy": {
        "zh": "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 后重新导入。",
        "en": "Legacy Excel (.xls) files are not supported; save the workbook as .xlsx and import again.",
    },
    "file_encoding_unknown": {
        "zh": "无法识别文件编码，请使用 UTF-8、GBK 或 GB18030 编码保存。",
        "en": "Cannot detect the file encoding; save it as UTF-8, GBK or GB18030.",
    },
    "file_unreadable": {"zh": "文件无法读取：{detail}", "en": "The file cannot be read: {detail}"},
    "file_too_large": {"zh": "文件超过大小上限（{limit}）。", "en": "The file exceeds the size limit ({limit})."},
    "kind_unknown": {
        "zh": "未知的数据类型“{kind}”，可选：{choices}",
        "en": "Unknown record kind '{kind}'; choose one of: {choices}",
    },
    "header_missing_column": {"zh": "缺少必需的列“{column}”。", "en": "Required column '{column}' is missing."},
    "header_duplicate_column": {"zh": "列“{column}”重复出现。", "en": "Column '{column}' appears more than once."},
    "row_column_count": {
        "zh": "该行有 {found} 列，表头有 {expected} 列。",
        "en": "The row has {found} fields but the header has {expected}.",
    },
    # cell level
    "required": {"zh": "必填项为空。", "en": "A required value is blank."},
    "duplicate_in_file": {
        "zh": "编号在本文件中重复（另见第 {other} 行）。",
        "en": "The id is repeated in this file (see also row {other}).",
    },
    "duplicate_across_files": {
        "zh": "编号与另一个文件（{other}）重复。",
        "en": "The id is repeated in another file ({other}).",
    },
    "date_invalid": {
        "zh": "日期格式无法识别（可用 2025-03-05、2025/3/5、2025年3月5日）。",
        "en": "Unrecognised date (use 2025-03-05, 2025/3/5 or 2025年3月5日).",
    },
    "date_impossible": {"zh": "日期不存在。", "en": "This date does not exist."},
    "date_out_of_range": {"zh": "日期超出合理范围（{low} 至 {high}）。", "en": "Date outside {low} .. {high}."},
    "date_in_future": {"zh": "日期晚于今天（{today}）。", "en": "The date is later than today ({today})."},
    "date_before": {"zh": "不能早于“{other}”（{other_value}）。", "en": "Cannot be earlier than '{other}' ({other_value})."},
    "bool_invalid": {
        "zh": "应填 是/否（也可用 Y/N、yes/no、true/false、1/0）。",
        "en": "Expected yes/no (是/否, Y/N, true/false, 1/0).",
    },
    "int_invalid": {"zh": "应为整数。", "en": "Expected a whole number."},
    "number_invalid": {"zh": "应为数字。", "en": "Expected a number."},
    "must_be_positive": {"zh": "必须大于 0。", "en": "Must be greater than 0."},
    "must_not_be_negative": {"zh": "不能为负数。", "en": "Must not be negative."},
    "number_too_large": {"zh": "数值过大（上限 {limit}）。", "en": "Value too large (limit {limit})."},
    "text_too_long": {"zh": "内容过长（上限 {limit} 字）。", "en": "Text too long (limit {limit} characters)."},
    "enum_invalid": {"zh": "无效取值，可选：{choices}", "en": "Invalid value; choose one of: {choices}"},
    "credit_code_length": {
        "zh": "统一社会信用代码应为 18 位。",
        "en": "A unified social credit code has 18 characters.",
    },
    "credit_code_charset": {
        "zh": "统一社会信用代码含有非法字符（不得使用 I、O、S、V、Z 及小写字母）。",
        "en": "The credit code contains invalid characters (I, O, S, V, Z and lower case are not used).",
    },
    "credit_code_check_digit": {
        "zh": "统一社会信用代码校验位错误（GB 32100-2015）。",
        "en": "Wrong check character in the credit code (GB 32100-2015).",
    },
    "company_unknown": {
        "zh": "企业不存在，请先导入企业名录。",
        "en": "Unknown company; import it in the companies file first.",
    },
    "community_unknown": {
        "zh": "小区不存在，请先导入小区名录。",
        "en": "Unknown community; import it in the communities file first.",
    },
    "contract_overlap": {
        "zh": "与该小区的另一份合同（{other}）时间重叠，同一小区的合同不得重叠。",
        "en": "Overlaps another contract of this community ({other}); contracts of one community must not overlap.",
    },
    "contract_key_duplicate": {
        "zh": "同一小区、同一企业、同一开始日期的合同重复（另见第 {other} 行）。",
        "en": "Same community, company and start date as row {other}.",
    },
    # summaries
    "summary_title": {"zh": "导入结果", "en": "Import summary"},
    "validating": {"zh": "校验", "en": "Validating"},
    "writing": {"zh": "写入", "en": "Writing"},
    "reading": {"zh": "读取", "en": "Reading"},
    "rendering": {"zh": "生成 PDF", "en": "Rendering PDFs"},
    "errors_more": {"zh": "……另有 {count} 处错误未显示（用 --errors-csv 导出全部）。",
                    "en": "... and {count} more errors (use --errors-csv to export them all)."},
    "errors_written": {"zh": "全部错误已写入 {path}", "en": "All errors written to {path}"},
    # audit
    "audit_ok": {
        "zh": "审计日志完整：共 {count} 条，哈希链校验通过。",
        "en": "Audit log intact: {count} entries, hash chain verified.",
    },
    "audit_altered": {
        "zh": "审计日志第 {seq} 条已被篡改（哈希不符）。",
        "en": "Audit entry {seq} has been altered (hash mismatch).",
    },
    "audit_missing": {
        "zh": "审计日志缺失第 {seq} 条（序号不连续）。",
        "en": "Audit entry {seq} is missing (gap in the sequence).",
    },
    "audit_broken_link": {
        "zh": "审计日志第 {seq} 条与前一条的哈希链接断开。",
        "en": "Audit entry {seq} does not link to the hash of the entry before it.",
    },
    "audit_head_mismatch": {
        "zh": "审计日志末尾缺失：应有 {expected} 条，实有 {found} 条。",
        "en": "Audit entries missing at the end: {expected} expected, {found} found.",
    },
    # rating score --data
    "score_rejected": {
        "zh": "数据文件夹未通过校验，共 {count} 处错误，未进行评价。",
        "en": "The data folder failed validation with {count} error(s); nothing was rated.",
    },
    "score_folder_missing": {"zh": "数据文件夹不存在：{path}", "en": "Data folder not found: {path}"},
    "score_file_missing": {
        "zh": "数据文件夹 {folder} 中缺少{zh}文件（应为 {kind}.csv 或 {kind}.xlsx）。",
        "en": "The data folder {folder} has no {kind} file ({kind}.csv or {kind}.xlsx).",
    },
    "score_period_invalid": {
        "zh": "评价期间“{text}”无效，应写作 2025-01-01:2025-12-31（开始日期:结束日期）。",
        "en": "Invalid period '{text}'; write it as 2025-01-01:2025-12-31 (start:end).",
    },
    "score_period_reversed": {
        "zh": "评价期间“{text}”的结束日期早于开始日期。",
        "en": "The period '{text}' ends before it starts.",
    },
    "score_format_invalid": {
        "zh": "未知的输出格式“{value}”，可选：table、csv、json",
        "en": "Unknown output format '{value}'; choose one of: table, csv, json",
    },
    "score_company_unknown": {
        "zh": "企业 {code} 不在本期评价结果中（数据文件夹中没有该企业）。",
        "en": "Company {code} is not among the ratings (it is not in the data folder).",
    },
    "score_company_not_rated": {
        "zh": "企业 {code} 在评价期间内没有物业服务合同，也没有计入的记录，未参加本期评价。",
        "en": "Company {code} has no contract in the period and no counted record, so it is not rated.",
    },
    "score_output_unwritable": {"zh": "无法写入 {path}：{detail}", "en": "Cannot write {path}: {detail}"},
    "score_written": {"zh": "评价结果已写入 {path}", "en": "Ratings written to {path}"},
    # records
    "delete_kind_refused": {
        "zh": "只能删除事件记录（巡查、投诉、收费违规、表彰、重大事项），不能删除“{kind}”。",
        "en": "Only event records (inspections, complaints, fee violations, commendations, major events) can be "
              "deleted, not '{kind}'.",
    },
    "reason_required": {"zh": "请填写原因。", "en": "A reason is required."},
    "record_not_found": {"zh": "未找到{kind}记录：{record_id}", "en": "No {kind} record {record_id}."},
    # accounts
    "user_name_invalid": {
        "zh": "用户名“{username}”无效：3–64 个字符，仅限字母、数字和 _ . @ -。",
        "en": "Invalid username '{username}': 3–64 letters, digits or _ . @ -.",
    },
    "user_role_invalid": {"zh": "未知角色“{role}”，可选：{choices}", "en": "Unknown role '{role}'; choose one of: {choices}"},
    "user_password_short": {"zh": "密码至少 {minimum} 个字符。", "en": "The password needs at least {minimum} characters."},
    "user_company_code_required": {
        "zh": "企业账户必须绑定统一社会信用代码。", "en": "A company account must be bound to a credit code.",
    },
    "user_code_only_for_company": {
        "zh": "只有企业账户可以绑定统一社会信用代码。", "en": "Only company accounts are bound to a credit code.",
    },
    "company_not_found": {"zh": "未找到企业：{code}", "en": "No company with credit code {code}."},
    "user_exists": {"zh": "用户名“{username}”已存在。", "en": "The username '{username}' is taken."},
    "user_not_found": {"zh": "未找到用户：{username}", "en": "No user '{username}'."},
    "user_disable_self": {"zh": "不能停用自己的账户。", "en": "You cannot disable your own account."},
    "login_failed": {"zh": "用户名或密码错误。", "en": "Wrong username or password."},
    "login_locked": {
        "zh": "登录失败次数过多，请 {seconds} 秒后再试。",
        "en": "Too many failed logins; try again in {seconds} seconds.",
    },
    "auth_required": {"zh": "请先登录。", "en": "Please log in."},
    "forbidden": {"zh": "当前账户无权进行此操作。", "en": "Your account may not do this."},
    "csrf_failed": {
        "zh": "表单已过期或来源无效，请刷新页面后重试。",
        "en": "The form has expired or did not come from this site; reload the page and try again.",
    },
    # cycles
    "cycle_not_found": {"zh": "未找到评价周期 {cycle_id}。", "en": "No rating cycle {cycle_id}."},
    "cycle_name_required": {"zh": "请填写评价周期名称。", "en": "The cycle needs a name."},
    "cycle_period_reversed": {
        "zh": "评价期间结束日期（{end}）早于开始日期（{start}）。",
        "en": "The period ends ({end}) before it starts ({start}).",
    },
    "cycle_methodology_unknown": {
        "zh": "找不到评价细则“{methodology}”（或 {day} 没有生效的评价细则）。",
        "en": "No methodology '{methodology}' (or none in force on {day}).",
    },
    "cycle_name_taken": {"zh": "已有名为“{name}”的评价周期。", "en": "A cycle named '{name}' already exists."},
    "cycle_transition_refused": {
        "zh": "评价周期 {cycle_id} 当前状态为“{status}”，不能{action}（只能在“{allowed}”状态下{action}）。",
        "en": "Cycle {cycle_id} is {status}; it cannot {action} (only from: {allowed}).",
    },
    "cycle_not_computed": {
        "zh": "评价周期 {cycle_id} 尚未计算（当前状态：{status}）。",
        "en": "Cycle {cycle_id} has not been computed yet (status: {status}).",
    },
    "cycle_window_open": {
        "zh": "评价周期 {cycle_id} 的异议期至 {deadline} 止（今天是 {today}），异议期结束后才能定稿。",
        "en": "Cycle {cycle_id} can be appealed until {deadline} (today is {today}); finalize after that.",
    },
    "cycle_job_running": {
        "zh": "评价周期 {cycle_id} 正在计算中，请稍候。", "en": "Cycle {cycle_id} is being computed; please wait.",
    },
    "rating_not_found": {
        "zh": "评价周期 {cycle_id} 中没有企业 {code} 的评价结果。",
        "en": "Cycle {cycle_id} has no rating for company {code}.",
    },
    "job_not_found": {"zh": "未找到任务 {job_id}。", "en": "No job {job_id}."},
    # public disclosure
    "public_nothing_yet": {"zh": "尚无公示或发布的评价结果。", "en": "No ratings have been publicized yet."},
    "public_preparing": {"zh": "正在准备数据，请稍后刷新。", "en": "The data is being prepared; please refresh shortly."},
    "public_company_not_found": {
        "zh": "没有企业 {code} 的公开评价结果。", "en": "No public rating of company {code}.",
    },
    "methodology_not_found": {"zh": "未找到评价细则“{methodology}”。", "en": "No methodology '{methodology}'."},
    "validation_same_cycle": {"zh": "请选择两个不同的评价周期（当前均为 {cycle_id}）。",
                              "en": "Choose two different cycles (both are {cycle_id})."},
    "methodology_none_in_force": {"zh": "{day} 没有生效的评价细则。", "en": "No methodology is in force on {day}."},
    "methodology_invalid": {"zh": "评价细则草案有误（{field}）：{reason_zh}", "en": "The draft methodology is invalid ({field}): {reason_en}"},
    "methodology_id_taken": {"zh": "评价细则编号“{methodology}”已被使用，请换一个编号。",
                             "en": "The methodology id '{methodology}' is taken; choose another."},
    # calendar and documents
    "calendar_year_unknown": {
        "zh": "工作日历中没有 {year} 年的节假日安排（{day}），无法计算期限；请管理员先补充该年的安排。",
        "en": "The working-day calendar has no holiday schedule for {year} ({day}); an administrator must add it "
              "before this deadline can be computed.",
    },
    "notice_date_invalid": {"zh": "告知日期“{text}”无效，应为 YYYY-MM-DD。", "en": "Notice date '{text}' is not YYYY-MM-DD."},
    "documents_rendered": {
        "zh": "已生成 {count} 份文书（告知书和公示名单）；异议截止日期：{deadline}。",
        "en": "{count} documents rendered (notices and the bulletin); appeals close on {deadline}.",
    },
    "calendar_year_out_of_range": {"zh": "年份 {year} 超出范围（2000–2100）。", "en": "Year {year} is out of range (2000–2100)."},
    "calendar_day_other_year": {
        "zh": "{field} 第 {row} 项：日期 {day} 不在 {year} 年内。", "en": "{field} item {row}: {day} is not in {year}.",
    },
    "calendar_line_invalid": {
        "zh": "{field}第 {row} 行“{text}”无法识别，应为“YYYY-MM-DD 名称”。",
        "en": "{field} line {row} ('{text}') is not 'YYYY-MM-DD name'.",
    },
    "calendar_file_invalid": {
        "zh": "日历文件 {path} 无法读取：{reason}", "en": "Calendar file {path} cannot be read: {reason}",
    },
    "calendar_day_twice": {
        "zh": "{field} 第 {row} 项：日期 {day} 重复出现。", "en": "{field} item {row}: {day} appears twice.",
    },
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
    "document_not_found": {"zh": "未找到文书 {document_id}。", "en": "No document {document_id}."},
    "verification_code_unknown": {
        "zh": "核验码“{code}”不存在，请核对后重新输入。", "en": "No document has the verification code '{code}'.",
    },
    "document_hash_mismatch": {
        "zh": "文书 {number} 重新生成后与存档的校验值不一致，已记录，请联系系统管理员。",
        "en": "Document {number} no longer renders to its recorded hash; this was logged, contact the administrator.",
    },
    "job_interrupted": {
        "zh": "计算因服务重启而中断，请重新计算。", "en": "The computation was interrupted by a restart; compute again.",
    },
    # CLI
    "demo_refused_production": {
        "zh": "生产环境不能载入演示数据和演示账户。", "en": "The demo data and accounts are refused in production.",
    },
    "demo_cycle_kept": {
        "zh": "评价周期“{name}”已是“{status}”状态，保持不变。", "en": "Cycle '{name}' is already {status}; left as is.",
    },
    "demo_logins": {"zh": "演示账户（用户名 / 密码 / 角色）：", "en": "Demo logins (username / password / role):"},
    "user_created": {"zh": "已创建账户 {username}（{role}）。", "en": "Account {username} ({role}) created."},
    "user_disabled": {"zh": "已停用账户 {username}。", "en": "Account {username} disabled."},
    "cycle_line": {
        "zh": "评价周期 {id}「{name}」：{status}；期间 {start} 至 {end}；评价细则 {methodology}",
        "en": "Cycle {id} '{name}': {status}; period {start} to {end}; methodology {methodology}",
    },
    "cycle_snapshot_line": {
        "zh": "  数据快照：截至批次 {batch}，哈希 {digest}…；参评企业 {rated} 家；R0 = {r0} 件/千户年",
        "en": "  Snapshot: up to batch {batch}, hash {digest}…; {rated} companies rated; R0 = {r0} per 1,000 "
              "household-years",
    },
    "cycle_quality_line": {
        "zh": "  数据质量：未归属记录 {unattributed} 条，无服务规模企业 {no_exposure} 家，暂定评价 {provisional} 家",
        "en": "  Data quality: {unattributed} unattributed records, {no_exposure} companies with no exposure, "
              "{provisional} provisional ratings",
    },
    "cycle_none": {"zh": "尚无评价周期。", "en": "No rating cycles yet."},
}


class Localized(dict[str, str]):
    """A message parameter that has its own zh/en spellings (a state name, an action)."""

    def render(self, lang: Lang) -> str:
        return self.get(lang) or self.get("zh") or ""


STATE_LABELS = {
    "draft": Localized(zh="草稿", en="draft"),
    "computed": Localized(zh="已计算", en="computed"),
    "publicized": Localized(zh="公示中", en="publicized"),
    "finalized": Localized(zh="已定稿", en="finalized"),
}
ACTION_LABELS = {
    "compute": Localized(zh="计算", en="compute"),
    "publicize": Localized(zh="公示", en="publicize"),
    "finalize": Localized(zh="定稿", en="finalize"),
}
ROLE_LABELS = {
    "admin": Localized(zh="管理员", en="administrator"),
    "officer": Localized(zh="业务人员", en="officer"),
    "company": Localized(zh="物业服务企业", en="property company"),
}


def translate(key: str, lang: Lang = "zh", /, **params: Any) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["zh"]
    params = {k: v.render(lang) if isinstance(v, Localized) else v for k, v in params.items()}
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def negotiate_lang(accept_language: str | None, explicit: str | None = None, default: Lang = "zh") -> Lang:
    """Pick zh or en from an explicit choice or an Accept-Language header."""
    for candidate in (explicit, accept_language):
        if not candidate:
            continue
        first = candidate.split(",")[0].strip().lower()
        if first.startswith("en"):
            return "en"
        if first.startswith("zh"):
            return "zh"
    return default
