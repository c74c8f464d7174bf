"""Messages of accounts, logins and permissions; the words of the login and account pages (``PAGE_TEXT``)."""

MESSAGES: dict[str, dict[str, str]] = {
    # accounts
    "user_name_invalid": {
        "zh": "用户名“{username}”无效：3–64 个字符，仅限字母、数字和 _ . @ -。",
        "en": "Invalid username '{username}': 3–64 letters, digits or _ . @ -.",
    },
    "user_role_invalid": {"zh": "未知角色“{role}”，可选：{choices}", "en": "Unknown role '{role}'; choose one of: {choices}"},
    "user_password_short": {"zh": "密码至少 {minimum} 个字符。", "en": "The password needs at least {minimum} characters."},
    "user_password_common": {
        "zh": "密码过于常见：它在常用密码表中（或只是常用密码前后加数字、符号，或是键盘、字母顺序），请换一个。",
        "en": "The password is too common: it is in the list of common passwords (or is one with digits or symbols around it, or a keyboard or alphabet run); choose another.",
    },
    "user_password_has_username": {
        "zh": "密码不能与用户名相同，也不能包含用户名。", "en": "The password must not be or contain the username.",
    },
    "user_password_repetitive": {
        "zh": "密码至少要包含 {minimum} 个不同的字符。", "en": "The password needs at least {minimum} different characters.",
    },
    "user_company_code_required": {
        "zh": "企业账户必须绑定统一社会信用代码。", "en": "A company account must be bound to a credit code.",
    },
    "user_code_only_for_company": {
        "zh": "只有企业账户可以绑定统一社会信用代码。", "en": "Only company accounts are bound to a credit code.",
    },
    "company_not_found": {"zh": "未找到企业：{code}", "en": "No company with credit code {code}."},
    "user_exists": {"zh": "用户名“{username}”已存在。", "en": "The username '{username}' is taken."},
    "user_not_found": {"zh": "未找到用户：{username}", "en": "No user '{username}'."},
    "user_disable_self": {"zh": "不能停用自己的账户。", "en": "You cannot disable your own account."},
    "login_failed": {"zh": "用户名或密码错误。", "en": "Wrong username or password."},
    "login_locked": {
        "zh": "登录失败次数过多，请 {seconds} 秒后再试。",
        "en": "Too many failed logins; try again in {seconds} seconds.",
    },
    "login_csrf_failed": {
        "zh": "登录表单已过期或不是从本站提交的，请重新输入用户名和密码登录。",
        "en": "The login form has expired or was not sent from this site; enter your username and password again.",
    },
    "auth_required": {"zh": "请先登录。", "en": "Please log in."},
    "forbidden": {"zh": "当前账户无权进行此操作。", "en": "Your account may not do this."},
    "csrf_failed": {
        "zh": "表单已过期或来源无效，请刷新页面后重试。",
        "en": "The form has expired or did not come from this site; reload the page and try again.",
    },
}

PAGE_TEXT = {
    "users_title": {"zh": "账户管理", "en": "Accounts"},
    "display_name": {"zh": "显示名称", "en": "Display name"},
    "role": {"zh": "角色", "en": "Role"},
    "status": {"zh": "状态", "en": "Status"},
    "active": {"zh": "启用", "en": "active"},
    "inactive": {"zh": "已停用", "en": "disabled"},
    "last_login": {"zh": "最近登录", "en": "Last login"},
    "create_user": {"zh": "新建账户", "en": "New account"},
    "create": {"zh": "创建", "en": "Create"},
    "disable": {"zh": "停用", "en": "Disable"},
    "enable": {"zh": "启用", "en": "Enable"},
    "confirm_disable": {
        "zh": "确定停用该账户？其登录会话将立即失效。", "en": "Disable this account? Its sessions end at once.",
    },
    "company_code_hint": {"zh": "企业账户必填", "en": "company accounts only"},
    "created": {"zh": "账户已创建：", "en": "Account created: "},
    "password_rule": {
        "zh": "至少 {minimum} 个字符，不能是常见密码或键盘序列，不能包含用户名。",
        "en": "At least {minimum} characters; not a common password or keyboard run; not containing the username.",
    },
}
