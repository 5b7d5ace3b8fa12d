"""A question's "non" rules out what follows it: as a topic, and as the summaries it names."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from retriever.keyword import DocumentTitles
from retriever.tokenization import negations, words

CORPUS = Path(__file__).resolve().parents[2] / "training" / "corpus"
LYMPHOMA = ("types-lymphoma-patient-adult-hodgkin-treatment-pdq.md",
            "types-lymphoma-patient-adult-nhl-treatment-pdq.md")


def test_the_word_after_non_is_paired_with_the_word_they_make():
    assert negations(words("non-Hodgkin lymphoma or non small cell")) == {"hodgkin": "nonhodgkin",
                                                                        "small": "nonsmall"}
    assert negations(words("nonmelanoma skin cancer")) == {}
    assert negations(words("is it non")) == {}


def _titles() -> DocumentTitles:
    labels = {"hl": "Adult Hodgkin Lymphoma Treatment", "nhl": "Adult Non-Hodgkin Lymphoma Treatment",
              "sclc": "Small Cell Lung Cancer Treatment", "nsclc": "Non-Small Cell Lung Cancer Treatment"}
    return DocumentTitles(["hl", "hl", "nhl", "sclc", "nsclc"], labels)


def test_a_summary_whose_title_holds_the_word_a_question_says_non_to_is_ruled_out():
    titles = _titles()
    assert titles.rule_out("treatment of adult non-hodgkin lymphoma", None).tolist() == [False, False, True, True,
                                                                                          True]
    assert titles.rule_out("non small cell lung cancer stage IV", None).tolist() == [True, True, True, False, True]


def test_a_question_naming_the_word_bare_too_or_ruling_out_everything_left_rules_out_nothing():
    titles = _titles()
    assert titles.rule_out("hodgkin or non-hodgkin, which is worse", None) is None
    assert titles.rule_out("hodgkin lymphoma treatment", None) is None
    only_hodgkin = np.array([True, True, False, False, False])
    assert titles.rule_out("non-hodgkin lymphoma", only_hodgkin) is only_hodgkin  # a filter to the ruled-out one
    assert titles.rule_out("non-hodgkin lymphoma", ~only_hodgkin).tolist() == [False, False, True, True, True]


@pytest.mark.model
def test_a_topic_after_non_is_the_non_kind_the_passages_must_name(seed_retriever):
    """"non-melanoma skin cancer treatment" was refused over the corpus: melanoma was a topic
    its skin cancer passages lack."""
    assert seed_retriever.plan("non-melanoma skin cancer treatment").topics[0] == "nonmelanoma"
    assert "hodgkin" not in seed_retriever.plan("non-Hodgkin lymphoma").topics
    assert seed_retriever.search("non-Hodgkin lymphoma treatment").abstained  # the seed is about neither


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
    both = lymphoma_retriever.search("hodgkin or non-hodgkin lymphoma, which is worse", k=10)
    assert {h.chunk.doc_id for h in both.hits} == {name[:-3] for name in LYMPHOMA}
