"""Pure pieces of the retriever: no model needed."""

from collections import Counter

import numpy as np
import pytest

from retriever.citation import citation_line
from retriever.fusion import rrf
from retriever.highlight import pick_highlights
from retriever.lexicon import expansions, lay_words, spell_out
from retriever.spelling import Speller
from retriever.text import field_meant, replace_word, sentence_spans
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
    # "kemo" as it is heard: the seed never says "chemo", so the speller had nothing to correct it to
    assert spell_out("what kemo do they give") == "what chemotherapy do they give"


def test_tokenize_stems_and_drops_question_words():
    assert tokenize("What are my dad's tumors?") == ["dad", "tumor"]
    assert tokenize("whats the outlook") == tokenize("what's the outlook") == ["outlook"]
    assert tokenize("i dont know, im scared") == tokenize("I don't know, I'm scared")


def test_non_is_joined_to_the_word_it_negates_in_every_spelling():
    from retriever.lexicon import question_terms
    from retriever.tokenization import passage_vocabulary
    assert tokenize("Non-Hodgkin lymphoma") == tokenize("non hodgkins lymphoma") == tokenize("nonhodgkin lymphoma")
    assert "hodgkin" not in tokenize("non-Hodgkin lymphoma") and "hodgkin" in tokenize("Hodgkin lymphoma")
    assert tokenize("non-small cell") != tokenize("small cell")
    assert ("nonhodgkin",) in question_terms("treatments for non-Hodgkin lymphoma")
    passage = passage_vocabulary("Adult non-Hodgkin lymphoma is a disease.", "Treatment")
    assert passage.knows("nonhodgkin") and passage.knows("hodgkin")  # the words as written stay known


def test_a_quoted_phrase_reads_non_as_the_keyword_index_does():
    from retriever.quotes import quoted
    from retriever.tokenization import holds_phrase
    text = "Adult non-Hodgkin lymphoma is treated with chemotherapy."
    hodgkin, nhl = quoted('"Hodgkin lymphoma" "non-Hodgkin lymphoma" "non hodgkin lymphoma"')  # the last two are one
    assert not holds_phrase(text, hodgkin) and holds_phrase(text, nhl)


def test_emoji_are_dropped_with_what_builds_them_and_other_symbols_kept():
    from retriever.text import drop_emoji

    assert drop_emoji("what do we do 😢").split() == ["what", "do", "we", "do"]
    # joined families, skin tones, flags, keycaps and variation selectors leave nothing behind
    assert drop_emoji("👨\u200d👩\u200d👧 help 🙏🏽 🇬🇧 1\ufe0f\u20e3 ❤\ufe0f").split() == ["help", "1"]
    # letters of any script (a joiner inside a Devanagari word too), degrees, arrows, and
    # symbols shown as text by default are no emoji
    assert drop_emoji("类癌 38°C → ok") == "类癌 38°C → ok"
    assert drop_emoji("Herceptin® © ™ ♀ ❤ क्\u200dष") == "Herceptin® © ™ ♀ ❤ क्\u200dष"
    plain = "carcinoid tumor"
    assert drop_emoji(plain) is plain


def test_invisible_characters_are_dropped_and_visible_ones_kept():
    from retriever.text import drop_invisible
    from retriever.tokenization import words

    assert words(drop_invisible("octr\u00adeotide, carci\u200bnoid \ufeffliver\u2060s")) == \
        ["octreotide", "carcinoid", "livers"]
    assert drop_invisible("\u200eright-to-left\u200f mark") == "right-to-left mark"
    assert drop_invisible("类癌 38°C → naïve") == "类癌 38°C → naïve"
    plain = "carcinoid tumor"
    assert drop_invisible(plain) is plain


def test_accented_words_are_whole_words_typed_with_or_without_their_accents():
    from retriever.text import strip_accents
    from retriever.tokenization import words

    assert words("Sézary syndrome") == words("Sezary syndrome") == ["sezary", "syndrome"]
    assert tokenize("Waldenström macroglobulinemia") == tokenize("waldenstrom macroglobulinemia")
    assert strip_accents("naïve café, Behçet") == "naive cafe, Behcet"
    plain = "carcinoid tumor"
    assert strip_accents(plain) is plain
    # a corpus word with an accent is known whole, so the unaccented word is not "corrected"
    assert Speller(Counter(words("Waldenström macroglobulinemia"))).correct("waldenstrom") is None
    # and a slip of an accented word is corrected in what is searched, typed with its accent or not
    from retriever.planning import Planner
    planner = Planner(Speller(Counter(words("Sézary syndrome is treated " * 3))))
    for typed in ("Sézzary syndrome", "Sezzary syndrome"):
        plan = planner.plan(typed)
        assert plan.corrections == {"sezzary": "sezary"} and plan.dense_text == "sezary syndrome"
        assert tokenize("sezary") == [t for t in plan.tokens if t.startswith("sez")]


def test_quoted_phrases_are_read_as_their_words_straight_or_curly():
    from retriever.quotes import quoted
    from retriever.tokenization import spaced_words

    assert quoted('octreotide "Slow-Release" and \u201cliver transplant\u201d') == ("slow release", "liver transplant")
    assert quoted('a "" or " " or "x" quote, and an "unclosed one') == ()
    assert quoted('"scan" then "scan"') == ("scan",)
    assert quoted('"Waldenström" and "patient\u2019s T cells"') == ("waldenstrom", "patient s t cells")
    # looked for word for word: not inside another word, accents and curly quotes aside
    assert " atc " not in spaced_words("Watchful waiting.")
    assert " waldenstrom " in spaced_words("Waldenström macroglobulinemia")
    assert " patient s t cells " in spaced_words("the patient’s T cells are")


def test_the_planner_corrects_only_what_was_typed_and_reads_the_patient_before_acronyms():
    from retriever.planning import Planner
    from retriever.tokenization import words

    planner = Planner(Speller(Counter(words("heart syndrome adult leukemia treatment " * 3))))
    plan = planner.plan("What is HAART?")  # an acronym the index lacks: written out, not "corrected"
    assert plan.corrections == {} and plan.dense_text == "What is highly active antiretroviral therapy (HAART)?"
    plan = planner.plan('adult T-ALL treatment "T-ALL"')
    assert plan.audience == "adult" and plan.phrases == ("t all",)  # the definition says "childhood"


def test_a_quoted_word_is_searched_as_typed_and_the_rest_corrected():
    """A quoted "plugh" was matched as typed but reported, and searched, as "plug"."""
    from retriever.planning import Planner
    from retriever.tokenization import words

    planner = Planner(Speller(Counter(words("carcinoid syndrome is treated with a plug " * 3))))
    plan = planner.plan('"xyzzy plugh" carcinoyd')
    assert plan.corrections == {"carcinoyd": "carcinoid"} and plan.dense_text == '"xyzzy plugh" carcinoid'
    assert plan.phrases == ("xyzzy plugh",)
    assert planner.plan("plugh carcinoyd").corrections == {"plugh": "plug", "carcinoyd": "carcinoid"}
    assert planner.plan('carcinoyd "syndrome plugh').corrections["plugh"] == "plug"  # an unclosed quote quotes nothing
    joined = Planner(Speller(Counter(words("neuroendocrine tumor " * 3))))
    assert joined.plan("neuro endo crine tumor").corrections == {"neuro endo crine": "neuroendocrine"}
    assert joined.plan('"neuro endo crine" tumor').corrections == {}  # pieces in quotes stay pieces
    assert planner.plan('"how dose it work"').corrections == {} and planner.plan("how dose it work").corrections


def test_lifted_rows_come_first_and_scores_still_descend():
    from retriever.fusion import best_first, lift

    scores = {1: 3.0, 2: 2.0, 3: 1.0, 4: -5.0}
    lifted = lift(scores, {4: 1, 3: 1, 99: 2})
    assert best_first(lifted) == [3, 4, 1, 2]
    assert best_first(lift(scores, {4: 2, 2: 1, 3: 1})) == [4, 2, 3, 1]
    assert lift(scores, {}) == scores and lift(scores, {1: 0, 2: 0}) == scores


def test_included_rows_join_below_every_candidate_in_their_order():
    from retriever.fusion import best_first, include

    scores = {1: 3.0, 2: 2.0}
    assert best_first(include(scores, [7, 2, 5])) == [1, 2, 7, 5]
    assert include(scores, [1]) is scores and best_first(include({}, [4, 3])) == [4, 3]


def test_a_quoted_phrase_comes_first_then_the_other_terms_a_passage_holds():
    from retriever.planning import Planner, held
    from retriever.tokenization import Vocabulary, spaced_words, words

    planner = Planner(Speller(Counter(words("octreotide slow release lung cancer prognosis outlook " * 3))))

    plan = planner.plan('octreotide "slow-release"')
    assert plan.phrases == ("slow release",) and plan.outside == (("octreotide",),)

    def tier(text):
        return held(plan, text, Vocabulary(spaced_words(text).split()))

    both, phrase, other = ("Octreotide comes in a slow-release form.", "Cartilage is sold as slow release tablets.",
                           "Octreotide is given as an injection.")
    assert tier(both) > tier(phrase) > tier(other) > tier("Slow, steady release of the drug.") == 0
    # a quoted lay word is not counted again as the document word it is searched as
    plan = planner.plan('"outlook" lung cancer')
    assert plan.outside == (("lung",), ("cancer",))
    assert planner.plan("no quotes at all").outside == ()


def test_a_word_replaced_for_showing_keeps_the_case_it_was_typed_in():
    assert replace_word("HODGKINS LYMPHOMA", "hodgkins", "hodgkin", keep_case=True) == "HODGKIN LYMPHOMA"
    assert replace_word("Tumour size", "tumour", "tumor", keep_case=True) == "Tumor size"
    assert replace_word("my Tumour", "tumour", "tumor") == "my tumor"  # searched: as the speller gives it
    # pieces are shown in the case of the first; a dash sets them apart as a hyphen does
    assert replace_word("a neuro Endo – crine", "neuro endo crine", "neuroendocrine", keep_case=True) \
        == "a neuroendocrine"


@pytest.mark.parametrize("name, given, meant", [
    ("titel", (), "title"), ("lastreviewed", (), "lastReviewed"), ("Last Reviewed", (), "lastReviewed"),
    ("last-reviewed", (), "lastReviewed"), ("lastReview", (), "lastReviewed"), ("cancertype", (), "cancerTypes"),
    ("Tags", (), "tags"), ("tag", (), "tags"),
    # a writer's own: beside the field it resembles, or like none
    ("lastReviewedBy", ("lastReviewed",), None), ("lastReviewer", ("lastReviewed",), None),
    ("urls", ("url",), None), ("reviewed", (), None), ("citation", (), None), ("owner", (), None),
])
def test_a_field_meant_is_a_slip_of_case_separators_or_a_letter(name, given, meant):
    assert field_meant(name, ("title", "url", "cancerTypes", "lastReviewed", "tags", "audienceLevel"), given) == meant
