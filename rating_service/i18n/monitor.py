"""Early warning (预警): its messages and the words of its pages and weekly summary."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # -- monitor
    "monitor_no_cycle": {"zh": "还没有已计算的评价周期，暂无法预警。",
                         "en": "No rating cycle has been computed yet, so there is no early warning."},
    "monitor_not_started": {"zh": "本期预警自 {start} 起算，尚未开始。",
                            "en": "The early-warning period starts on {start}; it has not begun."},
    "monitor_company_not_rated": {"zh": "本企业在本期截至目前没有可计算的记录，暂无预警得分。",
                                  "en": "Your company has no rated records in the period so far: no running score."},
    "monitor_summary_not_found": {"zh": "{week} 所在周没有预警周报。", "en": "No weekly summary for the week of {week}."},
    "monitor_week_invalid": {"zh": "「周」应为日期，如 2026-11-30。", "en": "week must be a date such as 2026-11-30."},
    "monitor_company_only": {"zh": "只有企业账户可以查看本企业的预警。",
                             "en": "Only a company account has its own early warning."},
    "monitor_summary_written": {"zh": "已写入 {week} 起一周的预警周报（{lines} 家企业）。",
                                "en": "Weekly summary of the week from {week} written ({lines} companies)."},
}

# The words of the early-warning pages (officer page, weekly summary, a company's own running position).
PAGE_TEXT: dict[str, dict[str, str]] = {
    "page_title": {"zh": "信用预警", "en": "Early warning"},  # not "title": that key is the site's name
    # -- monitor
    "provisional": {"zh": "暂定·不公开", "en": "Provisional · not published"},
    "intro": {"zh": "按本期截至今天的记录，用与年度评价相同的细则和算法试算的得分。仅供内部预警，不是评价结果，"
                    "不公示、不进入开放数据。",
              "en": "A running rating of the period to date, with the same methodology and engine as the annual "
                    "rating. For early warning only: not a rating, never published, not in open data."},
    "period": {"zh": "本期：{start} 至 {end}（上一周期「{cycle}」之后）", "en": "Period: {start} to {end} (after "
               "the cycle “{cycle}”)"},
    "methodology": {"zh": "评价细则：{id}", "en": "Methodology: {id}"},
    "margin_note": {"zh": "距下一等级分数线 {margin} 分以内的企业也列出。",
                    "en": "Companies within {margin} points of the next band down are listed too."},
    "sliding_title": {"zh": "下滑或临近降级的企业（{count} 家）", "en": "Sliding or close to the band below ({count})"},
    "none_sliding": {"zh": "目前没有企业下滑或临近降级。", "en": "No company is sliding or close to the band below."},
    "others_title": {"zh": "其他企业（{count} 家）", "en": "Other companies ({count})"},
    "col_company": {"zh": "企业", "en": "Company"},
    "col_last": {"zh": "上期等级", "en": "Last grade"},
    "col_running": {"zh": "本期试算", "en": "Running"},
    "col_score": {"zh": "试算得分", "en": "Running score"},
    "col_last_score": {"zh": "上期得分", "en": "Last score"},
    "col_margin": {"zh": "距下一等级", "en": "Above the band below"},
    "margin_points": {"zh": "高出 {grade} 级分数线 {points} 分", "en": "{points} points above {grade}"},
    "lowest_band": {"zh": "已是最低等级", "en": "Lowest band"},
    "below_last": {"zh": "低于上期等级", "en": "Below the last grade"},
    "near_edge": {"zh": "临近降级", "en": "Close to the band below"},
    "no_last": {"zh": "上期未评价或未公示", "en": "Not rated or not yet published last time"},
    "drivers_title": {"zh": "主要扣分原因和记录", "en": "What pulls it down, and the records"},
    "driver_lost": {"zh": "扣 {lost} 分", "en": "{lost} points lost"},
    "no_drivers": {"zh": "没有扣分记录。", "en": "No record costs points."},
    "write_summary": {"zh": "写入本周预警周报", "en": "Write this week's summary"},
    "summaries_link": {"zh": "预警周报", "en": "Weekly summaries"},
    "summaries_title": {"zh": "预警周报", "en": "Weekly early-warning summaries"},
    "summaries_none": {"zh": "还没有周报。每周由定时任务 rating monitor --weekly 或本页按钮写入。",
                       "en": "No summary yet. Written weekly by rating monitor --weekly (cron) or the button."},
    "summary_title": {"zh": "预警周报（{week} 起一周）", "en": "Weekly summary (week from {week})"},
    "col_week": {"zh": "周", "en": "Week"},
    "col_lines": {"zh": "企业数", "en": "Companies"},
    "col_written": {"zh": "写入时间", "en": "Written"},
    "written_by": {"zh": "{when} 由 {who} 写入", "en": "Written {when} by {who}"},
    "mine_title": {"zh": "本期信用预警", "en": "My early warning"},
    "mine_intro": {"zh": "按本期截至今天的记录试算的得分，仅本企业可见，不是评价结果，不公示。",
                   "en": "Your running score on the period's records so far: visible to you only, not a rating, "
                         "never published."},
    "mine_line": {"zh": "试算得分 {score}，等级 {grade}（上期 {last}）", "en": "Running score {score}, grade {grade} "
                  "(last: {last})"},
    "mine_pulling": {"zh": "拉低得分的原因", "en": "What pulls your score down"},
    "home_line": {"zh": "本期预警试算：{score} 分，{grade} 级（上期 {last}，仅本企业可见）",
                  "en": "Running this period: {score}, {grade} (last: {last}; visible to you only)"},
    "home_link": {"zh": "查看原因", "en": "See why"},
    "back": {"zh": "返回信用预警", "en": "Back to early warning"},
    "nav_monitor": {"zh": "信用预警", "en": "Early warning"},
    "summary_saved": {"zh": "本周周报已写入。", "en": "This week's summary is written."},
    # CLI (rating monitor)
    "cli_caption": {"zh": "信用预警（暂定·不公开）：{start} 至 {end}，细则 {id}，{count} 家下滑或临近降级",
                    "en": "Early warning (provisional, not published): {start} to {end}, {id}, {count} sliding"},
    "cli_help": {"zh": "本期截至今天的预警试算与下滑企业", "en": "the running rating and the companies sliding"},
}
