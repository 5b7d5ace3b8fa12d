"""The animal check: its files, its veto, and what a search, the API and the pages say."""

import shutil
from dataclasses import replace

import pytest

from retriever.abstain import ANIMAL, TOPIC_VETO, Evidence, judge, near_miss
from retriever.animals import AnimalCheck, AnimalError
from retriever.embedding import ModelError, resolve_model
from retriever.search import Retriever

PET = "my dog has a tumor in his stomach what treatment"  # a new user's trial: answered at 0.76


def test_a_cut_off_weights_file_is_named_with_its_fix_and_stops_loading(tmp_path, seed_index, settings):
    model = tmp_path / "model"
    shutil.copytree(resolve_model("pdq-minilm-l6"), model, ignore=shutil.ignore_patterns("onnx"))
    path = model / AnimalCheck.FOLDER / AnimalCheck.WEIGHTS_FILE
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(AnimalError, match=rf"{AnimalCheck.WEIGHTS_FILE}: sha256 \w+ does not match") as err:
        AnimalCheck.load(model, dimensions=384)
    assert "python -m training animals --force" in str(err.value) and "PDQ_ANIMAL_CHECK" in str(err.value)


def test_the_veto_refuses_whatever_the_evidence_and_offers_no_related_passage():
    ev = Evidence(0.9, 0, True, False, False, True, 1.0, (), False, True)
    verdict = judge(ev, [ANIMAL], None, 0.35)
    assert verdict.abstained and verdict.confidence <= TOPIC_VETO and not near_miss(ev, 0.3)
    assert not judge(replace(ev, animal=False, figure_missing=False), [], None, 0.35).abstained


@pytest.mark.model
def test_the_shipped_check_refuses_a_pet_s_question_and_the_setting_turns_it_off(seed_retriever):
    result = seed_retriever.search(PET)
    assert result.abstained and ANIMAL in result.missing and result.evidence.animal
    assert seed_retriever.animals.sha256 and seed_retriever.animals.about_animal(
        seed_retriever.embedder.encode_query("vet says my cat has lymphoma"))
    off = seed_retriever.with_settings(replace(seed_retriever.settings, animal_check=False))
    assert not off.search(PET).abstained  # what the trial found
    for person in ("can i keep my cat at home while i have chemo for a carcinoid tumor",
                   "is it safe to walk my dog after carcinoid surgery"):
        assert ANIMAL not in seed_retriever.search(person).missing, person


@pytest.mark.model
@pytest.mark.parametrize("carer", ["why would a tumour in the bowel make him wheezy and his heart race",
                                   "he has been sick and has diarrhoea", "can i keep my cat during chemo"])
def test_a_carer_s_he_or_she_is_a_person(seed_retriever, carer):
    """A trial's family was told "a vet is the one to ask" for the first; the third was refused by
    a first fit with the lines that mended it (docs/abstention.md, "A third round")."""
    result = seed_retriever.search(carer)
    assert ANIMAL not in result.missing and not result.evidence.animal


@pytest.mark.model
def test_a_damaged_check_stops_the_search_from_loading_and_names_the_setting(tmp_path, seed_index, settings,
                                                                             monkeypatch):
    model = tmp_path / "model"
    shutil.copytree(resolve_model("pdq-minilm-l6"), model, symlinks=True)
    (model / AnimalCheck.FOLDER / AnimalCheck.WEIGHTS_FILE).write_bytes(b"cut off")
    monkeypatch.setattr("retriever.search.resolve_model", lambda name: str(model))
    with pytest.raises(ModelError, match="PDQ_ANIMAL_CHECK=false serves without the check"):
        Retriever.load(seed_index, settings)
    assert Retriever.load(seed_index, settings.model_copy(update={"animal_check": False})).animals is None


@pytest.mark.model
def test_one_word_the_passages_hold_is_a_look_up_not_a_pet_s_health(seed_retriever, monkeypatch):
    """A staff trial's "vemurafenib" and "BUN" were refused as an animal's health; a check that
    reads every question so shows the rule: a held drug, gene or test typed alone is looked up,
    anything else is judged ("dog" and "cat" are held by corpus passages on laboratory animals
    and CAT scans; here "surgery" stands for such a common word the passages hold)."""
    monkeypatch.setattr(AnimalCheck, "about_animal", lambda self, vector: True)
    assert not seed_retriever.search("octreotide").abstained and not seed_retriever.search("CT").abstained
    for judged in ("octreotide dose for my dog", "zebrafish", "surgery"):  # more than one word; held by none; common
        result = seed_retriever.search(judged)
        assert result.abstained and ANIMAL in result.missing, judged
