"""`rating doctor`: check this site's configuration and say what to fix (docs/operations.md, "rating doctor")."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.cells import cell_len
from rich.text import Text

from rating_service.cli.common import LangOption, console, parse_lang
from rating_service.i18n import Lang, translate

if TYPE_CHECKING:
    from rating_service.doctor.service import CheckResult, Finding

STYLES = {"pass": "green", "warn": "yellow", "fail": "bold red", "skip": "dim"}


def doctor_command(
        as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（供程序读取）/ JSON for machines")] = False,
        lang: LangOption = "zh") -> None:
    """检查本站配置（密钥、访问地址、目录、字体、数据库迁移、工作日历、任务队列），逐项说明如何修复；
    有失败项时退出码为 1 / check this site's configuration and say how to fix each problem; exit code 1 when a
    check fails."""
    from rating_service.doctor import service as doctor

    language = parse_lang(lang)
    results = doctor.run(doctor.load_settings())
    status = doctor.worst(results)
    if as_json:
        sys.stdout.write(json.dumps(_as_json(results, status, language), ensure_ascii=False, indent=2) + "\n")
    else:
        _print(results, status, language)
    if status == "fail":
        raise typer.Exit(1)


def _text(finding: Finding, lang: Lang) -> str:
    return translate(f"doctor.{finding.code}", lang, **finding.params)


def _as_json(results: list[CheckResult], status: str, lang: Lang) -> dict[str, Any]:
    return {"status": status, "ok": status != "fail", "checks": [
        {"check": r.name, "name": translate(f"doctor_check.{r.name}", lang), "status": r.status,
         "findings": [{"code": f.code, "status": f.status, "params": {k: str(v) for k, v in f.params.items()},
                       "message": _text(f, lang)} for f in r.findings]} for r in results]}


def _print(results: list[CheckResult], status: str, lang: Lang) -> None:
    """One line per check (status, name, finding and remedy); a check's further findings on lines below it."""
    labels = {s: translate(f"doctor_status.{s}", lang) for s in STYLES}
    names = {r.name: translate(f"doctor_check.{r.name}", lang) for r in results}
    label_width = max(map(cell_len, labels.values())) + 2
    name_width = max(map(cell_len, names.values())) + 2
    for result in results:
        for index, finding in enumerate(result.findings):
            line = Text(_pad(labels[finding.status], label_width), style=STYLES[finding.status])
            line.append(_pad(names[result.name] if index == 0 else "", name_width), style="bold")
            line.append(_text(finding, lang))
            console.print(line, soft_wrap=True, highlight=False)
    counts = {s: sum(r.status == s for r in results) for s in STYLES}
    console.print(translate("doctor_summary", lang, total=len(results), passed=counts["pass"], warned=counts["warn"],
                            failed=counts["fail"], skipped=counts["skip"]), markup=False, highlight=False)
    verdict = "doctor_verdict_fail" if status == "fail" else "doctor_verdict_ok"
    console.print(translate(verdict, lang), style=STYLES["fail" if status == "fail" else "pass"], markup=False,
                  highlight=False, soft_wrap=True)


def _pad(text: str, width: int) -> str:
    """The text filled with spaces to `width` terminal cells (a Chinese character takes two)."""
    return text + " " * (width - cell_len(text))
