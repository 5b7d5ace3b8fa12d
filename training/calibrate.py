"""Fit the abstention model on training summaries; pick its threshold on validation ones.

Answerable examples are training questions asked of the whole corpus, and of their own
summary alone (a one-summary index, like the seed's). Unanswerable ones are near-misses:
questions that name their cancer, asked of the corpus without that cancer's summaries, and
of one unrelated summary alone. The threshold is the highest that refuses at most
``MAX_REFUSED`` of the validation summaries' answerable questions.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np

from retriever.abstain import FEATURES
from retriever.calibration import FILE, Calibration
from retriever.search import Filters, Retriever
from training.data import split
from training.nearmiss import named_summaries
from training.questions import TrainingQuestion

MAX_REFUSED = 0.03
NO_ABSTENTION = -1e9


def examples(questions: list[TrainingQuestion], retriever: Retriever, n: int,
             seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Evidence vectors and labels (1 answerable, 0 not) for up to ``n`` of each kind."""
    rng = random.Random(seed)
    titles = {c.doc_id: c.title for c in retriever.chunks}
    docs = sorted(titles)
    qs = [q for q in questions if q.doc_id in titles]
    rng.shuffle(qs)
    X, y = [], []

    def add(q, filters, label):
        res = retriever.search(q.question, k=5, filters=filters)
        if res.evidence is not None:
            X.append(res.evidence.vector())
            y.append(label)

    for q in qs[:n]:
        add(q, None, 1)
        add(q, Filters(doc_ids=(q.doc_id,)), 1)
    misses = 0
    for q in qs:
        named = named_summaries(q.question, titles)
        if q.doc_id not in named or misses >= n:
            continue
        misses += 1
        add(q, Filters(doc_ids=tuple(d for d in docs if d not in named)), 0)
        add(q, Filters(doc_ids=(rng.choice([d for d in docs if d not in named]),)), 0)
    return np.array(X, dtype=np.float64), np.array(y, dtype=np.int64)


def pick_threshold(conf_answerable: np.ndarray, max_refused: float = MAX_REFUSED) -> float:
    """The highest threshold refusing at most ``max_refused`` of answerable questions."""
    return float(np.quantile(conf_answerable, max_refused, method="lower"))


def calibrate(questions: list[TrainingQuestion], retriever: Retriever, model_dir: Path,
              n: int = 1500) -> dict:
    """Fit, pick the threshold, write ``abstention.json`` into ``model_dir``; return figures."""
    from sklearn.linear_model import LogisticRegression

    retriever = retriever.with_settings(replace(retriever.settings, abstain_threshold=NO_ABSTENTION))
    train, valid = split(questions)
    X, y = examples(train, retriever, n, seed=1)
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(X, y)
    cal = Calibration(FEATURES, tuple(float(w) for w in lr.coef_[0]), float(lr.intercept_[0]), 0.5)
    Xv, yv = examples(valid, retriever, n, seed=2)
    conf = 1.0 / (1.0 + np.exp(-(Xv @ np.array(cal.weights) + cal.bias)))
    threshold = pick_threshold(conf[yv == 1])
    cal = Calibration(cal.features, cal.weights, cal.bias, threshold)
    figures = {"train_examples": int(len(y)), "validation_examples": int(len(yv)),
               "validation_refused": float(np.mean(conf[yv == 1] < threshold)),
               "validation_near_miss_abstained": float(np.mean(conf[yv == 0] < threshold))}
    (model_dir / FILE).write_text(cal.to_json(fitted=figures) + "\n", encoding="utf-8")
    return {"weights": dict(zip(FEATURES, cal.weights)), "bias": cal.bias,
            "threshold": threshold, **figures}
