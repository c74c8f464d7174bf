"""`rating validate`: the validation report of a methodology on two cycles, in a terminal."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rating_service.cli.common import console, open_database, parse_lang, user_errors
from rating_service.i18n import Lang

# The validation room (scikit-learn, scipy) is imported inside the command, not when `rating` starts.


def migration_table(migration: dict[str, Any], title: str, corner: str) -> Table:
    table = Table(title=title)
    table.add_column(corner)
    for grade in migration["grades"]:
        table.add_column(grade, justify="right")
    for grade, row in zip(migration["grades"], migration["matrix"], strict=True):
        table.add_row(grade, *[str(v) for v in row])
    return table


def print_report(report: dict[str, Any], lang: Lang, out: Console = console) -> None:
    """The figures of the validation page, as tables."""
    from rating_service.validation.wording import fmt, pct, psi_label, words

    t = words(lang)
    c, n = report["cycle"], report["next"]
    out.print(f"[bold]{t['validation_title']}[/bold]")
    out.print(f"{t['cycle']}: {c['name']} ({c['id']}) · {t['next']}: {n['name']} ({n['id']}) · "
              f"{t['methodology']}: {report['methodology_id']}")
    back = report["back_test"]
    names = {o["code"]: o[lang] for o in report["outcomes"]}
    p = round(100 * back["confidence"])
    table = Table(title=t["back_test"])
    for head in (t["outcome"], t["companies"], t["events"], t["auc"], t["ci"].format(p=p), t["gini"],
                 t["ci"].format(p=p), t["monotone"]):
        table.add_column(head)
    for o in back["outcomes"]:
        auc_ci = o["auc_ci"] or (None, None)
        gini_ci = o["gini_ci"] or (None, None)
        table.add_row(names.get(o["code"], o["code"]), str(o["n"]), str(o["events"]), fmt(o["auc"]),
                      f"{fmt(auc_ci[0])}–{fmt(auc_ci[1])}", fmt(o["gini"]), f"{fmt(gini_ci[0])}–{fmt(gini_ci[1])}",
                      t["yes"] if o["monotone"] else t["no"])
    out.print(table)
    rates = Table(title=t["rate_by_grade"])
    rates.add_column(t["outcome"])
    for grade in report["grades"]:
        rates.add_column(grade, justify="right")
    for o in back["outcomes"]:
        rates.add_row(names.get(o["code"], o["code"]),
                      *[f"{pct(g['rate'])} ({g['events']}/{g['n']})" for g in o["grades"]])
    out.print(rates)
    m = report["migration"]
    out.print(migration_table(m, t["migration"], t["before_after"]))
    out.print(t["migration_note"].format(both=m["both"], stayed=m["stayed"], up=m["upgraded"], down=m["downgraded"],
                                         entered=m["entered"], left=m["left"]))
    s = report["stability"]
    out.print(t["psi_value"].format(psi=fmt(s["psi"], 4), label=psi_label(s["label"], lang)))
    if min(s["n_expected"], s["n_actual"]) < 100:
        out.print(t["psi_small"].format(n=min(s["n_expected"], s["n_actual"])))
    sens = report["sensitivity"]
    out.print(t["sensitivity_note"].format(
        spread=round(100 * sens["spread"]), draws=sens["draws"], seed=sens["seed"],
        tau=fmt(sens["kendall_tau"]["median"]), tau_lo=fmt(sens["kendall_tau"]["p05"]),
        tau_hi=fmt(sens["kendall_tau"]["p95"]), share=pct(sens["grade_change_share"]["median"]),
        share_lo=pct(sens["grade_change_share"]["p05"]), share_hi=pct(sens["grade_change_share"]["p95"])))
    advice = Table(title=t["advice"])
    for head in (t["outcome"], t["indicator"], t["current_weight"], t["coefficient"], t["suggested"]):
        advice.add_column(head)
    for code, item in report["advice"].items():
        if item is None or item.get("suggested") is None:
            reason = (item or {}).get("reason_zh" if lang == "zh" else "reason") or "-"
            advice.add_row(names.get(code, code), t["no_advice"].format(reason=reason), "", "", "")
            continue
        for indicator, weight in item["current"].items():
            advice.add_row(names.get(code, code), indicator, fmt(weight, 2),
                           fmt((item["coefficients"] or {}).get(indicator)), fmt(item["suggested"].get(indicator), 2))
        for warning in item["warnings"]:
            advice.add_row("", warning["indicator"], "", "", warning[lang])
    out.print(advice)


def validate_command(
    cycle: Annotated[int, typer.Option("--cycle", help="被检验周期 / the cycle tested")],
    next_cycle: Annotated[int, typer.Option("--next", help="结果观察周期 / the cycle whose outcomes judge it")],
    output: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    bootstrap: Annotated[int, typer.Option(help="重抽样次数 / bootstrap resamples")] = 500,
    draws: Annotated[int, typer.Option(help="权重扰动次数 / weight perturbation draws")] = 200,
    seed: Annotated[int, typer.Option(help="随机种子 / seed")] = 0,
    lang: Annotated[str, typer.Option(help="zh | en")] = "zh",
) -> None:
    """评价细则验证：回测、等级迁移、PSI、权重敏感性、建议权重 / validate the methodology on two cycles."""
    from rating_service.validation import service

    language = parse_lang(lang)
    with user_errors(language), open_database() as session:
        report = service.validate(session=session, cycle_id=cycle, next_id=next_cycle, bootstrap=bootstrap,
                                  draws=draws, seed=seed).as_dict()
    if output == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_report(report, language)
