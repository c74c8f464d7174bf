"""The plain conclusion of a validation report: the AUC's band, and the sentences a report's figures give."""

from __future__ import annotations

from typing import Any

import pytest

from rating_service.i18n.validation import PAGE_TEXT
from rating_service.validation.wording import AUC_BANDS, MIN_EVENTS, auc_band, conclusion


@pytest.mark.parametrize(("auc", "band"), [
    (1.0, "strong"), (0.91, "strong"), (0.9, "strong"), (0.899, "good"), (0.8, "good"), (0.75, "fair"),
    (0.65, "weak"), (0.6, "weak"), (0.55, "none"), (0.5, "none"), (0.45, "none"), (0.3, "reverse"),
    (None, "unknown"), (float("nan"), "unknown"),
])
def test_the_auc_band(auc, band):
    assert auc_band(auc) == band


def test_the_bands_fall_with_the_auc_and_too_few_cases_are_not_banded():
    order = [band for _floor, band in AUC_BANDS] + ["reverse"]
    seen = [auc_band(a / 100) for a in range(100, 0, -1)]
    assert [b for i, b in enumerate(seen) if i == 0 or seen[i - 1] != b] == order
    assert auc_band(0.95, events=MIN_EVENTS - 1, n=100) == "unknown"
    assert auc_band(0.95, events=98, n=100) == "unknown"  # too few without the outcome
    assert auc_band(0.95, events=MIN_EVENTS, n=100) == "strong"


def _report(auc: float | None, *, monotone: bool = True, ci: tuple[float, float] | None = None,
            psi: float = 0.03, label: str = "stable", tau: float = 0.95) -> dict[str, Any]:
    return {"outcomes": [{"code": "x", "zh": "次年出现严重问题", "en": "a serious finding"}],
            "back_test": {"confidence": 0.9, "outcomes": [{"code": "x", "n": 100, "events": 20, "auc": auc,
                                                          "auc_ci": ci, "monotone": monotone}]},
            "stability": {"psi": psi, "label": label},
            "sensitivity": {"spread": 0.2, "kendall_tau": {"median": tau}}}


def test_the_conclusion_follows_the_figures():
    good = conclusion(_report(0.912), "zh")
    assert good[0] == "区分能力很强：评级越低的企业，次年出现严重问题的比例越高（AUC 0.91）。"
    assert "评分稳定（PSI 0.03）" in good[1] and "排名几乎不变" in good[2]
    assert conclusion(_report(0.85, monotone=False), "zh")[0].startswith("区分能力良好：总体上评级较低的企业")
    assert "建议复核评价细则" in conclusion(_report(0.3), "zh")[0]
    assert "无法判断" in conclusion(_report(None), "zh")[0]
    uncertain = conclusion(_report(0.72, ci=(0.45, 0.9)), "zh")[0]
    assert uncertain.startswith(PAGE_TEXT["conclusion_fair"]["zh"]) and "包含 0.5" in uncertain
    shifted = conclusion(_report(0.8, psi=0.4, label="shift", tau=0.5), "zh")
    assert "变化明显" in shifted[1] and "很敏感" in shifted[2]
    english = " ".join(conclusion(_report(0.912), "en"))
    assert english.startswith("Very strong discrimination") and not any("\u4e00" <= c <= "\u9fff" for c in english)
