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
docs/abstention.md, "A cancer the question names"), and, over several summaries, one of them
must be about it (`Scope.about`; "A cancer the passages are about"): a cancer-type summary's
passage that names it in passing ("bladder and/or prostate cancer may occur at the same time
as urethral cancer", shown for "prostate cancer symptoms" asked without the prostate
summaries) answers nothing about it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from retriever.acronyms import as_initials
from retriever.boilerplate import own_text
from retriever.cancer_names import TUMOUR_WORDS, cancers_named, summary_cancers, unnamed_cancers
from retriever.health_topics import acronyms_cancers, cancer_words, negated_topics, pdq_subjects, topic_words
from retriever.lexicon import lay_words
from retriever.models import Chunk
from retriever.planning import QueryPlan
from retriever.tokenization import Vocabulary, content_words, negated, passage_vocabulary, stem, words

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
# The front matter tag of a summary about a cancer type (the PDQ corpus's 132 of 169; the
# others are remedies, symptoms and coping): only such a summary's title and headings say
# which cancers it is about (`Scope.about`).
CANCER_TYPE = "cancer-type"
# A summary naming this share of the words that name a cancer-type summary serves many cancers
# (`Scope.general`): of the PDQ corpus's 101 such words, the late-effects summary names 41 and
# the rare childhood cancers one 32; the next, adult non-Hodgkin lymphoma, 19.
GENERAL_SHARE = 0.25
# A cancer-type summary holding a cancer's name in this share of its passages (as BM25 reads them, headings with
# the text) is about it (`Scope.everyday`). Over the corpus no summary holds "breast" in more than 18% of its passages,
# "liver" 22%, "bladder" 35%; the retinoblastoma one holds "eye" in 56%, the adult brain tumours one "brain" in 79%,
# "Colon Cancer Treatment" "colon" in all (its title heads every passage's headings).
THROUGHOUT = 0.5


def asked_about(plan: QueryPlan) -> list[str]:
    """What the question asks about that a summary may be about: the words naming a cancer-type
    summary (`QueryPlan.cancers`) and the subjects of the PDQ summaries' titles it uses
    ("mistletoe": `health_topics.pdq_subjects`; "non" joined to the word after it, as the
    planner reads "non-Hodgkin"). Not a cancer named by an everyday word ("lung cancer"): patients
    name where theirs spread so ("it spread to her lungs, does she have lung cancer now?"), and
    with those the validation summaries' worry questions were refused twice as often (0.017 ->
    0.034; docs/abstention.md, "A cancer the passages are about"). `Scope.everyday` reads those
    that no summary of the search is about."""
    subjects = [w for w in negated(words(plan.dense_text)) if w in pdq_subjects()]
    return list(dict.fromkeys([*plan.cancers, *subjects]))


class Scope:
    """Each summary's words (headings and text less PDQ's notes and lines naming another summary), read the first
    time a search is filtered to it or judges a passage of it by a cancer's first letters (`unnamed`); the union for a
    filter, kept for the next search with it; each passage's title and headings when first judged (`about`)."""

    def __init__(self, chunks: list[Chunk], postings: Callable[[str], np.ndarray] | None = None):
        self._chunks = chunks
        self._doc_ids = np.array([c.doc_id for c in chunks])
        self._codes = np.unique(self._doc_ids, return_inverse=True)[1]  # each row's summary as a number
        self._postings = postings  # the rows holding a BM25 token (`KeywordIndex.postings`), where known
        self._sizes = np.bincount(self._codes)  # each summary's passages
        self._typed = np.bincount(self._codes, [CANCER_TYPE in c.tags for c in chunks]) > 0
        self._through: dict[str, np.ndarray] = {}
        self._rows: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            self._rows.setdefault(c.doc_id, []).append(i)
        self._words: dict[str, Vocabulary] = {}
        self._headings: dict[tuple[str, ...], tuple[Vocabulary, frozenset[str]]] = {}
        self._common: frozenset[str] | None = None
        self._unions: dict[tuple[str, ...], Vocabulary] = {}
        self._cancers: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._general: dict[str, bool] = {}

    def cancers(self, doc_ids: tuple[str, ...]) -> tuple[frozenset[str], set[str], frozenset[str]]:
        """The cancers the summaries ``doc_ids`` name, the distinctive words of their titles
        (`health_topics.pdq_subjects`) and the everyday names of cancers they are about
        (`cancer_names.summary_cancers`)."""
        for d, rows in ((d, self._rows[d]) for d in doc_ids if d not in self._cancers):
            first = self._chunks[rows[0]]
            self._cancers[d] = summary_cancers([self._own(i) for i in rows], first.title, CANCER_TYPE in first.tags)
        names, lay = (frozenset().union(*(self._cancers[d][j] for d in doc_ids)) for j in (0, 1))
        return names, {w for d in doc_ids for w in words(self._chunks[self._rows[d][0]].title)} & pdq_subjects(), lay

    def summary(self, doc_id: str) -> Vocabulary:
        """The words of one summary's passages (`_own`), in every form."""
        if doc_id not in self._words:
            self._words[doc_id] = Vocabulary(words(" ".join(self._own(i) for i in self._rows[doc_id])))
        return self._words[doc_id]

    def _own(self, i: int) -> str:
        """Passage ``i``'s headings and text less PDQ's notes and lines naming another summary (`own_text`)."""
        return ". ".join([*self._chunks[i].heading_path, own_text(self._chunks[i].text)])

    def vocabulary(self, doc_ids: tuple[str, ...]) -> Vocabulary:
        """The words of the summaries ``doc_ids`` (sorted), in every form."""
        found = self._unions.get(doc_ids)
        if found is None:
            if len(self._unions) >= 256:  # filters are few in practice; a bound all the same
                self._unions.clear()
            found = self._unions[doc_ids] = Vocabulary.union(self.summary(d) for d in doc_ids)
        return found

    def everyday(self, plan: QueryPlan, allowed: np.ndarray | None) -> list[str]:
        """Each cancer the question names by an everyday word ("breast cancer":
        `cancer_names.cancers_named`) that no cancer-type summary of the search holds in at least
        `THROUGHOUT` of its passages: asked about too (`unnamed`), as `asked_about` leaves them
        out. The corpus has no breast or liver cancer summary, and "breast cancer symptoms" got
        the childhood testicular summary's symptoms. Not a summary's title: the corpus's say
        "Central Nervous System" for brain tumours and never "eye" for retinoblastoma, and with
        titles the validation summaries' answerable questions were refused 21 more times of
        5,041 (docs/abstention.md, "A cancer no summary is about")."""
        named = cancers_named(plan.dense_text) if self._postings is not None else []
        if not named:
            return []
        searched = np.zeros(len(self._sizes), dtype=bool)
        searched[self._codes if allowed is None else self._codes[allowed]] = True
        return [w for w in named if w not in plan.cancers and not (self.throughout(w) & searched).any()]

    def throughout(self, word: str) -> np.ndarray:
        """Which summaries (by number) are cancer-type ones holding ``word``'s BM25 token in at
        least `THROUGHOUT` of their passages ("brain" in the central nervous system ones)."""
        if word not in self._through:
            holding = np.bincount(self._codes[self._postings(stem(word))], minlength=len(self._sizes))
            self._through[word] = self._typed & (holding >= THROUGHOUT * self._sizes)
        return self._through[word]

    def covered(self, plan: QueryPlan, rows: list[int]) -> tuple[str, ...]:
        """The cancers the question names (`QueryPlan.cancers`, and "breast cancer" and the like:
        `cancer_names.cancers_named`) that the passages ``rows`` answer for without naming them:
        those the first one's summary names, when that summary is about
        cancers in general (`general`) and the passage's own headings name something else the
        question asks about, by a word not `common` to many summaries. "my son had
        neuroblastoma, could his hearing be affected later?" is answered by the late-effects
        summary's "Hearing" section, which never says "neuroblastoma"; "how is neuroblastoma
        treated" by none of its passages, nor a question about a cancer the summary never names
        ("I had anal cancer, could the chemo hurt my hearing"). Any of the first three instead of
        the first let other summaries' passages answer near-misses (docs/abstention.md,
        "Summaries about cancers in general")."""
        named = dict.fromkeys([*plan.cancers, *cancers_named(plan.dense_text)])  # "breast cancer" after radiation too
        if not (named and rows and self.general(rows[0])):
            return ()
        if not any(map(self.headings(rows[0]).knows, self.others(plan, {*asked_about(plan), *named}))):
            return ()
        return tuple(w for w in named if self.summary(self._doc_ids[rows[0]]).knows(w))

    def others(self, plan: QueryPlan, asked) -> list[str]:
        """The question's words but ``asked``, less those `common` to many summaries."""
        return [w for w in content_words(plan.dense_text) if w not in asked and stem(w) not in self.common()]

    def general(self, row: int) -> bool:
        """Whether the passage ``row`` belongs to a summary about cancers in general: a
        cancer-type summary naming at least `GENERAL_SHARE` of the words that name a cancer-type
        summary (`health_topics.cancer_words`)."""
        doc = self._doc_ids[row]
        if doc not in self._general:
            names = cancer_words()
            self._general[doc] = CANCER_TYPE in self._chunks[row].tags and (
                sum(map(self.summary(doc).knows, names)) >= GENERAL_SHARE * len(names))
        return self._general[doc]

    def subjects(self, row: int) -> tuple[Vocabulary, frozenset[str]]:
        """The words of the passage ``row``'s title and headings, and their first `SAME_START`
        letters; cached, as a section's passages share them."""
        c = self._chunks[row]
        return self._heading_words((c.title, *c.heading_path))

    def headings(self, row: int) -> Vocabulary:
        """The words of the passage ``row``'s own headings, without its summary's title (the
        first of its heading path)."""
        return self._heading_words(("", *self._chunks[row].heading_path[1:]))[0]

    def _heading_words(self, key: tuple[str, ...]) -> tuple[Vocabulary, frozenset[str]]:
        if key not in self._headings:
            subjects = passage_vocabulary(key[0], " ".join(key[1:]))
            self._headings[key] = subjects, frozenset(w[:SAME_START] for w in subjects.words)
        return self._headings[key]

    def unnamed(self, plan: QueryPlan, rows: list[int], vocabularies: list[Vocabulary],
                allowed: np.ndarray | None = None, covered: tuple[str, ...] = ()) -> list[str]:
        """What the question asks about that the passages ``rows`` (their words
        ``vocabularies``) do not answer: each cancer it names (`QueryPlan.cancers`) that none of
        them names (`names`; a topic of the plan is read so already), and, while the search
        reads several summaries (``allowed``: its rows; None, all), everything it asks about
        (`asked_about`, `everyday`) when none of the passages is about any of it (`about`). None when the
        question names a kind of tumour they name (`KINDS`); none is asked to be about one
        when their summaries name the kind."""
        kinds = [k for k in words(plan.dense_text) if k in KINDS]
        if any(v.knows(k) for k in kinds for v in vocabularies):
            return []
        passages = list(zip(rows, vocabularies))
        unnamed = [w for w in plan.cancers if w not in plan.topics and w not in covered
                   and not any(self.names(w, *p) for p in passages)]
        several = self.several(allowed)
        everyday = self.everyday(plan, allowed) if several else []
        asked = [w for w in dict.fromkeys(asked_about(plan) + everyday) if w not in covered] if several else []
        if not asked or any(self.summary(d).knows(k) for k in kinds for d in set(self._doc_ids[rows].tolist())):
            return unnamed
        others = self.others(plan, asked)
        # an everyday name by its own forms only: "breathing" is no form of "breast"
        if any(self.about(w, *p, others, w not in everyday) for w in asked for p in passages):
            return unnamed
        return list(dict.fromkeys(unnamed + asked))

    def names(self, word: str, row: int, vocabulary: Vocabulary, starts: bool = True) -> bool:
        """Whether the passage ``row`` (its words ``vocabulary``) names ``word``: in some form,
        or (with ``starts``) by a word of the same first `SAME_START` letters where its summary
        names ``word``."""
        return vocabulary.knows(word) or (starts and len(word) > SAME_START and self.summary(
            self._doc_ids[row]).knows(word) and any(v.startswith(word[:SAME_START]) for v in vocabulary.words))

    def several(self, allowed: np.ndarray | None) -> bool:
        """Whether a search reads more than one summary (``allowed``: its rows as a boolean
        mask; None, all). Over one, which summary is about a cancer is no question: whether it
        names the cancer at all is read already (`narrow`, `planning`), and asking its passages
        to be about it refused answerable questions of the threshold's calibration files
        (docs/abstention.md, "A cancer the passages are about")."""
        if allowed is None:
            return len(self._rows) > 1
        codes = self._codes[allowed]
        return len(codes) > 1 and codes.min() != codes.max()

    def about(self, word: str, row: int, vocabulary: Vocabulary, others: list[str] = (), starts: bool = True) -> bool:
        """Whether the passage ``row`` (its words ``vocabulary``) is about the cancer or
        subject ``word``, the question's other words being ``others`` (less those `common` to
        many summaries). A passage of a summary about a cancer type (tagged `CANCER_TYPE`) is
        about what its summary's title or its own headings name, in some form or by a word of
        the same first `SAME_START` letters where its summary names ``word`` ("Colorectal
        Cancer Prevention" is about colon cancer); not by every heading of its summary: with
        those the validation summaries' near-misses were refused 0.628 instead of 0.683. A
        passage of any other summary (a remedy, a symptom, coping) is about a cancer it names
        when the question also asks about what its title or headings name, by a word not
        `common` to many summaries: "acupuncture may relieve hot flashes in people with
        prostate cancer" answers "does acupuncture help hot flashes in prostate cancer", not
        "prostate cancer symptoms" (docs/abstention.md, "A cancer the passages are about").
        Without ``starts`` (an everyday name: "breast"), by ``word``'s own forms only, and a
        passage of a summary about cancers in general (`general`) that says "breast cancer" is
        about it."""
        c = self._chunks[row]
        subjects, firsts = self.subjects(row)
        if subjects.knows(word) or (not starts and self.general(row) and word in cancers_named(c.text)):
            return True  # a general summary's passage saying "breast cancer": its second cancers
        if CANCER_TYPE not in c.tags:
            return self.names(word, row, vocabulary, starts) and any(map(subjects.knows, others))
        return starts and len(word) > SAME_START and word[:SAME_START] in firsts and self.summary(
            self._doc_ids[row]).knows(word)

    def common(self) -> frozenset[str]:
        """The stems of the words in the titles or headings of more than a third of the summaries
        ("cancer", "treatment", "symptoms"): a question sharing one with a passage's headings
        does not ask about what that passage is about."""
        if self._common is None:
            counts = Counter(w for rows in self._rows.values() for w in {stem(w) for w in content_words(" ".join(
                dict.fromkeys(h for i in rows for h in [self._chunks[i].title, *self._chunks[i].heading_path])))})
            self._common = frozenset(w for w, n in counts.items() if n > len(self._rows) / 3)
        return self._common

    def narrow(self, plan: QueryPlan, allowed: np.ndarray | None, looks_misspelled) -> QueryPlan:
        """``plan`` with its topics read against the summaries ``allowed`` leaves (all of
        them: unchanged). ``looks_misspelled``: the planner's, as `topic_words` takes it."""
        if allowed is None:
            return plan
        kept = tuple(sorted(set(self._doc_ids[allowed].tolist())))
        if not kept or len(kept) == len(self._rows):  # none: the search finds nothing to judge
            return plan
        text, knows, initials = plan.dense_text, self.vocabulary(kept).knows, as_initials(plan.text, plan.dense_text)
        topics = topic_words(content_words(text), lay_words(text), looks_misspelled, knows, initials)
        named = [w for w in [*plan.cancers, *acronyms_cancers(text, knows)] if not knows(w)]
        topics = negated_topics(topics + named + unnamed_cancers(text, *self.cancers(kept)), words(text), knows)
        return replace(plan, topics=list(dict.fromkeys(topics)))
