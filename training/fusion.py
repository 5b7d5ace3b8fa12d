"""Fit the fusion weights on training summaries' questions over the corpus index.

Fusion is reciprocal-rank fusion of the dense, best-sentence, BM25 and title rankings
(`retriever.fusion`); its weights and damping are settings. A coarse grid around the
current settings is scored on a sample of training summaries' questions (right passage
first, then right summary first); the best is reported beside the current settings on
the validation summaries, which decide whether it ships.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

from eval.lay import score
from retriever.search import Retriever
from training.data import split
from training.questions import TrainingQuestion

GRID = {
    "dense_weight": (0.5, 1.0, 1.5),
    "sentence_weight": (0.0, 0.5, 1.0),
    "bm25_weight": (0.5, 1.0),
    "document_weight": (0.0, 0.5, 1.0),
}


def fit_fusion(questions: list[TrainingQuestion], retriever: Retriever, n: int = 500) -> dict:
    """Grid-search the fusion weights; return the current and best settings with figures."""
    known = {c.doc_id for c in retriever.chunks}
    train, valid = split(questions, known)
    rng = random.Random(3)
    train = rng.sample(train, min(n, len(train)))
    valid = rng.sample(valid, min(n, len(valid)))
    base = replace(retriever.settings, abstain_threshold=-1e9)
    current = {k: getattr(base, k) for k in GRID}

    def run(weights: dict, qs) -> dict:
        return score(qs, retriever.with_settings(replace(base, **weights)))["all"]

    results = []
    for values in itertools.product(*GRID.values()):
        weights = dict(zip(GRID, values))
        r = run(weights, train)
        results.append(((r["passage@1"], r["summary@1"]), weights, r))
    results.sort(key=lambda t: t[0], reverse=True)
    best = results[0][1]
    report = {"current": current, "best": best,
              "train_current": run(current, train), "train_best": results[0][2],
              "validation_current": run(current, valid), "validation_best": run(best, valid)}
    return report
