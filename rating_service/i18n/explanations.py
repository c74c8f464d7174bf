"""The words of every explanation of a rating (``EXPLAIN_TEXT``, shaped ``{"zh": {...}, "en": {...}}``).

Used by the terminal (`rating score --explain`), the officer and company pages, the PDF notices and the public
site, through the helpers in rating_service/cycles/wording.py. No messages of its own (``MESSAGES`` is empty).
The names of indicators, reasons, flags and lists come from the methodology's ``words`` (scoring/methodologies);
the code-keyed names here (INSP, COMPL_RATE, …) serve the officers' analysis pages only.
"""

MESSAGES: dict[str, dict[str, str]] = {}

# The words of every explanation: the terminal (`rating score`), the officer and company pages, the PDF notices
# and the public site. Keys are the template fields. People never read a code: sentences name things in words and
# put formulas, with their symbols explained, only in the folded 计算方法 part.
EXPLAIN_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "rank": "名次", "name": "企业名称", "credit_code": "统一社会信用代码", "score": "得分", "grade": "等级",
        "flags": "标识", "reasons": "主要扣分原因", "provisional": "暂定", "veto": "一票否决", "red": "红榜",
        "black": "黑榜", "floor": "保底", "flag_sep": "、", "reason_sep": "；",
        "caption": "评价细则 {methodology}，评价期间 {start} 至 {end}，全县平均每千户每年查实投诉 {r0_k} 件，共 {count} 家企业",
        # Officers' analysis pages (validation, what-if) name indicators and reasons by these.
        "INSP": "巡查检查", "COMPL": "投诉处置", "FEE": "收费规范", "VETO": "一票否决",
        "COMPL_RATE": "查实投诉", "COMPL_TIMELY": "投诉未按时办结",
        "indicator": "指标", "measure": "实际情况", "sub_score": "指标得分", "weight": "权重", "earned": "得分",
        "lost": "扣分", "not_assessed": "未评价",
        "not_assessed_note": "本期没有这方面的数据，不参加评价，其权重按比例分给其他指标。",
        "title": "{name}（{code}）信用评价说明",
        "cycle": "评价细则 {methodology}，评价期间 {start} 至 {end}",
        "result": "综合得分 {score}，等级 {grade}",
        "band": "（按得分为 {band}）",
        "exposure": "服务规模 {exposure} 户年，巡查 {visits} 次，良好行为加分 {bonus}",
        "points_title": "一、指标得分",
        "indicator_line": "{label}：得 {earned} 分，扣 {lost} 分",
        "insp_measure": "巡查 {visits} 次，平均每次巡查发现问题折合 {d} 分（{points} 分 / {visits} 次）",
        "insp_clean": "巡查 {visits} 次，没有发现扣分问题",
        "compl_measure": "查实投诉 {count} 件，折合每千户每年 {r} 件，全县平均 {avg} 件",
        "compl_timely": "到期投诉 {due} 件，按时办结 {on_time} 件（{t}%）",
        "compl_late": "到期投诉 {due} 件，未按时办结 {late} 件，折合每千户每年 {l} 件",
        "compl_none_due": "没有到期的投诉",
        "fee_measure": "收费违规扣分合计 {f} 分",
        "fee_clean": "没有收费违规",
        "bonus_line": "良好行为加分 {bonus} 分；综合得分 {score} 分",
        "method_title": "计算方法",
        "method_insp": "巡查检查：d = D ÷ V = {points} ÷ {visits} = {d}。D 是巡查发现问题的扣分合计（一般问题 {minor} 分、"
                       "较重 {moderate} 分、严重 {serious} 分，未按期整改的乘以 {mult}），V 是巡查次数。指标得分按 d 分段"
                       "换算（{curve}），得 {s} 分。",
        "method_rate": "查实投诉：r = {per} × (C + k × p) ÷ (E + k) = {per} × ({c} + {k} × {p}) ÷ ({e} + {k}) = {r}。"
                       "C 是查实投诉件数，E 是服务规模（户年），p 是全县平均每户每年查实投诉件数，k = {k} 户年是可信度"
                       "常数：服务规模越小，越向全县平均水平靠拢。查实投诉得分 u 按 r 分段换算（{curve}），得 {u} 分。",
        "method_timely": "按时办结：v = 100 × t = {v}，t 是到期投诉中按时办结的比例（没有到期投诉时 t = 1）。",
        "method_late": "按时办结：l = {per} × L ÷ (E + k) = {per} × {late} ÷ ({e} + {k}) = {l}。L 是到期未按时办结的投诉"
                       "件数（不论是否查实），E 是服务规模（户年），k = {k} 户年是可信度常数；按时办结的投诉不影响 l。"
                       "按时办结得分 v 按 l 分段换算（{curve}），得 {v} 分。",
        "method_compl": "投诉处置：指标得分 = {rw} × u + {tw} × v = {rw} × {u} + {tw} × {v} = {s} 分。",
        "method_fee": "收费规范：F = {f}，是各项收费违规扣分之和（按违规类型计分，涉及金额每满 {step} 元加 1 分、最多加 "
                      "{cap} 分，已全额退还的乘以 {refund}）。指标得分按 F 分段换算（{curve}），得 {s} 分。",
        "method_total": "综合得分 = 各项指标得分 × 权重之和 + 良好行为加分 = {terms} + {bonus} = {raw}，四舍五入保留一位"
                        "小数为 {score} 分。",
        "method_weights": "有指标不参加评价时，其权重按比例分给其他指标，本期权重为：{weights}。",
        "curve_point": "{x} 时 {y} 分", "curve_last": "{x} 及以上 {y} 分", "curve_sep": "，",
        "term_sep": " + ", "weight_item": "{label} {weight}",
        "reasons_title": "二、扣分原因",
        "no_reasons": "无扣分。",
        "reason_line": "{rank}. {label}{lost}",
        "lost_suffix": "：扣 {lost} 分",
        "evidence_points": "{points} 分",
        "evidence_overdue": "逾期 {days} 天",
        "path_title": "三、升级路径",
        "path_top": "已是最高等级。",
        "path_veto": "因一票否决，等级评定为 {grade} 级，与得分无关；本期不能通过改善各项指标升级。",
        "path_gap": "升至 {grade} 级还差 {gap} 分",
        "path_single_lead": "做到以下任意一项即可：",
        "path_combined_lead": "单靠任何一项都不够，需要同时将{names}改善到：",
        "path_names_sep": "与",
        "path_none": "本期无法升至 {grade} 级：即使各项都做到最好，综合得分最多只能达到 {best} 分。",
        "path_step": "{label}：{text}",
        "path_insp": "平均每次巡查的问题扣分降到 {value} 分及以下（现为 {now} 分）",
        "path_insp_zero": "巡查不再发现扣分问题",
        "path_rate": "本期查实投诉不超过 {count} 件（折合每千户每年不超过 {value} 件，现为 {now} 件）",
        "path_timely": "到期投诉按时办结的比例提高到 {value}% 及以上（现为 {now}%）",
        "path_late": "本期未按时办结的投诉不超过 {count} 件（折合每千户每年不超过 {value} 件，现为 {now} 件）",
        "path_late_zero": "本期到期投诉全部按时办结（折合每千户每年不超过 {value} 件，现为 {now} 件）",
        "path_late_rate": "未按时办结的投诉折合每千户每年不超过 {value} 件（现为 {now} 件）",
        "path_fee": "收费违规扣分不超过 {value} 分（现为 {now} 分）",
        "path_fee_zero": "没有收费违规",
        "path_rate_zero": "本期没有查实投诉（折合每千户每年不超过 {value} 件，现为 {now} 件）",
        "path_rate_best": "本期没有查实投诉（即使如此，按全县平均水平折合每千户每年仍计 {value} 件，现为 {now} 件）",
        "path_other_item": "{label}最多可提高 {gain} 分",
        "path_others": "单独改善其他任何一项都不够：{items}。",
        "note_sep": "",
        "path_any": "任意取值均可",
        "prior_note": "即使本期没有一件查实投诉，按全县平均水平计入的部分仍然保留（服务规模越小，这部分越大），"
                      "所以查实投诉这一项达不到满分，最多可提高的分数少于扣分。",
    },
    "en": {
        "rank": "Rank", "name": "Name", "credit_code": "Credit code", "score": "Score", "grade": "Grade",
        "flags": "Flags", "reasons": "Top reasons", "provisional": "provisional", "veto": "veto", "red": "red",
        "black": "black", "floor": "floor", "flag_sep": ",", "reason_sep": "; ",
        "caption": "Methodology {methodology}, period {start} to {end}, county average {r0_k} substantiated complaints "
                   "per 1,000 households a year, {count} companies",
        "INSP": "Inspections", "COMPL": "Complaint handling", "FEE": "Fee conduct", "VETO": "Veto",
        "COMPL_RATE": "Substantiated complaints", "COMPL_TIMELY": "Complaints not resolved on time",
        "indicator": "Indicator", "measure": "What was found", "sub_score": "Sub-score", "weight": "Weight",
        "earned": "Points", "lost": "Points lost", "not_assessed": "not assessed",
        "not_assessed_note": "No data on this in the period: not assessed; its weight is shared among the others.",
        "title": "Credit rating explanation: {name} ({code})",
        "cycle": "Methodology {methodology}, period {start} to {end}",
        "result": "Score {score}, grade {grade}",
        "band": " (by score: {band})",
        "exposure": "{exposure} household-years served, {visits} inspection visits, bonus {bonus}",
        "points_title": "1. Indicators",
        "indicator_line": "{label}: {earned} points earned, {lost} points lost",
        "insp_measure": "{visits} inspection visits, on average {d} points of problems found per visit "
                        "({points} points / {visits} visits)",
        "insp_clean": "{visits} inspection visits, no problem that costs points",
        "compl_measure": "{count} substantiated complaints, {r} per 1,000 households a year; county average {avg}",
        "compl_timely": "{due} complaints due, {on_time} resolved on time ({t}%)",
        "compl_late": "{due} complaints due, {late} not resolved on time, {l} per 1,000 households a year",
        "compl_none_due": "no complaint was due",
        "fee_measure": "fee violations worth {f} points in all",
        "fee_clean": "no fee violation",
        "bonus_line": "Good-conduct bonus {bonus}; score {score}",
        "method_title": "How it is calculated",
        "method_insp": "Inspections: d = D ÷ V = {points} ÷ {visits} = {d}. D is the points of the problems found "
                       "(minor {minor}, moderate {moderate}, serious {serious}, times {mult} when not put right on "
                       "time), V the inspection visits. The sub-score follows d in steps ({curve}): {s}.",
        "method_rate": "Substantiated complaints: r = {per} × (C + k × p) ÷ (E + k) = {per} × ({c} + {k} × {p}) ÷ "
                       "({e} + {k}) = {r}. C is the substantiated complaints, E the household-years served, p the "
                       "county average per household a year, k = {k} household-years a credibility constant: the "
                       "smaller the company, the closer to the county average. The part score u follows r in steps "
                       "({curve}): {u}.",
        "method_timely": "On time: v = 100 × t = {v}, t being the share of due complaints resolved on time "
                         "(t = 1 when none was due).",
        "method_late": "On time: l = {per} × L ÷ (E + k) = {per} × {late} ÷ ({e} + {k}) = {l}. L is the due "
                       "complaints (substantiated or not) not resolved on time, E the household-years served, k = {k} "
                       "household-years a credibility constant; a complaint resolved on time does not change l. The "
                       "part score v follows l in steps ({curve}): {v}.",
        "method_compl": "Complaint handling: sub-score = {rw} × u + {tw} × v = {rw} × {u} + {tw} × {v} = {s}.",
        "method_fee": "Fee conduct: F = {f}, the points of the fee violations (by type, plus 1 per {step} yuan "
                      "involved up to {cap}, times {refund} when fully refunded). The sub-score follows F in steps "
                      "({curve}): {s}.",
        "method_total": "Score = sum of sub-score × weight + bonus = {terms} + {bonus} = {raw}, rounded to one "
                        "decimal: {score}.",
        "method_weights": "An indicator not assessed shares its weight among the others in proportion; this "
                          "period's weights: {weights}.",
        "curve_point": "{y} at {x}", "curve_last": "{y} from {x}", "curve_sep": ", ",
        "term_sep": " + ", "weight_item": "{label} {weight}",
        "reasons_title": "2. Reasons",
        "no_reasons": "No points lost.",
        "reason_line": "{rank}. {label}{lost}",
        "lost_suffix": ": {lost} points lost",
        "evidence_points": "{points} pts",
        "evidence_overdue": "{days} days overdue",
        "path_title": "3. Path to the next grade",
        "path_top": "Already at the top grade.",
        "path_veto": "Vetoed: the grade is {grade} whatever the score; improving the indicators cannot raise it "
                     "this period.",
        "path_gap": "To reach {grade}: {gap} points needed",
        "path_single_lead": "Any one of these is enough:",
        "path_combined_lead": "No single one is enough; improve {names} together to:",
        "path_names_sep": " and ",
        "path_none": "{grade} cannot be reached this period: even with every indicator at its best the score "
                     "reaches only {best}.",
        "path_step": "{label}: {text}",
        "path_insp": "problems found at most {value} points per inspection visit (now {now})",
        "path_insp_zero": "no problem that costs points in inspections",
        "path_rate": "at most {count} substantiated complaints in the period (at most {value} per 1,000 "
                     "households a year; now {now})",
        "path_timely": "at least {value}% of due complaints resolved on time (now {now}%)",
        "path_late": "at most {count} complaints not resolved on time in the period (at most {value} per 1,000 "
                     "households a year; now {now})",
        "path_late_zero": "every due complaint resolved on time in the period (at most {value} per 1,000 "
                          "households a year; now {now})",
        "path_late_rate": "complaints not resolved on time at most {value} per 1,000 households a year (now {now})",
        "path_fee": "fee violations worth at most {value} points (now {now})",
        "path_fee_zero": "no fee violation",
        "path_rate_zero": "no substantiated complaint in the period (at most {value} per 1,000 households a year; "
                          "now {now})",
        "path_rate_best": "no substantiated complaint in the period (even so, the county average still counts "
                          "{value} per 1,000 households a year; now {now})",
        "path_other_item": "{label} at most {gain} points more",
        "path_others": "No other single one is enough: {items}.",
        "note_sep": " ",
        "path_any": "any value",
        "prior_note": "Even with no substantiated complaint at all, the part that stands for the county average "
                      "stays (the larger, the smaller the company), so this part cannot reach full marks and can "
                      "gain less than it lost.",
    },
}
