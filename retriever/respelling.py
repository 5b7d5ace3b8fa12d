"""Words respelled as the summaries would write them: by ear ("ablashun" -> "ablation") and
from British to American spelling ("tumour" -> "tumor"). The speller tries these first, as
edit distance scores them poorly."""

from __future__ import annotations

import re
from functools import lru_cache

from jellyfish import metaphone

from retriever.tokenization import zipf

# Spellings by ear that edit distance scores poorly: "ablashun" is 62 from "ablation" but
# 93 once "shun" reads "tion". "-uff" comes before "f": "enuff" is "enough", not "enuph".
_SOUNDS = [(re.compile(a), b) for a, b in [
    (r"shun(?=s?\b)", "tion"), (r"shon(?=s?\b)", "tion"), (r"^kemo", "chemo"), (r"^k", "c"), (r"uff$", "ough"),
    (r"^f", "ph"), (r"(?<=[aeiou])k(?=[aeiouy])", "c"), (r"(?<=[aeiou])c?k$", "ch"), (r"f", "ph"), (r"z", "s"),
    (r"(?<=[bcdgkmnpt])le$", "al"), (r"(?<=m)er$", "a"),
]]
# "ph" is heard as "f" too ("tamoxiphen" is two edits from "tamoxifen", fuzzy score 84), but
# on its own: among the others it undid their "f" -> "ph", and "fizician" lost "physician".
_PH = re.compile("ph")

# British spellings of the American words PDQ uses. Those rarer in English than Zipf 3 and
# one edit away ("oesophagus", "anaemia", "localised") the speller fixed already; "tumour",
# "diarrhoea", "centre", "colour", "favourable" and "behavioural" are English words it left
# alone, so the keyword index never matched them.
_AMERICAN = [(re.compile(a), b) for a, b in [
    (r"(?<=\w{3})our(?=(s|ed|able|ably|ite|ites|al|ally|ing|ful)?$)", "or"), (r"oea", "ea"),
    (r"(?:(?<=^)|(?<=[^aeiou]))[ao]e(?=[^aeiou])", "e"), (r"(?<=[tb])re(?=s?$)", "er"),
    (r"is(?=(e|ed|es|ing|ation|ations)$)", "iz"), (r"yse(?=(s|d)?$)", "yze"),
]]
# Shorter words are left alone: "does", "goes" and "toes" are no British "des", "ges", "tes".
AMERICAN_MIN_LEN = 6


def _respellings(word: str, patterns) -> list[str]:
    """``word`` rewritten by each pattern on its own, then by all of them together."""
    out, combined = [], word
    for pattern, repl in patterns:
        changed = pattern.sub(repl, word)
        if changed != word:
            out.append(changed)
        combined = pattern.sub(repl, combined)
    if combined != word:
        out.append(combined)
    return out


def american(word: str) -> list[str]:
    """The word with British spellings made American ("tumour" -> "tumor")."""
    return _respellings(word, _AMERICAN) if len(word) >= AMERICAN_MIN_LEN else []


def sound_alikes(word: str) -> list[str]:
    """The word respelled by common sound-alike patterns ("ablashun" -> "ablation")."""
    return _respellings(word, _SOUNDS) + ([_PH.sub("f", word)] if "ph" in word else [])


def sounds_like(typed: str, word: str) -> bool:
    """Whether the two words have one metaphone key."""
    key = metaphone(typed)  # empty for letters it has no sound for ("абв"): then nothing is heard
    return bool(key) and key == metaphone(word)


# Initials have no vowel: "hnscc" (head and neck squamous cell carcinoma), one letter from
# "hnpcc", is another disease, "pdgfrb" another gene than "pdgfra". A word typed without its
# vowels ("smptms", "stmch") has none either, and is the word with exactly its consonants.
VOWELS = frozenset("aeiouy")


def consonants(word: str) -> str:
    """``word`` less its vowels (`VOWELS`)."""
    return "".join(c for c in word if c not in VOWELS)


def vowelless_reading(typed: str, word: str) -> bool:
    """Whether ``typed``, a word with no vowel, may be read as ``word``: only as its own
    letters swapped ("nslcc" -> "nsclc") or with its vowels put back ("stmch" -> "stomach")."""
    return sorted(typed) == sorted(word) or consonants(word) == typed


@lru_cache(maxsize=2)
def _first_by_consonants(words: tuple[str, ...]) -> dict[str, str]:
    """The first of ``words`` (likeliest first) with each run of consonants, among those that
    start with a consonant (typing without vowels keeps the first letter) and have a vowel."""
    out: dict[str, str] = {}
    for word in words:
        if word.isalpha() and word[0] not in VOWELS and VOWELS.intersection(word):
            out.setdefault(consonants(word), word)
    return out


class VowelsPutBack:
    """Words typed without their vowels, read as a word with exactly those consonants and
    that first letter: the index's commonest that English uses every day, else the commonest
    everyday English word, else the index's commonest.

    The speller's closest match is often another word ("thrgh" is one letter from "thigh"),
    which `vowelless_reading` refuses, so the word stayed as typed. An index word English
    uses every day comes first ("bldng" is bleeding and "flshng" flushing over the corpus, not
    building and flashing), then everyday English ("slpng" is sleeping, not the corpus's
    salpingo; "prtcl" protocol, not protocel). Initials the corpus lacks ("hnscc") have no
    word with their consonants and stay as typed. Words of fewer than ``min_len`` letters
    less a plural "s" are too short: "stds", "rcts" and "prrts" are initials, not "studies",
    "reacts" and "pruritus".
    """

    def __init__(self, counts, min_len: int, everyday: tuple[str, ...] = ()):
        """``everyday``: everyday English words, commonest first (the speller's `everyday_words`)."""
        self.counts, self.min_len, self._everyday_words = counts, min_len, frozenset(everyday)
        self._index = _first_by_consonants(tuple(sorted((w for w, n in counts.items() if n > 1), key=self._rank)))
        self._everyday = _first_by_consonants(everyday)

    def _rank(self, word: str) -> tuple:
        """Likeliest first: an index word of everyday English by its count in the index, then
        other words by how common English finds them (`read`'s order)."""
        everyday = self.counts.get(word, 0) > 1 and word in self._everyday_words
        return (not everyday, -self.counts[word] if everyday else 0, -zipf(word), word)

    def read(self, typed: str, reading: str | None) -> str | None:
        """The likeliest (`_rank`) of ``reading`` (the speller's, where `vowelless_reading`
        allows it) and, for an unknown word long enough, the words with its vowels put back."""
        found = [reading] if reading and vowelless_reading(typed, reading) else []
        if typed not in self.counts and len(typed.removesuffix("s")) >= self.min_len:
            found += [w for w in (self._index.get(typed), self._everyday.get(typed)) if w]
        return min(found, key=self._rank, default=None)
