"""The notes a page adds: a phone link, words as typed, the childhood summary pointed to."""

from types import SimpleNamespace

import numpy as np
import pytest

from service.notices import ChildhoodTwin, as_typed, childhood_twin, phone_link


@pytest.mark.parametrize("contact, tel", [
    ("1-800-4-CANCER (1-800-422-6237)", "tel:18004226237"),
    ("+44 20 7946 0958", "tel:+442079460958"),
    ("Call the front desk", ""),
    ("ext. 1234", ""),  # too short to be a number a phone dials
])
def test_the_last_phone_number_of_the_contact_line_becomes_a_tel_link(contact, tel):
    assert phone_link(contact) == tel


def test_words_are_given_back_as_the_question_typed_them():
    assert as_typed("Is PRRT or Lutétium-177 used?", ["prrt", "lutetium-177", "a figure"]) == \
        ["PRRT", "Lutétium-177", "a figure"]


def _index(texts, childhood):
    chunks = [SimpleNamespace(id=f"d#{i}", text=t) for i, t in enumerate(texts)]
    return SimpleNamespace(chunks=chunks, childhood=np.array(childhood, dtype=bool),
                           links={c.id: f"https://example.org/d#{c.id}" for c in chunks})


def test_a_child_s_question_gets_the_childhood_summary_the_adults_one_names():
    adults = _index(["Intro.", "See the following:\n\n- Childhood Liver Cancer Treatment"], [False, False])
    assert childhood_twin(adults, "my 6 year old has a liver tumour") == ChildhoodTwin(
        "Childhood Liver Cancer Treatment", "https://example.org/d#d#1")
    assert childhood_twin(adults, "i have a liver tumour") is None  # not about a child
    with_children = _index(["- Childhood Liver Cancer Treatment"], [True])
    assert childhood_twin(with_children, "my son is 6") is None  # the ranker prefers them
    assert childhood_twin(_index(["No pointer here."], [False]), "my son is 6") is None
