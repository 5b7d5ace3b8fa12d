"""Words spelled right but typed for another, read from the index's own word pairs."""

from collections import Counter

from retriever.planning import Planner
from retriever.spelling import Speller
from retriever.wordpairs import WordPairs, one_slip, segments

PASSAGES = [
    "Lymph nodes near the tumor are removed. Lymph nodes may be checked for cancer.",
    "Clinical trials test new treatments. Patients may join clinical trials before treatment.",
    "Side effects of chemotherapy include nausea. Side effects may last for weeks. Night sweats.",
    "Contrast dye is injected into a vein. The cells die. Lymph nodes are small.",
    "Talk with your doctor about side effects, clinical trials and lymph nodes.",
    "Some cancers spread to the lymph nodes, and clinical trials may help. Side effects vary.",
    "The list below. See the section on side effects of treatment. Lymph nodes and clinical trials.",
    "Read the list below. See the table, and ask about clinical trials for side effects. Contrast dye helps.",
    "Contrast dye shows the vessels. A contrast dye may be used. Contrast dye again.",
]


def pairs() -> WordPairs:
    return WordPairs.from_segments([ws for p in PASSAGES for ws in segments(p)])


def test_a_slip_onto_another_word_is_read_as_the_word_its_neighbour_goes_with():
    wp = pairs()
    assert wp.fixes("are there clinical trails for this") == {"trails": "trials"}
    assert wp.fixes("swollen lymph nods in the neck") == {"nods": "nodes"}
    assert built("night sweats. " * 6).fixes("night sweets and fever") == {"sweets": "sweats"}
    assert built("uveal melanoma. " * 6).fixes("oveal melanoma") == {"oveal": "uveal"}  # a vowel for a vowel
    assert wp.fixes("side affects of the drug") == {}  # "affects" is too common a word (Zipf 4.2)


def built(*texts: str) -> WordPairs:
    return WordPairs.from_segments([ws for t in texts for ws in segments(t)])


def test_a_word_everyday_english_uses_often_is_meant_as_typed():
    """"made sure" is no "make sure", nor "contrast die" read as dye: "die" is too common a word."""
    wp = built("Make sure to rest. " * 6, "Contrast dye is used. " * 6)
    assert "make" in wp.before["sure"] and wp.fixes("they made sure") == {}
    assert wp.fixes("contrast die") == {}


def test_a_word_the_index_uses_itself_is_meant_as_typed():
    wp = built("nasal spray. " * 40, "a nosal spot. " * 3)
    assert wp.fixes("nosal spray") == {}  # the index has "nosal" 3 times, over 5% of "nasal"'s 40
    assert built("nasal spray. " * 40, "a nosal spot. ").fixes("nosal spray") == {"nosal": "nasal"}


def test_a_word_is_read_from_the_word_after_it_too():
    assert built("nasal spray. " * 6).fixes("a nosal spray") == {"nosal": "nasal"}


def test_a_pair_the_index_holds_is_meant_as_typed():
    wp = built("lymph nodes. " * 30, "lymph nods. ")
    assert wp.fixes("lymph nods") == {}


def test_only_a_strong_and_only_partner_one_slip_away_reads():
    assert built("alpha bands. alpha bonds. " * 6).fixes("alpha bends") == {}  # two partners a slip away
    assert built("alpha bands. " * 6).fixes("alpha bends") == {"bends": "bands"}
    assert built("alpha bands. " * 4).fixes("alpha bends") == {}  # 4 pairs: too few to trust
    weak = built("alpha bands. " * 6, *(f"alpha {w}. " * 4 for w in ("one", "two", "six", "ten")))
    assert weak.fixes("alpha bends") == {}  # "bands" follows "alpha" in 6 of 22 pairs, under 30%
    assert built("the bands. " * 6).fixes("the bends") == {}  # "the" pairs with anything
    before = built("nasal spray. " * 6, *(f"{w} spray. " * 4 for w in ("red", "big", "old", "dry")))
    assert before.fixes("nosal spray") == {}  # "nasal" is 6 of the 22 words before "spray"


def test_a_word_typed_twice_or_beside_a_number_stays():
    """A correction replaces every copy of a word: "lymph nods, and he nods" would read "he nodes"."""
    wp = pairs()
    assert wp.fixes("lymph nods and he nods yes") == {}
    assert wp.fixes("lymph nods, and he nods yes") == {}  # the copies in two stretches of the question
    assert built("age 25. " * 6).fixes("the ahe 25") == {}  # "3 years ago 25 sessions" read "age 25"
    assert built("25 cases. " * 6).fixes("in 25 csaes") == {}


def test_words_the_index_pairs_as_typed_or_other_forms_of_a_word_stay():
    wp = pairs()
    assert wp.fixes("clinical trial") == {}  # the singular: a form of "trials", not a slip
    assert wp.fixes("lymph nodes and clinical trials") == {}  # pairs the index holds
    assert wp.fixes("CLINICAL trails", keep={"trails"}) == {}  # typed in capitals, say


def test_pairs_do_not_run_across_punctuation():
    """"... the list below. See the ..." paired "below" with "see", and "op down below sex
    life" read "see life"."""
    wp = pairs()
    assert "see" not in wp.after.get("below", ())
    assert wp.fixes("below sex life") == {}
    assert wp.fixes("lymph, nods") == {}  # a comma between them: no pair typed either


def test_a_slip_keeps_its_first_letter_and_is_one_edit():
    assert one_slip("trails", "trials") and one_slip("nods", "nodes") and one_slip("affects", "effects")
    assert not one_slip("bump", "lump")  # a first letter changed: another word, not a slip
    assert not one_slip("alive", "live") and not one_slip("healthy", "health")  # a form of it
    assert not one_slip("trials", "trial")
    assert not one_slip("studies", "studied")  # one letter apart, one word
    assert one_slip("rtials", "trials")  # the first two letters swapped
    assert not one_slip("nodes", "notes" + "s")  # two edits


def test_segments_hold_every_word_of_the_text():
    text = "Lymph nodes (small organs), 1.5 cm; see: below."
    assert [w for ws in segments(text) for w in ws] == ["lymph", "nodes", "small", "organs", "1", "5", "cm",
                                                        "see", "below"]


def test_the_planner_searches_and_shows_the_word_meant():
    planner = Planner.for_texts(PASSAGES, 85.0)
    plan = planner.plan("Are there clinical trails for my dad")
    assert plan.corrections == {"trails": "trials"}
    assert plan.dense_text == "Are there clinical trials for my dad" and "trail" not in plan.tokens
    assert planner.speller.counts == Counter(w for p in PASSAGES for ws in segments(p) for w in ws)
    assert Planner(Speller(planner.speller.counts)).plan("clinical trails").corrections == {}  # no pairs: as typed
