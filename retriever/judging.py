"""Stage 8 of a search: whether the first passages answer the question.

The evidence the passages give (`abstain.evidence`) is judged by the hand rule or the
model's calibration (`abstain.judge`), the confidence then moved by what the question's
wording says (`retriever.answerable`) and a topic named in passing answered
(`retriever.passing`). What the question is about, read from its vector, vetoes: a subject
other than cancer with few of its words found (`retriever.domain`), an animal's health
(`retriever.animals`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from retriever.abstain import Verdict, asks_nothing, evidence, judge
from retriever.answerable import checked
from retriever.health_topics import missing_topics
from retriever.passing import lifted
from retriever.searchers import FUSED, Signals
from retriever.tokenization import Vocabulary
from retriever.translation import NO_BRIDGES, Bridges

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
