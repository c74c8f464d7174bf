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
    "entity_kind": {"zh": "对象类型", "en": "Entity kind"},
    "entity_id": {"zh": "对象编号", "en": "Entity id"},
    "since": {"zh": "开始日期", "en": "From"},
    "until": {"zh": "结束日期", "en": "To"},
    "filter": {"zh": "筛选", "en": "Filter"},
    "reset": {"zh": "清除条件", "en": "Clear"},
    "seq": {"zh": "序号", "en": "Seq"},
    "at": {"zh": "时间", "en": "Time"},
    "entity": {"zh": "对象", "en": "Entity"},
    "reason": {"zh": "事由", "en": "Reason"},
    "payload": {"zh": "内容", "en": "Payload"},
    "show": {"zh": "查看", "en": "show"},
    "total": {"zh": "共 {total} 条，第 {page}/{pages} 页", "en": "{total} entries, page {page} of {pages}"},
    "none": {"zh": "没有符合条件的记录。", "en": "No entries match."},
    "prev": {"zh": "‹ 上一页（较新）", "en": "‹ Newer"},
    "next": {"zh": "下一页（较早）›", "en": "Older ›"},
}
