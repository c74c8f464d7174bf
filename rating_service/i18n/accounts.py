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
    "user_reset_self": {
        "zh": "不能重置自己的密码，请在“修改密码”页面修改。", "en": "You cannot reset your own password; change it on the Change password page.",
    },
    "user_password_current_wrong": {"zh": "当前密码不正确。", "en": "The current password is wrong."},
    "user_password_unchanged": {
        "zh": "新密码不能与当前密码相同。", "en": "The new password must differ from the current one.",
    },
    "user_password_mismatch": {
        "zh": "两次输入的新密码不一致。", "en": "The two new passwords do not match.",
    },
    "password_change_required": {
        "zh": "管理员为本账户设置了临时密码，请先修改密码（POST /api/v1/me/password 或“修改密码”页面）再继续。",
        "en": "An administrator set a temporary password for this account: change it first (POST /api/v1/me/password or the Change password page).",
    },
    "user_password_reset_done": {
        "zh": "已重置账户 {username} 的密码，其会话和访问令牌已全部失效。临时密码（只显示这一次，请当面或电话告知本人）：{password}",
        "en": "The password of {username} is reset and all its sessions and tokens are ended. Temporary password (shown only this once; hand it to the owner in person or by phone): {password}",
    },
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
    "company": {"zh": "所属企业", "en": "Company"},
    "company_pick": {"zh": "— 选择企业（仅企业账户）—", "en": "— choose a company (company accounts only) —"},
    "no_companies": {
        "zh": "企业名录为空：请先导入企业名录，才能新建企业账户。",
        "en": "The company register is empty: import it before creating company accounts.",
    },
    "first_login_note": {
        "zh": "新账户首次登录时须修改密码。", "en": "A new account must change its password at the first login.",
    },
    "reset_password": {"zh": "重置密码", "en": "Reset password"},
    "confirm_reset": {
        "zh": "确定重置该账户的密码？将生成临时密码，其所有登录会话和访问令牌立即失效，下次登录须修改密码。",
        "en": "Reset this account's password? A temporary password is made, all its sessions and tokens end at once, and it must change the password at the next login.",
    },
    "reset_done_title": {"zh": "密码已重置", "en": "Password reset"},
    "reset_done": {
        "zh": "账户 {username} 的临时密码如下，只显示这一次，系统不保存明文。请当面或电话告知本人；其登录会话和访问令牌已全部失效，下次登录须修改密码。",
        "en": "The temporary password of {username} is below. It is shown only this once and not stored in clear: hand it to the owner in person or by phone. Its sessions and tokens have ended; it must change the password at the next login.",
    },
    "temporary_password": {"zh": "临时密码", "en": "Temporary password"},
    "must_change": {"zh": "待修改密码", "en": "must change password"},
    "password_title": {"zh": "修改密码", "en": "Change password"},
    "password_forced": {
        "zh": "管理员为您的账户设置了临时密码。为了账户安全，请先设置您自己的新密码，之后才能使用系统。",
        "en": "An administrator set a temporary password for your account. Set a password of your own before using the service.",
    },
    "current_password": {"zh": "当前密码", "en": "Current password"},
    "current_password_hint": {
        "zh": "如是首次登录或密码刚被重置，请输入临时密码。", "en": "After a reset or at the first login: the temporary password.",
    },
    "new_password": {"zh": "新密码", "en": "New password"},
    "confirm_password": {"zh": "再次输入新密码", "en": "New password again"},
    "save_password": {"zh": "保存新密码", "en": "Save new password"},
    "password_changed": {
        "zh": "密码已修改。您在其他设备上的登录和访问令牌已失效。",
        "en": "Password changed. Your sessions on other devices and your API tokens have ended.",
    },
    "forgot_title": {"zh": "忘记密码？", "en": "Forgot your password?"},
    "forgot_text": {
        "zh": "本系统不通过短信或邮件找回密码。物业服务企业请联系县住房和城乡建设局，经核实身份后由系统管理员重置密码并告知临时密码；用临时密码登录后须立即设置新密码。",
        "en": "Passwords are not recovered by text message or e-mail. A property company contacts the county housing and urban-rural development bureau: once it has checked who is asking, an administrator resets the password and tells the company a temporary one, to be replaced at the next login.",
    },
    "forgot_phone": {"zh": "联系电话：", "en": "Telephone: "},
    "password_rule": {
        "zh": "至少 {minimum} 个字符，不能是常见密码或键盘序列，不能包含用户名。",
        "en": "At least {minimum} characters; not a common password or keyboard run; not containing the username.",
    },
}
