"""Pure pieces of the retriever: no model needed."""

from collections import Counter

import numpy as np
import pytest

from retriever.abstain import (
    ALL_TERMS_FOUND,
    NOTHING_FOUND_BELOW,
    Vocabulary,
    all_terms_found,
    confidence,
    evidence,
    missing_topics,
    nothing_found,
    provider_missing,
    topic_words,
)
from retriever.citation import citation_line
from retriever.figures import figure_missing, figures_asked
from retriever.fusion import rrf
from retriever.highlight import pick_highlights
from retriever.lexicon import expansions, lay_words, question_terms, spell_out
from retriever.spelling import Speller
from retriever.text import sentence_spans
from retriever.tokenization import tokenize


def test_rrf_rewards_agreement_and_respects_weights():
    fused = rrf([[1, 2, 3], [3, 1]], [1.0, 1.0], k=60)
    assert max(fused, key=fused.get) == 1
    only_second = rrf([[1, 2, 3], [3, 1]], [0.0, 1.0], k=60)
    assert max(only_second, key=only_second.get) == 3 and 2 not in only_second


def test_citation_line_drops_heading_equal_to_title():
    assert citation_line("T", ["T", "A", "B"], "L") == "T — A > B — L"


def test_sentence_spans_cover_sentences_and_list_items():
    text = "First one. Second one!\n- Item a.\n- Item b has two. Sentences here.\n12. Numbered"
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert spans[:2] == ["First one.", "Second one!"]
    assert "Item a." in spans and "Numbered" in spans
    assert all(not s.startswith("-") for s in spans)


def test_pick_highlights_orders_by_position_and_drops_weak():
    spans = [(0, 5), (6, 10), (11, 20)]
    hl = pick_highlights(spans, np.array([0.2, 0.9, 0.85]))
    assert [(h.start, h.end) for h in hl] == [(6, 10), (11, 20)]
    assert len(pick_highlights(spans, np.array([0.9, 0.1, 0.1]))) == 1
    assert pick_highlights([], np.zeros(0)) == []


def test_speller_corrects_only_unknown_words():
    sp = Speller(Counter({"carcinoid": 5, "octreotide": 3, "colonoscopy": 2, "tumor": 9}))
    assert sp.correct("carcinoyd") == "carcinoid"
    assert sp.correct("octreotid") == "octreotide"
    assert sp.correct("colonscopy") == "colonoscopy"
    assert sp.correct("tumor") is None and sp.correct("zebra") is None and sp.correct("the") is None


def test_speller_leaves_real_words_and_recognises_loose_typos():
    sp = Speller(Counter({"does": 9, "part": 4, "ablation": 2, "lymph": 3, "embolization": 1}))
    assert sp.correct("doses") is None and sp.correct("apart") is None
    assert sp.looks_misspelled("embolizashun") and sp.looks_misspelled("lymf")
    assert not sp.looks_misspelled("telotristat")


def test_speller_hears_spellings_by_ear_and_short_slips():
    sp = Speller(Counter({"ablation": 2, "chemotherapy": 5, "tumor": 9, "embolization": 1}))
    assert sp.correct("ablashun") == "ablation"
    assert sp.correct("embolizashun") == "embolization"
    assert sp.correct("tumer") == "tumor"
    assert sp.correct("tumbler") is None


def test_speller_keeps_a_rare_real_word_two_edits_from_a_corpus_word_but_fixes_its_slips():
    sp = Speller(Counter({"cheeses": 2, "operable": 3, "rhabdoid": 4, "prostate": 9, "separate": 5}))
    assert sp.correct("wheezes") is None  # not "cheeses"
    assert sp.correct("inoperable") is None  # not its opposite
    assert sp.correct("rhabdo") is None  # lay for rhabdomyosarcoma, not a rhabdoid tumour
    assert sp.correct("prostrate") == "prostate" and sp.correct("seperate") == "separate"


def test_speller_fixes_one_slip_in_a_non_word_when_one_corpus_word_is_that_near():
    sp = Speller(Counter({"cancer": 9, "cleanser": 1, "biopsy": 3, "free": 50, "freeze": 2,
                          "stent": 4, "student": 1, "tumor": 5}))
    assert sp.correct("canser") == "cancer"  # one edit, though "cleanser" scores higher
    assert sp.correct("biospy") == "biopsy"  # two letters swapped
    # two corpus words one edit away: the fuzzy score decides, not the commoner word
    assert sp.correct("freze") == "freeze" and sp.correct("stuent") == "student"
    # no English guesses: a drug or a tumour the summary lacks keeps its name
    assert sp.correct("telotristat") is None and sp.correct("desmoid") is None
    assert sp.correct("wilms") is None and sp.correct("crohn") is None


def test_lexicon_bridges_lay_words():
    assert "stool bowel movement" in expansions("my poop changed color")
    assert "injection" in expansions("my dad's shot")
    assert lay_words("throw up and the runs") == {"throw", "up", "the", "runs"}
    assert expansions("the tumor") == []


def test_lexicon_names_the_summaries_words_for_everyday_phrasings():
    assert expansions("will they take a piece of the tumor out") == ["tissue sample biopsy"]
    assert expansions("why did I get this") == ["risk factor"]
    assert expansions("what causes the flushing") == []  # a symptom's cause is not a risk factor
    assert expansions("could I end up with the standard treatment") == []  # not about getting ill


def test_short_forms_are_written_out():
    assert spell_out("More INFO on chemo and mets, please") == \
        "More information on chemotherapy and metastases, please"
    assert spell_out("information about chemotherapy") == "information about chemotherapy"
    assert spell_out("infos chemotherapist") == "infos chemotherapist"


def _never_a_typo(word):
    return False


def test_topic_words_are_health_topics_not_everyday_words():
    words = ["lung", "insulinoma", "sunitinib", "telotristat", "leaflet", "jug", "husband", "tumor"]
    assert topic_words(words, set(), _never_a_typo) == ["lung", "insulinoma", "sunitinib", "telotristat"]
    assert topic_words(["shot", "flu"], {"shot"}, _never_a_typo) == ["flu"]
    assert topic_words(["ablashun"], set(), lambda w: True) == []


def test_missing_topics_accept_any_form_the_passages_use():
    passages = Vocabulary("the lungs and the pancreatic tumor".split())
    assert missing_topics(["lung", "pancreas", "breast"], passages) == ["breast"]
    assert confidence(0.6, 1) < confidence(0.6, 0) == 0.6
    assert confidence(0.9, 5) == confidence(0.9, 2)


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
    for asks in ("what dose i should take of octreotide", "which dose they use for kids",
                 "what doses this drug comes in"):
        assert figures_asked(asks) == dose, asks


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


def test_provider_questions_need_a_place_to_be_treated():
    assert provider_missing("which hospital has the best specialists?", ["Surgery is the usual treatment."])
    assert provider_missing("NET doctor near me", [])
    assert not provider_missing("which hospital is best?", ["Find an NCI-designated cancer center."])
    assert not provider_missing("what is the best treatment for a small tumor?", [])
    assert not provider_missing("what kind of doctor treats this?", [])
    # the choice asked with the provider first
    assert provider_missing("which hospital is the best for carcinoid tumor surgery", [])
    assert provider_missing("Which surgeon at Johns Hopkins does the most Whipple operations?", [])
    assert not provider_missing("which doctors will be on my child's care team?", [])
    assert not provider_missing("which doctor is in charge, and who is best to ask about pain?", [])


def test_question_terms_count_a_lay_phrase_once_by_its_document_words():
    assert question_terms("what is the outlook?") == [("prognosis", "chance", "recovery")]
    assert question_terms("does my belly hurt") == [("hurt",), ("abdominal", "abdomen")]
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


def test_a_question_none_of_whose_words_the_passages_use_names_them():
    passages = [Vocabulary("octreotide is injected under the skin".split()), Vocabulary(["prognosis"])]
    assert nothing_found(question_terms("niacin"), passages) == ["niacin"]
    assert nothing_found(question_terms("migraine relief"), passages) == ["migraine", "relief"]
    assert nothing_found(question_terms("niacin injections"), passages) == []  # one word found
    assert nothing_found(question_terms("outlook"), passages) == []  # found as "prognosis"
    assert nothing_found([], passages) == []


def test_the_nothing_found_rule_yields_to_a_close_embedding():
    """A lay question can share no word with the passage that answers it; a cosine at or
    above ``NOTHING_FOUND_BELOW`` says the passage is about it anyway."""
    passage = [("Opioids may cause drowsiness.", "Pain control")]
    question = "strong painkillers make me sleepy"
    terms = [("strong",), ("painkiller",), ("sleepy",)]
    far, far_missing = evidence(question, NOTHING_FOUND_BELOW - 0.05, passage, terms, [], [])
    close, close_missing = evidence(question, NOTHING_FOUND_BELOW, passage, terms, [], [])
    assert far.nothing_found and far_missing == ["strong", "painkiller", "sleepy"]
    assert not close.nothing_found and close_missing == []


def test_speller_splits_a_number_from_the_letters_the_corpus_writes_apart():
    sp = Speller(Counter({"5": 2, "hiaa": 2, "urine": 3, "b": 1, "12": 1}))
    assert sp.correct("5hiaa") == "5 hiaa"
    assert sp.correct("b12") is None  # one letter is no word to match
    assert sp.correct("7xyzw") is None


def test_tokenize_stems_and_drops_question_words():
    assert tokenize("What are my dad's tumors?") == ["dad", "tumor"]
    assert tokenize("whats the outlook") == tokenize("what's the outlook") == ["outlook"]
    assert tokenize("i dont know, im scared") == tokenize("I don't know, I'm scared")


def test_audience_of_questions_and_documents():
    from retriever.audience import audience, is_childhood, url_words

    assert audience("my son has Hodgkin lymphoma") == audience("Childhood ALL treatment") == "child"
    assert audience("What is the outlook for Adult Hodgkin Lymphoma?") != "child"
    assert is_childhood("Childhood Acute Lymphoblastic Leukemia - NCI", "")
    assert is_childhood("Hodgkin Lymphoma", "https://www.cancer.gov/types/lymphoma/patient/child-hodgkin-treatment-pdq")
    assert not is_childhood("Acute Lymphoblastic Leukemia Treatment - NCI",
                            "https://www.cancer.gov/types/leukemia/patient/adult-all-treatment-pdq")
    url = "https://www.cancer.gov/types/leukemia/patient/adult-all-treatment-pdq"
    assert url_words(url) == "adult all treatment pdq"


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
])
def test_who_a_question_is_about(question, who):
    from retriever.audience import audience

    assert audience(question) == who


def test_a_union_of_vocabularies_knows_what_each_knows():
    parts = [Vocabulary("the pancreatic tumor".split()), Vocabulary("octreotide injections".split())]
    union = Vocabulary.union(parts)
    whole = Vocabulary("the pancreatic tumor octreotide injections".split())
    assert (union.words, union.stems, union.prefixes) == (whole.words, whole.stems, whole.prefixes)
    assert union.knows("pancreas") and union.knows("injected") and not union.knows("lungs")
