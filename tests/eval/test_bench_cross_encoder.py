"""The cross-encoder benchmark's pieces: its candidates, its training pairs, its score."""

import random

import numpy as np

from eval.bench.cross_encoder import Candidates, first_is_answer, pipeline_candidates, training_pairs
from training.questions import TrainingQuestion


def test_pairs_are_the_answer_the_best_wrong_candidates_and_one_drawn_from_the_rest():
    texts = [f"passage {i}" for i in range(8)]
    cands = [Candidates("q", (3, 1, 4, 5, 6, 7), (False, False, True, False, False, False), 4)]
    pairs = training_pairs(cands, texts, negatives=3, rng=random.Random(0))
    assert pairs["query"] == ["q"] * 4
    assert pairs["passage"][:3] == ["passage 4", "passage 3", "passage 1"]
    assert pairs["passage"][3] in {"passage 5", "passage 6", "passage 7"}
    assert pairs["label"] == [1.0, 0.0, 0.0, 0.0]


def test_an_answer_outside_the_candidates_is_still_the_positive():
    cands = [Candidates("q", (0, 1), (False, False), 2)]
    pairs = training_pairs(cands, ["a", "b", "c"], negatives=4, rng=random.Random(0))
    assert pairs["passage"] == ["c", "a", "b"] and pairs["label"] == [1.0, 0.0, 0.0]


def test_first_is_answer_reads_the_shipped_order_or_the_scores():
    cands = [Candidates("q1", (0, 1), (False, True), 1), Candidates("q2", (2, 3), (True, False), 2)]
    assert first_is_answer(cands) == 0.5
    assert first_is_answer(cands, [np.array([0.1, 0.9]), np.array([0.8, 0.2])]) == 1.0
    assert first_is_answer(cands, [np.array([0.9, 0.1]), np.array([0.1, 0.8])]) == 0.0
    assert first_is_answer([]) == 0.0


def test_candidates_are_the_searchs_own_order_and_mark_the_quoted_passage(seed_retriever):
    chunks = seed_retriever.chunks
    quote_of = {c.id: " ".join(c.text.split()[:6]) for c in chunks}
    chunk = next(c for c in chunks if len(c.heading_path) > 2 and not c.shared
                 and sum(quote_of[c.id] in o.text for o in chunks) == 1)
    q = TrainingQuestion(chunk.doc_id, chunk.heading_path[-1], tuple(chunk.heading_path),
                         chunk.heading_path[-1], "search", quote_of[chunk.id])
    [c] = pipeline_candidates(seed_retriever, [q], k=5)
    ids = [chunks[i].id for i in c.chunks]
    shown = [h.chunk.id for h in seed_retriever.search(q.question, k=5).hits]
    assert ids[:len(shown)] == shown  # the search's own order (a refusal shows none)
    assert chunks[c.answer].id == chunk.id
    assert c.answers == tuple(i == chunk.id for i in ids)
