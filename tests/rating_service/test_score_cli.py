"""`rating score --data DIR`: ratings straight from a folder of record files, no database."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rating_service.cli import DEMO_DIR, app
from rating_service.companies.credit_code import make_credit_code

runner = CliRunner()
PERIOD = "2025-01-01:2025-12-31"
METHODOLOGY = Path(__file__).resolve().parents[2] / "scoring" / "methodologies" / "ZY-2025.yaml"
REQUIRED_KEYS = {"credit_code", "name", "score", "grade", "provisional", "veto", "red_list", "black_list", "reasons",
                 "indicators", "methodology", "period"}

# The worked example of methodology §7 (the rows of tests/scoring/test_worked_example.py).
# (tests/scoring uses 913407220000000195 and …280, whose check characters are wrong: an import would reject them.)
A = make_credit_code(region="340722", serial=19)  # 皖江物业
B = make_credit_code(region="340722", serial=28)  # the previous manager of 尚泽江南府
# A third company, so that the folder's own R0 comes out at §7's 0.004: the three companies hold
# 800 + 400 + 1300 households all year (E = 2,500 household-years) and have 9 + 0 + 1 substantiated
# complaints, so R0 = 10 / 2,500 = 0.004 exactly as the example supposes.
X = make_credit_code(region="340722", serial=77)


def score(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["score", *args])


def _write(folder: Path, kind: str, header: list[str], rows: list[list[object]]) -> None:
    with (folder / f"{kind}.csv").open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])


def worked_example_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder, "companies", ["统一社会信用代码", "企业名称"],
           [[A, "皖江物业"], [B, "前物业"], [X, "对照物业"]])
    _write(folder, "communities", ["小区编号", "小区名称", "户数"],
           [["SSLT", "山水兰亭", 800], ["SZJNF", "尚泽江南府", 400], ["QT", "其他小区", 1300]])
    _write(folder, "contracts", ["小区编号", "统一社会信用代码", "开始日期", "结束日期"],
           [["SSLT", A, "2020-01-01", None], ["SZJNF", B, "2019/1/1", "2025年6月30日"],
            ["SZJNF", A, "2025-07-01", None], ["QT", X, "2018-01-01", None]])
    inspections = [
        ["X1", "2025-02-10", "SSLT", "城管", "卫生保洁", "一般", "2025-02-20", "2025-02-18"],
        ["X2", "2025-04-10", "SSLT", "城管", "乱堆乱放", "一般", "2025-04-20", "2025-04-30"],
        ["X3", "2025-08-10", "SZJNF", "住建", "设施维护", "一般", None, None],
        ["X4", "2025-11-30", "SZJNF", "消防", "消防通道", "较重", "2025-12-10", None],
    ] + [[f"V{i}", f"2025-{i + 2:02d}-15", "SSLT", "住建", "设施维护", "合格", None, None] for i in range(1, 7)]
    _write(folder, "inspections", ["记录编号", "检查日期", "小区编号", "检查部门", "问题类别", "严重程度", "整改期限",
                                   "整改完成日期"], inspections)
    complaints: list[list[object]] = []
    for i in range(20):
        month = f"2025-{(i % 11) + 1:02d}"
        resolved = None if i == 19 else f"{month}-{10 if i < 17 else 20}"
        complaints.append([f"C{i:02d}", f"{month}-05", "12345", "SSLT", "是" if i < 9 else "否", f"{month}-12",
                           resolved, "张**"])
    complaints.append(["C-not-due", "2025-12-28", "12345", "SSLT", "否", None, None, None])
    complaints.append(["QT-1", "2025-03-03", "来电", "QT", "是", "2025-03-10", "2025-03-08", None])
    _write(folder, "complaints",
           ["工单编号", "受理时间", "渠道", "小区编号", "是否查实", "办理时限", "办结时间", "投诉人"], complaints)
    _write(folder, "fee_violations", ["案件编号", "认定日期", "统一社会信用代码", "违规类型", "涉及金额", "是否退还"],
           [["F1", "2025-06-01", A, "超标准收费", "23,000元", "是"]])
    _write(folder, "commendations", ["记录编号", "表彰日期", "统一社会信用代码", "级别", "荣誉名称"],
           [["B1", "2025-12-01", A, "县级", "枞阳县物业服务示范项目"]])
    return folder


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return worked_example_folder(tmp_path / "example")


def _no_traceback(result) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit) or result.exception is None


# -- the demo county ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_json() -> tuple[bytes, list[dict[str, object]]]:
    result = score("--data", str(DEMO_DIR), "--period", PERIOD, "--format", "json")
    assert result.exit_code == 0, result.output
    return result.stdout_bytes, json.loads(result.stdout)


def test_demo_json_has_one_object_per_rated_company(demo_json):
    _, items = demo_json
    assert len(items) == 18
    codes = [item["credit_code"] for item in items]
    assert codes == sorted(codes) and len(set(codes)) == 18
    for item in items:
        assert REQUIRED_KEYS <= set(item)
        assert set(item["indicators"]) == {"INSP", "COMPL", "FEE"}
        assert item["methodology"] == "ZY-2025" and item["period"] == ["2025-01-01", "2025-12-31"]
        assert all(isinstance(code, str) for code in item["reasons"])


def test_demo_json_is_byte_stable(demo_json):
    again = score("--data", str(DEMO_DIR), "--period", PERIOD, "--format", "json")
    assert again.exit_code == 0
    assert again.stdout_bytes == demo_json[0]


def test_demo_grades_spread_and_vetoes_are_c(demo_json):
    _, items = demo_json
    grades = {item["grade"] for item in items}
    assert {"AAA", "AA", "A", "C"} <= grades
    vetoed = [item for item in items if item["veto"]]
    # the maintenance-fund case (金鼎) and the refuse_to_exit event (鑫源)
    assert {item["name"] for item in vetoed} == {"枞阳县金鼎物业管理有限公司", "枞阳县鑫源物业管理有限公司"}
    for item in vetoed:
        assert item["grade"] == "C" and item["black_list"] and item["reasons"][0] == "VETO"
    for item in items:
        assert item["red_list"] == (item["grade"] == "AAA" and not item["provisional"])


def test_demo_csv(tmp_path):
    result = score("--data", str(DEMO_DIR), "--period", PERIOD, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert len(rows) == 18
    assert list(rows[0]) == ["credit_code", "name", "score", "grade", "provisional", "veto", "floor_applied",
                             "red_list", "black_list", "exposure", "visits", "insp_score", "compl_score",
                             "fee_score", "bonus", "reasons"]
    assert [r["credit_code"] for r in rows] == sorted(r["credit_code"] for r in rows)
    assert all(re.fullmatch(r"\d+\.\d\d", r["score"]) and re.fullmatch(r"\d+\.\d\d", r["exposure"]) for r in rows)
    out = tmp_path / "ratings.csv"
    written = score("--data", str(DEMO_DIR), "--period", PERIOD, "--format", "csv", "--output", str(out))
    assert written.exit_code == 0 and "评价结果已写入" in written.output
    assert out.read_text(encoding="utf-8-sig") == result.stdout


def test_demo_table_in_chinese_and_english():
    zh = score("--data", str(DEMO_DIR), "--period", PERIOD)
    assert zh.exit_code == 0, zh.output
    lines = zh.stdout.splitlines()
    assert lines[1].split() == ["名次", "企业名称", "统一社会信用代码", "得分", "等级", "标识", "主要扣分原因"]
    assert len(lines) == 2 + 18
    scores = [float(line.split()[3]) for line in lines[2:]]
    assert scores == sorted(scores, reverse=True)
    assert any("一票否决" in line and "黑榜" in line for line in lines)
    assert any("红榜" in line for line in lines)
    en = score("--data", str(DEMO_DIR), "--period", PERIOD, "--lang", "en")
    assert en.exit_code == 0
    assert en.stdout.splitlines()[1].split() == ["Rank", "Name", "Credit", "code", "Score", "Grade", "Flags",
                                                 "Top", "reasons"]
    assert "Veto,Black list" in en.stdout


def test_demo_explanation_of_a_vetoed_company():
    result = score("--data", str(DEMO_DIR), "--period", PERIOD, "--explain", "913407222014553941")
    assert result.exit_code == 0, result.output
    assert "因一票否决，等级评定为 C 级" in result.stdout
    assert re.search(r"^1\. 一票否决$", result.stdout, re.M)
    assert "VETO" not in result.stdout


# -- the worked example of §7 ----------------------------------------------------------------------

def test_worked_example_scores_as_in_the_methodology(example):
    result = score("--data", str(example), "--period", PERIOD, "--format", "json")
    assert result.exit_code == 0, result.output
    items = {item["credit_code"]: item for item in json.loads(result.stdout)}
    assert set(items) == {A, B, X}
    a = items[A]
    assert a["indicators"] == {"INSP": 90.0, "COMPL": 65.66, "FEE": 81.25}
    assert (a["bonus"], a["score"], a["grade"]) == (2.0, 81.3, "AA")
    assert a["reasons"] == ["COMPL_RATE", "FEE", "INSP", "COMPL_TIMELY"]
    assert a["exposure"] == pytest.approx(1001.6438, abs=1e-4)
    assert not (a["veto"] or a["provisional"] or a["red_list"] or a["black_list"])


def test_worked_example_csv_line(example):
    result = score("--data", str(example), "--period", PERIOD, "--format", "csv")
    assert result.exit_code == 0, result.output
    line = next(r for r in result.stdout.splitlines() if r.startswith(A))
    assert line == (f"{A},皖江物业,81.30,AA,false,false,false,false,false,1001.64,10,90.00,65.66,81.25,2.00,"
                    "COMPL_RATE;FEE;INSP;COMPL_TIMELY")


def test_worked_example_explanation(example):
    result = score("--data", str(example), "--period", PERIOD, "--explain", A.lower())
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "综合得分 81.3，等级 AA" in text
    assert re.findall(r"^\d+\. (\w+)", text, re.M) == ["查实投诉", "收费违规", "巡查发现问题", "投诉未按时办结"]
    assert "巡查 10 次，平均每次巡查发现问题折合 1.00 分（10 分 / 10 次）" in text
    assert "到期投诉 20 件，按时办结 17 件（85.0%）" in text
    assert "升至 AAA 级还差 8.7 分" in text
    assert "查实投诉：本期没有查实投诉（折合每千户每年不超过 1.62 件，现为 7.84 件）" in text
    assert "单独改善其他任何一项都不够：巡查发现问题最多可提高 4.00 分、投诉未按时办结最多可提高 1.05 分、" \
           "收费违规最多可提高 4.69 分。" in text
    assert "1000 × (9 + 300 × 0.004000)" in text  # the formula, in 计算方法
    for code in ("INSP", "COMPL_RATE", "COMPL_TIMELY", "FEE", "R0"):
        assert not re.search(rf"\b{code}\b", text), code
    # evidence: INSP by points (X4 overdue 6, X2 late 2, then X3, X1), COMPL_TIMELY most overdue first
    insp = text.split("3. 巡查发现问题", 1)[1].split("\n4.", 1)[0]
    assert re.findall(r"巡查检查 (\w+) ", insp) == ["X4", "X2", "X3", "X1"]
    assert "巡查检查 X4 2025-11-30 6 分" in insp
    timely = text.split("4. 投诉未按时办结", 1)[1]
    assert re.search(r"投诉工单 C19 \d{4}-\d\d-\d\d 逾期 \d+ 天", timely)
    english = score("--data", str(example), "--period", PERIOD, "--explain", A, "--lang", "en")
    assert "Score 81.3, grade AA" in english.stdout
    assert "no substantiated complaint in the period (at most 1.62 per 1,000 households a year" in english.stdout
    assert "Problems found in inspections at most 4.00 points more" in english.stdout


def test_worked_example_explanation_as_json(example):
    result = score("--data", str(example), "--period", PERIOD, "--explain", A, "--format", "json",
                   "--methodology", "ZY-2025")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["score"], data["grade"], data["next_grade"], data["gap"]) == (81.3, "AA", "AAA", 8.7)
    assert [r["code"] for r in data["reasons"]] == ["COMPL_RATE", "FEE", "INSP", "COMPL_TIMELY"]
    assert data["constants"]["R0"] == pytest.approx(0.004, abs=1e-15)


def test_methodology_from_a_file(example):
    result = score("--data", str(example), "--period", PERIOD, "--methodology", str(METHODOLOGY), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert f"{A},皖江物业,81.30,AA" in result.stdout


# -- bad inputs ------------------------------------------------------------------------------------

def test_bad_credit_code_lists_file_row_and_column(example):
    path = example / "companies.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(B, B[:-1] + "1"), encoding="utf-8-sig")
    result = score("--data", str(example), "--period", PERIOD)
    assert result.exit_code == 2
    _no_traceback(result)
    assert "数据文件夹未通过校验，共 2 处错误，未进行评价" in result.output
    assert f"companies.csv 第 3 行 [统一社会信用代码] “{B[:-1]}1”：统一社会信用代码校验位错误" in result.output
    # the contract of the company whose code no longer matches is reported in its own file
    assert f"contracts.csv 第 3 行 [统一社会信用代码] “{B}”：企业不存在" in result.output
    english = score("--data", str(example), "--period", PERIOD, "--lang", "en")
    assert english.exit_code == 2
    assert "companies.csv row 3 [credit_code]" in english.output and "Wrong check character" in english.output


def test_every_bad_row_of_every_file_is_listed(example):
    (example / "inspections.csv").write_text(
        "记录编号,检查日期,小区编号,检查部门,问题类别,严重程度\n"
        "Y1,2025-02-30,SSLT,城管,卫生保洁,一般\n"
        "Y2,2025-03-01,NOWHERE,城管,卫生保洁,很严重\n", encoding="utf-8")
    with (example / "contracts.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"SSLT,{X},2024-01-01,\n")  # overlaps A's contract of 山水兰亭
    result = score("--data", str(example), "--period", PERIOD)
    assert result.exit_code == 2
    _no_traceback(result)
    assert "contracts.csv 第 6 行 [开始日期] “2024-01-01”：与该小区的另一份合同" in result.output
    assert "inspections.csv 第 2 行 [检查日期] “2025-02-30”：日期不存在" in result.output
    assert "inspections.csv 第 3 行 [小区编号] “NOWHERE”：小区不存在" in result.output
    assert ("inspections.csv 第 3 行 [严重程度] “很严重”：值不在允许范围内。允许的值：合格、一般、较重、严重"
            in result.output)
    assert result.output.index("contracts.csv") < result.output.index("inspections.csv")


def test_missing_required_file(example):
    (example / "contracts.csv").unlink()
    result = score("--data", str(example), "--period", PERIOD)
    assert result.exit_code == 2
    _no_traceback(result)
    assert "缺少物业服务合同文件" in result.output and "contracts.csv" in result.output


def test_missing_folder(tmp_path):
    result = score("--data", str(tmp_path / "nowhere"), "--period", PERIOD, "--lang", "en")
    assert result.exit_code == 2
    _no_traceback(result)
    assert "Data folder not found" in result.output


def test_optional_record_files_may_be_absent(example):
    for kind in ("inspections", "fee_violations", "commendations"):
        (example / f"{kind}.csv").unlink()
    result = score("--data", str(example), "--period", PERIOD, "--format", "json")
    assert result.exit_code == 0, result.output
    a = next(item for item in json.loads(result.stdout) if item["credit_code"] == A)
    assert a["indicators"]["INSP"] is None and a["indicators"]["FEE"] == 100.0


@pytest.mark.parametrize("period", ["2025-13-01:x", "2025", "2025-01-01:2025-12-31:2026-01-01",
                                    "2025-12-31:2025-01-01"])
def test_bad_period(example, period):
    result = score("--data", str(example), "--period", period)
    assert result.exit_code == 2
    _no_traceback(result)
    assert "评价期间" in result.output and period in result.output


def test_methodology_with_weights_not_summing_to_one(example, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(METHODOLOGY.read_text(encoding="utf-8").replace("FEE: 0.25", "FEE: 0.30"), encoding="utf-8")
    result = score("--data", str(example), "--period", PERIOD, "--methodology", str(bad))
    assert result.exit_code == 2
    _no_traceback(result)
    assert "weights" in result.output and "权重之和应为 1" in result.output
    english = score("--data", str(example), "--period", PERIOD, "--methodology", str(bad), "--lang", "en")
    assert "bad.yaml: weights: weights must sum to 1" in english.output


def test_unknown_methodology_id_and_format(example):
    result = score("--data", str(example), "--period", PERIOD, "--methodology", "ZY-2099")
    assert result.exit_code == 2 and "ZY-2099" in result.output
    _no_traceback(result)
    fmt = score("--data", str(example), "--period", PERIOD, "--format", "xml")
    assert fmt.exit_code == 2 and "xml" in fmt.output


def test_unknown_explain_code(example):
    result = score("--data", str(example), "--period", PERIOD, "--explain", "91340722000000099X")
    assert result.exit_code == 2
    _no_traceback(result)
    assert "91340722000000099X 不在本期评价结果中" in result.output
    # a company of the folder with no contract and no record in the period is not rated
    with (example / "companies.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{make_credit_code(region='340722', serial=78)},新物业\n")
    idle = score("--data", str(example), "--period", PERIOD, "--explain", make_credit_code(region="340722", serial=78))
    assert idle.exit_code == 2 and "未参加本期评价" in idle.output


def test_xlsx_files_and_english_headers_are_read_like_imports(example):
    from openpyxl import Workbook

    (example / "communities.csv").unlink()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["community_id", "name", "households"])
    for row in (["SSLT", "山水兰亭", "800户"], ["SZJNF", "尚泽江南府", 400], ["QT", "其他小区", "1,300"]):
        sheet.append(row)
    workbook.save(example / "communities.xlsx")
    result = score("--data", str(example), "--period", PERIOD, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert f"{A},皖江物业,81.30,AA" in result.stdout


def test_a_c_company_is_shown_the_combined_path_and_why_complaints_cannot_reach_full_marks():
    """永盛 (C, 32.6) needs 27.4 points for B: no single indicator gives that much, so the path names the ones
    to improve together, with a target for each, and says why substantiated complaints gain less than they lost."""
    result = score("--data", str(DEMO_DIR), "--period", PERIOD, "--explain", "91340722167878085P")
    assert result.exit_code == 0, result.output
    path = result.stdout.split("三、升级路径", 1)[1]
    assert "升至 B 级还差 27.4 分" in path
    assert "单靠任何一项都不够，需要同时将巡查发现问题与查实投诉改善到：" in path
    assert "巡查发现问题：平均每次巡查的问题扣分降到 6.13 分及以下（现为 6.39 分）" in path
    assert "查实投诉：本期没有查实投诉（即使如此，按全县平均水平折合每千户每年仍计 1.17 件" in path
    assert "按全县平均水平计入的部分仍然保留" in path
    # not "not enough alone, at most N points" on every line
    assert "仅靠本项无法达到" not in path and not re.search(r"最多可提高 [0-9]", path)


# -- ZY-2026: the on-time part as late complaints per 1,000 household-years -------------------------

def test_json_measures_hold_the_late_rate_only_under_a_late_rate_methodology(example):
    old = json.loads(score("--data", str(example), "--period", PERIOD, "--format", "json",
                           "--methodology", "ZY-2025").stdout)
    new = score("--data", str(example), "--period", PERIOD, "--format", "json", "--methodology", "ZY-2026")
    assert new.exit_code == 0, new.output
    a_old = next(item for item in old if item["credit_code"] == A)
    a_new = next(item for item in json.loads(new.stdout) if item["credit_code"] == A)
    assert set(a_old["measures"]) == {"d", "r", "t", "F"}
    assert set(a_new["measures"]) == {"d", "r", "t", "l", "F"}
    assert a_new["measures"]["l"] == pytest.approx(2.3048, abs=1e-4)  # 1000 × 3 ÷ (1001.64 + 300)
    assert a_new["measures"]["t"] == a_old["measures"]["t"] == 0.85
    assert (a_new["indicators"]["COMPL"], a_new["score"], a_new["grade"]) == (66.35, 81.5, "AA")
    assert a_new["methodology"] == "ZY-2026"


def test_explanation_under_zy_2026_words_the_late_complaints(example):
    result = score("--data", str(example), "--period", PERIOD, "--explain", A, "--methodology", "ZY-2026")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "综合得分 81.5，等级 AA" in text
    assert "到期投诉 20 件，未按时办结 3 件，折合每千户每年 2.30 件" in text
    assert "按时办结：l = 1000 × L ÷ (E + k) = 1000 × 3 ÷ (1001.64 + 300) = 2.30。" in text
    assert "得 88.48 分" in text and "按时办结的比例" not in text
    for code in ("INSP", "COMPL_RATE", "COMPL_TIMELY", "FEE", "R0", "late_rate"):
        assert not re.search(rf"\b{code}\b", text), code
    english = score("--data", str(example), "--period", PERIOD, "--explain", A, "--methodology", "ZY-2026",
                    "--lang", "en").stdout
    assert "20 complaints due, 3 not resolved on time, 2.30 per 1,000 households a year" in english
    assert "On time: l = 1000 × L ÷ (E + k) = 1000 × 3 ÷ (1001.64 + 300) = 2.30." in english
