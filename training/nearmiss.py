"""Near-miss questions from the corpus itself: a question that names its own cancer.

Asked against an index without the summaries of that cancer, such a question should be
refused: it is exactly the question a patient asks of a service that does not hold their
summary. A question names a summary when it uses a distinctive word of the summary's
title (not "cancer", "treatment", "adult", ...), in any form of the same stem.
"""

from __future__ import annotations

import re
from functools import lru_cache

from retriever.tokenization import stem

GENERIC_TITLE_WORDS = frozenset("""
    a an and of the for in on with to or nci pdq patient version cancer cancers treatment
    treatments tumor tumors tumour tumours adult adults childhood child children prevention
    screening other unusual rare type types about care effects side late
""".split())
_word = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def title_words(title: str) -> frozenset[str]:
    """Stems of the distinctive words of a summary's title."""
    return frozenset(stem(w) for w in _word.findall(title.lower())
                     if w not in GENERIC_TITLE_WORDS and len(w) > 2)


def named_summaries(question: str, titles: dict[str, str]) -> set[str]:
    """The summaries (by id) whose distinctive title words the question uses."""
    q = {stem(w) for w in _word.findall(question.lower())}
    return {doc for doc, title in titles.items() if title_words(title) & q}
