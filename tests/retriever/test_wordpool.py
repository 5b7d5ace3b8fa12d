"""The word pools' masks drop only words that could not have matched, and drop most."""

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from retriever.spelling import _english_near
from retriever.wordpool import WordPool, letter_mask

words = st.text(alphabet="abcdeilnorstuéü-1", min_size=1, max_size=12)


def test_mask_marks_letters_present_and_repeated():
    assert letter_mask("aba") == (1 << 0) | (1 << 1) | (1 << 27)
    assert letter_mask("é") == letter_mask("-") == 1 << 26  # every other character: one class
    assert letter_mask("") == 0


@settings(max_examples=300, deadline=None)
@given(words, st.lists(words, min_size=1, max_size=30), st.sampled_from([65.0, 72.0, 80.0, 85.0]))
def test_ratio_keeps_every_word_that_reaches_the_cutoff(word, choices, cutoff):
    kept = WordPool(choices).within_ratio(word, cutoff)
    reaching = [c for c in choices if fuzz.ratio(word, c) >= cutoff]
    assert [c for c in kept if c in reaching] == reaching  # all of them, in pool order


@settings(max_examples=300, deadline=None)
@given(words, st.lists(words, min_size=1, max_size=30))
def test_two_indels_keep_every_word_one_slip_away(word, choices):
    kept = WordPool(choices).within_indel(word, 2)
    one_slip = [c for c in choices if OSA.distance(word, c) <= 1]
    assert [c for c in kept if c in one_slip] == one_slip


def test_masks_rule_out_most_of_english():
    """The point of the pools: rapidfuzz scores a few hundred words, not tens of thousands."""
    pool = _english_near(len("lutathera"))
    kept = pool.within_ratio("lutathera", 85.0)
    assert len(pool) > 20_000 and len(kept) < len(pool) / 50
    assert "stent" in _english_near(6).within_ratio("sutent", 85.0)


def test_a_word_exactly_at_the_cutoff_is_kept():
    """(1 - 80/100) * 10 is 1.9999999999999996 in floating point; "tumer" / "tumor" scores 80."""
    assert fuzz.ratio("tumer", "tumor") == 80.0
    assert WordPool(["tumor"]).within_ratio("tumer", 80.0) == ["tumor"]


def test_joined_pool_is_its_parts_in_turn():
    joined = WordPool.join([WordPool(["tumor", "tumour"]), WordPool(["humor"])])
    assert joined.words == ["tumor", "tumour", "humor"]
    assert joined.within_indel("tumors", 2) == ["tumor", "tumour"]
    assert WordPool.join([]).within_ratio("tumor", 80.0) == []
