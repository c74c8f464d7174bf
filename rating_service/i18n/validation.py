"""The words of the validation page and report (``PAGE_TEXT``) and the short names of score reasons
(``REASON_WORDS``); the validation messages themselves are in ``disclosure``. ``MESSAGES`` is empty.
"""

MESSAGES: dict[str, dict[str, str]] = {}

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
    "what_if_title": {"zh": "修订模拟（what-if）", "en": "What-if"},
    "what_if_intro": {
        "zh": "修改权重、折线断点或等级分界（或上传 YAML 文件），用所选已"
              "计算周期的冻结数据重新计算，查看等级变化。模拟不改变任何评价结果。",
        "en": "Change weights, breakpoints or grade bands (or upload a YAML file) and see how the chosen rated "
              "cycle's frozen data would be graded. Nothing is changed by a what-if.",
    },
    "base": {"zh": "起草依据", "en": "Start from"},
    "weights": {"zh": "权重", "en": "Weights"},
    "breakpoints": {"zh": "断点（x:得分，逗号分隔）", "en": "Breakpoints (x:score, comma-separated)"},
    "bands": {"zh": "等级最低分", "en": "Grade lower edges"},
    "upload": {"zh": "或上传 YAML 文件", "en": "Or upload a YAML file"},
    "simulate": {"zh": "模拟", "en": "Simulate"},
    "changed_companies": {"zh": "等级将改变的企业（{n} 家）", "en": "Companies whose grade would change ({n})"},
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
    "FEE": {"zh": "收费规范", "en": "fees"},
    "BONUS": {"zh": "加分", "en": "bonus"},
    "BANDS": {"zh": "等级分界", "en": "grade bands"},
}
