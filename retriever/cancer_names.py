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
cancer" or "<name> cancers" has that cancer as a topic its passages miss (`abstain`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from retriever.text import shipped_lines
from retriever.tokenization import words

CANCER_NAMES = Path(__file__).with_name("pdq_cancer_names.txt")


@lru_cache(maxsize=1)
def pdq_cancer_names() -> frozenset[str]:
    """The names of `CANCER_NAMES`, read once."""
    return frozenset(shipped_lines(CANCER_NAMES))


@lru_cache(maxsize=1)
def _named() -> re.Pattern:
    names = "|".join(sorted(pdq_cancer_names(), key=len, reverse=True))
    return re.compile(rf"\b({names}) cancers?\b")


def cancers_named(text: str) -> list[str]:
    """The names of `CANCER_NAMES` that ``text`` puts before "cancer" or "cancers", in order."""
    return list(dict.fromkeys(m.group(1) for m in _named().finditer(" ".join(words(text)))))


def index_cancers(texts: list[str]) -> frozenset[str]:
    """The names of `CANCER_NAMES` that some of ``texts`` (an index's passages) put before "cancer"."""
    return frozenset(name for text in texts for name in cancers_named(text))


def unnamed_cancers(text: str, named: frozenset[str] | None) -> list[str]:
    """"<name> cancer" for each cancer ``text`` names that the index never does (``named``:
    `index_cancers`; None, not known: none), as a topic its passages miss."""
    return [] if named is None else [f"{name} cancer" for name in cancers_named(text) if name not in named]
