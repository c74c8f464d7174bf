"""Messages every room can raise: not found, malformed requests, the edge of the web app, readiness."""

MESSAGES: dict[str, dict[str, str]] = {
    "import_rejected": {
        "zh": "文件未通过校验，共 {count} 处错误，未写入任何数据。",
        "en": "The file failed validation with {count} error(s); nothing was written.",
    },
    "not_found": {"zh": "未找到：{what}", "en": "Not found: {what}"},
    "internal_error": {"zh": "服务器内部错误，请联系管理员。", "en": "Internal server error; please contact the administrator."},
    "payload_invalid": {"zh": "请求格式不正确。", "en": "The request is malformed."},
    # the edge of the web app (rating_service/web/edge.py, web/errors.py)
    "body_too_large": {
        "zh": "请求内容超过上限（{limit}），未予处理。",
        "en": "The request body exceeds the limit ({limit}); it was not processed.",
    },
    "control_characters": {
        "zh": "请求中含有不允许的控制字符（如 NUL），未予处理。",
        "en": "The request contains control characters (such as NUL) that are not allowed; it was not processed.",
    },
    "method_not_allowed": {"zh": "该地址不支持此请求方式（{method}）。", "en": "This address does not accept {method}."},
    "request_invalid": {"zh": "请求无法处理：{detail}", "en": "The request cannot be processed: {detail}"},
    "database_unavailable": {
        "zh": "数据库暂时无法连接，请稍后再试。",
        "en": "The database cannot be reached at the moment; please try again shortly.",
    },
    "not_ready": {"zh": "服务尚未就绪：{checks}", "en": "The service is not ready: {checks}"},
    "db_not_migrated": {
        "zh": "数据库结构未初始化或不是最新版本（当前 {revision}），请先运行：rating db upgrade",
        "en": "The database schema is missing or out of date (at {revision}); run: rating db upgrade",
    },
    # -- issue 20 obs: /metrics (rating_service/web/metrics.py)
    "metrics_forbidden": {"zh": "运行指标不对此地址开放。", "en": "The metrics are not served to this address."},
    "metrics_unauthorized": {
        "zh": "查看运行指标需要令牌（Authorization: Bearer …）。",
        "en": "The metrics need a token (Authorization: Bearer …).",
    },
}
