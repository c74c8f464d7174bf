"""`rating score --data DIR --period START:END`: rate from a folder of record files and print the ratings.

Output is byte-stable (fixed decimals, fixed orders) so that two runs on the same folder diff clean.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer
from rich.cells import cell_len

from rating_service.errors import RatingServiceError
from rating_service.i18n import Lang, translate
from rating_service.records.formats import KINDS
from rating_service.scoring.folder import load_folder
from scoring.engine import Period, RatingResult, rate_companies
from scoring.explain import Explanation, explain, shown
from scoring.methodology import (
    Methodology,
    MethodologyError,
    load_methodology,
    methodology_by_id,
    methodology_in_force,
)

FORMATS = ("table", "csv", "json")
JSON_DECIMALS = 4
CSV_COLUMNS = ("credit_code", "name", "score", "grade", "provisional", "veto", "floor_applied", "red_list",
               "black_list", "exposure", "visits", "insp_score", "compl_score", "fee_score", "bonus", "reasons")
INDICATORS = ("INSP", "COMPL", "FEE")

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "rank": "名次", "name": "企业名称", "credit_code": "统一社会信用代码", "score": "得分", "grade": "等级",
        "flags": "标识", "reasons": "主要扣分原因", "provisional": "暂定", "veto": "一票否决", "red": "红榜",
        "black": "黑榜", "floor": "保底", "flag_sep": "、",
        "caption": "评价细则 {methodology}，评价期间 {start} 至 {end}，R0 = {r0_k} 件/千户年，共 {count} 家企业",
        "INSP": "巡查检查", "COMPL": "投诉处置", "FEE": "收费规范", "VETO": "一票否决",
        "COMPL_RATE": "查实投诉率", "COMPL_TIMELY": "投诉办结及时率",
        "indicator": "指标", "measure": "计量值", "sub_score": "指标得分", "weight": "权重", "earned": "得分",
        "lost": "失分", "not_assessed": "未评价",
        "title": "{name}（{code}）信用评价说明",
        "cycle": "评价细则 {methodology}，评价期间 {start} 至 {end}",
        "result": "综合得分 {score}，等级 {grade}",
        "band": "（按得分为 {band}）",
        "exposure": "服务规模 {exposure} 户年，巡查 {visits} 次，良好行为加分 {bonus}",
        "points_title": "一、指标得分",
        "insp_measure": "d = {d}（{points} 分 / {visits} 次）",
        "compl_measure": "r = {r}/千户年；按时办结 t = {t}%（{on_time}/{due}）",
        "compl_parts": "投诉处置 = {rw} × u（{u}）+ {tw} × v（{v}）",
        "fee_measure": "F = {f}",
        "bonus_line": "良好行为加分 B = {bonus}；综合得分 S = {score}",
        "reasons_title": "二、扣分原因",
        "no_reasons": "无扣分。",
        "reason_line": "{rank}. {code} {label}{lost}",
        "lost_suffix": "：失 {lost} 分",
        "evidence_points": "{points} 分",
        "evidence_overdue": "逾期 {days} 天",
        "path_title": "三、升级路径",
        "path_top": "已是最高等级。",
        "path_veto": "一票否决，不适用升级路径。",
        "path_gap": "升至 {grade} 还差 {gap} 分：",
        "path_unreachable": "仅靠本项无法达到（最多可提高 {gain} 分）",
        "path_insp": "d ≤ {value}（每次巡查扣分）",
        "path_rate": "r ≤ {value}（每千户年查实投诉件数），即本期查实投诉不超过 {count} 件",
        "path_timely": "t ≥ {value}%（按时办结的比例）",
        "path_fee": "F ≤ {value}（收费违规扣分）",
        "path_any": "任意取值均可",
        "r0": "县域先验 R0 = {r0}（每千户年 {r0_k} 件查实投诉）",
    },
    "en": {
        "rank": "Rank", "name": "Name", "credit_code": "Credit code", "score": "Score", "grade": "Grade",
        "flags": "Flags", "reasons": "Top reasons", "provisional": "provisional", "veto": "veto", "red": "red",
        "black": "black", "floor": "floor", "flag_sep": ",",
        "caption": "Methodology {methodology}, period {start} to {end}, R0 = {r0_k} per 1,000 household-years, "
                   "{count} companies",
        "INSP": "Inspections", "COMPL": "Complaints", "FEE": "Fees", "VETO": "veto",
        "COMPL_RATE": "substantiated complaint rate", "COMPL_TIMELY": "complaints resolved on time",
        "indicator": "Indicator", "measure": "Measure", "sub_score": "Sub-score", "weight": "Weight",
        "earned": "Points", "lost": "Lost", "not_assessed": "not assessed",
        "title": "Credit rating explanation: {name} ({code})",
        "cycle": "Methodology {methodology}, period {start} to {end}",
        "result": "Score {score}, grade {grade}",
        "band": " (by score: {band})",
        "exposure": "Exposure {exposure} household-years, {visits} inspection visits, bonus {bonus}",
        "points_title": "1. Indicators",
        "insp_measure": "d = {d} ({points} pts / {visits} visits)",
        "compl_measure": "r = {r} per 1,000 hh-years; on time t = {t}% ({on_time}/{due})",
        "compl_parts": "Complaints = {rw} × u ({u}) + {tw} × v ({v})",
        "fee_measure": "F = {f}",
        "bonus_line": "Bonus B = {bonus}; score S = {score}",
        "reasons_title": "2. Reasons",
        "no_reasons": "No points lost.",
        "reason_line": "{rank}. {code} {label}{lost}",
        "lost_suffix": ": {lost} points lost",
        "evidence_points": "{points} pts",
        "evidence_overdue": "{days} days overdue",
        "path_title": "3. Path to the next grade",
        "path_top": "Already at the top grade.",
        "path_veto": "Vetoed: no path to a higher grade.",
        "path_gap": "To reach {grade}: {gap} points needed",
        "path_unreachable": "not reachable by this component alone (max gain {gain})",
        "path_insp": "d ≤ {value} defect points per visit",
        "path_rate": "r ≤ {value} substantiated complaints per 1,000 household-years, i.e. at most {count} "
                     "substantiated complaints in the period",
        "path_timely": "t ≥ {value}% of due complaints resolved on time",
        "path_fee": "F ≤ {value} fee violation points",
        "path_any": "any value",
        "r0": "County prior R0 = {r0} substantiated complaints per household-year ({r0_k} per 1,000)",
    },
}


def _today() -> dt.date:
    return dt.date.today()


# -- inputs --------------------------------------------------------------------------------------

def parse_period(text: str) -> Period:
    parts = text.split(":")
    try:
        if len(parts) != 2:
            raise ValueError(text)
        start, end = (dt.date.fromisoformat(part.strip()) for part in parts)
    except ValueError:
        raise RatingServiceError("score_period_invalid", text=text) from None
    if end < start:
        raise RatingServiceError("score_period_reversed", text=text)
    return Period(start, end)


def choose_methodology(value: str | None, period: Period) -> Methodology:
    """A YAML file, an id of a shipped methodology, or (default) the one in force at the period's end."""
    if value is None or not value.strip():
        return methodology_in_force(period.end)
    path = Path(value)
    if path.is_file() or path.suffix.lower() in (".yaml", ".yml"):
        return load_methodology(path)
    return methodology_by_id(value.strip())


# -- formatting helpers ---------------------------------------------------------------------------

def _fixed(value: Any, decimals: int) -> str:
    if value is None:
        return ""
    number = float(value)
    if math.isnan(number):
        return ""
    return f"{number:.{decimals}f}"


def _num(value: Any) -> str:
    """A count or points value without trailing zeros (3.0 -> 3, 1.5 -> 1.5)."""
    number = float(value)
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _plain(value: Any, decimals: int | None) -> Any:
    """JSON-safe Python values: numpy scalars unwrapped, NaN and infinities null, floats rounded."""
    if isinstance(value, dict):
        return {str(k): _plain(v, decimals) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, decimals) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, decimals) + 0.0 if decimals is not None else value
    return value


def _dumps(data: Any, decimals: int | None) -> str:
    return json.dumps(_plain(data, decimals), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _columns(rows: list[list[str]], right: set[int]) -> str:
    """Rows as padded plain-text columns (by display width, so Chinese text lines up)."""
    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - cell_len(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _reason_codes(result: RatingResult) -> dict[str, list[str]]:
    reasons = result.reasons.sort_values(["credit_code", "rank"], kind="stable")
    return {str(code): [str(r) for r in group["reason"]] for code, group in reasons.groupby("credit_code", sort=False)}


def _flags(row: pd.Series, text: dict[str, str]) -> str:
    flags = [text[name] for name, column in (("veto", "veto"), ("red", "red_list"), ("black", "black_list"),
                                              ("floor", "floor_applied")) if bool(row[column])]
    return text["flag_sep"].join(flags)


def _grade(row: pd.Series, text: dict[str, str]) -> str:
    return f"{row['grade']} {text['provisional']}" if bool(row["provisional"]) else str(row["grade"])


def _name(value: Any) -> str:
    return value if isinstance(value, str) else ""


# -- the three listings ---------------------------------------------------------------------------

def render_table(result: RatingResult, lang: Lang) -> str:
    text = TEXT[lang]
    companies = result.companies.sort_values(["score", "credit_code"], ascending=[False, True], kind="stable")
    reasons = _reason_codes(result)
    ranks = companies["score"].rank(method="min", ascending=False).astype(int).tolist()
    rows = [[text["rank"], text["name"], text["credit_code"], text["score"], text["grade"], text["flags"],
             text["reasons"]]]
    for rank, (_, row) in zip(ranks, companies.iterrows(), strict=True):
        rows.append([str(rank), _name(row["name"]), str(row["credit_code"]), f"{row['score']:.1f}",
                     _grade(row, text), _flags(row, text), ",".join(reasons.get(row["credit_code"], []))])
    caption = text["caption"].format(methodology=result.methodology_id, start=result.period.start.isoformat(),
                                     end=result.period.end.isoformat(), r0_k=f"{result.constants.r0 * 1000:.2f}",
                                     count=len(companies))
    return caption + "\n" + _columns(rows, right={0, 3})


def render_csv(result: RatingResult) -> str:
    reasons = _reason_codes(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for _, row in result.companies.sort_values("credit_code", kind="stable").iterrows():
        writer.writerow([
            row["credit_code"], _name(row["name"]), _fixed(row["score"], 2), row["grade"],
            *("true" if bool(row[c]) else "false"
              for c in ("provisional", "veto", "floor_applied", "red_list", "black_list")),
            _fixed(row["exposure"], 2), int(row["visits"]), _fixed(row["insp_score"], 2),
            _fixed(row["compl_score"], 2), _fixed(row["fee_score"], 2), _fixed(row["bonus"], 2),
            ";".join(reasons.get(row["credit_code"], [])),
        ])
    return buffer.getvalue()


def render_json(result: RatingResult) -> str:
    reasons = _reason_codes(result)
    period = [result.period.start.isoformat(), result.period.end.isoformat()]
    items = []
    for _, row in result.companies.sort_values("credit_code", kind="stable").iterrows():
        items.append({
            "credit_code": row["credit_code"],
            "name": row["name"] if isinstance(row["name"], str) else None,
            "score": float(row["score"]),
            "grade": row["grade"],
            "band_grade": row["band_grade"],
            "provisional": bool(row["provisional"]),
            "veto": bool(row["veto"]),
            "floor_applied": bool(row["floor_applied"]),
            "red_list": bool(row["red_list"]),
            "black_list": bool(row["black_list"]),
            "exposure": float(row["exposure"]),
            "visits": int(row["visits"]),
            "bonus": float(row["bonus"]),
            "reasons": reasons.get(row["credit_code"], []),
            "indicators": {"INSP": float(row["insp_score"]), "COMPL": float(row["compl_score"]),
                           "FEE": float(row["fee_score"])},  # NaN (not assessed) becomes null
            "measures": {"d": float(row["insp_measure"]), "r": float(row["compl_rate"]),
                         "t": float(row["compl_timeliness"]), "F": float(row["fee_points"])},
            "methodology": result.methodology_id,
            "period": period,
        })
    return _dumps(items, JSON_DECIMALS)


# -- one company's explanation --------------------------------------------------------------------

def render_explanation(exp: Explanation, result: RatingResult, methodology: Methodology, lang: Lang) -> str:
    text = TEXT[lang]
    row = result.companies.set_index("credit_code").loc[exp.credit_code]
    grade = f"{exp.grade} {text['provisional']}" if exp.provisional else exp.grade
    flags = _flags(row, text)
    result_line = text["result"].format(score=f"{exp.score:.1f}", grade=grade)
    if exp.band_grade != exp.grade:
        result_line += text["band"].format(band=exp.band_grade)
    if flags:
        result_line += f" [{flags}]"
    out = [
        text["title"].format(name=exp.name or "", code=exp.credit_code),
        text["cycle"].format(methodology=exp.methodology_id, start=exp.period[0], end=exp.period[1]),
        result_line,
        text["exposure"].format(exposure=f"{exp.exposure:.2f}", visits=exp.visits, bonus=_num(exp.bonus)),
        "",
        text["points_title"],
    ]
    lines = {line.code: line for line in exp.indicators}
    measures = {
        "INSP": text["insp_measure"].format(d=_fixed(lines["INSP"].measure, 2), points=_num(row["insp_points"]),
                                            visits=exp.visits),
        "COMPL": text["compl_measure"].format(
            r=_fixed(lines["COMPL"].measure, 2), t=_fixed(_times(lines["COMPL"].parts.get("t"), 100), 1),
            on_time=int(row["compl_on_time"]), due=int(row["compl_due"])),
        "FEE": text["fee_measure"].format(f=_num(row["fee_points"])),
    }
    rows = [[text["indicator"], text["measure"], text["sub_score"], text["weight"], text["earned"], text["lost"]]]
    for code in INDICATORS:
        line = lines[code]
        if not line.assessed:
            rows.append([f"{code} {text[code]}", "-", text["not_assessed"], _fixed(line.weight, 4), "-", "-"])
            continue
        rows.append([f"{code} {text[code]}", measures[code], _fixed(line.sub_score, 2), _fixed(line.weight, 4),
                     _fixed(line.points_earned, 2), _fixed(line.points_lost, 2)])
    out.append(_columns(rows, right={2, 3, 4, 5}).rstrip("\n"))
    compl = lines["COMPL"]
    if compl.assessed:
        parts = compl.parts
        out.append(text["compl_parts"].format(rw=_num(methodology.complaints.rate_weight), u=_fixed(parts.get("u"), 2),
                                              tw=_num(methodology.complaints.timeliness_weight),
                                              v=_fixed(parts.get("v"), 2)))
    out.append(text["bonus_line"].format(bonus=_num(exp.bonus), score=f"{exp.score:.1f}"))

    out += ["", text["reasons_title"]]
    if not exp.reasons:
        out.append(text["no_reasons"])
    for rank, reason in enumerate(exp.reasons, start=1):
        lost = "" if reason.points_lost is None else text["lost_suffix"].format(lost=_fixed(reason.points_lost, 2))
        out.append(text["reason_line"].format(rank=rank, code=reason.code, label=text[reason.code], lost=lost))
        for item in reason.evidence:
            kind = KINDS[item.kind]
            cells = [f"   - {kind.zh if lang == 'zh' else kind.en}", item.record_id, item.event_date or ""]
            if reason.code == "COMPL_TIMELY" and item.detail is not None:
                cells.append(text["evidence_overdue"].format(days=_num(item.detail)))
            elif item.kind in ("inspections", "fee_violations") and item.points is not None:
                cells.append(text["evidence_points"].format(points=_num(item.points)))
            out.append(" ".join(c for c in cells if c))

    out += ["", text["path_title"]]
    if exp.veto:
        out.append(text["path_veto"])
    elif exp.next_grade is None:
        out.append(text["path_top"])
    else:
        out.append(text["path_gap"].format(grade=exp.next_grade, gap=_fixed(exp.gap, 1)))
        for step in exp.path:
            out.append(f"   - {step.component} {text[step.component]}：{_step(step, text)}" if lang == "zh"
                       else f"   - {step.component} ({text[step.component]}): {_step(step, text)}")
    r0 = exp.constants.get("R0", result.constants.r0)
    out += ["", text["r0"].format(r0=f"{r0:.6f}", r0_k=f"{r0 * 1000:.2f}")]
    return "\n".join(out) + "\n"


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _step(step: Any, text: dict[str, str]) -> str:
    if not step.reachable or step.target_measure is None:
        return text["path_unreachable"].format(gain=_fixed(step.max_gain, 2))
    measure = float(step.target_measure)
    if math.isinf(measure):
        return text["path_any"]
    if step.component == "COMPL_TIMELY":
        return text["path_timely"].format(value=_fixed(shown(measure * 100, 1, at_most=False), 1))
    key = {"INSP": "path_insp", "COMPL_RATE": "path_rate", "FEE": "path_fee"}[step.component]
    count = "" if step.target_count is None else str(int(step.target_count))
    return text[key].format(value=_fixed(shown(measure, 2, at_most=True), 2), count=count)


# -- the command ------------------------------------------------------------------------------------

@contextmanager
def _methodology_errors(lang: Lang) -> Iterator[None]:
    from rating_service.cli.common import err_console

    try:
        yield
    except MethodologyError as exc:
        err_console.print(exc.message(lang), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def score_command(
    data: Annotated[Path, typer.Option("--data", help="数据文件夹（companies.csv、communities.csv、contracts.csv……）"
                                                      " / folder of record files")],
    period: Annotated[str, typer.Option("--period", help="评价期间，如 2025-01-01:2025-12-31 / rating period")],
    methodology: Annotated[str | None, typer.Option("--methodology",
                                                    help="评价细则 YAML 文件或编号（默认：期末生效的细则）")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table（默认）、csv 或 json")] = "table",
    explain_code: Annotated[str | None, typer.Option("--explain", help="只输出该企业（统一社会信用代码）的评价说明")]
    = None,
    lang: Annotated[str, typer.Option("--lang", help="zh（默认）或 en")] = "zh",
    output: Annotated[Path | None, typer.Option("--output", help="写入此文件而不是标准输出")] = None,
) -> None:
    """直接按数据文件夹评分（不用数据库）/ rate companies straight from a folder of record files."""
    from rating_service.cli.common import err_console, user_errors as _user_errors, parse_lang as _lang

    language = _lang(lang)
    with _user_errors(language), _methodology_errors(language):
        fmt = output_format.strip().lower()
        if fmt not in FORMATS:
            raise RatingServiceError("score_format_invalid", value=output_format)
        rating_period = parse_period(period)
        chosen = choose_methodology(methodology, rating_period)
        inputs = load_folder(data, today=_today(), methodology=chosen)
        result = rate_companies(inputs=inputs, period=rating_period, methodology=chosen)
        if explain_code is not None:
            code = explain_code.strip().upper()
            try:
                exp = explain(result, code, chosen)
            except KeyError:
                known = set(inputs.companies["credit_code"].dropna().astype(str))
                raise RatingServiceError("score_company_not_rated" if code in known else "score_company_unknown",
                                         code=code) from None
            text = _dumps(exp.as_dict(), None) if fmt == "json" else render_explanation(exp, result, chosen, language)
        elif fmt == "csv":
            text = render_csv(result)
        elif fmt == "json":
            text = render_json(result)
        else:
            text = render_table(result, language)
        if output is None:
            typer.echo(text, nl=False)
            return
        try:
            # CSV files get a BOM so that Excel opens the Chinese names correctly.
            output.write_text(text, encoding="utf-8-sig" if fmt == "csv" and explain_code is None else "utf-8")
        except OSError as exc:
            raise RatingServiceError("score_output_unwritable", path=str(output), detail=exc.strerror or str(exc)) \
                from None
    err_console.print(translate("score_written", language, path=str(output)), markup=False, highlight=False,
                      soft_wrap=True)
