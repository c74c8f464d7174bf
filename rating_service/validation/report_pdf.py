"""The validation report as a PDF (方法学验证报告): the page's figures and charts, rendered by ``reports``."""

from __future__ import annotations

from typing import Any

from rating_service.i18n import Lang, translate
from rating_service.validation.wording import report_figures, words
from reports.render import render_report as render_pdf


def render_report(report: dict[str, Any], *, lang: Lang, issuer: str,
                  indicators: dict[str, str] | None = None) -> bytes:
    return render_pdf("validation_report.html", {
        "r": report, "t": words(lang), "lang": lang, "issuer": issuer, "html_lang": translate("html_lang", lang),
        "colon": translate("colon", lang), **report_figures(report, lang, indicators),
    }, identifier=f"validation|{report['cycle']['id']}|{report['next']['id']}|{report['generated_on']}|{lang}")
