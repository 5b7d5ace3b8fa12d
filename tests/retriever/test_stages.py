"""The search's stages on the seed index: each one's output, the reranker stage, settings
replaced rather than mutated, related passages for a refused figure question, planning
beside the encoder."""

from __future__ import annotations

import copy
import os
import select
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import FrozenInstanceError, replace

import numpy as np
import pytest

from retriever import fusion
from retriever.keyword import KeywordIndex
from retriever.models import Filters
from retriever.store import Manifest

pytestmark = pytest.mark.model

QUESTION = "what are the signs of a carcinoid tumor in the rectum?"


def test_stages_compose_into_search(seed_retriever):
    sig = seed_retriever.signals(QUESTION, k=5)
    assert sig.dense.ids and sig.bm25.ids and sig.sentence.ids
    assert set(sig.sentence.ids) <= set(sig.dense.ids) | set(sig.bm25.ids)  # rescoring only
    fused = seed_retriever.fuse(sig, "hybrid")
    scores = seed_retriever.rerank(sig, fused, "hybrid")
    assert set(scores) == set(fused) and scores != fused  # the shipped ranker's own scores
    chosen = seed_retriever.order(scores, 5)
    result = seed_retriever.search(QUESTION, k=5)
    assert [h.chunk.id for h in result.hits] == [seed_retriever.chunks[i].id for i in chosen]
    assert [h.score for h in result.hits] == [scores[i] for i in chosen]


def test_term_coverage_is_read_before_the_vector_for_the_ranker(seed_retriever):
    from retriever.ranker import FEATURES, signal_features

    sig = seed_retriever.signals(QUESTION, k=5)
    assert sig.coverage is not None and len(sig.coverage) == len(seed_retriever.chunks)
    assert np.array_equal(sig.coverage, seed_retriever.bm25.keyword.coverage(sig.query.plan.terms))
    translation = seed_retriever.reranker.translation
    ids, rows = signal_features(seed_retriever, sig, seed_retriever.fuse(sig, "hybrid"), translation)
    assert np.array_equal(rows[:, FEATURES.index("coverage")], sig.coverage[ids])
    assert 0 < sig.coverage.max() <= 1 and sig.coverage.min() < sig.coverage.max()
    assert seed_retriever.signals(QUESTION, k=5, mode="dense").coverage is None  # the ranker reads hybrid ones


def test_the_question_s_words_are_read_for_the_ranker_before_the_vector(seed_retriever):
    """The translation signal's scatter over every passage runs beside the encoder; the
    ranker then reads the candidates' columns, the same numbers bit for bit."""
    from retriever.ranker import FEATURES, signal_features

    sig = seed_retriever.signals(QUESTION, k=5)
    assert sig.words is not None and sig.words.likely.shape[1] == len(seed_retriever.chunks)
    translation, fused = seed_retriever.reranker.translation, seed_retriever.fuse(sig, "hybrid")
    ids, rows = signal_features(seed_retriever, sig, fused, translation)
    column = rows[:, FEATURES.index("translation")]
    assert np.array_equal(column, translation.scores(sig.query.plan.dense_text, np.array(ids)))
    assert np.array_equal(signal_features(seed_retriever, replace(sig, words=None), fused, translation)[1], rows)
    # words another table read (training reads each question through its summary's fold's) are not this one's
    other = replace(sig.words, likely=np.ones_like(sig.words.likely), read_by=None)
    assert np.array_equal(signal_features(seed_retriever, replace(sig, words=other), fused, translation)[1], rows)
    assert seed_retriever.signals(QUESTION, k=5, mode="bm25").words is None  # the ranker reads hybrid ones
    unranked = seed_retriever.with_settings(replace(seed_retriever.settings, ranker=False))
    assert unranked.signals(QUESTION, k=5).words is None


def test_without_the_ranker_the_fused_scores_order_the_passages(seed_retriever):
    plain = seed_retriever.with_settings(replace(seed_retriever.settings, ranker=False))
    sig = plain.signals(QUESTION, k=5)
    fused = plain.fuse(sig, "hybrid")
    assert plain.rerank(sig, fused, "hybrid") == fused
    result = plain.search(QUESTION, k=5)
    assert [h.score for h in result.hits] == [fused[i] for i in plain.order(fused, 5)]


class Reverse:
    def rerank(self, sig, fused):
        return {i: -score for i, score in fused.items()}


def test_a_reranker_reorders_before_selection(seed_retriever):
    plain = seed_retriever.with_reranker(None).search(QUESTION, k=3)
    reranked = seed_retriever.with_reranker(Reverse()).search(QUESTION, k=3)
    assert [h.chunk.id for h in reranked.hits] != [h.chunk.id for h in plain.hits]
    assert seed_retriever.reranker is not None  # the shipped model's ranker, untouched


def test_the_keyword_and_dense_modes_keep_their_own_order(seed_retriever):
    flipped = seed_retriever.with_reranker(Reverse())
    for mode in ("bm25", "dense"):
        sig = flipped.signals(QUESTION, k=5, mode=mode)
        fused = flipped.fuse(sig, mode)
        assert flipped.rerank(sig, fused, mode) == fused


def test_settings_are_frozen_and_replaced_not_mutated(seed_retriever):
    with pytest.raises(FrozenInstanceError):
        seed_retriever.settings.rrf_k = 60
    bm25_only = seed_retriever.with_settings(replace(seed_retriever.settings, dense_weight=0.0,
                                                     sentence_weight=0.0, document_weight=0.0))
    assert bm25_only.settings.dense_weight == 0.0 and seed_retriever.settings.dense_weight == 1.0
    sig = bm25_only.signals(QUESTION)
    expected = fusion.best_first(fusion.adjust(fusion.rrf([sig.bm25.ids], [1.0], 10),
                                               [(bm25_only.demoted, 0.5)]))
    assert fusion.best_first(bm25_only.fuse(sig, "hybrid")) == expected


def test_a_refused_figure_question_offers_the_passage_on_its_subject(seed_retriever):
    res = seed_retriever.search("what is the survival rate")
    assert res.abstained and not res.hits and "a figure" in res.missing
    assert [h.chunk.section for h in res.related] == [
        "Certain factors affect prognosis (chance of recovery) and treatment options."]
    for off_topic in ("lung cancer survival rate", "When should adults get the flu vaccine?"):
        other = seed_retriever.search(off_topic)
        assert other.abstained and other.related == []
    assert seed_retriever.search(QUESTION).related == []


def test_the_manifest_is_typed_and_the_keyword_index_builds_itself(seed_index, seed_retriever):
    manifest = Manifest.read(seed_index)
    assert manifest.documents_count == 1 and manifest.chunks_count == len(seed_retriever.chunks)
    assert manifest.backend == seed_retriever.embedder.backend
    assert manifest.encoder_sha256 == seed_retriever.embedder.file_sha256
    entry = manifest.documents["gi-neuroendocrine-tumors-treatment"]
    assert entry.chunks == manifest.chunks_count and entry.title
    rebuilt = KeywordIndex.build(seed_retriever.chunks)
    tokens = seed_retriever.plan("octreotide injection").tokens
    assert (rebuilt.scores(tokens) == seed_retriever.bm25.keyword.scores(tokens)).all()


QUESTIONS = [QUESTION, "how dose octreotide work", "carcinoyd in the lungs", "what is a CT scan",
             '"somatostatin analog" side effects', "how do I treat a cold"]


def _beside(retriever, on: bool):
    other = copy.copy(retriever)
    other.plan_beside = on
    return other


def _same(a, b) -> None:
    assert [(h.chunk.id, h.score) for h in a.hits] == [(h.chunk.id, h.score) for h in b.hits]
    assert (a.abstained, a.confidence, a.corrections) == (b.abstained, b.confidence, b.corrections)


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_planning_beside_the_encoder_finds_what_planning_first_finds(seed_retriever, mode, monkeypatch):
    """The question is encoded as typed while another thread plans it; a question the plan
    rewrites ("carcinoyd", "dose" for "does", a short form) is encoded as planned."""
    from retriever import search

    planned_on = []

    def keyword_half(*args, **kwargs):
        planned_on.append(threading.current_thread().name)
        return beside_half(*args, **kwargs)

    beside_half = search.keyword_half
    monkeypatch.setattr(search, "keyword_half", keyword_half)
    beside, first = _beside(seed_retriever, True), _beside(seed_retriever, False)
    for query in QUESTIONS:
        a, b = beside.signals(query, 5, mode), first.signals(query, 5, mode)
        assert np.array_equal(a.query.vector, b.query.vector)
        assert np.array_equal(a.query.vector, seed_retriever.embedder.encode_query(a.query.plan.dense_text))
        assert (a.dense.ids, a.bm25.ids, a.sentence.ids, a.phrase.ids) == (b.dense.ids, b.bm25.ids, b.sentence.ids,
                                                                           b.phrase.ids)
        _same(beside.search(query, 5, mode), first.search(query, 5, mode))
    main = threading.current_thread().name
    assert planned_on[0].startswith("plan") and planned_on[1] == main  # beside, then first


def test_a_filtered_search_planned_beside_reads_its_filter(seed_retriever):
    beside, first = _beside(seed_retriever, True), _beside(seed_retriever, False)
    for filters in (Filters(doc_ids=("gi-neuroendocrine-tumors-treatment",)),
                    Filters(cancer_types=("gi neuroendocrine tumors",))):
        for query in QUESTIONS[:3]:
            _same(beside.search(query, 5, filters=filters), first.search(query, 5, filters=filters))


def test_a_failure_while_planning_beside_reaches_the_caller(seed_retriever, monkeypatch):
    def broken(text):
        raise ValueError("planning failed")

    beside = _beside(seed_retriever, True)
    monkeypatch.setattr(beside, "plan", broken)
    with pytest.raises(ValueError, match="planning failed"):
        beside.search(QUESTION)


def test_a_forked_child_plans_beside_on_threads_of_its_own(seed_retriever):
    """A forked child inherits a pool whose threads it lacks; without a fresh one its first
    search waited forever."""
    beside = _beside(seed_retriever, True)
    expected = [h.chunk.id for h in beside.search(QUESTION).hits]  # the parent's planners have started
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: search, report, leave without running the parent's clean-up
        try:
            ids = [h.chunk.id for h in beside.search(QUESTION).hits]
            os.write(write, ("ok " + " ".join(ids)).encode())
        finally:
            os._exit(0)
    os.close(write)
    ready, _, _ = select.select([read], [], [], 60)
    answer = os.read(read, 65536).decode() if ready else ""
    os.close(read)
    if not ready:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert answer == "ok " + " ".join(expected)


def test_a_loaded_retriever_plans_beside_an_encoder_that_leaves_a_core(seed_index, settings, monkeypatch):
    from retriever import embedding
    from retriever.embedding import get_embedder
    from retriever.search import Retriever

    monkeypatch.setattr(embedding, "_threads", 2)
    loaded = Retriever.load(seed_index, settings)
    assert loaded.plan_beside and loaded.embedder.threads == 1
    every = get_embedder(settings.model, settings.backend, settings.onnx_target, 0)
    assert not Retriever.load(seed_index, settings, embedder=every).plan_beside  # it takes every core
    assert not Retriever.load(seed_index, settings.model_copy(update={"plan_beside": False})).plan_beside
    monkeypatch.setattr(embedding, "_threads", 1)  # a worker's one-core share: nothing to spare
    assert not Retriever.load(seed_index, settings).plan_beside


def test_a_search_while_the_interpreter_shuts_down_plans_on_its_own_thread(seed_retriever, monkeypatch):
    """At exit the pool takes no new task (RuntimeError): a search still under way then plans first."""
    from concurrent.futures import ThreadPoolExecutor

    from retriever import beside

    closed = ThreadPoolExecutor(max_workers=1)
    closed.shutdown()
    monkeypatch.setattr(beside, "_pool", closed)
    _same(_beside(seed_retriever, True).search(QUESTION), _beside(seed_retriever, False).search(QUESTION))


def test_first_searches_on_several_threads_share_one_planning_pool(monkeypatch):
    """A code review made eight pools from eight first searches at once, the pool's making slowed."""
    import retriever.beside as beside
    made = []

    class Slow(ThreadPoolExecutor):
        def __init__(self, *args, **kwargs):
            time.sleep(0.05)
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(beside, "ThreadPoolExecutor", Slow)
    monkeypatch.setattr(beside, "_pool", None)
    with ThreadPoolExecutor(8) as searches:
        pools = list(searches.map(lambda _: beside._planners(), range(8)))
    made[0].shutdown()
    assert len(made) == 1 and all(pool is made[0] for pool in pools)
