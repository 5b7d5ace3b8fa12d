"""The notes a page adds: a phone link, words as typed, the childhood summary pointed to."""

from types import SimpleNamespace

import numpy as np
import pytest

from service.notices import (
    ChildhoodTwin,
    as_typed,
    beside_crisis,
    childhood_twin,
    in_crisis,
    maybe_shorthand,
    phone_link,
)


@pytest.mark.parametrize("contact, tel", [
    ("1-800-4-CANCER (1-800-422-6237)", "tel:18004226237"),
    ("+44 20 7946 0958", "tel:+442079460958"),
    ("Call the front desk", ""),
    ("ext. 1234", ""),  # too short to be a number a phone dials
    ("1-800-422-6237 (9 a.m. to 9 p.m. ET)", "tel:18004226237"),  # the hours are no part of it
    ("(555) 010-0199, weekdays", "tel:5550100199"),
])
def test_the_last_phone_number_of_the_contact_line_becomes_a_tel_link(contact, tel):
    assert phone_link(contact) == tel


def test_words_are_given_back_as_the_question_typed_them():
    assert as_typed("Is PRRT or Lutétium-177 used?", ["prrt", "lutetium-177", "a figure"]) == \
        ["PRRT", "Lutétium-177", "a figure"]


def _index(docs: dict[str, tuple[str, list[str], bool]]):
    """A stand-in index: doc id -> (title, passages, whether it is a childhood summary)."""
    chunks, childhood, entries = [], [], {}
    for doc, (title, texts, child) in docs.items():
        entries[doc] = SimpleNamespace(title=title)
        for i, text in enumerate(texts):
            chunks.append(SimpleNamespace(id=f"{doc}#{i}", doc_id=doc, text=text))
            childhood.append(child)
    return SimpleNamespace(chunks=chunks, childhood=np.array(childhood, dtype=bool),
                           doc_ids=np.array([c.doc_id for c in chunks]),
                           manifest=SimpleNamespace(documents=entries),
                           links={c.id: f"https://example.org/{c.id}" for c in chunks})


def _answered_from(doc):
    return SimpleNamespace(hits=[SimpleNamespace(chunk=SimpleNamespace(doc_id=doc))], withheld=[], related=[])


POINTER = "See the following:\n\n- Childhood Liver Cancer Treatment\n- Childhood Cancers"


def test_a_child_s_question_gets_the_childhood_version_the_answering_summary_names():
    index = _index({"liver": ("Liver Cancer Treatment - NCI", ["Intro.", POINTER], False),
                    "wilms": ("Wilms Tumor and Other Childhood Kidney Tumors Treatment - NCI", [POINTER], False),
                    "child": ("Childhood Liver Cancer Treatment - NCI", ["- Childhood Liver Cancer Treatment"], True)})
    twin = childhood_twin(index, "my 6 year old has a liver tumour", _answered_from("liver"))
    assert twin == ChildhoodTwin("Liver Cancer Treatment", "Childhood Liver Cancer Treatment",
                                 "https://example.org/liver#1")
    assert childhood_twin(index, "i have a liver tumour", _answered_from("liver")) is None  # not a child
    assert childhood_twin(index, "will my son get it too", _answered_from("liver")) is None  # at risk, no patient
    assert childhood_twin(index, "¿cuáles son los síntomas del tumor?", _answered_from("liver")) is None  # Spanish
    assert childhood_twin(index, "my son is 6", _answered_from("child")) is None  # a childhood summary
    # "Childhood Cancers" names no version of the Wilms summary, nor does another summary's pointer
    assert childhood_twin(index, "my son is 6", _answered_from("wilms")) is None
    picked = childhood_twin(index, "my son is 6", _answered_from("wilms"), doc="liver")  # the summary picked
    assert picked.of == "Liver Cancer Treatment"


def test_short_small_non_words_may_be_shorthand():
    assert maybe_shorthand(["cn", "tke", "niacin", "PSA", "psa", "the", "5fu", "lung"]) == ["cn", "tke", "psa"]
    assert maybe_shorthand(["Cn", "CN", "The"]) == ["Cn"]  # a phone's capital first letter


@pytest.mark.parametrize("query", [
    "i dont want to live anymore with this cancer", "i want to end my life", "I just want to die",
    "i feel suicidal since the diagnosis", "is there a suicide hotline", "I don’t want to be alive anymore",
    "my brother says he wants to end it all", "everyone would be better off without me", "thoughts of self-harm",
])
def test_thoughts_of_suicide_or_self_harm_are_read_as_a_crisis(query):
    assert in_crisis(query)


@pytest.mark.parametrize("query", [
    "I don't want to die", "will he get through this", "am i going to die", "how long do i have to live",
    "my back is killing me from the bone pain", "lifting without hurting myself", "will i live to see my kids grow up",
    "what if the treatment kills me", "killing cancer cells with radiation",
])
def test_fear_of_dying_and_everyday_pain_are_no_crisis(query):
    assert not in_crisis(query)


def test_beside_crisis_help_only_passages_that_speak_to_it_are_kept():
    def hit(text):
        return SimpleNamespace(chunk=SimpleNamespace(text=text))

    surgery = hit("Surgery (resection) to remove as much of the tumor as possible.")
    lifeline = hit("Call or text the 988 Suicide & Crisis Lifeline.")
    assert beside_crisis("i want to end my life", [surgery, lifeline]) == [lifeline]
    assert beside_crisis("what is the surgery like", [surgery, lifeline]) == [surgery, lifeline]
