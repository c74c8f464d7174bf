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
    # the edge of the web app (rating_service/web/edge.py, web/errors.py)
    "body_too_large": {
        "zh": "请求内容超过上限（{limit}），未予处理。",
        "en": "The request body exceeds the limit ({limit}); it was not processed.",
    },
    "control_characters": {
        "zh": "请求中含有不允许的控制字符（如 NUL），未予处理。",
        "en": "The request contains control characters (such as NUL) that are not allowed; it was not processed.",
    },
    "method_not_allowed": {"zh": "该地址不支持此请求方式（{method}）。", "en": "This address does not accept {method}."},
    "request_invalid": {"zh": "请求无法处理：{detail}", "en": "The request cannot be processed: {detail}"},
    "database_unavailable": {
        "zh": "数据库暂时无法连接，请稍后再试。",
        "en": "The database cannot be reached at the moment; please try again shortly.",
    },
    "not_ready": {"zh": "服务尚未就绪：{checks}", "en": "The service is not ready: {checks}"},
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
    "file_too_many_rows": {
        "zh": "文件超过行数上限：最多 {limit} 行数据，本文件至少有 {found} 行。请拆分为多个文件后分别导入。",
        "en": "The file has more rows than allowed: at most {limit} data rows, this one has at least {found}. "
              "Split it into several files and import each.",
    },
    "cell_too_long": {
        "zh": "单元格（列「{column}」）超过 {limit} 个字符的上限（Excel 单元格最多也只能容纳 32767 个字符）。",
        "en": "A cell (column '{column}') is longer than the limit of {limit} characters (an Excel cell holds at "
              "most 32,767).",
    },
    "file_xlsx_cell_too_long": {
        "zh": "XLSX 工作簿的部件 {part} 中有单元格超过 {limit} 个字符的上限（Excel 单元格最多也只能容纳 32767 个字符），"
              "已拒绝。",
        "en": "The part {part} of the XLSX workbook holds a cell longer than the limit of {limit} characters (an Excel "
              "cell holds at most 32,767); refused.",
    },
    "file_xlsx_unpacked_too_large": {
        "zh": "XLSX 工作簿解压后共 {size}，超过上限 {limit}（可能是压缩炸弹），已拒绝，未解压任何内容。",
        "en": "The XLSX workbook would unpack to {size}, over the limit of {limit} (a zip bomb?); refused without "
              "unpacking anything.",
    },
    "file_xlsx_ratio_too_high": {
        "zh": "XLSX 工作簿中的 {part} 压缩比为 {ratio}:1，超过上限 {limit}:1（可能是压缩炸弹），已拒绝，未解压任何内容。",
        "en": "The part {part} of the XLSX workbook is compressed {ratio}:1, over the limit of {limit}:1 (a zip "
              "bomb?); refused without unpacking anything.",
    },
    "file_xlsx_too_many_parts": {
        "zh": "XLSX 工作簿包含 {count} 个部件，超过上限 {limit}，不是有效的工作簿。",
        "en": "The XLSX workbook holds {count} parts, over the limit of {limit}; not a valid workbook.",
    },
    "file_encoding_mixed": {
        "zh": "第 {row} 行（列「{column}」）的字节无法按 {encoding} 解码（文件前面的内容是 {encoding} 编码）。"
              "请把整个文件统一另存为一种编码（UTF-8 或 GBK）后重新导入。",
        "en": "The bytes of row {row} (column '{column}') do not decode as {encoding}, the encoding of the file before "
              "it. Save the whole file in one encoding (UTF-8 or GBK) and import again.",
    },
    "file_encoding_mixed_other": {
        "zh": "第 {row} 行（列「{column}」）的字节无法按 {encoding} 解码，可能混入了 {other} 编码的内容。"
              "请把整个文件统一另存为一种编码（UTF-8 或 GBK）后重新导入。",
        "en": "The bytes of row {row} (column '{column}') do not decode as {encoding}, the encoding of the file "
              "before it; the row may have been saved as {other}. Save the whole file in one encoding (UTF-8 or GBK) "
              "and import again.",
    },
    "file_xlsx_invalid": {
        "zh": "不是有效的 XLSX 工作簿（{detail}）。请用 Excel 打开后另存为 .xlsx 再导入。",
        "en": "Not a valid XLSX workbook ({detail}). Open it in Excel, save it as .xlsx and import again.",
    },
    "file_xlsx_doctype": {
        "zh": "不是有效的 XLSX 工作簿：部件 {part} 含有 DOCTYPE 或实体声明（Excel 不会写入这些内容），已拒绝。",
        "en": "Not a valid XLSX workbook: its part {part} holds a DOCTYPE or entity declaration (Excel never writes "
              "one); refused.",
    },
    "personal_data_in_value": {
        "zh": "含有个人信息（{what}），评价不需要也不得保存个人信息：请删除后重新导入。",
        "en": "Holds personal data ({what}); a rating never needs it and it may not be stored: remove it and "
              "import again.",
    },
    "category_unknown": {
        "zh": "不是评价细则 {methodology} 规定的类别，可选：{choices}",
        "en": "Not a category of methodology {methodology}; choose one of: {choices}",
    },
    "errors_omitted": {
        "zh": "……本列另有 {count} 处同类错误未逐一列出（{reason}）",
        "en": "... and {count} more errors of this kind in this column, not listed one by one ({reason})",
    },
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
    "errors_more": {"zh": "……另有 {count} 处已列出的错误未显示（用 --errors-csv 导出）。",
                    "en": "... and {count} more listed errors not shown (use --errors-csv to export them)."},
    "errors_written": {"zh": "错误清单（及未逐一列出的错误计数）已写入 {path}",
                       "en": "The list of errors (and the counts of those not listed one by one) written to {path}"},
    # audit
    "audit_ok": {
        "zh": "审计日志完整：共 {count} 条，哈希链校验通过，每条的密钥校验码（HMAC）无误；"
              "已核对 {anchors} 个外部锚点（最新锚定至第 {anchored} 条）。",
        "en": "Audit log intact: {count} entries, hash chain verified, every entry's keyed MAC (HMAC) correct; "
              "{anchors} external anchors checked (the latest anchors entry {anchored}).",
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
    "audit_mac_mismatch": {
        "zh": "审计日志第 {seq} 条的密钥校验码（HMAC）不符：该条写入后被改动，并重新计算了哈希链。",
        "en": "Audit entry {seq} fails its keyed MAC (HMAC): it was altered after it was written and the hash "
              "chain recomputed.",
    },
    "audit_wrong_key": {
        "zh": "审计日志第 {seq} 条由密钥编号 {found} 签名，而配置的审计密钥编号为 {configured}：请检查 "
              "RATING_AUDIT_KEY_FILE（或 RATING_AUDIT_KEY）是否为签名时的密钥，轮换后的旧密钥须列入 "
              "RATING_AUDIT_RETIRED_KEY_FILES。若配置无误，则该条已被改动。",
        "en": "Audit entry {seq} was signed with key id {found}, but the configured audit key has id {configured}: "
              "check that RATING_AUDIT_KEY_FILE (or RATING_AUDIT_KEY) is the key that signed the log, and that keys "
              "retired by a rotation are listed in RATING_AUDIT_RETIRED_KEY_FILES. If the configuration is right, "
              "the entry has been altered.",
    },
    "audit_head_behind": {
        "zh": "审计日志头记录指向第 {head} 条，而日志实有 {count} 条：头记录被回滚。",
        "en": "The audit head points at entry {head}, but the log holds {count} entries: the head was rolled back.",
    },
    "audit_head_forged": {
        "zh": "审计日志头记录（第 {seq} 条）的校验码或哈希与日志末尾不符：头记录被改动。",
        "en": "The audit head (entry {seq}) does not match the end of the log or fails its MAC: it was altered.",
    },
    "audit_head_missing": {
        "zh": "审计日志头记录缺失，而日志有 {seq} 条：头记录被删除。",
        "en": "The audit head is missing while the log holds {seq} entries: it was deleted.",
    },
    "audit_tail_deleted": {
        "zh": "审计日志末尾被删除：锚点文件 {path} 第 {line} 行（{at}）证明曾有第 {anchored} 条，"
              "现只有 {count} 条；第 {seq} 条起的记录缺失。",
        "en": "Audit entries deleted at the end: line {line} of the anchor file {path} ({at}) shows that entry "
              "{anchored} existed, but only {count} entries remain; entries from {seq} on are missing.",
    },
    "audit_anchor_mismatch": {
        "zh": "审计日志第 {seq} 条与锚点文件 {path} 第 {line} 行（{at}）记录的哈希不符：第 {seq} 条或其之前的记录"
              "在锚定后被改写（或该锚点文件属于另一个数据库）。",
        "en": "Audit entry {seq} does not match the hash anchored at line {line} of {path} ({at}): entry {seq} or "
              "entries before it were rewritten after they were anchored (or the anchor file belongs to another "
              "database).",
    },
    "audit_anchor_unreadable": {
        "zh": "锚点文件 {path} 第 {line} 行不是锚点记录：文件被改动。",
        "en": "Line {line} of the anchor file {path} is not an anchor: the file was altered.",
    },
    "audit_anchor_unsigned": {
        "zh": "锚点文件 {path} 第 {line} 行缺少校验码（HMAC）：该行被改动或伪造。",
        "en": "Line {line} of the anchor file {path} has no MAC: it was altered or forged.",
    },
    "audit_anchor_forged": {
        "zh": "锚点文件 {path} 第 {line} 行的校验码（HMAC）不符：该行被改动或伪造。",
        "en": "Line {line} of the anchor file {path} fails its MAC: it was altered or forged.",
    },
    "audit_anchor_unknown_key": {
        "zh": "锚点文件 {path} 第 {line} 行由密钥编号 {found} 签名，而配置的审计密钥编号为 {configured}：请检查 "
              "RATING_AUDIT_KEY_FILE（或 RATING_AUDIT_KEY）及 RATING_AUDIT_RETIRED_KEY_FILES。若配置无误，则该行被伪造。",
        "en": "Line {line} of the anchor file {path} was signed with key id {found}, but the configured audit key "
              "has id {configured}: check RATING_AUDIT_KEY_FILE (or RATING_AUDIT_KEY) and "
              "RATING_AUDIT_RETIRED_KEY_FILES. If the configuration is right, the line was forged.",
    },
    "audit_no_anchors": {
        "zh": "锚点文件 {path} 不存在或没有锚点，而审计日志有 {count} 条：无法确认末尾未被删除。"
              "请检查 RATING_AUDIT_ANCHOR_FILE 是否指向本数据库的锚点文件。",
        "en": "The anchor file {path} is missing or holds no anchors while the log has {count} entries: deletions "
              "at the end cannot be ruled out. Check that RATING_AUDIT_ANCHOR_FILE names this database's anchor file.",
    },
    "audit_printed_mismatch": {
        "zh": "审计日志第 {seq} 条的哈希与印出的 {hash} 不符：第 {seq} 条或其之前的记录在印出后被改写。",
        "en": "The hash of audit entry {seq} does not begin with the printed {hash}: entry {seq} or entries before "
              "it were rewritten after it was printed.",
    },
    "audit_printed_missing": {
        "zh": "印出的审计日志第 {seq} 条已不在日志中（现只有 {count} 条）：末尾被删除。",
        "en": "The printed audit entry {seq} is no longer in the log ({count} entries remain): entries were deleted "
              "at the end.",
    },
    "audit_printed_invalid": {
        "zh": "“{text}”不是印出的审计日志头：应写作 序号:哈希值开头（至少 16 位十六进制），如 123:3f5a0c9e1b2d4f60。",
        "en": "'{text}' is not a printed audit head: write SEQ:HASH-START (at least 16 hex digits), e.g. "
              "123:3f5a0c9e1b2d4f60.",
    },
    "audit_printed_ok": {
        "zh": "印出的审计日志头与日志一致：{items}。",
        "en": "The printed audit heads match the log: {items}.",
    },
    "audit_anchor_written": {
        "zh": "已锚定审计日志第 {seq} 条（哈希 {hash}），写入 {path}。",
        "en": "Anchored audit entry {seq} (hash {hash}) in {path}.",
    },
    "audit_nothing_to_anchor": {"zh": "审计日志为空，无需锚定。", "en": "The audit log is empty: nothing to anchor."},
    "audit_anchor_refused": {
        "zh": "审计日志头记录（第 {seq} 条）未通过校验，未写入锚点：请先运行 rating audit verify。",
        "en": "The audit head (entry {seq}) does not check out, so it was not anchored: run rating audit verify.",
    },
    "audit_anchor_file_unusable": {
        "zh": "无法读写锚点文件 {path}（{reason}）：请检查 RATING_AUDIT_ANCHOR_FILE 及其权限。",
        "en": "The anchor file {path} cannot be read or written ({reason}): check RATING_AUDIT_ANCHOR_FILE and its "
              "permissions.",
    },
    "audit_key_unreadable": {
        "zh": "无法读取审计密钥文件 {path}（{reason}）：请检查 RATING_AUDIT_KEY_FILE。",
        "en": "The audit key file {path} cannot be read ({reason}): check RATING_AUDIT_KEY_FILE.",
    },
    "audit_key_short": {
        "zh": "审计密钥（{source}）太短：至少需要 {minimum} 字节。",
        "en": "The audit key ({source}) is too short: at least {minimum} bytes are needed.",
    },
    # rating db grant-app-role: the application role may only read and append to the audit log
    "db_grant_done": {
        "zh": "已为角色 {role} 授权：审计日志（audit_log）仅可查询和追加，其余各表可读写。",
        "en": "Granted role {role}: SELECT and INSERT only on the audit log (audit_log), read and write elsewhere.",
    },
    "db_grant_not_postgresql": {
        "zh": "数据库角色授权只适用于 PostgreSQL。",
        "en": "Role grants apply to PostgreSQL only.",
    },
    "db_grant_role_missing": {
        "zh": "数据库角色 {role} 不存在：请先 CREATE ROLE {role} LOGIN PASSWORD '…'。",
        "en": "The database role {role} does not exist: CREATE ROLE {role} LOGIN PASSWORD '…' first.",
    },
    "db_grant_role_superuser": {
        "zh": "角色 {role} 是超级用户，授权无法限制它：服务应以普通角色运行。",
        "en": "Role {role} is a superuser, which no grant can restrict: run the service as an ordinary role.",
    },
    "db_grant_role_owns": {
        "zh": "角色 {role} 是表 {table} 的所有者（{owner}）或其成员，可以自行恢复任何权限：请以另一角色运行迁移并拥有各表。",
        "en": "Role {role} owns table {table} (owner {owner}) or is a member of its owner, so it could grant itself "
              "anything back: let another role run the migrations and own the tables.",
    },
    "db_grant_still_allowed": {
        "zh": "授权后角色 {role} 仍可对审计日志执行 {privileges}（经由 PUBLIC 或所属角色组）：请撤销这些权限后重试。",
        "en": "After the grants role {role} can still {privileges} the audit log (through PUBLIC or a group role): "
              "revoke those and try again.",
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
    "user_password_common": {
        "zh": "密码过于常见：它在常用密码表中（或只是常用密码前后加数字、符号，或是键盘、字母顺序），请换一个。",
        "en": "The password is too common: it is in the list of common passwords (or is one with digits or symbols around it, or a keyboard or alphabet run); choose another.",
    },
    "user_password_has_username": {
        "zh": "密码不能与用户名相同，也不能包含用户名。", "en": "The password must not be or contain the username.",
    },
    "user_password_repetitive": {
        "zh": "密码至少要包含 {minimum} 个不同的字符。", "en": "The password needs at least {minimum} different characters.",
    },
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
    "login_csrf_failed": {
        "zh": "登录表单已过期或不是从本站提交的，请重新输入用户名和密码登录。",
        "en": "The login form has expired or was not sent from this site; enter your username and password again.",
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
    "notice_date_before_today": {
        "zh": "告知日期 {notice_date} 早于公示当日 {today}，不能倒签：异议期自告知日期起算，倒签会缩短甚至取消企业的异议期。"
              "请选择 {today} 或之后的日期。",
        "en": "The notice date {notice_date} is before today, the day of publicizing ({today}); notices cannot be "
              "back-dated: the appeal window runs from the notice date. Choose {today} or later.",
    },
    "notice_date_before_compute": {
        "zh": "告知日期 {notice_date} 早于评价周期 {cycle_id} 的计算日期 {computed_on}：告知书不能早于其所载的评价结果。",
        "en": "The notice date {notice_date} is before cycle {cycle_id} was computed ({computed_on}); a notice cannot "
              "predate the ratings it states.",
    },
    "notice_date_too_far": {
        "zh": "告知日期 {notice_date} 距今天（{today}）超过 {days} 天，最晚可选 {latest}：过远的告知日期会使异议期迟迟不能结束。",
        "en": "The notice date {notice_date} is more than {days} days after today ({today}); the latest is {latest}: a "
              "far-off notice date would hold the appeal window open.",
    },
    "clock_simulation_refused": {
        "zh": "生产环境不能使用模拟日期（{day}）。", "en": "A simulated date ({day}) is refused in production.",
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
    "document_not_found": {"zh": "未找到文书 {document_id}。", "en": "No document {document_id}."},
    "verification_code_unknown": {
        "zh": "核验码“{code}”不存在，请核对后重新输入。", "en": "No document has the verification code '{code}'.",
    },
    "document_hash_mismatch": {
        "zh": "文书 {number} 重新生成后与存档的校验值不一致，已记录，请联系系统管理员。",
        "en": "Document {number} no longer renders to its recorded hash; this was logged, contact the administrator.",
    },
    "documents_not_written": {
        "zh": "告知书生成中断：{reason}（{folder}），已生成 {rendered} 份，尚有 {missing} 份待生成。"
              "{remedy}后运行：rating cycle documents {cycle_id} --render-missing",
        "en": "Rendering the notices stopped: {reason} ({folder}); {rendered} rendered, {missing} still to render. "
              "{remedy}, then run: rating cycle documents {cycle_id} --render-missing",
    },
    "document_not_stored": {
        "zh": "文书 {number} 已即时生成并提供下载，但未能保存：{reason}（{folder}），仍为待生成。"
              "{remedy}后运行：rating cycle documents {cycle_id} --render-missing",
        "en": "Document {number} was rendered and served but not stored: {reason} ({folder}); it is still to "
              "render. {remedy}, then run: rating cycle documents {cycle_id} --render-missing",
    },
    "documents_missing_rendered": {
        "zh": "评价周期 {cycle_id}：补生成 {count} 份文书；全部 {total} 份文书均已生成。",
        "en": "Cycle {cycle_id}: {count} missing document(s) rendered; all {total} documents are rendered.",
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
    "demo_simulated_reason": {"zh": "演示数据：模拟日期 {day}", "en": "demo data: simulated date {day}"},
    "demo_simulated_line": {
        "zh": "演示：“{name}”按模拟日期 {notice} 计算、公示，{final} 定稿（审计日志的事由注明模拟日期，记录时间为实际时间）。",
        "en": "Demo: '{name}' computed and publicized on the simulated date {notice}, finalized on {final} (the audit "
              "log's reasons name the simulated dates; its times are the real ones).",
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
# What ``records.personal_data`` finds in a value, as an import error names it.
PERSONAL_DATA_LABELS = {
    "mobile": Localized(zh="手机号码", en="a mobile phone number"),
    "landline": Localized(zh="固定电话号码", en="a landline phone number"),
    "id_number": Localized(zh="身份证号码", en="a resident ID number"),
    "email": Localized(zh="电子邮箱地址", en="an e-mail address"),
    "bank_card": Localized(zh="银行卡号", en="a bank card number"),
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
