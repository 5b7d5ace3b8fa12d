"""Correct misspelled query words against the corpus's own vocabulary (rapidfuzz).

Only words the corpus has never seen are candidates, so correct spellings are never
touched; a candidate must be at least ``MIN_LEN`` letters and match a corpus word closely.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from rapidfuzz import fuzz, process

from retriever.tokenization import STOPWORDS

MIN_LEN = 5


class Speller:
    """Vocabulary of the corpus's surface words, bucketed by length for quick look-up.

    Args:
        counts: How often each surface word occurs in the corpus.
        min_score: rapidfuzz ratio (0-100) a correction must reach.
    """

    def __init__(self, counts: Counter, min_score: float = 85.0):
        self.counts = counts
        self.min_score = min_score
        self._by_len: dict[int, list[str]] = defaultdict(list)
        for w in counts:
            if len(w) >= MIN_LEN - 1 and w.isalpha():
                self._by_len[len(w)].append(w)

    def correct(self, word: str) -> str | None:
        """The corpus word closest to ``word``, or None when it is known or nothing is close."""
        if word in self.counts or word in STOPWORDS or len(word) < MIN_LEN or not word.isalpha():
            return None
        pool = [w for n in range(len(word) - 2, len(word) + 3) for w in self._by_len.get(n, ())]
        matches = process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=self.min_score, limit=5)
        if not matches:
            return None
        best = max(matches, key=lambda m: (m[1], self.counts[m[0]]))
        return best[0]
