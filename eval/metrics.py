"""IR metrics from ir-measures (trec_eval's definitions), plus abstention rates and latency."""

from __future__ import annotations

import ir_measures
import numpy as np
from ir_measures import RR, R, Success, nDCG

MEASURES = [Success @ 1, Success @ 3, Success @ 5, Success @ 10, RR @ 10, nDCG @ 10, R @ 10]
NAMES = {str(m): name for m, name in zip(
    MEASURES, ["Hit@1", "Hit@3", "Hit@5", "Hit@10", "MRR@10", "nDCG@10", "Recall@10"])}
NO_RESULT = "__no_result__"


def ir_metrics(qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]]) -> dict[str, float]:
    """Aggregate metrics over the questions in ``qrels``.

    A question with an empty run (the retriever abstained) is given one non-relevant
    placeholder result so it counts as a miss instead of being dropped.
    """
    if not qrels:
        return {}
    run = {qid: (run.get(qid) or {NO_RESULT: 0.0}) for qid in qrels}
    agg = ir_measures.calc_aggregate(MEASURES, qrels, run)
    return {NAMES[str(m)]: float(agg.get(m, 0.0)) for m in MEASURES}


def per_question_rr(qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]]) -> dict[str, float]:
    run = {qid: (run.get(qid) or {NO_RESULT: 0.0}) for qid in qrels}
    return {m.query_id: float(m.value) for m in ir_measures.iter_calc([RR @ 10], qrels, run)}


def latency(ms: list[float]) -> dict[str, float]:
    if not ms:
        return {"p50_ms": 0.0, "p95_ms": 0.0}
    a = np.asarray(ms)
    return {"p50_ms": float(np.percentile(a, 50)), "p95_ms": float(np.percentile(a, 95))}
