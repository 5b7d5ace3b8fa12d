import pytest

from retriever.cancer_names import (
    asked_forms,
    cancers_named,
    index_names,
    lay_cancers_named,
    pdq_lay_cancers,
    unnamed_cancers,
)
from retriever.health_topics import missing_topics
from retriever.planning import Planner
from retriever.tokenization import passage_vocabulary
from retriever.wordpairs import segments
from tests.conftest import summary_page


def test_a_cancer_is_named_by_its_word_before_cancer_in_any_case_or_number():
    assert cancers_named("Skin Cancer signs, and bone cancers?") == ["skin", "bone"]
    assert cancers_named("is the skin red from cancer") == []  # not a name: not before "cancer"
    assert cancers_named("small intestine cancer, renal cell cancer") == []  # ends of longer names


def test_a_cancer_the_index_names_is_no_topic_and_one_it_never_names_is_missing_from_every_passage():
    named = index_names(segments("The disease is metastatic GI neuroendocrine tumor, not liver cancer."), ())[0]
    assert named == frozenset({"liver"})
    assert unnamed_cancers("does he have liver cancer now", named) == []
    assert unnamed_cancers("skin cancer signs", named) == ["skin cancer"]
    skin = passage_vocabulary("Redness of the skin and cancer cells", "Carcinoid syndrome")  # never the name
    assert missing_topics(["skin cancer"], skin) == ["skin cancer"]
    assert missing_topics(["lung", "lung cancer"], skin) == ["lung"]  # named once
    # ... and so when the word comes missing already (a review found "anal cancer" and "anal"
    # both listed, counted as two things missing, when the scope's words stopped passing here)
    assert missing_topics(["skin cancer"], skin, ["skin"]) == ["skin"]


def test_the_planner_reads_the_cancers_its_index_names():
    planner = Planner.for_texts(["A tumor that spreads to the liver is not liver cancer.", "Skin may flush."], 80)
    assert "skin cancer" in planner.plan("skin cancer signs").topics
    assert not [t for t in planner.plan("is it liver cancer now").topics if "cancer" in t]
    assert not [t for t in planner.plan("is my tumor a skin cancer").topics if "cancer" in t]  # its own tumour
    assert not [t for t in planner.plan("red skin. cancer in the liver").topics if "cancer" in t]  # two stretches
    assert "skin cancer" in planner.plan("my skin cancer tumor is 3 cm").topics  # that cancer's tumour (a review's)
    assert "skin cancer" in planner.plan("how is skin cancer treated? my cancer doctor said surgery").topics


def test_no_names_match_no_cancer():
    from retriever.cancer_names import _before_cancer

    assert _before_cancer(frozenset()).search("how is breast cancer treated") is None  # "\b() cancer" matched all
    assert _before_cancer({"mouth", "mouths"}).findall("mouths cancer, mouth cancers") == ["mouths", "mouth"]


def test_an_everyday_name_of_a_cancer_is_read_before_cancer():
    assert lay_cancers_named("Mouth cancer signs; blood cancers and bowel cancer") == ["mouth", "blood", "bowel"]
    assert lay_cancers_named("blood in my mouth. cancer?") == []  # not before "cancer" in one stretch
    assert "oral" in pdq_lay_cancers()["mouth"][0]  # the training questions' (tests/training)


@pytest.mark.parametrize("question, read", [
    ("what is cancer of the esophagus?", "what is esophagus cancer"),
    ("Cancers of my bowel and liver", "bowel cancers and liver"),
    ("cancer of throat", "throat cancer"),
    ("cancer of the oesophagus", "esophagus cancer"),
    ("oesophageal cancer treatment", "esophageal cancer treatment"),
    ("throat pain and cancer of the mouth", "throat pain and mouth cancer"),  # a name before, not just before
])
def test_an_everyday_name_after_cancer_of_or_a_name_in_british_spelling_is_read_as_before_cancer(question, read):
    assert asked_forms(question) == read


@pytest.mark.parametrize("question", [
    "cancer of the womb lining", "cancer of the mouth ulcers",  # a word after the name makes another thing of it
    "is it a cancer of the brain",  # a corpus name after "cancer of" is as often where a cancer is (a review's)
    # a name typed already, and a name that is a place in something ("of"), are read as typed (a second review's)
    "mouth cancer of the tongue", "skin cancer of the nose", "is lymphoma cancer of the blood",
    "cancer of the bottom of the tongue",
    "cancer of the small intestine",  # no name
    "white cell cancer in the brain", "a tumour of the throat",  # where a cancer is, not what it is
    "oestrogen and cancer",  # respelt only into a name
])
def test_other_forms_are_read_as_typed(question):
    assert asked_forms(question) == question


def test_a_cancer_named_after_cancer_of_is_missing_where_the_index_never_names_it():
    assert unnamed_cancers("is it cancer of the throat?", frozenset(), lay=frozenset()) == ["throat cancer"]
    # a tumour word after the cancer, across punctuation too, is that cancer's (a second review's)
    assert unnamed_cancers("my pancreatic cancer tumor is 3 cm", frozenset()) == ["pancreatic cancer"]
    assert unnamed_cancers("brain cancer (tumor) treatment", frozenset()) == ["brain cancer"]
    assert unnamed_cancers("I had cancer of the skin. Tumors now in my stomach", frozenset()) == []
    assert unnamed_cancers("my dad has cancer of the throat", frozenset(), lay=frozenset({"throat"})) == []
    assert unnamed_cancers("oesophageal cancer", frozenset({"esophageal"})) == []
    assert unnamed_cancers("oesophageal cancer", frozenset()) == ["esophageal cancer"]


def test_a_name_is_said_in_another_of_its_forms():
    from itertools import combinations

    from retriever.cancer_names import SAME_NAME_LETTERS, pdq_cancer_names

    assert unnamed_cancers("how is larynx cancer treated?", frozenset({"laryngeal"})) == []
    assert unnamed_cancers("larynx cancer", frozenset({"lung"})) == ["larynx cancer"]
    assert unnamed_cancers("colon cancer", frozenset({"colorectal"})) == ["colon cancer"]
    # the constant's claim: of the shipped names, it joins these two alone
    joined = [(a, b) for a, b in combinations(sorted(pdq_cancer_names()), 2)
              if a[:SAME_NAME_LETTERS] == b[:SAME_NAME_LETTERS]]
    assert joined == [("laryngeal", "larynx")]


def _about(text: str, title: str) -> frozenset[str]:
    return index_names(segments(text), [title])[1]


def test_an_index_is_about_an_everyday_name_by_its_titles_or_by_its_passages_naming_it():
    assert "mouth" in _about("Surgery is a treatment.", "Lip and Oral Cavity Cancer Treatment")
    assert "mouth" not in _about("The mouth may be dry. Cancer cells", "Colon Cancer Treatment")
    assert "blood" in _about("Some blood cancers start in the marrow.", "Bone Health")
    assert "nerve" in _about("A nerve tumor may press on the spine.", "Bone Health")  # a tumour word
    assert "pancreas" in _about("Some people with pancreatic cancer tried it.", "Cachexia")  # a title word
    assert "pancreas" not in _about("A pancreatic tumor.", "Cachexia")  # once, and not before "cancer"
    # a title word naming a cancer, used more than once: the seed's "colon" for "bowel"
    assert "bowel" in _about("A tumor of the colon. The colon is long.", "GI Tumors")
    assert "bowel" not in _about("A tumor of the colon.", "GI Tumors")
    assert "asbestos" not in _about("A malignant tumor. Malignant cells.", "GI Tumors")  # PDQ's word for anything
    # a title word of the name's last summaries counts in titles only: the seed's "metastatic cancer"
    assert "throat" not in _about("Metastatic cancer. Metastatic cancer again.", "GI Tumors")
    assert "throat" in _about("Surgery.", "Metastatic Squamous Neck Cancer")
    assert _about("Surgery.", "GI Tumors") == frozenset()
    assert index_names([["surgery"]], ["Coping"], typed=False)[1] == frozenset(pdq_lay_cancers())  # any cancer
    about = _about("Surgery.", "Colon Cancer Treatment")
    assert unnamed_cancers("how is bowel cancer treated", frozenset(), (), about) == []
    assert unnamed_cancers("how is mouth cancer treated", frozenset(), (), about) == ["mouth cancer"]
    assert unnamed_cancers("how is mouth cancer treated", None, (), about) == ["mouth cancer"]  # names not read
    assert unnamed_cancers("how is mouth cancer treated", frozenset()) == []  # not read: not known
    assert unnamed_cancers("is mouth cancer like a carcinoid tumor", frozenset(), (), about) == []  # a tumour named


def test_the_planner_reads_the_everyday_cancer_names_its_titles_are_about():
    planner = Planner.for_texts(["A tumor may grow in the small intestine."], 80,
                                titles=["Gastrointestinal Neuroendocrine Tumors Treatment"])
    assert "mouth cancer" in planner.plan("how is mouth cancer treated").topics
    oral = Planner.for_texts(["Surgery removes the tumor."], 80, titles=["Lip and Oral Cavity Cancer Treatment"])
    assert not [t for t in oral.plan("how is mouth cancer treated").topics if t.endswith("cancer")]
    coping = Planner.for_texts(["Talk with your doctor."], 80, titles=["Coping"], typed=False)
    assert not [t for t in coping.plan("how is mouth cancer treated").topics if t.endswith("cancer")]


@pytest.mark.model
def test_an_index_holding_a_summary_about_no_cancer_type_is_about_every_everyday_name(
        seed_with, seed_retriever):
    """Such a summary (coping, a remedy) is asked about with any cancer: "i have throat cancer,
    can cannabis help"."""
    assert "mouth" not in seed_retriever.planner.lay_cancers  # the seed: a cancer type's summary alone
    retriever = seed_with(coping=summary_page("Coping With Cancer", "https://example.org/coping",
                                              "## Talking\n\nTalking with family and friends can help.\n",
                                              tags=("coping",)))
    assert retriever.planner.lay_cancers == frozenset(pdq_lay_cancers())


@pytest.mark.model
@pytest.mark.parametrize("question, named", [("skin cancer signs", "skin cancer"),
                                             ("brain cancer symptoms", "brain cancer"),
                                             ("colon cancer treatment", "colon cancer"),
                                             # the seed says "pancreatic" only in its line pointing to the
                                             # pancreatic summary, which names nothing: the word itself is missing
                                             ("is this the same as pancreatic cancer", "pancreatic"),
                                             # everyday names of cancers it is not about (`LAY_CANCERS`)
                                             ("how is mouth cancer treated", "mouth cancer"),
                                             ("my mom has blood cancer what now", "blood cancer"),
                                             ("gullet cancer treatment", "gullet cancer"),
                                             ("throat cancer survival", "throat cancer"),
                                             # the name after "cancer of", respelt
                                             ("what is cancer of the esophagus", "esophagus cancer"),
                                             ("my dad has cancer of the throat", "throat cancer"),
                                             ("oesophageal cancer treatment", "esophageal cancer"),
                                             ("brain cancer (tumor) treatment", "brain cancer")])
def test_a_cancer_the_summary_never_names_is_refused_on_the_seed(seed_retriever, question, named):
    """The GI neuroendocrine tumors summary answered each with its own passages."""
    result = seed_retriever.search(question, 5)
    assert result.abstained and result.missing == [named]


@pytest.mark.model
def test_liver_cancer_stays_answered_on_the_seed(seed_retriever):
    """The summary says a tumor spread to the liver is "not liver cancer"."""
    result = seed_retriever.search("the tumor spread to his liver, does he have liver cancer now?", 5)
    assert not result.abstained and "not liver cancer" in result.hits[0].chunk.text


@pytest.mark.model
@pytest.mark.parametrize("question", [
    "my dad had colon cancer, now he has a carcinoid tumor in the small intestine, how is it treated?",
    "are neuroendocrine tumors of the rectum treated like rectal cancer",
    "is a carcinoid tumor a type of colon cancer?",
    "what are the signs of carcinoid syndrome? my skin cancer doctor asked",
    "carcinoid syndrome flushing of the skin. cancer spread to liver treatment",  # across a full stop
    "my dad had bowel cancer, now he has a carcinoid tumor in the small intestine",  # an everyday name
    "bowel cancer in the appendix",  # the summary's "colon" and "intestine": it is about the bowel (a review's)
    "stomach lining cancer",  # "lining", typed mostly after another word, names no cancer alone (a review's)
    "is it cancer of the bowel",  # after "cancer of", a name it is about
    "the tumor spread, does he have cancer of the liver",
    "I had cancer of the skin. Tumors now in my stomach, what treatment?",  # a review's
])
def test_a_question_about_the_summary_s_own_tumour_that_mentions_another_cancer_is_answered(seed_retriever, question):
    """A review's: family history, comparisons and screening name other cancers beside the tumour asked about."""
    result = seed_retriever.search(question, 5)
    assert not any(m.endswith(" cancer") for m in result.missing) and not result.abstained
