"""The fixed wording of the reports, Chinese by default with English available."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "notice_title": "物业服务企业信用评价结果告知书",
        "revised_title": "物业服务企业信用评价结果告知书（更正）",
        "bulletin_title": "物业服务企业信用评价结果公示名单",
        "intro": "根据《枞阳县物业服务企业信用评价办法》（评价方法{methodology}），我局对你单位{start}至{end}"
                 "（{cycle}）的物业服务信用情况进行了评价。现将评价结果告知如下：",
        "revised_intro": "经异议复核，我局对你单位{cycle}的信用评价结果作出更正，原告知书（{replaces}）同时作废。"
                         "更正前得分{prev_score}分、等级{prev_grade}级。更正后的评价结果告知如下：",
        "revised_decision": "（依据异议处理决定书{decision}）",
        "h_result": "一、评价结果",
        "result": "信用得分{score}分，信用等级{grade}级。",
        "provisional": "因评价期内管理规模或巡查次数不足，本等级为暂定等级。",
        "flags": "同时列入：{flags}。",
        "h_points": "二、各项指标得分",
        "col_indicator": "指标",
        "col_measure": "计量",
        "col_sub": "分项得分",
        "col_weight": "权重",
        "col_earned": "得分",
        "col_lost": "扣分",
        "not_assessed": "未评价",
        "bonus_row": "良好行为加分",
        "total_row": "综合得分",
        "h_reasons": "三、主要扣分原因及证据",
        "no_reasons": "评价期内无扣分事项。",
        "reason_line": "{label}：扣{lost}分。证据记录编号：{records}",
        "reason_line_nolost": "{label}。证据记录编号：{records}",
        "more_records": "等，共{count}条",
        "h_path": "四、提升路径",
        "h_appeal": "五、异议申诉",
        "appeal": "如对评价结果有异议，请于{deadline}（含当日，自告知之日起{days}个工作日内）登录枞阳县物业服务企业"
                  "信用评价系统提出异议申诉，写明异议的记录或计算事项、理由，并附证明材料（PDF、JPG 或 PNG）。"
                  "逾期未提出的，视为无异议，评价结果转为最终结果。",
        "h_verify": "六、真伪核验",
        "verify": "本告知书核验码{code}。扫描二维码或访问以下网址，可核验本告知书的内容及是否已被更正：",
        "signature_date": "{date}",
        "seal": "（盖章）",
        "cc": "统一社会信用代码：{credit_code}　　评价方法：{methodology}",
        "bulletin_intro": "根据《枞阳县物业服务企业信用评价办法》（评价方法{methodology}），我局对全县物业服务企业"
                          "{start}至{end}（{cycle}）的信用情况进行了评价，现将结果予以公示。公示期至{end_of_publicity}"
                          "止。对评价结果有异议的企业，请在公示期内通过信用评价系统提出异议申诉。",
        "bulletin_counts": "本次共评价{total}家企业，其中{counts}。",
        "col_no": "序号",
        "col_company": "企业名称",
        "col_code": "统一社会信用代码",
        "col_score": "得分",
        "col_grade": "等级",
        "col_lists": "备注",
        "provisional_mark": "（暂定）",
        "bulletin_note": "注：标注“暂定”的等级因评价期内管理规模或巡查次数不足而暂定；“红榜”“黑榜”依评价方法确定。",
        "page": "— {page} —",
        "date": "{y}年{m}月{d}日",
        "subject_notice": "{company}{cycle}信用评价结果",
        "subject_bulletin": "{cycle}信用评价结果公示名单",
        "grade_count": "{grade}级{count}家",
        "list_sep": "、",
    },
    "en": {
        "notice_title": "Notice of Credit Rating Result (Property Service Company)",
        "revised_title": "Revised Notice of Credit Rating Result (Property Service Company)",
        "bulletin_title": "Public List of Credit Rating Results (Property Service Companies)",
        "intro": "Under the Zongyang Property Service Company Credit Rating Rules (methodology {methodology}), the bureau "
                 "rated your company's property services from {start} to {end} ({cycle}). The result is as follows:",
        "revised_intro": "After reviewing an appeal, the bureau revises your company's rating in {cycle}; the earlier "
                         "notice ({replaces}) is withdrawn. Before the revision: score {prev_score}, grade {prev_grade}. "
                         "The revised result is as follows:",
        "revised_decision": "(by appeal decision {decision})",
        "h_result": "1. Result",
        "result": "Credit score {score}, grade {grade}.",
        "provisional": "The grade is provisional: too few households or inspection visits in the period.",
        "flags": "Also listed: {flags}.",
        "h_points": "2. Points by indicator",
        "col_indicator": "Indicator",
        "col_measure": "Measure",
        "col_sub": "Sub-score",
        "col_weight": "Weight",
        "col_earned": "Points",
        "col_lost": "Lost",
        "not_assessed": "not assessed",
        "bonus_row": "Good-conduct bonus",
        "total_row": "Total score",
        "h_reasons": "3. Main reasons for lost points, with evidence",
        "no_reasons": "No points were lost in the period.",
        "reason_line": "{label}: {lost} points lost. Evidence records: {records}",
        "reason_line_nolost": "{label}. Evidence records: {records}",
        "more_records": " and others, {count} in all",
        "h_path": "4. Path to the next grade",
        "h_appeal": "5. Appeals",
        "appeal": "If you disagree with the result, appeal by {deadline} (inclusive; {days} working days from this "
                  "notice) in the Zongyang credit rating system, naming the contested records or calculation, your "
                  "grounds, and evidence (PDF, JPG or PNG). Without an appeal the result becomes final.",
        "h_verify": "6. Verification",
        "verify": "Verification code {code}. Scan the QR code or open this address to check this notice and whether "
                  "it has been revised:",
        "signature_date": "{date}",
        "seal": "(seal)",
        "cc": "Methodology: {methodology}    Unified social credit code: {credit_code}",
        "bulletin_intro": "Under the Zongyang Property Service Company Credit Rating Rules (methodology {methodology}), "
                          "the bureau rated the county's property service companies from {start} to {end} ({cycle}). "
                          "The results are published for comment until {end_of_publicity}; a company that disagrees "
                          "may appeal in the credit rating system within that period.",
        "bulletin_counts": "{total} companies rated: {counts}.",
        "col_no": "No.",
        "col_company": "Company",
        "col_code": "Credit code",
        "col_score": "Score",
        "col_grade": "Grade",
        "col_lists": "Notes",
        "provisional_mark": " (provisional)",
        "bulletin_note": "Note: provisional grades had too few households or visits; red and black lists follow the "
                         "methodology.",
        "page": "— {page} —",
        "date": "{y}-{m:02d}-{d:02d}",
        "subject_notice": "{company}: credit rating {cycle}",
        "subject_bulletin": "{cycle}: public list of credit rating results",
        "grade_count": "grade {grade}: {count}",
        "list_sep": ", ",
    },
}
