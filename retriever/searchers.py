"""Stage 2 of a search: each ranking's candidates, from one common interface.

Every searcher answers ``search(query, k)`` with a `Ranking`, as pyserini's do; the sentence
ranking is the exception that proves the rule: it only rescores the others' candidates
(`SentenceScorer`), which keeps its cost flat as the corpus grows. Fusion
(`retriever.fusion`) reads nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import faiss
import numpy as np

from retriever.keyword import KeywordIndex
from retriever.planning import QueryPlan
from retriever.store import SentenceTable


@dataclass(frozen=True)
class Query:
    """A planned question, its embedding, and the chunks a filter allows (None: all)."""

    plan: QueryPlan
    vector: np.ndarray
    allowed: np.ndarray | None = None


@dataclass(frozen=True)
class Ranking:
    """Chunk row ids, best first, and their scores in the same order."""

    ids: list[int]
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Ranking:
        return cls([], np.zeros(0, dtype=np.float32))


class DenseSearcher:
    """Passages by the cosine of their embedding with the question's (FAISS)."""

    def __init__(self, index: faiss.Index, vectors: np.ndarray):
        self.index = index
        self.vectors = vectors

    def search(self, query: Query, k: int) -> Ranking:
        if query.allowed is None:
            scores, ids = self.index.search(query.vector[None, :], min(k, len(self.vectors)))
            keep = ids[0] >= 0
            return Ranking(ids[0][keep].tolist(), scores[0][keep])
        # A filtered search scores the allowed rows exactly: FAISS cannot skip rows cheaply.
        allowed_ids = np.flatnonzero(query.allowed)
        if not len(allowed_ids):
            return Ranking.empty()
        sims = self.vectors[allowed_ids] @ query.vector
        order = np.argsort(-sims)[:k]
        return Ranking(allowed_ids[order].tolist(), sims[order])


class KeywordSearcher:
    """Passages by BM25 over the question's tokens (bm25s)."""

    def __init__(self, keyword: KeywordIndex):
        self.keyword = keyword

    def search(self, query: Query, k: int) -> Ranking:
        scores = self.keyword.scores(query.plan.tokens)
        if query.allowed is not None:
            scores = np.where(query.allowed, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k else np.zeros(0, dtype=int)
        top = top[np.argsort(-scores[top])]
        top = top[scores[top] > 0]
        return Ranking([int(i) for i in top], scores[top])


@dataclass(frozen=True)
class SentenceScores:
    """Every sentence's cosine with the question, for the candidate chunks only.

    Computed once per search and carried on: the sentence ranking, the highlights and the
    abstention evidence all read these same numbers.
    """

    spans: dict[int, np.ndarray]
    sims: dict[int, np.ndarray]

    def best(self, idx: int) -> float:
        """The chunk's best sentence cosine (-inf for a chunk without sentences)."""
        sims = self.sims.get(idx)
        return float(sims.max()) if sims is not None and sims.size else -np.inf

    def ranking(self, candidates: list[int]) -> Ranking:
        """Candidates by their single best-matching sentence or list item.

        A lay question often matches one line of a passage ("Heartburn.") far better than
        the passage as a whole, whose embedding averages many topics.
        """
        best = np.array([self.best(i) for i in candidates], dtype=np.float32)
        order = [j for j in np.argsort(-best) if np.isfinite(best[j])]
        return Ranking([candidates[j] for j in order], best[order])


class SentenceScorer:
    """Scores the sentences of candidate chunks against the question."""

    def __init__(self, table: SentenceTable):
        self.offsets = table.offsets
        self.spans = table.spans
        # float16 as stored: converting per candidate keeps a corpus index's sentence
        # vectors at half the memory and gives the same float32 products.
        self.vectors = table.vectors

    def score(self, query: Query, candidates: list[int]) -> SentenceScores:
        spans, sims = {}, {}
        for idx in candidates:
            a, b = self.offsets[idx], self.offsets[idx + 1]
            spans[idx] = self.spans[a:b]
            sims[idx] = self.vectors[a:b].astype(np.float32) @ query.vector
        return SentenceScores(spans, sims)
