"""Messages of the working-day calendar and the documents (notices, bulletins) of a cycle; the words of the
verification page (``PAGE_TEXT``)."""

MESSAGES: dict[str, dict[str, str]] = {
    "public_bulletin_not_found": {"zh": "评价周期 {cycle_id} 没有可公开的公示名单。",
                                  "en": "Cycle {cycle_id} has no public bulletin."},
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
}

PAGE_TEXT = {
    "verify_title": {"zh": "告知书真伪核验", "en": "Verify a notice"},
    "verify_intro": {"zh": "输入告知书上的核验码，或扫描告知书上的二维码。",
                     "en": "Enter the verification code printed on the notice, or scan its QR code."},
    "verify_code": {"zh": "核验码", "en": "Verification code"},
    "verify_submit": {"zh": "核验", "en": "Verify"},
    "verify_valid": {"zh": "该核验码对应以下文书，内容以此为准。", "en": "This code stands for the document below."},
    "verify_revised": {"zh": "该文书已被更正，请以更正后的文书 {number} 为准。",
                       "en": "This document has been revised; the revision {number} is in force."},
    "doc_kind": {"zh": "文书", "en": "Document"},
    "doc_number": {"zh": "文号", "en": "Number"},
    "issue_date": {"zh": "发文日期", "en": "Issued"},
    "company": {"zh": "企业", "en": "Company"},
    "credit_code": {"zh": "统一社会信用代码", "en": "Credit code"},
    "cycle": {"zh": "评价周期", "en": "Cycle"},
    "score": {"zh": "信用得分", "en": "Score"},
    "grade": {"zh": "信用等级", "en": "Grade"},
    "provisional": {"zh": "（暂定）", "en": " (provisional)"},
    # -- i19 docs
    "outcome": {"zh": "决定", "en": "Decision"},
    "repairs": {"zh": "信用修复", "en": "Credit repair"},
    "repair_line": {"zh": "{date}起已修复，信用修复决定书{number}", "en": "Repaired from {date}, decision {number}"},
    "repairs_note": {
        "zh": "该企业本周期的失信信息已作出信用修复决定（见下表）。本告知书的评价结果不因修复而改变，公示信息自修复之日起相应调整。",
        "en": "A credit repair decision was made on this company's marks in this cycle (see below). The rating in "
              "this notice is not changed by it; the published record changes from the day of the repair.",
    },
}
