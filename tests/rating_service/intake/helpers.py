"""Tiny raw exports for the intake tests (the fixture generator's files are not needed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rating_service.records.service import UploadedFile
from tests import factories as f

HOTLINE_HEADER = ["工单编号", "受理时间", "来电人", "联系电话", "诉求地址", "诉求内容", "诉求类型", "承办单位",
                  "办理时限", "办结时间", "是否属实", "回访满意度"]
HISTORY_HEADER = [*HOTLINE_HEADER, "小区编号", "诉求类别", "是否物业服务类"]
PATROL_HEADER = ["记录编号", "检查日期", "检查部门", "小区", "问题类别", "严重程度", "整改期限", "整改完成日期",
                 "问题描述"]

PHONE = "13912345678"
ID_NUMBER = "340722199001011234"


def ticket(number: str, *, day: str = "2026-03-05 09:12:33", place: str = "枞阳县城关镇山水兰亭3栋",
           text: str = "小区垃圾清运不及时，楼道堆满垃圾", caller: str = "王某", phone: str = PHONE,
           substantiated: str = "是", satisfaction: str = "满意") -> list[Any]:
    return [number, day, caller, phone, place, text, "投诉", "县住建局", "2026-03-12", "2026-03-10 16:00:00",
            substantiated, satisfaction]


def finding(number: str, *, day: str = "2026-04-08", place: str = "山水兰亭", category: str = "乱堆乱放",
            severity: str = "一般", text: str = "楼道堆物") -> list[Any]:
    return [number, day, "城管", place, category, severity, "2026-04-15", "", text]


def upload(header: Sequence[str], rows: Sequence[Sequence[Any]], *, name: str = "export.csv",
           fmt: str = "csv", encoding: str = "utf-8") -> UploadedFile:
    data = f.xlsx_bytes(header, rows) if fmt == "xlsx" else f.csv_bytes(header, rows, encoding)
    return UploadedFile(name, data)
