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

Patients name cancers by everyday words no summary uses so ("mouth cancer", "blood cancer",
"bowel cancer"): `LAY_CANCERS`, learned from the training summaries' lay questions, says which
words are such names and the title words of the summaries about each. An index whose titles
hold none of a name's words, and whose passages never say "<name> cancer" or "<name> tumor",
misses "<name> cancer" alike ("how is mouth cancer treated" of the GI neuroendocrine tumors
summary; docs/abstention.md, "Everyday names of cancers, learned").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path

from retriever.text import shipped_lines
from retriever.tokenization import words
from retriever.wordpairs import segments

CANCER_NAMES = Path(__file__).with_name("pdq_cancer_names.txt")
LAY_CANCERS = Path(__file__).with_name("pdq_lay_cancers.txt")
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


@lru_cache(maxsize=1)
def pdq_lay_cancers() -> dict[str, frozenset[str]]:
    """The everyday names of `LAY_CANCERS`, each with the title words of the summaries about it."""
    entries = (line.split("\t") for line in shipped_lines(LAY_CANCERS))
    return {name: frozenset(titles.split()) for name, titles in entries}


@lru_cache(maxsize=1)
def _lay_named() -> re.Pattern:
    return re.compile(rf"\b({'|'.join(sorted(pdq_lay_cancers(), key=len, reverse=True))}) cancers?\b")


def cancers_named(text: str) -> list[str]:
    """The names of `CANCER_NAMES` that ``text`` puts before "cancer" or "cancers", in order, within
    one stretch between punctuation ("... of the skin. Cancer spread" names none)."""
    found = (m.group(1) for ws in segments(text) for m in _named().finditer(" ".join(ws)))
    return list(dict.fromkeys(found))


def lay_cancers_named(text: str) -> list[str]:
    """The everyday names of `LAY_CANCERS` that ``text`` puts before "cancer" or "cancers", as `cancers_named`."""
    found = (m.group(1) for ws in segments(text) for m in _lay_named().finditer(" ".join(ws)))
    return list(dict.fromkeys(found))


def index_cancers(texts: list[str]) -> frozenset[str]:
    """The names of `CANCER_NAMES` that some of ``texts`` (an index's passages) put before "cancer"."""
    return frozenset(name for text in texts for name in cancers_named(text))


def index_lay_cancers(stretches: Iterable[list[str]], titles: Iterable[str]) -> frozenset[str]:
    """The everyday names of `LAY_CANCERS` an index is about: its ``titles`` hold one of the
    name's title words, or its passages (their ``stretches``: `wordpairs.segments`) put one of
    them before "cancer" (a summary of a remedy saying "pancreatic cancer") or the name before
    "cancer" or a tumour word ("primary tumor")."""
    lay, held = pdq_lay_cancers(), {w for title in titles for w in words(title)}
    pairs = {(w, after) for ws in stretches for w, after in zip(ws, ws[1:])
             if after in TUMOUR_WORDS or after in ("cancer", "cancers")}
    said = {w for w, after in pairs if after in ("cancer", "cancers")}
    named = {w for w, _ in pairs}
    return frozenset(name for name, title_words in lay.items()
                     if name in named or not title_words.isdisjoint(held) or not title_words.isdisjoint(said))


def summary_cancers(texts: list[str], title: str) -> tuple[frozenset[str], frozenset[str]]:
    """`index_cancers` and `index_lay_cancers` of one summary: its passages' ``texts`` and its ``title``."""
    return index_cancers(texts), index_lay_cancers((ws for text in texts for ws in segments(text)), [title])


def unnamed_cancers(text: str, named: frozenset[str] | None, subjects: Collection[str] = (),
                    lay: frozenset[str] | None = None) -> list[str]:
    """"<name> cancer" for each cancer ``text`` names that the index never does (``named``:
    `index_cancers`; None, not known: none) or is not about (``lay``: `index_lay_cancers`;
    None, not known: none), as a topic its passages miss: only when the
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
    unsaid = [name for name in cancers_named(text) if name not in named]
    unsaid += [name for name in lay_cancers_named(text) if lay is not None and name not in lay]
    return [f"{name} cancer" for name in unsaid]
