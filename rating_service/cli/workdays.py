"""`rating calendar …`: the working-day calendar (holidays and make-up working days) of the workdays room."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from rating_service.cli.common import LangOption, console, open_database, parse_lang, user_errors
from rating_service.errors import RatingServiceError
from rating_service.i18n import translate

app = typer.Typer(help="工作日历 / working-day calendar", no_args_is_help=True)


@app.command("show")
def calendar_show(year: Annotated[int, typer.Argument(help="年份 / year")], lang: LangOption = "zh") -> None:
    """某年的节假日与调休上班日 / a year's holidays and make-up working days."""
    from rating_service.workdays import service as workdays

    language = parse_lang(lang)
    with user_errors(language), open_database() as session:
        view = workdays.year_view(session=session, year=year)
    known = translate("calendar_year_known" if view["known"] else "calendar_year_not_announced", language)
    console.print(f"{year}: {known}" + (f" · {view['source']}" if view["source"] else ""), highlight=False)
    for day in view["days"]:
        status = translate("calendar_day_working" if day["working"] else "calendar_day_off", language)
        console.print(f"  {day['date'].isoformat()}  {status:<4} {day['name']}  ({day['source']})", highlight=False)


@app.command("set")
def calendar_set(year: Annotated[int, typer.Argument(help="年份 / year")],
                 file: Annotated[Path, typer.Argument(help="YAML：source、holidays、workdays（各为 date/name 列表）")],
                 actor: Annotated[str, typer.Option(help="操作人 / who acts")] = "cli",
                 lang: LangOption = "zh") -> None:
    """录入某年的节假日安排（国务院办公厅通知）/ enter a year's holiday schedule."""
    import yaml

    from rating_service.workdays import service as workdays

    language = parse_lang(lang)
    with user_errors(language):
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            entries = {key: [workdays.DayEntry(day=_as_date(item["date"]), name=str(item.get("name") or ""))
                             for item in data.get(key) or []] for key in ("holidays", "workdays")}
        except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
            raise RatingServiceError("calendar_file_invalid", path=str(file), reason=str(exc)[:200]) from None
        with open_database("write") as session:
            workdays.set_year(session=session, year=year, source=str(data.get("source") or file.name), actor=actor,
                              holidays=entries["holidays"], workdays=entries["workdays"],
                              whole_year=bool(data.get("whole_year", True)))
    calendar_show(year, lang)


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
