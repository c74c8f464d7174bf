"""Messages of the audit log: verification, anchors, keys, and the database role grants that protect it;
the words of the audit-log page (``PAGE_TEXT``)."""

MESSAGES: dict[str, dict[str, str]] = {
    # audit
    "audit_ok": {
        "zh": "审计日志完整：共 {count} 条，哈希链校验通过，每条的密钥校验码（HMAC）无误；"
              "已核对 {anchors} 个外部锚点（最新锚定至第 {anchored} 条）。",
        "en": "Audit log intact: {count} entries, hash chain verified, every entry's keyed MAC (HMAC) correct; "
              "{anchors} external anchors checked (the latest anchors entry {anchored}).",
    },
    "audit_altered": {
        "zh": "审计日志第 {seq} 条已被篡改（哈希不符）。",
        "en": "Audit entry {seq} has been altered (hash mismatch).",
    },
    "audit_missing": {
        "zh": "审计日志缺失第 {seq} 条（序号不连续）。",
        "en": "Audit entry {seq} is missing (gap in the sequence).",
    },
    "audit_broken_link": {
        "zh": "审计日志第 {seq} 条与前一条的哈希链接断开。",
        "en": "Audit entry {seq} does not link to the hash of the entry before it.",
    },
    "audit_head_mismatch": {
        "zh": "审计日志末尾缺失：应有 {expected} 条，实有 {found} 条。",
        "en": "Audit entries missing at the end: {expected} expected, {found} found.",
    },
    "audit_mac_mismatch": {
        "zh": "审计日志第 {seq} 条的密钥校验码（HMAC）不符：该条写入后被改动，并重新计算了哈希链。",
        "en": "Audit entry {seq} fails its keyed MAC (HMAC): it was altered after it was written and the hash "
              "chain recomputed.",
    },
    "audit_wrong_key": {
        "zh": "审计日志第 {seq} 条由密钥编号 {found} 签名，而配置的审计密钥编号为 {configured}：请检查 "
              "RATING_AUDIT_KEY_FILE（或 RATING_AUDIT_KEY）是否为签名时的密钥，轮换后的旧密钥须列入 "
              "RATING_AUDIT_RETIRED_KEY_FILES。若配置无误，则该条已被改动。",
        "en": "Audit entry {seq} was signed with key id {found}, but the configured audit key has id {configured}: "
              "check that RATING_AUDIT_KEY_FILE (or RATING_AUDIT_KEY) is the key that signed the log, and that keys "
              "retired by a rotation are listed in RATING_AUDIT_RETIRED_KEY_FILES. If the configuration is right, "
              "the entry has been altered.",
    },
    "audit_head_behind": {
        "zh": "审计日志头记录指向第 {head} 条，而日志实有 {count} 条：头记录被回滚。",
        "en": "The audit head points at entry {head}, but the log holds {count} entries: the head was rolled back.",
    },
    "audit_head_forged": {
        "zh": "审计日志头记录（第 {seq} 条）的校验码或哈希与日志末尾不符：头记录被改动。",
        "en": "The audit head (entry {seq}) does not match the end of the log or fails its MAC: it was altered.",
    },
    "audit_head_missing": {
        "zh": "审计日志头记录缺失，而日志有 {seq} 条：头记录被删除。",
        "en": "The audit head is missing while the log holds {seq} entries: it was deleted.",
    },
    "audit_tail_deleted": {
        "zh": "审计日志末尾被删除：锚点文件 {path} 第 {line} 行（{at}）证明曾有第 {anchored} 条，"
              "现只有 {count} 条；第 {seq} 条起的记录缺失。",
        "en": "Audit entries deleted at the end: line {line} of the anchor file {path} ({at}) shows that entry "
              "{anchored} existed, but only {count} entries remain; entries from {seq} on are missing.",
    },
    "audit_anchor_mismatch": {
        "zh": "审计日志第 {seq} 条与锚点文件 {path} 第 {line} 行（{at}）记录的哈希不符：第 {seq} 条或其之前的记录"
              "在锚定后被改写（或该锚点文件属于另一个数据库）。",
        "en": "Audit entry {seq} does not match the hash anchored at line {line} of {path} ({at}): entry {seq} or "
              "entries before it were rewritten after they were anchored (or the anchor file belongs to another "
              "database).",
    },
    "audit_anchor_unreadable": {
        "zh": "锚点文件 {path} 第 {line} 行不是锚点记录：文件被改动。",
        "en": "Line {line} of the anchor file {path} is not an anchor: the file was altered.",
    },
    "audit_anchor_unsigned": {
        "zh": "锚点文件 {path} 第 {line} 行缺少校验码（HMAC）：该行被改动或伪造。",
        "en": "Line {line} of the anchor file {path} has no MAC: it was altered or forged.",
    },
    "audit_anchor_forged": {
        "zh": "锚点文件 {path} 第 {line} 行的校验码（HMAC）不符：该行被改动或伪造。",
        "en": "Line {line} of the anchor file {path} fails its MAC: it was altered or forged.",
    },
    "audit_anchor_unknown_key": {
        "zh": "锚点文件 {path} 第 {line} 行由密钥编号 {found} 签名，而配置的审计密钥编号为 {configured}：请检查 "
              "RATING_AUDIT_KEY_FILE（或 RATING_AUDIT_KEY）及 RATING_AUDIT_RETIRED_KEY_FILES。若配置无误，则该行被伪造。",
        "en": "Line {line} of the anchor file {path} was signed with key id {found}, but the configured audit key "
              "has id {configured}: check RATING_AUDIT_KEY_FILE (or RATING_AUDIT_KEY) and "
              "RATING_AUDIT_RETIRED_KEY_FILES. If the configuration is right, the line was forged.",
    },
    "audit_no_anchors": {
        "zh": "锚点文件 {path} 不存在或没有锚点，而审计日志有 {count} 条：无法确认末尾未被删除。"
              "请检查 RATING_AUDIT_ANCHOR_FILE 是否指向本数据库的锚点文件。",
        "en": "The anchor file {path} is missing or holds no anchors while the log has {count} entries: deletions "
              "at the end cannot be ruled out. Check that RATING_AUDIT_ANCHOR_FILE names this database's anchor file.",
    },
    "audit_printed_mismatch": {
        "zh": "审计日志第 {seq} 条的哈希与印出的 {hash} 不符：第 {seq} 条或其之前的记录在印出后被改写。",
        "en": "The hash of audit entry {seq} does not begin with the printed {hash}: entry {seq} or entries before "
              "it were rewritten after it was printed.",
    },
    "audit_printed_missing": {
        "zh": "印出的审计日志第 {seq} 条已不在日志中（现只有 {count} 条）：末尾被删除。",
        "en": "The printed audit entry {seq} is no longer in the log ({count} entries remain): entries were deleted "
              "at the end.",
    },
    "audit_printed_invalid": {
        "zh": "“{text}”不是印出的审计日志头：应写作 序号:哈希值开头（至少 16 位十六进制），如 123:3f5a0c9e1b2d4f60。",
        "en": "'{text}' is not a printed audit head: write SEQ:HASH-START (at least 16 hex digits), e.g. "
              "123:3f5a0c9e1b2d4f60.",
    },
    "audit_printed_ok": {
        "zh": "印出的审计日志头与日志一致：{items}。",
        "en": "The printed audit heads match the log: {items}.",
    },
    "audit_anchor_written": {
        "zh": "已锚定审计日志第 {seq} 条（哈希 {hash}），写入 {path}。",
        "en": "Anchored audit entry {seq} (hash {hash}) in {path}.",
    },
    "audit_nothing_to_anchor": {"zh": "审计日志为空，无需锚定。", "en": "The audit log is empty: nothing to anchor."},
    "audit_anchor_refused": {
        "zh": "审计日志头记录（第 {seq} 条）未通过校验，未写入锚点：请先运行 rating audit verify。",
        "en": "The audit head (entry {seq}) does not check out, so it was not anchored: run rating audit verify.",
    },
    "audit_anchor_file_unusable": {
        "zh": "无法读写锚点文件 {path}（{reason}）：请检查 RATING_AUDIT_ANCHOR_FILE 及其权限。",
        "en": "The anchor file {path} cannot be read or written ({reason}): check RATING_AUDIT_ANCHOR_FILE and its "
              "permissions.",
    },
    "audit_key_unreadable": {
        "zh": "无法读取审计密钥文件 {path}（{reason}）：请检查 RATING_AUDIT_KEY_FILE。",
        "en": "The audit key file {path} cannot be read ({reason}): check RATING_AUDIT_KEY_FILE.",
    },
    "audit_key_short": {
        "zh": "审计密钥（{source}）太短：至少需要 {minimum} 字节。",
        "en": "The audit key ({source}) is too short: at least {minimum} bytes are needed.",
    },
    # rating db grant-app-role: the application role may only read and append to the audit log
    "db_grant_done": {
        "zh": "已为角色 {role} 授权：审计日志（audit_log）仅可查询和追加，其余各表可读写。",
        "en": "Granted role {role}: SELECT and INSERT only on the audit log (audit_log), read and write elsewhere.",
    },
    "db_grant_not_postgresql": {
        "zh": "数据库角色授权只适用于 PostgreSQL。",
        "en": "Role grants apply to PostgreSQL only.",
    },
    "db_grant_role_missing": {
        "zh": "数据库角色 {role} 不存在：请先 CREATE ROLE {role} LOGIN PASSWORD '…'。",
        "en": "The database role {role} does not exist: CREATE ROLE {role} LOGIN PASSWORD '…' first.",
    },
    "db_grant_role_superuser": {
        "zh": "角色 {role} 是超级用户，授权无法限制它：服务应以普通角色运行。",
        "en": "Role {role} is a superuser, which no grant can restrict: run the service as an ordinary role.",
    },
    "db_grant_role_owns": {
        "zh": "角色 {role} 是表 {table} 的所有者（{owner}）或其成员，可以自行恢复任何权限：请以另一角色运行迁移并拥有各表。",
        "en": "Role {role} owns table {table} (owner {owner}) or is a member of its owner, so it could grant itself "
              "anything back: let another role run the migrations and own the tables.",
    },
    "db_grant_still_allowed": {
        "zh": "授权后角色 {role} 仍可对审计日志执行 {privileges}（经由 PUBLIC 或所属角色组）：请撤销这些权限后重试。",
        "en": "After the grants role {role} can still {privileges} the audit log (through PUBLIC or a group role): "
              "revoke those and try again.",
    },
    # the audit-log page and its exports (rating_service/audit/wording.py): what each action says, in a sentence
    # ({who}: the actor with their role; {object}: what it was done to, by its readable name)
    "audit_action.appeal.attachment_download": {"zh": "下载异议附件", "en": "Download an appeal attachment"},
    "audit_says.appeal.attachment_download": {"zh": "{who} 下载了{object}的附件",
                                              "en": "{who} downloaded an attachment of {object}"},
    "audit_action.appeal.decide": {"zh": "作出异议处理决定", "en": "Decide an appeal"},
    "audit_says.appeal.decide": {"zh": "{who} 对{object}作出了处理决定", "en": "{who} decided {object}"},
    "audit_action.appeal.file": {"zh": "提出异议", "en": "File an appeal"},
    "audit_says.appeal.file": {"zh": "{who} 提出了{object}", "en": "{who} filed {object}"},
    "audit_action.calendar.set_year": {"zh": "设置工作日历", "en": "Set a working-day calendar"},
    "audit_says.calendar.set_year": {"zh": "{who} 设置了{object}", "en": "{who} set {object}"},
    "audit_action.cycle.create": {"zh": "新建评价周期", "en": "Create a rating cycle"},
    "audit_says.cycle.create": {"zh": "{who} 新建了{object}", "en": "{who} created {object}"},
    "audit_action.cycle.compute": {"zh": "计算评价周期", "en": "Compute a rating cycle"},
    "audit_says.cycle.compute": {"zh": "{who} 计算了{object}", "en": "{who} computed {object}"},
    "audit_action.cycle.publicize": {"zh": "公示评价周期", "en": "Publicize a rating cycle"},
    "audit_says.cycle.publicize": {"zh": "{who} 公示了{object}", "en": "{who} publicized {object}"},
    "audit_action.cycle.finalize": {"zh": "评价周期定稿", "en": "Finalize a rating cycle"},
    "audit_says.cycle.finalize": {"zh": "{who} 将{object}定稿", "en": "{who} finalized {object}"},
    "audit_action.document.download": {"zh": "下载文书", "en": "Download a document"},
    "audit_says.document.download": {"zh": "{who} 下载了{object}", "en": "{who} downloaded {object}"},
    "audit_action.document.download_all": {"zh": "下载全部文书", "en": "Download all documents"},
    "audit_says.document.download_all": {"zh": "{who} 下载了{object}的全部文书",
                                         "en": "{who} downloaded every document of {object}"},
    "audit_action.documents.issue": {"zh": "印发告知书和公示名单", "en": "Issue notices and the public list"},
    "audit_says.documents.issue": {"zh": "{who} 印发了{object}的告知书和公示名单",
                                   "en": "{who} issued the notices and the public list of {object}"},
    "audit_action.documents.revise": {"zh": "印发更正告知书", "en": "Issue a revised notice"},
    "audit_says.documents.revise": {"zh": "{who} 印发了{object}", "en": "{who} issued {object}"},
    "audit_action.import": {"zh": "导入记录", "en": "Import records"},
    "audit_says.import": {"zh": "{who} 导入了{object}", "en": "{who} imported {object}"},
    "audit_action.methodology.adopt": {"zh": "采用评价细则", "en": "Adopt a methodology"},
    "audit_says.methodology.adopt": {"zh": "{who} 采用了{object}", "en": "{who} adopted {object}"},
    "audit_action.record.delete": {"zh": "删除记录", "en": "Delete a record"},
    "audit_says.record.delete": {"zh": "{who} 删除了{object}", "en": "{who} deleted {object}"},
    "audit_action.record.update": {"zh": "更新记录", "en": "Update a record"},
    "audit_says.record.update": {"zh": "{who} 更新了{object}", "en": "{who} updated {object}"},
    "audit_action.user.create": {"zh": "新建用户", "en": "Create a user"},
    "audit_says.user.create": {"zh": "{who} 新建了{object}", "en": "{who} created {object}"},
    "audit_action.user.enable": {"zh": "启用用户", "en": "Enable a user"},
    "audit_says.user.enable": {"zh": "{who} 启用了{object}", "en": "{who} enabled {object}"},
    "audit_action.user.disable": {"zh": "停用用户", "en": "Disable a user"},
    "audit_says.user.disable": {"zh": "{who} 停用了{object}", "en": "{who} disabled {object}"},
    "audit_action.user.login": {"zh": "登录", "en": "Sign in"},
    "audit_says.user.login": {"zh": "{who} 登录了系统", "en": "{who} signed in"},
    "audit_action.user.login_failed": {"zh": "登录失败", "en": "Failed sign-in"},
    "audit_says.user.login_failed": {"zh": "登录失败：用户名 {username}，来源 {client}",
                                     "en": "Failed sign-in: username {username}, from {client}"},
    "audit_action.user.password": {"zh": "重置密码", "en": "Reset a password"},
    "audit_says.user.password": {"zh": "{who} 重置了{object}的密码", "en": "{who} reset the password of {object}"},
    "audit_action.user.password_change": {"zh": "修改自己的密码", "en": "Change one's own password"},
    "audit_says.user.password_change": {"zh": "{who} 修改了自己的密码", "en": "{who} changed their own password"},
    "audit_action.user.password_reset": {"zh": "重置密码", "en": "Reset a password"},
    "audit_says.user.password_reset": {"zh": "{who} 重置了{object}的密码",
                                       "en": "{who} reset the password of {object}"},
    "audit_action.audit.export": {"zh": "导出审计日志", "en": "Export the audit log"},
    "audit_says.audit.export": {"zh": "{who} 导出了审计日志", "en": "{who} exported the audit log"},
    # an action no label names yet (its code stays in the page's machine field and the export's code column)
    "audit_says_unknown": {"zh": "{who} 执行了一项未登记的操作{object}",
                           "en": "{who} performed an unlisted action{object}"},
    "audit_says_unknown_object": {"zh": "（对象：{object}）", "en": " (on {object})"},
    "audit_action_unknown": {"zh": "未登记的操作", "en": "Unlisted action"},
    # who did it
    "audit_who": {"zh": "{role} {username}", "en": "{role} {username}"},
    "audit_who_unknown": {"zh": "用户 {username}", "en": "user {username}"},
    "audit_who_system": {"zh": "系统", "en": "The system"},
    "audit_who_anonymous": {"zh": "未登录的访问者", "en": "An anonymous visitor"},
    "audit_client_unknown": {"zh": "未知", "en": "unknown"},
    # what it was done to: by its readable name, else a kind word and the id
    "audit_object.cycle": {"zh": "评价周期「{name}」", "en": "rating cycle \u201c{name}\u201d"},
    "audit_object.cycle_gone": {"zh": "评价周期（编号 {id}）", "en": "rating cycle no. {id}"},
    "audit_object.document": {"zh": "{kind} {name}", "en": "{kind} {name}"},
    "audit_object.document_gone": {"zh": "文书（编号 {id}）", "en": "document no. {id}"},
    "audit_object.import_batch": {"zh": "{kind}文件「{name}」", "en": "{kind} file \u201c{name}\u201d"},
    "audit_object.import_batch_gone": {"zh": "导入批次（编号 {id}）", "en": "import batch no. {id}"},
    "audit_object.appeal": {"zh": "{name}的第 {id} 号异议", "en": "appeal no. {id} of {name}"},
    "audit_object.appeal_gone": {"zh": "第 {id} 号异议", "en": "appeal no. {id}"},
    "audit_object.user": {"zh": "用户 {id}", "en": "user {id}"},
    "audit_object.company": {"zh": "企业「{name}」", "en": "company \u201c{name}\u201d"},
    "audit_object.company_gone": {"zh": "企业（统一社会信用代码 {id}）", "en": "company {id}"},
    "audit_object.calendar": {"zh": "{id} 年工作日历", "en": "the {id} working-day calendar"},
    "audit_object.methodology": {"zh": "评价细则「{name}」", "en": "methodology \u201c{name}\u201d"},
    "audit_object.methodology_gone": {"zh": "评价细则（编号 {id}）", "en": "methodology {id}"},
    "audit_object.record": {"zh": "{kind}记录 {id}", "en": "{kind} record {id}"},
    "audit_object.unknown": {"zh": "其他对象（编号 {id}）", "en": "another object (no. {id})"},
    # the details: one line per field, "字段：旧值 → 新值"
    "audit_change": {"zh": "{field}：{before} → {after}", "en": "{field}: {before} → {after}"},
    "audit_fact": {"zh": "{field}：{value}", "en": "{field}: {value}"},
    "audit_empty_value": {"zh": "（空）", "en": "(empty)"},
    "audit_yes": {"zh": "是", "en": "yes"},
    "audit_no": {"zh": "否", "en": "no"},
    "audit_list_more": {"zh": "等 {count} 项", "en": "and {count} more"},
    "audit_list_sep": {"zh": "、", "en": ", "},
    "audit_field.from_to": {"zh": "状态", "en": "Status"},
    "audit_field.batch_id": {"zh": "导入批次编号", "en": "Import batch"},
    "audit_field.snapshot_batch": {"zh": "快照截至批次", "en": "Snapshot up to batch"},
    "audit_field.snapshot_hash": {"zh": "快照哈希", "en": "Snapshot hash"},
    "audit_field.constants": {"zh": "计算常数", "en": "Constants"},
    "audit_field.R0": {"zh": "全县平均查实投诉率（件/千户年）", "en": "County average substantiated complaint rate "
                                                               "(per 1,000 households a year)"},
    "audit_field.rated": {"zh": "参评企业数", "en": "Companies rated"},
    "audit_field.compute_count": {"zh": "第几次计算", "en": "Computation no."},
    "audit_field.notice_date": {"zh": "公示日期", "en": "Notice date"},
    "audit_field.name": {"zh": "名称", "en": "Name"},
    "audit_field.period": {"zh": "评价期间", "en": "Period"},
    "audit_field.methodology": {"zh": "评价细则", "en": "Methodology"},
    "audit_field.holidays": {"zh": "节假日", "en": "Holidays"},
    "audit_field.workdays": {"zh": "调休上班日", "en": "Working weekend days"},
    "audit_field.whole_year": {"zh": "全年已设置", "en": "Whole year"},
    "audit_field.source": {"zh": "来源", "en": "Source"},
    "audit_field.based_on": {"zh": "依据的细则", "en": "Based on"},
    "audit_field.effective_from": {"zh": "生效日期", "en": "Effective from"},
    "audit_field.sha256": {"zh": "哈希值", "en": "SHA-256"},
    "audit_field.weights": {"zh": "权重", "en": "Weights"},
    "audit_field.bands": {"zh": "等级划分", "en": "Grade bands"},
    "audit_field.cycle_id": {"zh": "评价周期编号", "en": "Cycle"},
    "audit_field.credit_code": {"zh": "统一社会信用代码", "en": "Credit code"},
    "audit_field.scope": {"zh": "异议类型", "en": "What is contested"},
    "audit_field.records": {"zh": "异议记录", "en": "Records"},
    "audit_field.attachments": {"zh": "附件数", "en": "Attachments"},
    "audit_field.attribution": {"zh": "归属有异议的记录", "en": "Attribution contested"},
    "audit_field.due_on": {"zh": "处理期限", "en": "Due on"},
    "audit_field.attachment_id": {"zh": "附件编号", "en": "Attachment"},
    "audit_field.outcome": {"zh": "处理结果", "en": "Outcome"},
    "audit_field.items": {"zh": "逐条处理", "en": "Items"},
    "audit_field.record": {"zh": "记录", "en": "Record"},
    "audit_field.action": {"zh": "处理", "en": "Action"},
    "audit_field.changes": {"zh": "更正内容", "en": "Changes"},
    "audit_field.score": {"zh": "得分", "en": "Score"},
    "audit_field.grade": {"zh": "等级", "en": "Grade"},
    "audit_field.notices": {"zh": "告知书份数", "en": "Notices"},
    "audit_field.bulletins": {"zh": "公示名单份数", "en": "Public lists"},
    "audit_field.first": {"zh": "起始文号", "en": "First number"},
    "audit_field.last": {"zh": "截止文号", "en": "Last number"},
    "audit_field.appeal_deadline": {"zh": "异议截止日", "en": "Appeal deadline"},
    "audit_field.number": {"zh": "文号", "en": "Number"},
    "audit_field.replaces": {"zh": "更正的文书", "en": "Replaces"},
    "audit_field.decision": {"zh": "处理决定书文号", "en": "Decision"},
    "audit_field.kind": {"zh": "类型", "en": "Kind"},
    "audit_field.documents": {"zh": "文书份数", "en": "Documents"},
    "audit_field.role": {"zh": "角色", "en": "Role"},
    "audit_field.display_name": {"zh": "显示名称", "en": "Display name"},
    "audit_field.client": {"zh": "来源地址", "en": "From"},
    "audit_field.label": {"zh": "令牌名称", "en": "Token label"},
    "audit_field.username": {"zh": "用户名", "en": "Username"},
    "audit_field.reason": {"zh": "原因", "en": "Reason"},
    "audit_field.failures": {"zh": "连续失败次数", "en": "Failures in a row"},
    "audit_field.locked_seconds": {"zh": "账户锁定秒数", "en": "Account locked (seconds)"},
    "audit_field.address_locked_seconds": {"zh": "来源地址锁定秒数", "en": "Address locked (seconds)"},
    "audit_field.unlogged_refusals": {"zh": "期间另被拒绝次数", "en": "Refusals not logged singly"},
    "audit_field.retry_after": {"zh": "剩余锁定秒数", "en": "Locked for (seconds)"},
    "audit_field.file_sha256": {"zh": "文件哈希", "en": "File SHA-256"},
    "audit_field.filename": {"zh": "文件名", "en": "File name"},
    "audit_field.file_format": {"zh": "文件格式", "en": "File format"},
    "audit_field.encoding": {"zh": "编码", "en": "Encoding"},
    "audit_field.rows": {"zh": "行数", "en": "Rows"},
    "audit_field.inserted": {"zh": "新增", "en": "Inserted"},
    "audit_field.updated": {"zh": "更新", "en": "Updated"},
    "audit_field.unchanged": {"zh": "未变", "en": "Unchanged"},
    "audit_field.dropped_columns": {"zh": "舍弃的列", "en": "Dropped columns"},
    "audit_field.ignored_columns": {"zh": "忽略的列", "en": "Ignored columns"},
    "audit_field.format": {"zh": "格式", "en": "Format"},
    "audit_field.filters": {"zh": "筛选条件", "en": "Filters"},
    "audit_field.actor": {"zh": "操作人", "en": "Actor"},
    "audit_field.entity_kind": {"zh": "对象类型", "en": "Object kind"},
    "audit_field.entity_id": {"zh": "对象编号", "en": "Object id"},
    "audit_field.since": {"zh": "开始日期", "en": "From"},
    "audit_field.until": {"zh": "结束日期", "en": "To"},
    "audit_value.unknown_user": {"zh": "用户名不存在", "en": "no such user"},
    "audit_value.disabled": {"zh": "账户已停用", "en": "account disabled"},
    "audit_value.wrong_password": {"zh": "密码错误", "en": "wrong password"},
    "audit_value.throttled_address": {"zh": "来源地址暂被锁定", "en": "address locked"},
    "audit_value.throttled_account": {"zh": "账户暂被锁定", "en": "account locked"},
    "audit_value.session": {"zh": "网页登录", "en": "web session"},
    "audit_value.api": {"zh": "接口令牌", "en": "API token"},
    "audit_value.records": {"zh": "对扣分记录有异议", "en": "records that cost points"},
    "audit_value.calculation": {"zh": "对计算方法有异议", "en": "the calculation"},
    # the page's own messages
    "audit_date_invalid": {
        "zh": "{field}“{value}”不是有效的日期：请写作 年-月-日，如 2026-01-31。",
        "en": "{field} '{value}' is not a valid date: write YYYY-MM-DD, e.g. 2026-01-31.",
    },
    "audit_dates_reversed": {
        "zh": "开始日期 {since} 晚于结束日期 {until}：请对调或改正。",
        "en": "The start date {since} is after the end date {until}: swap or correct them.",
    },
    "audit_page_beyond": {
        "zh": "第 {page} 页不存在：符合条件的记录共 {pages} 页。",
        "en": "There is no page {page}: the matching entries fill {pages} pages.",
    },
    "audit_export_too_many": {
        "zh": "符合条件的记录有 {count} 条，超过一次导出的上限 {limit} 条：请缩小日期范围或增加筛选条件后分次导出。",
        "en": "{count} entries match, more than the {limit} one export may hold: narrow the dates or add filters "
              "and export in parts.",
    },
    "audit_export_format_unknown": {
        "zh": "导出格式“{format}”无效：应为 CSV 或 XLSX。",
        "en": "Unknown export format '{format}': use CSV or XLSX.",
    },
    # object kinds, for the page's filter
    "audit_kind.cycle": {"zh": "评价周期", "en": "Rating cycle"},
    "audit_kind.document": {"zh": "文书", "en": "Document"},
    "audit_kind.import_batch": {"zh": "导入批次", "en": "Import batch"},
    "audit_kind.appeal": {"zh": "异议", "en": "Appeal"},
    "audit_kind.user": {"zh": "用户", "en": "User"},
    "audit_kind.company": {"zh": "企业", "en": "Company"},
    "audit_kind.calendar": {"zh": "工作日历", "en": "Working-day calendar"},
    "audit_kind.methodology": {"zh": "评价细则", "en": "Methodology"},
    "audit_kind_record": {"zh": "{kind}记录", "en": "{kind} record"},
    # the export's column headers (the last four hold codes, for machines)
    "audit_export_sheet": {"zh": "审计日志", "en": "Audit log"},
    "audit_export_seq": {"zh": "序号", "en": "Seq"},
    "audit_export_at": {"zh": "时间（北京时间）", "en": "Time (Beijing)"},
    "audit_export_sentence": {"zh": "操作记录", "en": "What happened"},
    "audit_export_action": {"zh": "操作", "en": "Action"},
    "audit_export_reason": {"zh": "事由", "en": "Reason"},
    "audit_export_details": {"zh": "详情", "en": "Details"},
    "audit_export_actor_code": {"zh": "操作人账号", "en": "actor"},
    "audit_export_action_code": {"zh": "操作代码", "en": "action"},
    "audit_export_kind_code": {"zh": "对象类型代码", "en": "entity_kind"},
    "audit_export_id_code": {"zh": "对象编号", "en": "entity_id"},
    # -- intake match: the community directory
    "audit_action.community.name_add": {"zh": "添加小区名称", "en": "Add a community name"},
    "audit_says.community.name_add": {"zh": "{who} 为{object}添加了名称", "en": "{who} added a name to {object}"},
    "audit_action.community.name_remove": {"zh": "删除小区名称", "en": "Remove a community name"},
    "audit_says.community.name_remove": {"zh": "{who} 删除了{object}的一个名称",
                                         "en": "{who} removed a name of {object}"},
    "audit_object.community": {"zh": "小区（编号 {id}）", "en": "community {id}"},
}

PAGE_TEXT = {
    "audit_title": {"zh": "审计日志", "en": "Audit log"},
    "audit_hint": {
        "zh": "每一次导入、状态变更、决定和账户操作都记录在此，按哈希链接，不可修改。时间为北京时间。",
        "en": "Every import, state change, decision and account action is recorded here, hash-chained and "
              "append-only. Times are Beijing time.",
    },
    "actor": {"zh": "操作人", "en": "Actor"},
    "action": {"zh": "操作", "en": "Action"},
    "any_action": {"zh": "全部", "en": "any"},
    "entity_kind": {"zh": "对象类型", "en": "Object kind"},
    "entity_id": {"zh": "对象编号", "en": "Object id"},
    "since": {"zh": "开始日期", "en": "From"},
    "until": {"zh": "结束日期", "en": "To"},
    "filter": {"zh": "筛选", "en": "Filter"},
    "reset": {"zh": "清除条件", "en": "Clear"},
    "seq": {"zh": "序号", "en": "Seq"},
    "at": {"zh": "时间", "en": "Time"},
    "entity": {"zh": "对象", "en": "Object"},
    "reason": {"zh": "事由", "en": "Reason"},
    "payload": {"zh": "内容", "en": "Payload"},
    "show": {"zh": "查看", "en": "show"},
    "total": {"zh": "共 {total} 条，第 {page}/{pages} 页", "en": "{total} entries, page {page} of {pages}"},
    "none": {"zh": "没有符合条件的记录。", "en": "No entries match."},
    "sentence": {"zh": "操作记录", "en": "What happened"},
    "details": {"zh": "详情", "en": "Details"},
    "reason_line": {"zh": "事由：{reason}", "en": "Reason: {reason}"},
    "kind_any": {"zh": "全部", "en": "any"},
    "export_csv": {"zh": "导出 CSV", "en": "Export CSV"},
    "export_xlsx": {"zh": "导出 Excel", "en": "Export Excel"},
    "export_hint": {"zh": "按当前筛选条件导出，一次最多 {limit} 条；导出本身也记入审计日志。",
                    "en": "Exports what the filters select, at most {limit} entries at a time; the export is itself "
                          "recorded in the log."},
    "status_ok": {"zh": "审计链校验通过（{count} 条）", "en": "Audit chain verified ({count} entries)"},
    "status_failed": {"zh": "审计链校验未通过：{problem}", "en": "Audit chain check failed: {problem}"},
    "status_unchecked": {"zh": "审计日志共 {count} 条，较长，未在打开页面时校验：请点击“立即校验”。",
                         "en": "The log holds {count} entries, too many to verify on every view: press "
                               "\u201cVerify now\u201d."},
    "status_when": {"zh": "（校验于 {at}，之后新增的记录尚未校验）",
                    "en": " (checked at {at}; entries added since are not yet checked)"},
    "verify_now": {"zh": "立即校验", "en": "Verify now"},
    "prev": {"zh": "‹ 上一页（较新）", "en": "‹ Newer"},
    "next": {"zh": "下一页（较早）›", "en": "Older ›"},
}
