"""What each import file looks like: columns, their Chinese and English headers, types and spellings.

This is the single description that the readers, the validators, the writers and the
documentation share (domain.md, "Records that feed a rating").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from rating_service.i18n import Lang, translate

ColumnType = Literal["text", "credit_code", "date", "bool", "int", "decimal", "enum"]


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    type: ColumnType = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    # spelling (case-folded) -> stored code, for enum columns
    choices: dict[str, str] = field(default_factory=dict)
    # how the choices are shown in an error message: the Chinese words only (never the stored codes)
    choices_label: str = ""
    # the Chinese words of the choices, in their order (the template's drop-down list and 填写说明)
    choice_words: tuple[str, ...] = ()
    max_len: int = 200
    references: Literal["company", "community"] | None = None
    positive: bool = False
    # Text values come from the methodology's list for this kind (inspections' and complaints' categories).
    listed: bool = False
    # A company's registered business contacts (its phone, legal representative, address) may hold a phone
    # number; every other text value is scanned for personal data (records.personal_data).
    contact: bool = False

    def label(self, lang: str) -> str:
        return self.name if lang == "en" else self.zh


@dataclass(frozen=True)
class RecordKind:
    name: str
    table: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    event_date: str | None = None
    # (later, earlier) pairs: the first may not be before the second
    not_before: tuple[tuple[str, str], ...] = ()

    def label(self, lang: Lang = "zh") -> str:
        """The kind's name in ``lang``, from the catalogue (``record_kind.<name>``)."""
        return translate(f"record_kind.{self.name}", lang)

    @property
    def zh(self) -> str:
        return self.label("zh")

    @property
    def en(self) -> str:
        return self.label("en")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _enum(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], str, tuple[str, ...]]:
    """Chinese label and English code pairs -> (spelling map, label for messages, the Chinese words).

    Both the Chinese word and the code are accepted in a file; people are only ever shown the Chinese words."""
    mapping: dict[str, str] = {}
    for zh, code in pairs:
        mapping[zh.casefold()] = code
        mapping[code.casefold()] = code
    words = tuple(zh for zh, _code in pairs)
    return mapping, "、".join(words), words


SEVERITY_PAIRS = [("合格", "none"), ("一般", "minor"), ("较重", "moderate"), ("严重", "serious")]
SEVERITY = _enum(SEVERITY_PAIRS)
SATISFACTION = _enum([("满意", "satisfied"), ("基本满意", "basically_satisfied"), ("不满意", "dissatisfied")])
VIOLATION_PAIRS = [
    ("未按规定公示收费", "undisclosed"),
    ("超标准收费", "overcharge"),
    ("违规收取费用", "unauthorized_item"),
    ("侵占公共收益", "public_income"),
    ("挪用住宅专项维修资金", "maintenance_fund"),
]
VIOLATION = _enum(VIOLATION_PAIRS)
LEVEL_PAIRS = [
    ("国家级", "national"), ("省级", "provincial"), ("市级", "city"), ("县级", "county"), ("镇级", "township"),
]
LEVEL = _enum(LEVEL_PAIRS)
EVENT_KIND_PAIRS = [
    ("合同终止后拒不退出", "refuse_to_exit"),
    ("重大安全责任事故", "major_safety_accident"),
    ("提供虚假材料", "false_material"),
]
EVENT_KIND = _enum(EVENT_KIND_PAIRS)
# The Chinese word of each code, by enumerated column (pages show codes in words).
ZH_WORDS: dict[str, dict[str, str]] = {
    column: {code: zh for zh, code in pairs}
    for column, pairs in (("severity", SEVERITY_PAIRS), ("violation_type", VIOLATION_PAIRS), ("level", LEVEL_PAIRS),
                          ("kind", EVENT_KIND_PAIRS))
}

# Extra spellings seen in real exports.
SEVERITY[0].update({"无问题": "none", "无": "none", "轻微": "minor"})
LEVEL[0].update(
    {"国家": "national", "省": "provincial", "市": "city", "县": "county", "镇": "township", "乡镇级": "township"}
)
EVENT_KIND[0].update(
    {"拒不退出": "refuse_to_exit", "重大安全事故": "major_safety_accident", "虚假材料": "false_material"}
)


def _choices(enum: tuple[dict[str, str], str, tuple[str, ...]]) -> dict[str, object]:
    return {"choices": enum[0], "choices_label": enum[1], "choice_words": enum[2]}


def _col(name: str, zh: str, type_: ColumnType = "text", **kw: object) -> Column:
    return Column(name, zh, type_, **kw)  # type: ignore[arg-type]


CREDIT_REQUIRED = _col("credit_code", "统一社会信用代码", "credit_code", required=True, references="company",
                       aliases=("信用代码", "社会信用代码", "企业信用代码"))
CREDIT_OPTIONAL = _col("credit_code", "统一社会信用代码", "credit_code", references="company",
                       aliases=("信用代码", "社会信用代码", "企业信用代码", "物业企业信用代码"))
COMMUNITY_REQUIRED = _col("community_id", "小区编号", required=True, references="community", max_len=64,
                          aliases=("小区代码", "项目编号"))
COMMUNITY_OPTIONAL = _col("community_id", "小区编号", references="community", max_len=64,
                          aliases=("小区代码", "项目编号"))


def _record_id(zh: str, *aliases: str) -> Column:
    return _col("record_id", zh, required=True, max_len=64, aliases=("记录编号", "编号", *aliases))


KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        RecordKind(
            "companies", "companies", ("credit_code",),
            (
                replace(CREDIT_REQUIRED, references=None),
                _col("name", "企业名称", required=True, aliases=("公司名称", "物业企业", "物业服务企业")),
                _col("legal_representative", "法定代表人", max_len=100, contact=True, aliases=("法人代表", "法人")),
                _col("address", "注册地址", max_len=300, contact=True, aliases=("地址", "住所")),
                _col("phone", "联系电话", max_len=50, contact=True, aliases=("电话", "企业电话")),
            ),
        ),
        RecordKind(
            "communities", "communities", ("community_id",),
            (
                replace(COMMUNITY_REQUIRED, references=None),
                _col("name", "小区名称", required=True, aliases=("项目名称",)),
                _col("neighborhood", "所属社区", aliases=("社区",)),
                _col("households", "户数", "int", required=True, positive=True, aliases=("总户数", "住户数")),
                _col("floor_area_m2", "建筑面积", "decimal", aliases=("建筑面积（㎡）", "建筑面积(㎡)", "建筑面积m2",
                                                                   "floor_area")),
            ),
        ),
        RecordKind(
            "contracts", "contracts",
            ("community_id", "credit_code", "start_date"),
            (
                COMMUNITY_REQUIRED,
                CREDIT_REQUIRED,
                _col("start_date", "开始日期", "date", required=True, aliases=("合同开始日期", "起始日期")),
                _col("end_date", "结束日期", "date", aliases=("合同结束日期", "终止日期", "截止日期")),
            ),
            not_before=(("end_date", "start_date"),),
        ),
        RecordKind(
            "inspections", "inspections", ("record_id",),
            (
                _record_id("记录编号", "检查编号"),
                _col("inspected_on", "检查日期", "date", required=True, aliases=("巡查日期",)),
                COMMUNITY_REQUIRED,
                CREDIT_OPTIONAL,
                _col("department", "检查部门", required=True, max_len=50, aliases=("部门",)),
                _col("category", "问题类别", required=True, max_len=100, listed=True, aliases=("类别", "问题类型")),
                _col("severity", "严重程度", "enum", required=True, **_choices(SEVERITY),
                     aliases=("问题等级",)),
                _col("rectify_by", "整改期限", "date", aliases=("整改时限",)),
                _col("rectified_on", "整改完成日期", "date", aliases=("整改日期", "整改完成时间")),
                _col("note", "备注", max_len=2000),
            ),
            event_date="inspected_on",
            not_before=(("rectify_by", "inspected_on"), ("rectified_on", "inspected_on")),
        ),
        RecordKind(
            "complaints", "complaints", ("record_id",),
            (
                _record_id("工单编号", "工单号"),
                _col("received_on", "受理时间", "date", required=True, aliases=("受理日期", "来电时间")),
                _col("channel", "渠道", required=True, max_len=50, aliases=("来源渠道", "诉求渠道")),
                COMMUNITY_REQUIRED,
                CREDIT_OPTIONAL,
                _col("category", "诉求类别", max_len=100, listed=True, aliases=("类别", "诉求类型")),
                _col("substantiated", "是否查实", "bool", required=True, aliases=("查实",)),
                _col("due_on", "办理时限", "date", aliases=("办结时限",)),
                _col("resolved_on", "办结时间", "date", aliases=("办结日期",)),
                _col("satisfaction", "回访满意度", "enum", **_choices(SATISFACTION),
                     aliases=("满意度",)),
            ),
            event_date="received_on",
            not_before=(("due_on", "received_on"), ("resolved_on", "received_on")),
        ),
        RecordKind(
            "fee_violations", "fee_violations", ("record_id",),
            (
                _record_id("案件编号", "案号"),
                _col("decided_on", "认定日期", "date", required=True, aliases=("决定日期", "处罚日期")),
                CREDIT_REQUIRED,
                COMMUNITY_OPTIONAL,
                _col("violation_type", "违规类型", "enum", required=True, **_choices(VIOLATION)),
                _col("amount_yuan", "涉及金额", "decimal",
                     aliases=("金额", "涉及金额（元）", "涉及金额(元)", "amount")),
                _col("refunded", "是否退还", "bool", aliases=("已退还", "是否已退还")),
                _col("document_no", "决定书文号", max_len=100, aliases=("文号",)),
            ),
            event_date="decided_on",
        ),
        RecordKind(
            "commendations", "commendations", ("record_id",),
            (
                _record_id("记录编号"),
                _col("awarded_on", "表彰日期", "date", required=True, aliases=("授予日期",)),
                CREDIT_REQUIRED,
                _col("level", "级别", "enum", required=True, **_choices(LEVEL),
                     aliases=("表彰级别",)),
                _col("title", "荣誉名称", required=True, max_len=300, aliases=("表彰名称", "荣誉称号")),
            ),
            event_date="awarded_on",
        ),
        RecordKind(
            "major_events", "major_events", ("record_id",),
            (
                _record_id("记录编号"),
                _col("occurred_on", "发生日期", "date", required=True),
                CREDIT_REQUIRED,
                _col("kind", "类型", "enum", required=True, **_choices(EVENT_KIND),
                     aliases=("事项类型",)),
                _col("document_no", "决定书文号", max_len=100, aliases=("文号",)),
                _col("note", "备注", max_len=2000),
            ),
            event_date="occurred_on",
        ),
    )
}

# Import order that satisfies references (a folder import follows it).
KIND_ORDER = (
    "companies", "communities", "contracts", "inspections", "complaints",
    "fee_violations", "commendations", "major_events",
)

KIND_ALIASES = {
    "company": "companies", "企业": "companies",
    "community": "communities", "小区": "communities",
    "contract": "contracts", "合同": "contracts",
    "inspection": "inspections", "巡查": "inspections", "检查": "inspections",
    "complaint": "complaints", "投诉": "complaints",
    "fee_violation": "fee_violations", "fees": "fee_violations", "收费违规": "fee_violations",
    "commendation": "commendations", "表彰": "commendations",
    "major_event": "major_events", "重大事项": "major_events",
}

# Columns that hold personal data a rating never needs (PIPL minimum necessity): dropped at import,
# never stored, and named in the summary as personal data dropped (unlike other unknown columns, "ignored").
# Matched (re.search) on the normalised header (case-folded, spaces and hyphens as "_"); a kind's own declared
# columns are never dropped. Documented in docs/imports.md.
PERSONAL_DATA_PATTERNS = (
    # who: complainants, callers, owners
    r"投诉人", r"举报人", r"来电人", r"来访人", r"反映人", r"诉求人", r"当事人", r"回访人", r"业主姓名", r"住户姓名",
    r"户主", r"姓名", r"联系人",
    # how to reach them: phone numbers (来电号码, 回访号码, 手机号码, …), addresses, accounts
    r"联系电话", r"电话", r"手机", r"号码", r"联系方式", r"微信", r"qq", r"邮箱", r"电子邮件", r"住址", r"门牌",
    r"房号", r"车牌",
    # identity documents and other personal facts
    r"身份证", r"证件号", r"银行卡", r"银行账", r"出生", r"^生日", r"年龄", r"性别", r"民族",
    # the English forms
    r"complainant", r"reporter", r"caller", r"callback", r"visitor", r"owner_name", r"person", r"^name_of",
    r"full_name", r"phone", r"mobile", r"tel", r"contact", r"e_?mail", r"wechat", r"id_card", r"idcard",
    r"id_number", r"id_no", r"identity", r"passport", r"home_address", r"room_no", r"licen[cs]e_plate",
    r"bank", r"card_no", r"birth", r"gender", r"^sex$", r"^age$", r"ethnic",
)
_PERSONAL_RE = re.compile("|".join(PERSONAL_DATA_PATTERNS), re.IGNORECASE)


def normalise_header(text: object) -> str:
    s = str(text or "").replace("\ufeff", "").strip()
    s = s.strip("*＊ ").replace("（", "(").replace("）", ")")
    s = re.sub(r"[\s\-]+", "_", s.casefold())
    return s


def header_index(kind: RecordKind) -> dict[str, str]:
    """Normalised header spelling -> canonical column name."""
    index: dict[str, str] = {}
    for col in kind.columns:
        for spelling in (col.name, col.zh, *col.aliases):
            index[normalise_header(spelling)] = col.name
    return index


def is_personal_data_header(header: str) -> bool:
    return bool(_PERSONAL_RE.search(normalise_header(header)))


def resolve_kind(name: str) -> RecordKind | None:
    key = name.strip().casefold()
    key = KIND_ALIASES.get(key, key)
    return KINDS.get(key)
