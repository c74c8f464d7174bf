"""The triage model: learns categories and relevance, calibrated probabilities, deterministic, honest metrics."""

from __future__ import annotations

import pickle
import random

import pytest

from rating_service.errors import RatingServiceError
from rating_service.intake.triage import Suggestion, evaluate, train

PHRASES = {
    "电梯故障": ["电梯坏了好几天", "电梯困人无人救援", "电梯停运没人修", "电梯异响运行不稳"],
    "漏水渗水": ["楼上漏水到我家", "外墙渗水发霉", "天花板漏水严重", "卫生间渗水到楼下"],
    "停车管理": ["小区乱停车堵住通道", "车位被外来车辆占用", "停车收费不合理", "地库停车混乱"],
    "垃圾清运": ["垃圾堆放几天没人清运", "垃圾桶满了没人倒", "楼道垃圾无人清理", "垃圾站臭气熏天"],
}
NOT_PROPERTY = ["市政道路坑洼不平", "邻居之间发生口角", "公交线路调整咨询", "自来水公司停水通知", "医保报销咨询"]
PLACES = ["山水兰亭", "江南府", "枞川花园", "阳光小区", "滨江苑"]


def synthetic(n: int, seed: int) -> tuple[list[str], list[str | None], list[bool]]:
    """Separable tickets: a place, a category's phrase, a polite ending; one in five not property-related."""
    rng = random.Random(seed)
    texts, categories, relevant = [], [], []
    for _ in range(n):
        place = rng.choice(PLACES)
        if rng.random() < 0.2:
            texts.append(f"{place}附近{rng.choice(NOT_PROPERTY)}，请相关部门处理")
            categories.append(None)
            relevant.append(False)
        else:
            category = rng.choice(list(PHRASES))
            texts.append(f"{place}业主反映{rng.choice(PHRASES[category])}，希望物业尽快解决")
            categories.append(category)
            relevant.append(True)
    return texts, categories, relevant


@pytest.fixture(scope="module")
def trained():
    texts, categories, relevant = synthetic(240, seed=1)
    return train(texts, categories, relevant, seed=7)


def test_learns_a_separable_set(trained) -> None:
    model, metrics = trained
    texts, categories, relevant = synthetic(100, seed=99)
    measured = evaluate(model, texts, categories, relevant)
    assert measured["macro_f1"] >= 0.95 and measured["accuracy"] >= 0.95
    assert measured["relevance"]["precision"] >= 0.95 and measured["relevance"]["recall"] >= 0.95
    assert metrics["macro_f1"] >= 0.9 and metrics["n_test"] == 48 and metrics["n_train"] == 192
    assert set(metrics["categories"]) == set(PHRASES) and metrics["calibration"] == "sigmoid"
    assert metrics["seconds"] >= 0 and metrics["samples"] == 240
    best = model.suggest_many(["江南府业主反映电梯困人无人救援", "阳光小区附近市政道路坑洼不平"])
    assert best[0].category == "电梯故障" and best[0].relevant_probability > 0.5
    assert best[1].category is None and best[1].relevant_probability < 0.5


def test_probabilities_are_probabilities(trained) -> None:
    model, _ = trained
    texts, _, _ = synthetic(30, seed=5)
    texts += ["", "完全无关的一句话", "13800000000"]
    for suggestion in model.suggest_many(texts):
        assert isinstance(suggestion, Suggestion)
        assert 0.0 <= suggestion.relevant_probability <= 1.0
        assert 0.0 <= suggestion.category_probability <= 1.0
        assert len(suggestion.alternatives) == 3
        assert suggestion.alternatives[0][1] == suggestion.category_probability
        assert [p for _, p in suggestion.alternatives] == sorted((p for _, p in suggestion.alternatives), reverse=True)
    features = model.vectorizer.transform(texts)
    assert model.category.probabilities(features).sum(axis=1) == pytest.approx([1.0] * len(texts), abs=1e-6)


def test_the_same_seed_gives_the_same_model(trained) -> None:
    texts, categories, relevant = synthetic(240, seed=1)
    again, metrics = train(texts, categories, relevant, seed=7)
    model, first = trained
    probe = synthetic(20, seed=3)[0]
    assert again.suggest_many(probe) == model.suggest_many(probe)
    assert {k: v for k, v in metrics.items() if k != "seconds"} == {k: v for k, v in first.items() if k != "seconds"}


def test_a_model_survives_pickling(trained) -> None:
    model, _ = trained
    probe = synthetic(10, seed=4)[0]
    assert pickle.loads(pickle.dumps(model)).suggest_many(probe) == model.suggest_many(probe)


class _Fixed:
    """A stand-in model whose suggestions are given, to check the arithmetic of evaluate by hand."""

    def __init__(self, answers: list[tuple[str, float]]) -> None:
        self.answers = answers

    def suggest_many(self, texts):
        return [Suggestion(category if p >= 0.5 else None, 0.9, p, ((category, 0.9),))
                for category, p in self.answers[:len(texts)]]


def test_evaluation_numbers_on_a_hand_checked_case() -> None:
    # truth:     A A B B (relevant)  and one not relevant
    # predicted: A B B B             relevance: yes yes yes no | yes
    model = _Fixed([("A", 0.9), ("B", 0.8), ("B", 0.7), ("B", 0.2), ("A", 0.6)])
    metrics = evaluate(model, ["1", "2", "3", "4", "5"], ["A", "A", "B", "B", None], [True, True, True, True, False])
    # A: precision 1/1, recall 1/2, F1 2/3. B: precision 2/3, recall 2/2, F1 0.8. macro (2/3 + 0.8) / 2.
    assert metrics["categories"]["A"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert metrics["categories"]["B"] == {"precision": 0.6667, "recall": 1.0, "f1": 0.8, "support": 2}
    assert metrics["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2, abs=1e-4)
    assert metrics["accuracy"] == 0.75
    # relevance: predicted relevant 1,2,3,5; truly relevant 1,2,3,4 -> precision 3/4, recall 3/4.
    assert metrics["relevance"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75, "support": 4}
    assert metrics["n_test"] == 5


def test_refuses_too_little_or_inconsistent_data() -> None:
    with pytest.raises(RatingServiceError) as refused:
        train(["电梯坏了"] * 3, ["电梯故障"] * 3, [True] * 3)
    assert "至少需要" in refused.value.message("zh")
    with pytest.raises(RatingServiceError) as refused:
        train(["马路坏了"] * 12, [None] * 12, [False] * 12)
    assert "物业服务类" in refused.value.message("zh")
    with pytest.raises(RatingServiceError):
        train(["a", "b"], ["x"], [True, True])
    with pytest.raises(RatingServiceError) as refused:
        train(["电梯坏了"] * 12, [None] * 12, [True] * 12)
    assert "诉求类别" in refused.value.message("zh")


def test_degenerate_but_usable_data_trains() -> None:
    # every ticket relevant and one category only: constants, probability 1
    texts, categories, relevant = synthetic(60, seed=2)
    only = [(t, c) for t, c, r in zip(texts, categories, relevant, strict=True) if c == "电梯故障"][:12]
    model, metrics = train([t for t, _ in only], [c for _, c in only], [True] * len(only), seed=1)
    suggestion = model.suggest_many(["电梯坏了"])[0]
    assert suggestion.category == "电梯故障" and suggestion.relevant_probability == 1.0
    assert suggestion.category_probability == 1.0 and metrics["calibration"] == "constant"
    # a category with a single example: no calibration for it, but a model and metrics all the same
    texts, categories, relevant = synthetic(60, seed=2)
    texts.append("小区游泳池水质浑浊")
    categories.append("其他")
    relevant.append(True)
    model, metrics = train(texts, categories, relevant, seed=1)
    assert metrics["calibration"] == "none" and "其他" in model.categories
    assert metrics["macro_f1"] is not None and metrics["n_test"] == 12
