"""Decide when the documents do not answer a question.

Two signals, both cheap:

* how well the best passage or sentence matches the question (cosine of the embeddings);
* whether the question hinges on a specialised word the documents never use
  ("insulinoma", "everolimus", "mammogram"): a word unknown to the corpus, not a lay word
  the lexicon bridges, not a corrected misspelling, and rare in everyday English
  (Zipf frequency below ``RARE_ZIPF`` in wordfreq).

Each such word lowers the confidence by ``UNKNOWN_TERM_PENALTY`` (at most two count).
Abstaining when the adjusted confidence is under the threshold was calibrated on the
project's question set and the dev set, choosing the threshold that abstains on the most
out-of-scope questions while refusing at most 5% of in-scope ones (README, "Abstention").
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

RARE_ZIPF = 4.0
UNKNOWN_TERM_PENALTY = 0.10
MAX_COUNTED = 2


@lru_cache(maxsize=50_000)
def is_rare(word: str) -> bool:
    return not word.isdigit() and zipf_frequency(word, "en") < RARE_ZIPF


def unknown_terms(words: list[str], vocabulary, bridged: set[str]) -> list[str]:
    """Specialised words of the question that no document uses."""
    return [w for w in dict.fromkeys(words) if w not in vocabulary and w not in bridged and is_rare(w)]


def confidence(best_cosine: float, n_unknown: int) -> float:
    """How well the documents answer the question, roughly in [-1, 1]."""
    return best_cosine - UNKNOWN_TERM_PENALTY * min(n_unknown, MAX_COUNTED)


def should_abstain(conf: float, threshold: float) -> bool:
    return conf < threshold
