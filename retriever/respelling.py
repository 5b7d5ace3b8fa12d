"""Words respelled as the summaries would write them: by ear ("ablashun" -> "ablation") and
from British to American spelling ("tumour" -> "tumor"). The speller tries these first, as
edit distance scores them poorly."""

from __future__ import annotations

import re

from jellyfish import metaphone

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
    return "".join(c for c in word if c not in VOWELS)


def vowelless_reading(typed: str, word: str) -> bool:
    """Whether ``typed``, a word with no vowel, may be read as ``word``: only as its own
    letters swapped ("nslcc" -> "nsclc") or with its vowels put back ("stmch" -> "stomach")."""
    return sorted(typed) == sorted(word) or consonants(word) == typed


class VowelsPutBack:
    """Words typed without their vowels, read as the commonest word the corpus uses more than
    once with exactly those consonants.

    Fuzzy scores rate such a word poorly against the word meant ("ptnts" / "patients" scores
    77, "pants" 80), so the closest match was often another word, which `vowelless_reading`
    refuses: "ptnts" stayed as typed. Initials the corpus lacks ("hnscc") have no word with
    their consonants and stay as typed. Four letters are too few: "stds" and "rcts" are
    initials, not "studies" and "reacts". A word is only read with the first letter typed,
    as such typing keeps it ("nthng" is "nothing", not "anything").
    """

    def __init__(self, counts, min_len: int):
        self.counts, self.min_len = counts, min_len
        best: dict[str, tuple[int, str]] = {}
        for word, n in counts.items():
            if n > 1 and word.isalpha() and word[0] not in VOWELS:
                best[consonants(word)] = max(best.get(consonants(word), (0, "")), (n, word))
        self._words = {key: word for key, (_, word) in best.items()}

    def read(self, typed: str, reading: str | None) -> str | None:
        """``reading``, the speller's, where `vowelless_reading` allows it; else, for an unknown
        word of at least ``min_len`` letters, the word with its vowels put back."""
        if reading and vowelless_reading(typed, reading):
            return reading
        return None if typed in self.counts or len(typed) < self.min_len else self._words.get(typed)
