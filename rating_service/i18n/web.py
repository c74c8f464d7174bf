"""Words of the web pages and exports that code picks per language (separators, fallbacks, yes/no); the words
that every page may use (``UI``: navigation, login, footer, the overview tables, the public site's header)."""

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

UI: dict[str, dict[str, str]] = {
    "title": {"zh": "枞阳县物业服务企业信用评价系统", "en": "Zongyang Property-Company Credit Rating"},
    "issuer": {"zh": "枞阳县住房和城乡建设局", "en": "Zongyang County Housing and Urban-Rural Development Bureau"},
    "overview": {"zh": "数据概览", "en": "Data overview"},
    "companies": {"zh": "物业服务企业", "en": "Property companies"},
    "communities": {"zh": "物业小区", "en": "Managed communities"},
    "credit_code": {"zh": "统一社会信用代码", "en": "Credit code"},
    "name": {"zh": "名称", "en": "Name"},
    "legal_rep": {"zh": "法定代表人", "en": "Legal representative"},
    "managed": {"zh": "在管小区", "en": "Communities"},
    "households": {"zh": "户数", "en": "Households"},
    "community_id": {"zh": "小区编号", "en": "ID"},
    "neighborhood": {"zh": "所属社区", "en": "Neighbourhood"},
    "manager": {"zh": "物业服务企业（今日）", "en": "Managed by (today)"},
    "none": {"zh": "无在管企业", "en": "no manager"},
    "records": {"zh": "记录数", "en": "Records"},
    "last_import": {"zh": "最近导入：", "en": "Last import: "},
    "empty": {
        "zh": "尚无数据。请运行 rating demo 载入演示数据，或用 rating import 导入文件。",
        "en": "No data yet. Run `rating demo` to load the demo data or `rating import` to import files.",
    },
    "switch": {"zh": "English", "en": "中文"},
    "footer": {
        "zh": "依据《枞阳县“城市管理进小区”实施方案》（枞政办秘〔2025〕23号）四（三）建立。",
        "en": "Built under the Zongyang plan 'City management into communities' (枞政办秘〔2025〕23号), §4(3).",
    },
    # navigation and accounts
    "nav_dashboard": {"zh": "工作台", "en": "Dashboard"},
    "nav_imports": {"zh": "数据导入", "en": "Imports"},
    "nav_cycles": {"zh": "评价周期", "en": "Rating cycles"},
    "nav_methodologies": {"zh": "细则与验证", "en": "Methodology"},
    "nav_users": {"zh": "账户管理", "en": "Accounts"},
    "nav_audit": {"zh": "审计日志", "en": "Audit log"},
    "nav_calendar": {"zh": "工作日历", "en": "Calendar"},
    "nav_my_ratings": {"zh": "本企业评价", "en": "My ratings"},
    # the public site (shown to visitors who are not logged in)
    "nav_public": {"zh": "评价结果", "en": "Ratings"},
    "nav_lists": {"zh": "红黑榜", "en": "Red & black lists"},
    "nav_methodology": {"zh": "评价细则", "en": "Methodology"},
    "nav_appeals": {"zh": "异议统计", "en": "Appeals"},
    "nav_open_data": {"zh": "开放数据", "en": "Open data"},
    "nav_verify": {"zh": "文书核验", "en": "Verify a notice"},
    "skip": {"zh": "跳到正文", "en": "Skip to content"},
    "scroll_hint": {"zh": "表格较宽，可左右滑动查看 →", "en": "Wide table: swipe sideways to see all →"},
    # punctuation that follows the language
    "colon": {"zh": "：", "en": ": "},
    "lp": {"zh": "（", "en": " ("},
    "rp": {"zh": "）", "en": ")"},
    "login": {"zh": "登录", "en": "Log in"},
    "logout": {"zh": "退出", "en": "Log out"},
    "username": {"zh": "用户名", "en": "Username"},
    "password": {"zh": "密码", "en": "Password"},
    "login_title": {"zh": "账户登录", "en": "Log in"},
    "login_hint": {
        "zh": "业务人员、管理员和物业服务企业请使用住建局分配的账户登录。",
        "en": "Officers, administrators and property companies log in with the account the bureau issued.",
    },
    "error_title": {"zh": "出错了", "en": "Something went wrong"},
    "not_found_title": {"zh": "页面不存在", "en": "Page not found"},
    "not_found_text": {"zh": "您访问的地址不存在、已更改或暂未公开。可以查询企业信用评价结果，或返回首页。",
                       "en": "This address does not exist, has moved or is not public. Search the ratings or go home."},
    "not_found_search": {"zh": "企业名称、信用代码或小区名称", "en": "Company, credit code or community"},
    "not_found_go": {"zh": "查询", "en": "Search"},
    "not_found_home": {"zh": "返回首页", "en": "Home"},
    # the footer's site fields (settings: RATING_SITE_OWNER, RATING_SITE_PHONE, RATING_SITE_ICP)
    "site_owner": {"zh": "主办单位", "en": "Run by"},
    "site_phone": {"zh": "咨询电话", "en": "Enquiries"},
    "site_icp": {"zh": "备案号", "en": "ICP filing"},
    "back": {"zh": "返回", "en": "Back"},
    "signed_in_as": {"zh": "当前用户", "en": "Signed in as"},
    "change_password": {"zh": "修改密码", "en": "Change password"},
}
