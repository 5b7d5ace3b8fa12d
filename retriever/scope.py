"""What a search's summaries mention: the topic check reads their words.

A subject of the PDQ summaries counts as a topic the question asks about only when the
index never mentions it (`health_topics.topic_words`): on an index holding the pancreatic
summary, "how is pancreatic cancer treated" has no topic to miss. Searched in the colon
summary alone, it has one: the colon passages it would show never say "pancreatic", and
were given as the answer. A search filtered to some summaries reads only theirs, and a word
that names a cancer-type summary (`health_topics.CANCER_WORDS`: "pancreatic", "anal",
"renal") and that they never mention is a topic too, and so is a cancer they never name
(`cancer_names`).

Over many summaries every such word is mentioned somewhere, and a question about a cancer
whose summary the index lacks was answered from another cancer's passages: "endometrial
cancer staging tests" with esophageal staging, as 55% of the validation summaries'
questions that name their cancer were when asked without its summaries. A cancer the
question names must therefore be named by the passages themselves (`Scope.unnamed`;
docs/abstention.md, "A cancer the question names").
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from retriever.cancer_names import TUMOUR_WORDS, index_cancers, unnamed_cancers
from retriever.health_topics import negated_topics, pdq_subjects, topic_words
from retriever.lexicon import lay_words
from retriever.models import Chunk
from retriever.planning import QueryPlan
from retriever.tokenization import Vocabulary, content_words, words

# A passage names a cancer by a word of the same first letters too, where its summary names
# the cancer itself: "rectum" for "rectal", "laryngeal" for "larynx". The validation
# summaries' near-misses over the corpus were refused 0.454 -> 0.588 with it (4 of 2,328
# answers lost); the exact word alone refused 0.616 but also a dev question that says
# "rectal" of a passage that says "rectum" (docs/abstention.md, "A cancer the question names").
# Only for a longer word: "anal" would be named by "analysis", "germ" by "germline".
SAME_START = 4
# A question naming a kind of tumour the passages name asks about that tumour, and a cancer
# word beside it says where it grows or what it is set against: "colorectal carcinoid tumor",
# "is a carcinoid a type of colon cancer" (as `cancer_names.unnamed_cancers` reads them). The
# bare "tumor" is no kind: "wilms tumor" asked without the Wilms summary is a near-miss
# (with it, 0.579 of the validation near-misses refused instead of 0.588).
KINDS = TUMOUR_WORDS - {"tumor", "tumors", "tumour", "tumours"}


class Scope:
    """Each summary's words (headings and text, as the index-wide list has them), read the
    first time a search is filtered to that summary or judges a passage of it by a cancer's
    first letters (`unnamed`); the union for a filter, kept for the next search with the same one."""

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

    def summary(self, doc_id: str) -> Vocabulary:
        """The words of one summary's headings and text, in every form."""
        if doc_id not in self._words:
            text = " ".join(" ".join(self._chunks[i].heading_path) + " " + self._chunks[i].text
                            for i in self._rows[doc_id])
            self._words[doc_id] = Vocabulary(words(text))
        return self._words[doc_id]

    def vocabulary(self, doc_ids: tuple[str, ...]) -> Vocabulary:
        """The words of the summaries ``doc_ids`` (sorted), in every form."""
        found = self._unions.get(doc_ids)
        if found is None:
            if len(self._unions) >= 256:  # filters are few in practice; a bound all the same
                self._unions.clear()
            found = self._unions[doc_ids] = Vocabulary.union(self.summary(d) for d in doc_ids)
        return found

    def unnamed(self, plan: QueryPlan, rows: list[int], vocabularies: list[Vocabulary]) -> list[str]:
        """The cancers ``plan`` names (`QueryPlan.cancers`; its topics are read already) that
        none of the passages ``rows`` names, their words being ``vocabularies``: in no form,
        nor by a word of the same first `SAME_START` letters in a passage whose summary names it;
        none when the question names a kind of tumour they name (`KINDS`)."""
        def names(w: str, row: int, vocabulary: Vocabulary) -> bool:
            start = w[:SAME_START]
            return vocabulary.knows(w) or (len(w) > SAME_START and any(v.startswith(start) for v in vocabulary.words)
                                           and self.summary(self._doc_ids[row]).knows(w))
        asked = [w for w in plan.cancers if w not in plan.topics]
        if not asked or any(k in KINDS and any(v.knows(k) for v in vocabularies) for k in words(plan.dense_text)):
            return []
        return [w for w in asked if not any(names(w, row, v) for row, v in zip(rows, vocabularies))]

    def narrow(self, plan: QueryPlan, allowed: np.ndarray | None, looks_misspelled) -> QueryPlan:
        """``plan`` with its topics read against the summaries ``allowed`` leaves (all of
        them: unchanged). ``looks_misspelled``: the planner's, as `topic_words` takes it."""
        if allowed is None:
            return plan
        kept = tuple(sorted(set(self._doc_ids[allowed].tolist())))
        if not kept or len(kept) == len(self._rows):  # none: the search finds nothing to judge
            return plan
        text, knows = plan.dense_text, self.vocabulary(kept).knows
        topics = topic_words(content_words(text), lay_words(text), looks_misspelled, knows)
        named = [w for w in plan.cancers if not knows(w)]
        topics = negated_topics(topics + named + unnamed_cancers(text, *self.cancers(kept)), words(text), knows)
        return replace(plan, topics=list(dict.fromkeys(topics)))
