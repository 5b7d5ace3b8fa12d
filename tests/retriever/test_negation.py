"""A question's "non" rules out what follows it: as a topic, and as the summaries it names."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from retriever.health_topics import negated_topics
from retriever.keyword import DocumentTitles
from retriever.models import Filters
from retriever.tokenization import negations, words

CORPUS = Path(__file__).resolve().parents[2] / "training" / "corpus"
LYMPHOMA = ("types-lymphoma-patient-adult-hodgkin-treatment-pdq.md",
            "types-lymphoma-patient-adult-nhl-treatment-pdq.md")


def test_the_word_after_non_is_paired_with_the_word_they_make():
    assert negations(words("non-Hodgkin lymphoma or non small cell")) == {"hodgkin": "nonhodgkin",
                                                                        "small": "nonsmall"}
    assert negations(words("nonmelanoma skin cancer")) == {}
    assert negations(words("is it non")) == {}


def test_a_topic_after_non_is_its_non_kind_where_the_index_writes_that_kind():
    knows = {"nonmelanoma", "melanoma", "skin"}.__contains__
    assert negated_topics(["melanoma"], words("non-melanoma skin cancer treatment"), knows) == ["nonmelanoma"]
    # the index never writes "nonhpv": the topic stays as typed, as before
    assert negated_topics(["hpv"], words("non-HPV throat cancer"), knows) == ["hpv"]
    # named bare too: the question is about both
    assert negated_topics(["melanoma"], words("melanoma and non-melanoma, the difference"), knows) == ["melanoma"]


def _titles() -> DocumentTitles:
    labels = {"hl": "Adult Hodgkin Lymphoma Treatment", "nhl": "Adult Non-Hodgkin Lymphoma Treatment",
              "sclc": "Small Cell Lung Cancer Treatment", "nsclc": "Non-Small Cell Lung Cancer Treatment",
              "si": "Small Intestine Cancer Treatment", "ov": "Childhood Ovarian Cancer Treatment"}
    return DocumentTitles(["hl", "hl", "nhl", "sclc", "nsclc", "si", "ov"], labels)


def test_the_summaries_titled_with_the_words_a_non_kind_takes_bare_are_ruled_out():
    titles = _titles()
    assert titles.kinds == {"nonhodgkin": {"lymphoma"}, "nonsmall": {"cell"}}
    assert titles.rule_out("treatment of adult non-hodgkin lymphoma", None).tolist() == [False, False] + [True] * 5
    assert titles.rule_out("nonhodgkin lymphoma treatment for adults", None).tolist() == [False, False] + [True] * 5
    # "Small Intestine" is no "Small Cell"
    assert titles.rule_out("non small cell lung cancer stage 4", None).tolist() == [True] * 3 + [False] + [True] * 3


def test_a_non_no_title_writes_rules_out_nothing():
    """"cancer" stands bare in nearly every title: ruling those out for "non-cancerous" left a
    child's benign ovarian tumour question without its summary."""
    titles = _titles()
    assert titles.rule_out("how is a non-cancerous ovarian tumor treated in a child", None) is None
    assert titles.rule_out("non-hereditary kidney cancer", None) is None
    assert titles.rule_out("none of it helps", None) is None


def test_a_question_naming_the_word_bare_too_or_ruling_out_everything_left_rules_out_nothing():
    titles = _titles()
    assert titles.rule_out("hodgkin or non-hodgkin, which is worse", None) is None
    assert titles.rule_out("hodgkin lymphoma treatment", None) is None
    only_hodgkin = np.array([True, True] + [False] * 5)
    assert titles.rule_out("non-hodgkin lymphoma", ~only_hodgkin).tolist() == [False, False] + [True] * 5


def test_a_filter_to_the_ruled_out_summaries_alone_leaves_nothing():
    """A code review's "how is non-hodgkin lymphoma treated", filtered to the Hodgkin summary,
    was answered with its treatment passages."""
    only_hodgkin = np.array([True, True] + [False] * 5)
    assert not _titles().rule_out("non-hodgkin lymphoma", only_hodgkin).any()


def test_an_everyday_word_names_the_bare_kind_only_beside_the_word_that_follows_it():
    """"small" is everyday English: a "small tumor" is no "small cell" cancer."""
    titles = _titles()
    kept = titles.rule_out("non-small cell lung cancer with a small tumor, what surgery", None)
    assert kept is not None and kept.tolist() == [True] * 3 + [False] + [True] * 3
    for both in ("small cell or non-small cell, which grows faster", "small and non-small cell lung cancer",
                 "small cells vs non small cell", "small/non-small cell"):
        assert titles.rule_out(both, None) is None, both


@pytest.mark.model
def test_the_seed_refuses_a_non_kind_it_never_names(seed_retriever):
    assert "melanoma" in seed_retriever.plan("non-melanoma skin cancer treatment").topics  # no "nonmelanoma" here
    assert seed_retriever.search("non-Hodgkin lymphoma treatment").abstained


@pytest.fixture(scope="module")
def lymphoma_retriever(tmp_path_factory, settings, embedder):
    """The adult Hodgkin and non-Hodgkin lymphoma summaries, whose titles differ by "Non-"."""
    from ingest.indexing import build_index
    from retriever.search import Retriever

    docs = tmp_path_factory.mktemp("lymphoma") / "docs"
    docs.mkdir()
    for name in LYMPHOMA:
        shutil.copy(CORPUS / name, docs / name)
    build_index(docs, docs.parent / "index", settings, embedder=embedder, progress=False)
    return Retriever.load(docs.parent / "index", settings, embedder=embedder)


@pytest.mark.model
def test_a_question_ruling_out_a_summary_gets_the_other(lymphoma_retriever):
    """The model places "non-Hodgkin" beside "Hodgkin": this found three Hodgkin lymphoma
    treatment passages first."""
    result = lymphoma_retriever.search("treatment of adult non-hodgkin lymphoma", k=5)
    assert not result.abstained
    assert {h.chunk.doc_id for h in result.hits} == {LYMPHOMA[1][:-3]}
    # a word only the ruled-out summary holds, or a quoted phrase, keeps it in the search
    for question in ("do non-Hodgkin lymphomas have Reed-Sternberg cells", 'non-hodgkin "Reed-Sternberg"'):
        assert "Reed-Sternberg" in lymphoma_retriever.search(question, k=3).hits[0].chunk.text
    both = lymphoma_retriever.search("hodgkin or non-hodgkin lymphoma, which is worse", k=10)
    assert {h.chunk.doc_id for h in both.hits} == {name[:-3] for name in LYMPHOMA}


@pytest.mark.model
def test_a_search_filtered_to_the_summary_its_non_rules_out_is_refused(lymphoma_retriever):
    """Filtered to the Hodgkin summary, a non-Hodgkin question has nothing to be answered from,
    and nothing is named as missing: the summary uses "lymphoma". A word only it holds keeps it."""
    hodgkin = Filters(doc_ids=(LYMPHOMA[0][:-3],))
    result = lymphoma_retriever.search("how is non-hodgkin lymphoma treated", filters=hodgkin)
    assert result.abstained and result.withheld == [] and result.missing == []
    kept = lymphoma_retriever.search("do non-Hodgkin lymphomas have Reed-Sternberg cells", k=3, filters=hodgkin)
    assert "Reed-Sternberg" in kept.hits[0].chunk.text


@pytest.mark.model
def test_leaving_out_a_few_summaries_searches_the_vectors_as_unfiltered(lymphoma_retriever, monkeypatch):
    """A "non" leaves out a few summaries: the index's own search, asked for as many more
    passages as are left out, gives what scoring every kept passage exactly gives."""
    from retriever import searchers

    query = lymphoma_retriever.signals("treatment of adult non-hodgkin lymphoma", k=5).query
    assert query.allowed is not None and not query.allowed.all()
    monkeypatch.setattr(searchers, "LEFT_OUT_SHARE", 1)  # any mask: the index's search
    fast = lymphoma_retriever.dense.search(query, 20)
    monkeypatch.setattr(searchers, "LEFT_OUT_SHARE", len(query.allowed) * 10)  # any mask: scored exactly
    exact = lymphoma_retriever.dense.search(query, 20)
    assert fast.ids == exact.ids
    assert np.allclose(fast.scores, exact.scores, atol=1e-5)
    assert all(query.allowed[i] for i in fast.ids)
