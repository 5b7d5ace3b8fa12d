"""The sentences every PDQ summary carries (its notes on PDQ, permission and contact), which
say nothing of the subject of the summary they stand in.

Abstention reads a passage's words for the health topics a question names. One of these
sentences gives "breast cancer prevention" as an example citation: counted, it let an index
of one summary answer "breast cancer" from its permission notice, first. The list is derived
from the corpus by ``python -m training words`` (the sentences nine in ten summaries carry,
split as the index splits them), not written by hand.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from retriever.text import fold, sentence_spans, shipped_lines

BOILERPLATE = Path(__file__).with_name("pdq_boilerplate.txt")


@lru_cache(maxsize=1)
def boilerplate() -> frozenset[str]:
    """The folded sentences of `BOILERPLATE`, read once."""
    return frozenset(shipped_lines(BOILERPLATE))


def own_text(text: str) -> str:
    """``text`` less the sentences every summary carries; ``text`` itself when it has none."""
    common = boilerplate()
    spans = sentence_spans(text)
    kept = [text[a:b] for a, b in spans if fold(text[a:b]) not in common]
    return text if len(kept) == len(spans) else "\n".join(kept)
