"""Messages of importing a file of records: file-level, header and cell-level errors, summaries."""

MESSAGES: dict[str, dict[str, str]] = {
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
    "enum_invalid": {"zh": "值不在允许范围内。允许的值：{choices}", "en": "Value not allowed. Allowed values: {choices}"},
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
    # a rejected import's errors grouped by column and reason (records.service.error_groups); reasons whose
    # wording names another row or value use these words for the group as a whole
    "error_group.line": {"zh": "「{column}」{count} 行：{reason}（如第 {rows} 行{more}）",
                         "en": "'{column}', {count} rows: {reason} (e.g. rows {rows}{more})"},
    "error_group.line_no_column": {"zh": "{reason}", "en": "{reason}"},
    "error_group.in_file": {"zh": "{file}：{line}", "en": "{file}: {line}"},
    "error_group.more": {"zh": "…", "en": "…"},
    "error_group.title": {"zh": "按列和原因汇总", "en": "By column and reason"},
    "error_group.duplicate_in_file": {"zh": "编号在本文件中重复", "en": "The id is repeated in this file"},
    "error_group.duplicate_across_files": {"zh": "编号与另一个文件重复", "en": "The id is repeated in another file"},
    "error_group.date_before": {"zh": "不能早于「{other}」", "en": "Cannot be earlier than '{other}'"},
    "error_group.contract_overlap": {"zh": "与该小区的另一份合同时间重叠", "en": "Overlaps another contract of the community"},
    "error_group.contract_key_duplicate": {"zh": "同一小区、同一企业、同一开始日期的合同重复",
                                           "en": "Same community, company and start date as another row"},
    "error_group.personal_data_in_value": {"zh": "含有个人信息，评价不需要也不得保存个人信息",
                                           "en": "Holds personal data, which a rating never needs and may not store"},
    # the XLSX of a rejected import's errors (records.workbooks.errors_workbook)
    "error_report.sheet_errors": {"zh": "错误明细", "en": "Errors"},
    "error_report.sheet_groups": {"zh": "按列和原因汇总", "en": "By column and reason"},
    "error_report.col_file": {"zh": "文件", "en": "File"},
    "error_report.col_row": {"zh": "行", "en": "Row"},
    "error_report.col_column": {"zh": "列", "en": "Column"},
    "error_report.col_value": {"zh": "值", "en": "Value"},
    "error_report.col_reason": {"zh": "原因", "en": "Reason"},
    "error_report.col_count": {"zh": "行数", "en": "Rows"},
    "error_report.col_rows": {"zh": "如第几行", "en": "E.g. rows"},
    "error_report.filename": {"zh": "导入错误清单.xlsx", "en": "import-errors.xlsx"},
    "error_report_gone": {
        "zh": "错误清单不存在或已过期（保留 {hours} 小时），请重新导入文件以生成新的清单。",
        "en": "The list of errors does not exist or has expired (kept {hours} hours); import the file again for a "
              "new one.",
    },
    # the XLSX template of a record kind (records.workbooks.template_workbook)
    "template.filename": {"zh": "{kind}导入模板.xlsx", "en": "{kind} import template.xlsx"},
    "template.sheet_data": {"zh": "数据", "en": "Data"},
    "template.sheet_guide": {"zh": "填写说明", "en": "How to fill in"},
    "template.guide_title": {"zh": "{kind}导入模板：填写说明", "en": "{kind} import template: how to fill it in"},
    "template.note_first_sheet": {
        "zh": "第一个工作表「数据」的第 1 行是表头，请勿修改；从第 2 行起每行一条记录。列的顺序可以调整，可选列可以删除。",
        "en": "Row 1 of the first sheet (Data) holds the headers: keep them. One record a row from row 2. The columns "
              "may be reordered; optional columns may be left out.",
    },
    "template.note_example": {
        "zh": "第 2 行是示例（取自枞阳县演示数据），可原样导入；请改为实际数据或删除后再填写。",
        "en": "Row 2 is an example (from the Zongyang demo data) that imports as it is; replace or delete it.",
    },
    "template.note_dates": {
        "zh": "日期按 YYYY-MM-DD 填写（如 2025-03-05）；统一社会信用代码、编号按文本填写，不要转成数字。",
        "en": "Dates as YYYY-MM-DD (e.g. 2025-03-05); credit codes and ids as text, never as numbers.",
    },
    "template.note_all_or_nothing": {
        "zh": "文件整体校验：有任何错误则不写入任何数据，错误清单会写明行、列和原因。",
        "en": "The file is checked as a whole: with any error nothing is written, and the errors name the row, column "
              "and reason.",
    },
    "template.col_name": {"zh": "列名", "en": "Column"},
    "template.col_english": {"zh": "英文列名（也可用）", "en": "English name (also accepted)"},
    "template.col_required": {"zh": "必填", "en": "Required"},
    "template.col_type": {"zh": "类型", "en": "Type"},
    "template.col_rules": {"zh": "格式与要求", "en": "Format and rules"},
    "template.col_allowed": {"zh": "允许的值", "en": "Allowed values"},
    "template.col_max_len": {"zh": "最大长度（字）", "en": "Max length"},
    "template.col_example": {"zh": "示例", "en": "Example"},
    "template.col_aliases": {"zh": "也可写作", "en": "Other accepted headers"},
    "template.required_yes": {"zh": "是", "en": "yes"},
    "template.required_no": {"zh": "否", "en": "no"},
    "template.type_text": {"zh": "文本", "en": "text"},
    "template.type_credit_code": {"zh": "统一社会信用代码", "en": "credit code"},
    "template.type_date": {"zh": "日期", "en": "date"},
    "template.type_bool": {"zh": "是/否", "en": "yes/no"},
    "template.type_int": {"zh": "整数", "en": "whole number"},
    "template.type_decimal": {"zh": "数字", "en": "number"},
    "template.type_enum": {"zh": "选项", "en": "choice"},
    "template.rule_date": {"zh": "YYYY-MM-DD，如 2025-03-05（也可写 2025/3/5 或 2025年3月5日）",
                           "en": "YYYY-MM-DD, e.g. 2025-03-05 (2025/3/5 and 2025年3月5日 are read too)"},
    "template.rule_credit_code": {"zh": "18 位，按文本填写（不要转成数字）", "en": "18 characters, as text (never a number)"},
    "template.rule_int": {"zh": "整数", "en": "a whole number"},
    "template.rule_int_positive": {"zh": "大于 0 的整数", "en": "a whole number above 0"},
    "template.rule_decimal": {"zh": "不小于 0 的数字，保留两位小数", "en": "a number, not negative, two decimals kept"},
    "template.rule_choice": {"zh": "从下拉列表中选择", "en": "pick from the drop-down list"},
    "template.rule_listed": {"zh": "评价细则 {methodology} 规定的类别之一", "en": "a category of methodology {methodology}"},
    "template.rule_company": {"zh": "须是已导入的企业", "en": "a company already imported"},
    "template.rule_community": {"zh": "须是已导入的小区", "en": "a community already imported"},
    "template.rule_not_future": {"zh": "不得晚于导入当天", "en": "not after the day of the import"},
    "template.rule_not_before": {"zh": "不得早于「{other}」", "en": "not before '{other}'"},
    "template.rule_key": {"zh": "文件内不得重复；已导入的编号再次导入时更新原记录",
                          "en": "unique in the file; an id imported before updates that record"},
    "template.rule_separator": {"zh": "；", "en": "; "},
    "template.invalid_title": {"zh": "值不在允许范围内", "en": "Value not allowed"},
    "template.invalid_choice": {"zh": "允许的值：{choices}", "en": "Allowed values: {choices}"},
    # summaries
    "summary_title": {"zh": "导入结果", "en": "Import summary"},
    "validating": {"zh": "校验", "en": "Validating"},
    "writing": {"zh": "写入", "en": "Writing"},
    "reading": {"zh": "读取", "en": "Reading"},
    "rendering": {"zh": "生成 PDF", "en": "Rendering PDFs"},
    "errors_more": {"zh": "……另有 {count} 处已列出的错误未显示（用 --errors-csv 导出）。",
                    "en": "... and {count} more listed errors not shown (use --errors-csv to export them)."},
    "errors_xlsx_written": {"zh": "错误清单（XLSX）已写入 {path}", "en": "The list of errors (XLSX) written to {path}"},
    "errors_written": {"zh": "错误清单（及未逐一列出的错误计数）已写入 {path}",
                       "en": "The list of errors (and the counts of those not listed one by one) written to {path}"},
}
