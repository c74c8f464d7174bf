"""The words of the validation page and report (``PAGE_TEXT``) and the short names of score reasons
(``REASON_WORDS``); the older validation messages are in ``disclosure``. ``MESSAGES`` holds the errors of the
what-if form and of a draft methodology by the rule it breaks (``rule_<kind>``, the kinds that
``scoring.methodology.RuleError`` and pydantic name), and the refusal of an outcome cycle that does not follow the
cycle it judges. ``{field}`` is always the field in words (``field_*`` of ``PAGE_TEXT``), never a YAML key path.

The plain conclusion of the validation report (``conclusion_*``) bands the figures; the thresholds live in
``rating_service/validation/wording.py`` with their reasoning.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "validation_next_not_later": {
        "zh": "结果观察周期应在被检验周期之后：「{next}」（{next_start} 起）没有晚于「{cycle}」（{cycle_end} 止）。"
              "请选择一个更晚的周期作为结果观察周期。",
        "en": "The outcome cycle must come after the cycle tested: {next} (from {next_start}) does not start after "
              "{cycle} (to {cycle_end}). Choose a later cycle as the outcome cycle.",
    },
    "rule_not_a_number": {"zh": "{field}：“{value}”不是数字。", "en": "{field}: '{value}' is not a number."},
    "rule_weight_range": {"zh": "{field}：权重应在 0% 到 100% 之间，现为 {value}%。",
                          "en": "{field}: a weight is between 0% and 100%, not {value}%."},
    "rule_weights_sum": {"zh": "各指标权重合计应为 100%，现为 {total}%。",
                         "en": "The weights must add up to 100%; they add up to {total}%."},
    "rule_row_half": {"zh": "{field}第 {row} 行：请同时填写指标值和得分。",
                      "en": "{field}, row {row}: give both the indicator value and the score."},
    "rule_too_many_rows": {"zh": "{field}：最多 {limit} 行。", "en": "{field}: at most {limit} rows."},
    "rule_breakpoints_too_few": {"zh": "{field}：至少需要两行（指标值和得分）。",
                                 "en": "{field}: at least two rows (value and score) are needed."},
    "rule_breakpoints_first_x": {"zh": "{field}第 1 行：指标值应从 0 开始，现为 {value}。",
                                 "en": "{field}, row 1: the indicator value starts at 0, not {value}."},
    "rule_breakpoints_x_order": {"zh": "{field}第 {row} 行：指标值应逐行递增，{value} 没有大于上一行的 {previous}。",
                                 "en": "{field}, row {row}: indicator values must increase; {value} is not above "
                                       "{previous} in the row before."},
    "rule_breakpoints_y_order": {"zh": "{field}第 {row} 行：得分不得高于上一行，{value} 高于上一行的 {previous}。",
                                 "en": "{field}, row {row}: a score may not be above the row before; {value} is "
                                       "above {previous}."},
    "rule_score_range": {"zh": "{field}第 {row} 行：得分应在 0 到 100 之间，现为 {value}。",
                         "en": "{field}, row {row}: a score is between 0 and 100, not {value}."},
    "rule_value_negative": {"zh": "{field}第 {row} 行：指标值不能为负数，现为 {value}。",
                            "en": "{field}, row {row}: an indicator value may not be negative, not {value}."},
    "rule_band_range": {"zh": "{field}：最低分应在 0 到 100 之间，现为 {value}。",
                        "en": "{field}: a lower edge is between 0 and 100, not {value}."},
    "rule_bands_order": {"zh": "等级分界：{grade} 级的最低分 {value} 应低于上一等级的 {previous}。",
                         "en": "Grade bands: the lower edge of {grade}, {value}, must be below {previous} of the "
                               "grade above."},
    "rule_bands_gap": {"zh": "等级分界：最低的 {grade} 级应从 0 分起，现为 {value}。",
                       "en": "Grade bands: the lowest grade, {grade}, must start at 0, not {value}."},
    "rule_negative": {"zh": "{field}：不能为负数。", "en": "{field}: may not be negative."},
    "rule_out_of_range": {"zh": "{field}：取值超出允许范围（{bound}）。", "en": "{field}: out of range ({bound})."},
    "rule_other": {"zh": "{field}：{reason}", "en": "{field}: {reason}"},
}

PAGE_TEXT: dict[str, dict[str, str]] = {
    "validation_title": {"zh": "评价细则验证报告", "en": "Methodology validation report"},
    "validation_intro": {
        "zh": "用前一评价周期的信用分和等级，检验其对下一周期实际发生的不良"
              "情况的预测能力；并检查等级迁移、得分分布稳定性和权重敏感性。"
              "建议权重仅供参考，评价细则只能由住建局决定修订。",
        "en": "A cycle's scores and grades tested against what happened in the next cycle; grade migration, "
              "score stability and sensitivity to the weights. Advisory weights are advice only: the methodology "
              "changes only by the bureau's decision.",
    },
    "cycle": {"zh": "被检验周期", "en": "Cycle tested"},
    "next": {"zh": "结果观察周期", "en": "Outcome cycle"},
    "methodology": {"zh": "评价细则", "en": "Methodology"},
    "run": {"zh": "生成报告", "en": "Run"},
    "download_pdf": {"zh": "下载 PDF 报告", "en": "Download the PDF report"},
    "back_test": {"zh": "回测：得分对下一周期不良情况的区分能力",
                  "en": "Back-test: how well scores rank next-cycle outcomes"},
    "outcome": {"zh": "不良情况", "en": "Outcome"},
    "companies": {"zh": "企业数", "en": "Companies"},
    "events": {"zh": "发生数", "en": "Events"},
    "auc": {"zh": "AUC", "en": "AUC"},
    "gini": {"zh": "Gini", "en": "Gini"},
    "ci": {"zh": "{p}% 区间", "en": "{p}% interval"},
    "monotone": {"zh": "等级越高发生率越低", "en": "Rate falls as grade rises"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "rate_by_grade": {"zh": "各等级发生率", "en": "Outcome rate by grade"},
    "grade": {"zh": "等级", "en": "Grade"},
    "rate": {"zh": "发生率", "en": "Rate"},
    "auc_note": {
        "zh": "AUC 为 0.5 表示与随机排序无异，越接近 1 越好；Gini = 2×AUC − 1。区间为企业重抽样 {n} 次的百分位区间。",
        "en": "AUC 0.5 is no better than chance, 1 is perfect; Gini = 2·AUC − 1. Intervals: percentile bootstrap over "
              "companies, {n} resamples.",
    },
    "migration": {"zh": "等级迁移矩阵", "en": "Grade migration"},
    "migration_note": {
        "zh": "行：被检验周期的等级；列：结果观察周期的等级。两期均参评 {both} 家"
              "，维持 {stayed} 家，上升 {up} 家，下降 {down} 家；"
              "新参评 {entered} 家，退出 {left} 家。",
        "en": "Rows: grade in the cycle tested; columns: grade in the outcome cycle. Rated in both: {both}; stayed "
              "{stayed}, up {up}, down {down}; entered {entered}, left {left}.",
    },
    "before_after": {"zh": "前 \\ 后", "en": "before \\ after"},
    "total": {"zh": "合计", "en": "Total"},
    "stability": {"zh": "得分分布稳定性（PSI）", "en": "Score stability (PSI)"},
    "psi_value": {"zh": "PSI = {psi}：{label}", "en": "PSI = {psi}: {label}"},
    "psi_stable": {"zh": "稳定（< 0.1）", "en": "stable (< 0.1)"},
    "psi_watch": {"zh": "需关注（0.1–0.25）", "en": "watch (0.1–0.25)"},
    "psi_shift": {"zh": "明显变化（> 0.25）", "en": "shift (> 0.25)"},
    "psi_small": {"zh": "参评企业较少（{n} 家），分区占比波动大，PSI 仅供参考。",
                  "en": "Few companies ({n}): band shares are noisy; read the PSI with care."},
    "psi_legend": {"zh": "各得分区间的企业占比：灰色为被检验周期，红色为结果观察周期",
                   "en": "Share of companies per score band: grey, the cycle tested; red, the outcome cycle"},
    "sensitivity": {"zh": "权重敏感性", "en": "Sensitivity to the weights"},
    "sensitivity_note": {
        "zh": "各指标权重随机上下浮动 {spread}%，共 {draws} 次（随机种子 {seed}）：排名一致性 Kendall τ 中位数 {tau}"
              "（5%–95%：{tau_lo}–{tau_hi}），等级改变的企业比例中位数 {share}（5%–95%：{share_lo}–{share_hi}）。",
        "en": "Each weight moved at random by up to ±{spread}%, {draws} draws (seed {seed}): Kendall's τ of the ranks, "
              "median {tau} (5–95%: {tau_lo}–{tau_hi}); share of companies whose grade changes, median {share} "
              "(5–95%: {share_lo}–{share_hi}).",
    },
    "no_rated": {"zh": "还没有已计算的评价周期：请先在「评价周期」中计算一个周期。",
                 "en": "No cycle has been rated yet: compute one under Rating cycles first."},
    "most_moved": {"zh": "等级最易变动的企业", "en": "Companies whose grade moves most"},
    "company": {"zh": "企业", "en": "Company"},
    "score": {"zh": "信用分", "en": "Score"},
    "changed_share": {"zh": "等级改变的抽样比例", "en": "Draws with another grade"},
    "grades_seen": {"zh": "出现过的等级", "en": "Grades seen"},
    "advice": {"zh": "建议权重（仅供参考）", "en": "Advisory weights (advice only)"},
    "advice_note": {
        "zh": "以被检验周期的分项得分对下一周期不良情况做 logistic "
              "回归；系数为负（得分越高风险越低）的指标按系数大小分配建议权重，"
              "系数为正的指标给出警示且不采用。",
        "en": "Logistic regression of the next-cycle outcome on the cycle's sub-scores; indicators with a negative "
              "coefficient (higher sub-score, lower risk) share the suggested weight by its size; a positive "
              "coefficient is a warning and is not used.",
    },
    "indicator": {"zh": "指标", "en": "Indicator"},
    "current_weight": {"zh": "现行权重", "en": "Current weight"},
    "coefficient": {"zh": "回归系数", "en": "Coefficient"},
    "suggested": {"zh": "建议权重", "en": "Suggested"},
    "no_advice": {"zh": "无建议：{reason}", "en": "No advice: {reason}"},
    "warnings": {"zh": "警示", "en": "Warnings"},
    "generated": {"zh": "生成日期", "en": "Generated on"},
    # methodologies and what-if
    "methodologies_title": {"zh": "评价细则版本", "en": "Methodology versions"},
    "in_force_today": {"zh": "今日施行", "en": "In force today"},
    "shipped": {"zh": "随系统发布", "en": "Shipped"},
    "adopted": {"zh": "住建局采用", "en": "Adopted"},
    "effective_from": {"zh": "施行日期", "en": "In force from"},
    "adopted_by": {"zh": "采用人", "en": "Adopted by"},
    "what_if_title": {"zh": "修订模拟", "en": "What-if"},
    "what_if_intro": {
        "zh": "修改权重、评分折线或等级分界，用所选已计算周期的冻结数据重新计算，查看哪些企业的等级会变化。"
              "模拟不改变任何评价结果。",
        "en": "Change the weights, the scoring curves or the grade bands and see how the chosen rated cycle's frozen "
              "data would be graded. Nothing is changed by a what-if.",
    },
    "version_id": {"zh": "版本编号", "en": "Version"},
    "draft_name": {"zh": "修订草案", "en": "the draft"},
    "base": {"zh": "起草依据", "en": "Start from"},
    "weights": {"zh": "权重", "en": "Weights"},
    "breakpoints": {"zh": "评分折线", "en": "Scoring curves"},
    "breakpoints_note": {"zh": "每行一个折点：指标值达到左列时得右列的分，两行之间按直线过渡；第一行指标值为 0，"
                               "指标值逐行增大，得分逐行不升。空行不计。",
                         "en": "One point a row: at the value on the left the indicator scores the score on the right, "
                               "straight lines in between; the first value is 0, values increase, scores do not "
                               "rise. Blank rows are ignored."},
    "x_value": {"zh": "指标值", "en": "Indicator value"},
    "y_score": {"zh": "得分", "en": "Score"},
    "add_row": {"zh": "添加一行", "en": "Add a row"},
    "remove_row": {"zh": "删除", "en": "Remove"},
    "remove_row_of": {"zh": "删除第 {n} 行", "en": "Remove row {n}"},
    "weights_note": {"zh": "以百分比填写，各指标权重合计应为 100%。", "en": "In per cent; the weights add up to 100%."},
    "weights_total": {"zh": "合计 {total}%", "en": "Total {total}%"},
    "weights_total_bad": {"zh": "合计 {total}%：应为 100%", "en": "Total {total}%: must be 100%"},
    "bands": {"zh": "等级最低分", "en": "Grade lower edges"},
    "band_of": {"zh": "{grade} 级", "en": "{grade}"},
    "upload": {"zh": "高级：上传评价细则 YAML 文件", "en": "Advanced: upload a methodology YAML file"},
    "upload_note": {"zh": "上传文件时，以文件内容为准，上面填写的权重、折线和等级分界不再使用。",
                    "en": "With a file, the file is tried as it is; the weights, curves and bands above are not used."},
    "upload_file": {"zh": "YAML 文件", "en": "YAML file"},
    "busy": {"zh": "正在计算，请稍候…", "en": "Working it out, please wait…"},
    "field_weights": {"zh": "指标权重", "en": "Weights"},
    "field_weight_of": {"zh": "「{name}」权重", "en": "Weight of {name}"},
    "field_curve_of": {"zh": "「{name}」评分折线", "en": "Scoring curve of {name}"},
    "field_timeliness_curve": {"zh": "「{name}」未按时办结率折线", "en": "Late-complaint rate curve of {name}"},
    "field_timeliness_rule": {"zh": "「{name}」按时办结计分规则", "en": "Timeliness rule of {name}"},
    "timeliness_share": {"zh": "按到期投诉中按时办结的比例计分", "en": "scored by the share of due complaints resolved "
                                                                  "on time"},
    "timeliness_late_rate": {"zh": "按未按时办结的投诉件数计分（每 {per} 户年，可信度常数 {k} 户年）",
                             "en": "scored by the complaints not resolved on time per {per} household-years "
                                   "(credibility constant {k} household-years)"},
    "timeliness_curve_note": {"zh": "横轴为每千户年未按时办结的投诉件数（不论是否查实），纵轴为按时办结部分的得分。",
                              "en": "Across: complaints (substantiated or not) not resolved on time per 1,000 "
                                    "household-years; up: the score of the timeliness part."},
    "rule_changes": {"zh": "与「{current}」相比，改动的规则：", "en": "Rules changed from {current}:"},
    "rule_change": {"zh": "{field}：{before} → {after}", "en": "{field}: {before} → {after}"},
    "no_rule_change": {"zh": "规则与「{current}」相同。", "en": "The rules are those of {current}."},
    "field_bands": {"zh": "等级分界", "en": "Grade bands"},
    "field_band_of": {"zh": "{grade} 级最低分", "en": "Lower edge of {grade}"},
    "field_file": {"zh": "上传的文件", "en": "The uploaded file"},
    "field_line": {"zh": "文件第 {n} 行", "en": "Line {n} of the file"},
    "field_path": {"zh": "文件中的“{path}”", "en": "'{path}' in the file"},
    # the plain conclusion of the validation report
    "conclusion_title": {"zh": "结论", "en": "Conclusion"},
    "conclusion_strong": {"zh": "区分能力很强", "en": "Very strong discrimination"},
    "conclusion_good": {"zh": "区分能力良好", "en": "Good discrimination"},
    "conclusion_fair": {"zh": "区分能力一般", "en": "Fair discrimination"},
    "conclusion_weak": {"zh": "区分能力较弱", "en": "Weak discrimination"},
    "conclusion_none": {"zh": "基本没有区分能力", "en": "Next to no discrimination"},
    "conclusion_reverse": {"zh": "区分方向相反", "en": "Discrimination the wrong way round"},
    "conclusion_unknown": {"zh": "无法判断", "en": "Cannot be judged"},
    "conclusion_monotone": {"zh": "{band}：评级越低的企业，{outcome}的比例越高（AUC {auc}）。",
                            "en": "{band}: the lower the grade, the higher the share of companies with {outcome} "
                                  "(AUC {auc})."},
    "conclusion_mostly": {"zh": "{band}：总体上评级较低的企业{outcome}的比例较高，但并非每降一级都更高（AUC {auc}）。",
                          "en": "{band}: on the whole, lower grades have a higher share of companies with {outcome}, "
                                "though not at every step down (AUC {auc})."},
    "conclusion_flat": {"zh": "{band}：{outcome}的企业在各等级中差不多一样多，评级几乎没有预示作用（AUC {auc}）。",
                        "en": "{band}: companies with {outcome} are spread about evenly over the grades; the grade "
                              "says little about it (AUC {auc})."},
    "conclusion_reversed": {"zh": "{band}：评级较高的企业{outcome}的比例反而更高（AUC {auc}），建议复核评价细则。",
                            "en": "{band}: higher grades have the higher share of companies with {outcome} "
                                  "(AUC {auc}); the methodology should be reviewed."},
    "conclusion_no_events": {"zh": "{outcome}：下一周期没有或几乎没有企业出现这种情况，无法判断区分能力。",
                             "en": "{outcome}: too few companies (or none) had it in the next cycle to judge."},
    "conclusion_uncertain": {"zh": "样本较少，这一判断还不确定（{p}% 区间 {lo}–{hi} 包含 0.5，即与随机排序无异）。",
                             "en": "Few cases: this is not yet certain (the {p}% interval {lo}–{hi} includes 0.5, "
                                   "no better than chance)."},
    "conclusion_stable": {"zh": "两个周期的得分分布基本一致，评分稳定（PSI {psi}）。",
                          "en": "The scores are spread the same way in both cycles: stable (PSI {psi})."},
    "conclusion_watch": {"zh": "两个周期的得分分布有一定变化，需要关注原因（PSI {psi}）。",
                         "en": "The spread of the scores moved somewhat between the cycles; worth a look (PSI {psi})."},
    "conclusion_shift": {"zh": "两个周期的得分分布变化明显，应查明是企业情况变化还是数据或细则变化（PSI {psi}）。",
                         "en": "The spread of the scores moved markedly; find out whether the companies, the data or "
                               "the rules changed (PSI {psi})."},
    "conclusion_tau_high": {"zh": "各项权重上下浮动 {spread}% 时，企业排名几乎不变，结论对权重不敏感"
                                  "（排名一致性 {tau}）。",
                            "en": "With every weight moved by up to {spread}%, the ranking hardly changes: the result "
                                  "does not hang on the exact weights (rank agreement {tau})."},
    "conclusion_tau_mid": {"zh": "各项权重上下浮动 {spread}% 时，企业排名大体一致，但有部分企业名次变动"
                                 "（排名一致性 {tau}）。",
                           "en": "With every weight moved by up to {spread}%, the ranking mostly holds, but some "
                                 "companies move (rank agreement {tau})."},
    "conclusion_tau_low": {"zh": "各项权重上下浮动 {spread}% 时，企业排名变化较大，评级结果对权重的取值很敏感"
                                 "（排名一致性 {tau}）。",
                           "en": "With every weight moved by up to {spread}%, the ranking changes a lot: the grades "
                                 "hang on the exact weights (rank agreement {tau})."},
    "details": {"zh": "技术指标与图表", "en": "Technical figures and charts"},
    "metric_auc": {"zh": "AUC：随机取一家下一周期发生不良情况的企业和一家未发生的企业，前者得分更低的概率；0.5 "
                           "等于随机，1 为完全区分。",
                   "en": "AUC: the chance that a company that had the outcome scored lower than one that did not; "
                         "0.5 is chance, 1 is perfect."},
    "metric_gini": {"zh": "Gini：由 AUC 换算（2×AUC − 1），0 为无区分，1 为完全区分。",
                    "en": "Gini: AUC rescaled (2·AUC − 1), 0 is no discrimination, 1 perfect."},
    "metric_psi": {"zh": "PSI（群体稳定性指数）：比较两个周期各得分区间的企业占比，越小越稳定，低于 0.1 视为稳定。",
                   "en": "PSI (population stability index): compares the share of companies in each score band "
                         "between the cycles; smaller is steadier, below 0.1 counts as stable."},
    "metric_tau": {"zh": "Kendall τ（排名一致性）：权重随机浮动后的企业排名与原排名的一致程度，1 为完全相同。",
                   "en": "Kendall's τ (rank agreement): how far the ranking with shaken weights agrees with the "
                         "original one; 1 is identical."},
    "advice_wrong_sign": {"zh": "「{name}」分项得分越高，风险反而越高（系数 {coef}），与预期相反，建议权重不予采用。",
                          "en": "A higher {name} sub-score goes with more risk (coefficient {coef}): the wrong sign, "
                                "not used."},
    "advice_no_variation": {"zh": "「{name}」分项得分没有差异，无法估计。",
                            "en": "{name} sub-scores do not vary: no estimate."},
    "pairs_note": {"zh": "结果观察周期须晚于被检验周期。", "en": "The outcome cycle must come after the cycle tested."},
    "simulate": {"zh": "模拟", "en": "Simulate"},
    "changed_companies": {"zh": "等级将改变的企业（{n} 家）", "en": "Companies whose grade would change ({n})"},
    "score_moves_cut": {"zh": "仅列出变化最大的 {n} 家；全部见接口 POST /api/v1/methodologies/what-if 的 score_moves。",
                        "en": "Only the {n} largest changes are listed; every one is in score_moves of POST "
                              "/api/v1/methodologies/what-if."},
    "score_moves": {"zh": "得分变化、等级不变的企业（{n} 家，按变化大小排列）",
                    "en": "Companies whose score would change and grade would not ({n}, largest change first)"},
    "no_change": {"zh": "没有企业的等级发生变化。", "en": "No company's grade would change."},
    "why": {"zh": "原因", "en": "Why"},
    "adopt_title": {"zh": "采用为新版本", "en": "Adopt as a new version"},
    "adopt_note": {
        "zh": "采用后形成新的评价细则版本，自施行日期起用于新建的评价周期；已有周期仍使用原版本。操作记入审计日志。",
        "en": "Adopting creates a new methodology version, used by cycles created for periods ending on or after its "
              "effective date; existing cycles keep theirs. The adoption is audited.",
    },
    "new_id": {"zh": "新版本编号", "en": "New version id"},
    "new_title": {"zh": "名称", "en": "Title"},
    "reason": {"zh": "采用理由", "en": "Reason"},
    "adopt": {"zh": "采用", "en": "Adopt"},
    "admin_only": {"zh": "只有管理员可以采用新版本。", "en": "Only an administrator can adopt a version."},
}

REASON_WORDS: dict[str, dict[str, str]] = {
    "VETO": {"zh": "一票否决", "en": "veto"},
    "FLOOR": {"zh": "保底等级", "en": "floor"},
    "INSP": {"zh": "巡查检查", "en": "inspections"},
    "COMPL": {"zh": "投诉处置", "en": "complaints"},
    # The parts of the complaints score that moved (after COMPL, worded in brackets by ``reason_text``).
    "COMPL_RATE": {"zh": "查实投诉率部分", "en": "its substantiated-rate part"},
    "COMPL_TIMELY": {"zh": "按时办结部分", "en": "its timeliness part"},
    "FEE": {"zh": "收费规范", "en": "fees"},
    "BONUS": {"zh": "加分", "en": "bonus"},
    "BANDS": {"zh": "等级分界", "en": "grade bands"},
}
