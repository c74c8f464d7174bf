"""Messages of the public site, methodologies and validation."""

MESSAGES: dict[str, dict[str, str]] = {
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
}
