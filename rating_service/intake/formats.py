"""The raw exports intake reads: the 12345 platform's ticket export (``hotline``) and the joint-inspection patrol
sheet (``patrol``), their fields, the Chinese headers they come with by default, and the spellings of their values.

An administrator adds headers for another county's export (``service.set_mapping``); the defaults here never go
away. Columns that hold personal data (来电人, 联系电话, …: ``records.formats.is_personal_data_header``) are dropped
at import and never stored; other unknown columns are ignored. docs/intake.md describes it for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rating_service.records.formats import SATISFACTION, SEVERITY, normalise_header

FieldType = Literal["text", "date", "bool", "enum"]

REQUEST_TYPES = ("投诉", "咨询", "求助", "建议", "举报")
_REQUEST = ({w: w for w in REQUEST_TYPES}, "、".join(REQUEST_TYPES), REQUEST_TYPES)


@dataclass(frozen=True)
class RawField:
    """One field of a raw export: its name (stored in ``IntakeItem.fields`` or a column), its default Chinese
    header, other accepted headers, and how a value is read."""

    name: str
    zh: str
    type: FieldType = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: dict[str, str] = field(default_factory=dict)  # spelling (case-folded) -> stored code
    choices_label: str = ""
    max_len: int = 2000
    history_only: bool = False  # only in the bureau's confirmed history (--history)

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.zh, self.name, *self.aliases)


@dataclass(frozen=True)
class RawFormat:
    kind: str  # ItemKind value: "hotline" | "patrol"
    batch_kind: str  # ImportBatch.kind of a file of this format
    fields: tuple[RawField, ...]

    def field(self, name: str) -> RawField:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def _choices(pair: tuple[dict[str, str], str, tuple[str, ...]]) -> dict[str, object]:
    return {"choices": pair[0], "choices_label": pair[1]}


HOTLINE = RawFormat("hotline", "hotline_tickets", (
    RawField("external_no", "工单编号", required=True, aliases=("工单号", "ticket_no"), max_len=64),
    RawField("received_on", "受理时间", "date", required=True, aliases=("受理日期", "来电时间", "received_at")),
    RawField("place_text", "诉求地址", required=True, aliases=("事发地址", "地址", "address"), max_len=500),
    RawField("text", "诉求内容", aliases=("诉求描述", "来电内容", "content")),
    RawField("request_type", "诉求类型", "enum", aliases=("工单类型",), **_choices(_REQUEST)),  # type: ignore[arg-type]
    RawField("handling_unit", "承办单位", aliases=("办理单位", "handling_unit"), max_len=200),
    RawField("due_on", "办理时限", "date", aliases=("办结时限",)),
    RawField("resolved_on", "办结时间", "date", aliases=("办结日期",)),
    RawField("substantiated", "是否属实", "bool", aliases=("是否查实", "查实")),
    RawField("satisfaction", "回访满意度", "enum", aliases=("满意度",), **_choices(SATISFACTION)),  # type: ignore[arg-type]
    # the bureau's confirmed history only
    RawField("community_id", "小区编号", aliases=("community_id",), max_len=64, history_only=True),
    RawField("category", "诉求类别", aliases=("问题类别",), max_len=100, history_only=True),
    RawField("property_related", "是否物业服务类", "bool", aliases=("物业服务类",), history_only=True),
))

PATROL = RawFormat("patrol", "patrol_sheets", (
    RawField("external_no", "记录编号", required=True, aliases=("检查编号", "record_no"), max_len=64),
    RawField("received_on", "检查日期", "date", required=True, aliases=("巡查日期", "inspected_on")),
    RawField("department", "检查部门", required=True, aliases=("部门",), max_len=50),
    RawField("place_text", "小区", required=True, aliases=("小区名称", "检查地点", "地址"), max_len=500),
    RawField("category", "问题类别", required=True, aliases=("类别", "问题类型"), max_len=100),
    RawField("severity", "严重程度", "enum", required=True, aliases=("问题等级",), **_choices(SEVERITY)),  # type: ignore[arg-type]
    RawField("rectify_by", "整改期限", "date", aliases=("整改时限",)),
    RawField("rectified_on", "整改完成日期", "date", aliases=("整改日期", "整改完成时间")),
    RawField("text", "问题描述", aliases=("问题说明", "备注")),
))

FORMATS: dict[str, RawFormat] = {"hotline": HOTLINE, "patrol": PATROL}
# The kind as a person may type it on the command line.
KIND_ALIASES = {"12345": "hotline", "hotline_tickets": "hotline", "tickets": "hotline", "热线": "hotline",
                "工单": "hotline", "patrol_sheets": "patrol", "inspections": "patrol", "巡查": "patrol"}


def resolve(kind: str) -> RawFormat | None:
    key = kind.strip().casefold()
    return FORMATS.get(KIND_ALIASES.get(key, key))


def default_mapping(kind: str) -> dict[str, list[str]]:
    """field -> the headers accepted without any administrator's mapping."""
    return {f.name: list(f.headers) for f in FORMATS[kind].fields}


def header_index(mapping: dict[str, list[str]]) -> dict[str, str]:
    """Normalised header -> field."""
    index: dict[str, str] = {}
    for name, headers in mapping.items():
        for header in headers:
            index.setdefault(normalise_header(header), name)
    return index
