"""Messages of rating cycles: creating, computing, publicizing, finalizing, background jobs."""

MESSAGES: dict[str, dict[str, str]] = {
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
    "job_interrupted": {
        "zh": "计算因服务重启而中断，请重新计算。", "en": "The computation was interrupted by a restart; compute again.",
    },
}
