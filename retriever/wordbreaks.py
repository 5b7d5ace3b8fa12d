"""Words typed apart or run together: "neuro endo crine" and "whatcausesthesetumors".

A phone's space bar is missed or hit twice. The speller reads one word at a time, so a
word cut in pieces had its pieces corrected on their own ("crine" became "urine"), and a
question typed without spaces was searched as one unknown word, and refused for naming a
topic no passage has ("mymomhascoloncancer").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from retriever.text import APART
from retriever.tokenization import NON_WORD_ZIPF, STOPWORDS, zipf

# A run of letters shorter than this is left to the speller. Names the index lacks split
# into words too easily ("dotatate" as "dot at ate", "multilineage" as "multi line age",
# "parathormone" as "par at hormone"), while a question typed without spaces is long, of
# whole words, and holds a question's little words ("what", "is", "my"): a run is split only
# into such words, each of three letters or more or one of those little words, at least
# `MIN_LITTLE` of them little, averaging `MIN_MEAN_WORD` letters or more.
MIN_RUN = 12
MIN_MEAN_WORD = 3.5
MIN_WORD = 3
MIN_LITTLE = 2
# Longer than this, a run is no question typed without spaces (and splitting it would try
# every word of every length at every letter: 0.1 s for 1,000 letters).
MAX_RUN = 60
# Each word of a split run that is no little word must be this common in English, or a word
# the index has more than once.
SPLIT_ZIPF = 4.0
MAX_WORD = 20
# Pieces of a word typed apart: at most three, each of three letters or more ("a round" is two
# words, and so is "T and N on it"), written apart by spaces, hyphens or dashes, not apostrophes ("boy's").
MAX_PIECES = 3
MIN_PIECE = 3
_piece = re.compile(r"[a-z]+")
_apart = re.compile(APART)


def split_run(word: str, counts: Mapping[str, int], keep: Callable[[str], bool] = lambda w: False) -> str | None:
    """``word`` as the fewest words it is run together from ("whatcausesthesetumors" ->
    "what causes these tumors"), or None when it is no such run: too short or too long, a
    word English or the corpus knows, one ``keep`` names (`pdq_words.txt`), or not all split
    into words that are common or the corpus's own with little words among them.
    """
    if not MIN_RUN <= len(word) <= MAX_RUN or not word.isalpha() or word in counts or zipf(word) >= NON_WORD_ZIPF \
            or keep(word):
        return None
    # best[i]: the fewest words that spell word[:i], and, on a tie, the commoner ones
    best: list[tuple[int, float, list[str]] | None] = [None] * (len(word) + 1)
    best[0] = (0, 0.0, [])
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - MAX_WORD), end):
            part, before = word[start:end], best[start]
            if before is None or not _a_word(part, counts):
                continue
            found = (before[0] + 1, before[1] - zipf(part), before[2] + [part])
            if best[end] is None or found[:2] < best[end][:2]:
                best[end] = found
    done = best[len(word)]
    if not done or done[0] < 2 or len(word) / done[0] < MIN_MEAN_WORD \
            or sum(part in STOPWORDS for part in done[2]) < MIN_LITTLE:
        return None
    return " ".join(done[2])


def _a_word(part: str, counts: Mapping[str, int]) -> bool:
    if len(part) < MIN_WORD:  # "is", "my", "a"; not "t" (of "don't") nor "s"
        return part in STOPWORDS and (len(part) > 1 or part in "ai")
    return counts.get(part, 0) > 1 or zipf(part) >= SPLIT_ZIPF


def joined_pieces(text: str, counts: Mapping[str, int]) -> dict[str, str]:
    """Runs of two or three typed words that are one corpus word cut apart, as replacements
    ({"neuro endo crine": "neuroendocrine"}): only where a piece is no word of the corpus, so
    "pain killers" is joined on an index without "killers", "blood stream" where "stream" is
    missing, but two words the index has both of stay as typed."""
    found = list(_piece.finditer(text.lower()))
    out: dict[str, str] = {}
    i = 0
    while i < len(found):
        for n in range(MAX_PIECES, 1, -1):
            run = found[i:i + n]
            pieces = [m.group() for m in run]
            if len(run) == n and all(len(p) >= MIN_PIECE for p in pieces) \
                    and all(_apart.fullmatch(text[a.end():b.start()]) for a, b in zip(run, run[1:])) \
                    and counts.get("".join(pieces), 0) > 1 and any(p not in counts for p in pieces):
                out[" ".join(pieces)] = "".join(pieces)
                i += n
                break
        else:
            i += 1
    return out
