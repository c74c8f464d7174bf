"""The workbooks an officer downloads from the import page: an XLSX template per record kind, and the full list of
a rejected import's errors. Plain functions of the record formats and the catalogue's words (no database, no web).

A template's first sheet holds the Chinese headers the importer reads and one example row that imports as it is;
its second sheet, 「填写说明」, describes every column. The example rows are records of the Zongyang demo data
(``fixtures/zongyang``): on the demo database a template imports as it is and leaves every record unchanged; on
another database the row's company and community must exist (the import says so, naming the row and column).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from rating_service.i18n import Lang, translate
from rating_service.records.formats import Column, RecordKind
from rating_service.records.validate import BOOL_WORDS, Categories

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows of the first sheet that get the drop-down lists and the text/date formats (beyond the example row).
TEMPLATE_ROWS = 1000
# Excel refuses a list validation whose inline list is longer than this.
_LIST_LIMIT = 255

_D = dt.date
# One record of the Zongyang demo per kind (fixtures/zongyang), column by column.
EXAMPLES: dict[str, dict[str, Any]] = {
    "companies": {"credit_code": "91340722927900581W", "name": "安徽皖江物业服务有限公司",
                  "legal_representative": "彭红伟", "address": "枞阳县枞阳镇达观路293号", "phone": "0562-3208097"},
    "communities": {"community_id": "ZY-C001", "name": "山水兰亭", "neighborhood": "凤仪社区", "households": 800,
                    "floor_area_m2": 93931.36},
    "contracts": {"community_id": "ZY-C001", "credit_code": "91340722927900581W", "start_date": _D(2024, 11, 1),
                  "end_date": None},
    "inspections": {"record_id": "XC2025-00001", "inspected_on": _D(2025, 1, 2), "community_id": "ZY-C001",
                    "credit_code": None, "department": "城管", "category": "占绿毁绿", "severity": "一般",
                    "rectify_by": _D(2025, 1, 23), "rectified_on": _D(2025, 1, 20), "note": "已下达整改通知书"},
    "complaints": {"record_id": "GD2025-000003", "received_on": _D(2025, 1, 1), "channel": "来访",
                   "community_id": "ZY-C043", "credit_code": "9134072299968403X0", "category": "停车管理",
                   "substantiated": "否", "due_on": _D(2025, 1, 6), "resolved_on": _D(2025, 1, 5),
                   "satisfaction": "基本满意"},
    "fee_violations": {"record_id": "WG2025-002", "decided_on": _D(2025, 3, 30), "credit_code": "913407225190696375",
                       "community_id": None, "violation_type": "未按规定公示收费", "amount_yuan": 0,
                       "refunded": "否", "document_no": "枞住建罚〔2025〕8号"},
    "commendations": {"record_id": "BZ2025-001", "awarded_on": _D(2025, 3, 12), "credit_code": "9134072217486698XE",
                      "level": "镇级", "title": "枞阳镇文明小区创建先进物业服务企业"},
    "major_events": {"record_id": "ZD2025-001", "occurred_on": _D(2025, 9, 8), "credit_code": "91340722816566410Q",
                     "kind": "合同终止后拒不退出", "document_no": "枞住建决〔2025〕7号",
                     "note": "物业服务合同于2025-08-31终止后拒不退出电力小区，阻碍新物业进场交接"},
}

# Examples for the 填写说明 sheet of optional columns the example row leaves blank.
GUIDE_EXAMPLES: dict[str, dict[str, Any]] = {
    "contracts": {"end_date": _D(2027, 10, 31)},
    "inspections": {"credit_code": "91340722927900581W"},
    "fee_violations": {"community_id": "ZY-C002"},
}

_HEAD_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")
_OPTIONAL_FILL = PatternFill("solid", fgColor="EEF3F8")
_WRAP = Alignment(wrap_text=True, vertical="top")


def template_filename(kind: RecordKind, lang: Lang = "zh") -> tuple[str, str]:
    """(the file's name in ``lang``, its ASCII fallback)."""
    return translate("template.filename", lang, kind=kind.label(lang)), f"{kind.name}-template.xlsx"


def allowed_values(col: Column, categories: Categories | None) -> list[str]:
    """The values a column takes, in Chinese (never the stored codes); empty when any value of its type goes."""
    if col.type == "enum":
        return list(col.choice_words)
    if col.type == "bool":
        return list(BOOL_WORDS)
    if col.listed and categories is not None:
        return list(categories.allowed)
    return []


def _rules(kind: RecordKind, col: Column, categories: Categories | None, lang: Lang) -> str:
    """What a value of the column must look like, in words."""
    parts: list[str] = []
    if col.type == "date":
        parts.append(translate("template.rule_date", lang))
    elif col.type == "credit_code":
        parts.append(translate("template.rule_credit_code", lang))
    elif col.type == "int":
        parts.append(translate("template.rule_int_positive" if col.positive else "template.rule_int", lang))
    elif col.type == "decimal":
        parts.append(translate("template.rule_decimal", lang))
    elif col.type in ("enum", "bool"):
        parts.append(translate("template.rule_choice", lang))
    if col.listed and categories is not None:
        parts.append(translate("template.rule_listed", lang, methodology=categories.methodology))
    if col.references is not None:
        parts.append(translate(f"template.rule_{col.references}", lang))
    if col.name == kind.event_date:
        parts.append(translate("template.rule_not_future", lang))
    for later, earlier in kind.not_before:
        if later == col.name:
            parts.append(translate("template.rule_not_before", lang, other=kind.column(earlier).zh))
    if kind.key == (col.name,):
        parts.append(translate("template.rule_key", lang))
    return translate("template.rule_separator", lang).join(parts)


def column_guide(kind: RecordKind, categories: Categories | None, lang: Lang = "zh") -> list[dict[str, Any]]:
    """One line per column of ``kind``, as the 填写说明 sheet and the import page show it."""
    separator = translate("list_separator", "zh")
    lines = []
    for col in kind.columns:
        example = EXAMPLES.get(kind.name, {}).get(col.name)
        if example is None:
            example = GUIDE_EXAMPLES.get(kind.name, {}).get(col.name)
        lines.append({
            "name": col.zh,
            "english": col.name,
            "required": translate("template.required_yes" if col.required else "template.required_no", lang),
            "is_required": col.required,
            "type": translate(f"template.type_{col.type}", lang),
            "rules": _rules(kind, col, categories, lang),
            "allowed": separator.join(allowed_values(col, categories)),
            "max_len": col.max_len if col.type == "text" else (18 if col.type == "credit_code" else None),
            "example": _shown(example),
            "aliases": separator.join(col.aliases),
        })
    return lines


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _text(value: str) -> str:
    """A string as a cell may hold it: no control characters (openpyxl refuses them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a value; a string is always stored as text, even one that starts with "=" (never a formula)."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"
    else:
        cell.value = value


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width


def template_workbook(kind: RecordKind, *, categories: Categories | None = None, lang: Lang = "zh") -> bytes:
    """The XLSX template of ``kind``: the headers and an example row, then the 填写说明 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = translate("template.sheet_data", lang)
    example = EXAMPLES.get(kind.name, {})
    last = TEMPLATE_ROWS + 1
    for position, col in enumerate(kind.columns, start=1):
        letter = get_column_letter(position)
        head = sheet.cell(row=1, column=position, value=col.zh)
        head.font = _HEAD_FONT
        head.fill = _REQUIRED_FILL if col.required else _OPTIONAL_FILL
        value = example.get(col.name)
        _put(sheet, 2, position, value)
        number_format = _number_format(col)
        if number_format:
            sheet.cell(row=2, column=position).number_format = number_format
            # Rows typed later keep the format too (a credit code of digits stays text, a date stays a date).
            sheet.column_dimensions[letter].number_format = number_format
        words = allowed_values(col, categories)
        if words and len(",".join(words)) + 2 <= _LIST_LIMIT:
            validation = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True,
                                        showErrorMessage=True, errorTitle=translate("template.invalid_title", lang),
                                        error=translate("template.invalid_choice", lang,
                                                        choices=translate("list_separator", "zh").join(words)))
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last}")
        sheet.column_dimensions[letter].width = max(12, min(40, 2 * len(col.zh) + 4, 4 + len(_shown(value)) * 2))
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(translate("template.sheet_guide", lang))
    _put(guide, 1, 1, translate("template.guide_title", lang, kind=kind.label(lang)))
    guide.cell(row=1, column=1).font = Font(bold=True, size=13)
    notes = [translate("template.note_first_sheet", lang), translate("template.note_example", lang),
             translate("template.note_dates", lang), translate("template.note_all_or_nothing", lang)]
    for offset, note in enumerate(notes, start=2):
        _put(guide, offset, 1, note)
    heads = [translate(f"template.col_{name}", lang) for name in GUIDE_FIELDS]
    top = len(notes) + 3
    for position, head in enumerate(heads, start=1):
        _put(guide, top, position, head)
        guide.cell(row=top, column=position).font = _HEAD_FONT
        guide.cell(row=top, column=position).fill = _OPTIONAL_FILL
    for offset, line in enumerate(column_guide(kind, categories, lang), start=1):
        for position, name in enumerate(GUIDE_FIELDS, start=1):
            value = line[name]
            _put(guide, top + offset, position, "" if value is None else value)
            guide.cell(row=top + offset, column=position).alignment = _WRAP
    _widths(guide, (16, 18, 8, 14, 44, 44, 10, 24, 24))
    guide.freeze_panes = guide.cell(row=top + 1, column=1)
    return _saved(workbook)


# The columns of the 填写说明 sheet (``column_guide``'s keys), in order.
GUIDE_FIELDS = ("name", "english", "required", "type", "rules", "allowed", "max_len", "example", "aliases")


def _number_format(col: Column) -> str | None:
    if col.type == "date":
        return "yyyy-mm-dd"
    if col.type in ("text", "credit_code", "enum", "bool"):
        return "@"
    return None


def errors_workbook(details: Sequence[dict[str, Any]], groups: Sequence[dict[str, Any]], *,
                    lang: Lang = "zh") -> bytes:
    """Every listed error of a rejected import (file, row, column, value, reason), then the summary by column and
    reason. Errors that were only counted (beyond the first of their column and reason) are one line each, saying
    how many."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = translate("error_report.sheet_errors", lang)
    heads = [translate(f"error_report.col_{name}", lang) for name in ("file", "row", "column", "value", "reason")]
    for position, head in enumerate(heads, start=1):
        _put(sheet, 1, position, head)
        sheet.cell(row=1, column=position).font = _HEAD_FONT
    for number, item in enumerate(details, start=2):
        for position, name in enumerate(("file", "row", "column", "value", "reason"), start=1):
            value = item.get(name)
            _put(sheet, number, position, "" if value is None else value)
    _widths(sheet, (24, 8, 18, 30, 70))
    sheet.freeze_panes = "A2"
    summary = workbook.create_sheet(translate("error_report.sheet_groups", lang))
    heads = [translate(f"error_report.col_{name}", lang) for name in ("file", "column", "reason", "count", "rows")]
    for position, head in enumerate(heads, start=1):
        _put(summary, 1, position, head)
        summary.cell(row=1, column=position).font = _HEAD_FONT
    separator = translate("list_separator", lang)
    for number, group in enumerate(groups, start=2):
        values = [group["file"], group["column"] or "", group["reason"], group["count"],
                  separator.join(str(r) for r in group["rows"])]
        for position, value in enumerate(values, start=1):
            _put(summary, number, position, value)
    _widths(summary, (24, 18, 70, 10, 30))
    return _saved(workbook)


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def is_report_token(token: str) -> bool:
    """Whether ``token`` has the shape of an error report's name (nothing else is looked up on disk)."""
    return bool(_TOKEN.match(token))
