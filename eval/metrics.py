"""IR metrics from ir-measures (trec_eval's definitions), plus abstention rates and latency."""

from __future__ import annotations

import math
from collections.abc import Sequence

import ir_measures
from ir_measures import RR, R, Success, nDCG

MEASURES = [Success @ 1, Success @ 3, Success @ 5, Success @ 10, RR @ 10, nDCG @ 10, R @ 10]
NAMES = {str(m): name for m, name in zip(
    MEASURES, ["Hit@1", "Hit@3", "Hit@5", "Hit@10", "MRR@10", "nDCG@10", "Recall@10"])}
NO_RESULT = "__no_result__"


def ir_metrics(qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]],
               k: int = 10) -> dict[str, float]:
    """Aggregate metrics over the questions in ``qrels``, those cut off at ``k`` or fewer
    passages (with 1 retrieved, "Hit@5" would only repeat Hit@1 under another name).

    A question with an empty run (the retriever abstained) is given one non-relevant
    placeholder result so it counts as a miss instead of being dropped.
    """
    measures = [m for m in MEASURES if m.params["cutoff"] <= k]
    if not qrels:
        return {}
    run = {qid: (run.get(qid) or {NO_RESULT: 0.0}) for qid in qrels}
    agg = ir_measures.calc_aggregate(measures, qrels, run)
    return {NAMES[str(m)]: float(agg.get(m, 0.0)) for m in measures}


def per_question_rr(qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]]) -> dict[str, float]:
    run = {qid: (run.get(qid) or {NO_RESULT: 0.0}) for qid in qrels}
    return {m.query_id: float(m.value) for m in ir_measures.iter_calc([RR @ 10], qrels, run)}


def share(flags: Sequence[bool]) -> float:
    """The share of ``flags`` that are true (questions refused, abstained); NaN for none."""
    return sum(flags) / len(flags) if len(flags) else math.nan


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0-100): always a value that was measured; NaN for
    no values. The project's own timings all use it (wrk reports its own histogram's)."""
    if len(values) == 0:
        return math.nan
    ordered = sorted(float(v) for v in values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def latency(ms: Sequence[float]) -> dict[str, float]:
    """p50 and p95 of some timings in milliseconds (0 for none)."""
    if len(ms) == 0:
        return {"p50_ms": 0.0, "p95_ms": 0.0}
    return {"p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95)}
