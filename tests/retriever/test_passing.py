"""The in-passing check: which refusals it may answer, how it decides, and its shipped file."""

import shutil
from dataclasses import replace

import numpy as np
import pytest

from retriever.abstain import FIGURE, Evidence, Verdict
from retriever.answerable import AnswerCheck, AnswerCheckError
from retriever.embedding import resolve_model
from retriever.passing import (
    EXTRA_FEATURES,
    IN_PASSING,
    cancers_asked,
    confidence_of,
    liftable,
    lifted,
    reading,
    without_topics,
)
from retriever.planning import QueryPlan


def _evidence(topics=("stroke",), best=0.5) -> Evidence:
    return Evidence(best, len(topics), False, False, False, False, 0.8, tuple(topics))


def _vetoed(missing=("stroke",), topics=("stroke",)) -> Verdict:
    return Verdict(True, 0.0, list(missing), _evidence(topics))


def _check(cut=1.0) -> AnswerCheck:
    question = np.zeros(4, np.float32)
    question[0] = 2.0  # the question's first dimension says "named in passing"
    return AnswerCheck(5.0, question, np.zeros(4, np.float32), -2.5, cut, 0.35)


IN_PASSING_Q, ASKED_Q, PASSAGE = (np.array(v, np.float32) for v in ([1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0]))


def _plan(text="my mum had a stroke, how is her carcinoid treated", topics=("stroke",), cancers=()) -> QueryPlan:
    return QueryPlan(text, text, text.split(), {}, list(topics), [], [], cancers=tuple(cancers))


PLAN = _plan()


@pytest.mark.parametrize("verdict, vetoed", [
    (_vetoed(), True),
    (_vetoed(missing=("stroke", "asthma"), topics=("stroke", "asthma")), True),
    (_vetoed(missing=("stroke", FIGURE)), False),  # a figure asked for is missing too
    (_vetoed(missing=("stroke", "octreotidum")), False),  # a word found nowhere
    (_vetoed(missing=(), topics=()), False),
    (Verdict(False, 0.6, [], _evidence()), False),  # answered already
    (Verdict(True, 0.2, ["stroke"], _evidence()), False),  # under the threshold, not vetoed
    (Verdict(True, 0.0, ["stroke"], None), False),
])
def test_only_a_refusal_for_topics_alone_may_be_answered(verdict, vetoed):
    assert liftable(verdict, PLAN) is vetoed


@pytest.mark.parametrize("plan, other", [
    (_plan("hodgkin lymphoma stages", ("hodgkin",), ("hodgkin",)), ()),  # a cancer-type summary's word
    (_plan("does breast cancer spread to the liver", ("breast",)), ()),  # "<word> cancer" (`cancers_named`)
    (_plan("how is small cell lung cancer treated", ("lung", "lung cancer")), ()),
    (_plan("aromatherapy for nausea", ("aromatherapy",)), ("aromatherapy",)),  # no passage is about it
])
def test_a_cancer_the_question_asks_about_is_never_named_in_passing(plan, other):
    """The validation summaries' near-misses were answered 406 times more of 1,391 when it was."""
    topic = plan.topics[0]
    assert topic in cancers_asked(plan, other)
    verdict = _vetoed(missing=(topic,), topics=(topic,))
    assert not liftable(verdict, plan, other) and lifted(verdict, _check(-100.0), IN_PASSING_Q, PASSAGE, 0.35, plan,
                                                          other) is verdict


def test_a_topic_named_in_passing_is_answered_and_one_asked_about_stays_refused():
    check = _check()  # logit 5 * 0.5 + 2 - 2.5 = 2 in passing, 0 asked about
    answered = lifted(_vetoed(), check, IN_PASSING_Q, PASSAGE, 0.35, PLAN)
    assert not answered.abstained and answered.confidence >= 0.35
    assert answered.missing == ["stroke"]  # the page still says the passages don't mention it
    assert lifted(_vetoed(), check, ASKED_Q, PASSAGE, 0.35, PLAN).abstained


def test_the_threshold_in_force_asks_more_or_less_of_it():
    check = _check()  # in passing: 0.35 + sigmoid(2) - sigmoid(1) = 0.4997
    assert lifted(_vetoed(), check, IN_PASSING_Q, PASSAGE, 0.35, PLAN).confidence == pytest.approx(0.4997, abs=1e-4)
    assert not lifted(_vetoed(), check, IN_PASSING_Q, PASSAGE, 0.45, PLAN).abstained
    assert lifted(_vetoed(), check, IN_PASSING_Q, PASSAGE, 0.55, PLAN).abstained


def test_a_lifted_confidence_stays_on_the_threshold_s_scale_however_sure_the_check_is():
    """A check weighing the cosine little gave confidences up to 4.3 by the answerable check's conversion."""
    check = _check(cut=0.5)
    assert confidence_of(check, 0.5) == pytest.approx(0.35)
    assert confidence_of(check, 50.0) < 0.35 + 0.5 and confidence_of(check, -50.0) > 0.35 - 0.7
    assert confidence_of(check, -1e6) == pytest.approx(0.35 - 0.6225, abs=1e-4)  # no overflow


@pytest.mark.parametrize("verdict", [_vetoed(missing=("stroke", FIGURE)), Verdict(True, 0.2, ["x"], _evidence())])
def test_any_other_refusal_is_left_as_it_is(verdict):
    assert lifted(verdict, _check(cut=-100.0), IN_PASSING_Q, PASSAGE, 0.35, PLAN) is verdict


def test_without_a_check_or_a_passage_nothing_moves():
    verdict = _vetoed()
    assert lifted(verdict, None, IN_PASSING_Q, PASSAGE, 0.35, PLAN) is verdict
    assert lifted(verdict, _check(), IN_PASSING_Q, None, 0.35, PLAN) is verdict


@pytest.mark.parametrize("text, refused", [("¿mi madre tuvo un derrame, cómo se trata?", True),
                                           ("my mum had a stroke, how is it treated", False)])
def test_a_question_not_in_english_stays_refused(text, refused):
    assert lifted(_vetoed(), _check(), IN_PASSING_Q, PASSAGE, 0.35, _plan(text)).abstained is refused


def test_the_shipped_check_loads_for_the_model_s_vectors(tmp_path):
    shutil.copytree(resolve_model("pdq-minilm-l6") + f"/{IN_PASSING.folder}", tmp_path / IN_PASSING.folder)
    check = AnswerCheck.load(tmp_path, 384, files=IN_PASSING)
    assert check.question_weights.shape == check.pair_weights.shape == (384,) and check.confidence_weight > 0
    assert check.extra_weights.shape == (len(EXTRA_FEATURES),)
    assert AnswerCheck.load(tmp_path / "none", 384, files=IN_PASSING) is None  # a model that ships none


def test_a_check_without_the_features_beside_the_vectors_is_refused_with_the_rebuild_command(tmp_path):
    """A check written before `reading` (vectors only) would read a question's topics as nothing."""
    _check().save(tmp_path / IN_PASSING.folder, IN_PASSING)
    with pytest.raises(AnswerCheckError, match=r"0 weights on features beside the vectors where the in-passing "
                                               r"check reads 9; rebuild it with: python -m training passing"):
        AnswerCheck.load(tmp_path, 4, files=IN_PASSING)


def _encode(text: str) -> np.ndarray:
    """A stand-in encoder: a question still about surgery keeps dimension 1; "stroke" is dimension 2."""
    vector = np.array([0.1, float("surgery" in text), float("stroke" in text), 0.0], np.float32)
    return vector / np.linalg.norm(vector)


def test_a_question_is_read_without_its_topics_and_by_where_they_fall():
    assert without_topics("my mum is diabetic, what surgery", ["diabetic"]) == "my mum is , what surgery"
    assert without_topics("does the flu shot change her fluid", ["flu"]) == "does the shot change her fluid"
    assert without_topics("Stroke", ["stroke"]) == "."  # nothing left: still something to encode
    early = reading("my mum had a stroke, what surgery will she need", ("stroke",), _encode("surgery stroke"),
                    _encode("surgery"), _encode)
    late = reading("what surgery helps after a stroke", ("stroke",), _encode("surgery stroke"), _encode("surgery"),
                   _encode)
    named, ending = dict(zip(EXTRA_FEATURES, early)), dict(zip(EXTRA_FEATURES, late))
    assert named["without the topics: passage cosine"] == pytest.approx(1.0)  # what is left is the passage's
    assert named["the topics: passage cosine"] < 0.1 and named["topics missing"] == 1
    assert (named["a topic in the last clause"], ending["a topic in the last clause"]) == (0, 1)
    assert named["where the first topic falls"] < ending["where the first topic falls"]
    inside = reading("our relationship is strained; what surgery does her hip need", ("hip",), _encode("surgery"),
                     _encode("surgery"), _encode)
    assert dict(zip(EXTRA_FEATURES, inside))["where the first topic falls"] > 0.8  # the word, not "relationship"


def test_a_courtesy_after_the_question_or_a_long_preamble_does_not_move_what_is_asked():
    """A review answered "... what tests are used to diagnose her asthma, thanks": "thanks" had
    become the last clause, and every 20 words of worry before a question added 0.59 to its logit."""
    asked = "my wife has a GI carcinoid; what tests are used to diagnose her asthma"
    vectors = (_encode("surgery"), _encode("surgery"), _encode)
    plain, thanked = (dict(zip(EXTRA_FEATURES, reading(text, ("asthma",), *vectors)))
                      for text in (asked, asked + ", thanks", ))
    assert plain["a topic in the last clause"] == thanked["a topic in the last clause"] == 1
    worried = dict(zip(EXTRA_FEATURES, reading("I am so scared " * 30 + asked, ("asthma",), *vectors)))
    assert worried["words / 20"] == 2.0  # 40 words at most
    assert dict(zip(EXTRA_FEATURES, reading("is a 2.5 cm tumour worse with asthma", ("asthma",), *vectors)))[
        "a topic in the last clause"] == 1  # "2.5" does not end a clause


def test_the_check_reads_where_the_topic_falls_and_needs_the_encoder_for_it():
    extra = np.zeros(len(EXTRA_FEATURES), np.float32)
    extra[EXTRA_FEATURES.index("a topic in the last clause")] = -10.0  # the topic ending the question is asked
    check = replace(_check(cut=-1.0), extra_weights=extra)
    early = _plan("my mum had a stroke, what surgery will she need")
    late = _plan("what surgery helps after a stroke")
    assert not lifted(_vetoed(), check, IN_PASSING_Q, PASSAGE, 0.35, early, encode=_encode).abstained
    assert lifted(_vetoed(), check, IN_PASSING_Q, PASSAGE, 0.35, late, encode=_encode).abstained
    with pytest.raises(ValueError, match="give it the encoder"):
        lifted(_vetoed(), check, IN_PASSING_Q, PASSAGE, 0.35, early)


def test_the_seed_answers_a_condition_named_in_passing(seed_retriever):
    """The seed never says "diabetes"; the question asks which operation the tumour needs."""
    query = "my husband has diabetes and they found a neuroendocrine tumor in his appendix, what surgery will he need"
    without = seed_retriever.with_settings(replace(seed_retriever.settings, passing_check=False))
    assert without.search(query).abstained and "diabetes" in without.search(query).missing
    res = seed_retriever.search(query)
    assert not res.abstained and "Appendix" in res.hits[0].chunk.section and "diabetes" in res.missing
    # fitted on the hybrid search's first passage: a dense or keyword search stays refused
    assert seed_retriever.search(query, mode="dense").abstained and seed_retriever.search(query, mode="bm25").abstained


@pytest.mark.parametrize("query", [
    "does being pregnant raise the risk of carcinoid tumors",
    "how is small cell lung cancer treated",
    "I have diabetes, what should I eat",
    "the lump in my testicles has spread to my lungs, what now",
    "does octreotide cause osteoporosis",
    # the second review's shape: the tumour named first, then a section's kind of question about
    # the other thing, answered by a check that read the vectors alone (`passing.reading`)
    "my wife has a GI carcinoid; what tests are used to diagnose her asthma",
    "grandma has a carcinoid tumour in her colon; what follow-up care is needed after her hip surgery",
])
def test_the_seed_still_refuses_a_question_about_what_it_never_names(seed_retriever, query):
    assert seed_retriever.search(query).abstained
