"""Words respelled as the summaries would write them: by ear ("ablashun" -> "ablation") and
from British to American spelling ("tumour" -> "tumor"). The speller tries these first, as
edit distance scores them poorly."""

from __future__ import annotations

import re

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


# Initials have no vowel: "hnscc" (head and neck squamous cell carcinoma), one letter from
# "hnpcc", is another disease, "pdgfrb" another gene than "pdgfra". A word typed without its
# vowels ("smptms", "stmch") has none either, and is the word with exactly its consonants.
VOWELS = frozenset("aeiouy")


def vowelless_reading(typed: str, word: str) -> bool:
    """Whether ``typed``, a word with no vowel, may be read as ``word``: only as its own
    letters swapped ("nslcc" -> "nsclc") or with its vowels put back ("stmch" -> "stomach")."""
    return sorted(typed) == sorted(word) or "".join(c for c in word if c not in VOWELS) == typed
