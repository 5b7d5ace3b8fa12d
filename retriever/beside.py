"""Stage 1 and the keyword half of stage 2, beside the encoder: a question is planned and
searched by keywords on a thread of its own while the encoder embeds it as typed.

Encoding is most of a search, and onnxruntime lets go of the GIL while the network runs, so
the planning (spelling, short forms, the lexicon), the BM25, phrase and title searches and
the ranker's term coverage, which need no vector, cost no time when a core is spare
(`embedding.search_threads`). 283 of the 326 questions of the held-out and fresh 1-3 sets
are embedded as typed; for the others, the planning thread encodes the planned text as soon
as it has it, so a rewritten question waits for planning plus one encoding, not two. An A/B
in one process over the fresh set (docs/benchmarks.md, "Planning beside the encoder"):
search p50 2.91 -> 2.65 ms on the corpus, 2.31 -> 2.22 on the seed, every result the same.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from retriever.embedding import Embedder
from retriever.models import Filters
from retriever.ranker import LearnedRanker
from retriever.searchers import Query, Ranking, allowed_rows
from retriever.translation import QuestionWords

if TYPE_CHECKING:
    from retriever.search import Retriever

# As many threads as the service runs searches at once (`service.state`: at most 8), so that
# no search waits for another's planning; started when first needed.
PLANNERS = 8
_pool: ThreadPoolExecutor | None = None
_making = threading.Lock()
# The most passages holding a question's rarest word that all join the candidates: a drug or
# test name stands in a handful ("oxaliplatin": 4 of the corpus's 7,890), a common word in many.
RARE_ROWS = 10


def _planners() -> ThreadPoolExecutor:
    """The pool, made once: under a lock, as first searches on several threads at once each
    made their own (a code review); every later search reads it without taking the lock."""
    global _pool
    if (pool := _pool) is not None:
        return pool
    with _making:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=PLANNERS, thread_name_prefix="plan")
        return _pool


def _forget_planners() -> None:
    """In a forked child: the parent's threads are not there, and a pool that counts them
    as idle would never run a task; nor is a lock one of them held."""
    global _pool, _making
    _pool, _making = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_planners)


@dataclass(frozen=True)
class KeywordHalf:
    """What a search knows without the question's vector.

    Attributes:
        query: The planned question; its vector None while the encoder embeds it elsewhere.
        bm25: The BM25 ranking (empty in dense mode).
        phrase: Passages holding the quoted phrases.
        documents: Every document's title rank (hybrid only; None when no word names one).
        coverage: Every passage's share of the question's terms (hybrid only: the ranker's).
        rare: The passages holding its rarest word, when few do (hybrid only; `KeywordSearcher.rare`).
        crisis_words: The crisis check's words reader flags the question as typed (`retriever.crisis_words`).
        words: The planned question's words given every passage, as the learned ranker reads
            them (hybrid with the ranker only; `IndexTranslation.read`).
    """

    query: Query
    bm25: Ranking
    phrase: Ranking
    documents: np.ndarray | None
    coverage: np.ndarray | None
    rare: list[int] = field(default_factory=list)
    crisis_words: bool = False
    words: QuestionWords | None = None


def keyword_half(retriever: Retriever, text: str, n: int, mode: str, filters: Filters | None,
                 encoding: str | None = None) -> KeywordHalf:
    """Plan ``text`` and run what needs no vector. The query's vector is None when its planned
    text is ``encoding``, which the encoder is embedding meanwhile (`plan_beside`); otherwise
    the planned text is encoded here."""
    r = retriever
    allowed = allowed_rows(filters, r.doc_ids, r.cancer_types)
    plan = r.scope.narrow(r.plan(text), allowed, r.planner.speller.looks_misspelled)
    q = Query(plan, None, _ruled_out(r, plan, allowed))
    bm25 = r.bm25.search(q, n) if mode != "dense" else Ranking.empty()
    phrase = r.phrase.search(q, n) if plan.phrases else Ranking.empty()
    documents = r.titles.ranks(plan.tokens) if mode == "hybrid" else None
    coverage = r.bm25.keyword.coverage(plan.terms) if mode == "hybrid" else None
    vector = None if plan.dense_text == encoding else r.embedder.encode_query(plan.dense_text)
    rare = r.bm25.rare(q, RARE_ROWS) if mode == "hybrid" else []
    words = ranker_words(r, plan.dense_text) if mode == "hybrid" else None
    return KeywordHalf(replace(q, vector=vector), bm25, phrase, documents, coverage, rare, crisis_words(r, text), words)


def ranker_words(r: Retriever, text: str) -> QuestionWords | None:
    """What the learned ranker's translation signal reads of ``text`` over every passage: read
    here, it leaves the search only a gather of the candidates' columns (the ranker stage 0.50
    -> 0.24 ms on the seed, 0.51 -> 0.38 on the corpus; docs/benchmarks.md, "Latency")."""
    ranker = r.reranker if r.settings.ranker else None
    return ranker.translation.read(text) if isinstance(ranker, LearnedRanker) else None


def crisis_words(r: Retriever, text: str) -> bool:
    """Whether the crisis check's words reader flags ``text``: it needs no vector, and read
    here it costs a search nothing (0.07 ms after the encoder, where every stage starts cold)."""
    check = r.crisis if r.settings.crisis_check else None
    return check is not None and check.reads_words(text)


def _ruled_out(r: Retriever, plan, allowed: np.ndarray | None) -> np.ndarray | None:
    """``allowed`` less the summaries the question's "non" rules out (`DocumentTitles.rule_out`),
    unless it quotes a phrase or some word of it only they hold in the whole index: "do
    non-Hodgkin lymphomas have Reed-Sternberg cells" is answered by the Hodgkin summaries alone,
    filtered to them or not."""
    kept = r.titles.rule_out(plan.dense_text, allowed)
    if kept is allowed or plan.phrases:
        return allowed
    everywhere = kept if allowed is None else r.titles.rule_out(plan.dense_text, None)
    for token in dict.fromkeys(plan.tokens) if everywhere is not None else ():
        rows = r.bm25.keyword.postings(token)
        if len(rows) and not everywhere[rows].any() and (allowed is None or allowed[rows].any()):
            return allowed
    return kept


def plan_beside(embedder: Embedder, text: str, lexical: Callable[..., KeywordHalf]) -> KeywordHalf:
    """``lexical(encoding=text)`` (`keyword_half`) run on a planning thread while ``embedder``
    encodes ``text``; its query gets that vector unless it was planned into another text,
    which ``lexical`` encoded itself."""
    try:
        planned = _planners().submit(lexical, encoding=text)
    except RuntimeError:  # the interpreter is shutting down and takes no new threads: plan here
        return lexical()
    typed = embedder.encode_query(text)
    half = planned.result()
    return half if half.query.vector is not None else replace(half, query=replace(half.query, vector=typed))
