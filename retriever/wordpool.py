"""Word lists that rule out far words before rapidfuzz scores the rest.

A rare typed word is compared with every corpus and English word near its length: up to
60,000 words, 2 to 7 ms a word with rapidfuzz alone, most of a search's time for a question
holding a drug name or a slip. An edit changes the count of few letters, so a word whose
letter counts differ from the typed word's in more places than the edits allowed cannot
score; a 54-bit mask per word (each letter present, each letter twice) rules those out with
one XOR and a popcount, and rapidfuzz scores only the few that remain. The answers are the
same words in the same order: the mask only drops words that could not have matched.
Over nine rare words and slips on the corpus index, checking a word took 3.1 -> 0.10 ms
and correcting it 2.1 -> 0.08 ms (medians); 16,142 words of the seed sets and training
questions, and a slip of each, were corrected and checked the same as before.
"""

from __future__ import annotations

import numpy as np

_CLASSES = 27  # a-z, and one class for every other character ("é", a digit, a hyphen)
_BIT = {chr(97 + k): 1 << k for k in range(26)}
_OTHER = 1 << 26
# Floating-point slack when the Indel distance a cutoff allows is a whole number: (1 - 80/100)
# * 10 is 1.9999999999999996, and rapidfuzz keeps "tumer" / "tumor" (distance 2) at 80.
_SLACK = 1e-6


def letter_mask(word: str) -> int:
    """Bit ``k`` set when character class ``k`` occurs in ``word``, bit ``27 + k`` when it
    occurs twice or more."""
    mask = 0
    for ch in word:
        bit = _BIT.get(ch, _OTHER)
        mask |= bit << _CLASSES if mask & bit else bit
    return mask


class WordPool:
    """Words, each with its `letter_mask` and length.

    The bits in which two masks differ are at most the Indel distance between the words
    (insertions and deletions; a substitution is two): that distance is at least the sum
    over character classes of the difference of their counts, and each class adds at most
    that difference in differing bits.
    """

    def __init__(self, words: list[str], masks: np.ndarray | None = None, lengths: np.ndarray | None = None):
        """``masks`` and ``lengths`` are the words' own, when already computed (`join`)."""
        self.words = words
        n = len(words)
        self._masks = np.fromiter(map(letter_mask, words), dtype=np.uint64, count=n) if masks is None else masks
        self._lengths = np.fromiter(map(len, words), dtype=np.int64, count=n) if lengths is None else lengths

    def __len__(self) -> int:
        return len(self.words)

    @classmethod
    def join(cls, pools: list[WordPool]) -> WordPool:
        """One pool of ``pools``' words in turn, their masks computed once (a length's words
        sit in the pools of five lengths)."""
        if not pools:
            return cls([])
        return cls([w for p in pools for w in p.words], np.concatenate([p._masks for p in pools]),
                   np.concatenate([p._lengths for p in pools]))

    def within_indel(self, word: str, indels: int) -> list[str]:
        """The words that may be ``indels`` insertions and deletions from ``word`` or fewer,
        in pool order (a one-letter slip, swap included, is two at most)."""
        return self._keep(word, indels)

    def within_ratio(self, word: str, score_cutoff: float) -> list[str]:
        """The words that may reach ``score_cutoff`` in rapidfuzz's ``fuzz.ratio`` with
        ``word``, in pool order: the ratio is 100 * (1 - Indel distance / total length)."""
        room = (1.0 - score_cutoff / 100.0) * (len(word) + self._lengths)
        return self._keep(word, np.floor(room + _SLACK).astype(np.int64))

    def _keep(self, word: str, indels: int | np.ndarray) -> list[str]:
        differing = np.bitwise_count(self._masks ^ np.uint64(letter_mask(word))).astype(np.int64)
        near = (differing <= indels) & (np.abs(self._lengths - len(word)) <= indels)
        return [self.words[i] for i in np.flatnonzero(near).tolist()]
