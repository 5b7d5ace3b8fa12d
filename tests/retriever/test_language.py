"""Which questions are mostly in another language (a refusal then says the summaries are English)."""

import pytest

from retriever.tokenization import mostly_another_language, not_in_english


@pytest.mark.parametrize("text, other", [
    ("¿cuáles son los síntomas del tumor neuroendocrino?", True),
    ("quelle est la meilleure façon de dormir", True),
    ("wie wird ein karzinoid behandelt", True),
    ("am i going to die", False),
    ("my mum has a carcinoid in her bowel, will the octreotide help", False),
    ("whats teh octreotid shot for", False),  # slips and drug names count for no language
    ("tumor", False),  # one word says nothing
    ("im scared", False),  # "im" is German too: one word of two is no language
    ("¿puedo beber alcohol?", True),
])
def test_most_words_common_elsewhere_and_rare_in_english(text, other):
    assert mostly_another_language(text) is other


@pytest.mark.parametrize("text, other", [
    ("类癌综合征是什么", True),  # no Latin letter
    ("肺癌", True),
    ("ＦＬＵ ｖａｃｃｉｎｅ", False),  # full-width Latin letters are Latin
    ("żółć", False),  # Latin letters with marks, one word
    ("¿cuáles son los síntomas del tumor neuroendocrino?", True),
    ("5-HIAA 24 hour urine", False),
    ("???", False),  # no letter at all: no language to name
])
def test_not_in_english_is_another_script_or_mostly_another_language(text, other):
    assert not_in_english(text) is other
