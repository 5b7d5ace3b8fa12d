"""Stage 8 of a search: whether the first passages answer the question.

The evidence the passages give (`abstain.evidence`) is judged by the hand rule or the
model's calibration (`abstain.judge`), the confidence then moved by what the question's
wording says (`retriever.answerable`) and a topic named in passing answered
(`retriever.passing`). What the question is about, read from its vector, vetoes: a subject
other than cancer with few of its words found (`retriever.domain`), an animal's health
(`retriever.animals`).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import takewhile
from typing import TYPE_CHECKING

import numpy as np

from retriever.abstain import Verdict, asks_nothing, evidence, judge
from retriever.answerable import checked
from retriever.audience import url_type_words
from retriever.health_topics import missing_topics
from retriever.passing import lifted
from retriever.respelling import american
from retriever.searchers import FUSED, Signals
from retriever.tokenization import STOPWORDS, Vocabulary, words, zipf
from retriever.translation import NO_BRIDGES, Bridges

# A word typed before a cancer type's word names a kind of that type when everyday English uses
# it less than this (Zipf) and the summary never says it: "mantle" (3.6), "diffuse" (3.3),
# "synovial" (2.4), not "adult" (4.8), "early" (5.4), "skin" (4.9). Read off those words, then
# measured: 3.5 and 3.0 let "mantle cell lymphoma" answer from the mycosis fungoides summary;
# 4.0 and 4.5 refuse the same probes and the same 4,000 training questions filtered to their own
# summary (docs/abstention.md, "A kind of the type").
SUBTYPE_ZIPF = 4.0

if TYPE_CHECKING:
    from retriever.search import Retriever


def judge_passages(r: Retriever, sig: Signals, chosen: list[int]) -> Verdict:
    """Whether the first of the ``chosen`` passages answer the question, from the evidence they give."""
    s, plan, top = r.settings, sig.query.plan, chosen[:r.settings.abstain_depth]
    allowed = sig.query.allowed
    if allowed is not None and not allowed.any():  # a filter the question's "non" left empty: nothing to judge
        return Verdict(True, 0.0, [], None)
    vector = sig.query.vector
    # the judged passages' own cosines: keyword mode's nearest passage is often not among them
    best = float(max([-1.0, *(r.vectors[top] @ vector), *map(sig.sentences.best, top)]))
    passages = [(r.chunks[i].text, r.words.of(i), r.words.own(i)) for i in top]
    if (filed := filed_under(r, allowed)) is not None and not names_subtype(  # "uterine" asked of the endometrial
            plan.dense_text, filed, Vocabulary.union(own for *_, own in passages)):  # summary alone, not "mantle cell"
        passages = [(text, vocabulary, Vocabulary.union([own, filed])) for text, vocabulary, own in passages]
    covered = r.scope.covered(plan, top)  # cancers a summary about cancers in general answers for
    other = r.scope.unnamed(plan, top, [own for *_, own in passages], sig.query.allowed, covered)  # not about
    everyday = s.domain_check and r.domain is not None and r.domain.everyday(vector)
    animal = s.animal_check and r.animals is not None and r.animals.about_animal(vector)
    topics = [t for t in plan.topics if t not in covered]
    ev, missing = evidence(plan.dense_text, best, passages, plan.terms, topics, plan.figures, everyday, other, animal,
                           bridges(r).of(topics, plan.dense_text))
    verdict = judge(ev, missing, r.calibration, r.threshold, s.missing_penalty, s.all_terms_floor,
                    nothing_asked=asks_nothing(plan.dense_text, plan.terms))
    check = r.answer_check if s.answer_check and top and plan.terms else None  # "thanks": nothing to read
    first = r.vectors[top[0]] if top else None  # keyword mode finds none for a word no passage holds
    verdict = checked(verdict, check, vector, first, r.threshold, plan.text)
    lift = r.passing if s.passing_check and sig.fused == FUSED["hybrid"] else None  # fitted on hybrid's
    return lifted(verdict, lift, vector, first, r.threshold, plan, other, r.embedder.encode_query)


def filed_under(r: Retriever, allowed: np.ndarray | None) -> Vocabulary | None:
    """The words of the cancer type PDQ files a search's summary under, when it searches one
    summary (the index's only one, or a filter's), else None.

    The topic check, and the check for cancers the passages name (`Scope.unnamed`), read them
    beside its passages': "stage IA uterine cancer" asked of the endometrial cancer summary alone
    (filed under uterine) was refused for "uterine", which its first passages for it never say,
    "early skin lymphoma treatment" of the mycosis fungoides one (under lymphoma) for
    "lymphoma". Over several summaries they are not read: there they answered questions about a
    cancer whose summary was left out with another's passages ("uterine sarcoma prognosis" from
    the endometrial summary; docs/abstention.md, "The cancer type a summary is filed under")."""
    if allowed is None:  # the whole index: one summary when its manifest lists one
        return _type_vocabulary(r.chunks[0].url) if len(r.manifest.documents) == 1 and r.chunks else None
    rows = np.flatnonzero(allowed)
    if not len(rows) or (r.doc_ids[rows] != r.doc_ids[rows[0]]).any():
        return None
    return _type_vocabulary(r.chunks[int(rows[0])].url)


def names_subtype(question: str, filed: Vocabulary, own: Vocabulary) -> bool:
    """Whether the question puts a word before its type's word that names a kind of the type
    the passages never speak of: "mantle cell lymphoma" asked of the mycosis fungoides summary,
    "synovial sarcoma" of the GIST one. The type's words then do not stand for the summary's own
    (`filed_under`). Such a word is one in the run of words just before the type's word that
    everyday English hardly uses (`SUBTYPE_ZIPF`) and neither the passages nor the type's words
    hold, in either spelling ("tumour": "tumor")."""
    ws = words(question)
    for i, w in enumerate(ws):
        if not filed.knows(w) or own.knows(w):  # not the type's word, or one the passages say themselves
            continue
        for before in takewhile(_in_name, reversed(ws[:i])):
            known = any(v.knows(form) for v in (own, filed) for form in (before, *american(before)))
            if not known and zipf(before) < SUBTYPE_ZIPF:
                return True
    return False


def _in_name(word: str) -> bool:
    """Whether ``word`` may be part of a name typed before a type's word: no stop word, no
    number or size ("1cm skin tumour lymphoma stage")."""
    return word not in STOPWORDS and not any(c.isdigit() for c in word)


@lru_cache(maxsize=256)
def _type_vocabulary(url: str) -> Vocabulary | None:
    """`url_type_words` in every form, made once per summary: every search of it asks."""
    typed = url_type_words(url).split()
    return Vocabulary(typed) if typed else None


def unmentioned(r: Retriever, verdict: Verdict, shown: list[int], question: str) -> list[str]:
    """An answer's missing topics that none of the ``shown`` passages mentions either: the verdict
    reads the first `abstain_depth` passages, and a staff search of ten listed "PSA" as one the
    passages don't mention, beside a ninth passage that does. A refusal's are left as they are."""
    ev = verdict.evidence
    if verdict.abstained or ev is None or not ev.topics_missing or len(shown) <= r.settings.abstain_depth:
        return verdict.missing
    still = set(missing_topics(ev.topics_missing, Vocabulary.union(r.words.own(i) for i in shown),
                               bridges=bridges(r).of(ev.topics_missing, question)))
    return [m for m in verdict.missing if m not in ev.topics_missing or m in still]


def bridges(r: Retriever) -> Bridges:
    """The other names of lay words that the ranker's translation table learned
    (`TranslationTable.bridges`): none without the ranker, which ships the table."""
    return getattr(r.reranker, "bridges", NO_BRIDGES)
