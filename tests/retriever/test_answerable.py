"""The answerable check: its files, how it moves a confidence, and what it does to a seed search."""

import json
import shutil
from dataclasses import replace

import numpy as np
import pytest

from retriever.abstain import Verdict
from retriever.answerable import FOLDER, RECORD_FILE, WEIGHTS_FILE, AnswerCheck, AnswerCheckError, checked
from retriever.embedding import resolve_model


def _check(cut=0.0, dims=4, confidence_weight=5.0) -> AnswerCheck:
    question = np.zeros(dims, np.float32)
    question[0] = 2.0  # the question's first dimension raises the logit
    pair = np.zeros(dims, np.float32)
    pair[1] = 4.0  # and so does what question and passage share in the second
    return AnswerCheck(confidence_weight, question, pair, -1.0, cut, 0.34)


def _unit(*values) -> np.ndarray:
    return np.array(values, np.float32)


def test_the_logit_weighs_the_confidence_the_question_and_their_product():
    check = _check()
    assert check.logit(0.2, _unit(1, 0, 0, 0), _unit(0, 0, 0, 0)) == pytest.approx(5 * 0.2 + 2 - 1)
    assert check.logit(0.2, _unit(0, 1, 0, 0), _unit(0, 0.5, 0, 0)) == pytest.approx(1 + 4 * 0.5 - 1)
    assert check.logit(0.2, _unit(0, 0, 1, 0), _unit(0, 0, 1, 0)) == pytest.approx(0.0)  # unweighted dimensions


@pytest.mark.parametrize("confidence", [-0.3, 0.1, 0.3, 0.34, 0.5, 0.9])
@pytest.mark.parametrize("question", [_unit(1, 0, 0, 0), _unit(0, 1, 0, 0), _unit(0, 0, 0, 1)])
def test_the_adjusted_confidence_reaches_the_threshold_exactly_when_the_logit_reaches_the_cut(confidence, question):
    check, passage = _check(cut=1.5), _unit(0, 1, 0, 0)
    adjusted = check.adjust(confidence, question, passage)
    assert (adjusted >= check.threshold) == (check.logit(confidence, question, passage) >= check.cut)
    assert check.adjust(confidence + 0.1, question, passage) > adjusted  # it still rises with it


def test_a_threshold_set_higher_or_lower_still_asks_more_or_less():
    """The threshold in force (PDQ_ABSTAIN_THRESHOLD) must keep deciding with the check on:
    a first version moved every confidence to the threshold in force, so none did."""
    check, question, passage = _check(cut=1.0), _unit(1, 0, 0, 0), _unit(1, 0, 0, 0)
    verdict = Verdict(True, 0.2, [], None)  # logit 2: answered at the check's own threshold
    assert not checked(verdict, check, question, passage, 0.34).abstained
    assert checked(verdict, check, question, passage, 0.6).abstained
    assert not checked(Verdict(True, 0.01, [], None), check, question, passage, -1e9).abstained  # no abstention


def test_a_verdict_is_moved_but_a_veto_stays_refused():
    check, question, passage = _check(cut=1.0), _unit(1, 0, 0, 0), _unit(1, 0, 0, 0)
    low = Verdict(True, 0.2, [], None)  # under the threshold by the hand rule
    moved = checked(low, check, question, passage, 0.34)  # logit 5 * 0.2 + 2 - 1 = 2 >= 1
    assert not moved.abstained and moved.confidence >= 0.34
    vetoed = Verdict(True, 0.0, ["lung"], None)  # a topic the passages never name
    assert checked(vetoed, check, question, passage, 0.34) is vetoed
    assert checked(low, None, question, passage, 0.34) is low  # off, or the model ships none
    assert checked(low, check, question, None, 0.34) is low  # no passage found


def test_one_passage_holding_every_term_keeps_its_floor():
    """A test's name typed alone ("5HIAA") reads unlike a question, and the check would
    lower it under the threshold; one passage holding its every term keeps it answered."""
    from retriever.abstain import Evidence

    check, question, passage = _check(cut=9.0), _unit(0, 0, 0, 1), _unit(0, 0, 0, 1)
    found = Evidence(0.2, 0, False, False, False, True, 1.0)
    floored = Verdict(False, 0.40, [], found)
    assert checked(floored, check, question, passage, 0.34).confidence == 0.40
    lacking = Verdict(False, 0.40, ["a figure"], found)  # something missing: no floor to keep
    assert checked(lacking, check, question, passage, 0.34).abstained


@pytest.mark.parametrize("text, kept", [("类癌综合征是什么", True), ("¿cuáles son los síntomas del tumor?", True),
                                        ("what are the symptoms", False)])
def test_a_question_not_in_english_keeps_the_hand_rule_s_decision(text, kept):
    check, question, passage = _check(cut=1.0), _unit(1, 0, 0, 0), _unit(1, 0, 0, 0)
    low = Verdict(True, 0.2, [], None)  # the check would answer it (logit 2 >= 1)
    assert (checked(low, check, question, passage, 0.34, text) is low) == kept


def test_saved_weights_load_back_with_their_hash(tmp_path):
    _check(cut=0.25).save(tmp_path / FOLDER, fitted_on={"questions": 3})
    loaded = AnswerCheck.load(tmp_path, dimensions=4)
    assert loaded.cut == 0.25 and len(loaded.sha256) == 64
    assert loaded.logit(0.2, _unit(1, 0, 0, 0), _unit(0, 0, 0, 0)) == pytest.approx(2.0)


def test_a_model_without_an_answerable_check_has_none(tmp_path):
    assert AnswerCheck.load(tmp_path, dimensions=4) is None


def test_an_edited_or_cut_off_weights_file_is_named_with_the_fix(tmp_path):
    _check().save(tmp_path / FOLDER)
    path = tmp_path / FOLDER / WEIGHTS_FILE
    path.write_bytes(path.read_bytes()[:50])
    with pytest.raises(AnswerCheckError, match=rf"{WEIGHTS_FILE}: sha256 \w+ does not match its record") as err:
        AnswerCheck.load(tmp_path, dimensions=4)
    assert "git checkout" in str(err.value) and "python -m training answerable --force" in str(err.value)


@pytest.mark.parametrize("cut", [None, float("nan"), float("inf"), "0.5", True])
def test_a_record_without_a_finite_cut_is_named(tmp_path, cut):
    _check().save(tmp_path / FOLDER)
    record = tmp_path / FOLDER / RECORD_FILE
    raw = {k: v for k, v in json.loads(record.read_text()).items() if k != "cut"}
    record.write_text(json.dumps(raw if cut is None else {**raw, "cut": cut}), encoding="utf-8")
    with pytest.raises(AnswerCheckError, match=rf"{RECORD_FILE}: not an answerable check record \(cut .* must be "
                                               r"finite numbers\)"):
        AnswerCheck.load(tmp_path, dimensions=4)


def test_a_weights_file_cut_off_with_its_record_hash_made_to_match_is_named(tmp_path):
    from retriever.store import sha256_file

    _check().save(tmp_path / FOLDER)
    path, record = tmp_path / FOLDER / WEIGHTS_FILE, tmp_path / FOLDER / RECORD_FILE
    path.write_bytes(path.read_bytes()[:200])
    record.write_text(json.dumps({**json.loads(record.read_text()), "sha256": sha256_file(path)}), encoding="utf-8")
    with pytest.raises(AnswerCheckError, match=rf"{WEIGHTS_FILE}: not an answerable check"):
        AnswerCheck.load(tmp_path, dimensions=4)


def test_weights_that_are_not_finite_are_refused_at_load(tmp_path):
    check = _check()
    question = check.question_weights.copy()
    question[2] = np.inf
    AnswerCheck(check.confidence_weight, question, check.pair_weights, -1.0, 0.0, 0.34).save(tmp_path / FOLDER)
    with pytest.raises(AnswerCheckError, match=rf"{WEIGHTS_FILE}: weights that are not finite numbers"):
        AnswerCheck.load(tmp_path, dimensions=4)


def test_a_missing_weights_file_is_named(tmp_path):
    _check().save(tmp_path / FOLDER)
    (tmp_path / FOLDER / WEIGHTS_FILE).unlink()
    with pytest.raises(AnswerCheckError, match=rf"{WEIGHTS_FILE}: missing beside its record {RECORD_FILE}"):
        AnswerCheck.load(tmp_path, dimensions=4)


def test_weights_for_vectors_of_another_size_or_a_falling_confidence_are_refused(tmp_path):
    _check(dims=8).save(tmp_path / FOLDER)
    with pytest.raises(AnswerCheckError, match="do not read vectors of 4 dimensions"):
        AnswerCheck.load(tmp_path, dimensions=4)
    _check(confidence_weight=-1.0).save(tmp_path / FOLDER)
    with pytest.raises(AnswerCheckError, match="weight on the confidence is -1.0, not positive"):
        AnswerCheck.load(tmp_path, dimensions=4)


def test_the_shipped_check_loads_for_the_model_s_vectors(tmp_path):
    shutil.copytree(resolve_model("pdq-minilm-l6") + f"/{FOLDER}", tmp_path / FOLDER)
    check = AnswerCheck.load(tmp_path, dimensions=384)
    assert check.question_weights.shape == check.pair_weights.shape == (384,) and check.confidence_weight > 0


def test_the_seed_answers_a_family_s_palliative_question_the_hand_rule_refused(seed_retriever):
    """A daughter's wording ("for my dad") put it just under the threshold; its passage is
    the one that says what palliative therapy is for."""
    query = "what does palliative mean for my dad"
    without = seed_retriever.with_settings(replace(seed_retriever.settings, answer_check=False))
    assert without.search(query).abstained
    res = seed_retriever.search(query)
    assert not res.abstained and "palliative therapy" in res.hits[0].chunk.text


@pytest.mark.parametrize("query", ["thanks", "yes", "why", "is it", "the"])
def test_a_query_that_names_no_term_is_left_to_the_hand_rule(seed_retriever, query):
    """A review found each of these answered once the check read their vectors."""
    without = seed_retriever.with_settings(replace(seed_retriever.settings, answer_check=False))
    res = seed_retriever.search(query)
    assert res.abstained and res.confidence == without.search(query).confidence


def test_the_check_leaves_a_vetoed_question_refused_on_the_seed(seed_retriever):
    res = seed_retriever.search("how is small cell lung cancer treated")
    assert res.abstained and "lung" in res.missing and res.confidence <= 0.0


@pytest.mark.model
def test_keyword_mode_judges_the_passages_it_shows_not_the_index_s_nearest(seed_retriever):
    """A code review found keyword searches answered on the cosine of a passage they never
    showed: the index's nearest, which BM25 had not ranked in its first three."""
    q = "once treatment finishes, will she keep having scans?"
    res = seed_retriever.search(q, mode="bm25")
    nearest = seed_retriever.signals(q, 5, "bm25").dense
    shown = [h.chunk.id for h in (res.hits or res.withheld)][:3]
    assert seed_retriever.chunks[nearest.ids[0]].id not in shown  # the case: BM25 ranked it lower
    assert res.evidence.best_cosine < float(nearest.scores[0])


@pytest.mark.model
def test_a_keyword_search_that_finds_nothing_is_judged_and_names_what_it_lacks(seed_retriever):
    """A review found a keyword search with no hit refused with nothing named: the judging's
    early return is for a filter a question's "non" leaves empty, not for an empty ranking."""
    result = seed_retriever.search("my puppy has kennel cough", mode="bm25")
    assert result.abstained and result.hits == [] and result.evidence is not None
    assert {"kennel", "cough"} <= set(result.missing)
