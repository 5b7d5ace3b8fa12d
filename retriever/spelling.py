"""Correct misspelled query words against the corpus's own vocabulary (rapidfuzz).

Only words the corpus has never seen are candidates, so correct spellings are never
touched; a candidate must be at least ``MIN_LEN`` letters and match a corpus word closely,
or, for a word English never uses, be one slip from an everyday English word. Shorter
words are only heard ("kemo") or read with two letters swapped ("migb"), and a long run of
letters may be a question typed without spaces (`retriever.wordbreaks`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, DamerauLevenshtein
from wordfreq import top_n_list, zipf_frequency

from retriever.respelling import VOWELS, VowelsPutBack, american, sound_alikes, sounds_like
from retriever.text import shipped_lines
from retriever.tokenization import NON_WORD_ZIPF, STOPWORDS, zipf
from retriever.wordbreaks import split_run
from retriever.wordpool import WordPool

MIN_LEN = 5
# Word lengths whose pools warm-up gathers: within the pools' caches (64); longer words are rare.
WARM_LENGTHS = 40
# A word this common in English is a word in its own right ("doses", "apart"), not a typo.
ENGLISH_ZIPF = 3.0
# A non-word this close to a corpus word, or to a common English word, reads as a
# misspelling of it rather than as a name ("embolizashun", "frequancy"); English gets the
# stricter bar because a drug name is often loosely like some English word
# ("lutathera" / "lutheran" score 82).
LOOSE_CORPUS_SCORE = 72.0
# Short words lose more per letter: "lymf" / "lymph" score 67.
SHORT_WORD, SHORT_CORPUS_SCORE = 5, 65.0
# One wrong letter in five scores 80 ("tumer" / "tumor"), below the usual bar.
SHORT_MIN_SCORE = 80.0
LOOSE_ENGLISH_SCORE = 85.0
ENGLISH_WORDS = 100_000
# A word English knows, however rarely ("wheezes", "inoperable", "rhabdo"), is likelier meant
# than a corpus word two edits away ("cheeses", "operable", "rhabdoid"); its own slips are
# one edit ("realy", "seperate", "prostrate"). Of the 356 corrections the training and seed
# questions drew, 22 changed a known word by two or more edits, none of them a typo's fix.
KNOWN_WORD_MAX_EDITS = 1
# A typed word no English text uses (below NON_WORD_ZIPF: "canser", "biospy", "radiaton") that is one
# edit (a letter added, dropped, changed or two swapped) from exactly one corpus word is a
# slip of it, though fuzzy scores rate short words poorly ("canser" / "cancer" scores 83,
# "cleanser" 86). When several corpus words are one edit away ("freze": free, freeze;
# "stuent": stent, student) the fuzzy score decides, as before. Rarer words that English
# does use ("crohn", "wilms") never take this path. This path towards any common English
# word as well was tried and dropped: it turned names the summary lacks into other words
# ("sutent" into "stent", "desmoid" into "desmond"); `EVERYDAY_SLIP_ZIPF` is the narrower path that stayed.

# A typed word that English never uses and that no corpus word is close to, one edit from
# an everyday word (Zipf 3 or more), is a slip of that word ("mgiht", "atcually", "clolect",
# "numbar"), and the commonest such word replaces it; before, the slip stayed in the
# embedded text and counted as a topic the summary lacks. Words the PDQ summaries use are
# kept as typed (`PDQ_WORDS`: "desmoid" is not "desmond"), and Zipf 3 keeps rarer targets
# out ("stent", 2.8). With two random slips in each in-scope question of the five unseen
# seed sets (305 questions, `python -m eval.bench typos`, three draws), refusals fell 0.108
# / 0.115 / 0.115 -> 0.075 / 0.085 / 0.069 and Hit@1 rose 0.741 / 0.757 / 0.734 -> 0.777 /
# 0.790 / 0.787; the sets as written gained two ("magnits", "hereditery"; at Zipf 4 both
# were lost). No out-of-scope question of the seed sets or the calibration files, nor any
# validation near-miss, changed.
EVERYDAY_SLIP_ZIPF = 3.0
PDQ_WORDS = Path(__file__).with_name("pdq_words.txt")

# A non-word that nothing else reads is the loosely close corpus word it sounds like
# (metaphone), when that is also the closest by letters: "leukima" is leukemia, "sistoscopy"
# cystoscopy, "menopaws" menopause. Never an everyday word this common: "xtandi" (a drug) is
# no "stand" (Zipf 5.1), nor "hoarsa" "hours" (5.4). Of 58,000 slips and names a review made
# up, it changed no right reading, read 29 slips back and 9 as another word where the index
# lacks the word meant ("origano": organ). Sound choosing between words a slip is as near
# was dropped: "feber" read "fiber" (docs/abstention.md, "Words heard alike").
HEARD_MAX_ZIPF = 5.0
# A four-letter word is read by ear only below this Zipf: "kemo" (1.8), "anle" and "lymf" (0)
# are slips, "doze" (2.6), "kava" (2.4) and "zits" (2.3) are words of their own.
FOUR_LETTER_ZIPF = 2.0


class Speller:
    """Vocabulary of the corpus's surface words, bucketed by length for quick look-up.

    Args:
        counts: How often each surface word occurs in the corpus.
        min_score: rapidfuzz ratio (0-100) a correction must reach.
    """

    def __init__(self, counts: Counter, min_score: float = 85.0):
        self.counts = counts
        self.min_score = min_score
        self._by_len = _by_length(counts)
        self._near: dict[int, WordPool] = {}
        self._vowelless = VowelsPutBack(counts, MIN_LEN, everyday_words())  # 8 ms over the corpus's words

    def correct(self, word: str) -> str | None:
        """The corpus word closest to ``word`` (else, for a non-word, the everyday English word it
        is one slip from, or the words it runs together), or None when it is known or nothing is
        close; a word with no vowel is read by `VowelsPutBack`."""
        fixed = self._reading(word)
        return fixed if VOWELS.intersection(word) else self._vowelless.read(word, fixed)

    def _reading(self, word: str) -> str | None:
        if word in self.counts:
            return None
        if not word.isalpha():
            return self._split_digits(word) or self._swapped(word)
        spelled = self._established(american(word))
        if spelled:  # the same word as the summaries spell it, however common in English
            return spelled
        if word in STOPWORDS or len(word) < MIN_LEN - 1:
            return None
        english = zipf(word)
        if english >= ENGLISH_ZIPF:
            return None
        alikes = sound_alikes(word)
        if len(word) < MIN_LEN:  # four letters: only a rare one, as a corpus word heard in it or swapped
            return (self._established(alikes) or self._one_swap(word)) if english < FOUR_LETTER_ZIPF else None
        if english < NON_WORD_ZIPF:
            # A spelling by ear that lands on a corpus word is that word, before any one-letter
            # slip: "stomak" is one letter from "stoma" but sounds "stomach".
            slip = (self._established(alikes) or self._one_slip(word, self._pool(len(word)))
                    or _heard_everyday(word, alikes))
            if slip:
                return slip
        for spelling in dict.fromkeys([word, *alikes]):
            pool = self._pool(len(spelling))
            cutoff = min(self.min_score, SHORT_MIN_SCORE) if len(spelling) <= SHORT_WORD else self.min_score
            matches = process.extract(spelling, pool.within_ratio(spelling, cutoff), scorer=fuzz.ratio,
                                      score_cutoff=cutoff, limit=5)
            if matches:
                break
        else:
            if english >= NON_WORD_ZIPF:
                return None
            return (split_run(word, self.counts, _pdq_words().__contains__) or _everyday_slip(word)
                    or self._heard_loosely(word))
        best = max(matches, key=lambda m: (m[1], self.counts[m[0]]))[0]
        if english > 0 and DamerauLevenshtein.distance(word, best) > KNOWN_WORD_MAX_EDITS:
            return None
        return best

    def _heard_loosely(self, word: str) -> str | None:
        """The corpus word closest to ``word`` by letters, if loosely close, heard alike and no
        everyday word (`HEARD_MAX_ZIPF`): "sistoscopy" is cystoscopy and "jondice" jaundice,
        which no one slip reaches; "mylenoma" stays as typed, since "myeloma" is closer than
        "melanoma", which it sounds like. Tried only once every other reading has failed."""
        best = max(self._loosely_close(word), key=lambda m: (m[1], self.counts[m[0]]), default=None)
        if best is None or zipf(best[0]) >= HEARD_MAX_ZIPF or not sounds_like(word, best[0]):
            return None
        return best[0]

    def _established(self, spellings) -> str | None:
        """The first of ``spellings`` the corpus uses more than once: a word it has once may be
        its own typo ("hyphothyroidism"), so that one is left to the fuzzy score."""
        return next((s for s in spellings if self.counts.get(s, 0) > 1), None)

    @staticmethod
    def _one_slip(word: str, pool: WordPool) -> str | None:
        """The one word of ``pool`` one edit from ``word``, if there is exactly one (a swap
        of two letters counts as one edit: OSA, the same as Damerau-Levenshtein at one
        edit and 4 times quicker)."""
        near = process.extract(word, pool.within_indel(word, 2), scorer=OSA.distance, score_cutoff=1, limit=2)
        return near[0][0] if len(near) == 1 else None

    def _one_swap(self, word: str) -> str | None:
        """The one corpus word one edit from ``word``, if that edit swaps two letters: "migb"
        is "mibg" and "scna" "scan", but "evry" is no "very" (nor "every": both are one edit)."""
        slip = self._one_slip(word, self._pool(len(word)))
        return slip if slip and sorted(slip) == sorted(word) else None

    def _swapped(self, word: str) -> str | None:
        """The one word the corpus uses more than once that ``word`` gives with two neighbouring
        letters swapped: "brac1" is "brca1" (a word with digits is otherwise only split)."""
        swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)
                 if word[i].isalpha() and word[i + 1].isalpha()}
        found = [w for w in swaps if self.counts.get(w, 0) > 1]
        return found[0] if len(found) == 1 else None

    def _split_digits(self, word: str) -> str | None:
        """"5hiaa" -> "5 hiaa" when the corpus writes the parts apart ("5-HIAA")."""
        parts = re.findall(r"\d+|[a-z]+", word)
        if len(parts) > 1 and all(p.isdigit() or (len(p) >= MIN_LEN - 1 and p in self.counts) for p in parts):
            return " ".join(parts)
        return None

    def looks_misspelled(self, word: str) -> bool:
        """Whether ``word`` is loosely close to a corpus word or a common English word.

        "embolizashun" and "diarea" are; "telotristat" is not. Used to keep a typo the speller
        could not settle from counting as a topic the documents miss.
        """
        if any(a in self.counts or zipf(a) >= EVERYDAY_SLIP_ZIPF for a in sound_alikes(word)):
            return True  # "injecshun": "injection" by ear, however far by letters
        english = _english_near(len(word))
        return bool(self._loosely_close(word, limit=1) or process.extractOne(
            word, english.within_ratio(word, LOOSE_ENGLISH_SCORE), scorer=fuzz.ratio, score_cutoff=LOOSE_ENGLISH_SCORE))

    def _loosely_close(self, word: str, limit: int = 5) -> list[tuple[str, float, int]]:
        """The corpus words at least `LOOSE_CORPUS_SCORE` (`SHORT_CORPUS_SCORE` for short words) like ``word``."""
        cutoff = SHORT_CORPUS_SCORE if len(word) <= SHORT_WORD else LOOSE_CORPUS_SCORE
        return process.extract(word, self._pool(len(word)).within_ratio(word, cutoff), scorer=fuzz.ratio,
                               score_cutoff=cutoff, limit=limit)

    def warm_up(self) -> None:
        """Gather the word lists, their letter masks and the pools of every word length now
        (0.3 s). The first question holding a rare word ("zorbitrex") otherwise paid for the
        lists, and the first word of each length 1 to 3 ms for its pools."""
        _pdq_words()
        longest = min(max(max(self._by_len, default=0), max(_english_by_len())) + 2, WARM_LENGTHS)
        for n in range(MIN_LEN - 1, longest + 1):
            self._pool(n), _english_near(n), _everyday_near(n)

    def _pool(self, n: int) -> WordPool:
        """Corpus words near length ``n``, gathered once per length (a Speller is read-only
        once built; two threads gathering the same length store equal pools)."""
        pool = self._near.get(n)
        if pool is None:
            pool = self._near[n] = _near_length(self._by_len, n)
        return pool


def _near_length(buckets: dict[int, WordPool], n: int) -> WordPool:
    """The words within two letters of length ``n``: the only ones a close match can be."""
    return WordPool.join([buckets[k] for k in range(n - 2, n + 3) if k in buckets])


def _by_length(words) -> dict[int, WordPool]:
    """``words`` of letters only, at least ``MIN_LEN - 1`` long, bucketed by length (in order)."""
    buckets: dict[int, list[str]] = defaultdict(list)
    for w in words:
        if len(w) >= MIN_LEN - 1 and w.isalpha():
            buckets[len(w)].append(w)
    return {n: WordPool(bucket) for n, bucket in buckets.items()}


@lru_cache(maxsize=1)
def _english_by_len() -> dict[int, WordPool]:
    return _by_length(top_n_list("en", ENGLISH_WORDS))


@lru_cache(maxsize=64)
def _english_near(n: int) -> WordPool:
    """Common English words near length ``n``: gathering them from 100,000 words took 0.8 ms
    on every rare word a question had."""
    return _near_length(_english_by_len(), n)


def everyday_slips(word: str) -> list[str]:
    """Everyday English words (`EVERYDAY_SLIP_ZIPF`) one edit from ``word``, commonest first."""
    near = process.extract(word, _everyday_near(len(word)).within_indel(word, 2), scorer=OSA.distance,
                           score_cutoff=1, limit=20)
    return sorted((w for w, _, _ in near), key=zipf, reverse=True)


def _heard_everyday(word: str, alikes: list[str]) -> str | None:
    """The everyday English word (`EVERYDAY_SLIP_ZIPF`) that ``word`` spells by ear, unless
    the PDQ summaries use ``word`` themselves: "injecshun" is "injection" where the index
    only says "injected", and "operashun" is "operation" (fuzzy scores rate both below 70)."""
    if word in _pdq_words():
        return None
    return next((a for a in alikes if zipf(a) >= EVERYDAY_SLIP_ZIPF), None)


def _everyday_slip(word: str) -> str | None:
    """The commonest everyday word one edit from ``word``, unless the PDQ summaries use
    ``word`` themselves (``pdq_words.txt``: "desmoid" is not "desmond")."""
    if word in _pdq_words():
        return None
    slips = everyday_slips(word)
    return slips[0] if slips else None


@lru_cache(maxsize=64)
def _everyday_near(n: int) -> WordPool:
    return _near_length(_everyday_by_len(), n)


@lru_cache(maxsize=1)
def everyday_words() -> tuple[str, ...]:
    """wordfreq's words at least `EVERYDAY_SLIP_ZIPF` common, commonest first: a prefix of its
    list, which is in order of frequency (a third of `ENGLISH_WORDS`)."""
    ranked = top_n_list("en", ENGLISH_WORDS)
    return tuple(ranked[:bisect.bisect_left(ranked, True, key=lambda w: zipf_frequency(w, "en") < EVERYDAY_SLIP_ZIPF)])


@lru_cache(maxsize=1)
def _everyday_by_len() -> dict[int, WordPool]:
    return _by_length(everyday_words())


@lru_cache(maxsize=1)
def _pdq_words() -> frozenset[str]:
    return frozenset(shipped_lines(PDQ_WORDS))
