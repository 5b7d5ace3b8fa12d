"""The crisis check: its files, and what a seed search says of a question about suicide."""

import shutil
from dataclasses import replace

import numpy as np
import pytest

from retriever.crisis import CrisisCheck, CrisisError
from retriever.embedding import resolve_model


def _check(cut=0.0) -> CrisisCheck:
    w = np.zeros((4, 2), np.float32)
    w[0, 0] = 1.0
    return CrisisCheck(w, np.zeros(2, np.float32), np.array([2.0, 0.0], np.float32), -1.0, cut)


def test_its_own_files_load_back_and_name_its_own_fix(tmp_path):
    _check(cut=0.5).save(tmp_path / "crisis")
    assert (tmp_path / "crisis" / "crisis.npz").is_file() and not (tmp_path / "domain").exists()
    loaded = CrisisCheck.load(tmp_path, dimensions=4)
    assert isinstance(loaded, CrisisCheck) and loaded.cut == 0.5 and loaded.words is None  # no words reader
    assert loaded.flags(np.array([1.0, 0, 0, 0], np.float32)) and not loaded.flags(None)
    (tmp_path / "crisis" / "crisis.json").write_text("{", encoding="utf-8")
    with pytest.raises(CrisisError, match=r"crisis.json: not a crisis check record.*training crisis --force"
                                          r".*PDQ_CRISIS_CHECK=false"):
        CrisisCheck.load(tmp_path, dimensions=4)


def test_the_shipped_check_loads_for_the_model_s_vectors(tmp_path):
    shutil.copytree(resolve_model("pdq-minilm-l6") + "/crisis", tmp_path / "crisis")
    check = CrisisCheck.load(tmp_path, dimensions=384)
    assert check.hidden_weights.shape[0] == 384 and len(check.words.vocabulary) > 10_000


@pytest.mark.parametrize("query, crisis", [
    ("i dont want to live anymore with this cancer", True),
    ("i wanna die", True),
    ("my wife wants to end her life", True),
    ("what is carcinoid syndrome", False),
    ("I don't want to die, what are my chances", False),
    ("what is suicide gene therapy", False),
    # a symptom, a day or a drug typed alone or nearly: ordinary search-box inputs read as a crisis
    # before the check was fitted on inputs of one to five words (CRISIS_SHORT_BRIEF.md)
    ("flushing", False),
    ("whats the weather tomorrow", False),
    ("can I drink alcohol while on lupron", False),
    ("wanna die", True),
])
def test_a_seed_search_says_whether_the_question_reads_as_a_crisis(seed_retriever, query, crisis):
    assert seed_retriever.search(query).crisis is crisis


@pytest.mark.parametrize("query", ["thinking of kms", "je veux me tuer"])
def test_slang_and_other_languages_the_vector_blurs_are_read_by_the_words(seed_retriever, query):
    check, sig = seed_retriever.crisis, seed_retriever.signals(query)
    assert not check.flags(sig.query.vector) and check.words.flags(query)
    assert sig.crisis_words  # read beside the encoder, with the keyword half
    assert seed_retriever.search(query).crisis


def test_the_check_is_off_when_its_setting_is(seed_retriever):
    off = seed_retriever.with_settings(replace(seed_retriever.settings, crisis_check=False))
    assert not off.search("i dont want to live anymore with this cancer").crisis
    assert not off.signals("thinking of kms").crisis_words and not off.search("thinking of kms").crisis


def test_weights_that_are_not_finite_are_refused_at_load(tmp_path):
    check = _check()
    w = check.hidden_weights.copy()
    w[1, 1] = np.nan
    CrisisCheck(w, check.hidden_bias, check.out_weights, check.out_bias, 0.0).save(tmp_path / "crisis")
    with pytest.raises(CrisisError, match="crisis.npz: weights that are not finite numbers"):
        CrisisCheck.load(tmp_path, dimensions=4)


def test_a_model_without_a_crisis_check_loads_with_a_warning(tmp_path, monkeypatch, seed_index, embedder, caplog):
    from retriever import embedding
    from retriever.search import Retriever
    from retriever.settings import Settings

    model = tmp_path / "model"
    shutil.copytree(embedding.SHIPPED_NAMES["pdq-minilm-l6"], model, ignore=shutil.ignore_patterns("crisis"))
    monkeypatch.setitem(embedding.SHIPPED_NAMES, "pdq-minilm-l6", model)
    with caplog.at_level("WARNING", logger="retriever.shipped"):
        retriever = Retriever.load(seed_index, Settings(), embedder=embedder)
    assert "ships no crisis check" in caplog.text and "python -m training crisis" in caplog.text
    assert retriever.crisis is None and not retriever.search("i want to end my life").crisis
    caplog.clear()
    Retriever.load(seed_index, Settings(crisis_check=False), embedder=embedder)  # turned off: nothing to say
    assert "crisis" not in caplog.text
