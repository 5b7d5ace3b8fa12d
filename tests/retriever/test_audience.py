"""Adult and childhood summaries of the same cancer in one index (needs the embedding model)."""

from dataclasses import replace

import pytest

from ingest.indexing import build_index
from retriever.search import Retriever

pytestmark = pytest.mark.model

BODY = """# {title}

## General Information About Wilms Tumor

Wilms tumor is a disease in which cancer cells form in the kidney. {extra}

## Treatment Option Overview

Surgery, chemotherapy and radiation therapy are used to treat Wilms tumor.
"""


def _doc(title: str, slug: str, extra: str) -> str:
    return (f"---\ntitle: {title}\nurl: https://www.cancer.gov/types/kidney/patient/{slug}\n"
            f"cancerTypes:\n- kidney\n---\n" + BODY.format(title=title, extra=extra))


@pytest.fixture(scope="module")
def two_audiences(tmp_path_factory, settings, embedder):
    docs = tmp_path_factory.mktemp("audience") / "docs"
    docs.mkdir()
    (docs / "adult.md").write_text(_doc("Wilms Tumor Treatment", "adult-wilms-treatment-pdq",
                                        "It is found in grown-ups."))
    (docs / "child.md").write_text(_doc("Childhood Wilms Tumor Treatment", "child-wilms-treatment-pdq",
                                        "This is how Wilms tumor is treated."))
    index = docs.parent / "index"
    build_index(docs, index, settings, embedder=embedder, progress=False)
    return Retriever.load(index, settings, embedder=embedder)


def test_a_question_naming_no_child_gets_the_adult_summary(two_audiences):
    fused = two_audiences.with_settings(replace(two_audiences.settings, ranker=False))
    for retriever in (two_audiences, fused):
        hit = retriever.search("how is Wilms tumor treated?", k=1).hits[0]
        assert hit.chunk.doc_id.endswith("adult")
    # without the audience rule the childhood text, closer in words, would come first
    even = fused.with_settings(replace(fused.settings, childhood_weight=1.0))
    assert even.search("how is Wilms tumor treated?", k=1).hits[0].chunk.doc_id.endswith("child")


def test_a_question_naming_an_adult_gets_every_adult_passage_first(two_audiences):
    """Even where the scores favour the childhood summary: the ranker had put it first for
    MedQuAD's "How to diagnose Adult Acute Lymphoblastic Leukemia"."""
    even = two_audiences.with_settings(replace(two_audiences.settings, ranker=False, childhood_weight=1.0))
    assert even.search("how is Wilms tumor treated?", k=1).hits[0].chunk.doc_id.endswith("child")
    for retriever in (even, two_audiences):
        hits = retriever.search("how is Wilms tumor treated in adults?", k=4).hits
        childhood = [h.chunk.doc_id.endswith("child") for h in hits]
        assert any(childhood) and childhood == sorted(childhood)
    # a parent who gives an age is read as an adult, but names no adults: no lift
    assert even.search("I'm 38, how is Wilms tumor treated?", k=1).hits[0].chunk.doc_id.endswith("child")
    # a quoted phrase comes before the audience: passages holding it first, adult ones first among them
    hits = even.search('"radiation therapy" Wilms tumor in adults', k=4).hits
    holds = ["radiation therapy" in h.chunk.text for h in hits]
    assert holds == sorted(holds, reverse=True) and hits[0].chunk.doc_id.endswith("adult")


def test_a_question_naming_a_child_gets_the_childhood_summary(two_audiences):
    hit = two_audiences.search("how is Wilms tumor treated in my daughter? she is a child", k=1).hits[0]
    assert hit.chunk.doc_id.endswith("child")


def test_the_rankers_document_signals_on_two_summaries(two_audiences):
    """Which document the question names, its best passage and its share of the candidates."""
    import numpy as np

    from retriever.ranker import FEATURES, signal_features

    sig = two_audiences.signals("how is childhood Wilms tumor treated?")
    ids, X = signal_features(two_audiences, sig, two_audiences.fuse(sig, "hybrid"), two_audiences.reranker.translation)
    col = {name: X[:, j] for j, name in enumerate(FEATURES)}
    child = np.array([two_audiences.chunks[i].doc_id.endswith("child") for i in ids])
    assert child.any() and (~child).any()
    assert (col["document_title"][child] == 1).all() and (col["document_title"][~child] == 0.5).all()
    for side in (child, ~child):
        assert np.allclose(col["document_margin"][side], col["dense"][side].max() - col["dense"].max())
        assert np.allclose(col["document_share"][side], side.mean())


@pytest.mark.parametrize("question, childhood_named_adult, adult_named_child", [
    ("my husband, 58, has Wilms tumor: how is it treated?", True, False),
    ("our 6-year-old has Wilms tumor: how is it treated?", False, True),
    ("how is Wilms tumor treated?", False, False),
])
def test_the_rankers_audience_signals(two_audiences, question, childhood_named_adult, adult_named_child):
    """A named adult marks the childhood passages, a named child the others; naming nobody, neither."""
    import numpy as np

    from retriever.ranker import FEATURES, signal_features

    sig = two_audiences.signals(question)
    ids, X = signal_features(two_audiences, sig, two_audiences.fuse(sig, "hybrid"), two_audiences.reranker.translation)
    col = {name: X[:, j].astype(bool) for j, name in enumerate(FEATURES)}
    child = np.array([two_audiences.chunks[i].doc_id.endswith("child") for i in ids])
    assert child.any() and (~child).any()
    assert (col["childhood_for_named_adult"] == (child & childhood_named_adult)).all()
    assert (col["adult_for_named_child"] == (~child & adult_named_child)).all()
    assert (col["childhood_for_adult"] == (child & (not adult_named_child))).all()


def test_a_ranker_bound_to_another_index_reads_the_table_over_that_index(two_audiences, seed_index, settings,
                                                                          embedder):
    """A copy of a retriever over the same index shares the mapped table; one over another
    index maps it again, even once the retriever it was loaded with is gone."""
    import gc

    import numpy as np

    seed = Retriever.load(seed_index, settings, embedder=embedder)
    ranker = seed.reranker
    assert ranker.bound(seed).translation is ranker.translation
    del seed
    gc.collect()
    other = ranker.bound(two_audiences)
    rows = np.arange(len(two_audiences.chunks))
    question = "how is Wilms tumor treated in my belly?"
    assert other.translation.scores(question, rows).tolist() == \
        two_audiences.reranker.translation.scores(question, rows).tolist()
    assert other.bound(two_audiences).translation is other.translation
