"""`rating monitor`: the running rating of the period to date and the companies sliding (docs/monitor.md).

``--weekly`` also stores this week's summary (for cron: e.g. ``0 7 * * 1 rating monitor --weekly``).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from rating_service.cli.common import LangOption, console, open_database, parse_lang, user_errors
from rating_service.errors import RatingServiceError
from rating_service.i18n import translate
from rating_service.i18n.monitor import PAGE_TEXT

FORMATS = ("table", "json")


def monitor_command(
    weekly: Annotated[bool, typer.Option("--weekly", help="同时写入本周预警周报 / also store this week's summary")]
    = False,
    output_format: Annotated[str, typer.Option("--format", help="table（默认）或 json")] = "table",
    lang: LangOption = "zh",
) -> None:
    """本期截至今天的信用预警试算与下滑企业（暂定·不公开）/ the running rating and the companies sliding."""
    from rating_service.monitor import service

    language = parse_lang(lang)
    text = {key: words[language] for key, words in PAGE_TEXT.items()}
    with user_errors(language):
        fmt = output_format.strip().lower()
        if fmt not in FORMATS:
            raise RatingServiceError("score_format_invalid", value=output_format)
        with open_database("write" if weekly else "read") as session:
            current = service.running(session)
            slide = service.sliding(current)
            worded = service.drivers(session, current, [li.credit_code for li in slide], language)
            written = service.write_summary(session, today=current.period.end, actor="cli") if weekly else None
            summary = (written.week_start, written.lines) if written is not None else None
    if fmt == "json":
        items = [{"credit_code": li.credit_code, "name": li.name, "score": round(li.score, 4), "grade": li.grade,
                  "last_score": li.last_score, "last_grade": li.last_grade,
                  "margin": None if li.margin is None else round(li.margin, 4), "below_last": li.below_last,
                  "near_edge": li.near_edge,
                  "drivers": [{"reason": d.label, "lost": d.lost, "records": list(d.records)}
                              for d in worded[li.credit_code]]} for li in slide]
        typer.echo(json.dumps({"provisional": True, "period": [current.period.start.isoformat(),
                                                               current.period.end.isoformat()],
                               "methodology": current.methodology.id, "last_cycle": current.last_cycle_name,
                               "sliding": items}, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        console.print(text["cli_caption"].format(start=current.period.start.isoformat(),
                                                  end=current.period.end.isoformat(), id=current.methodology.id,
                                                  count=len(slide)), markup=False, highlight=False, soft_wrap=True)
        for li in slide:
            flag = text["below_last"] if li.below_last else text["near_edge"]
            console.print(f"{li.name} {li.credit_code}  {li.last_grade or '-'} → {li.grade}  {li.score:.1f}  {flag}",
                          markup=False, highlight=False, soft_wrap=True)
            for d in worded[li.credit_code]:
                lost = f" · {text['driver_lost'].format(lost=d.lost)}" if d.lost else ""
                console.print(f"  · {d.label}{lost}", markup=False, highlight=False, soft_wrap=True)
                for record in d.records:
                    console.print(f"      {record}", markup=False, highlight=False, soft_wrap=True)
    if summary is not None:
        console.print(translate("monitor_summary_written", language, week=summary[0].isoformat(), lines=summary[1]),
                      markup=False, highlight=False, soft_wrap=True)
