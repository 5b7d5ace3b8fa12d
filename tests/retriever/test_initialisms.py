from retriever.health_topics import missing_topics
from retriever.initialisms import Initialisms, compound_tail, is_name, titled
from retriever.planning import Planner
from retriever.tokenization import passage_vocabulary

HEADINGS = ["Non-Small Cell Lung Cancer Treatment (PDQ®)–Patient Version", "Stages of Non-Small Cell Lung Cancer",
            "Stages of Small Cell Lung Cancer",
            "Treatment of Hairy Cell Leukemia", "Symptoms of Pleuropulmonary Blastoma",
            "Anaplastic Large Cell Lymphoma", "Gastrointestinal Stromal Tumors",
            "Certain factors affect prognosis (chance of recovery) and treatment options."]
PASSAGES = ["Non-small cell lung cancer is a disease in which malignant cells form in the tissues of the lung.",
            "An MIBG scan finds tumors. Patients in the ICU are watched closely."]


def test_a_heading_in_title_case_names_a_section_and_one_in_sentence_case_says_a_key_point():
    assert titled("Stages of Non-Small Cell Lung Cancer")
    assert titled("About This PDQ Summary")
    assert not titled("Certain factors affect prognosis (chance of recovery) and treatment options.")
    assert not titled("(1990–2020)")  # no word to read


def test_initials_spell_the_name_a_heading_gives_whatever_the_case_they_are_asked_in():
    names = Initialisms(HEADINGS)
    assert names.spelled("NSCLC") == "non small cell lung cancer"  # "Non-Small": two words
    assert names.spelled("nsclc") == "non small cell lung cancer"
    assert names.spelled("SCLC") == "small cell lung cancer"  # its own heading
    assert names.spelled("ALCL") == "anaplastic large cell lymphoma"
    assert names.spelled("HCL") is None  # three letters spell some heading's name by chance too often
    assert Initialisms(HEADINGS[:2]).spelled("SCLC") is None  # "Small" of "Non-Small" starts no name


def test_a_name_starts_and_ends_where_a_name_does_with_no_stop_word_inside():
    names = Initialisms(["Extragonadal Extracranial Germ Cell Tumors", "General Information About Thymoma",
                         "Stages of Vaginal Cancer", "Carcinoma of Unknown Primary"])
    assert names.spelled("EEG") is None  # "Cell Tumors" follow: not the end of a name
    assert names.spelled("EEGCT") == "extragonadal extracranial germ cell tumors"
    assert names.spelled("GIT") is None and names.spelled("SVC") is None  # a stop word inside
    assert names.spelled("CUP") is None


def test_a_compound_of_a_combining_form_and_an_everyday_word_gives_both_letters():
    assert compound_tail("pleuropulmonary") == len("pleuro")
    assert compound_tail("gastrointestinal") == len("gastro")
    for word in ("blastoma", "prostate", "metastatic", "mushrooms", "endometrial"):
        assert compound_tail(word) is None, word
    names = Initialisms(HEADINGS + ["Medicinal Mushrooms Research"])
    assert names.spelled("GIST") == "gastrointestinal stromal tumors"
    assert names.spelled("MMRR") is None  # "mushrooms" is no "mush" and "rooms"
    assert Initialisms(["Pleuropulmonary Blastoma Types"]).spelled("PPBT") == "pleuropulmonary blastoma types"


def test_no_key_point_said_in_a_sentence_spells_initials():
    names = Initialisms(HEADINGS)
    assert names.spelled("FAP") is None  # "Certain factors affect prognosis"
    assert names.spelled("TNBC") is None


def test_the_name_most_headings_spell_is_read():
    names = Initialisms(["Renal Cell Cancer Types", "Stages of Renal Cell Cancer Types", "Reach Cancer Cells Today"])
    assert names.spelled("RCCT") == "renal cell cancer types"


def test_any_run_of_the_passages_words_may_stand_for_initials_no_heading_spells():
    passages = ["It is called diffuse large B-cell lymphoma in adults.", "Cancer of unknown primary."]
    names = Initialisms(HEADINGS, passages)
    assert names.mentioned("DLBCL") and names.mentioned("CUP")  # a stop word passed over
    assert not names.mentioned("TNBC")


def test_only_initials_everyday_english_does_not_use_are_a_name():
    assert is_name("NSCLC") and is_name("TNBC") and is_name("HCL")
    assert not is_name("ICU") and not is_name("OTC") and not is_name("EEG")


def test_the_planner_writes_out_initials_its_headings_spell_and_makes_the_others_a_topic():
    planner = Planner.for_texts(PASSAGES, 85.0, headings=HEADINGS)
    plan = planner.plan("NSCLC stage 4 treatment")
    assert "non small cell lung cancer (NSCLC)" in plan.dense_text
    assert "nsclc" not in plan.topics
    assert "anaplastic large cell lymphoma (ALCLs)" in planner.plan("what are ALCLs").dense_text  # a plural
    assert "(" not in planner.plan("HCL treatment").dense_text
    plan = planner.plan("what is TNBC")
    assert plan.topics == ["tnbc"]
    assert missing_topics(plan.topics, passage_vocabulary(PASSAGES[0], "Lung")) == ["tnbc"]
    assert planner.plan("TNBC").topics == ["tnbc"]  # typed alone, so all in capitals
    assert planner.plan("FOLFOX dose").topics == ["folfox"]  # a rare word already: once
    assert planner.plan("what are TNBCs").topics == ["tnbcs"]
    assert "kaylee" not in planner.plan("MY DAUGHTER KAYLEE HAS TNBC").topics  # a shout: read as before


def test_initials_typed_in_lower_case_are_written_out_only_where_headings_spell_them():
    planner = Planner.for_texts(PASSAGES, 85.0, headings=HEADINGS)
    plan = planner.plan("nsclc stage 4 treatment")
    assert "non small cell lung cancer (nsclc)" in plan.dense_text and not plan.corrections
    assert "nsclc" not in plan.topics
    assert "small cell lung cancer (Sclc)" in planner.plan("Sclc stages").dense_text  # a phone's capital
    assert "anaplastic large cell lymphoma (alcls)" in planner.plan("what are alcls").dense_text  # a plural
    for question in ("can u tell me smth about it", "mgmt of pain", 'is "nsclc" here', "malignant cells"):
        plan = planner.plan(question)  # text-speak, a quoted word, words the index knows: as typed
        assert "(" not in plan.dense_text and not plan.topics, question
    assert "non small cell lung cancer (Nsclc) or non small cell lung cancer (Nsclc)" in \
        planner.plan("Nsclc or nsclc").dense_text  # once each, never written out inside its own name


def test_lower_case_words_near_an_index_word_or_naming_a_whole_title_stay_as_typed():
    headings = ["Stages of Recurrent Ovarian Borderline Tumors", "Adrenocortical Carcinoma Treatment",
                "Stage III Paranasal Sinus"]
    planner = Planner.for_texts(["A robot arm helps the surgeon remove the tumors."], 85.0, headings=headings)
    assert Initialisms(headings).spelled("robt") and Initialisms(headings).spelled("acct")
    for question in ("robt surgery", "how do I set up my acct", "can I have sips of water"):
        assert "(" not in planner.plan(question).dense_text, question  # one edit from "robot"; a title; a word


def test_an_acronym_written_in_mixed_case_is_no_index_word_a_lower_case_word_could_be_a_slip_of():
    planner = Planner.for_texts(["Wilms tumor is treated with surgery."], 85.0,
                                headings=["Results of the National Wilms Tumor Study"])
    # one edit from "nets" (the summaries' "NETs"), which is an acronym, not a word it could be a slip of
    assert "national wilms tumor study (nwts)" in planner.plan("nwts results for my son").dense_text


def test_initials_the_index_uses_or_that_are_a_slip_a_word_or_built_on_an_acronym_stay_as_typed():
    planner = Planner.for_texts(PASSAGES + ["It is diffuse large B-cell lymphoma."], 85.0, headings=HEADINGS)
    for question in ("is the ICU far", "MIGB scan", "MIBG scan", "GEPNET surgery", "DLBCL outlook", "OTC painkillers"):
        plan = planner.plan(question)
        assert not [t for t in plan.topics if t.isupper() or t == question.split()[0].lower()], question
        assert "(" not in plan.dense_text, question


def test_the_seed_index_refuses_initials_it_never_names_and_answers_its_own(seed_retriever):
    res = seed_retriever.search("NSCLC stage 4 treatment")
    assert res.abstained and "nsclc" in res.missing
    assert not seed_retriever.search("what is a GI carcinoid tumor").abstained
