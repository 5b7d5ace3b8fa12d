"""Names typed as their initials that the summaries never shorten: "NSCLC", "ALCL", "TNBC".

The acronym table (`retriever.acronyms`) holds only what the summaries define in brackets.
Patients and staff also type initials the summaries never write: the lung summary says
"non-small cell lung cancer" and never "NSCLC", so "NSCLC stage 4 treatment" matched no word
of it and found anal cancer's stage IV passage over the corpus, and the stage IV passage of
an index of GI neuroendocrine tumors alone.

Nothing here is a list. The index's own section names say what initials stand for: the
headings written in title case ("Stages of Non-Small Cell Lung Cancer", "Hairy Cell
Leukemia") and the summaries' titles, where the summaries name their subjects. A name there
is a run of words with no stop word inside that starts a stretch between punctuation or
follows a stop word, and ends one or comes before a stop word ("Treatment of | Hairy Cell
Leukemia"; not "Extragonadal Extracranial Germ", which "Cell Tumors" follow, nor "General
Information About Thymoma"). Each of its words gives its first letter, each part of a
hyphenated word too ("Non-Small": n, s), and a compound of a combining form and an everyday
word the second word's as well ("Pleuropulmonary": p, p; "Gastrointestinal": g, i).

Typed initials that the index never uses are written out as the name they spell in most
headings ("non small cell lung cancer (NSCLC)"), when they have `MIN_LETTERS` letters or
more and everyday English does not use them (`NAME_ZIPF`: "OTC" and "EEG" are read as
typed). Initials no heading spells, and
that no run of words in the passages could stand for either (`mentioned`), are a topic the
passages must name: the question is refused on an index without it, not answered about
something else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cached_property

import numpy as np

from retriever.text import strip_accents
from retriever.tokenization import STOPWORDS, zipf

# Fewest letters written out: three-letter initials spell some heading's name by chance more
# often than the name meant. A review's 170 queries over the corpus found ten made worse,
# every one of three letters ("PCC" read "pediatric cancer care", "PTT" "pituitary tumors
# treatment", "SCS" "skin cancer screening"), against "HCL", "PPB" and "RCC" read right.
MIN_LETTERS = 4
# Stop words a run of a passage's words may pass over inside it: "cancer of unknown primary"
# (CUP). None inside a heading's name: there "General Information About Thymoma" spelled GIT
# and "Stages of Vaginal Cancer" SVC.
MAX_SKIPPED = 1
# A compound is a combining form of this many letters or more ending in "o" ("pleuro",
# "gastro", "neuro"; not "pro" of "prostate", "meta" of "metastatic", "mush" of
# "mushrooms") and a tail of `TAIL_LETTERS` or more that everyday English uses (`TAIL_ZIPF`:
# "pulmonary" 3.5, "intestinal" 3.3, "endocrine" 3.1; not "sarcoma" 2.7).
PREFIX_LETTERS = 4
TAIL_LETTERS = 5
TAIL_ZIPF = 3.0
# Initials everyday English uses at least this often are read as typed: "OTC" (3.2), "EEG"
# (3.0), "ICU" (3.3); "NSCLC" (2.2), "HCL" (2.9), "TNBC" (1.5) are names.
NAME_ZIPF = 3.0
_SEPARATOR = "|"
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_BREAK = re.compile(r"[.,;:!?()\[\]\n/–—]")
_PARTS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def titled(heading: str) -> bool:
    """Whether every word of ``heading`` but the stop words starts with a capital: a section
    named, not a key point said in a sentence ("Certain factors affect prognosis")."""
    named = [w for w in _TITLE_WORD.findall(heading) if w.lower() not in STOPWORDS]
    return bool(named) and all(w[0].isupper() for w in named)


def compound_tail(word: str) -> int | None:
    """Where the everyday word that ends a compound ``word`` starts ("pleuropulmonary": 6), or None."""
    for i in range(PREFIX_LETTERS, len(word) - TAIL_LETTERS + 1):
        if word[i - 1] == "o" and zipf(word[i:]) >= TAIL_ZIPF:
            return i
    return None


def is_name(initials: str) -> bool:
    """Whether typed initials read as a name rather than an everyday word or abbreviation."""
    return zipf(initials.lower()) < NAME_ZIPF


def _stretches(text: str) -> Iterator[list[tuple[str, bool]]]:
    """Each stretch of ``text`` between punctuation as (word, joined to the word before by a hyphen)."""
    for part in _BREAK.split(strip_accents(text.lower())):
        stretch = [(w, i > 0) for token in _PARTS.findall(part) for i, w in enumerate(token.split("-"))]
        if stretch:
            yield stretch


class _Letters:
    """Initials of a stream of words: a string of one letter a content word, and with
    ``compounds`` a second string giving a compound two; each letter points at its word, so
    that a match gives the words back."""

    def __init__(self, stretches: Iterable[list[tuple[str, bool]]], compounds: bool):
        vocab: dict[str, int] = {}
        flat: list[int] = []
        self.bounds: list[tuple[bool, bool]] = []  # each word: may a name start here, end here
        kinds = (False, True) if compounds else (False,)
        letters: dict[bool, list[str]] = {k: [] for k in kinds}
        where: dict[bool, list[int]] = {k: [] for k in kinds}
        tails: dict[str, int | None] = {}
        for stretch in stretches:
            for i, (w, joined) in enumerate(stretch):
                flat.append(vocab.setdefault(w, len(vocab)))
                after = stretch[i + 1] if i + 1 < len(stretch) else None
                self.bounds.append((not joined and (i == 0 or stretch[i - 1][0] in STOPWORDS),
                                    after is None or (not after[1] and after[0] in STOPWORDS)))
                if w in STOPWORDS or not w.isalpha():
                    continue
                if compounds and w not in tails:
                    tails[w] = compound_tail(w)
                for compound in kinds:
                    initials = w[0] + (w[tails[w]] if compound and tails[w] else "")
                    letters[compound].append(initials)
                    where[compound] += [len(flat) - 1] * len(initials)
            for k in kinds:
                letters[k].append(_SEPARATOR)
                where[k].append(-1)
        self.vocab, self.flat = list(vocab), np.asarray(flat, dtype=np.int32)
        self.streams = [("".join(letters[k]), np.asarray(where[k], dtype=np.int32)) for k in kinds]

    def spans(self, key: str, bounded: bool) -> Iterator[tuple[int, int]]:
        """(first word, last word) of each run of words whose initials are ``key``: with
        ``bounded``, a name (one that starts and ends as a name does, with no stop word inside),
        else any run passing over `MAX_SKIPPED` stop words at most."""
        for stream, where in self.streams:
            for m in re.finditer(f"(?={key})", stream):
                at = where[m.start():m.start() + len(key)]
                first, last = int(at[0]), int(at[-1])
                if m.start() and where[m.start() - 1] == first:  # the second letter of a compound
                    continue
                if last - first + 1 - len(set(at.tolist())) > (0 if bounded else MAX_SKIPPED):
                    continue
                if not bounded or (self.bounds[first][0] and self.bounds[last][1]):
                    yield first, last

    def phrase(self, first: int, last: int) -> str:
        return " ".join(self.vocab[i] for i in self.flat[first:last + 1])


class Initialisms:
    """The names an index's headings spell with their initials, and whether its passages
    could stand for initials no heading spells."""

    def __init__(self, headings: Iterable[str], texts: Iterable[str] = ()):
        named = (s for h in dict.fromkeys(headings) if titled(h) for s in _stretches(h))
        self.headings = _Letters(named, compounds=True)
        self._texts = list(texts)

    @cached_property
    def passages(self) -> _Letters:
        """The passages' initials, read on first need (`Retriever.warm_up`): most questions type
        no unknown initials. The texts are let go once read."""
        texts, self._texts = self._texts, []
        return _Letters((s for t in texts for s in _stretches(t)), compounds=False)

    def spelled(self, initials: str) -> str | None:
        """The name most headings spell with ``initials`` ("NSCLC" -> "non small cell lung cancer"), or None."""
        key = initials.lower()
        if len(key) < MIN_LETTERS or not key.isalpha():
            return None
        names = Counter(self.headings.phrase(*span) for span in set(self.headings.spans(key, bounded=True)))
        return names.most_common(1)[0][0] if names else None

    def mentioned(self, initials: str) -> bool:
        """Whether some run of the passages' words could stand for ``initials``
        ("diffuse large B-cell lymphoma" for "DLBCL", in sentences no heading names it)."""
        key = initials.lower()
        return key.isalpha() and next(self.passages.spans(key, bounded=False), None) is not None
