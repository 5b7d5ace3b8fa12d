"""Sentence spans of a passage, and the ones that best answer a query (extractive only)."""

from __future__ import annotations

import re

import numpy as np

from retriever.models import Span

_sentence = re.compile(r"[^\n]+?(?:[.!?](?=\s|$)|$)", re.M)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` offsets of each sentence or list item in ``text``.

    A list item is one span (its marker excluded) even when it has several sentences, so a
    highlight never starts in the middle of an item.
    """
    spans: list[tuple[int, int]] = []
    for m in _sentence.finditer(text):
        start, end = m.start(), m.end()
        segment = text[start:end]
        marker = re.match(r"\s*(?:-|\d+\.)\s+", segment)
        if marker and (start == 0 or text[start - 1] == "\n"):
            start += marker.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= 2:
            spans.append((start, end))
    return spans


def pick_highlights(spans: list[tuple[int, int]], scores: np.ndarray, max_spans: int = 2,
                    rel: float = 0.9, floor: float = 0.25) -> list[Span]:
    """The best-scoring spans: the top one, plus any within ``rel`` of it and over ``floor``.

    Returned in reading order.
    """
    if not spans or scores.size == 0:
        return []
    order = np.argsort(-scores)
    best = float(scores[order[0]])
    chosen = [int(order[0])]
    for j in order[1:max_spans]:
        if float(scores[j]) >= max(best * rel, floor):
            chosen.append(int(j))
    return [Span(int(spans[j][0]), int(spans[j][1])) for j in sorted(chosen)]
