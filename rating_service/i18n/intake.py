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
    "directory_community_unknown": {"zh": "没有编号为 {community} 的小区", "en": "There is no community {community}"},
    "directory_kind_unknown": {"zh": "名称类型“{kind}”无法识别，应为别名、曾用名、地址或所在镇（街道）",
                               "en": "Unknown name type \u201c{kind}\u201d: use alias, former name, address or town"},
    "directory_name_empty": {"zh": "名称不能为空", "en": "The name is empty"},
    "directory_name_too_long": {"zh": "名称不能超过 {limit} 个字", "en": "The name is longer than {limit} characters"},
    "directory_name_personal_data": {"zh": "名称中含有电话、身份证号等个人信息，不能保存",
                                     "en": "The name contains personal data (a phone or ID number): not saved"},
    "directory_name_taken": {"zh": "“{name}”已是小区「{community}」（{community_id}）的名称，不能再用于其他小区",
                             "en": "\u201c{name}\u201d already names {community} ({community_id})"},
    "directory_name_exists": {"zh": "该小区已有名称“{name}”", "en": "The community already has the name \u201c{name}\u201d"},
    "directory_name_unknown": {"zh": "没有编号为 {id} 的小区名称", "en": "There is no directory name no. {id}"},
    "directory_import_row": {"zh": "第 {row} 行：{reason}", "en": "Row {row}: {reason}"},
    "directory_cli_imported": {"zh": "已导入 {added} 个小区名称（共 {rows} 行，其余已存在）",
                               "en": "{added} community names imported ({rows} rows, the others were there already)"},
    "directory_cli_match": {"zh": "{text} → {status}：{community}，得分 {score}，依据：{rule}",
                            "en": "{text} → {status}: {community}, score {score}, by: {rule}"},
    "directory_cli_no_community": {"zh": "（无）", "en": "(none)"},
}

PAGE_TEXT: dict[str, dict[str, str]] = {
    "queue_title": {"zh": "工单确认", "en": "Ticket review"},
}
