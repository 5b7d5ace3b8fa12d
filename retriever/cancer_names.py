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
"throat cancer"): `LAY_CANCERS`, learned from the training summaries' lay questions, says which
words are such names and the title words of the summaries about each. An index of cancer-type
summaries that is about none of a name's words (`index_names`) misses "<name> cancer"
alike ("how is mouth cancer treated" of the GI neuroendocrine tumors summary;
docs/abstention.md, "Everyday names of cancers, learned").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path

from retriever.health_topics import cancer_words
from retriever.respelling import american
from retriever.text import shipped_lines
from retriever.tokenization import STOPWORDS, words
from retriever.wordpairs import segments

CANCER_NAMES = Path(__file__).with_name("pdq_cancer_names.txt")
LAY_CANCERS = Path(__file__).with_name("pdq_lay_cancers.txt")
# Words that name a tumour the question is about beside the cancer it names ("NET" is written
# out to "neuroendocrine tumor" before this reads the question).
TUMOUR_WORDS = frozenset("tumor tumors tumour tumours carcinoid carcinoids neoplasm neoplasms".split())
_NAMED_TUMOUR = re.compile(r"\bcancers? (?:tumou?rs?|growths?)\b")
# Two of `CANCER_NAMES` are one cancer's when their first five letters are alike: of the corpus's
# 36 names that joins "larynx" and "laryngeal" alone (four letters would join "colon" and "colorectal").
SAME_NAME_LETTERS = 5
# "cancer of the mouth" names it as "mouth cancer" does (`asked_forms`). Not "cancer in the brain",
# which says where a cancer is: "white cell cancer in the brain", "it didn't start in the liver".
_DETERMINERS = frozenset("the my his her its their your our a an".split())


@lru_cache(maxsize=1)
def pdq_cancer_names() -> frozenset[str]:
    """The names of `CANCER_NAMES`, read once."""
    return frozenset(shipped_lines(CANCER_NAMES))


@lru_cache(maxsize=1)
def _named() -> re.Pattern:
    return _before_cancer(pdq_cancer_names())


@lru_cache(maxsize=1)
def pdq_lay_cancers() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """The everyday names of `LAY_CANCERS`, each with the title words covering nine in ten of the
    summaries the training questions ask it of, and those with the rest's too."""
    entries = (line.split("\t") for line in shipped_lines(LAY_CANCERS))
    return {name: (frozenset(core.split()), frozenset(f"{core} {rest}".split())) for name, core, rest in entries}


@lru_cache(maxsize=1)
def _lay_named() -> re.Pattern:
    return _before_cancer(pdq_lay_cancers())


def _before_cancer(names: Collection[str]) -> re.Pattern:
    """Any of ``names`` before "cancer" or "cancers"; none when there are no names (an empty
    alternative would match every "cancer")."""
    if not names:
        return re.compile(r"(?!)")
    return re.compile(rf"\b({'|'.join(sorted(names, key=len, reverse=True))}) cancers?\b")


def cancers_named(text: str) -> list[str]:
    """The names of `CANCER_NAMES` that ``text`` puts before "cancer" or "cancers", in order, within
    one stretch between punctuation ("... of the skin. Cancer spread" names none)."""
    found = (m.group(1) for ws in segments(text) for m in _named().finditer(" ".join(ws)))
    return list(dict.fromkeys(found))


def lay_cancers_named(text: str) -> list[str]:
    """The everyday names of `LAY_CANCERS` that ``text`` puts before "cancer" or "cancers", as `cancers_named`."""
    found = (m.group(1) for ws in segments(text) for m in _lay_named().finditer(" ".join(ws)))
    return list(dict.fromkeys(found))


def asked_forms(text: str) -> str:
    """A question's stretches with the names as `cancers_named` reads them: a British spelling of
    a name made American ("oesophageal cancer"), and an everyday name after "cancer of" put
    before it ("cancer of the throat": "throat cancer"; both were answered from the GI
    neuroendocrine tumors summary).

    Only an everyday name (`LAY_CANCERS`), which an index is about by its summaries' subjects:
    a corpus name after "cancer of" is as often where a cancer is as what it is ("is AT/RT a
    cancer of the brain", "lung cancer spread and now there is cancer of the bone"), and its
    rule asks the passages to say "<name> cancer" (a review found 33 such questions refused).
    The name must end the stretch or come before a stop word: "cancer of the womb lining" is
    read as typed (`_put_first`)."""
    names = _all_names()
    return ". ".join(" ".join(_put_first([_named_word(w, names) for w in ws], names)) for ws in segments(text))


@lru_cache(maxsize=1)
def _all_names() -> frozenset[str]:
    """The names of `CANCER_NAMES` and `LAY_CANCERS` together, joined once."""
    return pdq_cancer_names() | pdq_lay_cancers().keys()


def _named_word(word: str, names: Collection[str]) -> str:
    spelt = american(word)
    return spelt[0] if spelt and spelt[0] in names else word


def _put_first(ws: list[str], names: Collection[str]) -> list[str]:
    """``ws`` with each "cancer of [the] <everyday name>" read as "<name> cancer", unless any of
    ``names`` comes before it already ("skin cancer of the nose", "mouth cancer of the tongue":
    read as typed) or the name is followed by "of" (a place in something: "the bottom of the
    tongue", "the lip of the vulva")."""
    lay, out = pdq_lay_cancers(), []
    for i, w in enumerate(ws):
        lead = 3 if out and out[-1] in _DETERMINERS else 2  # "cancer of the", "cancer of"
        noun, before = out[-lead:], out[-lead - 1:-lead]
        after = ws[i + 1] if i + 1 < len(ws) else None
        if (w in lay and len(noun) == lead and noun[0] in ("cancer", "cancers") and noun[1] == "of"
                and not any(b in names for b in before) and (after is None or (after in STOPWORDS and after != "of"))):
            out[-lead:] = [w, noun[0]]
        else:
            out.append(w)
    return out


def index_names(stretches: Iterable[list[str]], titles: Iterable[str], typed: bool = True
                ) -> tuple[frozenset[str], frozenset[str]]:
    """In one pass over an index's passages (their ``stretches``: `wordpairs.segments`), the
    names of `CANCER_NAMES` they put before "cancer" or "cancers", and the everyday names of
    `LAY_CANCERS` the index is about.

    It is about every one when some summary of it is about no cancer type (``typed`` False:
    coping, a remedy, a side effect, asked about with any cancer), else those whose title words
    its ``titles`` hold; those whose first title words (covering nine in ten of its summaries)
    its passages put before "cancer" (a remedy's "pancreatic cancer") or use more than once
    where they name a cancer (`_rare_title_words`: the seed's "colon" for "bowel"; not its
    "metastatic cancer" for "throat", a title word of its last summaries only); and those whose
    name they put before "cancer" or a tumour word."""
    said, named, rare = set(), set(), Counter()
    for ws in stretches:
        rare.update(w for w in ws if w in _rare_title_words())
        for w, after in zip(ws, ws[1:]):
            if after in ("cancer", "cancers"):
                said.add(w)
            if after in TUMOUR_WORDS or after in ("cancer", "cancers"):
                named.add(w)
    lay, held = pdq_lay_cancers(), {w for title in titles for w in words(title)}
    used = said | {w for w, n in rare.items() if n > 1}
    about = (name for name, (core, title_words) in lay.items()
             if not typed or name in named or not title_words.isdisjoint(held) or not core.isdisjoint(used))
    return frozenset(said & pdq_cancer_names()), frozenset(about)


@lru_cache(maxsize=1)
def _rare_title_words() -> frozenset[str]:
    """The title words of `LAY_CANCERS` that cover nine in ten of a name's summaries and name a
    cancer-type summary that few summaries mention (`health_topics.cancer_words`): not
    "malignant", "carcinoma", "cavity" or "gland", which PDQ uses of anything (a review found
    the seed about "asbestos" for saying "malignant" twice)."""
    return frozenset(w for core, _ in pdq_lay_cancers().values() for w in core) & cancer_words()


def _said(name: str, named: frozenset[str]) -> bool:
    """Whether the index names ``name``, in any of its forms among the names: "larynx" where it
    says "laryngeal cancer" (the laryngeal summary refused "larynx cancer treatment")."""
    return name in named or any(n[:SAME_NAME_LETTERS] == name[:SAME_NAME_LETTERS] for n in named)


def summary_cancers(texts: list[str], title: str, typed: bool = True) -> tuple[frozenset[str], frozenset[str]]:
    """`index_names` of one summary: its passages' ``texts``, its ``title`` and whether it is about a cancer type."""
    return index_names([ws for text in texts for ws in segments(text)], [title], typed)


def unnamed_cancers(text: str, named: frozenset[str] | None, subjects: Collection[str] = (),
                    lay: frozenset[str] | None = None) -> list[str]:
    """"<name> cancer" for each cancer ``text`` names that the index never does (``named``:
    `index_names`; None, not known: none) or is not about (``lay``: `index_names`;
    None, not known: none), as a topic its passages miss: only when the
    question names no tumour and none of ``subjects`` (the distinctive words of the index's
    titles) beside it. "my dad had colon cancer, now he has a carcinoid tumor" and "is a
    carcinoid a type of colon cancer" ask about the summary's own subject (a review's
    examples, answered before this rule); "my pancreatic cancer tumor is 3 cm" names no
    other tumour than that cancer (a second review's)."""
    if (named is None and lay is None) or "cancer" not in text.lower():  # every name is read before it
        return []
    text = asked_forms(text)
    # "pancreatic cancer tumor" is that cancer, and so is "brain cancer (tumor)": read across
    # punctuation, which leaves "I had skin cancer. Tumors now in my stomach" refused (docs/abstention.md)
    beside = _NAMED_TUMOUR.sub(" ", " ".join(words(text))).split()
    if any(w in TUMOUR_WORDS or w in subjects for w in beside):
        return []
    unsaid = [name for name in cancers_named(text) if named is not None and not _said(name, named)]
    unsaid += [name for name in lay_cancers_named(text) if lay is not None and name not in lay]
    return [f"{name} cancer" for name in unsaid]
