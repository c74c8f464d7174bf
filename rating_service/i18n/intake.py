"""The words of intake: the community directory, matching, personal-data removal, triage, the review queue, the
intake API and its keys. ``MESSAGES`` holds the value names and the messages; ``PAGE_TEXT`` the pages' words.

Each lane of issue 18 keeps its own section below (a comment line names it), so that merges stay apart.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # -- value names (rating_service/intake/models.py) -------------------------------------------------------
    "name_kind.alias": {"zh": "别名", "en": "Alias"},
    "name_kind.former": {"zh": "曾用名", "en": "Former name"},
    "name_kind.address": {"zh": "地址", "en": "Address"},
    "name_kind.town": {"zh": "所在镇（街道）", "en": "Town or street"},
    "item_kind.hotline": {"zh": "12345热线工单", "en": "12345 hotline ticket"},
    "item_kind.patrol": {"zh": "巡查记录", "en": "Patrol finding"},
    "item_status.pending": {"zh": "待确认", "en": "To confirm"},
    "item_status.confirmed": {"zh": "已确认", "en": "Confirmed"},
    "item_status.not_property": {"zh": "非物业服务类", "en": "Not property-related"},
    "item_status.duplicate": {"zh": "重复工单", "en": "Duplicate"},
    "match_status.proposed": {"zh": "建议匹配", "en": "Proposed"},
    "match_status.review": {"zh": "待人工判断", "en": "Needs review"},
    "match_status.tie": {"zh": "多个小区同样接近", "en": "Tie between communities"},
    "match_status.none": {"zh": "未找到小区", "en": "No community found"},
    # -- triage: personal-data markers (stored in Chinese), training and evaluation -------------------------
    "redacted.phone": {"zh": "【已删除电话】", "en": "[phone removed]"},
    "redacted.id_number": {"zh": "【已删除身份证号】", "en": "[ID number removed]"},
    "redacted.bank_card": {"zh": "【已删除银行卡号】", "en": "[bank card removed]"},
    "redacted.email": {"zh": "【已删除邮箱】", "en": "[e-mail removed]"},
    "redacted.name": {"zh": "【已删除姓名】", "en": "[name removed]"},
    "redacted.house_number": {"zh": "【已删除门牌】", "en": "[house number removed]"},
    "intake_triage.lengths": {
        "zh": "训练数据的条数不一致：诉求内容 {texts} 条、诉求类别 {categories} 条、是否物业服务类 {relevant} 条。",
        "en": "The training data do not line up: {texts} texts, {categories} categories, {relevant} relevance flags."},
    "intake_triage.no_category": {
        "zh": "第 {row} 条是物业服务类，但没有诉求类别。",
        "en": "Ticket {row} is property-related but has no category."},
    "intake_triage.too_few": {
        "zh": "已确认的工单太少，无法训练：现有 {count} 条，至少需要 {needed} 条（已确认或标为非物业服务类）。",
        "en": "Too few confirmed tickets to train on: {count}, at least {needed} are needed (confirmed or marked "
              "not property-related)."},
    "intake_triage.no_relevant": {
        "zh": "没有一条物业服务类工单，无法学习诉求类别：请先确认一些物业服务类工单。",
        "en": "No property-related ticket to learn the categories from: confirm some property-related tickets first."},
    "intake_triage.column_missing": {"zh": "缺少「{column}」列。", "en": "The column \u201c{column}\u201d is missing."},
    "intake_triage.yes_no": {"zh": "应填“是”或“否”。", "en": "Must be 是 (yes) or 否 (no)."},
    "intake_triage.category_missing": {"zh": "物业服务类工单须填写诉求类别。",
                                       "en": "A property-related ticket needs its category."},
    "intake_triage.empty_file": {"zh": "文件 {file} 中没有工单。", "en": "The file {file} holds no ticket."},
    "intake_triage.no_model": {
        "zh": "还没有训练好的分类模型：请先运行 rating intake train（需要已确认的工单）。",
        "en": "No triage model has been trained yet: run rating intake train first (it needs confirmed tickets)."},
    "audit_action.intake.model_train": {"zh": "训练工单分类模型", "en": "Train the ticket triage model"},
    "audit_says.intake.model_train": {"zh": "{who} 训练了{object}", "en": "{who} trained {object}"},
    "audit_object.triage_model": {"zh": "工单分类模型第 {id} 版", "en": "ticket triage model version {id}"},
    "audit_field.samples": {"zh": "训练工单数", "en": "Tickets trained on"},
    "audit_field.macro_f1": {"zh": "类别宏平均 F1", "en": "Category macro-F1"},
    "audit_field.relevance_precision": {"zh": "物业服务类判断的精确率", "en": "Relevance precision"},
    "audit_field.relevance_recall": {"zh": "物业服务类判断的召回率", "en": "Relevance recall"},
    "audit_field.seed": {"zh": "随机种子", "en": "Random seed"},
    "audit_field.deactivated": {"zh": "停用的旧版本", "en": "Earlier versions deactivated"},
    "intake_model.trained": {
        "zh": "已训练工单分类模型第 {version} 版：{samples} 条工单，用时 {seconds} 秒。",
        "en": "Trained ticket triage model version {version}: {samples} tickets, {seconds} s."},
    "intake_model.heldout": {
        "zh": "留出 {n_test} 条检验（训练 {n_train} 条）：类别宏平均 F1 {macro_f1}，物业服务类判断精确率 {precision}、"
              "召回率 {recall}。",
        "en": "Held out {n_test} tickets (trained on {n_train}): category macro-F1 {macro_f1}, relevance precision "
              "{precision}, recall {recall}."},
    "intake_model.evaluated_file": {
        "zh": "第 {version} 版模型在 {file} 的 {count} 条工单上的表现：",
        "en": "Model version {version} on the {count} tickets of {file}:"},
    "intake_model.evaluated_stored": {
        "zh": "第 {version} 版模型（{trained_at} 由 {by} 训练，{samples} 条工单）在留出的 {count} 条工单上的表现：",
        "en": "Model version {version} (trained {trained_at} by {by} on {samples} tickets) on its {count} held-out "
              "tickets:"},
    "intake_model.macro": {"zh": "类别宏平均 F1：{macro_f1}；准确率：{accuracy}",
                           "en": "Category macro-F1: {macro_f1}; accuracy: {accuracy}"},
    "intake_model.relevance": {
        "zh": "物业服务类判断：精确率 {precision}，召回率 {recall}，F1 {f1}（物业服务类 {support} 条）",
        "en": "Property-related or not: precision {precision}, recall {recall}, F1 {f1} ({support} property-related)"},
    "intake_model.none": {"zh": "无", "en": "none"},
    # -- match: the matching rules and the community directory ------------------------------------------------
    "match_rule.exact_name": {"zh": "与小区名称一致", "en": "Same as the community's name"},
    "match_rule.exact_alias": {"zh": "与小区别名一致", "en": "Same as an alias of the community"},
    "match_rule.exact_former": {"zh": "与小区曾用名一致", "en": "Same as a former name of the community"},
    "match_rule.address": {"zh": "与小区地址（路名门牌）一致", "en": "Same road and number as the community's address"},
    "match_rule.contains_name": {"zh": "地址中含有小区名称", "en": "The address contains the community's name"},
    "match_rule.contains_alias": {"zh": "地址中含有小区别名或曾用名",
                                  "en": "The address contains an alias or former name of the community"},
    "match_rule.fuzzy_name": {"zh": "与小区名称相近", "en": "Close to the community's name"},
}

PAGE_TEXT: dict[str, dict[str, str]] = {
    "queue_title": {"zh": "工单确认", "en": "Ticket review"},
    # -- triage: the evaluation table (rating intake evaluate; a page may show the same) ---------------------
    "triage_table_title": {"zh": "各类别的精确率、召回率与 F1", "en": "Precision, recall and F1 by category"},
    "triage_category": {"zh": "诉求类别", "en": "Category"},
    "triage_precision": {"zh": "精确率", "en": "Precision"},
    "triage_recall": {"zh": "召回率", "en": "Recall"},
    "triage_f1": {"zh": "F1", "en": "F1"},
    "triage_support": {"zh": "工单数", "en": "Tickets"},
}
