"""The sentences that say nothing of the subject of the summary they stand in: the notes every
PDQ summary carries (on PDQ, permission and contact), and the lines that only name another
summary ("See the following ...: - Pancreatic Neuroendocrine Tumors (Islet Cell Tumors) Treatment").

Abstention reads a passage's words for the health topics a question names. One of the notes
gives "breast cancer prevention" as an example citation: counted, it let an index of one
summary answer "breast cancer" from its permission notice, first. A line naming another
summary let the GI neuroendocrine summary answer "pancreatic neuroendocrine tumor treatment"
with its general passage (confidence 0.95), though it points to the pancreatic one for that.
Both lists are derived from the corpus by ``python -m training words`` (the sentences nine in
ten summaries carry, split as the index splits them; the list items that are only a link to
another summary's page, and never content), not written by hand.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from retriever.text import fold, sentence_spans, shipped_lines

BOILERPLATE = Path(__file__).with_name("pdq_boilerplate.txt")
CROSS_REFERENCES = Path(__file__).with_name("pdq_cross_references.txt")


@lru_cache(maxsize=1)
def cross_references() -> frozenset[str]:
    """The folded lines of `CROSS_REFERENCES`, read once."""
    return frozenset(shipped_lines(CROSS_REFERENCES))


@lru_cache(maxsize=1)
def boilerplate() -> frozenset[str]:
    """The folded sentences of `BOILERPLATE` and `CROSS_REFERENCES`, read once."""
    return frozenset(shipped_lines(BOILERPLATE)) | cross_references()


def own_text(text: str) -> str:
    """``text`` less the sentences that say nothing of its summary's subject; ``text`` itself when it has none."""
    common = boilerplate()
    spans = sentence_spans(text)
    kept = [text[a:b] for a, b in spans if fold(text[a:b]) not in common]
    return text if len(kept) == len(spans) else "\n".join(kept)
