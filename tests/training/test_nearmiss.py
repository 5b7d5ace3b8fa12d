"""Near-miss questions: which summaries a question names."""

from training.nearmiss import named_summaries, title_words

TITLES = {"mel": "Melanoma Treatment (PDQ®)", "skin": "Skin Cancer Treatment (PDQ®)",
          "ov": "Ovarian Epithelial Cancer Treatment", "child": "Childhood Melanoma Treatment"}


def test_generic_title_words_do_not_count():
    assert title_words("Adult Cancer Treatment (PDQ®)–Patient Version") == set()


def test_a_question_names_every_summary_of_its_cancer_in_any_form():
    assert named_summaries("what stage is my melanomas at", TITLES) == {"mel", "child"}
    assert named_summaries("my wife's ovarian cancer came back", TITLES) == {"ov"}
    assert named_summaries("can I work during chemo", TITLES) == set()
