"""English words a spelling dictionary holds: each is a word of its own, which the speller
leaves as typed (`retriever.spelling.Speller.correct`).

The speller reads a word rarer than everyday English (wordfreq's Zipf below 3) that is one
slip from a corpus word as that slip. wordfreq counts the web's misspellings too ("realy",
"seperate", "givin"), but also rare real words, and those were read as other words:
"zapping" (a tumour) as mapping, "carer" as care, "testes" as tests, "areca" (nut) as area,
"ileus" as ileum, "sprain" as Spain. pyspellchecker's English list (built from subtitles
and checked against the SCOWL word lists) holds the real words and not the misspellings; a
real word typed for another ("prostrate" for prostate) is then read from its neighbours
(`retriever.wordpairs`) or from the index's titles (`retriever.planning.Planner`).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib.resources import files

from retriever.tokenization import zipf

# The list also holds words English barely uses that are common slips: "caner" (1.8),
# "annal" (1.6), "surgy", "hemotherapy" (below 1). A word this common in everyday English
# (wordfreq's Zipf scale) or more is one of its own; the ones misread were 1.9 to 3.0
# ("areca" 1.93, "zapping" 2.25, "testes" 2.71, "carer" 2.86, "atrial" 2.96).
MIN_ZIPF = 1.9


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """pyspellchecker's English words, lower case (160,572; 0.1 s and about 20 MB to load)."""
    with gzip.open(files("spellchecker") / "resources" / "en.json.gz", "rt", encoding="utf-8") as f:
        return frozenset(json.load(f))


def in_dictionary(word: str) -> bool:
    return word in english_words()


def word_of_its_own(word: str) -> bool:
    """Whether the dictionary holds ``word`` and everyday English uses it (`MIN_ZIPF`)."""
    return in_dictionary(word) and zipf(word) >= MIN_ZIPF
