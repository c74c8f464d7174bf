"""`rating intake train` and `rating intake evaluate`: the ticket triage model (see rating_service/cli/intake.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rating_service.cli.common import LangOption, console, open_database, parse_lang, user_errors
from rating_service.cli.intake import app
from rating_service.i18n import Lang, translate
from rating_service.i18n.intake import PAGE_TEXT


def _number(value: Any, lang: Lang) -> str:
    return translate("intake_model.none", lang) if value is None else f"{value:.3f}"


def print_metrics(metrics: dict[str, Any], lang: Lang, out: Console = console) -> None:
    """Per category precision/recall/F1 in a table, then macro-F1, accuracy and the relevance numbers."""
    words = {key: entry[lang] for key, entry in PAGE_TEXT.items()}
    table = Table(title=words["triage_table_title"])
    table.add_column(words["triage_category"])
    for key in ("triage_precision", "triage_recall", "triage_f1", "triage_support"):
        table.add_column(words[key], justify="right")
    for category, numbers in sorted(metrics.get("categories", {}).items(), key=lambda kv: -kv[1].get("support", 0)):
        table.add_row(category, _number(numbers.get("precision"), lang), _number(numbers.get("recall"), lang),
                      _number(numbers.get("f1"), lang), str(numbers.get("support", 0)))
    out.print(table)
    out.print(translate("intake_model.macro", lang, macro_f1=_number(metrics.get("macro_f1"), lang),
                        accuracy=_number(metrics.get("accuracy"), lang)), markup=False, highlight=False)
    relevance = metrics.get("relevance", {})
    out.print(translate("intake_model.relevance", lang, precision=_number(relevance.get("precision"), lang),
                        recall=_number(relevance.get("recall"), lang), f1=_number(relevance.get("f1"), lang),
                        support=relevance.get("support", 0)), markup=False, highlight=False)


@app.command("train")
def train_command(
    seed: Annotated[int, typer.Option(help="随机种子 / random seed (same seed, same model)")] = 0,
    actor: Annotated[str, typer.Option(help="操作人 / who trains")] = "cli",
    lang: LangOption = "zh",
) -> None:
    """用已确认的工单训练分类模型 / train the triage model on the confirmed tickets."""
    from rating_service.intake import training

    language = parse_lang(lang)
    with user_errors(language), open_database("write") as session:
        row = training.train_from_confirmed(session, actor=actor, seed=seed)
        metrics = training.metrics_of(row)
        version, samples = row.id, row.samples
    relevance = metrics.get("relevance", {})
    console.print(translate("intake_model.trained", language, version=version, samples=samples,
                            seconds=f"{metrics.get('seconds', 0):.1f}"), markup=False, highlight=False)
    console.print(translate("intake_model.heldout", language, n_test=metrics.get("n_test", 0),
                            n_train=metrics.get("n_train", 0), macro_f1=_number(metrics.get("macro_f1"), language),
                            precision=_number(relevance.get("precision"), language),
                            recall=_number(relevance.get("recall"), language)), markup=False, highlight=False)


@app.command("evaluate")
def evaluate_command(
    file: Annotated[Path | None, typer.Option("--file", help="带标注的工单文件（诉求内容、诉求类别、是否物业服务类）"
                                                            " / a labelled ticket file")] = None,
    lang: LangOption = "zh",
) -> None:
    """当前模型的精确率、召回率与 F1 / the active model's precision, recall and F1 (on a file or its held-out part)."""
    from rating_service.intake import training
    from rating_service.records.service import UploadedFile

    language = parse_lang(lang)
    with user_errors(language):
        upload = UploadedFile.from_path(file) if file is not None else None
        with open_database("read") as session:
            if upload is not None:
                row, metrics = training.evaluate_on_file(session, upload)
                heading = translate("intake_model.evaluated_file", language, version=row.id, file=upload.filename,
                                    count=metrics.get("n_test", 0))
            else:
                row, metrics = training.stored_metrics(session)
                heading = translate("intake_model.evaluated_stored", language, version=row.id,
                                    trained_at=row.trained_at.strftime("%Y-%m-%d %H:%M") if row.trained_at else "",
                                    by=row.trained_by, samples=row.samples, count=metrics.get("n_test", 0))
    console.print(heading, markup=False, highlight=False)
    print_metrics(metrics, language)
