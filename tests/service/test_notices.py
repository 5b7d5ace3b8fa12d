"""The notes a page adds: a phone link, words as typed, the childhood summary pointed to."""

from types import SimpleNamespace

import numpy as np
import pytest

from service.notices import ChildhoodTwin, as_typed, childhood_twin, maybe_shorthand, phone_link


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
