"""Words spelled right but typed for another: "clinical trails", "lymph nods", "night sweets".

The speller leaves every word English or the index knows, as it must ("doses", "prostate"),
so a slip that lands on another real word was searched as typed. The index's own word pairs
say what was meant: after "lymph" its summaries write "nodes" in most cases, and never
"nods". A typed word is read as the word its neighbour is almost always written beside when
the two are one slip apart, the index never pairs the neighbour with the word as typed, and
that word is rare in everyday English and in the index. Nothing here is a list: the pairs
are the index's, read when it is loaded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from retriever.tokenization import STOPWORDS, stem, words, zipf

# A neighbour's partner: the word that follows it (or precedes it) in at least this share of
# the index's pairs, and at least `MIN_PAIRS` times. With these values and the checks below,
# the 45,029 questions of every set, training and calibration file, planned over the corpus
# index, read 16 words otherwise, each a slip of the writer's ("clinical trails", "lymph nods",
# "come bak", "wieght loss") or a British spelling ("defences"); a bare count of 3 pairs read
# 761 of the 24,901 seed-set, lay and situation questions, among them "cancer mean" as "cancer
# men" (53) and "yet" as "pet" (32) (docs/abstention.md, "Words typed for another").
MIN_SHARE = 0.3
MIN_PAIRS = 5
MIN_LETTERS = 3
# A word everyday English uses this often is meant as typed, whatever the index pairs: "made
# sure" is no "make sure", "fell asleep" no "fall asleep", "none" no "one", "generic testing"
# (4.1) no "genetic testing". The index's texts are too few and too formal to know that; the
# slips it reads are rarer words ("trails" 3.9, "nods" 3.3, "sweets" 3.6). A review tried 337
# questions, many built from the traps the index's pairs set, and found 45 wrong readings
# before this bar and the two checks below; at 4.2, "cancel" (4.2) still read "cancer"
# (docs/abstention.md, "Words typed for another"). "side affects" (4.2) is left as typed.
MAX_TYPED_ZIPF = 4.0
# Nor is a word the index itself uses at least this share as often as the word it would
# become ("hiv" beside "hpv").
MAX_TYPED_SHARE = 0.05
# Vowels that may stand for each other as a word's first letter ("affects" for "effects"); not
# "y", which starts a word as a consonant (`respelling.VOWELS` counts it, inside a word).
VOWELS = frozenset("aeiou")
# Words either side of a full stop, comma, colon or bracket are no pair: "... listed below. See
# the ..." made "see" the partner of "below", and "op down below sex life" read "see life".
_break = re.compile(r"[.,;:!?()\[\]\n]")


def segments(text: str) -> list[list[str]]:
    """The words (`tokenization.words`) of each stretch of ``text`` between punctuation:
    together, exactly ``words(text)``, since no word holds punctuation."""
    return [ws for part in _break.split(text) if (ws := words(part))]


@dataclass(frozen=True)
class WordPairs:
    """The index's strong pairs of content words, and every pair its partnered words make.

    Attributes:
        after: word -> the words that follow it in at least `MIN_SHARE` of its pairs.
        before: word -> the words that precede it in at least `MIN_SHARE` of its pairs.
        counts: how often the index uses each word.
        seen: "a b" for every pair the index holds whose first word has partners after it or
            whose second has partners before it: enough to tell that a typed pair is the
            index's own, in a few MB rather than every pair of the corpus.
    """

    after: dict[str, tuple[str, ...]]
    before: dict[str, tuple[str, ...]]
    seen: frozenset[str]
    counts: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_segments(cls, stretches: list[list[str]], counts: Mapping[str, int] | None = None) -> WordPairs:
        """The pairs of the index's stretches of words (`segments` of each passage), and how
        often it uses each word (``counts``, the speller's, else counted here)."""
        pairs: Counter = Counter()
        for ws in stretches:
            pairs.update(zip(ws, ws[1:]))
        left: Counter = Counter()
        right: Counter = Counter()
        for (a, b), n in pairs.items():
            left[a] += n
            right[b] += n
        after: dict[str, list[str]] = {}
        before: dict[str, list[str]] = {}
        for (a, b), n in pairs.items():
            if n < MIN_PAIRS or a in STOPWORDS or b in STOPWORDS:
                continue
            if n >= MIN_SHARE * left[a]:
                after.setdefault(a, []).append(b)
            if n >= MIN_SHARE * right[b]:
                before.setdefault(b, []).append(a)
        seen = frozenset(f"{a} {b}" for a, b in pairs if a in after or b in before)
        return cls({k: tuple(v) for k, v in after.items()}, {k: tuple(v) for k, v in before.items()}, seen,
                   counts if counts is not None else Counter(w for ws in stretches for w in ws))

    def fixes(self, text: str, keep: Collection[str] = ()) -> dict[str, str]:
        """``{typed: meant}`` for the words of ``text`` that a neighbour's partner reads
        better, when exactly one partner is one slip away; words in ``keep`` (typed in
        capitals, acronyms, already corrected) stay as typed."""
        stretches = segments(text)
        typed = Counter(w for ws in stretches for w in ws)  # a correction replaces every copy in the question
        out: dict[str, str] = {}
        for ws in stretches:
            out.update(self._fixes(ws, keep, typed))
        return out

    def _fixes(self, ws: list[str], keep: Collection[str], typed: Counter) -> dict[str, str]:
        out: dict[str, str] = {}
        for i, w in enumerate(ws):
            if typed[w] > 1 or not self._may_be_a_slip(w, keep):
                continue
            meant: set[str] = set()
            if i and ws[i - 1].isalpha() and f"{ws[i - 1]} {w}" not in self.seen:
                meant.update(c for c in self.after.get(ws[i - 1], ()) if self._reads_as(w, c))
            if i + 1 < len(ws) and ws[i + 1].isalpha() and f"{w} {ws[i + 1]}" not in self.seen:
                meant.update(c for c in self.before.get(ws[i + 1], ()) if self._reads_as(w, c))
            if len(meant) == 1:
                out[w] = meant.pop()
        return out

    def partners(self, text: str, typed: str, meant: str) -> bool:
        """Whether, where ``text`` has ``typed``, the index writes ``meant`` beside the same
        neighbour in at least `MIN_SHARE` of ``meant``'s pairs ("prostate" before "cancer")."""
        for ws in segments(text):
            for i, w in enumerate(ws):
                if w == typed and ((i + 1 < len(ws) and ws[i + 1] in self.after.get(meant, ()))
                                   or (i and ws[i - 1] in self.before.get(meant, ()))):
                    return True
        return False

    @staticmethod
    def _may_be_a_slip(w: str, keep: Collection[str]) -> bool:
        return (len(w) >= MIN_LETTERS and w.isalpha() and w not in STOPWORDS and w not in keep
                and zipf(w) < MAX_TYPED_ZIPF)

    def _reads_as(self, w: str, c: str) -> bool:
        return one_slip(w, c) and self.counts.get(w, 0) < MAX_TYPED_SHARE * self.counts.get(c, 0)


def one_slip(typed: str, word: str) -> bool:
    """Whether ``word`` is one slip of ``typed``'s (a letter added, dropped, changed or two
    swapped) that keeps its first letter (a vowel may stand for a vowel: "affects"), and no
    other form of the same word: "health" is no slip of "healthy", nor "lump" of "bump"."""
    if word == typed or word.startswith(typed) or typed.startswith(word):
        return False
    first = word[0] == typed[0] or {word[0], typed[0]} <= VOWELS or word[:2] == typed[1::-1]
    return first and OSA.distance(typed, word) == 1 and stem(word) != stem(typed)
