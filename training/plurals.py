"""English nouns whose plural the keyword stemmer and the seven-letter prefix do not join to
their singular (`retriever/english_plurals.txt`): "teeth" / "tooth", "feet" / "foot",
"children" / "child", "lives" / "life".

Abstention asks whether the passages name a question's topic "in any form"
(`retriever.tokenization.Vocabulary`); the Snowball stem of "teeth" is "teeth", so "will
radiation hurt her teeth" was refused as about a topic the passages lack, over a passage
listing "Tooth decay". The pairs come from lemminflect's English inflection tables, kept
where both forms are in everyday English (wordfreq Zipf 2 or more) and an English spelling
dictionary (`retriever.dictionary`; not "loca" for "locus", nor "pura" for "pus"), and the
plural reads back to that one singular alone (not "cola" for "colon", nor "dice" for "die").
"""

from __future__ import annotations

from wordfreq import top_n_list, zipf_frequency

from retriever.dictionary import in_dictionary
from retriever.tokenization import Vocabulary

HEADER = ("# English nouns whose plural neither the keyword stemmer nor the seven-letter prefix joins to its\n"
          "# singular (singular, tab, plural): abstention reads one form as the other. From lemminflect's\n"
          "# tables by python -m training words; tests/training/test_words.py checks it is current.\n")
#: Both forms at least this common in everyday English (wordfreq's Zipf scale).
MIN_ZIPF = 2.0
#: How many of wordfreq's most common English words are looked up as singulars.
SINGULARS = 60_000


def _joined(singular: str, plural: str) -> bool:
    """Whether the index's own word forms already read each as the other."""
    return Vocabulary([singular]).knows_by_stem(plural) and Vocabulary([plural]).knows_by_stem(singular)


def english_plurals() -> list[tuple[str, str]]:
    """(singular, plural) pairs, sorted."""
    from lemminflect import getAllInflections, getAllLemmas  # training only

    pairs = set()
    for singular in top_n_list("en", SINGULARS):
        if not (singular.isalpha() and singular.islower()) or zipf_frequency(singular, "en") < MIN_ZIPF:
            continue
        for plural in getAllInflections(singular, upos="NOUN").get("NNS", ()):
            if (plural != singular and plural.isalpha() and zipf_frequency(plural, "en") >= MIN_ZIPF
                    and in_dictionary(singular) and in_dictionary(plural)  # not Latin "loca", Spanish "pura"
                    and getAllLemmas(plural, upos="NOUN").get("NOUN") == (singular,)
                    and not _joined(singular, plural)):
                pairs.add((singular, plural))
    return sorted(pairs)


def render_plurals() -> str:
    return HEADER + "".join(f"{s}\t{p}\n" for s, p in english_plurals())
