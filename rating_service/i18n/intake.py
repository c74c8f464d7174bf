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
    # -- match: the matching rules and the community directory ------------------------------------------------
    "match_rule.exact_name": {"zh": "与小区名称一致", "en": "Same as the community's name"},
    "match_rule.exact_alias": {"zh": "与小区别名一致", "en": "Same as an alias of the community"},
    "match_rule.exact_former": {"zh": "与小区曾用名一致", "en": "Same as a former name of the community"},
    "match_rule.address": {"zh": "与小区地址（路名门牌）一致", "en": "Same road and number as the community's address"},
    "match_rule.contains_name": {"zh": "地址中含有小区名称", "en": "The address contains the community's name"},
    "match_rule.contains_alias": {"zh": "地址中含有小区别名或曾用名",
                                  "en": "The address contains an alias or former name of the community"},
    "match_rule.fuzzy_name": {"zh": "与小区名称相近", "en": "Close to the community's name"},
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
}

PAGE_TEXT: dict[str, dict[str, str]] = {
    "queue_title": {"zh": "工单确认", "en": "Ticket review"},
}
