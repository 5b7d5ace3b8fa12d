"""The notes a page adds: a phone link, words as typed, the childhood summary pointed to."""

from types import SimpleNamespace

import numpy as np
import pytest

from retriever.abstain import ANIMAL, EVERYDAY
from retriever.text import short_title
from service.notices import (
    ChildhoodTwin,
    OtherSummary,
    as_typed,
    british_spelling,
    childhood_twin,
    maybe_shorthand,
    named_elsewhere,
    other_summary,
    page_named,
    phone_link,
    slips,
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


def test_a_piece_of_a_hyphenated_word_is_named_as_the_whole():
    """The search reads "Ki-67" as "ki" and "67": a trial's refusal said the passages "don't mention ki"."""
    assert as_typed("what is the Ki-67 for my dad", ["ki", "67"]) == ["Ki-67"]
    assert as_typed("Ki-67 or ki alone", ["ki"]) == ["ki"]  # typed alone too: named as typed alone


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
    return SimpleNamespace(hits=[SimpleNamespace(chunk=SimpleNamespace(doc_id=doc))], withheld=[], related=[],
                           abstained=False, missing=[])


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
    everyday = SimpleNamespace(hits=[], withheld=_answered_from("liver").hits, related=[], abstained=True,
                               missing=["flu", "a subject other than cancer"])
    assert childhood_twin(index, "my son have flu and fever", everyday) is None  # no cancer asked of (a trial)
    animal = SimpleNamespace(**{**vars(everyday), "missing": ["an animal's health"]})
    assert childhood_twin(index, "my son's puppy has a lump", animal) is None
    assert childhood_twin(index, "my son is 6", SimpleNamespace(**{**vars(everyday), "missing": ["flu"]})) is not None
    picked = childhood_twin(index, "my son is 6", _answered_from("wilms"), doc="liver")  # the summary picked
    assert picked.of == "Liver Cancer Treatment"


def test_short_small_non_words_may_be_shorthand():
    assert maybe_shorthand(["cn", "tke", "niacin", "PSA", "psa", "the", "5fu", "lung"]) == ["cn", "tke", "psa"]
    assert maybe_shorthand(["Cn", "CN", "The"]) == ["Cn"]  # a phone's capital first letter
    assert maybe_shorthand(["cn", "psa"], {"psa"}.__contains__) == ["cn"]  # a word the index uses: no shorthand


LUNG = ("For lung tumors, see the following:\n\n- Lung Cancer Prevention\n- Lung Cancer Screening\n"
        "- Pancreatic Neuroendocrine Tumors (Islet Cell Tumors) Treatment")


def _other(index, query, result):
    """`other_summary` with the stand-in index's short titles, as the page's catalog gives them."""
    return other_summary(index, query, result, {d: short_title(e.title) for d, e in index.manifest.documents.items()})


def _refused(index, doc, topics):
    """A refusal for ``topics`` whose held-back passages are ``doc``'s."""
    held = [SimpleNamespace(chunk=c) for c in index.chunks if c.doc_id == doc]
    return SimpleNamespace(abstained=True, evidence=SimpleNamespace(topics_missing=tuple(topics)), withheld=held,
                           related=[])


def test_a_refusal_names_the_summary_a_passage_points_to_for_the_missing_topic():
    index = _index({"gi": ("Gastrointestinal Neuroendocrine Tumors Treatment - NCI", ["Intro.", LUNG], False)})
    other = _other(index, "screening for lung carcinoid", _refused(index, "gi", ["lungs"]))
    # "lungs" is named by "Lung" (any form); of two such lines, the one sharing the question's "screening"
    assert other == OtherSummary("lungs", "Lung Cancer Screening", "Gastrointestinal Neuroendocrine Tumors Treatment",
                                 "https://example.org/gi#1")
    assert _other(index, "pancreas surgery", _refused(index, "gi", ["pancreas"])).title.startswith("Pancreatic")
    assert _other(index, "adrenal tumor", _refused(index, "gi", ["adrenal"])) is None  # no line names it
    assert _other(index, "lung cancer", _refused(index, "gi", ["cancer"])) is None  # no subject of its own
    answered = SimpleNamespace(abstained=False, evidence=None, withheld=[], related=[])
    assert _other(index, "lung screening", answered) is None


def test_a_summary_pointed_to_that_the_index_holds_is_offered_to_search():
    pnet = "Pancreatic Neuroendocrine Tumors (Islet Cell Tumors) Treatment - NCI"
    index = _index({"gi": ("Gastrointestinal Neuroendocrine Tumors Treatment - NCI", [LUNG], False),
                    "pnet": (pnet, ["Islets."], False)})
    assert _other(index, "islet cell tumor", _refused(index, "gi", ["islet"])).doc == "pnet"
    assert _other(index, "lung screening", _refused(index, "gi", ["lung"])).doc == ""


@pytest.mark.parametrize("typed, read", [
    ("tumour", "tumor"), ("Diarrhoea", "diarrhea"),  # breame's lists
    ("oesophageal", "esophageal"), ("coeliac", "celiac"), ("haematuria", "hematuria"), ("dyspnoea", "dyspnea"),
    ("leukaemias", "leukemias"), ("metastasised", "metastasized"), ("paralysed", "paralyzed"), ("centres", "centers"),
    ("oedema", "edema"), ("hospitalised", "hospitalized"),
])
def test_a_british_spelling_is_no_slip(typed, read):
    """breame's lists hold common words; a review found "oesophageal" and "coeliac" still pointed out."""
    assert british_spelling(typed, read) and slips({typed: read}) == {}


@pytest.mark.parametrize("typed, read", [("carcinoyd", "carcinoid"), ("trails", "trials"), ("tumer", "tumor"),
                                         ("does", "dose"), ("oesophagus", "stomach"),
                                         # a letter too many, as the forms read it: a second review's
                                         ("cancaer", "cancer"), ("treatmaent", "treatment"), ("sised", "sized"),
                                         ("aftre", "after"), ("wourk", "work")])
def test_a_slip_or_another_word_stays_a_correction(typed, read):
    assert not british_spelling(typed, read) and slips({typed: read, "tumour": "tumor"}) == {typed: read}


@pytest.mark.model
def test_where_the_summary_names_a_word_is_said_as_the_search_read_it(retriever):
    """A review found "gallium-octreotide" named back whole, which the summary never writes,
    and the note beside refusals that say the question is about something else."""
    doc, refused = retriever.chunks[0].doc_id, SimpleNamespace(abstained=True, missing=["octreotide"])
    [note] = named_elsewhere(retriever, "what is a gallium-octreotide scan", ["octreotide"], refused, doc)
    assert (note.word, note.heading) == ("octreotide", "Hormone therapy") and note.link.startswith("https://")
    assert [n.word for n in named_elsewhere(retriever, "an Octreotide scan", ["octreotide"], refused, doc)] \
        == ["Octreotide"]
    for marker in (EVERYDAY, ANIMAL):
        beside = SimpleNamespace(abstained=True, missing=["octreotide", marker])
        assert named_elsewhere(retriever, "what is an octreotide scan", ["octreotide"], beside, doc) == []
    assert named_elsewhere(retriever, "x", ["octreotide"], SimpleNamespace(abstained=False, missing=[]), doc) == []
    assert len(named_elsewhere(retriever, "octreotide", ["octreotide", "octreotide"], refused, doc)) == 1


@pytest.mark.model
def test_the_page_a_summary_links_a_title_to_is_found_in_any_case_and_punctuation(retriever):
    doc = retriever.chunks[0].doc_id
    child = "https://www.cancer.gov/types/gi-neuroendocrine-tumors/patient/child-gi-neuroendocrine-treatment-pdq"
    assert page_named(retriever, doc, "childhood gastrointestinal neuroendocrine tumors treatment.") == child
    assert page_named(retriever, doc, "Childhood Liver Cancer Treatment") == ""
