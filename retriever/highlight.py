"""The sentences of a passage that best answer a query (extractive only; spans come from
`retriever.text.sentence_spans`)."""

from __future__ import annotations

import numpy as np

from retriever.models import Span
from retriever.sizes import by_size


def pick_highlights(spans: np.ndarray | list[tuple[int, int]], scores: np.ndarray, text: str = "",
                    size: float | None = None, max_spans: int = 2, rel: float = 0.9, floor: float = 0.25) -> list[Span]:
    """The best-scoring spans: the top one, plus any within ``rel`` of it and over ``floor``;
    given the passage's ``text`` and the question's ``size`` (`QueryPlan.size`), the one
    sentence whose size range holds it comes first (`sizes.by_size`).

    Returned in reading order.
    """
    if len(spans) == 0 or scores.size == 0:
        return []
    scores = by_size(spans, scores, text, size)
    order = np.argsort(-scores)
    best = float(scores[order[0]])
    chosen = [int(order[0])]
    for j in order[1:max_spans]:
        if float(scores[j]) >= max(best * rel, floor):
            chosen.append(int(j))
    return [Span(int(spans[j][0]), int(spans[j][1])) for j in sorted(chosen)]
