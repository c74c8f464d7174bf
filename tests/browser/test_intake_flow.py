"""An officer turns a raw 12345 export into counted complaints in a real browser: upload the export, confirm the
high-confidence batch, correct one low-confidence ticket (another community), mark one as not property-related,
then create and compute a cycle over the period and find the confirmed complaints among a company's counted
records. The queue is screenshot at 1366 and 390 px (tests/artifacts/browser/) and checked for layout problems on
the phone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rating_service.intake import service as intake
from rating_service.intake import training
from rating_service.records.service import UploadedFile
from tests import factories as f
from tests.browser.test_company_phone import layout_problems
from tests.browser.test_officer_flow import ARTIFACTS, chromium, log_in, serving, watched_tab

pytestmark = pytest.mark.slow

HEADERS = ["工单编号", "受理时间", "来电人", "联系电话", "诉求地址", "诉求内容", "诉求类型", "承办单位", "办理时限",
           "办结时间", "是否属实", "回访满意度"]
HISTORY_HEADERS = [*HEADERS, "小区编号", "诉求类别", "是否物业服务类"]
# (category or None when not property-related, request texts): what the bureau decided last year, to train on.
TOPICS: list[tuple[str | None, list[str]]] = [
    ("垃圾清运", ["楼道垃圾好几天没人清运，气味很大", "垃圾桶满了没人清理，苍蝇很多", "小区垃圾堆了一周没有运走"]),
    ("停车管理", ["地下车库乱停车堵住出口，物业不管", "小区车位被外来车辆占用，保安不管", "消防通道停满了车没人管理"]),
    ("电梯故障", ["电梯又坏了，老人上不了楼", "电梯经常停运困人，物业维修不及时", "电梯按钮失灵，运行有异响"]),
    ("漏水渗水", ["楼顶漏水渗到家里，物业不修", "楼道水管破裂漏水好几天", "外墙渗水，墙面发霉，物业推脱"]),
    (None, ["市政道路上的井盖缺失，很危险", "公交站台的广告牌坏了", "单位拖欠工资，要求帮助讨薪"]),
]
COMPANY_OF_C001 = "91340722927900581W"  # manages 山水兰亭 (ZY-C001)


def _history_rows() -> list[list[Any]]:
    rows = []
    places = [("ZY-C001", "山水兰亭"), ("ZY-C002", "尚泽江南府"), ("ZY-C003", "滨江花园"), ("ZY-C004", "凤凰城")]
    n = 0
    for repeat in range(12):
        for category, texts in TOPICS:
            for text in texts:
                n += 1
                code, place = places[n % len(places)]
                day = dt.date(2025, 1, 1) + dt.timedelta(days=n % 300)
                rows.append([f"LS-2025-{n:04d}", f"{day} 09:{repeat:02d}:00", "", "", f"枞阳县{place}{repeat + 1}栋",
                             f"{text}（第{repeat + 1}次反映）", "投诉", "城关镇", "", "", "是", "",
                             code if category else "", category or "", "是" if category else "否"])
    return rows


# The raw 2026 export the officer uploads: four clear property tickets at named communities (bulk-confirmable
# once the model has learnt last year's), one at a place nobody can match, one that is not property-related.
EXPORT = [
    ["GD-2026-0001", "2026-03-02 09:12:33", "王某", "13912345678", "枞阳县城关镇山水兰亭3栋2单元",
     "楼道垃圾好几天没人清运，气味很大，联系电话13912345678", "投诉", "城关镇", "2026-03-09", "", "是", ""],
    ["GD-2026-0002", "2026-03-03 10:00:00", "李某", "13800001111", "山水兰亭", "电梯又坏了，老人上不了楼",
     "投诉", "城关镇", "2026-03-10", "", "是", ""],
    ["GD-2026-0003", "2026-03-04 11:00:00", "", "", "尚泽江南府", "地下车库乱停车堵住出口，物业不管", "投诉",
     "城关镇", "2026-03-11", "", "否", ""],
    ["GD-2026-0004", "2026-03-05 08:30:00", "", "", "凤凰城", "楼顶漏水渗到家里，物业不修", "投诉", "城关镇",
     "2026-03-12", "", "是", ""],
    ["GD-2026-0005", "2026-03-06 15:00:00", "", "", "老街菜市场后面那栋楼", "垃圾桶满了没人清理，苍蝇很多",
     "投诉", "城关镇", "2026-03-13", "", "是", ""],
    ["GD-2026-0006", "2026-03-07 16:00:00", "", "", "滨江花园", "单位拖欠工资，要求帮助讨薪", "求助", "城关镇",
     "2026-03-14", "", "", ""],
]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The Zongyang data, an officer, and a triage model trained on last year's confirmed tickets."""
    database = f.zongyang_register(tmp_path / "rating.db")
    f.make_user(database, "officer", "officer")
    with database.write_session() as session:
        intake.import_file(session, kind="hotline", actor="test", history=True,
                           upload=UploadedFile("12345-2025-history.xlsx", f.xlsx_bytes(HISTORY_HEADERS,
                                                                                      _history_rows())))
    with database.write_session() as session:
        training.train_from_confirmed(session, actor="test")
    with serving(database, "uvicorn-intake-test") as url:
        yield url


def _shot(tab: Any, name: str) -> None:
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _open_item(tab: Any, url: str, number: str) -> None:
    tab.goto(f"{url}/intake")
    tab.locator("#queue-table tr", has_text=number).get_by_role("link", name="查看").click()
    tab.wait_for_url(re.compile(r".*/intake/items/\d+.*"))


def test_an_officer_turns_a_raw_export_into_counted_complaints(served: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    export = tmp_path / "12345-2026.xlsx"
    export.write_bytes(f.xlsx_bytes(HEADERS, EXPORT))
    errors: list[str] = []
    with chromium() as browser:
        tab = watched_tab(browser, errors, accept_dialogs=True)
        log_in(tab, served, "officer")
        tab.locator("nav").get_by_role("link", name=re.compile("工单确认")).click()
        tab.wait_for_url(f"{served}/intake")
        tab.get_by_role("link", name="上传工单文件").click()
        tab.select_option("select[name=kind]", "hotline")
        tab.set_input_files("input[name=file]", str(export))
        tab.get_by_role("button", name="上传").click()
        summary = tab.locator("#import-summary")
        expect(summary).to_contain_text("导入完成。")
        expect(summary).to_contain_text("6")
        assert "13912345678" not in tab.content()

        tab.get_by_role("link", name="去确认工单").click()
        tab.wait_for_url(f"{served}/intake")
        # last year's 180 history tickets count as decided
        expect(tab.locator("#intake-progress")).to_contain_text("已确认 0 / 6")
        expect(tab.locator("#queue-shortcuts")).to_be_visible()  # the script runs (no CSP breach)
        _shot(tab, "intake-queue-1366")
        # keyboard: j focuses the first row, x ticks its checkbox, x again unticks it
        tab.keyboard.press("j")
        first_box = tab.locator("#queue-table tbody tr").first.locator("input[type=checkbox]")
        tab.keyboard.press("x")
        expect(first_box).to_be_checked()
        tab.keyboard.press("x")
        expect(first_box).not_to_be_checked()

        phone = watched_tab(browser, errors, width=390, height=844, accept_dialogs=True)
        phone.context.add_cookies(tab.context.cookies())
        phone.goto(f"{served}/intake")
        _shot(phone, "intake-queue-390")
        assert layout_problems(phone) == []
        phone.context.close()

        high = tab.locator("#confirm-high-form button")
        count = int(re.search(r"(\d+) 件", high.inner_text()).group(1))  # type: ignore[union-attr]
        assert count >= 3, high.inner_text()
        high.click()
        tab.wait_for_url(re.compile(r".*/intake\?.*done=confirmed.*"))
        expect(tab.locator("#intake-progress")).to_contain_text(f"已确认 {count} / 6")
        expect(tab.locator("#queue-table")).not_to_contain_text("GD-2026-0001")

        # the ticket nobody could place: the officer chooses 山水兰亭 and confirms it
        _open_item(tab, served, "GD-2026-0005")
        tab.select_option("select[name=other_community]", "ZY-C001")
        tab.select_option("select[name=category]", "垃圾清运")
        tab.get_by_role("button", name="确认并下一件").click()
        expect(tab.locator(".flash.ok")).to_contain_text("工单 GD-2026-0005 已确认。")

        _open_item(tab, served, "GD-2026-0006")
        tab.get_by_role("button", name="标记为非物业服务类").click()
        tab.wait_for_load_state()
        tab.goto(f"{served}/intake?view=done&status=not_property")
        expect(tab.locator("#queue-table")).to_contain_text("GD-2026-0006")

        # a cycle over the period, computed: the confirmed tickets are counted complaints of 山水兰亭's company
        tab.goto(f"{served}/cycles")
        tab.fill("input[name=name]", "2026年上半年")
        tab.fill("input[name=period_start]", "2026-01-01")
        tab.fill("input[name=period_end]", "2026-06-30")
        tab.get_by_role("button", name="创建").click()
        tab.wait_for_url(re.compile(r".*/cycles/\d+$"))
        cycle_url = tab.url
        tab.get_by_role("button", name="计算", exact=True).click()
        tab.wait_for_url("**/cycles/*?job=*")
        expect(tab.locator("#ratings")).to_be_visible(timeout=60_000)
        tab.goto(f"{cycle_url}/companies/{COMPANY_OF_C001}/records")
        records = tab.locator("main")
        expect(records).to_contain_text("GD-2026-0001")
        expect(records).to_contain_text("GD-2026-0005")  # the corrected one counts for the chosen community
        assert "GD-2026-0006" not in tab.content()
        # the record page names the ticket it came from and who confirmed it, linked to the ticket
        tab.goto(f"{cycle_url}/records/complaints/GD-2026-0005")
        expect(tab.locator("#record-source")).to_contain_text("来源：12345热线工单 GD-2026-0005，由 officer 于")
        tab.locator("#record-source a").click()
        expect(tab.locator("main")).to_contain_text("GD-2026-0005")
        tab.context.close()
    assert errors == [], f"JavaScript errors on the pages: {errors}"
