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
    "serve_no_worker": {"zh": "注意：没有正在运行的工作进程（rating worker），计算与文书生成会排队等待，直到有工作进程启动。",
                        "en": "Note: no worker (rating worker) is running; computing and rendering wait in the queue "
                              "until one starts."},
    "worker_metrics": {"zh": "指标地址：http://127.0.0.1:{port}/metrics", "en": "Metrics: http://127.0.0.1:{port}/metrics"},
    # -- issue 20 doctor: `rating doctor` (rating_service/doctor/service.py; doctor.<code> words a finding and its
    # remedy, doctor_check.<name> a check, doctor_status.<status> a status)
    "doctor_status.pass": {"zh": "通过", "en": "pass"},
    "doctor_status.warn": {"zh": "警告", "en": "warning"},
    "doctor_status.fail": {"zh": "失败", "en": "FAIL"},
    "doctor_status.skip": {"zh": "跳过", "en": "skipped"},
    "doctor_check.settings": {"zh": "设置加载", "en": "Settings load"},
    "doctor_check.secret_key": {"zh": "会话密钥", "en": "Secret key"},
    "doctor_check.audit_key": {"zh": "审计密钥", "en": "Audit key"},
    "doctor_check.public_base_url": {"zh": "公开访问地址", "en": "Public address"},
    "doctor_check.folders": {"zh": "文件目录可写", "en": "Writable folders"},
    "doctor_check.fonts": {"zh": "文书字体", "en": "Document fonts"},
    "doctor_check.database": {"zh": "数据库与迁移", "en": "Database and migrations"},
    "doctor_check.calendar": {"zh": "工作日历", "en": "Working-day calendar"},
    "doctor_check.job_queue": {"zh": "后台任务队列", "en": "Job queue"},
    "doctor_check.production": {"zh": "生产环境设置", "en": "Production settings"},
    "doctor_summary": {"zh": "共检查 {total} 项：通过 {passed}，警告 {warned}，失败 {failed}，跳过 {skipped}。",
                       "en": "{total} checks: {passed} passed, {warned} warnings, {failed} failed, {skipped} "
                             "skipped."},
    "doctor_verdict_ok": {"zh": "配置可以运行。", "en": "The configuration can run."},
    "doctor_verdict_fail": {"zh": "配置有必须修复的问题（见“失败”各行），修复后请再次运行 rating doctor。",
                            "en": "The configuration has problems that must be fixed (the FAIL lines); run rating "
                                  "doctor again afterwards."},
    "doctor.settings_loaded": {"zh": "设置已加载（RATING_ENVIRONMENT={environment}）。",
                               "en": "Settings loaded (RATING_ENVIRONMENT={environment})."},
    "doctor.settings_refused": {
        "zh": "服务在当前设置下拒绝启动（RATING_ENVIRONMENT={environment}）。逐项问题及修复方法见下面的“失败”行。"
              "（原文：{reason}）",
        "en": "The service refuses to start with these settings (RATING_ENVIRONMENT={environment}); each problem and "
              "its fix is on the FAIL lines below. (Original: {reason})"},
    "doctor.setting_invalid": {
        "zh": "设置 {name} 的值“{value}”无效（{reason}）。请在环境变量或 .env 文件中改正 {name}。",
        "en": "The setting {name} has an invalid value \"{value}\" ({reason}). Correct {name} in the environment or "
              "the .env file."},
    "doctor.setting_unparsable": {
        "zh": "设置 {name} 的值无法解析：它须是 JSON，例如 [\"/etc/rating/audit-2025.key\"]。请在环境变量或 .env 文件中改正 {name}。",
        "en": "The setting {name} does not parse: it must be JSON, e.g. [\"/etc/rating/audit-2025.key\"]. Correct "
              "{name} in the environment or the .env file."},
    "doctor.skipped_no_settings": {"zh": "设置无法加载，本项未检查。", "en": "Not checked: the settings do not load."},
    "doctor.skipped_no_database": {"zh": "数据库不可用，本项未检查。", "en": "Not checked: the database is not usable."},
    "doctor.check_crashed": {"zh": "本项检查出错：{error}。请把这一行报告给维护人员。",
                             "en": "This check failed to run: {error}. Report this line to the maintainers."},
    "doctor.secret_ok": {"zh": "RATING_SECRET_KEY 已设置，长度足够。", "en": "RATING_SECRET_KEY is set and long enough."},
    "doctor.secret_default": {
        "zh": "未设置会话密钥 RATING_SECRET_KEY（正在使用内置的开发密钥，任何人都能伪造登录）。生成一个："
              "python -c 'import secrets; print(secrets.token_urlsafe(48))'，把结果设为环境变量 RATING_SECRET_KEY"
              "（或写入 .env 文件：RATING_SECRET_KEY=…）。",
        "en": "The session secret RATING_SECRET_KEY is not set (the built-in development key is in use: anyone can "
              "forge a login). Generate one: python -c 'import secrets; print(secrets.token_urlsafe(48))' and set it "
              "as RATING_SECRET_KEY (in the environment or the .env file)."},
    "doctor.secret_short": {
        "zh": "会话密钥 RATING_SECRET_KEY 太短（至少 32 字节）。生成一个新的："
              "python -c 'import secrets; print(secrets.token_urlsafe(48))'，并设为 RATING_SECRET_KEY。",
        "en": "The session secret RATING_SECRET_KEY is too short (32 bytes at least). Generate a new one: "
              "python -c 'import secrets; print(secrets.token_urlsafe(48))' and set it as RATING_SECRET_KEY."},
    "doctor.audit_key_ok": {"zh": "审计密钥可读，长度足够。", "en": "The audit key is readable and long enough."},
    "doctor.audit_key_made_on_use": {
        "zh": "审计密钥文件 {path} 尚不存在，首次使用时会自动生成（仅限非生产环境）。",
        "en": "The audit key file {path} does not exist yet; it is made on first use (outside production only)."},
    "doctor.audit_key_unreadable": {
        "zh": "无法读取审计密钥：{source}（{reason}）。生成密钥文件：python -c 'import secrets; "
              "print(secrets.token_hex(32))' > /etc/rating/audit.key && chmod 600 /etc/rating/audit.key，"
              "并设置 RATING_AUDIT_KEY_FILE=/etc/rating/audit.key（或直接设置 RATING_AUDIT_KEY）；"
              "该文件须可被服务用户读取，且不要放进备份。",
        "en": "The audit key cannot be read: {source} ({reason}). Make a key file: python -c 'import secrets; "
              "print(secrets.token_hex(32))' > /etc/rating/audit.key && chmod 600 /etc/rating/audit.key, and set "
              "RATING_AUDIT_KEY_FILE=/etc/rating/audit.key (or set RATING_AUDIT_KEY); the service's user must be able "
              "to read it, and keep it out of the backups."},
    "doctor.audit_key_short": {
        "zh": "审计密钥 {source} 太短（至少 32 字节）。生成一个新的：python -c 'import secrets; "
              "print(secrets.token_hex(32))'。注意：已有审计日志的站点更换密钥须按密钥轮换办理"
              "（旧密钥放入 RATING_AUDIT_RETIRED_KEY_FILES）。",
        "en": "The audit key in {source} is too short (32 bytes at least). Generate one: python -c 'import secrets; "
              "print(secrets.token_hex(32))'. A site with an audit log must rotate the key (the old one goes into "
              "RATING_AUDIT_RETIRED_KEY_FILES)."},
    "doctor.base_url_ok": {"zh": "公开访问地址 {url} 格式正确（未测试网络连通）。",
                           "en": "The public address {url} is well formed (not tested over the network)."},
    "doctor.base_url_unparsable": {
        "zh": "RATING_PUBLIC_BASE_URL（{url}）不是完整的网址：须以 https:// 开头并带域名，例如 "
              "https://xypj.example.gov.cn。二维码核验链接由它生成。",
        "en": "RATING_PUBLIC_BASE_URL ({url}) is not a complete address: it needs https:// and a host name, e.g. "
              "https://rating.county.gov.cn. Verification QR codes are made from it."},
    "doctor.base_url_extra_parts": {
        "zh": "RATING_PUBLIC_BASE_URL（{url}）只能是站点根地址，不能带路径、查询参数或用户名。请改为 {root}。",
        "en": "RATING_PUBLIC_BASE_URL ({url}) must be the site's root address, without a path, query or user name. "
              "Set it to {root}."},
    "doctor.base_url_not_https": {
        "zh": "生产环境的 RATING_PUBLIC_BASE_URL（{url}）必须使用 https://：文书上的核验二维码会指向它。"
              "请配置 TLS 证书（见 docs/deployment.md）并把地址改为 https://…。",
        "en": "In production RATING_PUBLIC_BASE_URL ({url}) must use https://: the verification QR codes on issued "
              "documents point at it. Set up TLS (docs/deployment.md) and change the address to https://…."},
    "doctor.base_url_placeholder": {
        "zh": "生产环境的 RATING_PUBLIC_BASE_URL（{url}）指向本机或示例域名（{host}），公众无法访问。"
              "请设为本站对外的正式域名，例如 https://xypj.某县.gov.cn。",
        "en": "In production RATING_PUBLIC_BASE_URL ({url}) points at this machine or an example domain ({host}), "
              "which the public cannot reach. Set it to the site's real public address."},
    "doctor.folder_ok": {"zh": "{env}（{path}）可写。", "en": "{env} ({path}) is writable."},
    "doctor.folder_made_on_use": {"zh": "{env}（{path}）尚不存在，首次使用时会自动创建（上级目录可写）。",
                                  "en": "{env} ({path}) does not exist yet; it is made on first use (its parent is "
                                        "writable)."},
    "doctor.folder_not_writable": {
        "zh": "{env}（{path}）不可写（{reason}）。请把该目录交给运行服务的用户：sudo chown -R <服务用户> {path}，"
              "或把 {env} 设为一个可写目录。",
        "en": "{env} ({path}) is not writable ({reason}). Give the folder to the service's user: sudo chown -R "
              "<service user> {path}, or set {env} to a writable folder."},
    "doctor.folder_cannot_create": {
        "zh": "{env}（{path}）不存在，且无法创建（{reason}）。请手工创建并授权：sudo mkdir -p {path} && "
              "sudo chown <服务用户> {path}，或把 {env} 设为一个可写目录。",
        "en": "{env} ({path}) does not exist and cannot be made ({reason}). Make it: sudo mkdir -p {path} && sudo "
              "chown <service user> {path}, or set {env} to a writable folder."},
    "doctor.folder_blocked": {
        "zh": "{env}（{path}）无法创建：路径中的 {reason} 是一个文件而不是目录。请把 {env} 改为一个目录的路径。",
        "en": "{env} ({path}) cannot be made: {reason} on its way is a file, not a folder. Set {env} to a folder's "
              "path."},
    "doctor.fonts_ok": {"zh": "随附的 {count} 个文书字体与系统后备字体（Noto Serif CJK、花园明朝）均已就位。",
                        "en": "The {count} shipped document fonts and the system fallbacks (Noto Serif CJK, HanaMin) "
                              "are in place."},
    "doctor.font_shipped_missing": {
        "zh": "随附字体文件 {path} 缺失，文书无法按公文字体排版。请重新获取完整的程序文件（git checkout -- reports/fonts），"
              "或运行 python scripts/build_fonts.py 重新生成。",
        "en": "The shipped font {path} is missing; documents cannot be set in their fonts. Restore the program files "
              "(git checkout -- reports/fonts) or rebuild it with python scripts/build_fonts.py."},
    "doctor.font_fallback_missing": {
        "zh": "后备字体 {path} 未安装：生僻字将以编码（如〔U+3134A〕）代替。请安装：sudo apt-get install -y {package}"
              "（或运行 scripts/system-deps.sh）。",
        "en": "The fallback font {path} is not installed: rare characters will be written as their code points "
              "(e.g. 〔U+3134A〕). Install it: sudo apt-get install -y {package} (or run scripts/system-deps.sh)."},
    "doctor.database_current": {"zh": "数据库可连接，结构为最新版本（{revision}）。",
                                "en": "The database answers and its schema is current ({revision})."},
    "doctor.database_file_missing": {
        "zh": "数据库文件 {path} 不存在。如果这是新站点，请运行 rating db upgrade 建表；否则请检查 DATABASE_URL 是否指向了正确的文件。",
        "en": "The database file {path} does not exist. For a new site run rating db upgrade; otherwise check that "
              "DATABASE_URL names the right file."},
    "doctor.database_unreachable": {
        "zh": "无法连接数据库 {url}（{reason}）。请检查 DATABASE_URL（主机、端口、库名、用户与密码）以及数据库服务是否在运行。",
        "en": "Cannot connect to the database {url} ({reason}). Check DATABASE_URL (host, port, database, user, "
              "password) and that the database server is running."},
    "doctor.database_empty": {"zh": "数据库尚未建表。请运行 rating db upgrade。",
                              "en": "The database has no tables yet. Run rating db upgrade."},
    "doctor.database_behind": {
        "zh": "数据库结构版本为 {revision}，程序需要 {head}。请先备份（rating backup 目录），再运行 rating db upgrade。",
        "en": "The database schema is at {revision}; the program needs {head}. Back up first (rating backup DIR), "
              "then run rating db upgrade."},
    "doctor.calendar_known": {"zh": "工作日历已知的年份：{years}。", "en": "The working-day calendar knows: {years}."},
    "doctor.calendar_year_missing": {
        "zh": "今年（{year} 年）的节假日安排未知，申诉期限等工作日无法计算，公示会被拒绝。请按国务院办公厅通知录入："
              "rating calendar set {year} 文件.yaml（或在“管理 → 工作日历”页面录入），用 rating calendar show {year} 核对。",
        "en": "This year's ({year}) holiday schedule is unknown: working-day deadlines cannot be computed and "
              "publicizing is refused. Enter the State Council's schedule: rating calendar set {year} FILE.yaml (or "
              "on the admin calendar page), and check it with rating calendar show {year}."},
    "doctor.calendar_next_year_missing": {
        "zh": "明年（{year} 年）的节假日安排尚未录入：跨年的申诉期限无法计算，12 月起公示会被拒绝。"
              "国务院办公厅公布后请录入：rating calendar set {year} 文件.yaml（或在“管理 → 工作日历”页面录入；"
              "也可升级 holidays 软件包），用 rating calendar show {year} 核对。",
        "en": "Next year's ({year}) holiday schedule is not entered: deadlines across the year's end cannot be "
              "computed and from December publicizing is refused. Once the State Council publishes it, enter it: "
              "rating calendar set {year} FILE.yaml (or on the admin calendar page, or upgrade the holidays package), "
              "and check it with rating calendar show {year}."},
    "doctor.queue_local": {
        "zh": "后台任务在服务进程内运行（本地模式），无需另行启动 rating worker。",
        "en": "Background jobs run inside the serving process (local mode); no rating worker is needed."},
    "doctor.queue_needs_postgresql": {
        "zh": "RATING_JOB_QUEUE=procrastinate 需要 PostgreSQL 数据库。请把 DATABASE_URL 设为 "
              "postgresql+psycopg://…，或在 SQLite 上把 RATING_JOB_QUEUE 设为 local（或 auto）。",
        "en": "RATING_JOB_QUEUE=procrastinate needs PostgreSQL. Set DATABASE_URL=postgresql+psycopg://…, or with "
              "SQLite set RATING_JOB_QUEUE to local (or auto)."},
    "doctor.queue_database_unavailable": {"zh": "数据库不可用，无法查看工作进程。",
                                          "en": "The database is not usable; the workers cannot be counted."},
    "doctor.queue_workers": {"zh": "有 {count} 个工作进程在运行。", "en": "{count} worker processes are running."},
    "doctor.queue_no_worker": {
        "zh": "没有正在运行的工作进程：计算、文书生成等后台任务会一直排队。请启动 rating worker"
              "（生产环境用 systemd 服务，见 docs/deployment.md）。",
        "en": "No worker is running: computing, rendering and other background jobs will wait in the queue. Start "
              "rating worker (a systemd service in production, docs/deployment.md)."},
    "doctor.queue_workers_unknown": {"zh": "无法得知工作进程的数量。请确认已启动 rating worker。",
                                     "en": "The number of workers cannot be told. Make sure rating worker runs."},
    "doctor.production_not_applicable": {"zh": "非生产环境（RATING_ENVIRONMENT={environment}），本项不适用。",
                                         "en": "Not production (RATING_ENVIRONMENT={environment}): not applicable."},
    "doctor.production_ok": {"zh": "Cookie 仅经 HTTPS 发送，接口文档不公开，指标受保护，日志为 JSON 格式。",
                             "en": "Cookies are HTTPS-only, the API docs are not public, metrics are protected, logs "
                                   "are JSON."},
    "doctor.production_cookies_insecure": {
        "zh": "RATING_SECURE_COOKIES 被关闭：登录 Cookie 可能经明文 HTTP 发送。请删除该设置（生产环境默认开启）或设为 true。",
        "en": "RATING_SECURE_COOKIES is off: login cookies may travel over plain HTTP. Remove the setting (on by "
              "default in production) or set it to true."},
    "doctor.production_api_docs_public": {
        "zh": "接口文档（/docs）对所有人公开。建议删除 RATING_API_DOCS（生产环境默认需登录）或设为 login 或 off。",
        "en": "The API docs (/docs) are public. Remove RATING_API_DOCS (behind login by default in production) or set "
              "it to login or off."},
    "doctor.production_metrics_open": {
        "zh": "/metrics 对任何地址开放且无口令。请设置 RATING_METRICS_ALLOW_IPS（例如 127.0.0.1,10.0.0.0/8）"
              "或 RATING_METRICS_TOKEN。",
        "en": "/metrics is open to any address without a token. Set RATING_METRICS_ALLOW_IPS (e.g. "
              "127.0.0.1,10.0.0.0/8) or RATING_METRICS_TOKEN."},
    "doctor.production_log_text": {
        "zh": "日志为文本格式。建议设置 RATING_LOG_FORMAT=json，便于日志系统按请求编号检索。",
        "en": "Logs are plain text. Set RATING_LOG_FORMAT=json so that a log collector can search them by request id."},
}
