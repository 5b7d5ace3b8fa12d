"""What a filtered search's summaries mention: the topic check reads their words alone.

A subject of the PDQ summaries counts as a topic the question asks about only when the
index never mentions it (`abstain.topic_words`): on an index holding the pancreatic
summary, "how is pancreatic cancer treated" has no topic to miss. Searched in the colon
summary alone, it has one: the colon passages it would show never say "pancreatic", and
were given as the answer. A search filtered to some summaries reads only theirs, and a word
of the other summaries' titles that they never mention ("pancreatic", "whipple") is a
topic too: the index itself says it names another summary's subject.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from retriever.abstain import EVERYDAY_ZIPF, topic_words
from retriever.lexicon import lay_words
from retriever.models import Chunk
from retriever.planning import QueryPlan
from retriever.tokenization import Vocabulary, content_words, words, zipf


class Scope:
    """Each summary's words (headings and text, as the index-wide list has them), read the
    first time a search is filtered to that summary."""

    def __init__(self, chunks: list[Chunk]):
        self._doc_ids = np.array([c.doc_id for c in chunks])
        self._texts: dict[str, list[str]] = {}
        self._titles: dict[str, frozenset[str]] = {}
        for c in chunks:
            self._texts.setdefault(c.doc_id, []).append(" ".join(c.heading_path) + " " + c.text)
            self._titles.setdefault(c.doc_id, frozenset(content_words(c.title)))
        self._words: dict[str, Vocabulary] = {}

    def vocabulary(self, doc_ids: list[str]) -> Vocabulary:
        for d in doc_ids:
            if d not in self._words:
                self._words[d] = Vocabulary(words(" ".join(self._texts[d])))
        return Vocabulary.union(self._words[d] for d in doc_ids)

    def narrow(self, plan: QueryPlan, allowed: np.ndarray | None, looks_misspelled) -> QueryPlan:
        """``plan`` with its topics read against the summaries ``allowed`` leaves (all of
        them: unchanged). ``looks_misspelled``: the planner's, as `topic_words` takes it."""
        if allowed is None:
            return plan
        kept = sorted(set(self._doc_ids[allowed].tolist()))
        if len(kept) == len(self._texts):
            return plan
        text, knows = plan.dense_text, self.vocabulary(kept).knows
        asked, bridged = content_words(text), lay_words(text)
        topics = topic_words(asked, bridged, looks_misspelled, knows)
        others = frozenset().union(*(t for d, t in self._titles.items() if d not in set(kept)))
        named = [w for w in dict.fromkeys(asked)
                 if w in others and w not in bridged and zipf(w) < EVERYDAY_ZIPF and not knows(w)]
        return replace(plan, topics=list(dict.fromkeys(topics + named)))
