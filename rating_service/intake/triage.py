"""Category and relevance triage of hotline tickets: a suggestion an officer confirms, never a decision.

Two classifiers over one TF-IDF of character n-grams (``analyzer="char_wb"``, 1-3 grams, sublinear tf; Chinese has
no spaces, so character n-grams stand in for words and survive typos): **relevance** (does the ticket concern the
property company's duties, 物业服务类) trained on every ticket, and **category** (the methodology's complaint
category) trained on the relevant tickets only. Each is a ``LogisticRegression`` whose probabilities are
**calibrated** by ``CalibratedClassifierCV`` (sigmoid, 3-fold, ``ensemble=False``: one final model plus the
calibrators fitted on out-of-fold predictions). When a class has fewer than two examples there is nothing to
calibrate on: the model then uses the regression's own probabilities and ``metrics["calibration"]`` says
``"none"`` instead of ``"sigmoid"``. A side with a single class (every ticket relevant, one category only) is a
constant: probability 1 for that class.

``train`` holds out a stratified 20 % split (stratified on the category, "not relevant" counting as a class; a plain
random split when some class is too rare to stratify), measures the model trained on the rest on it, then refits on
everything. The same seed gives the same model and the same numbers. A ``Triage`` is picklable (only the service
pickles it, into ``triage_models.model``).

Pure: scikit-learn and numpy, no database, no web. scikit-learn is imported where a model is trained or evaluated
(a pickled model brings it in when loaded), so the web app starts without it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from rating_service.errors import RatingServiceError

NOT_PROPERTY = "__not_property__"  # internal; never shown
MIN_SAMPLES = 10  # fewer tickets than this teach nothing: train refuses
HOLDOUT = 0.2
_FOLDS = 3
_MAX_FEATURES = 60_000


@dataclass(frozen=True)
class Suggestion:
    """What the model suggests for one ticket.

    ``category`` is the likeliest category, or None when "not property-related" is likelier (relevant_probability
    below one half). ``category_probability`` is the probability of the likeliest category given that the ticket
    is property-related (also when ``category`` is None, for the officer who decides it is); ``alternatives`` are
    the three likeliest categories with those probabilities, best first.
    """

    category: str | None
    category_probability: float
    relevant_probability: float
    alternatives: tuple[tuple[str, float], ...]


class _Classifier:
    """One calibrated logistic regression over the shared features, or a constant when one class is all there is."""

    def __init__(self, classes: list[Any], model: Any | None, calibration: str) -> None:
        self.classes = classes
        self.model = model
        self.calibration = calibration

    @classmethod
    def fit(cls, features: Any, labels: Sequence[Any], seed: int) -> _Classifier:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        counts = Counter(labels)
        if len(counts) == 1:
            return cls(list(counts), None, "constant")
        regression = LogisticRegression(C=10.0, max_iter=1000, random_state=seed)
        folds = min(_FOLDS, min(counts.values()))
        if folds < 2:
            regression.fit(features, labels)
            return cls(list(regression.classes_), regression, "none")
        calibrated = CalibratedClassifierCV(regression, method="sigmoid", ensemble=False,
                                            cv=StratifiedKFold(folds, shuffle=True, random_state=seed))
        calibrated.fit(features, labels)
        return cls(list(calibrated.classes_), calibrated, "sigmoid")

    def probabilities(self, features: Any) -> np.ndarray:
        if self.model is None:
            return np.ones((features.shape[0], 1))
        return np.asarray(self.model.predict_proba(features))


class Triage:
    """A trained, picklable triage model: ``suggest_many`` gives a ``Suggestion`` per text."""

    version: int | None

    def __init__(self, vectorizer: Any, relevance: _Classifier, category: _Classifier, seed: int) -> None:
        self.version = None  # the triage_models row's id, once stored
        self.vectorizer = vectorizer
        self.relevance = relevance
        self.category = category
        self.seed = seed

    @property
    def categories(self) -> list[str]:
        return [str(c) for c in self.category.classes]

    @property
    def calibration(self) -> str:
        """How the probabilities are calibrated: "sigmoid" when both sides are, else the weaker side's way."""
        ways = {self.relevance.calibration, self.category.calibration} - {"constant"}
        return "none" if "none" in ways else ("sigmoid" if ways else "constant")

    def suggest_many(self, texts: Sequence[str]) -> list[Suggestion]:
        if not texts:
            return []
        features = self.vectorizer.transform([t or "" for t in texts])
        relevance = self.relevance.probabilities(features)
        if True in self.relevance.classes:
            relevant = relevance[:, self.relevance.classes.index(True)]
        else:
            relevant = np.zeros(len(texts))
        category = self.category.probabilities(features)
        names = self.categories
        order = np.argsort(-category, axis=1, kind="stable")[:, :3]
        out: list[Suggestion] = []
        for row, best in enumerate(order):
            alternatives = tuple((names[i], round(float(category[row, i]), 6)) for i in best)
            p_relevant = round(float(relevant[row]), 6)
            out.append(Suggestion(category=alternatives[0][0] if p_relevant >= 0.5 else None,
                                  category_probability=alternatives[0][1], relevant_probability=p_relevant,
                                  alternatives=alternatives))
        return out


def _check(texts: Sequence[str], categories: Sequence[str | None], relevant: Sequence[bool]) -> None:
    if not (len(texts) == len(categories) == len(relevant)):
        raise RatingServiceError("intake_triage.lengths", texts=len(texts), categories=len(categories),
                                 relevant=len(relevant))
    for index, (is_relevant, category) in enumerate(zip(relevant, categories, strict=True)):
        if is_relevant and not category:
            raise RatingServiceError("intake_triage.no_category", row=index + 1)


def _fit(texts: list[str], categories: list[str | None], relevant: list[bool], seed: int) -> Triage:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True,
                                 min_df=2 if len(texts) >= 1000 else 1, max_features=_MAX_FEATURES,
                                 dtype=np.float32)
    features = vectorizer.fit_transform(texts)
    vectorizer.stop_words_ = None  # the pruned n-grams: only needed for inspection, and large when pickled
    relevance = _Classifier.fit(features, relevant, seed)
    rows = [i for i, r in enumerate(relevant) if r]
    category = _Classifier.fit(features[rows], [categories[i] for i in rows], seed)
    return Triage(vectorizer, relevance, category, seed)


def _split(labels: list[str], seed: int) -> tuple[list[int], list[int]]:
    """Train and held-out positions: stratified on the labels when every label has two examples, else random."""
    from sklearn.model_selection import train_test_split

    positions = list(range(len(labels)))
    n_test = max(1, round(len(labels) * HOLDOUT))
    counts = Counter(labels)
    stratify = labels if min(counts.values()) >= 2 and n_test >= len(counts) else None
    train_at, test_at = train_test_split(positions, test_size=n_test, random_state=seed, shuffle=True,
                                         stratify=stratify)
    return sorted(train_at), sorted(test_at)


def train(texts: Sequence[str], categories: Sequence[str | None], relevant: Sequence[bool], *,
          seed: int = 0) -> tuple[Triage, dict]:
    """A model trained on every ticket, and its metrics measured on a held-out 20 % (see ``evaluate``; plus
    n_train, n_test, seconds, calibration, seed). Refuses (RatingServiceError) fewer than ``MIN_SAMPLES`` tickets,
    no property-related ticket, or a property-related ticket without a category.

    The numeric libraries run on one thread here: on a shared machine their thread pools fight over the cores
    (one fit measured 9 s with the default pools, 1.2 s on one thread), and the result is the same."""
    with threadpool_limits(limits=1):
        return _train(texts, categories, relevant, seed)


def _train(texts: Sequence[str], categories: Sequence[str | None], relevant: Sequence[bool],
           seed: int) -> tuple[Triage, dict]:
    texts = [t or "" for t in texts]
    relevant = [bool(r) for r in relevant]
    categories = [c if r else None for c, r in zip(categories, relevant, strict=False)]
    _check(texts, categories, relevant)
    if len(texts) < MIN_SAMPLES:
        raise RatingServiceError("intake_triage.too_few", count=len(texts), needed=MIN_SAMPLES)
    if not any(relevant):
        raise RatingServiceError("intake_triage.no_relevant")
    started = time.perf_counter()
    labels = [c if r else NOT_PROPERTY for c, r in zip(categories, relevant, strict=True)]
    train_at, test_at = _split([str(label) for label in labels], seed)
    if any(relevant[i] for i in train_at):
        held = _fit([texts[i] for i in train_at], [categories[i] for i in train_at],
                    [relevant[i] for i in train_at], seed)
        metrics = evaluate(held, [texts[i] for i in test_at], [categories[i] for i in test_at],
                           [relevant[i] for i in test_at])
    else:  # the split left no property-related ticket to learn from: no held-out numbers
        metrics = evaluate(None, [], [], [])
    model = _fit(texts, categories, relevant, seed)
    metrics.update(n_train=len(train_at), n_test=len(test_at), samples=len(texts),
                   seconds=round(time.perf_counter() - started, 3), calibration=model.calibration, seed=seed)
    return model, metrics


def _prf(truth: Sequence[Any], predicted: Sequence[Any], positive: Any) -> dict[str, float | int]:
    hits = sum(1 for t, p in zip(truth, predicted, strict=True) if t == positive and p == positive)
    said = sum(1 for p in predicted if p == positive)
    there = sum(1 for t in truth if t == positive)
    precision = hits / said if said else 0.0
    recall = hits / there if there else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": there}


def evaluate(model: Triage | None, texts: Sequence[str], categories: Sequence[str | None],
             relevant: Sequence[bool]) -> dict:
    """How well ``model`` does on labelled tickets.

    - ``relevance``: precision/recall/F1 of "property-related" (relevant_probability >= 0.5) over every ticket,
      ``support`` = the property-related tickets.
    - ``categories``: per category precision/recall/F1/support of the likeliest category over the tickets that are
      property-related in truth (the categories of the truth and of the predictions), ``macro_f1`` their mean F1
      (None without any), ``accuracy`` the share of those tickets whose likeliest category is right.
    - ``n_test``: the tickets evaluated.
    """
    from sklearn.metrics import precision_recall_fscore_support

    relevant = [bool(r) for r in relevant]
    _check(texts, [c if r else None for c, r in zip(categories, relevant, strict=False)], relevant)
    suggestions = model.suggest_many(list(texts)) if model is not None and texts else []
    predicted_relevant = [s.relevant_probability >= 0.5 for s in suggestions]
    rows = [i for i, r in enumerate(relevant) if r]
    truth = [str(categories[i]) for i in rows]
    predicted = [suggestions[i].alternatives[0][0] if suggestions[i].alternatives else "" for i in rows]
    labels = sorted(set(truth) | set(predicted) - {""})
    per_category: dict[str, dict[str, float | int]] = {}
    macro = None
    if labels:
        precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=labels,
                                                                         zero_division=0)
        for index, label in enumerate(labels):
            per_category[label] = {"precision": round(float(precision[index]), 4),
                                   "recall": round(float(recall[index]), 4), "f1": round(float(f1[index]), 4),
                                   "support": int(support[index])}
        macro = round(float(np.mean(f1)), 4)
    accuracy = round(sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth), 4) if truth else None
    return {"categories": per_category, "macro_f1": macro, "accuracy": accuracy,
            "relevance": _prf(relevant if suggestions else [], predicted_relevant, True), "n_test": len(texts)}
