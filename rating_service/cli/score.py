"""`rating score --data DIR --period START:END`: rate from a folder of record files (no database) and print the
ratings; `--explain CODE` words one company's rating as the pages and notices do (`cycles.wording`).

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

from rating_service import clock
from rating_service.cli.common import LangOption, err_console, parse_lang, user_errors
from rating_service.cli.folder import load_folder
from rating_service.cycles.wording import fixed, flags, indicator_rows, method_lines, num, path, path_lines, reasons
from rating_service.errors import RatingServiceError
from rating_service.i18n import Lang, translate
from rating_service.i18n.explanations import EXPLAIN_TEXT
from scoring.engine import Period, RatingResult, rate_companies
from scoring.explain import Explanation, explain
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


def _cell(value: Any) -> str:
    """A CSV figure: two decimals, an empty cell when missing (a sub-score not assessed)."""
    return fixed(value, 2, missing="")


def _reason_names(result: RatingResult, m: Methodology, lang: Lang) -> dict[str, list[str]]:
    """The shown reasons in the methodology's words (the table is read by people; CSV and JSON keep the codes)."""
    return {code: [m.name("reasons", r, lang) for r in codes] for code, codes in _reason_codes(result).items()}


def _reason_codes(result: RatingResult) -> dict[str, list[str]]:
    reasons = result.reasons.sort_values(["credit_code", "rank"], kind="stable")
    return {str(code): [str(r) for r in group["reason"]] for code, group in reasons.groupby("credit_code", sort=False)}


def _flags(row: pd.Series, lang: Lang, m: Methodology) -> str:
    """Veto, red, black, floor in words (provisional goes with the grade)."""
    return EXPLAIN_TEXT[lang]["flag_sep"].join(flags(row.to_dict(), lang, m, with_provisional=False))


def _grade(row: pd.Series, text: dict[str, str]) -> str:
    return f"{row['grade']} {text['provisional']}" if bool(row["provisional"]) else str(row["grade"])


def _name(value: Any) -> str:
    return value if isinstance(value, str) else ""


# -- the three listings ---------------------------------------------------------------------------

def render_table(result: RatingResult, lang: Lang, m: Methodology) -> str:
    text = EXPLAIN_TEXT[lang]
    companies = result.companies.sort_values(["score", "credit_code"], ascending=[False, True], kind="stable")
    reasons = _reason_names(result, m, lang)
    ranks = companies["score"].rank(method="min", ascending=False).astype(int).tolist()
    rows = [[text["rank"], text["name"], text["credit_code"], text["score"], text["grade"], text["flags"],
             text["reasons"]]]
    for rank, (_, row) in zip(ranks, companies.iterrows(), strict=True):
        rows.append([str(rank), _name(row["name"]), str(row["credit_code"]), f"{row['score']:.1f}",
                     _grade(row, text), _flags(row, lang, m),
                     text["reason_sep"].join(reasons.get(row["credit_code"], []))])
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
            row["credit_code"], _name(row["name"]), _cell(row["score"]), row["grade"],
            *("true" if bool(row[c]) else "false"
              for c in ("provisional", "veto", "floor_applied", "red_list", "black_list")),
            _cell(row["exposure"]), int(row["visits"]), _cell(row["insp_score"]),
            _cell(row["compl_score"]), _cell(row["fee_score"]), _cell(row["bonus"]),
            ";".join(reasons.get(row["credit_code"], [])),
        ])
    return buffer.getvalue()


def render_json(result: RatingResult, methodology: Methodology | None = None) -> str:
    """One object per rated company. Under a late-rate methodology (ZY-2026) ``measures`` also holds ``l``, the late
    complaints per 1,000 household-years; ZY-2025's output is unchanged, byte for byte."""
    reasons = _reason_codes(result)
    late_rate = methodology is not None and methodology.complaints.timeliness.late_rate
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
                         "t": float(row["compl_timeliness"]),
                         **({"l": float(row["compl_late_rate"])} if late_rate else {}),
                         "F": float(row["fee_points"])},
            "methodology": result.methodology_id,
            "period": period,
        })
    return _dumps(items, JSON_DECIMALS)


# -- one company's explanation --------------------------------------------------------------------

def render_explanation(exp: Explanation, lang: Lang, m: Methodology) -> str:
    """One company's explanation for a terminal: the words, figures and sentences of the pages and notices
    (``cycles.wording``), laid out as text; every cell and line is the page's own text."""
    text = EXPLAIN_TEXT[lang]
    data = exp.as_dict()
    grade = f"{exp.grade} {m.name('flags', 'provisional', lang)}" if exp.provisional else exp.grade
    marks = text["flag_sep"].join(flags(data, lang, m, with_provisional=False))
    result_line = text["result"].format(score=f"{exp.score:.1f}", grade=grade)
    if exp.band_grade != exp.grade:
        result_line += text["band"].format(band=exp.band_grade)
    if marks:
        result_line += f" [{marks}]"
    out = [
        text["title"].format(name=exp.name or "", code=exp.credit_code),
        text["cycle"].format(methodology=exp.methodology_id, start=exp.period[0], end=exp.period[1]),
        result_line,
        text["exposure"].format(exposure=f"{exp.exposure:.2f}", visits=exp.visits, bonus=num(exp.bonus)),
        "",
        text["points_title"],
    ]
    rows = [[text["indicator"], text["sub_score"], text["weight"], text["earned"], text["lost"]]]
    sentences = []
    for line in indicator_rows(data, lang, m):
        if not line["assessed"]:
            rows.append([line["label"], text["not_assessed"], line["weight"], "-", "-"])
        else:
            rows.append([line["label"], line["sub_score"], line["weight"], line["earned"], line["lost"]])
        sentences.append(f"{line['label']}：" if lang == "zh" else f"{line['label']}:")
        sentences += [f"   {line['measure']}"] + ([f"   {line['note']}"] if line["note"] else [])
    out.append(_columns(rows, right={1, 2, 3, 4}).rstrip("\n"))
    out += sentences
    out += ["", text["method_title"]] + [f"   {line}" for line in method_lines(data, lang, m)]

    out += ["", text["reasons_title"]]
    if not exp.reasons:
        out.append(text["no_reasons"])
    for rank, reason in enumerate(reasons(data, lang, m), start=1):
        lost = "" if reason["lost"] is None else text["lost_suffix"].format(lost=reason["lost"])
        out.append(text["reason_line"].format(rank=rank, label=reason["label"], lost=lost))
        for item in reason["evidence"]:
            cells = [f"   - {item['kind']}", item["record_id"], item["event_date"]]
            if item["overdue"]:
                cells.append(text["evidence_overdue"].format(days=item["overdue"]))
            elif item["points"]:
                cells.append(text["evidence_points"].format(points=item["points"]))
            out.append(" ".join(c for c in cells if c))

    out += ["", text["path_title"]]
    out += path_lines(path(data, lang, m), lang)
    return "\n".join(out) + "\n"


# -- the command ------------------------------------------------------------------------------------

@contextmanager
def _methodology_errors(lang: Lang) -> Iterator[None]:
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
    lang: LangOption = "zh",
    output: Annotated[Path | None, typer.Option("--output", help="写入此文件而不是标准输出")] = None,
) -> None:
    """直接按数据文件夹评分（不用数据库）/ rate companies straight from a folder of record files."""
    language = parse_lang(lang)
    with user_errors(language), _methodology_errors(language):
        fmt = output_format.strip().lower()
        if fmt not in FORMATS:
            raise RatingServiceError("score_format_invalid", value=output_format)
        rating_period = parse_period(period)
        chosen = choose_methodology(methodology, rating_period)
        inputs = load_folder(data, today=clock.local_today(), methodology=chosen)
        result = rate_companies(inputs=inputs, period=rating_period, methodology=chosen)
        if explain_code is not None:
            code = explain_code.strip().upper()
            try:
                exp = explain(result, code, chosen)
            except KeyError:
                known = set(inputs.companies["credit_code"].dropna().astype(str))
                raise RatingServiceError("score_company_not_rated" if code in known else "score_company_unknown",
                                         code=code) from None
            text = _dumps(exp.as_dict(), None) if fmt == "json" else render_explanation(exp, language, chosen)
        elif fmt == "csv":
            text = render_csv(result)
        elif fmt == "json":
            text = render_json(result, chosen)
        else:
            text = render_table(result, language, chosen)
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
