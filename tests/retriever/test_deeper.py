"""More passages read further down when repeats leave fewer than a search asked for (`retriever/deeper.py`)."""

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from retriever.deeper import fill
from retriever.searchers import FUSED, Ranking, SentenceScores, Signals
from tests.conftest import SEED_DOC

# Rows 0 to 2 and 6 share one text (PDQ's notes, copied into every summary); the others are their own.
FOLDED = ["notes", "a", "notes", "b", "c", "d", "notes"]


def _scores(ids: list[int]) -> SentenceScores:
    return SentenceScores(np.zeros(0, np.float32), {i: (0, 0, 0) for i in ids}, {}, np.zeros((0, 2), np.int64))


def _fake(dense: list[int], bm25: list[int]):
    """A retriever whose rankings read ``dense`` and ``bm25`` as deep as asked, and the signals of a
    first reading that stopped at rows 0 to 2."""
    r = SimpleNamespace(settings=SimpleNamespace(candidates=3, rrf_k=10), folded=FOLDED, chunks=FOLDED,
                        dense=SimpleNamespace(search=lambda q, n: Ranking(dense[:n], np.zeros(min(n, len(dense))))),
                        bm25=SimpleNamespace(search=lambda q, n: Ranking(bm25[:n], np.zeros(min(n, len(bm25))))),
                        sentence_scorer=SimpleNamespace(score=lambda q, ids: _scores(list(ids))))
    sig = Signals(SimpleNamespace(), Ranking([0, 1, 2], np.zeros(3)), Ranking([0], np.zeros(1)),
                  Ranking.empty(), _scores([0, 1, 2]))
    return r, sig, {0: 3.0, 1: 2.0, 2: 1.0}


def test_passages_further_down_fill_what_repeats_left_out_below_every_score():
    r, sig, scores = _fake(dense=[0, 1, 2, 6, 4, 5, 3], bm25=[0, 3, 5])
    chosen, filled, sig2 = fill(r, sig, scores, [0, 1], 4, "hybrid")
    assert chosen == [0, 1, 3, 5]  # 2 and 6 repeat row 0's text; 3 and 5 are in both rankings
    assert max(filled[3], filled[5]) < min(scores.values()) and filled[3] > filled[5]
    assert {3, 5} <= set(sig2.sentences.rows)
    # the first reading's rankings, then the added passages each deeper one holds, in its order
    assert sig2.dense.ids == [0, 1, 2, 5, 3] and sig2.bm25.ids == [0, 3, 5] and len(sig2.dense.scores) == 5


def test_a_search_with_all_it_asked_for_or_nothing_more_to_find_is_left_as_it_was():
    r, sig, scores = _fake(dense=[0, 1, 2], bm25=[0])
    assert fill(r, sig, scores, [0, 1], 2, "hybrid") == ([0, 1], scores, sig)
    assert fill(r, sig, scores, [0, 1], 5, "hybrid") == ([0, 1], scores, sig)  # only repeats below


def test_a_keyword_search_reads_only_its_own_ranking_further():
    r, sig, scores = _fake(dense=[4, 5], bm25=[0, 3])
    chosen, _, _ = fill(r, replace(sig, fused=FUSED["bm25"]), scores, [0, 1], 4, "bm25")
    assert chosen == [0, 1, 3]


@pytest.mark.model
def test_a_summary_copied_twice_still_gives_as_many_passages_as_asked(seed_with):
    """Every passage of the seed has a twin of the same text (ingest refuses a copy of the whole
    text, so the copy ends with a note): a first reading of 50 candidates per ranking left 26
    passages of 40 in dense mode and 25 in keyword mode once repeats were folded."""
    seed = SEED_DOC.read_text(encoding="utf-8")
    copy = seed.replace("title:", "title: Copy of", 1).replace("url: https://www.cancer.gov/",
                                                               "url: https://www.cancer.gov/copy/", 1)
    retriever = seed_with(copy=copy + "\n\n## A note on this copy\n\nThis copy is for a test of repeats.\n")
    for mode in ("hybrid", "dense", "bm25"):
        hits = retriever.search("how is a carcinoid tumor treated", k=40, mode=mode).hits
        texts = [h.chunk.text for h in hits]
        assert len(hits) == 40 and len(set(texts)) == 40, mode
        assert [h.rank for h in hits] == list(range(1, 41)) and all(h.found_by for h in hits), mode
        first = retriever.search("how is a carcinoid tumor treated", k=10, mode=mode).hits
        assert [(h.chunk.id, h.found_by) for h in first] == [(h.chunk.id, h.found_by) for h in hits[:10]], mode
