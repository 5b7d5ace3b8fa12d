"""Cancers a question names that the index never names: "skin cancer signs" asked of the GI
neuroendocrine tumors summary alone.

Every word of that question is the summary's own ("skin" is in its carcinoid syndrome
passage), so no single word counts as a topic it lacks, and it was answered with that passage
at confidence 0.73. A new user's trial found 16 such questions among 184 (skin, bone, brain,
colon, pancreatic cancer). "Liver cancer" stays answerable there: the summary says a tumor
spread to the liver is "not liver cancer", and every seed question set asks just that.

The names are the corpus's own (`CANCER_NAMES`, made by ``python -m training words``): the
one-word cancer types of the summaries' front matter and the word that opens a title's
"... Cancer". A question naming "<name> cancer" where no passage of the index says "<name>
cancer" or "<name> cancers" has that cancer as a topic its passages miss
(`health_topics.missing_topics`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from retriever.text import shipped_lines
from retriever.tokenization import words
from retriever.wordpairs import segments

CANCER_NAMES = Path(__file__).with_name("pdq_cancer_names.txt")
# Words that name a tumour the question is about beside the cancer it names ("NET" is written
# out to "neuroendocrine tumor" before this reads the question).
TUMOUR_WORDS = frozenset("tumor tumors tumour tumours carcinoid carcinoids neoplasm neoplasms".split())
_NAMED_TUMOUR = re.compile(r"\bcancers? (?:tumou?rs?|growths?)\b")


@lru_cache(maxsize=1)
def pdq_cancer_names() -> frozenset[str]:
    """The names of `CANCER_NAMES`, read once."""
    return frozenset(shipped_lines(CANCER_NAMES))


@lru_cache(maxsize=1)
def _named() -> re.Pattern:
    names = "|".join(sorted(pdq_cancer_names(), key=len, reverse=True))
    return re.compile(rf"\b({names}) cancers?\b")


def cancers_named(text: str) -> list[str]:
    """The names of `CANCER_NAMES` that ``text`` puts before "cancer" or "cancers", in order, within
    one stretch between punctuation ("... of the skin. Cancer spread" names none)."""
    found = (m.group(1) for ws in segments(text) for m in _named().finditer(" ".join(ws)))
    return list(dict.fromkeys(found))


def index_cancers(texts: list[str]) -> frozenset[str]:
    """The names of `CANCER_NAMES` that some of ``texts`` (an index's passages) put before "cancer"."""
    return frozenset(name for text in texts for name in cancers_named(text))


def unnamed_cancers(text: str, named: frozenset[str] | None, subjects: Collection[str] = ()) -> list[str]:
    """"<name> cancer" for each cancer ``text`` names that the index never does (``named``:
    `index_cancers`; None, not known: none), as a topic its passages miss: only when the
    question names no tumour and none of ``subjects`` (the distinctive words of the index's
    titles) beside it. "my dad had colon cancer, now he has a carcinoid tumor" and "is a
    carcinoid a type of colon cancer" ask about the summary's own subject (a review's
    examples, answered before this rule); "my pancreatic cancer tumor is 3 cm" names no
    other tumour than that cancer (a second review's)."""
    if named is None:
        return []
    beside = _NAMED_TUMOUR.sub(" ", " ".join(words(text))).split()  # "pancreatic cancer tumor" is that cancer
    if any(w in TUMOUR_WORDS or w in subjects for w in beside):
        return []
    return [f"{name} cancer" for name in cancers_named(text) if name not in named]
