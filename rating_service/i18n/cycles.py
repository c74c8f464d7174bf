"""Messages of rating cycles: creating, computing, publicizing, finalizing, background jobs; the words of the cycle
pages (``PAGE_TEXT``) and of the officers' dashboard (``DASHBOARD_TEXT``)."""

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
    "job_queue_unavailable": {
        "zh": "任务未能进入任务队列（数据库连接中断），请稍后重新操作；如仍失败，请联系系统管理员。",
        "en": "The job could not be queued (the database connection failed); try again later, and if it fails again "
              "ask the system administrator.",
    },
    "job_worker_lost": {
        "zh": "处理该任务的工作进程多次中断，任务未完成。请系统管理员检查工作进程（内存、磁盘、日志）后重新操作。",
        "en": "The worker processes running this job stopped several times; the job did not finish. The system "
              "administrator should check the workers (memory, disk, logs) before you try again.",
    },
    "job_interrupted": {
        "zh": "任务因服务重启而中断，未完成，请重新操作。", "en": "The job was interrupted by a restart and did not finish; "
                                                       "start it again.",
    },
}

PAGE_TEXT = {
    "documents": {"zh": "告知书与公示名单", "en": "Notices and public list"},
    "appeal_window_days": {"zh": "异议期（告知后工作日数）", "en": "Appeal window (working days after notice)"},
    "decision_days": {"zh": "异议处理期限（工作日数）", "en": "Decision deadline (working days)"},
    "appeal_deadline": {"zh": "异议截止日期", "en": "Appeals close"},
    "issued_on": {"zh": "告知日期", "en": "Notice date"},
    "working_days": {"zh": "告知后 {days} 个工作日", "en": "{days} working days after the notice"},
    "notices_issued": {"zh": "已编号告知书", "en": "Notices numbered"},
    "notices_rendered": {"zh": "已生成 PDF", "en": "PDFs rendered"},
    "rendering_note": {"zh": "PDF 正在后台生成；尚未生成的文书在下载时即时生成。",
                       "en": "PDFs are being rendered in the background; any not yet rendered is made on download."},
    "bulletin_pdf": {"zh": "公示名单 PDF", "en": "Public list (PDF)"},
    "documents_zip": {"zh": "打包下载全部文书（zip）", "en": "Download all documents (zip)"},
    "notice": {"zh": "告知书", "en": "Notice"},
    "notice_pdf": {"zh": "下载告知书 PDF", "en": "Download the notice (PDF)"},
    "appeal_until": {"zh": "异议截止日期：{date}。", "en": "Appeals close on {date}."},
    "file_appeal": {"zh": "提出异议申诉", "en": "File an appeal"},
    "my_appeals": {"zh": "我的异议", "en": "My appeals"},
    "all_records": {"zh": "查看本期计分的全部记录及其归属", "en": "Every counted record and its attribution"},
    "appeal_queue": {"zh": "异议处理", "en": "Appeals"},
    "verification_code": {"zh": "核验码", "en": "Verification code"},
    "cycles_title": {"zh": "评价周期", "en": "Rating cycles"},
    "cycle_name": {"zh": "名称", "en": "Name"},
    "period": {"zh": "评价期间", "en": "Period"},
    "period_start": {"zh": "期间开始", "en": "Period start"},
    "period_end": {"zh": "期间结束", "en": "Period end"},
    "methodology": {"zh": "评价细则", "en": "Methodology"},
    "methodology_default": {"zh": "默认：期末生效的细则", "en": "default: the one in force at the period's end"},
    "status": {"zh": "状态", "en": "Status"},
    "rated": {"zh": "参评企业", "en": "Rated"},
    "computed_at": {"zh": "计算时间", "en": "Computed"},
    "no_cycles": {"zh": "尚无评价周期，请在下方新建。", "en": "No rating cycles yet; create one below."},
    "new_cycle": {"zh": "新建评价周期", "en": "New rating cycle"},
    "name_placeholder": {"zh": "如 2025年度", "en": "e.g. 2025年度"},
    "create": {"zh": "创建", "en": "Create"},
    "back_to_cycles": {"zh": "返回评价周期列表", "en": "Back to the cycles"},
    # one cycle
    "actions": {"zh": "操作", "en": "Actions"},
    "compute": {"zh": "计算", "en": "Compute"},
    "recompute": {"zh": "重新计算", "en": "Recompute"},
    "publicize": {"zh": "公示", "en": "Publicize"},
    "finalize_after": {"zh": "异议期至 {deadline} 止，期满且全部异议处理完毕后方可定稿。",
                       "en": "Appeals are open until {deadline}; finalize once it has passed and every appeal is "
                             "decided."},
    "finalize": {"zh": "定稿", "en": "Finalize"},
    "reason": {"zh": "事由（可选）", "en": "Reason (optional)"},
    "notice_date": {"zh": "告知日期（{earliest} 至 {latest}，不能倒签）",
                    "en": "Notice date ({earliest} to {latest}; never back-dated)"},
    "confirm_compute": {
        "zh": "确定按当前数据计算该评价周期？将冻结数据快照并替换已有的计算结果。",
        "en": "Compute this cycle from the current data? The snapshot is frozen and earlier results are replaced.",
    },
    "confirm_publicize": {
        "zh": "确定公示初评结果？公示后企业可查看本企业评价并提出异议，不能再重新计算。",
        "en": "Publicize the preliminary ratings? Companies will see their own and may appeal; no more recomputing.",
    },
    "confirm_finalize": {
        "zh": "确定定稿？定稿后评价结果不可更改。",
        "en": "Finalize? The ratings become final and the cycle can no longer change.",
    },
    "no_actions": {"zh": "该评价周期已终评，不可再更改。", "en": "This cycle is final and can no longer change."},
    "actions_wait": {"zh": "计算进行中，完成后页面将自动刷新。", "en": "Computing; the page reloads when it is done."},
    "progress_title": {"zh": "正在计算", "en": "Computing"},
    "job_done": {"zh": "计算完成。", "en": "Computation finished."},
    "job_failed": {"zh": "计算失败：", "en": "Computation failed: "},
    "stage_queued": {"zh": "排队中", "en": "queued"},
    "stage_retrying": {"zh": "出错，稍后自动重试", "en": "failed; trying again shortly"},
    "stage_snapshot": {"zh": "冻结数据快照", "en": "freezing the snapshot"},
    "stage_selecting": {"zh": "读取期间记录", "en": "reading the period's records"},
    "stage_scoring": {"zh": "评分", "en": "scoring"},
    "stage_explaining": {"zh": "生成评价说明", "en": "writing explanations"},
    "stage_storing": {"zh": "保存结果", "en": "storing the results"},
    "snapshot": {"zh": "数据快照", "en": "Snapshot"},
    "snapshot_batch": {"zh": "截至导入批次", "en": "Up to import batch"},
    "snapshot_hash": {"zh": "快照哈希", "en": "Snapshot hash"},
    "r0_label": {"zh": "全县平均查实投诉率 R0", "en": "County average complaint rate R0"},
    "r0_unit": {"zh": "件/千户年", "en": "per 1,000 household-years"},
    "compute_count": {"zh": "计算次数", "en": "Times computed"},
    "computed_by": {"zh": "计算人", "en": "Computed by"},
    "publicized_at": {"zh": "公示时间", "en": "Publicized"},
    "public_pages": {"zh": "公开页面", "en": "Public pages"},
    "finalized_at": {"zh": "定稿时间", "en": "Finalized"},
    "not_computed": {"zh": "尚未计算。点击“计算”按当前数据生成评价结果。",
                     "en": "Not computed yet. Use Compute to rate from the current data."},
    "distribution": {"zh": "等级分布", "en": "Grade distribution"},
    "companies_unit": {"zh": "家", "en": "companies"},
    "quality": {"zh": "数据质量报告", "en": "Data-quality report"},
    "records_in_snapshot": {"zh": "快照中的记录", "en": "Records in the snapshot"},
    "companies_in_snapshot": {"zh": "快照中的企业", "en": "Companies in the snapshot"},
    "unattributed": {"zh": "未归属记录", "en": "Unattributed records"},
    "unattributed_hint": {"zh": "以下记录发生时没有物业服务合同覆盖该小区，未计入任何企业。",
                          "en": "No contract covered these records' communities on their dates; no company was "
                                "charged with them."},
    "no_exposure": {"zh": "无服务规模企业", "en": "Companies with no exposure"},
    "provisional_list": {"zh": "暂定评价", "en": "Provisional ratings"},
    "veto_count": {"zh": "一票否决", "en": "Vetoed"},
    "none_found": {"zh": "无。", "en": "None."},
    "kind": {"zh": "类型", "en": "Kind"},
    "record_id": {"zh": "记录编号", "en": "Record"},
    "community_id": {"zh": "小区编号", "en": "Community"},
    "event_date": {"zh": "日期", "en": "Date"},
    "exposure_hy": {"zh": "服务规模（户年）", "en": "Exposure (household-years)"},
    "list_capped": {"zh": "仅显示前 {shown} 条，共 {total} 条。", "en": "Showing the first {shown} of {total}."},
    "ratings": {"zh": "评价结果", "en": "Ratings"},
    "ratings_capped": {"zh": "按得分显示前 {shown} 家，共 {total} 家；完整结果请用 API 或命令行导出。",
                       "en": "The best {shown} of {total} by score; use the API or the CLI for all of them."},
    "sort_hint": {"zh": "点击表头可排序。", "en": "Click a column heading to sort."},
    # drill-down
    "drill_title": {"zh": "信用评价说明", "en": "Credit rating explanation"},
    "score_label": {"zh": "综合得分", "en": "Score"},
    "grade_label": {"zh": "等级", "en": "Grade"},
    "band_note": {"zh": "按得分为 {band}", "en": "by score: {band}"},
    "flags_label": {"zh": "标识", "en": "Flags"},
    "exposure_label": {"zh": "服务规模", "en": "Exposure"},
    "hy": {"zh": "户年", "en": "household-years"},
    "visits_label": {"zh": "巡查次数", "en": "Inspection visits"},
    "bonus_row": {"zh": "良好行为加分 B", "en": "Bonus B"},
    "total_row": {"zh": "综合得分 S", "en": "Score S"},
    "evidence_kind": {"zh": "记录类型", "en": "Kind"},
    "evidence_points": {"zh": "扣分", "en": "Points"},
    "evidence_overdue": {"zh": "逾期天数", "en": "Days overdue"},
    "basis": {"zh": "计算依据", "en": "Basis"},
    "methodology_id": {"zh": "评价细则", "en": "Methodology"},
    "status_publicized_note": {"zh": "本结果为初评结果，公示期内可提出异议。",
                               "en": "Preliminary rating, open to appeal during the publicity period."},
    "back_to_cycle": {"zh": "返回评价周期", "en": "Back to the cycle"},
    "back_home": {"zh": "返回", "en": "Back"},
    # what publicizing will do (the confirmation), the new cycle's default name
    "publicize_effect": {
        "zh": "将签发 {n} 份评价结果告知书，异议期至 {deadline}（{days}个工作日）。",
        "en": "{n} rating notices will be issued; appeals close on {deadline} ({days} working days).",
    },
    "publicize_effect_unknown": {
        "zh": "将签发 {n} 份评价结果告知书；但 {year}年的工作日历尚未录入，异议期（{days}个工作日）的截止日无法计算，"
              "公示将被拒绝。请先录入 {year}年的工作日历。",
        "en": "{n} rating notices would be issued, but the working-day calendar of {year} has not been entered: the "
              "appeal deadline ({days} working days) cannot be computed and publicizing will be refused. Enter the "
              "{year} calendar first.",
    },
    "date_long": {"zh": "{year}年{month}月{day}日", "en": "{iso}"},
    "name_default": {"zh": "{year}年度", "en": "{year}年度"},
}

# The officers' dashboard (rendered by ``home`` in web/app.py) shows the cycles with these words.
DASHBOARD_TEXT = {
    **{key: PAGE_TEXT[key] for key in ("cycles_title", "cycle_name", "period", "methodology", "status", "rated",
                                  "computed_at")},
    "dashboard_no_cycles": {"zh": "尚无评价周期。", "en": "No rating cycles yet."},
    "quick_links": {"zh": "常用操作", "en": "Quick links"},
    "go_import": {"zh": "导入数据", "en": "Import records"},
    "go_new_cycle": {"zh": "新建评价周期", "en": "New rating cycle"},
    "all_cycles": {"zh": "全部评价周期", "en": "All cycles"},
    # the to-do list (rating_service/todo)
    "todo_title": {"zh": "待办", "en": "To do"},
    "todo_none": {"zh": "暂无待办事项。", "en": "Nothing is waiting for you."},
    "todo_appeal": {
        "zh": "异议 {appeal_id} 号：{company}（{cycle}），{filed} 提出，应于 {due} 前作出处理决定",
        "en": "Appeal no. {appeal_id}: {company} ({cycle}), filed {filed}; the decision is due by {due}",
    },
    "todo_days_left": {"zh": "还剩 {n} 个工作日", "en": "{n} working days left"},
    "todo_overdue": {"zh": "已逾期", "en": "Overdue"},
    "todo_go_appeal": {"zh": "处理异议", "en": "Decide"},
    "todo_more_appeals": {
        "zh": "另有 {n} 件未处理的异议未在此列出，见各评价周期的“异议处理”页。",
        "en": "{n} more undecided appeals are not listed here; see each cycle's Appeals page.",
    },
    "todo_cycle_compute": {"zh": "评价周期“{cycle}”尚未计算", "en": "Cycle “{cycle}” has not been computed"},
    "todo_cycle_publicize": {
        "zh": "评价周期“{cycle}”已计算（{rated} 家企业），等待公示",
        "en": "Cycle “{cycle}” is computed ({rated} companies) and waits to be publicized",
    },
    "todo_cycle_finalize": {
        "zh": "评价周期“{cycle}”的异议期已于 {deadline} 结束，异议均已处理，等待定稿",
        "en": "Cycle “{cycle}”: appeals closed on {deadline} and all are decided; it waits to be finalized",
    },
    "todo_step_compute": {"zh": "去计算", "en": "Compute"},
    "todo_step_publicize": {"zh": "去公示", "en": "Publicize"},
    "todo_step_finalize": {"zh": "去定稿", "en": "Finalize"},
    "todo_import": {
        "zh": "导入批次 {batch}（{kind}，{filename}，{imported_at}）留下 {records} 条未归属记录：记录未载明企业，"
              "发生时也没有物业服务合同覆盖其小区，不计入任何企业",
        "en": "Import batch {batch} ({kind}, {filename}, {imported_at}) left {records} records unattributed: they "
              "name no company and no contract covered their community on their date, so no company answers for them",
    },
    "todo_checks_title": {"zh": "待核对的导入", "en": "Imports to check"},
    "todo_go_import": {"zh": "补充合同或核对记录", "en": "Import contracts or check the records"},
    "todo_calendar": {
        "zh": "{year}年的工作日历尚未录入：没有它就无法计算{year}年的异议期和处理期限，{year}年公示评价结果将被拒绝。",
        "en": "The working-day calendar of {year} has not been entered: without it the appeal and decision deadlines "
              "in {year} cannot be computed, and publicizing ratings in {year} will be refused.",
    },
    "todo_go_calendar": {"zh": "录入{year}年工作日历", "en": "Enter the {year} calendar"},
    "todo_ask_admin": {"zh": "请系统管理员在“工作日历”页录入。",
                       "en": "Ask an administrator to enter it on the Calendar page."},
    "nav_todo": {"zh": "{n} 项待办", "en": "{n} open to-dos"},
    # searching and paging the companies and communities
    "search_label": {"zh": "搜索企业和小区", "en": "Search companies and communities"},
    "search_placeholder": {"zh": "名称、统一社会信用代码或小区编号", "en": "Name, credit code or community ID"},
    "search_button": {"zh": "搜索", "en": "Search"},
    "search_clear": {"zh": "清除", "en": "Clear"},
    "search_none": {"zh": "没有与“{q}”相符的记录。", "en": "Nothing matches “{q}”."},
    "page_of": {"zh": "第 {page} / {pages} 页，共 {total} 条", "en": "Page {page} of {pages}, {total} in all"},
    "page_prev": {"zh": "上一页", "en": "Previous"},
    "page_next": {"zh": "下一页", "en": "Next"},
    "pages_label": {"zh": "翻页", "en": "Pages"},
    "not_rated": {"zh": "尚无评价", "en": "Not rated yet"},
    "latest_rating": {"zh": "最近一期评价", "en": "Latest rating"},
    # -- i19 pages
    "todo_repair_submitted": {"zh": "{company}的信用修复申请（{mark}）待受理，受理期限{due}",
                              "en": "Repair request of {company} ({mark}) to accept by {due}"},
    "todo_repair_accepted": {"zh": "{company}的信用修复申请（{mark}）已受理，待作出决定，决定期限{due}",
                             "en": "Repair request of {company} ({mark}) to decide by {due}"},
    "todo_repair_breach": {"zh": "{company}已修复的{mark}在承诺期内又有同类失信记录，待核实是否违反信用承诺",
                           "en": "{company}: a new record of the same kind within the commitment for {mark}: check "
                                 "the breach"},
    "todo_go_repair": {"zh": "办理修复申请", "en": "Act on the request"},
    "todo_go_breach": {"zh": "核实", "en": "Check"},
}
