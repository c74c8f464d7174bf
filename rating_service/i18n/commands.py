"""Messages only the command line prints (``rating score``, ``rating demo``, users, cycles)."""

MESSAGES: dict[str, dict[str, str]] = {
    # rating import: rejected rows and what an import wrote
    "errors_csv_header": {"zh": "文件|行|列|值|原因", "en": "File|Row|Column|Value|Reason"},
    "error_line_row": {"zh": "第 {row} 行", "en": "row {row}"},
    "error_line_value": {"zh": "“{value}”", "en": "\"{value}\""},
    "import_summary_line": {
        "zh": "（{kind}，{format}）：共 {rows} 行，新增 {inserted}，更新 {updated}，未变 {unchanged}",
        "en": " ({kind}, {format}): {rows} rows, {inserted} inserted, {updated} updated, {unchanged} unchanged",
    },
    "import_personal_columns_dropped": {
        "zh": "  已删除的个人信息列（未保存）：{columns}",
        "en": "  personal-data columns dropped (not stored): {columns}",
    },
    "import_unknown_columns_ignored": {"zh": "  已忽略的未知列：{columns}", "en": "  unknown columns ignored: {columns}"},
    # rating calendar show
    "calendar_year_known": {"zh": "已知", "en": "known"},
    "calendar_year_not_announced": {"zh": "未知（无法计算期限）", "en": "unknown (no deadlines can be computed)"},
    "calendar_day_working": {"zh": "上班", "en": "working"},
    "calendar_day_off": {"zh": "休息", "en": "off"},
    # rating score --explain: one step of the path to the next grade
    "explain_step_line": {"zh": "   - {component} {label}：{text}", "en": "   - {component} ({label}): {text}"},
    # rating score --data
    "score_rejected": {
        "zh": "数据文件夹未通过校验，共 {count} 处错误，未进行评价。",
        "en": "The data folder failed validation with {count} error(s); nothing was rated.",
    },
    "score_folder_missing": {"zh": "数据文件夹不存在：{path}", "en": "Data folder not found: {path}"},
    "score_file_missing": {
        "zh": "数据文件夹 {folder} 中缺少{zh}文件（应为 {kind}.csv 或 {kind}.xlsx）。",
        "en": "The data folder {folder} has no {kind} file ({kind}.csv or {kind}.xlsx).",
    },
    "score_period_invalid": {
        "zh": "评价期间“{text}”无效，应写作 2025-01-01:2025-12-31（开始日期:结束日期）。",
        "en": "Invalid period '{text}'; write it as 2025-01-01:2025-12-31 (start:end).",
    },
    "score_period_reversed": {
        "zh": "评价期间“{text}”的结束日期早于开始日期。",
        "en": "The period '{text}' ends before it starts.",
    },
    "score_format_invalid": {
        "zh": "未知的输出格式“{value}”，可选：table、csv、json",
        "en": "Unknown output format '{value}'; choose one of: table, csv, json",
    },
    "score_company_unknown": {
        "zh": "企业 {code} 不在本期评价结果中（数据文件夹中没有该企业）。",
        "en": "Company {code} is not among the ratings (it is not in the data folder).",
    },
    "score_company_not_rated": {
        "zh": "企业 {code} 在评价期间内没有物业服务合同，也没有计入的记录，未参加本期评价。",
        "en": "Company {code} has no contract in the period and no counted record, so it is not rated.",
    },
    "score_output_unwritable": {"zh": "无法写入 {path}：{detail}", "en": "Cannot write {path}: {detail}"},
    "score_written": {"zh": "评价结果已写入 {path}", "en": "Ratings written to {path}"},
    # CLI
    "demo_refused_production": {
        "zh": "生产环境不能载入演示数据和演示账户。", "en": "The demo data and accounts are refused in production.",
    },
    "demo_cycle_kept": {
        "zh": "评价周期“{name}”已是“{status}”状态，保持不变。", "en": "Cycle '{name}' is already {status}; left as is.",
    },
    "demo_simulated_reason": {"zh": "演示数据：模拟日期 {day}", "en": "demo data: simulated date {day}"},
    "demo_simulated_line": {
        "zh": "演示：“{name}”按模拟日期 {notice} 计算、公示，{final} 定稿（审计日志的事由注明模拟日期，记录时间为实际时间）。",
        "en": "Demo: '{name}' computed and publicized on the simulated date {notice}, finalized on {final} (the audit "
              "log's reasons name the simulated dates; its times are the real ones).",
    },
    "demo_logins": {"zh": "演示账户（用户名 / 密码 / 角色）：", "en": "Demo logins (username / password / role):"},
    "user_created": {"zh": "已创建账户 {username}（{role}）。", "en": "Account {username} ({role}) created."},
    "user_disabled": {"zh": "已停用账户 {username}。", "en": "Account {username} disabled."},
    "cycle_line": {
        "zh": "评价周期 {id}「{name}」：{status}；期间 {start} 至 {end}；评价细则 {methodology}",
        "en": "Cycle {id} '{name}': {status}; period {start} to {end}; methodology {methodology}",
    },
    "cycle_snapshot_line": {
        "zh": "  数据快照：截至批次 {batch}，哈希 {digest}…；参评企业 {rated} 家；R0 = {r0} 件/千户年",
        "en": "  Snapshot: up to batch {batch}, hash {digest}…; {rated} companies rated; R0 = {r0} per 1,000 "
              "household-years",
    },
    "cycle_quality_line": {
        "zh": "  数据质量：未归属记录 {unattributed} 条，无服务规模企业 {no_exposure} 家，暂定评价 {provisional} 家",
        "en": "  Data quality: {unattributed} unattributed records, {no_exposure} companies with no exposure, "
              "{provisional} provisional ratings",
    },
    "cycle_none": {"zh": "尚无评价周期。", "en": "No rating cycles yet."},
    # -- i20 backup: `rating backup DIR`, `rating restore DIR`
    "backup_command_failed": {"zh": "{command} 执行失败：{detail}", "en": "{command} failed: {detail}"},
    "backup_target_not_empty": {"zh": "备份目录 {path} 不是空的，请换一个空目录。",
                                "en": "The backup folder {path} is not empty; choose an empty one."},
    "restore_no_manifest": {"zh": "找不到备份清单 {path}，这不是本系统的备份。",
                            "en": "No backup manifest at {path}: this is not a backup of this service."},
    "restore_unknown_format": {"zh": "备份清单 {path} 的格式无法识别。", "en": "The manifest {path} has an unknown format."},
    "restore_file_damaged": {"zh": "备份文件 {file} 缺失或已损坏（大小或 SHA-256 与清单不符），已停止恢复，未做任何改动。",
                             "en": "The backup file {file} is missing or damaged (size or SHA-256 differs from the "
                                   "manifest); nothing was restored."},
    "restore_engine_differs": {"zh": "这是 {backup} 数据库的备份，不能恢复到 {target} 数据库。",
                               "en": "This is a backup of a {backup} database; it cannot be restored into {target}."},
    "restore_database_not_empty": {"zh": "目标数据库不是空的：只能恢复到一个空数据库（不要先执行 rating db upgrade）。",
                                   "en": "The target database is not empty: restore only into an empty database "
                                         "(do not run rating db upgrade first)."},
    "restore_folder_not_empty": {"zh": "目标目录 {path} 不是空的，恢复不会覆盖已有文件。",
                                 "en": "The folder {path} is not empty; a restore never overwrites files."},
    "restore_anchors_differ": {"zh": "审计锚点文件 {path} 已存在且内容不同，请先移走它。",
                               "en": "The audit anchor file {path} exists with other content; move it away first."},
    "backup_written": {"zh": "备份已写入 {path}：{files} 个文件，数据库 {engine}，结构版本 {revision}，审计日志第 {seq} 条。",
                       "en": "Backup written to {path}: {files} files, {engine} database, schema {revision}, audit "
                             "entry {seq}."},
    "restore_done": {"zh": "已从 {path} 恢复：{files} 个文件已核对，结构版本 {revision}。请执行 rating audit verify 核验审计日志。",
                     "en": "Restored from {path}: {files} files checked, schema {revision}. Run rating audit verify."},
    # -- issue 20 queue: `rating worker`
    "worker_local_queue": {"zh": "本配置的后台任务在网站进程内运行（SQLite，或 RATING_JOB_QUEUE=local），无需启动工作进程。"
                                 "要由独立的工作进程处理任务，请使用 PostgreSQL 并设置 RATING_JOB_QUEUE=procrastinate（或 auto）。",
                           "en": "Background jobs of this configuration run inside the web process (SQLite, or "
                                 "RATING_JOB_QUEUE=local): no worker is needed. To run them in worker processes, use "
                                 "PostgreSQL with RATING_JOB_QUEUE=procrastinate (or auto)."},
    "worker_started": {"zh": "工作进程 {name} 已启动：同时处理 {concurrency} 个任务。按 Ctrl+C 停止（先完成手头的任务）。",
                       "en": "Worker {name} started: {concurrency} job(s) at a time. Ctrl+C stops it (after the jobs "
                             "in hand)."},
    "worker_metrics": {"zh": "指标地址：http://127.0.0.1:{port}/metrics", "en": "Metrics: http://127.0.0.1:{port}/metrics"},
}
