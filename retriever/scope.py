"""What a filtered search's summaries mention: the topic check reads their words alone.

A subject of the PDQ summaries counts as a topic the question asks about only when the
index never mentions it (`health_topics.topic_words`): on an index holding the pancreatic
summary, "how is pancreatic cancer treated" has no topic to miss. Searched in the colon
summary alone, it has one: the colon passages it would show never say "pancreatic", and
were given as the answer. A search filtered to some summaries reads only theirs, and a word
that names a cancer-type summary (`CANCER_WORDS`: "pancreatic", "anal", "renal") and that
they never mention is a topic too, and so is a cancer they never name (`cancer_names`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np

from retriever.cancer_names import index_cancers, unnamed_cancers
from retriever.health_topics import negated_topics, pdq_subjects, topic_words
from retriever.lexicon import lay_words
from retriever.models import Chunk
from retriever.planning import QueryPlan
from retriever.text import shipped_lines
from retriever.tokenization import Vocabulary, content_words, words

CANCER_WORDS = Path(__file__).with_name("pdq_cancer_words.txt")


@cache
def cancer_words() -> frozenset[str]:
    """The words of `CANCER_WORDS`, read once (made by ``python -m training words``)."""
    return frozenset(shipped_lines(CANCER_WORDS))


class Scope:
    """Each summary's words (headings and text, as the index-wide list has them), read the
    first time a search is filtered to that summary; the union for a filter, kept for the
    next search with the same one."""

    def __init__(self, chunks: list[Chunk]):
        self._chunks = chunks
        self._doc_ids = np.array([c.doc_id for c in chunks])
        self._rows: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            self._rows.setdefault(c.doc_id, []).append(i)
        self._words: dict[str, Vocabulary] = {}
        self._unions: dict[tuple[str, ...], Vocabulary] = {}
        self._cancers: dict[str, frozenset[str]] = {}

    def cancers(self, doc_ids: tuple[str, ...]) -> tuple[frozenset[str], set[str]]:
        """The cancers the summaries ``doc_ids`` name (`cancer_names.index_cancers`), and the
        distinctive words of their titles (`health_topics.pdq_subjects`)."""
        for d in doc_ids:
            if d not in self._cancers:
                self._cancers[d] = index_cancers([". ".join([*self._chunks[i].heading_path, self._chunks[i].text])
                                                  for i in self._rows[d]])
        titles = {w for d in doc_ids for w in words(self._chunks[self._rows[d][0]].title)}
        return frozenset().union(*(self._cancers[d] for d in doc_ids)), titles & pdq_subjects()

    def vocabulary(self, doc_ids: tuple[str, ...]) -> Vocabulary:
        """The words of the summaries ``doc_ids`` (sorted), in every form."""
        found = self._unions.get(doc_ids)
        if found is None:
            for d in doc_ids:
                if d not in self._words:
                    text = " ".join(" ".join(self._chunks[i].heading_path) + " " + self._chunks[i].text
                                    for i in self._rows[d])
                    self._words[d] = Vocabulary(words(text))
            if len(self._unions) >= 256:  # filters are few in practice; a bound all the same
                self._unions.clear()
            found = self._unions[doc_ids] = Vocabulary.union(self._words[d] for d in doc_ids)
        return found

    def narrow(self, plan: QueryPlan, allowed: np.ndarray | None, looks_misspelled) -> QueryPlan:
        """``plan`` with its topics read against the summaries ``allowed`` leaves (all of
        them: unchanged). ``looks_misspelled``: the planner's, as `topic_words` takes it."""
        if allowed is None:
            return plan
        kept = tuple(sorted(set(self._doc_ids[allowed].tolist())))
        if not kept or len(kept) == len(self._rows):  # none: the search finds nothing to judge
            return plan
        text, knows = plan.dense_text, self.vocabulary(kept).knows
        asked, bridged = content_words(text), lay_words(text)
        topics = topic_words(asked, bridged, looks_misspelled, knows)
        # the word as listed: by stem, "transition", "germs" and "gestation" would name
        # "transitional", "germ" and "gestational" summaries
        named = [w for w in dict.fromkeys(asked) if w in cancer_words() and w not in bridged and not knows(w)]
        topics = negated_topics(topics + named + unnamed_cancers(text, *self.cancers(kept)), words(text), knows)
        return replace(plan, topics=list(dict.fromkeys(topics)))
