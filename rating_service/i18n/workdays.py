"""The words of the administrators' working-day calendar page (``PAGE_TEXT``); the calendar's messages are in
``notices``. ``MESSAGES`` is empty.
"""

MESSAGES: dict[str, dict[str, str]] = {}

PAGE_TEXT = {
    "calendar_title": {"zh": "工作日历", "en": "Working-day calendar"},
    "year": {"zh": "年份", "en": "Year"},
    "show": {"zh": "查看", "en": "Show"},
    "known": {"zh": "已知：可以计算该年的期限。", "en": "Known: deadlines in this year can be computed."},
    "unknown": {"zh": "未知：该年没有节假日安排，涉及该年的期限会被拒绝计算。请录入国务院办公厅公布的安排。",
                "en": "Unknown: no holiday schedule; deadlines in this year are refused. "
                      "Enter the announced schedule."},
    "from_package": {"zh": "系统内置", "en": "built in"},
    "from_admin": {"zh": "管理员录入", "en": "entered by an administrator"},
    "day": {"zh": "日期", "en": "Date"},
    "status": {"zh": "状态", "en": "Status"},
    "name": {"zh": "名称", "en": "Name"},
    "source": {"zh": "来源", "en": "Source"},
    "working": {"zh": "上班", "en": "working"},
    "off": {"zh": "休息", "en": "off"},
    "enter": {"zh": "录入或更正本年安排", "en": "Enter or correct this year's schedule"},
    "enter_source": {"zh": "依据（如 国办发明电〔2026〕7号）", "en": "Source (e.g. the State Council notice)"},
    "enter_holidays": {"zh": "放假日期（每行一个：YYYY-MM-DD 名称）", "en": "Days off (one per line: YYYY-MM-DD name)"},
    "enter_workdays": {"zh": "调休上班日期（每行一个：YYYY-MM-DD 名称）",
                       "en": "Weekend working days (one per line: YYYY-MM-DD name)"},
    "enter_whole": {"zh": "这是该年完整的安排（使该年成为已知年份）",
                    "en": "This is the whole year's schedule (makes the year known)"},
    "save": {"zh": "保存", "en": "Save"},
    "confirm_save": {"zh": "保存后将替换该年已录入的安排，并用于之后计算的全部期限。确认？",
                     "en": "This replaces the year's entries and applies to every deadline computed from now on."},
}
