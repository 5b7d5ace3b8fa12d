"""The words PDQ summaries use that everyday English does not (`retriever/pdq_words.txt`).

The speller corrects a typed non-word to the everyday English word one edit away
("mgiht" -> "might"). A few of the summaries' own terms are one edit from such a word too
("desmoid" / "desmond", "protocel" / "protocol"); asked of an index without the summary that
uses them, they would be "corrected" and stop counting as a topic that index lacks. This
list, derived from the corpus rather than written by hand, keeps them as typed.
"""

from __future__ import annotations

from pathlib import Path

import frontmatter

from retriever.spelling import MIN_LEN
from retriever.tokenization import NON_WORD_ZIPF, words, zipf

HEADER = ("# Words of the PDQ summaries that everyday English does not use (wordfreq Zipf below 1):\n"
          "# the speller never takes one for a slip of an everyday word. Made from the corpus by\n"
          "# python -m training words; tests/training/test_words.py checks it is current.\n")


def pdq_words(corpus: Path) -> list[str]:
    """Sorted words of at least `MIN_LEN` letters in the corpus's titles and text, Zipf < 1."""
    found: set[str] = set()
    for path in sorted(corpus.glob("*.md")):
        post = frontmatter.load(path)
        found.update(words(f"{post.metadata.get('title', '')} {post.content}"))
    return sorted(w for w in found if w.isalpha() and len(w) >= MIN_LEN and zipf(w) < NON_WORD_ZIPF)


def render(corpus: Path) -> str:
    return HEADER + "".join(f"{w}\n" for w in pdq_words(corpus))
