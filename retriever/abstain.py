"""Decide when the documents do not answer a question.

The decision uses the best semantic match between the question and any passage or
sentence among the top candidates. A wrong passage shown to a worried patient costs
more than an honest "not covered", so the threshold is calibrated on question sets with
out-of-scope items (see README, "Abstention").
"""

from __future__ import annotations


def confidence(best_chunk_cosine: float, best_sentence_cosine: float) -> float:
    """One number in [-1, 1]: how well the best passage matches the question."""
    return max(best_chunk_cosine, best_sentence_cosine)


def should_abstain(conf: float, threshold: float) -> bool:
    return conf < threshold
