"""Who a question is about, read from its words (`retriever.audience`): no model needed."""

import pytest

from retriever.audience import audience, is_childhood, names_adults, url_type_words, url_words


def test_audience_of_questions_and_documents():
    assert audience("my son has Hodgkin lymphoma") == audience("Childhood ALL treatment") == "child"
    assert audience("What is the outlook for Adult Hodgkin Lymphoma?") != "child"
    assert is_childhood("Childhood Acute Lymphoblastic Leukemia - NCI", "")
    assert is_childhood("Hodgkin Lymphoma", "https://www.cancer.gov/types/lymphoma/patient/child-hodgkin-treatment-pdq")
    assert not is_childhood("Acute Lymphoblastic Leukemia Treatment - NCI",
                            "https://www.cancer.gov/types/leukemia/patient/adult-all-treatment-pdq")
    url = "https://www.cancer.gov/types/leukemia/patient/adult-all-treatment-pdq"
    assert url_words(url) == "adult all treatment pdq"
    assert url_type_words(url) == "leukemia"
    assert url_type_words("https://www.cancer.gov/types/head-and-neck/patient/adult/laryngeal-treatment-pdq") == \
        "head and neck"
    assert url_type_words("https://www.cancer.gov/about-cancer/coping/feelings/depression-pdq") == ""
    assert url_type_words("https://www.cancer.gov/types/lymphoma") == ""  # the type's own page: no summary
    assert url_type_words("https://www.cancer.gov/news/types/lymphoma/x") == ""  # "types" not first: no filing


@pytest.mark.parametrize("question, who", [
    ("my 6-year-old has Hodgkin lymphoma", "child"),
    ("baby is 9 months old, is it serious", "child"),
    ("our teen has ALL", "child"),
    ("she is 7, will chemo hurt her", "child"),
    ("my son, he's 35, has AML", "adult"),  # an age decides before a word
    ("I'm 54 and have AML", "adult"),
    ("45 yo with melanoma", "adult"),
    ("in my 40s with melanoma", "adult"),
    ("what are the treatments for Adult ALL?", "adult"),
    ("my husband has lymphoma", "adult"),
    ("my mom has leukemia", "adult"),
    ("my brother, 47, has adrenal cancer", "adult"),
    ("I was diagnosed at 45, what should I watch for", "adult"),
    ("I am 40 and my 6-year-old has ALL", "child"),  # a child's age over a parent's
    ("my son is 35 and has AML", "adult"),
    ("my adult son has ALL", "adult"),
    ("I used pesticides while pregnant, could that have caused my child's Wilms tumor?", "child"),
    ("types of MEN syndromes", None),  # multiple endocrine neoplasia, not men
    ("adult-type fibrosarcoma", None),
    ("cancer in young adults", "child"),  # PDQ's childhood summaries cover them
    ("I'm 7 months pregnant, is chemo safe for the baby", "adult"),
    ("I had radiation as a kid and I'm now 38", "child"),  # a survivor: late effects
    ("my brother has lymphoma", None),  # a sibling may be a child or an adult
    ("how is stage 2 treated", None),
    ("is surgery needed at 3 cm", None),  # sizes, intervals and durations are no age
    ("a scan every 3 months", None),
    ("it came back after 2 years", None),
    ("I'm 2 weeks out of surgery", None),
    ("octreotide at 10 mg per day", None),
    ("my PSA is at 4", None),
    ("I'm 5 foot 2, is my weight ok", None),
    ("he's 3 days post-op", None),
    ("I'm 4 rounds in", None),
    ("the tumor is 5.5 cm", None),
    ("I'm 3 cycles into chemo", None),
    ("got my period at 10 and went through menopause late", "adult"),
    ("my husband had leukemia when he was 10, what late effects can show up", "child"),  # a survivor
    ("will my daughter get it", None),  # children who may inherit it or be born are no patients
    ("can our children get this too, is it hereditary", None),
    ("should my kids be tested", None),
    ("my husband has it, will our son inherit it", "adult"),
    ("can i still have kids after the surgery", None),
    ("does it pass down to my children", None),
    ("did we pass it down to our son, he has a carcinoid tumor", "child"),  # the son has it
    ("could the chemo stop her having kids one day", "child"),  # a child's late effect
    ("does my son have it", "child"),  # a child who has it, asked about (a review's)
    ("can my son get it again", "child"),
    ("should my son be checked again after surgery", "child"),
    ("can my daughter have it removed", "child"),
    ("are my kids at risk", None),
    ("would my children inherit this", None),  # a second review's
    ("will my kids have this", None),
    ("is my son at risk of relapse after leukemia treatment", "child"),
    ("is my daughter at risk of infertility after Hodgkin treatment", "child"),
    ("are my kids at risk of getting it", None),
    ("my daughter has a carcinoid tumor", "child"),
    ("will my son get chemo", "child"),  # chemo is had by the patient
])
def test_who_a_question_is_about(question, who):
    assert audience(question) == who


@pytest.mark.parametrize("question, named", [
    ("What is (are) Adult Soft Tissue Sarcoma ?", True),
    ("how is ALL treated in adults", True),
    ("Hodgkin lymphoma in young adults", False),
    ("my adult son has Ewing sarcoma", False),
    ("adult-type fibrosarcoma treatment", False),
    ("I'm 38 and my toddler has ALL", False),
    ("my husband has Hodgkin lymphoma", False),
])
def test_which_questions_name_adults_as_such(question, named):
    assert names_adults(question) == named
