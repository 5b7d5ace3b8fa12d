"""Abstention's pieces: health topics, figures, providers, the all-terms floor and the
nothing-found rule (no model needed)."""

from dataclasses import replace

from retriever.abstain import (
    ALL_TERMS_FOUND,
    EVERYDAY,
    NOTHING_FOUND_BELOW,
    Evidence,
    Vocabulary,
    all_terms_found,
    asks_nothing,
    confidence,
    evidence,
    hand_confidence,
    judge,
    nothing_found,
)
from retriever.boilerplate import own_text
from retriever.figures import figure_missing, figures_asked
from retriever.health_topics import topic_words
from retriever.lexicon import question_terms
from retriever.tokenization import passage_vocabulary


def _never_a_typo(word):
    return False


def test_each_thing_missing_lowers_the_confidence_up_to_a_count():
    assert confidence(0.6, 1) < confidence(0.6, 0) == 0.6
    assert confidence(0.9, 5) == confidence(0.9, 2)


def test_a_normal_range_is_asked_with_the_measure_named_between():
    """"normal chromogranin A range" and "a normal serotonin level" were answered with the
    passage naming the test, which gives no range (from a new user's trial)."""
    ranged = figures_asked("what is a normal range")
    for asks in ("normal chromogranin A range", "what is a normal serotonin level",
                 "what's a normal 5-HIAA level in urine"):
        assert figures_asked(asks) == ranged, asks
    assert figure_missing(ranged, ["Chromogranin A is a tumor marker measured in the blood."])
    assert not figure_missing(ranged, ["A normal level is under 100 ng/mL."])
    # a normal result of a test is not a range asked for
    assert figures_asked("why could a normal psa result still be a worry") == []


def test_figure_questions_need_the_right_kind_of_figure():
    survival = figures_asked("What is the 5-year survival rate?")
    assert survival and figure_missing(survival, ["Collect urine for 24 hours."])
    assert not figure_missing(survival, ["About 90% of patients live 5 years."])
    dose = figures_asked("what dose of octreotide is usual")
    assert figure_missing(dose, ["Octreotide is given as an injection."])
    assert not figure_missing(dose, ["The usual dose is 20 mg."])
    assert figures_asked("Does that raise her chances of getting a tumor?") == []
    assert figures_asked("why do they scan my bones") == []
    # a treatment's or a test's name is not a dose asked for
    assert figures_asked("my son needs high-dose chemo with a stem cell rescue, why") == []
    assert figures_asked("should smokers get a low dose CT scan") == []
    assert figures_asked("is a high dose of vitamin C a problem, what dose is safe") == dose
    assert figures_asked("what dose it mean when the leukemia is recurrent") == []  # "does"
    assert figures_asked("what dose this mean for her") == []
    assert figures_asked("what dose local exision mean for my tumer") == []  # "does", a few words before "mean"
    assert figures_asked("What dose stage 3 rectal cancer mean?") == []
    assert figures_asked("what dose of octreotide means it works") != []  # a dose of something: asked
    assert figures_asked("what dose that means") == []  # "means" as well as "mean"
    # ...but not when the question says "does" or "do" itself, or is about a dosage
    for asks in ("what dose does the doctor mean", "what dosage do they mean by standard",
                 "what is the normal dose and what does that mean for me"):
        assert figures_asked(asks) == dose, asks
    # a question opening with "dose" and a subject after it opens with "does"
    assert figures_asked("Dose an oatmeal bath help with itchin?") == []
    assert figures_asked("dose my dad need surgery") == []
    for asks in ("Dose of lanreotide for adults?", "dose for a child", "dose lanreotide", "Dose range for octreotide?"):
        assert figures_asked(asks) == dose, asks
    for asks in ("what dose i should take of octreotide", "which dose they use for kids",
                 "what doses this drug comes in"):
        assert figures_asked(asks) == dose, asks
    # an amount to take, asked without the word
    for asks in ("how much octreotide should he take", "how much of it do I take",
                 "how much vitamin d should my husband take", "how much will my mom need to take",
                 "how much octreotide should he be taking", "how much to take", "how much is he supposed to take",
                 "how much vitamin D should an adult take every day", "how much should they take"):
        assert figures_asked(asks) == dose, asks
    for plain in ("how many samples do they take", "how much time should I take off work",
                  "how much blood will they take", "how much weight will I take off",  # taken off: no dose
                  "how much of my colon will he take", "how much of my liver will my surgeon take",
                  "how much rest should I take after surgery", "how much of a break should I take",
                  "how much sick leave should I take"):
        assert figures_asked(plain) == [], plain


def test_a_survival_figure_or_a_dose_is_asked_only_in_so_many_words():
    rate = figures_asked("What is the 5-year survival rate?")
    for asks in ("5 year survival odds for stage 4", "what's the survival rate once it has spread",
                 "average life expectancy in years", "what percent of people are alive after 5 years",
                 "survival-rate for pancreatic cancer", "5yr survival breast cancer", "5\u2013year survival",
                 "two year overall survival", "median survival of mesothelioma", "odds of survival", "survival %",
                 "survival stats for stage 3 colon cancer", "survival probability", "four-year survival"):
        assert figures_asked(asks) == rate, asks
    # a prognosis passage answers these: no rate is asked for
    for plain in ("psk gastric cancer survival", "eye melanoma survival factors", "child lymphoma survival chances",
                  "how common is lung cancer in the US"):
        assert figures_asked(plain) == [], plain
    # a dose said to be lower, full or tiny is talked about, not asked for
    for plain in ("why do people with AIDS get lower doses of lymphoma drugs", "can HIV meds allow full-dose chemo",
                  "why start her pain medicine at such a tiny dose", "is a lower-dose ct scan safe",
                  "what is reduced-dose radiation", "is a LOWER  DOSE safer", "what is a low dose ct",
                  "might they lower her doses?", "do kids with downs syndrome get lower chemo doses",
                  "large doses of vitamin C", "is a low\u2013dose CT safe",
                  "what if they give a reduced dose of chemo"):
        assert figures_asked(plain) == [], plain
    dose = figures_asked("what dose of octreotide")
    for asks in ("pain medicine dose older adults", "what is the full dose of methotrexate",
                 "how much is a full dose of tylenol", "what's the latest dose", "What Is The Full Dose Of Cisplatin",
                 "what is the reduced dose for kidney problems"):
        assert figures_asked(asks) == dose, asks


def test_how_long_is_answered_by_a_length_or_a_worded_time():
    how_long = figures_asked("the anal canal, how long is it anyway")
    assert not figure_missing(how_long, ["The anal canal is about 1 to 1½ inches long."])
    assert not figure_missing(how_long, ["Treatment usually lasts for several days."])
    assert not figure_missing(how_long, ["Chemotherapy is given for 6 months."])
    assert not figure_missing(how_long, ["A panic attack usually lasts for 10 to 20 minutes."])
    # a time without a number, and words that only look like one
    for worded in ("Imatinib is given for as long as the tumor does not grow.", "Patients need lifelong follow-up.",
                   "Check-ups for the rest of their lives."):
        assert not figure_missing(how_long, [worded]), worded
    for no_time in ("Itching affects your daily activities.", "Survivors have a lifelong risk of fatigue.",
                    "Summaries are reviewed regularly."):
        assert figure_missing(how_long, [no_time]), no_time
    how_often = figures_asked("how often does it get checked")
    assert how_often != how_long
    for worded in ("Summaries are reviewed regularly and updated.", "Check-ups are done frequently in the first year.",
                   "The drug is taken daily.", "Scans every 6 months."):
        assert not figure_missing(how_often, [worded]), worded
    for no_time in ("Follow-up tests may be needed.", "Help with activities of daily living.",
                    "Pain can affect daily life.", "The FDA does not regularly review supplements.",
                    "The total daily dose is split."):
        assert figure_missing(how_often, [no_time]), no_time
    # a tumour's size is not a length of time or of an organ
    assert figure_missing(how_long, ["Surgery for tumors larger than 2 centimeters."])


def test_question_terms_count_a_lay_phrase_once_by_its_own_and_its_document_words():
    assert question_terms("what is the outlook?") == [("outlook", "prognosis", "chance", "recovery")]
    assert question_terms("does my belly hurt") == [("hurt",), ("belly", "abdominal", "abdomen")]
    assert question_terms("stomach ache") == [("abdominal", "pain")]  # a phrase's words are no alternative
    assert question_terms("is it?") == []


def test_a_passage_with_every_term_lifts_a_short_question():
    terms = question_terms("outlook for a rectal tumor")
    with_all = Vocabulary("the prognosis of tumors in the rectal wall".split())
    with_some = Vocabulary("the prognosis depends on the tumor".split())
    assert all_terms_found(terms, [with_some, with_all]) and not all_terms_found(terms, [with_some])
    assert not all_terms_found([], [with_all])
    assert confidence(0.2, 0, terms_found=True) == ALL_TERMS_FOUND
    assert confidence(0.7, 0, terms_found=True) == 0.7
    assert confidence(0.2, 1, terms_found=True) < ALL_TERMS_FOUND


def test_a_passage_holding_only_common_words_of_the_question_lifts_nothing():
    """Small talk shares its words with any passage: "time" and "today" say nothing of an answer."""
    passage = [Vocabulary("follow up tests are done from time to time today and later on".split())]
    assert not all_terms_found(question_terms("what time is it"), passage)
    assert not all_terms_found(question_terms("how are you today"), passage)
    assert all_terms_found(question_terms("follow up tests"), passage)  # "tests" is less common



def test_a_question_none_of_whose_words_the_passages_use_names_them():
    passages = [Vocabulary("octreotide is injected under the skin".split()), Vocabulary(["prognosis"])]
    assert nothing_found(question_terms("niacin"), passages) == ["niacin"]
    assert nothing_found(question_terms("migraine relief"), passages) == ["migraine", "relief"]
    assert nothing_found(question_terms("niacin injections"), passages) == []  # one word found
    assert nothing_found(question_terms("outlook"), passages) == []  # found as "prognosis"
    assert nothing_found([], passages) == []


def test_a_lay_word_the_passages_use_is_found_and_a_word_never_typed_is_never_named():
    """"carcinoid" is the GI summary's word as well as the lexicon's lay word for
    "neuroendocrine": a passage that says it answers the term, and a refusal names what the
    reader typed, not the lexicon's document word."""
    says_carcinoid = [Vocabulary("carcinoid tumors grow slowly".split())]
    assert all_terms_found(question_terms("carcinoid"), says_carcinoid)
    assert nothing_found(question_terms("carcinoid"), [Vocabulary(["prognosis"])]) == []
    well = [Vocabulary("surgery works as well as chemotherapy".split())]  # a phrase's word is no alternative
    assert not all_terms_found(question_terms("how well surgery"), well)


def _passage(text: str, headings: str) -> tuple[str, Vocabulary, Vocabulary]:
    """A passage as `evidence` reads it: its text, its words, and its words less PDQ's notes."""
    return text, passage_vocabulary(text, headings), passage_vocabulary(own_text(text), headings)


def test_the_nothing_found_rule_yields_to_a_close_embedding():
    """A lay question can share no word with the passage that answers it; a cosine at or
    above ``NOTHING_FOUND_BELOW`` says the passage is about it anyway."""
    passage = [_passage("Opioids may cause drowsiness.", "Pain control")]
    question = "strong painkillers make me sleepy"
    terms = question_terms(question)
    far, far_missing = evidence(question, NOTHING_FOUND_BELOW - 0.05, passage, terms, [], [])
    close, close_missing = evidence(question, NOTHING_FOUND_BELOW, passage, terms, [], [])
    assert far.nothing_found and far_missing == ["strong", "painkillers", "make", "sleepy"]
    assert not close.nothing_found and close_missing == []


def test_a_word_everyday_english_hardly_uses_held_by_the_passages_is_cancer_s_ground():
    """The domain check read "how much does lanreotide cost per month" as everyday (a price's
    words are no passage's); the drug's name, which the passage holds, says it is not.
    A word of everyday English held by the passages ("injection") does not: the flag stands."""
    passage = [_passage("Lanreotide is a somatostatin analog given as an injection.", "Hormone therapy")]
    for question, everyday in (("how much does lanreotide cost per month", False),
                               ("how much does an injection cost per month", True)):
        terms = question_terms(question)
        ev, missing = evidence(question, 0.5, passage, terms, [], [], everyday=True)
        assert ev.coverage < 0.5 and ev.everyday is everyday and (EVERYDAY in missing) is everyday, question
    # a word the lexicon also searches by its document words is still the question's own ("carcinoid")
    scan = [_passage("A carcinoid may show on a scan.", "Imaging tests")]
    question = "how much does a carcinoid scan cost per month at the clinic"
    assert question_terms(question)[-1] == ("carcinoid", "neuroendocrine")
    assert not evidence(question, 0.5, scan, question_terms(question), [], [], everyday=True)[0].everyday


def test_a_missing_topic_vetoes_however_close_the_embedding():
    """A short query lands close to a passage of the same kind in another cancer: "lung
    cancer staging" had cosine 0.87 with the seed's staging passage and was answered."""
    question = "lung cancer staging"
    passage = [_passage("Staging is the process used to find out if cancer has spread.", "Staging")]
    terms = question_terms(question)
    ev, missing = evidence(question, 0.87, passage, terms, topic_words(question.split(), set(), _never_a_typo), [])
    assert missing == ["lung"] and ev.topics_missing == ("lung",)
    assert hand_confidence(ev, missing) <= 0.0 < confidence(0.87, 1) - 0.34  # the penalty alone let it pass
    ok, none_missing = evidence("cancer staging", 0.87, passage, question_terms("cancer staging"), [], [])
    assert hand_confidence(ok, none_missing) == 0.87  # without a missing topic, nothing changes


def test_a_topic_named_only_in_pdq_s_notes_is_missing():
    """Every summary's permission notice cites "breast cancer prevention"; the notes answer
    terms (the words are there) but are no evidence of a topic."""
    notice = ("However, a user would be allowed to write a sentence such as \u201cNCI\u2019s PDQ cancer information "
              "summary about breast cancer prevention states the risks in the following way: [include excerpt "
              "from the summary].\u201d")
    passage = [_passage("Staging finds out if cancer has spread.\n\n" + notice, "Staging")]
    question = "breast cancer staging"
    ev, missing = evidence(question, 0.6, passage, question_terms(question),
                           topic_words(question.split(), set(), _never_a_typo), [])
    assert ev.topics_missing == ("breast",) and missing == ["breast"] and ev.all_terms_found


def test_a_missing_topic_vetoes_a_learned_calibration_too():
    """``python -m training calibrate`` writes one; its weights must not answer a question
    about a subject the documents never mention."""
    class Sure:
        def confidence(self, ev):
            return 0.93

    passage = [_passage("Staging finds out if cancer has spread.", "Staging")]
    question = "lung cancer staging"
    ev, missing = evidence(question, 0.87, passage, question_terms(question),
                           topic_words(question.split(), set(), _never_a_typo), [])
    assert judge(ev, missing, Sure(), 0.34).abstained
    ok, none_missing = evidence("cancer staging", 0.87, passage, question_terms("cancer staging"), [], [])
    assert not judge(ok, none_missing, Sure(), 0.34).abstained


def test_a_cancer_the_passages_mention_but_are_not_about_vetoes_too():
    """The scope (`Scope.unnamed`) finds the urethral passage not about prostate cancer,
    though it names it: that word counts as missing whatever the passage's words say."""
    passage = [_passage("Bladder and/or prostate cancer may occur at the same time as urethral cancer.", "Signs")]
    question = "prostate cancer symptoms"
    topics = topic_words(question.split(), set(), _never_a_typo)
    read, read_missing = evidence(question, 0.7, passage, question_terms(question), topics, [])
    assert "prostate" in topics and read_missing == []  # its words alone: the topic is there
    ev, missing = evidence(question, 0.7, passage, question_terms(question), topics, [], unanswered=["prostate"])
    assert ev.topics_missing == ("prostate",) and missing == ["prostate"]
    assert hand_confidence(ev, missing) <= 0.0


def test_a_union_of_vocabularies_knows_what_each_knows():
    parts = [Vocabulary("the pancreatic tumor".split()), Vocabulary("octreotide injections".split())]
    union = Vocabulary.union(parts)
    whole = Vocabulary("the pancreatic tumor octreotide injections".split())
    assert (union.words, union.stems, union.prefixes) == (whole.words, whole.stems, whole.prefixes)
    assert union.knows("pancreas") and union.knows("injected") and not union.knows("lungs")


def test_a_query_without_terms_asks_nothing_when_under_three_characters_or_three_stop_words():
    assert asks_nothing("y", []) and asks_nothing("a?", []) and asks_nothing("an", [])
    assert asks_nothing("what now?", []) and asks_nothing("Who are you?", []) and asks_nothing("what", [])
    assert not asks_nothing("couldnt get it all out", [])  # a question of stop words: the cosine decides
    assert not asks_nothing("what is a D&C?", [])  # "c" is no stop word, though too short for a term
    assert not asks_nothing("T3", [("t3",)])  # a term: a stage, a drug code
    assert asks_nothing("1", [("1",)]) and asks_nothing("12", [("12",)])  # a number alone is none
    assert not asks_nothing("988", [("988",)])  # three characters: the cosine decides


def test_a_veto_refuses_at_a_threshold_of_zero():
    """A veto caps the confidence at `TOPIC_VETO` (0): at a threshold of 0, which the
    settings allow, "lung cancer staging" on the seed was answered."""
    ev = Evidence(0.87, 1, False, False, False, True, 1.0, ("lung",), False)
    assert judge(ev, ["lung"], None, 0.0).abstained
    assert not judge(replace(ev, missing_topics=0, topics_missing=()), [], None, 0.0).abstained
