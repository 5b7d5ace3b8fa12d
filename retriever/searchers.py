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
from retriever.models import Filters
from retriever.planning import QueryPlan
from retriever.store import SentenceTable
from retriever.text import fold
from retriever.tokenization import holds_phrase, tokenize
from retriever.translation import QuestionWords

FUSED = {"hybrid": ("dense", "sentence", "bm25"), "dense": ("dense", "sentence"), "bm25": ("bm25",)}  # in RRF order


@dataclass(frozen=True)
class Query:
    """A planned question, its embedding, and the chunks a filter allows (None: all).

    The keyword searchers read the plan alone: they run before the vector is known (None).
    """

    plan: QueryPlan
    vector: np.ndarray | None
    allowed: np.ndarray | None = None


def allowed_rows(filters: Filters | None, doc_ids: np.ndarray, cancer_types: list[set[str]]) -> np.ndarray | None:
    """The chunks ``filters`` allow, as a mask over rows (None: no filter, all)."""
    if not filters or not (filters.doc_ids or filters.cancer_types):
        return None
    mask = np.ones(len(doc_ids), dtype=bool)
    if filters.doc_ids:
        mask &= np.isin(doc_ids, list(filters.doc_ids))
    if filters.cancer_types:
        wanted = {t.lower() for t in filters.cancer_types}
        mask &= np.array([bool(types & wanted) for types in cancer_types], dtype=bool)
    return mask


@dataclass(frozen=True)
class Ranking:
    """Chunk row ids, best first, and their scores in the same order."""

    ids: list[int]
    scores: np.ndarray

    @classmethod
    def empty(cls) -> Ranking:
        return cls([], np.zeros(0, dtype=np.float32))


# A search leaving out at most 1/LEFT_OUT_SHARE of the passages (the summaries a "non" rules
# out: "non-Hodgkin" leaves out 2 of 169) asks the index for as many more and drops them: the
# exact scoring of the rest, kept for filters to a few summaries, took 18 ms against 3.6 on the corpus.
LEFT_OUT_SHARE = 10


class DenseSearcher:
    """Passages by the cosine of their embedding with the question's (FAISS)."""

    def __init__(self, index: faiss.Index, vectors: np.ndarray):
        self.index = index
        self.vectors = vectors

    def search(self, query: Query, k: int) -> Ranking:
        left_out = 0 if query.allowed is None else len(query.allowed) - int(query.allowed.sum())
        if left_out <= max(k, len(self.vectors) // LEFT_OUT_SHARE):  # none or few: the index's search
            scores, ids = self.index.search(query.vector[None, :], min(k + left_out, len(self.vectors)))
            keep = (ids[0] >= 0) & (True if query.allowed is None else query.allowed[np.maximum(ids[0], 0)])
            return Ranking(ids[0][keep][:k].tolist(), scores[0][keep][:k])
        # A filter to a few summaries scores their rows exactly: FAISS cannot skip rows cheaply.
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

    def rare(self, query: Query, most: int) -> list[int]:
        """Every passage holding the question's rarest word, when at most ``most`` do.

        Common words outweigh one rare word in BM25's sum: for "oxaliplatin side effects"
        over the corpus, 71 passages saying "side effects" outscored the colon and rectal
        summaries' chemotherapy passages, which list the drug, and neither ranking proposed
        them. These join the candidates, for the ranker to weigh."""
        postings = [self.keyword.postings(t) for t in dict.fromkeys(query.plan.tokens)]
        if query.allowed is not None:  # rarest among the passages the filter leaves
            postings = [p[query.allowed[p]] for p in postings]
        rows = min((p for p in postings if len(p)), key=len, default=np.zeros(0, dtype=np.int64))
        return [int(i) for i in rows] if len(rows) <= most else []


class PhraseSearcher:
    """Passages holding every quoted phrase of the question word for word, by BM25 score.

    A quoted phrase is a must-have, so the passages that hold it join the candidates even
    when neither ranking proposed them (below them, until `fusion.lift` raises every passage
    holding the phrase): for `"fertility" chemotherapy young women` over the corpus, 21 of the
    24 passages saying "fertility" were not among them. Rows with all the phrase's words
    (the keyword index's postings) are read best BM25 score first, until ``k`` hold it, each
    text once: PDQ copies paragraphs into every summary, and 400 holders of "clinical trials"
    were 28 texts, so a search for 50 showed 28 holders and then passages without it (a review).
    """

    def __init__(self, keyword: KeywordIndex, texts: list[str], folded: list[str] | None = None):
        """``folded``: each text as compared for repeats (`text.fold`), when the caller has them."""
        self.keyword = keyword
        self.texts = texts
        self.folded = folded if folded is not None else [fold(t) for t in texts]

    def search(self, query: Query, k: int) -> Ranking:
        phrases = query.plan.phrases
        stems = {t for p in phrases for t in tokenize(p)}
        if not stems or not stems <= self.keyword.vocab.keys():
            return Ranking.empty()
        rows = set.intersection(*(set(self.keyword.postings(t).tolist()) for t in stems))
        if query.allowed is not None:
            rows = {i for i in rows if query.allowed[i]}
        scores = self.keyword.scores(query.plan.tokens) if rows else np.zeros(0, dtype=np.float32)
        top: list[int] = []
        seen: set[str] = set()
        for i in sorted(rows, key=lambda i: (-scores[i], i)):  # a common word: stop at k holders
            if self.folded[i] not in seen and all(holds_phrase(self.texts[i], p) for p in phrases):
                seen.add(self.folded[i])
                top.append(i)
                if len(top) == k:
                    break
        return Ranking(top, scores[top])


@dataclass(frozen=True)
class SentenceScores:
    """Every sentence's cosine with the question, for the candidate chunks only.

    Computed once per search and carried on: the sentence ranking, the highlights and the
    abstention evidence all read these same numbers. ``sims`` holds the candidates'
    sentences one chunk after another; ``rows[idx]`` says where chunk ``idx``'s are in it
    and in the sentence table.
    """

    sims: np.ndarray
    rows: dict[int, tuple[int, int, int]]  # chunk -> (first in sims, first in table, count)
    bests: dict[int, float]  # each chunk's best sentence cosine (absent: no sentences)
    table_spans: np.ndarray

    def best(self, idx: int) -> float:
        """The chunk's best sentence cosine (-inf for a chunk without sentences)."""
        return self.bests.get(idx, -np.inf)

    def best_of(self, ids: list[int]) -> np.ndarray:
        """`best` of each chunk of ``ids``, as one float32 array in their order."""
        get = self.bests.get
        return np.fromiter((get(i, -np.inf) for i in ids), dtype=np.float32, count=len(ids))

    def of(self, idx: int) -> tuple[np.ndarray, np.ndarray]:
        """The chunk's sentence spans (start, end in its text) and their cosines."""
        first, start, n = self.rows[idx]
        return self.table_spans[start:start + n], self.sims[first:first + n]

    def ranking(self, candidates: list[int]) -> Ranking:
        """Candidates by their single best-matching sentence or list item.

        A lay question often matches one line of a passage ("Heartburn.") far better than
        the passage as a whole, whose embedding averages many topics.
        """
        best = self.best_of(candidates)
        # stable: tied passages (a sentence many passages share) keep the order proposed
        order = np.argsort(-best, kind="stable")
        order = order[np.isfinite(best[order])]
        return Ranking([candidates[j] for j in order.tolist()], best[order])


class SentenceScorer:
    """Scores the sentences of candidate chunks against the question."""

    def __init__(self, table: SentenceTable):
        self.offsets = table.offsets
        self.spans = table.spans
        self.vectors = table.vectors  # float32, or float16 for a very large table (`for_search`)

    def score(self, query: Query, candidates: list[int]) -> SentenceScores:
        """One gather and one product for all candidates' sentences (a product per chunk
        cost a tenth of a search on a corpus index)."""
        ids = np.asarray(candidates, dtype=np.int64)
        starts = self.offsets[ids]
        lengths = self.offsets[ids + 1] - starts
        first = np.cumsum(lengths) - lengths  # where each chunk's rows start in the gather
        sims = self.vectors[np.arange(int(lengths.sum())) + np.repeat(starts - first, lengths)
                            ].astype(np.float32, copy=False) @ query.vector
        have = lengths > 0
        maxima = np.maximum.reduceat(sims, first[have]) if have.any() else np.zeros(0, np.float32)
        rows = dict(zip(candidates, zip(first.tolist(), starts.tolist(), lengths.tolist())))
        return SentenceScores(sims, rows, dict(zip(ids[have].tolist(), maxima.tolist())), self.spans)


@dataclass(frozen=True)
class Signals:
    """Stage 2's output: what each ranking says about one query."""

    query: Query
    dense: Ranking
    bm25: Ranking
    sentence: Ranking
    sentences: SentenceScores
    documents: np.ndarray | None = None  # rank of every document by title words (hybrid)
    fused: tuple[str, ...] = FUSED["hybrid"]  # bm25 mode runs dense too (for abstention) but fuses bm25 only
    phrase: Ranking = Ranking.empty()  # passages holding the quoted phrases (`PhraseSearcher`)
    coverage: np.ndarray | None = None  # share of the question's terms each row holds (hybrid: the ranker's)
    crisis_words: bool = False  # the crisis check's words reader flags the question (`retriever.beside`)
    words: QuestionWords | None = None  # its words given every passage, as the ranker reads them (`retriever.beside`)
