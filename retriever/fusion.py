"""Reciprocal rank fusion of ranked candidate lists."""

from __future__ import annotations

from collections.abc import Sequence


def rrf(rankings: Sequence[Sequence[int]], weights: Sequence[float], k: int = 60) -> dict[int, float]:
    """Fuse ranked lists of ids: each list adds ``weight / (k + rank)`` (rank from 1) to its ids.

    Args:
        rankings: Best-first id lists, one per retriever.
        weights: One weight per list.
        k: Damping constant; 60 is the value of Cormack et al. (2009).

    Returns:
        Fused score per id (higher is better).
    """
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        if weight == 0:
            continue
        for rank, idx in enumerate(ranking, 1):
            fused[idx] = fused.get(idx, 0.0) + weight / (k + rank)
    return fused
