"""Words of the web pages and exports that code picks per language (separators, fallbacks, yes/no)."""

MESSAGES: dict[str, dict[str, str]] = {
    # joins the items of a list in running text ("数据库、附件目录" / "database, attachments folder")
    "list_separator": {"zh": "、", "en": ", "},
    # a colon before a value in running text
    "colon": {"zh": "：", "en": ": "},
    # a record's category left blank
    "uncategorised": {"zh": "未分类", "en": "Uncategorised"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    # the HTML lang attribute of a page or PDF in this language
    "html_lang": {"zh": "zh-CN", "en": "en"},
}
