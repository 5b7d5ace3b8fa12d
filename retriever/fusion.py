"""Stages 3 to 5 of a search, as pure functions over chunk row ids: fuse the rankings,
adjust the fused scores, select the passages to show."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np


def rrf(rankings: Sequence[Sequence[int]], weights: Sequence[float], k: int = 60) -> dict[int, float]:
    """Fuse ranked lists of ids: each list adds ``weight / (k + rank)`` (rank from 1) to its ids.

    Args:
        rankings: Best-first id lists, one per retriever.
        weights: One weight per list.
        k: Damping constant; 60 is the value of Cormack et al. (2009).

    Returns:
        Fused score per id (higher is better), in order of first appearance.
    """
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        if weight == 0:
            continue
        for rank, idx in enumerate(ranking, 1):
            fused[idx] = fused.get(idx, 0.0) + weight / (k + rank)
    return fused


def _arrays(fused: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """The candidates' rows and scores, in the dict's order, for the numpy adjustments."""
    return (np.fromiter(fused, dtype=np.int64, count=len(fused)),
            np.fromiter(fused.values(), dtype=np.float64, count=len(fused)))


def add_document_ranks(fused: dict[int, float], doc_ranks: np.ndarray, chunk_doc: np.ndarray,
                       weight: float, k: int) -> dict[int, float]:
    """Give each passage ``weight / (k + rank)`` of its document in a document ranking.

    Questions name their subject ("adult Hodgkin lymphoma"); passages rarely repeat it, so
    on a many-document index the document the question names lifts all its passages.
    """
    ids, scores = _arrays(fused)
    return dict(zip(fused, (scores + weight / (k + doc_ranks[chunk_doc[ids]])).tolist()))


def adjust(fused: dict[int, float], factors: Sequence[tuple[np.ndarray, float]]) -> dict[int, float]:
    """Multiply the score of each passage flagged in a mask by that mask's factor, in order.

    The masks are per chunk row: boilerplate or outline passages (demoted unless nothing
    specific competes), childhood passages for a question that names no child.
    """
    ids, scores = _arrays(fused)
    for mask, factor in factors:
        scores = np.where(mask[ids], scores * factor, scores)
    return dict(zip(fused, scores.tolist()))


def lift(scores: dict[int, float], tiers: dict[int, int]) -> dict[int, float]:
    """``scores`` with higher tiers above lower ones (absent: tier 0), each tier in its own
    order: a quoting search shows first the passages holding the most of what it asks for."""
    tiers = {i: t for i, t in tiers.items() if t and i in scores}
    if not tiers:
        return scores
    gap = max(scores.values()) - min(scores.values()) + 1.0
    return {i: s + gap * tiers.get(i, 0) for i, s in scores.items()}


def include(scores: dict[int, float], rows: list[int]) -> dict[int, float]:
    """``scores`` with ``rows`` not among them added below every candidate, in their order:
    passages a quoted phrase must bring in though the fused rankings left them out."""
    missing = [i for i in rows if i not in scores]
    if not missing:
        return scores
    floor = min(scores.values(), default=0.0) - 1.0
    return {**scores, **{i: floor - n * 1e-3 for n, i in enumerate(missing)}}


def best_first(fused: dict[int, float]) -> list[int]:
    """Ids by fused score, best first; ties keep the order the rankings proposed them in."""
    return sorted(fused, key=lambda i: -fused[i])


def select(order: Sequence[int], keys: Sequence[Hashable], k: int, shown: Iterable[Hashable] = ()) -> list[int]:
    """The first ``k`` ids of ``order`` whose key (folded text) was not shown already, above
    them or among ``shown``."""
    chosen: list[int] = []
    seen: set = set(shown)
    for idx in order:
        if keys[idx] in seen:
            continue
        seen.add(keys[idx])
        chosen.append(idx)
        if len(chosen) == k:
            break
    return chosen
