"""A summary's own cancer types, the ones a filter finds it by (`retriever/cancer_types.py`)."""

from __future__ import annotations

import frontmatter

from retriever.cancer_types import own_types
from tests.conftest import SEED_DOC

WILMS = ("kidney", "breast", "lung", "skin", "liver", "bladder")


def test_a_listed_type_the_title_or_address_names_is_its_own():
    url = "https://www.cancer.gov/types/kidney/patient/wilms-treatment-pdq"
    assert own_types(WILMS, "Wilms Tumor - NCI", url) == ("kidney",)
    url = "https://www.cancer.gov/types/head-and-neck/patient/adult/laryngeal-treatment-pdq"
    assert own_types(("head and neck", "breast"), "Laryngeal Cancer Treatment", url) == ("head and neck",)
    assert own_types(("breast", "lung"), "Lung Cancer Prevention", "") == ("lung",)  # the title alone


def test_a_summary_about_no_listed_type_is_filed_under_none():
    url = "https://www.cancer.gov/about-cancer/coping/feelings/depression-pdq"
    assert own_types(("breast", "lung", "prostate"), "Depression - NCI", url) == ()
    assert own_types(("skin",), "Skincare", "") == ()  # whole words only
    assert own_types((), "Breast Cancer Treatment", "") == ()  # only types the front matter lists


def test_an_address_outside_types_names_no_type():
    """A side effect's address names the body part it is about, not a cancer: a staff search
    filtered to skin cancer got 8 of its 10 passages from the pruritus summary."""
    url = "https://www.cancer.gov/about-cancer/treatment/side-effects/skin-nail-changes/pruritus-pdq"
    assert own_types(("breast", "skin", "liver"), "Pruritus (Itching)", url) == ()
    assert own_types(("skin",), "Skin Cancer Treatment", "https://www.cancer.gov/types/skin/patient/x") == ("skin",)


def test_forms_and_odd_types_are_read_as_words():
    assert own_types(("lymphomas",), "Lymphoma Treatment", "") == ("lymphomas",)  # a plural
    assert own_types(("cancer", "gov"), "Fatigue", "https://www.cancer.gov/fatigue-pdq") == ()  # the host
    assert own_types(("乳腺癌", "肺癌"), "乳腺癌 治疗", "") == ("乳腺癌",)  # words in any script
    assert own_types(("", "-", "c++"), "C++ and - notes", "") == ("c++",)  # nothing to name: no type


def test_the_seed_keeps_its_own_type_of_the_five_it_lists():
    meta = frontmatter.load(SEED_DOC).metadata
    assert len(meta["cancerTypes"]) == 5
    assert own_types(tuple(meta["cancerTypes"]), meta["title"], meta["url"]) == ("gi neuroendocrine tumors",)

