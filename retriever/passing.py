"""Whether a health topic the passages never name is what the question asks, or named in passing.

A topic the passages never mention vetoes a search (`abstain.hand_confidence`): "does being
pregnant raise the risk of carcinoid tumors" asks about the pregnancy, which the summary
never names. Families often name such a thing beside what they ask: "my husband has diabetes
and they found a neuroendocrine tumor in his appendix, what surgery will he need" is answered
by the appendix treatment passage. Word rules could not tell the two apart on wording nobody
had seen (docs/abstention.md, "A topic named in passing": every version's review found new
wording answered wrongly), so a check learns it.

The check has the answerable check's form (`answerable.AnswerCheck`): a logistic regression
over the best cosine, the question's vector and its product with the first passage's vector,
and beside them nine features of how the question holds its topics (`reading`): what is left
of it without them, and where in it they fall. Those carry to summaries the fit never read:
left out one training summary at a time, 321 vetoed questions are answered with their
passage against 305 by the vectors alone, for 29 wrong answers against 32; on the validation
summaries 89 against 82, for 12 against 14 (docs/abstention.md, "How the question holds its
topics").
It is fitted (``python -m training passing``) on the questions a topic alone vetoes, each
asked of its own summary: the training summaries' calibration files, questions written for
it (training/passing/BRIEF.md: naming something the summary never mentions, in passing or as
their subject, some in twins that differ only in that) and other summaries' lay questions,
labelled answered when answerable with their passage first. Its cut makes the fewest errors
on them, left out one summary at a time, a wrong answer counting three refusals
(`training.passing.WRONG_ANSWER_COST`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np

from retriever.abstain import TOPIC_VETO, Verdict
from retriever.answerable import AnswerCheck, CheckFiles
from retriever.cancer_names import cancers_named
from retriever.planning import QueryPlan
from retriever.tokenization import not_in_english

# What `reading` gives, in its order (the record names them beside their weights).
EXTRA_FEATURES = ("question-passage cosine", "without the topics: passage cosine",
                  "without the topics: question cosine", "the topics: passage cosine", "the topics: question cosine",
                  "topics missing", "a topic in the last clause", "where the first topic falls", "words / 20")
IN_PASSING = CheckFiles("passing", "passing.npz", "passing.json", "in-passing check",
                        "python -m training passing --force", "PDQ_PASSING_CHECK", len(EXTRA_FEATURES))
_CLAUSES = re.compile(r"[,;:?!]|\.(?!\d)| and | but | so ", re.IGNORECASE)  # "2.5 cm" is one clause
# The last clause read is the last of at least this many words: "thanks" or "thank you" after
# the question is not what it asks (a review answered "... diagnose her asthma, thanks").
ASKING_WORDS = 3
# Words counted at most: the length feature is worth 0.59 a 20 words, and a long preamble of
# worry (the search takes 1,000 characters) lifted a question about the thing named.
MOST_WORDS = 40


def _word(topic: str) -> re.Pattern[str]:
    """``topic`` as a whole word: "flu", not "fluid"; "hip", not "relationship"."""
    return re.compile(r"\b" + re.escape(topic) + r"\b", re.IGNORECASE)


def without_topics(text: str, topics: Iterable[str]) -> str:
    """``text`` less each topic (the planner's words: whole words of the question)."""
    for topic in sorted(topics, key=len, reverse=True):
        text = _word(topic).sub(" ", text)
    return " ".join(text.split()) or "."


def reading(text: str, topics: tuple[str, ...], question: np.ndarray, passage: np.ndarray,
            encode: Callable[[str], np.ndarray]) -> np.ndarray:
    """How ``text`` holds its missing ``topics`` (`EXTRA_FEATURES`). A topic named in passing
    leaves a question that still matches the passage without it, is far from the passage and
    the question's meaning, and comes early ("my husband has diabetes and ..., what surgery");
    the topic a question asks about carries its meaning and often ends it ("... what tests are
    used to diagnose her asthma"). Two more encoder runs, on vetoed questions only."""
    rest, named = encode(without_topics(text, topics)), encode(" ".join(topics))
    words = [_word(t) for t in topics]
    clauses = [c for c in _CLAUSES.split(text) if len(c.split()) >= ASKING_WORDS] or [text]
    found = [m.start() for p in words if (m := p.search(text))]
    return np.array([question @ passage, rest @ passage, question @ rest, named @ passage, named @ question,
                     min(len(topics), 3), any(p.search(clauses[-1]) for p in words),
                     min(found) / max(len(text), 1) if found else 0.5, min(len(text.split()), MOST_WORDS) / 20],
                    dtype=np.float32)


def cancers_asked(plan: QueryPlan, other: Iterable[str] = ()) -> set[str]:
    """The cancers the question names (`QueryPlan.cancers`, `cancers_named`, a topic "<word>
    cancer" and its word) and ``other``, what `scope.Scope.unnamed` found it asks about that no
    passage is about: what a near-miss asks, never something named in passing. Lifted, the
    validation summaries' near-misses (questions naming their own cancer, asked without its
    summaries) were answered 406 more times of 1,391 (docs/abstention.md, "A topic named in
    passing, learned")."""
    named = {*plan.cancers, *cancers_named(plan.dense_text), *other}
    for topic in plan.topics:
        if topic.endswith(" cancer"):
            named |= {topic, topic.split(" ")[0]}
    return named


def liftable(verdict: Verdict, plan: QueryPlan, other: Iterable[str] = ()) -> bool:
    """Whether ``verdict`` refuses only because of health topics the passages never name (not
    also a figure, a provider, a subject other than cancer or words found nowhere), none of them
    a cancer the question asks about (`cancers_asked`). A `SearchResult` reads as a verdict."""
    ev = verdict.evidence
    if not (verdict.abstained and verdict.confidence <= TOPIC_VETO and ev is not None and ev.topics_missing):
        return False
    return set(verdict.missing) <= set(ev.topics_missing) and not set(ev.topics_missing) & cancers_asked(plan, other)


def lifted(verdict: Verdict, check: AnswerCheck | None, question: np.ndarray | None, passage: np.ndarray | None,
           threshold: float, plan: QueryPlan, other: Iterable[str] = (),
           encode: Callable[[str], np.ndarray] | None = None) -> Verdict:
    """``verdict``, answered when it is `liftable` and ``check``, reading the best cosine, the
    question, the first passage and, with ``encode``, how the question holds its topics
    (`reading`), says the question is answered all the same: its confidence (`confidence_of`)
    reaches ``threshold``. The topics stay in ``missing``: the page says the passages do not
    mention them. A question not in English stays refused: the check read English questions only."""
    if check is None or question is None or passage is None or not liftable(verdict, plan, other):
        return verdict
    ev = verdict.evidence
    if check.extra_weights.size and encode is None:
        raise ValueError(f"the {IN_PASSING.what} reads how the question holds its topics: give it the encoder")
    extra = reading(plan.dense_text, ev.topics_missing, question, passage, encode) if check.extra_weights.size else None
    confidence = confidence_of(check, check.logit(ev.best_cosine, question, passage, extra))
    if confidence < threshold or not_in_english(plan.text):
        return verdict
    return replace(verdict, abstained=False, confidence=confidence)


def confidence_of(check: AnswerCheck, logit: float) -> float:
    """The check's probability above the one at its cut, from the threshold it was fitted at: it
    reaches that threshold exactly at the cut, and a threshold 0.1 higher asks a probability 0.1
    higher. The answerable check's conversion divides by its weight on the hand rule's
    confidence instead; this check weighs the cosine little beside how the question holds its
    topics (0.68 a unit), which made a threshold of 0.55 lift what 0.35 did and showed
    confidences up to 4.3 on the page."""
    return check.threshold + _probability(logit) - _probability(check.cut)


def _probability(logit: float) -> float:
    """The logistic function, as tanh: no overflow however far the logit."""
    return 0.5 * (1.0 + math.tanh(logit / 2.0))
