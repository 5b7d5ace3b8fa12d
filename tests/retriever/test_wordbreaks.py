"""Words typed apart or run together, read as the words meant."""

from collections import Counter

from retriever.spelling import Speller
from retriever.wordbreaks import joined_pieces, split_run

CORPUS = Counter({"aroundsound": 2, "neuroendocrine": 9, "interferon": 3, "bloodstream": 2, "tumors": 8,
                  "cancer": 9, "colon": 4, "treatment": 9, "painkillers": 2, "ultrasound": 5, "sound": 2,
                  "round": 3, "around": 4, "boys": 2, "non": 3})


def test_a_question_typed_without_spaces_is_read_as_its_words():
    """The trial's "mymomhascoloncancer whatisthetreatment" was refused for naming an unknown topic."""
    assert split_run("whatcausesthesetumors", CORPUS) == "what causes these tumors"
    assert split_run("mymomhascoloncancer", CORPUS) == "my mom has colon cancer"
    assert Speller(CORPUS).correct("whatisthetreatment") == "what is the treatment"


def test_a_name_the_corpus_lacks_is_not_split_into_short_words():
    corpus = CORPUS + Counter({"hormone": 3, "transplant": 2})
    for name in ("antineoplaston", "multilineage", "microsattelite", "abdominoperineal", "parathormone",
                 "posttransplantation"):  # "par at hormone", "post transplant at ion": one little word
        assert split_run(name, corpus) is None, name
    assert split_run("coloncancertreatment", CORPUS) is None  # no little word of a question: a name, maybe
    assert split_run("whatisthetreatment", CORPUS, keep=lambda w: True) is None  # the summaries' own word
    assert split_run("whataboutit", CORPUS) is None  # too short to tell from a name
    assert split_run("whatisthetreatment" * 4, CORPUS) is None  # too long for a question


def test_a_word_typed_in_pieces_is_joined_only_where_a_piece_is_no_word():
    assert joined_pieces("what is a neuro endo crine tumor", CORPUS) == {"neuro endo crine": "neuroendocrine"}
    assert joined_pieces("does inter-feron help, in the blood stream", CORPUS) == {
        "inter feron": "interferon", "blood stream": "bloodstream"}
    assert joined_pieces("to many pain killers, ultra sound", CORPUS) == {"pain killers": "painkillers",
                                                                         "ultra sound": "ultrasound"}
    # two words, each a word of the corpus, a piece of one letter, or apart by an apostrophe
    for text in ("a round mass, around sound", "my boy's scan", "letters like T and N on it", "inter'feron"):
        assert joined_pieces(text, CORPUS) == {}, text


def test_the_planner_searches_a_word_typed_in_pieces_whole():
    """"crine" was corrected on its own to "urine", and the definition never came up."""
    from retriever.planning import Planner

    plan = Planner(Speller(CORPUS + Counter({"urine": 5}))).plan("what is a Neuro-endo crine tumor")
    assert plan.dense_text == "what is a neuroendocrine tumor"
    assert plan.corrections == {"neuro endo crine": "neuroendocrine"} and "urine" not in plan.tokens
    dashed = Planner(Speller(CORPUS + Counter({"urine": 5}))).plan("what is a neuro \u2013 endo crine tumor")
    assert dashed.dense_text == "what is a neuroendocrine tumor"
